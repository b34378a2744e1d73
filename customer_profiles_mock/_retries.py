"""Skipping botocore's retry back-off for customer-profiles calls while a mock is active.

botocore sleeps between attempts in ``Endpoint._needs_retry`` (legacy and standard
modes) and, in adaptive mode, waits for its client-side token bucket before sending.
Both are made instant for customer-profiles requests only; every other sleep, the
code under test's own ``time.sleep`` included, is untouched.
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


class _EndpointTime:
    """Stands in for the ``time`` module inside ``botocore.endpoint``."""

    def __init__(self, skip: Callable[[], bool]) -> None:
        self._skip = skip

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def sleep(self, seconds: float) -> None:
        # Only the back-off of a customer-profiles call: the caller is
        # Endpoint._needs_retry, whose operation_model names the service.
        model = sys._getframe(1).f_locals.get("operation_model")
        service = getattr(getattr(model, "service_model", None), "service_name", None)
        if service == SERVICE_NAME and self._skip():
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


def uninstall() -> None:
    botocore.endpoint.time = time
    ClientRateLimiter.on_sending_request = _real_on_sending_request
