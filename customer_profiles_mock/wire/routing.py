"""Routing: the operation and URI labels of a method and raw path, by the requestUri templates."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from urllib.parse import unquote

from customer_profiles_mock.wire import model as _model


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    param_name: str = ""
    operations: dict[str, str] = field(default_factory=dict)  # HTTP method -> operation


class Router:
    """Finds the operation and URI labels for a method and a raw (still %-encoded) path."""

    def __init__(self, operations: list[tuple[str, str, str]]) -> None:
        self._root = _Node()
        for name, method, uri in operations:
            node = self._root
            for segment in _segments(uri.split("?", 1)[0]):
                if segment.startswith("{") and segment.endswith("}"):
                    if node.param is None:
                        node.param = _Node(param_name=segment[1:-1].rstrip("+"))
                    node = node.param
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.operations[method] = name

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        segments = _segments(path)
        # A client's endpoint_url may carry a base path ("https://proxy/cp"): when the
        # whole path matches nothing, try it without its first segments. A path that
        # begins as the API's own do ("/domains/...") has no base path: a label with a
        # raw "/" in it must not reach "/integrations" by losing "/domains/D/".
        starts = 1 if segments and segments[0] in self._root.literal else len(segments)
        for start in range(max(starts, 1)):
            labels: dict[str, str] = {}
            node = _descend(self._root, segments, start, labels)
            if node is not None and method in node.operations:
                return node.operations[method], labels
        return None


def _segments(path: str) -> list[str]:
    # Empty segments are kept: an empty label must fail validation, not shift the path
    # onto another operation ("/domains//profiles" is not "/domains/profiles").
    return path.split("/")[1:] if path != "/" else []


def _descend(node: _Node, segments: list[str], i: int, labels: dict[str, str]) -> _Node | None:
    if i == len(segments):
        return node if node.operations else None
    segment = segments[i]
    child = node.literal.get(segment)
    if child is not None:
        found = _descend(child, segments, i + 1, labels)
        if found is not None:
            return found
    if node.param is not None:
        labels[node.param.param_name] = unquote(segment)
        found = _descend(node.param, segments, i + 1, labels)
        if found is not None:
            return found
        del labels[node.param.param_name]
    return None


@functools.cache
def router() -> Router:
    model = _model.service_model()
    ops = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        ops.append((name, http["method"], http["requestUri"]))
    return Router(ops)
