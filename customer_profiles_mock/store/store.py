"""All state of one activation, and snapshots of it.

The store holds a Region (its domains) per account and region, made on demand; a
snapshot of it is restored in constant time however large."""

from __future__ import annotations

import contextlib
import copy
import heapq
import itertools
import math
from typing import NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.exceptions import InvalidArgumentError
from customer_profiles_mock.store.domain import PARTS, Domain, DomainTable, FrozenDomain


class Region:
    """Everything one account holds in one region: its domains, and what they hold (the
    parts features keep in them).

    ``lock`` guards all of it: the service pipeline holds it around a handler, seeding
    around a write, so the feature tables themselves take no locks.
    """

    def __init__(self, account_id: str, name: str) -> None:
        self.account_id = account_id
        self.name = name
        self.lock = forksafe.rlock()
        self.domains = DomainTable()
        self._due: list[Due] = []  # a heap: the soonest first
        self.lagged = False  # a write here was ever lagged: reads look (core.consistency)
        self._order = itertools.count()

    def schedule(self, at: float, domain: Domain, part: str, key: str) -> None:
        """Tell part ``part`` of ``domain`` that ``key`` is due once the clock reaches
        ``at`` (``DomainPart.on_due``); dropped if the domain is deleted first."""
        self._push(Due(at, next(self._order), domain.name, domain.serial, part, key))

    def _push(self, entry: Due) -> None:
        heapq.heappush(self._due, entry)

    def run_due(self, now: float, step: float) -> None:
        """Tell the parts what is due at ``now``; what asks to be told again is due
        ``step`` later (so with ``step`` 0 a job runs through all its states at once).
        Costs nothing while nothing is due."""
        due = self._due
        while due and due[0].at <= now:
            entry = heapq.heappop(due)
            domain = self.domains.find(entry.domain)
            if domain is None or domain.serial != entry.serial:
                continue  # deleted (and perhaps made again) since
            if domain.due(entry.part, entry.key):
                self._push(entry._replace(at=entry.at + step, order=next(self._order)))

    def seen_with(self, domain: Domain) -> Region:
        """This region as one read sees it: ``domain`` in place of the live domain of its
        name (an earlier state of it), everything else shared."""
        view = copy.copy(self)
        view.domains = self.domains.replaced(domain)
        return view

    def freeze(self) -> FrozenRegion:
        with self.lock:
            return FrozenRegion(self.domains.freeze(), tuple(self._due))

    @classmethod
    def thaw(cls, account_id: str, name: str, frozen: FrozenRegion) -> Region:
        region = cls(account_id, name)
        for domain in frozen.domains:
            region.domains.adopt(Domain.thaw(domain))
        for entry in frozen.due:
            region._push(entry._replace(order=next(region._order)))
        return region


class Due(NamedTuple):
    """Something a part scheduled: due at ``at`` on the activation's clock."""

    at: float
    order: int  # ties in the order they were scheduled
    domain: str
    serial: int  # the domain's, so that a later domain of that name does not get it
    part: str
    key: str


class FrozenRegion(NamedTuple):
    domains: list[FrozenDomain]
    due: tuple[Due, ...] = ()


class Snapshot:
    """The state of a mock (every account and region) frozen by ``cp.snapshot()``.

    ``cp.restore(snapshot)`` makes a mock's state that again, in time that does not grow
    with the number of profiles: the restored state reads through to the snapshot and
    keeps its own changes apart, so one snapshot serves any number of tests.
    """

    __slots__ = ("_regions",)

    def __init__(self, regions: dict[tuple[str, str], FrozenRegion]) -> None:
        self._regions = regions

    def thaw(self) -> Store:
        store = Store()
        store._regions = {key: Region.thaw(*key, frozen) for key, frozen in self._regions.items()}
        return store

    def __repr__(self) -> str:
        domains = [d for region in self._regions.values() for d in region.domains]
        counts = "".join(
            f", {sum(len(d.parts[key.name]) for d in domains)} {key.counted}"
            for key in PARTS
            if key.counted is not None
        )
        regions = sum(1 for region in self._regions.values() if region.domains)
        return f"<Snapshot: {len(domains)} domains{counts} in {regions} regions>"


class Store:
    """The regions of one activation, by (account, region)."""

    def __init__(self) -> None:
        self._lock = forksafe.lock()
        self._regions: dict[tuple[str, str], Region] = {}

    def region(self, account_id: str, name: str) -> Region:
        key = (account_id, name)
        region = self._regions.get(key)
        if region is None:
            with self._lock:
                region = self._regions.get(key)
                if region is None:
                    region = self._regions[key] = Region(account_id, name)
        return region

    def settle(self) -> None:
        """Run everything scheduled to its end, whatever the clock says (``cp.settle()``)."""
        with self._lock:
            regions = list(self._regions.values())
        for region in regions:
            with region.lock:
                region.run_due(math.inf, 0.0)

    def snapshot(self) -> Snapshot:
        """This state, frozen: later changes to the store do not reach it."""
        with self._lock:
            regions = list(self._regions.items())
        return Snapshot({key: region.freeze() for key, region in regions})

    def restore(self, snapshot: Snapshot) -> None:
        """Make this state the snapshot's, dropping every domain it held."""
        regions = snapshot.thaw()._regions
        with self._lock:
            self._regions = regions

    def adopt(self, other: Store) -> None:
        """Take ``other``'s domains (with their tags) that this store lacks; ``other``
        must not be used afterwards."""
        with self._lock:
            regions = list(other._regions.items())
        for (account_id, name), theirs in regions:
            mine = self.region(account_id, name)
            with mine.lock:
                taken = set[tuple[str, int]]()
                for domain_name in theirs.domains.names():
                    if domain_name not in mine.domains:
                        domain = theirs.domains.get(domain_name)
                        mine.domains.adopt(domain)
                        taken.add((domain.name, domain.serial))
                # What the taken domains scheduled goes with them.
                for entry in theirs._due:
                    if (entry.domain, entry.serial) in taken:
                        mine._push(entry._replace(order=next(mine._order)))
                mine.lagged = mine.lagged or theirs.lagged

    def take(self, other: Store) -> None:
        """Take all of ``other``'s domains (with their tags), or none when one of them
        exists here already; ``other`` must not be used afterwards. The regions stay
        locked from the check to the last domain, so no request slips in between."""
        with self._lock:
            regions = sorted(other._regions.items())
        mine = [self.region(account_id, name) for (account_id, name), _ in regions]
        with contextlib.ExitStack() as locked:
            for region in mine:
                locked.enter_context(region.lock)
            for region, (_, theirs) in zip(mine, regions, strict=True):
                for domain_name in theirs.domains.names():
                    if domain_name in region.domains:
                        raise InvalidArgumentError(
                            f"load(): domain {domain_name!r} already exists in account "
                            f"{region.account_id}, region {region.name}; nothing was loaded."
                        )
            self.adopt(other)
