"""Errors: AWS service errors the mock answers with, and the mock's own errors for test authors."""

from __future__ import annotations

from collections.abc import Iterable


class ServiceError(Exception):
    """An error the service answers with; ``code`` is the model's error shape name.

    The HTTP status is not stored here: the wire layer takes it from the error
    shape in the botocore model, so it can never disagree with the model.
    """

    code = "InternalServerException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestException(ServiceError):
    code = "BadRequestException"


class AccessDeniedException(ServiceError):
    code = "AccessDeniedException"


class ResourceNotFoundException(ServiceError):
    code = "ResourceNotFoundException"


class ThrottlingException(ServiceError):
    code = "ThrottlingException"


class InternalServerException(ServiceError):
    code = "InternalServerException"


class CustomerProfilesMockError(Exception):
    """Base class of the errors the mock raises at test authors (never sent over the wire)."""


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
