"""Event stream publication (features/event_streams/publication.py): every change made
while a domain's stream is RUNNING publishes AWS's real-time export record, read on the
handle with cp.stream_records() and, under moto's mock_aws, from moto's Kinesis stream
with a real Kinesis client. Each test names the rule it checks, with its source tag from
the reference (api-semantics-rest.md section 2)."""

from __future__ import annotations

import json
import re

import boto3
import pytest
from moto import mock_aws

from customer_profiles_mock import InvalidArgumentError, mock_customer_profiles

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
KINESIS = f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/profile-changes"
# [DOC adminguide set-up-real-time-export; OSS a captured record]: the keys of a profile's
# record, and those an object's adds
PROFILE_KEYS = [
    "SchemaVersion",
    "EventId",
    "EventTimestamp",
    "EventType",
    "DomainName",
    "ObjectTypeName",
    "Object",
    "IsMessageRealTime",
]
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ISO_MILLIS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
ORDER_TYPE = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "id": {"Source": "_source.id", "ContentType": "STRING"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
        "total": {"Source": "_source.total", "ContentType": "STRING"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


@pytest.fixture
def shop(cp, client):
    cp.create_domain("shop")
    client.create_event_stream(DomainName="shop", EventStreamName="changes", Uri=KINESIS)
    return "shop"


def kinds(cp, domain="shop"):
    return [(r["EventType"], r["ObjectTypeName"]) for r in cp.stream_records(domain)]


def put_order(client, order):
    return client.put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Object=json.dumps(order)
    )["ProfileObjectUniqueKey"]


# -- the records --------------------------------------------------------------------------


def test_create_profile_publishes_a_created_record_with_the_profile(cp, client, shop):
    # [DOC set-up-real-time-export] SchemaVersion 0, EventId, EventTimestamp, EventType
    # CREATED, DomainName, ObjectTypeName, Object, IsMessageRealTime; [OSS captured record]
    # a profile's record has ObjectTypeName _profile, no AssociatedProfileId, a UUID
    # EventId and an ISO timestamp to the millisecond
    pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    (record,) = cp.stream_records("shop")
    assert list(record) == PROFILE_KEYS
    assert record["SchemaVersion"] == 0
    assert UUID4.fullmatch(record["EventId"])
    assert ISO_MILLIS.fullmatch(record["EventTimestamp"])
    assert (record["EventType"], record["DomainName"], record["ObjectTypeName"]) == (
        "CREATED",
        "shop",
        "_profile",
    )
    assert record["Object"] == {"ProfileId": pid, "FirstName": "Ana"}
    assert record["IsMessageRealTime"] is True


def test_profile_updates_and_keys_publish_updated_records_with_the_profile(cp, client, shop):
    # [OSS captured record] EventType UPDATED carries the profile; [INF] key changes too
    pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    client.delete_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    records = cp.stream_records("shop")
    assert [r["EventType"] for r in records] == ["CREATED", "UPDATED", "UPDATED", "UPDATED"]
    after = {"ProfileId": pid, "FirstName": "Ana", "LastName": "Silva"}
    assert [r["Object"] for r in records[1:]] == [after, after, after]
    assert len({r["EventId"] for r in records}) == 4


def test_ingestion_publishes_the_object_created_then_updated(cp, client, shop):
    # [DOC] an object's record: ObjectTypeName its type, AssociatedProfileId,
    # ProfileObjectUniqueKey, Object; [INF] CREATED for a new object, UPDATED for the one
    # that replaces it ([OSS] shows an object's UPDATED record)
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    key = put_order(client, {"id": "o1", "email": "a@x.io", "total": "10"})
    assert put_order(client, {"id": "o1", "email": "a@x.io", "total": "12"}) == key
    first, second = cp.stream_records("shop")
    (pid,) = [p["ProfileId"] for p in cp.profiles("shop")]
    assert list(first) == [*PROFILE_KEYS[:6], "AssociatedProfileId", "ProfileObjectUniqueKey"] + [
        "Object",
        "IsMessageRealTime",
    ]
    assert (first["EventType"], first["ObjectTypeName"], first["AssociatedProfileId"]) == (
        "CREATED",
        "Order",
        pid,
    )
    assert (first["ProfileObjectUniqueKey"], first["Object"]["total"]) == (key, "10")
    assert (second["EventType"], second["Object"]["total"]) == ("UPDATED", "12")


def test_an_object_ingested_before_the_stream_is_updated_once_it_runs(cp, client):
    # [INF] CREATED/UPDATED follows the object, not the stream's lifetime
    cp.create_domain("shop")
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    put_order(client, {"id": "o1", "email": "a@x.io"})
    client.create_event_stream(DomainName="shop", EventStreamName="changes", Uri=KINESIS)
    put_order(client, {"id": "o1", "email": "a@x.io"})
    put_order(client, {"id": "o2", "email": "a@x.io"})
    assert kinds(cp) == [("UPDATED", "Order"), ("CREATED", "Order")]


def test_merge_publishes_deleted_records_and_a_merged_one_with_the_duplicates(cp, client, shop):
    # [OSS merge event] MERGED with MergeId and the merged profiles as DuplicateProfiles;
    # [INF] each merged profile's DELETED record first
    main = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    other = client.create_profile(DomainName="shop", LastName="Silva")["ProfileId"]
    client.merge_profiles(DomainName="shop", MainProfileId=main, ProfileIdsToBeMerged=[other])
    deleted, merged = cp.stream_records("shop")[2:]
    assert (deleted["EventType"], deleted["Object"]) == (
        "DELETED",
        {"ProfileId": other, "LastName": "Silva"},
    )
    assert merged["EventType"] == "MERGED"
    assert merged["Object"] == {"ProfileId": main, "FirstName": "Ana", "LastName": "Silva"}
    assert UUID4.fullmatch(merged["MergeId"])
    assert merged["DuplicateProfiles"] == [{"ProfileId": other, "LastName": "Silva"}]
    assert list(merged)[-3:] == ["MergeId", "DuplicateProfiles", "IsMessageRealTime"]


def test_delete_profile_publishes_a_deleted_record_with_the_profile_as_it_was(cp, client, shop):
    # [INF] DeleteProfile -> EventType DELETED, Object the profile before the deletion
    pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    client.delete_profile(DomainName="shop", ProfileId=pid)
    deleted = cp.stream_records("shop")[-1]
    assert (deleted["EventType"], deleted["Object"]) == (
        "DELETED",
        {"ProfileId": pid, "FirstName": "Ana"},
    )


# -- when a domain publishes ------------------------------------------------------------------


def test_a_domain_without_a_running_stream_publishes_nothing(cp, client, shop):
    # [DOC] records go to the domain's stream while it runs: none before it, none while
    # STOPPED, none after it is deleted; what was published stays on the handle
    cp.create_domain("other")
    client.create_profile(DomainName="other", FirstName="Bo")
    assert cp.stream_records("other") == []
    cp.set_event_stream_state("shop", "changes", state="STOPPED")
    client.create_profile(DomainName="shop", FirstName="Ana")
    cp.set_event_stream_state("shop", "changes", state="RUNNING")
    pid = client.create_profile(DomainName="shop", FirstName="Cy")["ProfileId"]
    client.delete_event_stream(DomainName="shop", EventStreamName="changes")
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="Z")
    assert [r["Object"]["FirstName"] for r in cp.stream_records("shop")] == ["Cy"]


def test_a_refused_call_publishes_nothing(cp, client, shop):
    pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    with pytest.raises(client.exceptions.BadRequestException):
        client.merge_profiles(DomainName="shop", MainProfileId=pid, ProfileIdsToBeMerged=[pid])
    assert kinds(cp) == [("CREATED", "_profile")]


def test_an_unhealthy_destination_still_publishes(cp, client, shop):
    # [INF] UNHEALTHY is the destination's health; the stream runs and publishes
    cp.set_event_stream_state("shop", "changes", destination_status="UNHEALTHY")
    client.create_profile(DomainName="shop", FirstName="Ana")
    assert kinds(cp) == [("CREATED", "_profile")]


def test_restore_brings_back_the_records_of_the_snapshot(cp, client, shop):
    # generic Domain parts: what was published is part of the snapshot
    client.create_profile(DomainName="shop", FirstName="Ana")
    snapshot = cp.snapshot()
    client.create_profile(DomainName="shop", FirstName="Bo")
    cp.restore(snapshot)
    assert [r["Object"]["FirstName"] for r in cp.stream_records("shop")] == ["Ana"]


def test_delete_domain_drops_its_records(cp, client, shop):
    # [INF api-semantics-rest 0.1] DeleteDomain removes everything below it
    client.create_profile(DomainName="shop", FirstName="Ana")
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop")
    assert cp.stream_records("shop") == []


def test_stream_records_of_an_unknown_domain_says_how_to_create_it(cp):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.stream_records("nope")
    assert str(excinfo.value).startswith("stream_records(): domain 'nope' does not exist")


def test_without_moto_serving_the_destination_stays_healthy(cp, client, shop):
    # [INF] no Kinesis is emulated: the stream ARN is not looked up
    client.create_profile(DomainName="shop", FirstName="Ana")
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert got["DestinationDetails"] == {"Uri": KINESIS, "Status": "HEALTHY"}


def test_stream_records_through_a_servers_client(customer_profiles_server):
    server = customer_profiles_server
    server.create_domain("shop")
    uri = f"arn:aws:kinesis:{server.region}:{server.account_id}:stream/s"
    server.seed("CreateEventStream", DomainName="shop", EventStreamName="changes", Uri=uri)
    pid = server.seed("CreateProfile", DomainName="shop", FirstName="Bo")["ProfileId"]
    (record,) = server.stream_records("shop")
    assert (record["EventType"], record["Object"]) == (
        "CREATED",
        {"ProfileId": pid, "FirstName": "Bo"},
    )


# -- into moto's Kinesis ------------------------------------------------------------------------


def _shard_records(kinesis, name):
    shard = kinesis.describe_stream(StreamName=name)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName=name, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return kinesis.get_records(ShardIterator=iterator)["Records"]


def test_under_mock_aws_records_go_into_moto_kinesis_stream(monkeypatch):
    # the issue: with a Kinesis stream of that ARN, the records are put into moto's stream
    # and a real Kinesis client consumes them; [INF] the profile's id is the partition key
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        kinesis = boto3.client("kinesis", region_name=REGION)
        kinesis.create_stream(StreamName="profile-changes", ShardCount=1)
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_domain(DomainName="shop", DefaultExpirationDays=30)
        client.create_event_stream(DomainName="shop", EventStreamName="changes", Uri=KINESIS)
        pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
        client.update_profile(DomainName="shop", ProfileId=pid, LastName="Silva")
        records = _shard_records(kinesis, "profile-changes")
        got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert [r["PartitionKey"] for r in records] == [pid, pid]
    created, updated = (json.loads(r["Data"]) for r in records)
    assert list(created) == PROFILE_KEYS
    assert (created["EventType"], created["DomainName"], created["Object"]) == (
        "CREATED",
        "shop",
        {"ProfileId": pid, "FirstName": "Ana"},
    )
    assert (updated["EventType"], updated["Object"]["LastName"]) == ("UPDATED", "Silva")
    assert got["DestinationDetails"]["Status"] == "HEALTHY"


def test_under_mock_aws_a_missing_kinesis_stream_makes_the_destination_unhealthy(monkeypatch):
    # [INF] what AWS would do: the destination UNHEALTHY, Kinesis's error as its Message
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_domain(DomainName="shop", DefaultExpirationDays=30)
        client.create_event_stream(DomainName="shop", EventStreamName="changes", Uri=KINESIS)
        client.create_profile(DomainName="shop", FirstName="Ana")
        got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    details = got["DestinationDetails"]
    assert (details["Status"], details["Message"]) == (
        "UNHEALTHY",
        f"Stream profile-changes under account {ACCOUNT_ID} not found.",
    )
    assert details["UnhealthySince"] >= got["CreatedAt"]
    assert got["State"] == "RUNNING"


def test_a_handle_inside_mock_aws_publishes_to_moto_kinesis_too(monkeypatch):
    # the handle serves customer-profiles; Kinesis is moto's, so the records go there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(), mock_customer_profiles(region=REGION) as cp:
        kinesis = boto3.client("kinesis", region_name=REGION)
        kinesis.create_stream(StreamName="profile-changes", ShardCount=1)
        cp.create_domain("shop")
        cp.seed("CreateEventStream", DomainName="shop", EventStreamName="changes", Uri=KINESIS)
        client = boto3.client("customer-profiles", region_name=REGION)
        client.create_profile(DomainName="shop", FirstName="Ana")
        (record,) = _shard_records(kinesis, "profile-changes")
        assert json.loads(record["Data"]) == cp.stream_records("shop")[0]
