"""The botocore service model of Customer Profiles, loaded once and shared."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from typing import Any

import botocore.session

from customer_profiles_mock.exceptions import InvalidArgumentError

SERVICE_NAME = "customer-profiles"


@functools.cache
def service_model() -> Any:
    """The ``botocore.model.ServiceModel`` every other module is driven by."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@functools.cache
def operation_names() -> tuple[str, ...]:
    return tuple(service_model().operation_names)


def operation_model(name: str) -> Any:
    return service_model().operation_model(name)


def output_shape(operation: str) -> Any:
    """The operation's output shape (None for an operation that answers nothing)."""
    return operation_model(operation).output_shape


def output_members(operation: str, shape: Any = None) -> frozenset[str]:
    """The member names of ``shape``, else of ``operation``'s output shape."""
    shape = shape if shape is not None else output_shape(operation)
    return frozenset(shape.members) if shape is not None else frozenset()


def did_you_mean(name: object, choices: Iterable[str]) -> str:
    """`` Did you mean 'X'?`` for the choice closest to a mistyped ``name``, else ``""``:
    one that differs only in case first, then the closest spelling."""
    if not isinstance(name, str):
        return ""
    choices = list(choices)
    close = [c for c in choices if c.lower() == name.lower()]
    close = close or difflib.get_close_matches(name, choices, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_operation_name(name: object) -> str:
    """Return ``name`` if the model has that operation, else fail with a suggestion."""
    names = operation_names()
    if isinstance(name, str) and name in names:
        return name
    raise InvalidArgumentError(f"Unknown operation {name!r}.{did_you_mean(name, names)}")


_REGION = re.compile(r"[a-z]{2}(-[a-z0-9]+)+-[0-9]+")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_DOMAIN_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")


def check_region(value: object) -> None:
    """Fail unless ``value`` looks like a region name (``us-east-1``)."""
    if not (isinstance(value, str) and _REGION.fullmatch(value)):
        raise InvalidArgumentError(f"region must look like 'us-east-1', got {value!r}")


def check_account_id(value: object) -> None:
    """Fail unless ``value`` is an account id: 12 digits, as a string."""
    if not (isinstance(value, str) and _ACCOUNT_ID.fullmatch(value)):
        raise InvalidArgumentError(f"account_id must be 12 digits as a string, got {value!r}")


def is_region(value: str) -> bool:
    """Whether ``value`` looks like a region name (``us-east-1``)."""
    return _REGION.fullmatch(value) is not None


def is_account_id(value: str) -> bool:
    """Whether ``value`` is an account id (12 digits)."""
    return _ACCOUNT_ID.fullmatch(value) is not None


def is_domain_name(value: object) -> bool:
    """Whether ``value`` is a DomainName as the model's ``name`` shape allows."""
    return isinstance(value, str) and _DOMAIN_NAME.fullmatch(value) is not None
