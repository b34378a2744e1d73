"""Server-side checks of the model's constraints, with AWS-style validation messages.

botocore checks only ``required``, ``min`` and types on the client; everything else
(``max``, ``pattern``, ``enum``, numeric ranges) reaches the server, which answers
``400 BadRequestException`` with a Coral-style message such as::

    1 validation error detected: Value '[...]' at 'profileIds' failed to satisfy
    constraint: Member must have length less than or equal to 20

Validators are compiled once per shape into closures, so checking a request costs a
few dictionary look-ups per member present.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire.errors import BadRequestException

# A scalar check returns the failed constraint messages, or None when the value is valid.
ScalarCheck = Callable[[Any], "list[str] | None"]
# A container walk appends whole error sentences for the value at ``path``.
Walk = Callable[[Any, str, "list[str]"], None]

_SCALAR_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "double": (int, float),
    "float": (int, float),
    "boolean": (bool,),
    "timestamp": (int, float, str, datetime.datetime),
    "blob": (str, bytes),
}
# Shapes that hold other shapes; every other type is a scalar.
CONTAINER_TYPES = frozenset({"structure", "list", "map"})
_NO_MAX = float("inf")
# (path name, scalar check or None, container walk or None, hide the value, and for
# plain strings the length limits, else -1 so the inline check never passes)
_MemberSpec = tuple[str, "ScalarCheck | None", "Walk | None", bool, float, float]


_SHOWN = 1000  # [INFERRED] how much of a value a message echoes: AWS truncates long values
_DEEPEST = 20  # levels of nesting shown; deeper ones as "..."


def render(value: Any) -> str:
    """A value as Java's ``toString`` shows it in Coral messages, cut to ``_SHOWN``
    characters (a list of 1,000,000 ids must not make a 34 MB message)."""
    parts: list[str] = []
    _render(value, parts, [0], 0)
    text = "".join(parts)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "..."


def _render(value: Any, parts: list[str], size: list[int], depth: int) -> None:
    if size[0] > _SHOWN:
        return
    if depth > _DEEPEST:
        text = "..."
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, dict)):
        is_list = isinstance(value, list)
        parts.append("[" if is_list else "{")
        items: Any = value if isinstance(value, list) else value.items()
        for i, item in enumerate(items):
            if i:
                parts.append(", ")
            if not is_list:
                parts.append(f"{str(item[0])[:_SHOWN]}=")
                item = item[1]
            _render(item, parts, size, depth + 1)
            if size[0] > _SHOWN:
                break
        text = "]" if is_list else "}"
    else:
        text = str(value)[: _SHOWN + 1]
    parts.append(text)
    size[0] += len(text)


def error_sentence(value: Any, path: str, constraint: str, sensitive: bool) -> str:
    shown = " " if sensitive else f" '{render(value)}' "
    if value is None:
        shown = " null "
    return f"Value{shown}at '{path}' failed to satisfy constraint: {constraint}"


def camel(name: str) -> str:
    """A member name as Coral messages write member paths: ``ProfileIds`` -> ``profileIds``."""
    return name[:1].lower() + name[1:]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Compiler:
    """Compiles shapes once per process, for every thread. A walk is published (and read
    without the lock) only once the outermost compilation that made it is complete: a
    recursive shape's forward reference is never seen by another thread half-made."""

    def __init__(self) -> None:
        self._scalars: dict[str, ScalarCheck] = {}
        self._walks: dict[tuple[str, bool], Walk] = {}  # complete
        self._lock = forksafe.rlock()
        self._pending: dict[tuple[str, bool], Walk] = {}  # this compilation's, under the lock
        forksafe.register(self)

    def after_fork_in_child(self) -> None:
        """A compilation a thread of the parent was in the middle of at the fork never
        ends in the child: drop its half-made walks, or every later one would think
        itself nested in it and never publish (nor clear) its walks."""
        self._pending.clear()

    def scalar(self, shape: Any) -> ScalarCheck:
        check = self._scalars.get(shape.name)
        if check is None:
            check = self._scalars[shape.name] = _compile_scalar(shape)
        return check

    def walk(self, shape: Any, sensitive: bool) -> Walk:
        sensitive = sensitive or bool(shape.metadata.get("sensitive"))
        key = (shape.name, sensitive)
        walk = self._walks.get(key)
        if walk is not None:
            return walk
        with self._lock:
            walk = self._pending.get(key) or self._walks.get(key)
            if walk is not None:
                return walk
            outermost = not self._pending
            holder: list[Walk] = []
            # A forward reference first, so recursive shapes compile.
            self._pending[key] = lambda v, p, e: holder[0](v, p, e)
            try:
                if shape.type_name == "structure":
                    walk = self._structure(shape, sensitive)
                elif shape.type_name == "list":
                    walk = self._list(shape, sensitive)
                elif shape.type_name == "map":
                    walk = self._map(shape, sensitive)
                else:
                    walk = self._scalar_walk(shape, sensitive)
                holder.append(walk)
                self._pending[key] = walk
                if outermost:
                    self._walks.update(self._pending)
            finally:
                if outermost:
                    self._pending.clear()
            return walk

    def _scalar_walk(self, shape: Any, sensitive: bool) -> Walk:
        check = self.scalar(shape)

        def walk(value: Any, path: str, errors: list[str]) -> None:
            failed = check(value)
            if failed:
                errors.extend(error_sentence(value, path, msg, sensitive) for msg in failed)

        return walk

    def _structure(self, shape: Any, sensitive: bool) -> Walk:
        # Seeding validates every profile with this loop, so it is kept tight: one
        # look-up per member, strings with only length limits checked inline, and a
        # member's path built only when it fails.
        members: dict[str, _MemberSpec] = {}
        for name, member in shape.members.items():
            path_name = camel(name)
            if member.type_name in CONTAINER_TYPES:
                members[name] = (path_name, None, self.walk(member, sensitive), sensitive, -1, -1)
                continue
            hidden = sensitive or bool(member.metadata.get("sensitive"))
            meta = member.metadata
            plain = member.type_name == "string" and not (member.enum or "pattern" in meta)
            lo, hi = (meta.get("min", 0), meta.get("max", _NO_MAX)) if plain else (-1, -1)
            members[name] = (path_name, self.scalar(member), None, hidden, lo, hi)
        required = [(n, camel(n)) for n in shape.required_members]
        is_union = bool(shape.metadata.get("union"))

        def walk(value: Any, path: str, errors: list[str]) -> None:
            if type(value) is not dict:
                errors.append(error_sentence(value, path, "Member must be a structure", sensitive))
                return
            for name, path_name in required:
                if value.get(name) is None:
                    errors.append(
                        error_sentence(
                            None, _join(path, path_name), "Member must not be null", False
                        )
                    )
            present = 0
            for name, item in value.items():
                spec = members.get(name)
                if spec is None or item is None:
                    continue
                present += 1
                if type(item) is str and spec[4] <= len(item) <= spec[5]:
                    continue  # a plain string within its length limits
                check = spec[1]
                if check is None:
                    spec[2](item, _join(path, spec[0]), errors)  # type: ignore[misc]
                    continue
                failed = check(item)
                if failed:
                    where = _join(path, spec[0])
                    errors.extend(error_sentence(item, where, m, spec[3]) for m in failed)
            if is_union and present != 1:
                errors.append(
                    error_sentence(
                        value, path, "Member must have exactly one member set", sensitive
                    )
                )

        return walk

    def _list(self, shape: Any, sensitive: bool) -> Walk:
        lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max", _NO_MAX)
        member = shape.member
        scalar = member.type_name not in CONTAINER_TYPES
        check = self.scalar(member) if scalar else None
        inner = None if scalar else self.walk(member, sensitive)

        def walk(value: Any, path: str, errors: list[str]) -> None:
            if type(value) is not list:
                errors.append(error_sentence(value, path, "Member must be a list", sensitive))
                return
            failed = _length_failures(value, lo, hi)
            if check is not None:
                failed += _item_failures(check, value, "Member")
            for constraint in failed:
                errors.append(error_sentence(value, path, constraint, sensitive))
            if inner is not None:
                for i, item in enumerate(value, 1):
                    inner(item, f"{path}.{i}.member", errors)

        return walk

    def _map(self, shape: Any, sensitive: bool) -> Walk:
        lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max", _NO_MAX)
        key_check = self.scalar(shape.key)
        value_shape = shape.value
        scalar = value_shape.type_name not in CONTAINER_TYPES
        value_check = self.scalar(value_shape) if scalar else None
        inner = None if scalar else self.walk(value_shape, sensitive)

        def walk(value: Any, path: str, errors: list[str]) -> None:
            if type(value) is not dict:
                errors.append(error_sentence(value, path, "Member must be a map", sensitive))
                return
            failed = _length_failures(value, lo, hi)
            failed += _item_failures(key_check, value, "Map keys")
            if value_check is not None:
                failed += _item_failures(value_check, value.values(), "Map value")
            for constraint in failed:
                errors.append(error_sentence(value, path, constraint, sensitive))
            if inner is not None:
                for k, item in value.items():
                    inner(item, f"{path}.{k}.member", errors)

        return walk


def _pattern(pattern: str) -> Callable[[str], object]:
    """How a model pattern is applied: [INFERRED] a pattern that anchors itself (``^`` or
    ``$``) is searched for, as written; one that does not must match the whole value, as
    Java's ``matches()`` in the service would (``[a-f0-9]{32}`` is a whole ProfileId).
    Character classes are ASCII and ``$`` is the end of the value, as in Java and
    ECMAScript (Python's ``$`` also accepts a trailing newline: ``"shop\\n"``)."""
    anchored = pattern.startswith("^") or pattern.endswith("$")
    rx = re.compile(_END.sub(r"\1\\Z", pattern), re.ASCII)
    return rx.search if anchored else rx.fullmatch


# An unescaped "$" (not preceded by an odd number of backslashes): the end of the input.
_END = re.compile(r"((?:^|[^\\])(?:\\\\)*)\$")


# The constraints a container met (the common case): shared, never appended to.
_NONE: tuple[str, ...] = ()


def _length_failures(value: Any, lo: float, hi: float) -> tuple[str, ...]:
    n = len(value)
    if n < lo:
        return (f"Member must have length greater than or equal to {lo}",)
    if n > hi:
        return (f"Member must have length less than or equal to {hi}",)
    return _NONE


def _item_failures(check: ScalarCheck, items: Any, what: str) -> tuple[str, ...]:
    """One constraint for a container whose scalar items break their shape's constraints
    (those of the first item that does), e.g. ``Map keys must satisfy constraint: [...]``."""
    for item in items:
        failed = check(item)
        if failed:
            return (f"{what} must satisfy constraint: [{', '.join(failed)}]",)
    return _NONE


def _compile_scalar(shape: Any) -> ScalarCheck:
    return _compile_string(shape) if shape.type_name == "string" else _compile_other(shape)


def _compile_string(shape: Any) -> ScalarCheck:
    type_msg = ["Member must be of type string"]
    meta = shape.metadata
    lo, hi = meta.get("min", 0), meta.get("max", _NO_MAX)
    enum = frozenset(shape.enum) if shape.enum else None
    enum_msg = "Member must satisfy enum value set: [" + ", ".join(shape.enum or ()) + "]"
    rx = _pattern(meta["pattern"]) if "pattern" in meta else None
    rx_msg = f"Member must satisfy regular expression pattern: {meta.get('pattern')}"
    too_short = f"Member must have length greater than or equal to {lo}"
    too_long = f"Member must have length less than or equal to {hi}"

    def failures(value: Any) -> list[str]:
        if type(value) is not str:
            return type_msg
        out = []
        if len(value) < lo:
            out.append(too_short)
        if len(value) > hi:
            out.append(too_long)
        if rx is not None and rx(value) is None:
            out.append(rx_msg)
        if enum is not None and value not in enum:
            out.append(enum_msg)
        return out

    # The common case (a valid string) costs one expression; failures are then
    # described by the slower function above.
    def check(value: Any) -> list[str] | None:
        if (
            type(value) is str
            and lo <= len(value) <= hi
            and (enum is None or value in enum)
            and (rx is None or rx(value) is not None)
        ):
            return None
        return failures(value)

    return check


def _compile_other(shape: Any) -> ScalarCheck:
    kind = shape.type_name
    types = _SCALAR_TYPES.get(kind, (object,))
    type_msg = [f"Member must be of type {kind}"]
    numeric = kind in ("integer", "long", "double", "float")
    # A number without a declared min has no lower bound: ValueRange's Start and End take
    # negative days (the future) [MODEL].
    lo, hi = shape.metadata.get("min", -math.inf), shape.metadata.get("max", _NO_MAX)

    def check_other(value: Any) -> list[str] | None:
        if not isinstance(value, types) or (numeric and isinstance(value, bool)):
            return type_msg
        if not numeric:
            return None
        out: list[str] | None = None
        if value < lo:
            out = [f"Member must have value greater than or equal to {lo}"]
        if value > hi:
            out = (out or []) + [f"Member must have value less than or equal to {hi}"]
        return out

    return check_other


_COMPILER = _Compiler()


def compile_scalar(shape: Any) -> ScalarCheck:
    """The check of a scalar shape's constraints (cached): None when a value meets them."""
    return _COMPILER.scalar(shape)


def compile_shape(shape: Any) -> Walk:
    """A validator for values of ``shape`` (cached; shared by requests and seeding)."""
    return _COMPILER.walk(shape, False)


_LISTED = 10  # [INFERRED] errors named in one message; the count covers them all


def summary(errors: list[str]) -> str:
    """The errors as one Coral message: ``N validation error(s) detected: ...; ...``."""
    n = len(errors)
    noun = "validation error" if n == 1 else "validation errors"
    return f"{n} {noun} detected: " + "; ".join(errors[:_LISTED])


def raise_if_invalid(errors: list[str]) -> None:
    if errors:
        raise BadRequestException(summary(errors))


@functools.cache
def input_validator(operation: str) -> Walk | None:
    """The validator of an operation's input (None when it takes no input)."""
    shape = _model.operation_model(operation).input_shape
    return None if shape is None else compile_shape(shape)


@functools.cache
def _profile_id_check() -> ScalarCheck:
    return _COMPILER.scalar(_model.service_model().shape_for("uuid"))


def is_profile_id(value: object) -> bool:
    """Whether ``value`` is a ProfileId as the model's ``uuid`` shape defines it."""
    return not _profile_id_check()(value)


def check_input(operation: str, params: dict[str, Any]) -> None:
    """Raise ``BadRequestException`` for whatever the model forbids in ``params``."""
    walk = input_validator(operation)
    if walk is not None:
        errors: list[str] = []
        walk(params, "", errors)
        raise_if_invalid(errors)
