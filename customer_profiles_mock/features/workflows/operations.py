"""The workflow operations: CreateIntegrationWorkflow, Get, GetSteps, List and Delete."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.object_types import templates as _templates
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES, not_found_message
from customer_profiles_mock.features.workflows import models
from customer_profiles_mock.features.workflows.models import WORKFLOWS
from customer_profiles_mock.store.resource import due_key
from customer_profiles_mock.wire.errors import ResourceNotFoundException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("CreateIntegrationWorkflow")
def create_integration_workflow(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers a new `WorkflowId` (32 hex characters [MODEL]) and `Message` `Integration
    workflow creation request received` [INFERRED: the text]. The workflow starts
    `NOT_STARTED` [MODEL] and moves on the job schedule: `IN_PROGRESS` one job step later,
    then one step per batch of `Batches` (one step without batches), then `COMPLETE`
    [INFERRED: the transitions]. `IntegrationConfig.AppflowIntegration` is required, else
    400 [INFERRED]; the source must be one the documentation names (Salesforce,
    Servicenow, Marketo), else 400 `ConnectorType S is not supported by integration
    workflows: ...` [MODEL doc; INFERRED: the 400]; `ObjectTypeName` must be an object
    type of the domain or a template, else 404 `Object type NAME does not exist in domain
    DOMAIN` [INFERRED]; a `FlowName` another workflow of the domain uses is 400 `Flow with
    name NAME already exists.` [OSS: AWS's CloudFormation handler]. The mock pulls no
    records (every `RecordsProcessed` is 0) and, on `COMPLETE`, sets up no integration
    (AWS's integration with this `WorkflowId` is not made yet).
    """
    domain = ctx.region.domains.get(params["DomainName"])
    appflow = models.check_config(params)
    type_name = params["ObjectTypeName"]
    catalogue = _templates.catalogue(ctx.templates)
    if domain.part(OBJECT_TYPES).resolve(type_name, catalogue) is None:
        raise ResourceNotFoundException(not_found_message(domain.name, type_name))
    models.flow_name_taken(domain, appflow["FlowDefinition"]["FlowName"])
    workflow_id, members = models.new_workflow(params, appflow)
    workflow = domain.part(WORKFLOWS).create(workflow_id, members, params.get("Tags") or {})
    ctx.schedule(domain, WORKFLOWS, due_key(workflow))
    return {"WorkflowId": workflow_id, "Message": models.CREATED_MESSAGE}


@operation("GetWorkflow")
def get_workflow(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The workflow's `Status`, `StartDate` (when it went `IN_PROGRESS` [INFERRED]),
    `LastUpdatedAt` (its last step), `Attributes.AppflowIntegration` (the source's
    connector type, its connector profile, else the connector type [INFERRED], and the
    role) and `Metrics.AppflowIntegration` (`StepsCompleted` of `TotalSteps`,
    `RecordsProcessed` 0) [MODEL: the shape]. An unknown id is 404 `Workflow ID does not
    exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(WORKFLOWS).get(params["WorkflowId"]))


@operation("GetWorkflowSteps")
def get_workflow_steps(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One item per step [INFERRED: one per batch, or one]: its flow (the workflow's
    `FlowName`, with `-batch-N` added when there are several batches [INFERRED]), its
    `Status` (`NOT_STARTED`, `IN_PROGRESS`, `COMPLETE`) with an `ExecutionMessage`
    [INFERRED: the texts], `RecordsProcessed` 0, and the batch's start and end as ISO 8601
    text (a workflow without batches: from 1970-01-01T00:00:00Z to its creation
    [INFERRED]); `MaxResults` (default 100 [INFERRED]) / `NextToken`. An unknown id is
    404 `Workflow ID does not exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    workflow = domain.part(WORKFLOWS).get(params["WorkflowId"])
    query = fingerprint("GetWorkflowSteps", domain.name, workflow.name)
    page, token = paginate(workflow.members["Steps"], params, query, models.LIST_PAGE)
    out = {
        "WorkflowId": workflow.name,
        "WorkflowType": workflow.members["WorkflowType"],
        "Items": [{"AppflowIntegration": step} for step in page],
    }
    if token:
        out["NextToken"] = token
    return out


@operation("ListWorkflows")
def list_workflows(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The domain's workflows in creation order [INFERRED], filtered by `WorkflowType`,
    `Status`, `QueryStartDate` (started at or after it; one not started yet does not
    match [INFERRED]) and `QueryEndDate` (ended at or after it: only `COMPLETE` ones have
    ended [INFERRED]) [MODEL]; each with a `StatusDescription` [INFERRED: the texts];
    `MaxResults` (default 100 [INFERRED]) / `NextToken`.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    found = [w for w in domain.part(WORKFLOWS) if models.matches(w, params)]
    names = ("WorkflowType", "Status", "QueryStartDate", "QueryEndDate")
    filters = {k: params[k] for k in names if k in params}
    query = fingerprint("ListWorkflows", domain.name, sorted(filters.items(), key=str))
    page, token = paginate(found, params, query, models.LIST_PAGE)
    return items_page([models.listed(workflow) for workflow in page], token)


@operation("DeleteWorkflow")
def delete_workflow(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the workflow at once and answers `{}` [MODEL] (AWS deletes it
    asynchronously); its steps stop, and the integration it set up goes with it ("all
    its corresponding resources" [MODEL]). An unknown id is 404 `Workflow ID does not
    exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(WORKFLOWS).delete(params["WorkflowId"])
    models.forget_integration(domain, params["WorkflowId"])
    return {}
