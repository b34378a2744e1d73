"""Attribute patches made while a mock is active, each undone to exactly what it replaced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MISSING = object()
_CALL = object()


class Patches:
    """Patches applied one by one and undone together, in reverse order.

    Each remembers what was there when it was applied (another tool's patch included),
    and ``undo`` puts exactly that back, as time-machine and responses do.
    """

    def __init__(self) -> None:
        self._undo: list[tuple[Any, str, Any]] = []

    def set(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, value)

    def then(self, undo: Callable[[], None]) -> None:
        """Have ``undo()`` called in its turn, for a patch that is more than a setattr."""
        self._undo.append((undo, "", _CALL))

    def undo(self) -> None:
        while self._undo:
            owner, name, saved = self._undo.pop()
            if saved is _CALL:
                owner()
            elif saved is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, saved)
