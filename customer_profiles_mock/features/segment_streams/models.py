"""The stream for segments and segment subscriptions: their state, membership events, and answers.

One part per domain (``domain.part(SEGMENT_STREAMS)``) holds the domain's stream (at most
one associated at a time [MODEL]) and its subscriptions by segment name. A subscription
starts STARTING (the initial snapshot, one job step on the shared schedule) and is then
RUNNING with its baseline membership; from then on it records membership events, newest
first: LIVE ones from the change feed (a CLASSIC segment re-evaluated for the changed
profile), SCHEDULE ones from a scheduled snapshot, which the handle runs
(``cp.run_segment_subscriptions``) as the mock has no hourly scheduler.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.features.segments import models as segments
from customer_profiles_mock.features.segments.evaluate import Compiled
from customer_profiles_mock.store.domain import Change, Domain, DomainPart, register_part
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

# [MODEL] "The interval can be from 1 to 24 hours. If not set, the interval defaults to
# 24 hours."
DEFAULT_SCHEDULE = {"Interval": 24, "Unit": "HOURLY"}
# [INFERRED] "the most recent membership events" [MODEL]: the last this many.
MAX_EVENTS = 1000
LIST_PAGE = 100
KINESIS_STREAM = re.compile(r"arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]+")
GONE = frozenset({"DELETED_BY_CUSTOMER", "DELETED_BY_MERGE"})


class SegmentStreams(DomainPart):
    """A domain's stream for segments (None: never associated) and its subscriptions
    (segment name -> record, replaced whole on change)."""

    __slots__ = ("stream", "subscriptions")

    def __init__(
        self,
        stream: dict[str, Any] | None = None,
        subscriptions: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.stream = stream
        self.subscriptions = dict(subscriptions or {})

    def freeze(self) -> object:
        return (self.stream, dict(self.subscriptions))

    def compiled(self, domain: Domain, name: str) -> Compiled:
        return segments.compiled(domain, domain.part(segments.DEFINITIONS).get(name))

    def forget(self, name: str) -> None:
        """Drop subscription ``name`` (its segment may be deleted and made anew)."""
        self.subscriptions.pop(name, None)

    def on_due(self, domain: Domain, key: str) -> bool:
        record = self.subscriptions.get(key)
        if record is not None and record["Status"] == "STARTING":
            self.subscriptions[key] = started(domain, self, key, record)
        return False

    def on_change(self, domain: Domain, change: Change) -> bool:
        """LIVE events of the CLASSIC subscriptions the profile joined or left (True:
        there were some)."""
        changed = False
        for name, record in list(self.subscriptions.items()):
            if record["Status"] != "RUNNING" or record["Type"] != "CLASSIC":
                continue
            profile = None
            if change.action not in GONE:
                profile = domain.part(PROFILES).get(change.profile_id)
            now_in = profile is not None and self.compiled(domain, name).test(profile)
            was_in = change.profile_id in record["Members"]
            if now_in != was_in:
                self.subscriptions[name] = with_events(
                    record, [(change.profile_id, now_in)], "LIVE", change.at
                )
                changed = True
        return changed


SEGMENT_STREAMS = register_part(
    "segment_streams",
    lambda domain: SegmentStreams(),
    lambda domain, frozen: SegmentStreams(*frozen),
)


def _subscribed(domain: Domain, name: str) -> str | None:
    if name in domain.part(SEGMENT_STREAMS).subscriptions:
        return f"Segment definition {name} has a segment subscription: delete it first"
    return None


segments.register_user(_subscribed)


# -- the stream ---------------------------------------------------------------------------


def no_stream(domain: str) -> str:
    """[INFERRED] wording."""
    return f"Domain {domain} has no stream for segments"


def associate(part: SegmentStreams, params: Mapping[str, Any]) -> None:
    """Associate the Kinesis data stream [MODEL: "A domain can have only one associated
    stream at a time"]: a second one while one is associated is a 400, one after a
    disassociation replaces it [INFERRED]. ``DestinationArn`` must be a Kinesis data
    stream ARN [INFERRED: the check]."""
    arn = params["DestinationArn"]
    if not KINESIS_STREAM.fullmatch(arn):
        raise BadRequestException(
            f"DestinationArn {arn} is not a Kinesis data stream ARN "
            "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)"
        )
    if part.stream is not None and part.stream["State"] != "STOPPED":
        raise BadRequestException("A domain can have only one associated stream at a time")
    part.stream = {
        "DestinationArn": arn,
        "DestinationRoleArn": params["DestinationRoleArn"],
        "State": "RUNNING",
        "AssociatedAt": time.time(),
    }


def active_stream(part: SegmentStreams, domain: str) -> dict[str, Any]:
    if part.stream is None or part.stream["State"] == "STOPPED":
        raise ResourceNotFoundException(no_stream(domain))
    return part.stream


def disassociate(part: SegmentStreams, domain: str) -> None:
    """STOPPED, with ``DisassociatedAt``; "All active segment subscriptions delivering
    events to this stream are eventually stopped" [MODEL] (at once here [INFERRED])."""
    stream = active_stream(part, domain)
    now = time.time()
    part.stream = {**stream, "State": "STOPPED", "DisassociatedAt": now}
    for name, record in part.subscriptions.items():
        part.subscriptions[name] = {
            **record,
            "Status": "STOPPED",
            "Message": "The stream for segments was disassociated",
            "LastUpdatedAt": now,
        }


def stream_shown(part: SegmentStreams, domain: str) -> dict[str, Any]:
    """GetStreamForSegments's answer [MODEL]; a domain never associated is a 404
    [INFERRED]."""
    if part.stream is None:
        raise ResourceNotFoundException(no_stream(domain))
    out = {"DomainName": domain, **part.stream}
    associated = []
    for name, record in part.subscriptions.items():
        item = {"SegmentName": name, "Status": record["Status"]}
        if "Message" in record:
            item["Message"] = record["Message"]
        associated.append(item)
    out["AssociatedSegments"] = associated
    return out


# -- subscriptions ------------------------------------------------------------------------


def put(
    domain: Domain, part: SegmentStreams, name: str, schedule: Mapping[str, Any] | None
) -> tuple[dict[str, Any], bool]:
    """Create (STARTING) or update a subscription; True when it (re)starts and its
    initial snapshot is to be scheduled."""
    definition = domain.part(segments.DEFINITIONS).get(name)
    if part.stream is None or part.stream["State"] == "STOPPED":
        raise BadRequestException(
            f"{no_stream(domain.name)}: associate one with AssociateStreamForSegments first"
        )
    now = time.time()
    record = part.subscriptions.get(name)
    if record is not None and record["Status"] != "STOPPED":
        changed = dict(record, LastUpdatedAt=now)
        if schedule is not None:
            changed["ScheduleConfiguration"] = {**DEFAULT_SCHEDULE, **schedule}
        part.subscriptions[name] = changed
        return changed, False
    fresh = {
        "Status": "STARTING",
        "Type": definition.members["SegmentType"],
        "ScheduleConfiguration": {**DEFAULT_SCHEDULE, **(schedule or {})},
        "StartedAt": now,
        "LastUpdatedAt": now,
        "Members": frozenset(),
        "Events": record["Events"] if record is not None else (),
    }
    part.subscriptions[name] = fresh
    return fresh, True


def started(
    domain: Domain, part: SegmentStreams, name: str, record: dict[str, Any]
) -> dict[str, Any]:
    """The initial snapshot taken: RUNNING, its members the baseline (no events)."""
    members = current_members(domain, part, name)
    return {**record, "Status": "RUNNING", "Members": members, "LastExecutedAt": time.time()}


def current_members(domain: Domain, part: SegmentStreams, name: str) -> frozenset[str]:
    test = part.compiled(domain, name).test
    return frozenset(p["ProfileId"] for p in domain.part(PROFILES).unordered() if test(p))


def with_events(
    record: dict[str, Any], moves: Iterable[tuple[str, bool]], kind: str, at: float
) -> dict[str, Any]:
    """``record`` with one JOINED (True) or LEFT (False) event per move, newest first,
    the most recent ``MAX_EVENTS`` kept, and its members moved."""
    members = set(record["Members"])
    new = []
    for profile_id, joined in moves:
        (members.add if joined else members.discard)(profile_id)
        new.append(
            {
                "ProfileId": profile_id,
                "UpdatedAt": at,
                "EventType": kind,
                "Event": "JOINED" if joined else "LEFT",
            }
        )
    events = (tuple(reversed(new)) + record["Events"])[:MAX_EVENTS]
    return {**record, "Members": frozenset(members), "Events": events}


def run_scheduled(domain: Domain, part: SegmentStreams, name: str) -> int:
    """A scheduled snapshot of a RUNNING subscription now: the membership diffed with the
    last one, each difference a SCHEDULE event [MODEL: SubscriptionEventType]. Returns
    how many events it recorded."""
    record = part.subscriptions[name]
    if record["Status"] != "RUNNING":
        return 0
    now = time.time()
    members = current_members(domain, part, name)
    before = record["Members"]
    moves = [(i, True) for i in sorted(members - before)]
    moves += [(i, False) for i in sorted(before - members)]
    part.subscriptions[name] = {
        **with_events(record, moves, "SCHEDULE", now),
        "LastExecutedAt": now,
    }
    return len(moves)


def subscription(part: SegmentStreams, name: str) -> dict[str, Any]:
    found = part.subscriptions.get(name)
    if found is None:
        raise ResourceNotFoundException(f"Segment subscription for segment {name} does not exist")
    return found


def put_shown(record: Mapping[str, Any]) -> dict[str, Any]:
    """PutSegmentSubscription's answer [MODEL]."""
    return {
        "Status": record["Status"],
        "ScheduleConfiguration": record["ScheduleConfiguration"],
        "StartedAt": record["StartedAt"],
    }


def shown(record: Mapping[str, Any]) -> dict[str, Any]:
    """GetSegmentSubscription's answer [MODEL]: the next execution is the last one plus
    the interval [INFERRED]."""
    out: dict[str, Any] = {"Status": record["Status"]}
    if "Message" in record:
        out["Message"] = record["Message"]
    out["ScheduleConfiguration"] = record["ScheduleConfiguration"]
    if "LastExecutedAt" in record:
        last = record["LastExecutedAt"]
        executions = {"LastExecutedAt": last}
        if record["Status"] == "RUNNING":
            hours = record["ScheduleConfiguration"]["Interval"]
            executions["NextExecutedAt"] = last + hours * 3600
        out["ScheduledExecutions"] = executions
    out["StartedAt"] = record["StartedAt"]
    out["LastUpdatedAt"] = record["LastUpdatedAt"]
    return out
