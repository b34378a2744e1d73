"""Eventual consistency: a write that reads do not see until it has settled on the clock.

AWS queues ingestion and runs merges as jobs, so a read right after a write may not see
it. A lagged write is made at once (later writes see it), but until it settles, reads of
its domain see what it changed (the parts of the domain it reached, and those that hear
profile changes) as it was just before it; the rest of the domain reads as it is. Writes
settle in the order they were made, each no sooner than its own lag (a queue, as AWS's
ingestion is), so a read never sees a later write without an earlier one. The Region's
schedule settles them; ``cp.settle()`` settles every one.

A snapshot holds the settled state only: a restored mock has nothing pending.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import deque
from typing import Any, NamedTuple

from customer_profiles_mock.core.operations import OPERATIONS, Context, Operation
from customer_profiles_mock.faults import READ_PREFIXES
from customer_profiles_mock.store.domain import Domain, DomainPart, FrozenDomain, register_part
from customer_profiles_mock.store.store import Region


def eventual_writes() -> frozenset[str]:
    """The writes consistency="eventual" lags by default: those their features declare
    AWS applies asynchronously (``@operation(..., eventual=True)``: ingestion is queued,
    merges run as jobs, and profile writes are read back through the same search index
    [INFERRED: the set])."""
    return frozenset(name for name, op in OPERATIONS.items() if op.eventual)


_keys = itertools.count()


class _Pending(NamedTuple):
    key: str
    before: FrozenDomain  # the domain just before the write
    touched: frozenset[str]  # the parts the write may have changed
    settled: list[bool]  # [True] once its lag has passed (it may wait on an earlier one)
    seen: list[Domain]  # the thawed ``before``, made at the first read that needs it


class Lag(DomainPart):
    """The writes of one domain that reads do not see yet, oldest first."""

    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending: deque[_Pending] = deque()

    def freeze(self) -> object:
        return None  # a snapshot is of the settled state

    def on_due(self, domain: Domain, key: str) -> bool:
        for entry in self.pending:
            if entry.key == key:
                entry.settled[0] = True
        while self.pending and self.pending[0].settled[0]:
            self.pending.popleft()
        return False

    def seen(self, domain: Domain) -> Domain | None:
        """``domain`` as reads see it now (each part a lagging write changed as it was
        before the oldest such write), None when they see it as it is."""
        if not self.pending:
            return None
        earlier: dict[str, DomainPart] = {}
        for entry in self.pending:
            if not entry.seen:
                entry.seen.append(Domain.thaw(entry.before))
            for name in entry.touched - earlier.keys():
                earlier[name] = entry.seen[0].part_named(name)
        return domain.with_parts(earlier)


LAG = register_part("consistency_lag", lambda domain: Lag(), lambda domain, frozen: Lag())


def run(
    operation: Operation, ctx: Context, params: dict[str, Any], visible_at: float | None
) -> dict[str, Any]:
    """Run ``operation``'s handler: a write ``visible_at`` a clock time is lagged until
    then; a read sees its domain without the writes still lagging."""
    region = ctx.region
    if visible_at is not None:
        domain = _domain(region, params)
        if domain is None:
            return operation.handler(ctx, params)
        before = domain.freeze()
        with domain.tracked() as touched:
            result = operation.handler(ctx, params)
        region.lagged = True
        key = f"{next(_keys)}"
        touched.discard(LAG.name)
        domain.part(LAG).pending.append(_Pending(key, before, frozenset(touched), [False], []))
        region.schedule(visible_at, domain, LAG.name, key)
        return result
    if region.lagged and operation.name.startswith(READ_PREFIXES):
        domain = _domain(region, params)
        seen = domain.part(LAG).seen(domain) if domain is not None else None
        if seen is not None:
            ctx = dataclasses.replace(ctx, region=region.seen_with(seen))
    return operation.handler(ctx, params)


def _domain(region: Region, params: dict[str, Any]) -> Domain | None:
    name = params.get("DomainName")
    return region.domains.find(name) if isinstance(name, str) else None
