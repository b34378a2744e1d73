"""Tags: resource ARNs (built, parsed, resolved to the resource) and the tag operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from customer_profiles_mock.features.object_types.models import OBJECT_TYPES
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import Taggable  # noqa: F401
from customer_profiles_mock.wire.arns import parse_arn, partition  # noqa: F401

if TYPE_CHECKING:
    from customer_profiles_mock.store.store import Region


# The resources a domain holds that an ARN can name, by the path segment after
# ``domains/NAME/``: one line per kind the mock stores. Any other kind (integrations,
# event streams, ...) resolves to nothing.
IN_DOMAIN: dict[str, Callable[[Domain, str], Taggable | None]] = {
    "object-types": lambda domain, name: domain.part(OBJECT_TYPES).find(name),
}


def resolve(region: Region, arn: str) -> Taggable | None:
    """The resource ``arn`` names among ``region``'s (one account in one region), None
    when it names none there: another partition, region or account, an unknown domain or
    resource, a kind the mock does not store."""
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
    find = IN_DOMAIN.get(kind)
    return find(domain, child) if find is not None and child else None
