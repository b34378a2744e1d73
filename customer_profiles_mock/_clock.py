"""Clocks for latency and rate-limit faults: the real one, and a virtual one tests drive."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """What delay and rate-limit faults need of a clock."""

    def time(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class RealClock:
    """``time.monotonic`` and ``time.sleep``, looked up at each call so that
    time-freezing libraries that patch them apply."""

    def time(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class VirtualClock:
    """A clock that only moves when told: ``sleep`` returns at once after moving it.

    Delays then cost no wall time, and rate limits refill only when the test calls
    ``advance``, so latency and rate tests are deterministic.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def time(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"a clock cannot go back: advance({seconds})")
        with self._lock:
            self._now += seconds
