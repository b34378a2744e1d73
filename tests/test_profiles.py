"""CreateProfile, DeleteProfile, BatchGetProfile and SearchProfiles through a real boto3 client."""

from __future__ import annotations

import re

import pytest

ANN = {
    "FirstName": "Ann",
    "MiddleName": "Marie",
    "LastName": "Lee",
    "EmailAddress": "ann@example.com",
    "BusinessEmailAddress": "ann@corp.example",
    "PhoneNumber": "+15550001",
    "AccountNumber": "ACC-1",
    "PartyType": "INDIVIDUAL",
    "Address": {"Address1": "1 Main St", "City": "Springfield", "Country": "US"},
    "Attributes": {"tier": "gold"},
}
BOB = {"FirstName": "Bob", "LastName": "Lee", "EmailAddress": "bob@example.com"}


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def _create(client, fields):
    return client.create_profile(DomainName="shop", **fields)["ProfileId"]


def test_create_profile_returns_hex_id(client, shop):
    profile_id = _create(client, ANN)
    assert re.fullmatch(r"[a-f0-9]{32}", profile_id)
    assert profile_id != _create(client, ANN)


def _get(client, profile_id):
    return client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])["Profiles"][0]


@pytest.mark.parametrize(
    ("enum", "text", "value"),
    [("Gender", "GenderString", "FEMALE"), ("PartyType", "PartyTypeString", "BUSINESS")],
)
def test_create_profile_enum_is_also_answered_as_its_string(client, shop, enum, text, value):
    # [OSS, api-semantics.md "Gender / PartyType"] an AWS event-stream record of a stored
    # profile carries both Gender and GenderString "MALE"; [INF] the service copies it
    profile = _get(client, _create(client, {enum: value}))
    assert (profile[enum], profile[text]) == (value, value)


def test_create_profile_keeps_a_given_string_beside_the_enum(client, shop):
    # [MODEL] GenderString "accepts any string": one given is stored as given
    profile = _get(client, _create(client, {"Gender": "MALE", "GenderString": "man"}))
    assert (profile["Gender"], profile["GenderString"]) == ("MALE", "man")


def test_update_profile_enum_is_also_written_to_its_string(client, shop):
    # [INF] as CreateProfile: the update's enum reaches the string unless it gives one
    profile_id = _create(client, {"PartyType": "INDIVIDUAL"})
    client.update_profile(DomainName="shop", ProfileId=profile_id, PartyType="OTHER")
    profile = _get(client, profile_id)
    assert (profile["PartyType"], profile["PartyTypeString"]) == ("OTHER", "OTHER")


def test_create_profile_empty_structures_are_not_answered(client, shop):
    # [INF] AWS omits an empty structure rather than echo {}
    profile_id = _create(client, {"FirstName": "Ann", "Attributes": {}, "Address": {}})
    assert _get(client, profile_id) == {"ProfileId": profile_id, "FirstName": "Ann"}


def test_update_profile_empty_engagement_preferences_removes_them(client, shop):
    # [INF] EngagementPreferences is replaced whole; an empty one is not kept as {}
    profile_id = _create(
        client, {"EngagementPreferences": {"Email": [{"KeyName": "_email", "KeyValue": "a@x.io"}]}}
    )
    client.update_profile(DomainName="shop", ProfileId=profile_id, EngagementPreferences={})
    assert "EngagementPreferences" not in _get(client, profile_id)


def test_create_profile_missing_domain(client, cp):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.create_profile(DomainName="nope", FirstName="Ann")
    assert exc.value.response["Error"]["Message"] == "Domain nope does not exist"


def test_batch_get_profile_returns_exactly_the_stored_fields(client, shop):
    profile_id = _create(client, ANN)
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    # PartyType is stored as PartyTypeString too (test_create_profile_enum_is_also_...)
    assert out["Profiles"] == [{"ProfileId": profile_id, **ANN, "PartyTypeString": "INDIVIDUAL"}]
    assert out["Errors"] == []


def test_batch_get_profile_unknown_id_is_an_error_entry(client, shop):
    known = _create(client, ANN)
    unknown = "0" * 32
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[unknown, known])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [p["ProfileId"] for p in out["Profiles"]] == [known]
    assert out["Errors"] == [{"Code": "404", "Message": "Profile not found", "ProfileId": unknown}]


def test_batch_get_profile_keeps_request_order_and_answers_duplicates_once(client, shop):
    ann, bob = _create(client, ANN), _create(client, BOB)
    missing = "f" * 32
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[bob, missing, ann, bob, missing])
    assert [p["ProfileId"] for p in out["Profiles"]] == [bob, ann]
    assert [e["ProfileId"] for e in out["Errors"]] == [missing]


def test_batch_get_profile_both_lists_present_when_empty(client, shop):
    out = client.batch_get_profile(DomainName="shop", ProfileIds=["a" * 32])
    assert out["Profiles"] == []
    assert len(out["Errors"]) == 1
    profile_id = _create(client, BOB)
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert out["Errors"] == []


def test_batch_get_profile_twenty_ids(client, shop):
    ids = [_create(client, {"FirstName": f"P{i}"}) for i in range(20)]
    out = client.batch_get_profile(DomainName="shop", ProfileIds=ids)
    assert [p["ProfileId"] for p in out["Profiles"]] == ids


def test_batch_get_profile_missing_domain(client, cp):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.batch_get_profile(DomainName="nope", ProfileIds=["a" * 32])
    assert exc.value.response["Error"]["Message"] == "Domain nope does not exist"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_batch_get_profile_does_not_see_other_domains(client, cp, shop):
    cp.create_domain("other")
    profile_id = cp.create_profile("other", FirstName="Ann")
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert out["Profiles"] == []


def test_delete_profile(client, shop):
    profile_id = _create(client, ANN)
    out = client.delete_profile(DomainName="shop", ProfileId=profile_id)
    assert out["Message"] == f"Profile {profile_id} was deleted."
    got = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert got["Profiles"] == []
    found = client.search_profiles(
        DomainName="shop", KeyName="_email", Values=[ANN["EmailAddress"]]
    )
    assert found["Items"] == []
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 0


def test_delete_profile_unknown(client, shop):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.delete_profile(DomainName="shop", ProfileId="a" * 32)
    assert exc.value.response["Error"]["Message"] == f"Profile {'a' * 32} does not exist"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("_email", "ann@example.com"),
        ("_email", "ann@corp.example"),
        ("_phone", "+15550001"),
        ("_account", "ACC-1"),
        ("_fullName", "Ann Marie Lee"),
    ],
)
def test_search_profiles_by_standard_key(client, shop, key, value):
    ann = _create(client, ANN)
    _create(client, BOB)
    out = client.search_profiles(DomainName="shop", KeyName=key, Values=[value])
    assert [p["ProfileId"] for p in out["Items"]] == [ann]
    assert out["Items"][0]["FoundByItems"] == [{"KeyName": key, "Values": [value]}]
    assert out["Items"][0]["FirstName"] == "Ann"


def test_search_profiles_by_profile_id(client, shop):
    ann = _create(client, ANN)
    out = client.search_profiles(DomainName="shop", KeyName="_profileId", Values=[ann])
    assert [p["ProfileId"] for p in out["Items"]] == [ann]


def test_search_profiles_full_name_skips_missing_parts(client, shop):
    bob = _create(client, BOB)
    out = client.search_profiles(DomainName="shop", KeyName="_fullName", Values=["Bob Lee"])
    assert [p["ProfileId"] for p in out["Items"]] == [bob]


def test_search_profiles_no_match_is_empty(client, shop):
    _create(client, ANN)
    out = client.search_profiles(DomainName="shop", KeyName="_email", Values=["x@y.z"])
    assert out["Items"] == []
    assert "NextToken" not in out


def test_search_profiles_predefined_key_without_values_matches_nothing(client, shop):
    _create(client, ANN)
    out = client.search_profiles(DomainName="shop", KeyName="_orderId", Values=["o-1"])
    assert out["Items"] == []


def test_search_profiles_unknown_key(client, shop):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.search_profiles(DomainName="shop", KeyName="loyaltyId", Values=["1"])
    assert (
        exc.value.response["Error"]["Message"]
        == "Search key loyaltyId is not defined in domain shop"
    )


def test_search_profiles_or_is_the_default(client, shop):
    ann, bob = _create(client, ANN), _create(client, BOB)
    out = client.search_profiles(
        DomainName="shop",
        KeyName="_email",
        Values=["bob@example.com"],
        AdditionalSearchKeys=[{"KeyName": "_phone", "Values": ["+15550001"]}],
    )
    assert [p["ProfileId"] for p in out["Items"]] == [ann, bob]
    found = {p["ProfileId"]: p["FoundByItems"] for p in out["Items"]}
    assert found[ann] == [{"KeyName": "_phone", "Values": ["+15550001"]}]
    assert found[bob] == [{"KeyName": "_email", "Values": ["bob@example.com"]}]


def test_search_profiles_and_needs_every_key(client, shop):
    ann = _create(client, ANN)
    _create(client, BOB)
    keys = [{"KeyName": "_phone", "Values": ["+15550001"]}]
    out = client.search_profiles(
        DomainName="shop",
        KeyName="_email",
        Values=["ann@example.com", "bob@example.com"],
        AdditionalSearchKeys=keys,
        LogicalOperator="AND",
    )
    assert [p["ProfileId"] for p in out["Items"]] == [ann]
    assert out["Items"][0]["FoundByItems"] == [
        {"KeyName": "_email", "Values": ["ann@example.com", "bob@example.com"]},
        {"KeyName": "_phone", "Values": ["+15550001"]},
    ]


def test_search_profiles_several_values_of_one_key(client, shop):
    ann, bob = _create(client, ANN), _create(client, BOB)
    out = client.search_profiles(
        DomainName="shop", KeyName="_email", Values=["bob@example.com", "ann@example.com"]
    )
    assert [p["ProfileId"] for p in out["Items"]] == [ann, bob]


def test_search_profiles_pages(client, shop):
    ids = [_create(client, {"FirstName": "Sam", "LastName": "Doe"}) for _ in range(45)]
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"NextToken": token} if token else {}
        out = client.search_profiles(
            DomainName="shop", KeyName="_fullName", Values=["Sam Doe"], **kwargs
        )
        pages += 1
        seen += [p["ProfileId"] for p in out["Items"]]
        token = out.get("NextToken")
        if token is None:
            break
    assert seen == ids
    assert pages == 3  # default page size 20


def test_search_profiles_max_results(client, shop):
    for _ in range(3):
        _create(client, BOB)
    out = client.search_profiles(
        DomainName="shop", KeyName="_fullName", Values=["Bob Lee"], MaxResults=2
    )
    assert len(out["Items"]) == 2
    assert "NextToken" in out


def test_search_profiles_token_from_another_query(client, shop):
    for _ in range(3):
        _create(client, BOB)
    out = client.search_profiles(
        DomainName="shop", KeyName="_fullName", Values=["Bob Lee"], MaxResults=1
    )
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.search_profiles(
            DomainName="shop", KeyName="_email", Values=["bob@example.com"],
            NextToken=out["NextToken"],
        )  # fmt: skip
    assert exc.value.response["Error"]["Message"] == "The NextToken is invalid or has expired"


def test_search_profiles_missing_domain(client, cp):
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.search_profiles(DomainName="nope", KeyName="_email", Values=["a@b.c"])


def test_profiles_are_per_account(cp):
    import boto3

    from customer_profiles_mock import mock_customer_profiles

    cp.create_domain("shop")
    cp.create_profile("shop", FirstName="Ann")
    with mock_customer_profiles(account_id="999988887777"):
        other = boto3.client("customer-profiles", region_name="us-east-1")
        with pytest.raises(other.exceptions.ResourceNotFoundException):
            other.get_domain(DomainName="shop")
    assert len(cp.profiles("shop")) == 1


def test_same_value_in_two_fields_of_one_key(client, shop):
    twice = {"PhoneNumber": "+15550009", "MobilePhoneNumber": "+15550009"}
    profile_id = _create(client, twice)
    other = _create(client, {"HomePhoneNumber": "+15550009"})
    out = client.search_profiles(DomainName="shop", KeyName="_phone", Values=["+15550009"])
    assert [p["ProfileId"] for p in out["Items"]] == [profile_id, other]
    client.delete_profile(DomainName="shop", ProfileId=profile_id)
    out = client.search_profiles(DomainName="shop", KeyName="_phone", Values=["+15550009"])
    assert [p["ProfileId"] for p in out["Items"]] == [other]
    client.delete_profile(DomainName="shop", ProfileId=other)
    out = client.search_profiles(DomainName="shop", KeyName="_phone", Values=["+15550009"])
    assert out["Items"] == []
