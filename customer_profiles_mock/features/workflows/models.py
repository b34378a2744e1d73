"""Integration workflows: their table, steps on the job schedule, rules and shapes.

A workflow is a ``Resource`` named by its ``WorkflowId`` whose members are its type,
``Status``, ``StartDate`` once started, its ``Attributes``, its ``Steps`` (one per batch,
as GetWorkflowSteps shows them) and what the request gave that the API never shows again
(``_Request``: the flow definition, object type and role, for the integration a finished
workflow sets up).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.features.integrations import models as _integrations
from customer_profiles_mock.store.domain import Domain, later
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table, stamped
from customer_profiles_mock.wire.arns import parse_arn
from customer_profiles_mock.wire.errors import BadRequestException

# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
# [MODEL] "The supported Amazon AppFlow sources are Salesforce, ServiceNow, and Marketo"
# (the enum also has Zendesk and S3).
SUPPORTED_SOURCES = ("Salesforce", "Servicenow", "Marketo")
# [INFERRED] The texts: the model documents only what each member is.
CREATED_MESSAGE = "Integration workflow creation request received"
STATUS_DESCRIPTIONS = {
    "NOT_STARTED": "Workflow has not started",
    "IN_PROGRESS": "Workflow is ingesting historical records",
    "COMPLETE": "Workflow completed: historical records ingested",
}
STEP_MESSAGES = {
    "NOT_STARTED": "Step has not started",
    "IN_PROGRESS": "Ingesting the batch's historical records",
    "COMPLETE": "Batch ingested",
}
# Where a batch-less workflow's one step starts pulling records from [INFERRED].
EPOCH = "1970-01-01T00:00:00Z"

_ids = forksafe.generator()


def _advance(domain: Domain, workflow: Resource) -> bool:
    running = advance(workflow)
    if not running and workflow.members["Status"] == "COMPLETE":
        set_up_integration(domain, workflow)
    return running


def set_up_integration(domain: Domain, workflow: Resource) -> None:
    """What a finished workflow leaves: the integration of its AppFlow flow, whose
    ``WorkflowId`` is the workflow's [MODEL: WorkflowId "Unique identifier for the
    workflow"; INFERRED reference 8: made when the workflow completes, with its object
    type, role and flow, its tags]. An integration of that flow already there gets the
    WorkflowId; a domain at its 50 integrations gets none [INFERRED]."""
    request = workflow.members["_Request"]
    where = parse_arn(domain.arn)
    assert where is not None  # a domain's own ARN
    region, account_id = where.region, where.account_id
    uri = _integrations.flow_arn(region, account_id, request["FlowName"])
    table = domain.part(_integrations.INTEGRATIONS)
    existing = table.find(uri)
    if existing is not None:
        existing.members = {**existing.members, "WorkflowId": workflow.name}
        existing.updated_at = later(existing.updated_at)
        return
    if len(table) >= _integrations.MAX_PER_DOMAIN:
        return
    members = {
        "ObjectTypeName": request["ObjectTypeName"],
        "RoleArn": request["RoleArn"],
        "Scope": "PROFILE",
        "IsUnstructured": False,
        "FlowDefinition": request["FlowDefinition"],
        "WorkflowId": workflow.name,
    }
    table.create(uri, members, dict(workflow.tags))


def forget_integration(domain: Domain, workflow_id: str) -> None:
    """DeleteWorkflow "deletes the specified workflow and all its corresponding
    resources" [MODEL]: the integration it set up goes too."""
    table = domain.part(_integrations.INTEGRATIONS)
    for integration in table:
        if integration.members.get("WorkflowId") == workflow_id:
            table.delete(integration.name)


# Every domain's workflows: ``domain.part(WORKFLOWS)``, named by WorkflowId. [INFERRED]
# ARN ``arn:aws:profile:REGION:ACCOUNT:domains/D/workflows/ID`` (TagResource reaches it).
WORKFLOWS = resource_table("workflows", ResourceKind("Workflow", "workflows", _advance))


def flow_name_taken(domain: Domain, flow_name: str) -> None:
    """AWS's 400 for a flow name a workflow of the domain already uses [OSS CFN-RP
    integration CreateHandler: "Flow with name %s already exists."]."""
    for workflow in domain.part(WORKFLOWS):
        if workflow.members["_Request"]["FlowName"] == flow_name:
            raise BadRequestException(_integrations.flow_exists(flow_name))
    for integration in domain.part(_integrations.INTEGRATIONS):
        made = integration.members.get("FlowDefinition")
        if made is not None and made["FlowName"] == flow_name:
            raise BadRequestException(_integrations.flow_exists(flow_name))


def check_config(params: Mapping[str, Any]) -> dict[str, Any]:
    """The request's ``AppflowIntegration``: required for APPFLOW_INTEGRATION, and its
    source one of those the documentation names [MODEL doc; INFERRED: the 400s]."""
    appflow = params["IntegrationConfig"].get("AppflowIntegration")
    if appflow is None:
        raise BadRequestException(
            "IntegrationConfig.AppflowIntegration is required for WorkflowType APPFLOW_INTEGRATION"
        )
    source = appflow["FlowDefinition"]["SourceFlowConfig"]["ConnectorType"]
    if source not in SUPPORTED_SOURCES:
        raise BadRequestException(
            f"ConnectorType {source} is not supported by integration workflows: use "
            + ", ".join(SUPPORTED_SOURCES)
        )
    return dict(appflow)


def _iso(value: Any) -> str:
    """A batch time as ISO 8601 text; one no calendar holds is a 400 [INFERRED]."""
    try:
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            moment = datetime.datetime.fromtimestamp(float(value), datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, OSError):
        raise BadRequestException(f"Batches: time {value!r} is out of range") from None


def _steps(flow_name: str, batches: list[dict[str, Any]], now: float) -> list[dict[str, Any]]:
    """One step per batch, or one for a workflow without batches [INFERRED reference 8]:
    each step's flow is named after the workflow's (``-batch-N`` added when there are
    several) and pulls records from its batch's start to its end, as ISO 8601 text."""
    ranges = [(_iso(b["StartTime"]), _iso(b["EndTime"])) for b in batches] or [(EPOCH, _iso(now))]
    steps = []
    for number, (start, end) in enumerate(ranges, 1):
        name = flow_name if len(ranges) == 1 else f"{flow_name[:240]}-batch-{number}"
        steps.append(
            {
                "FlowName": name,
                "Status": "NOT_STARTED",
                "ExecutionMessage": STEP_MESSAGES["NOT_STARTED"],
                "RecordsProcessed": 0,
                "BatchRecordsStartTime": start,
                "BatchRecordsEndTime": end,
                "CreatedAt": now,
                "LastUpdatedAt": now,
            }
        )
    return steps


def new_workflow(
    params: Mapping[str, Any], appflow: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """A new workflow's id (32 hex characters [MODEL]) and members: NOT_STARTED [MODEL],
    its attributes from the flow definition [MODEL], its steps [INFERRED]."""
    workflow_id = forksafe.uuid4(_ids).hex
    flow = appflow["FlowDefinition"]
    source = flow["SourceFlowConfig"]
    now = time.time()
    attributes = {
        "SourceConnectorType": source["ConnectorType"],
        # [INFERRED] The connector type when the definition names no connector profile.
        "ConnectorProfileName": source.get("ConnectorProfileName") or source["ConnectorType"],
        "RoleArn": params["RoleArn"],
    }
    members = {
        "WorkflowType": params["WorkflowType"],
        "Status": "NOT_STARTED",
        "Attributes": {"AppflowIntegration": attributes},
        "Steps": _steps(flow["FlowName"], list(appflow.get("Batches") or ()), now),
        "_Request": {
            "FlowName": flow["FlowName"],
            "FlowDefinition": flow,
            "ObjectTypeName": params["ObjectTypeName"],
            "RoleArn": params["RoleArn"],
        },
    }
    return workflow_id, members


def advance(workflow: Resource) -> bool:
    """One job step [INFERRED: the transitions]: NOT_STARTED -> IN_PROGRESS with its first
    step in progress; then each step COMPLETE and the next one in progress; after the
    last, the workflow is COMPLETE. True while more steps follow."""
    members = dict(workflow.members)
    status = members["Status"]
    if status not in ("NOT_STARTED", "IN_PROGRESS"):
        return False
    now = time.time()
    steps = [dict(step) for step in members["Steps"]]
    if status == "NOT_STARTED":
        members["Status"] = "IN_PROGRESS"
        members["StartDate"] = now
        _move(steps[0], "IN_PROGRESS", now)
    else:
        current = next(i for i, step in enumerate(steps) if step["Status"] == "IN_PROGRESS")
        _move(steps[current], "COMPLETE", now)
        if current + 1 < len(steps):
            _move(steps[current + 1], "IN_PROGRESS", now)
        else:
            members["Status"] = "COMPLETE"  # the table's advance sets up its integration
    members["Steps"] = steps
    workflow.members = members
    workflow.updated_at = later(workflow.updated_at)
    running: bool = members["Status"] != "COMPLETE"
    return running


def _move(step: dict[str, Any], status: str, now: float) -> None:
    step.update(Status=status, ExecutionMessage=STEP_MESSAGES[status], LastUpdatedAt=now)


def metrics(workflow: Resource) -> dict[str, Any]:
    """GetWorkflow's ``Metrics`` [MODEL]: the mock pulls no records [INFERRED: 0]."""
    steps = workflow.members["Steps"]
    done = sum(1 for step in steps if step["Status"] == "COMPLETE")
    return {
        "AppflowIntegration": {
            "RecordsProcessed": sum(step["RecordsProcessed"] for step in steps),
            "StepsCompleted": done,
            "TotalSteps": len(steps),
        }
    }


def shown(workflow: Resource) -> dict[str, Any]:
    """GetWorkflow's answer [MODEL: the shape]."""
    members = workflow.members
    out: dict[str, Any] = {
        "WorkflowId": workflow.name,
        "WorkflowType": members["WorkflowType"],
        "Status": members["Status"],
    }
    if "ErrorDescription" in members:
        out["ErrorDescription"] = members["ErrorDescription"]
    if "StartDate" in members:
        out["StartDate"] = members["StartDate"]
    out["LastUpdatedAt"] = workflow.updated_at
    out["Attributes"] = members["Attributes"]
    out["Metrics"] = metrics(workflow)
    return out


def listed(workflow: Resource) -> dict[str, Any]:
    """A workflow as ListWorkflows lists it [MODEL: the item shape]."""
    members = workflow.members
    out = {
        "WorkflowType": members["WorkflowType"],
        "WorkflowId": workflow.name,
        "Status": members["Status"],
        "StatusDescription": STATUS_DESCRIPTIONS[members["Status"]],
    }
    out = stamped(out, workflow)
    out.pop("Tags", None)
    return out


def matches(workflow: Resource, params: Mapping[str, Any]) -> bool:
    """ListWorkflows' filters [MODEL]: ``WorkflowType``, ``Status``, ``QueryStartDate``
    ("started after": a workflow not started yet does not match [INFERRED]) and
    ``QueryEndDate`` ("ended after": only a COMPLETE workflow has ended [INFERRED]; its
    end is its LastUpdatedAt)."""
    members = workflow.members
    for name in ("WorkflowType", "Status"):
        if name in params and members[name] != params[name]:
            return False
    if "QueryStartDate" in params:
        started = members.get("StartDate")
        if started is None or started < _epoch(params["QueryStartDate"]):
            return False
    if "QueryEndDate" not in params:
        return True
    ended = members["Status"] == "COMPLETE"
    return ended and workflow.updated_at >= _epoch(params["QueryEndDate"])


def _epoch(value: Any) -> float:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return float(value)
