"""Every touch of botocore.

The handlers that answer customer-profiles requests in-process,
and the patches that are in place while a mock is active.

``before-send`` answers the HTTP request after botocore has serialized, signed and (on a
retry) backed off, so retries, parsing and error classes all run as they do against AWS.
The handlers are registered on a client's event emitter by the patched
``Endpoint.make_request`` at its first customer-profiles request while a mock is active,
so every client is served, whenever it or its session was made. The other patches skip
the retry back-off of served requests (marked in the ``served`` context variable, which
keeps threads and asyncio tasks apart), keep credential look-ups off the network, and
give a client with no region the mock's.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Generator
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import botocore.configloader
import botocore.endpoint
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.credentials import CredentialResolver, Credentials
from botocore.exceptions import BotoCoreError, CapacityNotAvailableError
from botocore.retries.bucket import TokenBucket

from customer_profiles_mock.core.hooks import hooks
from customer_profiles_mock.faults import DelayFault
from customer_profiles_mock.runtime import loopback as _loopback
from customer_profiles_mock.runtime.patching import Patches
from customer_profiles_mock.runtime.registry import runtime
from customer_profiles_mock.service import wait_out
from customer_profiles_mock.wire.http import HttpRequest
from customer_profiles_mock.wire.model import SERVICE_NAME

FAKE_CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
# Credential providers that read only the environment and local files: while a mock is
# active no other is asked (instance metadata, containers, SSO and STS are the network).
OFFLINE_PROVIDERS = frozenset({"env", "shared-credentials-file", "config-file", "boto-config"})
_SERVED = "_customer_profiles_mock_served"
_REGISTERED = "_customer_profiles_mock_handlers"

# Whether the request being made in this thread or task is answered by a mock whose
# back-off is skipped. Set by the before-send handler, reset when the request ends.
served: ContextVar[bool] = ContextVar("customer_profiles_mock_served", default=False)


class _Content(bytes):
    """A response body that is also awaitable, for aiobotocore's ``await response.content``."""

    def __await__(self) -> Generator[Any, None, bytes]:
        return bytes(self)
        yield  # a generator, so that awaiting it returns at once


class MockResponse(AWSResponse):  # type: ignore[misc]  # botocore is untyped
    """The mock's answer; serves botocore (``.content``) and aiobotocore
    (``await .content``) alike."""

    def __init__(self, url: str, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__(url, status, headers, _RawBody(body))
        self._body = _Content(body)

    @property
    def content(self) -> _Content:
        return self._body


class _RawBody:
    """The ``raw`` object botocore reads a response body from."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Any:
        yield self._body

    def read(self, *args: Any) -> bytes:
        return self._body


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytearray):
        return bytes(body)
    if isinstance(body, io.IOBase) or hasattr(body, "read"):
        position = body.tell()
        data = body.read()
        body.seek(position)
        return data if isinstance(data, bytes) else str(data).encode()
    return bytes(body)


def answer(request: Any) -> tuple[MockResponse, list[DelayFault]] | None:
    """The mock's answer to a prepared request and the delays to wait out first, or
    None when no mock is active (or the request was already answered)."""
    if getattr(request, _SERVED, False):
        return None
    url = urlsplit(request.url)
    if url.netloc in _loopback.netlocs:  # a server of this process answers it
        return None
    mock = runtime.current()
    if mock is not None:
        service, skip_backoff = mock.service, mock.skip_retry_backoff
    else:  # moto's mock_aws, when its bridge is registered
        fallback = hooks.fallback
        service, skip_backoff = (fallback(request.url) if fallback else None), False
    if service is None:
        return None
    # Should the handler be registered twice on one emitter, the request is still
    # served once: botocore calls every handler and keeps the first answer (moto's
    # stubber, called after it, asks ``is_answered``).
    setattr(request, _SERVED, True)
    served.set(skip_backoff)
    http = HttpRequest(
        request.method, url.path, url.query, request.headers, _body_bytes(request.body), url.netloc
    )
    (status, out_headers, body), delays = service.respond(http)
    return MockResponse(request.url, status, out_headers, body), delays


def is_answered(request: Any) -> bool:
    """Whether this module's handler answered ``request`` (a prepared request)."""
    return getattr(request, _SERVED, False) is True


def on_before_send(request: Any, **kwargs: Any) -> MockResponse | None:
    answered = answer(request)
    if answered is None:
        return None
    response, delays = answered
    wait_out(delays)
    return response


def on_before_send_unmocked(request: Any, **kwargs: Any) -> MockResponse | None:
    """Among botocore's built-in handlers while the moto bridge is registered: answers
    for moto's ``mock_aws`` when no handle is active (a handle's own handlers, added by
    ``make_request``, answer otherwise)."""
    if runtime.current() is not None:
        return None
    return on_before_send(request)


def lend_credentials(request: Any, request_signer: Any, fake: Callable[[], Any]) -> None:
    """Lend ``fake()`` credentials to a client that has none, while a mock is active."""
    if runtime.current() is None or request_signer is None:
        return
    if getattr(request_signer, "_credentials", None) is None:
        signing = request.context.setdefault("signing", {})
        signing.setdefault("request_credentials", fake())


def on_before_sign(request: Any, request_signer: Any = None, **kwargs: Any) -> None:
    lend_credentials(request, request_signer, lambda: FAKE_CREDENTIALS)


HANDLERS = (
    ("before-send.customer-profiles", on_before_send),
    ("before-sign.customer-profiles", on_before_sign),
)


def register(emitter: Any, handlers: tuple[tuple[str, Any], ...] = HANDLERS) -> None:
    """Add the handlers to an event emitter (a client's or a session's), once."""
    if getattr(emitter, _REGISTERED, False):
        return
    for event, handler in handlers:
        # First among the handlers of its event, so that the mock answers even where a
        # test registered a canned before-send handler of its own earlier.
        emitter.register_first(event, handler, unique_id=f"customer-profiles-mock:{event}")
    setattr(emitter, _REGISTERED, True)


def is_aiobotocore(obj: object) -> bool:
    """Whether ``obj`` is (a subclass of) one of aiobotocore's (without importing it)."""
    return any(cls.__module__.startswith("aiobotocore.") for cls in type(obj).__mro__)


def install(patches: Patches, on_aiobotocore: Callable[[Any], None]) -> None:
    """Patch botocore for the time a mock is active; ``on_aiobotocore(endpoint)`` is
    called before an aiobotocore endpoint's customer-profiles request."""
    real_make_request = botocore.endpoint.Endpoint.make_request

    def make_request(self: Any, operation_model: Any, request_dict: Any) -> Any:
        if operation_model.service_model.service_name != SERVICE_NAME:
            return real_make_request(self, operation_model, request_dict)
        if is_aiobotocore(self):
            on_aiobotocore(self)
            return _served_async(real_make_request(self, operation_model, request_dict))
        register(self._event_emitter)
        token = served.set(False)
        try:
            return real_make_request(self, operation_model, request_dict)
        finally:
            served.reset(token)

    patches.set(botocore.endpoint.Endpoint, "make_request", make_request)
    patches.set(botocore.endpoint, "time", _EndpointTime(botocore.endpoint.time))
    patches.set(TokenBucket, "acquire", _acquire(TokenBucket.acquire))
    patches.set(
        CredentialResolver,
        "load_credentials",
        _offline_credentials(CredentialResolver.load_credentials),
    )
    real_config = botocore.session.Session.get_config_variable

    def get_config_variable(self: Any, logical_name: str, methods: Any = None) -> Any:
        value = real_config(self, logical_name, methods)
        if value is None and logical_name == "region":
            mock = runtime.current()
            return mock.region if mock is not None else None
        return value

    patches.set(botocore.session.Session, "get_config_variable", get_config_variable)
    patches.then(_take_back_lent_credentials)


def _take_back_lent_credentials() -> None:
    """boto3's default session, made while the mock was active, keeps the credentials it
    was lent: at the end they are forgotten, so the next client looks them up anew."""
    boto3 = sys.modules.get("boto3")
    default = getattr(boto3, "DEFAULT_SESSION", None)
    session = getattr(default, "_session", None)
    if getattr(session, "_credentials", None) is FAKE_CREDENTIALS:
        session._credentials = None  # type: ignore[union-attr]


async def _served_async(request: Any) -> Any:
    """Await an aiobotocore request with its own ``served`` mark (a task of its own)."""
    token = served.set(False)
    try:
        return await request
    finally:
        served.reset(token)


class _EndpointTime:
    """Stands in for the ``time`` module inside ``botocore.endpoint``, whose
    ``_needs_retry`` sleeps through the back-off (legacy and standard modes)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def sleep(self, seconds: float) -> None:
        if not served.get():
            self._real.sleep(seconds)


def _acquire(real: Any) -> Any:
    """Adaptive mode's client-side token bucket, never waiting for a served request.
    (Its limiter is registered when a client is made, so the bucket is what is patched.)"""

    def acquire(self: TokenBucket, amount: int = 1, block: bool = True) -> Any:
        if block and served.get():
            try:
                return real(self, amount, block=False)
            except CapacityNotAvailableError:
                return True  # take a token when there is one, but never wait for it
        return real(self, amount, block)

    return acquire


def _offline_credentials(real: Any) -> Any:
    def load_credentials(self: Any) -> Any:
        if runtime.current() is None:
            return real(self)
        for provider in self.providers:
            if provider.METHOD in OFFLINE_PROVIDERS:
                credentials = provider.load()
                if credentials is not None:
                    return credentials
        return FAKE_CREDENTIALS

    return load_credentials


def environment_region() -> str | None:
    """The region a botocore client made without one finds, read as botocore reads it:
    ``AWS_DEFAULT_REGION``, else the ``region`` of the profile (``AWS_DEFAULT_PROFILE``,
    ``AWS_PROFILE``, else ``default``) in the config file (``AWS_CONFIG_FILE``, else
    ``~/.aws/config``). botocore reads no ``AWS_REGION``. None when neither names one,
    or the file cannot be read (a client would then fail on its own). Not through a
    botocore ``Session`` (``get_config_variable("region")``): making one costs about
    12 ms, and a handle is made for every test."""
    region = os.environ.get("AWS_DEFAULT_REGION")
    if region:
        return region
    path = os.path.expanduser(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config")
    if not os.path.isfile(path):
        return None
    profile = os.environ.get("AWS_DEFAULT_PROFILE") or os.environ.get("AWS_PROFILE") or "default"
    try:
        profiles = botocore.configloader.load_config(path)["profiles"]
    except (BotoCoreError, OSError):
        return None
    found = profiles.get(profile, {}).get("region")
    return found if isinstance(found, str) and found else None
