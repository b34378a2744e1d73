"""Event stream publication: each change a domain tells becomes the record AWS puts into the stream.

A domain whose event stream is RUNNING (``models.destination``) publishes one record per
``Change`` of the change feed, in the shape of AWS's real-time export [DOC adminguide
set-up-real-time-export; OSS a captured record]::

    {"SchemaVersion": 0, "EventId": "<uuid>", "EventTimestamp": "2023-10-19T13:26:22.976Z",
     "EventType": "CREATED", "DomainName": "shop", "ObjectTypeName": "_profile",
     "Object": {...the profile...}, "IsMessageRealTime": true}

An object's record has ``ObjectTypeName`` its type, ``AssociatedProfileId`` and
``ProfileObjectUniqueKey``, and the object as ``Object``; a merge's has ``MergeId`` and
the merged profiles as ``DuplicateProfiles``. The domain's part (``domain.part(PUBLISHED)``)
keeps every record published, for the handle (``cp.stream_records``), and the
``StreamSink`` hook (``core.hooks``; the moto bridge sets it) puts each into the Kinesis
data stream of the stream's ``Uri`` when something emulates Kinesis: a stream that refuses
it (it does not exist) makes the destination UNHEALTHY with its error as ``Message``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.core.hooks import hooks
from customer_profiles_mock.features.event_streams.models import destination, set_state
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.store.domain import Change, Domain, DomainPart, register_part
from customer_profiles_mock.store.layers import Layered

SCHEMA_VERSION = 0  # [DOC] "The current version of the schema"
PROFILE_TYPE = "_profile"
# The record's EventType for each ActionType of the change feed: the profile's own
# changes are UPDATED (keys too: the profile is what the record carries), a deletion is
# DELETED [INFERRED: AWS documents CREATED and shows UPDATED and MERGED; the deletions'
# type follows AWS's own emulation in OSS aws-solutions/unified-profile-for-travellers-
# and-guests-on-aws]. INGESTED is CREATED or UPDATED: see ``_event_type``.
EVENT_TYPES = {
    "CREATED": "CREATED",
    "UPDATED": "UPDATED",
    "ADDED_PROFILE_KEY": "UPDATED",
    "DELETED_PROFILE_KEY": "UPDATED",
    "MERGED": "MERGED",
    "DELETED_BY_CUSTOMER": "DELETED",
    "DELETED_BY_MERGE": "DELETED",
    "EXPIRED": "DELETED",
}
_KEY_ACTIONS = frozenset({"ADDED_PROFILE_KEY", "DELETED_PROFILE_KEY"})

_ids = forksafe.generator()


class FrozenPublished(NamedTuple):
    records: tuple[str, ...]
    ingested: dict[str, None]


class Published(DomainPart):
    """What one domain published (each record's JSON text, oldest first), the object
    keys ever ingested (an object's first record is CREATED, a replacement's UPDATED),
    and the profiles a merge is deleting, for the MERGED record that follows them."""

    __slots__ = ("duplicates", "ingested", "records")

    def __init__(self, base: FrozenPublished | None = None) -> None:
        self.records: list[str] = list(base.records) if base else []
        self.ingested: Layered[str, None] = Layered(base.ingested if base else None)
        # Told within one MergeProfiles call (DELETED_BY_MERGE, then MERGED): never frozen.
        self.duplicates: list[Mapping[str, Any]] = []

    def on_change(self, domain: Domain, change: Change) -> bool | None:
        event_type = self._event_type(change)
        stream = destination(domain)
        if stream is None:
            if change.action == "MERGED":
                self.duplicates = []
            return False
        record = self._record(domain, change, event_type)
        data = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
        self.records.append(data)
        sink = hooks.stream_sink
        if sink is not None:
            error = sink(stream.members["Uri"], change.profile_id, data.encode())
            if error is not None:
                set_state(stream, None, "UNHEALTHY", error[:1000])
        return True

    def _event_type(self, change: Change) -> str:
        if change.action == "DELETED_BY_MERGE":
            self.duplicates.append(change.content)
        if change.action != "INGESTED" or change.unique_key is None:
            return EVENT_TYPES.get(change.action, "UPDATED")
        seen = change.unique_key in self.ingested
        if not seen:
            self.ingested[change.unique_key] = None
        return "UPDATED" if seen else "CREATED"

    def _record(self, domain: Domain, change: Change, event_type: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "SchemaVersion": SCHEMA_VERSION,
            "EventId": str(forksafe.uuid4(_ids)),
            "EventTimestamp": timestamp(change.at),
            "EventType": event_type,
            "DomainName": domain.name,
            "ObjectTypeName": change.object_type,
        }
        content = change.content
        if change.object_type != PROFILE_TYPE:
            out["AssociatedProfileId"] = change.profile_id
            if change.unique_key is not None:
                out["ProfileObjectUniqueKey"] = change.unique_key
        elif change.action in _KEY_ACTIONS:
            content = domain.part(PROFILES).get(change.profile_id) or {}
        out["Object"] = content
        if change.action == "MERGED":
            out["MergeId"] = str(forksafe.uuid4(_ids))
            out["DuplicateProfiles"], self.duplicates = self.duplicates, []
        out["IsMessageRealTime"] = True
        return out

    def freeze(self) -> FrozenPublished:
        return FrozenPublished(tuple(self.records), self.ingested.freeze())


PUBLISHED = register_part(
    "event_stream_records",
    lambda domain: Published(),
    lambda domain, frozen: Published(frozen),
)


def timestamp(at: float) -> str:
    """``EventTimestamp``: ISO 8601 in UTC to the millisecond, ``2023-10-19T13:26:22.976Z``
    [OSS the captured record; DOC shows ``2020-01-01T00:00:00Z``]."""
    moment = datetime.fromtimestamp(at, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
