"""The integration operations: Put, Get, Delete, ListIntegrations and ListAccountIntegrations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.integrations import models
from customer_profiles_mock.features.integrations.models import INTEGRATIONS
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("PutIntegration")
def put_integration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Creates the integration of that `Uri`, or replaces the one there (an upsert
    [INFERRED]: its `CreatedAt` and tags are kept, tags change only through TagResource
    [MODEL]). Without a `Uri`, a `FlowDefinition` gives it the flow's ARN,
    `arn:aws:appflow:REGION:ACCOUNT:flow/FLOWNAME` [OSS: AWS's CloudFormation handler];
    neither is 400 [INFERRED]. A `FlowDefinition` whose `FlowName` another integration of
    the account and Region made is 400 `Flow with name NAME already exists.` [OSS]. The
    `Uri` must be an S3 URI or the ARN of an AppFlow flow, an AppIntegrations event
    integration [OSS], an Amazon Connect instance or campaign, or a Kinesis stream
    [INFERRED], in the domain's Region and account [INFERRED]. Exactly one of
    `ObjectTypeName` and `ObjectTypeNames` [INFERRED: exclusive], whose keys are the event
    types the model lists [MODEL]; each object type named must exist in the domain or be
    a template, else 404 `Object type NAME does not exist in domain DOMAIN` [INFERRED];
    `_unstructured` needs none and makes `IsUnstructured` true [MODEL]. Each of
    `EventTriggerNames` must be an event trigger of the domain (404 `Event trigger NAME
    does not exist`) [INFERRED]. A Uri another domain has is 400 `An integration can
    belong to only one domain: URI belongs to domain DOMAIN` [MODEL; INFERRED: the
    wording]; a 51st integration in a domain is 400 [DOC service quotas]. `Scope` is
    `PROFILE` unless given [MODEL]; `IsUnstructured` is always answered [INFERRED]. The
    flow itself is not created (the mock knows no AppFlow).
    """
    return models.put_integration(ctx, params)


@operation("GetIntegration")
def get_integration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The integration of that `Uri` as last put; tags as TagResource left them. An
    unknown Uri is 404 `Integration URI does not exist` [INFERRED: the wording]."""
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(INTEGRATIONS).get(params["Uri"]), domain.name)


@operation("DeleteIntegration")
def delete_integration(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the integration and answers `Integration URI was deleted.` [INFERRED: the
    text]; its event triggers may then be deleted. An unknown Uri is 404 [OSS: AWS's
    CloudFormation handler expects it]."""
    domain = ctx.region.domains.get(params["DomainName"])
    integration = domain.part(INTEGRATIONS).delete(params["Uri"])
    return {"Message": domain.part(INTEGRATIONS).kind.deleted(integration.name)}


@operation("ListIntegrations")
def list_integrations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The domain's integrations sorted by Uri, in GetIntegration's shape;
    `MaxResults` (default 100 [INFERRED]) / `NextToken` (botocore has no paginator).
    `IncludeHidden` changes nothing: hidden integrations are those the service makes for
    itself, and the mock makes none [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListIntegrations", params["DomainName"], params.get("IncludeHidden"))
    page, token = domain.part(INTEGRATIONS).page(params, query, models.LIST_PAGE)
    return items_page([models.shown(found, domain.name) for found in page], token)


@operation("ListAccountIntegrations")
def list_account_integrations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The integrations of that `Uri` across the account's domains in the Region [MODEL]
    (at most one: an integration belongs to one domain), in GetIntegration's shape; none
    is an empty list, not a 404 [INFERRED]. `MaxResults` / `NextToken` as in
    ListIntegrations; `IncludeHidden` changes nothing [INFERRED]."""
    uri = params["Uri"]
    found = [
        models.shown(integration, domain.name)
        for domain in ctx.region.domains.sorted()
        if (integration := domain.part(INTEGRATIONS).find(uri)) is not None
    ]
    query = fingerprint("ListAccountIntegrations", uri, params.get("IncludeHidden"))
    page, token = paginate(found, params, query, models.LIST_PAGE)
    return items_page(list(page), token)
