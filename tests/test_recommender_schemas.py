"""Recommender schemas through real boto3 clients (features/recommender_schemas/): the
Fields rules, the ACTIVE -> DELETING -> gone lifecycle, the Get and List shapes, tags and
snapshots. Each test names the rule it checks, with its source tag from the reference
(api-semantics-rest.md section 12.1)."""

from __future__ import annotations

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import VirtualClock, mock_customer_profiles

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
# The oldest botocore CI runs (1.40.15) has no recommender operations.
pytestmark = pytest.mark.skipif(
    "CreateRecommenderSchema" not in MODEL.operation_names,
    reason="this botocore's model has no recommender schemas",
)
SCHEMA_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/recommender-schemas/items"
FIELDS = {
    "_catalogItem": [{"TargetFieldName": "Category", "FeatureType": "CATEGORICAL"}],
    "_webAnalytics": [{"TargetFieldName": "Location.City", "ContentType": "STRING"}],
}
STORED = {
    "_catalogItem": [
        {"TargetFieldName": "Category", "FeatureType": "CATEGORICAL", "ContentType": "STRING"}
    ],
    "_webAnalytics": [{"TargetFieldName": "Location.City", "ContentType": "STRING"}],
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, name="items", fields=FIELDS, **extra):
    return client.create_recommender_schema(
        DomainName="shop", RecommenderSchemaName=name, Fields=fields, **extra
    )


def test_create_recommender_schema_answers_it_active_with_arn_and_tags(client, shop):
    # [MODEL] {RecommenderSchemaArn, Name, Fields, CreatedAt, Status, Tags}; [INF] ACTIVE at
    # once, ContentType STRING where omitted ([MODEL] "The default value is String")
    out = create(client, Tags={"team": "crm"})
    assert (out["RecommenderSchemaArn"], out["RecommenderSchemaName"]) == (SCHEMA_ARN, "items")
    assert (out["Fields"], out["Status"], out["Tags"]) == (STORED, "ACTIVE", {"team": "crm"})
    assert "CreatedAt" in out


def test_create_recommender_schema_with_another_dataset_key_is_bad_request(client, shop):
    # [MODEL] "The _webAnalytics and _catalogItem keys are supported"; [INF] 400 and wording
    with pytest.raises(ClientError) as excinfo:
        create(client, fields={"_orders": [{"TargetFieldName": "Id"}]})
    message = "Fields key _orders is not supported: use _webAnalytics or _catalogItem"
    assert error_of(excinfo) == ("BadRequestException", 400, message)
    assert client.list_recommender_schemas(DomainName="shop")["RecommenderSchemas"] == []


def test_create_recommender_schema_with_ten_columns_is_bad_request(client, shop):
    # [MODEL] RecommenderSchemaFieldList holds 1 to 9 columns
    columns = [{"TargetFieldName": f"Attributes.c{i}"} for i in range(10)]
    with pytest.raises(ClientError) as excinfo:
        create(client, fields={"_catalogItem": columns})
    code, status, message = error_of(excinfo)
    assert (code, status) == ("BadRequestException", 400)
    assert "less than or equal to 9" in message


def test_create_recommender_schema_with_a_column_twice_is_bad_request(client, shop):
    # [INF] a column once per dataset
    fields = {"_catalogItem": [{"TargetFieldName": "Name"}, {"TargetFieldName": "Name"}]}
    with pytest.raises(ClientError) as excinfo:
        create(client, fields=fields)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Fields _catalogItem names the column Name more than once",
    )


def test_create_recommender_schema_with_an_existing_name_is_bad_request(client, shop):
    # [INF after OSS CFN-RP] "<Type> with name <n> already exists"
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender schema with name items already exists",
    )


def test_create_recommender_schema_in_an_unknown_domain_is_not_found(client, cp):
    # [INF 0.1] missing domain -> 404
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_get_recommender_schema_answers_it_without_arn_or_tags(client, shop):
    # [MODEL] GetRecommenderSchema's output has no ARN and no Tags
    create(client, Tags={"team": "crm"})
    out = client.get_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    out.pop("ResponseMetadata")
    assert set(out) == {"RecommenderSchemaName", "Fields", "CreatedAt", "Status"}
    assert (out["Fields"], out["Status"]) == (STORED, "ACTIVE")


def test_get_recommender_schema_unknown_is_not_found(client, shop):
    # [INF 0.1] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_recommender_schema(DomainName="shop", RecommenderSchemaName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender schema nope does not exist",
    )


def test_list_recommender_schemas_pages_sorted_by_name(client, shop):
    # [MODEL] MaxResults / NextToken, a botocore paginator
    for name in ("c", "a", "b"):
        create(client, name)
    pages = client.get_paginator("list_recommender_schemas").paginate(
        DomainName="shop", PaginationConfig={"PageSize": 2}
    )
    names = [[s["RecommenderSchemaName"] for s in page["RecommenderSchemas"]] for page in pages]
    assert names == [["a", "b"], ["c"]]


def test_delete_recommender_schema_answers_empty_and_the_next_read_sees_it_gone(client, shop):
    # [MODEL] {} ; [INF] DELETING then gone, with job_seconds 0 before the next call
    create(client)
    out = client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    assert set(out) == {"ResponseMetadata"}
    assert client.list_recommender_schemas(DomainName="shop")["RecommenderSchemas"] == []


def test_delete_recommender_schema_is_deleting_until_its_job_step():
    # [MODEL] Status ACTIVE|DELETING; [INF] DELETING lasts one job step; deleting again
    # meanwhile is 400
    clock = VirtualClock()
    with mock_customer_profiles(
        clock=clock, job_seconds=60, region=REGION, account_id=ACCOUNT_ID
    ) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        create(client)
        client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
        got = client.get_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
        assert got["Status"] == "DELETING"
        with pytest.raises(ClientError) as excinfo:
            client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
        assert error_of(excinfo) == (
            "BadRequestException",
            400,
            "Recommender schema items is being deleted",
        )
        clock.advance(60)
        assert client.list_recommender_schemas(DomainName="shop")["RecommenderSchemas"] == []


def test_delete_recommender_schema_unknown_is_not_found(client, shop):
    # [INF 0.1] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="nope")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_recommender_schema_tags_are_reached_by_its_arn(client, shop):
    # [MODEL] TagResource / ListTagsForResource over the schema's ARN
    create(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=SCHEMA_ARN, tags={"env": "test"})
    tags = client.list_tags_for_resource(resourceArn=SCHEMA_ARN)["tags"]
    assert tags == {"team": "crm", "env": "test"}


def test_recommender_schema_is_kept_by_a_snapshot(client, cp, shop):
    # the generic snapshot: a restore brings back a deleted schema
    create(client)
    snapshot = cp.snapshot()
    client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    cp.restore(snapshot)
    got = client.get_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    assert (got["Fields"], got["Status"]) == (STORED, "ACTIVE")
