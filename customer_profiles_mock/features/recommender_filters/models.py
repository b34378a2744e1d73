"""Recommender filters in the generic resource table, their expression language, how shown.

A filter is a ``Resource`` (``domain.part(FILTERS)``) whose members are what
CreateRecommenderFilter gave (RecommenderFilterExpression, RecommenderSchemaName,
Description), its ``Status`` and ``FailureReason``. Its states move on the job schedule,
one a step [INFERRED: as Amazon Personalize's filters]: PENDING -> IN_PROGRESS -> ACTIVE,
or FAILED when the expression does not parse (not a 400 [INFERRED]); DELETING -> gone.

The expression language is the part of Amazon Personalize's that the mock can evaluate
against the catalog items a test seeds [INFERRED]::

    (INCLUDE|EXCLUDE) ItemID WHERE <condition> [(AND|OR) <condition>]... [| <expression>]

A condition is ``Items.COLUMN`` compared with ``IN``, ``NOT IN`` (a parenthesised list),
``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` to quoted strings, numbers or ``$PLACEHOLDER``s
(values given at inference, several separated by commas); AND binds tighter than OR.
``Interactions.*`` and ``CurrentItem.*`` conditions parse but match no item (the mock
holds no interactions). A column is a catalog item's member (``Category``, ``Price``...)
or an ``Attributes`` key, matched without regard to case; ``ITEM_ID`` is ``Id``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from customer_profiles_mock.features.recommender_schemas.models import (
    SCHEMAS,
    columns,
    register_users,
    remove_if_deleting,
)
from customer_profiles_mock.store.domain import Domain, later
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table
from customer_profiles_mock.wire.errors import BadRequestException

# The lists' default MaxResults [MODEL: "The default value is 100"].
LIST_PAGE = 100
GIVEN = ("RecommenderFilterExpression", "RecommenderSchemaName", "Description")
# What Get and ListRecommenderFilters show of the members, in the model's order.
SHOWN = (*GIVEN, "Status", "FailureReason")


def _advance(domain: Domain, found: Resource) -> bool:
    """One step of a filter's states (see above); True while more follow."""
    status = found.members["Status"]
    if status == "PENDING":
        _set(found, Status="IN_PROGRESS")
        return True
    if status == "IN_PROGRESS":
        reason = failure(domain, found.members)
        if reason is None:
            _set(found, Status="ACTIVE")
        else:
            _set(found, Status="FAILED", FailureReason=reason)
        return False
    return remove_if_deleting(domain, FILTERS, found)


# Every domain's recommender filters: ``domain.part(FILTERS)``. [INFERRED] ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/recommender-filters/NAME``; TagResource
# reaches it.
FILTERS = resource_table(
    "recommender_filters",
    ResourceKind("Recommender filter", "recommender-filters", advance=_advance),
)


def _set(found: Resource, **changes: Any) -> None:
    found.members = {**found.members, **changes}
    found.updated_at = later(found.updated_at)


register_users(FILTERS)


def new_members(params: dict[str, Any]) -> dict[str, Any]:
    """A new filter: what the request gives, PENDING [INFERRED]."""
    members = {name: params[name] for name in GIVEN if name in params}
    members["Status"] = "PENDING"
    return members


def shown(found: Resource, *, in_list: bool = False) -> dict[str, Any]:
    """A filter as GetRecommenderFilter answers it, ``Tags`` always there (the model
    requires them) [MODEL]; as ListRecommenderFilters lists it with ``in_list`` (``Tags``
    only when it has some)."""
    out: dict[str, Any] = {"RecommenderFilterName": found.name}
    out.update((name, found.members[name]) for name in SHOWN if name in found.members)
    out["CreatedAt"] = found.created_at
    if found.tags or not in_list:
        out["Tags"] = dict(found.tags)
    return out


# -- the expression language -------------------------------------------------------------


class FilterError(ValueError):
    """An expression the language does not take: the filter becomes FAILED."""


class Condition(NamedTuple):
    source: str  # Items, Interactions or CurrentItem
    column: str
    operator: str  # IN, NOT IN, =, !=, <, <=, >, >=
    values: tuple[tuple[str, str], ...]  # (kind, text): kind is str, num or placeholder


class Expression(NamedTuple):
    include: bool
    groups: tuple[tuple[Condition, ...], ...]  # OR of ANDs


_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<placeholder>\$\w+)'
    r"|(?P<op><=|>=|!=|=|<|>|\(|\)|,|\|)|(?P<word>[A-Za-z_][\w.]*))"
)
_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_SOURCES = ("Items", "Interactions", "CurrentItem")


def _tokens(text: str) -> list[tuple[str, str]]:
    out, at = [], 0
    text = text.rstrip()
    while at < len(text):
        found = _TOKEN.match(text, at)
        if found is None or found.lastgroup is None:
            raise FilterError(f"unexpected text at offset {at}: {text[at : at + 20]!r}")
        kind = found.lastgroup
        value = found.group(kind)
        out.append((kind, value[1:-1] if kind == "str" else value))
        at = found.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise FilterError("the expression ends too early")
        self.at += 1
        return token

    def word(self, *expected: str) -> str:
        kind, value = self.take()
        if kind != "word" or (expected and value.upper() not in expected):
            wanted = " or ".join(expected) if expected else "a name"
            raise FilterError(f"expected {wanted}, found {value!r}")
        return value.upper()

    def is_word(self, *expected: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].upper() in expected

    def is_op(self, op: str) -> bool:
        return self.peek() == ("op", op)

    def expressions(self) -> tuple[Expression, ...]:
        out = [self.expression()]
        while self.is_op("|"):
            self.take()
            out.append(self.expression())
        if self.peek() is not None:
            raise FilterError(f"unexpected {self.take()[1]!r}")
        return tuple(out)

    def expression(self) -> Expression:
        action = self.word("INCLUDE", "EXCLUDE")
        self.word("ITEMID")
        self.word("WHERE")
        groups = [[self.condition()]]
        while self.is_word("AND", "OR"):
            if self.word("AND", "OR") == "OR":
                groups.append([])
            groups[-1].append(self.condition())
        return Expression(action == "INCLUDE", tuple(tuple(g) for g in groups))

    def condition(self) -> Condition:
        _, name = self.take()
        source, _, column = name.partition(".")
        if source not in _SOURCES or not column:
            raise FilterError(f"expected Items.COLUMN, found {name!r}")
        if self.is_word("NOT"):
            self.take()
            self.word("IN")
            return Condition(source, column, "NOT IN", self.value_list())
        if self.is_word("IN"):
            self.take()
            return Condition(source, column, "IN", self.value_list())
        kind, op = self.take()
        if kind != "op" or op not in _COMPARISONS:
            raise FilterError(f"expected IN, NOT IN or a comparison after {name}, found {op!r}")
        return Condition(source, column, op, (self.value(),))

    def value_list(self) -> tuple[tuple[str, str], ...]:
        if not self.is_op("("):
            raise FilterError("expected ( after IN")
        self.take()
        values = [self.value()]
        while self.is_op(","):
            self.take()
            values.append(self.value())
        if not self.is_op(")"):
            raise FilterError("expected ) to close the list")
        self.take()
        return tuple(values)

    def value(self) -> tuple[str, str]:
        kind, value = self.take()
        if kind not in ("str", "num", "placeholder"):
            raise FilterError(f"expected a value, found {value!r}")
        return kind, value


@functools.lru_cache(maxsize=256)
def parsed(expression: str) -> tuple[Expression, ...]:
    """``expression`` parsed (a ``FilterError`` when the language does not take it)."""
    return _Parser(expression).expressions()


def failure(domain: Domain, members: Mapping[str, Any]) -> str | None:
    """Why a filter FAILED, or None: its expression does not parse, or names an
    ``Items`` column its schema does not define (with the default schema any column is
    taken) [INFERRED]."""
    try:
        expressions = parsed(members["RecommenderFilterExpression"])
    except FilterError as exc:
        return f"Invalid filter expression: {exc}"
    schema_name = members.get("RecommenderSchemaName")
    schema = domain.part(SCHEMAS).find(schema_name) if schema_name else None
    defined = columns(schema, "_catalogItem")
    if defined is None:
        return None
    known = {column.upper() for column in defined}
    for expression in expressions:
        for group in expression.groups:
            for condition in group:
                if condition.source == "Items" and condition.column.upper() not in known:
                    return (
                        f"Invalid filter expression: Items.{condition.column} is not a "
                        f"_catalogItem column of recommender schema {schema_name}"
                    )
    return None


def placeholders(expression: str) -> set[str]:
    """The ``$NAME`` placeholders of a parsed expression, without the ``$``."""
    return {
        text[1:]
        for e in parsed(expression)
        for group in e.groups
        for condition in group
        for kind, text in condition.values
        if kind == "placeholder"
    }


def usable(domain: Domain, name: str | None, values: Mapping[str, str]) -> Resource:
    """The filter a recommendation request names: a 404 when there is none, a 400 when it
    is not ACTIVE or a placeholder of its expression has no value [INFERRED]."""
    if name is None:
        raise BadRequestException("A recommender filter needs a Name")
    found = domain.part(FILTERS).get(name)
    status = found.members["Status"]
    if status != "ACTIVE":
        raise BadRequestException(f"Recommender filter {name} is not ACTIVE (status {status})")
    missing = sorted(placeholders(found.members["RecommenderFilterExpression"]) - set(values))
    if missing:
        raise BadRequestException(
            f"Recommender filter {name} needs Values for its placeholders: "
            f"{', '.join('$' + p for p in missing)}"
        )
    return found


def passes(found: Resource, values: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool]:
    """Whether filter ``found``, with these placeholder ``values``, lets a catalog item
    (a CatalogItem's members) through: every expression in turn keeps what it INCLUDEs
    and drops what it EXCLUDEs."""
    expressions = parsed(found.members["RecommenderFilterExpression"])

    def check(item: Mapping[str, Any]) -> bool:
        return all(_holds(e, values, item) == e.include for e in expressions)

    return check


def _holds(expression: Expression, values: Mapping[str, str], item: Mapping[str, Any]) -> bool:
    return any(all(_condition(c, values, item) for c in group) for group in expression.groups)


def _condition(condition: Condition, values: Mapping[str, str], item: Mapping[str, Any]) -> bool:
    if condition.source != "Items":
        return False  # no interactions, no current item [INFERRED]
    have = column_value(item, condition.column)
    wanted = [
        _unquoted(part)
        for kind, text in condition.values
        for part in (values[text[1:]].split(",") if kind == "placeholder" else [text])
    ]
    if condition.operator in ("IN", "NOT IN", "=", "!="):
        inside = have is not None and any(_equal(have, w) for w in wanted)
        return inside if condition.operator in ("IN", "=") else not inside
    left, right = _number(have), _number(wanted[0])
    if left is None or right is None:
        return False
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[
        condition.operator
    ]


def column_value(item: Mapping[str, Any], column: str) -> str | None:
    """A catalog item's value of ``column``: a member's, else an ``Attributes`` key's,
    matched without regard to case (``ITEM_ID`` is ``Id``); None when it has none."""
    wanted = "ID" if column.upper() == "ITEM_ID" else column.upper()
    for name, value in item.items():
        if name.upper() == wanted and name != "Attributes":
            return str(value)
    for name, value in item.get("Attributes", {}).items():
        if name.upper() == wanted:
            return str(value)
    return None


def _unquoted(text: str) -> str:
    """A placeholder's value: surrounding spaces and double quotes dropped (string values
    come quoted, as Amazon Personalize takes them) [INFERRED]."""
    text = text.strip()
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == '"' else text


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _equal(have: str, wanted: str) -> bool:
    left, right = _number(have), _number(wanted)
    return left == right if left is not None and right is not None else have == wanted
