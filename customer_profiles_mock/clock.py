"""Clocks for latency and rate-limit faults: the real one, and a virtual one tests drive."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from customer_profiles_mock import forksafe
from customer_profiles_mock.exceptions import InvalidArgumentError


class Clock(Protocol):
    """What delay and rate-limit faults need of a clock. A clock may also have an
    ``async def asleep(seconds)`` for async clients (else ``sleep`` is used there too)."""

    def time(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


async def sleep_async(clock: Clock, seconds: float) -> None:
    """Wait on ``clock`` from async code without blocking the event loop."""
    asleep = getattr(clock, "asleep", None)
    if asleep is not None:
        await asleep(seconds)
    else:
        clock.sleep(seconds)


class RealClock:
    """``time.monotonic`` and ``time.sleep``, looked up at each call so that
    time-freezing libraries that patch them apply."""

    def time(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class VirtualClock:
    """A clock that only moves when told: ``sleep`` returns at once after moving it.

    Delays then cost no wall time, and rate limits refill only when the test calls
    ``advance``, so latency and rate tests are deterministic.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = forksafe.lock()

    def time(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise InvalidArgumentError(f"a clock cannot go back: advance({seconds})")
        with self._lock:
            self._now += seconds
