"""Fault registration behind the handle (``cp.throttle`` and friends): checks, then the plan."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from ._clock import Clock
from ._model import did_you_mean, operation_names
from ._validate import is_profile_id
from .exceptions import InvalidArgumentError, InvalidTypeError
from .faults import DelayFault, ErrorFault, Fault, FaultPlan, ItemFailureFault, RateLimitFault

FaultT = TypeVar("FaultT", bound=Fault)
SCOPES = ("domain", "region", "account_id", "probability", "seed", "after", "when")


def _check_scope(method: str, scope: dict[str, Any]) -> None:
    for name in scope:
        if name not in SCOPES:
            hint = did_you_mean(name, SCOPES)
            raise InvalidTypeError(
                f"{method}() got an unknown scope {name!r}.{hint} Scopes: {', '.join(SCOPES)}."
            )


class FaultRegistrar:
    """Builds faults (their constructors check them) and adds them to the active plan;
    remembers which it registered, for the unused-fault check at the handle's stop."""

    def __init__(self, plan: Callable[[], FaultPlan], clock: Clock) -> None:
        self._plan = plan
        self._clock = clock
        self.registered: list[Fault] = []

    def _register(self, fault: FaultT) -> FaultT:
        self._plan().add(fault)
        self.registered.append(fault)
        return fault

    def inject_error(
        self,
        code: str,
        operation: str | None,
        *,
        times: int | None,
        message: str | None,
        scope: dict[str, Any],
        method: str = "inject_error",
    ) -> ErrorFault:
        _check_scope(method, scope)
        if (
            code in operation_names()
            and operation is not None
            and operation not in operation_names()
        ):
            raise InvalidArgumentError(
                f"inject_error() takes the error code first, then the operation: "
                f"inject_error({operation!r}, {code!r})"
            )
        return self._register(ErrorFault(code, operation, message, times=times, **scope))

    def delay(
        self, seconds: float, operation: str | None, times: int | None, scope: dict[str, Any]
    ) -> DelayFault:
        _check_scope("delay", scope)
        return self._register(DelayFault(seconds, operation, self._clock, times=times, **scope))

    def rate_limit(
        self, operation: str, per_second: float, burst: int | None, scope: dict[str, Any]
    ) -> RateLimitFault:
        _check_scope("rate_limit", scope)
        fault = RateLimitFault(operation, per_second, burst, self._clock, **scope)
        return self._register(fault)

    def fail_profiles(
        self,
        domain: str,
        profile_ids: Collection[str],
        *,
        code: str,
        message: str | None,
        times: int | None,
        scope: dict[str, Any],
    ) -> ItemFailureFault:
        _check_scope("fail_profiles", scope)
        ids: list[object] = [] if isinstance(profile_ids, str) else list(profile_ids)
        if not ids or not all(is_profile_id(i) for i in ids):
            raise InvalidArgumentError(
                "profile_ids must be a list of one or more ids of 32 lowercase hex characters, "
                f"got {profile_ids!r}"
            )
        if message is None and code != "500":
            message = f"Profile could not be retrieved ({code})"
        fault = ItemFailureFault(
            "BatchGetProfile",
            [str(i) for i in ids],
            code=code,
            message=message,
            times=times,
            domain=domain,
            **scope,
        )
        return self._register(fault)

    def unused(self) -> list[Fault]:
        """Registered faults with ``times`` that never triggered (faults removed on
        purpose, by ``remove()`` or ``clear_faults()``, excepted)."""
        return [
            f for f in self.registered if f.times is not None and f.triggered == 0 and not f.removed
        ]
