"""Event triggers through real boto3 clients (features/event_triggers/): the CRUD and its
checks, tags, snapshots, the integration that blocks a delete, and the evaluation of
ingested objects recorded for cp.trigger_events(). Each test names the rule it checks,
with its source tag from the reference (api-semantics-rest.md section 3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
TRIGGER_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/event-triggers/big-order"
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


def test_create_event_trigger_keeps_a_segment_filter_unchecked(client, shop):
    # [MODEL] SegmentFilter names a segment definition; the mock serves none yet, so it is kept
    out = create(client, SegmentFilter="vip")
    assert out["SegmentFilter"] == "vip"


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
