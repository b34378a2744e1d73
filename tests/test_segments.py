"""Segments through real boto3 clients (features/segments/): definitions (no update,
groups xor SQL, ARNs and tags), membership evaluated over the stored profiles, estimates
and snapshots as jobs on the shared schedule. Each test names the rule it checks, with
its source tag from the reference (api-semantics-rest.md section 7)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles
from customer_profiles_mock.core import hooks
from customer_profiles_mock.wire.model import service_model

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/segment-definitions/gold"
MODEL = service_model()
HAS_SQL = "SegmentSqlQuery" in MODEL.shape_for("CreateSegmentDefinitionRequest").members
HAS_SORT = "SegmentSort" in MODEL.shape_for("CreateSegmentDefinitionRequest").members
HAS_LISTS = "LIST_CONTAINS" in MODEL.shape_for("AttributeDimensionType").enum
needs_sql = pytest.mark.skipif(not HAS_SQL, reason="this botocore has no SegmentSqlQuery")
needs_lists = pytest.mark.skipif(not HAS_LISTS, reason="this botocore has no LIST_CONTAINS")


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


def attrs(**fields):
    """One group of one dimension over these profile attributes."""
    return {"Groups": [{"Dimensions": [{"ProfileAttributes": fields}]}]}


def dim(op, *values):
    return {"DimensionType": op, "Values": list(values)}


GOLD = attrs(Attributes={"tier": dim("INCLUSIVE", "gold")})


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


@pytest.fixture
def people(cp, shop):
    """Three profiles: ana (gold, Lisbon, born 1990), bo (silver, Porto, born 1975), cy
    (no attributes at all)."""
    return {
        "ana": cp.create_profile(
            "shop",
            FirstName="Ana",
            LastName="Silva",
            BirthDate="1990-05-01",
            EmailAddress="ana@example.com",
            Address={"City": "Lisbon", "Country": "PT"},
            Attributes={"tier": "Gold", "spend": "120.5", "tags": '["vip", "eu"]'},
        ),
        "bo": cp.create_profile(
            "shop",
            FirstName="Bo",
            LastName="Sousa",
            BirthDate="1975-12-31",
            Address={"City": "Porto", "Country": "PT"},
            Attributes={"tier": "silver", "spend": "20", "tags": "eu, new", "buddy": "Bo"},
        ),
        "cy": cp.create_profile("shop", FirstName="Cy"),
    }


def create(client, name="gold", groups=GOLD, **extra):
    return client.create_segment_definition(
        DomainName="shop",
        SegmentDefinitionName=name,
        DisplayName=extra.pop("DisplayName", name.title()),
        SegmentGroups=groups,
        **extra,
    )


def present(client, people, groups, name="probe"):
    """The names of the people in a new segment of ``groups``."""
    create(client, name, groups)
    out = client.get_segment_membership(
        DomainName="shop", SegmentDefinitionName=name, ProfileIds=list(people.values())
    )
    by_id = {v: k for k, v in people.items()}
    return sorted(by_id[p["ProfileId"]] for p in out["Profiles"] if p["QueryResult"] == "PRESENT")


# -- definitions ------------------------------------------------------------------------


def test_create_segment_definition_answers_its_arn_and_tags(client, shop):
    # [DOC service-authorization] ARN kind segment-definitions; [MODEL] the answer's members
    out = create(client, Description="Best customers", Tags={"team": "crm"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (out["SegmentDefinitionName"], out["DisplayName"], out["Description"]) == (
        "gold",
        "Gold",
        "Best customers",
    )
    assert (out["SegmentDefinitionArn"], out["Tags"]) == (ARN, {"team": "crm"})
    assert "CreatedAt" in out


def test_get_segment_definition_shows_the_groups_and_the_classic_type(client, shop):
    # [MODEL] SegmentGroups -> SegmentType CLASSIC; SegmentDefinitionArn is required
    create(client)
    out = client.get_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert (out["SegmentDefinitionArn"], out["SegmentGroups"]) == (ARN, GOLD)
    assert out.get("SegmentType", "CLASSIC") == "CLASSIC"
    assert "Tags" not in out


def test_create_segment_definition_twice_is_bad_request(client, shop):
    # [INF api-semantics-rest 0.1] "<Type> with name <n> already exists"
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segment definition with name gold already exists",
    )


@needs_sql  # before SegmentSqlQuery, the model requires SegmentGroups (botocore checks it)
def test_create_segment_definition_without_groups_or_sql_is_bad_request(client, shop):
    # [INF] exactly one of SegmentGroups or SegmentSqlQuery
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_definition(
            DomainName="shop", SegmentDefinitionName="x", DisplayName="X"
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Exactly one of SegmentGroups or SegmentSqlQuery is required",
    )


@needs_sql
def test_create_segment_definition_with_groups_and_sql_is_bad_request(client, cp):
    # [INF] exactly one of SegmentGroups or SegmentSqlQuery
    cp.create_domain("shop", DataStore={"Enabled": True})
    with pytest.raises(ClientError) as excinfo:
        create(client, SegmentSqlQuery="SELECT * FROM profiles")
    assert error_of(excinfo)[:2] == ("BadRequestException", 400)


@needs_sql
def test_sql_segment_needs_the_data_store(client, shop):
    # [DOC adminguide customer-segments-building-segments] SQL segmentation requires data store
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_definition(
            DomainName="shop",
            SegmentDefinitionName="q",
            DisplayName="Q",
            SegmentSqlQuery="SELECT 1",
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segmentation using SQL requires the domain's data store: enable DataStore on domain shop",
    )


def test_unknown_source_segment_is_not_found(client, shop):
    # [INF] every SourceSegments[].SegmentDefinitionName must exist
    groups = {"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "nope"}]}]}
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", groups)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment definition nope does not exist",
    )


def test_a_segment_cannot_be_its_own_source(client, shop):
    # [INF] no self reference
    groups = {"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "x"}]}]}
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", groups)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segment definition x cannot be its own source segment",
    )


def test_between_needs_two_values(client, shop):
    # [INF api-semantics-rest 7.1] BETWEEN/NOT_BETWEEN need exactly 2 values
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", attrs(BirthDate=dim("BETWEEN", "1990-01-01")))
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "SegmentGroups.Groups[0].Dimensions[0].ProfileAttributes.BirthDate: BETWEEN takes "
        "exactly 2 values, got 1",
    )


def test_numeric_operators_need_numbers(client, shop):
    # [INF api-semantics-rest 7.1] numeric operators need parseable values
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", attrs(Attributes={"spend": dim("GREATER_THAN", "lots")}))
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "SegmentGroups.Groups[0].Dimensions[0].ProfileAttributes.Attributes.spend: "
        "GREATER_THAN takes numbers, got ['lots']",
    )


ORDERS = {
    "Description": "Orders",
    "Fields": {
        "id": {"Source": "_source.id"},
        "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
        "total": {"Source": "_source.total", "ContentType": "NUMBER"},
    },
    "Keys": {
        "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def test_calculated_attribute_dimension_compares_the_computed_value(client, people):
    # [MODEL] a CalculatedAttributes dimension compares the profile's calculated value,
    # computed from its objects as GetCalculatedAttributeForProfile computes it
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDERS)
    client.create_calculated_attribute_definition(
        DomainName="shop",
        CalculatedAttributeName="spent",
        AttributeDetails={"Attributes": [{"Name": "total"}], "Expression": "{Order.total}"},
        Statistic="SUM",
    )
    for i, (email, total) in enumerate(
        [("ana@example.com", 80), ("ana@example.com", 40), ("bo@example.com", 30)]
    ):
        order = json.dumps({"id": f"o{i}", "email": email, "total": total})
        client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=order)
    dimension = {"CalculatedAttributes": {"spent": dim("GREATER_THAN", "100")}}
    assert present(client, people, {"Groups": [{"Dimensions": [dimension]}]}) == ["ana"]


def test_calculated_attribute_dimension_of_an_unknown_definition_is_not_found(client, shop):
    # [INF] every calculated attribute a dimension names must be defined (404)
    groups = {"Groups": [{"Dimensions": [{"CalculatedAttributes": {"spend": dim("EQUAL", "1")}}]}]}
    with pytest.raises(ClientError) as excinfo:
        create(client, "x", groups)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Calculated attribute definition spend does not exist",
    )


def test_list_segment_definitions_pages_by_name(client, shop):
    # [MODEL] paginator ListSegmentDefinitions; items carry SegmentType
    for name in ("c", "a", "b"):
        create(client, name)
    pages = client.get_paginator("list_segment_definitions").paginate(
        DomainName="shop", PaginationConfig={"PageSize": 2}
    )
    items = [item for page in pages for item in page["Items"]]
    assert [i["SegmentDefinitionName"] for i in items] == ["a", "b", "c"]
    assert items[0]["SegmentDefinitionArn"].endswith("/segment-definitions/a")
    assert items[0].get("SegmentType", "CLASSIC") == "CLASSIC"


def test_delete_segment_definition_answers_a_message_and_removes_it(client, shop):
    # [MODEL] optional Message; [INF] the text; Get after it is 404
    create(client)
    out = client.delete_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert out["Message"] == "Segment definition gold was deleted."
    with pytest.raises(ClientError) as excinfo:
        client.get_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment definition gold does not exist",
    )


def test_delete_a_source_segment_is_bad_request(client, shop):
    # [INF api-semantics-rest 7.1] deleting a segment used as a source -> 400
    create(client)
    create(client, "others", {"Groups": [{"SourceSegments": [{"SegmentDefinitionName": "gold"}]}]})
    with pytest.raises(ClientError) as excinfo:
        client.delete_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segment definition gold is a source segment of segment definition others",
    )


def test_tag_resource_reaches_a_segment_definition(client, shop):
    # [DOC service-authorization] segment-definitions are taggable by ARN
    create(client)
    client.tag_resource(resourceArn=ARN, tags={"tier": "gold"})
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == {"tier": "gold"}
    out = client.get_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert out["Tags"] == {"tier": "gold"}


def test_restore_brings_back_definitions_and_seeded_members(client, cp, shop):
    # [INF] snapshots freeze every part of a domain
    create(client)
    snapshot = cp.snapshot()
    client.delete_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    cp.restore(snapshot)
    out = client.get_segment_definition(DomainName="shop", SegmentDefinitionName="gold")
    assert out["SegmentDefinitionArn"] == ARN


# -- membership -------------------------------------------------------------------------


def test_membership_answers_present_absent_and_failures(client, people):
    # [MODEL] Profiles/Failures; [INF] Profile for PRESENT, request order, unknown ids in
    # Failures with 404
    create(client)
    unknown = "0" * 32
    out = client.get_segment_membership(
        DomainName="shop",
        SegmentDefinitionName="gold",
        ProfileIds=[people["bo"], unknown, people["ana"]],
    )
    assert out["SegmentDefinitionName"] == "gold"
    first, second = out["Profiles"]
    assert first == {"ProfileId": people["bo"], "QueryResult": "ABSENT"}
    assert (second["ProfileId"], second["QueryResult"]) == (people["ana"], "PRESENT")
    assert second["Profile"]["FirstName"] == "Ana"
    assert out["Failures"] == [
        {"ProfileId": unknown, "Message": "Profile not found", "Status": 404}
    ]
    if "LastComputedAt" in MODEL.shape_for("GetSegmentMembershipResponse").members:
        assert "LastComputedAt" in out


def test_membership_of_an_unknown_segment_is_not_found(client, people):
    # [INF api-semantics-rest 0.1] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_segment_membership(
            DomainName="shop", SegmentDefinitionName="nope", ProfileIds=[people["ana"]]
        )
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        ({"FirstName": dim("INCLUSIVE", "ANA", "bo")}, ["ana", "bo"]),
        ({"FirstName": dim("EXCLUSIVE", "ana")}, ["bo", "cy"]),
        ({"LastName": dim("EXCLUSIVE", "silva")}, ["bo", "cy"]),
        ({"LastName": dim("CONTAINS", "OUS")}, ["bo"]),
        ({"LastName": dim("BEGINS_WITH", "s")}, ["ana", "bo"]),
        ({"EmailAddress": dim("ENDS_WITH", "@EXAMPLE.COM")}, ["ana"]),
        ({"Address": {"City": dim("INCLUSIVE", "porto")}}, ["bo"]),
        (
            {"Address": {"Country": dim("INCLUSIVE", "pt"), "City": dim("EXCLUSIVE", "porto")}},
            ["ana"],
        ),
    ],
)
def test_string_dimensions(client, people, dimension, expected):
    # [MODEL StringDimensionType] [INF 7.2] case-insensitive; a missing field passes only EXCLUSIVE
    assert present(client, people, attrs(**dimension)) == expected


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (dim("BEFORE", "1980-01-01"), ["bo"]),
        (dim("AFTER", "1980-01-01"), ["ana"]),
        (dim("ON", "1990-05-01T12:00:00Z"), ["ana"]),
        (dim("BETWEEN", "1990-05-01", "1975-12-31"), ["ana", "bo"]),
        (dim("NOT_BETWEEN", "1980-01-01", "2000-01-01"), ["bo"]),
    ],
)
def test_birth_date_dimensions(client, people, dimension, expected):
    # [MODEL DateDimensionType] [INF 7.2] by day, BETWEEN inclusive; a missing date fails
    assert present(client, people, attrs(BirthDate=dimension)) == expected


@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (dim("GREATER_THAN", "20"), ["ana"]),
        (dim("GREATER_THAN_OR_EQUAL", "20"), ["ana", "bo"]),
        (dim("LESS_THAN", "120.5"), ["bo"]),
        (dim("LESS_THAN_OR_EQUAL", "120.5"), ["ana", "bo"]),
        (dim("EQUAL", "20.0", "7"), ["bo"]),
        (dim("BEGINS_WITH", "12"), ["ana"]),
    ],
)
def test_attribute_number_dimensions(client, people, dimension, expected):
    # [MODEL AttributeDimensionType] [INF 7.2] numeric comparisons of Attributes.<key>
    assert present(client, people, attrs(Attributes={"spend": dimension})) == expected


@needs_lists
@pytest.mark.parametrize(
    ("dimension", "expected"),
    [
        (dim("LIST_CONTAINS", "VIP", "new"), ["ana", "bo"]),
        (dim("LIST_CONTAINS_ALL", "eu", "new"), ["bo"]),
    ],
)
def test_attribute_list_dimensions(client, people, dimension, expected):
    # [MODEL] LIST_CONTAINS(_ALL); [INF] a JSON array or a comma-separated list
    assert present(client, people, attrs(Attributes={"tags": dimension})) == expected


def test_profile_type_dimension_defaults_to_profile(client, people):
    # [MODEL ProfileTypeDimension] [INF] a profile without ProfileType is a PROFILE
    groups = attrs(ProfileType=dim("INCLUSIVE", "PROFILE"))
    assert present(client, people, groups) == ["ana", "bo", "cy"]
    groups = attrs(ProfileType=dim("EXCLUSIVE", "PROFILE"))
    assert present(client, people, groups, "other") == []


def test_dynamic_values_read_the_profile(client, people):
    # [MODEL] a value may be {{_profile.<Attr>}}, resolved per profile
    groups = attrs(FirstName=dim("INCLUSIVE", "{{_profile.Attributes.buddy}}"))
    assert present(client, people, groups) == ["bo"]


def test_include_combines_groups(client, people):
    # [DOC customer-segments-building-segments] Include ALL (AND), ANY (OR), NONE (EXCLUDE)
    gold = {
        "Dimensions": [{"ProfileAttributes": {"Attributes": {"tier": dim("INCLUSIVE", "gold")}}}]
    }
    porto = {
        "Dimensions": [{"ProfileAttributes": {"Address": {"City": dim("INCLUSIVE", "porto")}}}]
    }
    assert present(client, people, {"Groups": [gold, porto], "Include": "ANY"}, "a") == [
        "ana",
        "bo",
    ]
    assert present(client, people, {"Groups": [gold, porto], "Include": "ALL"}, "b") == []
    assert present(client, people, {"Groups": [gold, porto], "Include": "NONE"}, "c") == ["cy"]


def test_type_combines_dimensions(client, people):
    # [DOC] a group's dimensions combined by Type ALL/ANY/NONE
    dims = [
        {"ProfileAttributes": {"FirstName": dim("INCLUSIVE", "ana")}},
        {"ProfileAttributes": {"FirstName": dim("INCLUSIVE", "bo")}},
    ]
    assert present(client, people, {"Groups": [{"Dimensions": dims, "Type": "ANY"}]}, "a") == [
        "ana",
        "bo",
    ]
    assert present(client, people, {"Groups": [{"Dimensions": dims, "Type": "NONE"}]}, "b") == [
        "cy"
    ]


@pytest.mark.parametrize(
    ("source_type", "expected"),
    [("ANY", ["ana", "bo"]), ("ALL", ["ana"]), ("NONE", ["cy"])],
)
def test_source_segments_combine_by_source_type(client, people, source_type, expected):
    # [DOC] starting audiences combined by SourceType (union, intersection, complement)
    create(client)
    create(client, "lisbon_or_porto", attrs(Address={"Country": dim("INCLUSIVE", "PT")}))
    sources = [{"SegmentDefinitionName": "gold"}, {"SegmentDefinitionName": "lisbon_or_porto"}]
    groups = {"Groups": [{"SourceSegments": sources, "SourceType": source_type}]}
    assert present(client, people, groups) == expected


def test_source_segment_and_dimensions_intersect(client, people):
    # [DOC] group = starting audience filtered by its dimensions
    create(client, "pt", attrs(Address={"Country": dim("INCLUSIVE", "PT")}))
    groups = {
        "Groups": [
            {
                "SourceSegments": [{"SegmentDefinitionName": "pt"}],
                "Dimensions": [{"ProfileAttributes": {"FirstName": dim("INCLUSIVE", "bo")}}],
            }
        ]
    }
    assert present(client, people, groups) == ["bo"]


@needs_sql
def test_sql_segment_members_are_seeded(client, cp):
    # [INF api-semantics-rest 7.2] the mock cannot run Spark SQL: membership is seeded
    cp.create_domain("shop", DataStore={"Enabled": True})
    ana, bo = cp.create_profile("shop", FirstName="Ana"), cp.create_profile("shop", FirstName="Bo")
    out = client.create_segment_definition(
        DomainName="shop", SegmentDefinitionName="q", DisplayName="Q", SegmentSqlQuery="SELECT 1"
    )
    assert out["SegmentDefinitionName"] == "q"
    got = client.get_segment_definition(DomainName="shop", SegmentDefinitionName="q")
    assert (got["SegmentType"], got["SegmentSqlQuery"]) == ("ENHANCED", "SELECT 1")
    cp.seed_segment_members("shop", "q", [bo])
    out = client.get_segment_membership(
        DomainName="shop", SegmentDefinitionName="q", ProfileIds=[ana, bo]
    )
    assert [(p["ProfileId"], p["QueryResult"]) for p in out["Profiles"]] == [
        (ana, "ABSENT"),
        (bo, "PRESENT"),
    ]


def test_seed_segment_members_of_a_classic_segment_is_refused(client, cp, shop):
    # [INF] only SQL segments take seeded members
    create(client)
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed_segment_members("shop", "gold", [])
    assert str(excinfo.value) == (
        "seed_segment_members(): Segment definition gold is a CLASSIC segment: its members "
        "are evaluated"
    )


# -- estimates --------------------------------------------------------------------------


def test_estimate_runs_then_succeeds_with_the_count():
    # [MODEL] StatusCode is the HTTP status; [INF 0.5/7.3] RUNNING (202) -> SUCCEEDED (200)
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        cp.create_profiles("shop", [{"Attributes": {"tier": "gold"}}] * 2 + [{"FirstName": "x"}])
        client = boto3.client("customer-profiles", region_name=REGION)
        out = client.create_segment_estimate(DomainName="shop", SegmentQuery=GOLD)
        assert (out["StatusCode"], out["ResponseMetadata"]["HTTPStatusCode"]) == (202, 202)
        estimate_id = out["EstimateId"]
        running = client.get_segment_estimate(DomainName="shop", EstimateId=estimate_id)
        assert (running["Status"], running["StatusCode"]) == ("RUNNING", 202)
        assert "Estimate" not in running
        clock.advance(60)
        done = client.get_segment_estimate(DomainName="shop", EstimateId=estimate_id)
        assert (done["Status"], done["Estimate"], done["StatusCode"]) == ("SUCCEEDED", "2", 200)
        assert done["DomainName"] == "shop"


def test_estimate_is_done_by_the_first_read_by_default(client, people):
    # [INF api-semantics-rest 0.5] default delay 0: the first read sees the terminal state
    out = client.create_segment_estimate(
        DomainName="shop", SegmentQuery=attrs(Address={"Country": dim("INCLUSIVE", "pt")})
    )
    done = client.get_segment_estimate(DomainName="shop", EstimateId=out["EstimateId"])
    assert (done["Status"], done["Estimate"]) == ("SUCCEEDED", "2")


def test_estimate_checks_its_query(client, shop):
    # [INF] the query is checked as a definition's groups are
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_estimate(
            DomainName="shop", SegmentQuery=attrs(BirthDate=dim("BEFORE", "someday"))
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "SegmentQuery.Groups[0].Dimensions[0].ProfileAttributes.BirthDate: BEFORE takes "
        "dates (YYYY-MM-DD), got ['someday']",
    )


@needs_sql  # before SegmentSqlQuery, the model requires SegmentQuery (botocore checks it)
def test_estimate_without_a_query_is_bad_request(client, shop):
    # [INF] exactly one of SegmentQuery or SegmentSqlQuery
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_estimate(DomainName="shop")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Exactly one of SegmentQuery or SegmentSqlQuery is required",
    )


def test_unknown_estimate_is_not_found(client, shop):
    # [INF api-semantics-rest 7.3] unknown EstimateId -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_segment_estimate(DomainName="shop", EstimateId="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment estimate nope does not exist",
    )


@needs_sql
def test_sql_estimate_counts_the_seeded_members_of_the_same_query(client, cp):
    # [INF api-semantics-rest 7.2] estimate of SQL uses the seeded set
    cp.create_domain("shop", DataStore={"Enabled": True})
    ana = cp.create_profile("shop", FirstName="Ana")
    client.create_segment_definition(
        DomainName="shop", SegmentDefinitionName="q", DisplayName="Q", SegmentSqlQuery="SELECT 1"
    )
    cp.seed_segment_members("shop", "q", [ana, "f" * 32])
    out = client.create_segment_estimate(DomainName="shop", SegmentSqlQuery="SELECT 1")
    done = client.get_segment_estimate(DomainName="shop", EstimateId=out["EstimateId"])
    assert (done["Status"], done["Estimate"]) == ("SUCCEEDED", "1")
    out = client.create_segment_estimate(DomainName="shop", SegmentSqlQuery="SELECT 2")
    failed = client.get_segment_estimate(DomainName="shop", EstimateId=out["EstimateId"])
    assert failed["Status"] == "FAILED"
    assert failed["Message"] == (
        "The mock cannot run SQL: create a SQL segment with this query and seed its members"
    )


# -- snapshots --------------------------------------------------------------------------


def test_snapshot_is_in_progress_then_completed():
    # [MODEL] SegmentSnapshotStatus; [INF 0.5] the initial state first
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        create(client)
        role = f"arn:aws:iam::{ACCOUNT_ID}:role/export"
        snapshot_id = client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="gold",
            DataFormat="JSONL",
            DestinationUri="s3://exports/gold",
            RoleArn=role,
        )["SnapshotId"]
        get = {"DomainName": "shop", "SegmentDefinitionName": "gold", "SnapshotId": snapshot_id}
        assert client.get_segment_snapshot(**get)["Status"] == "IN_PROGRESS"
        clock.advance(60)
        out = client.get_segment_snapshot(**get)
        assert (out["Status"], out["DataFormat"], out["DestinationUri"], out["RoleArn"]) == (
            "COMPLETED",
            "JSONL",
            "s3://exports/gold",
            role,
        )


def test_snapshot_needs_a_destination(client, shop):
    # [MODEL] DestinationUri "must be provided if the request is not submitted from the
    # Connect Customer Admin Website"
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_snapshot(
            DomainName="shop", SegmentDefinitionName="gold", DataFormat="CSV"
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "DestinationUri must be provided if the request is not submitted from the Connect "
        "Customer Admin Website",
    )


def test_snapshot_destination_is_an_s3_uri(client, shop):
    # [INF api-semantics-rest 7.3] S3 URI expected
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="gold",
            DataFormat="CSV",
            DestinationUri="https://example.com/x",
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "DestinationUri https://example.com/x is not an S3 URI (s3://bucket/prefix)",
    )


def test_snapshot_of_another_segment_is_not_found(client, shop):
    # [INF api-semantics-rest 7.3] SnapshotId of another segment -> 404
    create(client)
    create(client, "silver")
    snapshot_id = client.create_segment_snapshot(
        DomainName="shop", SegmentDefinitionName="gold", DataFormat="CSV", DestinationUri="s3://b"
    )["SnapshotId"]
    with pytest.raises(ClientError) as excinfo:
        client.get_segment_snapshot(
            DomainName="shop", SegmentDefinitionName="silver", SnapshotId=snapshot_id
        )
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Segment snapshot {snapshot_id} does not exist",
    )


def test_snapshot_under_mock_aws_writes_the_members_to_s3():
    # [INF api-semantics-rest 7.3] the file written via the optional hook: moto's S3
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="exports")
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_domain(DomainName="shop", DefaultExpirationDays=30)
        for first, tier in (("Zoe", "gold"), ("Al", "gold"), ("Bea", "silver")):
            client.create_profile(DomainName="shop", FirstName=first, Attributes={"tier": tier})
        if HAS_SORT:  # [MODEL; INF use] SegmentSort orders the exported profiles
            create(client, SegmentSort={"Attributes": [{"Name": "FirstName", "Order": "ASC"}]})
        else:
            create(client)
        snapshot_id = client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="gold",
            DataFormat="CSV",
            DestinationUri="s3://exports/segments/",
        )["SnapshotId"]
        out = client.get_segment_snapshot(
            DomainName="shop", SegmentDefinitionName="gold", SnapshotId=snapshot_id
        )
        assert out["Status"] == "COMPLETED"
        body = s3.get_object(Bucket="exports", Key=f"segments/{snapshot_id}.csv")["Body"].read()
        lines = body.decode().splitlines()
        assert lines[0] == "ProfileId,Attributes.tier,FirstName"
        names = [line.split(",")[2] for line in lines[1:]]
        assert names == (["Al", "Zoe"] if HAS_SORT else ["Zoe", "Al"])


def test_snapshot_to_a_bucket_moto_lacks_fails():
    # [MODEL] FAILED with StatusMessage; [INF] a missing bucket is why
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_domain(DomainName="shop", DefaultExpirationDays=30)
        create(client)
        snapshot_id = client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="gold",
            DataFormat="JSONL",
            DestinationUri="s3://nowhere",
        )["SnapshotId"]
        out = client.get_segment_snapshot(
            DomainName="shop", SegmentDefinitionName="gold", SnapshotId=snapshot_id
        )
        assert (out["Status"], out["StatusMessage"]) == (
            "FAILED",
            "The specified bucket does not exist: nowhere",
        )


@needs_sql
def test_seed_segment_members_through_a_servers_client(customer_profiles_server):
    # [INF] the handle's methods work over the control API too
    server = customer_profiles_server
    server.create_domain("shop", DataStore={"Enabled": True})
    ana = server.create_profile("shop", FirstName="Ana")
    server.seed(
        "CreateSegmentDefinition",
        DomainName="shop",
        SegmentDefinitionName="q",
        DisplayName="Q",
        SegmentSqlQuery="SELECT 1",
    )
    server.seed_segment_members("shop", "q", [ana])
    out = server.seed(
        "GetSegmentMembership", DomainName="shop", SegmentDefinitionName="q", ProfileIds=[ana]
    )
    assert out["Profiles"][0]["QueryResult"] == "PRESENT"


def test_seed_of_get_segment_membership_answers_as_a_client_does(cp, people):
    # [INF] cp.seed() answers as boto3 would: the stored profiles parsed, not JSON text
    cp.seed(
        "CreateSegmentDefinition",
        DomainName="shop",
        SegmentDefinitionName="gold",
        DisplayName="Gold",
        SegmentGroups=GOLD,
    )
    out = cp.seed(
        "GetSegmentMembership",
        DomainName="shop",
        SegmentDefinitionName="gold",
        ProfileIds=[people["ana"]],
    )
    assert out["Profiles"][0]["Profile"]["FirstName"] == "Ana"


def test_snapshot_file_goes_through_the_object_writer_hook(client, people):
    # [INF] the snapshot's file is handed to core.hooks' object writer (the moto bridge
    # sets it); set_object_writer answers the previous writer, to restore it
    written = []
    previous = hooks.set_object_writer(lambda *args: written.append(args))
    try:
        create(client)
        snapshot_id = client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="gold",
            DataFormat="JSONL",
            DestinationUri="s3://exports/gold/",
        )["SnapshotId"]
        get = {"DomainName": "shop", "SegmentDefinitionName": "gold", "SnapshotId": snapshot_id}
        assert client.get_segment_snapshot(**get)["Status"] == "COMPLETED"  # the job ran
    finally:
        assert hooks.set_object_writer(previous) is not previous
    ((account, region, bucket, key, body),) = written
    assert (account, region, bucket, key) == (
        ACCOUNT_ID,
        REGION,
        "exports",
        f"gold/{snapshot_id}.jsonl",
    )
    assert [json.loads(line)["FirstName"] for line in body.decode().splitlines()] == ["Ana"]


@pytest.mark.skipif(not HAS_SORT, reason="this botocore has no SegmentSort")
def test_snapshot_follows_the_segment_sort(client, people):
    # [MODEL SegmentSort; INF use] exported profiles sorted by each attribute as its
    # DataType compares, a missing value last
    everyone = attrs(FirstName=dim("EXCLUSIVE", "nobody"))
    sort = {"Attributes": [{"Name": "Attributes.spend", "DataType": "NUMBER", "Order": "DESC"}]}
    create(client, "all", everyone, SegmentSort=sort)
    written = []
    previous = hooks.set_object_writer(lambda *args: written.append(args))
    try:
        snapshot_id = client.create_segment_snapshot(
            DomainName="shop",
            SegmentDefinitionName="all",
            DataFormat="JSONL",
            DestinationUri="s3://b",
        )["SnapshotId"]
        get = {"DomainName": "shop", "SegmentDefinitionName": "all", "SnapshotId": snapshot_id}
        assert client.get_segment_snapshot(**get)["Status"] == "COMPLETED"
    finally:
        hooks.set_object_writer(previous)
    body = written[0][4].decode().splitlines()
    assert [json.loads(line)["FirstName"] for line in body] == ["Ana", "Bo", "Cy"]
