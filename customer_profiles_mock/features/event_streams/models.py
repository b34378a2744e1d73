"""Event streams in the generic resource table, their rules, and how the operations show one.

A stream is a ``Resource`` (``domain.part(STREAMS)``) whose members are its destination
and health: ``Uri`` (the Kinesis data stream), ``State`` (RUNNING or STOPPED) with
``StoppedSince``, and the destination's ``Status`` (HEALTHY or UNHEALTHY) with
``UnhealthySince`` and ``Message``. Snapshots, tags (``.../domains/D/event-streams/N``),
paging and the not-found error come with the table.

Change records are published (``publication``) to ``destination(domain)``: the stream a
domain's change records go to (its ``Uri``, the Kinesis ARN), or None when the domain has
none or it is STOPPED.
"""

from __future__ import annotations

import re
import time
from typing import Any

from customer_profiles_mock.store.domain import Domain, later
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table
from customer_profiles_mock.wire.arns import partition
from customer_profiles_mock.wire.errors import BadRequestException

# Every domain's event streams: ``domain.part(STREAMS)``. ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/event-streams/NAME`` [DOC service
# authorization reference]; TagResource reaches it.
STREAMS = resource_table("event_streams", ResourceKind("Event stream", "event-streams"))
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100

STATES = ("RUNNING", "STOPPED")
STATUSES = ("HEALTHY", "UNHEALTHY")

# A Kinesis data stream's ARN [MODEL Uri: "arn:aws:kinesis:region:account-id:stream/
# stream-name"]; a stream name is 1-128 of [a-zA-Z0-9_.-] (Kinesis's StreamName).
KINESIS_STREAM = re.compile(
    r"arn:(?P<partition>[a-z-]+):kinesis:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12})"
    r":stream/[a-zA-Z0-9_.-]{1,128}"
)


def already_active(domain: str) -> str:
    """AWS's text for a second stream in a domain [OSS CFN-RP eventstream CreateHandler]."""
    return (
        f"The Customer Profiles Domain: {domain} is already associated with an active EventStream"
    )


def check_one_per_domain(domain: Domain) -> None:
    """A domain has at most one event stream: a second one, or the same name again, is a
    400 [OSS CFN-RP; the same name: INFERRED]. A STOPPED stream still counts until it is
    deleted [INFERRED]."""
    if len(domain.part(STREAMS)):
        raise BadRequestException(already_active(domain.name))


def check_uri(uri: str, region: str, account_id: str) -> None:
    """``uri`` must be a Kinesis data stream ARN in the domain's partition, Region and
    account [MODEL]; anything else is a 400 [INFERRED: the status and the wording]. The
    stream itself is not looked up (the mock knows no Kinesis) [INFERRED]."""
    expected = f"arn:{partition(region)}:kinesis:{region}:{account_id}:stream/NAME"
    found = KINESIS_STREAM.fullmatch(uri)
    if found is None:
        raise BadRequestException(f"Uri {uri} is not a Kinesis data stream ARN ({expected})")
    if (found["partition"], found["region"], found["account"]) != (
        partition(region),
        region,
        account_id,
    ):
        raise BadRequestException(
            f"Uri {uri} is not in the domain's Region and account: the Kinesis data stream "
            f"must be {expected}"
        )


def new_members(uri: str) -> dict[str, Any]:
    """A new stream: RUNNING, its destination HEALTHY [INFERRED: AWS starts it at once]."""
    return {"Uri": uri, "State": "RUNNING", "Status": "HEALTHY"}


def destination(domain: Domain) -> Resource | None:
    """The stream ``domain``'s change records go to (``members["Uri"]``), None when it
    has none or the stream is STOPPED. An UNHEALTHY destination is still returned: what
    a record sent there becomes is the publisher's decision."""
    for stream in domain.part(STREAMS):
        if stream.members["State"] == "RUNNING":
            return stream
    return None


def set_state(
    stream: Resource, state: str | None, destination_status: str | None, message: str | None
) -> None:
    """Move a stream to ``state`` and its destination to ``destination_status`` (None
    keeps each); ``StoppedSince`` and ``UnhealthySince`` are set when it becomes STOPPED
    or UNHEALTHY and dropped when it leaves that; ``message`` becomes the destination's
    ``Message`` (None drops it) [INFERRED: the seeding side of AWS's health fields]."""
    members = dict(stream.members)
    now = time.time()
    if state is not None:
        if state == "STOPPED" and members["State"] != "STOPPED":
            members["StoppedSince"] = now
        elif state == "RUNNING":
            members.pop("StoppedSince", None)
        members["State"] = state
    if destination_status is not None:
        if destination_status == "UNHEALTHY" and members["Status"] != "UNHEALTHY":
            members["UnhealthySince"] = now
        elif destination_status == "HEALTHY":
            members.pop("UnhealthySince", None)
        members["Status"] = destination_status
    members.pop("Message", None)
    if message is not None:
        members["Message"] = message
    stream.members = members
    stream.updated_at = later(stream.updated_at)


def _tagged(out: dict[str, Any], stream: Resource) -> dict[str, Any]:
    if stream.tags:
        out["Tags"] = dict(stream.tags)
    return out


def created(stream: Resource) -> dict[str, Any]:
    """CreateEventStream's answer [MODEL]."""
    return _tagged({"EventStreamArn": stream.arn}, stream)


def _stopped(out: dict[str, Any], members: dict[str, Any]) -> dict[str, Any]:
    if "StoppedSince" in members:
        out["StoppedSince"] = members["StoppedSince"]
    return out


def shown(stream: Resource, domain: str) -> dict[str, Any]:
    """GetEventStream's answer [MODEL: the shape]."""
    members = stream.members
    details = {
        name: members[name]
        for name in ("Uri", "Status", "UnhealthySince", "Message")
        if name in members
    }
    out = {
        "DomainName": domain,
        "EventStreamArn": stream.arn,
        "CreatedAt": stream.created_at,
        "State": members["State"],
    }
    out = _stopped(out, members)
    out["DestinationDetails"] = details
    return _tagged(out, stream)


def listed(stream: Resource, domain: str) -> dict[str, Any]:
    """A stream as ListEventStreams lists it: a ``DestinationSummary`` without the
    ``Message`` [MODEL: the item shape]."""
    members = stream.members
    summary = {
        name: members[name] for name in ("Uri", "Status", "UnhealthySince") if name in members
    }
    out = {
        "DomainName": domain,
        "EventStreamName": stream.name,
        "EventStreamArn": stream.arn,
        "State": members["State"],
    }
    out = _stopped(out, members)
    out["DestinationSummary"] = summary
    return _tagged(out, stream)
