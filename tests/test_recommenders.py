"""Recommenders, recipes and recommendations through real boto3 clients
(features/recommenders/): the recipes' catalogue, the recommender's states on the job
schedule, its configuration rules, versions and training metrics, tags, snapshots, and
recommendations from what a test seeds. Each test names the rule it checks, with its source
tag from the reference (api-semantics-rest.md sections 12.3 and 12.4)."""

from __future__ import annotations

import datetime
import re

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles
from customer_profiles_mock.server import CustomerProfilesServer

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


def test_list_recommender_recipes_fit_one_page_of_the_smallest_size(client):
    # [MODEL] MaxResults 10..100, NextToken; the paginator walks it: six recipes, one page
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


# -- recommenders -----------------------------------------------------------------------

RECOMMENDER_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/recommenders/picks"
VERSION = re.compile(r"picks/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z")
METRICS = {
    "coverage": 0.5,
    "hit": 0.25,
    "mean_reciprocal_rank_at_25": 0.2,
    "normalized_discounted_cumulative_gain_at_10": 0.3,
    "precision_at_10": 0.1,
    "recall": 0.35,
}
SCHEMA_FIELDS = {
    "_catalogItem": [{"TargetFieldName": "Category"}, {"TargetFieldName": "Price"}],
    "_webAnalytics": [{"TargetFieldName": "Location.City"}],
}
EVENTS = {"EventParametersList": [{"EventType": "click", "EventWeight": 0.5}]}


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


@pytest.fixture
def jobs():
    """A mock whose job steps take 60 s on a virtual clock, and its client."""
    clock = VirtualClock()
    with mock_customer_profiles(
        clock=clock, job_seconds=60, region=REGION, account_id=ACCOUNT_ID
    ) as cp:
        cp.create_domain("shop")
        yield clock, cp, boto3.client("customer-profiles", region_name=REGION)


def create(client, name="picks", recipe="recommended-for-you", **extra):
    return client.create_recommender(
        DomainName="shop", RecommenderName=name, RecommenderRecipeName=recipe, **extra
    )


def get(client, name="picks", **extra):
    return client.get_recommender(DomainName="shop", RecommenderName=name, **extra)


def status(client, name="picks"):
    return get(client, name)["Status"]


def with_schema(client, config, name="picks"):
    client.create_recommender_schema(
        DomainName="shop", RecommenderSchemaName="items", Fields=SCHEMA_FIELDS
    )
    return create(client, name, RecommenderSchemaName="items", RecommenderConfig=config)


def test_create_recommender_answers_its_arn_and_tags(client, shop):
    # [MODEL] {RecommenderArn, Tags}; [INF] the ARN's recommenders/NAME segment
    out = create(client, Tags={"team": "crm"})
    assert (out["RecommenderArn"], out["Tags"]) == (RECOMMENDER_ARN, {"team": "crm"})


def test_create_recommender_is_active_with_a_version_and_metrics_at_the_next_read(client, shop):
    # [INF 12.3] PENDING -> IN_PROGRESS -> ACTIVE with a version NAME/UTC time and one
    # TrainingMetrics entry; job_seconds 0: the first read sees the end
    create(client, Description="picks for you", RecommenderConfig={"EventsConfig": EVENTS})
    out = get(client)
    assert (out["Status"], out["RecommenderRecipeName"]) == ("ACTIVE", "recommended-for-you")
    assert (out["Description"], out["RecommenderConfig"]) == (
        "picks for you",
        {"EventsConfig": EVENTS},
    )
    assert VERSION.fullmatch(out["ActiveRecommenderVersionName"])
    (metrics,) = out["TrainingMetrics"]
    assert metrics["Metrics"] == METRICS
    assert metrics["RecommenderVersionName"] == out["ActiveRecommenderVersionName"]


def test_create_recommender_moves_one_state_a_job_step(jobs):
    # [INF 12.3, 0.5] the initial state first: PENDING, IN_PROGRESS, then ACTIVE
    clock, cp, client = jobs
    create(client)
    seen = [status(client)]
    for _ in range(2):
        clock.advance(60)
        seen.append(status(client))
    assert seen == ["PENDING", "IN_PROGRESS", "ACTIVE"]


def test_stop_and_start_recommender_move_through_their_states(jobs):
    # [INF 12.3] Stop: ACTIVE -> STOPPING -> INACTIVE; Start: INACTIVE -> STARTING -> ACTIVE
    clock, cp, client = jobs
    create(client)
    cp.settle()
    seen = []
    for call in (client.stop_recommender, client.start_recommender):
        out = call(DomainName="shop", RecommenderName="picks")
        assert set(out) == {"ResponseMetadata"}  # [MODEL] {}
        seen.append(status(client))
        clock.advance(60)
        seen.append(status(client))
    assert seen == ["STOPPING", "INACTIVE", "STARTING", "ACTIVE"]


def test_stop_recommender_that_is_not_active_is_bad_request(client, shop):
    # [INF 12.3] Stop when not ACTIVE -> 400
    create(client)
    client.stop_recommender(DomainName="shop", RecommenderName="picks")
    with pytest.raises(ClientError) as excinfo:
        client.stop_recommender(DomainName="shop", RecommenderName="picks")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender picks cannot be stopped in status INACTIVE; it must be ACTIVE",
    )


def test_start_recommender_that_is_not_inactive_is_bad_request(client, shop):
    # [INF 12.3] Start when not INACTIVE -> 400
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.start_recommender(DomainName="shop", RecommenderName="picks")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender picks cannot be started in status ACTIVE; it must be INACTIVE",
    )


def test_delete_recommender_is_deleting_then_gone(jobs):
    # [MODEL] {}; [INF 12.3] DELETING -> gone one job step later
    clock, cp, client = jobs
    create(client)
    cp.settle()
    assert set(client.delete_recommender(DomainName="shop", RecommenderName="picks")) == {
        "ResponseMetadata"
    }
    assert status(client) == "DELETING"
    with pytest.raises(ClientError) as excinfo:
        client.delete_recommender(DomainName="shop", RecommenderName="picks")
    assert error_of(excinfo) == ("BadRequestException", 400, "Recommender picks is being deleted")
    clock.advance(60)
    assert client.list_recommenders(DomainName="shop")["Recommenders"] == []


def test_delete_recommender_while_it_trains_is_bad_request(jobs):
    # [INF 12.3] Delete only from ACTIVE, INACTIVE or FAILED
    clock, cp, client = jobs
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.delete_recommender(DomainName="shop", RecommenderName="picks")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender picks cannot be deleted in status PENDING; it must be ACTIVE or "
        "INACTIVE or FAILED",
    )


def test_update_recommender_trains_a_new_version_on_the_new_config(jobs):
    # [INF 12.3] LatestRecommenderUpdate IN_PROGRESS -> ACTIVE; the config changes when it
    # completes, with a new version and TrainingMetrics entry
    clock, cp, client = jobs
    create(client, RecommenderConfig={"EventsConfig": EVENTS})
    cp.settle()
    first = get(client)["ActiveRecommenderVersionName"]
    clock.advance(1)  # the next version is named a second later
    new = {"EventsConfig": EVENTS, "TrainingFrequency": 7}
    out = client.update_recommender(
        DomainName="shop", RecommenderName="picks", RecommenderConfig=new, Description="v2"
    )
    assert out["RecommenderName"] == "picks"
    during = get(client)
    assert (during["Status"], during["Description"]) == ("ACTIVE", "v2")
    assert during["LatestRecommenderUpdate"]["Status"] == "IN_PROGRESS"
    assert during["LatestRecommenderUpdate"]["RecommenderConfig"] == new
    assert during["RecommenderConfig"] == {"EventsConfig": EVENTS}
    clock.advance(60)
    after = get(client, TrainingMetricsCount=5)
    latest = after["LatestRecommenderUpdate"]
    assert (latest["Status"], after["RecommenderConfig"]) == ("ACTIVE", new)
    assert latest["RecommenderVersionName"] == after["ActiveRecommenderVersionName"] != first
    assert [m["RecommenderVersionName"] for m in after["TrainingMetrics"]] == [
        after["ActiveRecommenderVersionName"],
        first,
    ]


def test_update_recommender_rolls_back_to_a_trained_version(client, shop):
    # [MODEL] RecommenderVersionName: "roll back to a previously trained version"
    create(client)
    first = get(client)["ActiveRecommenderVersionName"]
    client.update_recommender(
        DomainName="shop", RecommenderName="picks", RecommenderConfig={"TrainingFrequency": 3}
    )
    assert get(client)["ActiveRecommenderVersionName"] != first
    client.update_recommender(
        DomainName="shop", RecommenderName="picks", RecommenderVersionName=first
    )
    out = get(client)
    assert out["ActiveRecommenderVersionName"] == first
    assert out["LatestRecommenderUpdate"]["RecommenderVersionName"] == first


def test_update_recommender_to_an_unknown_version_is_bad_request(client, shop):
    # [MODEL] a previously trained version; [INF] 400 and wording
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.update_recommender(
            DomainName="shop",
            RecommenderName="picks",
            RecommenderVersionName="picks/2020-01-01T00-00-00Z",
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender version picks/2020-01-01T00-00-00Z does not exist for recommender picks",
    )


def test_update_recommender_while_an_update_is_in_progress_is_bad_request(jobs):
    # [INF 12.3] updating while an update is IN_PROGRESS -> 400
    clock, cp, client = jobs
    create(client)
    cp.settle()
    config = {"TrainingFrequency": 3}
    client.update_recommender(DomainName="shop", RecommenderName="picks", RecommenderConfig=config)
    with pytest.raises(ClientError) as excinfo:
        client.update_recommender(
            DomainName="shop", RecommenderName="picks", RecommenderConfig=config
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender picks cannot be updated while an update is in progress",
    )


def test_create_recommender_with_included_and_excluded_columns_is_bad_request(client, shop):
    # [MODEL] IncludedColumns "Mutually exclusive with ExcludedColumns"
    config = {
        "IncludedColumns": {"_catalogItem": ["Category"]},
        "ExcludedColumns": {"_catalogItem": ["Price"]},
    }
    with pytest.raises(ClientError) as excinfo:
        with_schema(client, config)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "IncludedColumns and ExcludedColumns are mutually exclusive: give one of them",
    )


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"IncludedColumns": {"_orders": ["Id"]}},
            "IncludedColumns key _orders is not supported: use _webAnalytics or _catalogItem",
        ),
        (
            {"IncludedColumns": {"_catalogItem": ["Colour"]}},
            "IncludedColumns _catalogItem names the column Colour, which recommender schema "
            "items does not define",
        ),
        (
            {"ExcludedColumns": {"_webAnalytics": ["EventType"]}},
            "ExcludedColumns _webAnalytics cannot exclude the mandatory column EventType",
        ),
        (
            {"ExcludedColumns": {"_catalogItem": ["Id"]}},
            "ExcludedColumns _catalogItem cannot exclude the mandatory column Id",
        ),
        (
            {
                "DiversityConfig": {
                    "DiversityColumns": [{"Name": "Colour", "CapType": "VALUE", "Target": "2"}]
                }
            },
            "DiversityColumns _catalogItem names the column Colour, which recommender schema "
            "items does not define",
        ),
        (
            {
                "DiversityConfig": {
                    "DiversityColumns": [
                        {"Name": "Category", "CapType": "PERCENTAGE", "Target": "150"}
                    ]
                }
            },
            "DiversityColumns Category: a PERCENTAGE Target is at most 100, got 150",
        ),
        (
            {"EventsConfig": {"EventParametersList": [{"EventType": "buy"}, {"EventType": "buy"}]}},
            "EventParametersList names event type buy twice",
        ),
    ],
)
def test_create_recommender_config_rules(client, shop, config, message):
    # [MODEL] keys _webAnalytics/_catalogItem, columns of the schema, mandatory columns
    # not excluded, diversity columns of the schema; [INF] PERCENTAGE <= 100, an event once
    with pytest.raises(ClientError) as excinfo:
        with_schema(client, config)
    assert error_of(excinfo) == ("BadRequestException", 400, message)
    assert client.list_recommenders(DomainName="shop")["Recommenders"] == []


def test_create_recommender_with_the_schemas_columns_is_taken(client, shop):
    # [MODEL] the columns must be the schema's; the mandatory ones are always there
    config = {"IncludedColumns": {"_catalogItem": ["Category", "Id"]}}
    with_schema(client, config)
    assert get(client)["RecommenderSchemaName"] == "items"


def test_create_recommender_with_an_unknown_schema_is_not_found(client, shop):
    # [INF] the schema a recommender names must exist
    with pytest.raises(ClientError) as excinfo:
        create(client, RecommenderSchemaName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender schema nope does not exist",
    )


def test_delete_recommender_schema_a_recommender_uses_is_bad_request(client, shop):
    # [INF 12.1] a schema in use cannot be deleted
    with_schema(client, {})
    with pytest.raises(ClientError) as excinfo:
        client.delete_recommender_schema(DomainName="shop", RecommenderSchemaName="items")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender schema items is in use by Recommender picks; delete them first",
    )


def test_create_recommender_with_an_existing_name_is_bad_request(client, shop):
    # [INF after OSS CFN-RP] "<Type> with name <n> already exists"
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender with name picks already exists",
    )


def test_get_recommender_unknown_is_not_found(client, shop):
    # [INF 0.1] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        get(client, "nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender nope does not exist",
    )


def test_get_recommender_training_metrics_count_zero_shows_none(client, shop):
    # [MODEL] TrainingMetricsCount 0..5
    create(client)
    assert "TrainingMetrics" not in get(client, TrainingMetricsCount=0)


def test_list_recommenders_names_the_recipe_recipe_name_and_pages(client, shop):
    # [MODEL] RecommenderSummary has RecipeName, not RecommenderRecipeName; paginator
    for name in ("c", "a", "b"):
        create(client, name, recipe="popular-items")
    pages = list(
        client.get_paginator("list_recommenders").paginate(
            DomainName="shop", PaginationConfig={"PageSize": 2}
        )
    )
    items = [r for page in pages for r in page["Recommenders"]]
    assert [r["RecommenderName"] for r in items] == ["a", "b", "c"]
    assert len(pages) == 2
    assert {r["RecipeName"] for r in items} == {"popular-items"}
    assert not {"RecommenderRecipeName", "TrainingMetrics"} & set(items[0])


def test_recommender_tags_are_reached_by_its_arn(client, shop):
    # [MODEL] TagResource / ListTagsForResource over the recommender's ARN
    create(client)
    client.tag_resource(resourceArn=RECOMMENDER_ARN, tags={"env": "test"})
    assert get(client)["Tags"] == {"env": "test"}


def test_a_snapshot_keeps_a_recommenders_pending_steps(jobs):
    # [common: due steps are frozen with snapshots] a restore brings back PENDING, and its
    # steps go on from there
    clock, cp, client = jobs
    create(client)
    snapshot = cp.snapshot()
    cp.settle()
    cp.restore(snapshot)
    assert status(client) == "PENDING"
    clock.advance(60)
    assert status(client) == "IN_PROGRESS"


# -- GetProfileRecommendations and SearchRecommendations ------------------------------

ITEMS = [
    {"Id": "b1", "Name": "Dune", "Category": "books", "Price": "9.99", "Score": 0.6},
    {"Id": "m1", "Name": "Heat", "Category": "movies", "Price": "4.99", "Score": 0.9},
    {"Id": "b2", "Name": "Emma", "Category": "books", "Price": "5.00", "Score": 0.7},
    {
        "Id": "g1",
        "Name": "Go",
        "Category": "games",
        "Attributes": {"colour": "red"},
        "Score": 0.4,
    },
]


@pytest.fixture
def seeded(cp, client, shop):
    """An ACTIVE recommender with ITEMS seeded for every profile, and one profile."""
    create(client)
    cp.seed_recommendations("shop", "picks", ITEMS)
    return cp.create_profile("shop", FirstName="Ann", EmailAddress="ann@example.com")


def recommend(client, profile_id, **extra):
    out = client.get_profile_recommendations(
        DomainName="shop", ProfileId=profile_id, RecommenderName="picks", **extra
    )
    return [(r["CatalogItem"]["Id"], r["Score"]) for r in out["Recommendations"]]


def book_filter(client, name="books", expression="INCLUDE ItemID WHERE Items.Category IN ($C)"):
    client.create_recommender_filter(
        DomainName="shop", RecommenderFilterName=name, RecommenderFilterExpression=expression
    )


def test_get_profile_recommendations_answers_the_seeded_items_by_score(client, seeded):
    # [INF 12.4] the seeded items, Score descending; [MODEL] the Recommendation shape
    out = client.get_profile_recommendations(
        DomainName="shop", ProfileId=seeded, RecommenderName="picks"
    )
    first = out["Recommendations"][0]
    assert first == {
        "CatalogItem": {"Id": "m1", "Name": "Heat", "Category": "movies", "Price": "4.99"},
        "Score": 0.9,
    }
    assert recommend(client, seeded) == [("m1", 0.9), ("b2", 0.7), ("b1", 0.6), ("g1", 0.4)]


def test_get_profile_recommendations_prefers_the_profiles_own_seeds(cp, client, seeded):
    # [INF] seeds for one profile win over the recommender's for every profile
    other = cp.create_profile("shop", FirstName="Bo")
    cp.seed_recommendations("shop", "picks", [{"Id": "x", "Score": 1}], profile_id=other)
    assert recommend(client, other) == [("x", 1.0)]
    assert recommend(client, seeded)[0] == ("m1", 0.9)


def test_get_profile_recommendations_stops_at_max_results_default_ten(cp, client, seeded):
    # [MODEL] MaxResults default 10
    many = [{"Id": f"i{n:02}", "Score": 1 - n / 100} for n in range(12)]
    cp.seed_recommendations("shop", "picks", many)
    assert len(recommend(client, seeded)) == 10
    assert [i for i, _ in recommend(client, seeded, MaxResults=3)] == ["i00", "i01", "i02"]


def test_get_profile_recommendations_ranks_exactly_the_candidates(client, seeded):
    # [MODEL] CandidateIds "re-rank a specific set of items"; [INF] unseeded ones Score 0
    got = recommend(client, seeded, CandidateIds=["zz", "b1", "m1"])
    assert got == [("m1", 0.9), ("b1", 0.6), ("zz", 0.0)]


def test_get_profile_recommendations_of_personalized_ranking_needs_candidates(cp, client, seeded):
    # [MODEL] CandidateIds "Required for personalized-ranking"; [INF] 400 and wording
    create(client, "rank", recipe="personalized-ranking")
    with pytest.raises(ClientError) as excinfo:
        client.get_profile_recommendations(
            DomainName="shop", ProfileId=seeded, RecommenderName="rank"
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "CandidateIds are required for recipe personalized-ranking",
    )
    out = client.get_profile_recommendations(
        DomainName="shop", ProfileId=seeded, RecommenderName="rank", CandidateIds=["a", "b"]
    )
    assert [r["CatalogItem"]["Id"] for r in out["Recommendations"]] == ["a", "b"]


def test_get_profile_recommendations_applies_a_filter_with_placeholder_values(client, seeded):
    # [MODEL] Values per placeholder, several separated by commas
    book_filter(client)
    one = [{"Name": "books", "Values": {"C": '"books"'}}]
    assert recommend(client, seeded, RecommenderFilters=one) == [("b2", 0.7), ("b1", 0.6)]
    two = [{"Name": "books", "Values": {"C": '"books","games"'}}]
    assert [i for i, _ in recommend(client, seeded, RecommenderFilters=two)] == [
        "b2",
        "b1",
        "g1",
    ]


def test_get_profile_recommendations_filters_by_attributes_and_numbers(client, seeded):
    # [INF] Items.COLUMN is a member or an Attributes key; numbers compare as numbers
    book_filter(client, "cheap", 'EXCLUDE ItemID WHERE Items.Price >= 5 OR Items.colour = "red"')
    assert recommend(client, seeded, RecommenderFilters=[{"Name": "cheap"}]) == [("m1", 0.9)]


def test_get_profile_recommendations_with_a_placeholder_left_empty_is_bad_request(client, seeded):
    # [INF] every placeholder needs a value
    book_filter(client)
    with pytest.raises(ClientError) as excinfo:
        recommend(client, seeded, RecommenderFilters=[{"Name": "books"}])
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender filter books needs Values for its placeholders: $C",
    )


def test_get_profile_recommendations_with_a_failed_filter_is_bad_request(client, seeded):
    # [INF] only an ACTIVE filter applies
    book_filter(client, "broken", "INCLUDE everything")
    with pytest.raises(ClientError) as excinfo:
        recommend(client, seeded, RecommenderFilters=[{"Name": "broken"}])
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender filter broken is not ACTIVE (status FAILED)",
    )


def test_get_profile_recommendations_with_a_filter_without_a_name_is_bad_request(client, seeded):
    # [MODEL] RecommenderFilter's Name is optional in the shape; [INF] a filter is named
    with pytest.raises(ClientError) as excinfo:
        recommend(client, seeded, RecommenderFilters=[{"Values": {"C": "x"}}])
    assert error_of(excinfo) == ("BadRequestException", 400, "A recommender filter needs a Name")


def test_get_profile_recommendations_with_an_unknown_filter_is_not_found(client, seeded):
    # [INF 12.4] unknown filter -> 404
    with pytest.raises(ClientError) as excinfo:
        recommend(client, seeded, RecommenderFilters=[{"Name": "nope"}])
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Recommender filter nope does not exist",
    )


def test_get_profile_recommendations_moves_promoted_items_to_the_front(client, seeded):
    # [INF] PercentPromotedItems of the result (rounded up) from the promotion's filter
    book_filter(client, "games", 'INCLUDE ItemID WHERE Items.Category = "games"')
    promotion = [{"Name": "games", "PromotionName": "p", "PercentPromotedItems": 25}]
    got = recommend(client, seeded, RecommenderPromotionalFilters=promotion)
    assert [i for i, _ in got] == ["g1", "m1", "b2", "b1"]


def test_get_profile_recommendations_caps_a_diversity_column(client, cp, shop):
    # [MODEL] DiversityConfig: a cap per value of a column, $name from Values at inference
    config = {
        "DiversityConfig": {
            "DiversityColumns": [{"Name": "Category", "CapType": "VALUE", "Target": "$per"}]
        }
    }
    create(client, RecommenderConfig=config)
    cp.seed_recommendations("shop", "picks", ITEMS)
    pid = cp.create_profile("shop", FirstName="Ann")
    diversity = {"Enabled": True, "Values": {"per": 1}}
    assert [i for i, _ in recommend(client, pid, DiversityConfig=diversity)] == ["m1", "b2", "g1"]
    assert len(recommend(client, pid, DiversityConfig={"Enabled": False})) == 4
    with pytest.raises(ClientError) as excinfo:
        recommend(client, pid, DiversityConfig={"Enabled": True})
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "DiversityConfig Values needs per for the diversity column Category",
    )


def test_get_profile_recommendations_cuts_items_to_the_metadata_columns(client, seeded):
    # [MODEL] MetadataColumns "to include in the recommendation response"; [INF] Id kept,
    # other columns from Attributes
    out = client.get_profile_recommendations(
        DomainName="shop",
        ProfileId=seeded,
        RecommenderName="picks",
        MetadataConfig={"MetadataColumns": ["name", "colour"]},
        CandidateIds=["g1"],
    )
    assert out["Recommendations"][0]["CatalogItem"] == {
        "Id": "g1",
        "Name": "Go",
        "Attributes": {"colour": "red"},
    }


def test_get_profile_recommendations_of_a_stopped_recommender_is_bad_request(client, seeded):
    # [INF 12.4] recommender not ACTIVE -> 400
    client.stop_recommender(DomainName="shop", RecommenderName="picks")
    with pytest.raises(ClientError) as excinfo:
        recommend(client, seeded)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Recommender picks is not ACTIVE (status INACTIVE)",
    )


def test_get_profile_recommendations_of_an_unknown_profile_is_not_found(client, seeded):
    # [INF 12.4] unknown profile -> 404
    with pytest.raises(ClientError) as excinfo:
        recommend(client, "0" * 32)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Profile {'0' * 32} does not exist",
    )


def test_get_profile_recommendations_without_seeds_answers_none(client, cp, shop):
    # [INF] the mock trains nothing: no seeds, no recommendations
    create(client)
    pid = cp.create_profile("shop", FirstName="Ann")
    assert recommend(client, pid) == []


def search(client, key="_email", values=("ann@example.com",), **extra):
    return client.search_recommendations(
        DomainName="shop",
        KeyName=key,
        KeyValues=list(values),
        Recommender={"Name": "picks"},
        **extra,
    )


def test_search_recommendations_answers_the_profile_found_by_key(client, seeded):
    # [MODEL] the key finds one profile; MaxRecommendations default 5; [INF] normalised
    # as SearchProfiles normalises it
    out = search(client, values=["  ANN@example.com "])
    assert out["ProfileId"] == seeded
    assert [r["CatalogItem"]["Id"] for r in out["Recommendations"]] == ["m1", "b2", "b1", "g1"]
    out = search(client, MaxRecommendations=1)
    assert len(out["Recommendations"]) == 1


def test_search_recommendations_takes_the_recommenders_filters(client, seeded):
    # [MODEL] Recommender.Filters as GetProfileRecommendations' RecommenderFilters
    book_filter(client)
    out = client.search_recommendations(
        DomainName="shop",
        KeyName="_profileId",
        KeyValues=[seeded],
        Recommender={"Name": "picks", "Filters": [{"Name": "books", "Values": {"C": '"books"'}}]},
    )
    assert [r["CatalogItem"]["Id"] for r in out["Recommendations"]] == ["b2", "b1"]


def test_search_recommendations_finding_no_profile_is_not_found(client, seeded):
    # [MODEL] "If no profile matches the search key ... ResourceNotFoundException"
    with pytest.raises(ClientError) as excinfo:
        search(client, values=["bob@example.com"])
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "No profile matches the search key _email",
    )


def test_search_recommendations_finding_two_profiles_is_bad_request(cp, client, seeded):
    # [MODEL] "If more than one profile matches the search key ... BadRequestException"
    cp.create_profile("shop", FirstName="Ann", EmailAddress="ann@example.com")
    with pytest.raises(ClientError) as excinfo:
        search(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "2 profiles match the search key _email; it must match exactly one",
    )


def test_seeded_recommendations_go_with_their_recommender(jobs):
    # [INF] deleting the recommender drops its seeds: a new one of that name has none
    clock, cp, client = jobs
    create(client)
    cp.settle()
    cp.seed_recommendations("shop", "picks", ITEMS)
    client.delete_recommender(DomainName="shop", RecommenderName="picks")
    cp.settle()
    create(client)
    cp.settle()
    pid = cp.create_profile("shop", FirstName="Ann")
    assert recommend(client, pid) == []


def test_seeded_recommendations_are_kept_by_a_snapshot(cp, client, seeded):
    # the generic snapshot: seeds are a domain part
    snapshot = cp.snapshot()
    cp.seed_recommendations("shop", "picks", [])
    assert recommend(client, seeded) == []
    cp.restore(snapshot)
    assert len(recommend(client, seeded)) == 4


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"Id": "a"}], "seed_recommendations(): items[0] needs 'Score'"),
        (
            [{"Id": "a", "Score": 1, "Catgory": "x"}],
            "seed_recommendations(): items[0] has an unknown field 'Catgory'. Did you mean "
            "'Category'?",
        ),
        (
            [{"Id": "a", "Score": 1.5}],
            "seed_recommendations(): items[0]: 1 validation error detected: Value '1.5' at "
            "'score' failed to satisfy constraint: Member must have value less than or equal "
            "to 1.0",
        ),
        (
            [{"Id": "a", "Score": 1}, {"Id": "a", "Score": 0.5}],
            "seed_recommendations(): items[1] repeats Id 'a'",
        ),
    ],
)
def test_seed_recommendations_checks_the_items(cp, client, shop, items, message):
    # the model's Recommendation shape, Id and Score required, an Id once
    create(client)
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed_recommendations("shop", "picks", items)
    assert str(excinfo.value).startswith(message)


def test_seed_recommendations_needs_the_recommender(cp, shop):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed_recommendations("shop", "nope", ITEMS)
    assert str(excinfo.value) == (
        "seed_recommendations(): domain 'shop' has no recommender 'nope'. Create it first "
        "with cp.seed('CreateRecommender', DomainName='shop', RecommenderName='nope', "
        "RecommenderRecipeName='recommended-for-you')."
    )


def test_seed_recommendations_takes_datetimes_and_works_through_a_server():
    # the handle method over the control API (server/app.py lists it); a CatalogItem's
    # timestamps come back as botocore parses them
    with CustomerProfilesServer(region=REGION, account_id=ACCOUNT_ID) as server:
        server.create_domain("shop")
        server.seed(
            "CreateRecommender",
            DomainName="shop",
            RecommenderName="picks",
            RecommenderRecipeName="popular-items",
        )
        pid = server.create_profile("shop", FirstName="Ann")
        at = datetime.datetime(2025, 1, 2, tzinfo=datetime.timezone.utc)
        server.seed_recommendations(
            "shop", "picks", [{"Id": "a", "Score": 0.5, "CreatedAt": at}], profile_id=pid
        )
        api = boto3.client(
            "customer-profiles",
            region_name=REGION,
            endpoint_url=server.endpoint_url,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        out = api.get_profile_recommendations(
            DomainName="shop", ProfileId=pid, RecommenderName="picks"
        )
    assert out["Recommendations"][0]["CatalogItem"]["CreatedAt"] == at
