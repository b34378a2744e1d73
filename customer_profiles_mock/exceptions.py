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


class FaultPredicateError(CustomerProfilesMockError, RuntimeError):
    """A fault's ``when=`` predicate raised while the mock matched a request against it."""

    def __init__(self, fault: str, operation: str, error: BaseException) -> None:
        self.fault = fault
        self.error = error
        super().__init__(
            f"customer_profiles_mock: the when= predicate of the fault '{fault}' raised "
            f"{type(error).__name__}: {error} on a {operation} request. A predicate gets the "
            "request parameters (a dict): use params.get(...) for members a request may lack."
        )


class UnsupportedOperationError(CustomerProfilesMockError, NotImplementedError):
    """A real Customer Profiles operation that this mock does not implement yet."""

    def __init__(self, operation: str, implemented: Iterable[str]) -> None:
        self.operation = operation
        names = ", ".join(sorted(implemented))
        super().__init__(
            f"customer_profiles_mock: {operation} is not implemented. "
            f"Implemented operations: {names}."
        )


DEFAULT_OPT_OUT = "pass assert_all_faults_triggered=False to mock_customer_profiles()"


class UnusedFaultsError(CustomerProfilesMockError, AssertionError):
    """Faults registered with ``times`` were never triggered (``assert_all_faults_triggered``)."""

    def __init__(self, faults: Iterable[object], opt_out: str = DEFAULT_OPT_OUT) -> None:
        self.faults = list(faults)
        lines = "\n".join(
            f"- {getattr(f, 'describe', f.__repr__)()}, registered at "
            f"{getattr(f, 'registered_at', '?')}"
            for f in self.faults
        )
        super().__init__(
            "customer_profiles_mock: the following faults were registered but never "
            f"triggered:\n{lines}\n\nIf this is on purpose, {opt_out}."
        )


_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    (str, "a string"),
    ((int, float), "a number"),
    (list, "an array"),
    (dict, "an object"),
)


def kind_of(value: object, *, json: bool = False) -> str:
    """What a value is, for a message that must not echo it: ``a str``, ``an int``,
    ``None`` (a refused value may be large or secret; API errors never echo it); with
    ``json``, as JSON names it: ``a string``, ``a number``, ``an array``, ``null``."""
    if value is None:
        return "null" if json else "None"
    if json:
        for types, kind in _JSON_KINDS:
            if isinstance(value, types):
                return kind
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"
