"""Domain layouts through real boto3 clients: the first area built on the generic resource
table (features/domain_layouts/), and cp.seed() for any served operation."""

from __future__ import annotations

import datetime
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, UnsupportedOperationError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
LAYOUT = {
    "Description": "What agents see first",
    "DisplayName": "Agent view",
    "LayoutType": "PROFILE_EXPLORER",
    "Layout": json.dumps({"Id": "root", "Type": "Grid", "Children": []}),
}
LAYOUT_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/layouts/agent"


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, name="agent", **overrides):
    return client.create_domain_layout(
        DomainName="shop", LayoutDefinitionName=name, **{**LAYOUT, **overrides}
    )


def test_create_domain_layout_answers_the_layout_at_version_1(client, shop):
    out = create(client, Tags={"team": "crm"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: out[k] for k in (*LAYOUT, "LayoutDefinitionName", "IsDefault", "Version")} == {
        **LAYOUT,
        "LayoutDefinitionName": "agent",
        "IsDefault": False,
        "Version": "1",
    }
    assert out["Tags"] == {"team": "crm"}
    assert isinstance(out["CreatedAt"], datetime.datetime)


def test_get_domain_layout_answers_what_was_created(client, shop):
    created = create(client)
    got = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert got["Layout"] == LAYOUT["Layout"]
    assert (got["Version"], got["CreatedAt"]) == ("1", created["CreatedAt"])
    assert got["LastUpdatedAt"] >= got["CreatedAt"]


def test_create_domain_layout_twice_is_bad_request(client, shop):
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Layout with name agent already exists",
    )


def test_create_domain_layout_rejects_a_layout_that_is_not_json(client, shop):
    with pytest.raises(ClientError) as excinfo:
        create(client, Layout="{not json")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Layout is not a valid JSON document",
    )
    assert client.list_domain_layouts(DomainName="shop")["Items"] == []


def test_create_domain_layout_validates_against_the_model(client, shop):
    with pytest.raises(ClientError) as excinfo:
        create(client, DisplayName="1 starts with a digit")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("BadRequestException", 400)
    assert "displayName" in message


def test_get_domain_layout_of_an_unknown_name_is_not_found(client, shop):
    with pytest.raises(ClientError) as excinfo:
        client.get_domain_layout(DomainName="shop", LayoutDefinitionName="nope")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Layout nope does not exist")


def test_layout_operations_in_an_unknown_domain_are_not_found(client, cp):
    with pytest.raises(ClientError) as excinfo:
        client.list_domain_layouts(DomainName="nowhere")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nowhere does not exist")


def test_update_domain_layout_keeps_omitted_members_and_moves_the_version(client, shop):
    created = create(client)
    out = client.update_domain_layout(
        DomainName="shop", LayoutDefinitionName="agent", DisplayName="Supervisor view"
    )
    assert (out["DisplayName"], out["Description"], out["Layout"]) == (
        "Supervisor view",
        LAYOUT["Description"],
        LAYOUT["Layout"],
    )
    assert out["Version"] == "2"
    assert out["CreatedAt"] == created["CreatedAt"]
    assert out["LastUpdatedAt"] > created["LastUpdatedAt"]


def test_update_domain_layout_of_an_unknown_name_is_not_found(client, shop):
    with pytest.raises(ClientError) as excinfo:
        client.update_domain_layout(DomainName="shop", LayoutDefinitionName="nope", Layout="{}")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Layout nope does not exist")


def test_one_default_layout_per_domain(client, shop):
    create(client, "first", IsDefault=True)
    create(client, "second", IsDefault=True)
    listed = client.list_domain_layouts(DomainName="shop")["Items"]
    assert {item["LayoutDefinitionName"]: item["IsDefault"] for item in listed} == {
        "first": False,
        "second": True,
    }
    client.update_domain_layout(DomainName="shop", LayoutDefinitionName="first", IsDefault=True)
    first = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="first")
    second = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="second")
    assert (first["IsDefault"], second["IsDefault"]) == (True, False)


def test_delete_domain_layout_answers_a_message_and_removes_it(client, shop):
    create(client)
    out = client.delete_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert out["Message"] == "Layout agent was deleted."
    with pytest.raises(ClientError) as excinfo:
        client.delete_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_list_domain_layouts_pages_by_name_without_the_layout_document(client, shop):
    for name in ("c", "a", "b"):
        create(client, name)
    first = client.list_domain_layouts(DomainName="shop", MaxResults=2)
    assert [i["LayoutDefinitionName"] for i in first["Items"]] == ["a", "b"]
    assert "Layout" not in first["Items"][0]
    assert "Version" not in first["Items"][0]
    rest = client.list_domain_layouts(DomainName="shop", NextToken=first["NextToken"])
    assert [i["LayoutDefinitionName"] for i in rest["Items"]] == ["c"]
    assert "NextToken" not in rest


def test_list_domain_layouts_paginator_walks_every_page(client, shop):
    for name in ("a", "b", "c"):
        create(client, name)
    paginator = client.get_paginator("list_domain_layouts")
    pages = paginator.paginate(DomainName="shop", PaginationConfig={"PageSize": 1})
    assert [i["LayoutDefinitionName"] for page in pages for i in page["Items"]] == ["a", "b", "c"]


def test_tag_resource_reaches_a_layout_by_its_arn(client, shop):
    create(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=LAYOUT_ARN, tags={"tier": "gold"})
    assert client.list_tags_for_resource(resourceArn=LAYOUT_ARN)["tags"] == {
        "team": "crm",
        "tier": "gold",
    }
    got = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert got["Tags"] == {"team": "crm", "tier": "gold"}


def test_delete_domain_removes_its_layouts(client, cp, shop):
    create(client)
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop")
    assert client.list_domain_layouts(DomainName="shop")["Items"] == []


def test_restore_brings_back_the_layouts_of_the_snapshot(client, cp, shop):
    create(client)
    snapshot = cp.snapshot()
    client.update_domain_layout(DomainName="shop", LayoutDefinitionName="agent", Layout="[]")
    create(client, "later")
    cp.restore(snapshot)
    listed = client.list_domain_layouts(DomainName="shop")["Items"]
    assert [i["LayoutDefinitionName"] for i in listed] == ["agent"]
    got = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert (got["Layout"], got["Version"]) == (LAYOUT["Layout"], "1")


def test_layouts_are_kept_per_region(cp, shop):
    cp.create_domain("shop", region="eu-west-1")
    east = boto3.client("customer-profiles", region_name=REGION)
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    create(east)
    assert west.list_domain_layouts(DomainName="shop")["Items"] == []


# -- cp.seed(): any served operation, with the API's validation ---------------------


def test_seed_runs_an_operation_and_answers_as_boto3(client, cp, shop):
    out = cp.seed("CreateDomainLayout", DomainName="shop", LayoutDefinitionName="agent", **LAYOUT)
    assert out["Version"] == "1"
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert cp.calls == []  # seeding is not a call
    assert client.get_domain_layout(DomainName="shop", LayoutDefinitionName="agent")["Layout"]


def test_seed_with_an_unknown_operation_suggests_the_name(cp):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed("CreateDomainLayouts", DomainName="shop")
    assert str(excinfo.value) == (
        "seed(): Unknown operation 'CreateDomainLayouts'. Did you mean 'CreateDomainLayout'?"
    )


def test_seed_with_a_mistyped_domain_name_suggests_it(cp):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed("ListDomainLayouts", Domain="shop")
    assert str(excinfo.value).startswith(
        "seed('ListDomainLayouts') got an unknown field 'Domain'. Did you mean 'DomainName'?"
    )


def test_seed_answers_timestamps_as_datetimes_at_any_depth(cp, shop):
    cp.seed("CreateDomainLayout", DomainName="shop", LayoutDefinitionName="agent", **LAYOUT)
    listed = cp.seed("ListDomainLayouts", DomainName="shop")["Items"]
    assert isinstance(listed[0]["CreatedAt"], datetime.datetime)
    assert "ResponseMetadata" not in listed


def test_seed_with_an_unknown_field_suggests_the_field(cp, shop):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed("CreateDomainLayout", DomainName="shop", LayoutDefinitionName="a", Layot="{}")
    assert str(excinfo.value).startswith(
        "seed('CreateDomainLayout') got an unknown field 'Layot'. Did you mean 'Layout'?"
    )


def test_seed_a_rejected_request_raises_the_service_message(cp, shop):
    cp.seed("CreateDomainLayout", DomainName="shop", LayoutDefinitionName="agent", **LAYOUT)
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed("CreateDomainLayout", DomainName="shop", LayoutDefinitionName="agent", **LAYOUT)
    assert str(excinfo.value) == (
        "seed('CreateDomainLayout'): Layout with name agent already exists"
    )


def test_seed_an_operation_the_mock_does_not_serve_names_it(cp, shop, unserved):
    unserved("CreateEventTrigger")
    with pytest.raises(UnsupportedOperationError) as excinfo:
        cp.seed("CreateEventTrigger", DomainName="shop", EventTriggerName="t")
    assert excinfo.value.operation == "CreateEventTrigger"
    assert str(excinfo.value).startswith(
        "customer_profiles_mock: CreateEventTrigger is not implemented."
    )


def test_server_client_seed_runs_the_operation_on_the_server(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    out = customer_profiles_server.seed(
        "CreateDomainLayout", DomainName="shop", LayoutDefinitionName="agent", **LAYOUT
    )
    assert out["Version"] == "1"
    client = boto3.client(
        "customer-profiles",
        endpoint_url=customer_profiles_server.endpoint_url,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    got = client.get_domain_layout(DomainName="shop", LayoutDefinitionName="agent")
    assert got["Layout"] == LAYOUT["Layout"]


def test_server_client_seed_with_an_unknown_operation_suggests_the_name(
    customer_profiles_server,
):
    with pytest.raises(InvalidArgumentError) as excinfo:
        customer_profiles_server.seed("CreateDomainLayouts", DomainName="shop")
    assert str(excinfo.value) == (
        "seed(): Unknown operation 'CreateDomainLayouts'. Did you mean 'CreateDomainLayout'?"
    )
