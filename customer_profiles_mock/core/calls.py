"""The call log: one record per HTTP attempt the mock answered, in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.faults import Fault


@dataclass(frozen=True)
class Call:
    """One HTTP attempt. ``attempt`` is botocore's count (1 for the first try), from its
    ``amz-sdk-request`` header; ``fault`` is the fault that answered or changed it."""

    operation: str | None
    params: Mapping[str, Any]
    region: str
    account_id: str
    status: int | None  # None: the operation is not implemented (nothing was answered)
    error_code: str | None
    attempt: int | None
    fault: Fault | None
    request_id: str
    delay: float = 0.0
    fault_triggered: int | None = None  # the fault's trigger count at this attempt

    @property
    def fault_state(self) -> str | None:
        """What the fault was at this attempt (``... (1 of 2 triggered)``)."""
        if self.fault is None:
            return None
        return self.fault.describe(self.fault_triggered)

    def describe(self) -> str:
        if self.status is None:
            outcome = "not implemented"
        elif self.error_code:
            outcome = f"{self.status} {self.error_code}"
        else:
            outcome = str(self.status)
        state = self.fault_state
        extra = f" [fault: {state}]" if state is not None else ""
        attempt = f" attempt {self.attempt}" if self.attempt is not None else ""
        return f"{self.operation or '?'}{attempt}{self._key_params()} -> {outcome}{extra}"

    def _key_params(self) -> str:
        """The parameters that tell attempts apart: the domain and how many items."""
        parts = []
        domain = self.params.get("DomainName")
        if domain is not None:
            parts.append(f"domain={domain}")
        parts += [f"{len(v)} {k}" for k, v in self.params.items() if isinstance(v, list)]
        return f" ({', '.join(parts)})" if parts else ""


class CallLog:
    """Append-only and thread-safe; readers get snapshots."""

    def __init__(self) -> None:
        self._lock = forksafe.lock()
        self._calls: list[Call] = []

    def append(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)
