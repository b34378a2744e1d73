"""Everything one activation holds: its store, faults, call log and registered templates."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.calls import CallLog
from customer_profiles_mock.faults import (
    FaultPlan,
)
from customer_profiles_mock.store.store import Store


class State:
    """Everything one activation holds: the store, the faults, the call log, and the
    object-type templates tests registered (template id -> template)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store if store is not None else Store()
        self.faults = FaultPlan()
        self.calls = CallLog()
        self.templates: dict[str, dict[str, Any]] = {}
