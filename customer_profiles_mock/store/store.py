"""All state of one activation, and snapshots of it.

The store holds a Region (its domains) per account and region, made on demand; a
snapshot of it is restored in constant time however large."""

from __future__ import annotations

import contextlib
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

    def freeze(self) -> FrozenRegion:
        with self.lock:
            return FrozenRegion(self.domains.freeze())

    @classmethod
    def thaw(cls, account_id: str, name: str, frozen: FrozenRegion) -> Region:
        region = cls(account_id, name)
        for domain in frozen.domains:
            region.domains.adopt(Domain.thaw(domain))
        return region


class FrozenRegion(NamedTuple):
    domains: list[FrozenDomain]


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
                for domain_name in theirs.domains.names():
                    if domain_name not in mine.domains:
                        mine.domains.adopt(theirs.domains.get(domain_name))

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
