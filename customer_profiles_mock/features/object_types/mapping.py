"""Field extraction: an object type's field `Source`s turned into values of an ingested object.

A `Source` is either a plain JSON accessor, `_source.Address.City`, or a Handlebars template
(any `Source` containing `{{`), such as `{{_source.FirstName}} {{_source.LastName}}`. Each is
compiled once (cached by its text) into a closure from the parsed object to a string.

What AWS documents [DOC mapping-field-definitions, examples-object-type-mappings]:

- every path starts at `_source`, the ingested object; a missing path gives an empty value;
- templates support interpolation, `#if`, `#unless`, `#each`, `#with` and the block helper
  `{{#removeExtraSpace}}...{{/removeExtraSpace}}`, which "collapses extra whitespace when
  some inputs might be missing";
- a `Source` with invalid Handlebars syntax is rejected when the object type is created.

What we infer [INF], following Handlebars where AWS says nothing:

- Arrays: AWS documents no index syntax. `_source.a.0.b`, `_source.a.[0].b` (Handlebars) and
  `_source.a[0].b` (JSON-path style) all index, in plain paths and in templates alike; a
  digit segment on an object reads the key of that name. `[...]` quotes any key
  (`_source.[first name]`). Plain paths accept any other character in a segment.
- Values render as JSON would: strings as they are, `12`, `1.5`, `true`; `null` and missing
  paths as `""`; objects and arrays as compact JSON (also inside templates, where Handlebars.js
  would print `[object Object]`).
- No HTML escaping: `{{x}}` and `{{{x}}}` both insert the raw value. The output is a field
  value, not HTML, and escaping would turn `O'Brien` into `O&#x27;Brien` in names and keys.
- `removeExtraSpace` replaces every run of whitespace with one space and trims both ends. It
  is a block helper only, as documented; `{{removeExtraSpace x}}` is rejected.
- Truthiness is Handlebars.js's: `#if`/`#unless` treat missing, `null`, `false`, `""`, `0`
  and `[]` as false (an empty object is true); `#with` skips its body for the same values
  except `0`; `#each` runs its `{{else}}` branch for anything but a non-empty array or object.
- Inside `#each`/`#with`, `this` (or `.`) is the current item and `this.x` reads from it; a
  bare name is looked up in the current item, then in each enclosing context out to the root
  (Mustache and Handlebars.java behaviour), so `{{_source.x}}` works at any depth. `@index`,
  `@key`, `@first` and `@last` are the `#each` data variables (`""` outside `#each`).
- Outside `#each`/`#with`, every path must start with `_source`.
- Also accepted, as Handlebars does: `{{else}}` (or `{{^}}`) in every block but
  `#removeExtraSpace`, `{{else if x}}` chains, comments `{{! }}` and `{{!-- --}}`, `{{&x}}`,
  whitespace control `{{~x~}}`, and `\\{{` for a literal `{{`. Handlebars.js's "standalone
  line" whitespace removal is not applied (sources are one line in practice).
- Rejected with a `SourceError` naming the problem and its offset: unclosed or mismatched
  blocks, a stray `{{else}}` or closing tag, unknown helpers, helper calls with arguments
  outside the documented blocks, partials, sub-expressions, hash and literal arguments, block
  parameters, `../` paths, other `@` variables, and blocks nested more than 100 deep.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

__all__ = ["SourceError", "check_source", "compile_source", "extract"]


class SourceError(ValueError):
    """A field `Source` that cannot be compiled; the message names the problem."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()

# A render frame: (context value, enclosing frame, #each data or None).
Frame = tuple[Any, Any, "dict[str, Any] | None"]
Render = Callable[[Frame], str]
Resolve = Callable[[Frame], Any]

_MAX_DEPTH = 100
# [INFERRED] #each iterations one object's extraction may run (nested blocks multiply):
# AWS documents no limit, but 6 nested blocks over 100 items would never finish.
_EACH_BUDGET = 1_000_000
_budget = threading.local()  # .left: what the object may still run; .extracting: in extract()
_CACHE_SIZE = 4096
_cache: dict[str, Callable[[Any], str]] = {}

_BLOCKS = ("if", "unless", "each", "with", "removeExtraSpace")
_DATA = frozenset({"index", "key", "first", "last"})
# Characters Handlebars does not allow in an identifier, besides whitespace.
_NOT_IN_ID = frozenset("!\"#%&'()*+,./;<=>@[\\]^`{|}~")
_LONG_COMMENT_END = re.compile(r"--(~?)\}\}")
_TRIPLE_END = re.compile(r"\}(~?)\}\}")
_BRACKETED = re.compile(r"\[[^\]]*\]")


# -- values -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A value as the field's string: JSON's rendering, "" for null and missing."""
    if type(value) is str:
        return value
    kind = type(value)
    if value is None or value is _MISSING:
        return ""
    if kind is bool:
        return "true" if value else "false"
    try:
        if kind is int:
            return int.__repr__(value)
        if kind is float and math.isfinite(value):
            return float.__repr__(value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except Exception:  # an int too long for str(), a cycle, a recursion limit: not JSON
        return ""


def _child(value: Any, segment: str, index: int) -> Any:
    """value[segment]; index is segment as a list index, or -1 when it is not digits."""
    kind = type(value)
    if kind is dict:
        return value.get(segment, _MISSING)
    if kind is list:
        return value[index] if 0 <= index < len(value) else _MISSING
    if isinstance(value, Mapping):
        return value.get(segment, _MISSING)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return value[index] if 0 <= index < len(value) else _MISSING
    return _MISSING


def _falsy(value: Any) -> bool:
    """Handlebars.js `#if`: missing, null, false, "", 0 and [] are false; {} is true."""
    if value is _MISSING or value is None or value is False or value == "":
        return True
    kind = type(value)
    if kind is list:
        return not value
    return (kind is int or kind is float) and value == 0


def _empty(value: Any) -> bool:
    """Handlebars.js `#with`: as `_falsy`, but 0 is a context like any other."""
    return value is _MISSING or value is None or value is False or value == "" or value == []


# -- paths --------------------------------------------------------------------------------

Steps = tuple[tuple[str, int], ...]


def _step(segment: str) -> tuple[str, int]:
    digits = segment.isdigit() and segment.isascii() and len(segment) < 19
    return segment, int(segment) if digits else -1


def _split_path(path: str, strict: bool) -> list[str]:
    """Segments of `a.b`, `a.[b c]`, `a[0]`; strict: Handlebars identifier characters only."""
    segments: list[str] = []
    i, n = 0, len(path)
    expect_segment = True
    while i < n:
        char = path[i]
        if char == "[":
            end = path.find("]", i + 1)
            if end < 0:
                raise SourceError(f'invalid path "{path}": unclosed [')
            segment = path[i + 1 : end]
            if not segment:
                raise SourceError(f'invalid path "{path}": empty []')
            segments.append(segment)
            i = end + 1
            if i < n and path[i] not in ".[":
                raise SourceError(f'invalid path "{path}": "{path[i]}" after ]')
            if i < n and path[i] == ".":
                i += 1
                if i == n:
                    raise SourceError(f'invalid path "{path}": empty segment')
            expect_segment = False
            continue
        if char == "." and expect_segment:
            raise SourceError(f'invalid path "{path}": empty segment')
        end = i
        while end < n and path[end] not in ".[":
            end += 1
        segment = path[i:end]
        if strict:
            for ch in segment:
                if ch in _NOT_IN_ID or ch.isspace() or ch == "]":
                    raise SourceError(f"invalid path \"{path}\": character '{ch}'")
        elif "]" in segment:
            raise SourceError(f'invalid path "{path}": ] without [')
        segments.append(segment)
        i = end
        if i < n and path[i] == ".":
            i += 1
            if i == n:
                raise SourceError(f'invalid path "{path}": empty segment')
            expect_segment = True
        else:
            expect_segment = False
    return segments


def _walk(steps: Steps) -> Callable[[Any], Any]:
    """A function from a value to the value at steps below it, or _MISSING."""
    if not steps:
        return lambda value: value
    if len(steps) == 1:
        ((segment, index),) = steps

        def one(value: Any) -> Any:
            if type(value) is dict:
                return value.get(segment, _MISSING)
            return _child(value, segment, index)

        return one

    def many(value: Any) -> Any:
        for segment, index in steps:
            if type(value) is dict:
                value = value.get(segment, _MISSING)
            else:
                value = _child(value, segment, index)
            if value is _MISSING:
                return value
        return value

    return many


def _compile_plain(source: str) -> Callable[[Any], str]:
    segments = _split_path(source, strict=False)
    if not segments or segments[0] != "_source":
        raise SourceError(f'path "{source}" does not start with _source')
    steps = tuple(_step(s) for s in segments[1:])
    if len(steps) == 1:
        ((key, index),) = steps

        def plain1(obj: Any) -> str:
            value = obj.get(key, _MISSING) if type(obj) is dict else _child(obj, key, index)
            return value if type(value) is str else _text(value)

        return plain1
    walk = _walk(steps)

    def plain(obj: Any) -> str:
        value = walk(obj)
        return value if type(value) is str else _text(value)

    return plain


# -- templates: tokens --------------------------------------------------------------------


class _Tag:
    __slots__ = ("content", "offset")

    def __init__(self, content: str, offset: int) -> None:
        self.content = content
        self.offset = offset


def _tokenize(source: str) -> list[str | _Tag]:
    """Text and tags, with `~` whitespace control and `\\{{` escapes applied; no comments."""
    tokens: list[str | _Tag] = []
    strip_next = False

    def add_text(text: str) -> None:
        nonlocal strip_next
        if strip_next:
            text = text.lstrip()
            strip_next = False
        if text:
            tokens.append(text)

    pos, n = 0, len(source)
    while pos < n:
        start = source.find("{{", pos)
        if start < 0:
            add_text(source[pos:])
            break
        if start > pos and source[start - 1] == "\\":
            if start - 1 > pos and source[start - 2] == "\\":
                add_text(source[pos : start - 1])  # \\{{x}}: a backslash, then {{x}}
            else:
                add_text(source[pos : start - 1] + "{{")  # \{{: a literal {{
                pos = start + 2
                continue
        else:
            add_text(source[pos:start])
        at = start + 2
        if source.startswith("~", at):
            at += 1
            if tokens and isinstance(tokens[-1], str):
                tokens[-1] = tokens[-1].rstrip()
                if not tokens[-1]:
                    tokens.pop()
        if source.startswith("!--", at):
            match = _LONG_COMMENT_END.search(source, at + 3)
            if match is None:
                raise SourceError(f"unclosed comment at offset {start}")
            strip_next = match.group(1) == "~"
            pos = match.end()
            continue
        if source.startswith("{", at):
            match = _TRIPLE_END.search(source, at + 1)
            if match is None:
                raise SourceError(f"unclosed {{{{{{ at offset {start}")
            tokens.append(_Tag("&" + source[at + 1 : match.start()], start))
            strip_next = match.group(1) == "~"
            pos = match.end()
            continue
        end = source.find("}}", at)
        if end < 0:
            raise SourceError(f"unclosed {{{{ at offset {start}")
        pos = end + 2
        strip_next = end > at and source[end - 1] == "~"
        content = source[at : end - 1] if strip_next else source[at:end]
        if not content.startswith("!"):
            tokens.append(_Tag(content, start))
    return tokens


def _arguments(text: str, offset: int) -> list[str]:
    """Whitespace-separated arguments of a tag, `[...]` segments kept whole."""
    args: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        start = i
        while i < n and not text[i].isspace():
            if text[i] == "[":
                end = text.find("]", i + 1)
                if end < 0:
                    raise SourceError(
                        f'invalid path "{text[start:]}": unclosed [ at offset {offset}'
                    )
                i = end
            i += 1
        args.append(text[start:i])
    return args


def _check_argument(arg: str, offset: int) -> None:
    first = arg[0]
    if first == "(":
        raise SourceError(f"subexpressions are not supported at offset {offset}")
    if first == "|" or arg == "as":
        raise SourceError(f"block parameters are not supported at offset {offset}")
    if "=" in _BRACKETED.sub("", arg):
        raise SourceError(f"hash arguments are not supported at offset {offset}")
    if first in "\"'" or first.isdigit() or arg in ("true", "false", "null", "undefined"):
        raise SourceError(f"literal arguments are not supported at offset {offset}")


# -- templates: parsing and compiling -----------------------------------------------------


class _Block:
    __slots__ = ("body", "chained", "depth", "inverse", "name", "offset", "outer", "resolve")

    def __init__(self, name: str, offset: int, outer: int, chained: bool) -> None:
        self.name = name
        self.resolve: Resolve | None = None
        self.offset = offset
        self.outer = outer  # context depth around the block (and of its else branch)
        self.depth = outer + 1 if name in ("each", "with") else outer  # inside its body
        self.chained = chained  # opened by {{else name ...}}, closed with its parent
        self.body: list[Any] = []
        self.inverse: list[Any] | None = None


def _resolver(arg: str, depth: int, offset: int) -> Resolve:
    """The function from a frame to the value arg names there."""
    _check_argument(arg, offset)
    if arg.startswith("@"):
        name = arg[1:]
        if name not in _DATA:
            raise SourceError(
                f'data variable "{arg}" is not supported (only @index, @key, @first, @last)'
                f" at offset {offset}"
            )

        def data(frame: Frame) -> Any:
            while frame is not None:
                if frame[2] is not None:
                    return frame[2][name]
                frame = frame[1]
            return _MISSING

        return data
    if arg.startswith("../"):
        raise SourceError(f"parent paths (../) are not supported at offset {offset}")
    this = arg in ("this", ".") or arg.startswith(("this.", "this/", "this[", "./"))
    if this and depth == 0:
        raise SourceError(f'path "{arg}" does not start with _source at offset {offset}')
    if arg in ("this", "."):
        return lambda frame: frame[0]
    for prefix, cut in (("this.", 5), ("this/", 5), ("this[", 4), ("./", 2)):
        if arg.startswith(prefix):
            segments = _split_at(arg[cut:], offset)
            if not segments:
                raise SourceError(f'invalid path "{arg}": empty segment at offset {offset}')
            walk_this = _walk(tuple(_step(s) for s in segments))
            return lambda frame: walk_this(frame[0])
    segments = _split_at(arg, offset)
    if depth == 0:
        if segments[0] != "_source":
            raise SourceError(f'path "{arg}" does not start with _source at offset {offset}')
        walk_root = _walk(tuple(_step(s) for s in segments))
        return lambda frame: walk_root(frame[0])
    first, first_index = _step(segments[0])
    rest = _walk(tuple(_step(s) for s in segments[1:]))

    def nearest(frame: Frame) -> Any:
        while frame is not None:
            value = _child(frame[0], first, first_index)
            if value is not _MISSING:
                return rest(value)
            frame = frame[1]
        return _MISSING

    return nearest


def _split_at(path: str, offset: int) -> list[str]:
    try:
        return _split_path(path, strict=True)
    except SourceError as error:
        raise SourceError(f"{error} at offset {offset}") from None


def _parse(source: str) -> list[Any]:
    """The template's tree: str, ("var", resolve) and _Block nodes."""
    root: list[Any] = []
    stack: list[_Block] = []

    def target() -> list[Any]:
        if not stack:
            return root
        top = stack[-1]
        return top.inverse if top.inverse is not None else top.body

    def depth() -> int:
        if not stack:
            return 0
        top = stack[-1]
        return top.outer if top.inverse is not None else top.depth

    def open_block(name: str, args: list[str], offset: int, chained: bool) -> _Block:
        if name not in _BLOCKS:
            raise SourceError(f'unknown block helper "#{name}" at offset {offset}')
        if len(stack) >= _MAX_DEPTH:
            raise SourceError(f"blocks nested more than {_MAX_DEPTH} deep at offset {offset}")
        if name == "removeExtraSpace":
            if args:
                for arg in args:
                    _check_argument(arg, offset)
                raise SourceError(
                    f"{{{{#removeExtraSpace}}}} takes no arguments at offset {offset}"
                )
        elif len(args) != 1:
            for arg in args:
                _check_argument(arg, offset)
            raise SourceError(f"{{{{#{name}}}}} takes exactly one path at offset {offset}")
        block = _Block(name, offset, depth(), chained)
        if args:
            block.resolve = _resolver(args[0], block.outer, offset)
        target().append(block)
        stack.append(block)
        return block

    for token in _tokenize(source):
        if isinstance(token, str):
            nodes = target()
            if nodes and isinstance(nodes[-1], str):
                nodes[-1] += token
            else:
                nodes.append(token)
            continue
        offset = token.offset
        content = token.content.strip()
        if not content:
            raise SourceError(f"empty expression at offset {offset}")
        lead = content[0]
        if lead == "#":
            if content[1:2] in (">", "*"):
                what = "partials" if content[1] == ">" else "decorators"
                raise SourceError(f"{what} are not supported at offset {offset}")
            words = _arguments(content[1:], offset)
            if not words:
                raise SourceError(f"empty expression at offset {offset}")
            open_block(words[0], words[1:], offset, chained=False)
        elif lead == "/":
            name = content[1:].strip()
            if not stack:
                raise SourceError(
                    f"unexpected {{{{/{name}}}}} at offset {offset}: no block is open"
                )
            while stack[-1].chained:
                stack.pop()
            opened = stack.pop()
            if name != opened.name:
                expected = f"{{{{/{opened.name}}}}}"
                raise SourceError(
                    f"mismatched {{{{/{name}}}}} at offset {offset}: expected {expected}"
                )
        elif content == "^" or content.split(None, 1)[0] == "else":
            if not stack:
                raise SourceError(f"unexpected {{{{else}}}} at offset {offset}: no block is open")
            top = stack[-1]
            if top.name == "removeExtraSpace":
                raise SourceError(
                    f"unexpected {{{{else}}}} at offset {offset}: {{{{#removeExtraSpace}}}} has no"
                    " else branch"
                )
            if top.inverse is not None:
                raise SourceError(
                    f"second {{{{else}}}} at offset {offset} in the {{{{#{top.name}}}}} opened at"
                    f" offset {top.offset}"
                )
            top.inverse = []
            words = _arguments(content[4:], offset) if content != "^" else []
            if words:
                open_block(words[0], words[1:], offset, chained=True)
        elif lead == "^":
            raise SourceError(
                f"inverse sections ({{{{^...}}}}) are not supported at offset {offset}"
            )
        elif lead == ">":
            raise SourceError(f"partials are not supported at offset {offset}")
        elif lead == "*":
            raise SourceError(f"decorators are not supported at offset {offset}")
        else:
            if lead == "&":
                content = content[1:].strip()
                if not content:
                    raise SourceError(f"empty expression at offset {offset}")
            words = _arguments(content, offset)
            name = words[0]
            if name in _BLOCKS:
                usage = f"{{{{#{name}}}}}...{{{{/{name}}}}}"
                raise SourceError(f'helper "{name}" must open a block ({usage}) at offset {offset}')
            if len(words) > 1:
                _check_argument(name, offset)
                raise SourceError(f'unknown helper "{name}" at offset {offset}')
            target().append(("var", _resolver(name, depth(), offset)))
    if stack:
        while len(stack) > 1 and stack[-1].chained:
            stack.pop()
        block = stack[-1]
        raise SourceError(f"unclosed {{{{#{block.name}}}}} at offset {block.offset}")
    return root


def _constant(text: str) -> Render:
    return lambda frame: text


def _sequence(nodes: list[Any]) -> Render:
    parts: list[Render] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(_constant(node))
        elif isinstance(node, _Block):
            parts.append(_compile_block(node))
        else:
            resolve: Resolve = node[1]

            def var(frame: Frame, resolve: Resolve = resolve) -> str:
                value = resolve(frame)
                return value if type(value) is str else _text(value)

            parts.append(var)
    if not parts:
        return lambda frame: ""
    if len(parts) == 1:
        return parts[0]
    return lambda frame: "".join([part(frame) for part in parts])


def _compile_block(block: _Block) -> Render:
    body = _sequence(block.body)
    inverse = _sequence(block.inverse) if block.inverse is not None else None
    if block.name == "removeExtraSpace":
        return lambda frame: " ".join(body(frame).split())
    resolve = block.resolve
    assert resolve is not None
    if block.name in ("if", "unless"):
        want = block.name == "unless"

        def branch(frame: Frame) -> str:
            if _falsy(resolve(frame)) is want:
                return body(frame)
            return inverse(frame) if inverse is not None else ""

        return branch
    if block.name == "with":

        def with_(frame: Frame) -> str:
            value = resolve(frame)
            if not _empty(value):
                return body((value, frame, None))
            return inverse(frame) if inverse is not None else ""

        return with_

    def each(frame: Frame) -> str:
        value = resolve(frame)
        if type(value) is dict or isinstance(value, Mapping):
            items: list[tuple[Any, Any]] = list(value.items())
        elif type(value) is list or (
            isinstance(value, Sequence) and not isinstance(value, (str, bytes))
        ):
            items = list(enumerate(value))
        else:
            items = []
        if not items:
            return inverse(frame) if inverse is not None else ""
        _budget.left = getattr(_budget, "left", _EACH_BUDGET) - len(items)
        if _budget.left < 0:
            raise SourceError(f"#each renders more than {_EACH_BUDGET:,} items for one object")
        last = len(items) - 1
        return "".join(
            [
                body((item, frame, {"index": i, "key": key, "first": i == 0, "last": i == last}))
                for i, (key, item) in enumerate(items)
            ]
        )

    return each


def _compile_template(source: str) -> Callable[[Any], str]:
    render = _sequence(_parse(source))

    def run(obj: Any) -> str:
        if not getattr(_budget, "extracting", False):
            _budget.left = _EACH_BUDGET  # called on its own: the object is this call's
        return render(({"_source": obj}, None, None))

    return run


# -- API ----------------------------------------------------------------------------------


def compile_source(source: str) -> Callable[[Any], str]:
    """The function from a parsed object to the field's value; SourceError if invalid."""
    if type(source) is not str:
        raise SourceError(f"Source must be a string, not {type(source).__name__}")
    compiled = _cache.get(source)
    if compiled is not None:
        return compiled
    if not source:
        raise SourceError("Source is empty")
    compiled = _compile_template(source) if "{{" in source else _compile_plain(source)
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[source] = compiled
    return compiled


def check_source(source: str) -> str | None:
    """Why `source` is invalid, or None when it compiles."""
    try:
        compile_source(source)
    except SourceError as error:
        return str(error)
    return None


def extract(fields: Mapping[str, Mapping[str, Any]], obj: Any) -> dict[str, str]:
    """Every field's value in obj, "" included; a field without a Source gives ""."""
    cache = _cache
    _budget.left = _EACH_BUDGET  # per object: shared by its fields
    _budget.extracting = True
    values: dict[str, str] = {}
    try:
        for name, field in fields.items():
            source = field.get("Source")
            if source is None:
                values[name] = ""
                continue
            compiled = cache.get(source) if type(source) is str else None
            if compiled is None:
                compiled = compile_source(source)
            values[name] = compiled(obj)
    finally:
        _budget.extracting = False
    return values
