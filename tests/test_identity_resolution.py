"""Identity resolution through real boto3 clients (features/identity_resolution/): jobs
run by cp.run_identity_resolution_job() with their stats and auto-merging, GetMatches
over the latest job, rule-based matching over the current profiles, similar profiles,
the auto-merging preview and cp.seed_matches(). Each test names the rule it checks, with
its source tag from the reference (api-semantics-rest.md section 4)."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles

ML_DISABLED = (
    "Identity resolution is not enabled for domain shop: enable it with CreateDomain or "
    "UpdateDomain (Matching.Enabled)"
)
RULES_DISABLED = (
    "Rule-based matching is not enabled for domain shop: enable it with CreateDomain or "
    "UpdateDomain (RuleBasedMatching.Enabled)"
)
CRITERIA = {
    "Consolidation": {"MatchingAttributesList": [["FirstName", "LastName", "EmailAddress"]]},
    "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def ml(cp):
    cp.create_domain("shop", Matching={"Enabled": True})
    return "shop"


def rules(*levels, **selector):
    config = {"Enabled": True, "MatchingRules": [{"Rule": list(r)} for r in levels]}
    if selector:
        config["AttributeTypesSelector"] = selector
    return config


def people(cp):
    """Ann twice (email in two cases), Bob apart: one ML group of Ann's two profiles."""
    ann = cp.create_profile("shop", FirstName="Ann", LastName="Lee", EmailAddress="ann@x.com")
    ann2 = cp.create_profile("shop", FirstName="Ann", LastName="Lee", EmailAddress="ANN@x.com")
    bob = cp.create_profile("shop", FirstName="Bob", PhoneNumber="+1 555 0100")
    return ann, ann2, bob


# -- GetMatches and jobs ------------------------------------------------------------------


def test_get_matches_answers_the_latest_completed_jobs_groups(cp, client, ml):
    # [MODEL] groups of the latest run; [DOC] emails match in any case; [INF] exact
    # duplicates score 1.0
    ann, ann2, _ = people(cp)
    job = cp.run_identity_resolution_job("shop")
    out = client.get_matches(DomainName="shop")
    (match,) = out["Matches"]
    assert (match["ProfileIds"], match["ConfidenceScore"]) == ([ann, ann2], 1.0)
    assert out["PotentialMatches"] == 1
    assert out["MatchGenerationDate"] == job["JobEndTime"]


def test_get_matches_before_any_job_is_empty(client, ml):
    # [INF] no completed job: no matches, PotentialMatches 0
    out = client.get_matches(DomainName="shop")
    assert (out["Matches"], out["PotentialMatches"]) == ([], 0)
    assert "MatchGenerationDate" not in out


def test_get_matches_without_matching_enabled_is_bad_request(cp, client):
    # [MODEL] "Before calling this API ... enable identity resolution"; [INF] 400
    cp.create_domain("shop")
    with pytest.raises(ClientError) as excinfo:
        client.get_matches(DomainName="shop")
    assert error_of(excinfo) == ("BadRequestException", 400, ML_DISABLED)


def test_get_matches_pages(cp, client, ml):
    # [MODEL] MaxResults / NextToken, PotentialMatches the total
    ids = [cp.create_profile("shop", FirstName=f"P{n}") for n in range(6)]
    cp.seed_matches("shop", [ids[0:2], ids[2:4], ids[4:6]], confidence=0.7)
    first = client.get_matches(DomainName="shop", MaxResults=2)
    rest = client.get_matches(DomainName="shop", NextToken=first["NextToken"])
    groups = [m["ProfileIds"] for m in first["Matches"] + rest["Matches"]]
    assert groups == [ids[0:2], ids[2:4], ids[4:6]]
    assert (first["PotentialMatches"], "NextToken" in rest) == (3, False)
    assert {m["ConfidenceScore"] for m in first["Matches"]} == {0.7}


def test_matching_scores_the_share_of_agreeing_attributes(cp, client, ml):
    # [DOC] names, emails, phones, addresses, birth date; phones in any format; [INF] a
    # shared phone links, the score is the share of the attributes both have that agree
    a = cp.create_profile("shop", FirstName="Ann", PhoneNumber="555-010-0000")
    b = cp.create_profile("shop", FirstName="Anne", PhoneNumber="+1-555-010-0000")
    cp.create_profile("shop", FirstName="Ann", BirthDate="1990-01-01")
    cp.run_identity_resolution_job("shop")
    (match,) = client.get_matches(DomainName="shop")["Matches"]
    assert (match["ProfileIds"], match["ConfidenceScore"]) == ([a, b], 0.5)


def test_matching_needs_more_than_a_name(cp, client, ml):
    # [INF] the same name alone does not match; with the same birth date it does
    a = cp.create_profile("shop", FirstName="Ann", LastName="Lee", BirthDate="1990-01-01")
    b = cp.create_profile("shop", FirstName="ann", LastName="LEE", BirthDate="1990-01-01")
    cp.create_profile("shop", FirstName="Ann", LastName="Lee")
    cp.run_identity_resolution_job("shop")
    assert [m["ProfileIds"] for m in client.get_matches(DomainName="shop")["Matches"]] == [[a, b]]


def test_identity_resolution_job_is_recorded_with_its_stats(cp, client, ml):
    # [MODEL] Status, JobStats{NumberOfProfilesReviewed, NumberOfMatchesFound,
    # NumberOfMergesDone}, start and end times
    people(cp)
    job_id = cp.run_identity_resolution_job("shop")["JobId"]
    job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
    assert job["Status"] == "COMPLETED"
    assert job["JobStats"] == {
        "NumberOfProfilesReviewed": 3,
        "NumberOfMatchesFound": 1,
        "NumberOfMergesDone": 0,
    }
    assert job["JobStartTime"] <= job["JobEndTime"] == job["LastUpdatedAt"]
    assert (job["JobExpirationTime"] - job["JobEndTime"]).days == 30
    assert "AutoMerging" not in job
    assert "ExportingLocation" not in job


def test_identity_resolution_job_steps_through_its_states_on_the_clock():
    # [MODEL] PENDING -> PREPROCESSING -> FIND_MATCHING -> MERGING (only with
    # AutoMerging) -> COMPLETED; [INF] a step each job_seconds; matches found when it
    # leaves FIND_MATCHING, merged when it leaves MERGING
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name=cp.region)
        cp.create_domain(
            "shop",
            Matching={
                "Enabled": True,
                "AutoMerging": {
                    "Enabled": True,
                    "Consolidation": {"MatchingAttributesList": [["EmailAddress"]]},
                    "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
                },
            },
        )
        cp.create_profile("shop", EmailAddress="a@x.com")
        cp.create_profile("shop", EmailAddress="a@x.com")
        job_id = cp.run_identity_resolution_job("shop")["JobId"]
        seen = []
        for _ in range(5):
            job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
            seen.append((job["Status"], len(cp.profiles("shop"))))
            clock.advance(60)
        assert seen == [
            ("PENDING", 2),
            ("PREPROCESSING", 2),
            ("FIND_MATCHING", 2),
            ("MERGING", 2),
            ("COMPLETED", 1),
        ]
        assert job["JobStats"] == {
            "NumberOfProfilesReviewed": 2,
            "NumberOfMatchesFound": 1,
            "NumberOfMergesDone": 1,
        }


def test_a_running_identity_resolution_job_goes_on_after_a_restore():
    # a job's state and its next step are frozen with a snapshot
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name=cp.region)
        cp.create_domain("shop", Matching={"Enabled": True})
        job_id = cp.run_identity_resolution_job("shop")["JobId"]
        snapshot = cp.snapshot()
        cp.settle()
        cp.restore(snapshot)
        job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
        assert job["Status"] == "PENDING"
        clock.advance(180)
        job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
        assert job["Status"] == "COMPLETED"


def test_identity_resolution_job_can_be_left_running(cp, client, ml):
    # [MODEL] a job in a running status has no end and no stats; [INF] a test can
    # leave one there (status=)
    job_id = cp.run_identity_resolution_job("shop", status="PREPROCESSING")["JobId"]
    cp.settle()
    job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
    assert job["Status"] == "PREPROCESSING"
    assert "JobEndTime" not in job
    assert "JobStats" not in job


def test_identity_resolution_job_exports_where_the_domain_says(cp, client):
    # [MODEL] ExportingLocation with ExportingConfig; [INF] the key: prefix/JobId
    cp.create_domain(
        "shop",
        Matching={
            "Enabled": True,
            "ExportingConfig": {"S3Exporting": {"S3BucketName": "bucket", "S3KeyName": "ir"}},
        },
    )
    job_id = cp.run_identity_resolution_job("shop")["JobId"]
    job = client.get_identity_resolution_job(DomainName="shop", JobId=job_id)
    assert job["ExportingLocation"] == {
        "S3Exporting": {"S3BucketName": "bucket", "S3KeyName": f"ir/{job_id}"}
    }


def test_unknown_identity_resolution_job_is_not_found(client, ml):
    # [INF] an unknown JobId is 404
    with pytest.raises(ClientError) as excinfo:
        client.get_identity_resolution_job(DomainName="shop", JobId="0" * 32)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Identity resolution job {'0' * 32} does not exist in domain shop",
    )


def test_list_identity_resolution_jobs_newest_first_with_their_statuses(cp, client, ml):
    # [MODEL] sorted by JobStartTime, statuses and Message; [INF] newest first, a job
    # still running has no end nor stats
    first = cp.run_identity_resolution_job("shop")["JobId"]
    failed = cp.run_identity_resolution_job("shop", status="FAILED", message="no data")["JobId"]
    running = cp.run_identity_resolution_job("shop", status="FIND_MATCHING")["JobId"]
    jobs = client.list_identity_resolution_jobs(DomainName="shop")["IdentityResolutionJobsList"]
    assert [(j["JobId"], j["Status"]) for j in jobs] == [
        (running, "FIND_MATCHING"),
        (failed, "FAILED"),
        (first, "COMPLETED"),
    ]
    assert jobs[1]["Message"] == "no data"
    assert "JobEndTime" not in jobs[0]
    assert "JobStats" not in jobs[0]
    assert jobs[2]["DomainName"] == "shop"


def test_list_identity_resolution_jobs_pages(cp, client, ml):
    # [MODEL] MaxResults / NextToken
    ids = [cp.run_identity_resolution_job("shop")["JobId"] for _ in range(3)]
    first = client.list_identity_resolution_jobs(DomainName="shop", MaxResults=2)
    rest = client.list_identity_resolution_jobs(DomainName="shop", NextToken=first["NextToken"])
    listed = [j["JobId"] for j in first["IdentityResolutionJobsList"]]
    listed += [j["JobId"] for j in rest["IdentityResolutionJobsList"]]
    assert listed == ids[::-1]


def test_a_failed_job_leaves_get_matches_on_the_last_completed_one(cp, client, ml):
    # [MODEL] GetMatches reads the latest run that completed
    ann, ann2, _ = people(cp)
    cp.run_identity_resolution_job("shop")
    cp.run_identity_resolution_job("shop", status="FAILED", message="boom")
    assert client.get_matches(DomainName="shop")["Matches"][0]["ProfileIds"] == [ann, ann2]


def test_run_identity_resolution_job_needs_matching_enabled(cp):
    # the handle refuses what AWS would never run
    cp.create_domain("shop")
    with pytest.raises(InvalidArgumentError, match="does not have identity resolution enabled"):
        cp.run_identity_resolution_job("shop")


def test_run_identity_resolution_job_refuses_an_unknown_status(cp, ml):
    with pytest.raises(InvalidArgumentError, match="status must be one of PENDING"):
        cp.run_identity_resolution_job("shop", status="DONE")


def test_seed_matches_refuses_a_group_of_one(cp, ml):
    with pytest.raises(InvalidArgumentError, match=r"groups\[0\] must hold two or more"):
        cp.seed_matches("shop", [["0" * 32]])


# -- auto-merging -------------------------------------------------------------------------


def auto_merging_domain(cp, criteria, **extra):
    cp.create_domain(
        "shop",
        Matching={
            "Enabled": True,
            "AutoMerging": {
                "Enabled": True,
                "Consolidation": {"MatchingAttributesList": criteria},
                "ConflictResolution": {"ConflictResolvingModel": "RECENCY"},
                **extra,
            },
        },
    )


def test_auto_merging_applies_the_criteria_in_order(cp, client):
    # [DOC create-consolidation-criteria] worked example: criterion 1
    # FirstName+LastName+Email merges A and B, criterion 2 Phone merges AB with C
    auto_merging_domain(cp, [["FirstName", "LastName", "EmailAddress"], ["PhoneNumber"]])
    a = cp.create_profile(
        "shop", FirstName="Ann", LastName="Lee", EmailAddress="a@x.com", PhoneNumber="5550100"
    )
    b = cp.create_profile("shop", FirstName="Ann", LastName="Lee", EmailAddress="A@x.com")
    c = cp.create_profile("shop", FirstName="Annie", PhoneNumber="555-0100")
    job = cp.run_identity_resolution_job("shop")
    assert job["JobStats"]["NumberOfMergesDone"] == 2
    assert job["AutoMerging"]["Enabled"] is True
    (left,) = cp.profiles("shop")
    # [INF] RECENCY: the most recently created profile is the main one and wins conflicts
    assert left["ProfileId"] == c
    assert (left["FirstName"], left["EmailAddress"]) == ("Annie", "A@x.com")
    # [INF] the job's groups stay as found
    (match,) = client.get_matches(DomainName="shop")["Matches"]
    assert match["ProfileIds"] == [a, b, c]


def test_auto_merging_leaves_a_profile_missing_an_attribute(cp):
    # [DOC] within a criterion every attribute must be present and exactly equal
    auto_merging_domain(cp, [["FirstName", "EmailAddress"]])
    cp.create_profile("shop", FirstName="Ann", EmailAddress="a@x.com")
    cp.create_profile("shop", FirstName="Ann", EmailAddress="a@x.com")
    cp.create_profile("shop", EmailAddress="a@x.com")
    job = cp.run_identity_resolution_job("shop")
    assert job["JobStats"]["NumberOfMergesDone"] == 1
    assert len(cp.profiles("shop")) == 2


def test_auto_merging_skips_groups_below_the_confidence_floor(cp):
    # [MODEL] MinAllowedConfidenceScoreForMerging
    auto_merging_domain(cp, [["PhoneNumber"]], MinAllowedConfidenceScoreForMerging=0.9)
    cp.create_profile("shop", FirstName="Ann", PhoneNumber="5550100")
    cp.create_profile("shop", FirstName="Bob", PhoneNumber="5550100")
    job = cp.run_identity_resolution_job("shop")
    assert (job["JobStats"]["NumberOfMatchesFound"], job["JobStats"]["NumberOfMergesDone"]) == (
        1,
        0,
    )
    assert len(cp.profiles("shop")) == 2


def test_auto_merging_by_source_prefers_the_source_profile(cp):
    # [DOC] SOURCE: values from the profile of the object type SourceName first
    cp.create_domain(
        "shop",
        Matching={
            "Enabled": True,
            "AutoMerging": {
                "Enabled": True,
                "Consolidation": {"MatchingAttributesList": [["EmailAddress"]]},
                "ConflictResolution": {"ConflictResolvingModel": "SOURCE", "SourceName": "Crm"},
            },
        },
    )
    cp.put_object_type(
        "shop",
        "Crm",
        Description="crm",
        Fields={"id": {"Source": "_source.id"}},
        Keys={
            "_profileId": [
                {"StandardIdentifiers": ["PROFILE", "LOOKUP_ONLY"], "FieldNames": ["id"]}
            ],
            "crmId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        },
    )
    crm = cp.create_profile("shop", FirstName="Crm", EmailAddress="a@x.com")
    cp.put_object("shop", "Crm", {"id": crm})
    cp.create_profile("shop", FirstName="Newer", EmailAddress="a@x.com")
    cp.run_identity_resolution_job("shop")
    (left,) = cp.profiles("shop")
    assert (left["ProfileId"], left["FirstName"]) == (crm, "Crm")


def test_get_auto_merging_preview_counts_without_merging(cp, client, ml):
    # [MODEL] counts only, nothing merged; [INF] the sample is all of the latest job's
    # groups, the profiles to be merged include the main ones
    people(cp)
    cp.run_identity_resolution_job("shop")
    out = client.get_auto_merging_preview(DomainName="shop", **CRITERIA)
    assert (
        out["DomainName"],
        out["NumberOfMatchesInSample"],
        out["NumberOfProfilesInSample"],
        out["NumberOfProfilesWillBeMerged"],
    ) == ("shop", 1, 2, 2)
    assert len(cp.profiles("shop")) == 3


def test_get_auto_merging_preview_before_any_job_is_zeros(client, ml):
    # [INF] no job yet: zeros
    out = client.get_auto_merging_preview(DomainName="shop", **CRITERIA)
    assert (
        out["NumberOfMatchesInSample"],
        out["NumberOfProfilesInSample"],
        out["NumberOfProfilesWillBeMerged"],
    ) == (0, 0, 0)


def test_get_auto_merging_preview_by_source_without_a_source_is_bad_request(client, ml):
    # [INF] SOURCE needs its SourceName
    with pytest.raises(ClientError) as excinfo:
        client.get_auto_merging_preview(
            DomainName="shop",
            Consolidation=CRITERIA["Consolidation"],
            ConflictResolution={"ConflictResolvingModel": "SOURCE"},
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "ConflictResolution.SourceName is required when ConflictResolvingModel is SOURCE",
    )


# -- rule-based matching ------------------------------------------------------------------


def test_list_rule_based_matches_groups_the_current_profiles(cp, client):
    # [DOC matching rule examples] every attribute of a rule equal, normalised like search
    # keys; [INF] evaluated at each call over the current profiles
    cp.create_domain("shop", RuleBasedMatching=rules(["EmailAddress"]))
    a = cp.create_profile("shop", EmailAddress="ann@x.com")
    b = cp.create_profile("shop", EmailAddress=" ANN@x.com")
    cp.create_profile("shop", EmailAddress="bob@x.com")
    (match_id,) = client.list_rule_based_matches(DomainName="shop")["MatchIds"]
    similar = client.get_similar_profiles(
        DomainName="shop",
        MatchType="RULE_BASED_MATCHING",
        SearchKey="MatchId",
        SearchValue=match_id,
    )
    assert (similar["ProfileIds"], similar["RuleLevel"], similar["MatchId"]) == (
        [a, b],
        1,
        match_id,
    )
    assert "ConfidenceScore" not in similar
    client.delete_profile(DomainName="shop", ProfileId=b)
    assert client.list_rule_based_matches(DomainName="shop")["MatchIds"] == []


def test_rule_based_matches_follow_profile_updates_and_new_rules(cp, client):
    # [INF] rule-based matching runs as profiles change: an update that makes two
    # profiles equal groups them; new rules (UpdateDomain) regroup at once
    cp.create_domain("shop", RuleBasedMatching=rules(["EmailAddress"]))
    a = cp.create_profile("shop", EmailAddress="a@x.com", AccountNumber="1")
    b = cp.create_profile("shop", EmailAddress="b@x.com", AccountNumber="1")
    assert client.list_rule_based_matches(DomainName="shop")["MatchIds"] == []
    client.update_profile(DomainName="shop", ProfileId=b, EmailAddress="A@x.com")
    assert len(client.list_rule_based_matches(DomainName="shop")["MatchIds"]) == 1
    client.update_profile(DomainName="shop", ProfileId=b, EmailAddress="b@x.com")
    client.update_domain(DomainName="shop", RuleBasedMatching=rules(["AccountNumber"]))
    (match_id,) = client.list_rule_based_matches(DomainName="shop")["MatchIds"]
    out = client.get_similar_profiles(
        DomainName="shop",
        MatchType="RULE_BASED_MATCHING",
        SearchKey="MatchId",
        SearchValue=match_id,
    )
    assert out["ProfileIds"] == [a, b]


def test_rule_based_match_level_is_the_lowest_that_matched(cp, client):
    # [DOC] rule levels in order; [INF] a group's RuleLevel is its lowest linking level
    cp.create_domain(
        "shop",
        RuleBasedMatching=rules(["FirstName", "LastName", "EmailAddress"], ["PhoneNumber"]),
    )
    a = cp.create_profile("shop", FirstName="Ann", LastName="Lee", EmailAddress="a@x.com")
    b = cp.create_profile(
        "shop", FirstName="ann", LastName="lee", EmailAddress="a@x.com", PhoneNumber="5550100"
    )
    c = cp.create_profile("shop", PhoneNumber="(555) 0100")
    out = client.get_similar_profiles(
        DomainName="shop", MatchType="RULE_BASED_MATCHING", SearchKey="_profileId", SearchValue=c
    )
    assert (out["ProfileIds"], out["RuleLevel"]) == ([a, b, c], 1)


def test_rule_based_matching_ignores_levels_above_the_maximum(cp, client):
    # [MODEL] MaxAllowedRuleLevelForMatching
    config = rules(["EmailAddress"], ["PhoneNumber"])
    config["MaxAllowedRuleLevelForMatching"] = 1
    cp.create_domain("shop", RuleBasedMatching=config)
    cp.create_profile("shop", PhoneNumber="5550100")
    cp.create_profile("shop", PhoneNumber="5550100")
    assert client.list_rule_based_matches(DomainName="shop")["MatchIds"] == []


def test_rule_based_one_to_one_matches_only_the_same_sub_type(cp, client):
    # [DOC AttributeTypesSelector] ONE_TO_ONE: same sub-type only; MANY_TO_MANY: any
    selector = {"EmailAddress": ["EmailAddress", "BusinessEmailAddress"]}
    cp.create_domain(
        "shop",
        RuleBasedMatching=rules(["EmailAddress"], AttributeMatchingModel="ONE_TO_ONE", **selector),
    )
    cp.create_domain(
        "many",
        RuleBasedMatching=rules(
            ["EmailAddress"], AttributeMatchingModel="MANY_TO_MANY", **selector
        ),
    )
    for domain in ("shop", "many"):
        cp.create_profile(domain, EmailAddress="a@x.com")
        cp.create_profile(domain, BusinessEmailAddress="a@x.com")
    assert client.list_rule_based_matches(DomainName="shop")["MatchIds"] == []
    assert len(client.list_rule_based_matches(DomainName="many")["MatchIds"]) == 1


def test_rule_based_address_attributes_come_from_one_address(cp, client):
    # [DOC] Address.City, Address.PostalCode; [INF] compared within one address
    cp.create_domain("shop", RuleBasedMatching=rules(["Address.City", "Address.PostalCode"]))
    a = cp.create_profile("shop", Address={"City": "Paris", "PostalCode": "75001"})
    b = cp.create_profile("shop", Address={"City": "paris", "PostalCode": "75001"})
    cp.create_profile(
        "shop",
        Address={"City": "Paris", "PostalCode": "69001"},
        ShippingAddress={"City": "Lyon", "PostalCode": "75001"},
    )
    (match_id,) = client.list_rule_based_matches(DomainName="shop")["MatchIds"]
    out = client.get_similar_profiles(
        DomainName="shop",
        MatchType="RULE_BASED_MATCHING",
        SearchKey="MatchId",
        SearchValue=match_id,
    )
    assert out["ProfileIds"] == [a, b]


def test_list_rule_based_matches_pages(cp, client):
    # [MODEL] MaxResults / NextToken; the botocore paginator walks it
    cp.create_domain("shop", RuleBasedMatching=rules(["AccountNumber"]))
    for n in range(3):
        cp.create_profiles("shop", [{"AccountNumber": f"acc{n}"}] * 2)
    first = client.list_rule_based_matches(DomainName="shop", MaxResults=2)
    pages = client.get_paginator("list_rule_based_matches").paginate(
        DomainName="shop", PaginationConfig={"PageSize": 1}
    )
    walked = [i for page in pages for i in page["MatchIds"]]
    assert len(walked) == 3
    assert walked[:2] == first["MatchIds"]


def test_list_rule_based_matches_without_rule_based_matching_is_bad_request(client, ml):
    # [INF] 400 when RuleBasedMatching is not enabled
    with pytest.raises(ClientError) as excinfo:
        client.list_rule_based_matches(DomainName="shop")
    assert error_of(excinfo) == ("BadRequestException", 400, RULES_DISABLED)


# -- GetSimilarProfiles -------------------------------------------------------------------


def test_get_similar_profiles_ml_by_search_key(cp, client, ml):
    # [MODEL] ML_BASED_MATCHING answers the group's ConfidenceScore, no RuleLevel; [INF]
    # another search key finds its profile first
    ann, ann2, _ = people(cp)
    cp.seed_matches("shop", [[ann, ann2]], confidence=0.8)
    out = client.get_similar_profiles(
        DomainName="shop",
        MatchType="ML_BASED_MATCHING",
        SearchKey="_email",
        SearchValue="ANN@x.com",
    )
    assert (out["ProfileIds"], out["ConfidenceScore"], out["MatchType"]) == (
        [ann, ann2],
        0.8,
        "ML_BASED_MATCHING",
    )
    assert "RuleLevel" not in out


def test_get_similar_profiles_pages_the_profile_ids(cp, client, ml):
    # [MODEL] the paginator aggregates ProfileIds and keeps MatchId, MatchType and the
    # score from the first page
    ids = [cp.create_profile("shop", FirstName=f"P{n}") for n in range(3)]
    cp.seed_matches("shop", [ids], confidence=0.6)
    pages = client.get_paginator("get_similar_profiles").paginate(
        DomainName="shop",
        MatchType="ML_BASED_MATCHING",
        SearchKey="_profileId",
        SearchValue=ids[2],
        PaginationConfig={"PageSize": 2},
    )
    out = pages.build_full_result()
    assert (out["ProfileIds"], out["ConfidenceScore"]) == (ids, 0.6)


def test_get_similar_profiles_outside_any_group_is_not_found(cp, client, ml):
    # [INF] a profile in no group is 404
    profile_id = cp.create_profile("shop", FirstName="Solo")
    with pytest.raises(ClientError) as excinfo:
        client.get_similar_profiles(
            DomainName="shop",
            MatchType="ML_BASED_MATCHING",
            SearchKey="_profileId",
            SearchValue=profile_id,
        )
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"No match group holds a profile with _profileId {profile_id}",
    )


def test_get_similar_profiles_of_a_disabled_match_type_is_bad_request(client, ml):
    # [INF] the MatchType's matching must be enabled
    with pytest.raises(ClientError) as excinfo:
        client.get_similar_profiles(
            DomainName="shop",
            MatchType="RULE_BASED_MATCHING",
            SearchKey="_profileId",
            SearchValue="0" * 32,
        )
    assert error_of(excinfo) == ("BadRequestException", 400, RULES_DISABLED)


# -- snapshots and the server -------------------------------------------------------------


def test_identity_resolution_jobs_follow_a_snapshot_restore(cp, client, ml):
    # jobs are domain state: a restore brings back the jobs of its moment
    first = cp.run_identity_resolution_job("shop")["JobId"]
    snapshot = cp.snapshot()
    cp.run_identity_resolution_job("shop")
    cp.restore(snapshot)
    jobs = client.list_identity_resolution_jobs(DomainName="shop")["IdentityResolutionJobsList"]
    assert [j["JobId"] for j in jobs] == [first]


def test_identity_resolution_handle_methods_over_a_server(customer_profiles_server):
    # the control API runs jobs and seeds matches, answering datetimes as the API does
    remote = customer_profiles_server
    remote.create_domain("shop", Matching={"Enabled": True})
    a = remote.create_profile("shop", EmailAddress="a@x.com")
    b = remote.create_profile("shop", EmailAddress="a@x.com")
    job = remote.run_identity_resolution_job("shop")
    seeded = remote.seed_matches("shop", [[a, b]], confidence=0.5)
    assert job["JobStats"]["NumberOfMatchesFound"] == 1
    assert (seeded["Status"], seeded["JobEndTime"].year >= 2024) == ("COMPLETED", True)
