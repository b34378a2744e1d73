"""Recommender filters through real boto3 clients (features/recommender_filters/): the
PENDING -> IN_PROGRESS -> ACTIVE/FAILED states on the job schedule, the expression
language, the schema a filter names, the Get and List shapes, tags and snapshots. Each test
names the rule it checks, with its source tag from the reference (api-semantics-rest.md
section 12.2)."""

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
    "CreateRecommenderFilter" not in MODEL.operation_names,
    reason="this botocore's model has no recommender filters",
)
FILTER_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/recommender-filters/books"
EXPRESSION = 'INCLUDE ItemID WHERE Items.Category IN ("books", $GENRE)'


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, name="books", expression=EXPRESSION, **extra):
    return client.create_recommender_filter(
        DomainName="shop",
        RecommenderFilterName=name,
        RecommenderFilterExpression=expression,
        **extra,
    )


def get(client, name="books"):
    return client.get_recommender_filter(DomainName="shop", RecommenderFilterName=name)


def test_create_recommender_filter_answers_its_arn_and_tags(client, shop):
    # [MODEL] {RecommenderFilterArn, Tags}; [INF] the ARN's recommender-filters/NAME
    out = create(client, Tags={"team": "crm"})
    assert (out["RecommenderFilterArn"], out["Tags"]) == (FILTER_ARN, {"team": "crm"})


def test_get_recommender_filter_is_active_at_the_next_read_with_empty_tags(client, shop):
    # [INF 12.2] PENDING -> IN_PROGRESS -> ACTIVE, job_seconds 0: the first read sees the
    # end; [MODEL] Tags required in GetRecommenderFilter's output -> {} when none
    create(client, Description="books only")
    out = get(client)
    assert (out["Status"], out["Description"], out["Tags"]) == ("ACTIVE", "books only", {})
    assert out["RecommenderFilterExpression"] == EXPRESSION
    assert "FailureReason" not in out


def test_create_recommender_filter_moves_one_state_a_job_step():
    # [INF 12.2, 0.5] the initial state first: PENDING, IN_PROGRESS, then ACTIVE
    clock = VirtualClock()
    with mock_customer_profiles(
        clock=clock, job_seconds=60, region=REGION, account_id=ACCOUNT_ID
    ) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        create(client)
        seen = [get(client)["Status"]]
        for _ in range(2):
            clock.advance(60)
            seen.append(get(client)["Status"])
        assert seen == ["PENDING", "IN_PROGRESS", "ACTIVE"]


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("SELECT ItemID", "expected INCLUDE or EXCLUDE, found 'SELECT'"),
        ("INCLUDE ItemID WHERE Items.Price > 10;", "unexpected text at offset 37: ';'"),
        ('INCLUDE ItemID WHERE Items.Category IN ("books"', "expected ) to close the list"),
        ("EXCLUDE ItemID WHERE Price > 10", "expected Items.COLUMN, found 'Price'"),
        (
            'INCLUDE ItemID WHERE Items.Category LIKE "b%"',
            "expected IN, NOT IN or a comparison after Items.Category, found 'LIKE'",
        ),
    ],
)
def test_an_expression_outside_the_language_fails_the_filter(client, shop, expression, reason):
    # [INF 12.2] unparseable -> FAILED with a FailureReason, not a 400
    create(client, expression=expression)
    out = get(client)
    assert (out["Status"], out["FailureReason"]) == (
        "FAILED",
        f"Invalid filter expression: {reason}",
    )


def test_an_items_column_its_schema_lacks_fails_the_filter(client, shop):
    # [INF 12.2] the filter's columns are its schema's
    client.create_recommender_schema(
        DomainName="shop",
        RecommenderSchemaName="items",
        Fields={"_catalogItem": [{"TargetFieldName": "Category"}]},
    )
    colour = 'EXCLUDE ItemID WHERE Items.Colour = "red"'
    create(client, expression=colour, RecommenderSchemaName="items")
    create(client, "ok", RecommenderSchemaName="items")
    assert get(client)["FailureReason"] == (
        "Invalid filter expression: Items.Colour is not a _catalogItem column of "
        "recommender schema items"
    )
    assert get(client, "ok")["Status"] == "ACTIVE"


def test_create_recommender_filter_with_an_unknown_schema_is_not_found(client, shop):
    # [INF] the filter's schema must exist
    with pytest.raises(ClientError) as excinfo:
        create(client, RecommenderSchemaName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender schema nope does not exist",
    )


def test_delete_recommender_schema_a_filter_uses_is_bad_request(client, shop):
    # [INF 12.1] a schema in use cannot be deleted
    client.create_recommender_schema(
        DomainName="shop",
        RecommenderSchemaName="items",
        Fields={"_catalogItem": [{"TargetFieldName": "Category"}]},
    )
    create(client, RecommenderSchemaName="items")
    with pytest.raises(ClientError) as excinfo:
        client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender schema items is in use by Recommender filter books; delete them first",
    )
    client.delete_recommender_filter(DomainName="shop", RecommenderFilterName="books")
    client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    assert client.list_recommender_schemas(DomainName="shop")["RecommenderSchemas"] == []


def test_create_recommender_filter_with_an_existing_name_is_bad_request(client, shop):
    # [INF after OSS CFN-RP] "<Type> with name <n> already exists"
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender filter with name books already exists",
    )


def test_delete_recommender_filter_answers_a_message_and_the_next_read_sees_it_gone(client, shop):
    # [MODEL] {Message} required; [INF] its text; DELETING then gone
    create(client)
    out = client.delete_recommender_filter(DomainName="shop", RecommenderFilterName="books")
    assert out["Message"] == "Recommender filter books was deleted."
    with pytest.raises(ClientError) as excinfo:
        get(client)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender filter books does not exist",
    )


def test_list_recommender_filters_pages_sorted_by_name(client, shop):
    # [MODEL] MaxResults / NextToken, a botocore paginator; Tags only when it has some
    for name in ("c", "a", "b"):
        create(client, name)
    pages = list(
        client.get_paginator("list_recommender_filters").paginate(
            DomainName="shop", PaginationConfig={"PageSize": 2}
        )
    )
    items = [f for page in pages for f in page["RecommenderFilters"]]
    assert [f["RecommenderFilterName"] for f in items] == ["a", "b", "c"]
    assert len(pages) == 2
    assert {f["Status"] for f in items} == {"ACTIVE"}
    assert "Tags" not in items[0]


def test_recommender_filter_tags_are_reached_by_its_arn(client, shop):
    # [MODEL] TagResource over the filter's ARN; GetRecommenderFilter shows them
    create(client)
    client.tag_resource(resourceArn=FILTER_ARN, tags={"env": "test"})
    assert get(client)["Tags"] == {"env": "test"}


def test_recommender_filter_is_kept_by_a_snapshot(client, cp, shop):
    # the generic snapshot: a restore brings back a deleted filter
    create(client)
    snapshot = cp.snapshot()
    client.delete_recommender_filter(DomainName="shop", RecommenderFilterName="books")
    cp.restore(snapshot)
    assert get(client)["Status"] == "ACTIVE"
