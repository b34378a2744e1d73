"""Profile history through real boto3 clients (features/profile_history/): a record for
every change the mock makes to a profile, read from the change feed, with its content,
filters, paging, the 404s, snapshots and cp.set_performed_by(). Each test names the rule
it checks, with its source tag from the reference (api-semantics-rest.md section 5)."""

from __future__ import annotations

import json

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, InvalidTypeError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
pytestmark = pytest.mark.skipif(
    "ListProfileHistoryRecords" not in MODEL.operation_names,
    reason="this botocore's model has no profile history",
)
ORDER_TYPE = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "id": {"Source": "_source.id", "ContentType": "STRING"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}
UNKNOWN_ID = "0" * 32


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def history(client, profile_id, **filters):
    out = client.list_profile_history_records(DomainName="shop", ProfileId=profile_id, **filters)
    return out["ProfileHistoryRecords"]


def actions(client, profile_id, **filters):
    return [r["ActionType"] for r in history(client, profile_id, **filters)]


def content(client, profile_id, record):
    out = client.get_profile_history_record(DomainName="shop", ProfileId=profile_id, Id=record)
    return json.loads(out["Content"])


def create_profile(client, **fields):
    return client.create_profile(DomainName="shop", **fields)["ProfileId"]


# -- what each change records -------------------------------------------------------------


def test_create_profile_records_created_with_the_profile(client, shop):
    # [MODEL ActionType; INF api-semantics-rest 5] CreateProfile -> CREATED, ObjectTypeName
    # _profile, Content the profile, PerformedBy the caller (the account's root by default)
    pid = create_profile(client, FirstName="Ana")
    (record,) = history(client, pid)
    assert set(record) == {"Id", "ObjectTypeName", "CreatedAt", "ActionType", "PerformedBy"}
    assert (record["ActionType"], record["ObjectTypeName"], record["PerformedBy"]) == (
        "CREATED",
        "_profile",
        ROOT,
    )
    got = client.get_profile_history_record(DomainName="shop", ProfileId=pid, Id=record["Id"])
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: got[k] for k in record} == record
    assert json.loads(got["Content"]) == {"ProfileId": pid, "FirstName": "Ana"}


def test_profile_changes_are_listed_newest_first(client, shop):
    # [MODEL ActionType; INF] one record per change, newest first
    pid = create_profile(client, FirstName="Ana")
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    client.delete_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    assert actions(client, pid) == [
        "DELETED_PROFILE_KEY",
        "ADDED_PROFILE_KEY",
        "UPDATED",
        "CREATED",
    ]
    records = history(client, pid)
    assert [r["CreatedAt"] for r in records] == sorted(
        (r["CreatedAt"] for r in records), reverse=True
    )


def test_update_and_key_records_hold_the_profile_and_the_key(client, shop):
    # [MODEL Content "the customer profile, profile object, or profile key content"; INF]
    pid = create_profile(client, FirstName="Ana")
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    key, updated, _ = (r["Id"] for r in history(client, pid))
    assert content(client, pid, updated) == {
        "ProfileId": pid,
        "FirstName": "Ana",
        "LastName": "Silva",
    }
    assert content(client, pid, key) == {"KeyName": "_email", "Values": ["a@x.io"]}


def test_ingestion_records_the_object_its_type_and_key(client, shop):
    # [INF api-semantics-rest 5] PutProfileObject -> INGESTED, ObjectTypeName the object
    # type, ProfileObjectUniqueKey set, Content the object
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    key = client.put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Object='{"id": "o1", "email": "a@x.io"}'
    )["ProfileObjectUniqueKey"]
    pid = client.search_profiles(DomainName="shop", KeyName="_email", Values=["a@x.io"])["Items"][
        0
    ]["ProfileId"]
    (record,) = history(client, pid)
    assert (record["ActionType"], record["ObjectTypeName"], record["ProfileObjectUniqueKey"]) == (
        "INGESTED",
        "Order",
        key,
    )
    assert content(client, pid, record["Id"]) == {"id": "o1", "email": "a@x.io"}


def test_merge_records_merged_on_the_main_and_deleted_by_merge_on_the_others(client, shop):
    # [MODEL ActionType; INF] MergeProfiles -> MERGED (main), DELETED_BY_MERGE (others),
    # records outliving the merged profile
    main = create_profile(client, FirstName="Ana")
    other = create_profile(client, LastName="Silva")
    client.merge_profiles(DomainName="shop", MainProfileId=main, ProfileIdsToBeMerged=[other])
    assert actions(client, main) == ["MERGED", "CREATED"]
    assert actions(client, other) == ["DELETED_BY_MERGE", "CREATED"]
    merged = history(client, main)[0]["Id"]
    assert content(client, main, merged) == {
        "ProfileId": main,
        "FirstName": "Ana",
        "LastName": "Silva",
    }
    gone = history(client, other)[0]["Id"]
    assert content(client, other, gone) == {"ProfileId": other, "LastName": "Silva"}


def test_records_survive_the_deletion_of_their_profile(client, shop):
    # [INF api-semantics-rest 5] else DELETED_BY_CUSTOMER would be unreadable
    pid = create_profile(client, FirstName="Ana")
    client.delete_profile(DomainName="shop", ProfileId=pid)
    assert actions(client, pid) == ["DELETED_BY_CUSTOMER", "CREATED"]
    deleted = history(client, pid)[0]["Id"]
    assert content(client, pid, deleted) == {"ProfileId": pid, "FirstName": "Ana"}


def test_a_refused_change_records_nothing(client, shop):
    # the change feed tells only changes made
    pid = create_profile(client, FirstName="Ana")
    with pytest.raises(ClientError):
        client.merge_profiles(DomainName="shop", MainProfileId=pid, ProfileIdsToBeMerged=[pid])
    assert actions(client, pid) == ["CREATED"]


def test_seeded_profile_has_no_record_and_lists_empty(client, cp, shop):
    # handle seeding is not a change; cp.seed runs the operation and is one
    seeded = cp.create_profile("shop", FirstName="Ana")
    assert history(client, seeded) == []
    through_seed = cp.seed("CreateProfile", DomainName="shop", FirstName="Bo")["ProfileId"]
    assert actions(client, through_seed) == ["CREATED"]


# -- filters and paging ------------------------------------------------------------------


def test_list_filters_by_action_object_type_and_performer(client, cp, shop):
    # [MODEL] ObjectTypeName, ActionType, PerformedBy filters; exact match [INF]
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    pid = create_profile(client, EmailAddress="a@x.io")
    client.put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Object='{"id": "o1", "email": "a@x.io"}'
    )
    cp.set_performed_by("shop", "arn:aws:iam::123456789012:user/ana")
    client.update_profile(DomainName="shop", ProfileId=pid, FirstName="Ana")
    assert actions(client, pid, ActionType="INGESTED") == ["INGESTED"]
    assert actions(client, pid, ObjectTypeName="_profile") == ["UPDATED", "CREATED"]
    assert actions(client, pid, PerformedBy="arn:aws:iam::123456789012:user/ana") == ["UPDATED"]
    assert actions(client, pid, PerformedBy=ROOT, ObjectTypeName="Order") == ["INGESTED"]
    assert actions(client, pid, ActionType="MERGED") == []


def test_list_pages_with_max_results_and_next_token(client, shop):
    # [MODEL] MaxResults / NextToken (no botocore paginator: a manual loop)
    pid = create_profile(client, FirstName="Ana")
    for i in range(4):
        client.update_profile(DomainName="shop", ProfileId=pid, LastName=f"L{i}")
    seen, token = [], None
    while True:
        extra = {"NextToken": token} if token else {}
        out = client.list_profile_history_records(
            DomainName="shop", ProfileId=pid, MaxResults=2, **extra
        )
        seen += [r["ActionType"] for r in out["ProfileHistoryRecords"]]
        token = out.get("NextToken")
        if token is None:
            break
    assert seen == ["UPDATED"] * 4 + ["CREATED"]


def test_list_rejects_a_token_of_another_filter(client, shop):
    # wire/pagination: a token is bound to the query that issued it
    pid = create_profile(client, FirstName="Ana")
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="S")
    token = client.list_profile_history_records(DomainName="shop", ProfileId=pid, MaxResults=1)[
        "NextToken"
    ]
    with pytest.raises(ClientError) as excinfo:
        client.list_profile_history_records(
            DomainName="shop", ProfileId=pid, ActionType="CREATED", NextToken=token
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "The NextToken is invalid or has expired",
    )


# -- not found ----------------------------------------------------------------------------


def test_list_of_an_unknown_profile_is_not_found(client, shop):
    # [INF] a ProfileId that is no profile and has no record -> 404
    with pytest.raises(ClientError) as excinfo:
        history(client, UNKNOWN_ID)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Profile {UNKNOWN_ID} does not exist",
    )


def test_get_of_an_unknown_record_is_not_found(client, shop):
    # [INF api-semantics-rest 5] unknown record id -> 404
    pid = create_profile(client, FirstName="Ana")
    with pytest.raises(ClientError) as excinfo:
        client.get_profile_history_record(DomainName="shop", ProfileId=pid, Id=UNKNOWN_ID)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Profile history record {UNKNOWN_ID} does not exist for profile {pid}",
    )


def test_get_of_another_profiles_record_is_not_found(client, shop):
    # [INF api-semantics-rest 5] an id belonging to another profile -> 404
    ana = create_profile(client, FirstName="Ana")
    bo = create_profile(client, FirstName="Bo")
    record = history(client, ana)[0]["Id"]
    with pytest.raises(ClientError) as excinfo:
        client.get_profile_history_record(DomainName="shop", ProfileId=bo, Id=record)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Profile history record {record} does not exist for profile {bo}",
    )


def test_history_operations_in_an_unknown_domain_are_not_found(client, cp):
    # [INF api-semantics-rest 0.1] missing domain -> 404
    with pytest.raises(ClientError) as excinfo:
        client.list_profile_history_records(DomainName="nope", ProfileId=UNKNOWN_ID)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nope does not exist")
    with pytest.raises(ClientError) as excinfo:
        client.get_profile_history_record(DomainName="nope", ProfileId=UNKNOWN_ID, Id=UNKNOWN_ID)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nope does not exist")


def test_delete_domain_drops_the_history(client, cp, shop):
    # [INF api-semantics-rest 0.1] DeleteDomain removes everything below it
    pid = create_profile(client, FirstName="Ana")
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop")
    with pytest.raises(ClientError) as excinfo:
        history(client, pid)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


# -- snapshots, regions, the performer -----------------------------------------------------


def test_restore_brings_back_the_history_of_the_snapshot(client, cp, shop):
    # generic Domain parts: a snapshot keeps the records; later ones go with the restore
    pid = create_profile(client, FirstName="Ana")
    snapshot = cp.snapshot()
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="S")
    cp.restore(snapshot)
    assert actions(client, pid) == ["CREATED"]
    client.delete_profile(DomainName="shop", ProfileId=pid)
    assert actions(client, pid) == ["DELETED_BY_CUSTOMER", "CREATED"]
    cp.restore(snapshot)
    assert actions(client, pid) == ["CREATED"]


def test_history_is_kept_per_region(cp, shop):
    cp.create_domain("shop", region="eu-west-1")
    east = boto3.client("customer-profiles", region_name=REGION)
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    pid = create_profile(east, FirstName="Ana")
    with pytest.raises(ClientError) as excinfo:
        history(west, pid)
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_performed_by_is_the_partitions_root_in_another_partition(cp):
    # [MODEL PerformedBy "The ARN of the person or service principal"; INF the default]
    cp.create_domain("shop", region="cn-north-1")
    china = boto3.client("customer-profiles", region_name="cn-north-1")
    pid = create_profile(china, FirstName="Ana")
    assert history(china, pid)[0]["PerformedBy"] == f"arn:aws-cn:iam::{ACCOUNT_ID}:root"


def test_set_performed_by_none_restores_the_root(client, cp, shop):
    cp.set_performed_by("shop", "arn:aws:iam::123456789012:role/etl")
    pid = create_profile(client, FirstName="Ana")
    cp.set_performed_by("shop", None)
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="S")
    assert [r["PerformedBy"] for r in history(client, pid)] == [
        ROOT,
        "arn:aws:iam::123456789012:role/etl",
    ]


def test_set_performed_by_rejects_what_performed_by_cannot_hold(cp, shop):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.set_performed_by("shop", "")
    assert str(excinfo.value) == (
        "set_performed_by(): principal must be 1 to 255 characters long (PerformedBy), got 0"
    )
    with pytest.raises(InvalidTypeError) as excinfo:
        cp.set_performed_by("shop", 7)
    assert str(excinfo.value) == "set_performed_by(): principal must be a str or None, got an int"
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.set_performed_by("nope", "arn:aws:iam::123456789012:root")
    assert str(excinfo.value).startswith("set_performed_by(): domain 'nope' does not exist")


def test_set_performed_by_through_a_servers_client(customer_profiles_server):
    server = customer_profiles_server
    server.create_domain("shop")
    server.set_performed_by("shop", "arn:aws:iam::123456789012:user/bo")
    pid = server.seed("CreateProfile", DomainName="shop", FirstName="Bo")["ProfileId"]
    client = boto3.client(
        "customer-profiles",
        region_name=server.region,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    out = client.list_profile_history_records(DomainName="shop", ProfileId=pid)
    assert [r["PerformedBy"] for r in out["ProfileHistoryRecords"]] == [
        "arn:aws:iam::123456789012:user/bo"
    ]
