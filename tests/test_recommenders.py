"""Recommenders, recipes and recommendations through real boto3 clients
(features/recommenders/): the recipes' catalogue, the recommender's states on the job
schedule, its configuration rules, versions and training metrics, tags, snapshots, and
recommendations from what a test seeds. Each test names the rule it checks, with its source
tag from the reference (api-semantics-rest.md sections 12.3 and 12.4)."""

from __future__ import annotations

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
# The oldest botocore CI runs (1.40.15) has no recommender operations.
pytestmark = pytest.mark.skipif(
    "CreateRecommender" not in MODEL.operation_names,
    reason="this botocore's model has no recommenders",
)
RECIPES = [
    "recommended-for-you",
    "similar-items",
    "frequently-paired-items",
    "popular-items",
    "trending-now",
    "personalized-ranking",
]


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


# -- ListRecommenderRecipes -------------------------------------------------------------


def test_list_recommender_recipes_lists_the_models_six_with_lower_case_members(client):
    # [MODEL] RecommenderRecipeName's enum; members `name` and `description`; no domain
    out = client.list_recommender_recipes()
    assert [r["name"] for r in out["RecommenderRecipes"]] == RECIPES
    assert all(set(r) == {"name", "description"} for r in out["RecommenderRecipes"])
    assert "NextToken" not in out


def test_list_recommender_recipes_pages_by_ten_at_least(client):
    # [MODEL] MaxResults 10..100, NextToken; the paginator walks it
    pages = client.get_paginator("list_recommender_recipes").paginate(
        PaginationConfig={"PageSize": 10}
    )
    assert [r["name"] for page in pages for r in page["RecommenderRecipes"]] == RECIPES


def test_list_recommender_recipes_refuses_fewer_than_ten(client):
    # [MODEL] MaxResults min 10: botocore refuses it before sending
    with pytest.raises(ParamValidationError):
        client.list_recommender_recipes(MaxResults=9)


def test_list_recommender_recipes_refuses_fewer_than_ten_on_the_wire(cp):
    # [MODEL] min 10, checked by the service too (a client that does not validate)
    client = boto3.client(
        "customer-profiles",
        region_name=REGION,
        config=Config(parameter_validation=False),
    )
    with pytest.raises(ClientError) as excinfo:
        client.list_recommender_recipes(MaxResults=9)
    assert error_of(excinfo)[:2] == ("BadRequestException", 400)
