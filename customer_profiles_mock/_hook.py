"""The botocore event handlers that send customer-profiles requests to the active mock.

They are added to ``botocore.handlers.BUILTIN_HANDLERS`` when this package is
imported, so every botocore session made afterwards carries them; they do nothing
while no mock is active. ``before-send`` answers the HTTP request in-process, after
botocore has serialized, signed and (on a retry) backed off, so retries, parsing and
error classes all run as they do against AWS. ``before-sign`` lends fake credentials
to a client that has none, so no real credentials are ever needed.
"""

from __future__ import annotations

import inspect
import io
import sys
from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

import botocore.handlers
from botocore.awsrequest import AWSResponse
from botocore.credentials import Credentials

from . import _retries
from ._clock import sleep_async
from ._dispatch import Service, wait_out
from .faults import DelayFault

SEND_EVENT = "before-send.customer-profiles"
SIGN_EVENT = "before-sign.customer-profiles"
_SERVED = "_customer_profiles_mock_served"
FAKE_CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


class _Active:
    service: Service | None = None


active = _Active()


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


def on_before_send(request: Any, **kwargs: Any) -> Any:
    service = active.service
    if service is None or getattr(request, _SERVED, False):
        return None
    # Should the handler be registered twice on one emitter, the request is still
    # served once: botocore calls every handler and keeps the first answer.
    setattr(request, _SERVED, True)
    url = urlsplit(request.url)
    headers = request.headers
    if "Authorization" not in headers:
        headers = dict(headers.items(), Host=url.netloc)
    (status, out_headers, body), delays = service.respond(
        request.method, url.path, url.query, headers, _body_bytes(request.body)
    )
    response = MockResponse(request.url, status, out_headers, body)
    # aiobotocore's emitter is a coroutine and awaits what handlers return: there,
    # answer with a coroutine, so latency faults wait without blocking the loop.
    if sys._getframe(1).f_code.co_flags & inspect.CO_COROUTINE:
        _retries.ensure_aio()
        return _after_delays(delays, response)
    wait_out(delays)
    return response


async def _after_delays(delays: list[DelayFault], response: MockResponse) -> MockResponse:
    for delay in delays:
        await sleep_async(delay.clock, delay.seconds)
    return response


def was_served(request: Any) -> bool:
    """Whether the mock answered this prepared request."""
    return bool(getattr(request, _SERVED, False))


def on_before_sign(request: Any, request_signer: Any = None, **kwargs: Any) -> None:
    if active.service is None or request_signer is None:
        return
    if getattr(request_signer, "_credentials", None) is None:
        signing = request.context.setdefault("signing", {})
        signing.setdefault("request_credentials", _fake_credentials_for(request_signer))


def _fake_credentials_for(request_signer: Any) -> Any:
    if type(request_signer).__module__.startswith("aiobotocore"):
        from aiobotocore.credentials import AioCredentials

        return AioCredentials(FAKE_CREDENTIALS.access_key, FAKE_CREDENTIALS.secret_key)
    return FAKE_CREDENTIALS


_HANDLERS = ((SEND_EVENT, on_before_send), (SIGN_EVENT, on_before_sign))


def install() -> None:
    """Add the handlers for every session created from now on, and to boto3's
    default session if it already exists (idempotent)."""
    for entry in _HANDLERS:
        if entry not in botocore.handlers.BUILTIN_HANDLERS:
            botocore.handlers.BUILTIN_HANDLERS.append(entry)
    boto3 = sys.modules.get("boto3")
    default = getattr(boto3, "DEFAULT_SESSION", None)
    if default is not None:
        register(default._session)


def register(events: Any) -> None:
    """Add the handlers to a botocore session or to a client's event emitter."""
    for event, handler in _HANDLERS:
        events.register(event, handler, unique_id=f"customer-profiles-mock:{event}")


def patch_client(client: Any) -> Any:
    """Route an already created client through the mock.

    Only needed for a client whose botocore session was made before
    ``customer_profiles_mock`` was imported; returns the client.
    """
    register(client.meta.events)
    return client
