"""Skipping botocore's retry back-off for customer-profiles calls while a mock is active.

botocore sleeps between attempts in ``Endpoint._needs_retry`` (legacy and standard
modes) and, in adaptive mode, waits for its client-side token bucket before sending;
aiobotocore does the same with ``AioEndpoint._sleep`` and an async limiter. These are
made instant for customer-profiles requests only; every other sleep, the code under
test's own ``time.sleep`` included, is untouched.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import Any

import botocore.endpoint
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries.adaptive import ClientRateLimiter

from ._model import SERVICE_NAME

_real_on_sending_request = ClientRateLimiter.on_sending_request


def _is_customer_profiles_retry(frame: Any) -> bool:
    """Whether ``frame`` (an endpoint's ``_needs_retry``) handles a customer-profiles call."""
    model = frame.f_locals.get("operation_model") if frame is not None else None
    service = getattr(getattr(model, "service_model", None), "service_name", None)
    return bool(service == SERVICE_NAME)


class _EndpointTime:
    """Stands in for the ``time`` module inside ``botocore.endpoint``."""

    def __init__(self, skip: Callable[[], bool]) -> None:
        self._skip = skip

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        # Only the back-off of a customer-profiles call: the caller is
        # Endpoint._needs_retry, whose operation_model names the service.
        if self._skip() and _is_customer_profiles_retry(sys._getframe(1)):
            return
        time.sleep(seconds)


def install(skip: Callable[[], bool], served: Callable[[Any], bool]) -> None:
    """``skip()`` says whether back-off is skipped now; ``served(request)`` whether the
    mock answered that request."""
    botocore.endpoint.time = _EndpointTime(skip)

    def on_sending_request(self: ClientRateLimiter, request: Any, **kwargs: Any) -> None:
        if not (served(request) and skip()):
            _real_on_sending_request(self, request, **kwargs)
        elif self._enabled:
            # Take a token when there is one, but never wait for it.
            with contextlib.suppress(CapacityNotAvailableError):
                self._token_bucket.acquire(block=False)

    ClientRateLimiter.on_sending_request = on_sending_request
    if "aiobotocore" in sys.modules:
        _install_aio(skip, served)


def _install_aio(skip: Callable[[], bool], served: Callable[[Any], bool]) -> None:
    from aiobotocore.endpoint import AioEndpoint
    from aiobotocore.retries.adaptive import AsyncClientRateLimiter

    real_sleep = _aio_originals.setdefault("sleep", AioEndpoint._sleep)
    real_send = _aio_originals.setdefault("send", AsyncClientRateLimiter.on_sending_request)

    async def _sleep(self: Any, amount: float) -> None:
        if skip() and _is_customer_profiles_retry(sys._getframe(1)):
            return
        await real_sleep(self, amount)

    async def on_sending_request(self: Any, request: Any, **kwargs: Any) -> None:
        if not (served(request) and skip()):
            await real_send(self, request, **kwargs)
        elif self._enabled:
            with contextlib.suppress(CapacityNotAvailableError):
                await self._token_bucket.acquire(block=False)

    AioEndpoint._sleep = _sleep
    AsyncClientRateLimiter.on_sending_request = on_sending_request


_aio_originals: dict[str, Any] = {}


def uninstall() -> None:
    botocore.endpoint.time = time
    ClientRateLimiter.on_sending_request = _real_on_sending_request
    if _aio_originals:
        from aiobotocore.endpoint import AioEndpoint
        from aiobotocore.retries.adaptive import AsyncClientRateLimiter

        AioEndpoint._sleep = _aio_originals["sleep"]
        AsyncClientRateLimiter.on_sending_request = _aio_originals["send"]
