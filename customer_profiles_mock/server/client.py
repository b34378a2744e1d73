"""The Python client of a server anywhere.

``ServerClient`` drives a server through its ``/_cpm/``
control API with the handle's seeding, fault and call-log methods."""

from __future__ import annotations

import http.client
import json
import os
from collections.abc import Collection, Iterable, Mapping
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
from customer_profiles_mock.runtime import loopback as _loopback
from customer_profiles_mock.server.app import unstarted_handle
from customer_profiles_mock.wire.model import check_operation_name

DEFAULT_REGION = "us-east-1"
DEFAULT_HOST = "127.0.0.1"


class ServerFault:
    """A fault registered on a server, by its id: ``triggered`` and ``describe()`` ask the
    server; ``remove()`` withdraws it; as a context manager it lasts for the block."""

    def __init__(self, client: ServerClient, data: Mapping[str, Any]) -> None:
        self._client = client
        self.id: str = data["id"]
        self.kind: str = data["kind"]
        self.args: dict[str, Any] = dict(data["args"])
        self.times: int | None = data["times"]
        self.registered_at = f"the control API (fault {self.id})"  # for UnusedFaultsError

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


class ServerClient:
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
        headers = {"Content-Type": "application/json"} if body is not None else {}
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

    def _call(self, method: str, **args: Any) -> Any:
        return self._request("POST", f"handle/{method}", args)["result"]

    # -- seeding and inspection (the handle's methods; see CustomerProfilesMock) -------

    def seed(
        self,
        operation: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        out: dict[str, Any] = self._call(
            "seed", operation=operation, region=region, account_id=account_id, **params
        )
        return out

    def create_domain(
        self, name: str, *, region: str | None = None, account_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        out: dict[str, Any] = self._call(
            "create_domain", name=name, region=region, account_id=account_id, **fields
        )
        return out

    def create_profile(
        self,
        domain: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> str:
        return str(
            self._call(
                "create_profile", domain=domain, region=region, account_id=account_id, **fields
            )
        )

    def create_profiles(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        return list(
            self._call(
                "create_profiles",
                domain=domain,
                profiles=[dict(p) for p in profiles],
                region=region,
                account_id=account_id,
            )
        )

    def fake_profiles(
        self,
        domain: str,
        count: int,
        *,
        seed: int | None = None,
        locale: str = "en_US",
        business_ratio: float = 0.2,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        return list(
            self._call(
                "fake_profiles",
                domain=domain,
                count=count,
                seed=seed,
                locale=locale,
                business_ratio=business_ratio,
                region=region,
                account_id=account_id,
            )
        )

    def update_profile(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> None:
        self._call(
            "update_profile",
            domain=domain,
            profile_id=profile_id,
            region=region,
            account_id=account_id,
            **fields,
        )

    def add_profile_key(
        self,
        domain: str,
        profile_id: str,
        key: str,
        values: Iterable[str],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        self._call(
            "add_profile_key",
            domain=domain,
            profile_id=profile_id,
            key=key,
            values=list(values),
            region=region,
            account_id=account_id,
        )

    def put_object(
        self,
        domain: str,
        object_type: str,
        obj: Mapping[str, Any] | str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> str:
        return str(
            self._call(
                "put_object",
                domain=domain,
                object_type=object_type,
                obj=obj if isinstance(obj, str) else dict(obj),
                region=region,
                account_id=account_id,
            )
        )

    def put_object_type(
        self,
        domain: str,
        name: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        out: dict[str, Any] = self._call(
            "put_object_type",
            domain=domain,
            name=name,
            region=region,
            account_id=account_id,
            **fields,
        )
        return out

    def register_template(
        self,
        template_id: str,
        *,
        SourceName: str,
        SourceObject: str,
        Fields: dict[str, Any],
        Keys: dict[str, Any],
        AllowProfileCreation: bool = False,
        SourceLastUpdatedTimestampFormat: str | None = None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = self._call(
            "register_template",
            template_id=template_id,
            SourceName=SourceName,
            SourceObject=SourceObject,
            Fields=Fields,
            Keys=Keys,
            AllowProfileCreation=AllowProfileCreation,
            SourceLastUpdatedTimestampFormat=SourceLastUpdatedTimestampFormat,
        )
        return out

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

    def profiles(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        return list(self._call("profiles", domain=domain, region=region, account_id=account_id))

    def domains(self, *, region: str | None = None, account_id: str | None = None) -> list[str]:
        return list(self._call("domains", region=region, account_id=account_id))

    def objects(
        self,
        domain: str,
        profile_id: str | None = None,
        object_type: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        return list(
            self._call(
                "objects",
                domain=domain,
                profile_id=profile_id,
                object_type=object_type,
                region=region,
                account_id=account_id,
            )
        )

    def dead_letters(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, str]]:
        return list(self._call("dead_letters", domain=domain, region=region, account_id=account_id))

    def profile_keys(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, list[str]]:
        out: dict[str, list[str]] = self._call(
            "profile_keys",
            domain=domain,
            profile_id=profile_id,
            region=region,
            account_id=account_id,
        )
        return out

    def object_types(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[str]:
        return list(self._call("object_types", domain=domain, region=region, account_id=account_id))

    def tags(self, arn: str) -> dict[str, str]:
        out: dict[str, str] = self._call("tags", arn=arn)
        return out

    # -- faults (the handle's, without the Python-only ``when``) ----------------------

    def _fault(self, kind: str, **args: Any) -> ServerFault:
        data = self._request("POST", "faults", {"kind": kind, **args})
        return ServerFault(self, data)

    def throttle(
        self,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Answer with ``429 ThrottlingException`` (botocore retries it)."""
        return self._fault(
            "throttle",
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

    def deny(
        self,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Answer with ``403 AccessDeniedException`` (never retried)."""
        return self._fault(
            "deny",
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

    def inject_error(
        self,
        code: str,
        operation: str | None = None,
        *,
        times: int | None = None,
        message: str | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Answer with an error the operation can answer with, with the model's status."""
        return self._fault(
            "inject_error",
            code=code,
            operation=operation,
            times=times,
            message=message,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

    def delay(
        self,
        seconds: float,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Wait ``seconds`` (real time, in the server) before answering as usual."""
        return self._fault(
            "delay",
            seconds=seconds,
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

    def rate_limit(
        self,
        operation: str,
        *,
        per_second: float,
        burst: int | None = None,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Throttle attempts beyond ``per_second`` (token bucket, real time)."""
        return self._fault(
            "rate_limit",
            operation=operation,
            per_second=per_second,
            burst=burst,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

    def fail_profiles(
        self,
        domain: str,
        profile_ids: Collection[str],
        *,
        code: str = "500",
        message: str | None = None,
        times: int | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
    ) -> ServerFault:
        """Make these ids come back in BatchGetProfile's ``Errors`` while the rest succeed."""
        return self._fault(
            "fail_profiles",
            domain=domain,
            profile_ids=profile_ids if isinstance(profile_ids, str) else list(profile_ids),
            code=code,
            message=message,
            times=times,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
        )

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
        """Every HTTP attempt the server answered since its last reset, in order. A call's
        ``fault`` is a copy of the fault made here (its ``describe()`` and attributes as
        registered; ``fault_state`` is the server's)."""
        return [self._to_call(c) for c in self._request("GET", "calls")["calls"]]

    def calls_for(self, operation: str) -> list[Call]:
        """The recorded attempts of one operation."""
        check_operation_name(operation)
        return [c for c in self.calls if c.operation == operation]

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
