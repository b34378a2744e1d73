"""UpdateProfile, AddProfileKey, DeleteProfileKey, MergeProfiles, ListProfileAttributeValues
and search normalisation, through boto3."""

from __future__ import annotations

import uuid

import pytest

ANN = "a" * 32
BOB = "b" * 32
CY = "c" * 32


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    cp.create_profile(
        "shop",
        ProfileId=ANN,
        FirstName="Ann",
        LastName="Lee",
        EmailAddress="Ann@Example.com",
        PhoneNumber="+1 (206) 345-7890",
        Address={"City": "Paris", "Country": "FR"},
        Attributes={"tier": "gold", "team": "red"},
    )
    cp.create_profile("shop", ProfileId=BOB, FirstName="Bob", MiddleName="J")
    return cp


def _get(client, *ids):
    return client.batch_get_profile(DomainName="shop", ProfileIds=list(ids))


def _profile(client, profile_id):
    return _get(client, profile_id)["Profiles"][0]


def _search(client, key, *values):
    items = client.search_profiles(DomainName="shop", KeyName=key, Values=list(values))["Items"]
    return [item["ProfileId"] for item in items]


# -- UpdateProfile -------------------------------------------------------------------


def test_update_profile_keeps_omitted_fields_and_sets_given_ones(shop, client):
    out = client.update_profile(DomainName="shop", ProfileId=ANN, FirstName="Anna")
    assert out["ProfileId"] == ANN
    got = _profile(client, ANN)
    assert (got["FirstName"], got["LastName"]) == ("Anna", "Lee")


def test_update_profile_empty_string_removes_a_field(shop, client):
    client.update_profile(DomainName="shop", ProfileId=ANN, LastName="")
    assert "LastName" not in _profile(client, ANN)


def test_update_profile_merges_address_per_subfield(shop, client):
    client.update_profile(
        DomainName="shop", ProfileId=ANN, Address={"City": "Lyon", "Country": "", "State": "RA"}
    )
    assert _profile(client, ANN)["Address"] == {"City": "Lyon", "State": "RA"}


def test_update_profile_emptied_address_goes(shop, client):
    client.update_profile(DomainName="shop", ProfileId=ANN, Address={"City": "", "Country": ""})
    assert "Address" not in _profile(client, ANN)


def test_update_profile_merges_attributes_per_key(shop, client):
    client.update_profile(
        DomainName="shop", ProfileId=ANN, Attributes={"tier": "", "team": "blue", "new": "x"}
    )
    assert _profile(client, ANN)["Attributes"] == {"team": "blue", "new": "x"}


def test_update_profile_reindexes_search_keys(shop, client):
    client.update_profile(DomainName="shop", ProfileId=ANN, EmailAddress="new@example.com")
    assert _search(client, "_email", "ann@example.com") == []
    assert _search(client, "_email", "NEW@example.com") == [ANN]
    client.update_profile(DomainName="shop", ProfileId=BOB, LastName="Kay")
    assert _search(client, "_fullName", "bob j kay") == [BOB]


def test_update_profile_missing_profile(shop, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.update_profile(DomainName="shop", ProfileId=CY, FirstName="Cy")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert exc.value.response["Error"]["Message"] == f"Profile {CY} does not exist"


def test_update_profile_empty_enum_is_rejected_and_changes_nothing(shop, client):
    before = _profile(client, ANN)
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.update_profile(DomainName="shop", ProfileId=ANN, FirstName="X", PartyType="")
    assert exc.value.response["Error"]["Code"] == "BadRequestException"
    assert "partyType" in exc.value.response["Error"]["Message"]
    assert _profile(client, ANN) == before


def test_update_profile_missing_domain(cp, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.update_profile(DomainName="nope", ProfileId=ANN, FirstName="X")
    assert exc.value.response["Error"]["Message"] == "Domain nope does not exist"


# -- AddProfileKey / DeleteProfileKey -----------------------------------------------


def test_add_profile_key_makes_the_profile_searchable_by_it(shop, client):
    out = client.add_profile_key(
        DomainName="shop", ProfileId=BOB, KeyName="_ctrContactId", Values=["c-1", "c-1", "c-2"]
    )
    assert (out["KeyName"], out["Values"]) == ("_ctrContactId", ["c-1", "c-1", "c-2"])
    assert _search(client, "_ctrContactId", "c-2") == [BOB]


def test_add_profile_key_custom_key_becomes_searchable(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _search(client, "loyaltyId", "L1")
    assert exc.value.response["Error"]["Message"] == (
        "Search key loyaltyId is not defined in domain shop"
    )
    client.add_profile_key(DomainName="shop", ProfileId=ANN, KeyName="loyaltyId", Values=["L1"])
    client.add_profile_key(DomainName="shop", ProfileId=BOB, KeyName="loyaltyId", Values=["L1"])
    assert _search(client, "loyaltyId", "L1") == [ANN, BOB]
    assert _search(client, "loyaltyId", "l1") == []  # STRING keys match exactly


def test_add_profile_key_predefined_keys_normalise(shop, client):
    client.add_profile_key(
        DomainName="shop", ProfileId=BOB, KeyName="_email", Values=["BOB@Example.COM "]
    )
    assert _search(client, "_email", "bob@example.com") == [BOB]


def test_add_profile_key_missing_profile(shop, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.add_profile_key(DomainName="shop", ProfileId=CY, KeyName="k", Values=["v"])
    assert exc.value.response["Error"]["Message"] == f"Profile {CY} does not exist"


def test_delete_profile_key_removes_added_values_only(shop, client):
    client.add_profile_key(DomainName="shop", ProfileId=ANN, KeyName="_email", Values=["x@y.z"])
    out = client.delete_profile_key(
        DomainName="shop", ProfileId=ANN, KeyName="_email", Values=["X@y.z", "ann@example.com"]
    )
    assert out["Message"] == "Profile key deleted"
    assert _search(client, "_email", "x@y.z") == []
    # A value the standard fields give stays while the field holds it.
    assert _search(client, "_email", "ann@example.com") == [ANN]


def test_delete_profile_key_absent_value_is_a_no_op(shop, client):
    out = client.delete_profile_key(DomainName="shop", ProfileId=ANN, KeyName="k", Values=["v"])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200


# -- search normalisation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("_email", "ANN@example.COM"),
        ("_phone", "2063457890"),
        ("_phone", "+12063457890"),
        ("_phone", "206-345-7890"),
        ("_fullName", "ann   LEE"),
    ],
)
def test_search_normalises_by_content_type(shop, client, key, value):
    assert _search(client, key, value) == [ANN]


def test_search_found_by_items_echo_the_requested_values(shop, client):
    items = client.search_profiles(DomainName="shop", KeyName="_email", Values=["ANN@example.com"])
    assert items["Items"][0]["FoundByItems"] == [
        {"KeyName": "_email", "Values": ["ANN@example.com"]}
    ]


# -- MergeProfiles ---------------------------------------------------------------------


def test_merge_profiles_unions_fields_main_wins(shop, client):
    out = client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB])
    assert out["Message"] == "Profiles merged"
    merged = _profile(client, ANN)
    assert (merged["FirstName"], merged["MiddleName"], merged["LastName"]) == ("Ann", "J", "Lee")
    errors = _get(client, BOB)["Errors"]
    assert [(e["ProfileId"], e["Code"]) for e in errors] == [(BOB, "404")]
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 1


def test_merge_profiles_field_source_takes_that_profiles_value_even_null(shop, client):
    client.merge_profiles(
        DomainName="shop",
        MainProfileId=ANN,
        ProfileIdsToBeMerged=[BOB],
        FieldSourceProfileIds={
            "FirstName": BOB,
            "LastName": BOB,
            "Attributes": {"tier": BOB, "team": ANN},
        },
    )
    merged = _profile(client, ANN)
    assert merged["FirstName"] == "Bob"
    assert "LastName" not in merged  # Bob has none: "even if it is a NULL value"
    assert merged["Attributes"] == {"team": "red"}


def test_merge_profiles_moves_keys_and_search_finds_the_main_profile(shop, client):
    client.add_profile_key(DomainName="shop", ProfileId=BOB, KeyName="_ctrContactId", Values=["c9"])
    client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB])
    assert _search(client, "_ctrContactId", "c9") == [ANN]
    assert _search(client, "_fullName", "Bob J") == []


def test_merge_profiles_main_among_merged_is_rejected(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[ANN])
    assert exc.value.response["Error"]["Message"] == (
        f"MainProfileId {ANN} must not be in ProfileIdsToBeMerged"
    )


def test_merge_profiles_unknown_profile_changes_nothing(shop, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB, CY])
    assert exc.value.response["Error"]["Message"] == f"Profile {CY} does not exist"
    assert len(_get(client, ANN, BOB)["Profiles"]) == 2


def test_merge_profiles_field_source_outside_the_merge_is_rejected(shop, cp, client):
    cp.create_profile("shop", ProfileId=CY, FirstName="Cy")
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.merge_profiles(
            DomainName="shop",
            MainProfileId=ANN,
            ProfileIdsToBeMerged=[BOB],
            FieldSourceProfileIds={"FirstName": CY},
        )
    assert exc.value.response["Error"]["Message"] == (
        f"FieldSourceProfileIds.FirstName: profile {CY} is neither the main profile nor one "
        "of the profiles to be merged"
    )
    assert len(_get(client, ANN, BOB, CY)["Profiles"]) == 3


# -- ListProfileAttributeValues -----------------------------------------------------


def test_list_profile_attribute_values_distinct_values(shop, cp, client):
    cp.create_profile("shop", FirstName="Ann", Address={"City": "Rome"})
    out = client.list_profile_attribute_values(DomainName="shop", AttributeName="FirstName")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["StatusCode"] == 200
    assert out["AttributeName"] == "FirstName"
    assert [item["Value"] for item in out["Items"]] == ["Ann", "Bob"]
    cities = client.list_profile_attribute_values(DomainName="shop", AttributeName="Address.City")
    assert [item["Value"] for item in cities["Items"]] == ["Paris", "Rome"]
    tiers = client.list_profile_attribute_values(DomainName="shop", AttributeName="Attributes.tier")
    assert [item["Value"] for item in tiers["Items"]] == ["gold"]


def test_list_profile_attribute_values_unknown_attribute(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.list_profile_attribute_values(DomainName="shop", AttributeName="Address.Town")
    assert exc.value.response["Error"]["Message"] == (
        "Attribute Address.Town is not a profile attribute"
    )


# -- ids and snapshots --------------------------------------------------------------


def test_new_profile_ids_are_uuid4_hex(shop, client):
    profile_id = client.create_profile(DomainName="shop", FirstName="Dee")["ProfileId"]
    parsed = uuid.UUID(hex=profile_id)
    assert (parsed.hex, parsed.version, parsed.variant) == (profile_id, 4, uuid.RFC_4122)


def test_restored_snapshot_discards_updates_keys_and_merges(shop, cp, client):
    snap = cp.snapshot()
    client.update_profile(DomainName="shop", ProfileId=ANN, FirstName="Zed")
    client.add_profile_key(DomainName="shop", ProfileId=ANN, KeyName="k", Values=["v"])
    client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB])
    assert _search(client, "_fullName", "zed lee j") == []
    assert _search(client, "k", "v") == [ANN]
    cp.restore(snap)
    assert [p["FirstName"] for p in _get(client, ANN, BOB)["Profiles"]] == ["Ann", "Bob"]
    assert _search(client, "_fullName", "ann lee") == [ANN]
    assert _search(client, "_fullName", "bob j") == [BOB]


# -- the handle ----------------------------------------------------------------------


def test_handle_update_profile_changes_what_the_api_sees(shop, client):
    shop.update_profile("shop", ANN, FirstName="Anna", Address={"Country": ""})
    got = _profile(client, ANN)
    assert (got["FirstName"], got["Address"]) == ("Anna", {"City": "Paris"})


def test_handle_update_profile_unknown_field(shop):
    with pytest.raises(ValueError) as exc:
        shop.update_profile("shop", ANN, FirstNme="Anna")
    assert str(exc.value).startswith(
        "update_profile() got an unknown field 'FirstNme'. Did you mean 'FirstName'?"
    )


def test_handle_update_profile_missing_profile(shop):
    with pytest.raises(ValueError) as exc:
        shop.update_profile("shop", CY, FirstName="Cy")
    assert str(exc.value) == f"update_profile(): Profile {CY} does not exist"


def test_handle_add_profile_key_and_profile_keys(shop, client):
    shop.add_profile_key("shop", BOB, "_ctrContactId", ["c-7"])
    assert _search(client, "_ctrContactId", "c-7") == [BOB]
    assert shop.profile_keys("shop", ANN) == {
        "_phone": ["2063457890"],
        "_email": ["ann@example.com"],
        "_fullName": ["ann lee"],
    }
    assert shop.profile_keys("shop", BOB) == {"_fullName": ["bob j"], "_ctrContactId": ["c-7"]}


def test_handle_add_profile_key_bad_key_name(shop):
    with pytest.raises(ValueError) as exc:
        shop.add_profile_key("shop", BOB, "bad key", ["v"])
    assert str(exc.value) == (
        "add_profile_key(): 1 validation error detected: Value 'bad key' at 'keyName' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "^[a-zA-Z0-9_-]+$"
    )


def test_add_profile_key_undefined_underscore_key_is_rejected(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.add_profile_key(DomainName="shop", ProfileId=ANN, KeyName="_emial", Values=["x"])
    assert exc.value.response["Error"]["Message"] == (
        "Key name _emial is not defined in domain shop: a key name starting with _ must be "
        "a predefined search key or a key an object type defines"
    )


def test_handle_profile_keys_lists_each_value_once(shop):
    shop.add_profile_key("shop", ANN, "_email", ["ann@example.com"])
    assert shop.profile_keys("shop", ANN)["_email"] == ["ann@example.com"]


def test_list_profile_attribute_values_leaves_out_values_over_255(shop, cp, client):
    cp.create_profile("shop", AdditionalInformation="i" * 1000)
    cp.create_profile("shop", AdditionalInformation="short")
    out = client.list_profile_attribute_values(
        DomainName="shop", AttributeName="AdditionalInformation"
    )
    assert [item["Value"] for item in out["Items"]] == ["short"]
