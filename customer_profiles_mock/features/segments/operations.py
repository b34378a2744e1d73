"""The segment operations: definitions, membership, estimates and snapshots."""

from __future__ import annotations

import time
from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.features.segments import models
from customer_profiles_mock.features.segments.models import DEFINITIONS, SEGMENTS
from customer_profiles_mock.wire.codec import RawJSON
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.model import output_members
from customer_profiles_mock.wire.pagination import fingerprint, items_page

_NOT_FOUND = {"Message": models.NOT_FOUND_MESSAGE, "Status": models.NOT_FOUND_STATUS}


@operation("CreateSegmentDefinition")
def create_segment_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Stores the definition (immutable: AWS has no update) and answers its ARN,
    `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/segment-definitions/NAME` [DOC].
    Exactly one of `SegmentGroups` (a `CLASSIC` segment) or `SegmentSqlQuery` (`ENHANCED`)
    is required, else 400 `Exactly one of SegmentGroups or SegmentSqlQuery is required`
    [INFERRED]; SQL needs the domain's `DataStore` enabled [DOC], else 400. The groups are
    checked as they compile [INFERRED]: a source segment that does not exist is 404
    `Segment definition NAME does not exist`, the segment itself as a source is 400;
    `BETWEEN`/`NOT_BETWEEN` take 2 values, `BEFORE`/`AFTER` and the numeric comparisons
    other than `EQUAL` take 1 (400 `...: OP takes exactly N value(s), got M`); numeric and
    date operators take values that parse (400). A calculated-attribute dimension, a
    `{{_calculated_attribute.X}}` value or a `CALCULATED` sort reads the profile's value
    as GetCalculatedAttributeForProfile computes it; one not defined is 404 `Calculated
    attribute definition NAME does not exist` [INFERRED]. An existing name is 400 `Segment
    definition with name NAME already exists` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    name = params[models.NAME]
    members = models.check_definition(domain, name, params)
    definition = domain.part(DEFINITIONS).create(name, members, params.get("Tags") or {})
    return models.created(definition)


@operation("GetSegmentDefinition")
def get_segment_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The definition as created, with its `SegmentType` (`CLASSIC` for `SegmentGroups`,
    `ENHANCED` for `SegmentSqlQuery`) [MODEL]; an unknown name is 404 `Segment definition
    NAME does not exist` [INFERRED: the wording]."""
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(DEFINITIONS).get(params[models.NAME]))


@operation("DeleteSegmentDefinition")
def delete_segment_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes it with its snapshots and seeded SQL members, answering `Segment
    definition NAME was deleted.` [INFERRED: the text]. A definition another one names in
    its `SourceSegments` is 400 `Segment definition NAME is a source segment of segment
    definition OTHER`, and one with a segment subscription is 400 too [INFERRED]; an
    unknown name is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    name = params[models.NAME]
    table = domain.part(DEFINITIONS)
    table.get(name)
    models.check_unused(domain, name)
    table.delete(name)
    models.forget(domain, name)
    return {"Message": table.kind.deleted(name)}


@operation("ListSegmentDefinitions")
def list_segment_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each definition with its `SegmentType` [MODEL: the item shape], sorted by name;
    `MaxResults` (1-500, default 100 [INFERRED]) / `NextToken`; the botocore paginator
    walks it."""
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListSegmentDefinitions", params["DomainName"])
    page, token = domain.part(DEFINITIONS).page(params, query, models.LIST_PAGE)
    return items_page([models.listed(found) for found in page], token)


@operation("GetSegmentMembership")
def get_segment_membership(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Evaluates the segment for the profiles asked, and only those [DOC: segments are
    evaluated on demand]: each stored one is `PRESENT` (with its `Profile`) or `ABSENT`,
    in the order asked [INFERRED: the Profile for PRESENT only, the order]; an id the
    domain lacks goes to `Failures` with `Message` `Profile not found` and `Status` 404
    [INFERRED]. Every profile
    dimension and operator is evaluated (strings case-insensitively, dates by day, a
    missing field failing all but `EXCLUSIVE`, `{{_profile.PATH}}` values resolved per
    profile [INFERRED]); `Include`, `Type` and `SourceType` combine with ALL/ANY/NONE
    (defaults ALL, ALL, ANY [INFERRED]). A SQL segment's members are those a test seeded
    with `cp.seed_segment_members()` [INFERRED: the mock cannot run SQL].
    `LastComputedAt` is now [INFERRED]. An unknown segment is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    definition = domain.part(DEFINITIONS).get(params[models.NAME])
    found = models.membership(domain, definition, params["ProfileIds"])
    encoded = domain.part(PROFILES).encoded
    profiles = [
        RawJSON(f'{{"ProfileId":"{i}","QueryResult":"PRESENT","Profile":{encoded(i)}}}')
        if present
        else RawJSON(f'{{"ProfileId":"{i}","QueryResult":"ABSENT"}}')
        for i, present in found.found
    ]
    out: dict[str, Any] = {models.NAME: definition.name, "Profiles": profiles}
    if found.missing:
        out["Failures"] = [{"ProfileId": i, **_NOT_FOUND} for i in found.missing]
    if "LastComputedAt" in output_members("GetSegmentMembership"):  # not in every release
        out["LastComputedAt"] = time.time()
    return out


@operation("CreateSegmentEstimate")
def create_segment_estimate(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Starts an estimate of how many profiles a `SegmentQuery` (or a `SegmentSqlQuery`)
    holds and answers its `EstimateId` with `StatusCode` 202, the HTTP status [MODEL:
    bound to the status; INFERRED: 202]. Exactly one of the two is required (400
    [INFERRED]); the query is checked as a definition's groups are (400/404). The
    estimate is a job: `RUNNING`, then `SUCCEEDED` with `Estimate` the count as a string
    one job step later (at once by default; `job_seconds` and a `VirtualClock` show
    `RUNNING`). A SQL query counts the seeded members of the SQL segment with the same
    query, and is `FAILED` when there is none [INFERRED: the mock cannot run SQL]."""
    domain = ctx.region.domains.get(params["DomainName"])
    query, sql = params.get("SegmentQuery"), params.get("SegmentSqlQuery")
    if (query is None) == (sql is None):
        raise BadRequestException("Exactly one of SegmentQuery or SegmentSqlQuery is required")
    if query is not None:
        models.query_compiled(domain, query)
    estimate_id, record = models.new_estimate(query, sql)
    domain.part(SEGMENTS).estimates[estimate_id] = record
    ctx.schedule(domain, SEGMENTS, f"estimate/{estimate_id}")
    return {"DomainName": domain.name, "EstimateId": estimate_id, "StatusCode": 202}


@operation("GetSegmentEstimate")
def get_segment_estimate(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The estimate's `Status` (`RUNNING`, `SUCCEEDED` with `Estimate`, or `FAILED` with
    `Message`) and `StatusCode`, the HTTP status: 202 while `RUNNING`, 200 after
    [INFERRED]. An unknown id is 404 `Segment estimate ID does not exist` [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    estimate_id = params["EstimateId"]
    return models.estimate_shown(domain, estimate_id, models.estimate(domain, estimate_id))


@operation("CreateSegmentSnapshot")
def create_segment_snapshot(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Starts a snapshot (export) of the segment's members and answers its `SnapshotId`.
    `DestinationUri` is required (400 `DestinationUri must be provided if the request is
    not submitted from the Connect Customer Admin Website` [MODEL]) and must be
    `s3://BUCKET[/PREFIX]` (400 [INFERRED]). The snapshot is a job: `IN_PROGRESS`, then
    `COMPLETED` one job step later. Under moto's `mock_aws` the file is written to moto's
    S3 at `PREFIX/SNAPSHOT_ID.csv` or `.jsonl` (a CSV header of every field, `ProfileId`
    first; one profile a JSON line), in the definition's `SegmentSort` order; a bucket
    moto lacks makes it `FAILED` with that `StatusMessage`; ORC is not written
    [INFERRED]. An unknown segment is 404."""
    domain = ctx.region.domains.get(params["DomainName"])
    name = params[models.NAME]
    domain.part(DEFINITIONS).get(name)
    models.check_destination(params)
    snapshot_id, record = models.new_snapshot(name, params)
    domain.part(SEGMENTS).snapshots[snapshot_id] = record
    ctx.schedule(domain, SEGMENTS, f"snapshot/{snapshot_id}")
    return {"SnapshotId": snapshot_id}


@operation("GetSegmentSnapshot")
def get_segment_snapshot(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's `Status` (`IN_PROGRESS`, `COMPLETED`, or `FAILED` with
    `StatusMessage`) and what it was created with. An id unknown, or of another segment,
    is 404 `Segment snapshot ID does not exist` [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    snapshot_id = params["SnapshotId"]
    record = models.snapshot(domain, params[models.NAME], snapshot_id)
    return models.snapshot_shown(snapshot_id, record)
