"""The domain operations: CreateDomain, GetDomain, ListDomains, UpdateDomain, DeleteDomain."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.domains import models
from customer_profiles_mock.features.objects.models import OBJECTS
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("CreateDomain")
def create_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return models.describe(models.create(ctx.region, params["DomainName"], params))


@operation("GetDomain")
def get_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    out = models.describe(domain)
    count = len(domain.part(PROFILES))
    objects = domain.part(OBJECTS)
    out["Stats"] = {
        "ProfileCount": count,
        "MeteringProfileCount": count + objects.metering_extra,
        "ObjectCount": len(objects),
        "TotalSize": objects.total_size,
    }
    return out


@operation("ListDomains")
def list_domains(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domains = ctx.region.domains.sorted()
    page, token = paginate(domains, params, fingerprint("ListDomains"), models.LIST_DOMAINS_PAGE)
    return items_page([models.summary(domain) for domain in page], token)


@operation("UpdateDomain")
def update_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    models.update(domain, params)
    return models.describe(domain)


@operation("DeleteDomain")
def delete_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    ctx.region.domains.delete(params["DomainName"])
    return {"Message": models.DELETED_MESSAGE}
