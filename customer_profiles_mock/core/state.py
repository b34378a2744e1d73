"""Everything one activation holds: its store, faults, call log and registered templates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from customer_profiles_mock.clock import Clock, RealClock
from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE, CallLog
from customer_profiles_mock.faults import (
    FaultPlan,
)
from customer_profiles_mock.store.store import Store


class State:
    """Everything one activation holds: the store, the faults, the call log, the
    object-type templates tests registered (template id -> template), and the answers
    tests gave to operations (operation -> a function of the parameters returning the
    checked response; ``cp.answer``). The call log keeps the newest ``call_log_size``
    calls (None: all). Each step of a job (``Context.schedule``) takes ``job_seconds`` on
    ``clock``."""

    def __init__(
        self,
        store: Store | None = None,
        call_log_size: int | None = DEFAULT_CALL_LOG_SIZE,
        clock: Clock | None = None,
        job_seconds: float = 0.0,
    ) -> None:
        self.store = store if store is not None else Store()
        self.faults = FaultPlan()
        self.calls = CallLog(call_log_size)
        self.templates: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self.clock: Clock = clock if clock is not None else RealClock()
        self.job_seconds = job_seconds
