"""The profile history operations: ListProfileHistoryRecords and GetProfileHistoryRecord."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.profile_history import models
from customer_profiles_mock.features.profile_history.models import HISTORY
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.wire.pagination import fingerprint, paginate


@operation("ListProfileHistoryRecords")
def list_profile_history_records(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One record for each change the mock made to the profile [MODEL ActionType],
    newest first [INFERRED]: `CREATED` (CreateProfile), `UPDATED` (UpdateProfile),
    `INGESTED` (PutProfileObject, BatchPutProfileObject: `ObjectTypeName` is the object's
    type and `ProfileObjectUniqueKey` its key), `ADDED_PROFILE_KEY`,
    `DELETED_PROFILE_KEY`, `MERGED` (the main profile of MergeProfiles),
    `DELETED_BY_MERGE` (each profile merged into it) and `DELETED_BY_CUSTOMER`
    (DeleteProfile); `ObjectTypeName` is `_profile` for a change to the profile itself
    [INFERRED]. The mock expires nothing, so no record is `EXPIRED`; profiles seeded with
    `cp.create_profile(s)` have no record (`cp.seed("CreateProfile", ...)` makes one).
    `PerformedBy` is the account's root, `arn:aws:iam::ACCOUNT:root`, unless a test set
    another with `cp.set_history_performer()` [INFERRED: AWS records the caller's ARN].
    The filters `ObjectTypeName`, `ActionType` and `PerformedBy` match exactly [MODEL];
    `MaxResults` (default 100 [INFERRED]) / `NextToken`. Records outlive their profile, so
    a deleted profile's are listed [INFERRED]; a `ProfileId` that is no profile and has
    no record is 404 `Profile PROFILE_ID does not exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    profile_id = params["ProfileId"]
    records = domain.part(HISTORY).of_profile(profile_id)
    if records is None:
        domain.part(PROFILES).require(profile_id)  # a profile with no record yet: none
        records = []
    found = [record for record in records if models.matches(record, params)]
    query = fingerprint(
        "ListProfileHistoryRecords",
        domain.name,
        profile_id,
        params.get("ObjectTypeName"),
        params.get("ActionType"),
        params.get("PerformedBy"),
    )
    page, token = paginate(found, params, query, models.HISTORY_PAGE)
    out: dict[str, Any] = {"ProfileHistoryRecords": [models.listed(r) for r in page]}
    if token:
        out["NextToken"] = token
    return out


@operation("GetProfileHistoryRecord")
def get_profile_history_record(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The record as listed, with its `Content` [MODEL]: the profile after the change
    (before it, for `DELETED_BY_CUSTOMER` and `DELETED_BY_MERGE`), the object as
    ingested, or `{"KeyName", "Values"}` for a key, as compact JSON text [INFERRED]. The
    record outlives its profile [INFERRED]. An unknown `Id`, or one of another profile,
    is 404 `Profile history record ID does not exist for profile PROFILE_ID` [INFERRED:
    the status and the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    record = domain.part(HISTORY).get(params["ProfileId"], params["Id"])
    return models.shown(record)
