"""The errors the mock raises at test authors; AWS errors reach tests only as ``ClientError``.

Every one is a ``CustomerProfilesMockError`` and also the built-in exception that fits,
so both ``except ValueError`` and ``except CustomerProfilesMockError`` catch a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable


class CustomerProfilesMockError(Exception):
    """Base class of the errors the mock raises at test authors (never sent over the wire)."""


class InvalidArgumentError(CustomerProfilesMockError, ValueError):
    """A seeding, fault or activation argument that is not valid (a misspelt field,
    an unknown operation, a value the model forbids)."""


class InvalidTypeError(CustomerProfilesMockError, TypeError):
    """An argument of the wrong kind (a non-callable to decorate, a marker with
    positional arguments)."""


class MockStateError(CustomerProfilesMockError, RuntimeError):
    """The handle is used in a state that does not allow it: seeding an inactive mock,
    ``stop()`` without ``start()``."""


class UnsupportedOperationError(CustomerProfilesMockError, NotImplementedError):
    """A real Customer Profiles operation that this mock does not implement yet."""

    def __init__(self, operation: str, implemented: Iterable[str]) -> None:
        self.operation = operation
        names = ", ".join(sorted(implemented))
        super().__init__(
            f"customer_profiles_mock: {operation} is not implemented. "
            f"Implemented operations: {names}."
        )


class UnusedFaultsError(CustomerProfilesMockError, AssertionError):
    """Faults registered with ``times`` were never triggered (``assert_all_faults_triggered``)."""

    def __init__(self, faults: Iterable[object]) -> None:
        self.faults = list(faults)
        lines = "\n".join(f"- {getattr(f, 'describe', f.__repr__)()}" for f in self.faults)
        super().__init__(
            "customer_profiles_mock: the following faults were registered but never "
            f"triggered:\n{lines}\n\nIf this is on purpose, pass "
            "assert_all_faults_triggered=False to mock_customer_profiles()."
        )
