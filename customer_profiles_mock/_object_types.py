"""Object types: their definitions, validation rules, templates and the object-type operations."""

from __future__ import annotations

import copy
import time
from typing import Any


class ObjectType:
    """One object type of a domain: its definition as PutProfileObjectType stored it."""

    __slots__ = ("arn", "created_at", "definition", "name", "tags", "updated_at")

    def __init__(self, name: str, arn: str, definition: dict[str, Any]) -> None:
        self.name = name
        self.arn = arn
        self.definition = definition  # Description, Fields, Keys, AllowProfileCreation, ...
        self.tags: dict[str, str] = {}
        self.created_at = self.updated_at = time.time()


class ObjectTypeTable:
    """The object types of one domain, by name, and the domain's key names with the
    content type each was defined with (``key_types``)."""

    __slots__ = ("_types", "domain_arn", "key_types")

    def __init__(self, domain_arn: str) -> None:
        self.domain_arn = domain_arn
        self._types: dict[str, ObjectType] = {}
        self.key_types: dict[str, str] = {}

    def find(self, name: str) -> ObjectType | None:
        return self._types.get(name)

    def copy(self) -> ObjectTypeTable:
        """A deep copy, for snapshots (object types are few and small)."""
        return copy.deepcopy(self)
