"""Segment definitions and rules, membership, estimates and snapshots, as the operations show them.

Definitions are ``Resource``\\ s of the generic table (``domain.part(DEFINITIONS)``, ARN
``.../domains/D/segment-definitions/NAME``): immutable, as AWS has no update API. The
rest of a domain's segment state is one part (``domain.part(SEGMENTS)``): estimates and
snapshots (jobs on the shared job schedule) and the members seeded for SQL (ENHANCED)
segments, which the mock cannot evaluate.

Calculated-attribute dimensions read a profile's value of the domain's definitions, as
GetCalculatedAttributeForProfile computes it.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.core import hooks
from customer_profiles_mock.features.calculated_attributes.models import TABLE as _CALCULATED
from customer_profiles_mock.features.calculated_attributes.values import value_of
from customer_profiles_mock.features.profiles.models import PROFILES, new_profile_id
from customer_profiles_mock.features.segments.evaluate import (
    Compiled,
    Getter,
    Predicate,
    as_day,
    as_number,
    compile_groups,
    compile_members,
    field_getter,
)
from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table
from customer_profiles_mock.wire.arns import parse_arn
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException
from customer_profiles_mock.wire.model import output_members, output_shape

# Every domain's segment definitions [DOC service authorization reference: the ARN].
DEFINITIONS = resource_table(
    "segment_definitions", ResourceKind("Segment definition", "segment-definitions")
)
NAME = "SegmentDefinitionName"
# [INFERRED] Not documented: the model's largest MaxResults (500).
LIST_PAGE = 100
STORED = ("DisplayName", "Description", "SegmentGroups", "SegmentSqlQuery", "SegmentSort")
NOT_FOUND_STATUS = 404
NOT_FOUND_MESSAGE = "Profile not found"
# EstimateIds and SnapshotIds (32 hex digits, as the model's uuid pattern wants).
_ids = forksafe.generator()


# -- calculated attributes ------------------------------------------------------------


def _calculated_value(
    domain: Domain, name: str, profile_id: str, range_override: Mapping[str, Any] | None
) -> str | None:
    """A profile's value of calculated attribute ``name`` as GetCalculatedAttributeForProfile
    answers it, over ``range_override`` (``ConditionOverrides.Range``) when given; None
    when it has none."""
    definition = domain.part(_CALCULATED).find(name)
    if definition is None or profile_id not in domain.part(PROFILES):
        return None
    found = value_of(domain, definition, profile_id, time.time(), range_override)
    value: str | None = found.get("Value")
    return value


def _calculated_lookup(domain: Domain) -> Callable[[str, Mapping[str, Any] | None], Getter]:
    def lookup(name: str, range_override: Mapping[str, Any] | None) -> Getter:
        domain.part(_CALCULATED).get(name)  # 404 for an undefined one
        return lambda p: _calculated_value(domain, name, p["ProfileId"], range_override)

    return lookup


# -- the part: SQL members, estimates, snapshots --------------------------------------


class SegmentState(DomainPart):
    """A domain's segment state beside its definitions: seeded members of SQL segments
    (name -> ids), estimates and snapshots (id -> record, replaced whole on change)."""

    __slots__ = ("compiled", "estimates", "generation", "snapshots", "sql_members")

    def __init__(
        self,
        sql_members: dict[str, frozenset[str]] | None = None,
        estimates: dict[str, dict[str, Any]] | None = None,
        snapshots: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.sql_members = dict(sql_members or {})
        self.estimates = dict(estimates or {})
        self.snapshots = dict(snapshots or {})
        # Moves whenever seeded members change: what compiled them is stale then.
        self.generation = 0
        # Definitions compiled (name -> (generation, calculated source, compiled)):
        # definitions never change, and neither do the sources they name while they do.
        self.compiled: dict[str, tuple[int, object, Compiled]] = {}

    def freeze(self) -> object:
        return (dict(self.sql_members), dict(self.estimates), dict(self.snapshots))

    def on_due(self, domain: Domain, key: str) -> bool:
        kind, _, job_id = key.partition("/")
        if kind == "estimate" and job_id in self.estimates:
            self.estimates[job_id] = finish_estimate(domain, self.estimates[job_id])
        elif kind == "snapshot" and job_id in self.snapshots:
            self.snapshots[job_id] = finish_snapshot(domain, self.snapshots[job_id])
        return False


SEGMENTS = register_part(
    "segments",
    lambda domain: SegmentState(),
    lambda domain, frozen: SegmentState(*frozen),
)

# What else in a domain refuses the deletion of a definition: each returns why, or None
# (segment subscriptions register theirs).
_USERS: list[Callable[[Domain, str], str | None]] = []


def register_user(check: Callable[[Domain, str], str | None]) -> None:
    """Let ``check(domain, name)`` refuse DeleteSegmentDefinition with its reason."""
    _USERS.append(check)


# -- definitions ----------------------------------------------------------------------


def segment_type(members: Mapping[str, Any]) -> str:
    return "ENHANCED" if "SegmentSqlQuery" in members else "CLASSIC"


def check_definition(domain: Domain, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The members a new definition stores, after AWS's rules: exactly one of
    ``SegmentGroups`` (CLASSIC) or ``SegmentSqlQuery`` (ENHANCED) [INFERRED from the
    model's SegmentType]; SQL needs the domain's data store [DOC
    customer-segments-building-segments]; the groups compile (source segments exist and
    are not this one, operators take values they can compare) [INFERRED]."""
    groups, sql = params.get("SegmentGroups"), params.get("SegmentSqlQuery")
    if (groups is None) == (sql is None):
        raise BadRequestException("Exactly one of SegmentGroups or SegmentSqlQuery is required")
    if sql is not None and not (domain.config.get("DataStore") or {}).get("Enabled"):
        raise BadRequestException(
            "Segmentation using SQL requires the domain's data store: enable DataStore "
            f"on domain {domain.name}"
        )
    if groups is not None:
        compile_groups(groups, _sources(domain, avoid=name), _calculated_lookup(domain))
    members = {k: params[k] for k in STORED if k in params}
    members["SegmentType"] = segment_type(members)
    return members


def check_unused(domain: Domain, name: str) -> None:
    """A definition another one starts from, or that something else uses, cannot be
    deleted [INFERRED]."""
    for other in domain.part(DEFINITIONS):
        if other.name != name and name in source_names(other.members):
            raise BadRequestException(
                f"Segment definition {name} is a source segment of segment definition {other.name}"
            )
    for check in _USERS:
        reason = check(domain, name)
        if reason is not None:
            raise BadRequestException(reason)


def source_names(members: Mapping[str, Any]) -> set[str]:
    groups = (members.get("SegmentGroups") or {}).get("Groups") or ()
    return {
        source.get("SegmentDefinitionName")
        for group in groups
        for source in group.get("SourceSegments") or ()
    }


def _sources(domain: Domain, avoid: str | None = None) -> Callable[[str], Predicate]:
    """Source segment name -> its predicate, each compiled once per call."""
    table = domain.part(DEFINITIONS)
    seen: dict[str, Predicate] = {}

    def lookup(name: str) -> Predicate:
        if name == avoid:
            raise BadRequestException(f"Segment definition {name} cannot be its own source segment")
        found = seen.get(name)
        if found is None:
            found = seen[name] = compiled(domain, table.get(name)).test
        return found

    return lookup


def _compiled(
    domain: Domain, definition: Resource, sources: Callable[[str], Predicate]
) -> Compiled:
    members = definition.members
    if members["SegmentType"] == "ENHANCED":
        return compile_members(domain.part(SEGMENTS).sql_members.get(definition.name, frozenset()))
    return compile_groups(members["SegmentGroups"], sources, _calculated_lookup(domain))


def compiled(domain: Domain, definition: Resource) -> Compiled:
    """``definition`` compiled: whether a stored profile is in it now (``test``), and
    how many of a domain's are (``count``); compiled once, kept until seeded members or
    the calculated-attribute source change."""
    state = domain.part(SEGMENTS)
    found = state.compiled.get(definition.name)
    # Its closures read ``domain``: a read of a domain as it was (a view while writes lag,
    # core.consistency) compiles its own.
    if found is not None and found[0] == state.generation and found[1] is domain:
        return found[2]
    made = _compiled(domain, definition, _sources(domain))
    state.compiled[definition.name] = (state.generation, domain, made)
    return made


def query_compiled(domain: Domain, query: Mapping[str, Any]) -> Compiled:
    """An estimate's ``SegmentQuery`` compiled (a 400 or 404 as for a definition)."""
    return compile_groups(query, _sources(domain), _calculated_lookup(domain), "SegmentQuery")


def members_of(domain: Domain, segment: Compiled) -> Iterator[dict[str, Any]]:
    """The domain's profiles in ``segment``, in creation order."""
    return filter(segment.test, domain.part(PROFILES))


def count(domain: Domain, segment: Compiled) -> int:
    """How many of the domain's profiles are in ``segment``: one pass, no call a profile."""
    return segment.count(domain.part(PROFILES).unordered())


def seed_members(domain: Domain, name: str, profile_ids: Iterable[str]) -> None:
    """The members of SQL segment ``name`` from now on (the mock cannot run its SQL)."""
    definition = domain.part(DEFINITIONS).get(name)
    if definition.members["SegmentType"] != "ENHANCED":
        raise BadRequestException(
            f"Segment definition {name} is a CLASSIC segment: its members are evaluated"
        )
    state = domain.part(SEGMENTS)
    state.sql_members[name] = frozenset(profile_ids)
    state.generation += 1


def forget(domain: Domain, name: str) -> None:
    """What the segment state keeps of a deleted definition."""
    state = domain.part(SEGMENTS)
    state.sql_members.pop(name, None)
    state.compiled.pop(name, None)
    state.snapshots = {k: v for k, v in state.snapshots.items() if v["Segment"] != name}


def _tagged(out: dict[str, Any], definition: Resource) -> dict[str, Any]:
    if definition.tags:
        out["Tags"] = dict(definition.tags)
    return out


def created(definition: Resource) -> dict[str, Any]:
    """CreateSegmentDefinition's answer [MODEL]."""
    members = definition.members
    out = {NAME: definition.name, "DisplayName": members["DisplayName"]}
    if "Description" in members:
        out["Description"] = members["Description"]
    out["CreatedAt"] = definition.created_at
    out["SegmentDefinitionArn"] = definition.arn
    return _tagged(out, definition)


def shown(definition: Resource) -> dict[str, Any]:
    """GetSegmentDefinition's answer [MODEL] (``SegmentType`` where the model has it)."""
    out = created(definition)
    wanted = output_members("GetSegmentDefinition")
    for name in ("SegmentGroups", "SegmentSort", "SegmentSqlQuery", "SegmentType"):
        if name in definition.members and name in wanted:
            out[name] = definition.members[name]
    return out


def listed(definition: Resource) -> dict[str, Any]:
    """A definition as ListSegmentDefinitions lists it [MODEL: the item shape]."""
    out = created(definition)
    item = output_shape("ListSegmentDefinitions").members["Items"].member
    if "SegmentType" in output_members("ListSegmentDefinitions", item):
        out["SegmentType"] = definition.members["SegmentType"]
    return out


# -- membership -----------------------------------------------------------------------


class Membership(NamedTuple):
    found: list[tuple[str, bool]]  # (id, whether it is in the segment), in request order
    missing: list[str]


def membership(domain: Domain, definition: Resource, profile_ids: Iterable[str]) -> Membership:
    """Each asked profile: in the segment or not, or not in the domain."""
    test = compiled(domain, definition).test
    profiles = domain.part(PROFILES)
    out = Membership([], [])
    for profile_id in profile_ids:
        profile = profiles.get(profile_id)
        if profile is None:
            out.missing.append(profile_id)
        else:
            out.found.append((profile_id, test(profile)))
    return out


# -- estimates ------------------------------------------------------------------------


def new_estimate(query: Mapping[str, Any] | None, sql: str | None) -> tuple[str, dict[str, Any]]:
    """A RUNNING estimate of ``query`` (or of SQL ``sql``) and its id."""
    record: dict[str, Any] = {"Status": "RUNNING"}
    if query is not None:
        record["Query"] = query
    if sql is not None:
        record["Sql"] = sql
    return new_profile_id(_ids), record


def finish_estimate(domain: Domain, record: dict[str, Any]) -> dict[str, Any]:
    """The estimate done: SUCCEEDED with the count of profiles in the query now; a SQL
    query counts the members seeded for the SQL segment of the same query, and FAILED
    when no definition has it [INFERRED]."""
    if "Query" in record:
        try:
            total = count(domain, query_compiled(domain, record["Query"]))
        except (BadRequestException, ResourceNotFoundException) as exc:
            return {"Status": "FAILED", "Message": exc.message[:255]}
        return {"Status": "SUCCEEDED", "Estimate": str(total)}
    for definition in domain.part(DEFINITIONS):
        if definition.members.get("SegmentSqlQuery") == record["Sql"]:
            seeded = domain.part(SEGMENTS).sql_members.get(definition.name, frozenset())
            profiles = domain.part(PROFILES)
            return {
                "Status": "SUCCEEDED",
                "Estimate": str(sum(1 for i in seeded if i in profiles)),
            }
    return {
        "Status": "FAILED",
        "Message": "The mock cannot run SQL: create a SQL segment with this query and seed "
        "its members",
    }


def estimate_shown(domain: Domain, estimate_id: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """GetSegmentEstimate's answer: ``StatusCode`` is the HTTP status, 202 while RUNNING
    and 200 after [INFERRED]."""
    out = {"DomainName": domain.name, "EstimateId": estimate_id, "Status": record["Status"]}
    for name in ("Estimate", "Message"):
        if name in record:
            out[name] = record[name]
    out["StatusCode"] = 202 if record["Status"] == "RUNNING" else 200
    return out


def estimate(domain: Domain, estimate_id: str) -> dict[str, Any]:
    found = domain.part(SEGMENTS).estimates.get(estimate_id)
    if found is None:
        raise ResourceNotFoundException(f"Segment estimate {estimate_id} does not exist")
    return found


# -- snapshots ------------------------------------------------------------------------

SNAPSHOT_MEMBERS = ("DataFormat", "EncryptionKey", "RoleArn", "DestinationUri")
EXTENSIONS = {"CSV": "csv", "JSONL": "jsonl", "ORC": "orc"}


def check_destination(params: Mapping[str, Any]) -> None:
    """``DestinationUri`` is required outside the admin website [MODEL] and is an S3
    URI [INFERRED]."""
    uri = params.get("DestinationUri")
    if uri is None:
        raise BadRequestException(
            "DestinationUri must be provided if the request is not submitted from the "
            "Connect Customer Admin Website"
        )
    bucket, _ = s3_location(uri)
    if not uri.startswith("s3://") or not bucket:
        raise BadRequestException(f"DestinationUri {uri} is not an S3 URI (s3://bucket/prefix)")


def s3_location(uri: str) -> tuple[str, str]:
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    return bucket, prefix.strip("/")


def new_snapshot(segment: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    record = {k: params[k] for k in SNAPSHOT_MEMBERS if k in params}
    snapshot_id = new_profile_id(_ids)
    record.update(Id=snapshot_id, Segment=segment, Status="IN_PROGRESS")
    return snapshot_id, record


def snapshot_key(prefix: str, snapshot_id: str, data_format: str) -> str:
    """Where a snapshot's file goes under the destination [INFERRED]."""
    name = f"{snapshot_id}.{EXTENSIONS[data_format]}"
    return f"{prefix}/{name}" if prefix else name


def _sort_value(value: Any, data_type: str) -> Any:
    """A sort attribute's value as it compares (None: missing or unparsable)."""
    if value is None:
        return None
    if data_type == "NUMBER":
        return as_number(value)
    if data_type == "DATE":
        return as_day(value)
    return str(value)


def ordered(
    domain: Domain, profiles: list[dict[str, Any]], sort: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """``profiles`` in the definition's ``SegmentSort`` order: by each attribute in turn
    (a profile field, or a calculated attribute's value), ASC or DESC, as its
    ``DataType`` (default STRING) compares; a missing value last [MODEL; INFERRED use]."""
    for attribute in reversed((sort or {}).get("Attributes") or ()):
        if attribute.get("Type") == "CALCULATED":
            get = _calculated_lookup(domain)(attribute["Name"], None)
        else:
            get = field_getter(attribute["Name"])
        data_type = attribute.get("DataType") or "STRING"
        keyed = [(_sort_value(get(p), data_type), p) for p in profiles]
        present = [pair for pair in keyed if pair[0] is not None]
        present.sort(key=lambda pair: pair[0], reverse=attribute.get("Order") == "DESC")
        profiles = [p for _, p in present] + [p for v, p in keyed if v is None]
    return profiles


def _flat(profile: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in profile.items():
        if isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{name}."))
        elif isinstance(value, list):
            out[f"{prefix}{name}"] = json.dumps(value)
        else:
            out[f"{prefix}{name}"] = str(value)
    return out


def render(profiles: list[dict[str, Any]], data_format: str) -> bytes:
    """The snapshot's file: JSONL, one profile a line; CSV with a header of every field
    (``Address.City``, ``Attributes.tier``), ProfileId first [INFERRED]. ORC is not
    written (empty)."""
    if data_format == "JSONL":
        return "".join(json.dumps(p) + "\n" for p in profiles).encode()
    if data_format != "CSV":
        return b""
    rows = [_flat(p) for p in profiles]
    columns = sorted({c for row in rows for c in row} - {"ProfileId"})
    text = io.StringIO()
    writer = csv.DictWriter(text, ["ProfileId", *columns], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


def finish_snapshot(domain: Domain, record: dict[str, Any]) -> dict[str, Any]:
    """The snapshot taken: its members, sorted, written to ``DestinationUri`` through the
    object-writer hook (moto's S3 under ``mock_aws``); COMPLETED, or FAILED with the
    writer's reason [INFERRED]."""
    done = dict(record)
    definition = domain.part(DEFINITIONS).find(record["Segment"])
    if definition is None:
        done.update(Status="FAILED", StatusMessage="The segment definition was deleted")
        return done
    writer = hooks.hooks.object_writer
    if writer is not None and record["DataFormat"] != "ORC":
        profiles = list(members_of(domain, compiled(domain, definition)))
        profiles = ordered(domain, profiles, definition.members.get("SegmentSort"))
        body = render(profiles, record["DataFormat"])
        bucket, prefix = s3_location(record["DestinationUri"])
        key = snapshot_key(prefix, record["Id"], record["DataFormat"])
        where = parse_arn(domain.arn)
        assert where is not None  # a domain's own ARN
        account_id, region = where.account_id, where.region
        problem = writer(account_id, region, bucket, key, body)
        if problem is not None:
            done.update(Status="FAILED", StatusMessage=problem[:1000])
            return done
    done["Status"] = "COMPLETED"
    return done


def snapshot_shown(snapshot_id: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """GetSegmentSnapshot's answer [MODEL]."""
    out = {"SnapshotId": snapshot_id, "Status": record["Status"]}
    if "StatusMessage" in record:
        out["StatusMessage"] = record["StatusMessage"]
    for name in SNAPSHOT_MEMBERS:
        if name in record:
            out[name] = record[name]
    return out


def snapshot(domain: Domain, segment: str, snapshot_id: str) -> dict[str, Any]:
    found = domain.part(SEGMENTS).snapshots.get(snapshot_id)
    if found is None or found["Segment"] != segment:
        raise ResourceNotFoundException(f"Segment snapshot {snapshot_id} does not exist")
    return found
