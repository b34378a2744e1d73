"""The transport-independent service: (method, path, query, headers, body) -> response."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from typing import Any

from . import _model, _validate, _wire
from ._backend import Store
from ._handlers import HANDLERS
from .exceptions import ServiceError, UnsupportedOperationError

HttpResponse = tuple[int, dict[str, str], bytes]
_request_ids = random.Random()


def header(headers: Mapping[str, Any], name: str) -> str | None:
    """A header by name, whatever the case the transport kept it in, as text."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def region_of(headers: Mapping[str, Any]) -> str | None:
    """The region a request was signed for (SigV4 credential scope), else from its Host."""
    auth = header(headers, "Authorization")
    if auth:
        start = auth.find("Credential=")
        if start >= 0:
            scope = auth[start + 11 :].split(",", 1)[0].split("/")
            if len(scope) == 5:
                return scope[2]
    host = header(headers, "Host") or ""
    parts = host.split(".")
    if len(parts) >= 4 and parts[0] == "profile":
        return parts[1]
    return None


def new_request_id() -> str:
    """A random UUID in its usual text form, as AWS request ids are (cheaper than uuid4)."""
    h = f"{_request_ids.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


@functools.cache
def _input_validator(operation: str) -> _validate.Walk | None:
    shape = _model.operation_model(operation).input_shape
    return None if shape is None else _validate.compile_shape(shape)


class Service:
    """Answers Customer Profiles HTTP requests from a ``Store``.

    ``account_for`` maps a request's headers to the account that serves it (the mock's
    own account today; credentials later), ``default_region`` is used when a request
    carries no region at all.
    """

    def __init__(
        self,
        store: Store,
        account_for: Callable[[Mapping[str, Any]], str],
        default_region: str,
    ) -> None:
        self.store = store
        self.account_for = account_for
        self.default_region = default_region

    def handle(
        self, method: str, path: str, query: str, headers: Mapping[str, Any], body: bytes
    ) -> HttpResponse:
        request_id = new_request_id()
        route = _wire.router().match(method, path)
        if route is None:
            message = f"No operation matches {method} {path}"
            return _wire.serialize_error("UnknownOperationException", message, request_id, 404)
        operation, labels = route
        handler = HANDLERS.get(operation)
        if handler is None:
            raise UnsupportedOperationError(operation, HANDLERS)
        try:
            params = _wire.parse_request(operation, labels, query, headers, body)
            self.validate(operation, params)
            region = region_of(headers) or self.default_region
            backend = self.store.backend(self.account_for(headers), region)
            result = handler(backend, params)
        except ServiceError as exc:
            return _wire.serialize_error(exc.code, exc.message, request_id)
        return _wire.serialize_response(operation, result, request_id)

    @staticmethod
    def validate(operation: str, params: dict[str, Any]) -> None:
        """Raise ``BadRequestException`` for whatever the model forbids in ``params``."""
        walk = _input_validator(operation)
        if walk is not None:
            errors: list[str] = []
            walk(params, "", errors)
            _validate.raise_if_invalid(errors)
