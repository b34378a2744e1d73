"""ARNs of Customer Profiles resources: built, parsed, and what the service says of one it lacks."""

from __future__ import annotations

from typing import NamedTuple


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


def not_found_message(arn: str) -> str:
    """What the service says of an ARN that names no resource of the caller [INFERRED]."""
    return f"Resource {arn} does not exist"
