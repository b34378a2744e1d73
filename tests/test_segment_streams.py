"""Segment subscriptions and the stream for segments through real boto3 clients
(features/segment_streams/): one stream per domain, subscriptions STARTING then RUNNING
with a baseline, JOINED/LEFT events (LIVE from profile writes, SCHEDULE from
cp.run_segment_subscriptions()). Each test names the rule it checks, with its source tag
from the reference (api-semantics-rest.md section 7.4)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles
from customer_profiles_mock.wire.model import service_model

pytestmark = pytest.mark.skipif(
    "PutSegmentSubscription" not in service_model().operation_names,
    reason="this botocore has no segment subscriptions",
)

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
KINESIS = f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/segments"
ROLE = f"arn:aws:iam::{ACCOUNT_ID}:role/segments"
GOLD = {
    "Groups": [
        {
            "Dimensions": [
                {
                    "ProfileAttributes": {
                        "Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}}
                    }
                }
            ]
        }
    ]
}
SEGMENT = {"DomainName": "shop", "SegmentDefinitionName": "gold"}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


def associate(client):
    return client.associate_stream_for_segments(
        DomainName="shop", DestinationArn=KINESIS, DestinationRoleArn=ROLE
    )


@pytest.fixture
def shop(cp, client):
    """A domain with a gold segment and an associated stream."""
    cp.create_domain("shop")
    client.create_segment_definition(**SEGMENT, DisplayName="Gold", SegmentGroups=GOLD)
    associate(client)
    return "shop"


def events(client):
    out = client.list_segment_subscription_events(**SEGMENT)
    return [(e["ProfileId"], e["EventType"], e["Event"]) for e in out["Events"]]


# -- the stream -------------------------------------------------------------------------


def test_associate_stream_answers_empty_and_get_shows_it(client, shop):
    # [MODEL] Associate -> {}; Get -> DestinationArn, DestinationRoleArn, State, AssociatedAt
    client.put_segment_subscription(**SEGMENT)
    out = client.get_stream_for_segments(DomainName="shop")
    assert (out["DomainName"], out["DestinationArn"], out["DestinationRoleArn"]) == (
        "shop",
        KINESIS,
        ROLE,
    )
    assert out["State"] == "RUNNING"
    assert "AssociatedAt" in out
    assert out["AssociatedSegments"] == [{"SegmentName": "gold", "Status": "RUNNING"}]


def test_a_second_stream_is_bad_request(client, shop):
    # [MODEL] "A domain can have only one associated stream at a time"
    with pytest.raises(ClientError) as excinfo:
        associate(client)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "A domain can have only one associated stream at a time",
    )


def test_destination_must_be_a_kinesis_stream(client, cp):
    # [INF] DestinationArn is a Kinesis data stream ARN
    cp.create_domain("shop")
    with pytest.raises(ClientError) as excinfo:
        client.associate_stream_for_segments(
            DomainName="shop", DestinationArn="arn:aws:sqs:us-east-1:1:q", DestinationRoleArn=ROLE
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "DestinationArn arn:aws:sqs:us-east-1:1:q is not a Kinesis data stream ARN "
        "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)",
    )


def test_get_stream_without_one_is_not_found(client, cp):
    # [INF api-semantics-rest 7.4] Get without association -> 404
    cp.create_domain("shop")
    with pytest.raises(ClientError) as excinfo:
        client.get_stream_for_segments(DomainName="shop")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Domain shop has no stream for segments",
    )


def test_disassociate_stops_the_stream_and_its_subscriptions(client, shop):
    # [MODEL] "All active segment subscriptions ... are eventually stopped"; [INF] at once
    client.put_segment_subscription(**SEGMENT)
    out = client.disassociate_stream_for_segments(DomainName="shop")
    assert out["Message"] == "Stream disassociated from domain shop."
    stream = client.get_stream_for_segments(DomainName="shop")
    assert stream["State"] == "STOPPED"
    assert "DisassociatedAt" in stream
    subscription = client.get_segment_subscription(**SEGMENT)
    assert (subscription["Status"], subscription["Message"]) == (
        "STOPPED",
        "The stream for segments was disassociated",
    )
    associate(client)  # [INF] a new stream after a disassociation
    assert client.get_stream_for_segments(DomainName="shop")["State"] == "RUNNING"


# -- subscriptions ----------------------------------------------------------------------


def test_subscription_starts_then_runs():
    # [MODEL] STARTING = "Initial snapshot is in progress"; interval defaults to 24 h
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name=REGION)
        cp.create_domain("shop")
        client.create_segment_definition(**SEGMENT, DisplayName="Gold", SegmentGroups=GOLD)
        associate(client)
        out = client.put_segment_subscription(**SEGMENT)
        assert (out["Status"], out["ScheduleConfiguration"]) == (
            "STARTING",
            {"Interval": 24, "Unit": "HOURLY"},
        )
        assert client.get_segment_subscription(**SEGMENT)["Status"] == "STARTING"
        clock.advance(60)
        got = client.get_segment_subscription(**SEGMENT)
        assert got["Status"] == "RUNNING"
        executions = got["ScheduledExecutions"]
        gap = executions["NextExecutedAt"] - executions["LastExecutedAt"]
        assert gap.total_seconds() == 24 * 3600


def test_put_again_updates_the_schedule_and_keeps_started_at(client, shop):
    # [INF api-semantics-rest 7.4] re-put updates the schedule, keeps StartedAt
    first = client.put_segment_subscription(**SEGMENT)
    again = client.put_segment_subscription(
        **SEGMENT, ScheduleConfiguration={"Interval": 6, "Unit": "HOURLY"}
    )
    assert again["StartedAt"] == first["StartedAt"]
    got = client.get_segment_subscription(**SEGMENT)
    assert got["ScheduleConfiguration"] == {"Interval": 6, "Unit": "HOURLY"}
    assert got["LastUpdatedAt"] >= got["StartedAt"]


def test_subscription_needs_a_stream(client, cp):
    # [INF api-semantics-rest 7.4] subscriptions deliver to the domain's stream
    cp.create_domain("shop")
    client.create_segment_definition(**SEGMENT, DisplayName="Gold", SegmentGroups=GOLD)
    with pytest.raises(ClientError) as excinfo:
        client.put_segment_subscription(**SEGMENT)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Domain shop has no stream for segments: associate one with "
        "AssociateStreamForSegments first",
    )


def test_subscription_of_an_unknown_segment_is_not_found(client, shop):
    # [INF api-semantics-rest 7.4] unknown segment -> 404
    with pytest.raises(ClientError) as excinfo:
        client.put_segment_subscription(DomainName="shop", SegmentDefinitionName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment definition nope does not exist",
    )


def test_delete_subscription_answers_a_message_then_get_is_not_found(client, shop):
    # [MODEL] optional Message; [INF] its text, and 404 after
    client.put_segment_subscription(**SEGMENT)
    out = client.delete_segment_subscription(**SEGMENT)
    assert out["Message"] == "Segment subscription for segment gold was deleted."
    with pytest.raises(ClientError) as excinfo:
        client.get_segment_subscription(**SEGMENT)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Segment subscription for segment gold does not exist",
    )


def test_a_subscribed_segment_cannot_be_deleted(client, shop):
    # [INF api-semantics-rest 7.1] deleting a segment with an active subscription -> 400
    client.put_segment_subscription(**SEGMENT)
    with pytest.raises(ClientError) as excinfo:
        client.delete_segment_definition(**SEGMENT)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Segment definition gold has a segment subscription: delete it first",
    )


# -- events -----------------------------------------------------------------------------


def test_profile_writes_make_live_joined_and_left_events(client, cp, shop):
    # [MODEL] Classic segments emit near-real-time LIVE events; [INF] the baseline emits none
    already = cp.create_profile("shop", Attributes={"tier": "gold"})
    client.put_segment_subscription(**SEGMENT)
    assert events(client) == []
    ana = client.create_profile(DomainName="shop", FirstName="Ana", Attributes={"tier": "gold"})
    ana = ana["ProfileId"]
    client.create_profile(DomainName="shop", FirstName="Bo")  # not in the segment: no event
    client.update_profile(DomainName="shop", ProfileId=ana, Attributes={"tier": "silver"})
    client.delete_profile(DomainName="shop", ProfileId=already)
    assert events(client) == [
        (already, "LIVE", "LEFT"),
        (ana, "LIVE", "LEFT"),
        (ana, "LIVE", "JOINED"),
    ]


def test_scheduled_snapshots_make_schedule_events(client, cp, shop):
    # [MODEL] SCHEDULE events from scheduled snapshots; [INF] handle-driven, diffed
    client.put_segment_subscription(**SEGMENT)
    client.disassociate_stream_for_segments(DomainName="shop")
    assert cp.run_segment_subscriptions("shop") == 0  # STOPPED: nothing runs
    associate(client)
    client.put_segment_subscription(**SEGMENT)  # starts again, baseline empty
    cp.create_profile("shop", Attributes={"tier": "gold"})  # seeding tells no change
    joined = cp.profiles("shop")[0]["ProfileId"]
    assert cp.run_segment_subscriptions("shop", "gold") == 1
    assert events(client) == [(joined, "SCHEDULE", "JOINED")]
    assert cp.run_segment_subscriptions("shop") == 0


def test_run_segment_subscriptions_of_an_unknown_one_is_refused(cp, shop):
    # [INF] the handle names what to create first
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.run_segment_subscriptions("shop", "gold")
    assert str(excinfo.value) == (
        "run_segment_subscriptions(): domain 'shop' has no segment subscription for 'gold'. "
        "Create it first with cp.seed('PutSegmentSubscription', DomainName='shop', "
        "SegmentDefinitionName='gold')."
    )


def test_events_page_newest_first(client, shop):
    # [MODEL] paginator ListSegmentSubscriptionEvents
    client.put_segment_subscription(**SEGMENT)
    ids = [
        client.create_profile(DomainName="shop", Attributes={"tier": "gold"})["ProfileId"]
        for _ in range(3)
    ]
    pages = client.get_paginator("list_segment_subscription_events").paginate(
        **SEGMENT, PaginationConfig={"PageSize": 2}
    )
    listed = [e["ProfileId"] for page in pages for e in page["Events"]]
    assert listed == ids[::-1]


def test_events_of_no_subscription_are_not_found(client, shop):
    # [INF] no subscription -> 404
    with pytest.raises(ClientError) as excinfo:
        client.list_segment_subscription_events(**SEGMENT)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_restore_brings_back_the_stream_and_subscriptions(client, cp, shop):
    # [INF] snapshots freeze every part of a domain
    client.put_segment_subscription(**SEGMENT)
    snapshot = cp.snapshot()
    client.delete_segment_subscription(**SEGMENT)
    client.disassociate_stream_for_segments(DomainName="shop")
    cp.restore(snapshot)
    assert client.get_segment_subscription(**SEGMENT)["Status"] == "RUNNING"
    assert client.get_stream_for_segments(DomainName="shop")["State"] == "RUNNING"


def test_run_segment_subscriptions_through_a_servers_client(customer_profiles_server):
    # [INF] the handle's methods work over the control API too
    server = customer_profiles_server
    server.create_domain("shop")
    server.seed("CreateSegmentDefinition", **SEGMENT, DisplayName="Gold", SegmentGroups=GOLD)
    server.seed(
        "AssociateStreamForSegments",
        DomainName="shop",
        DestinationArn=KINESIS,
        DestinationRoleArn=ROLE,
    )
    server.seed("PutSegmentSubscription", **SEGMENT)
    server.create_profile("shop", Attributes={"tier": "gold"})
    assert server.run_segment_subscriptions("shop") == 1
