"""Integrations through real boto3 clients (features/integrations/): PutIntegration's
upsert by Uri and its checks, Get/Delete by Uri, the lists, tags, snapshots and
put_integration for other features. Each test names the rule it checks, with its source
tag from the reference (api-semantics-rest.md section 8, api-semantics.md "Integrations")."""

from __future__ import annotations

import urllib.parse

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
EVENTS = f"arn:aws:app-integrations:{REGION}:{ACCOUNT_ID}:event-integration/shopify"
FLOW = f"arn:aws:appflow:{REGION}:{ACCOUNT_ID}:flow/salesforce-accounts"
S3 = "s3://my-bucket/exports"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
HAS_SCOPE = "Scope" in MODEL.operation_model("PutIntegration").input_shape.members
FLOW_DEFINITION = {
    "FlowName": "salesforce-accounts",
    "KmsArn": f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "SourceFlowConfig": {
        "ConnectorType": "Salesforce",
        "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}},
    },
    "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map", "DestinationField": "Id"}],
    "TriggerConfig": {"TriggerType": "OnDemand"},
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


def arn_of(uri: str, domain: str = "shop") -> str:
    return f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/{domain}/integrations/{uri}"


ORDER_TYPE = {
    "Description": "orders",
    "Fields": {"id": {"Source": "_source.id"}, "email": {"Source": "_source.email"}},
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    cp.put_object_type("shop", "Order", **ORDER_TYPE)
    return "shop"


def put(client, uri=EVENTS, domain="shop", **extra):
    if "ObjectTypeNames" not in extra:
        extra.setdefault("ObjectTypeName", "Order")
    if uri is not None:
        extra["Uri"] = uri
    return client.put_integration(DomainName=domain, **extra)


def failure(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_of(excinfo)


def uris(client, domain="shop") -> list[str]:
    return [i["Uri"] for i in client.list_integrations(DomainName=domain)["Items"]]


# -- PutIntegration -----------------------------------------------------------------------


def test_put_integration_answers_it(client, shop):
    # [MODEL] {DomainName, Uri, ObjectTypeName, CreatedAt, LastUpdatedAt, Tags, ...};
    # [INF] IsUnstructured always answered; [MODEL] Scope defaults to PROFILE
    out = put(client, Tags={"team": "crm"}, RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/r")
    out.pop("ResponseMetadata")
    assert out.pop("CreatedAt") == out.pop("LastUpdatedAt")
    expected = {
        "DomainName": "shop",
        "Uri": EVENTS,
        "ObjectTypeName": "Order",
        "Tags": {"team": "crm"},
        "RoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/r",
        "IsUnstructured": False,
    }
    if HAS_SCOPE:
        expected["Scope"] = "PROFILE"
    assert out == expected


def test_put_integration_again_replaces_it_and_keeps_tags_and_created_at(client, shop):
    # [INF api-semantics] an upsert by Uri; [MODEL] tags change only via TagResource
    cp_type = {"Description": "x", "TemplateId": "Salesforce-Account"}
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Account", **cp_type)
    first = put(client, Tags={"team": "crm"})
    second = put(client, ObjectTypeName="Account", Tags={"other": "tag"})
    assert (second["ObjectTypeName"], second["Tags"]) == ("Account", {"team": "crm"})
    assert second["CreatedAt"] == first["CreatedAt"]
    assert second["LastUpdatedAt"] > first["LastUpdatedAt"]
    assert uris(client) == [EVENTS]


@pytest.mark.parametrize(
    "uri",
    [
        EVENTS,
        FLOW,
        S3,
        f"arn:aws:connect:{REGION}:{ACCOUNT_ID}:instance/0a1b2c3d",
        f"arn:aws:connect-campaigns:{REGION}:{ACCOUNT_ID}:campaign/welcome",
        f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/orders",
    ],
)
def test_put_integration_accepts_the_known_uri_shapes(client, shop, uri):
    # [OSS CFN-RP integration tests] AppFlow flow, AppIntegrations event integration;
    # [INF] Connect instance or campaign, Kinesis stream, S3 URI
    assert put(client, uri)["Uri"] == uri


@pytest.mark.parametrize(
    "uri",
    ["not-a-uri", f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:queue/q", "s3://"],
)
def test_put_integration_with_an_unknown_uri_shape_is_bad_request(client, shop, uri):
    # [INF section 8] a Uri of none of the known shapes -> 400
    code, status, message = failure(lambda: put(client, uri))
    assert (code, status) == ("BadRequestException", 400)
    assert message.startswith(
        f"Uri {uri} is not an S3 URI (s3://BUCKET) nor one of arn:aws:appflow:"
    )
    assert uris(client) == []


def test_put_integration_with_a_uri_of_another_account_is_bad_request(client, shop):
    # [INF] the data source is in the domain's Region and account
    uri = f"arn:aws:app-integrations:eu-west-1:{ACCOUNT_ID}:event-integration/x"
    assert failure(lambda: put(client, uri)) == (
        "BadRequestException",
        400,
        f"Uri {uri} is not in the domain's Region and account (aws, {REGION}, {ACCOUNT_ID})",
    )


@pytest.mark.parametrize(
    "types",
    [{}, {"ObjectTypeName": "Order", "ObjectTypeNames": {"ShopifyCreateOrders": "Order"}}],
)
def test_put_integration_needs_exactly_one_of_the_object_type_members(client, shop, types):
    # [MODEL] ObjectTypeName or ObjectTypeNames; [INF] exactly one
    def call():
        return client.put_integration(DomainName="shop", Uri=EVENTS, **types)

    assert failure(call) == (
        "BadRequestException",
        400,
        "An integration needs exactly one of ObjectTypeName and ObjectTypeNames",
    )


def test_put_integration_with_object_type_names_takes_the_models_event_types(client, shop):
    # [MODEL ObjectTypeNames] keys are event types of Segment or Shopify; values templates
    names = {"ShopifyCreateOrders": "Order", "ShopifyCreateCustomers": "Shopify-Customer"}
    out = put(client, ObjectTypeNames=names)
    assert out["ObjectTypeNames"] == names
    code, status, message = failure(lambda: put(client, ObjectTypeNames={"Checkout": "Order"}))
    assert (code, status) == ("BadRequestException", 400)
    assert message.startswith("ObjectTypeNames key Checkout is not an event type: use one of ")


def test_put_integration_of_an_unknown_object_type_is_not_found(client, shop):
    # [INF section 8] named object types (or templates) must exist -> 404
    assert failure(lambda: put(client, ObjectTypeName="Nope")) == (
        "ResourceNotFoundException",
        404,
        "Object type Nope does not exist in domain shop",
    )


def test_put_integration_of_unstructured_data_is_unstructured(client, shop):
    # [MODEL IsUnstructured] true when ObjectTypeName is _unstructured (no type needed)
    assert put(client, S3, ObjectTypeName="_unstructured")["IsUnstructured"] is True


def test_put_integration_with_an_unknown_event_trigger_is_not_found(client, shop):
    # [INF section 8] EventTriggerNames must exist -> 404
    assert failure(lambda: put(client, EventTriggerNames=["nope"])) == (
        "ResourceNotFoundException",
        404,
        "Event trigger nope does not exist",
    )


def test_put_integration_in_a_second_domain_is_bad_request(client, cp, shop):
    # [MODEL] "An integration can belong to only one domain"; [INF] 400 and the wording
    cp.create_domain("other")
    cp.put_object_type("other", "Order", **ORDER_TYPE)
    put(client)
    assert failure(lambda: put(client, domain="other")) == (
        "BadRequestException",
        400,
        f"An integration can belong to only one domain: {EVENTS} belongs to domain shop",
    )


def test_put_integration_over_the_quota_is_bad_request(client, shop):
    # [DOC archive service limits] 50 integrations per domain
    for n in range(50):
        put(client, f"s3://bucket-{n:02d}")
    assert failure(lambda: put(client, "s3://bucket-50")) == (
        "BadRequestException",
        400,
        "Domain shop already has 50 integrations, the maximum",
    )
    put(client, "s3://bucket-00")  # an existing Uri is an update, not a 51st


def test_put_integration_with_a_flow_definition_and_no_uri_gets_the_flows_arn(client, shop):
    # [OSS CFN-RP] without Uri the service creates the flow; the Uri is the flow's ARN
    out = put(client, None, FlowDefinition=FLOW_DEFINITION)
    assert out["Uri"] == FLOW
    assert "FlowDefinition" not in out  # [MODEL] not in the output shape


def test_put_integration_with_an_existing_flow_name_is_bad_request(client, shop):
    # [OSS CFN-RP integration CreateHandler] "Flow with name %s already exists."
    put(client, None, FlowDefinition=FLOW_DEFINITION)
    expected = ("BadRequestException", 400, "Flow with name salesforce-accounts already exists.")
    assert failure(lambda: put(client, None, FlowDefinition=FLOW_DEFINITION)) == expected
    assert failure(lambda: put(client, S3, FlowDefinition=FLOW_DEFINITION)) == expected
    put(client, FLOW, FlowDefinition=FLOW_DEFINITION)  # the same integration put again


def test_put_integration_without_uri_or_flow_is_bad_request(client, shop):
    # [INF section 8] no Uri and no FlowDefinition -> 400
    assert failure(lambda: put(client, None)) == (
        "BadRequestException",
        400,
        "An integration needs a Uri or a FlowDefinition",
    )


def test_integration_operations_in_an_unknown_domain_are_not_found(client, cp):
    # [section 0.1] missing domain -> 404 ResourceNotFoundException
    for call in (
        lambda: put(client, domain="nowhere"),
        lambda: client.get_integration(DomainName="nowhere", Uri=EVENTS),
        lambda: client.delete_integration(DomainName="nowhere", Uri=EVENTS),
        lambda: client.list_integrations(DomainName="nowhere"),
    ):
        assert failure(call) == ("ResourceNotFoundException", 404, "Domain nowhere does not exist")


# -- GetIntegration / DeleteIntegration ---------------------------------------------------


def test_get_integration_answers_it_as_put(client, shop):
    # [MODEL] GetIntegration (POST with {Uri}) answers PutIntegration's shape
    out = put(client, Tags={"team": "crm"})
    got = client.get_integration(DomainName="shop", Uri=EVENTS)
    out.pop("ResponseMetadata"), got.pop("ResponseMetadata")
    assert got == out


def test_get_integration_of_an_unknown_uri_is_not_found(client, shop):
    # [section 8] missing -> 404; [INF] the wording
    assert failure(lambda: client.get_integration(DomainName="shop", Uri=EVENTS)) == (
        "ResourceNotFoundException",
        404,
        f"Integration {EVENTS} does not exist",
    )


def test_delete_integration_answers_a_message_and_removes_it(client, shop):
    # [section 0.3 MODEL] {Message}; [INF] its text
    put(client)
    out = client.delete_integration(DomainName="shop", Uri=EVENTS)
    assert out["Message"] == f"Integration {EVENTS} was deleted."
    assert uris(client) == []


def test_delete_integration_of_an_unknown_uri_is_not_found(client, shop):
    # [OSS CFN-RP integration DeleteHandler] expects NotFound
    code, status, _ = failure(lambda: client.delete_integration(DomainName="shop", Uri=EVENTS))
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_an_integration_deleted_may_go_to_another_domain(client, cp, shop):
    # [MODEL] one domain at a time: after the delete, another domain may take the Uri
    cp.create_domain("other")
    cp.put_object_type("other", "Order", **ORDER_TYPE)
    put(client)
    client.delete_integration(DomainName="shop", Uri=EVENTS)
    assert put(client, domain="other")["DomainName"] == "other"


# -- ListIntegrations / ListAccountIntegrations -------------------------------------------


def test_list_integrations_pages_by_uri(client, shop):
    # [MODEL] ListIntegrations: Items, MaxResults / NextToken (no botocore paginator)
    for uri in ("s3://c-bucket", "s3://a-bucket", "s3://b-bucket"):
        put(client, uri)
    first = client.list_integrations(DomainName="shop", MaxResults=2)
    second = client.list_integrations(DomainName="shop", NextToken=first["NextToken"])
    assert [i["Uri"] for i in first["Items"] + second["Items"]] == [
        "s3://a-bucket",
        "s3://b-bucket",
        "s3://c-bucket",
    ]
    assert "NextToken" not in second
    hidden = client.list_integrations(DomainName="shop", IncludeHidden=True)
    assert len(hidden["Items"]) == 3  # [INF] the mock makes no hidden integrations


def test_list_account_integrations_finds_the_uri_across_domains(client, cp, shop):
    # [MODEL] POST /integrations {Uri}: that Uri's integrations in the account's domains
    cp.create_domain("other")
    cp.put_object_type("other", "Order", **ORDER_TYPE)
    put(client, domain="other")
    put(client, S3)
    (item,) = client.list_account_integrations(Uri=EVENTS)["Items"]
    assert (item["DomainName"], item["Uri"]) == ("other", EVENTS)
    assert client.list_account_integrations(Uri=FLOW)["Items"] == []  # [INF] none: empty


def test_list_account_integrations_stays_in_the_region(cp, shop):
    # [MODEL] the account's integrations in the region asked
    cp.create_domain("shop", region="eu-west-1")
    east = boto3.client("customer-profiles", region_name=REGION)
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    put(east)
    assert west.list_account_integrations(Uri=EVENTS)["Items"] == []


# -- tags, snapshots, seeding -------------------------------------------------------------


def test_tag_resource_reaches_an_integration_by_its_arn(client, cp, shop):
    # [DOC service-authorization reference] .../domains/D/integrations/URI is taggable;
    # [MODEL] "To add or remove tags on an existing Integration, see TagResource"
    put(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=arn_of(EVENTS), tags={"tier": "gold"})
    client.untag_resource(resourceArn=arn_of(EVENTS), tagKeys=["team"])
    assert client.list_tags_for_resource(resourceArn=arn_of(EVENTS))["tags"] == {"tier": "gold"}
    assert client.get_integration(DomainName="shop", Uri=EVENTS)["Tags"] == {"tier": "gold"}
    assert cp.tags(arn_of(EVENTS)) == {"tier": "gold"}
    assert urllib.parse.quote(arn_of(EVENTS), safe="")  # the label botocore percent-encodes


def test_restore_brings_back_the_integrations_of_the_snapshot(client, cp, shop):
    # generic Domain parts: a snapshot keeps the integrations
    put(client)
    snapshot = cp.snapshot()
    client.delete_integration(DomainName="shop", Uri=EVENTS)
    put(client, S3)
    cp.restore(snapshot)
    assert uris(client) == [EVENTS]


def test_seed_puts_an_integration(cp, shop):
    out = cp.seed("PutIntegration", DomainName="shop", Uri=EVENTS, ObjectTypeName="Order")
    assert out["Uri"] == EVENTS
    assert cp.calls == []
