"""Fault registration behind the handle (``cp.throttle`` and friends): checks, then the plan."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, TypeVar

from customer_profiles_mock.clock import Clock
from customer_profiles_mock.exceptions import InvalidArgumentError
from customer_profiles_mock.faults import (
    DelayFault,
    ErrorFault,
    Fault,
    FaultPlan,
    ItemFailureFault,
    LagFault,
    Predicate,
    RateLimitFault,
)
from customer_profiles_mock.wire.model import operation_names

FaultT = TypeVar("FaultT", bound=Fault)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


@dataclass(frozen=True)
class Scope:
    """What narrows a fault (each fault's constructor checks the values)."""

    domain: str | None = None
    region: str | None = None
    account_id: str | None = None
    probability: float | None = None
    seed: int | None = None
    after: int = 0
    when: Predicate | None = None


class FaultRegistrar:
    """Builds faults (their constructors check them) and adds them to the active plan;
    remembers which it registered and where, for the unused-fault check at the handle's
    stop."""

    def __init__(self, plan: Callable[[], FaultPlan], clock: Clock) -> None:
        self._plan = plan
        self._clock = clock
        self.registered: list[Fault] = []

    def _register(self, fault: FaultT) -> FaultT:
        fault.registered_at = registration_site()
        self._plan().add(fault)
        self.registered.append(fault)
        return fault

    # The fault methods of ``handle.api``, by its names and arguments; ``scope`` takes
    # domain, region, account_id, probability, seed, after and when (``Scope``).

    def throttle(
        self, operation: str | None = None, *, times: int | None = None, **scope: Any
    ) -> ErrorFault:
        return self.inject_error("ThrottlingException", operation, times=times, **scope)

    def deny(
        self, operation: str | None = None, *, times: int | None = None, **scope: Any
    ) -> ErrorFault:
        return self.inject_error("AccessDeniedException", operation, times=times, **scope)

    def inject_error(
        self,
        code: str,
        operation: str | None = None,
        *,
        times: int | None = None,
        message: str | None = None,
        **scope: Any,
    ) -> ErrorFault:
        if (
            code in operation_names()
            and operation is not None
            and operation not in operation_names()
        ):
            raise InvalidArgumentError(
                f"inject_error() takes the error code first, then the operation: "
                f"inject_error({operation!r}, {code!r})"
            )
        fault = ErrorFault(code, operation, message, times=times, **vars(Scope(**scope)))
        return self._register(fault)

    def delay(
        self,
        seconds: float,
        operation: str | None = None,
        *,
        times: int | None = None,
        **scope: Any,
    ) -> DelayFault:
        fault = DelayFault(seconds, operation, self._clock, times=times, **vars(Scope(**scope)))
        return self._register(fault)

    def lag(
        self,
        seconds: float,
        operation: str | None = None,
        *,
        times: int | None = None,
        **scope: Any,
    ) -> LagFault:
        return self._register(LagFault(seconds, operation, times=times, **vars(Scope(**scope))))

    def rate_limit(
        self,
        operation: str,
        *,
        per_second: float,
        burst: int | None = None,
        times: int | None = None,
        **scope: Any,
    ) -> RateLimitFault:
        fault = RateLimitFault(
            operation, per_second, burst, self._clock, times=times, **vars(Scope(**scope))
        )
        return self._register(fault)

    def fail_profiles(
        self,
        domain: str,
        profile_ids: Collection[str],
        *,
        code: str = "500",
        message: str | None = None,
        times: int | None = None,
        **scope: Any,
    ) -> ItemFailureFault:
        if message is None and code != "500":
            message = f"Profile could not be retrieved ({code})"
        fault = ItemFailureFault(
            "BatchGetProfile",
            profile_ids,
            code=code,
            message=message,
            caller="fail_profiles()",
            times=times,
            **vars(Scope(domain=domain, **scope)),
        )
        return self._register(fault)

    def fail_items(
        self,
        operation: str,
        ids: Collection[str],
        *,
        code: str | int | None = None,
        message: str | None = None,
        times: int | None = None,
        **scope: Any,
    ) -> ItemFailureFault:
        fault = ItemFailureFault(
            operation, ids, code=code, message=message, times=times, **vars(Scope(**scope))
        )
        return self._register(fault)

    def unused(self) -> list[Fault]:
        """Registered faults with ``times`` that never triggered (faults removed on
        purpose, by ``remove()`` or ``clear_faults()``, excepted)."""
        return [
            f for f in self.registered if f.times is not None and f.triggered == 0 and not f.removed
        ]


def registration_site() -> str:
    """``file:line`` of the test code that registered a fault (the first frame outside
    this package), for the unused-fault report; a server's client computes it too."""
    frame: Any = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back
    return "?" if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"
