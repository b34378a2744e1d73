"""The domain object type operations: Put, Get, Delete and ListDomainObjectTypes.

botocore's model has them from 1.40.x on (not in 1.40.15); the handlers are registered
under any botocore, and the pipeline only routes what the installed model has.
"""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.domain_object_types import models
from customer_profiles_mock.features.domain_object_types.models import TABLE
from customer_profiles_mock.store.resource import merged_tags
from customer_profiles_mock.wire.model import output_shape
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("PutDomainObjectType")
def put_domain_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Creates the domain object type, or replaces the one of that name: `Description`,
    `EncryptionKey` and `Fields` are replaced whole (a member the request omits is gone)
    [INFERRED], `CreatedAt` is kept and `LastUpdatedAt` moves [INFERRED], and the `Tags`
    it gives are merged into the type's, at most 50 in all [INFERRED, as
    PutProfileObjectType]. `Fields` are checked against the model (`Source` and `Target`
    required, 1-1000 characters; `ContentType` STRING or NUMBER; `FeatureType` TEXTUAL or
    CATEGORICAL; names `^[a-zA-Z0-9_.-]+$`, at most 64) [MODEL]. Creating a type in a
    domain whose `DataStore` is not enabled (CreateDomain / UpdateDomain
    `DataStore.Enabled`) is 400 `To create a new DomainObjectType, Data Store needs to be
    enabled on the Domain DOMAIN` [MODEL: the rule; INFERRED: the code and text]; replacing
    an existing type is not refused [INFERRED: the model says "to create a new"]. Domain
    object types are a namespace apart from profile object types: the same name may be
    both [INFERRED]. The type's ARN, which TagResource takes, is
    `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/domain-object-types/NAME` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    table = domain.part(TABLE)
    name = params[models.NAME]
    members, tags = models.given(params), params.get("Tags") or {}
    found = table.find(name)
    if found is None:
        models.check_data_store(domain)
        found = table.create(name, members, tags)
    else:
        merged = merged_tags(found.arn, found.tags, tags)  # checked before any change
        found = table.update(name, {})  # LastUpdatedAt moves
        found.members, found.tags = members, merged
    return models.shown(found, "PutDomainObjectType")


@operation("GetDomainObjectType")
def get_domain_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The type as last put; an unknown name is 404 `Domain object type NAME does not
    exist` [INFERRED: the generic wording of the mock's resource tables], an unknown
    domain 404 `Domain DOMAIN does not exist`.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    found = domain.part(TABLE).get(params[models.NAME])
    return models.shown(found, "GetDomainObjectType")


@operation("DeleteDomainObjectType")
def delete_domain_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the type (and its tags) and answers `{}` [MODEL: the empty output]; an
    unknown name is 404 `Domain object type NAME does not exist` [INFERRED]. The profile
    object type of the same name, if any, is untouched [INFERRED]. (AWS may refuse to
    delete a type a recommender schema uses [INFERRED in the reference]; schemas name the
    datasets `_webAnalytics` and `_catalogItem`, not domain object types, so nothing
    refuses it [INFERRED].)
    """
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(TABLE).delete(params[models.NAME])
    return {}


@operation("ListDomainObjectTypes")
def list_domain_object_types(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Sorted by name; each item has `ObjectTypeName`, `Description`, `CreatedAt`,
    `LastUpdatedAt` and `Tags`, not `Fields` nor `EncryptionKey` [MODEL: the item shape];
    `MaxResults` (1-100 [MODEL], default 100 [INFERRED]) / `NextToken`; the botocore
    paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListDomainObjectTypes", params["DomainName"])
    page, token = domain.part(TABLE).page(params, query, models.LIST_PAGE)
    item = output_shape("ListDomainObjectTypes").members["Items"].member
    listed = [models.shown(found, "ListDomainObjectTypes", item) for found in page]
    return items_page(listed, token)
