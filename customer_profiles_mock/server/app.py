"""The server's application: a WSGI app serving the AWS routes and the ``/_cpm/`` control API.

It imports no HTTP server (waitress serves it, in ``serving.py``; any WSGI server could).
State is held the way a handle holds it: a ``CustomerProfilesMock`` that is never
started (so botocore is never patched here) owns the ``State``, its ``Seeder`` and its
``FaultRegistrar``, and the control API calls that handle's own methods, so a mistake
gets the message the Python API gives.
"""

from __future__ import annotations

import datetime
import http.client
import inspect
import itertools
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, quote

from customer_profiles_mock import forksafe
from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE, Call
from customer_profiles_mock.exceptions import (
    CustomerProfilesMockError,
    InvalidArgumentError,
    InvalidTypeError,
    UnsupportedOperationError,
    kind_of,
)
from customer_profiles_mock.faults import Fault
from customer_profiles_mock.handle.mock import CustomerProfilesMock
from customer_profiles_mock.runtime.registry import Activation
from customer_profiles_mock.server.guard import Guard, content_type_refusal
from customer_profiles_mock.service import Service, new_request_id, unsupported_response, wait_out
from customer_profiles_mock.store.store import Snapshot
from customer_profiles_mock.wire.codec import NestedTooDeeply, load_json, serialize_error
from customer_profiles_mock.wire.http import JSON, HttpRequest, HttpResponse
from customer_profiles_mock.wire.model import did_you_mean

# Bigger than any modelled request (PutProfileObject's Object is at most 256,000
# characters; a 100-item batch is a few KB): a body over it is a 413, never read.
MAX_BODY_BYTES = 10 * 1024 * 1024
_READ_SIZE = 64 * 1024
# How deep a control body's arrays and objects may nest: far more than any seed, fault or
# object needs, and well inside what the parser and the handle's checks can walk.
MAX_JSON_DEPTH = 100
CONTROL_PREFIX = "/_cpm/"
# The handle's fault methods, each taking the same arguments as JSON keys (but the
# Python-only ``when`` predicate).
FAULT_KINDS = (
    "throttle",
    "deny",
    "inject_error",
    "delay",
    "rate_limit",
    "fail_profiles",
    "fail_items",
    "lag",
)
# The handle's seeding and inspection methods the control API calls by name.
HANDLE_METHODS = (
    "seed",
    "create_domain",
    "create_profile",
    "create_profiles",
    "fake_profiles",
    "update_profile",
    "add_profile_key",
    "put_object",
    "put_object_type",
    "register_template",
    "set_event_stream_state",
    "seed_segment_members",
    "run_segment_subscriptions",
    "set_performed_by",
    "stream_records",
    "upload_job_file",
    "seed_recommendations",
    "settle",
    "run_identity_resolution_job",
    "seed_matches",
    "answer",
    "load",
    "profiles",
    "domains",
    "objects",
    "dead_letters",
    "trigger_events",
    "profile_keys",
    "object_types",
    "tags",
)
_PYTHON_ONLY = frozenset({"self", "when"})
# GET /_cpm/calls answers this many calls a page unless asked for fewer or more (at most
# MAX_CALLS_PAGE); the answer's next_token asks for the next page.
CALLS_PAGE = 1_000
MAX_CALLS_PAGE = 10_000


def unstarted_handle(
    region: str | None,
    account_id: str | None,
    call_log_size: int | None = DEFAULT_CALL_LOG_SIZE,
) -> CustomerProfilesMock:
    """A handle that is never started, holding a state of its own: its seeding, fault and
    call-log methods work on that state, and no botocore request is ever served by it."""
    handle = CustomerProfilesMock(
        region=region,
        account_id=account_id,
        assert_all_faults_triggered=False,
        skip_retry_backoff=False,
        call_log_size=call_log_size,
    )
    handle._activation = Activation(handle.settings)
    return handle


def bind_json(method: str, args: Mapping[str, Any], what: str) -> dict[str, Any]:
    """``args`` checked against the handle method's signature (``when`` excepted): an
    unknown key or a missing one is an ``InvalidArgumentError`` that says which."""
    if not all(isinstance(key, str) for key in args):
        raise InvalidTypeError(f"{what} takes an object with text keys, got {args!r}")
    params = inspect.signature(getattr(CustomerProfilesMock, method)).parameters
    names = [name for name in params if name not in _PYTHON_ONLY]
    names = [n for n in names if params[n].kind is not inspect.Parameter.VAR_KEYWORD]
    takes_fields = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    if "when" in args:
        raise InvalidArgumentError(
            f"{what}: 'when' is a Python predicate and cannot be sent as JSON; scope the "
            "fault with domain, region, account_id, probability, seed or after instead"
        )
    if not takes_fields:
        for key in args:
            if key not in names:
                raise InvalidArgumentError(
                    f"{what} got an unknown key {key!r}.{did_you_mean(key, names)} "
                    f"Keys: {', '.join(names)}."
                )
    for name in names:
        if params[name].default is inspect.Parameter.empty and name not in args:
            raise InvalidArgumentError(f"{what} needs {name!r}. Keys: {', '.join(names)}.")
    return dict(args)


# A fault registered through the control API: the fault, its kind and its JSON arguments.
_Entry = tuple[Fault, str, dict[str, Any]]


class Backend:
    """The server's state: an unstarted handle and the ``Service`` answering from its
    state, the faults registered through the control API by id, and what a reset
    returns to (the state the server was started with)."""

    def __init__(
        self,
        region: str | None,
        account_id: str | None = None,
        call_log_size: int | None = DEFAULT_CALL_LOG_SIZE,
    ) -> None:
        self.handle = unstarted_handle(region, account_id, call_log_size)
        self.region = self.handle.region
        self.account_id = self.handle.account_id
        self._lock = forksafe.lock()
        self._ids = itertools.count(1)
        self._faults: dict[str, _Entry] = {}
        self._initial: Snapshot | None = None
        self.service = Service(self._state(), self.account_id, self.region)

    def _state(self) -> Any:
        return self.handle._state()

    def keep_as_initial(self) -> None:
        """Make the state now the one ``reset()`` returns to (after ``--data``)."""
        self._initial = self.handle.snapshot()

    def reset(self) -> None:
        """The state the server started with, no faults and an empty call log."""
        with self._lock:
            activation = Activation(self.handle.settings)
            if self._initial is not None:
                activation.state.store.restore(self._initial)
            self.handle._activation = activation
            self.handle._faults.registered = []
            self._faults.clear()
            self.service = Service(activation.state, self.account_id, self.region)

    # -- faults -----------------------------------------------------------------

    def add_fault(self, spec: object) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise InvalidTypeError(
                f'A fault is a JSON object such as {{"kind": "throttle", "operation": '
                f'"BatchGetProfile", "times": 2}}, got {kind_of(spec, json=True)}'
            )
        kind = spec.get("kind")
        if kind is None:
            raise InvalidArgumentError(
                f"A fault needs 'kind', one of: {', '.join(FAULT_KINDS)}; got "
                f"{'null' if 'kind' in spec else 'an object without it'}"
            )
        if kind not in FAULT_KINDS:
            raise InvalidArgumentError(
                f"Unknown fault kind {kind!r}.{did_you_mean(kind, FAULT_KINDS)} "
                f"Kinds: {', '.join(FAULT_KINDS)}."
            )
        article = "An" if kind[0] in "aeiou" else "A"
        args = bind_json(
            kind, {k: v for k, v in spec.items() if k != "kind"}, f"{article} {kind} fault"
        )
        with self._lock:  # a reset cannot come between registering and listing it
            fault: Fault = getattr(self.handle, kind)(**args)
            fault_id = f"f{next(self._ids)}"
            fault.registered_at = f"the control API (fault {fault_id})"
            self._faults[fault_id] = entry = (fault, kind, args)
        return _fault_json(fault_id, entry)

    def _by_fault(self) -> dict[int, tuple[str, _Entry]]:
        """Each fault's id and entry by the identity of the fault: a copy taken under the
        lock, as requests add faults and resets drop them meanwhile."""
        with self._lock:
            return {id(entry[0]): (fault_id, entry) for fault_id, entry in self._faults.items()}

    def _entry(self, fault_id: str) -> _Entry:
        with self._lock:
            entry = self._faults.get(fault_id)
        if entry is None:
            raise _NotFound(
                f"No fault {fault_id!r}: it was never registered, or a reset dropped it"
            )
        return entry

    def fault(self, fault_id: str) -> dict[str, Any]:
        return _fault_json(fault_id, self._entry(fault_id))

    def faults(self) -> list[dict[str, Any]]:
        """The faults in force, in registration order."""
        by_fault = self._by_fault()
        return [_fault_json(*by_fault[id(f)]) for f in self.handle.faults if id(f) in by_fault]

    def remove_fault(self, fault_id: str) -> None:
        self._entry(fault_id)[0].remove()  # a 404 for an unknown id

    # -- the call log -------------------------------------------------------------

    def calls(self, query: str) -> dict[str, Any]:
        """A page of the call log: ``?limit=`` calls (CALLS_PAGE unless given) from
        ``?next_token=`` (the start unless given), the token of the next page (None at the
        end), and how many of the oldest calls the log dropped."""
        params = parse_qs(query, keep_blank_values=True)
        for name in params:
            if name not in ("limit", "next_token"):
                raise InvalidArgumentError(
                    f"GET {CONTROL_PREFIX}calls got an unknown query parameter {name!r}."
                    f"{did_you_mean(name, ('limit', 'next_token'))} Parameters: limit, "
                    "next_token."
                )
        limit = _query_number(
            params, "limit", CALLS_PAGE, f"a whole number of calls from 1 to {MAX_CALLS_PAGE:,}"
        )
        start = _query_number(params, "next_token", 0, "the next_token of a page")
        log = self.handle._state().calls
        calls, more, dropped = log.page(start, limit)
        by_fault = self._by_fault()
        return {
            "calls": [self._call_json(call, by_fault) for call in calls],
            "next_token": None if more is None else str(more),
            "dropped": dropped,
        }

    def _call_json(self, call: Call, by_fault: Mapping[int, tuple[str, _Entry]]) -> dict[str, Any]:
        fault = None
        if call.fault is not None and id(call.fault) in by_fault:
            fault_id, (_, kind, args) = by_fault[id(call.fault)]
            fault = {"id": fault_id, "kind": kind, "args": args}
        return {
            "operation": call.operation,
            "params": call.params,
            "region": call.region,
            "account_id": call.account_id,
            "status": call.status,
            "error_code": call.error_code,
            "attempt": call.attempt,
            "fault": fault,
            "fault_triggered": call.fault_triggered,
            "fault_state": call.fault_state,
            "request_id": call.request_id,
            "delay": call.delay,
        }

    # -- seeding and inspection ---------------------------------------------------

    def call_handle(self, method: str, args: object) -> Any:
        if method not in HANDLE_METHODS:
            raise _NotFound(
                f"No handle method {method!r}.{did_you_mean(method, HANDLE_METHODS)} "
                f"Methods: {', '.join(HANDLE_METHODS)}."
            )
        if not isinstance(args, dict):
            raise InvalidTypeError(
                f"{method}() takes a JSON object of its arguments, got {kind_of(args, json=True)}"
            )
        bound = bind_json(method, args, f"{method}()")
        if method == "load":
            inline_seed(bound["source"], 'load()\'s "source"')
        return getattr(self.handle, method)(**bound)


def inline_seed(source: object, what: str) -> Mapping[str, Any]:
    """``source`` if it is a seed sent inline: the control API never reads a file on the
    server (a path is for ``serve --data``, read once by the process that starts it)."""
    if isinstance(source, dict):
        return source
    raise InvalidArgumentError(
        f'{what} must be the seed itself, a JSON object such as {{"domains": [...]}}, '
        f"not {kind_of(source, json=True)}: the control API reads no files on the server. "
        "Send the file's contents (ServerClient.load(path) reads it where it runs and sends them), "
        "or give the path to `customer-profiles-mock serve --data` when the server starts."
    )


def _fault_json(fault_id: str, entry: _Entry) -> dict[str, Any]:
    fault, kind, args = entry
    return {
        "id": fault_id,
        "kind": kind,
        "args": args,
        "description": fault.describe(),
        "times": fault.times,
        "triggered": fault.triggered,
        "removed": fault.removed,
    }


class _NotFound(CustomerProfilesMockError, LookupError):
    """A control route, fault or method that does not exist (a 404)."""


class App:
    """The WSGI application: ``/_cpm/...`` is the control API, every other path goes
    through the service pipeline. Every answer is JSON, an unexpected error included."""

    def __init__(self, backend: Backend, *, allowed_hosts: Iterable[str] = ()) -> None:
        self.backend = backend
        self.guard = Guard(allowed_hosts)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
    ) -> Iterable[bytes]:
        try:
            status, headers, body = self.respond(environ)
        except Exception as exc:  # never the server's own error page
            message = f"customer-profiles-mock: unexpected {type(exc).__name__}: {exc}"
            status, headers, body = serialize_error(
                "InternalServerException", message, new_request_id(), 500
            )
        reason = http.client.responses.get(status, "")
        start_response(f"{status} {reason}", list(headers.items()))
        return [body]

    def respond(self, environ: Mapping[str, Any]) -> HttpResponse:
        method = environ["REQUEST_METHOD"]
        path, query = _target(environ)
        control = path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/")
        refused = self._refusal(environ, control)
        if refused is not None:
            return refused
        body = _read_body(environ)
        if isinstance(body, tuple):
            return body
        if control:
            if method != "GET":  # a change: JSON, which a page cannot send without preflight
                refusal = content_type_refusal(environ.get("CONTENT_TYPE"), method, path)
                if refusal is not None:
                    return _control_json_error(415, "UnsupportedMediaType", refusal)
            return self._control(method, path[len(CONTROL_PREFIX) :], query, body)
        request = HttpRequest(method, path, query, _headers(environ), body)
        try:
            response, delays = self.backend.service.respond(request)
        except UnsupportedOperationError as exc:
            return unsupported_response(exc)
        wait_out(delays)
        return response

    def _refusal(self, environ: Mapping[str, Any], control: bool) -> HttpResponse | None:
        """The answer to a request a web page may have sent (``guard.py``), or None."""
        refusal = self.guard.host_refusal(environ.get("HTTP_HOST"))
        if refusal is not None:
            if control:
                return _control_json_error(400, "InvalidHost", refusal)
            return serialize_error("BadRequestException", refusal, new_request_id(), 400)
        refusal = self.guard.origin_refusal(environ.get("HTTP_ORIGIN"))
        if refusal is not None:
            if control:
                return _control_json_error(403, "ForbiddenOrigin", refusal)
            return serialize_error("AccessDeniedException", refusal, new_request_id(), 403)
        return None

    def _control(self, method: str, route: str, query: str, body: bytes) -> HttpResponse:
        try:
            result = self._route(method, route.rstrip("/"), query, body)
        except _NotFound as exc:
            return _control_error(404, exc)
        except (CustomerProfilesMockError, TypeError, ValueError) as exc:
            return _control_error(400, exc)
        except RecursionError:  # a body within MAX_JSON_DEPTH that a check still recursed on
            return _control_error(400, InvalidArgumentError(_TOO_DEEP))
        try:
            return _json_response(200, result)
        except RecursionError:
            return _control_error(400, InvalidArgumentError(_TOO_DEEP))

    def _route(self, method: str, route: str, query: str, body: bytes) -> Any:
        backend = self.backend
        parts = route.split("/")
        if (method, route) == ("GET", "health"):
            return {
                "status": "ok",
                "region": backend.region,
                "account_id": backend.account_id,
            }
        if (method, route) == ("POST", "reset"):
            backend.reset()
            return {}
        if (method, route) == ("POST", "seed"):
            seed = inline_seed(_json_body(body, "The seed"), "The seed")
            return {"result": backend.handle.load(seed)}
        if method == "POST" and len(parts) == 2 and parts[0] == "handle":
            return {"result": backend.call_handle(parts[1], _json_body(body, parts[1] + "()"))}
        if (method, route) == ("POST", "faults"):
            return backend.add_fault(_json_body(body, "A fault"))
        if (method, route) == ("GET", "faults"):
            return {"faults": backend.faults()}
        if (method, route) == ("DELETE", "faults"):
            backend.handle.clear_faults()
            return {}
        if len(parts) == 2 and parts[0] == "faults" and method in ("GET", "DELETE"):
            if method == "DELETE":
                backend.remove_fault(parts[1])
                return {}
            return backend.fault(parts[1])
        if (method, route) == ("GET", "calls"):
            return backend.calls(query)
        raise _NotFound(
            f"No control route {method} {CONTROL_PREFIX}{route}. Routes: GET health, "
            "POST reset, POST seed, POST handle/<method>, POST faults, GET faults, "
            "GET faults/<id>, DELETE faults/<id>, DELETE faults, GET calls."
        )


def _query_number(params: Mapping[str, list[str]], name: str, default: int, what: str) -> int:
    """A query parameter that is a whole number (``limit``, ``next_token``): a limit from
    1 to MAX_CALLS_PAGE, a token any position."""
    values = params.get(name)
    if values is None:
        return default
    value = values[-1]
    if value.isascii() and value.isdigit() and len(value) <= 18:
        number = int(value)
        if name != "limit" or 1 <= number <= MAX_CALLS_PAGE:
            return number
    raise InvalidArgumentError(f"{name} must be {what}, got {value[:40]!r}")


def _target(environ: Mapping[str, Any]) -> tuple[str, str]:
    """The raw (still %-encoded) path and the query string."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw.startswith("/"):
        path = raw.split("?", 1)[0]
    else:
        path = quote(environ.get("PATH_INFO", "").encode("latin-1"), safe="/:@!$&'()*+,;=~")
    return path, environ.get("QUERY_STRING", "")


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").title(): value
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").title()] = environ[key]
    return headers


def _read_body(environ: Mapping[str, Any]) -> bytes | HttpResponse:
    """The body, or the 400/413 answer to one that cannot be read or is too big."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH") or ""
    if length:
        if not length.isdigit():
            message = f"Content-Length must be a number of bytes, got {length[:40]!r}"
            return serialize_error("BadRequestException", message, new_request_id(), 400)
        if int(length) > MAX_BODY_BYTES:
            return _too_large(int(length))
        return _read_at_most(stream, int(length))
    if environ.get("wsgi.input_terminated"):  # chunked: read at most one byte too many
        body = _read_at_most(stream, MAX_BODY_BYTES + 1)
        return _too_large(len(body)) if len(body) > MAX_BODY_BYTES else body
    return b""


def _read_at_most(stream: Any, limit: int) -> bytes:
    """Up to ``limit`` bytes of ``stream``, in reads of 64 KiB, never one read of the
    whole limit: the App may run under any WSGI server, whose stream may be a socket."""
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = stream.read(min(_READ_SIZE, limit - size))
        if not chunk:
            break
        chunks.append(bytes(chunk))
        size += len(chunk)
    return b"".join(chunks)


def too_large_message(size: int) -> str:
    return (
        f"The request body ({size:,} bytes or more) is over the server's limit of "
        f"{MAX_BODY_BYTES:,} bytes"
    )


def _too_large(size: int) -> HttpResponse:
    status, headers, body = serialize_error(
        "RequestEntityTooLargeException", too_large_message(size), new_request_id(), 413
    )
    headers["Connection"] = "close"  # the unread body must not be taken for a request
    return status, headers, body


_TOO_DEEP = (
    "The request is nested too deeply for the control API to handle: send JSON at most "
    f"{MAX_JSON_DEPTH} arrays and objects deep"
)


def _json_body(body: bytes, what: str) -> Any:
    if not body.strip():
        raise InvalidArgumentError(f"{what} is missing: send a JSON object as the body")
    try:
        # NaN and Infinity are let in as Python's json lets them in (the handle refuses
        # what it cannot use); answers never carry them (_json_response).
        return load_json(body, max_depth=MAX_JSON_DEPTH, constants=True)
    except NestedTooDeeply:
        raise InvalidArgumentError(
            f"{what} is nested too deeply: the control API takes JSON at most "
            f"{MAX_JSON_DEPTH} arrays and objects deep"
        ) from None
    except ValueError as exc:
        raise InvalidArgumentError(f"{what} is not valid JSON: {exc}") from None


def _json_default(value: Any) -> Any:
    """What JSON cannot carry, as JSON: never raises."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()  # as the wire sends timestamps: epoch seconds
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    try:
        return str(value)
    except Exception:  # a __str__ that raises
        return f"<{type(value).__name__}>"


def _plain(value: Any, path: frozenset[int] = frozenset()) -> Any:
    """``value`` with nothing strict JSON refuses: keys as text, NaN and the infinities
    as the text Python writes for them, a container inside itself as ``"<cycle>"``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else json.dumps(value)
    if value is None or isinstance(value, str | int):
        return value
    if id(value) in path:
        return "<cycle>"
    inner = path | {id(value)}
    if isinstance(value, Mapping):
        return {
            k if isinstance(k, str) else str(_plain(k, inner)): _plain(v, inner)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item, inner) for item in value]
    return _plain(_json_default(value), inner)


def _json_response(status: int, result: Any) -> HttpResponse:
    try:
        text = json.dumps(result, default=_json_default, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):  # a key JSON has no form for, NaN, a cycle
        text = json.dumps(_plain(result), separators=(",", ":"))
    body = text.encode()
    headers = {"Content-Type": JSON, "Content-Length": str(len(body))}
    return status, headers, body


def _control_error(status: int, exc: Exception) -> HttpResponse:
    kind = "NotFound" if isinstance(exc, _NotFound) else type(exc).__name__
    return _control_json_error(status, kind, str(exc))


def _control_json_error(status: int, kind: str, message: str) -> HttpResponse:
    body = json.dumps({"Type": kind, "Message": message}).encode()
    headers = {
        "Content-Type": JSON,
        "Content-Length": str(len(body)),
        "x-amzn-ErrorType": kind,
    }
    return status, headers, body
