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
    Predicate,
    RateLimitFault,
    check_item_ids,
    item_errors,
    not_a_batch_message,
)
from customer_profiles_mock.wire.model import check_operation_name, operation_names
from customer_profiles_mock.wire.validate import is_profile_id

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
        ids: list[object] = [] if isinstance(profile_ids, str) else list(profile_ids)
        if not ids or not all(is_profile_id(i) for i in ids):
            raise InvalidArgumentError(
                "profile_ids must be a list of one or more ids of 32 lowercase hex characters, "
                f"got {profile_ids!r}"
            )
        if message is None:
            internal = code == "500"
            message = (
                "Internal server error" if internal else f"Profile could not be retrieved ({code})"
            )
        fault = ItemFailureFault(
            "BatchGetProfile",
            [str(i) for i in ids],
            code=code,
            message=message,
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
        check_operation_name(operation)
        errors = item_errors(operation)
        if errors is None:
            raise InvalidArgumentError(not_a_batch_message(operation))
        items = check_item_ids("fail_items()", operation, ids)
        if code is None:
            code = 500 if errors.code_type == "integer" else "500"
        if message is None:
            message = (
                "Internal server error"
                if str(code) == "500"
                else f"Item could not be processed ({code})"
            )
        fault = ItemFailureFault(
            operation, items, code=code, message=message, times=times, **vars(Scope(**scope))
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
