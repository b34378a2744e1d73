"""The domains operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from customer_profiles_mock.core.operations import operation
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate

if TYPE_CHECKING:
    from customer_profiles_mock.store.store import Region
from customer_profiles_mock.features.domains.models import DELETED_MESSAGE, LIST_DOMAINS_PAGE


@operation("CreateDomain")
def create_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    return region.domains.create(params["DomainName"], params).describe()


@operation("GetDomain")
def get_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    out = domain.describe()
    count = len(domain.profiles)
    out["Stats"] = {
        "ProfileCount": count,
        "MeteringProfileCount": count + domain.objects.metering_extra,
        "ObjectCount": len(domain.objects),
        "TotalSize": domain.objects.total_size,
    }
    return out


@operation("ListDomains")
def list_domains(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domains = region.domains.sorted()
    page, token = paginate(domains, params, fingerprint("ListDomains"), LIST_DOMAINS_PAGE)
    return items_page([domain.summary() for domain in page], token)


@operation("UpdateDomain")
def update_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    domain.update(params)
    return domain.describe()


@operation("DeleteDomain")
def delete_domain(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    region.domains.delete(params["DomainName"])
    return {"Message": DELETED_MESSAGE}
