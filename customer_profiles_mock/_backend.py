"""In-memory state: domains and profiles per (account, region); O(1) id and search-key lookups."""

from __future__ import annotations

import copy
import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .exceptions import BadRequestException, ResourceNotFoundException

DEFAULT_EXPIRATION_DAYS = 366

# How the standard profile is indexed for SearchProfiles (the "standard profile
# definition" page of the Amazon Connect admin guide). ``_fullName`` and
# ``_profileId`` are handled apart.
INDEXED_FIELDS: dict[str, tuple[str, ...]] = {
    "_phone": ("PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"),
    "_email": ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"),
    "_account": ("AccountNumber",),
}
NAME_PARTS = ("FirstName", "MiddleName", "LastName")
# Predefined search keys listed in the model's SearchProfiles documentation. The
# ones the standard profile does not fill match nothing; any other name is a 400.
PREDEFINED_KEYS = frozenset(
    {
        "_account", "_profileId", "_assetId", "_caseId", "_orderId", "_fullName", "_phone",
        "_email", "_ctrContactId", "_marketoLeadId", "_salesforceAccountId",
        "_salesforceContactId", "_salesforceAssetId", "_zendeskUserId", "_zendeskExternalId",
        "_zendeskTicketId", "_serviceNowSystemId", "_serviceNowIncidentId", "_segmentUserId",
        "_shopifyCustomerId", "_shopifyOrderId",
    }
)  # fmt: skip
_DOMAIN_CONFIG = (
    "DefaultExpirationDays",
    "DefaultEncryptionKey",
    "DeadLetterQueueUrl",
    "Matching",
    "RuleBasedMatching",
    "DataStore",
)

_ids = random.Random()


def new_profile_id(rng: random.Random | None = None) -> str:
    """32 lowercase hex characters, like a hyphen-less UUID (the model's ``uuid`` shape)."""
    return (rng or _ids).randbytes(16).hex()


_INDEXED_PAIRS = tuple((key, name) for key, names in INDEXED_FIELDS.items() for name in names)


def index_entries(profile: dict[str, Any]) -> list[tuple[str, str]]:
    """The (search key, value) pairs under which ``profile`` is found."""
    entries = [(key, profile[name]) for key, name in _INDEXED_PAIRS if profile.get(name)]
    full_name = " ".join(profile[p] for p in NAME_PARTS if profile.get(p))
    if full_name:
        entries.append(("_fullName", full_name))
    return entries


@dataclass(eq=False)
class Domain:
    name: str
    config: dict[str, Any]
    tags: dict[str, str] | None
    created_at: float
    updated_at: float
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # search key -> value -> the one profile id with that value, or a dict (used as a
    # set) of several: most values are unique, and a str costs no allocation
    index: dict[str, dict[str, str | dict[str, None]]] = field(default_factory=dict)
    # profile id -> creation sequence, so search results keep a stable order
    order: dict[str, int] = field(default_factory=dict)
    # profile id -> the profile as answered on the wire, cached by the handlers and
    # dropped whenever the profile goes
    encoded: dict[str, str] = field(default_factory=dict)
    _next: int = 0

    def add_profile(self, profile_id: str, profile: dict[str, Any]) -> None:
        self.profiles[profile_id] = profile
        self.order[profile_id] = self._next
        self._next += 1
        index = self.index
        for key, value in index_entries(profile):
            by_value = index.get(key)
            if by_value is None:
                by_value = index[key] = {}
            ids = by_value.get(value)
            if ids is None:
                by_value[value] = profile_id
            elif type(ids) is str:
                if ids != profile_id:
                    by_value[value] = {ids: None, profile_id: None}
            else:
                ids[profile_id] = None  # type: ignore[index]

    def remove_profile(self, profile_id: str) -> None:
        profile = self.profiles.pop(profile_id)
        del self.order[profile_id]
        self.encoded.pop(profile_id, None)
        for key, value in index_entries(profile):
            by_value = self.index[key]
            ids = by_value.get(value)
            if ids == profile_id:
                del by_value[value]
            elif isinstance(ids, dict):
                ids.pop(profile_id, None)
                if not ids:
                    del by_value[value]

    def find(self, key: str, value: str) -> Iterable[str]:
        if key == "_profileId":
            return (value,) if value in self.profiles else ()
        ids = self.index.get(key, {}).get(value)
        if ids is None:
            return ()
        return (ids,) if type(ids) is str else ids.keys()  # type: ignore[union-attr]

    def describe(self) -> dict[str, Any]:
        """The domain as CreateDomain / UpdateDomain answer it."""
        out: dict[str, Any] = {"DomainName": self.name}
        for name in _DOMAIN_CONFIG:
            if name in self.config:
                out[name] = copy.deepcopy(self.config[name])
        if "RuleBasedMatching" in out:
            out["RuleBasedMatching"].setdefault("Status", "PENDING")
        out["CreatedAt"] = self.created_at
        out["LastUpdatedAt"] = self.updated_at
        if self.tags:
            out["Tags"] = dict(self.tags)
        return out


class RegionBackend:
    """Everything one account holds in one region. All methods are thread-safe."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()
        self.domains: dict[str, Domain] = {}

    def clone(self) -> RegionBackend:
        other = RegionBackend(self.account_id, self.region)
        with self.lock:
            other.domains = copy.deepcopy(self.domains)
        return other

    def domain(self, name: str) -> Domain:
        domain = self.domains.get(name)
        if domain is None:
            raise ResourceNotFoundException(f"Domain {name} does not exist")
        return domain

    def create_domain(self, name: str, fields: dict[str, Any]) -> Domain:
        with self.lock:
            if name in self.domains:
                raise BadRequestException(f"Domain {name} already exists")
            now = time.time()
            config = {k: copy.deepcopy(v) for k, v in fields.items() if k in _DOMAIN_CONFIG}
            tags = dict(fields["Tags"]) if fields.get("Tags") else None
            domain = Domain(name, config, tags, now, now)
            self.domains[name] = domain
            return domain

    def delete_domain(self, name: str) -> None:
        with self.lock:
            self.domain(name)
            del self.domains[name]

    def create_profiles(self, domain_name: str, profiles: list[dict[str, Any]]) -> list[str]:
        """Store profiles (each with its ``ProfileId`` first) all at once, or none."""
        with self.lock:
            domain = self.domain(domain_name)
            ids = [profile["ProfileId"] for profile in profiles]
            seen: set[str] = set()
            for profile_id in ids:
                if profile_id in domain.profiles or profile_id in seen:
                    raise BadRequestException(f"Profile {profile_id} already exists")
                seen.add(profile_id)
            for profile_id, profile in zip(ids, profiles, strict=True):
                domain.add_profile(profile_id, profile)
            return ids

    def delete_profile(self, domain_name: str, profile_id: str) -> None:
        with self.lock:
            domain = self.domain(domain_name)
            if profile_id not in domain.profiles:
                raise ResourceNotFoundException(f"Profile {profile_id} does not exist")
            domain.remove_profile(profile_id)


class Store:
    """All state of one activation: a ``RegionBackend`` per (account, region), made on demand."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._backends: dict[tuple[str, str], RegionBackend] = {}

    def clone(self) -> Store:
        """A deep copy: later changes to either store do not reach the other."""
        other = Store()
        with self._lock:
            other._backends = {key: b.clone() for key, b in self._backends.items()}
        return other

    def merge(self, other: Store) -> None:
        """Add ``other``'s domains (and their profiles) that this store lacks."""
        with self._lock:
            for key, theirs in other._backends.items():
                mine = self._backends.setdefault(key, RegionBackend(*key))
                with mine.lock:
                    for name, domain in theirs.domains.items():
                        mine.domains.setdefault(name, domain)

    def backend(self, account_id: str, region: str) -> RegionBackend:
        key = (account_id, region)
        backend = self._backends.get(key)
        if backend is None:
            with self._lock:
                backend = self._backends.get(key)
                if backend is None:
                    backend = self._backends[key] = RegionBackend(account_id, region)
        return backend
