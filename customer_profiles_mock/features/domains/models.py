"""Domains: their configuration, their life cycle and the domain operations."""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from customer_profiles_mock.features.object_types.models import ObjectTypeTable
from customer_profiles_mock.features.objects.models import FrozenObjects, ObjectStore
from customer_profiles_mock.features.profiles.models import FrozenProfiles, ProfileTable
from customer_profiles_mock.store.resource import merged_tags, stamped
from customer_profiles_mock.wire.arns import domain_arn
from customer_profiles_mock.wire.errors import (
    BadRequestException,
    ResourceNotFoundException,
    domain_not_found_message,
)

if TYPE_CHECKING:
    pass

DEFAULT_EXPIRATION_DAYS = 366
# [INFERRED] Not documented for ListDomains.
LIST_DOMAINS_PAGE = 100
CONFIG_MEMBERS = (
    "DefaultExpirationDays",
    "DefaultEncryptionKey",
    "DeadLetterQueueUrl",
    "Matching",
    "RuleBasedMatching",
    "DataStore",
)
# UpdateDomain: an empty string clears these [MODEL].
CLEARED_BY_EMPTY = frozenset({"DefaultEncryptionKey", "DeadLetterQueueUrl"})
# DeleteDomain's answer: the only public example [DOC-EX; CloudFormation's tests agree].
DELETED_MESSAGE = "Domain Deleted"


class FrozenDomain(NamedTuple):
    """A domain as a snapshot froze it."""

    name: str
    arn: str
    config: dict[str, Any]
    created_at: float
    updated_at: float
    profiles: FrozenProfiles
    objects: FrozenObjects
    object_types: ObjectTypeTable
    tags: dict[str, str]


class Domain:
    """One domain: its configuration, its tags and what it holds."""

    __slots__ = (
        "arn",
        "config",
        "created_at",
        "name",
        "object_types",
        "objects",
        "profiles",
        "tags",
        "updated_at",
    )

    def __init__(
        self,
        name: str,
        arn: str,
        config: dict[str, Any],
        profiles: ProfileTable | None = None,
        objects: ObjectStore | None = None,
        object_types: ObjectTypeTable | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.arn = arn
        self.config = config
        self.tags: dict[str, str] = tags if tags is not None else {}
        self.created_at = self.updated_at = time.time()
        self.profiles = profiles if profiles is not None else ProfileTable()
        self.objects = objects if objects is not None else ObjectStore()
        self.object_types: ObjectTypeTable = (
            object_types if object_types is not None else ObjectTypeTable(arn)
        )
        # Search keys normalise by the content type their object type gave them.
        self.profiles.key_types = self.object_types.key_types

    def find(self, key: str, value: str) -> list[str]:
        """The ids of the profiles search key ``key`` = ``value`` finds: by the keys the
        profiles hold, and by the UNIQUE key of an object type through its objects (each
        object's own value, kept with the object rather than on its profile)."""
        found = list(self.profiles.find(key, value))
        types = self.object_types.with_unique_key(key)
        if types:
            normalized = self.profiles.normalize(key, value)
            for type_name in types:
                profile_id = self.objects.profile_of(type_name, normalized)
                if profile_id is not None and profile_id not in found:
                    found.append(profile_id)
        return found

    def freeze(self) -> FrozenDomain:
        return FrozenDomain(
            self.name,
            self.arn,
            dict(self.config),  # replaced whole by UpdateDomain, never changed in place
            self.created_at,
            self.updated_at,
            self.profiles.freeze(),
            self.objects.freeze(),
            self.object_types.copy(),
            dict(self.tags),
        )

    @classmethod
    def thaw(cls, frozen: FrozenDomain) -> Domain:
        """A live domain over a frozen one: its profiles read through to the snapshot's."""
        name, arn, config, created_at, updated_at, profiles, objects, object_types, tags = frozen
        domain = cls(
            name,
            arn,
            dict(config),  # replaced whole by UpdateDomain, never changed in place
            ProfileTable(profiles),
            ObjectStore(objects),
            object_types.copy(),
            dict(tags),
        )
        domain.created_at, domain.updated_at = created_at, updated_at
        return domain

    def update(self, fields: dict[str, Any]) -> None:
        """Apply UpdateDomain's members: omitted ones are kept, ``""`` clears the key and
        the queue, structures are replaced whole, ``Tags`` are merged in. Everything is
        checked before anything changes."""
        config = dict(self.config)
        for name in CONFIG_MEMBERS:
            if name not in fields:
                continue
            value = copy.deepcopy(fields[name])
            if name in CLEARED_BY_EMPTY and value == "":
                config.pop(name, None)
            else:
                config[name] = value
        if "RuleBasedMatching" in fields:
            config["RuleBasedMatching"]["Status"] = _rule_based_status(
                self.config.get("RuleBasedMatching"), fields["RuleBasedMatching"]
            )
        tags = merged_tags(self.arn, self.tags, fields["Tags"]) if "Tags" in fields else self.tags
        self.config, self.tags = config, tags
        # Later than before even where the clock is coarse (so a change always shows).
        self.updated_at = max(time.time(), self.updated_at + 0.001)

    def describe(self) -> dict[str, Any]:
        """The domain as CreateDomain / UpdateDomain answer it."""
        out: dict[str, Any] = {"DomainName": self.name}
        for name in CONFIG_MEMBERS:
            if name in self.config:
                out[name] = copy.deepcopy(self.config[name])
        return stamped(out, self)

    def summary(self) -> dict[str, Any]:
        """The domain as ListDomains lists it."""
        return stamped({"DomainName": self.name}, self)


def _rule_based_status(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """RuleBasedMatching's Status after UpdateDomain [MODEL]: ``PENDING`` when it newly
    enables rule-based matching on the domain (it was absent or disabled), else the status
    it had; [INFERRED] ``PENDING`` too when the domain had no rule-based matching at all."""
    was_enabled = old is not None and old.get("Enabled") is True
    if new.get("Enabled") is True and not was_enabled:
        return "PENDING"
    return str(old.get("Status", "PENDING")) if old is not None else "PENDING"


class DomainTable:
    """The domains of one account in one region, by name, in creation order."""

    __slots__ = ("_account_id", "_domains", "_region")

    def __init__(self, account_id: str, region: str) -> None:
        self._account_id = account_id
        self._region = region
        self._domains: dict[str, Domain] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._domains

    def names(self) -> list[str]:
        return list(self._domains)

    def get(self, name: str) -> Domain:
        domain = self._domains.get(name)
        if domain is None:
            raise ResourceNotFoundException(domain_not_found_message(name))
        return domain

    def find(self, name: str) -> Domain | None:
        return self._domains.get(name)

    def create(self, name: str, fields: dict[str, Any]) -> Domain:
        """A new domain from CreateDomain's members (a copy: the caller keeps its own)."""
        if name in self._domains:
            raise BadRequestException(f"Domain {name} already exists")
        config = {k: copy.deepcopy(v) for k, v in fields.items() if k in CONFIG_MEMBERS}
        if "RuleBasedMatching" in config:
            # [MODEL] "If it is a new domain, the system will skip the PENDING stage."
            config["RuleBasedMatching"]["Status"] = "IN_PROGRESS"
        arn = domain_arn(self._region, self._account_id, name)
        domain = Domain(name, arn, config, tags=dict(fields.get("Tags") or {}))
        self._domains[name] = domain
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
