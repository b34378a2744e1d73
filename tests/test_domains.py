"""CreateDomain, GetDomain, ListDomains and DeleteDomain through a real boto3 client."""

from __future__ import annotations

import datetime

import pytest
from botocore.exceptions import ClientError


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
    assert out["RuleBasedMatching"] == {"Enabled": False, "Status": "PENDING"}
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
    assert out["Message"] == "Domain shop was deleted."
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
