"""A calculated attribute's value for one profile, computed from its objects at read time.

``value_of(domain, definition, profile_id, now, override)`` reads the profile's objects
(``objects.models.profile_objects``: O(that profile's objects), whatever the domain
holds) and answers ``CalculatedAttributeName``, ``DisplayName``, ``IsDataPartial``,
``Value`` and ``LastObjectTimestamp``. The steps [DOC creating-definition for the
statistics; MODEL for the Range signs; INFERRED the rest]:

1. the objects of the definition's type (for a standard object, those whose type's
   fields target it), only those ingested since the definition was created unless it
   uses historical data [MODEL];
2. the ``Filter``;
3. each object's time: its ``TimestampSource`` read with ``TimestampFormat``, else its
   ingestion time; the ``Range`` window back from now (or the call's override);
4. the ``ObjectCount`` most recent;
5. the ``Statistic`` over the expression's values, then the ``Threshold``.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from customer_profiles_mock.features.calculated_attributes.models import (
    DATE_DIMENSIONS,
    NAME,
    NUMERIC_DIMENSIONS,
    Compiled,
    as_number,
    as_time,
    compiled,
    historical,
)
from customer_profiles_mock.features.object_types.mapping import extract
from customer_profiles_mock.features.object_types.models import (
    OBJECT_TYPES,
    ObjectType,
)
from customer_profiles_mock.features.object_types.standard_objects import STANDARD_OBJECTS
from customer_profiles_mock.features.objects.models import StoredObject, profile_objects
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import Resource

DAY = 86_400.0
MAX_VALUE = 255  # [MODEL] Value is a string1To255
Value = str | float
TIMESTAMP = "\x00timestamp"  # the key of an object's time among its values: no attribute name


# -- an object's values ---------------------------------------------------------------------


def _path(source: Any, path: str) -> str:
    """The scalar at a dotted ``path`` in a parsed object, as text ("" when absent)."""
    for part in path.split("."):
        if not isinstance(source, dict):
            return ""
        source = source.get(part)
    if source is None or isinstance(source, (dict, list)):
        return ""
    if isinstance(source, bool):
        return "true" if source else "false"
    return render(source) if isinstance(source, (int, float)) else str(source)


Sources = tuple[tuple[str, str], ...]  # (attribute, the Source of the field it is read by)


@functools.lru_cache(maxsize=8192)
def _object_values(
    text: str, sources: Sources, paths: tuple[str, ...], timestamp: str | None
) -> Mapping[str, str] | None:
    """An object's values: each attribute by its field's ``Source``, or by its path into
    the object, and its timestamp path under ``TIMESTAMP``; None when the text is no JSON.
    Kept for the reads that follow (an object's text never changes: a replaced object is
    a new text), as parsing is most of a read's cost; shared, so never changed."""
    try:
        source = json.loads(text)
    except ValueError:
        return None
    values = extract({a: {"Source": s} for a, s in sources}, source) if sources else {}
    for path in paths:
        values[path] = _path(source, path)
    if timestamp is not None:
        values[TIMESTAMP] = _path(source, timestamp)
    return values


class _Reader:
    """How the values of the attributes an object has are read, per object type of the
    domain: a custom type's fields (or paths into the object), a standard object's fields
    through the fields of the types that target it."""

    def __init__(self, domain: Domain, type_name: str, attributes: tuple[str, ...]) -> None:
        self.types = domain.part(OBJECT_TYPES)
        self.type_name = type_name
        self.attributes = attributes
        self.standard = type_name in STANDARD_OBJECTS
        self._plans: dict[str, tuple[Sources, tuple[str, ...]] | None] = {}

    def _plan(self, type_name: str) -> tuple[Sources, tuple[str, ...]] | None:
        """How an object of ``type_name`` is read: the fields' sources of the attributes,
        and the attributes read as paths into the object; None when objects of that type
        are not objects of the definition's type."""
        if type_name in self._plans:
            return self._plans[type_name]
        otype: ObjectType | None = self.types.find(type_name)
        plan: tuple[Sources, tuple[str, ...]] | None = None
        if self.standard:
            if otype is not None:
                prefix = self.type_name + "."
                by_target = {
                    str(f.get("Target", ""))[len(prefix) :]: str(f.get("Source", ""))
                    for f in otype.fields.values()
                    if str(f.get("Target", "")).startswith(prefix)
                }
                if by_target:
                    plan = (tuple((a, by_target[a]) for a in self.attributes if a in by_target), ())
        elif type_name == self.type_name:
            own = otype.fields if otype is not None else {}
            plan = (
                tuple((a, str(own[a].get("Source", ""))) for a in self.attributes if a in own),
                tuple(a for a in self.attributes if a not in own),
            )
        self._plans[type_name] = plan
        return plan

    def values(self, stored: StoredObject, timestamp: str | None) -> Mapping[str, str] | None:
        """The object's value of each attribute, and of the path ``timestamp`` under the
        key ``TIMESTAMP``; None when it is no object of the definition's type."""
        plan = self._plan(stored.type_name)
        if plan is None:
            return None
        return _object_values(stored.text, plan[0], plan[1], timestamp)


# -- the filter ----------------------------------------------------------------------------


def _holds(kind: str, wanted: list[str], value: str) -> bool:
    """Whether ``value`` meets one dimension's condition (its Values are ORed [DOC
    event-filters]) [INFERRED: each type's meaning]."""
    if kind == "INCLUSIVE":
        return value in wanted
    if kind == "EXCLUSIVE":
        return value not in wanted
    if kind == "CONTAINS":
        return any(w in value for w in wanted)
    if kind == "BEGINS_WITH":
        return any(value.startswith(w) for w in wanted)
    if kind == "ENDS_WITH":
        return any(value.endswith(w) for w in wanted)
    if kind in NUMERIC_DIMENSIONS:
        number = as_number(value)
        return number is not None and any(
            _compare(kind, number, as_number(w) or 0.0) for w in wanted
        )
    if kind in DATE_DIMENSIONS:
        moment = as_time(value, "ISO_8601")
        if moment is None:
            return False
        return any(_on_date(kind, moment, as_time(w, "ISO_8601") or 0.0) for w in wanted)
    # BETWEEN / NOT_BETWEEN: two numbers, else two dates, both ends included
    low, high = (as_number(w) for w in wanted[:2])
    if low is not None and high is not None:
        read = as_number(value)
    else:
        low, high = (as_time(w, "ISO_8601") for w in wanted[:2])
        read = as_time(value, "ISO_8601")
    if read is None or low is None or high is None:
        return False
    inside = min(low, high) <= read <= max(low, high)
    return inside if kind == "BETWEEN" else not inside


def _compare(kind: str, number: float, other: float) -> bool:
    if kind == "GREATER_THAN":
        return number > other
    if kind == "LESS_THAN":
        return number < other
    if kind == "GREATER_THAN_OR_EQUAL":
        return number >= other
    if kind == "LESS_THAN_OR_EQUAL":
        return number <= other
    return number == other


def _on_date(kind: str, moment: float, other: float) -> bool:
    if kind == "BEFORE":
        return moment < other
    if kind == "AFTER":
        return moment > other
    return math.floor(moment / DAY) == math.floor(other / DAY)  # ON: the same UTC day


def _combine(kind: str, results: Iterable[bool]) -> bool:
    if kind == "ALL":
        return all(results)
    if kind == "ANY":
        return any(results)
    return not any(results)  # NONE


def passes(event_filter: Any, values: Mapping[str, str]) -> bool:
    """``Include`` over the groups, each group's ``Type`` over its dimensions, a
    dimension holding when each of its attributes does [INFERRED: AND within one]."""
    if event_filter is None:
        return True
    include, groups = event_filter
    return _combine(
        include,
        (
            _combine(
                kind,
                (
                    all(
                        _holds(c["DimensionType"], c["Values"], values.get(a, ""))
                        for a, c in dimension.items()
                    )
                    for dimension in dimensions
                ),
            )
            for kind, dimensions in groups
        ),
    )


# -- the statistic -------------------------------------------------------------------------


def render(value: Value) -> str:
    """A value as AWS writes it: a whole number without ``.0`` ("24144") [DOC
    validating-values]; a string cut to the model's 255 characters [INFERRED]."""
    if isinstance(value, str):
        return value[:MAX_VALUE]
    if isinstance(value, int) or (value.is_integer() and abs(value) < 1e16):
        return str(int(value))
    return format(value, ".15g")


def _numbers(values: list[Value]) -> list[float]:
    found = (v if isinstance(v, float) else as_number(v) for v in values)
    return [n for n in found if n is not None]


def _recent(values: list[Value]) -> Value:
    """RECENT_OCCURRENCES [MODEL, undocumented]: [INFERRED] the distinct most recent
    values, newest first, as a JSON list that fits the 255 characters."""
    distinct = list(dict.fromkeys(render(v) for v in reversed(values)))
    while len(json.dumps(distinct)) > MAX_VALUE:
        distinct.pop()
    return json.dumps(distinct)


def _max_occurrence(values: list[Value]) -> Value:
    """The most frequent value; a tie goes to the most recent [INFERRED]."""
    counts = Counter(render(v) for v in values)
    best = max(counts.values())
    return next(r for r in (render(v) for v in reversed(values)) if counts[r] == best)


def _average(numbers: list[float]) -> float | None:
    return sum(numbers) / len(numbers) if numbers else None


# Each Statistic over the values of the kept objects, oldest first [DOC creating-definition:
# FIRST/LAST_OCCURRENCE from the earliest/latest object, COUNT, SUM, MINIMUM, MAXIMUM,
# AVERAGE, MAX_OCCURRENCE the most frequent]; None: no value. The numeric ones skip values
# that are no numbers [INFERRED].
STATISTICS: dict[str, Callable[[list[Value]], Value | None]] = {
    "FIRST_OCCURRENCE": lambda values: values[0] if values else None,
    "LAST_OCCURRENCE": lambda values: values[-1] if values else None,
    "COUNT": lambda values: float(len(values)),
    "SUM": lambda values: sum(n) if (n := _numbers(values)) else None,
    "MINIMUM": lambda values: min(n) if (n := _numbers(values)) else None,
    "MAXIMUM": lambda values: max(n) if (n := _numbers(values)) else None,
    "AVERAGE": lambda values: _average(_numbers(values)),
    "MAX_OCCURRENCE": lambda values: _max_occurrence(values) if values else None,
    "RECENT_OCCURRENCES": lambda values: _recent(values) if values else None,
}


def _threshold(value: Value, threshold: Mapping[str, str]) -> str:
    """ "true" or "false": the value against ``Threshold.Value``, as numbers when both are
    numbers, else as text [DOC; INFERRED: the comparison of text]."""
    operator = threshold["Operator"]
    left: Any = as_number(render(value))
    right: Any = as_number(threshold["Value"])
    if left is None or right is None:
        left, right = render(value), threshold["Value"]
    held = {
        "EQUAL_TO": left == right,
        "NOT_EQUAL_TO": left != right,
        "GREATER_THAN": left > right,
        "LESS_THAN": left < right,
    }[operator]
    return "true" if held else "false"


# -- a profile's value ---------------------------------------------------------------------


def _window(
    conditions: Mapping[str, Any], override: Mapping[str, Any] | None
) -> tuple[float | None, float]:
    """The Range as days back from now: (start, end), start None for all time. A call's
    ``ConditionOverrides.Range`` replaces it [MODEL]; ``ValueRange`` overrides
    ``Value`` [MODEL]; positive days are the past, negative the future [MODEL]."""
    if override is not None:
        return float(override["Start"]), float(override.get("End") or 0)
    window = conditions.get("Range") or {}
    pair = window.get("ValueRange")
    if pair is not None:
        return float(pair["Start"]), float(pair["End"])
    if window.get("Value") is not None:
        return float(window["Value"]), 0.0
    return None, 0.0  # [INFERRED] a Range with no Value (AWS's own sample sends one): all time


def value_of(
    domain: Domain,
    definition: Resource,
    profile_id: str,
    now: float,
    override: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The profile's value of ``definition`` (the profile must exist)."""
    members = definition.members
    plan: Compiled = compiled(members)
    conditions = members.get("Conditions") or {}
    past = historical(members)
    reader = _Reader(domain, plan.type_name, plan.attributes)
    fmt = (conditions.get("Range") or {}).get("TimestampFormat")
    start, end = _window(conditions, override)
    oldest = None if start is None else now - start * DAY
    newest = now - end * DAY
    kept: list[tuple[float, int, Mapping[str, str]]] = []
    for stored in profile_objects(domain, profile_id):
        if not past and stored.put_at < definition.created_at:
            continue  # "only objects ingested after creation count" [MODEL]
        values = reader.values(stored, plan.timestamp)
        if values is None or not passes(plan.event_filter, values):
            continue
        moment = stored.put_at
        if plan.timestamp is not None:
            read = as_time(values[TIMESTAMP], fmt)
            if read is None:
                continue  # [INFERRED] an object without a readable time is left out
            moment = read
        if (oldest is not None and moment <= oldest) or moment > newest:
            continue
        kept.append((moment, stored.sequence, values))
    kept.sort(key=lambda item: (item[0], item[1]))
    count = conditions.get("ObjectCount")
    if count is not None:
        kept = kept[-count:]  # the most recent [INFERRED]
    evaluate = plan.expression.evaluate
    found = [(moment, v) for moment, _, values in kept if (v := evaluate(values)) is not None]
    out: dict[str, Any] = {NAME: definition.name}
    if "DisplayName" in members:
        out["DisplayName"] = members["DisplayName"]
    partial = not past and (
        (oldest is None or oldest < definition.created_at)
        and not (count is not None and len(kept) >= count)
    )
    out["IsDataPartial"] = "true" if partial else "false"
    statistic = STATISTICS[members["Statistic"]]([v for _, v in found])
    if statistic is not None:
        threshold = conditions.get("Threshold")
        out["Value"] = _threshold(statistic, threshold) if threshold else render(statistic)
    if found:
        out["LastObjectTimestamp"] = found[-1][0]
    return out
