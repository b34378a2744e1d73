"""The call log: one record per HTTP attempt the mock answered, in order."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.exceptions import InvalidArgumentError, kind_of
from customer_profiles_mock.faults import Fault

# How many calls a log keeps unless told otherwise: the newest, about 30 MB of 20-id
# BatchGetProfile attempts.
DEFAULT_CALL_LOG_SIZE = 10_000


@dataclass(frozen=True)
class Call:
    """One HTTP attempt. ``attempt`` is botocore's count (1 for the first try), from its
    ``amz-sdk-request`` header; ``fault`` is the fault that answered or changed it."""

    operation: str | None
    params: Mapping[str, Any]
    region: str
    account_id: str
    status: int | None  # None: nothing was answered (not implemented, or error_code raised)
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
        """One line: the operation, attempt and key parameters, where it was served (a
        client in another region than the seeds is the usual "does not exist"), the
        outcome and the fault: ``GetDomain attempt 1 (domain=shop) in eu-west-1, account
        123456789012 -> 404 ResourceNotFoundException``."""
        if self.status is None:  # nothing was answered: the error was raised at the test
            outcome = f"raised {self.error_code}" if self.error_code else "not implemented"
        elif self.error_code:
            outcome = f"{self.status} {self.error_code}"
        else:
            outcome = str(self.status)
        state = self.fault_state
        extra = f" [fault: {state}]" if state is not None else ""
        attempt = f" attempt {self.attempt}" if self.attempt is not None else ""
        where = f" in {self.region}, account {self.account_id}"
        return f"{self.operation or '?'}{attempt}{self._key_params()}{where} -> {outcome}{extra}"

    def __str__(self) -> str:
        return self.describe()

    def _key_params(self) -> str:
        """The parameters that tell attempts apart: the domain and how many items."""
        parts = []
        domain = self.params.get("DomainName")
        if domain is not None:
            parts.append(f"domain={domain}")
        parts += [f"{len(v)} {k}" for k, v in self.params.items() if isinstance(v, list)]
        return f" ({', '.join(parts)})" if parts else ""


def check_call_log_size(size: object) -> int | None:
    """``size`` if it is a size a call log can have: a whole number of calls, or None."""
    if size is None or (type(size) is int and size >= 1):
        return size
    raise InvalidArgumentError(
        f"call_log_size must be a whole number of calls, 1 or more (None keeps every call), "
        f"got {repr(size) if isinstance(size, (int, float)) else kind_of(size)}"
    )


class CallLog:
    """Append-only and thread-safe; readers get snapshots. It keeps the newest ``size``
    calls (None: all), counting those it dropped; appending is O(1)."""

    def __init__(self, size: int | None = DEFAULT_CALL_LOG_SIZE) -> None:
        self.size = check_call_log_size(size)
        self._lock = forksafe.lock()
        self._calls: deque[Call] = deque(maxlen=size)
        self._dropped = 0

    def append(self, call: Call) -> None:
        with self._lock:
            if len(self._calls) == self.size:
                self._dropped += 1
            self._calls.append(call)

    @property
    def dropped(self) -> int:
        """How many of the oldest calls were dropped to keep the log within its size."""
        return self._dropped

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def page(self, start: int, limit: int) -> tuple[list[Call], int | None, int]:
        """Up to ``limit`` calls from the ``start``-th ever logged (0 the first; when it
        was dropped, from the oldest kept), the position to read on from (None at the
        end), and how many calls were dropped."""
        with self._lock:
            offset = max(start - self._dropped, 0)
            calls = list(itertools.islice(self._calls, offset, offset + limit))
            end = offset + len(calls)
            more = self._dropped + end if end < len(self._calls) else None
            return calls, more, self._dropped
