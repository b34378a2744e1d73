"""Fault injection and the call log on the mock handle (``cp.throttle`` and friends)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from ._calls import Call
from ._clock import Clock
from ._dispatch import State
from ._model import check_operation_name, did_you_mean, operation_names
from .faults import DelayFault, ErrorFault, Fault, ProfileFailureFault, RateLimitFault

FaultT = TypeVar("FaultT", bound=Fault)
SCOPES = ("domain", "region", "account_id", "probability", "seed", "after", "when")


def _check_scope(method: str, scope: dict[str, Any]) -> None:
    for name in scope:
        if name not in SCOPES:
            hint = did_you_mean(name, SCOPES)
            raise TypeError(
                f"{method}() got an unknown scope {name!r}.{hint} Scopes: {', '.join(SCOPES)}."
            )


class Faulting:
    """Fault and call-log methods of ``CustomerProfilesMock``.

    ``operation`` is the API name (``"BatchGetProfile"``), None for every operation;
    ``times`` counts matching HTTP attempts, None meaning until removed. ``scope``
    narrows a fault: ``domain``, ``region``, ``account_id``, ``probability`` with
    ``seed``, ``after`` (let the first N matches through) and ``when`` (a predicate on
    the request parameters).
    """

    clock: Clock

    def _state(self) -> State:
        raise NotImplementedError  # provided by CustomerProfilesMock

    def _register(self, fault: FaultT) -> FaultT:
        """Add a fault (whose constructor checked it) to this activation's plan."""
        self._state().faults.add(fault)
        self._registered.append(fault)
        return fault

    _registered: list[Fault]

    def throttle(
        self, operation: str | None = None, *, times: int | None = 1, **scope: Any
    ) -> ErrorFault:
        """Answer with ``429 ThrottlingException`` (botocore retries it)."""
        _check_scope("throttle", scope)
        return self.inject_error("ThrottlingException", operation, times=times, **scope)

    def deny(
        self, operation: str | None = None, *, times: int | None = None, **scope: Any
    ) -> ErrorFault:
        """Answer with ``403 AccessDeniedException`` (never retried)."""
        _check_scope("deny", scope)
        return self.inject_error("AccessDeniedException", operation, times=times, **scope)

    def inject_error(
        self,
        code: str,
        operation: str | None = None,
        *,
        times: int | None = 1,
        message: str | None = None,
        **scope: Any,
    ) -> ErrorFault:
        """Answer with any error the operation models, with the model's HTTP status."""
        _check_scope("inject_error", scope)
        if (
            code in operation_names()
            and operation is not None
            and operation not in operation_names()
        ):
            raise ValueError(
                f"inject_error() takes the error code first, then the operation: "
                f"inject_error({operation!r}, {code!r})"
            )
        return self._register(ErrorFault(code, operation, message, times=times, **scope))

    def delay(
        self,
        seconds: float,
        operation: str | None = None,
        *,
        times: int | None = None,
        **scope: Any,
    ) -> DelayFault:
        """Wait ``seconds`` on the mock's clock, then answer as usual."""
        _check_scope("delay", scope)
        return self._register(DelayFault(seconds, operation, self.clock, times=times, **scope))

    def rate_limit(
        self, operation: str, *, per_second: float, burst: int | None = None, **scope: Any
    ) -> RateLimitFault:
        """Throttle attempts beyond ``per_second`` on the mock's clock (token bucket)."""
        _check_scope("rate_limit", scope)
        return self._register(RateLimitFault(operation, per_second, burst, self.clock, **scope))

    def fail_profiles(
        self,
        domain: str,
        profile_ids: Collection[str],
        *,
        code: str = "500",
        message: str | None = None,
        times: int | None = None,
        **scope: Any,
    ) -> ProfileFailureFault:
        """Make these ids come back in BatchGetProfile's ``Errors`` while the rest succeed."""
        _check_scope("fail_profiles", scope)
        fault = ProfileFailureFault(domain, profile_ids, code, message, times=times, **scope)
        return self._register(fault)

    def clear_faults(self) -> None:
        """Remove every fault of this activation."""
        self._state().faults.clear()

    @property
    def faults(self) -> list[Fault]:
        """The faults in force, in registration order."""
        return self._state().faults.faults

    _last_calls: list[Call]

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt answered so far, in order (a snapshot). After the last
        stop, the calls of the activation that ended."""
        if not self.active:
            return list(self._last_calls)
        return self._state().calls.snapshot()

    @property
    def active(self) -> bool:
        raise NotImplementedError  # provided by CustomerProfilesMock

    def calls_for(self, operation: str) -> list[Call]:
        """The recorded attempts of one operation."""
        check_operation_name(operation)
        return [c for c in self.calls if c.operation == operation]

    def unused_faults(self) -> list[Fault]:
        """Faults registered through this handle with ``times`` that never triggered
        (faults removed on purpose, by ``remove()`` or ``clear_faults()``, excepted)."""
        return [
            f
            for f in self._registered
            if f.times is not None and f.triggered == 0 and not f.removed
        ]
