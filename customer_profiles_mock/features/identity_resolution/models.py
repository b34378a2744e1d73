"""Identity resolution: ML jobs and their match groups, rule-based matching, auto-merging.

Two kinds of matching, as the domain's configuration asks:

- **ML matching** (``Matching``) runs as jobs. AWS runs one a week; the mock runs one when
  a test asks (the handle's ``cp.run_identity_resolution_job``: ``start_job``, then
  ``step`` at each of its scheduled steps, ``job_seconds`` apart on the activation's
  clock, all at once by default), over the profiles stored when it finds matches, and
  keeps it in the domain's ``JobTable`` with its match groups, its stats and the
  ``AutoMerging`` it applies. GetMatches answers the groups of the latest job that
  completed; ``cp.seed_matches`` records a completed job with groups a test chose.
  Auto-merging merges through ``profiles.models.merge``.
- **Rule-based matching** (``RuleBasedMatching``) is evaluated over the current profiles
  at each call (``rule_groups``): no state is kept, so there is nothing to go stale.

A job's results are not pruned when its profiles are merged or deleted later [INFERRED:
AWS keeps them until the next job], so the part hears no profile events.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from customer_profiles_mock.features.objects.models import OBJECTS
from customer_profiles_mock.features.profiles.models import (
    PROFILES,
    ProfileTable,
    full_name,
    merge,
    merged_fields,
    new_profile_id,
)
from customer_profiles_mock.store.domain import Domain, DomainPart, later, register_part
from customer_profiles_mock.store.key_index import NORMALIZERS
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

# [INFERRED] Page sizes: the model's largest MaxResults.
LIST_PAGE = 100
# The statuses a job ends in, and those it runs through to get there [MODEL].
ENDS = ("COMPLETED", "PARTIAL_SUCCESS", "FAILED")
RUNNING = ("PENDING", "PREPROCESSING", "FIND_MATCHING", "MERGING")
STATUSES = (*RUNNING, *ENDS)
# The statuses whose job found matches: GetMatches answers the latest of them [INFERRED:
# PARTIAL_SUCCESS merged only in part, its matches stand].
WITH_RESULTS = ("COMPLETED", "PARTIAL_SUCCESS")
# [INFERRED] How long a job's results are kept: JobExpirationTime is its end plus this.
RESULTS_KEPT = 30 * 24 * 3600
# [DOC setup-matching-rule-examples] A value more than this many profiles share is too
# common to match on (the mock: it links none of them [INFERRED]).
LOW_CARDINALITY = 500

# [MODEL] a ProfileId (the uuid shape): what a seeded match group may hold.
PROFILE_ID = re.compile(r"[a-f0-9]{32}")

_email = NORMALIZERS["EMAIL_ADDRESS"]
_phone = NORMALIZERS["PHONE_NUMBER"]
_text = NORMALIZERS["NAME"]  # [INFERRED] names and other text: case and spacing ignored

EMAIL_FIELDS = ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress")
PHONE_FIELDS = ("PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber")
ADDRESS_FIELDS = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress")


def _not_enabled(what: str, member: str, domain: str) -> str:
    return (
        f"{what} is not enabled for domain {domain}: enable it with CreateDomain or "
        f"UpdateDomain ({member}.Enabled)"
    )


def check_matching(domain: Domain) -> dict[str, Any]:
    """The domain's ``Matching``, or the 400 an operation needing it answers when it is
    not enabled [MODEL: "Before calling this API ... enable identity resolution";
    INFERRED: the code and the wording]."""
    matching: dict[str, Any] = domain.config.get("Matching") or {}
    if matching.get("Enabled") is not True:
        raise BadRequestException(_not_enabled("Identity resolution", "Matching", domain.name))
    return matching


def check_rule_based(domain: Domain) -> dict[str, Any]:
    """The domain's ``RuleBasedMatching``, or a 400 when it is not enabled [INFERRED]."""
    rules: dict[str, Any] = domain.config.get("RuleBasedMatching") or {}
    if rules.get("Enabled") is not True:
        raise BadRequestException(
            _not_enabled("Rule-based matching", "RuleBasedMatching", domain.name)
        )
    return rules


class Group(NamedTuple):
    """A match group: two or more profiles."""

    match_id: str
    profile_ids: tuple[str, ...]
    confidence: float | None = None  # ML matching
    rule_level: int | None = None  # rule-based matching


# -- jobs ---------------------------------------------------------------------------------


class Job(NamedTuple):
    """One identity resolution job, replaced (never changed) at each of its steps."""

    job_id: str
    status: str
    start: float
    end: float | None
    stats: dict[str, int] | None
    auto_merging: dict[str, Any] | None
    exporting: dict[str, Any] | None
    message: str | None
    groups: tuple[Group, ...]
    outcome: str  # the status it ends in
    updated: float  # its last step

    def listed(self, domain: str) -> dict[str, Any]:
        """The job as ListIdentityResolutionJobs lists it [MODEL: the item shape]."""
        out: dict[str, Any] = {
            "DomainName": domain,
            "JobId": self.job_id,
            "Status": self.status,
            "JobStartTime": self.start,
        }
        if self.end is not None:
            out["JobEndTime"] = self.end
        if self.stats is not None:
            out["JobStats"] = dict(self.stats)
        if self.exporting is not None:
            out["ExportingLocation"] = copy.deepcopy(self.exporting)
        if self.message is not None:
            out["Message"] = self.message
        return out

    def shown(self, domain: str) -> dict[str, Any]:
        """The job as GetIdentityResolutionJob answers it: also ``LastUpdatedAt``,
        ``JobExpirationTime`` (its end plus 30 days [INFERRED]) and ``AutoMerging``."""
        out = self.listed(domain)
        out["LastUpdatedAt"] = self.updated
        if self.end is not None and self.status in WITH_RESULTS:
            out["JobExpirationTime"] = self.end + RESULTS_KEPT
        if self.auto_merging is not None:
            out["AutoMerging"] = copy.deepcopy(self.auto_merging)
        return out


class JobTable(DomainPart):
    """The identity resolution jobs of one domain, in the order they ran; and the
    rule-based groups last computed, with what they were computed from (not frozen:
    a restored domain computes them again)."""

    __slots__ = ("jobs", "rule_cache")

    def __init__(self, jobs: Iterable[Job] = ()) -> None:
        self.jobs = list(jobs)
        # (profile table, its version, the RuleBasedMatching config) -> the groups
        self.rule_cache: tuple[Any, int, Any, tuple[Group, ...]] | None = None

    def get(self, domain: str, job_id: str) -> Job:
        for job in self.jobs:
            if job.job_id == job_id:
                return job
        raise ResourceNotFoundException(
            f"Identity resolution job {job_id} does not exist in domain {domain}"
        )

    def on_due(self, domain: Domain, key: str) -> bool:
        """Job ``key``'s next step is due: move it on (``step``); True while it has more."""
        for index, job in enumerate(self.jobs):
            if job.job_id == key:
                self.jobs[index] = job = step(domain, job)
                return job.status in RUNNING
        return False

    def newest_first(self) -> list[Job]:
        """ListIdentityResolutionJobs' order [MODEL: "sorts the list by JobStartTime";
        INFERRED: the newest first]: the reverse of the order they started in."""
        return self.jobs[::-1]

    def latest_results(self) -> Job | None:
        """The latest job that found matches (COMPLETED or PARTIAL_SUCCESS), if any."""
        return next((job for job in reversed(self.jobs) if job.status in WITH_RESULTS), None)

    def freeze(self) -> tuple[Job, ...]:
        return tuple(self.jobs)  # jobs are never changed: sharing them is safe


# Every domain's identity resolution jobs: ``domain.part(JOBS)``.
JOBS = register_part(
    "identity_resolution_jobs", lambda domain: JobTable(), lambda domain, frozen: JobTable(frozen)
)


def _exporting(matching: dict[str, Any], job_id: str) -> dict[str, Any] | None:
    """Where a job's results went, when ``Matching.ExportingConfig`` asks for S3 [MODEL];
    the key: the configured one (if any) and the job's id [INFERRED]."""
    s3 = (matching.get("ExportingConfig") or {}).get("S3Exporting")
    if not s3:
        return None
    prefix = s3.get("S3KeyName")
    key = f"{prefix.rstrip('/')}/{job_id}" if prefix else job_id
    return {"S3Exporting": {"S3BucketName": s3["S3BucketName"], "S3KeyName": key}}


def _finished(domain: Domain, job: Job, status: str, **changes: Any) -> Job:
    """``job`` ended now in ``status``: its end, stats and export location."""
    end = later(job.updated)
    matching = domain.config.get("Matching") or {}
    changes.setdefault("groups", job.groups)
    if status in WITH_RESULTS:
        changes.setdefault(
            "stats",
            {
                "NumberOfProfilesReviewed": len(domain.part(PROFILES)),
                "NumberOfMatchesFound": len(changes["groups"]),
                "NumberOfMergesDone": 0,
            },
        )
        changes["exporting"] = _exporting(matching, job.job_id)
    else:
        changes["groups"] = ()
    return job._replace(status=status, end=end, updated=end, **changes)


def start_job(domain: Domain, outcome: str, message: str | None = None) -> Job:
    """Record a job starting now, in the domain's ``Matching`` configuration of now:
    ``PENDING`` when it is to run to ``outcome`` (COMPLETED, PARTIAL_SUCCESS or FAILED:
    ``step`` moves it, a state at a time, as the caller schedules), else left in the
    running status ``outcome`` names (it never moves on)."""
    matching = check_matching(domain)
    auto = matching.get("AutoMerging")
    start = time.time()
    job = Job(
        new_profile_id(),  # a JobId is 32 hex digits as a ProfileId [MODEL]
        "PENDING" if outcome in ENDS else outcome,
        start,
        None,
        None,
        copy.deepcopy(auto) if auto is not None else None,
        None,
        message,
        (),
        outcome,
        start,
    )
    domain.part(JOBS).jobs.append(job)
    return job


def step(domain: Domain, job: Job) -> Job:
    """``job`` one state on [MODEL: PENDING, PREPROCESSING, FIND_MATCHING, MERGING (only
    with AutoMerging), then COMPLETED, PARTIAL_SUCCESS or FAILED]: the match groups are
    found over the profiles stored when it leaves FIND_MATCHING (``ml_groups``), and
    merged when it leaves MERGING (``merge_plan``, through ``profiles.models.merge``). A
    job to FAIL fails after FIND_MATCHING, with no groups."""
    if job.status not in RUNNING or job.outcome not in ENDS:
        return job
    now = later(job.updated)
    if job.status in ("PENDING", "PREPROCESSING"):
        following = "PREPROCESSING" if job.status == "PENDING" else "FIND_MATCHING"
        return job._replace(status=following, updated=now)
    if job.status == "FIND_MATCHING":
        if job.outcome == "FAILED":
            return _finished(domain, job, "FAILED")
        groups = ml_groups(domain)
        auto = job.auto_merging or {}
        if auto.get("Enabled") is True and auto.get("Consolidation"):
            return job._replace(status="MERGING", groups=groups, updated=now)
        return _finished(domain, job, job.outcome, groups=groups)
    reviewed = len(domain.part(PROFILES))  # MERGING: the profiles before the merges
    merges = 0
    for plan in merge_plan(domain, job.groups, job.auto_merging or {}):
        main_id, *merged_ids = plan
        merge(domain, main_id, merged_ids, {})
        merges += len(merged_ids)
    stats = {
        "NumberOfProfilesReviewed": reviewed,
        "NumberOfMatchesFound": len(job.groups),
        "NumberOfMergesDone": merges,
    }
    return _finished(domain, job, job.outcome, stats=stats)


def seed_groups(domain: Domain, groups: list[list[str]], confidence: float) -> Job:
    """Record a job completed now whose match groups are ``groups`` (no merging)."""
    made = tuple(Group(new_profile_id(), tuple(ids), confidence) for ids in groups)
    job = start_job(domain, "COMPLETED")
    job = _finished(domain, job, "COMPLETED", groups=made)
    domain.part(JOBS).jobs[-1] = job
    return job


# -- ML matching --------------------------------------------------------------------------


def _address(address: Any) -> str:
    if not isinstance(address, dict):
        return ""
    parts = (address.get(n) for n in ("Address1", "Address2", "City", "PostalCode", "Country"))
    return _text(" ".join(p for p in parts if p))


def _signals(profile: dict[str, Any]) -> dict[str, frozenset[str]]:
    """What ML matching compares [DOC how-identity-resolution-works: names, emails (any
    case), phones (any format), addresses, birth date], each normalised."""
    return {
        "name": frozenset(filter(None, [_text(full_name(profile))])),
        "email": frozenset(_email(v) for n in EMAIL_FIELDS if (v := profile.get(n))),
        "phone": frozenset(p for n in PHONE_FIELDS if (v := profile.get(n)) and (p := _phone(v))),
        "address": frozenset(a for n in ADDRESS_FIELDS if (a := _address(profile.get(n)))),
        "birth": frozenset(filter(None, [_text(profile.get("BirthDate") or "")])),
    }


def pair_score(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]) -> float | None:
    """Whether two profiles match and how surely [INFERRED]: they match when they share
    an email or a phone, or have the same name and the same birth date or address; the
    score is the share of the attributes both have that agree (1.0: all of them)."""
    both = [name for name in a if a[name] and b[name]]
    same = {name for name in both if a[name] & b[name]}
    if not ({"email", "phone"} & same or ("name" in same and {"birth", "address"} & same)):
        return None
    return round(len(same) / len(both), 4)


class _Union:
    """Union-find over profile ids, keeping each set's lowest linking score or level."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.value: dict[str, float] = {}

    def root(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        while parent != item:
            self.parent[item] = self.parent.setdefault(parent, parent)
            item, parent = parent, self.parent[parent]
        return item

    def link(self, a: str, b: str, value: float, keep: Callable[[float, float], float]) -> None:
        ra, rb = self.root(a), self.root(b)
        values = [v for v in (self.value.get(ra), self.value.get(rb)) if v is not None]
        if ra != rb:
            self.parent[rb] = ra
            self.value.pop(rb, None)
        self.value[ra] = keep(value, *values) if values else value

    def sets(self, order: Callable[[Iterable[str]], list[str]]) -> list[tuple[list[str], float]]:
        """The sets of two or more, each in ``order`` (creation order), the sets in the
        order of their first members, each with its kept value."""
        members: dict[str, list[str]] = {}
        for item in order(self.parent):
            members.setdefault(self.root(item), []).append(item)
        return [(ids, self.value[root]) for root, ids in members.items() if len(ids) > 1]


def _blocks(
    profiles: Iterable[dict[str, Any]], keys: Callable[[dict[str, Any]], Iterable[Any]]
) -> Iterator[list[str]]:
    """Profile ids by each key ``keys`` gives them; a key more than LOW_CARDINALITY
    profiles share is dropped."""
    blocks: dict[Any, list[str]] = {}
    for profile in profiles:
        for key in keys(profile):
            blocks.setdefault(key, []).append(profile["ProfileId"])
    return (ids for ids in blocks.values() if 1 < len(ids) <= LOW_CARDINALITY)


def ml_groups(domain: Domain) -> tuple[Group, ...]:
    """The match groups ML matching finds among the stored profiles: profiles linked by
    ``pair_score`` form a group (transitively), whose ConfidenceScore is its weakest
    link's score [INFERRED]; groups in the order of their oldest profile."""
    table = domain.part(PROFILES)
    signals = {p["ProfileId"]: _signals(p) for p in table}

    def keys(profile: dict[str, Any]) -> Iterator[Any]:
        s = signals[profile["ProfileId"]]
        yield from (("email", v) for v in s["email"])
        yield from (("phone", v) for v in s["phone"])
        for name in s["name"]:
            yield from (("birth", name, v) for v in s["birth"])
            yield from (("address", name, v) for v in s["address"])

    links = _Union()
    for ids in _blocks(table, keys):
        for a, b in itertools.combinations(ids, 2):
            score = pair_score(signals[a], signals[b])
            if score is not None:
                links.link(a, b, score, min)
    return tuple(
        Group(new_profile_id(), tuple(ids), score) for ids, score in links.sets(table.in_order)
    )


# -- auto-merging -------------------------------------------------------------------------


def _value(profile: dict[str, Any], attribute: str) -> str | None:
    """A consolidation attribute's value in a profile (``FirstName``, ``Address.City``,
    ``Attributes.KEY``): emails and phones normalised, the rest exactly as stored
    [DOC: "exactly equal"; INFERRED: the normalisation]."""
    value: Any = profile
    for part in attribute.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        return None
    if attribute in EMAIL_FIELDS:
        return _email(value)
    if attribute in PHONE_FIELDS:
        return _phone(value)
    return value


def _recency_order(domain: Domain, ids: Iterable[str], auto: dict[str, Any]) -> list[str]:
    """The profiles of a merge, the winner of a conflict first [DOC create-consolidation-
    criteria]: RECENCY puts the most recently created profile first [INFERRED: the mock
    keeps no per-field update time]; SOURCE first the profiles holding an object of the
    object type ``SourceName``, then by recency."""
    table = domain.part(PROFILES)
    ordered = list(reversed(table.in_order(ids)))
    resolution = auto.get("ConflictResolution") or {}
    source = resolution.get("SourceName")
    if resolution.get("ConflictResolvingModel") == "SOURCE" and source:
        objects = domain.part(OBJECTS)

        def has_source(profile_id: str) -> bool:
            return any(r.type_name == source for _, r in objects.of_profile(profile_id))

        ordered.sort(key=lambda profile_id: not has_source(profile_id))
    return ordered


def merge_plan(domain: Domain, groups: Iterable[Group], auto: dict[str, Any]) -> list[list[str]]:
    """What auto-merging would merge [DOC how-identity-resolution-works, create-
    consolidation-criteria]: in each group scoring at least
    ``MinAllowedConfidenceScoreForMerging`` (every group when it is not set [INFERRED]),
    the criteria of ``Consolidation.MatchingAttributesList`` in order, each merging the
    profiles (and the profiles already merged) whose attributes of the criterion are all
    present and equal; a merged profile's values are its members' with the conflict
    winner's first. Each entry is a merge: the main profile, then the ones merged in."""
    table = domain.part(PROFILES)
    criteria = (auto.get("Consolidation") or {}).get("MatchingAttributesList") or []
    floor = auto.get("MinAllowedConfidenceScoreForMerging")
    plans: list[list[str]] = []
    merged: set[str] = set()
    for group in groups:
        if floor is not None and (group.confidence or 0.0) < floor:
            continue
        ids = [i for i in dict.fromkeys(group.profile_ids) if i in table and i not in merged]
        by_id = {i: table.require(i) for i in ids}
        entities = [[i] for i in _recency_order(domain, ids, auto)]
        for criterion in criteria:
            values = {
                entity[0]: merged_fields(entity[0], entity[1:], {}, by_id)[0] for entity in entities
            }
            by_key: dict[tuple[str, ...], list[list[str]]] = {}
            alone: list[list[str]] = []
            for entity in entities:
                key = tuple(_value(values[entity[0]], a) for a in criterion)
                if all(v is not None for v in key):
                    by_key.setdefault(key, []).append(entity)  # type: ignore[arg-type]
                else:
                    alone.append(entity)
            entities = alone + [
                _recency_order(domain, [i for e in same for i in e], auto)
                for same in by_key.values()
            ]
        for entity in entities:
            if len(entity) > 1:
                plans.append(entity)
                merged.update(entity)
    return plans


def preview(domain: Domain, auto: dict[str, Any]) -> dict[str, int]:
    """GetAutoMergingPreview's counts over the latest job's groups [INFERRED: the whole
    of its results is the sample]: the groups, their profiles that still exist, and the
    profiles a merge would take in, the main profiles with the merged ones."""
    job = domain.part(JOBS).latest_results()
    groups = job.groups if job is not None else ()
    table = domain.part(PROFILES)
    in_sample = {i for group in groups for i in group.profile_ids if i in table}
    plans = merge_plan(domain, groups, auto)
    return {
        "NumberOfMatchesInSample": len(groups),
        "NumberOfProfilesInSample": len(in_sample),
        "NumberOfProfilesWillBeMerged": sum(len(plan) for plan in plans),
    }


def check_conflict_resolution(resolution: dict[str, Any]) -> None:
    """SOURCE needs the ``SourceName`` it prefers [DOC; INFERRED: 400 and the wording]."""
    if resolution.get("ConflictResolvingModel") == "SOURCE" and not resolution.get("SourceName"):
        raise BadRequestException(
            "ConflictResolution.SourceName is required when ConflictResolvingModel is SOURCE"
        )


# -- rule-based matching ------------------------------------------------------------------

# [DOC AttributeTypesSelector] the sub-types one may select, by the documentation's name
# and by the profile field's.
_SUB_TYPES = {
    "EmailAddress": {
        "Email": "EmailAddress", "EmailAddress": "EmailAddress",
        "BusinessEmail": "BusinessEmailAddress", "BusinessEmailAddress": "BusinessEmailAddress",
        "PersonalEmail": "PersonalEmailAddress", "PersonalEmailAddress": "PersonalEmailAddress",
    },
    "PhoneNumber": {
        "Phone": "PhoneNumber", "PhoneNumber": "PhoneNumber",
        "HomePhone": "HomePhoneNumber", "HomePhoneNumber": "HomePhoneNumber",
        "MobilePhone": "MobilePhoneNumber", "MobilePhoneNumber": "MobilePhoneNumber",
        "BusinessPhone": "BusinessPhoneNumber", "BusinessPhoneNumber": "BusinessPhoneNumber",
    },
    "Address": {
        "Address": "Address", "ShippingAddress": "ShippingAddress",
        "MailingAddress": "MailingAddress", "MaillingAddress": "MailingAddress",
        "BillingAddress": "BillingAddress", "BusinessAddress": "BillingAddress",
    },
}  # fmt: skip
_DEFAULT_SUB_TYPES = {
    "EmailAddress": EMAIL_FIELDS,
    "PhoneNumber": PHONE_FIELDS,
    "Address": ADDRESS_FIELDS,
}


class _Selector(NamedTuple):
    one_to_one: bool
    fields: dict[str, tuple[str, ...]]  # attribute type -> the profile fields selected


def _selector(rules: dict[str, Any]) -> _Selector:
    """The attribute types' sub-types to compare and how [DOC AttributeTypesSelector;
    INFERRED: without a selector, every sub-type, ONE_TO_ONE]."""
    selector = rules.get("AttributeTypesSelector") or {}
    fields = {}
    for kind, names in _SUB_TYPES.items():
        chosen = selector.get(kind)
        picked = tuple(dict.fromkeys(names[n] for n in chosen or () if n in names))
        fields[kind] = picked or _DEFAULT_SUB_TYPES[kind]
    return _Selector(selector.get("AttributeMatchingModel") != "MANY_TO_MANY", fields)


def _address_part(address: dict[str, Any], part: str) -> str:
    if part == "Address":
        lines = (address.get(f"Address{n}") for n in range(1, 5))
        return _text(" ".join(line for line in lines if line))
    value = address.get(part)
    return _text(value) if isinstance(value, str) else ""


def _scalar(profile: dict[str, Any], attribute: str) -> str:
    if attribute == "Gender":
        value: Any = profile.get("Gender") or profile.get("GenderString")
    elif attribute.startswith("Attributes."):
        value = (profile.get("Attributes") or {}).get(attribute[len("Attributes.") :])
    else:
        value = profile.get(attribute)
    return _text(value) if isinstance(value, str) else ""


def _rule_keys(profile: dict[str, Any], rule: list[str], selector: _Selector) -> list[Any]:
    """The values a profile matches others by under one rule: every combination of its
    values for the rule's attributes (several emails, phones or addresses give several),
    each address attribute taken from one address; ONE_TO_ONE keeps each value's
    sub-type with it, so only the same sub-type matches [DOC AttributeTypesSelector]."""
    tag = selector.one_to_one
    choices: list[list[Any]] = []
    address_parts = [a.partition(".")[2] for a in rule if a.startswith("Address.")]
    for attribute in rule:
        if attribute.startswith("Address."):
            continue
        if attribute in ("EmailAddress", "PhoneNumber"):
            normal = _email if attribute == "EmailAddress" else _phone
            values = {
                (field if tag else attribute, v)
                for field in selector.fields[attribute]
                if (raw := profile.get(field)) and (v := normal(raw))
            }
        else:
            value = _scalar(profile, attribute)
            values = {(attribute, value)} if value else set()
        if not values:
            return []
        choices.append(sorted(values))
    if address_parts:
        addresses = set()
        for field in selector.fields["Address"]:
            address = profile.get(field)
            if isinstance(address, dict):
                parts = tuple(_address_part(address, part) for part in address_parts)
                if all(parts):
                    addresses.add((field if tag else "Address", parts))
        if not addresses:
            return []
        choices.append(sorted(addresses))
    return list(itertools.product(*choices))


def rule_groups(domain: Domain) -> tuple[Group, ...]:
    """The rule-based match groups of the current profiles [DOC setup-matching-rule-
    examples; INFERRED the details]: two profiles match at rule level L when every
    attribute of rule L is equal (normalised: emails and phones as search keys, the rest
    case and spacing ignored); levels over ``MaxAllowedRuleLevelForMatching`` are
    ignored; matches join transitively into groups, whose RuleLevel is the lowest level
    that linked them. A value more than 500 profiles share links none of them. The
    MatchId is derived from the group (the same profiles at the same level keep it).
    Kept until a profile or the rules change."""
    rules = check_rule_based(domain)
    table = domain.part(PROFILES)
    part = domain.part(JOBS)
    cached = part.rule_cache
    # UpdateDomain replaces RuleBasedMatching whole: the same object is the same rules.
    if (
        cached is not None
        and cached[0] is table
        and cached[1] == table.version
        and cached[2] is rules
    ):
        return cached[3]
    groups = _rule_groups(table, rules)
    part.rule_cache = (table, table.version, rules, groups)
    return groups


def _rule_groups(table: ProfileTable, rules: dict[str, Any]) -> tuple[Group, ...]:
    selector = _selector(rules)
    profiles = list(table)
    top = rules.get("MaxAllowedRuleLevelForMatching") or 15
    links = _Union()
    for level, matching_rule in enumerate(rules.get("MatchingRules") or [], start=1):
        if level > top:
            break
        rule = matching_rule.get("Rule") or []
        if not rule:
            continue
        for ids in _blocks(profiles, functools.partial(_rule_keys, rule=rule, selector=selector)):
            for other in ids[1:]:
                links.link(ids[0], other, level, min)
    groups = []
    for ids, lowest in links.sets(table.in_order):
        digest = hashlib.sha256(f"{int(lowest)}:{','.join(sorted(ids))}".encode()).hexdigest()
        groups.append(Group(digest[:32], tuple(ids), rule_level=int(lowest)))
    return tuple(groups)


def find_group(domain: Domain, groups: Iterable[Group], key: str, value: str) -> Group:
    """The group GetSimilarProfiles answers [MODEL: "using the matchId or profileId";
    INFERRED the rest]: ``MatchId`` names a group; ``_profileId`` a profile; any other
    search key finds its profiles first; the first group holding one of them. None: 404."""
    groups = list(groups)
    if key == "MatchId":
        found = next((g for g in groups if g.match_id == value), None)
    else:
        # A job's groups keep profiles merged or deleted since: an id is taken as given.
        ids = {value} if key == "_profileId" else set(domain.find(key, value))
        found = next((g for g in groups if ids.intersection(g.profile_ids)), None)
    if found is None:
        raise ResourceNotFoundException(f"No match group holds a profile with {key} {value}")
    return found
