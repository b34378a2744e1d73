"""Tags: resource ARNs (built, parsed, resolved to the resource) and the tag operations."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from customer_profiles_mock.wire.errors import BadRequestException

if TYPE_CHECKING:
    from customer_profiles_mock.features.domains.models import Domain
    from customer_profiles_mock.store.store import Region

# [MODEL] TagMap holds at most 50; TagResource's documentation: "as many as 50 tags with
# a resource".
MAX_TAGS = 50


class Taggable(Protocol):
    """A resource that holds its own tags (a domain, an object type)."""

    tags: dict[str, str]


class Described(Taggable, Protocol):
    created_at: float
    updated_at: float


def stamped(out: dict[str, Any], resource: Described) -> dict[str, Any]:
    """``out`` (a resource as an answer shows it) with the resource's ``CreatedAt``,
    ``LastUpdatedAt`` and, when it has any, ``Tags``."""
    out["CreatedAt"] = resource.created_at
    out["LastUpdatedAt"] = resource.updated_at
    if resource.tags:
        out["Tags"] = dict(resource.tags)
    return out


def partition(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def domain_arn(region: str, account_id: str, domain: str) -> str:
    return f"arn:{partition(region)}:profile:{region}:{account_id}:domains/{domain}"


def object_type_arn(region: str, account_id: str, domain: str, object_type: str) -> str:
    return f"{domain_arn(region, account_id, domain)}/object-types/{object_type}"


class Arn(NamedTuple):
    """A Customer Profiles ARN's parts; ``resource`` is the path after the account
    (``domains/shop/object-types/Order``)."""

    partition: str
    region: str
    account_id: str
    resource: str

    def in_domain(self) -> tuple[str, str | None] | None:
        """(domain name, the path inside the domain, None for the domain itself) when the
        ARN names a domain or something it holds, else None."""
        kind, _, path = self.resource.partition("/")
        if kind != "domains" or not path:
            return None
        name, slash, inner = path.partition("/")
        return name, (inner if slash else None)


def parse_arn(arn: str) -> Arn | None:
    """The parts of ``arn:PARTITION:profile:REGION:ACCOUNT:RESOURCE``, None for any other
    text."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "profile":
        return None
    return Arn(parts[1], parts[3], parts[4], parts[5])


# The resources a domain holds that an ARN can name, by the path segment after
# ``domains/NAME/``: one line per kind the mock stores. Any other kind (integrations,
# event streams, ...) resolves to nothing.
IN_DOMAIN: dict[str, Callable[[Domain, str], Taggable | None]] = {
    "object-types": lambda domain, name: domain.object_types.find(name),
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


def not_found_message(arn: str) -> str:
    """What the service says of an ARN that names no resource of the caller [INFERRED]."""
    return f"Resource {arn} does not exist"


def merged_tags(arn: str, tags: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """``tags`` with ``new`` merged in (a new value replaces an old one), as a new dict;
    a 400 when the resource would hold more than 50 [INFERRED wording]."""
    merged = {**tags, **new}
    if len(merged) > MAX_TAGS:
        raise BadRequestException(
            f"Resource {arn} can have at most {MAX_TAGS} tags; "
            f"this request would give it {len(merged)}"
        )
    return merged
