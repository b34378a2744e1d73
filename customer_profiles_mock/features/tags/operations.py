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
    """Domains and object types, by ARN (`arn:aws:profile:REGION:ACCOUNT:domains/D`,
    `.../domains/D/object-types/T`); merges, a new value replaces the old; more than 50
    tags in all is `400 BadRequestException`; answers `{}`.

    [INFERRED] An ARN that fits the model's pattern but names no resource the caller has
    in its account and region (another account, region or partition, an unknown domain
    or object type, a kind of resource the mock does not store, such as integrations or
    event streams, or no resource at all) is `404 ResourceNotFoundException` `Resource
    ARN does not exist`. More than 50 tags on a resource after the merge is `400
    BadRequestException` `Resource ARN can have at most 50 tags; this request would give
    it N`, and nothing of the request is applied. The model's `resourceArn` pattern
    allows no `-` in the partition, so the ARNs of `aws-cn` and `aws-us-gov` resources
    are a 400, as the model says.
    """
    arn = params["resourceArn"]
    resource = _existing(ctx.region, arn)
    resource.tags = merged_tags(arn, resource.tags, params["tags"])
    return {}


@operation("UntagResource")
def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Keys the resource lacks are ignored; answers `{}`.

    [INFERRED] `UntagResource` of a key the resource lacks is a no-op; an ARN that names
    no resource is 404 `Resource ARN does not exist`, as in TagResource.
    """
    resource = _existing(ctx.region, params["resourceArn"])
    gone = set(params["tagKeys"])
    resource.tags = {k: v for k, v in resource.tags.items() if k not in gone}
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """`{"tags": {}}` for a resource without tags.

    [INFERRED] AWS's answer for a resource without tags is unknown; `{"tags": {}}`
    breaks the model's output shape on purpose (its `TagMap` has at least one entry),
    because callers index `resp["tags"]`. An ARN that names no resource the caller has
    in its account and region is 404 `Resource ARN does not exist`.
    """
    return {"tags": dict(_existing(ctx.region, params["resourceArn"]).tags)}
