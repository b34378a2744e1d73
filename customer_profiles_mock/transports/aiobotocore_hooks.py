"""Every touch of aiobotocore: async handlers and the patches in place while a mock is active.

aiobotocore clients go through botocore's ``Endpoint.make_request`` (patched in
``botocore_hooks``), which calls ``prepare`` for an aiobotocore endpoint before its
customer-profiles request. Its back-off sleeps in ``_sleep``, which each endpoint class
may override (``AnyioEndpoint`` for the httpx backend), so every class in the hierarchy is
covered, also one imported after the mock started; before aiobotocore 3.9 it sleeps with
the endpoint module's ``asyncio.sleep``, which is covered too.
"""

from __future__ import annotations

import sys
from typing import Any

from customer_profiles_mock.clock import sleep_async
from customer_profiles_mock.runtime.patching import Patches
from customer_profiles_mock.runtime.registry import runtime
from customer_profiles_mock.transports import botocore_hooks as _botocore

_MARK = "__customer_profiles_mock__"


async def on_before_send(request: Any, **kwargs: Any) -> Any:
    """The answer, after waiting out latency faults without blocking the event loop."""
    answered = _botocore.answer(request)
    if answered is None:
        return None
    response, delays = answered
    for delay in delays:
        await sleep_async(delay.clock, delay.seconds)
    return response


def on_before_sign(request: Any, request_signer: Any = None, **kwargs: Any) -> None:
    _botocore.lend_credentials(request, request_signer, _fake_credentials)


HANDLERS = (
    ("before-send.customer-profiles", on_before_send),
    ("before-sign.customer-profiles", on_before_sign),
)


def _fake_credentials() -> Any:
    from aiobotocore.credentials import AioCredentials

    fake = _botocore.FAKE_CREDENTIALS
    return AioCredentials(fake.access_key, fake.secret_key)


def prepare(endpoint: Any) -> None:
    """Before an aiobotocore endpoint's customer-profiles request: handlers on its
    emitter, and the patches for its class and aiobotocore's own (once while active)."""
    _botocore.register(endpoint._event_emitter, HANDLERS)
    if _covered(type(endpoint)):  # the common case: every request after the first
        return
    with runtime.lock:  # not while the last mock stops and undoes the patches
        if runtime.patches is not None:
            install(runtime.patches, type(endpoint))


def _covered(endpoint_class: type) -> bool:
    """Whether ``install`` has patched the back-off of ``endpoint_class`` (and so, in
    the same go, the token bucket and the credential resolver) while this mock is active."""
    sleep = getattr(endpoint_class, "_sleep", None)
    if sleep is not None:
        return bool(getattr(sleep, _MARK, False))
    return isinstance(
        getattr(sys.modules["aiobotocore.endpoint"], "asyncio", None), _EndpointAsyncio
    )


def install(patches: Patches, endpoint_class: type | None = None) -> None:
    """Patch aiobotocore while a mock is active (no-op for what is patched already)."""
    import aiobotocore.endpoint
    from aiobotocore.credentials import AioCredentialResolver
    from aiobotocore.endpoint import AioEndpoint
    from aiobotocore.retries.bucket import AsyncTokenBucket

    if "_sleep" not in vars(AioEndpoint):  # before aiobotocore 3.9: asyncio.sleep itself
        module_asyncio = aiobotocore.endpoint.asyncio
        if not isinstance(module_asyncio, _EndpointAsyncio):
            patches.set(aiobotocore.endpoint, "asyncio", _EndpointAsyncio(module_asyncio))
    classes = _subclasses(AioEndpoint)
    if endpoint_class is not None:
        classes.append(endpoint_class)
    for cls in classes:
        real = vars(cls).get("_sleep")
        if real is not None and not getattr(real, _MARK, False):
            patches.set(cls, "_sleep", _sleep(real))
    if not getattr(AsyncTokenBucket.acquire, _MARK, False):
        patches.set(AsyncTokenBucket, "acquire", _acquire(AsyncTokenBucket.acquire))
    real_load = AioCredentialResolver.load_credentials
    if not getattr(real_load, _MARK, False):
        patches.set(AioCredentialResolver, "load_credentials", _offline_credentials(real_load))


def install_if_imported(patches: Patches) -> None:
    if "aiobotocore.endpoint" in sys.modules:
        install(patches)


def _subclasses(cls: type) -> list[type]:
    found: list[type] = [cls]
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        found += _subclasses(sub)
    return found


def _marked(func: Any) -> Any:
    setattr(func, _MARK, True)
    return func


class _EndpointAsyncio:
    """Stands in for ``asyncio`` inside ``aiobotocore.endpoint`` where ``_needs_retry``
    sleeps through the back-off with ``asyncio.sleep`` (aiobotocore before 3.9)."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        if _botocore.served.get():
            return result
        return await self._real.sleep(delay, result)


def _sleep(real: Any) -> Any:
    async def _sleep(self: Any, amount: float) -> None:
        if not _botocore.served.get():
            await real(self, amount)

    return _marked(_sleep)


def _acquire(real: Any) -> Any:
    from botocore.exceptions import CapacityNotAvailableError

    async def acquire(self: Any, amount: int = 1, block: bool = True) -> Any:
        if block and _botocore.served.get():
            try:
                return await real(self, amount, block=False)
            except CapacityNotAvailableError:
                return True
        return await real(self, amount, block)

    return _marked(acquire)


def _offline_credentials(real: Any) -> Any:
    async def load_credentials(self: Any) -> Any:
        if runtime.current() is None:
            return await real(self)
        for provider in self.providers:
            if provider.METHOD in _botocore.OFFLINE_PROVIDERS:
                credentials = await provider.load()
                if credentials is not None:
                    return credentials
        return _fake_credentials()

    return _marked(load_credentials)
