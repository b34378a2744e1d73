"""The transport-independent service: (method, path, query, headers, body) -> response."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from . import _validate, _wire
from ._backend import Store
from ._calls import Call, CallLog
from ._handlers import HANDLERS
from .exceptions import ServiceError, UnsupportedOperationError
from .faults import Attempt, DelayFault, Fault, FaultPlan, ProfileFailureFault

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


class State:
    """Everything one activation holds: profiles, faults and the call log."""

    def __init__(self) -> None:
        self.store = Store()
        self.faults = FaultPlan()
        self.calls = CallLog()


def attempt_number(headers: Mapping[str, Any]) -> int | None:
    """botocore's attempt count, from ``amz-sdk-request: [ttl=...; ]attempt=2; max=5``."""
    value = header(headers, "amz-sdk-request") or ""
    for part in value.split(";"):
        name, _, number = part.strip().partition("=")
        if name == "attempt" and number.isdigit():
            return int(number)
    return None


def wait_out(delays: list[DelayFault]) -> None:
    """Sleep through latency faults, each on its own clock."""
    for delay in delays:
        delay.clock.sleep(delay.seconds)


class Service:
    """Answers Customer Profiles HTTP requests from a ``State``.

    ``account_for`` maps a request's headers to the account that serves it (the mock's
    own account today; credentials later), ``default_region`` is used when a request
    carries no region at all.
    """

    def __init__(
        self,
        state: State,
        account_for: Callable[[Mapping[str, Any]], str],
        default_region: str,
    ) -> None:
        self.state = state
        self.account_for = account_for
        self.default_region = default_region

    def handle(
        self, method: str, path: str, query: str, headers: Mapping[str, Any], body: bytes
    ) -> HttpResponse:
        """Answer one request; latency faults sleep on their clock before returning."""
        response, delays = self.respond(method, path, query, headers, body)
        wait_out(delays)
        return response

    def respond(
        self, method: str, path: str, query: str, headers: Mapping[str, Any], body: bytes
    ) -> tuple[HttpResponse, list[DelayFault]]:
        """The answer, and the latency faults the transport must wait out before sending
        it (an async transport waits without blocking its event loop)."""
        request_id = new_request_id()
        region = region_of(headers) or self.default_region
        account_id = self.account_for(headers)
        route = _wire.router().match(method, path)
        if route is None:
            message = f"No operation matches {method} {path}"
            response = _wire.serialize_error("UnknownOperationException", message, request_id, 404)
            return self._log(None, {}, region, account_id, headers, response, request_id), []
        operation, labels = route
        try:
            params = _wire.parse_request(operation, labels, query, headers, body)
        except ServiceError as exc:
            response = _wire.serialize_error(exc.code, exc.message, request_id)
            return self._log(operation, {}, region, account_id, headers, response, request_id), []
        attempt = Attempt(operation, params, region, account_id)
        delays, fault = self.state.faults.check(attempt)
        changed_by: Fault | None = fault
        if fault is not None:
            message = fault.message_for(attempt)
            response = _wire.serialize_error(fault.code, message, request_id)
        else:
            response, changed_by = self._answer(attempt, request_id)
        self._log(
            operation, params, region, account_id, headers, response, request_id,
            changed_by or (delays[0] if delays else None), sum(d.seconds for d in delays),
        )  # fmt: skip
        return response, delays

    def _answer(self, attempt: Attempt, request_id: str) -> tuple[HttpResponse, Fault | None]:
        """The backend's answer, and the partial-failure fault that changed it, if any."""
        handler = HANDLERS.get(attempt.operation)
        if handler is None:
            raise UnsupportedOperationError(attempt.operation, HANDLERS)
        try:
            self.validate(attempt.operation, attempt.params)
            backend = self.state.store.backend(attempt.account_id, attempt.region)
            params = attempt.params
            failed = self.state.faults.failed_profiles(attempt)
            if failed:  # the handler never sees the ids that fail
                params = {
                    **params,
                    "ProfileIds": [i for i in params["ProfileIds"] if i not in failed],
                }
            result = handler(backend, params)
            if failed:
                result = _fail_profiles(result, attempt.params["ProfileIds"], failed)
        except ServiceError as exc:
            return _wire.serialize_error(exc.code, exc.message, request_id), None
        response = _wire.serialize_response(attempt.operation, result, request_id)
        return response, next(iter(failed.values()), None)

    def _log(
        self,
        operation: str | None,
        params: Mapping[str, Any],
        region: str,
        account_id: str,
        headers: Mapping[str, Any],
        response: HttpResponse,
        request_id: str,
        fault: Fault | None = None,
        delay: float = 0.0,
    ) -> HttpResponse:
        status, out_headers, _ = response
        call = Call(
            operation, params, region, account_id, status, out_headers.get("x-amzn-ErrorType"),
            attempt_number(headers), fault, request_id, delay,
        )  # fmt: skip
        self.state.calls.append(call)
        return response

    @staticmethod
    def validate(operation: str, params: Mapping[str, Any]) -> None:
        """Raise ``BadRequestException`` for whatever the model forbids in ``params``."""
        walk = _validate.input_validator(operation)
        if walk is not None:
            errors: list[str] = []
            walk(params, "", errors)
            _validate.raise_if_invalid(errors)


def _fail_profiles(
    result: dict[str, Any], requested: list[str], failed: Mapping[str, ProfileFailureFault]
) -> dict[str, Any]:
    """BatchGetProfile's answer with an ``Errors`` entry for each ``failed`` id, in
    request order among the others."""
    errors = result["Errors"] + [
        {"Code": fault.code, "Message": fault.message, "ProfileId": profile_id}
        for profile_id, fault in failed.items()
    ]
    order = {profile_id: i for i, profile_id in enumerate(dict.fromkeys(requested))}
    errors.sort(key=lambda e: order[e["ProfileId"]])
    return {**result, "Errors": errors}
