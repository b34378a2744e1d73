"""Profile objects: the per-domain object store, ingestion and the object operations."""

from __future__ import annotations

from typing import NamedTuple

from ._layers import Layered


class ObjectRecord(NamedTuple):
    """One stored profile object."""

    type_name: str
    profile_id: str
    text: str  # the object's JSON text, exactly as it was put
    keys: tuple[tuple[str, str], ...]  # (key name, normalised value), the UNIQUE key's too
    unique: str  # the UNIQUE key's normalised value
    sequence: int  # when it was put (or last replaced): newest first in lists


class FrozenObjects(NamedTuple):
    records: dict[str, ObjectRecord]
    by_unique: dict[tuple[str, str], str]
    by_profile: dict[str, tuple[str, ...]]
    next: int
    total_size: int


class ObjectStore:
    """The objects of one domain: by ``ProfileObjectUniqueKey``, by (type, UNIQUE value)
    and by profile. Restored from a snapshot, it reads through to the frozen one."""

    __slots__ = ("_next", "by_profile", "by_unique", "records", "total_size")

    def __init__(self, base: FrozenObjects | None = None) -> None:
        self.records: Layered[str, ObjectRecord] = Layered(base.records if base else None)
        self.by_unique: Layered[tuple[str, str], str] = Layered(base.by_unique if base else None)
        self.by_profile: Layered[str, tuple[str, ...]] = Layered(base.by_profile if base else None)
        self._next = base.next if base else 0
        self.total_size = base.total_size if base else 0

    def __len__(self) -> int:
        return len(self.records)

    def next_sequence(self) -> int:
        self._next += 1
        return self._next

    def put(self, key: str, record: ObjectRecord) -> None:
        """Store ``record`` under ``key``, replacing the object stored there."""
        old = self.records.get(key)
        if old is not None:
            self._unlink(key, old)
        self.records[key] = record
        self.by_unique[(record.type_name, record.unique)] = key
        self.by_profile[record.profile_id] = (*self.by_profile.get(record.profile_id, ()), key)
        self.total_size += len(record.text.encode())

    def remove(self, key: str) -> ObjectRecord | None:
        record = self.records.pop(key)
        if record is not None:
            self._unlink(key, record)
        return record

    def _unlink(self, key: str, record: ObjectRecord) -> None:
        self.records.pop(key)
        self.by_unique.pop((record.type_name, record.unique))
        keys = tuple(k for k in self.by_profile.get(record.profile_id, ()) if k != key)
        if keys:
            self.by_profile[record.profile_id] = keys
        else:
            self.by_profile.pop(record.profile_id)
        self.total_size -= len(record.text.encode())

    def of_profile(self, profile_id: str) -> list[tuple[str, ObjectRecord]]:
        """The profile's objects, newest first."""
        found = [(k, self.records[k]) for k in self.by_profile.get(profile_id, ())]
        found.sort(key=lambda item: item[1].sequence, reverse=True)
        return found

    def drop_profile(self, profile_id: str) -> None:
        for key in self.by_profile.get(profile_id, ()):
            self.remove(key)

    def move(self, source: str, target: str) -> None:
        """Give every object of profile ``source`` to profile ``target`` (a merge)."""
        for key in self.by_profile.get(source, ()):
            record = self.records[key]
            self.put(key, record._replace(profile_id=target))

    def drop_type(self, type_name: str) -> list[ObjectRecord]:
        """Remove every object of an object type; returns them."""
        gone = [(k, r) for k, r in self.records.items() if r.type_name == type_name]
        for key, _ in gone:
            self.remove(key)
        return [record for _, record in gone]

    def metering_extra(self) -> int:
        """How many more profiles metering counts than there are: a profile with more
        than 100 objects counts twice, more than 200 three times."""
        return sum((n > 100) + (n > 200) for n in map(len, self.by_profile.values()))

    def freeze(self) -> FrozenObjects:
        return FrozenObjects(
            self.records.freeze(),
            self.by_unique.freeze(),
            self.by_profile.freeze(),
            self._next,
            self.total_size,
        )
