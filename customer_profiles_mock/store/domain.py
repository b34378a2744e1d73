"""A generic domain that names no feature.

It holds its name, ARN, configuration, tags and timestamps, plus the parts
that features register (their tables), the events that cascade between them, and a
frozen form for snapshots.

A feature registers its part once, at import::

    PROFILES = register_part("profiles", ProfileTable.new, ProfileTable.thaw)

and reaches it with ``domain.part(PROFILES)``. Every domain made afterwards holds one of
each registered part, in registration order (features import the features they build
on, so a part is registered after the parts it reads).
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from customer_profiles_mock.wire.errors import (
    BadRequestException,
    ResourceNotFoundException,
    domain_not_found_message,
)


def later(previous: float) -> float:
    """A LastUpdatedAt for a change now: later than ``previous`` even where the clock is
    coarse, so a change always shows."""
    return max(time.time(), previous + 0.001)


class Change(NamedTuple):
    """One change to a profile, as the profile history records it and an event stream
    publishes it: ``action`` is the model's ``ActionType`` (CREATED, UPDATED, INGESTED,
    ADDED_PROFILE_KEY, DELETED_PROFILE_KEY, DELETED_BY_CUSTOMER, MERGED, DELETED_BY_MERGE),
    ``object_type`` ``_profile`` for a change to the profile itself, else the ingested
    object's type; ``content`` the profile after the change (before it, for a deletion),
    the object, or ``{"KeyName", "Values"}``; ``unique_key`` the object's
    ``ProfileObjectUniqueKey``; ``at`` the wall-clock time of the change."""

    action: str
    profile_id: str
    object_type: str
    content: Mapping[str, Any]
    unique_key: str | None
    at: float


class DomainPart:
    """What a feature keeps in each domain. Every event is a no-op unless overridden."""

    __slots__ = ()

    def freeze(self) -> object:
        """This part's content, frozen for a snapshot (``thaw`` gets it back)."""
        raise NotImplementedError

    def find_profiles(self, domain: Domain, key: str, value: str) -> Iterable[str]:
        """The ids of the profiles search key ``key`` = ``value`` finds through this part."""
        return ()

    def on_profile_deleted(self, domain: Domain, profile_id: str) -> None:
        """A profile was deleted (DeleteProfile)."""

    def on_profiles_merged(self, domain: Domain, main_id: str, merged_ids: list[str]) -> None:
        """Profiles were merged into ``main_id`` and then deleted (MergeProfiles)."""

    def on_object_type_deleted(self, domain: Domain, name: str) -> None:
        """Object type ``name`` was deleted (DeleteProfileObjectType)."""

    def on_change(self, domain: Domain, change: Change) -> bool | None:
        """A profile changed (``Change``): every profile write and every ingestion.
        Return False when this part did not change for it (what a lagged write changed
        is read as it was until the write settles: ``core.consistency``)."""
        return False

    def on_due(self, domain: Domain, key: str) -> bool:
        """What this part scheduled as ``key`` (``Context.schedule``) is due: move it one
        step, and return True to be told again one step later (a job with more states)."""
        return False


P = TypeVar("P", bound=DomainPart)


class PartKey(Generic[P]):
    """A registered part: its name, how a new domain makes it and how a restored one
    thaws it; ``counted`` names it in a snapshot's summary ("2 profiles")."""

    __slots__ = ("counted", "name", "new", "thaw")

    def __init__(
        self,
        name: str,
        new: Callable[[Domain], P],
        thaw: Callable[[Domain, Any], P],
        counted: str | None,
    ) -> None:
        self.name = name
        self.new = new
        self.thaw = thaw
        self.counted = counted


PARTS: list[PartKey[Any]] = []


def register_part(
    name: str,
    new: Callable[[Domain], P],
    thaw: Callable[[Domain, Any], P],
    *,
    counted: str | None = None,
) -> PartKey[P]:
    """Give every domain a part ``name``: ``new(domain)`` in a new domain, ``thaw(domain,
    frozen)`` in one restored from a snapshot (``frozen`` is what its ``freeze()`` gave)."""
    if any(key.name == name for key in PARTS):
        raise RuntimeError(f"domain part {name!r} is registered twice")
    key = PartKey(name, new, thaw, counted)
    PARTS.append(key)
    return key


class FrozenDomain(NamedTuple):
    """A domain as a snapshot froze it."""

    name: str
    arn: str
    config: dict[str, Any]
    created_at: float
    updated_at: float
    tags: dict[str, str]
    parts: dict[str, Any]
    serial: int


_serials = itertools.count()


class _Tracking(dict[str, DomainPart]):
    """A domain's parts that note each one looked up (``Domain.tracked``)."""

    def __init__(self, parts: dict[str, DomainPart], touched: set[str]) -> None:
        super().__init__(parts)
        self.touched = touched

    def __getitem__(self, name: str) -> DomainPart:
        self.touched.add(name)
        return super().__getitem__(name)


class Domain:
    """One domain: its configuration, its tags and the parts features keep in it."""

    __slots__ = ("_parts", "arn", "config", "created_at", "name", "serial", "tags", "updated_at")

    def __init__(
        self,
        name: str,
        arn: str,
        config: dict[str, Any],
        tags: dict[str, str] | None = None,
        frozen: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.arn = arn
        self.config = config
        self.tags: dict[str, str] = tags if tags is not None else {}
        self.created_at = self.updated_at = time.time()
        # Tells this domain from a later one of the same name (what it scheduled is its own).
        self.serial = next(_serials)
        self._parts: dict[str, DomainPart] = {}
        for key in PARTS:
            if frozen is not None and key.name in frozen:
                self._parts[key.name] = key.thaw(self, frozen[key.name])
            else:
                self._parts[key.name] = key.new(self)

    def part(self, key: PartKey[P]) -> P:
        """The part ``key`` names (its type is the one it was registered with)."""
        return self._parts[key.name]  # type: ignore[return-value]

    def part_named(self, name: str) -> DomainPart:
        """The part registered as ``name``."""
        return self._parts[name]

    def find(self, key: str, value: str) -> list[str]:
        """The ids of the profiles search key ``key`` = ``value`` finds, through every part
        that finds profiles, in registration order, each once."""
        found: list[str] = []
        for part in self._parts.values():
            for profile_id in part.find_profiles(self, key, value):
                if profile_id not in found:
                    found.append(profile_id)
        return found

    def _tell(self, hook: str, *args: Any) -> None:
        """Call event ``hook`` of every part; while ``tracked``, note each part that hears
        it (overrides it) and does not answer False (it did not change)."""
        parts = self._parts
        touched = parts.touched if isinstance(parts, _Tracking) else None
        for name, part in parts.items():
            result = getattr(part, hook)(self, *args)
            if (
                touched is not None
                and result is not False
                and getattr(type(part), hook) is not getattr(DomainPart, hook)
            ):
                touched.add(name)

    def profile_deleted(self, profile_id: str) -> None:
        self._tell("on_profile_deleted", profile_id)

    def profiles_merged(self, main_id: str, merged_ids: list[str]) -> None:
        self._tell("on_profiles_merged", main_id, merged_ids)

    def object_type_deleted(self, name: str) -> None:
        self._tell("on_object_type_deleted", name)

    @contextlib.contextmanager
    def tracked(self) -> Iterator[set[str]]:
        """The names of the parts a block reaches through ``part()``, and of those its
        events changed (``on_change`` and the cascades): those a write in it may change."""
        parts, touched = self._parts, set[str]()
        self._parts = _Tracking(parts, touched)
        try:
            yield touched
        finally:
            self._parts = parts

    def with_parts(self, parts: Mapping[str, DomainPart]) -> Domain:
        """A view of this domain with ``parts`` in place of its own of those names (an
        earlier state of them), sharing everything else."""
        view = Domain.__new__(Domain)
        for name in Domain.__slots__:
            setattr(view, name, getattr(self, name))
        view._parts = {**self._parts, **parts}
        return view

    def changed(
        self,
        action: str,
        profile_id: str,
        content: Mapping[str, Any],
        object_type: str = "_profile",
        unique_key: str | None = None,
    ) -> None:
        """Tell every part of a change to a profile (``Change``)."""
        change = Change(action, profile_id, object_type, content, unique_key, time.time())
        self._tell("on_change", change)

    def due(self, part: str, key: str) -> bool:
        """Tell part ``part`` that ``key`` is due (``DomainPart.on_due``)."""
        return self._parts[part].on_due(self, key)

    def touch(self) -> None:
        """Move ``LastUpdatedAt``."""
        self.updated_at = later(self.updated_at)

    def freeze(self) -> FrozenDomain:
        return FrozenDomain(
            self.name,
            self.arn,
            dict(self.config),  # replaced whole by UpdateDomain, never changed in place
            self.created_at,
            self.updated_at,
            dict(self.tags),
            {name: part.freeze() for name, part in self._parts.items()},
            self.serial,
        )

    @classmethod
    def thaw(cls, frozen: FrozenDomain) -> Domain:
        """A live domain over a frozen one: its parts read through to the snapshot's."""
        domain = cls(frozen.name, frozen.arn, dict(frozen.config), dict(frozen.tags), frozen.parts)
        domain.created_at, domain.updated_at = frozen.created_at, frozen.updated_at
        domain.serial = frozen.serial
        return domain


class DomainTable:
    """The domains of one account in one region, by name, in creation order."""

    __slots__ = ("_domains",)

    def __init__(self) -> None:
        self._domains: dict[str, Domain] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._domains

    def replaced(self, domain: Domain) -> DomainTable:
        """A table like this one with ``domain`` in place of the one of its name."""
        table = DomainTable()
        table._domains = {**self._domains, domain.name: domain}
        return table

    def names(self) -> list[str]:
        return list(self._domains)

    def get(self, name: str) -> Domain:
        domain = self._domains.get(name)
        if domain is None:
            raise ResourceNotFoundException(domain_not_found_message(name))
        return domain

    def find(self, name: str) -> Domain | None:
        return self._domains.get(name)

    def add(self, domain: Domain) -> Domain:
        """Add a new domain; a 400 when one of that name exists."""
        if domain.name in self._domains:
            raise BadRequestException(f"Domain {domain.name} already exists")
        self._domains[domain.name] = domain
        return domain

    def delete(self, name: str) -> None:
        """Delete a domain and everything it holds (its tags with it)."""
        self.get(name)
        del self._domains[name]

    def sorted(self) -> list[Domain]:
        return sorted(self._domains.values(), key=lambda d: d.name)

    def adopt(self, domain: Domain) -> None:
        """Add a domain from another store (seeding once for many tests), unless one of
        that name exists."""
        self._domains.setdefault(domain.name, domain)

    def freeze(self) -> list[FrozenDomain]:
        return [domain.freeze() for domain in self._domains.values()]
