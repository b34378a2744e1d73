"""Domain object types in the generic resource table, and how their operations show one.

They are a namespace of their own, apart from the profile object types (`object_types`):
a profile object type and a domain object type may share a name [INFERRED].
"""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import (
    Resource,
    ResourceKind,
    resource_table,
    stamped,
)
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.model import output_members

# Every domain's domain object types: ``domain.part(TABLE)``. [INFERRED] ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/domain-object-types/NAME`` (TagResource
# reaches it; no answer shows it).
TABLE = resource_table(
    "domain_object_types", ResourceKind("Domain object type", "domain-object-types")
)
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
NAME = "ObjectTypeName"
# The members a type stores as given; a Put replaces them whole [INFERRED].
MEMBERS = ("Description", "EncryptionKey", "Fields")
# [MODEL] "To create a new DomainObjectType, Data Store needs to be enabled on the
# Domain"; the code (400) and this text [INFERRED].
NO_DATA_STORE = (
    "To create a new DomainObjectType, Data Store needs to be enabled on the Domain {domain}"
)


def check_data_store(domain: Domain) -> None:
    """A 400 unless the domain's ``DataStore`` (CreateDomain / UpdateDomain) is enabled."""
    data_store = domain.config.get("DataStore") or {}
    if data_store.get("Enabled") is not True:
        raise BadRequestException(NO_DATA_STORE.format(domain=domain.name))


def given(params: dict[str, Any]) -> dict[str, Any]:
    """The stored members a request gives."""
    return {name: params[name] for name in MEMBERS if name in params}


def shown(resource: Resource, operation: str, shape: Any = None) -> dict[str, Any]:
    """The type as ``operation`` answers it (or ``shape``, ListDomainObjectTypes' item
    shape, which has no ``Fields`` nor ``EncryptionKey`` [MODEL]): the members that
    shape has."""
    out = stamped({NAME: resource.name, **resource.members}, resource)
    wanted = output_members(operation, shape)
    return {k: v for k, v in out.items() if k in wanted}
