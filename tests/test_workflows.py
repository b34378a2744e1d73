"""Integration workflows through real boto3 clients (features/workflows/): creation rules,
the statuses and steps on the job schedule, the Get/GetSteps/List shapes, ListWorkflows'
filters, deletion, tags and snapshots. Each test names the rule it checks, with its
source tag from the reference (api-semantics-rest.md section 8)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import VirtualClock, mock_customer_profiles

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
pytestmark = pytest.mark.skipif(
    "CreateIntegrationWorkflow" not in MODEL.operation_names,
    reason="this botocore's model has no integration workflows",
)
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/profiles-workflow"
UTC = datetime.timezone.utc


def flow(name: str = "sf-accounts", connector: str = "Salesforce", **source: Any) -> dict[str, Any]:
    return {
        "FlowName": name,
        "KmsArn": f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "SourceFlowConfig": {
            "ConnectorType": connector,
            "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}},
            **source,
        },
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, batches=None, definition=None, object_type="Salesforce-Account", **extra):
    appflow: dict[str, Any] = {"FlowDefinition": definition or flow(ConnectorProfileName="sf")}
    if batches is not None:
        appflow["Batches"] = batches
    out = client.create_integration_workflow(
        DomainName="shop",
        WorkflowType="APPFLOW_INTEGRATION",
        IntegrationConfig={"AppflowIntegration": appflow},
        ObjectTypeName=object_type,
        RoleArn=ROLE,
        **extra,
    )
    return out


def batch(start_day: int, end_day: int) -> dict[str, datetime.datetime]:
    return {
        "StartTime": datetime.datetime(2024, 1, start_day, tzinfo=UTC),
        "EndTime": datetime.datetime(2024, 1, end_day, tzinfo=UTC),
    }


@pytest.fixture
def watched():
    """A mock whose job steps take 60 s on a virtual clock, and a client."""
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        yield clock, boto3.client("customer-profiles", region_name=REGION)


# -- CreateIntegrationWorkflow -------------------------------------------------------------


def test_create_integration_workflow_answers_an_id_and_a_message(client, shop):
    # [MODEL] WorkflowId [a-f0-9]{32}, Message required; [INF] the text
    out = create(client)
    assert re.fullmatch("[a-f0-9]{32}", out["WorkflowId"])
    assert out["Message"] == "Integration workflow creation request received"


def test_create_without_an_appflow_integration_is_bad_request(client, shop):
    # [MODEL] AppflowIntegration: the configuration of APPFLOW_INTEGRATION; [INF] a 400
    with pytest.raises(ClientError) as excinfo:
        client.create_integration_workflow(
            DomainName="shop",
            WorkflowType="APPFLOW_INTEGRATION",
            IntegrationConfig={},
            ObjectTypeName="Salesforce-Account",
            RoleArn=ROLE,
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "IntegrationConfig.AppflowIntegration is required for WorkflowType APPFLOW_INTEGRATION",
    )


def test_create_from_an_undocumented_source_is_bad_request(client, shop):
    # [MODEL] "The supported Amazon AppFlow sources are Salesforce, ServiceNow, and
    # Marketo"; [INF] the others of the enum are a 400
    with pytest.raises(ClientError) as excinfo:
        create(client, definition=flow(connector="Zendesk"))
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "ConnectorType Zendesk is not supported by integration workflows: use Salesforce, "
        "Servicenow, Marketo",
    )


def test_create_for_a_missing_object_type_is_not_found(client, shop):
    # [INF reference 8] the object type must exist (or be a template)
    with pytest.raises(ClientError) as excinfo:
        create(client, object_type="Accounts")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Object type Accounts does not exist in domain shop",
    )


def test_create_with_a_flow_name_in_use_is_bad_request(client, shop):
    # [OSS CFN-RP integration CreateHandler] "Flow with name %s already exists."
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Flow with name sf-accounts already exists.",
    )


def test_create_in_a_missing_domain_is_not_found(client, cp):
    # [reference 0.1] a missing domain is a 404
    with pytest.raises(ClientError) as excinfo:
        client.create_integration_workflow(
            DomainName="nope",
            WorkflowType="APPFLOW_INTEGRATION",
            IntegrationConfig={"AppflowIntegration": {"FlowDefinition": flow()}},
            ObjectTypeName="Salesforce-Account",
            RoleArn=ROLE,
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nope does not exist")


# -- statuses and steps on the job schedule ------------------------------------------------


def test_a_workflow_moves_through_one_step_per_batch(watched):
    # [MODEL] NOT_STARTED -> IN_PROGRESS -> COMPLETE; [INF] one step per batch, one job
    # step each
    clock, client = watched
    workflow_id = create(client, [batch(1, 2), batch(2, 3)])["WorkflowId"]

    def seen() -> tuple[str, dict[str, int]]:
        out = client.get_workflow(DomainName="shop", WorkflowId=workflow_id)
        return out["Status"], out["Metrics"]["AppflowIntegration"]

    def metrics(done: int) -> dict[str, int]:
        return {"RecordsProcessed": 0, "StepsCompleted": done, "TotalSteps": 2}

    assert seen() == ("NOT_STARTED", metrics(0))
    clock.advance(60)
    assert seen() == ("IN_PROGRESS", metrics(0))
    clock.advance(60)
    assert seen() == ("IN_PROGRESS", metrics(1))
    clock.advance(60)
    assert seen() == ("COMPLETE", metrics(2))


def test_get_workflow_shows_its_attributes_and_dates(watched):
    # [MODEL] the GetWorkflow shape; [INF] StartDate when it went IN_PROGRESS
    clock, client = watched
    workflow_id = create(client)["WorkflowId"]
    out = client.get_workflow(DomainName="shop", WorkflowId=workflow_id)
    assert "StartDate" not in out
    assert out["Attributes"] == {
        "AppflowIntegration": {
            "SourceConnectorType": "Salesforce",
            "ConnectorProfileName": "sf",
            "RoleArn": ROLE,
        }
    }
    assert (out["WorkflowId"], out["WorkflowType"]) == (workflow_id, "APPFLOW_INTEGRATION")
    clock.advance(60)
    started = client.get_workflow(DomainName="shop", WorkflowId=workflow_id)
    assert isinstance(started["StartDate"], datetime.datetime)
    assert started["LastUpdatedAt"] > out["LastUpdatedAt"]


def test_a_workflow_without_a_connector_profile_names_its_connector_type(client, shop):
    # [MODEL] ConnectorProfileName is required in the attributes, optional in the
    # request; [INF] the connector type stands in
    workflow_id = create(client, definition=flow())["WorkflowId"]
    out = client.get_workflow(DomainName="shop", WorkflowId=workflow_id)
    assert out["Attributes"]["AppflowIntegration"]["ConnectorProfileName"] == "Salesforce"


def test_get_workflow_steps_lists_each_batch_as_text_times(watched):
    # [MODEL] the step shape (BatchRecords*Time are strings); [INF] ISO 8601, flow names
    clock, client = watched
    workflow_id = create(client, [batch(1, 2), batch(2, 3)])["WorkflowId"]
    clock.advance(60)
    out = client.get_workflow_steps(DomainName="shop", WorkflowId=workflow_id)
    assert (out["WorkflowId"], out["WorkflowType"]) == (workflow_id, "APPFLOW_INTEGRATION")
    steps = [item["AppflowIntegration"] for item in out["Items"]]
    assert [
        (s["FlowName"], s["Status"], s["BatchRecordsStartTime"], s["BatchRecordsEndTime"])
        for s in steps
    ] == [
        ("sf-accounts-batch-1", "IN_PROGRESS", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"),
        ("sf-accounts-batch-2", "NOT_STARTED", "2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"),
    ]
    assert [s["ExecutionMessage"] for s in steps] == [
        "Ingesting the batch's historical records",
        "Step has not started",
    ]
    assert [s["RecordsProcessed"] for s in steps] == [0, 0]


def test_a_workflow_without_batches_has_one_step(client, shop):
    # [INF reference 8] one step when there are no Batches
    workflow_id = create(client)["WorkflowId"]
    out = client.get_workflow_steps(DomainName="shop", WorkflowId=workflow_id)
    [step] = [item["AppflowIntegration"] for item in out["Items"]]
    assert (step["FlowName"], step["Status"], step["BatchRecordsStartTime"]) == (
        "sf-accounts",
        "COMPLETE",
        "1970-01-01T00:00:00Z",
    )


def test_get_workflow_steps_pages(client, shop):
    # [MODEL] MaxResults / NextToken (no paginator)
    workflow_id = create(client, [batch(1, 2), batch(2, 3), batch(3, 4)])["WorkflowId"]
    first = client.get_workflow_steps(DomainName="shop", WorkflowId=workflow_id, MaxResults=2)
    assert len(first["Items"]) == 2
    rest = client.get_workflow_steps(
        DomainName="shop", WorkflowId=workflow_id, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [i["AppflowIntegration"]["FlowName"] for i in rest["Items"]] == ["sf-accounts-batch-3"]
    assert "NextToken" not in rest


def test_get_an_unknown_workflow_is_not_found(client, shop):
    # [INF] a missing child resource is a 404
    with pytest.raises(ClientError) as excinfo:
        client.get_workflow(DomainName="shop", WorkflowId="0" * 32)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Workflow {'0' * 32} does not exist",
    )
    with pytest.raises(ClientError) as excinfo:
        client.get_workflow_steps(DomainName="shop", WorkflowId="0" * 32)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


# -- ListWorkflows -------------------------------------------------------------------------


def test_list_workflows_shows_each_with_a_status_description(watched):
    # [MODEL] the item shape; [INF] the descriptions, creation order
    clock, client = watched
    first = create(client)["WorkflowId"]
    clock.advance(60)
    second = create(client, definition=flow("sf-contacts"))["WorkflowId"]
    items = client.list_workflows(DomainName="shop")["Items"]
    assert [(i["WorkflowId"], i["Status"], i["StatusDescription"]) for i in items] == [
        (first, "IN_PROGRESS", "Workflow is ingesting historical records"),
        (second, "NOT_STARTED", "Workflow has not started"),
    ]
    assert set(items[0]) == {
        "WorkflowType",
        "WorkflowId",
        "Status",
        "StatusDescription",
        "CreatedAt",
        "LastUpdatedAt",
    }


def test_list_workflows_filters_by_status_type_and_dates(watched):
    # [MODEL] WorkflowType, Status, QueryStartDate "started after", QueryEndDate "ended
    # after"; [INF] one not started or not ended does not match
    clock, client = watched
    done = create(client)["WorkflowId"]
    clock.advance(120)  # started, then COMPLETE
    waiting = create(client, definition=flow("sf-contacts"))["WorkflowId"]

    def ids(**filters: Any) -> list[str]:
        return [
            i["WorkflowId"] for i in client.list_workflows(DomainName="shop", **filters)["Items"]
        ]

    assert ids(Status="COMPLETE") == [done]
    assert ids(Status="NOT_STARTED") == [waiting]
    assert ids(WorkflowType="APPFLOW_INTEGRATION") == [done, waiting]
    long_ago = datetime.datetime(2000, 1, 1, tzinfo=UTC)
    assert ids(QueryStartDate=long_ago) == [done]
    assert ids(QueryEndDate=long_ago) == [done]
    assert ids(QueryStartDate=datetime.datetime(2999, 1, 1, tzinfo=UTC)) == []


def test_list_workflows_pages(client, shop):
    # [MODEL] MaxResults / NextToken (no paginator)
    ids = [create(client, definition=flow(f"flow-{n}"))["WorkflowId"] for n in range(3)]
    first = client.list_workflows(DomainName="shop", MaxResults=2)
    rest = client.list_workflows(DomainName="shop", MaxResults=2, NextToken=first["NextToken"])
    assert [i["WorkflowId"] for i in first["Items"] + rest["Items"]] == ids
    assert "NextToken" not in rest


# -- DeleteWorkflow, tags, snapshots ---------------------------------------------------------


def test_delete_workflow_removes_it(client, shop):
    # [MODEL] {} ; "Deletes the specified workflow and all its corresponding resources"
    workflow_id = create(client)["WorkflowId"]
    out = client.delete_workflow(DomainName="shop", WorkflowId=workflow_id)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.list_workflows(DomainName="shop")["Items"] == []
    # the flow name is free again
    assert create(client)["WorkflowId"] != workflow_id


def test_delete_an_unknown_workflow_is_not_found(client, shop):
    # [MODEL] DeleteWorkflow's WorkflowId is any 1-255 string; [reference 8] unknown -> 404
    with pytest.raises(ClientError) as excinfo:
        client.delete_workflow(DomainName="shop", WorkflowId="not-a-workflow")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Workflow not-a-workflow does not exist",
    )


def test_a_deleted_workflow_steps_no_more(watched):
    # [INF] deletion stops its steps; the same id is not brought back
    clock, client = watched
    workflow_id = create(client)["WorkflowId"]
    client.delete_workflow(DomainName="shop", WorkflowId=workflow_id)
    clock.advance(600)
    assert client.list_workflows(DomainName="shop")["Items"] == []


def test_tags_of_a_workflow_through_its_arn(client, shop):
    # [MODEL] CreateIntegrationWorkflow takes Tags; [INF] the ARN .../domains/D/workflows/ID
    workflow_id = create(client, Tags={"team": "crm"})["WorkflowId"]
    arn = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/workflows/{workflow_id}"
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "crm"}
    client.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {
        "team": "crm",
        "env": "test",
    }


def test_restore_brings_back_a_workflow_and_its_pending_steps():
    # [architecture] snapshots freeze the tables and what is due
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        workflow_id = create(client)["WorkflowId"]
        snapshot = cp.snapshot()
        cp.settle()
        assert client.get_workflow(DomainName="shop", WorkflowId=workflow_id)["Status"] == (
            "COMPLETE"
        )
        cp.restore(snapshot)
        status = client.get_workflow(DomainName="shop", WorkflowId=workflow_id)["Status"]
        assert status == "NOT_STARTED"
        cp.settle()
        assert client.get_workflow(DomainName="shop", WorkflowId=workflow_id)["Status"] == (
            "COMPLETE"
        )


# -- the integration a finished workflow sets up ------------------------------------------

FLOW_ARN = f"arn:aws:appflow:{REGION}:{ACCOUNT_ID}:flow/sf-accounts"


def test_finished_workflow_leaves_the_integration_of_its_flow(client, cp, shop):
    # [MODEL] the workflow "sets up an integration for ongoing updates"; an integration's
    # WorkflowId is the workflow's [INF reference 8: when it completes]
    workflow_id = create(client)["WorkflowId"]
    cp.settle()
    assert client.get_workflow(DomainName="shop", WorkflowId=workflow_id)["Status"] == "COMPLETE"
    integration = client.get_integration(DomainName="shop", Uri=FLOW_ARN)
    assert (integration["WorkflowId"], integration["ObjectTypeName"], integration["RoleArn"]) == (
        workflow_id,
        "Salesforce-Account",
        ROLE,
    )


def test_running_workflow_has_no_integration_yet(watched):
    # [INF reference 8] the integration exists once the workflow is COMPLETE
    clock, client = watched
    create(client)
    clock.advance(60)
    assert client.list_integrations(DomainName="shop")["Items"] == []


def test_delete_workflow_deletes_the_integration_it_set_up(client, cp, shop):
    # [MODEL DeleteWorkflow] "Deletes the specified workflow and all its corresponding
    # resources"
    workflow_id = create(client)["WorkflowId"]
    cp.settle()
    client.delete_workflow(DomainName="shop", WorkflowId=workflow_id)
    assert client.list_integrations(DomainName="shop")["Items"] == []


def test_create_workflow_of_a_flow_an_integration_made_is_bad_request(client, shop):
    # [OSS CFN-RP integration CreateHandler] "Flow with name %s already exists."
    client.put_integration(
        DomainName="shop", FlowDefinition=flow(), ObjectTypeName="Salesforce-Account"
    )
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Flow with name sf-accounts already exists.",
    )
