"""Everything one activation holds (its store, faults, call log, templates) and its settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from customer_profiles_mock.clock import Clock, RealClock
from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE, CallLog
from customer_profiles_mock.faults import (
    FaultPlan,
)
from customer_profiles_mock.store.store import Store


class Settings(NamedTuple):
    """How an activation behaves, as the handle that begins it was made: its call log
    keeps the newest ``call_log_size`` calls (None: all); each step of a job
    (``Context.schedule``) takes ``job_seconds`` on ``clock``; the writes ``lagged`` are
    seen by reads ``lag_seconds`` later (``core.consistency``)."""

    call_log_size: int | None = DEFAULT_CALL_LOG_SIZE
    clock: Clock | None = None
    job_seconds: float = 0.0
    lagged: frozenset[str] = frozenset()
    lag_seconds: float = 0.0


DEFAULTS = Settings()


class State:
    """Everything one activation holds: the store, the faults, the call log, the
    object-type templates tests registered (template id -> template), the answers tests
    gave to operations (operation -> a function of the parameters returning the checked
    response; ``cp.answer``), and its ``Settings``."""

    def __init__(self, store: Store | None = None, settings: Settings = DEFAULTS) -> None:
        self.store = store if store is not None else Store()
        self.faults = FaultPlan()
        self.calls = CallLog(settings.call_log_size)
        self.templates: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self.clock: Clock = settings.clock if settings.clock is not None else RealClock()
        self.job_seconds = settings.job_seconds
        self.lagged = settings.lagged
        self.lag_seconds = settings.lag_seconds
