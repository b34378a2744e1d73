"""The registry of implemented operations: each feature package declares its own handlers.

The service pipeline looks operations up here and never names one. A handler takes a
``Context`` (the region it runs in: everything one account holds in one region, and the
templates registered on the activation) and the parsed, validated parameters, and returns
the output members. The pipeline holds the region's lock around it, so handlers never
take locks themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from customer_profiles_mock.store.domain import Domain, PartKey
from customer_profiles_mock.store.store import Region


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler runs with besides its parameters, handed in explicitly."""

    region: Region
    # The object-type templates registered on the activation (template id -> template);
    # the object-types feature reads them over the ones it ships.
    templates: Mapping[str, dict[str, Any]]
    # The activation's clock at this call, and how long each step of a job takes on it.
    now: float = 0.0
    job_seconds: float = 0.0

    def schedule(self, domain: Domain, part: PartKey[Any], key: str) -> None:
        """Tell ``domain``'s part ``part`` that ``key`` is due one job step from now
        (``DomainPart.on_due``, which returns True to be told again a step later). With
        ``job_seconds`` 0, the default, every step is done before the next call is
        answered; ``cp.settle()`` does them all at once whatever the clock says."""
        self.region.schedule(self.now + self.job_seconds, domain, part.name, key)


Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Handler


OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation ``name``."""

    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name!r} has two handlers")
        OPERATIONS[name] = Operation(name, handler)
        return handler

    return register
