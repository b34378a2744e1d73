"""The event trigger operations: Create, Get, Update, Delete and ListEventTriggers."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.event_triggers import models
from customer_profiles_mock.features.event_triggers.models import TRIGGERS
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("CreateEventTrigger")
def create_event_trigger(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Stores the trigger and answers it with `CreatedAt`, `LastUpdatedAt` and `Tags`
    [MODEL]. An existing name is 400 `Event trigger with name NAME already exists` [OSS:
    AWS's CloudFormation handler]. `ObjectTypeName` must be an object type of the domain:
    else 404 `Object type NAME does not exist in domain DOMAIN` [INFERRED]. Each
    `ObjectAttribute` reads exactly one of `Source` (a `_source` path or template) and
    `FieldName` (a field of that object type), and compares with `Values` of its
    operator's kind: two numbers or dates for `BETWEEN`/`NOT_BETWEEN`, a number for
    `GREATER_THAN`..., a date for `BEFORE`/`AFTER`/`ON`; a `Period` has either
    `MaxInvocationsPerProfile` or `Unlimited: true` (400s with the mock's wording
    [INFERRED]). `SegmentFilter` must name a segment definition of the domain (404
    `Segment definition NAME does not exist` [INFERRED]), which then cannot be deleted
    while the trigger filters on it (400 [INFERRED]).

    Once created, every object of `ObjectTypeName` put (PutProfileObject,
    BatchPutProfileObject) is evaluated against it: conditions OR'ed, each condition's
    `LogicalOperator` ALL/ANY/NONE over its dimensions, a dimension's attributes AND'ed
    [DOC adminguide]; the operators as `cp.trigger_events()` documents [INFERRED], and the
    `Periods` per profile on the wall-clock time of the ingestion. What fires is recorded
    for `cp.trigger_events()`, with the Uris of the integrations that name the trigger;
    with a `SegmentFilter`, only for a profile in that segment at the ingestion
    [INFERRED]; `EventExpiration` always holds [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    members = models.given(params)
    models.check(domain, members)
    trigger = domain.part(TRIGGERS).create(
        params["EventTriggerName"], members, params.get("Tags") or {}
    )
    return models.shown(trigger)


@operation("GetEventTrigger")
def get_event_trigger(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The trigger as created or last updated; an unknown name is 404 `Event trigger NAME
    does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(TRIGGERS).get(params["EventTriggerName"]))


@operation("UpdateEventTrigger")
def update_event_trigger(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Omitted members are kept [INFERRED]; the result is checked as CreateEventTrigger
    checks a new one (a new `ObjectTypeName` must exist, the conditions must read it);
    `LastUpdatedAt` moves; `Tags` change only through TagResource [MODEL: no Tags member].
    The firing history its `Periods` count is kept [INFERRED]. An unknown name is 404.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    table = domain.part(TRIGGERS)
    name = params["EventTriggerName"]
    changes = models.given(params)
    models.check(domain, {**table.get(name).members, **changes})
    return models.shown(table.update(name, changes))


@operation("DeleteEventTrigger")
def delete_event_trigger(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the trigger and answers `Event trigger NAME was deleted.` [INFERRED: the
    text]. While an integration names it in `EventTriggerNames` it is 400 `You cannot
    delete an Event Trigger with an active Integration associated` [MODEL]: delete the
    integration first. An unknown name is 404.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    table = domain.part(TRIGGERS)
    name = params["EventTriggerName"]
    table.get(name)
    if models.users(domain, name):
        raise BadRequestException(models.IN_USE)
    table.delete(name)
    return {"Message": domain.part(TRIGGERS).kind.deleted(name)}


@operation("ListEventTriggers")
def list_event_triggers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each trigger's `EventTriggerName`, `ObjectTypeName`, `Description`, timestamps and
    `Tags` [MODEL: the item shape], sorted by name; `MaxResults` (default 100
    [INFERRED]) / `NextToken`; the botocore paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListEventTriggers", params["DomainName"])
    page, token = domain.part(TRIGGERS).page(params, query, models.LIST_PAGE)
    return items_page([models.listed(trigger) for trigger in page], token)
