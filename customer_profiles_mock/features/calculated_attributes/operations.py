"""The calculated attribute operations: definitions, and values computed per profile."""

from __future__ import annotations

import time
from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.calculated_attributes import models
from customer_profiles_mock.features.calculated_attributes.models import TABLE
from customer_profiles_mock.features.calculated_attributes.values import value_of
from customer_profiles_mock.features.profiles.models import (
    NOT_FOUND_CODE,
    NOT_FOUND_MESSAGE,
    PROFILES,
)
from customer_profiles_mock.store.resource import due_key
from customer_profiles_mock.wire.model import output_shape
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("CreateCalculatedAttributeDefinition")
def create_calculated_attribute_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Stores the definition and answers it with `CreatedAt`, `LastUpdatedAt` and `Tags`.
    An existing name is 400 `Calculated attribute definition with name NAME already
    exists` [OSS: AWS's CloudFormation handler].

    The `Expression` names `{ObjectTypeName.AttributeName}` of one object type, alone or
    combined with `+ - * /`, numbers and parentheses [DOC]; `Attributes` are exactly the
    attributes it names, at most 2 [DOC, OSS]. The type must exist in the domain [DOC]
    (else 400 `Object type NAME does not exist in domain DOMAIN` [INFERRED: 400 and the
    wording]); a standard object (`_order`, `_asset`, `_case`) is read through the fields
    of the types that target it, and a standard object type the mock does not know
    (`_airSegment`) is accepted unchecked [INFERRED]. Each attribute is a field of the
    type, or a dotted path under a field's `_source` path (`Seat.Price`) [OSS: AWS's
    sample; INFERRED: the check]. `Range.Value` 1-366 with its `Unit`, `ValueRange` days
    within -366..366 with `Start` further back than `End`, `ObjectCount` at most 300 [OSS:
    CloudFormation schemas; INFERRED: the loosest limits], `TimestampSource` a field of the
    type, `TimestampFormat` `EPOCHMILLI` or `ISO_8601` [MODEL]; filter attributes are
    fields of the type (`field` or `{Type.field}`), and their values numbers, ISO 8601
    dates, or two of either for `BETWEEN` [INFERRED]. Every refusal is a 400 [INFERRED:
    the wording].

    With `UseHistoricalData` the definition answers `Status` `PREPARING` (`Readiness`
    0%), then goes `IN_PROGRESS` (50%) and `COMPLETED` (100%) one job step each [MODEL:
    the states; INFERRED: the steps and percentages]: with the default `job_seconds` 0 the
    first read after the create sees it `COMPLETED`; with `job_seconds` and a
    `VirtualClock` a test watches each state, and `cp.settle()` finishes it. Until it is
    `COMPLETED`, and always without `UseHistoricalData` (then no `Status` [INFERRED]), only
    objects put after its creation count [MODEL].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_new(domain, params)
    found = domain.part(TABLE).create(
        params[models.NAME], models.given(params), params.get("Tags") or {}
    )
    if "Status" in found.members:
        ctx.schedule(domain, TABLE, due_key(found))
    return models.shown(found, "CreateCalculatedAttributeDefinition")


@operation("GetCalculatedAttributeDefinition")
def get_calculated_attribute_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The definition as stored, with `Filter`, `Status` and `Readiness`; an unknown name
    is 404 `Calculated attribute definition NAME does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    found = domain.part(TABLE).get(params[models.NAME])
    return models.shown(found, "GetCalculatedAttributeDefinition")


@operation("UpdateCalculatedAttributeDefinition")
def update_calculated_attribute_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Changes `DisplayName`, `Description` and `Conditions`, the only members it takes
    [MODEL]; `Conditions` are replaced whole and checked as on create, omitted members kept
    [INFERRED]; objects put before the definition was created still do not count unless
    it uses historical data ("increasing the date range ... will not trigger inclusion of
    historical data" [MODEL]). `LastUpdatedAt` moves; an unknown name is 404.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    table = domain.part(TABLE)
    changes = models.changes(domain, table.get(params[models.NAME]), params)
    found = table.update(params[models.NAME], changes)
    return models.shown(found, "UpdateCalculatedAttributeDefinition")


@operation("DeleteCalculatedAttributeDefinition")
def delete_calculated_attribute_definition(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes it, and its values for every profile with it; answers `{}` [MODEL]. An
    unknown name is 404. Deleting the object type a definition reads deletes the
    definition too [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(TABLE).delete(params[models.NAME])
    return {}


@operation("ListCalculatedAttributeDefinitions")
def list_calculated_attribute_definitions(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each definition's name, `DisplayName`, `Description`, times, `UseHistoricalData`,
    `Status` and `Tags` [MODEL: the item shape], sorted by name; `MaxResults` (default 100
    [INFERRED]) / `NextToken`."""
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListCalculatedAttributeDefinitions", params["DomainName"])
    page, token = domain.part(TABLE).page(params, query, models.LIST_PAGE)
    item = output_shape("ListCalculatedAttributeDefinitions").members["Items"].member
    listed = [models.shown(found, "ListCalculatedAttributeDefinitions", item) for found in page]
    return items_page(listed, token)


@operation("GetCalculatedAttributeForProfile")
def get_calculated_attribute_for_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The profile's value, computed from its objects when read: see
    [Fidelity](../fidelity.md#calculated-attributes) for each `Statistic`, the `Range`
    window (positive days are the past, `ValueRange`, `TimestampSource` /
    `TimestampFormat`), `ObjectCount`, `Threshold` (`"true"` / `"false"`) and `Filter`.
    Numbers are written as AWS writes them (`"24144"`, no `.0`) [DOC]. `IsDataPartial` is
    `"true"` while the window reaches back before the definition's creation, unless it uses
    historical data or `ObjectCount` objects are in [DOC: "only after 30 days have
    elapsed"; INFERRED: the rest]. `LastObjectTimestamp` is the newest counted object's
    time [MODEL]. No object counted: no `Value` (`COUNT` answers `"0"`) [INFERRED]. An
    unknown definition or profile is 404 [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    definition = domain.part(TABLE).get(params[models.NAME])
    domain.part(PROFILES).require(params["ProfileId"])
    return value_of(domain, definition, params["ProfileId"], time.time())


@operation("ListCalculatedAttributesForProfile")
def list_calculated_attributes_for_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The profile's value of every definition of the domain, sorted by name, as
    GetCalculatedAttributeForProfile computes each; `MaxResults` (default 100 [INFERRED])
    / `NextToken`. An unknown profile is 404 [INFERRED]."""
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(PROFILES).require(params["ProfileId"])
    query = fingerprint("ListCalculatedAttributesForProfile", domain.name, params["ProfileId"])
    page, token = domain.part(TABLE).page(params, query, models.LIST_PAGE)
    now = time.time()
    return items_page([value_of(domain, d, params["ProfileId"], now) for d in page], token)


@operation("BatchGetCalculatedAttributeForProfile")
def batch_get_calculated_attribute_for_profile(
    ctx: Context, params: dict[str, Any]
) -> dict[str, Any]:
    """Each profile's value as GetCalculatedAttributeForProfile computes it, with its
    `ProfileId`, in request order, each id once; an unknown id goes into `Errors` as
    `{"Code": "404", "Message": "Profile not found"}` [INFERRED: as BatchGetProfile];
    `fail_items` faults fail single ids. `ConditionOverrides.Range` (`Start` 1-366 days
    back, `End` 0-366, `Start` further back) replaces the definition's window for this call
    only and is echoed [MODEL; INFERRED: the limits]. An unknown definition is 404
    [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    definition = domain.part(TABLE).get(params[models.NAME])
    overrides = params.get("ConditionOverrides")
    window = (overrides or {}).get("Range")
    if window is not None:
        models.check_window(window["Start"], window.get("End") or 0, "ConditionOverrides.Range", 0)
    profiles = domain.part(PROFILES)
    now = time.time()
    found: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    for profile_id in dict.fromkeys(params["ProfileIds"]):
        if profile_id not in profiles:
            errors.append(
                {"Code": NOT_FOUND_CODE, "Message": NOT_FOUND_MESSAGE, "ProfileId": profile_id}
            )
            continue
        value = value_of(domain, definition, profile_id, now, window)
        found.append({**value, "ProfileId": profile_id})
    out: dict[str, Any] = {"Errors": errors, "CalculatedAttributeValues": found}
    if overrides is not None:
        out["ConditionOverrides"] = overrides
    return out
