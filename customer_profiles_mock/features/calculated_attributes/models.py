"""Calculated attribute definitions: their table, their rules, how the operations show one.

A definition is a ``Resource`` (``domain.part(TABLE)``) whose members are the request's:
``DisplayName``, ``Description``, ``AttributeDetails``, ``Conditions``, ``Filter``,
``Statistic``, ``UseHistoricalData``, and with it the ``Status`` / ``Readiness`` that
``advance`` moves one job step at a time.
``compiled(members)`` is what ``values`` computes a profile's value with: the object type,
the expression, the timestamp source and the filter, parsed once per definition version.
Snapshots, tags (``.../domains/D/calculated-attributes/N``), paging and the not-found
error come with the table; deleting an object type deletes the definitions over it.
"""

from __future__ import annotations

import ast
import functools
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, NamedTuple

from customer_profiles_mock.features.object_types.models import (
    OBJECT_TYPES,
    not_found_message,
)
from customer_profiles_mock.features.object_types.standard_objects import (
    STANDARD_OBJECTS,
    is_target,
)
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import (
    Resource,
    ResourceKind,
    ResourceTable,
    resource_table,
    stamped,
)
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.model import output_members

NAME = "CalculatedAttributeName"
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
# "at most two fields" [DOC creating-definition; OSS CFN-RP schema's AttributeList max 2].
MAX_ATTRIBUTES = 2
# [OSS CFN-RP schemas; DOC CloudFormation reference] Range.Value 1-366, ObjectCount 1-100
# (the CloudFormation reference now 300): [INFERRED] the loosest of them is enforced.
MAX_RANGE_DAYS = 366
MAX_OBJECT_COUNT = 300
TIMESTAMP_FORMATS = ("EPOCHMILLI", "ISO_8601")
# What UseHistoricalData takes a definition through [MODEL ReadinessStatus], one job step
# each (``job_seconds``, default 0: the first read after the create sees COMPLETED), with
# its ``Readiness.ProgressPercentage`` [INFERRED: the steps and the percentages]; FAILED
# is never reached.
LIFECYCLE = {"PREPARING": 0, "IN_PROGRESS": 50, "COMPLETED": 100}
# The members UpdateCalculatedAttributeDefinition may change [MODEL input].
UPDATABLE = ("DisplayName", "Description", "Conditions")
# What a request gives that is not stored as a member.
NOT_STORED = frozenset({"DomainName", NAME, "Tags"})

# {ObjectTypeName.AttributeName}: a type name has no dot, an attribute may be a path.
_TOKEN = re.compile(r"\{([^{}.\s]+)\.([^{}\s]+)\}")
_ARITHMETIC = re.compile(r"[\s0-9.+\-*/()]*")
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.UAdd, ast.USub)


def status(name: str) -> dict[str, Any]:
    """The ``Status`` and ``Readiness`` members of a definition in state ``name``."""
    return {"Status": name, "Readiness": {"ProgressPercentage": LIFECYCLE[name]}}


def advance(domain: Domain, definition: Resource) -> bool:
    """One step of the historical data's processing: PREPARING -> IN_PROGRESS ->
    COMPLETED; True while there is a step to come. ``LastUpdatedAt`` stays [INFERRED]."""
    states = list(LIFECYCLE)
    current = definition.members.get("Status")
    if current not in states[:-1]:
        return False
    following = states[states.index(current) + 1]
    definition.members = {**definition.members, **status(following)}
    return following != states[-1]


def historical(members: Mapping[str, Any]) -> bool:
    """Whether objects put before the definition count: with ``UseHistoricalData``, once
    its processing is ``COMPLETED`` [MODEL: "only objects ingested after creation count
    until COMPLETED"]."""
    return bool(members.get("UseHistoricalData")) and members.get("Status") == "COMPLETED"


class DefinitionTable(ResourceTable):
    """A domain's calculated attribute definitions: a definition goes with the object type
    it reads [INFERRED: AWS does not say; its values could not be computed any more]."""

    __slots__ = ()

    def on_object_type_deleted(self, domain: Domain, name: str) -> None:
        for definition in self:
            if compiled(definition.members).type_name == name:
                self.delete(definition.name)


# Every domain's definitions: ``domain.part(TABLE)``. ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/calculated-attributes/NAME`` [DOC service
# authorization reference]; TagResource reaches it. The label gives AWS's verbatim
# "Calculated attribute definition with name %s already exists" [OSS CFN-RP
# CreateHandler] and "Calculated attribute definition NAME does not exist" [INFERRED].
TABLE = resource_table(
    "calculated_attributes",
    ResourceKind("Calculated attribute definition", "calculated-attributes", advance),
    DefinitionTable,
)


# -- the expression -----------------------------------------------------------------------


class Expression(NamedTuple):
    """A parsed ``Expression``: its one object type, the attributes it names in order,
    and how an object's values of them make its value (a string for a lone attribute, a
    number for arithmetic, None when the object has none)."""

    type_name: str
    attributes: tuple[str, ...]
    evaluate: Callable[[Mapping[str, str]], str | float | None]


@functools.lru_cache(maxsize=1024)
def parse_expression(text: str) -> Expression:
    """``{Type.attr}`` alone, or attributes of one type combined with ``+ - * /``,
    numbers and parentheses ("Basic math expressions to perform between attributes are
    supported" [DOC creating-definition]); anything else is a 400 [INFERRED: wording]."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        raise BadRequestException(
            f"Expression {text} must name attributes as {{ObjectTypeName.AttributeName}}"
        )
    types = list(dict.fromkeys(t for t, _ in tokens))
    if len(types) > 1:
        raise BadRequestException(
            f"Expression {text} names more than one object type: {', '.join(types)}; "
            "a calculated attribute reads one object type"
        )
    attributes = tuple(dict.fromkeys(a for _, a in tokens))
    if _TOKEN.fullmatch(text.strip()):
        only = attributes[0]
        return Expression(types[0], attributes, lambda values: values.get(only) or None)
    placeholders = {a: f"a{i}" for i, a in enumerate(attributes)}
    rest = _TOKEN.sub(" ", text)
    arithmetic = _TOKEN.sub(lambda m: " " + placeholders[m[2]] + " ", text)
    tree = None
    if _ARITHMETIC.fullmatch(rest):
        try:
            tree = ast.parse(arithmetic.strip(), mode="eval")
        except SyntaxError:
            tree = None
    if tree is None or not all(_allowed(node) for node in ast.walk(tree)):
        raise BadRequestException(
            f"Expression {text} may combine its attributes only with + - * /, numbers "
            "and parentheses"
        )
    code = compile(tree, "<expression>", "eval")
    names = {p: a for a, p in placeholders.items()}

    def evaluate(values: Mapping[str, str]) -> float | None:
        scope: dict[str, float] = {}
        for placeholder, attribute in names.items():
            number = as_number(values.get(attribute) or "")
            if number is None:
                return None  # [INFERRED] an object lacking a number has no value
            scope[placeholder] = number
        try:
            result = float(eval(code, {"__builtins__": {}}, scope))  # noqa: S307 - checked tree
        except (ZeroDivisionError, OverflowError):
            return None  # [INFERRED] no value, as for an object lacking a number
        return result if math.isfinite(result) else None

    return Expression(types[0], attributes, evaluate)


def _allowed(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    return isinstance(
        node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Load, *_OPERATORS)
    )


def as_number(text: str) -> float | None:
    """``text`` as a finite number, None when it is none."""
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def timestamp_path(source: str, type_name: str) -> str:
    """The path into the object a ``TimestampSource`` names: ``{Type.path}``, the location
    of the timestamp in the object's JSON [MODEL]; any other form, or another type, is a
    400 [INFERRED: the wording]."""
    found = _TOKEN.fullmatch(source.strip())
    if found is None:
        raise BadRequestException(
            f"Range.TimestampSource {source} must be {{ObjectTypeName.PathInTheObject}}"
        )
    if found[1] != type_name:
        raise BadRequestException(
            f"Range.TimestampSource {source} names object type {found[1]}; the definition "
            f"reads {type_name}"
        )
    return found[2]


# -- validation ---------------------------------------------------------------------------


def check_attributes(domain: Domain, type_name: str, names: list[str], what: str) -> None:
    """Every name must be a field of the object type: a custom type's field name, or a
    path under a field's ``_source`` path (``Seat.Price`` under ``_source.Seat``); a
    standard object's field (``_order.TotalPrice``, ``_asset.Attributes.x``). A standard
    object type the mock does not know (``_airSegment``) is taken as given [INFERRED]."""
    if type_name in STANDARD_OBJECTS:
        for name in names:
            if not is_target(f"{type_name}.{name}"):
                raise BadRequestException(
                    f"{what} names {name}, which is no field of the standard object {type_name}"
                )
        return
    if type_name.startswith("_"):
        return
    otype = domain.part(OBJECT_TYPES).find(type_name)
    if otype is None:
        raise BadRequestException(not_found_message(domain.name, type_name))
    sources = [str(f.get("Source", "")) for f in otype.fields.values()]
    for name in names:
        path = "_source." + name
        if name in otype.fields or any(path == s or path.startswith(s + ".") for s in sources):
            continue
        raise BadRequestException(f"{what} names {name}, which is no field of {type_name}")


def check_details(domain: Domain, details: Mapping[str, Any]) -> Expression:
    """``AttributeDetails``: at most two attributes, each named in the expression and the
    expression naming no other [DOC; INFERRED: the wording], of an existing object type
    [DOC "requires an existing object type"; INFERRED: 400 rather than 404]."""
    expression = parse_expression(details["Expression"])
    listed = list(dict.fromkeys(a["Name"] for a in details["Attributes"]))
    if len(listed) > MAX_ATTRIBUTES:
        raise BadRequestException(
            f"A calculated attribute reads at most {MAX_ATTRIBUTES} attributes; "
            f"AttributeDetails lists {len(listed)}"
        )
    unnamed = [a for a in listed if a not in expression.attributes]
    unlisted = [a for a in expression.attributes if a not in listed]
    if unnamed or unlisted:
        raise BadRequestException(
            "AttributeDetails.Attributes must be the attributes the Expression names: "
            f"listed {', '.join(listed)}; the Expression names "
            f"{', '.join(expression.attributes)}"
        )
    check_attributes(domain, expression.type_name, listed, "AttributeDetails")
    return expression


def check_conditions(domain: Domain, type_name: str, conditions: Mapping[str, Any]) -> None:
    """``Conditions``: Range days within 366, ``Unit`` with a ``Value``, a ``ValueRange``
    whose ``Start`` is further back than its ``End`` (positive is the past [MODEL]), a
    ``TimestampSource`` of the type and a known ``TimestampFormat``;
    ``ObjectCount`` at most 300 [OSS CFN-RP; INFERRED: the loosest limit, the wording]."""
    window = conditions.get("Range")
    if window is not None:
        value = window.get("Value")
        if value is not None and not 1 <= value <= MAX_RANGE_DAYS:
            raise BadRequestException(f"Range.Value must be 1 to {MAX_RANGE_DAYS} days")
        if value is not None and "Unit" not in window:
            raise BadRequestException("Range.Unit is required with Range.Value")
        pair = window.get("ValueRange")
        if pair is not None:
            check_window(pair["Start"], pair["End"], "Range.ValueRange", -MAX_RANGE_DAYS)
        source = window.get("TimestampSource")
        if source is not None:
            timestamp_path(source, type_name)
        fmt = window.get("TimestampFormat")
        if fmt is not None and fmt not in TIMESTAMP_FORMATS:
            raise BadRequestException(
                f"Range.TimestampFormat {fmt} must be one of {', '.join(TIMESTAMP_FORMATS)}"
            )
    count = conditions.get("ObjectCount")
    if count is not None and count > MAX_OBJECT_COUNT:
        raise BadRequestException(f"ObjectCount must be 1 to {MAX_OBJECT_COUNT}")


def check_window(start: int, end: int, what: str, lowest: int) -> None:
    """A window of days back from now: ``Start`` and ``End`` within ``lowest``..366 and
    ``Start`` further back than ``End`` [INFERRED]."""
    for name, days in (("Start", start), ("End", end)):
        if not lowest <= days <= MAX_RANGE_DAYS:
            raise BadRequestException(f"{what}.{name} must be {lowest} to {MAX_RANGE_DAYS}")
    if start <= end:
        raise BadRequestException(
            f"{what}.Start ({start}) must be more days back than {what}.End ({end})"
        )


# What each filter DimensionType needs of its Values [MODEL enum; INFERRED: the checks].
NUMERIC_DIMENSIONS = frozenset(
    {"GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL", "EQUAL"}
)
DATE_DIMENSIONS = frozenset({"BEFORE", "AFTER", "ON"})
PAIR_DIMENSIONS = frozenset({"BETWEEN", "NOT_BETWEEN"})


def check_filter(domain: Domain, type_name: str, event_filter: Mapping[str, Any]) -> None:
    """Each dimension's attributes are fields of the type; numeric comparisons take
    numbers, BEFORE/AFTER/ON dates, BETWEEN/NOT_BETWEEN two numbers or two dates
    [INFERRED]."""
    for group in event_filter["Groups"]:
        for dimension in group["Dimensions"]:
            for key, condition in dimension["Attributes"].items():
                check_attributes(domain, type_name, [key], "Filter")
                kind, values = condition["DimensionType"], condition["Values"]
                where = f"Filter attribute {key} ({kind})"
                if kind in NUMERIC_DIMENSIONS and any(as_number(v) is None for v in values):
                    raise BadRequestException(f"{where} compares numbers: {values}")
                if kind in DATE_DIMENSIONS and any(as_time(v) is None for v in values):
                    raise BadRequestException(f"{where} compares ISO 8601 dates: {values}")
                if kind in PAIR_DIMENSIONS and (
                    len(values) != 2
                    or not (
                        all(as_number(v) is not None for v in values)
                        or all(as_time(v) is not None for v in values)
                    )
                ):
                    raise BadRequestException(f"{where} takes two numbers or two dates: {values}")


def as_time(text: str, fmt: str | None = None) -> float | None:
    """``text`` as epoch seconds: EPOCHMILLI a number of milliseconds, ISO_8601 a date or
    date-time (UTC unless it says); without a format either [INFERRED]; None when it is
    neither."""
    if fmt != "ISO_8601":
        number = as_number(text)
        if number is not None:
            return number / 1000
        if fmt == "EPOCHMILLI":
            return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


# -- what a definition is made of -----------------------------------------------------------


def given(params: Mapping[str, Any]) -> dict[str, Any]:
    """A new definition's members: the request's, and with ``UseHistoricalData`` the
    ``PREPARING`` status its processing starts in [MODEL]."""
    members = {k: v for k, v in params.items() if k not in NOT_STORED}
    if members.get("UseHistoricalData"):
        members.update(status("PREPARING"))
    return members


def check_new(domain: Domain, params: Mapping[str, Any]) -> None:
    """Everything CreateCalculatedAttributeDefinition checks beyond the model."""
    expression = check_details(domain, params["AttributeDetails"])
    check_conditions(domain, expression.type_name, params.get("Conditions") or {})
    if "Filter" in params:
        check_filter(domain, expression.type_name, params["Filter"])


def changes(domain: Domain, definition: Resource, params: Mapping[str, Any]) -> dict[str, Any]:
    """What UpdateCalculatedAttributeDefinition changes: ``DisplayName``, ``Description``
    and ``Conditions`` (replaced whole) when given [MODEL input; INFERRED: whole]."""
    if "Conditions" in params:
        type_name = compiled(definition.members).type_name
        check_conditions(domain, type_name, params["Conditions"])
    return {k: params[k] for k in UPDATABLE if k in params}


class Compiled(NamedTuple):
    """A definition as ``values`` reads it."""

    type_name: str
    expression: Expression
    attributes: tuple[str, ...]  # the attributes of the expression and the filter
    timestamp: str | None  # the TimestampSource's path into the object
    event_filter: Any  # (Include, ((Type, (dimension's Attributes, ...)), ...)), or None


# The last members compiled, by id: a definition's members are replaced on change, never
# changed in place, so the same dict compiles the same (each entry keeps its dict alive,
# so an id is not reused while it is here).
_COMPILED: dict[int, tuple[Mapping[str, Any], Compiled]] = {}
_COMPILED_MAX = 1024


def compiled(members: Mapping[str, Any]) -> Compiled:
    """``members`` parsed for computing values, once per version of a definition."""
    found = _COMPILED.get(id(members))
    if found is not None and found[0] is members:
        return found[1]
    result = _compile(json.dumps(members, sort_keys=True, default=str))
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[id(members)] = (members, result)
    return result


@functools.lru_cache(maxsize=1024)
def _compile(text: str) -> Compiled:
    members = json.loads(text)
    expression = parse_expression(members["AttributeDetails"]["Expression"])
    type_name = expression.type_name
    needed = list(expression.attributes)
    source = (members.get("Conditions") or {}).get("Range", {}).get("TimestampSource")
    timestamp = timestamp_path(source, type_name) if source else None
    event_filter = members.get("Filter")
    if event_filter is not None:
        groups = []
        for group in event_filter["Groups"]:
            dimensions = []
            for dimension in group["Dimensions"]:
                needed.extend(dimension["Attributes"])
                dimensions.append(dimension["Attributes"])
            groups.append((group["Type"], tuple(dimensions)))
        event_filter = (event_filter["Include"], tuple(groups))
    return Compiled(type_name, expression, tuple(dict.fromkeys(needed)), timestamp, event_filter)


# -- how the operations show one -----------------------------------------------------------


def shown(resource: Resource, operation: str, shape: Any = None) -> dict[str, Any]:
    """The definition as ``operation`` answers it (or ``shape``, a list's item shape):
    the members that shape has, with CreatedAt, LastUpdatedAt and Tags."""
    out = stamped({NAME: resource.name, **resource.members}, resource)
    wanted = output_members(operation, shape)
    return {k: v for k, v in out.items() if k in wanted}
