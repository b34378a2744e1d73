"""Segment subscriptions (Put, Get, Delete, ListEvents) and the stream for segments."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.segment_streams import models
from customer_profiles_mock.features.segment_streams.models import SEGMENT_STREAMS
from customer_profiles_mock.features.segments.models import DEFINITIONS, NAME
from customer_profiles_mock.wire.pagination import fingerprint, paginate


@operation("PutSegmentSubscription")
def put_segment_subscription(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Creates or updates the segment's subscription [MODEL]. A new one is `STARTING`
    while its initial snapshot is taken [MODEL], then `RUNNING` one job step later with
    that snapshot as its baseline (no events) [INFERRED]; `ScheduleConfiguration`
    defaults to 24 `HOURLY` [MODEL]. Again on a subscription: the schedule is replaced,
    `StartedAt` kept, `LastUpdatedAt` moved [INFERRED]; on a `STOPPED` one it starts
    anew. The domain needs an associated stream (400 `Domain DOMAIN has no stream for
    segments: associate one with AssociateStreamForSegments first` [INFERRED]); an
    unknown segment is 404 `Segment definition NAME does not exist`."""
    domain = ctx.region.domains.get(params["DomainName"])
    part = domain.part(SEGMENT_STREAMS)
    name = params[NAME]
    record, starting = models.put(domain, part, name, params.get("ScheduleConfiguration"))
    if starting:
        ctx.schedule(domain, SEGMENT_STREAMS, name)
    return models.put_shown(record)


@operation("GetSegmentSubscription")
def get_segment_subscription(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The subscription's `Status` (`STARTING`, `RUNNING`, or `STOPPED` once the stream
    is disassociated, with a `Message`), `ScheduleConfiguration`, and
    `ScheduledExecutions`: `LastExecutedAt` the last snapshot (the initial one, or one
    `cp.run_segment_subscriptions()` ran), `NextExecutedAt` that plus the interval
    [INFERRED]. None is 404 `Segment subscription for segment NAME does not exist`
    [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(models.subscription(domain.part(SEGMENT_STREAMS), params[NAME]))


@operation("DeleteSegmentSubscription")
def delete_segment_subscription(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the subscription with its events [MODEL: "All active event notifications
    for this segment are stopped"] and answers `Segment subscription for segment NAME was
    deleted.` [INFERRED: the text]; none is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    part = domain.part(SEGMENT_STREAMS)
    name = params[NAME]
    models.subscription(part, name)
    part.forget(name)
    return {"Message": f"Segment subscription for segment {name} was deleted."}


@operation("ListSegmentSubscriptionEvents")
def list_segment_subscription_events(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The most recent membership events [MODEL], newest first, the last 1,000 kept
    [INFERRED]: `JOINED`/`LEFT` with `EventType` `LIVE` when a profile write or an
    ingestion moved a profile into or out of a CLASSIC segment (the profile
    re-evaluated at once [MODEL: near real-time]), `SCHEDULE` when a scheduled snapshot
    (`cp.run_segment_subscriptions()`) found it moved [INFERRED: the diff with the last
    snapshot]. `MaxResults` (default 100 [INFERRED]) / `NextToken`; the botocore
    paginator walks it. An unknown segment or subscription is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    name = params[NAME]
    domain.part(DEFINITIONS).get(name)
    record = models.subscription(domain.part(SEGMENT_STREAMS), name)
    query = fingerprint("ListSegmentSubscriptionEvents", domain.name, name)
    page, token = paginate(record["Events"], params, query, models.LIST_PAGE)
    out: dict[str, Any] = {"Events": list(page)}
    if token is not None:
        out["NextToken"] = token
    return out


@operation("AssociateStreamForSegments")
def associate_stream_for_segments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Associates the Kinesis data stream segment membership events go to and answers
    `{}` [MODEL]; it is `RUNNING` at once [INFERRED]. "A domain can have only one
    associated stream at a time" [MODEL]: a second is 400 with that text; after a
    disassociation a new one replaces the old [INFERRED]. `DestinationArn` must be a
    Kinesis data stream ARN (400 [INFERRED]). No record is sent to it."""
    domain = ctx.region.domains.get(params["DomainName"])
    models.associate(domain.part(SEGMENT_STREAMS), params)
    return {}


@operation("GetStreamForSegments")
def get_stream_for_segments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The stream, its `State` (`RUNNING`, or `STOPPED` with `DisassociatedAt` after a
    disassociation), `AssociatedAt`, and `AssociatedSegments`: each subscription's
    segment and `Status` [MODEL]. A domain that never had one is 404 `Domain DOMAIN has
    no stream for segments` [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    return models.stream_shown(domain.part(SEGMENT_STREAMS), domain.name)


@operation("DisassociateStreamForSegments")
def disassociate_stream_for_segments(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The stream becomes `STOPPED` with `DisassociatedAt`, and every subscription
    `STOPPED` ("eventually stopped" [MODEL]; at once [INFERRED]); answers `Stream
    disassociated from domain DOMAIN.` [INFERRED: the text]. None associated is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    models.disassociate(domain.part(SEGMENT_STREAMS), domain.name)
    return {"Message": f"Stream disassociated from domain {domain.name}."}
