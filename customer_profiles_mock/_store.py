"""All state of one activation: a Region (domains, tags) per account and region, on demand."""

from __future__ import annotations

import contextlib
import copy
import threading

from ._domains import DomainTable
from ._tags import TagStore
from .exceptions import InvalidArgumentError


class Region:
    """Everything one account holds in one region.

    ``lock`` guards all of it: the service pipeline holds it around a handler, seeding
    around a write, so the feature tables themselves take no locks.
    """

    def __init__(self, account_id: str, name: str) -> None:
        self.account_id = account_id
        self.name = name
        self.lock = threading.RLock()
        self.tags = TagStore()
        self.domains = DomainTable(account_id, name, self.tags)

    def clone(self) -> Region:
        other = Region(self.account_id, self.name)
        with self.lock:
            other.tags, other.domains = copy.deepcopy((self.tags, self.domains))
        return other


class Store:
    """The regions of one activation, by (account, region)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
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

    def clone(self) -> Store:
        """A deep copy: later changes to either store do not reach the other."""
        other = Store()
        with self._lock:
            other._regions = {key: region.clone() for key, region in self._regions.items()}
        return other

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
                        domain = theirs.domains.get(domain_name)
                        mine.domains.adopt(domain)
                        mine.tags.set(domain.arn, theirs.tags.get(domain.arn))

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
