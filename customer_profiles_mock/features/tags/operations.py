"""The tags operations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.tags.models import resolve
from customer_profiles_mock.store.resource import Taggable, merged_tags
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.arns import not_found_message
from customer_profiles_mock.wire.errors import ResourceNotFoundException


def _existing(region: Region, arn: str) -> Taggable:
    resource = resolve(region, arn)
    if resource is None:
        raise ResourceNotFoundException(not_found_message(arn))
    return resource


@operation("TagResource")
def tag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["resourceArn"]
    resource = _existing(ctx.region, arn)
    resource.tags = merged_tags(arn, resource.tags, params["tags"])
    return {}


@operation("UntagResource")
def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    resource = _existing(ctx.region, params["resourceArn"])
    gone = set(params["tagKeys"])
    resource.tags = {k: v for k, v in resource.tags.items() if k not in gone}
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    return {"tags": dict(_existing(ctx.region, params["resourceArn"]).tags)}
