"""Tags of taggable resources, stored by resource ARN for one account and region."""

from __future__ import annotations

from collections.abc import Mapping


def partition(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def domain_arn(region: str, account_id: str, domain: str) -> str:
    return f"arn:{partition(region)}:profile:{region}:{account_id}:domains/{domain}"


class TagStore:
    """ARN -> tags. A resource's tags go with it: ``drop`` when it is deleted."""

    __slots__ = ("_tags",)

    def __init__(self) -> None:
        self._tags: dict[str, dict[str, str]] = {}

    def set(self, arn: str, tags: Mapping[str, str] | None) -> None:
        if tags:
            self._tags[arn] = dict(tags)
        else:
            self._tags.pop(arn, None)

    def get(self, arn: str) -> dict[str, str] | None:
        """A copy of the resource's tags, None when it has none."""
        tags = self._tags.get(arn)
        return dict(tags) if tags else None

    def drop(self, arn: str) -> None:
        self._tags.pop(arn, None)

    def copy(self) -> TagStore:
        other = TagStore()
        other._tags = {arn: dict(tags) for arn, tags in self._tags.items()}
        return other
