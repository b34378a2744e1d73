"""CreateDomain, GetDomain, ListDomains, UpdateDomain and DeleteDomain through a real boto3
client."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import VirtualClock, mock_customer_profiles
from customer_profiles_mock.wire import model as _model


def test_create_domain_returns_the_domain(client):
    out = client.create_domain(DomainName="shop", DefaultExpirationDays=30, Tags={"team": "crm"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["DomainName"] == "shop"
    assert out["DefaultExpirationDays"] == 30
    assert out["Tags"] == {"team": "crm"}
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert out["CreatedAt"] == out["LastUpdatedAt"]
    assert "Stats" not in out


def test_create_domain_omits_tags_when_none_given(client):
    out = client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    assert "Tags" not in out


def test_create_domain_existing_name(client):
    client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.create_domain(DomainName="shop", DefaultExpirationDays=90)
    assert exc.value.response["Error"] == {
        "Code": "BadRequestException",
        "Message": "Domain shop already exists",
    }
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert client.get_domain(DomainName="shop")["DefaultExpirationDays"] == 30


def test_create_domain_echoes_matching_settings(client):
    out = client.create_domain(
        DomainName="shop",
        DefaultExpirationDays=30,
        DeadLetterQueueUrl="https://sqs.us-east-1.amazonaws.com/123456789012/dlq",
        Matching={"Enabled": True},
        RuleBasedMatching={"Enabled": False},
    )
    assert out["Matching"] == {"Enabled": True}
    assert out["RuleBasedMatching"] == {"Enabled": False, "Status": "IN_PROGRESS"}
    assert out["DeadLetterQueueUrl"].endswith("/dlq")


def test_get_domain_counts_profiles(client, cp):
    cp.create_domain("shop")
    for name in ("Ann", "Bob", "Cy"):
        client.create_profile(DomainName="shop", FirstName=name)
    out = client.get_domain(DomainName="shop")
    assert out["DomainName"] == "shop"
    assert out["DefaultExpirationDays"] == 366
    assert out["Stats"]["ProfileCount"] == 3
    assert out["Stats"]["ObjectCount"] == 0


def test_get_domain_not_found(client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.get_domain(DomainName="nope")
    assert exc.value.response["Error"]["Message"] == "Domain nope does not exist"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_list_domains_sorted_by_name(client, cp):
    for name in ("c", "a", "b"):
        cp.create_domain(name, Tags={"k": name})
    out = client.list_domains()
    assert [d["DomainName"] for d in out["Items"]] == ["a", "b", "c"]
    assert out["Items"][0]["Tags"] == {"k": "a"}
    assert "NextToken" not in out


def test_list_domains_empty(client):
    assert client.list_domains()["Items"] == []


def test_list_domains_pages(client, cp):
    for i in range(5):
        cp.create_domain(f"d{i}")
    first = client.list_domains(MaxResults=2)
    second = client.list_domains(MaxResults=2, NextToken=first["NextToken"])
    third = client.list_domains(MaxResults=2, NextToken=second["NextToken"])
    names = [d["DomainName"] for page in (first, second, third) for d in page["Items"]]
    assert names == ["d0", "d1", "d2", "d3", "d4"]
    assert "NextToken" not in third


def test_list_domains_invalid_next_token(client, cp):
    cp.create_domain("shop")
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.list_domains(NextToken="not-a-token")
    assert exc.value.response["Error"]["Message"] == "The NextToken is invalid or has expired"


def test_delete_domain_removes_it_and_its_profiles(client, cp):
    cp.create_domain("shop")
    profile_id = cp.create_profile("shop", FirstName="Ann")
    out = client.delete_domain(DomainName="shop")
    assert out["Message"] == "Domain Deleted"
    assert client.list_domains()["Items"] == []
    cp.create_domain("shop")
    got = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert got["Profiles"] == []


def test_delete_domain_not_found(client):
    with pytest.raises(ClientError) as exc:
        client.delete_domain(DomainName="nope")
    assert exc.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_domains_are_per_region(cp):
    import boto3

    east = boto3.client("customer-profiles", region_name="us-east-1")
    west = boto3.client("customer-profiles", region_name="us-west-2")
    east.create_domain(DomainName="shop", DefaultExpirationDays=30)
    assert west.list_domains()["Items"] == []
    west.create_domain(DomainName="shop", DefaultExpirationDays=60)
    assert east.get_domain(DomainName="shop")["DefaultExpirationDays"] == 30
    assert cp.domains(region="us-west-2") == ["shop"]


def test_create_domain_rule_based_matching_skips_pending(client):
    out = client.create_domain(
        DomainName="shop", DefaultExpirationDays=30, RuleBasedMatching={"Enabled": True}
    )
    # [MODEL] "If it is a new domain, the system will skip the PENDING stage"; then ACTIVE
    # a job step later (by the next call with job_seconds 0) [INF]
    assert out["RuleBasedMatching"] == {"Enabled": True, "Status": "IN_PROGRESS"}
    got = client.get_domain(DomainName="shop")
    assert got["RuleBasedMatching"] == {"Enabled": True, "Status": "ACTIVE"}


# -- UpdateDomain ----------------------------------------------------------------------

DLQ = "https://sqs.us-east-1.amazonaws.com/123456789012/dlq"
# DataStore is in the model from botocore 1.40.x on, not in the oldest release CI runs.
DATA_STORE = "DataStore" in _model.operation_model("UpdateDomain").input_shape.members
WITH_DATA_STORE = {"DataStore": {"Enabled": True}} if DATA_STORE else {}
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd"


@pytest.fixture
def shop(client):
    return client.create_domain(
        DomainName="shop",
        DefaultExpirationDays=30,
        DefaultEncryptionKey=KEY,
        DeadLetterQueueUrl=DLQ,
        Matching={"Enabled": True, "JobSchedule": {"DayOfTheWeek": "MONDAY", "Time": "12:30"}},
        Tags={"team": "crm", "env": "dev"},
        **WITH_DATA_STORE,
    )


def _domain(client, name="shop"):
    out = client.get_domain(DomainName=name)
    del out["ResponseMetadata"]
    return out


def test_update_domain_keeps_omitted_fields(client, shop):
    out = client.update_domain(DomainName="shop", DefaultExpirationDays=90)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["DefaultExpirationDays"] == 90
    assert out["DefaultEncryptionKey"] == KEY
    assert out["DeadLetterQueueUrl"] == DLQ
    assert out["Matching"] == shop["Matching"]
    assert out.get("DataStore") == WITH_DATA_STORE.get("DataStore")
    assert out["Tags"] == {"team": "crm", "env": "dev"}
    assert _domain(client)["DefaultExpirationDays"] == 90


def test_update_domain_answers_like_create_domain(client, shop):
    out = client.update_domain(DomainName="shop")
    assert "Stats" not in out
    assert {k: v for k, v in out.items() if k not in ("ResponseMetadata", "LastUpdatedAt")} == {
        k: v for k, v in shop.items() if k not in ("ResponseMetadata", "LastUpdatedAt")
    }


def test_update_domain_empty_string_clears_key_and_queue(client, shop):
    out = client.update_domain(DomainName="shop", DefaultEncryptionKey="", DeadLetterQueueUrl="")
    assert "DefaultEncryptionKey" not in out
    assert "DeadLetterQueueUrl" not in out
    got = _domain(client)
    assert "DefaultEncryptionKey" not in got
    assert "DeadLetterQueueUrl" not in got
    assert got["DefaultExpirationDays"] == 30


def test_update_domain_sets_key_and_queue(client, cp):
    cp.create_domain("shop")
    out = client.update_domain(DomainName="shop", DefaultEncryptionKey=KEY, DeadLetterQueueUrl=DLQ)
    assert (out["DefaultEncryptionKey"], out["DeadLetterQueueUrl"]) == (KEY, DLQ)


def test_update_domain_replaces_structures_whole(client, shop):
    emptied = {"DataStore": {}} if DATA_STORE else {}
    out = client.update_domain(DomainName="shop", Matching={"Enabled": False}, **emptied)
    assert out["Matching"] == {"Enabled": False}  # the JobSchedule went with the old one
    assert out.get("DataStore") == emptied.get("DataStore")
    assert _domain(client)["Matching"] == {"Enabled": False}


def test_update_domain_merges_tags(client, shop):
    out = client.update_domain(DomainName="shop", Tags={"env": "prod", "cost": "42"})
    assert out["Tags"] == {"team": "crm", "env": "prod", "cost": "42"}
    arn = "arn:aws:profile:us-east-1:123456789012:domains/shop"
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == out["Tags"]


def test_update_domain_more_than_50_tags_in_total(client, shop):
    client.update_domain(DomainName="shop", Tags={f"k{i}": "v" for i in range(48)})
    before = _domain(client)
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.update_domain(
            DomainName="shop", DefaultExpirationDays=90, Tags={"x": "1", "y": "2", "z": "3"}
        )
    assert exc.value.response["Error"] == {
        "Code": "BadRequestException",
        "Message": "Resource arn:aws:profile:us-east-1:123456789012:domains/shop can have at "
        "most 50 tags; this request would give it 53",
    }
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert _domain(client) == before


def test_update_domain_bumps_last_updated_at_and_keeps_created_at(client, shop):
    first = client.update_domain(DomainName="shop", DefaultExpirationDays=60)
    second = client.update_domain(DomainName="shop", DefaultExpirationDays=61)
    assert first["CreatedAt"] == second["CreatedAt"] == shop["CreatedAt"]
    assert shop["LastUpdatedAt"] < first["LastUpdatedAt"] < second["LastUpdatedAt"]
    got = _domain(client)
    assert (got["CreatedAt"], got["LastUpdatedAt"]) == (shop["CreatedAt"], second["LastUpdatedAt"])
    listed = client.list_domains()["Items"][0]
    assert listed["LastUpdatedAt"] == second["LastUpdatedAt"]


def test_update_domain_not_found(client, cp):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.update_domain(DomainName="nope", DefaultExpirationDays=30)
    assert exc.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Domain nope does not exist",
    }
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert cp.domains() == []


def test_update_domain_invalid_input_changes_nothing(client, shop):
    before = _domain(client)
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.update_domain(
            DomainName="shop", DefaultExpirationDays=5000, DeadLetterQueueUrl="", Tags={"k": "v"}
        )
    assert exc.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '5000' at 'defaultExpirationDays' failed to "
        "satisfy constraint: Member must have value less than or equal to 1098"
    )
    assert _domain(client) == before


def test_update_domain_aws_prefixed_tag_key_changes_nothing(client, shop):
    before = _domain(client)
    with pytest.raises(client.exceptions.BadRequestException):
        client.update_domain(DomainName="shop", DefaultExpirationDays=90, Tags={"aws:x": "v"})
    assert _domain(client) == before


def test_update_domain_newly_enabling_rule_based_matching_is_pending(client, shop):
    # [MODEL RuleBasedMatchingResponse.Status] PENDING, IN_PROGRESS, then ACTIVE ("ready
    # to use"); [INF] a job step each, so by the next call with job_seconds 0
    out = client.update_domain(DomainName="shop", RuleBasedMatching={"Enabled": True})
    assert out["RuleBasedMatching"] == {"Enabled": True, "Status": "PENDING"}
    assert _domain(client)["RuleBasedMatching"]["Status"] == "ACTIVE"


def test_rule_based_matching_moves_a_job_step_at_a_time_and_is_fixed_while_in_progress():
    # [MODEL] IN_PROGRESS: "you can no longer change the Rule-based matching
    # configuration"; ACTIVE: "The rule is ready to use" [INF: the 400's text, the steps]
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60):
        client = boto3.client("customer-profiles", region_name="us-east-1")
        rules = {"Enabled": True, "MatchingRules": [{"Rule": ["EmailAddress"]}]}
        client.create_domain(DomainName="shop", DefaultExpirationDays=30, RuleBasedMatching=rules)
        assert _domain(client)["RuleBasedMatching"]["Status"] == "IN_PROGRESS"
        changed = {"Enabled": True, "MatchingRules": [{"Rule": ["PhoneNumber"]}]}
        with pytest.raises(client.exceptions.BadRequestException) as excinfo:
            client.update_domain(DomainName="shop", RuleBasedMatching=changed)
        assert excinfo.value.response["Error"]["Message"] == (
            "Rule-based matching of domain shop is IN_PROGRESS: its configuration cannot "
            "change until its Status is ACTIVE"
        )
        clock.advance(60)
        assert _domain(client)["RuleBasedMatching"]["Status"] == "ACTIVE"
        out = client.update_domain(DomainName="shop", RuleBasedMatching=changed)
        assert out["RuleBasedMatching"]["MatchingRules"] == [{"Rule": ["PhoneNumber"]}]


def test_update_domain_enabling_disabled_rule_based_matching_is_pending(client, cp):
    cp.create_domain("shop", RuleBasedMatching={"Enabled": False})
    out = client.update_domain(DomainName="shop", RuleBasedMatching={"Enabled": True})
    assert out["RuleBasedMatching"] == {"Enabled": True, "Status": "PENDING"}


def test_update_domain_enabled_rule_based_matching_keeps_its_status(client, cp):
    cp.create_domain("shop", RuleBasedMatching={"Enabled": True})  # ACTIVE by the next call
    rules = {"Enabled": True, "MatchingRules": [{"Rule": ["EmailAddress"]}]}
    out = client.update_domain(DomainName="shop", RuleBasedMatching=rules)
    assert out["RuleBasedMatching"] == {**rules, "Status": "ACTIVE"}
    out = client.update_domain(DomainName="shop", RuleBasedMatching={"Enabled": False})
    assert out["RuleBasedMatching"] == {"Enabled": False, "Status": "ACTIVE"}
    out = client.update_domain(DomainName="shop", DefaultExpirationDays=60)
    assert out["RuleBasedMatching"] == {"Enabled": False, "Status": "ACTIVE"}


def test_update_domain_first_disabled_rule_based_matching_is_pending(client, shop):
    out = client.update_domain(DomainName="shop", RuleBasedMatching={"Enabled": False})
    assert out["RuleBasedMatching"] == {"Enabled": False, "Status": "PENDING"}


def test_restore_undoes_update_domain(client, cp, shop):
    snap = cp.snapshot()
    client.update_domain(
        DomainName="shop", DefaultExpirationDays=90, DeadLetterQueueUrl="", Tags={"env": "prod"}
    )
    cp.restore(snap)
    got = _domain(client)
    assert got["DefaultExpirationDays"] == 30
    assert got["DeadLetterQueueUrl"] == DLQ
    assert got["Tags"] == {"team": "crm", "env": "dev"}
    assert got["LastUpdatedAt"] == shop["LastUpdatedAt"]


def test_denied_update_domain_changes_nothing(client, cp, shop):
    before = _domain(client)
    cp.deny("UpdateDomain", times=1)
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.update_domain(DomainName="shop", DefaultExpirationDays=90)
    assert _domain(client) == before
