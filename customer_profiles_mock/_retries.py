"""Skipping botocore's retry back-off for customer-profiles calls while a mock is active.

botocore sleeps between attempts in ``Endpoint._needs_retry`` (legacy and standard
modes) and, in adaptive mode, waits for its client-side token bucket before sending;
aiobotocore does the same with ``AioEndpoint._sleep`` and an async limiter. These are
made instant for customer-profiles requests only; every other sleep, the code under
test's own ``time.sleep`` included, is untouched.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import botocore.endpoint
from botocore.exceptions import CapacityNotAvailableError
from botocore.retries.bucket import TokenBucket

from ._model import SERVICE_NAME

_real_acquire = TokenBucket.acquire


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


def _waits_for_served_request(served: Callable[[Any], bool], frame: Any) -> bool:
    """Whether ``frame`` (a rate limiter's ``on_sending_request``) sends a request the
    mock answers."""
    return frame is not None and served(frame.f_locals.get("request"))


def install(skip: Callable[[], bool], served: Callable[[Any], bool]) -> None:
    """``skip()`` says whether back-off is skipped now; ``served(request)`` whether the
    mock answered that request."""
    botocore.endpoint.time = _EndpointTime(skip)

    # Adaptive mode registers its limiter's bound on_sending_request when a client is
    # made, so the bucket is patched, not the limiter: clients made before start count.
    def acquire(self: TokenBucket, amount: int = 1, block: bool = True) -> Any:
        if block and skip() and _waits_for_served_request(served, sys._getframe(1)):
            try:
                return _real_acquire(self, amount, block=False)
            except CapacityNotAvailableError:
                return True  # take a token when there is one, but never wait for it
        return _real_acquire(self, amount, block)

    TokenBucket.acquire = acquire
    _installed[:] = [skip, served]
    if "aiobotocore" in sys.modules:
        ensure_aio()


def ensure_aio() -> None:
    """Skip aiobotocore's back-off too, however late aiobotocore was imported (the hook
    calls this when it serves an aiobotocore request)."""
    if _installed and "sleep" not in _aio_originals:
        _install_aio(*_installed)


_installed: list[Any] = []


def _install_aio(skip: Callable[[], bool], served: Callable[[Any], bool]) -> None:
    from aiobotocore.endpoint import AioEndpoint
    from aiobotocore.retries.bucket import AsyncTokenBucket

    real_sleep = _aio_originals.setdefault("sleep", AioEndpoint._sleep)
    real_acquire = _aio_originals.setdefault("acquire", AsyncTokenBucket.acquire)

    async def _sleep(self: Any, amount: float) -> None:
        if skip() and _is_customer_profiles_retry(sys._getframe(1)):
            return
        await real_sleep(self, amount)

    async def acquire(self: Any, amount: int = 1, block: bool = True) -> Any:
        if block and skip() and _waits_for_served_request(served, sys._getframe(1)):
            try:
                return await real_acquire(self, amount, block=False)
            except CapacityNotAvailableError:
                return True
        return await real_acquire(self, amount, block)

    AioEndpoint._sleep = _sleep
    AsyncTokenBucket.acquire = acquire


_aio_originals: dict[str, Any] = {}


def uninstall() -> None:
    botocore.endpoint.time = time
    TokenBucket.acquire = _real_acquire
    _installed.clear()
    if _aio_originals:
        from aiobotocore.endpoint import AioEndpoint
        from aiobotocore.retries.bucket import AsyncTokenBucket

        AioEndpoint._sleep = _aio_originals.pop("sleep")
        AsyncTokenBucket.acquire = _aio_originals.pop("acquire")
