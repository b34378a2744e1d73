"""Event streams through real boto3 clients (features/event_streams/): one stream per
domain, a Kinesis Uri in the domain's Region and account, the Get and List shapes, tags,
snapshots, and cp.set_event_stream_state(). Each test names the rule it checks, with its
source tag from the reference (api-semantics-rest.md section 2)."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
KINESIS = f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/profile-changes"
STREAM_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/event-streams/changes"
ALREADY = "The Customer Profiles Domain: shop is already associated with an active EventStream"


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, name="changes", uri=KINESIS, **extra):
    return client.create_event_stream(DomainName="shop", EventStreamName=name, Uri=uri, **extra)


# -- CreateEventStream ----------------------------------------------------------------


def test_create_event_stream_answers_its_arn_and_tags(client, shop):
    # [DOC service-authorization reference] EventStreamArn
    # arn:aws:profile:{region}:{acct}:domains/{d}/event-streams/{n}; [MODEL] {EventStreamArn, Tags}
    out = create(client, Tags={"team": "crm"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (out["EventStreamArn"], out["Tags"]) == (STREAM_ARN, {"team": "crm"})


def test_create_event_stream_without_tags_answers_no_tags(client, shop):
    # [MODEL] Tags is optional and a TagMap holds at least one entry
    out = create(client)
    assert "Tags" not in out


def test_create_event_stream_twice_in_a_domain_is_bad_request(client, shop):
    # [OSS CFN-RP eventstream CreateHandler] one active stream per domain, AWS's message
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client, "second")
    assert error_of(excinfo) == ("BadRequestException", 400, ALREADY)
    assert [
        i["EventStreamName"] for i in client.list_event_streams(DomainName="shop")["Items"]
    ] == ["changes"]


def test_create_event_stream_with_the_same_name_again_is_bad_request(client, shop):
    # [INF] same name twice -> the same error as a second stream
    create(client)
    with pytest.raises(ClientError) as excinfo:
        create(client)
    assert error_of(excinfo) == ("BadRequestException", 400, ALREADY)


def test_create_event_stream_after_delete_is_allowed(client, shop):
    # [OSS CFN-RP] only an *active* stream blocks; DeleteEventStream "disables and deletes"
    create(client)
    client.delete_event_stream(DomainName="shop", EventStreamName="changes")
    assert create(client, "second")["EventStreamArn"].endswith("/event-streams/second")


def test_create_event_stream_while_one_is_stopped_is_bad_request(client, cp, shop):
    # [INF] a STOPPED stream is still associated with the domain until it is deleted
    create(client)
    cp.set_event_stream_state("shop", "changes", state="STOPPED")
    with pytest.raises(ClientError) as excinfo:
        create(client, "second")
    assert error_of(excinfo) == ("BadRequestException", 400, ALREADY)


def test_one_stream_per_domain_does_not_reach_other_domains(client, cp, shop):
    # [OSS CFN-RP] the rule is per domain
    cp.create_domain("other")
    create(client)
    out = client.create_event_stream(DomainName="other", EventStreamName="changes", Uri=KINESIS)
    assert out["EventStreamArn"].endswith(":domains/other/event-streams/changes")


@pytest.mark.parametrize(
    "uri",
    [
        "not-an-arn",
        f"arn:aws:sqs:{REGION}:{ACCOUNT_ID}:queue",
        f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:deliverystream/x",
        f"arn:aws:firehose:{REGION}:{ACCOUNT_ID}:deliverystream/x",
        f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/",
    ],
)
def test_create_event_stream_with_a_uri_that_is_no_kinesis_stream_is_bad_request(client, shop, uri):
    # [MODEL] Uri is a Kinesis stream ARN; [INF] other strings -> 400 (our wording)
    with pytest.raises(ClientError) as excinfo:
        create(client, uri=uri)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Uri {uri} is not a Kinesis data stream ARN "
        f"(arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/NAME)",
    )
    assert client.list_event_streams(DomainName="shop")["Items"] == []


@pytest.mark.parametrize(
    "uri",
    [
        f"arn:aws:kinesis:eu-west-1:{ACCOUNT_ID}:stream/profile-changes",
        f"arn:aws:kinesis:{REGION}:210987654321:stream/profile-changes",
        f"arn:aws-cn:kinesis:{REGION}:{ACCOUNT_ID}:stream/profile-changes",
    ],
)
def test_create_event_stream_with_a_stream_elsewhere_is_bad_request(client, shop, uri):
    # [MODEL] the Kinesis stream is in the same Region and account as the domain; [INF] 400
    with pytest.raises(ClientError) as excinfo:
        create(client, uri=uri)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Uri {uri} is not in the domain's Region and account: the Kinesis data stream must "
        f"be arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/NAME",
    )


def test_create_event_stream_in_another_region_takes_that_regions_streams(cp):
    # [MODEL] same Region as the domain: the domain's, not the mock's default
    cp.create_domain("shop", region="eu-west-1")
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    uri = f"arn:aws:kinesis:eu-west-1:{ACCOUNT_ID}:stream/s"
    out = west.create_event_stream(DomainName="shop", EventStreamName="changes", Uri=uri)
    assert out["EventStreamArn"].startswith(f"arn:aws:profile:eu-west-1:{ACCOUNT_ID}:")


def test_create_event_stream_validates_against_the_model(client, shop):
    # [MODEL] EventStreamName pattern ^[a-zA-Z0-9_-]+$, checked server-side (section 0)
    with pytest.raises(ClientError) as excinfo:
        create(client, "has space")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("BadRequestException", 400)
    assert "eventStreamName" in message


def test_event_stream_operations_in_an_unknown_domain_are_not_found(client, cp):
    # [section 0.1] missing domain -> 404 ResourceNotFoundException
    for call in (
        lambda: client.create_event_stream(DomainName="nowhere", EventStreamName="s", Uri=KINESIS),
        lambda: client.get_event_stream(DomainName="nowhere", EventStreamName="s"),
        lambda: client.delete_event_stream(DomainName="nowhere", EventStreamName="s"),
        lambda: client.list_event_streams(DomainName="nowhere"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == (
            "ResourceNotFoundException",
            404,
            "Domain nowhere does not exist",
        )


# -- GetEventStream ---------------------------------------------------------------------


def test_get_event_stream_answers_a_running_healthy_stream(client, shop):
    # [MODEL] GetEventStream's shape; [INF] a new stream is RUNNING with a HEALTHY destination
    before = datetime.datetime.now(datetime.timezone.utc)
    create(client, Tags={"team": "crm"})
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    got.pop("ResponseMetadata")
    created_at = got.pop("CreatedAt")
    assert got == {
        "DomainName": "shop",
        "EventStreamArn": STREAM_ARN,
        "State": "RUNNING",
        "DestinationDetails": {"Uri": KINESIS, "Status": "HEALTHY"},
        "Tags": {"team": "crm"},
    }
    assert before - datetime.timedelta(seconds=1) <= created_at
    assert created_at <= datetime.datetime.now(datetime.timezone.utc)


def test_get_event_stream_of_an_unknown_name_is_not_found(client, shop):
    # [section 0.1; OSS CFN-RP ReadHandler] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.get_event_stream(DomainName="shop", EventStreamName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Event stream nope does not exist",
    )


# -- DeleteEventStream ------------------------------------------------------------------


def test_delete_event_stream_answers_empty_and_removes_it(client, shop):
    # [section 0.3 MODEL] DeleteEventStream's output is {}
    create(client)
    out = client.delete_event_stream(DomainName="shop", EventStreamName="changes")
    out.pop("ResponseMetadata")
    assert out == {}
    with pytest.raises(ClientError) as excinfo:
        client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_delete_event_stream_of_an_unknown_name_is_not_found(client, shop):
    # [section 0.1; OSS CFN-RP DeleteHandler] missing child resource -> 404
    with pytest.raises(ClientError) as excinfo:
        client.delete_event_stream(DomainName="shop", EventStreamName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Event stream nope does not exist",
    )


def test_delete_domain_removes_its_event_stream(client, cp, shop):
    # [section 0.1 INF] DeleteDomain removes every resource below it
    create(client)
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop")
    assert client.list_event_streams(DomainName="shop")["Items"] == []
    create(client)  # and the domain may have one again


# -- ListEventStreams -------------------------------------------------------------------


def test_list_event_streams_answers_the_item_shape(client, cp, shop):
    # [MODEL] Items[{DomainName, EventStreamName, EventStreamArn, State, DestinationSummary
    # {Uri, Status}, Tags}], no Message in the summary
    create(client, Tags={"team": "crm"})
    cp.set_event_stream_state("shop", "changes", destination_status="UNHEALTHY", message="down")
    out = client.list_event_streams(DomainName="shop")
    assert "NextToken" not in out
    (item,) = out["Items"]
    since = item["DestinationSummary"].pop("UnhealthySince")
    assert isinstance(since, datetime.datetime)
    assert item == {
        "DomainName": "shop",
        "EventStreamName": "changes",
        "EventStreamArn": STREAM_ARN,
        "State": "RUNNING",
        "DestinationSummary": {"Uri": KINESIS, "Status": "UNHEALTHY"},
        "Tags": {"team": "crm"},
    }


def test_list_event_streams_of_a_domain_without_one_is_empty(client, shop):
    # [MODEL] Items; a domain holds at most one stream [OSS CFN-RP], so a list has 0 or 1
    out = client.list_event_streams(DomainName="shop", MaxResults=1)
    assert (out["Items"], "NextToken" in out) == ([], False)


def test_list_event_streams_paginator_walks_the_pages(client, shop):
    # [MODEL] ListEventStreams has a botocore paginator (section 0.4)
    create(client)
    paginator = client.get_paginator("list_event_streams")
    pages = paginator.paginate(DomainName="shop", PaginationConfig={"PageSize": 1})
    assert [i["EventStreamName"] for page in pages for i in page["Items"]] == ["changes"]


def test_list_event_streams_rejects_a_foreign_token(client, shop):
    # [section 0 / fidelity INF] tokens are bound to the query that issued them
    with pytest.raises(ClientError) as excinfo:
        client.list_event_streams(DomainName="shop", NextToken="bogus")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "The NextToken is invalid or has expired",
    )


# -- tags, snapshots, regions -----------------------------------------------------------


def test_tag_resource_reaches_an_event_stream_by_its_arn(client, cp, shop):
    # [DOC service-authorization reference] the stream's ARN is taggable
    create(client, Tags={"team": "crm"})
    client.tag_resource(resourceArn=STREAM_ARN, tags={"tier": "gold"})
    client.untag_resource(resourceArn=STREAM_ARN, tagKeys=["team"])
    assert client.list_tags_for_resource(resourceArn=STREAM_ARN)["tags"] == {"tier": "gold"}
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert got["Tags"] == {"tier": "gold"}
    assert cp.tags(STREAM_ARN) == {"tier": "gold"}


def test_tag_resource_of_a_deleted_event_stream_is_not_found(client, shop):
    # fidelity [INF]: an ARN naming no resource -> 404 Resource ARN does not exist
    create(client)
    client.delete_event_stream(DomainName="shop", EventStreamName="changes")
    with pytest.raises(ClientError) as excinfo:
        client.tag_resource(resourceArn=STREAM_ARN, tags={"tier": "gold"})
    assert error_of(excinfo)[:2] == ("ResourceNotFoundException", 404)


def test_restore_brings_back_the_event_stream_of_the_snapshot(client, cp, shop):
    # generic Domain parts: a snapshot keeps the stream and its health
    create(client)
    snapshot = cp.snapshot()
    cp.set_event_stream_state("shop", "changes", state="STOPPED")
    client.delete_event_stream(DomainName="shop", EventStreamName="changes")
    cp.restore(snapshot)
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert got["State"] == "RUNNING"
    assert "StoppedSince" not in got


def test_event_streams_are_kept_per_region(cp, shop):
    cp.create_domain("shop", region="eu-west-1")
    east = boto3.client("customer-profiles", region_name=REGION)
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    create(east)
    assert west.list_event_streams(DomainName="shop")["Items"] == []


def test_seed_creates_an_event_stream(client, cp, shop):
    out = cp.seed("CreateEventStream", DomainName="shop", EventStreamName="changes", Uri=KINESIS)
    assert out["EventStreamArn"] == STREAM_ARN
    assert cp.calls == []
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.seed("CreateEventStream", DomainName="shop", EventStreamName="again", Uri=KINESIS)
    assert str(excinfo.value) == f"seed('CreateEventStream'): {ALREADY}"


# -- cp.set_event_stream_state() --------------------------------------------------------


def test_set_event_stream_state_stops_it_and_marks_the_destination_unhealthy(client, cp, shop):
    # [INF] a handle may set STOPPED (+StoppedSince) or UNHEALTHY (+UnhealthySince, Message)
    create(client)
    answer = cp.set_event_stream_state(
        "shop", "changes", state="STOPPED", destination_status="UNHEALTHY", message="No stream"
    )
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    got.pop("ResponseMetadata")
    assert answer == got
    assert got["State"] == "STOPPED"
    assert got["StoppedSince"] >= got["CreatedAt"]
    details = got["DestinationDetails"]
    assert (details["Status"], details["Message"]) == ("UNHEALTHY", "No stream")
    assert details["UnhealthySince"] >= got["CreatedAt"]
    listed = client.list_event_streams(DomainName="shop")["Items"][0]
    assert listed["StoppedSince"] == got["StoppedSince"]
    assert "Message" not in listed["DestinationSummary"]


def test_set_event_stream_state_back_to_running_and_healthy_drops_the_since_fields(
    client, cp, shop
):
    # [INF] StoppedSince / UnhealthySince only while STOPPED / UNHEALTHY
    create(client)
    cp.set_event_stream_state("shop", "changes", state="STOPPED", destination_status="UNHEALTHY")
    stopped = cp.set_event_stream_state("shop", "changes", state="STOPPED")
    assert stopped["DestinationDetails"]["Status"] == "UNHEALTHY"  # None keeps it
    cp.set_event_stream_state("shop", "changes", state="RUNNING", destination_status="HEALTHY")
    got = client.get_event_stream(DomainName="shop", EventStreamName="changes")
    assert got["State"] == "RUNNING"
    assert "StoppedSince" not in got
    assert got["DestinationDetails"] == {"Uri": KINESIS, "Status": "HEALTHY"}


def test_set_event_stream_state_of_an_unknown_stream_says_how_to_create_it(cp, shop):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.set_event_stream_state("shop", "nope", state="STOPPED")
    assert str(excinfo.value) == (
        "set_event_stream_state(): domain 'shop' has no event stream 'nope'. Create it first "
        "with cp.seed('CreateEventStream', DomainName='shop', EventStreamName='nope', Uri=...)."
    )


def test_set_event_stream_state_rejects_an_unknown_state(client, cp, shop):
    create(client)
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.set_event_stream_state("shop", "changes", state="PAUSED")
    assert str(excinfo.value) == (
        "set_event_stream_state(): state must be one of RUNNING, STOPPED, got 'PAUSED'"
    )


def test_set_event_stream_state_through_a_servers_client(customer_profiles_server):
    # the control API answers it as the handle does, timestamps as datetimes
    server = customer_profiles_server
    server.create_domain("shop")
    uri = f"arn:aws:kinesis:{server.region}:{server.account_id}:stream/s"
    server.seed("CreateEventStream", DomainName="shop", EventStreamName="changes", Uri=uri)
    got = server.set_event_stream_state("shop", "changes", destination_status="UNHEALTHY")
    assert isinstance(got["DestinationDetails"]["UnhealthySince"], datetime.datetime)
    assert got["State"] == "RUNNING"
