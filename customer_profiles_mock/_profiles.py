"""Profiles: the per-domain table (stable order, search keys) and the profile operations."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ._errors import BadRequestException, ResourceNotFoundException
from ._keys import PREDEFINED_KEYS, Entry, KeyIndex
from ._operations import ItemErrors, operation
from ._pagination import fingerprint, paginate
from ._wire import JsonCache, RawJSON, dumps

if TYPE_CHECKING:
    from ._store import Region

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

_ids = random.Random()


def new_profile_id(rng: random.Random | None = None) -> str:
    """32 lowercase hex characters, like a hyphen-less UUID (the model's ``uuid`` shape)."""
    return (rng or _ids).randbytes(16).hex()


def standard_keys(profile: dict[str, Any]) -> list[Entry]:
    """The (search key, value) pairs the standard profile's fields index ``profile`` under."""
    get = profile.get
    entries = [(key, value) for key, name in _STANDARD_PAIRS if (value := get(name))]
    first, middle, last = get("FirstName"), get("MiddleName"), get("LastName")
    if first or middle or last:
        entries.append(("_fullName", " ".join(p for p in (first, middle, last) if p)))
    return entries


class FrozenProfiles:
    """A profile table's content as a snapshot froze it. Never changed: every table
    restored from it reads through to it, and its search index is built once, at the
    first search in any of them."""

    __slots__ = ("_keys", "_lock", "next", "order", "profiles")

    def __init__(self, profiles: dict[str, dict[str, Any]], order: dict[str, int], next_: int):
        self.profiles = profiles
        self.order = order
        self.next = next_
        self._keys: KeyIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> KeyIndex:
        keys = self._keys
        if keys is None:
            with self._lock:
                keys = self._keys
                if keys is None:
                    keys = KeyIndex()
                    for profile_id, profile in self.profiles.items():
                        keys.add(profile_id, standard_keys(profile))
                    self._keys = keys
        return keys


class ProfileTable:
    """The profiles of one domain: by id, in creation order, indexed by search key.

    Profiles are replaced, never changed in place, so each is encoded for the wire once.
    The search-key index is built at the first search, not while seeding, and kept up
    to date from then on. A table restored from a snapshot starts empty over the frozen
    ``base`` and keeps only its own changes: the profiles it added and the base ids it
    deleted, so restoring costs nothing however large the snapshot.
    """

    __slots__ = ("_base", "_gone", "_json", "_keys", "_next", "_order", "_profiles")

    def __init__(self, base: FrozenProfiles | None = None) -> None:
        self._profiles: dict[str, dict[str, Any]] = {}
        self._json = JsonCache()
        self._order: dict[str, int] = {}  # id -> creation sequence, for stable results
        self._keys: KeyIndex | None = None  # of this table's own profiles
        self._base = base
        self._gone: set[str] = set()  # ids of the base deleted here
        self._next = base.next if base is not None else 0

    def _get(self, profile_id: str) -> dict[str, Any] | None:
        profile = self._profiles.get(profile_id)
        if profile is None and self._base is not None and profile_id not in self._gone:
            profile = self._base.profiles.get(profile_id)
        return profile

    def __len__(self) -> int:
        base = self._base
        own = len(self._profiles)
        return own if base is None else own + len(base.profiles) - len(self._gone)

    def __contains__(self, profile_id: object) -> bool:
        return self._get(profile_id) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._base is not None:
            gone = self._gone
            yield from (p for i, p in self._base.profiles.items() if i not in gone)
        yield from self._profiles.values()

    def encoded(self, profile_id: str) -> RawJSON | None:
        """The profile as the wire answers it, None when the domain has no such profile."""
        profile = self._get(profile_id)
        return None if profile is None else self._json.json(profile_id, profile)

    def add(self, profiles: list[dict[str, Any]]) -> list[str]:
        """Store profiles (each with its ``ProfileId``) all at once, or none."""
        ids = [profile["ProfileId"] for profile in profiles]
        seen: set[str] = set()
        for profile_id in ids:
            if profile_id in seen or self._get(profile_id) is not None:
                raise BadRequestException(f"Profile {profile_id} already exists")
            seen.add(profile_id)
        stored, order = self._profiles, self._order
        for sequence, profile in enumerate(profiles, self._next):
            profile_id = profile["ProfileId"]
            stored[profile_id] = profile
            order[profile_id] = sequence
        self._next += len(ids)
        if self._keys is not None:
            for profile in profiles:
                self._keys.add(profile["ProfileId"], standard_keys(profile))
        return ids

    def remove(self, profile_id: str) -> None:
        profile = self._profiles.pop(profile_id, None)
        if profile is not None:
            del self._order[profile_id]
            if self._keys is not None:
                self._keys.remove(profile_id, standard_keys(profile))
        elif self._get(profile_id) is not None:
            self._gone.add(profile_id)  # a base profile: hidden from now on
        else:
            raise ResourceNotFoundException(f"Profile {profile_id} does not exist")
        self._json.drop(profile_id)

    def find(self, key: str, value: str) -> Iterable[str]:
        """The ids of the profiles found by ``key`` = ``value``."""
        if key == "_profileId":
            return (value,) if self._get(value) is not None else ()
        own = self._index().find(key, value)
        if self._base is None:
            return own
        gone = self._gone
        found = [i for i in self._base.index().find(key, value) if i not in gone]
        found.extend(own)
        return found

    def _index(self) -> KeyIndex:
        keys = self._keys
        if keys is None:
            keys = self._keys = KeyIndex()
            for profile_id, profile in self._profiles.items():
                keys.add(profile_id, standard_keys(profile))
        return keys

    def in_order(self, ids: Iterable[str]) -> list[str]:
        order = self._order
        if self._base is None:
            return sorted(ids, key=order.__getitem__)
        base = self._base.order
        return sorted(ids, key=lambda i: order[i] if i in order else base[i])

    def freeze(self) -> FrozenProfiles:
        """This table's content, frozen for a snapshot."""
        base = self._base
        if base is not None and not self._profiles and not self._gone:
            return base
        profiles: dict[str, dict[str, Any]] = {}
        order: dict[str, int] = {}
        if base is not None:
            gone = self._gone
            profiles = {i: p for i, p in base.profiles.items() if i not in gone}
            order = {i: base.order[i] for i in profiles}
        profiles.update(self._profiles)
        order.update(self._order)
        return FrozenProfiles(profiles, order, self._next)


@operation("CreateProfile")
def create_profile(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    profile = {"ProfileId": new_profile_id()}
    profile.update((k, v) for k, v in params.items() if k != "DomainName")
    region.domains.get(params["DomainName"]).profiles.add([profile])
    return {"ProfileId": profile["ProfileId"]}


@operation("DeleteProfile")
def delete_profile(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    region.domains.get(params["DomainName"]).profiles.remove(params["ProfileId"])
    return {"Message": f"Profile {params['ProfileId']} was deleted."}


@operation("BatchGetProfile", item_errors=ItemErrors("ProfileIds", "Errors", "ProfileId"))
def batch_get_profile(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    profiles = region.domains.get(params["DomainName"]).profiles
    found: list[RawJSON] = []
    errors: list[dict[str, str]] = []
    for profile_id in dict.fromkeys(params["ProfileIds"]):
        profile = profiles.encoded(profile_id)
        if profile is not None:
            found.append(profile)
        else:
            errors.append(
                {"Code": NOT_FOUND_CODE, "Message": NOT_FOUND_MESSAGE, "ProfileId": profile_id}
            )
    return {"Errors": errors, "Profiles": found}


@operation("SearchProfiles")
def search_profiles(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain_name = params["DomainName"]
    keys = [(params["KeyName"], params["Values"])]
    keys += [(k["KeyName"], k["Values"]) for k in params.get("AdditionalSearchKeys", ())]
    for name, _ in keys:
        if name not in PREDEFINED_KEYS:
            raise BadRequestException(f"Search key {name} is not defined in domain {domain_name}")
    use_and = params.get("LogicalOperator", "OR") == "AND"
    profiles = region.domains.get(domain_name).profiles
    # Per key: profile id -> the requested values it was found by.
    hits: list[dict[str, list[str]]] = []
    for name, values in keys:
        found: dict[str, list[str]] = {}
        for value in dict.fromkeys(values):
            for profile_id in profiles.find(name, value):
                found.setdefault(profile_id, []).append(value)
        hits.append(found)
    matched = set(hits[0]).intersection(*hits[1:]) if use_and else set().union(*hits)
    query = fingerprint(domain_name, keys, use_and)
    page, token = paginate(profiles.in_order(matched), params, query, SEARCH_PAGE)
    items = []
    for profile_id in page:
        if use_and:
            found_by = [{"KeyName": n, "Values": list(dict.fromkeys(v))} for n, v in keys]
        else:
            found_by = [
                {"KeyName": n, "Values": found[profile_id]}
                for (n, _), found in zip(keys, hits, strict=True)
                if profile_id in found
            ]
        # The stored profile's JSON with FoundByItems spliced in before its closing brace.
        encoded = profiles.encoded(profile_id) or "{}"
        items.append(RawJSON(f'{encoded[:-1]},"FoundByItems":{dumps(found_by)}}}'))
    out: dict[str, Any] = {"Items": items}
    if token:
        out["NextToken"] = token
    return out
