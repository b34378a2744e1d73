"""Tags: resource ARNs (built, parsed, resolved to the resource) and the tag operations."""

from __future__ import annotations

from customer_profiles_mock.store.resource import Taggable, find_in_domain
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.arns import parse_arn, partition


def resolve(region: Region, arn: str) -> Taggable | None:
    """The resource ``arn`` names among ``region``'s (one account in one region), None
    when it names none there: another partition, region or account, an unknown domain or
    resource, a kind no feature registered (``store.resource.register_taggable``)."""
    parsed = parse_arn(arn)
    if parsed is None or parsed[:3] != (partition(region.name), region.name, region.account_id):
        return None
    where = parsed.in_domain()
    if where is None:
        return None
    name, inner = where
    domain = region.domains.find(name)
    if domain is None or inner is None:
        return domain
    kind, _, child = inner.partition("/")
    return find_in_domain(domain, kind, child) if child else None
