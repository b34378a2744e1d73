"""The identity resolution operations: matches, similar profiles, jobs, auto-merging preview."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.identity_resolution import models
from customer_profiles_mock.features.identity_resolution.models import JOBS
from customer_profiles_mock.wire.pagination import fingerprint, paginate


@operation("GetMatches")
def get_matches(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The match groups of the latest identity resolution job that completed (or
    completed in part), each `{MatchId, ProfileIds, ConfidenceScore}`;
    `MatchGenerationDate` is that job's end and `PotentialMatches` the number of its
    groups [MODEL]. No such job yet: no `Matches` and `PotentialMatches` 0 [INFERRED].
    Jobs run when a test asks (`cp.run_identity_resolution_job()`, or
    `cp.seed_matches()` for fixed groups), not weekly [INFERRED]; a group keeps profiles
    merged or deleted since, until the next job [INFERRED]. `MaxResults` (default 100
    [INFERRED]) / `NextToken`. A domain without `Matching.Enabled` is 400 `Identity
    resolution is not enabled for domain DOMAIN: enable it with CreateDomain or
    UpdateDomain (Matching.Enabled)` [MODEL: enable it first; INFERRED: the code and the
    wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_matching(domain)
    job = domain.part(JOBS).latest_results()
    groups = job.groups if job is not None else ()
    query = fingerprint("GetMatches", domain.name, job.job_id if job else None)
    page, token = paginate(groups, params, query, models.LIST_PAGE)
    out: dict[str, Any] = {
        "Matches": [
            {
                "MatchId": g.match_id,
                "ProfileIds": list(g.profile_ids),
                "ConfidenceScore": g.confidence,
            }
            for g in page
        ],
        "PotentialMatches": len(groups),
    }
    if job is not None:
        out["MatchGenerationDate"] = job.end
    if token:
        out["NextToken"] = token
    return out


@operation("ListRuleBasedMatches")
def list_rule_based_matches(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The `MatchIds` of the rule-based match groups of the profiles as they are now:
    rule-based matching runs as profiles change, not as a job [INFERRED]. Two profiles
    match at rule level L when every attribute of `MatchingRules[L-1].Rule` is equal,
    normalised as search keys are (emails, phones) or with case and spacing ignored
    (the rest) [DOC matching rule examples; INFERRED: the normalisation]; levels above
    `MaxAllowedRuleLevelForMatching` are ignored [MODEL]; `AttributeTypesSelector`
    chooses which emails, phones and addresses count, and `ONE_TO_ONE` matches only the
    same sub-type (`MANY_TO_MANY` any) [DOC; INFERRED: every sub-type, ONE_TO_ONE, when
    absent]; matches join transitively into one group [INFERRED]; a value more than 500
    profiles share links none [DOC: such a level is skipped; INFERRED: per value]. A
    MatchId is derived from its group's profiles and level, so it stays while they do
    [INFERRED]. Groups in the order of their oldest profile; `MaxResults` (default 100
    [INFERRED]) / `NextToken`; the botocore paginator walks it. A domain without
    `RuleBasedMatching.Enabled` is 400 `Rule-based matching is not enabled for domain
    DOMAIN: enable it with CreateDomain or UpdateDomain (RuleBasedMatching.Enabled)`
    [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    ids = [group.match_id for group in models.rule_groups(domain)]
    query = fingerprint("ListRuleBasedMatches", domain.name)
    page, token = paginate(ids, params, query, models.LIST_PAGE)
    out: dict[str, Any] = {"MatchIds": list(page)}
    if token:
        out["NextToken"] = token
    return out


@operation("GetSimilarProfiles")
def get_similar_profiles(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The `ProfileIds` of the match group a profile or match id is in [MODEL]: with
    `MatchType` `RULE_BASED_MATCHING` the current rule-based groups (as
    ListRuleBasedMatches) and their `RuleLevel`, with `ML_BASED_MATCHING` the latest
    job's groups (as GetMatches) and their `ConfidenceScore` [MODEL]. `SearchKey`
    `MatchId` names a group, `_profileId` a profile, any other search key (`_email`,
    `_phone`, an object type's key) finds its profiles first; the first group holding
    one answers [INFERRED]. No group: 404 `No match group holds a profile with KEY VALUE`
    [INFERRED]. `MatchId`, `MatchType` and the level or score come on every page;
    `MaxResults` (default 100 [INFERRED]) / `NextToken` page the `ProfileIds`, and the
    botocore paginator walks them. The matching `MatchType` names must be enabled on the
    domain: 400 as GetMatches and ListRuleBasedMatches answer otherwise [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    match_type = params["MatchType"]
    if match_type == "RULE_BASED_MATCHING":
        groups = models.rule_groups(domain)
    else:
        models.check_matching(domain)
        job = domain.part(JOBS).latest_results()
        groups = job.groups if job is not None else ()
    group = models.find_group(domain, groups, params["SearchKey"], params["SearchValue"])
    query = fingerprint("GetSimilarProfiles", domain.name, match_type, group.match_id)
    page, token = paginate(group.profile_ids, params, query, models.LIST_PAGE)
    out: dict[str, Any] = {
        "ProfileIds": list(page),
        "MatchId": group.match_id,
        "MatchType": match_type,
    }
    if group.rule_level is not None:
        out["RuleLevel"] = group.rule_level
    if group.confidence is not None:
        out["ConfidenceScore"] = group.confidence
    if token:
        out["NextToken"] = token
    return out


@operation("GetIdentityResolutionJob")
def get_identity_resolution_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """A job the domain ran: `Status` (`PENDING`, `PREPROCESSING`, `FIND_MATCHING`,
    `MERGING` with auto-merging, then `COMPLETED`; a step each `job_seconds` of the
    handle [INFERRED: the timing]), `JobStartTime`, `JobEndTime`, `LastUpdatedAt` (its
    last step), `JobStats` (`NumberOfProfilesReviewed`,
    `NumberOfMatchesFound`, `NumberOfMergesDone`: the profiles merged into others),
    `AutoMerging` as the domain had it when the job ran, `ExportingLocation` when
    `Matching.ExportingConfig` names an S3 bucket (the key: the configured one and the
    JobId [INFERRED]), `Message`, and `JobExpirationTime` 30 days after its end
    [INFERRED]; the shape is the model's. An unknown JobId is 404 `Identity resolution
    job JOB_ID does not exist in domain DOMAIN` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return domain.part(JOBS).get(domain.name, params["JobId"]).shown(domain.name)


@operation("ListIdentityResolutionJobs")
def list_identity_resolution_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The domain's jobs, newest `JobStartTime` first [MODEL: sorted by JobStartTime;
    INFERRED: the direction], as GetIdentityResolutionJob shows them without
    `LastUpdatedAt`, `JobExpirationTime` and `AutoMerging` [MODEL: the item shape];
    `MaxResults` (default 100 [INFERRED]) / `NextToken`. Jobs stay listed when matching
    is turned off [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    jobs = domain.part(JOBS).newest_first()
    query = fingerprint("ListIdentityResolutionJobs", domain.name)
    page, token = paginate(jobs, params, query, models.LIST_PAGE)
    out: dict[str, Any] = {"IdentityResolutionJobsList": [job.listed(domain.name) for job in page]}
    if token:
        out["NextToken"] = token
    return out


@operation("GetAutoMergingPreview")
def get_auto_merging_preview(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """What auto-merging with the given `Consolidation`, `ConflictResolution` and
    `MinAllowedConfidenceScoreForMerging` would do to the latest job's match groups,
    without merging [MODEL]: the sample is all of them, not a random part [INFERRED].
    `NumberOfMatchesInSample` counts the groups, `NumberOfProfilesInSample` their
    profiles that still exist, `NumberOfProfilesWillBeMerged` the profiles a merge would
    take in, main profiles included [INFERRED]. The criteria apply in order, each
    merging the profiles, and those already merged, whose attributes of that criterion
    are all present and exactly equal (emails and phones normalised) [DOC
    create-consolidation-criteria]. No job yet: zeros [INFERRED]. `SOURCE` without a
    `SourceName` is 400 `ConflictResolution.SourceName is required when
    ConflictResolvingModel is SOURCE` [INFERRED]; a domain without `Matching.Enabled` is
    400 as GetMatches answers [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_matching(domain)
    models.check_conflict_resolution(params["ConflictResolution"])
    auto = {
        "Enabled": True,
        "Consolidation": params["Consolidation"],
        "ConflictResolution": params["ConflictResolution"],
    }
    if "MinAllowedConfidenceScoreForMerging" in params:
        auto["MinAllowedConfidenceScoreForMerging"] = params["MinAllowedConfidenceScoreForMerging"]
    return {"DomainName": domain.name, **models.preview(domain, auto)}
