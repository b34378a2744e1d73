"""Copy-on-write layers: a table restored from a snapshot reads through to its frozen data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")

_MISSING: object = object()


class Layered(Generic[K, V]):
    """A dict over a frozen ``base`` (a snapshot's: shared, never changed). Reads fall
    through to the base; writes and deletions stay in this layer, so making one costs
    nothing however large the base.

    ``own`` holds what this layer set, ``shadowed`` the base keys it replaced or
    deleted; iteration yields the base's live items, then this layer's.
    """

    __slots__ = ("base", "own", "shadowed")

    def __init__(self, base: dict[K, V] | None = None) -> None:
        self.own: dict[K, V] = {}
        self.base = base
        self.shadowed: set[K] = set()

    @overload
    def get(self, key: K) -> V | None: ...
    @overload
    def get(self, key: K, default: V) -> V: ...
    def get(self, key: K, default: V | None = None) -> V | None:
        value = self.own.get(key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        base = self.base
        if base is not None and key not in self.shadowed:
            return base.get(key, default)
        return default

    def __contains__(self, key: object) -> bool:
        if key in self.own:
            return True
        base = self.base
        return base is not None and key in base and key not in self.shadowed

    def __getitem__(self, key: K) -> V:
        value = self.get(key, _MISSING)  # type: ignore[arg-type]
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self.own[key] = value
        base = self.base
        if base is not None and key in base:
            self.shadowed.add(key)

    def pop(self, key: K, default: V | None = None) -> V | None:
        value = self.own.pop(key, _MISSING)
        base = self.base
        if base is not None and key in base and key not in self.shadowed:
            if value is _MISSING:
                value = base[key]
            self.shadowed.add(key)
        return default if value is _MISSING else value  # type: ignore[return-value]

    def __len__(self) -> int:
        base = self.base
        own = len(self.own)
        return own if base is None else own + len(base) - len(self.shadowed)

    def items(self) -> Iterator[tuple[K, V]]:
        base = self.base
        if base is not None:
            shadowed = self.shadowed
            yield from ((k, v) for k, v in base.items() if k not in shadowed)
        yield from self.own.items()

    def __iter__(self) -> Iterator[K]:
        return (k for k, _ in self.items())

    def values(self) -> Iterator[V]:
        return (v for _, v in self.items())

    def freeze(self) -> dict[K, V]:
        """The content as one plain dict, for a snapshot (the base itself when this
        layer changed nothing)."""
        if self.base is not None and not self.own and not self.shadowed:
            return self.base
        return dict(self.items())
