"""Integrations in the generic resource table keyed by Uri: their rules, and how they are shown.

An integration is a ``Resource`` of the domain's ``domain.part(INTEGRATIONS)`` whose name is
its ``Uri``; its ARN is ``.../domains/D/integrations/URI`` [DOC service authorization
reference], which TagResource reaches. ``put_integration`` is PutIntegration's work, public
for the features that make integrations themselves (CreateIntegrationWorkflow): it checks
and stores one, and answers it as PutIntegration does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from customer_profiles_mock.core.operations import Context
from customer_profiles_mock.features.event_triggers import models as _triggers
from customer_profiles_mock.features.object_types import models as _object_types
from customer_profiles_mock.features.object_types import templates as _templates
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES
from customer_profiles_mock.store.domain import Domain, later
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table, stamped
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.arns import partition
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException
from customer_profiles_mock.wire.model import output_members

# Every domain's integrations, by Uri: ``domain.part(INTEGRATIONS)``.
INTEGRATIONS = resource_table("integrations", ResourceKind("Integration", "integrations"))
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
# [DOC archive amazon-connect-service-limits] integrations per domain.
MAX_PER_DOMAIN = 50
# [MODEL ObjectTypeNames] the event types an ObjectTypeNames map may name.
EVENT_TYPES = (
    "SegmentIdentify",
    "ShopifyCreateCustomers",
    "ShopifyUpdateCustomers",
    "ShopifyCreateDraftOrders",
    "ShopifyUpdateDraftOrders",
    "ShopifyCreateOrders",
    "ShopifyUpdatedOrders",
)
# [MODEL IsUnstructured] the object type name of an unstructured integration.
UNSTRUCTURED = "_unstructured"
# The members an integration stores (its Uri is its name; FlowDefinition is kept, not shown).
STORED = ("ObjectTypeName", "ObjectTypeNames", "RoleArn", "EventTriggerNames", "Scope")
SHOWN = (*STORED, "WorkflowId", "IsUnstructured")

# The Uris an integration may have [OSS CFN-RP integration tests: the AppFlow flow and the
# AppIntegrations event integration; INFERRED: Connect instances and campaigns, Kinesis
# streams, S3]. (service, resource type) of an ARN in the domain's partition, Region and
# account.
ARN_KINDS = (
    ("appflow", "flow"),
    ("app-integrations", "event-integration"),
    ("connect", "instance"),
    ("connect-campaigns", "campaign"),
    ("kinesis", "stream"),
)
_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):(?P<service>[a-z-]+):(?P<region>[a-z0-9-]*)"
    r":(?P<account>[0-9]*):(?P<type>[a-z-]+)/(?P<id>[^\s]+)"
)
_S3 = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\S*)?")


def check_uri(uri: str, region: str, account_id: str) -> None:
    """``uri`` must be an S3 URI (``s3://bucket[/prefix]``) or the ARN of an AppFlow flow,
    an AppIntegrations event integration, an Amazon Connect instance or campaign or a
    Kinesis stream, in the domain's partition, Region and account; anything else is a 400
    [INFERRED: the accepted forms beyond the first two, the status and the wording]."""
    if _S3.fullmatch(uri):
        return
    found = _ARN.fullmatch(uri)
    where = (partition(region), region, account_id)
    if found is None or (found["service"], found["type"]) not in ARN_KINDS:
        shapes = ", ".join(
            f"arn:{where[0]}:{service}:{region}:{account_id}:{kind}/NAME"
            for service, kind in ARN_KINDS
        )
        raise BadRequestException(f"Uri {uri} is not an S3 URI (s3://BUCKET) nor one of {shapes}")
    if (found["partition"], found["region"], found["account"]) != where:
        raise BadRequestException(
            f"Uri {uri} is not in the domain's Region and account ({where[0]}, {region}, "
            f"{account_id})"
        )


def flow_arn(region: str, account_id: str, flow_name: str) -> str:
    """The ARN of the AppFlow flow a FlowDefinition creates [OSS CFN-RP: the Uri of an
    integration made from a FlowDefinition]."""
    return f"arn:{partition(region)}:appflow:{region}:{account_id}:flow/{flow_name}"


def flow_exists(name: str) -> str:
    """AWS's text for a FlowDefinition whose flow exists [OSS CFN-RP integration
    CreateHandler]."""
    return f"Flow with name {name} already exists."


def _owner(region: Region, uri: str) -> Domain | None:
    """The domain of ``region`` that has an integration of that Uri, if any."""
    for domain in region.domains.sorted():
        if domain.part(INTEGRATIONS).find(uri) is not None:
            return domain
    return None


def _check_object_types(ctx: Context, domain: Domain, params: Mapping[str, Any]) -> None:
    """Exactly one of ObjectTypeName and ObjectTypeNames [MODEL; INFERRED: exclusive];
    ObjectTypeNames' keys are the documented event types [MODEL]; every name is an object
    type of the domain or a template [INFERRED: 404], ``_unstructured`` excepted [MODEL]."""
    single = params.get("ObjectTypeName")
    several: Mapping[str, str] | None = params.get("ObjectTypeNames")
    if (single is None) == (several is None):
        raise BadRequestException(
            "An integration needs exactly one of ObjectTypeName and ObjectTypeNames"
        )
    names = [single] if several is None else list(several.values())
    for event_type in several or {}:
        if event_type not in EVENT_TYPES:
            raise BadRequestException(
                f"ObjectTypeNames key {event_type} is not an event type: use one of "
                + ", ".join(EVENT_TYPES)
            )
    types = domain.part(OBJECT_TYPES)
    templates = _templates.catalogue(ctx.templates)
    for name in names:
        if name != UNSTRUCTURED and name not in types and name not in templates:
            raise ResourceNotFoundException(_object_types.not_found_message(domain.name, name))


def _check_flow(ctx: Context, domain: Domain, uri: str, flow: Mapping[str, Any]) -> None:
    """A FlowDefinition makes an AppFlow flow of its FlowName, which must not exist yet:
    a flow another integration of the account and Region made [OSS CFN-RP: AWS's
    text]."""
    name = flow["FlowName"]
    for other in ctx.region.domains.sorted():
        for integration in other.part(INTEGRATIONS):
            if other is domain and integration.name == uri:
                continue  # the integration being put again
            made = integration.members.get("FlowDefinition")
            if made is not None and made["FlowName"] == name:
                raise BadRequestException(flow_exists(name))


def put_integration(
    ctx: Context, params: Mapping[str, Any], *, workflow_id: str | None = None
) -> dict[str, Any]:
    """Check and store an integration of domain ``params["DomainName"]`` from
    PutIntegration's members (``workflow_id``: the workflow that made it), and answer it
    as PutIntegration does. A Put of an existing Uri replaces its members (its tags and
    ``CreatedAt`` are kept)."""
    region = ctx.region
    domain = region.domains.get(params["DomainName"])
    flow = params.get("FlowDefinition")
    uri = params.get("Uri")
    if uri is None:
        if flow is None:
            raise BadRequestException("An integration needs a Uri or a FlowDefinition")
        uri = flow_arn(region.name, region.account_id, flow["FlowName"])
        if domain.part(INTEGRATIONS).find(uri) is not None:
            raise BadRequestException(flow_exists(flow["FlowName"]))
    check_uri(uri, region.name, region.account_id)
    _check_object_types(ctx, domain, params)
    triggers = domain.part(_triggers.TRIGGERS)
    for name in params.get("EventTriggerNames") or ():
        triggers.get(name)
    owner = _owner(region, uri)
    if owner is not None and owner is not domain:
        raise BadRequestException(
            f"An integration can belong to only one domain: {uri} belongs to domain {owner.name}"
        )
    if flow is not None:
        _check_flow(ctx, domain, uri, flow)
    table = domain.part(INTEGRATIONS)
    existing = table.find(uri)
    members: dict[str, Any] = {name: params[name] for name in STORED if name in params}
    members.setdefault("Scope", "PROFILE")  # [MODEL] the default
    members["IsUnstructured"] = params.get("ObjectTypeName") == UNSTRUCTURED
    if flow is not None:
        members["FlowDefinition"] = flow
    if existing is None:
        if len(table) >= MAX_PER_DOMAIN:
            raise BadRequestException(
                f"Domain {domain.name} already has {MAX_PER_DOMAIN} integrations, the maximum"
            )
        if workflow_id is not None:
            members["WorkflowId"] = workflow_id
        integration = table.create(uri, members, params.get("Tags") or {})
    else:
        # [MODEL] tags of an existing integration change only through TagResource;
        # [INFERRED] the workflow that made it stays its WorkflowId.
        known = workflow_id or existing.members.get("WorkflowId")
        if known is not None:
            members["WorkflowId"] = known
        existing.members = members
        existing.version += 1
        existing.updated_at = later(existing.updated_at)
        integration = existing
    return shown(integration, domain.name)


@functools.cache
def _shown() -> tuple[str, ...]:
    """The members an integration shows that this botocore's model has (``Scope`` is
    newer than the oldest botocore served)."""
    return tuple(name for name in SHOWN if name in output_members("GetIntegration"))


def shown(integration: Resource, domain: str) -> dict[str, Any]:
    """An integration as Put/GetIntegration answer it and the lists list it [MODEL]."""
    members = integration.members
    out = {"DomainName": domain, "Uri": integration.name}
    out.update({name: members[name] for name in _shown() if name in members})
    return stamped(out, integration)


def users(domain: Domain, trigger: str) -> list[str]:
    """The Uris of the domain's integrations that name event trigger ``trigger`` (at most
    50 integrations a domain)."""
    return [
        integration.name
        for integration in domain.part(INTEGRATIONS)
        if trigger in (integration.members.get("EventTriggerNames") or ())
    ]


_triggers.register_users(users)
