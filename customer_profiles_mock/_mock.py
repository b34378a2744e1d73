"""Activation: ``mock_customer_profiles`` as decorator, context manager and start/stop handle."""

from __future__ import annotations

import functools
import inspect
import os
import re
import threading
import unittest
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from . import _hook, _retries
from ._backend import RegionBackend, Store
from ._calls import Call
from ._clock import Clock, RealClock
from ._dispatch import Service, State
from ._faulting import Faulting
from ._seeding import Seeding
from .exceptions import UnusedFaultsError

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"
_ACCOUNT_RE = re.compile(r"\d{12}")
_REGION_RE = re.compile(r"[a-z]{2}(-[a-z0-9]+)+-\d+")
# Set while a mock is active, only where the environment has none of its own.
_FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": _hook.FAKE_CREDENTIALS.access_key,
    "AWS_SECRET_ACCESS_KEY": _hook.FAKE_CREDENTIALS.secret_key,
}

F = TypeVar("F", bound=Callable[..., Any])


class _Registry:
    """What all active handles share: one store, served while any handle is active."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.stack: list[CustomerProfilesMock] = []
        self.state: State | None = None
        self.env_set: dict[str, str] = {}
        # The calls of the last activation that ended, and how many have ended: the
        # pytest plugin reports them for a failed test that used the decorator.
        self.ended = 0
        self.ended_calls: list[Call] = []

    def push(self, mock: CustomerProfilesMock) -> None:
        with self.lock:
            if not self.stack:
                self.state = State()
                self._set_env(mock.region)
                _retries.install(self.skip_backoff, _hook.was_served)
            self.stack.append(mock)
            self._serve()

    def pop(self, mock: CustomerProfilesMock) -> None:
        with self.lock:
            # The last start of this handle ends, wherever it is in the stack.
            index = len(self.stack) - 1 - self.stack[::-1].index(mock)
            del self.stack[index]
            if self.stack:
                self._serve()
                return
            _hook.active.service = None
            if self.state is not None:
                self.ended_calls = self.state.calls.snapshot()
            self.ended += 1
            self.state = None
            _retries.uninstall()
            self._restore_env()

    def _serve(self) -> None:
        top = self.stack[-1]
        assert self.state is not None
        _hook.active.service = Service(self.state, top.account_for, top.region)

    def active_store(self) -> Store:
        assert self.state is not None
        return self.state.store

    def skip_backoff(self) -> bool:
        stack = self.stack
        return bool(stack) and stack[-1].skip_retry_backoff

    def _set_env(self, region: str) -> None:
        wanted = {k: v for k, v in _FAKE_ENV.items() if k not in os.environ}
        if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
            wanted["AWS_DEFAULT_REGION"] = region
        for name, value in wanted.items():
            os.environ[name] = value
        self.env_set = wanted

    def _restore_env(self) -> None:
        for name, value in self.env_set.items():
            if os.environ.get(name) == value:
                del os.environ[name]
        self.env_set = {}


_registry = _Registry()


def ended_activations() -> tuple[int, list[Call]]:
    """How many activations have ended, and the calls of the last one."""
    return _registry.ended, _registry.ended_calls


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


class CustomerProfilesMock(Seeding, Faulting):
    """Serves every botocore customer-profiles request in-process while active.

    Use it as a decorator (functions, coroutines, ``unittest.TestCase`` and plain test
    classes), as a context manager, or with ``start()`` / ``stop()``. Handles nest: the
    state is made at the outermost start and dropped at the last stop, and requests are
    served in the account of the innermost active handle.
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        assert_all_faults_triggered: bool = True,
        skip_retry_backoff: bool = True,
        clock: Clock | None = None,
    ) -> None:
        if not _matches(_REGION_RE, region):
            raise ValueError(f"region must look like 'us-east-1', got {region!r}")
        if not _matches(_ACCOUNT_RE, account_id):
            raise ValueError(f"account_id must be 12 digits as a string, got {account_id!r}")
        if clock is not None and not (
            callable(getattr(clock, "time", None)) and callable(getattr(clock, "sleep", None))
        ):
            raise TypeError(f"clock must have time() and sleep() methods, got {clock!r}")
        self.region = region
        self.account_id = account_id
        self.assert_all_faults_triggered = assert_all_faults_triggered
        self.skip_retry_backoff = skip_retry_backoff
        self.clock: Clock = clock if clock is not None else RealClock()
        self._starts = 0
        self._registered = []
        self._failed = False  # a body run inside this activation raised
        self._last_calls: list[Call] = []

    # -- activation ---------------------------------------------------------------

    def start(self) -> CustomerProfilesMock:
        with _registry.lock:
            _registry.push(self)
            if self._starts == 0:
                self._registered = []
                self._failed = False
            self._starts += 1
        return self

    def stop(self) -> None:
        """Deactivate; at the last stop of this handle, check for unused faults."""
        __tracebackhide__ = True
        self._stop(check_faults=True)

    def _stop(self, check_faults: bool) -> None:
        __tracebackhide__ = True
        with _registry.lock:
            if self._starts == 0:
                raise RuntimeError(
                    "customer_profiles_mock: stop() called without a matching start()."
                )
            last = self._starts == 1
            unused = self.unused_faults() if last else []
            if last:
                self._last_calls = self.calls
                for fault in self._registered:  # an inner handle's faults end with it
                    fault.remove(withdrawn=False)
            self._starts -= 1
            _registry.pop(self)
        # When a test body failed, that failure is the one to report.
        if unused and check_faults and not self._failed and self.assert_all_faults_triggered:
            raise UnusedFaultsError(unused)

    @property
    def active(self) -> bool:
        return self._starts > 0

    def __enter__(self) -> CustomerProfilesMock:
        return self.start()

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self._exit(exc_type is not None)

    async def __aenter__(self) -> CustomerProfilesMock:
        return self.start()

    async def __aexit__(self, exc_type: object, *exc_info: object) -> None:
        self._exit(exc_type is not None)

    def _exit(self, raised: bool) -> None:
        # Remembered for the whole activation: with class decoration the last stop
        # (tearDown's cleanup, teardown_method) happens after the test body.
        self._failed = self._failed or raised
        self._stop(check_faults=True)

    def account_for(self, headers: Mapping[str, str]) -> str:
        """The account a request is served in: this handle's (credentials come later)."""
        return self.account_id

    def _state(self) -> State:
        state = _registry.state
        if state is None or not self.active:
            raise RuntimeError(
                "customer_profiles_mock: the mock is not active. Seed it, register faults "
                "and read its state inside the decorated test or the 'with' block, or call "
                "start() first."
            )
        return state

    def _backend(self, region: str | None, account_id: str | None) -> RegionBackend:
        return self._state().store.backend(account_id or self.account_id, region or self.region)

    # -- decoration ---------------------------------------------------------------

    @overload
    def __call__(self, target: type[Any]) -> type[Any]: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        if inspect.isclass(target):
            return self._decorate_class(target)
        if not callable(target):
            raise TypeError(
                f"mock_customer_profiles decorates functions and classes, not {target!r}"
            )
        return self._decorate_function(target)

    def _decorate_function(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _decorate_class(self, cls: type[Any]) -> type[Any]:
        if issubclass(cls, unittest.TestCase):
            self._decorate_test_case(cls)
            return cls
        self._wrap_test_methods(cls)
        if callable(getattr(cls, "setup_method", None)) or callable(
            getattr(cls, "teardown_method", None)
        ):
            self._wrap_setup_teardown(cls)
        return cls

    def _decorate_test_case(self, cls: type[unittest.TestCase]) -> None:
        # setUpClass runs inside the mock and what it seeds becomes each test's starting
        # state; setUp, the test and tearDown run inside the mock with a fresh copy of
        # it. The cleanup that stops the mock runs after tearDown, even when setUp fails.
        original_setup_class = cls.setUpClass
        original_setup = cls.setUp
        baseline: list[Store] = []

        def setUpClass(klass: type[unittest.TestCase]) -> None:  # noqa: N802 - unittest's name
            self.start()
            try:
                original_setup_class()
                baseline[:] = [_registry.active_store().clone()]
            finally:
                self._stop(check_faults=False)

        def setUp(test: unittest.TestCase) -> None:  # noqa: N802 - unittest's name
            self.start()
            test.addCleanup(self.stop)
            if baseline:  # start from the class's seed (beside an outer mock's state)
                _registry.active_store().merge(baseline[0].clone())
            try:
                original_setup(test)
            except BaseException:
                self._failed = True
                raise

        cls.setUpClass = classmethod(setUpClass)  # type: ignore[assignment,method-assign]
        cls.setUp = setUp  # type: ignore[method-assign,assignment]
        self._wrap_test_methods(cls)  # so a failing test is known at the cleanup

    def _wrap_test_methods(self, cls: type[Any]) -> None:
        # Inherited tests too: they are wrapped on this class only.
        for name in dir(cls):
            attr = inspect.getattr_static(cls, name)
            if name.startswith("test") and inspect.isfunction(attr):
                setattr(cls, name, self._decorate_function(attr))

    def _wrap_setup_teardown(self, cls: type[Any]) -> None:
        # pytest calls setup_method/teardown_method outside the test function: start
        # in the first and stop in the second so all three share one state.
        original_setup = getattr(cls, "setup_method", None)
        original_teardown = getattr(cls, "teardown_method", None)

        def setup_method(instance: Any, method: Any = None) -> None:
            self.start()
            try:
                _call_with_optional_method(original_setup, instance, method)
            except BaseException:
                self._failed = True
                self.stop()
                raise

        def teardown_method(instance: Any, method: Any = None) -> None:
            try:
                _call_with_optional_method(original_teardown, instance, method)
            finally:
                self.stop()

        cls.setup_method = setup_method
        cls.teardown_method = teardown_method


def _call_with_optional_method(func: Any, instance: Any, method: Any) -> None:
    """Call ``setup_method``/``teardown_method`` as pytest does: ``method`` is optional."""
    if func is None:
        return
    if func.__code__.co_argcount > 1:
        func(instance, method)
    else:
        func(instance)


@overload
def mock_customer_profiles(func: F, /) -> F: ...
@overload
def mock_customer_profiles(
    func: None = None,
    /,
    *,
    region: str = ...,
    account_id: str = ...,
    assert_all_faults_triggered: bool = ...,
    skip_retry_backoff: bool = ...,
    clock: Clock | None = ...,
) -> CustomerProfilesMock: ...
def mock_customer_profiles(func: Any = None, /, **options: Any) -> Any:
    """Mock Customer Profiles: ``@mock_customer_profiles``, ``@mock_customer_profiles(...)``,
    ``with mock_customer_profiles() as cp:`` or ``cp = mock_customer_profiles(); cp.start()``.

    :param region: the region the handle seeds into by default (requests are routed by
        the calling client's own region). Default ``us-east-1``.
    :param account_id: the account requests are served in and the handle seeds into.
        Default ``123456789012``.
    :param assert_all_faults_triggered: at stop, fail with ``UnusedFaultsError`` (an
        ``AssertionError``) when a fault with ``times`` never triggered. Default True.
    :param skip_retry_backoff: botocore's back-off between retries of customer-profiles
        calls does not sleep. Default True.
    :param clock: the clock of ``delay`` and ``rate_limit`` faults; default the real one,
        ``VirtualClock()`` for one the test moves.
    """
    mock = CustomerProfilesMock(**options)
    if func is None:
        return mock
    return mock(func)
