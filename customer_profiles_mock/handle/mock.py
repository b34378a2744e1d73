"""The handle: ``mock_customer_profiles`` as decorator, context manager and start/stop object.

It activates through the runtime registry and serves through the service pipeline; its
seeding, inspection and fault methods (``handle.api``) are answered by a ``Seeder`` and a
``FaultRegistrar`` it holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar, overload

from customer_profiles_mock.clock import Clock, RealClock
from customer_profiles_mock.core.accounts import default_account_id
from customer_profiles_mock.core.calls import (
    DEFAULT_CALL_LOG_SIZE,
    Call,
    check_call_log_size,
)
from customer_profiles_mock.core.consistency import eventual_writes
from customer_profiles_mock.core.state import Settings, State
from customer_profiles_mock.exceptions import (
    DEFAULT_OPT_OUT,
    InvalidArgumentError,
    InvalidTypeError,
    MockStateError,
    UnusedFaultsError,
    kind_of,
)
from customer_profiles_mock.faults import (
    READ_PREFIXES,
    DelayFault,
    ErrorFault,
    Fault,
    FaultPlan,
    ItemFailureFault,
    LagFault,
    RateLimitFault,
)
from customer_profiles_mock.handle.api import HandleAPI
from customer_profiles_mock.handle.decorating import decorate
from customer_profiles_mock.handle.faulting import FaultRegistrar
from customer_profiles_mock.handle.seeding import Seeder
from customer_profiles_mock.runtime.registry import Activation, runtime
from customer_profiles_mock.service import Service
from customer_profiles_mock.store.store import Snapshot, Store
from customer_profiles_mock.transports import install_all
from customer_profiles_mock.transports.botocore_hooks import environment_region
from customer_profiles_mock.wire.model import check_account_id, check_operation_name, check_region

DEFAULT_REGION = "us-east-1"  # when the environment names none (default_region())

F = TypeVar("F", bound=Callable[..., Any])


def check_seconds(name: str, seconds: object) -> float:
    """``seconds`` if option ``name`` can be that long: a finite number, 0 or more."""
    if (
        isinstance(seconds, (int, float))
        and not isinstance(seconds, bool)
        and 0 <= seconds < float("inf")
    ):
        return float(seconds)
    raise InvalidArgumentError(
        f"{name} must be a number of seconds, 0 or more, "
        f"got {repr(seconds) if isinstance(seconds, (int, float)) else kind_of(seconds)}"
    )


CONSISTENCIES = ("immediate", "eventual")


def lagged(
    consistency: object, operations: Collection[str] | None, seconds: float | None
) -> frozenset[str]:
    """The writes reads see late: none when ``consistency`` is "immediate", else
    ``operations`` (default the writes AWS applies asynchronously)."""
    if consistency not in CONSISTENCIES:
        raise InvalidArgumentError(
            f"consistency must be 'immediate' or 'eventual', got {consistency!r}"
        )
    if consistency == "immediate":
        for name, given in (("lagged_operations", operations), ("lag_seconds", seconds)):
            if given is not None:
                raise InvalidArgumentError(
                    f"{name} only applies with consistency='eventual': pass that too "
                    "(or cp.lag(seconds, operation) to lag chosen writes)"
                )
        return frozenset()
    if operations is None:
        return eventual_writes()
    if isinstance(operations, str) or not isinstance(operations, Collection):
        raise InvalidTypeError(
            f"lagged_operations must be a list of operation names, got {kind_of(operations)}"
        )
    for name in operations:
        if check_operation_name(name).startswith(READ_PREFIXES):
            raise InvalidArgumentError(
                f"lagged_operations names writes, and {name} is a read: name the write whose "
                "result reads should not see yet (for example PutProfileObject)"
            )
    return frozenset(operations)


def default_region() -> str:
    """The region of a handle or server that names none: the one a boto3 client made
    without a region gets here and now, else ``us-east-1``. Seeding and clients then
    meet in one region, also on a CI runner that sets ``AWS_DEFAULT_REGION``."""
    found = environment_region()
    if found is None:
        return DEFAULT_REGION
    try:
        check_region(found)
    except InvalidArgumentError:
        raise InvalidArgumentError(
            f"the region boto3 reads here (AWS_DEFAULT_REGION, else the AWS config file's "
            f"profile) is {found!r}, not a region like 'us-east-1': fix it, or pass region=..."
        ) from None
    return found


class CustomerProfilesMock(
    HandleAPI[ErrorFault, DelayFault, RateLimitFault, ItemFailureFault, LagFault]
):
    """Serves every botocore customer-profiles request in-process while active.

    Use it as a decorator (functions, coroutines, ``unittest.TestCase`` and plain test
    classes), as a context manager, or with ``start()`` / ``stop()``. Handles nest: the
    state is made at the outermost start and dropped at the last stop, and requests are
    served in the account of the innermost active handle.
    """

    def __init__(
        self,
        *,
        region: str | None = None,
        account_id: str | None = None,
        assert_all_faults_triggered: bool = True,
        skip_retry_backoff: bool = True,
        clock: Clock | None = None,
        call_log_size: int | None = DEFAULT_CALL_LOG_SIZE,
        job_seconds: float = 0.0,
        consistency: str = "immediate",
        lag_seconds: float | None = None,
        lagged_operations: Collection[str] | None = None,
    ) -> None:
        if region is None:
            region = default_region()
        check_region(region)
        if account_id is None:
            account_id = default_account_id()
        check_account_id(account_id)
        if clock is not None and not (
            callable(getattr(clock, "time", None)) and callable(getattr(clock, "sleep", None))
        ):
            raise InvalidTypeError(
                f"clock must have time() and sleep() methods, got {kind_of(clock)}"
            )
        self.region = region
        self.account_id = account_id
        self.assert_all_faults_triggered = assert_all_faults_triggered
        self.skip_retry_backoff = skip_retry_backoff
        self.clock: Clock = clock if clock is not None else RealClock()
        self.settings = Settings(
            check_call_log_size(call_log_size),
            self.clock,
            check_seconds("job_seconds", job_seconds),
            lagged(consistency, lagged_operations, lag_seconds),
            check_seconds("lag_seconds", 1.0 if lag_seconds is None else lag_seconds),
        )
        self._activation: Activation | None = None
        self.service: Service | None = None  # set while active
        self._starts = 0
        self._failed = False  # a body run inside this activation raised
        self._last_calls: list[Call] = []
        self._last_dropped = 0
        # How to turn the unused-fault check off, said in its error (the pytest plugin
        # names its marker option instead).
        self._opt_out = DEFAULT_OPT_OUT
        self._seeder = Seeder(self._state, account_id, region)
        self._faults = FaultRegistrar(self._plan, self.clock)

    @property
    def call_log_size(self) -> int | None:
        """How many calls an activation this handle begins keeps (None: all)."""
        return self.settings.call_log_size

    def __repr__(self) -> str:
        state = f"active, {len(self.calls)} calls" if self.active else "inactive"
        return (
            f"<CustomerProfilesMock region={self.region!r} account_id={self.account_id!r} {state}>"
        )

    # -- activation ---------------------------------------------------------------

    def start(self) -> CustomerProfilesMock:
        runtime.start(self, self._prepare, install_all)
        return self

    def _prepare(self, activation: Activation) -> None:
        """Ready the handle to serve from ``activation`` (called by the runtime, under
        its lock, before any other thread can see the handle)."""
        if self._starts == 0:
            self._activation = activation
            self.service = Service(activation.state, self.account_id, self.region)
            self._faults.registered = []
            self._failed = False
        self._starts += 1

    def stop(self) -> None:
        """Deactivate; at the last stop of this handle, check for unused faults."""
        __tracebackhide__ = True
        self._stop(check_faults=True)

    def _stop(self, check_faults: bool) -> None:
        __tracebackhide__ = True
        with runtime.lock:
            activation = self._activation
            if self._starts == 0 or activation is None:
                raise MockStateError(
                    "customer_profiles_mock: stop() called without a matching start()."
                )
            last = self._starts == 1
            unused = self._faults.unused() if last else []
            if last:
                self._last_calls = activation.state.calls.snapshot()
                self._last_dropped = activation.state.calls.dropped
                for fault in self._faults.registered:  # an inner handle's faults end with it
                    fault.remove(withdrawn=False)
            self._starts -= 1
            runtime.stop(self, activation)
            if last:
                self._activation = self.service = None
        # When a test body failed, that failure is the one to report.
        if unused and check_faults and not self._failed and self.assert_all_faults_triggered:
            raise UnusedFaultsError(unused, self._opt_out)

    @property
    def active(self) -> bool:
        return self._starts > 0

    @property
    def activation(self) -> Activation | None:
        """The activation this handle serves in while active (read by the runtime)."""
        return self._activation

    def __enter__(self) -> CustomerProfilesMock:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        # A generator closed early (GeneratorExit) did not fail.
        self._exit(exc_type is not None and not issubclass(exc_type, GeneratorExit))

    async def __aenter__(self) -> CustomerProfilesMock:
        return self.start()

    async def __aexit__(self, exc_type: object, *exc_info: object) -> None:
        self._exit(exc_type is not None)

    def _exit(self, raised: bool) -> None:
        # Remembered for the whole activation: with class decoration the last stop
        # (tearDown's cleanup, teardown_method) happens after the test body.
        self._failed = self._failed or raised
        self._stop(check_faults=True)

    def _mark_failed(self) -> None:
        self._failed = True

    def _state(self) -> State:
        activation = self._activation
        if activation is None:
            raise MockStateError(
                "customer_profiles_mock: the mock is not active. Seed it, register faults "
                "and read its state inside the decorated test or the 'with' block, or call "
                "start() first."
            )
        return activation.state

    def _store(self) -> Store:
        return self._state().store

    def _plan(self) -> FaultPlan:
        return self._state().faults

    # -- decoration ---------------------------------------------------------------

    @overload
    def __call__(self, target: type[Any]) -> type[Any]: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        return decorate(self, target)

    # -- seeding and inspection (their signatures: handle.api) ------------------------

    def _invoke(self, method: str, /, **arguments: Any) -> Any:
        return getattr(self._seeder, method)(**arguments)

    def _add_fault(self, kind: str, /, **arguments: Any) -> Any:
        return getattr(self._faults, kind)(**arguments)

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, list[str]]:
        """Seed domains and their profiles from a mapping or a JSON file (the format is
        in docs/reference/seed-format.md); returns the ProfileIds created, by domain name."""
        return self._seeder.load(source)

    def snapshot(self) -> Snapshot:
        """The state now (every account and region), frozen: seed a large state once,
        e.g. in a module-scoped fixture, and ``restore()`` it at the start of each test."""
        return self._store().snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Make the state exactly the snapshot's, dropping what it held; the call log and
        the faults are kept. Costs the same for ten profiles or a million."""
        if not isinstance(snapshot, Snapshot):
            raise InvalidTypeError(
                f"restore() takes a Snapshot made by cp.snapshot(), got {kind_of(snapshot)}"
            )
        self._store().restore(snapshot)

    # -- faults and the call log --------------------------------------------------

    def clear_faults(self) -> None:
        """Remove every fault of this activation."""
        self._plan().clear()

    @property
    def faults(self) -> list[Fault]:
        """The faults in force, in registration order."""
        return self._plan().faults

    def unused_faults(self) -> list[Fault]:
        """Faults registered through this handle with ``times`` that never triggered
        (faults removed on purpose, by ``remove()`` or ``clear_faults()``, excepted)."""
        return self._faults.unused()

    # -- the call log ---------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt answered so far, in order (a snapshot). After the last
        stop, the calls of the activation that ended."""
        activation = self._activation
        if activation is None:
            return list(self._last_calls)
        return activation.state.calls.snapshot()

    @property
    def dropped_calls(self) -> int:
        """How many of the oldest calls the log dropped to keep ``call_log_size``."""
        activation = self._activation
        if activation is None:
            return self._last_dropped
        return activation.state.calls.dropped


@overload
def mock_customer_profiles(func: F, /) -> F: ...
@overload
def mock_customer_profiles(
    func: None = None,
    /,
    *,
    region: str | None = ...,
    account_id: str | None = ...,
    assert_all_faults_triggered: bool = ...,
    skip_retry_backoff: bool = ...,
    clock: Clock | None = ...,
    call_log_size: int | None = ...,
    job_seconds: float = ...,
    consistency: str = ...,
    lag_seconds: float | None = ...,
    lagged_operations: Collection[str] | None = ...,
) -> CustomerProfilesMock: ...
def mock_customer_profiles(func: Any = None, /, **options: Any) -> Any:
    """Mock Customer Profiles: ``@mock_customer_profiles``, ``@mock_customer_profiles(...)``,
    ``with mock_customer_profiles() as cp:`` or ``cp = mock_customer_profiles(); cp.start()``.

    :param region: the region the handle seeds into by default, and the one a client
        with no region of its own gets (requests are routed by the calling client's own
        region). Default the region a boto3 client made without one gets
        (``AWS_DEFAULT_REGION``, else the AWS config file's profile), read when the
        handle is made, else ``us-east-1``.
    :param account_id: the account the handle seeds into, and the one a request is served
        in unless it names another (the ``x-moto-account-id`` header, or an access key
        moto's IAM knows). Default ``MOTO_ACCOUNT_ID``, else ``123456789012``.
    :param assert_all_faults_triggered: at stop, fail with ``UnusedFaultsError`` (an
        ``AssertionError``) when a fault with ``times`` never triggered. Default True.
    :param skip_retry_backoff: botocore's back-off between retries of customer-profiles
        calls does not sleep. Default True.
    :param clock: the clock of ``delay`` and ``rate_limit`` faults; default the real one,
        ``VirtualClock()`` for one the test moves.
    :param call_log_size: how many calls ``calls`` keeps, the newest (``dropped_calls``
        counts the others); None keeps every one. Default 10,000. The handle that starts
        an activation sizes its log; handles nested in it share that log.
    :param job_seconds: how long each step of an asynchronous resource (a job, an
        estimate, a recommender's training) takes on ``clock``: with the default 0 each
        reaches its end before the next call is answered (the call that creates it still
        answers its first state); with ``VirtualClock()`` and ``clock.advance()`` a test
        watches each state. ``cp.settle()`` runs everything to its end at once.
    :param consistency: ``"eventual"`` makes the writes AWS applies asynchronously
        (ingestion, merges, profile writes: ``lagged_operations``) unseen by reads of
        their domain for ``lag_seconds`` on ``clock``, as a read right after a write may
        miss it on AWS; the write itself answers at once and later writes see it.
        ``cp.settle()`` makes every write seen; ``cp.lag()`` lags chosen writes only.
        Default ``"immediate"``.
    :param lag_seconds: how long a lagged write stays unseen. Default 1.
    :param lagged_operations: the writes ``consistency="eventual"`` lags; default
        CreateProfile, UpdateProfile, DeleteProfile, AddProfileKey, DeleteProfileKey,
        MergeProfiles, PutProfileObject, BatchPutProfileObject and DeleteProfileObject.
    """
    mock = CustomerProfilesMock(**options)
    if func is None:
        return mock
    return mock(func)
