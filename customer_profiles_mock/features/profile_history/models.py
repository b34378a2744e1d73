"""Profile history: a record of every change the change feed tells, kept by profile.

Each ``Change`` a domain tells (``Domain.changed``) becomes one ``HistoryRecord`` in the
domain's part (``domain.part(HISTORY)``): the model's ``ActionType``, the object type
(``_profile`` for the profile itself), the content after the change as JSON text, the
object's ``ProfileObjectUniqueKey``, when, and who (``PerformedBy``). Records are kept
by id and by profile, so a profile's records are found without reading the domain's
others, and they outlive the profile (a ``DELETED_BY_CUSTOMER`` record is readable);
they go with their domain. Restored from a snapshot, the part reads through to the
frozen records, copying a profile's list of ids at its first new record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.store.domain import Change, Domain, DomainPart, register_part
from customer_profiles_mock.store.layers import Layered
from customer_profiles_mock.wire.arns import parse_arn
from customer_profiles_mock.wire.errors import ResourceNotFoundException

# [INFERRED] Not documented: the model's largest MaxResults.
HISTORY_PAGE = 100

_ids = forksafe.generator()


class HistoryRecord(NamedTuple):
    """One change to a profile, as GetProfileHistoryRecord shows it."""

    id: str
    profile_id: str
    action: str  # the model's ActionType
    object_type: str  # ``_profile``, or the ingested object's type
    created_at: float
    content: str  # JSON text: the profile, the object, or {"KeyName", "Values"}
    unique_key: str | None  # the object's ProfileObjectUniqueKey
    performed_by: str


class FrozenHistory(NamedTuple):
    records: dict[str, HistoryRecord]
    by_profile: dict[str, tuple[str, ...]]
    performed_by: str | None


def new_record_id() -> str:
    """A history record's ``Id``: 32 lowercase hex characters [MODEL pattern]."""
    return f"{_ids.getrandbits(128):032x}"


def root_arn(domain: Domain) -> str:
    """The domain's account's root user, ``arn:PARTITION:iam::ACCOUNT:root``: who
    performed a change unless a test says otherwise [INFERRED: AWS records the caller's
    ARN, which the mock does not know]."""
    arn = parse_arn(domain.arn)
    if arn is None:  # every domain's ARN is made by wire.arns.domain_arn
        raise RuntimeError(f"domain {domain.name} has no parsable ARN: {domain.arn}")
    return f"arn:{arn.partition}:iam::{arn.account_id}:root"


def content_text(content: Mapping[str, Any]) -> str:
    """A record's ``Content``: the change's content as compact JSON text."""
    return json.dumps(content, separators=(",", ":"), ensure_ascii=False)


class ProfileHistory(DomainPart):
    """The history records of one domain, by id and by profile (ids oldest first)."""

    __slots__ = ("by_profile", "performed_by", "records")

    def __init__(self, base: FrozenHistory | None = None) -> None:
        self.records: Layered[str, HistoryRecord] = Layered(base.records if base else None)
        # Each profile's ids, oldest first: a tuple from a snapshot, a list once changed.
        self.by_profile: Layered[str, tuple[str, ...] | list[str]] = Layered(
            base.by_profile if base else None  # type: ignore[arg-type]
        )
        # Who performs the changes (None: the account's root); cp.set_history_performer.
        self.performed_by: str | None = base.performed_by if base else None

    def on_change(self, domain: Domain, change: Change) -> None:
        record = HistoryRecord(
            new_record_id(),
            change.profile_id,
            change.action,
            change.object_type,
            change.at,
            content_text(change.content),
            change.unique_key,
            self.performed_by or root_arn(domain),
        )
        self.records[record.id] = record
        ids = self.by_profile.own.get(record.profile_id)
        if not isinstance(ids, list):
            ids = list(self.by_profile.get(record.profile_id) or ())
            self.by_profile[record.profile_id] = ids
        ids.append(record.id)

    def of_profile(self, profile_id: str) -> list[HistoryRecord] | None:
        """The profile's records, newest first; None when it has none."""
        ids = self.by_profile.get(profile_id)
        if ids is None:
            return None
        records = self.records
        return [records[record_id] for record_id in reversed(ids)]

    def get(self, profile_id: str, record_id: str) -> HistoryRecord:
        """The record ``record_id`` of ``profile_id``; a 404 when there is none, or it is
        another profile's [INFERRED: the status and the wording]."""
        record = self.records.get(record_id)
        if record is None or record.profile_id != profile_id:
            raise ResourceNotFoundException(
                f"Profile history record {record_id} does not exist for profile {profile_id}"
            )
        return record

    def freeze(self) -> FrozenHistory:
        return FrozenHistory(
            self.records.freeze(),
            # A profile's list grows in place in the layer that owns it: copied.
            {profile_id: tuple(ids) for profile_id, ids in self.by_profile.items()},
            self.performed_by,
        )


HISTORY = register_part(
    "profile_history",
    lambda domain: ProfileHistory(),
    lambda domain, frozen: ProfileHistory(frozen),
)


def matches(record: HistoryRecord, params: Mapping[str, Any]) -> bool:
    """Whether ``record`` passes ListProfileHistoryRecords' filters: ``ObjectTypeName``,
    ``ActionType`` and ``PerformedBy``, each an exact match when given [MODEL]."""
    return (
        params.get("ObjectTypeName") in (None, record.object_type)
        and params.get("ActionType") in (None, record.action)
        and params.get("PerformedBy") in (None, record.performed_by)
    )


def listed(record: HistoryRecord) -> dict[str, Any]:
    """A record as ListProfileHistoryRecords lists it: no ``Content`` [MODEL]; never
    updated, so no ``LastUpdatedAt`` [INFERRED]."""
    out: dict[str, Any] = {
        "Id": record.id,
        "ObjectTypeName": record.object_type,
        "CreatedAt": record.created_at,
        "ActionType": record.action,
    }
    if record.unique_key is not None:
        out["ProfileObjectUniqueKey"] = record.unique_key
    out["PerformedBy"] = record.performed_by
    return out


def shown(record: HistoryRecord) -> dict[str, Any]:
    """GetProfileHistoryRecord's answer: the listed members and ``Content`` [MODEL]."""
    out = listed(record)
    out["Content"] = record.content
    return out
