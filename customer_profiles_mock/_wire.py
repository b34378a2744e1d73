"""HTTP <-> API parameters for rest-json, driven by the botocore operation model.

Routing matches ``http.requestUri`` templates segment by segment, parsing reads each
input member from its modelled location (uri, querystring, header, body) and
serialization writes the output members back to theirs. Error responses carry the
status of the model's error shape, ``x-amzn-ErrorType`` and a ``{"Message": ...}`` body.
"""

from __future__ import annotations

import datetime
import functools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any, NoReturn
from urllib.parse import parse_qs, unquote

from . import _model
from ._validate import error_sentence, summary
from .exceptions import BadRequestException

JSON = "application/json"


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    param_name: str = ""
    operations: dict[str, str] = field(default_factory=dict)  # HTTP method -> operation


class Router:
    """Finds the operation and URI labels for a method and a raw (still %-encoded) path."""

    def __init__(self, operations: list[tuple[str, str, str]]) -> None:
        self._root = _Node()
        for name, method, uri in operations:
            node = self._root
            for segment in _segments(uri.split("?", 1)[0]):
                if segment.startswith("{") and segment.endswith("}"):
                    if node.param is None:
                        node.param = _Node(param_name=segment[1:-1].rstrip("+"))
                    node = node.param
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.operations[method] = name

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        segments = _segments(path)
        # A client's endpoint_url may carry a base path ("https://proxy/cp"): when the
        # whole path matches nothing, try it without its first segments.
        for start in range(max(len(segments), 1)):
            labels: dict[str, str] = {}
            node = _descend(self._root, segments, start, labels)
            if node is not None and method in node.operations:
                return node.operations[method], labels
        return None


def _segments(path: str) -> list[str]:
    # Empty segments are kept: an empty label must fail validation, not shift the path
    # onto another operation ("/domains//profiles" is not "/domains/profiles").
    return path.split("/")[1:] if path != "/" else []


def _descend(node: _Node, segments: list[str], i: int, labels: dict[str, str]) -> _Node | None:
    if i == len(segments):
        return node if node.operations else None
    segment = segments[i]
    child = node.literal.get(segment)
    if child is not None:
        found = _descend(child, segments, i + 1, labels)
        if found is not None:
            return found
    if node.param is not None:
        labels[node.param.param_name] = unquote(segment)
        found = _descend(node.param, segments, i + 1, labels)
        if found is not None:
            return found
        del labels[node.param.param_name]
    return None


@functools.cache
def router() -> Router:
    model = _model.service_model()
    ops = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        ops.append((name, http["method"], http["requestUri"]))
    return Router(ops)


@dataclass(frozen=True)
class _Member:
    name: str
    wire: str
    type_name: str


@dataclass(frozen=True)
class _OperationIO:
    uri: tuple[_Member, ...]
    query: tuple[_Member, ...]
    headers: tuple[_Member, ...]
    body: frozenset[str]
    status_member: str | None
    header_outputs: tuple[_Member, ...]
    status: int


@functools.cache
def _io(operation: str) -> _OperationIO:
    op = _model.operation_model(operation)
    by_location: dict[str, list[_Member]] = {"uri": [], "querystring": [], "header": []}
    body: set[str] = set()
    if op.input_shape is not None:
        for name, shape in op.input_shape.members.items():
            loc = shape.serialization.get("location")
            wire = shape.serialization.get("name", name)
            if loc in by_location:
                by_location[loc].append(_Member(name, wire, _list_or_type(shape)))
            elif loc is None:
                body.add(name)
    status_member = None
    header_outputs = []
    if op.output_shape is not None:
        for name, shape in op.output_shape.members.items():
            loc = shape.serialization.get("location")
            if loc == "statusCode":
                status_member = name
            elif loc == "header":
                wire = shape.serialization.get("name", name)
                header_outputs.append(_Member(name, wire, shape.type_name))
    return _OperationIO(
        uri=tuple(by_location["uri"]),
        query=tuple(by_location["querystring"]),
        headers=tuple(by_location["header"]),
        body=frozenset(body),
        status_member=status_member,
        header_outputs=tuple(header_outputs),
        status=int(op.http.get("responseCode", 200)),
    )


def _list_or_type(shape: Any) -> str:
    if shape.type_name == "list":
        return f"list:{shape.member.type_name}"
    return str(shape.type_name)


def parse_request(
    operation: str, labels: dict[str, str], query: str, headers: Mapping[str, Any], body: bytes
) -> dict[str, Any]:
    """The operation's input parameters, named as the model names them."""
    io = _io(operation)
    params: dict[str, Any] = {}
    if body and io.body:
        try:
            document = json.loads(body)
        except (ValueError, RecursionError) as exc:
            raise BadRequestException(f"Request body is not valid JSON: {exc}") from None
        if type(document) is not dict:
            raise BadRequestException("Request body must be a JSON object")
        for key, value in document.items():
            if key in io.body and value is not None:
                params[key] = value
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
    if io.headers:
        lowered = {
            k.lower(): v.decode("latin-1") if isinstance(v, bytes) else v
            for k, v in headers.items()
        }
        for member in io.headers:
            if member.wire.lower() in lowered:
                params[member.name] = _scalar(member, lowered[member.wire.lower()])
    return params


def _scalar(member: _Member, text: str) -> Any:
    if member.type_name in ("integer", "long"):
        try:
            return int(text)
        except ValueError:
            _reject(member, text, "integer")
    if member.type_name == "boolean":
        if text not in ("true", "false"):
            _reject(member, text, "boolean")
        return text == "true"
    return text


def _reject(member: _Member, text: str, kind: str) -> NoReturn:
    path = member.name[:1].lower() + member.name[1:]
    sentence = error_sentence(text, path, f"Member must be of type {kind}", False)
    raise BadRequestException(summary([sentence]))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    raise TypeError(f"Cannot serialize {type(value).__name__} to JSON")


dumps = json.JSONEncoder(separators=(",", ":"), default=_json_default).encode


class RawJSON(str):
    """JSON text that a result embeds as it is: a profile encoded once and reused, since
    encoding twenty profiles costs more than the rest of a BatchGetProfile."""


def _member_json(value: Any) -> str:
    if type(value) is list and value and type(value[0]) is RawJSON:
        return "[" + ",".join(v if type(v) is RawJSON else dumps(v) for v in value) + "]"
    return value if type(value) is RawJSON else dumps(value)


def encode_body(result: dict[str, Any]) -> bytes:
    """The JSON body of an operation's result (members of type ``RawJSON``, or lists of
    them, are embedded verbatim)."""
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


def base_headers(request_id: str, body: bytes) -> dict[str, str]:
    return {
        "Date": _HttpDate.now(),
        "Content-Type": JSON,
        "Content-Length": str(len(body)),
        "x-amzn-RequestId": request_id,
    }


def serialize_response(
    operation: str, result: dict[str, Any], request_id: str
) -> tuple[int, dict[str, str], bytes]:
    io = _io(operation)
    status = io.status
    if io.status_member is not None or io.header_outputs:
        result = dict(result)
        if io.status_member is not None and io.status_member in result:
            status = int(result.pop(io.status_member))
        extra = {m.wire: str(result.pop(m.name)) for m in io.header_outputs if m.name in result}
    else:
        extra = {}
    body = encode_body(result)
    headers = base_headers(request_id, body)
    headers.update(extra)
    return status, headers, body


@functools.cache
def error_status(code: str) -> int:
    """The HTTP status the model gives error shape ``code``."""
    try:
        shape = _model.service_model().shape_for(code)
    except Exception:  # noqa: BLE001 - botocore raises NoShapeFoundError
        return 400
    return int(shape.metadata.get("error", {}).get("httpStatusCode", 400))


def serialize_error(
    code: str, message: str, request_id: str, status: int | None = None
) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"Message": message}, separators=(",", ":")).encode()
    headers = base_headers(request_id, body)
    headers["x-amzn-ErrorType"] = code
    return (status if status is not None else error_status(code)), headers, body
