"""Decorating functions, coroutines, ``unittest.TestCase`` and plain test classes with a handle."""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from customer_profiles_mock.exceptions import InvalidTypeError, MockStateError, kind_of
from customer_profiles_mock.handle.faulting import FaultRegistrar
from customer_profiles_mock.store.store import Snapshot, Store


class Decoratable(Protocol):
    """What decorating needs of a handle (``Decoratable`` is one)."""

    def start(self) -> object: ...

    def stop(self) -> None: ...

    def __enter__(self) -> object: ...

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None: ...

    def _stop(self, check_faults: bool) -> None:
        """Stop; check the unused faults only when ``check_faults``."""

    def _mark_failed(self) -> None:
        """The test failed: its unused faults are not reported on top."""

    def _store(self) -> Store: ...

    @property
    def _faults(self) -> FaultRegistrar: ...


F = TypeVar("F", bound=Callable[..., Any])


def decorate(mock: Decoratable, target: Any) -> Any:
    if inspect.isclass(target):
        if issubclass(target, unittest.TestCase):
            _decorate_test_case(mock, target)
        else:
            _decorate_plain_class(mock, target)
        return target
    if not callable(target):
        raise InvalidTypeError(
            f"mock_customer_profiles decorates functions and classes, got {kind_of(target)}"
        )
    return decorate_function(mock, target)


def decorate_function(mock: Decoratable, func: F) -> F:
    """Run ``func`` inside the mock: a coroutine while it is awaited, a generator (a
    pytest yield fixture) or async generator while it runs, up to its last step."""
    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def async_generator_wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock:
                async for item in func(*args, **kwargs):
                    yield item

        return async_generator_wrapper  # type: ignore[return-value]

    if inspect.isgeneratorfunction(func):

        @functools.wraps(func)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock:
                return (yield from func(*args, **kwargs))

        return generator_wrapper  # type: ignore[return-value]

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            with mock:
                return await func(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with mock:
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _decorate_test_case(mock: Decoratable, cls: type[unittest.TestCase]) -> None:
    # setUpClass runs inside the mock and what it seeds becomes each test's starting
    # state; setUp, the test and tearDown run inside the mock with a fresh copy of it.
    # The cleanup that stops the mock runs after tearDown, even when setUp fails. A
    # subclass is decorated too: its own setUpClass, setUp and tests, and its own seed.
    baselines: dict[type, Snapshot] = {}

    def decorate_own(klass: type[unittest.TestCase]) -> None:
        own = vars(klass)
        if klass is cls or "setUpClass" in own:
            _wrap_setup_class(mock, klass, baselines)
        if klass is cls or "setUp" in own:
            _wrap_setup(mock, klass, baselines)
        _wrap_test_methods(mock, klass, inherited=klass is cls)

    own_init_subclass = vars(cls).get("__init_subclass__")

    def __init_subclass__(sub: type[unittest.TestCase], /, **kwargs: Any) -> None:
        if own_init_subclass is not None:
            own_init_subclass.__get__(None, sub)(**kwargs)
        else:
            super(cls, sub).__init_subclass__(**kwargs)
        decorate_own(sub)

    cls.__init_subclass__ = classmethod(__init_subclass__)  # type: ignore[assignment,method-assign]
    decorate_own(cls)


_STARTED = "_customer_profiles_mock_started"


def _wrap_setup(
    mock: Decoratable, cls: type[unittest.TestCase], baselines: dict[type, Snapshot]
) -> None:
    """``cls.setUp`` run inside the mock, which starts at the first wrapped ``setUp`` of a
    test (a subclass's ``setUp`` calling ``super().setUp()`` starts it once)."""
    original = inspect.getattr_static(cls, "setUp")

    def setUp(test: unittest.TestCase) -> None:
        if getattr(test, _STARTED, False):
            original(test)
            return
        setattr(test, _STARTED, True)
        mock.start()
        test.addCleanup(mock.stop)
        baseline = baselines.get(type(test))
        if baseline is not None:  # start from the class's seed (beside an outer mock's)
            mock._store().adopt(baseline.thaw())
        try:
            original(test)
        except BaseException:
            mock._mark_failed()
            raise

    cls.setUp = setUp  # type: ignore[method-assign,assignment]


def _wrap_setup_class(
    mock: Decoratable, cls: type[unittest.TestCase], baselines: dict[type, Snapshot]
) -> None:
    """``cls.setUpClass`` run inside the mock, for whichever class it is called on; what
    it seeds is kept as that class's seed."""
    original = inspect.getattr_static(cls, "setUpClass")

    def setUpClass(klass: type[unittest.TestCase]) -> None:
        mock.start()
        try:
            original.__get__(None, klass)()
            baselines[klass] = mock._store().snapshot()
            faults = list(mock._faults.registered)
        finally:
            mock._stop(check_faults=False)
        if faults:
            raise MockStateError(
                "customer_profiles_mock: faults registered in setUpClass end with it, "
                "before any test runs. Register them in setUp or in the test."
            )

    cls.setUpClass = classmethod(setUpClass)  # type: ignore[assignment,method-assign]


def _decorate_plain_class(mock: Decoratable, cls: type[Any]) -> None:
    _wrap_test_methods(mock, cls)
    if callable(getattr(cls, "setup_method", None)) or callable(
        getattr(cls, "teardown_method", None)
    ):
        _wrap_setup_teardown(mock, cls)


def _wrap_test_methods(mock: Decoratable, cls: type[Any], inherited: bool = True) -> None:
    # Inherited tests too (unless they were wrapped already): on this class only.
    for name in dir(cls) if inherited else list(vars(cls)):
        attr = inspect.getattr_static(cls, name)
        if name.startswith("test") and inspect.isfunction(attr):
            setattr(cls, name, decorate_function(mock, attr))


def _wrap_setup_teardown(mock: Decoratable, cls: type[Any]) -> None:
    # pytest calls setup_method/teardown_method outside the test function: start in the
    # first and stop in the second so all three share one state.
    original_setup = getattr(cls, "setup_method", None)
    original_teardown = getattr(cls, "teardown_method", None)

    def setup_method(instance: Any, method: Any = None) -> None:
        mock.start()
        try:
            _call_with_optional_method(original_setup, instance, method)
        except BaseException:
            mock._mark_failed()
            mock.stop()
            raise

    def teardown_method(instance: Any, method: Any = None) -> None:
        try:
            _call_with_optional_method(original_teardown, instance, method)
        finally:
            mock.stop()

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
