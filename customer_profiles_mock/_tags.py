"""Tags: resource ARNs and the partitions they name."""

from __future__ import annotations


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
