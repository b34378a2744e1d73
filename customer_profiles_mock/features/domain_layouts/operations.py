"""The domain layout operations: Create, Get, Update, Delete and ListDomainLayouts.

[INFERRED] AWS documents them as callable only from the Amazon Connect admin website;
signed SDK calls reach them, so the mock serves them as it serves every operation.
"""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.domain_layouts import models
from customer_profiles_mock.features.domain_layouts.models import LAYOUTS
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.wire.pagination import fingerprint, items_page


def _only_default(domain: Domain, name: str) -> None:
    """A domain has one default layout [INFERRED]: making ``name`` the default clears
    the others' ``IsDefault``."""
    table = domain.part(LAYOUTS)
    for other in table:
        if other.name != name and other.members.get("IsDefault"):
            other.members = {**other.members, "IsDefault": False}


@operation("CreateDomainLayout")
def create_domain_layout(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Stores the layout in the generic resource table and answers it with `Version` "1"
    [INFERRED], `CreatedAt` and `LastUpdatedAt`; `IsDefault` is false unless set
    [INFERRED], and `IsDefault: true` clears it on the domain's other layouts (one default
    per domain) [INFERRED]. An existing name is 400 `Layout with name NAME already exists`
    [INFERRED: AWS's wording for the resources its CloudFormation handlers match]; a
    `Layout` that is not a JSON document is 400 `Layout is not a valid JSON document`
    [INFERRED]. AWS documents the layout operations as callable only from the Amazon
    Connect admin website; the mock serves signed SDK calls [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_layout(params)
    name = params["LayoutDefinitionName"]
    layout = domain.part(LAYOUTS).create(name, models.given(params), params.get("Tags") or {})
    if params.get("IsDefault"):
        _only_default(domain, name)
    return models.shown(layout)


@operation("GetDomainLayout")
def get_domain_layout(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The layout as created or last updated; an unknown name is 404 `Layout NAME does not
    exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(LAYOUTS).get(params["LayoutDefinitionName"]))


@operation("UpdateDomainLayout")
def update_domain_layout(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Omitted members are kept; `Version` goes up by one and `LastUpdatedAt` moves at every
    update [INFERRED]; `IsDefault: true` clears it on the other layouts [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_layout(params)
    name = params["LayoutDefinitionName"]
    layout = domain.part(LAYOUTS).update(name, models.given(params))
    if params.get("IsDefault"):
        _only_default(domain, name)
    return models.shown(layout)


@operation("DeleteDomainLayout")
def delete_domain_layout(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `Layout NAME was deleted.` [INFERRED: the text]; an unknown name is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    layout = domain.part(LAYOUTS).delete(params["LayoutDefinitionName"])
    return {"Message": domain.part(LAYOUTS).kind.deleted(layout.name)}


@operation("ListDomainLayouts")
def list_domain_layouts(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Sorted by name, without the `Layout` document or `Version` [MODEL: the item shape];
    `MaxResults` (default 100 [INFERRED]) / `NextToken`; the botocore paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListDomainLayouts", params["DomainName"])
    page, token = domain.part(LAYOUTS).page(params, query, models.LIST_PAGE)
    return items_page([models.listed(layout) for layout in page], token)
