"""Profiles: the per-domain table (stable order, search keys) and the profile operations."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.store.key_index import PREDEFINED_KEYS, Entry, KeyIndex, normalizer
from customer_profiles_mock.store.layers import Layered
from customer_profiles_mock.wire.codec import JsonCache, RawJSON
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

SEARCH_PAGE = 20
# [INFERRED] What BatchGetProfile answers in Errors for an id the domain lacks.
NOT_FOUND_CODE = "404"
NOT_FOUND_MESSAGE = "Profile not found"

# How the standard profile is indexed for SearchProfiles (the "standard profile
# definition" page of the Amazon Connect admin guide). ``_fullName`` and ``_profileId``
# are handled apart.
_STANDARD_KEYS: dict[str, tuple[str, ...]] = {
    "_phone": ("PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"),
    "_email": ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"),
    "_account": ("AccountNumber",),
}
_STANDARD_PAIRS = tuple((key, name) for key, names in _STANDARD_KEYS.items() for name in names)
NAME_PARTS = ("FirstName", "MiddleName", "LastName")

_ids = forksafe.generator()


def new_profile_id(rng: random.Random | None = None) -> str:
    """A UUID4 as 32 lowercase hex characters (version and variant bits set), as AWS's
    ProfileIds are; a seeded ``rng`` makes the same ids again."""
    raw = bytearray((rng or _ids).randbytes(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def full_name(profile: dict[str, Any]) -> str:
    get = profile.get
    return " ".join(p for p in (get("FirstName"), get("MiddleName"), get("LastName")) if p)


def standard_keys(profile: dict[str, Any]) -> list[Entry]:
    """The (search key, value) pairs the standard profile's fields index ``profile`` under,
    values as given (not normalised)."""
    get = profile.get
    entries = [(key, value) for key, name in _STANDARD_PAIRS if (value := get(name))]
    name = full_name(profile)
    if name:
        entries.append(("_fullName", name))
    return entries


class Extras(NamedTuple):
    """What a profile holds beside its fields: search keys added to it, each with its
    source (``""`` for AddProfileKey, else the object type that stored it), and which
    fields ingestion wrote (field path -> object type), so that CreateProfile and
    UpdateProfile values are protected and a deleted object type's fields scrubbed."""

    keys: tuple[tuple[str, str, str], ...] = ()  # (key name, normalised value, source)
    written: tuple[tuple[str, str], ...] = ()  # (field path, object type)


NO_EXTRAS = Extras()


class FrozenProfiles:
    """A profile table's content as a snapshot froze it. Never changed: every table
    restored from it reads through to it, and its search index is built once, at the
    first search in any of them."""

    __slots__ = ("_keys", "_lock", "defined", "extras", "key_types", "next", "order", "profiles")

    def __init__(
        self,
        profiles: dict[str, dict[str, Any]],
        order: dict[str, int],
        extras: dict[str, Extras],
        next_: int,
        key_types: dict[str, str],
        defined: frozenset[str],
    ):
        self.profiles = profiles
        self.defined = defined
        self.order = order
        self.extras = extras
        self.next = next_
        self.key_types = key_types
        self._keys: KeyIndex | None = None
        self._lock = forksafe.lock()

    def __len__(self) -> int:
        return len(self.profiles)

    def index(self) -> KeyIndex:
        keys = self._keys
        if keys is None:
            with self._lock:
                keys = self._keys
                if keys is None:
                    keys = KeyIndex()
                    extras, key_types = self.extras, self.key_types
                    for profile_id, profile in self.profiles.items():
                        keys.add(
                            profile_id,
                            index_entries(profile, extras.get(profile_id, NO_EXTRAS), key_types),
                        )
                    self._keys = keys
        return keys


def index_entries(
    profile: dict[str, Any], extras: Extras, key_types: Mapping[str, str]
) -> list[Entry]:
    """Every (key, normalised value) a profile is found by."""
    entries = [(key, normalizer(key, key_types)(value)) for key, value in standard_keys(profile)]
    entries.extend(dict.fromkeys((key, value) for key, value, _ in extras.keys))
    return entries


class ProfileTable(DomainPart):
    """The profiles of one domain: by id, in creation order, indexed by search key.

    Profiles are replaced, never changed in place, so each is encoded for the wire once.
    The search-key index is built at the first search, not while seeding, and kept up
    to date from then on. A table restored from a snapshot reads through to the frozen
    ``base`` and keeps only its own changes (``Layered``), so restoring costs nothing
    however large the snapshot; its own index covers the profiles it changed, and the
    base's index answers for the rest.
    """

    __slots__ = (
        "_base", "_defined", "_extras", "_indexed_types", "_json", "_keys", "_next", "_order",
        "_profiles", "key_types", "version",
    )  # fmt: skip

    def __init__(self, base: FrozenProfiles | None = None) -> None:
        self._base = base
        self._profiles: Layered[str, dict[str, Any]] = Layered(base.profiles if base else None)
        self._order: Layered[str, int] = Layered(base.order if base else None)
        self._extras: Layered[str, Extras] = Layered(base.extras if base else None)
        self._json = JsonCache()
        self._keys: KeyIndex | None = None  # of the profiles in this layer
        self._indexed_types: dict[str, str] = {}  # the key_types self._keys was built with
        self._next = base.next if base is not None else 0
        # Key name -> content type, as the domain's object types define them (the
        # domain links its object-type table's dict here).
        self.key_types: dict[str, str] = {}
        # Key names AddProfileKey or ingestion ever gave a value here: searchable.
        self._defined: set[str] = set(base.defined) if base else set()
        # Moves at every change of a profile: what is derived from the profiles (rule-based
        # match groups) is kept until it moves.
        self.version = 0

    def get(self, profile_id: str) -> dict[str, Any] | None:
        return self._profiles.get(profile_id)

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._profiles

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The profiles in creation order."""
        return (profile for _, profile in self._in_creation_order())

    def unordered(self) -> Iterable[dict[str, Any]]:
        """Every profile, in no particular order: the fastest walk (counting)."""
        profiles = self._profiles
        return profiles.own.values() if profiles.base is None else profiles.values()

    def encoded(self, profile_id: str) -> RawJSON | None:
        """The profile as the wire answers it, None when the domain has no such profile."""
        profile = self._profiles.get(profile_id)
        return None if profile is None else self._json.json(profile_id, profile)

    def with_extras(self) -> Iterator[str]:
        """The ids of the profiles that have extras (keys added, fields ingested)."""
        return iter(self._extras)

    def extras(self, profile_id: str) -> Extras:
        return self._extras.get(profile_id) or NO_EXTRAS

    def add(self, profiles: list[dict[str, Any]]) -> list[str]:
        """Store profiles (each with its ``ProfileId``) all at once, or none."""
        ids = [profile["ProfileId"] for profile in profiles]
        stored = self._profiles
        existing = stored.own if stored.base is None else stored
        if len(set(ids)) != len(ids) or any(i in existing for i in ids):
            seen: set[str] = set()
            for profile_id in ids:
                if profile_id in seen or profile_id in existing:
                    raise BadRequestException(f"Profile {profile_id} already exists")
                seen.add(profile_id)
        order = self._order
        if stored.base is None:  # the common case, at seeding speed
            own, own_order = stored.own, order.own
            for sequence, profile in enumerate(profiles, self._next):
                profile_id = profile["ProfileId"]
                own[profile_id] = profile
                own_order[profile_id] = sequence
        else:
            for sequence, profile in enumerate(profiles, self._next):
                profile_id = profile["ProfileId"]
                stored[profile_id] = profile
                order[profile_id] = sequence
        self._next += len(ids)
        self.version += 1
        keys = self._live_keys()
        if keys is not None:
            for profile in profiles:
                keys.add(profile["ProfileId"], index_entries(profile, NO_EXTRAS, self.key_types))
        return ids

    def replace(
        self, profile_id: str, profile: dict[str, Any], extras: Extras | None = None
    ) -> None:
        """Store a new version of an existing profile (and of its extras, if given)."""
        own = profile_id in self._profiles.own
        old = self._profiles[profile_id]
        old_extras = self.extras(profile_id)
        new_extras = old_extras if extras is None else extras
        self._profiles[profile_id] = profile
        self.version += 1
        if new_extras is not old_extras:
            if new_extras:
                self._extras[profile_id] = new_extras
            else:
                self._extras.pop(profile_id)
        self._json.drop(profile_id)
        self._defined.update(key for key, _, _ in new_extras.keys)
        keys = self._live_keys()
        if keys is not None:
            if own:
                keys.remove(profile_id, index_entries(old, old_extras, self.key_types))
            keys.add(profile_id, index_entries(profile, new_extras, self.key_types))

    def remove(self, profile_id: str) -> dict[str, Any]:
        own = profile_id in self._profiles.own
        profile = self._profiles.pop(profile_id)
        if profile is None:
            raise ResourceNotFoundException(f"Profile {profile_id} does not exist")
        self.version += 1
        extras = self.extras(profile_id)
        self._order.pop(profile_id)
        self._extras.pop(profile_id)
        self._json.drop(profile_id)
        keys = self._live_keys()
        if own and keys is not None:
            keys.remove(profile_id, index_entries(profile, extras, self.key_types))
        return profile

    def require(self, profile_id: str) -> dict[str, Any]:
        """The profile, or the 404 an operation answers for a missing one."""
        profile = self._profiles.get(profile_id)
        if profile is None:
            raise ResourceNotFoundException(f"Profile {profile_id} does not exist")
        return profile

    def normalize(self, key: str, value: str) -> str:
        return normalizer(key, self.key_types)(value)

    def defines(self, key: str) -> bool:
        """Whether ``key`` can be searched: predefined, defined by an object type, or
        ever given a value by AddProfileKey or ingestion in this domain [INFERRED]."""
        return key in PREDEFINED_KEYS or key in self.key_types or key in self._defined

    def find_profiles(self, domain: Domain, key: str, value: str) -> Iterable[str]:
        return self.find(key, value)

    def find(self, key: str, value: str) -> Iterable[str]:
        """The ids of the profiles found by ``key`` = ``value`` (normalised here)."""
        if key == "_profileId":
            return (value,) if value in self._profiles else ()
        value = self.normalize(key, value)
        own = self._index().find(key, value)  # (detaches from a stale base first)
        if self._base is None:
            return own
        shadowed = self._profiles.shadowed
        found = [i for i in self._base.index().find(key, value) if i not in shadowed]
        found.extend(own)
        return found

    def _live_keys(self) -> KeyIndex | None:
        """The own index, or None (rebuilt at its next use) when a key's content type
        changed since it was built: its entries are normalised the old way, and removing
        a profile's entries normalised the new way would leave them behind. A table over
        a snapshot whose key types changed takes the snapshot's profiles into its own
        layer first (once), as the snapshot's index is normalised the old way too."""
        if self._base is not None and self._base.key_types != self.key_types:
            self._detach()
        if self._keys is not None and self._indexed_types != self.key_types:
            self._keys = None
        return self._keys

    def _detach(self) -> None:
        # A flattened copy (never the base itself: the key types differ from its). The
        # extras dict may be the snapshot's own, so it is copied before being changed.
        frozen = self.freeze()
        self._profiles, self._order, self._extras = Layered(), Layered(), Layered()
        self._profiles.own, self._order.own = frozen.profiles, frozen.order
        self._extras.own = dict(frozen.extras)
        self._base = None
        self._keys = None

    def _in_creation_order(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(id, profile) in creation order: a base profile replaced in this layer keeps
        its place (a plain dict would keep it there too)."""
        if not self._profiles.shadowed:
            return self._profiles.items()
        get = self._profiles.__getitem__
        return ((i, get(i)) for i in self.in_order(self._profiles))
        self._keys = None

    def _index(self) -> KeyIndex:
        keys = self._live_keys()
        if keys is None:
            keys = self._keys = KeyIndex()
            self._indexed_types = dict(self.key_types)
            extras, key_types = self._extras, self.key_types
            for profile_id, profile in self._profiles.own.items():
                keys.add(
                    profile_id,
                    index_entries(profile, extras.get(profile_id) or NO_EXTRAS, key_types),
                )
        return keys

    def in_order(self, ids: Iterable[str]) -> list[str]:
        order = self._order
        if order.base is None:
            return sorted(ids, key=order.own.__getitem__)
        return sorted(ids, key=order.__getitem__)

    def freeze(self) -> FrozenProfiles:
        """This table's content, frozen for a snapshot."""
        base = self._base
        if (
            base is not None
            and not self._profiles.own
            and not self._profiles.shadowed
            and base.key_types == self.key_types
        ):
            return base
        profiles = dict(self._in_creation_order())
        return FrozenProfiles(
            profiles,
            {i: self._order[i] for i in profiles},
            self._extras.freeze(),
            self._next,
            dict(self.key_types),
            frozenset(self._defined),
        )


def merge(domain: Domain, main_id: str, merged_ids: list[str], sources: dict[str, Any]) -> None:
    """Merge ``merged_ids`` into ``main_id`` as MergeProfiles does (``sources`` is its
    ``FieldSourceProfileIds``): fields unioned, the main profile then the first merged
    one winning a conflict, keys and the ingestion records of the fields kept, the merged
    profiles deleted and the domain's parts told (and its change feed: DELETED_BY_MERGE
    for each merged profile, then MERGED). Everything is checked first: a 400 for
    the main profile among the merged ones or a source outside the merge, a 404 for a
    missing profile."""
    profiles = domain.part(PROFILES)
    if main_id in merged_ids:
        raise BadRequestException(f"MainProfileId {main_id} must not be in ProfileIdsToBeMerged")
    by_id = {profile_id: profiles.require(profile_id) for profile_id in [main_id, *merged_ids]}
    for field, source in sources.items():
        chosen = source.values() if field == "Attributes" else (source,)
        for profile_id in chosen:
            if profile_id not in by_id:
                raise BadRequestException(
                    f"FieldSourceProfileIds.{field}: profile {profile_id} is neither the main "
                    "profile nor one of the profiles to be merged"
                )
    result, origin = merged_fields(main_id, merged_ids, sources, by_id)
    keys: dict[tuple[str, str, str], None] = {}
    written: list[tuple[str, str]] = []
    for profile_id in by_id:
        extras = profiles.extras(profile_id)
        keys.update(dict.fromkeys(extras.keys))
        # A field's ingestion record goes with its value, from the profile it came from.
        written += [w for w in extras.written if origin.get(_origin_key(w[0])) == profile_id]
    for profile_id in merged_ids:
        profiles.remove(profile_id)
    profiles.replace(main_id, result, Extras(tuple(keys), tuple(written)))
    domain.profiles_merged(main_id, merged_ids)
    for profile_id in merged_ids:
        domain.changed("DELETED_BY_MERGE", profile_id, by_id[profile_id])
    domain.changed("MERGED", main_id, result)


def _origin_key(path: str) -> str:
    """Which entry of ``merged_fields``' origins a field path's value follows: its
    top-level field, or ``Attributes.KEY`` for an attribute."""
    head, _, member = path.partition(".")
    return path if head == "Attributes" and member else head


def merged_fields(
    main_id: str,
    merged_ids: list[str],
    sources: dict[str, Any],
    by_id: dict[str, dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The main profile's fields unioned with the others' (the main profile, then the
    first of the others, winning a conflict), then each field named in ``sources`` taken
    from the profile it names, even where that profile lacks it; and, for each field
    (each attribute as ``Attributes.KEY``), the profile its value came from."""
    result: dict[str, Any] = {}
    attributes: dict[str, str] = {}
    origin: dict[str, str] = {}
    for profile_id in [main_id, *merged_ids]:
        for name, value in by_id[profile_id].items():
            if name == "Attributes":
                for key, item in value.items():
                    if key not in attributes:
                        attributes[key] = item
                        origin[f"Attributes.{key}"] = profile_id
            elif name not in result:
                result[name] = copy.deepcopy(value)
                origin[name] = profile_id
    result["ProfileId"] = main_id
    for name, source in sources.items():
        if name == "Attributes":
            for key, profile_id in source.items():
                item = (by_id[profile_id].get("Attributes") or {}).get(key)
                origin[f"Attributes.{key}"] = profile_id
                if item is None:
                    attributes.pop(key, None)
                else:
                    attributes[key] = item
        else:
            value = by_id[source].get(name)
            origin[name] = source
            if value is None:
                result.pop(name, None)
            else:
                result[name] = copy.deepcopy(value)
    if attributes:
        result["Attributes"] = attributes
    return result, origin


# Every domain's profiles: ``domain.part(PROFILES)``.
PROFILES = register_part(
    "profiles",
    lambda domain: ProfileTable(),
    lambda domain, frozen: ProfileTable(frozen),
    counted="profiles",
)
