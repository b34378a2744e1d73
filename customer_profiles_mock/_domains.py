"""Domains: their configuration, their life cycle and the domain operations."""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any, NamedTuple

from ._errors import BadRequestException, ResourceNotFoundException
from ._object_types import ObjectTypeTable
from ._objects import FrozenObjects, ObjectStore
from ._operations import operation
from ._pagination import fingerprint, paginate
from ._profiles import FrozenProfiles, ProfileTable
from ._tags import TagStore, domain_arn

if TYPE_CHECKING:
    from ._store import Region

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


def not_found_message(name: object) -> str:
    """What the service says of a domain that does not exist [INFERRED]."""
    return f"Domain {name} does not exist"


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


class Domain:
    """One domain: its configuration and the profiles it holds."""

    __slots__ = (
        "arn",
        "config",
        "created_at",
        "name",
        "object_types",
        "objects",
        "profiles",
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
    ) -> None:
        self.name = name
        self.arn = arn
        self.config = config
        self.created_at = self.updated_at = time.time()
        self.profiles = profiles if profiles is not None else ProfileTable()
        self.objects = objects if objects is not None else ObjectStore()
        self.object_types = object_types if object_types is not None else ObjectTypeTable(arn)
        # Search keys normalise by the content type their object type gave them.
        self.profiles.key_types = self.object_types.key_types

    def freeze(self) -> FrozenDomain:
        return FrozenDomain(
            self.name,
            self.arn,
            copy.deepcopy(self.config),
            self.created_at,
            self.updated_at,
            self.profiles.freeze(),
            self.objects.freeze(),
            self.object_types.copy(),
        )

    @classmethod
    def thaw(cls, frozen: FrozenDomain) -> Domain:
        """A live domain over a frozen one: its profiles read through to the snapshot's."""
        name, arn, config, created_at, updated_at, profiles, objects, object_types = frozen
        domain = cls(
            name,
            arn,
            copy.deepcopy(config),
            ProfileTable(profiles),
            ObjectStore(objects),
            object_types.copy(),
        )
        domain.created_at, domain.updated_at = created_at, updated_at
        return domain

    def describe(self, tags: TagStore) -> dict[str, Any]:
        """The domain as CreateDomain / UpdateDomain answer it."""
        out: dict[str, Any] = {"DomainName": self.name}
        for name in CONFIG_MEMBERS:
            if name in self.config:
                out[name] = copy.deepcopy(self.config[name])
        if "RuleBasedMatching" in out:
            out["RuleBasedMatching"].setdefault("Status", "PENDING")
        out["CreatedAt"] = self.created_at
        out["LastUpdatedAt"] = self.updated_at
        found = tags.get(self.arn)
        if found:
            out["Tags"] = found
        return out

    def summary(self, tags: TagStore) -> dict[str, Any]:
        """The domain as ListDomains lists it."""
        item: dict[str, Any] = {
            "DomainName": self.name,
            "CreatedAt": self.created_at,
            "LastUpdatedAt": self.updated_at,
        }
        found = tags.get(self.arn)
        if found:
            item["Tags"] = found
        return item


class DomainTable:
    """The domains of one account in one region, by name, in creation order."""

    __slots__ = ("_account_id", "_domains", "_region", "_tags")

    def __init__(self, account_id: str, region: str, tags: TagStore) -> None:
        self._account_id = account_id
        self._region = region
        self._tags = tags
        self._domains: dict[str, Domain] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._domains

    def names(self) -> list[str]:
        return list(self._domains)

    def get(self, name: str) -> Domain:
        domain = self._domains.get(name)
        if domain is None:
            raise ResourceNotFoundException(not_found_message(name))
        return domain

    def create(self, name: str, fields: dict[str, Any]) -> Domain:
        """A new domain from CreateDomain's members (a copy: the caller keeps its own)."""
        if name in self._domains:
            raise BadRequestException(f"Domain {name} already exists")
        config = {k: copy.deepcopy(v) for k, v in fields.items() if k in CONFIG_MEMBERS}
        domain = Domain(name, domain_arn(self._region, self._account_id, name), config)
        self._tags.set(domain.arn, fields.get("Tags"))
        self._domains[name] = domain
        return domain

    def delete(self, name: str) -> None:
        """Delete a domain and everything it holds."""
        self._tags.drop(self.get(name).arn)
        del self._domains[name]

    def sorted(self) -> list[Domain]:
        return sorted(self._domains.values(), key=lambda d: d.name)

    def adopt(self, domain: Domain) -> None:
        """Add a domain from another store (seeding once for many tests), unless one of
        that name exists."""
        self._domains.setdefault(domain.name, domain)

    def freeze(self) -> list[FrozenDomain]:
        return [domain.freeze() for domain in self._domains.values()]


@operation("CreateDomain")
def create_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    return region.domains.create(params["DomainName"], params).describe(region.tags)


@operation("GetDomain")
def get_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    out = domain.describe(region.tags)
    count = len(domain.profiles)
    out["Stats"] = {
        "ProfileCount": count,
        "MeteringProfileCount": count + domain.objects.metering_extra(),
        "ObjectCount": len(domain.objects),
        "TotalSize": domain.objects.total_size,
    }
    return out


@operation("ListDomains")
def list_domains(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domains = region.domains.sorted()
    page, token = paginate(domains, params, fingerprint("ListDomains"), LIST_DOMAINS_PAGE)
    out: dict[str, Any] = {"Items": [domain.summary(region.tags) for domain in page]}
    if token:
        out["NextToken"] = token
    return out


@operation("DeleteDomain")
def delete_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    name = params["DomainName"]
    region.domains.delete(name)
    return {"Message": f"Domain {name} was deleted."}
