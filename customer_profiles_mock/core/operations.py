"""The registry of implemented operations: each feature module declares its own handlers.

The service pipeline looks operations up here and never names one. A handler takes the
``Region`` (everything one account holds in one region) and the parsed, validated
parameters, and returns the output members; the pipeline holds the region's lock around
it, so handlers never take locks themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from customer_profiles_mock.faults import ItemErrors

if TYPE_CHECKING:
    from customer_profiles_mock.service import State
    from customer_profiles_mock.store.store import Region

Handler = Callable[["Region", dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Handler
    item_errors: ItemErrors | None = None


OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *, item_errors: ItemErrors | None = None) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation ``name``."""

    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = Operation(name, handler, item_errors)
        return handler

    return register


# The activation state a handler (or a seeding call of the handle) runs for: the pipeline
# sets it around every handler. It reaches what an activation holds beside its regions,
# such as the object-type templates tests register, without widening the handler
# signature.
_serving: ContextVar[State | None] = ContextVar("customer_profiles_mock_serving", default=None)


def serving_state() -> State | None:
    """The activation state of the request (or seeding call) running here, else None."""
    return _serving.get()


@contextlib.contextmanager
def serving(state: State) -> Iterator[None]:
    """Run the block as serving ``state`` (``serving_state()`` returns it inside)."""
    token = _serving.set(state)
    try:
        yield
    finally:
        _serving.reset(token)
