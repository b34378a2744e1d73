"""The Python client of a server anywhere.

``ServerClient`` drives a server through its ``/_cpm/``
control API with the handle's seeding, fault and call-log methods."""

from __future__ import annotations

import datetime
import http.client
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from customer_profiles_mock import exceptions
from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.exceptions import (
    CustomerProfilesMockError,
    InvalidArgumentError,
    MockStateError,
)
from customer_profiles_mock.faults import Fault
from customer_profiles_mock.handle.api import HandleAPI
from customer_profiles_mock.handle.faulting import registration_site
from customer_profiles_mock.handle.mock import DEFAULT_REGION
from customer_profiles_mock.handle.seeding import as_api
from customer_profiles_mock.runtime import loopback as _loopback
from customer_profiles_mock.server.app import unstarted_handle

DEFAULT_HOST = "127.0.0.1"
# The seeding methods that answer as an operation answers (``seed`` as the one it runs).
_ANSWERED_AS = {
    "create_domain": "CreateDomain",
    "put_object_type": "PutProfileObjectType",
    "set_event_stream_state": "GetEventStream",
    "run_identity_resolution_job": "GetIdentityResolutionJob",
    "seed_matches": "GetIdentityResolutionJob",
}


class ServerFault:
    """A fault registered on a server, by its id: ``triggered`` and ``describe()`` ask the
    server; ``remove()`` withdraws it; as a context manager it lasts for the block."""

    def __init__(self, client: ServerClient, data: Mapping[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.kind: str = data["kind"]
        self.args: dict[str, Any] = dict(data["args"])
        self.times: int | None = data["times"]

    @property
    def registered_at(self) -> str:
        """``file:line`` of the code that registered it through this client, else the
        control API and its id (for UnusedFaultsError)."""
        return self._client._sites.get(self.id, f"the control API (fault {self.id})")

    def _now(self) -> dict[str, Any]:
        out: dict[str, Any] = self._client._request("GET", f"faults/{quote(self.id)}")
        return out

    @property
    def triggered(self) -> int:
        """How many attempts it answered or changed so far."""
        return int(self._now()["triggered"])

    @property
    def removed(self) -> bool:
        return bool(self._now()["removed"])

    def describe(self) -> str:
        return str(self._now()["description"])

    def remove(self) -> None:
        """Withdraw the fault; removing it twice, or after a reset, is harmless."""
        self._client._request("DELETE", f"faults/{quote(self.id)}", missing_ok=True)

    def __enter__(self) -> ServerFault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<ServerFault {self.id} {self.kind} {self.args!r}>"


class ServerClient(HandleAPI[ServerFault, ServerFault, ServerFault, ServerFault, ServerFault]):
    """Drives a customer-profiles-mock server through its control API, with the handle's
    own methods. Every call is one HTTP request (stdlib ``http.client``, no proxy)."""

    def __init__(self, endpoint_url: str, *, timeout: float = 60.0) -> None:
        url = urlsplit(endpoint_url)
        if url.scheme != "http" or not url.hostname:
            raise InvalidArgumentError(
                f"endpoint_url must be the server's URL, such as 'http://127.0.0.1:41231' "
                f"(the first line `customer-profiles-mock serve` prints), got {endpoint_url!r}"
            )
        self._connect(endpoint_url.rstrip("/"), timeout)
        if url.port is not None:
            # botocore requests to this endpoint are the server's even while a handle is
            # active in this process: it is known to be a server from here on.
            _loopback.add(_loopback.names_for(url.hostname, url.port))

    def _connect(self, endpoint_url: str | None, timeout: float) -> None:
        self._endpoint_url: str | None = endpoint_url
        self.timeout = timeout
        self._faults_seen: dict[str, Fault] = {}
        self._sites: dict[str, str] = {}  # file:line each fault was registered at, by id

    @property
    def endpoint_url(self) -> str:
        """The URL to give clients: ``endpoint_url=`` (boto3), ``--endpoint-url`` (AWS CLI)."""
        if self._endpoint_url is None:
            raise MockStateError("customer_profiles_mock: the server is not started")
        return self._endpoint_url

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._endpoint_url or '(not started)'}>"

    # -- transport ------------------------------------------------------------------

    def _request(
        self, method: str, route: str, payload: object = None, *, missing_ok: bool = False
    ) -> Any:
        url = urlsplit(self.endpoint_url)
        connection = http.client.HTTPConnection(url.netloc, timeout=self.timeout)
        body = None if payload is None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"} if method != "GET" else {}
        try:
            connection.request(method, f"{url.path}/_cpm/{route}", body, headers)
            response = connection.getresponse()
            data = response.read()
        except OSError as exc:
            raise MockStateError(
                f"No customer-profiles-mock server answers at {self.endpoint_url} ({exc}). "
                "Is `customer-profiles-mock serve` running there? (moto-server has no "
                "control API.)"
            ) from exc
        finally:
            connection.close()
        try:
            decoded = json.loads(data) if data else {}
        except ValueError:
            decoded = {"Message": data[:500].decode("utf-8", "replace")}
        if response.status == 404 and missing_ok:
            return {}
        if response.status >= 400:
            raise _error(response.status, decoded)
        return decoded

    # -- state ----------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "region": ..., "account_id": ...}``."""
        out: dict[str, Any] = self._request("GET", "health")
        return out

    def reset(self) -> None:
        """Back to the state the server started with (its ``--data``), with no faults and
        an empty call log."""
        self._request("POST", "reset")
        self._sites.clear()

    def _call(self, method: str, **args: Any) -> Any:
        return self._request("POST", f"handle/{method}", args)["result"]

    # -- the handle's methods (handle.api), over the control API -----------------------

    def _invoke(self, method: str, /, **arguments: Any) -> Any:
        result = self._call(method, **{name: _as_json(value) for name, value in arguments.items()})
        # What the handle answers as an operation does, with timestamps as datetimes.
        operation = _ANSWERED_AS.get(method) or (
            arguments["operation"] if method == "seed" else None
        )
        return as_api(operation, result) if operation and isinstance(result, dict) else result

    def _add_fault(self, kind: str, /, **arguments: Any) -> Any:
        if arguments.pop("when", None) is not None:
            raise exceptions.InvalidArgumentError(
                f"{kind}(): 'when' is a Python predicate and cannot be sent to a server; "
                "scope the fault with domain, region, account_id, probability, seed or after"
            )
        site = registration_site()
        data = self._request("POST", "faults", {"kind": kind, **arguments})
        self._sites[data["id"]] = site
        return ServerFault(self, data)

    # -- seeding and inspection (the handle's methods; see CustomerProfilesMock) -------

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, list[str]]:
        """Seed from a mapping or a JSON file (read here, sent to the server); returns the
        ProfileIds created, by domain name."""
        if not isinstance(source, Mapping):
            path = Path(source)
            try:
                source = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise exceptions.InvalidArgumentError(
                    f"load(): cannot read seed file {str(path)!r}: {exc}"
                ) from None
        out: dict[str, list[str]] = self._request("POST", "seed", source)["result"]
        return out

    def answer(
        self,
        operation: str,
        response: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]],
        *,
        override: bool = False,
    ) -> None:
        """Answer ``operation`` on the server with this response (a dict: a function
        cannot be sent; datetimes are sent as epoch seconds)."""
        if callable(response):
            raise exceptions.InvalidArgumentError(
                f"answer({operation!r}): a function cannot be sent to a server; give the "
                "response itself (a dict), or answer in-process with the handle"
            )
        self._invoke("answer", operation=operation, response=response, override=override)

    # -- faults (the handle's, without the Python-only ``when``) ----------------------

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._request("DELETE", "faults")

    @property
    def faults(self) -> list[ServerFault]:
        """The faults in force, in registration order."""
        return [ServerFault(self, f) for f in self._request("GET", "faults")["faults"]]

    # -- the call log -------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt the server answered since its last reset and still keeps
        (its newest ``call_log_size``), in order, read a page at a time. A call's
        ``fault`` is a copy of the fault made here (its ``describe()`` and attributes as
        registered; ``fault_state`` is the server's)."""
        calls: list[Call] = []
        route = "calls"
        while True:
            page = self._request("GET", route)
            calls += [self._to_call(c) for c in page["calls"]]
            if page["next_token"] is None:
                return calls
            route = f"calls?next_token={quote(page['next_token'])}"

    @property
    def dropped_calls(self) -> int:
        """How many of the oldest calls the server's log dropped to keep its size."""
        return int(self._request("GET", "calls?limit=1")["dropped"])

    def _to_call(self, data: Mapping[str, Any]) -> Call:
        spec = data["fault"]
        fault = None
        if spec is not None:
            fault = self._faults_seen.get(spec["id"])
            if fault is None:
                scratch = unstarted_handle(DEFAULT_REGION, None)
                fault = self._faults_seen[spec["id"]] = getattr(scratch, spec["kind"])(
                    **spec["args"]
                )
        return Call(
            operation=data["operation"],
            params=data["params"],
            region=data["region"],
            account_id=data["account_id"],
            status=data["status"],
            error_code=data["error_code"],
            attempt=data["attempt"],
            fault=fault,
            request_id=data["request_id"],
            delay=data["delay"],
            fault_triggered=data["fault_triggered"],
        )


# The errors a control API mistake raises, by the type the server names.
_ERRORS: dict[str, type[CustomerProfilesMockError]] = {
    "InvalidArgumentError": exceptions.InvalidArgumentError,
    "InvalidTypeError": exceptions.InvalidTypeError,
    "MockStateError": exceptions.MockStateError,
    "TypeError": exceptions.InvalidTypeError,
    "ValueError": exceptions.InvalidArgumentError,
}


def _error(status: int, data: Mapping[str, Any]) -> Exception:
    """The exception the handle would have raised: the same class, the same message."""
    kind = str(data.get("Type") or "")
    message = str(data.get("Message") or data)
    cls = _ERRORS.get(kind)
    if cls is not None:
        return cls(message)
    return CustomerProfilesMockError(
        f"customer-profiles-mock server answered {status} {kind}: {message}"
    )


def _as_json(value: Any) -> Any:
    """An argument as JSON can carry it: mappings as dicts, other iterables (a generator
    of profiles, a tuple of ids) as lists, datetimes as the wire sends timestamps (epoch
    seconds), text and scalars as they are."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, Mapping):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return [_as_json(item) for item in value]
    return value
