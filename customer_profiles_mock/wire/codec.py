"""HTTP <-> API parameters for rest-json, driven by the botocore operation model.

Routing matches ``http.requestUri`` templates segment by segment, parsing reads each
input member from its modelled location (uri, querystring, body) and keeps only what the
model defines, and serialization writes the output back. Error responses carry the
status of the model's error shape, ``x-amzn-ErrorType`` and a ``{"Message": ...}`` body.
This module also owns the JSON cache of stored items (``JsonCache``).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any, NoReturn
from urllib.parse import parse_qs

from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.http import JSON, HttpResponse
from customer_profiles_mock.wire.validate import CONTAINER_TYPES, camel, error_sentence, summary


@dataclass(frozen=True)
class _Member:
    name: str
    wire: str
    type_name: str  # "list:<item type>" for lists


@dataclass(frozen=True)
class _OperationIO:
    uri: tuple[_Member, ...]
    query: tuple[_Member, ...]
    body: Any  # the input shape, whose non-located members travel in the JSON body
    status_member: str | None  # an output member carried as the HTTP status
    status: int


@functools.cache
def _io(operation: str) -> _OperationIO:
    op = _model.operation_model(operation)
    located: dict[str, list[_Member]] = {"uri": [], "querystring": []}
    has_body = False
    if op.input_shape is not None:
        for name, shape in op.input_shape.members.items():
            location = shape.serialization.get("location")
            if location in located:
                kind = f"list:{shape.member.type_name}" if shape.type_name == "list" else ""
                wire = shape.serialization.get("name", name)
                located[location].append(_Member(name, wire, kind or shape.type_name))
            elif location is None:
                has_body = True
    status_member = None
    if op.output_shape is not None:
        for name, shape in op.output_shape.members.items():
            if shape.serialization.get("location") == "statusCode":
                status_member = name
    return _OperationIO(
        uri=tuple(located["uri"]),
        query=tuple(located["querystring"]),
        body=op.input_shape if has_body else None,
        status_member=status_member,
        status=int(op.http.get("responseCode", 200)),
    )


def parse_request(
    operation: str, labels: dict[str, str], query: str, body: bytes
) -> dict[str, Any]:
    """The operation's input parameters, named as the model names them.

    As the service's deserializer does, members the model does not define (at any
    depth) and JSON nulls are dropped, so they are never validated, stored or echoed.
    """
    io = _io(operation)
    params: dict[str, Any] = {}
    if body and io.body is not None:
        try:
            document = load_json(body)
        except ValueError as exc:
            raise BadRequestException(f"Request body is not valid JSON: {exc}") from None
        if type(document) is not dict:
            raise BadRequestException("Request body must be a JSON object")
        params = _known(document, io.body)
        for member in io.uri + io.query:
            params.pop(member.name, None)  # located members never come from the body
    for member in io.uri:
        if member.wire in labels:
            params[member.name] = _scalar(member, labels[member.wire])
    if io.query and query:
        values = parse_qs(query, keep_blank_values=True)
        for member in io.query:
            found = values.get(member.wire)
            if found:
                if member.type_name.startswith("list:"):
                    params[member.name] = found
                else:
                    params[member.name] = _scalar(member, found[0])
    return params


class NestedTooDeeply(ValueError):
    """A JSON document nested deeper than its reader takes (or than the parser can go)."""


def load_json(data: bytes | str, *, max_depth: int | None = None, constants: bool = False) -> Any:
    """A JSON document as the service reads one: a ``ValueError`` for anything that is not
    JSON (``NaN`` and ``Infinity`` too, unless ``constants``), and a ``NestedTooDeeply``
    (never a ``RecursionError``) for one nested deeper than ``max_depth`` arrays and
    objects, or than the parser can go."""
    try:
        document = json.loads(data, parse_constant=None if constants else _not_json)
    except RecursionError:
        raise NestedTooDeeply("it is nested too deeply") from None
    if max_depth is not None and _deeper_than(document, max_depth):
        raise NestedTooDeeply(f"it is nested more than {max_depth} levels deep")
    return document


def _deeper_than(document: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than ``limit`` deep (a walk without recursion)."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if type(value) is dict:
            value = list(value.values())
        elif type(value) is not list:
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


def _not_json(constant: str) -> NoReturn:
    """``NaN`` and ``Infinity`` are Python's extensions, not JSON."""
    raise ValueError(f"{constant} is not a JSON value")


def _known(value: Any, shape: Any) -> Any:
    """``value`` with what ``shape`` does not define left out (values of the wrong type
    are kept as they are, for the validator to name)."""
    kind = shape.type_name
    if kind == "structure" and type(value) is dict:
        members = shape.members
        return {
            name: _known(item, members[name])
            for name, item in value.items()
            if item is not None and name in members
        }
    if kind == "list" and type(value) is list and shape.member.type_name in CONTAINER_TYPES:
        return [_known(item, shape.member) for item in value]
    if kind == "map" and type(value) is dict and shape.value.type_name in CONTAINER_TYPES:
        return {key: _known(item, shape.value) for key, item in value.items()}
    return value


def _scalar(member: _Member, text: str) -> Any:
    if member.type_name in ("integer", "long"):
        if not _INTEGER.fullmatch(text):
            _reject(member, text, "integer")
        return int(text)
    if member.type_name == "boolean":
        if text not in ("true", "false"):
            _reject(member, text, "boolean")
        return text == "true"
    return text


# An integer as Java parses one: ASCII digits, and not more than a long holds.
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)


def _reject(member: _Member, text: str, kind: str) -> NoReturn:
    sentence = error_sentence(text, camel(member.name), f"Member must be of type {kind}", False)
    raise BadRequestException(summary([sentence]))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    raise TypeError(f"Cannot serialize {type(value).__name__} to JSON")


dumps = json.JSONEncoder(separators=(",", ":"), default=_json_default).encode


class RawJSON(str):
    """JSON text that a result embeds as it is."""


class JsonCache:
    """The wire form of stored items (profiles), encoded on first use and kept until the
    item is replaced or removed: encoding twenty profiles costs more than the rest of a
    BatchGetProfile."""

    __slots__ = ("_encoded",)

    def __init__(self) -> None:
        self._encoded: dict[str, RawJSON] = {}

    def json(self, key: str, item: Mapping[str, Any]) -> RawJSON:
        text = self._encoded.get(key)
        if text is None:
            text = self._encoded[key] = RawJSON(dumps(item))
        return text

    def drop(self, key: str) -> None:
        self._encoded.pop(key, None)


def _member_json(value: Any) -> str:
    if type(value) is list and value and type(value[0]) is RawJSON:
        return "[" + ",".join(v if type(v) is RawJSON else dumps(v) for v in value) + "]"
    return value if type(value) is RawJSON else dumps(value)


def encode_body(result: dict[str, Any]) -> bytes:
    """The JSON body of an operation's result (``RawJSON`` members, and lists of them,
    are embedded verbatim)."""
    members = ",".join(f"{dumps(k)}:{_member_json(v)}" for k, v in result.items())
    return ("{" + members + "}").encode()


class _HttpDate:
    """The ``Date`` header, formatted once per second (formatdate is slow)."""

    second = -1
    text = ""

    @classmethod
    def now(cls) -> str:
        second = int(time.time())
        if second != cls.second:
            cls.text, cls.second = formatdate(second, usegmt=True), second
        return cls.text


def _headers(request_id: str, body: bytes) -> dict[str, str]:
    return {
        "Date": _HttpDate.now(),
        "Content-Type": JSON,
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": request_id,
    }


def serialize_response(operation: str, result: dict[str, Any], request_id: str) -> HttpResponse:
    io = _io(operation)
    status = io.status
    if io.status_member is not None and io.status_member in result:
        result = dict(result)
        status = int(result.pop(io.status_member))
    body = encode_body(result)
    return status, _headers(request_id, body), body


@functools.cache
def error_status(code: str) -> int:
    """The HTTP status the model gives error shape ``code``."""
    try:
        shape = _model.service_model().shape_for(code)
    except Exception:  # botocore raises NoShapeFoundError
        return 400
    return int(shape.metadata.get("error", {}).get("httpStatusCode", 400))


def serialize_error(
    code: str, message: str, request_id: str, status: int | None = None
) -> HttpResponse:
    body = json.dumps({"Message": message}, separators=(",", ":")).encode()
    headers = _headers(request_id, body)
    headers["x-amzn-ErrorType"] = code
    return (status if status is not None else error_status(code)), headers, body
