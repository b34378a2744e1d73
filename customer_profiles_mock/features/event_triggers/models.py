"""Event triggers: their table, rules, evaluation at ingestion, and how the operations show one.

A trigger is a ``Resource`` of the domain's ``TriggerTable`` (``domain.part(TRIGGERS)``), a
``ResourceTable`` (ARN ``.../domains/D/event-triggers/NAME``, tags, paging, snapshots) that
also indexes its triggers by object type and keeps, per domain, what fired: each firing
(``events``) and, per trigger and profile, the times it fired (for ``EventTriggerLimits``).

Evaluation (``TriggerTable.evaluate``) runs for every object ingested, over the triggers of
its object type only. What AWS documents [DOC adminguide how-to-create-campaigns-using-
event-triggers; MODEL]: conditions have an OR relationship; a condition's
``LogicalOperator`` (ALL, ANY, NONE) combines its dimensions; the attributes of a dimension
have an AND relationship; an ``ObjectAttribute`` reads ``Source`` (a ``_source`` path into
the object) or ``FieldName`` (a field of the object type); ``INCLUSIVE`` "checks if the
target includes all the specified values", ``EXCLUSIVE`` "if the target does not contain
all the specified values"; ``Periods`` allow ``MaxInvocationsPerProfile`` firings per
profile in each period unless ``Unlimited``. Everything else is [INFERRED] (see
``compare``).

The integrations area (which imports this one) tells which integrations name a trigger
through ``register_users``.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from customer_profiles_mock.features.object_types import mapping as _mapping
from customer_profiles_mock.features.object_types import models as _object_types
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES, ObjectType
from customer_profiles_mock.features.segments import models as _segments
from customer_profiles_mock.store.domain import Change, Domain, register_part
from customer_profiles_mock.store.resource import (
    Resource,
    ResourceKind,
    ResourceTable,
    register_taggable,
    stamped,
)
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

KIND = ResourceKind("Event trigger", "event-triggers")
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
# The members a trigger stores as given (EventTriggerName is its name).
MEMBERS = (
    "ObjectTypeName",
    "Description",
    "EventTriggerConditions",
    "SegmentFilter",
    "EventTriggerLimits",
)
# What ListEventTriggers shows of each [MODEL: EventTriggerSummaryItem].
LISTED = ("ObjectTypeName", "Description")
# [INFERRED] A period's unit in seconds; a month is 30 days.
UNIT_SECONDS = {
    "MINUTES": 60,
    "HOURS": 3600,
    "DAYS": 86400,
    "WEEKS": 7 * 86400,
    "MONTHS": 30 * 86400,
}
NUMERIC = ("GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL")
DATES = ("BEFORE", "AFTER", "ON")
RANGES = ("BETWEEN", "NOT_BETWEEN")
IN_USE = "You cannot delete an Event Trigger with an active Integration associated"


# -- who uses a trigger --------------------------------------------------------------------

_USERS: list[Callable[[Domain, str], list[str]]] = []


def register_users(find: Callable[[Domain, str], list[str]]) -> None:
    """Let ``find(domain, trigger)`` name the Uris of the integrations that use a trigger
    (the integrations area registers it: it imports this area, not the other way)."""
    _USERS.append(find)


def users(domain: Domain, name: str) -> list[str]:
    """The Uris of the integrations whose ``EventTriggerNames`` name trigger ``name``."""
    return [uri for find in _USERS for uri in find(domain, name)]


def in_segment(domain: Domain, name: str, profile_id: str) -> bool:
    """Whether ``profile_id`` is in segment ``name`` now (a segment deleted since: no)."""
    definition = domain.part(_segments.DEFINITIONS).find(name)
    if definition is None:
        return False
    return _segments.membership(domain, definition, [profile_id]).found == [(profile_id, True)]


def _filtering(domain: Domain, segment: str) -> str | None:
    """Why segment ``segment`` cannot be deleted: a trigger filters on it [INFERRED]."""
    for trigger in domain.part(TRIGGERS):
        if trigger.members.get("SegmentFilter") == segment:
            return (
                f"Segment definition {segment} is the SegmentFilter of event trigger {trigger.name}"
            )
    return None


_segments.register_user(_filtering)


# -- values ----------------------------------------------------------------------------------


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _date(text: str) -> datetime.datetime | None:
    """An ISO 8601 date or date-time (UTC when it names no zone), or epoch seconds
    [INFERRED: the formats]."""
    number = _number(text)
    if number is not None:
        try:
            return datetime.datetime.fromtimestamp(number, datetime.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        parsed = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    try:  # in UTC here, so that comparing or taking its day cannot overflow later
        return parsed.astimezone(datetime.timezone.utc)
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the first UTC instant
        return None


def _items(text: str) -> list[str] | None:
    """The items of a value that is a JSON array, each rendered as a field value is (a
    string as it is, anything else as compact JSON); None for any other value."""
    if not text.startswith("["):
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    if not isinstance(parsed, list):
        return None
    return [
        item if isinstance(item, str) else json.dumps(item, separators=(",", ":"))
        for item in parsed
    ]


def _ordered(
    value: str, bound: str
) -> tuple[float, float] | tuple[datetime.datetime, datetime.datetime] | None:
    """``value`` and ``bound`` as two numbers, else as two dates, else None."""
    a, b = _number(value), _number(bound)
    if a is not None and b is not None:
        return a, b
    x, y = _date(value), _date(bound)
    if x is not None and y is not None:
        return x, y
    return None


def compare(operator: str, value: str, values: list[str]) -> bool:
    """Whether an attribute's ``value`` (the text a field's Source gives, "" when the
    object lacks it) satisfies ``operator`` with ``values`` [INFERRED but INCLUSIVE and
    EXCLUSIVE's wording]:

    - INCLUSIVE: a scalar is one of the values; an array holds all of them. EXCLUSIVE: a
      scalar is none of them; an array holds none of them.
    - CONTAINS, BEGINS_WITH, ENDS_WITH: the text contains, begins or ends with any value
      (case-sensitive).
    - GREATER_THAN, LESS_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN_OR_EQUAL: numbers, against
      the first value. EQUAL: numerically equal when both are numbers, else the same text.
    - BEFORE, AFTER, ON: dates (ISO 8601 or epoch seconds) against the first value; ON is
      the same UTC day.
    - BETWEEN, NOT_BETWEEN: inside (outside) the inclusive range of the first two values,
      as numbers or as dates.
    - A value that is missing, or is no number or date where one is compared, satisfies
      nothing but EXCLUSIVE.
    """
    if operator == "INCLUSIVE":
        items = _items(value)
        return all(v in items for v in values) if items is not None else value in values
    if operator == "EXCLUSIVE":
        items = _items(value)
        return not any(v in (items if items is not None else (value,)) for v in values)
    if not value:
        return False
    if operator == "CONTAINS":
        return any(v in value for v in values)
    if operator == "BEGINS_WITH":
        return any(value.startswith(v) for v in values)
    if operator == "ENDS_WITH":
        return any(value.endswith(v) for v in values)
    if operator == "EQUAL":
        a, b = _number(value), _number(values[0])
        return a == b if a is not None and b is not None else value == values[0]
    if operator in NUMERIC:
        a, b = _number(value), _number(values[0])
        if a is None or b is None:
            return False
        return {
            "GREATER_THAN": a > b,
            "LESS_THAN": a < b,
            "GREATER_THAN_OR_EQUAL": a >= b,
            "LESS_THAN_OR_EQUAL": a <= b,
        }[operator]
    if operator in DATES:
        when, bound = _date(value), _date(values[0])
        if when is None or bound is None:
            return False
        if operator == "ON":
            return when.date() == bound.date()  # both in UTC (_date)
        return when < bound if operator == "BEFORE" else when > bound
    low, high = _ordered(value, values[0]), _ordered(value, values[1])
    if low is None or high is None:
        return False
    inside = low[1] <= low[0] <= high[1]  # type: ignore[operator]
    return inside if operator == "BETWEEN" else not inside


# -- validation ------------------------------------------------------------------------------


def _check_values(operator: str, values: list[str]) -> None:
    """The values an operator compares with must be of its kind [INFERRED: 400s]."""
    if operator in RANGES:
        if len(values) != 2:
            raise BadRequestException(
                f"ComparisonOperator {operator} takes 2 Values (the range's bounds), "
                f"got {len(values)}"
            )
        if _ordered(values[0], values[1]) is None:
            raise BadRequestException(
                f"ComparisonOperator {operator} takes two numbers or two dates, got "
                f"{values[0]!r} and {values[1]!r}"
            )
    elif operator in NUMERIC and _number(values[0]) is None:
        raise BadRequestException(
            f"ComparisonOperator {operator} takes a number, got {values[0]!r}"
        )
    elif operator in DATES and _date(values[0]) is None:
        raise BadRequestException(
            f"ComparisonOperator {operator} takes a date (ISO 8601), got {values[0]!r}"
        )


def _check_attribute(attribute: Mapping[str, Any], otype: ObjectType) -> None:
    """An attribute reads exactly one of Source and FieldName [INFERRED]; a Source must be
    a valid ``_source`` path or template, a FieldName a field of the object type
    [INFERRED: 400s]."""
    source, field = attribute.get("Source"), attribute.get("FieldName")
    if (source is None) == (field is None):
        raise BadRequestException("Each ObjectAttribute needs exactly one of Source and FieldName")
    if source is not None:
        problem = _object_types.check_source(source)
        if problem is not None:
            raise BadRequestException(f"Source {source} is invalid: {problem}")
    elif field not in otype.fields:
        raise BadRequestException(f"FieldName {field} is not a field of object type {otype.name}")
    _check_values(attribute["ComparisonOperator"], attribute["Values"])


def _check_limits(limits: Mapping[str, Any]) -> None:
    """A period has ``MaxInvocationsPerProfile`` or ``Unlimited`` true, not both
    [INFERRED: 400s]."""
    for period in limits.get("Periods") or ():
        unlimited = bool(period.get("Unlimited"))
        if unlimited == ("MaxInvocationsPerProfile" in period):
            raise BadRequestException(
                "Each Period needs either MaxInvocationsPerProfile or Unlimited true, not both"
            )


def object_type_of(domain: Domain, name: str) -> ObjectType:
    """The domain's object type ``name``; a 404 when it has none [INFERRED]."""
    found = domain.part(OBJECT_TYPES).find(name)
    if found is None:
        raise ResourceNotFoundException(_object_types.not_found_message(domain.name, name))
    return found


def check(domain: Domain, members: Mapping[str, Any]) -> None:
    """A trigger's members (as they will be stored) checked against the domain: the object
    type exists (404), each attribute reads one thing of it and compares with values of
    its operator's kind, the periods are well formed (400s); the ``SegmentFilter`` segment
    exists (404) [INFERRED]."""
    otype = object_type_of(domain, members["ObjectTypeName"])
    if "SegmentFilter" in members:
        domain.part(_segments.DEFINITIONS).get(members["SegmentFilter"])
    for condition in members["EventTriggerConditions"]:
        for dimension in condition["EventTriggerDimensions"]:
            for attribute in dimension["ObjectAttributes"]:
                _check_attribute(attribute, otype)
    _check_limits(members.get("EventTriggerLimits") or {})


def given(params: Mapping[str, Any]) -> dict[str, Any]:
    """The stored members a request gives."""
    return {name: params[name] for name in MEMBERS if name in params}


def shown(trigger: Resource) -> dict[str, Any]:
    """A trigger as Create/Get/UpdateEventTrigger answer it [MODEL]."""
    return stamped({"EventTriggerName": trigger.name, **trigger.members}, trigger)


def listed(trigger: Resource) -> dict[str, Any]:
    """A trigger as ListEventTriggers lists it [MODEL: EventTriggerSummaryItem]."""
    out = {"EventTriggerName": trigger.name}
    out.update({name: trigger.members[name] for name in LISTED if name in trigger.members})
    return stamped(out, trigger)


# -- evaluation ------------------------------------------------------------------------------


def _reader(attribute: Mapping[str, Any], otype: ObjectType) -> Callable[[Any], str]:
    source = attribute.get("Source")
    if source is None:
        source = otype.fields.get(attribute.get("FieldName") or "", {}).get("Source")
    if source is None:
        return lambda obj: ""  # a field the object type no longer has
    return _mapping.compile_source(source)


def matches(members: Mapping[str, Any], otype: ObjectType, obj: Any) -> bool:
    """Whether the parsed object ``obj`` satisfies the trigger's conditions: any condition
    (OR), each combining its dimensions by its LogicalOperator, each dimension all of its
    attributes (AND)."""
    for condition in members["EventTriggerConditions"]:
        results = (
            all(
                compare(a["ComparisonOperator"], _reader(a, otype)(obj), a["Values"])
                for a in dimension["ObjectAttributes"]
            )
            for dimension in condition["EventTriggerDimensions"]
        )
        operator = condition["LogicalOperator"]
        if operator == "ALL":
            hit = all(results)
        elif operator == "ANY":
            hit = any(results)
        else:
            hit = not any(results)
        if hit:
            return True
    return False


def _periods(members: Mapping[str, Any]) -> list[tuple[float, int]]:
    """(window in seconds, most firings per profile in it) of each limited period."""
    limits = members.get("EventTriggerLimits") or {}
    return [
        (UNIT_SECONDS[p["Unit"]] * p["Value"], p["MaxInvocationsPerProfile"])
        for p in limits.get("Periods") or ()
        if not p.get("Unlimited") and "MaxInvocationsPerProfile" in p
    ]


class Fired(NamedTuple):
    """One firing of a trigger, as ``cp.trigger_events()`` answers it."""

    EventTriggerName: str
    ProfileId: str
    ObjectTypeName: str
    Object: Mapping[str, Any]  # the object as ingested (never changed)
    Uris: tuple[str, ...]
    FiredAt: float


class FrozenTriggers(NamedTuple):
    resources: dict[str, Resource]
    history: dict[str, dict[str, tuple[float, ...]]]
    events: tuple[Fired, ...]


class TriggerTable(ResourceTable):
    """A domain's event triggers (a ``ResourceTable``), indexed by object type, and what
    fired: ``events`` in order, and per trigger and profile the times it fired."""

    __slots__ = ("_by_type", "events", "history")

    def __init__(self, domain_arn: str, frozen: FrozenTriggers | None = None) -> None:
        super().__init__(KIND, domain_arn, frozen.resources if frozen else None)
        self._by_type: dict[str, list[str]] | None = None  # built at the first ingestion
        self.history: dict[str, dict[str, list[float]]] = (
            {t: {p: list(times) for p, times in by.items()} for t, by in frozen.history.items()}
            if frozen
            else {}
        )
        self.events: list[Fired] = list(frozen.events) if frozen else []

    def create(self, name: str, members: dict[str, Any], tags: Mapping[str, str]) -> Resource:
        self._by_type = None
        return super().create(name, members, tags)

    def update(self, name: str, changes: Mapping[str, Any]) -> Resource:
        self._by_type = None
        return super().update(name, changes)

    def delete(self, name: str) -> Resource:
        self._by_type = None
        self.history.pop(name, None)  # a trigger made again with that name starts afresh
        return super().delete(name)

    def of_type(self, type_name: str) -> list[str]:
        """The names of the triggers of object type ``type_name``."""
        by_type = self._by_type
        if by_type is None:
            by_type = {}
            for trigger in self:
                by_type.setdefault(trigger.members["ObjectTypeName"], []).append(trigger.name)
            self._by_type = by_type
        return by_type.get(type_name, [])

    def on_change(self, domain: Domain, change: Change) -> bool:
        """An object was ingested: evaluate the triggers of its type (True: one fired)."""
        if change.action != "INGESTED":
            return False
        fired = self.evaluate(
            domain, change.object_type, change.profile_id, change.content, change.at
        )
        return bool(fired)

    def evaluate(
        self,
        domain: Domain,
        type_name: str,
        profile_id: str,
        obj: Mapping[str, Any],
        now: float,
    ) -> list[Fired]:
        """Evaluate the triggers of ``type_name`` (only those) for an object (parsed) just
        ingested into ``profile_id`` at wall-clock time ``now``; record and return what
        fired. A trigger with a ``SegmentFilter`` fires only for a profile in that segment
        now; ``EventExpiration`` always holds: the mock processes an object as it is put."""
        names = self.of_type(type_name)
        if not names:
            return []
        otype = domain.part(OBJECT_TYPES).find(type_name)
        if otype is None:
            return []
        fired: list[Fired] = []
        for name in names:
            trigger = self.get(name)
            if not matches(trigger.members, otype, obj):
                continue
            segment = trigger.members.get("SegmentFilter")
            if segment is not None and not in_segment(domain, segment, profile_id):
                continue
            periods = _periods(trigger.members)
            if periods:
                times = self.history.setdefault(name, {}).setdefault(profile_id, [])
                longest = max(window for window, _ in periods)
                times[:] = [t for t in times if t > now - longest]
                if any(
                    sum(1 for t in times if t > now - window) >= most for window, most in periods
                ):
                    continue
                times.append(now)
            event = Fired(name, profile_id, type_name, obj, tuple(users(domain, name)), now)
            self.events.append(event)
            fired.append(event)
        return fired

    def freeze(self) -> FrozenTriggers:  # type: ignore[override]
        return FrozenTriggers(
            super().freeze(),
            {t: {p: tuple(times) for p, times in by.items()} for t, by in self.history.items()},
            tuple(self.events),
        )


# Every domain's event triggers: ``domain.part(TRIGGERS)``. ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/event-triggers/NAME`` [DOC service
# authorization reference]; TagResource reaches it.
TRIGGERS = register_part(
    "event_triggers",
    lambda domain: TriggerTable(domain.arn),
    lambda domain, frozen: TriggerTable(domain.arn, frozen),
)
register_taggable(KIND.segment, lambda domain, name: domain.part(TRIGGERS).find(name))
