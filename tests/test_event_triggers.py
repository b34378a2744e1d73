"""Event triggers through real boto3 clients (features/event_triggers/): the CRUD and its
checks, tags, snapshots, the integration that blocks a delete, and the evaluation of
ingested objects recorded for cp.trigger_events(). Each test names the rule it checks,
with its source tag from the reference (api-semantics-rest.md section 3)."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
TRIGGER_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/event-triggers/big-order"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
CAMPAIGN = f"arn:aws:connect-campaigns:{REGION}:{ACCOUNT_ID}:campaign/welcome"


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    cp.put_object_type(
        "shop",
        "Order",
        Description="orders",
        AllowProfileCreation=True,
        Fields={
            "id": {"Source": "_source.id"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
            "total": {"Source": "_source.total"},
            "status": {"Source": "_source.status"},
        },
        Keys={
            "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    cp.seed(  # the segment the tests' SegmentFilter names: profiles whose email is Ann's
        "CreateSegmentDefinition",
        DomainName="shop",
        SegmentDefinitionName="vip",
        DisplayName="VIP",
        SegmentGroups={
            "Groups": [
                {
                    "Dimensions": [
                        {
                            "ProfileAttributes": {
                                "EmailAddress": {
                                    "DimensionType": "INCLUSIVE",
                                    "Values": ["ann@example.com"],
                                }
                            }
                        }
                    ]
                }
            ]
        },
    )
    return "shop"


def attribute(operator: str, *values: str, **read: str) -> dict[str, Any]:
    return {
        **(read or {"FieldName": "total"}),
        "ComparisonOperator": operator,
        "Values": list(values),
    }


def condition(*attributes: dict[str, Any], operator: str = "ALL") -> dict[str, Any]:
    return {
        "EventTriggerDimensions": [{"ObjectAttributes": list(attributes)}],
        "LogicalOperator": operator,
    }


BIG = [condition(attribute("GREATER_THAN", "100"))]


def create(client, name="big-order", conditions=BIG, **extra):
    return client.create_event_trigger(
        DomainName="shop",
        EventTriggerName=name,
        ObjectTypeName=extra.pop("ObjectTypeName", "Order"),
        EventTriggerConditions=conditions,
        **extra,
    )


def bad_request(call) -> str:
    with pytest.raises(ClientError) as excinfo:
        call()
    code, status, message = error_of(excinfo)
    assert (code, status) == ("BadRequestException", 400)
    return message


# -- CreateEventTrigger -------------------------------------------------------------------


def test_create_event_trigger_echoes_it_with_timestamps_and_tags(client, shop):
    # [MODEL] CreateEventTrigger answers the trigger, CreatedAt, LastUpdatedAt and Tags
    limits = {
        "EventExpiration": 60000,
        "Periods": [{"Unit": "DAYS", "Value": 1, "Unlimited": True}],
    }
    out = create(client, Description="big orders", EventTriggerLimits=limits, Tags={"team": "crm"})
    out.pop("ResponseMetadata")
    created, updated = out.pop("CreatedAt"), out.pop("LastUpdatedAt")
    assert created == updated
    assert out == {
        "EventTriggerName": "big-order",
        "ObjectTypeName": "Order",
        "Description": "big orders",
        "EventTriggerConditions": BIG,
        "EventTriggerLimits": limits,
        "Tags": {"team": "crm"},
    }


def test_create_event_trigger_twice_is_bad_request_with_awss_text(client, shop):
    # [OSS CFN-RP eventtrigger CreateHandler] "Event trigger with name %s already exists"
    create(client)
    assert bad_request(lambda: create(client)) == "Event trigger with name big-order already exists"


def test_create_event_trigger_of_an_unknown_object_type_is_not_found(client, shop):
    # [INF section 3] ObjectTypeName must exist -> 404
    with pytest.raises(ClientError) as excinfo:
        create(client, ObjectTypeName="Nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Object type Nope does not exist in domain shop",
    )
    assert client.list_event_triggers(DomainName="shop")["Items"] == []


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        (
            {"ComparisonOperator": "EQUAL", "Values": ["1"]},
            "Each ObjectAttribute needs exactly one of Source and FieldName",
        ),
        (
            attribute("EQUAL", "1", Source="_source.total", FieldName="total"),
            "Each ObjectAttribute needs exactly one of Source and FieldName",
        ),
        (
            attribute("EQUAL", "1", FieldName="price"),
            "FieldName price is not a field of object type Order",
        ),
        (
            attribute("BETWEEN", "1"),
            "ComparisonOperator BETWEEN takes 2 Values (the range's bounds), got 1",
        ),
        (
            attribute("NOT_BETWEEN", "a", "b"),
            "ComparisonOperator NOT_BETWEEN takes two numbers or two dates, got 'a' and 'b'",
        ),
        (attribute("LESS_THAN", "ten"), "ComparisonOperator LESS_THAN takes a number, got 'ten'"),
        (
            attribute("BEFORE", "soon"),
            "ComparisonOperator BEFORE takes a date (ISO 8601), got 'soon'",
        ),
    ],
)
def test_create_event_trigger_with_a_bad_attribute_is_bad_request(client, shop, attr, message):
    # [INF section 3] an attribute reads one of Source/FieldName; values fit the operator
    assert bad_request(lambda: create(client, conditions=[condition(attr)])) == message


def test_create_event_trigger_with_an_invalid_source_is_bad_request(client, shop):
    # [INF] a Source is a _source path or template, checked as an object type's Source
    message = bad_request(
        lambda: create(client, conditions=[condition(attribute("EQUAL", "1", Source="total"))])
    )
    assert message.startswith("Source total is invalid: ")


@pytest.mark.parametrize(
    "period",
    [
        {"Unit": "HOURS", "Value": 1},
        {"Unit": "HOURS", "Value": 1, "MaxInvocationsPerProfile": 2, "Unlimited": True},
    ],
)
def test_create_event_trigger_with_a_period_without_one_limit_is_bad_request(client, shop, period):
    # [INF section 3] MaxInvocationsPerProfile and Unlimited=true together -> 400 (and neither)
    message = bad_request(lambda: create(client, EventTriggerLimits={"Periods": [period]}))
    assert (
        message == "Each Period needs either MaxInvocationsPerProfile or Unlimited true, not both"
    )


def test_create_event_trigger_checks_the_models_limits(client, shop):
    # [MODEL] at most 5 conditions, Value 1..60: checked server-side (section 0)
    message = bad_request(lambda: create(client, conditions=BIG * 6))
    assert "eventTriggerConditions" in message
    period = {"Unit": "DAYS", "Value": 61, "MaxInvocationsPerProfile": 1}
    assert "value" in bad_request(lambda: create(client, EventTriggerLimits={"Periods": [period]}))


def test_create_event_trigger_with_an_unknown_segment_filter_is_not_found(client, shop):
    # [INF section 3] SegmentFilter must name an existing segment definition (404)
    with pytest.raises(ClientError) as excinfo:
        create(client, SegmentFilter="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment definition nope does not exist",
    )


def test_segment_filtered_by_a_trigger_cannot_be_deleted(client, shop):
    # [INF section 7.1] deleting a segment an event trigger's SegmentFilter uses is a 400
    create(client, SegmentFilter="vip")
    with pytest.raises(ClientError) as excinfo:
        client.delete_segment_definition(DomainName="shop", SegmentDefinitionName="vip")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segment definition vip is the SegmentFilter of event trigger big-order",
    )


def test_event_trigger_operations_in_an_unknown_domain_are_not_found(client, cp):
    # [section 0.1] missing domain -> 404 ResourceNotFoundException
    for call in (
        lambda: client.create_event_trigger(
            DomainName="nowhere",
            EventTriggerName="t",
            ObjectTypeName="O",
            EventTriggerConditions=BIG,
        ),
        lambda: client.get_event_trigger(DomainName="nowhere", EventTriggerName="t"),
        lambda: client.update_event_trigger(DomainName="nowhere", EventTriggerName="t"),
        lambda: client.delete_event_trigger(DomainName="nowhere", EventTriggerName="t"),
        lambda: client.list_event_triggers(DomainName="nowhere"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            404,
            "Domain nowhere does not exist",
        )


# -- GetEventTrigger / UpdateEventTrigger -------------------------------------------------


def test_get_event_trigger_answers_it_as_created(client, shop):
    # [MODEL] GetEventTrigger's shape is CreateEventTrigger's
    created = create(client, Tags={"team": "crm"})
    got = client.get_event_trigger(DomainName="shop", EventTriggerName="big-order")
    created.pop("ResponseMetadata"), got.pop("ResponseMetadata")
    assert got == created


def test_get_event_trigger_of_an_unknown_name_is_not_found(client, shop):
    # [section 0.1; OSS CFN-RP ReadHandler] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_event_trigger(DomainName="shop", EventTriggerName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Event trigger nope does not exist",
    )


def test_update_event_trigger_merges_and_moves_last_updated_at(client, shop):
    # [INF section 3] omitted members are kept; LastUpdatedAt moves; the full trigger answered
    created = create(client, Description="big orders", SegmentFilter="vip")
    small = [condition(attribute("LESS_THAN", "10"))]
    out = client.update_event_trigger(
        DomainName="shop", EventTriggerName="big-order", EventTriggerConditions=small
    )
    assert (out["Description"], out["SegmentFilter"], out["ObjectTypeName"]) == (
        "big orders",
        "vip",
        "Order",
    )
    assert out["EventTriggerConditions"] == small
    assert out["CreatedAt"] == created["CreatedAt"]
    assert out["LastUpdatedAt"] > created["LastUpdatedAt"]


def test_update_event_trigger_checks_the_result(client, shop):
    # [INF] an update is checked as a create: the object type must exist, fields must be its
    create(client)
    with pytest.raises(ClientError) as excinfo:
        client.update_event_trigger(
            DomainName="shop", EventTriggerName="big-order", ObjectTypeName="Nope"
        )
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)
    bad = [condition(attribute("EQUAL", "1", FieldName="price"))]
    message = bad_request(
        lambda: client.update_event_trigger(
            DomainName="shop", EventTriggerName="big-order", EventTriggerConditions=bad
        )
    )
    assert message == "FieldName price is not a field of object type Order"
    assert (
        client.get_event_trigger(DomainName="shop", EventTriggerName="big-order")[
            "EventTriggerConditions"
        ]
        == BIG
    )


def test_update_event_trigger_of_an_unknown_name_is_not_found(client, shop):
    # [section 0.1] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.update_event_trigger(DomainName="shop", EventTriggerName="nope", Description="x")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Event trigger nope does not exist",
    )


# -- DeleteEventTrigger -------------------------------------------------------------------


def test_delete_event_trigger_answers_a_message_and_removes_it(client, shop):
    # [section 0.3 MODEL] DeleteEventTrigger answers {Message}; [INF] its text
    create(client)
    out = client.delete_event_trigger(DomainName="shop", EventTriggerName="big-order")
    assert out["Message"] == "Event trigger big-order was deleted."
    with pytest.raises(ClientError) as excinfo:
        client.get_event_trigger(DomainName="shop", EventTriggerName="big-order")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_delete_event_trigger_with_an_integration_is_bad_request(client, shop):
    # [MODEL] "You cannot delete an Event Trigger with an active Integration associated"
    create(client)
    client.put_integration(
        DomainName="shop", Uri=CAMPAIGN, ObjectTypeName="Order", EventTriggerNames=["big-order"]
    )
    message = bad_request(
        lambda: client.delete_event_trigger(DomainName="shop", EventTriggerName="big-order")
    )
    assert message == "You cannot delete an Event Trigger with an active Integration associated"
    client.delete_integration(DomainName="shop", Uri=CAMPAIGN)
    client.delete_event_trigger(DomainName="shop", EventTriggerName="big-order")
    assert client.list_event_triggers(DomainName="shop")["Items"] == []


def test_delete_event_trigger_of_an_unknown_name_is_not_found(client, shop):
    # [section 0.1; OSS CFN-RP DeleteHandler] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.delete_event_trigger(DomainName="shop", EventTriggerName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Event trigger nope does not exist",
    )


# -- ListEventTriggers --------------------------------------------------------------------


def test_list_event_triggers_answers_the_summary_shape(client, shop):
    # [MODEL] Items[{ObjectTypeName, EventTriggerName, Description, CreatedAt, LastUpdatedAt, Tags}]
    create(client, Description="big orders", Tags={"team": "crm"}, SegmentFilter="vip")
    (item,) = client.list_event_triggers(DomainName="shop")["Items"]
    assert isinstance(item.pop("CreatedAt"), datetime.datetime)
    item.pop("LastUpdatedAt")
    assert item == {
        "EventTriggerName": "big-order",
        "ObjectTypeName": "Order",
        "Description": "big orders",
        "Tags": {"team": "crm"},
    }


def test_list_event_triggers_paginator_walks_the_pages_by_name(client, shop):
    # [MODEL] ListEventTriggers has a botocore paginator (section 0.4)
    for name in ("c", "a", "b"):
        create(client, name)
    pages = client.get_paginator("list_event_triggers").paginate(
        DomainName="shop", PaginationConfig={"PageSize": 2}
    )
    assert [i["EventTriggerName"] for page in pages for i in page["Items"]] == ["a", "b", "c"]


# -- tags, snapshots ----------------------------------------------------------------------


def test_tag_resource_reaches_an_event_trigger_by_its_arn(client, cp, shop):
    # [DOC service-authorization reference] .../domains/D/event-triggers/NAME is taggable
    create(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=TRIGGER_ARN, tags={"tier": "gold"})
    client.untag_resource(resourceArn=TRIGGER_ARN, tagKeys=["team"])
    assert client.list_tags_for_resource(resourceArn=TRIGGER_ARN)["tags"] == {"tier": "gold"}
    assert client.get_event_trigger(DomainName="shop", EventTriggerName="big-order")["Tags"] == {
        "tier": "gold"
    }
    assert cp.tags(TRIGGER_ARN) == {"tier": "gold"}


def test_restore_brings_back_the_event_triggers_of_the_snapshot(client, cp, shop):
    # generic Domain parts: a snapshot keeps the triggers
    create(client, Description="before")
    snapshot = cp.snapshot()
    client.update_event_trigger(
        DomainName="shop", EventTriggerName="big-order", Description="after"
    )
    create(client, "other")
    cp.restore(snapshot)
    names = [i["EventTriggerName"] for i in client.list_event_triggers(DomainName="shop")["Items"]]
    assert names == ["big-order"]
    assert (
        client.get_event_trigger(DomainName="shop", EventTriggerName="big-order")["Description"]
        == "before"
    )


def test_seed_creates_an_event_trigger(cp, shop):
    out = cp.seed(
        "CreateEventTrigger",
        DomainName="shop",
        EventTriggerName="big-order",
        ObjectTypeName="Order",
        EventTriggerConditions=BIG,
    )
    assert out["EventTriggerName"] == "big-order"
    assert cp.calls == []


# -- evaluation at ingestion: cp.trigger_events() -----------------------------------------

NOW = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """The wall clock, held still and moved by hand: ``clock[0] += 3600``."""
    now = [NOW]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def ingest(client, total: object = 150, email="ann@example.com", order="o-1", **extra):
    obj = {"id": order, "email": email, "total": total, **extra}
    client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=json.dumps(obj))
    return obj


def fired(cp) -> list[str]:
    return [event["EventTriggerName"] for event in cp.trigger_events("shop")]


def test_a_segment_filter_fires_only_for_profiles_in_the_segment(client, cp, shop, clock):
    # [INF section 3] "Then SegmentFilter: the profile must currently be in that segment"
    create(client, SegmentFilter="vip")
    ingest(client, email="bob@example.com", order="o-1")
    assert fired(cp) == []
    ingest(client, email="ann@example.com", order="o-2")
    assert fired(cp) == ["big-order"]


def test_an_ingested_object_that_satisfies_a_trigger_fires_it(client, cp, shop, clock):
    # [DOC adminguide how-to-create-campaigns-using-event-triggers] a trigger evaluates each
    # object of its type at ingestion; the integration naming it is its destination
    create(client)
    client.put_integration(
        DomainName="shop", Uri=CAMPAIGN, ObjectTypeName="Order", EventTriggerNames=["big-order"]
    )
    obj = ingest(client)
    (profile,) = cp.profiles("shop")
    assert cp.trigger_events("shop") == [
        {
            "EventTriggerName": "big-order",
            "ProfileId": profile["ProfileId"],
            "ObjectTypeName": "Order",
            "Object": obj,
            "Uris": [CAMPAIGN],
            "FiredAt": NOW,
        }
    ]


def test_an_object_that_does_not_satisfy_the_trigger_fires_nothing(client, cp, shop):
    # [DOC] the trigger fires only when its conditions hold
    create(client)
    ingest(client, total=99)
    ingest(client, total="n/a", order="o-2")
    assert cp.trigger_events("shop") == []


def test_a_trigger_only_hears_objects_of_its_object_type(client, cp, shop):
    # [MODEL] ObjectTypeName: the trigger evaluates objects of that type only
    cp.put_object_type("shop", "Return", **RETURN_TYPE)
    create(client)
    client.put_profile_object(
        DomainName="shop", ObjectTypeName="Return", Object=json.dumps({"id": "r", "total": 500})
    )
    assert cp.trigger_events("shop") == []


RETURN_TYPE = {
    "Description": "returns",
    "AllowProfileCreation": True,
    "Fields": {"id": {"Source": "_source.id"}, "total": {"Source": "_source.total"}},
    "Keys": {"returnId": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
}


def test_a_trigger_without_an_integration_fires_with_no_destination(client, cp, shop):
    # [INF] what fired is recorded even when no integration names the trigger yet
    create(client)
    ingest(client)
    assert [e["Uris"] for e in cp.trigger_events("shop")] == [[]]


def test_conditions_are_ored_and_dimensions_combined_by_the_logical_operator(client, cp, shop):
    # [DOC] "Conditions have default OR relationship"; LogicalOperator ALL|ANY|NONE combines
    # the dimensions; "Attributes within the dimension have default AND relationship"
    big, paid = attribute("GREATER_THAN", "100"), attribute("EQUAL", "paid", FieldName="status")

    def two_dimensions(operator):
        return {
            "EventTriggerDimensions": [{"ObjectAttributes": [big]}, {"ObjectAttributes": [paid]}],
            "LogicalOperator": operator,
        }

    create(client, "all", [two_dimensions("ALL")])
    create(client, "any", [two_dimensions("ANY")])
    create(client, "none", [two_dimensions("NONE")])
    create(client, "and", [condition(big, paid)])
    create(client, "or", [condition(big), condition(paid)])
    ingest(client, total=150, status="paid", order="both")
    assert sorted(fired(cp)) == ["all", "and", "any", "or"]
    ingest(client, total=150, status="open", order="big-only")
    assert sorted(fired(cp)[4:]) == ["any", "or"]
    ingest(client, total=5, status="open", order="neither")
    assert fired(cp)[6:] == ["none"]


@pytest.mark.parametrize(
    ("operator", "values", "value", "expected"),
    [
        ("INCLUSIVE", ["gold", "silver"], "gold", True),
        ("INCLUSIVE", ["gold"], "bronze", False),
        ("INCLUSIVE", ["a", "b"], ["a", "b", "c"], True),
        ("INCLUSIVE", ["a", "d"], ["a", "b", "c"], False),
        ("EXCLUSIVE", ["gold", "silver"], "bronze", True),
        ("EXCLUSIVE", ["gold"], "gold", False),
        ("EXCLUSIVE", ["d"], ["a", "b"], True),
        ("EXCLUSIVE", ["gold"], None, True),
        ("CONTAINS", ["old", "zz"], "golden", True),
        ("CONTAINS", ["zz"], "golden", False),
        ("BEGINS_WITH", ["go"], "golden", True),
        ("BEGINS_WITH", ["en"], "golden", False),
        ("ENDS_WITH", ["en"], "golden", True),
        ("EQUAL", ["10"], "10.0", True),
        ("EQUAL", ["gold"], "gold", True),
        ("EQUAL", ["gold"], "Gold", False),
        ("GREATER_THAN", ["10"], 10, False),
        ("GREATER_THAN_OR_EQUAL", ["10"], 10, True),
        ("LESS_THAN", ["10"], 9.5, True),
        ("LESS_THAN_OR_EQUAL", ["10"], 11, False),
        ("LESS_THAN", ["10"], "many", False),
        ("BEFORE", ["2026-01-01"], "2025-12-31T23:59:59Z", True),
        ("AFTER", ["2026-01-01"], "2025-12-31T23:59:59Z", False),
        ("AFTER", ["2026-01-01T00:00:00Z"], "2026-01-01T00:00:01+00:00", True),
        ("ON", ["2026-03-04"], "2026-03-04T18:30:00Z", True),
        ("ON", ["2026-03-04"], "2026-03-05T00:00:00Z", False),
        ("BETWEEN", ["10", "20"], 20, True),
        ("BETWEEN", ["10", "20"], 21, False),
        ("NOT_BETWEEN", ["10", "20"], 21, True),
        ("NOT_BETWEEN", ["10", "20"], 15, False),
        ("BETWEEN", ["2026-01-01", "2026-12-31"], "2026-06-01", True),
        ("NOT_BETWEEN", ["10", "20"], None, False),
        ("GREATER_THAN", ["10"], None, False),
    ],
)
def test_each_comparison_operator(client, cp, shop, operator, values, value, expected):
    # [DOC] INCLUSIVE "target includes all the specified values", EXCLUSIVE "does not
    # contain all"; [INF section 3] the others (models.compare), read through Source
    conditions = [condition(attribute(operator, *values, Source="_source.tier"))]
    create(client, conditions=conditions)
    extra = {} if value is None else {"tier": value}
    ingest(client, **extra)
    assert fired(cp) == (["big-order"] if expected else [])


def test_a_field_name_reads_the_object_types_field(client, cp, shop):
    # [MODEL ObjectAttribute.FieldName] "A field defined within an object type"
    create(client, conditions=[condition(attribute("ENDS_WITH", "@vip.com", FieldName="email"))])
    ingest(client, email="bo@vip.com")
    ingest(client, email="cy@example.com", order="o-2")
    assert [e["Object"]["email"] for e in cp.trigger_events("shop")] == ["bo@vip.com"]


def test_periods_limit_the_firings_per_profile(client, cp, shop, clock):
    # [MODEL Period] at most MaxInvocationsPerProfile in Value x Unit, per profile, on the
    # wall clock of the ingestion
    period = {"Unit": "HOURS", "Value": 1, "MaxInvocationsPerProfile": 2}
    create(client, EventTriggerLimits={"Periods": [period]})
    for n in range(3):
        ingest(client, order=f"ann-{n}")
    ingest(client, email="bo@example.com", order="bo-1")
    emails = [e["Object"]["email"] for e in cp.trigger_events("shop")]
    assert emails == ["ann@example.com", "ann@example.com", "bo@example.com"]
    clock[0] += 3600  # the first two firings leave the window
    ingest(client, order="ann-3")
    assert len(cp.trigger_events("shop")) == 4


def test_every_period_must_allow_a_firing(client, cp, shop, clock):
    # [MODEL Periods] up to 4 periods, each a limit; [INF] all of them apply
    periods = [
        {"Unit": "HOURS", "Value": 1, "MaxInvocationsPerProfile": 1},
        {"Unit": "DAYS", "Value": 1, "MaxInvocationsPerProfile": 2},
    ]
    create(client, EventTriggerLimits={"Periods": periods})
    for n in range(4):
        ingest(client, order=f"o-{n}")
        clock[0] += 3600
    assert [e["FiredAt"] for e in cp.trigger_events("shop")] == [NOW, NOW + 3600]


def test_an_unlimited_period_does_not_limit(client, cp, shop):
    # [MODEL Period.Unlimited] "no limit on the number of destination invocations"
    period = {"Unit": "DAYS", "Value": 1, "Unlimited": True}
    create(client, EventTriggerLimits={"Periods": [period]})
    for n in range(3):
        ingest(client, order=f"o-{n}")
    assert len(fired(cp)) == 3


def test_an_updated_trigger_evaluates_its_new_conditions(client, cp, shop):
    # [INF] UpdateEventTrigger takes effect at the next ingestion
    create(client)
    small = [condition(attribute("LESS_THAN", "10"))]
    client.update_event_trigger(
        DomainName="shop", EventTriggerName="big-order", EventTriggerConditions=small
    )
    ingest(client, total=150)
    ingest(client, total=5, order="o-2")
    assert [e["Object"]["total"] for e in cp.trigger_events("shop")] == [5]


def test_a_deleted_trigger_no_longer_fires(client, cp, shop):
    # [MODEL] DeleteEventTrigger "Disable and deletes the Event Trigger"
    create(client)
    ingest(client)
    client.delete_event_trigger(DomainName="shop", EventTriggerName="big-order")
    ingest(client, order="o-2")
    assert len(cp.trigger_events("shop")) == 1


@pytest.mark.skipif(
    "BatchPutProfileObject" not in MODEL.operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_batch_put_profile_object_fires_per_object(client, cp, shop):
    # [DOC] each ingested object is evaluated, however it was put
    create(client)
    items = [
        {"Id": str(n), "Object": json.dumps({"id": f"o-{n}", "email": "a@b.c", "total": t})}
        for n, t in enumerate((500, 1, 300))
    ]
    client.batch_put_profile_object(DomainName="shop", ObjectTypeName="Order", Items=items)
    assert [e["Object"]["total"] for e in cp.trigger_events("shop")] == [500, 300]


def test_restore_brings_back_what_fired_and_the_limits_history(client, cp, shop, clock):
    # generic Domain parts: the firings and per-profile counts are frozen with the snapshot
    period = {"Unit": "DAYS", "Value": 1, "MaxInvocationsPerProfile": 1}
    create(client, EventTriggerLimits={"Periods": [period]})
    snapshot = cp.snapshot()
    ingest(client)
    after_one = cp.snapshot()
    cp.restore(snapshot)
    assert cp.trigger_events("shop") == []
    cp.restore(after_one)
    ingest(client, order="o-2")  # the same profile: still over its limit for the day
    assert len(cp.trigger_events("shop")) == 1


def test_trigger_events_through_a_servers_client(customer_profiles_server):
    # the control API answers trigger_events as the handle does
    server = customer_profiles_server
    server.create_domain("shop")
    server.put_object_type("shop", "Return", **RETURN_TYPE)
    server.seed(
        "CreateEventTrigger",
        DomainName="shop",
        EventTriggerName="big",
        ObjectTypeName="Return",
        EventTriggerConditions=BIG,
    )
    server.put_object("shop", "Return", {"id": "r-1", "total": 120})
    (event,) = server.trigger_events("shop")
    assert (event["EventTriggerName"], event["Object"], event["Uris"]) == (
        "big",
        {"id": "r-1", "total": 120},
        [],
    )
    assert isinstance(event["FiredAt"], float)


def test_a_date_at_the_calendars_edge_satisfies_nothing(client, cp, shop, clock):
    # [INF] a value that is no comparable date satisfies no date operator; never a 500
    create(client, conditions=[condition(attribute("ON", "2024-01-01", FieldName="status"))])
    ingest(client, status="0001-01-01T00:00:00+01:00")
    assert fired(cp) == []
