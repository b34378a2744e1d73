"""The event stream operations: Create, Get, Delete and ListEventStreams.

A RUNNING stream publishes every change of its domain (``publication``, imported here so
that its part is registered with the area).
"""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.event_streams import (
    models,
    publication,  # noqa: F401
)
from customer_profiles_mock.features.event_streams.models import STREAMS
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("CreateEventStream")
def create_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers the stream's `EventStreamArn`,
    `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/event-streams/NAME` [DOC service
    authorization reference], and its `Tags`; the stream starts `RUNNING` with a `HEALTHY`
    destination [INFERRED]. A domain has one event stream: a second one is 400 `The
    Customer Profiles Domain: DOMAIN is already associated with an active EventStream`
    [OSS: AWS's CloudFormation handler], and so is the same name again [INFERRED], or a
    stream that was set `STOPPED` and not deleted [INFERRED]. `Uri` must be a Kinesis data
    stream ARN in the domain's Region and account [MODEL]; anything else is 400 `Uri URI
    is not a Kinesis data stream ARN (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)` or `Uri
    URI is not in the domain's Region and account: ...` [INFERRED: the status and the
    wording]; the stream itself is not looked up [INFERRED].

    While `RUNNING`, the stream publishes one record for every change the mock makes to
    a profile, in the shape of AWS's real-time export [DOC]: `SchemaVersion` 0, `EventId`
    (a UUID), `EventTimestamp` (ISO 8601, `2023-10-19T13:26:22.976Z`), `EventType`,
    `DomainName`, `ObjectTypeName`, `Object`, `IsMessageRealTime` true. A change to the
    profile itself (`ObjectTypeName` `_profile`) carries the profile: `CREATED`
    (CreateProfile), `UPDATED` (UpdateProfile, AddProfileKey, DeleteProfileKey [INFERRED
    for the keys]), `MERGED` (the main profile, with `MergeId` and the merged profiles as
    `DuplicateProfiles` [OSS]) and `DELETED` (DeleteProfile, and each profile merged away,
    as it was [INFERRED]). An ingested object's record has its type, `AssociatedProfileId`,
    `ProfileObjectUniqueKey` and the object, `CREATED` for a new object and `UPDATED` for
    one that replaced it [INFERRED]. `cp.stream_records(domain)` returns what was
    published. Under moto's `mock_aws` (or moto server) each record is also put into the
    Kinesis data stream of `Uri` in moto, with the profile's id as partition key
    [INFERRED]; if that stream does not exist, the destination becomes `UNHEALTHY` with
    Kinesis's error as `Message` (the records are still published to the handle) and
    stays so until a test sets it otherwise [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_uri(params["Uri"], ctx.region.name, ctx.region.account_id)
    models.check_one_per_domain(domain)
    stream = domain.part(STREAMS).create(
        params["EventStreamName"], models.new_members(params["Uri"]), params.get("Tags") or {}
    )
    return models.created(stream)


@operation("GetEventStream")
def get_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """`State` `RUNNING` and `DestinationDetails` `{Uri, Status: HEALTHY}` unless a test
    set them otherwise with `cp.set_event_stream_state()` (then `StoppedSince`,
    `UnhealthySince` and `Message` as set) [INFERRED]; `CreatedAt` is when it was created.
    An unknown name is 404 `Event stream NAME does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    stream = domain.part(STREAMS).get(params["EventStreamName"])
    return models.shown(stream, domain.name)


@operation("DeleteEventStream")
def delete_event_stream(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the stream and answers `{}` [MODEL]; the domain may then have another. An
    unknown name is 404 `Event stream NAME does not exist` [INFERRED: the wording]."""
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(STREAMS).delete(params["EventStreamName"])
    return {}


@operation("ListEventStreams")
def list_event_streams(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each stream with its `DestinationSummary` (no `Message`) [MODEL: the item shape],
    sorted by name; `MaxResults` (default 100 [INFERRED]) / `NextToken`; the botocore
    paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListEventStreams", params["DomainName"])
    page, token = domain.part(STREAMS).page(params, query, models.LIST_PAGE)
    return items_page([models.listed(stream, domain.name) for stream in page], token)
