"""Recommender schemas in the generic resource table, their rules, and how the operations show one.

A schema is a ``Resource`` (``domain.part(SCHEMAS)``) whose members are its ``Fields`` (per
dataset, ``_webAnalytics`` or ``_catalogItem``, the columns recommenders and filters may
use) and its ``Status``: ACTIVE from its creation, DELETING from DeleteRecommenderSchema
until the next job step removes it [INFERRED]. The filters' and recommenders' tables
register here (``register_users``), so that a schema they name cannot be deleted
without this package knowing them; the lifecycle helpers the three areas share are here
too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from customer_profiles_mock.core.operations import Context
from customer_profiles_mock.store.domain import Domain, PartKey
from customer_profiles_mock.store.resource import (
    Resource,
    ResourceKind,
    ResourceTable,
    due_key,
    resource_table,
)
from customer_profiles_mock.wire.errors import BadRequestException

# The datasets a schema, IncludedColumns and ExcludedColumns may name [MODEL].
DATASETS = ("_webAnalytics", "_catalogItem")
# The columns every recommender trains on, which ExcludedColumns may not name [MODEL].
MANDATORY = {"_webAnalytics": ("Item.Id", "EventTimestamp", "EventType"), "_catalogItem": ("Id",)}
# The lists' default MaxResults [MODEL: "The default value is 100"].
LIST_PAGE = 100
DELETING = "DELETING"


def _advance(domain: Domain, resource: Resource) -> bool:
    """A schema's only asynchronous step: DELETING -> gone."""
    return remove_if_deleting(domain, SCHEMAS, resource)


# Every domain's recommender schemas: ``domain.part(SCHEMAS)``. [INFERRED] ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/recommender-schemas/NAME``; TagResource
# reaches it.
SCHEMAS = resource_table(
    "recommender_schemas",
    ResourceKind("Recommender schema", "recommender-schemas", advance=_advance),
)

# -- the lifecycle the three recommender areas share -------------------------------------


def start_deleting(
    ctx: Context, domain: Domain, table: PartKey[ResourceTable], resource: Resource
) -> None:
    """Set ``resource`` DELETING and schedule its removal one job step later [INFERRED:
    AWS lists DELETING among the statuses]; deleting it again meanwhile is a 400."""
    if resource.members.get("Status") == DELETING:
        raise BadRequestException(being_deleted(domain.part(table).kind.label, resource.name))
    resource.members = {**resource.members, "Status": DELETING}
    ctx.schedule(domain, table, due_key(resource))


def remove_if_deleting(domain: Domain, table: PartKey[ResourceTable], resource: Resource) -> bool:
    """Remove ``resource`` if it is DELETING (its last step); False: nothing follows."""
    if resource.members.get("Status") == DELETING:
        domain.part(table).delete(resource.name)
    return False


def being_deleted(label: str, name: str) -> str:
    """[INFERRED] The 400 for a resource that is being deleted."""
    return f"{label} {name} is being deleted"


# -- who uses a schema ------------------------------------------------------------------

# Each finds, in a domain, the resources that use a schema ("Recommender filter F").
_USERS: list[Callable[[Domain, str], Iterable[str]]] = []


def register_users(table: PartKey[ResourceTable]) -> None:
    """Let the resources of ``table`` whose ``RecommenderSchemaName`` names a schema keep
    it from being deleted."""

    def users(domain: Domain, schema: str) -> Iterable[str]:
        part = domain.part(table)
        return [
            f"{part.kind.label} {found.name}"
            for found in part
            if found.members.get("RecommenderSchemaName") == schema
        ]

    _USERS.append(users)


def check_unused(domain: Domain, name: str) -> None:
    """A schema a filter or recommender uses cannot be deleted: a 400 naming them
    [INFERRED: the rule and the wording]."""
    users = sorted(user for users in _USERS for user in users(domain, name))
    if users:
        raise BadRequestException(
            f"Recommender schema {name} is in use by {', '.join(users)}; delete them first"
        )


def usable(domain: Domain, name: str) -> Resource:
    """The schema a filter or recommender names: a 404 when there is none, a 400 while it
    is being deleted [INFERRED]."""
    schema = domain.part(SCHEMAS).get(name)
    if schema.members["Status"] == DELETING:
        raise BadRequestException(being_deleted("Recommender schema", name))
    return schema


def columns(schema: Resource | None, dataset: str) -> set[str] | None:
    """The columns ``schema`` defines for ``dataset`` (the mandatory ones always among
    them); None for the default schema (no schema named), whose columns are not known:
    then any column is taken [INFERRED]."""
    if schema is None:
        return None
    defined = {field["TargetFieldName"] for field in schema.members["Fields"].get(dataset, ())}
    return defined | set(MANDATORY.get(dataset, ()))


# -- Fields -----------------------------------------------------------------------------


def check_dataset(member: str, dataset: str) -> None:
    """A dataset key is ``_webAnalytics`` or ``_catalogItem`` [MODEL]; any other is a 400
    [INFERRED: the status and the wording]."""
    if dataset not in DATASETS:
        raise BadRequestException(
            f"{member} key {dataset} is not supported: use {' or '.join(DATASETS)}"
        )


def stored_fields(fields: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The schema's ``Fields`` checked and as stored: keys from ``DATASETS`` [MODEL], 1-9
    columns each (the model checks it), a column once per dataset [INFERRED], and
    ``ContentType`` STRING where omitted ("The default value is String" [MODEL])."""
    out: dict[str, list[dict[str, Any]]] = {}
    for dataset, given in fields.items():
        check_dataset("Fields", dataset)
        seen: set[str] = set()
        for column in given:
            target = column["TargetFieldName"]
            if target in seen:
                raise BadRequestException(
                    f"Fields {dataset} names the column {target} more than once"
                )
            seen.add(target)
        out[dataset] = [{"ContentType": "STRING", **column} for column in given]
    return out


def new_members(fields: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A new schema: its fields, ACTIVE at once [INFERRED]."""
    return {"Fields": stored_fields(fields), "Status": "ACTIVE"}


def shown(schema: Resource) -> dict[str, Any]:
    """A schema as Get and ListRecommenderSchemas show it (no ARN, no Tags) [MODEL]."""
    return {
        "RecommenderSchemaName": schema.name,
        "Fields": schema.members["Fields"],
        "CreatedAt": schema.created_at,
        "Status": schema.members["Status"],
    }


def arn_and_tags(member: str, resource: Resource) -> dict[str, Any]:
    """A Create's answer that is the resource's ARN (as ``member``) and its Tags (none
    when it has none: a TagMap holds at least one) [MODEL]."""
    out: dict[str, Any] = {member: resource.arn}
    if resource.tags:
        out["Tags"] = dict(resource.tags)
    return out


def created(schema: Resource) -> dict[str, Any]:
    """CreateRecommenderSchema's answer: the schema with its ARN and Tags [MODEL]."""
    return {**arn_and_tags("RecommenderSchemaArn", schema), **shown(schema)}
