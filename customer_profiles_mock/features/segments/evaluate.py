"""Segment groups compiled once per call into one predicate over a stored profile.

A CLASSIC segment decides each profile on its own: every operator, ``Include``,
``SourceType`` and ``Type`` (ALL, ANY, NONE) and every source segment is a test of that
one profile (NONE is "not in any", which needs no other profile), so GetSegmentMembership
costs the same in a domain of 100 profiles as in one of a million, and an estimate is
one pass over the domain. ``compile_groups`` checks the definition as it compiles it
(the 400s CreateSegmentDefinition answers) and returns the predicate.

Operators [MODEL enums; INFERRED meanings]: strings compare case-insensitively
(INCLUSIVE equals any value, EXCLUSIVE none, CONTAINS / BEGINS_WITH / ENDS_WITH any);
numbers (GREATER_THAN, LESS_THAN, ..._OR_EQUAL take one value, EQUAL any); dates by day
(BEFORE / AFTER one value, ON any, BETWEEN / NOT_BETWEEN two, inclusive); LIST_CONTAINS
(any value) and LIST_CONTAINS_ALL (every value) over a JSON array or a comma-separated
list. A profile without the field fails every operator but EXCLUSIVE; a value that does
not parse as a number or a date fails. A value ``{{_profile.PATH}}`` is the profile's
own field (``FirstName``, ``Address.City``, ``Attributes.tier``), resolved per profile.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from customer_profiles_mock.wire.errors import BadRequestException

Profile = Mapping[str, Any]
Predicate = Callable[[Profile], bool]
Getter = Callable[[Profile], Any]
# What the compiler asks for beyond the definition: a source segment's predicate (a 404
# for one that does not exist) and a calculated attribute's value getter (a 400 while
# they are not served).
SourceLookup = Callable[[str], Predicate]
CalculatedLookup = Callable[[str, "Mapping[str, Any] | None"], Getter]

_EMPTY: Mapping[str, Any] = {}
ADDRESSES = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress")
# Dimensions read a field the profile may hold under either name [INFERRED]: the
# string form the profile was given, else the enum form.
_EITHER = {"GenderString": "Gender", "PartyTypeString": "PartyType"}
DYNAMIC = re.compile(r"\{\{\s*(_profile|_calculated_attribute)\.([A-Za-z0-9_.-]+)\s*\}\}")

STRING_OPS = frozenset({"INCLUSIVE", "EXCLUSIVE", "CONTAINS", "BEGINS_WITH", "ENDS_WITH"})
NUMBER_OPS = frozenset(
    {"GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL", "EQUAL"}
)
DATE_OPS = frozenset({"BEFORE", "AFTER", "ON", "BETWEEN", "NOT_BETWEEN"})
LIST_OPS = frozenset({"LIST_CONTAINS", "LIST_CONTAINS_ALL"})
# How many values an operator takes (None: one or more, as the model allows).
_ARITY = {"BETWEEN": 2, "NOT_BETWEEN": 2, "BEFORE": 1, "AFTER": 1}
_ARITY.update(dict.fromkeys(NUMBER_OPS - {"EQUAL"}, 1))


def _true(profile: Profile) -> bool:
    return True


# -- parsing values -------------------------------------------------------------------


def as_number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def as_day(text: Any) -> int | None:
    """The day a date names (its proleptic ordinal): ISO 8601 (a date, or a date and
    time, whose day counts) or MM/DD/YYYY [INFERRED]; None for anything else."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.date.fromisoformat(text[:10]).toordinal()
    except ValueError:
        found = _US_DATE.fullmatch(text.strip())
        if found is None:
            return None
        try:
            month, day, year = (int(part) for part in found.groups())
            return datetime.date(year, month, day).toordinal()
        except ValueError:
            return None


def as_list(text: Any) -> frozenset[str]:
    """A list-valued field's items, lower-cased: a JSON array, else a comma-separated
    list [INFERRED]."""
    if not isinstance(text, str):
        return frozenset()
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError:
            items = None
        if isinstance(items, list):
            return frozenset(str(item).lower() for item in items)
    return frozenset(part.strip().lower() for part in stripped.split(",") if part.strip())


# -- field getters --------------------------------------------------------------------


def field_getter(path: str) -> Getter:
    """The profile's value at ``path``: a standard field (``FirstName``), an address's
    field (``Address.City``) or a custom attribute (``Attributes.tier``)."""
    head, _, rest = path.partition(".")
    if rest and (head in ADDRESSES or head == "Attributes"):
        return lambda p: (p.get(head) or _EMPTY).get(rest)
    other = _EITHER.get(path)
    if other is not None:
        return lambda p: p.get(path) or p.get(other)
    return lambda p: p.get(path)


# -- operators ------------------------------------------------------------------------


def _prepared(op: str, values: Sequence[str], where: str) -> list[Any]:
    """The values as the operator compares them; a 400 for one that does not parse."""
    if op in NUMBER_OPS:
        numbers = [as_number(v) for v in values]
        if None in numbers:
            raise BadRequestException(f"{where}: {op} takes numbers, got {list(values)}")
        return numbers
    if op in DATE_OPS:
        days = [as_day(v) for v in values]
        if None in days:
            raise BadRequestException(f"{where}: {op} takes dates (YYYY-MM-DD), got {list(values)}")
        return days
    return [v.lower() for v in values]


def _matcher(op: str, values: list[Any]) -> Callable[[Any], bool]:
    """A test of a field's (present) value against prepared ``values``."""
    if op in STRING_OPS:
        if op == "INCLUSIVE":
            wanted = frozenset(values)
            return lambda v: str(v).lower() in wanted
        if op == "EXCLUSIVE":
            unwanted = frozenset(values)
            return lambda v: str(v).lower() not in unwanted
        if op == "CONTAINS":
            return lambda v: any(x in str(v).lower() for x in values)
        ends = tuple(values)
        if op == "BEGINS_WITH":
            return lambda v: str(v).lower().startswith(ends)
        return lambda v: str(v).lower().endswith(ends)
    if op in NUMBER_OPS:
        return _number_matcher(op, values)
    if op in DATE_OPS:
        return _date_matcher(op, values)
    items = frozenset(values)
    if op == "LIST_CONTAINS":
        return lambda v: not items.isdisjoint(as_list(v))
    return lambda v: items <= as_list(v)


def _number_matcher(op: str, values: list[Any]) -> Callable[[Any], bool]:
    if op == "EQUAL":
        wanted = frozenset(values)
        return lambda v: as_number(v) in wanted
    if not values:
        return lambda v: False
    bound = values[0]
    if op == "GREATER_THAN":
        return lambda v: (n := as_number(v)) is not None and n > bound
    if op == "LESS_THAN":
        return lambda v: (n := as_number(v)) is not None and n < bound
    if op == "GREATER_THAN_OR_EQUAL":
        return lambda v: (n := as_number(v)) is not None and n >= bound
    return lambda v: (n := as_number(v)) is not None and n <= bound


def _date_matcher(op: str, values: list[Any]) -> Callable[[Any], bool]:
    if op == "ON":
        days = frozenset(values)
        return lambda v: as_day(v) in days
    if op in ("BETWEEN", "NOT_BETWEEN"):
        if len(values) != 2:
            return lambda v: False
        low, high = sorted(values)
        if op == "BETWEEN":
            return lambda v: (d := as_day(v)) is not None and low <= d <= high
        return lambda v: (d := as_day(v)) is not None and not low <= d <= high
    if not values:
        return lambda v: False
    bound = values[0]
    if op == "BEFORE":
        return lambda v: (d := as_day(v)) is not None and d < bound
    return lambda v: (d := as_day(v)) is not None and d > bound


class Compiled(NamedTuple):
    """A definition compiled: ``test(profile)`` and ``count(profiles)``, both one
    generated function, so no call is made per profile and condition."""

    test: Predicate
    count: Callable[[Iterable[Profile]], int]


class _Compiler:
    """Writes a definition as one Python expression over ``p`` (the profile), its
    constants named in ``env``; what cannot be inlined (a source segment, a dynamic
    value, a calculated attribute) is a function of ``env`` called with ``p``."""

    def __init__(self, sources: SourceLookup, calculated: CalculatedLookup) -> None:
        self.sources = sources
        self.calculated = calculated
        self.env: dict[str, Any] = {"E": _EMPTY, "NUM": as_number, "DAY": as_day, "LIST": as_list}

    def const(self, value: Any) -> str:
        name = f"K{len(self.env)}"
        self.env[name] = value
        return name

    def build(self, expr: str) -> Compiled:
        source = (
            f"def test(p):\n    return {expr}\n"
            f"def count(profiles):\n    total = 0\n    for p in profiles:\n"
            f"        if {expr}:\n            total += 1\n    return total\n"
        )
        namespace = dict(self.env)
        exec(compile(source, "<segment>", "exec"), namespace)
        return Compiled(namespace["test"], namespace["count"])

    # -- leaves --

    @staticmethod
    def access(path: str) -> str:
        """The expression of the profile's value at ``path`` (see ``field_getter``)."""
        head, _, rest = path.partition(".")
        if rest and (head in ADDRESSES or head == "Attributes"):
            return f"(p.get({head!r}) or E).get({rest!r})"
        other = _EITHER.get(path)
        if other is not None:
            return f"(p.get({path!r}) or p.get({other!r}))"
        return f"p.get({path!r})"

    def condition(self, value: str, op: str, values: Sequence[str], where: str) -> str:
        """The test of the value expression ``value`` with ``op`` and ``values``."""
        arity = _ARITY.get(op)
        if arity is not None and len(values) != arity:
            raise BadRequestException(
                f"{where}: {op} takes exactly {arity} value{'s' if arity > 1 else ''}, "
                f"got {len(values)}"
            )
        if any(DYNAMIC.fullmatch(v) for v in values):
            return self._dynamic(value, op, values, where)
        prepared = _prepared(op, values, where)
        have = f"(v := {value}) is not None"
        if op == "EXCLUSIVE":
            return f"((v := {value}) is None or v.lower() not in {self.const(frozenset(prepared))})"
        if op == "INCLUSIVE":
            return f"({have} and v.lower() in {self.const(frozenset(prepared))})"
        if op == "CONTAINS":
            if len(prepared) == 1:
                return f"({have} and {self.const(prepared[0])} in v.lower())"
            return f"({have} and any(x in v.lower() for x in {self.const(tuple(prepared))}))"
        if op == "BEGINS_WITH":
            return f"({have} and v.lower().startswith({self.const(tuple(prepared))}))"
        if op == "ENDS_WITH":
            return f"({have} and v.lower().endswith({self.const(tuple(prepared))}))"
        if op in LIST_OPS:
            items = self.const(frozenset(prepared))
            if op == "LIST_CONTAINS":
                return f"({have} and not {items}.isdisjoint(LIST(v)))"
            return f"({have} and {items} <= LIST(v))"
        if op == "EQUAL":
            return f"({have} and NUM(v) in {self.const(frozenset(prepared))})"
        if op == "ON":
            return f"({have} and DAY(v) in {self.const(frozenset(prepared))})"
        if op in ("BETWEEN", "NOT_BETWEEN"):
            low, high = (self.const(x) for x in sorted(prepared))
            negation = "not " if op == "NOT_BETWEEN" else ""
            return f"({have} and (d := DAY(v)) is not None and {negation}{low} <= d <= {high})"
        bound = self.const(prepared[0])
        if op in DATE_OPS:
            sign = "<" if op == "BEFORE" else ">"
            return f"({have} and (d := DAY(v)) is not None and d {sign} {bound})"
        sign = _SIGNS[op]
        return f"({have} and (n := NUM(v)) is not None and n {sign} {bound})"

    def _dynamic(self, value: str, op: str, values: Sequence[str], where: str) -> str:
        """A condition with ``{{...}}`` values: its values resolved per profile."""
        static: list[str] = []
        dynamic: list[Getter] = []
        for text in values:
            found = DYNAMIC.fullmatch(text)
            if found is None:
                static.append(text)
            elif found[1] == "_profile":
                dynamic.append(field_getter(found[2]))
            else:
                dynamic.append(self.calculated(found[2], None))
        prepared = _prepared(op, static, where)

        def matches(p: Profile, v: Any) -> bool:
            extra = [str(x) for g in dynamic if (x := g(p)) is not None]
            if op in NUMBER_OPS:
                more: list[Any] = [n for x in extra if (n := as_number(x)) is not None]
            elif op in DATE_OPS:
                more = [d for x in extra if (d := as_day(x)) is not None]
            else:
                more = [x.lower() for x in extra]
            return _matcher(op, prepared + more)(v)

        fn = self.const(matches)
        if op == "EXCLUSIVE":
            return f"((v := {value}) is None or {fn}(p, v))"
        return f"((v := {value}) is not None and {fn}(p, v))"

    # -- structure --

    def dimension(self, dimension: Mapping[str, Any], where: str) -> str:
        parts: list[str] = []
        for name, sub in (dimension.get("ProfileAttributes") or {}).items():
            here = f"{where}.ProfileAttributes.{name}"
            if name in ADDRESSES or name == "Attributes":
                for key, leaf in sub.items():
                    parts.append(
                        self.condition(
                            self.access(f"{name}.{key}"),
                            leaf["DimensionType"],
                            leaf["Values"],
                            f"{here}.{key}",
                        )
                    )
            elif name == "ProfileType":
                wanted = self.const(frozenset(sub["Values"]))
                negation = "not " if sub["DimensionType"] == "EXCLUSIVE" else ""
                parts.append(f"((p.get('ProfileType') or 'PROFILE') {negation}in {wanted})")
            else:
                parts.append(
                    self.condition(self.access(name), sub["DimensionType"], sub["Values"], here)
                )
        for name, sub in (dimension.get("CalculatedAttributes") or {}).items():
            get = self.const(
                self.calculated(name, (sub.get("ConditionOverrides") or {}).get("Range"))
            )
            parts.append(
                self.condition(
                    f"{get}(p)",
                    sub["DimensionType"],
                    sub["Values"],
                    f"{where}.CalculatedAttributes.{name}",
                )
            )
        if not parts:
            raise BadRequestException(f"{where} must set ProfileAttributes or CalculatedAttributes")
        return combine(parts, "ALL")

    def groups(self, groups: Mapping[str, Any], where: str) -> str:
        group_exprs: list[str] = []
        for i, group in enumerate(groups.get("Groups") or ()):
            here = f"{where}.Groups[{i}]"
            source_list = group.get("SourceSegments") or ()
            names = [source.get("SegmentDefinitionName") for source in source_list]
            if None in names:
                raise BadRequestException(
                    f"{here}.SourceSegments: each names a SegmentDefinitionName"
                )
            audience = (
                combine(
                    [f"{self.const(self.sources(name))}(p)" for name in names],
                    group.get("SourceType") or "ANY",
                )
                if names
                else "True"
            )
            dims = [
                self.dimension(d, f"{here}.Dimensions[{j}]")
                for j, d in enumerate(group.get("Dimensions") or ())
            ]
            filters = combine(dims, group.get("Type") or "ALL")
            group_exprs.append(combine([audience, filters], "ALL"))
        return combine(group_exprs, groups.get("Include") or "ALL")


_SIGNS = {
    "GREATER_THAN": ">",
    "LESS_THAN": "<",
    "GREATER_THAN_OR_EQUAL": ">=",
    "LESS_THAN_OR_EQUAL": "<=",
}


def combine(exprs: Sequence[str], how: str) -> str:
    """ALL: every one holds; ANY: one holds; NONE: none holds. With none given, ALL and
    NONE hold for every profile and ANY for none [INFERRED]."""
    kept = [e for e in exprs if not (how == "ALL" and e == "True")]
    if not kept:
        return "False" if how == "ANY" else "True"
    if how == "ALL":
        return kept[0] if len(kept) == 1 else "(" + " and ".join(kept) + ")"
    anyone = kept[0] if len(kept) == 1 else "(" + " or ".join(kept) + ")"
    return anyone if how == "ANY" else f"(not {anyone})"


def compile_groups(
    groups: Mapping[str, Any],
    sources: SourceLookup,
    calculated: CalculatedLookup,
    where: str = "SegmentGroups",
) -> Compiled:
    """The compiled ``SegmentGroups`` (or an estimate's ``SegmentQuery``): each group is
    its starting audience (``SourceSegments`` combined by ``SourceType``, default ANY;
    none: every profile) and its ``Dimensions`` (combined by ``Type``, default ALL);
    ``Include`` (default ALL) combines the groups [DOC customer-segments-building-segments;
    INFERRED defaults]. The 400s and 404s of a definition that does not compile are
    raised here."""
    compiler = _Compiler(sources, calculated)
    return compiler.build(compiler.groups(groups, where))


def compile_members(members: frozenset[str]) -> Compiled:
    """A segment whose members are a set of profile ids (a seeded SQL segment)."""
    compiler = _Compiler(lambda name: _true, lambda name, override: _true)
    return compiler.build(f"(p['ProfileId'] in {compiler.const(members)})")
