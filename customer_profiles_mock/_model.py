"""The botocore service model of Customer Profiles, loaded once and shared."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from typing import Any

import botocore.session

from .exceptions import InvalidArgumentError

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
