"""Calculated attributes through real boto3 clients (features/calculated_attributes/): the
definitions checked against the domain's object types, their Get/List/Update shapes, and
the values computed from a profile's objects when read (each Statistic, Range, ObjectCount,
Threshold, Filter, IsDataPartial, ConditionOverrides), tags, snapshots and cascades. Each
test names the rule it checks, with its source tag from the reference
(api-semantics-rest.md section 1, api-semantics.md "Calculated attributes")."""

from __future__ import annotations

import datetime
import json
import re
import time

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import VirtualClock, mock_customer_profiles
from customer_profiles_mock.features.calculated_attributes.values import STATISTICS

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ANN = "a" * 32
BOB = "b" * 32
NOBODY = "f" * 32
ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/calculated-attributes/spend"
DAY_MS = 86_400_000

ORDER_TYPE = {
    "Description": "Orders from the shop",
    "AllowProfileCreation": True,
    "Fields": {
        "orderId": {"Source": "_source.id"},
        "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
        "total": {"Source": "_source.total", "ContentType": "NUMBER"},
        "qty": {"Source": "_source.qty", "ContentType": "NUMBER"},
        "channel": {"Source": "_source.channel"},
        "placed": {"Source": "_source.placed"},
        "seat": {"Source": "_source.Seat"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderId"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp, client):
    cp.create_domain("shop")
    cp.create_profile("shop", ProfileId=ANN, EmailAddress="ann@example.com")
    cp.create_profile("shop", ProfileId=BOB, EmailAddress="bob@example.com")
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    return "shop"


def define(client, name="spend", statistic="SUM", expression="{Order.total}", **extra):
    attributes = extra.pop("attributes", None)
    if attributes is None:
        attributes = list(dict.fromkeys(re.findall(r"\{[^.}]+\.([^}]+)\}", expression)))
    return client.create_calculated_attribute_definition(
        DomainName="shop",
        CalculatedAttributeName=name,
        AttributeDetails={
            "Attributes": [{"Name": a} for a in attributes],
            "Expression": expression,
        },
        Statistic=statistic,
        **extra,
    )


_numbers = iter(range(1, 1_000_000))


def order(client, total=None, email="ann@example.com", **fields):
    body = {"id": f"o-{next(_numbers)}", "email": email, **fields}
    if total is not None:
        body["total"] = total
    client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=json.dumps(body))


def value(client, name="spend", profile_id=ANN):
    out = client.get_calculated_attribute_for_profile(
        DomainName="shop", ProfileId=profile_id, CalculatedAttributeName=name
    )
    out.pop("ResponseMetadata")
    return out


def days_ago_ms(days: float) -> int:
    return int((time.time() - days * 86_400) * 1000)


# -- CreateCalculatedAttributeDefinition --------------------------------------------------


def test_create_answers_the_definition_with_times_and_tags(client, shop):
    # [MODEL] the output echoes the definition with CreatedAt, LastUpdatedAt and Tags
    out = define(client, DisplayName="Total spend", Description="All orders", Tags={"t": "1"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["CalculatedAttributeName"] == "spend"
    assert out["AttributeDetails"] == {
        "Attributes": [{"Name": "total"}],
        "Expression": "{Order.total}",
    }
    assert (out["Statistic"], out["DisplayName"], out["Tags"]) == ("SUM", "Total spend", {"t": "1"})
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert out["LastUpdatedAt"] == out["CreatedAt"]
    assert "Status" not in out  # [INF] no Status without UseHistoricalData


def test_create_with_historical_data_starts_preparing_and_is_completed_by_the_next_read(
    client, shop
):
    # [MODEL] Status/Readiness with UseHistoricalData; [api-semantics-rest 0.5] the create
    # shows the initial state; [INF] job_seconds 0: the next read sees the end
    out = define(client, UseHistoricalData=True)
    assert (out["UseHistoricalData"], out["Status"]) == (True, "PREPARING")
    assert out["Readiness"] == {"ProgressPercentage": 0}
    got = client.get_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    assert (got["Status"], got["Readiness"]) == ("COMPLETED", {"ProgressPercentage": 100})
    assert got["LastUpdatedAt"] == out["LastUpdatedAt"]


def test_historical_data_counts_once_the_definition_is_completed():
    # [MODEL] PREPARING -> IN_PROGRESS -> COMPLETED; "only objects ingested after creation
    # count until COMPLETED"; [INF] one job step each, 50% in progress
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name=REGION)
        cp.create_domain("shop")
        cp.create_profile("shop", ProfileId=ANN, EmailAddress="ann@example.com")
        client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
        order(client, 5)
        define(client, UseHistoricalData=True)
        order(client, 7)
        assert value(client)["Value"] == "7"
        clock.advance(60)
        got = client.get_calculated_attribute_definition(
            DomainName="shop", CalculatedAttributeName="spend"
        )
        assert (got["Status"], got["Readiness"]) == ("IN_PROGRESS", {"ProgressPercentage": 50})
        assert (value(client)["Value"], value(client)["IsDataPartial"]) == ("7", "true")
        clock.advance(60)
        assert (value(client)["Value"], value(client)["IsDataPartial"]) == ("12", "false")


def test_create_twice_is_bad_request_with_aws_message(client, shop):
    # [OSS CFN-RP CreateHandler] verbatim
    # "Calculated attribute definition with name %s already exists"
    define(client)
    with pytest.raises(ClientError) as excinfo:
        define(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Calculated attribute definition with name spend already exists",
    )


def test_create_over_an_unknown_object_type_is_bad_request(client, shop):
    # [DOC] "requires an existing object type in the domain"; [INF] 400 and the wording
    with pytest.raises(ClientError) as excinfo:
        define(client, expression="{Invoice.total}")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Object type Invoice does not exist in domain shop",
    )


def test_create_with_an_attribute_that_is_no_field_is_bad_request(client, shop):
    # [DOC] attributes are fields of the object type; [INF] the wording
    with pytest.raises(ClientError) as excinfo:
        define(client, expression="{Order.price}")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "AttributeDetails names price, which is no field of Order",
    )


def test_create_accepts_a_dotted_path_under_a_fields_source(client, shop):
    # [OSS aws-samples travel-hospitality] Attributes [{"Name": "Seat.Price"}]
    out = define(client, expression="{Order.Seat.Price}")
    assert out["AttributeDetails"]["Attributes"] == [{"Name": "Seat.Price"}]


def test_create_with_more_than_two_attributes_is_bad_request(client, shop):
    # [DOC] "at most two fields"; [OSS CFN-RP schema] AttributeList max 2
    with pytest.raises(ClientError) as excinfo:
        define(client, expression="{Order.total} + {Order.qty} + {Order.placed}")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "A calculated attribute reads at most 2 attributes; AttributeDetails lists 3",
    )


def test_create_with_attributes_the_expression_does_not_name_is_bad_request(client, shop):
    # [INF] every Name in Attributes appears in Expression, and no other
    with pytest.raises(ClientError) as excinfo:
        define(client, expression="{Order.total}", attributes=["total", "qty"])
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "AttributeDetails.Attributes must be the attributes the Expression names: listed "
        "total, qty; the Expression names total",
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("total", "Expression total must name attributes as {ObjectTypeName.AttributeName}"),
        (
            "{Order.total} + {Refund.total}",
            "Expression {Order.total} + {Refund.total} names more than one object type: "
            "Order, Refund; a calculated attribute reads one object type",
        ),
        (
            "max({Order.total})",
            "Expression max({Order.total}) may combine its attributes only with + - * /, "
            "numbers and parentheses",
        ),
    ],
)
def test_create_with_a_malformed_expression_is_bad_request(client, shop, expression, message):
    # [MODEL/DOC] {ObjectTypeName.AttributeName}, one object type, basic math; [INF] wording
    with pytest.raises(ClientError) as excinfo:
        define(client, expression=expression, attributes=["total"])
    assert error_of(excinfo) == ("BadRequestException", 400, message)


def test_create_over_a_standard_object_checks_its_fields(client, shop):
    # [DOC standard objects] _order has TotalPrice; [INF] other names refused
    define(client, expression="{_order.TotalPrice}")
    with pytest.raises(ClientError) as excinfo:
        define(client, "other", expression="{_order.Price}")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "AttributeDetails names Price, which is no field of the standard object _order",
    )


def test_create_over_a_standard_type_the_mock_does_not_know_is_accepted(client, shop):
    # [OSS aws-samples CA_TotalDollarsSpentInAYear.json] {_airSegment.Seat.Price}; [INF] unchecked
    out = define(client, expression="{_airSegment.Seat.Price}")
    assert out["AttributeDetails"]["Expression"] == "{_airSegment.Seat.Price}"


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"Range": {"Value": 367, "Unit": "DAYS"}}, "Range.Value must be 1 to 366 days"),
        ({"Range": {"Value": 30}}, "Range.Unit is required with Range.Value"),
        ({"ObjectCount": 301}, "ObjectCount must be 1 to 300"),
        (
            {"Range": {"Unit": "DAYS", "ValueRange": {"Start": 10, "End": 20}}},
            "Range.ValueRange.Start (10) must be more days back than Range.ValueRange.End (20)",
        ),
        (
            {"Range": {"Value": 3, "Unit": "DAYS", "TimestampFormat": "EPOCH"}},
            "Range.TimestampFormat EPOCH must be one of EPOCHMILLI, ISO_8601",
        ),
        (
            {"Range": {"Value": 3, "Unit": "DAYS", "TimestampSource": "{Refund.when}"}},
            "Range.TimestampSource {Refund.when} names object type Refund; the definition "
            "reads Order",
        ),
        (
            {"Range": {"Value": 3, "Unit": "DAYS", "TimestampSource": "when"}},
            "Range.TimestampSource when must be {ObjectTypeName.PathInTheObject}",
        ),
    ],
)
def test_create_with_conditions_out_of_bounds_is_bad_request(client, shop, conditions, message):
    # [OSS CFN-RP schemas] Range.Value <= 366, ObjectCount <= 300 (loosest); [MODEL]
    # ValueRange positive = past, TimestampFormat EPOCHMILLI|ISO_8601; [INF] wording
    with pytest.raises(ClientError) as excinfo:
        define(client, Conditions=conditions)
    assert error_of(excinfo) == ("BadRequestException", 400, message)


def test_create_with_a_filter_on_an_unknown_field_is_bad_request(client, shop):
    # [MODEL] Filter dimensions name attributes; [INF] they are fields of the type
    event_filter = {
        "Include": "ALL",
        "Groups": [
            {
                "Type": "ALL",
                "Dimensions": [
                    {"Attributes": {"colour": {"DimensionType": "INCLUSIVE", "Values": ["x"]}}}
                ],
            }
        ],
    }
    with pytest.raises(ClientError) as excinfo:
        define(client, Filter=event_filter)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Filter names colour, which is no field of Order",
    )


def test_definitions_in_an_unknown_domain_are_not_found(client, shop):
    # [api-semantics-rest 0.1] missing domain -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_calculated_attribute_definition(DomainName="nope", CalculatedAttributeName="x")
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nope does not exist")


# -- Get / List / Update / Delete ---------------------------------------------------------


def test_get_answers_the_full_definition(client, shop):
    # [api-semantics-rest 1] Get: full definition incl. Filter, Status, Readiness
    event_filter = {
        "Include": "ALL",
        "Groups": [
            {
                "Type": "ANY",
                "Dimensions": [
                    {"Attributes": {"channel": {"DimensionType": "INCLUSIVE", "Values": ["web"]}}}
                ],
            }
        ],
    }
    conditions = {"Range": {"Value": 30, "Unit": "DAYS"}, "ObjectCount": 5}
    define(client, Filter=event_filter, Conditions=conditions, UseHistoricalData=True)
    out = client.get_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    assert (out["Filter"], out["Conditions"], out["Status"]) == (
        event_filter,
        conditions,
        "COMPLETED",
    )


def test_get_of_an_unknown_definition_is_not_found(client, shop):
    # [OSS CFN-RP ReadHandler] 404; [INF] the wording
    with pytest.raises(ClientError) as excinfo:
        client.get_calculated_attribute_definition(DomainName="shop", CalculatedAttributeName="x")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Calculated attribute definition x does not exist",
    )


def test_list_answers_the_item_shape_sorted_and_paged(client, shop):
    # [MODEL] items carry no Statistic or Conditions; [INF] sorted by name
    define(client, "b", DisplayName="B", UseHistoricalData=True, Tags={"k": "v"})
    define(client, "a")
    first = client.list_calculated_attribute_definitions(DomainName="shop", MaxResults=1)
    assert [i["CalculatedAttributeName"] for i in first["Items"]] == ["a"]
    second = client.list_calculated_attribute_definitions(
        DomainName="shop", MaxResults=1, NextToken=first["NextToken"]
    )
    (item,) = second["Items"]
    assert "NextToken" not in second
    assert set(item) == {
        "CalculatedAttributeName", "DisplayName", "CreatedAt", "LastUpdatedAt",
        "UseHistoricalData", "Status", "Tags",
    }  # fmt: skip


def test_update_changes_display_name_and_conditions_only(client, shop):
    # [MODEL input] only DisplayName, Description and Conditions are updatable
    created = define(client, DisplayName="Spend", Conditions={"ObjectCount": 3})
    out = client.update_calculated_attribute_definition(
        DomainName="shop",
        CalculatedAttributeName="spend",
        DisplayName="Recent spend",
        Conditions={"Range": {"Value": 7, "Unit": "DAYS"}},
    )
    assert (out["DisplayName"], out["Conditions"]) == (
        "Recent spend",
        {"Range": {"Value": 7, "Unit": "DAYS"}},
    )
    assert (out["Statistic"], out["AttributeDetails"]) == ("SUM", created["AttributeDetails"])
    assert out["LastUpdatedAt"] > created["LastUpdatedAt"]


def test_update_refuses_a_statistic_as_the_model_has_none(client, shop):
    # [MODEL] UpdateCalculatedAttributeDefinition's input has no Statistic (botocore refuses)
    define(client)
    with pytest.raises(Exception, match="Statistic"):
        client.update_calculated_attribute_definition(
            DomainName="shop", CalculatedAttributeName="spend", Statistic="COUNT"
        )


def test_update_with_bad_conditions_is_bad_request_and_changes_nothing(client, shop):
    # [INF] Conditions are checked as on create
    define(client)
    with pytest.raises(ClientError) as excinfo:
        client.update_calculated_attribute_definition(
            DomainName="shop", CalculatedAttributeName="spend", Conditions={"ObjectCount": 500}
        )
    assert error_of(excinfo) == ("BadRequestException", 400, "ObjectCount must be 1 to 300")
    got = client.get_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    assert "Conditions" not in got


def test_delete_answers_empty_and_removes_it(client, shop):
    # [MODEL] DeleteCalculatedAttributeDefinition answers {}
    define(client)
    out = client.delete_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    out.pop("ResponseMetadata")
    assert out == {}
    with pytest.raises(ClientError) as excinfo:
        value(client)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


# -- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [
        ("FIRST_OCCURRENCE", "10"),
        ("LAST_OCCURRENCE", "30"),
        ("COUNT", "4"),
        ("SUM", "90"),
        ("MINIMUM", "10"),
        ("MAXIMUM", "30"),
        ("AVERAGE", "22.5"),
        ("MAX_OCCURRENCE", "30"),
    ],
)
def test_each_statistic_is_computed_from_the_profiles_objects(client, shop, statistic, expected):
    # [DOC creating-definition] the statistics' meanings; [DOC validating-values] "24144", no .0
    define(client, statistic=statistic, DisplayName="Spend")
    for total in (10, 30, 20, 30):
        order(client, total)
    order(client, 1000, email="bob@example.com")
    out = value(client)
    assert (out["CalculatedAttributeName"], out["DisplayName"], out["Value"]) == (
        "spend",
        "Spend",
        expected,
    )


def test_every_statistic_of_the_model_is_computed():
    # [MODEL] the Statistic enum (RECENT_OCCURRENCES in newer models): each has a computation
    model = botocore.session.get_session().get_service_model("customer-profiles")
    enum = model.shape_for("Statistic").enum
    assert set(enum) <= set(STATISTICS)


def test_recent_occurrences_are_the_newest_distinct_values():
    # [MODEL] RECENT_OCCURRENCES is undocumented; [INF] newest first, as a JSON list
    assert STATISTICS["RECENT_OCCURRENCES"](["a", "b", "a", "c"]) == '["c", "a", "b"]'


def test_max_occurrence_tie_goes_to_the_most_recent(client, shop):
    # [INF] MAX_OCCURRENCE tie -> most recent
    define(client, "channel", statistic="MAX_OCCURRENCE", expression="{Order.channel}")
    for channel in ("web", "phone", "phone", "web"):
        order(client, channel=channel)
    assert value(client, "channel")["Value"] == "web"


def test_arithmetic_expression_combines_two_attributes(client, shop):
    # [DOC creating-definition] basic math between attributes
    define(client, expression="{Order.total} * {Order.qty}")
    order(client, 2.5, qty=4)
    order(client, 12071, qty=2)
    assert value(client)["Value"] == "24152"


def test_dotted_path_is_read_from_the_object(client, shop):
    # [OSS aws-samples] {_airSegment.Seat.Price}-style paths into the object
    define(client, expression="{Order.Seat.Price}")
    order(client, Seat={"Price": 120.5})
    order(client, Seat={"Price": 79.5})
    assert value(client)["Value"] == "200"


def test_no_objects_means_no_value_but_count_is_zero(client, shop):
    # [INF] no value without objects; COUNT answers "0"
    define(client)
    define(client, "orders", statistic="COUNT")
    assert "Value" not in value(client)
    assert value(client, "orders")["Value"] == "0"


def test_objects_put_before_creation_count_only_with_historical_data(client, shop):
    # [MODEL CreateCalculatedAttributeDefinition] only objects ingested after creation
    # count unless UseHistoricalData
    order(client, 5)
    define(client, "new")
    define(client, "all", UseHistoricalData=True)
    order(client, 7)
    assert (value(client, "new")["Value"], value(client, "all")["Value"]) == ("7", "12")


def test_range_keeps_objects_within_the_window_by_their_timestamp_source(client, shop):
    # [MODEL] Range Value/Unit back from now, TimestampSource/TimestampFormat EPOCHMILLI
    conditions = {
        "Range": {
            "Value": 30,
            "Unit": "DAYS",
            "TimestampSource": "{Order.placed}",
            "TimestampFormat": "EPOCHMILLI",
        }
    }
    define(client, Conditions=conditions)
    order(client, 1, placed=str(days_ago_ms(40)))
    order(client, 2, placed=str(days_ago_ms(5)))
    order(client, 4, placed=str(days_ago_ms(1)))
    order(client, 8)  # no timestamp: left out [INF]
    out = value(client)
    assert out["Value"] == "6"
    assert out["LastObjectTimestamp"].timestamp() == pytest.approx(days_ago_ms(1) / 1000, abs=5)


def test_value_range_positive_is_the_past(client, shop):
    # [MODEL] ValueRange{Start,End}: positive values mean the past
    conditions = {
        "Range": {
            "Unit": "DAYS",
            "ValueRange": {"Start": 60, "End": 30},
            "TimestampSource": "{Order.placed}",
            "TimestampFormat": "ISO_8601",
        }
    }
    define(client, Conditions=conditions)
    now = datetime.datetime.now(datetime.timezone.utc)
    for days, total in ((45, 1), (10, 2), (-5, 4)):
        order(client, total, placed=(now - datetime.timedelta(days=days)).isoformat())
    assert value(client)["Value"] == "1"


def test_value_range_negative_is_the_future(client, shop):
    # [MODEL] ValueRange negative values mean the future
    conditions = {
        "Range": {
            "Unit": "DAYS",
            "ValueRange": {"Start": 0, "End": -30},
            "TimestampSource": "{Order.placed}",
        }
    }
    define(client, Conditions=conditions)
    order(client, 1, placed=str(days_ago_ms(-10)))
    order(client, 2, placed=str(days_ago_ms(3)))
    assert value(client)["Value"] == "1"


def test_range_without_a_timestamp_source_reads_the_ingestion_time(client, shop):
    # [INF] without TimestampSource an object's time is when it was put: an object put
    # now is in a window ending now, not in one ending a day ago
    define(client, Conditions={"Range": {"Value": 1, "Unit": "DAYS"}})
    order(client, 5)
    overrides = {"Range": {"Start": 10, "End": 1, "Unit": "DAYS"}}
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName="shop",
        CalculatedAttributeName="spend",
        ProfileIds=[ANN],
        ConditionOverrides=overrides,
    )
    assert "Value" not in out["CalculatedAttributeValues"][0]
    assert value(client)["Value"] == "5"


@pytest.mark.parametrize(
    ("expression", "total"), [("{Order.total} / 0", 5), ("{Order.total} * {Order.total}", "1e300")]
)
def test_arithmetic_without_a_finite_result_gives_no_value(client, shop, expression, total):
    # [INF] division by zero or an infinite result leaves the object without a value
    define(client, expression=expression)
    order(client, total)
    assert "Value" not in value(client)


def test_object_count_keeps_the_most_recent(client, shop):
    # [MODEL] ObjectCount; [INF] the most recent N
    define(client, Conditions={"ObjectCount": 2})
    for total in (100, 1, 2):
        order(client, total)
    out = value(client)
    assert (out["Value"], out["IsDataPartial"]) == ("3", "false")


@pytest.mark.parametrize(
    ("operator", "threshold", "expected"),
    [
        ("GREATER_THAN", "50", "true"),
        ("GREATER_THAN", "60", "false"),
        ("LESS_THAN", "100", "true"),
        ("EQUAL_TO", "60", "true"),
        ("NOT_EQUAL_TO", "60", "false"),
    ],
)
def test_threshold_turns_the_value_into_true_or_false(client, shop, operator, threshold, expected):
    # [api-semantics.md] with a Threshold the value is "true"/"false"
    define(client, Conditions={"Threshold": {"Value": threshold, "Operator": operator}})
    order(client, 20)
    order(client, 40)
    assert value(client)["Value"] == expected


def test_filter_keeps_the_objects_its_groups_select(client, shop):
    # [MODEL] Filter Include/Groups/Dimensions; [DOC event-filters] values ORed
    event_filter = {
        "Include": "ALL",
        "Groups": [
            {
                "Type": "ALL",
                "Dimensions": [
                    {
                        "Attributes": {
                            "channel": {"DimensionType": "INCLUSIVE", "Values": ["web", "app"]}
                        }
                    },
                    {"Attributes": {"total": {"DimensionType": "GREATER_THAN", "Values": ["5"]}}},
                ],
            }
        ],
    }
    define(client, Filter=event_filter)
    order(client, 10, channel="web")
    order(client, 20, channel="app")
    order(client, 3, channel="web")
    order(client, 40, channel="phone")
    assert value(client)["Value"] == "30"


def test_filter_include_none_excludes_what_the_groups_select(client, shop):
    # [MODEL] Include NONE; [INF] its meaning
    event_filter = {
        "Include": "NONE",
        "Groups": [
            {
                "Type": "ANY",
                "Dimensions": [
                    {"Attributes": {"channel": {"DimensionType": "BEGINS_WITH", "Values": ["ph"]}}}
                ],
            }
        ],
    }
    define(client, Filter=event_filter)
    order(client, 10, channel="web")
    order(client, 40, channel="phone")
    assert value(client)["Value"] == "10"


def test_is_data_partial_while_the_window_reaches_before_creation(client, shop):
    # [DOC validating-values] "only after 30 days have elapsed will IsDataPartial be false";
    # [INF] historical data counts as observed
    define(client, "recent", Conditions={"Range": {"Value": 30, "Unit": "DAYS"}})
    define(
        client,
        "history",
        Conditions={"Range": {"Value": 30, "Unit": "DAYS"}},
        UseHistoricalData=True,
    )
    order(client, 1)
    assert value(client, "recent")["IsDataPartial"] == "true"
    assert value(client, "history")["IsDataPartial"] == "false"


def test_value_of_an_unknown_profile_is_not_found(client, shop):
    # [INF] unknown profile -> 404
    define(client)
    with pytest.raises(ClientError) as excinfo:
        value(client, profile_id=NOBODY)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Profile {NOBODY} does not exist",
    )


def test_standard_object_values_come_from_the_fields_that_target_it(client, shop):
    # [DOC standard objects] a type's fields target _order.*; [INF] read through them
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="ShopOrder",
        AllowProfileCreation=True,
        Description="Orders as standard orders",
        Fields={
            "id": {"Source": "_source.id"},
            "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
            "price": {"Source": "_source.price", "Target": "_order.TotalPrice"},
        },
        Keys={
            "shopOrderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_orderId": [{"StandardIdentifiers": ["ORDER", "LOOKUP_ONLY"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    define(client, "spent", expression="{_order.TotalPrice}")
    for n, price in enumerate(("12.5", "7.5")):
        client.put_profile_object(
            DomainName="shop",
            ObjectTypeName="ShopOrder",
            Object=json.dumps({"id": f"s-{n}", "email": "ann@example.com", "price": price}),
        )
    order(client, 1000)  # an Order (no _order target) is not a standard order
    assert value(client, "spent")["Value"] == "20"


def test_list_for_profile_answers_every_definition(client, shop):
    # [api-semantics-rest 1] Items[{CalculatedAttributeName, DisplayName, IsDataPartial,
    # Value, LastObjectTimestamp}], one per definition
    define(client, "spend", DisplayName="Spend")
    define(client, "orders", statistic="COUNT")
    order(client, 3)
    out = client.list_calculated_attributes_for_profile(DomainName="shop", ProfileId=ANN)
    assert [(i["CalculatedAttributeName"], i["Value"]) for i in out["Items"]] == [
        ("orders", "1"),
        ("spend", "3"),
    ]
    assert out["Items"][1]["DisplayName"] == "Spend"


def test_list_for_an_unknown_profile_is_not_found(client, shop):
    # [INF] unknown profile -> 404
    with pytest.raises(ClientError) as excinfo:
        client.list_calculated_attributes_for_profile(DomainName="shop", ProfileId=NOBODY)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


# -- BatchGetCalculatedAttributeForProfile ----------------------------------------------


def test_batch_get_answers_each_profile_and_errors_for_unknown_ids(client, shop):
    # [MODEL] CalculatedAttributeValues with ProfileId, Errors[{Code, Message, ProfileId}];
    # [INF] Code "404" and "Profile not found" as BatchGetProfile
    define(client)
    order(client, 4)
    order(client, 6, email="bob@example.com")
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName="shop", CalculatedAttributeName="spend", ProfileIds=[ANN, NOBODY, BOB, ANN]
    )
    assert [(v["ProfileId"], v["Value"]) for v in out["CalculatedAttributeValues"]] == [
        (ANN, "4"),
        (BOB, "6"),
    ]
    assert out["Errors"] == [{"Code": "404", "Message": "Profile not found", "ProfileId": NOBODY}]
    assert "ConditionOverrides" not in out


def test_batch_get_condition_overrides_change_the_window_for_the_call_and_are_echoed(client, shop):
    # [MODEL] ConditionOverrides.Range recomputes for this call only, echoed
    conditions = {"Range": {"Value": 30, "Unit": "DAYS", "TimestampSource": "{Order.placed}"}}
    define(client, Conditions=conditions)
    order(client, 1, placed=str(days_ago_ms(100)))
    order(client, 2, placed=str(days_ago_ms(3)))
    overrides = {"Range": {"Start": 200, "End": 50, "Unit": "DAYS"}}
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName="shop",
        CalculatedAttributeName="spend",
        ProfileIds=[ANN],
        ConditionOverrides=overrides,
    )
    assert out["CalculatedAttributeValues"][0]["Value"] == "1"
    assert out["ConditionOverrides"] == overrides
    assert value(client)["Value"] == "2"


def test_batch_get_with_an_override_start_after_its_end_is_bad_request(client, shop):
    # [OSS CFN-RP] RangeOverride.Start 1-366, End 0-366; [INF] Start further back than End
    define(client)
    with pytest.raises(ClientError) as excinfo:
        client.batch_get_calculated_attribute_for_profile(
            DomainName="shop",
            CalculatedAttributeName="spend",
            ProfileIds=[ANN],
            ConditionOverrides={"Range": {"Start": 5, "End": 10, "Unit": "DAYS"}},
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "ConditionOverrides.Range.Start (5) must be more days back than "
        "ConditionOverrides.Range.End (10)",
    )


def test_batch_get_of_an_unknown_definition_is_not_found(client, shop):
    # [INF] unknown definition -> 404
    with pytest.raises(ClientError) as excinfo:
        client.batch_get_calculated_attribute_for_profile(
            DomainName="shop", CalculatedAttributeName="spend", ProfileIds=[ANN]
        )
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_fail_items_fails_chosen_profiles_of_a_batch_get(client, cp, shop):
    # per-item Errors through fail_items (the model's error list names ProfileIds)
    define(client)
    cp.fail_items("BatchGetCalculatedAttributeForProfile", [BOB], code="503", message="Try again")
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName="shop", CalculatedAttributeName="spend", ProfileIds=[ANN, BOB]
    )
    assert [v["ProfileId"] for v in out["CalculatedAttributeValues"]] == [ANN]
    assert out["Errors"] == [{"Code": "503", "Message": "Try again", "ProfileId": BOB}]


# -- tags, snapshots, cascades ------------------------------------------------------------


def test_tag_resource_reaches_a_definition_by_its_arn(client, shop):
    # [DOC service authorization reference] .../domains/D/calculated-attributes/N
    define(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=ARN, tags={"tier": "gold"})
    client.untag_resource(resourceArn=ARN, tagKeys=["team"])
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == {"tier": "gold"}
    got = client.get_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    assert got["Tags"] == {"tier": "gold"}


def test_restore_brings_back_the_definitions_and_their_values(client, cp, shop):
    # generic Domain parts: a snapshot keeps definitions and objects with their times
    define(client)
    order(client, 5)
    snapshot = cp.snapshot()
    client.delete_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName="spend"
    )
    cp.restore(snapshot)
    assert value(client)["Value"] == "5"


def test_delete_object_type_deletes_the_definitions_over_it(client, shop):
    # [INF] a definition goes with the object type it reads
    define(client)
    define(client, "standard", expression="{_order.TotalPrice}")
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Order")
    names = client.list_calculated_attribute_definitions(DomainName="shop")["Items"]
    assert [i["CalculatedAttributeName"] for i in names] == ["standard"]


def test_delete_profile_makes_its_values_not_found(client, shop):
    # [INF] values are the profile's: a deleted profile is an Error in a batch
    define(client)
    order(client, 5)
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    out = client.batch_get_calculated_attribute_for_profile(
        DomainName="shop", CalculatedAttributeName="spend", ProfileIds=[ANN]
    )
    assert [e["ProfileId"] for e in out["Errors"]] == [ANN]


def test_delete_domain_removes_its_definitions(client, cp, shop):
    # [api-semantics-rest 0.1] DeleteDomain removes every resource below
    define(client)
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop")
    assert client.list_calculated_attribute_definitions(DomainName="shop")["Items"] == []


def test_merge_profiles_moves_the_values_with_the_objects(client, shop):
    # [DOC MergeProfiles] objects move to the main profile; values follow them [INF]
    define(client)
    order(client, 5)
    order(client, 7, email="bob@example.com")
    client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB])
    assert value(client)["Value"] == "12"
