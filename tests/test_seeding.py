"""Seeding and inspecting state through the handle, and what API calls see of it."""

from __future__ import annotations

import datetime
import json

import boto3
import botocore.session
import pytest

from customer_profiles_mock import mock_customer_profiles

MODEL = botocore.session.get_session().get_service_model("customer-profiles")


def test_create_domain_seeds_what_the_api_sees(cp, client):
    seeded = cp.create_domain("shop", Tags={"team": "crm"})
    assert seeded["DomainName"] == "shop"
    assert seeded["DefaultExpirationDays"] == 366
    assert isinstance(seeded["CreatedAt"], datetime.datetime)
    got = client.get_domain(DomainName="shop")
    assert got["CreatedAt"] == seeded["CreatedAt"]
    assert got["Tags"] == {"team": "crm"}


def test_create_domain_unknown_field(cp):
    with pytest.raises(ValueError, match="^create_domain") as exc:
        cp.create_domain("shop", DefaultExpirationDay=30)
    # The fields are the installed model's (they grow between botocore releases).
    members = MODEL.operation_model("CreateDomain").input_shape.members
    fields = ", ".join(sorted(set(members) - {"DomainName"}))
    assert str(exc.value) == (
        "create_domain() got an unknown field 'DefaultExpirationDay'. "
        f"Did you mean 'DefaultExpirationDays'? CreateDomain fields: {fields}."
    )


def test_create_domain_constraint(cp):
    with pytest.raises(ValueError) as exc:
        cp.create_domain("shop", DefaultExpirationDays=5000)
    assert str(exc.value) == (
        "create_domain(): 1 validation error detected: Value '5000' at "
        "'defaultExpirationDays' failed to satisfy constraint: "
        "Member must have value less than or equal to 1098"
    )


def test_create_domain_twice(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_domain("shop")
    assert str(exc.value) == "create_domain(): Domain shop already exists"


def test_create_profile_seeds_what_the_api_sees(cp, client):
    cp.create_domain("shop")
    profile_id = cp.create_profile(
        "shop", FirstName="Ann", Address={"City": "Paris"}, Attributes={"tier": "gold"}
    )
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert out["Profiles"] == [
        {
            "ProfileId": profile_id,
            "FirstName": "Ann",
            "Address": {"City": "Paris"},
            "Attributes": {"tier": "gold"},
        }
    ]


def test_api_writes_are_seen_by_the_handle(cp, client):
    client.create_domain(DomainName="shop", DefaultExpirationDays=10)
    profile_id = client.create_profile(DomainName="shop", LastName="Lee")["ProfileId"]
    assert cp.domains() == ["shop"]
    assert cp.profiles("shop") == [{"ProfileId": profile_id, "LastName": "Lee"}]


def test_create_profile_with_chosen_id(cp, client):
    cp.create_domain("shop")
    profile_id = cp.create_profile("shop", ProfileId="ab" * 16, FirstName="Ann")
    assert profile_id == "ab" * 16
    out = client.search_profiles(DomainName="shop", KeyName="_profileId", Values=["ab" * 16])
    assert out["Items"][0]["FirstName"] == "Ann"


def test_create_profile_unknown_field(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", FirstNme="Ann")
    assert str(exc.value).startswith(
        "create_profile() got an unknown field 'FirstNme'. Did you mean 'FirstName'? "
        "CreateProfile fields: AccountNumber, "
    )


def test_create_profile_constraint(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", FirstName="", PartyType="ALIEN")
    assert str(exc.value) == (
        "create_profile(): 2 validation errors detected: Value at 'firstName' failed to "
        "satisfy constraint: Member must have length greater than or equal to 1; "
        "Value at 'partyType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [INDIVIDUAL, BUSINESS, OTHER]"
    )
    assert cp.profiles("shop") == []


def test_create_profile_bad_chosen_id(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", ProfileId="NOT-HEX")
    assert str(exc.value) == (
        "create_profile(): 1 validation error detected: Value 'NOT-HEX' at 'profileId' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-f0-9]{32}"
    )


def test_create_profile_missing_domain(cp):
    with pytest.raises(ValueError) as exc:
        cp.create_profile("nope", FirstName="Ann")
    assert str(exc.value) == (
        "create_profile(): domain 'nope' does not exist in account 123456789012, region "
        "us-east-1. Create it first with cp.create_domain('nope')."
    )


def test_create_profiles_all_or_nothing(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profiles("shop", [{"FirstName": "Ann"}, {"Gender": "X"}])
    assert str(exc.value).startswith("create_profiles() profile #1: 1 validation error")
    assert cp.profiles("shop") == []
    ids = cp.create_profiles("shop", [{"FirstName": "Ann"}, {"FirstName": "Bob"}])
    assert [p["ProfileId"] for p in cp.profiles("shop")] == ids


def test_create_profiles_duplicate_chosen_ids(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profiles("shop", [{"ProfileId": "a" * 32}, {"ProfileId": "a" * 32}])
    assert str(exc.value) == f"create_profiles(): Profile {'a' * 32} already exists"
    assert cp.profiles("shop") == []


def test_create_profiles_rejects_non_mappings(cp):
    cp.create_domain("shop")
    with pytest.raises(TypeError) as exc:
        cp.create_profiles("shop", ["Ann"])
    assert str(exc.value) == (
        "create_profiles() profile #0: expected a mapping of CreateProfile fields, got a str"
    )


def test_seed_in_another_region_and_account(cp):
    import boto3 as b3

    cp.create_domain("shop", region="eu-west-2")
    cp.create_profile("shop", region="eu-west-2", FirstName="Ann")
    cp.create_domain("shop", account_id="111122223333")
    assert cp.domains() == []
    assert cp.domains(region="eu-west-2") == ["shop"]
    west = b3.client("customer-profiles", region_name="eu-west-2")
    out = west.search_profiles(DomainName="shop", KeyName="_fullName", Values=["Ann"])
    assert len(out["Items"]) == 1


def test_profiles_returns_copies(cp, client):
    cp.create_domain("shop")
    profile_id = cp.create_profile("shop", FirstName="Ann", Address={"City": "Paris"})
    cp.profiles("shop")[0]["Address"]["City"] = "Rome"
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])
    assert out["Profiles"][0]["Address"] == {"City": "Paris"}


def test_seeding_needs_an_active_mock():
    handle = mock_customer_profiles()
    with pytest.raises(RuntimeError) as exc:
        handle.create_domain("shop")
    assert str(exc.value) == (
        "customer_profiles_mock: the mock is not active. Seed it, register faults and read "
        "its state inside the decorated test or the 'with' block, or call start() first."
    )


def test_fake_profiles_are_realistic_and_searchable(cp, client):
    cp.create_domain("shop")
    ids = cp.fake_profiles("shop", 25, seed=7)
    assert len(set(ids)) == 25
    stored = cp.profiles("shop")
    assert {p["PartyType"] for p in stored} <= {"INDIVIDUAL", "BUSINESS"}
    person = next(p for p in stored if p["PartyType"] == "INDIVIDUAL")
    assert person["FirstName"]
    assert "@" in person["EmailAddress"]
    out = client.search_profiles(
        DomainName="shop", KeyName="_email", Values=[person["EmailAddress"]]
    )
    assert [p["ProfileId"] for p in out["Items"]] == [person["ProfileId"]]


def test_fake_profiles_same_seed_same_profiles_and_ids(cp):
    cp.create_domain("a")
    cp.create_domain("b")
    first = cp.fake_profiles("a", 10, seed=3)
    second = cp.fake_profiles("b", 10, seed=3)
    assert first == second
    assert cp.profiles("a") == cp.profiles("b")
    assert cp.fake_profiles("a", 10, seed=4) != first


def test_fake_profiles_same_seed_twice_in_one_domain(cp):
    cp.create_domain("shop")
    cp.fake_profiles("shop", 2, seed=3)
    with pytest.raises(ValueError) as exc:
        cp.fake_profiles("shop", 2, seed=3)
    assert str(exc.value) == (
        "fake_profiles(): seed 3 was already used in domain 'shop': the same seed makes the "
        "same profiles with the same ProfileIds. Use another seed, or seed=None for new ones."
    )
    assert len(cp.profiles("shop")) == 2
    cp.fake_profiles("shop", 2, seed=4)  # another seed is fine


def test_fake_profiles_unknown_locale_lists_close_ones(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.fake_profiles("shop", 1, locale="fr_FX")
    assert str(exc.value).startswith(
        "locale must be one of Faker's locales, got 'fr_FX'; close ones: fr_"
    )
    assert cp.profiles("shop") == []


SEED = {
    "domains": [
        {
            "DomainName": "shop",
            "DefaultExpirationDays": 30,
            "Tags": {"env": "test"},
            "profiles": [
                {"ProfileId": "1" * 32, "FirstName": "Ann", "EmailAddress": "ann@example.com"},
                {"FirstName": "Bob"},
            ],
            "fake_profiles": {"count": 3, "seed": 1},
        },
        {"DomainName": "eu", "region": "eu-west-2", "profiles": [{"LastName": "Muller"}]},
    ]
}


def test_load_from_mapping(cp, client):
    created = cp.load(SEED)
    assert list(created) == ["shop", "eu"]
    assert created["shop"][0] == "1" * 32
    assert len(created["shop"]) == 5
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 5
    assert client.get_domain(DomainName="shop")["DefaultExpirationDays"] == 30
    west = boto3.client("customer-profiles", region_name="eu-west-2")
    assert west.get_domain(DomainName="eu")["Stats"]["ProfileCount"] == 1


def test_load_from_json_file(cp, client, tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(SEED))
    created = cp.load(str(path))
    assert created["shop"][0] == "1" * 32
    out = client.batch_get_profile(DomainName="shop", ProfileIds=["1" * 32])
    assert out["Profiles"][0]["EmailAddress"] == "ann@example.com"


def test_load_bad_top_level(cp):
    with pytest.raises(ValueError) as exc:
        cp.load({"domain": []})
    assert str(exc.value) == 'load(): expected {"domains": [...]} at the top level'


def test_load_missing_file(cp, tmp_path):
    with pytest.raises(ValueError) as exc:
        cp.load(tmp_path / "nope.json")
    assert str(exc.value).startswith(f"load(): cannot read seed file '{tmp_path / 'nope.json'}'")


def test_load_bad_profile_names_the_field(cp):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "profiles": [{"Email": "a@b.c"}]}]})
    assert str(exc.value).startswith("load(): domains[0].profiles[0] got an unknown field 'Email'.")


def test_load_bad_fake_profiles(cp):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "fake_profiles": {"n": 3}}]})
    assert str(exc.value) == (
        "load(): domains[0]: fake_profiles of domain 'shop' must be an object with 'count' and "
        "optionally business_ratio, locale, seed"
    )


def test_create_profile_unknown_field_beside_a_chosen_id(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", ProfileId="a" * 32, EmailAdress="a@b.c")
    assert str(exc.value).startswith(
        "create_profile() got an unknown field 'EmailAdress'. Did you mean 'EmailAddress'? "
    )


def test_seeded_none_values_are_absent_as_in_the_api(cp, client):
    cp.create_domain("shop")
    profile_id = cp.create_profile("shop", FirstName="Ann", LastName=None)
    assert cp.profiles("shop") == [{"ProfileId": profile_id, "FirstName": "Ann"}]


def test_seeded_profile_id_must_be_exactly_32_hex(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", ProfileId="f" * 40)
    assert str(exc.value) == (
        f"create_profile(): 1 validation error detected: Value '{'f' * 40}' at 'profileId' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-f0-9]{32}"
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"DomainName": "a", "Profiles": []},
            "load(): domains[0] has an unknown key 'Profiles'. Did you mean 'profiles'? A domain "
            "takes CreateDomain's fields and account_id, fake_profiles, keys, object_types, "
            "objects, profiles, region.",
        ),
        (
            {"DomainName": "a", "Tgas": {}},
            "load(): domains[0] has an unknown key 'Tgas'. Did you mean 'Tags'? A domain "
            "takes CreateDomain's fields and account_id, fake_profiles, keys, object_types, "
            "objects, profiles, region.",
        ),
        (
            {"DomainName": "a", "profiles": {"FirstName": "Ann"}},
            "load(): domains[0]: profiles must be a list of CreateProfile field objects",
        ),
    ],
)
def test_load_mistakes_name_the_key_and_the_fix(cp, entry, message):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [entry]})
    assert str(exc.value) == message
    assert cp.domains() == []


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (
            {"region": "nowhere"},
            "load(): domains[1].region must look like 'us-east-1', got 'nowhere'",
        ),
        (
            {"account_id": "42"},
            "load(): domains[1].account_id must be 12 digits as a string, got '42'",
        ),
    ],
)
def test_load_mistake_in_a_domain_argument_names_its_path(cp, meta, message):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "a"}, {"DomainName": "b", **meta}]})
    assert str(exc.value) == message
    assert cp.domains() == []


@pytest.mark.parametrize(
    ("profile", "kind"), [("Ann Smith", "a str"), (["Ann"], "a list"), (None, "None")]
)
def test_load_of_a_profile_that_is_not_an_object_names_its_type_not_its_value(cp, profile, kind):
    with pytest.raises(TypeError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "profiles": [{}, profile]}]})
    assert str(exc.value) == (
        f"load(): domains[0].profiles[1]: expected a mapping of CreateProfile fields, got {kind}"
    )
    assert cp.domains() == []


def test_seeded_domain_is_a_copy_of_what_was_given(cp, client):
    matching = {"Enabled": True}
    cp.create_domain("shop", Matching=matching)
    matching["Enabled"] = False
    assert client.get_domain(DomainName="shop")["Matching"] == {"Enabled": True}


def test_seeded_profile_is_a_copy_of_what_was_given(cp, client):
    cp.create_domain("shop")
    fields = {"FirstName": "Ann", "Address": {"City": "Paris"}, "Attributes": {"tier": "gold"}}
    pid = cp.create_profile("shop", **fields)
    fields["Address"]["City"] = "Lyon"
    fields["Attributes"]["tier"] = "lead"
    stored = cp.profiles("shop")[0]
    assert stored["Address"] == {"City": "Paris"}
    assert stored["Attributes"] == {"tier": "gold"}
    got = client.batch_get_profile(DomainName="shop", ProfileIds=[pid])["Profiles"][0]
    assert got["Address"] == {"City": "Paris"}


def test_unknown_nested_field_names_its_path_and_the_fix(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profile("shop", Address={"Citty": "Paris", "City": "Lyon"})
    fields = ", ".join(sorted(MODEL.shape_for("Address").members))
    assert str(exc.value) == (
        "create_profile() got an unknown field 'Address.Citty'. Did you mean 'Address.City'? "
        f"Address fields: {fields}."
    )
    assert cp.profiles("shop") == []


def test_unknown_nested_field_in_create_profiles_names_the_profile(cp):
    cp.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        cp.create_profiles("shop", [{"FirstName": "Ann"}, {"MailingAddress": {"Zip": "1"}}])
    assert str(exc.value).startswith(
        "create_profiles() profile #1 got an unknown field 'MailingAddress.Zip'. "
    )
    assert cp.profiles("shop") == []


def test_unknown_nested_field_of_a_domain_is_named(cp):
    with pytest.raises(ValueError) as exc:
        cp.create_domain("shop", Matching={"Enabled": True, "Enabld": False})
    assert str(exc.value).startswith(
        "create_domain() got an unknown field 'Matching.Enabld'. Did you mean 'Matching.Enabled'? "
        "Matching fields: "
    )
    assert cp.domains() == []


def test_search_index_is_built_at_the_first_search_and_kept_up_to_date(cp, client):
    cp.create_domain("shop")
    ann, bob = cp.create_profiles(
        "shop", [{"EmailAddress": "a@x.example"}, {"EmailAddress": "b@x.example"}]
    )
    client.delete_profile(DomainName="shop", ProfileId=bob)  # before any search

    def found(email):
        out = client.search_profiles(DomainName="shop", KeyName="_email", Values=[email])
        return [item["ProfileId"] for item in out["Items"]]

    assert found("a@x.example") == [ann]
    assert found("b@x.example") == []
    cy = client.create_profile(DomainName="shop", EmailAddress="c@x.example")["ProfileId"]
    assert found("c@x.example") == [cy]
    client.delete_profile(DomainName="shop", ProfileId=ann)
    assert found("a@x.example") == []
    dee = cp.create_profile("shop", EmailAddress="a@x.example")
    assert found("a@x.example") == [dee]


def test_load_is_all_or_nothing_and_names_the_file_and_the_json_path(cp, tmp_path):
    seed = tmp_path / "shop.json"
    seed.write_text(
        json.dumps(
            {
                "domains": [
                    {"DomainName": "a", "profiles": [{"FirstName": "ok"}]},
                    {"DomainName": "b", "profiles": [{"FirstName": "ok"}, {"FirstNme": "x"}]},
                ]
            }
        )
    )
    with pytest.raises(ValueError) as exc:
        cp.load(seed)
    assert str(exc.value).startswith(
        f"load(): {seed}: domains[1].profiles[1] got an unknown field 'FirstNme'. "
        "Did you mean 'FirstName'?"
    )
    assert cp.domains() == []
    seed.write_text(json.dumps({"domains": [{"DomainName": "a", "Matching": {"Enabld": True}}]}))
    with pytest.raises(ValueError) as exc:
        cp.load(seed)
    assert str(exc.value).startswith(
        f"load(): {seed}: domains[0] got an unknown field 'Matching.Enabld'. "
        "Did you mean 'Matching.Enabled'?"
    )


def test_load_of_a_domain_that_exists_loads_nothing(cp):
    cp.create_domain("b")
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "a"}, {"DomainName": "b"}]})
    assert str(exc.value) == (
        "load(): domain 'b' already exists in account 123456789012, region us-east-1; "
        "nothing was loaded."
    )
    assert cp.domains() == ["b"]


def test_load_returns_every_id_when_a_name_repeats_in_two_regions(cp):
    created = cp.load(
        {
            "domains": [
                {"DomainName": "shop", "profiles": [{"FirstName": "Ann"}]},
                {"DomainName": "shop", "region": "eu-west-2", "profiles": [{"FirstName": "Bo"}]},
            ]
        }
    )
    (here,) = [p["ProfileId"] for p in cp.profiles("shop")]
    (there,) = [p["ProfileId"] for p in cp.profiles("shop", region="eu-west-2")]
    assert created == {"shop": [here, there]}


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"region": "us-east1"}, "region must look like 'us-east-1', got 'us-east1'"),
        ({"region": 5}, "region must look like 'us-east-1', got 5"),
        ({"account_id": "42"}, "account_id must be 12 digits as a string, got '42'"),
    ],
)
def test_seeding_checks_region_and_account(cp, where, message):
    with pytest.raises(ValueError) as exc:
        cp.create_domain("shop", **where)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    ("fake", "message"),
    [
        ({"count": "3"}, "count must be a non-negative integer, got '3'"),
        ({"count": 3, "seed": [1]}, "seed must be an integer or None, got [1]"),
        ({"count": 3, "business_ratio": "x"}, "business_ratio must be between 0 and 1, got 'x'"),
    ],
)
def test_load_fake_profiles_mistakes_name_the_json_path(cp, fake, message):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "fake_profiles": fake}]})
    assert str(exc.value) == f"load(): domains[0].fake_profiles: {message}"
    assert cp.domains() == []


# -- answer(): an operation the mock does not serve ------------------------------------

UNSERVED = "GetWorkflow"  # in every botocore the package supports


@pytest.fixture(autouse=True)
def _answers_meet_unserved_operations(unserved):
    """The answer() tests answer GetWorkflow and GetSegmentMembership as operations the
    mock does not serve (as one a newer botocore adds would be)."""
    unserved(UNSERVED)
    unserved("GetSegmentMembership")


FLOW = {"DomainName": "shop", "WorkflowId": "a" * 32}


def test_answer_serves_an_operation_the_mock_does_not_serve(cp, client):
    cp.answer(UNSERVED, {"WorkflowId": "a" * 32, "Status": "COMPLETE"})
    out = client.get_workflow(**FLOW)
    assert (out["WorkflowId"], out["Status"]) == ("a" * 32, "COMPLETE")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    (call,) = cp.calls
    assert call.request_id == out["ResponseMetadata"]["RequestId"]
    assert (
        call.describe()
        == f"{UNSERVED} attempt 1 (domain=shop) in us-east-1, account 123456789012 -> 200"
    )


def test_answer_with_a_function_of_the_request(cp, client):
    stamp = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    seen = []

    def flow(params):
        seen.append(params)
        return {"WorkflowId": params["WorkflowId"], "Status": "IN_PROGRESS", "StartDate": stamp}

    cp.answer(UNSERVED, flow)
    out = client.get_workflow(**FLOW)
    assert (out["Status"], out["StartDate"]) == ("IN_PROGRESS", stamp)
    assert seen == [FLOW]


def test_answer_goes_through_validation_and_faults(cp, client):
    cp.answer(UNSERVED, {"Status": "COMPLETE"})
    fault = cp.throttle(UNSERVED, times=1)
    assert client.get_workflow(**FLOW)["ResponseMetadata"]["RetryAttempts"] == 1
    assert fault.triggered == 1
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.get_workflow(**{**FLOW, "WorkflowId": "nope"})
    assert exc.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'nope' at 'workflowId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [a-f0-9]{32}"
    )
    assert [c.status for c in cp.calls] == [429, 200, 400]


def test_answer_batch_operation_fails_chosen_items(cp, client):
    ann, bob = "a" * 32, "b" * 32

    def members(params):
        return {
            "SegmentDefinitionName": "vip",
            "Profiles": [{"ProfileId": p, "QueryResult": "PRESENT"} for p in params["ProfileIds"]],
        }

    cp.answer("GetSegmentMembership", members)
    cp.fail_items("GetSegmentMembership", [bob], code=503, message="Later")
    out = client.get_segment_membership(
        DomainName="shop", SegmentDefinitionName="vip", ProfileIds=[ann, bob]
    )
    assert [v["ProfileId"] for v in out["Profiles"]] == [ann]
    assert out["Failures"] == [{"ProfileId": bob, "Message": "Later", "Status": 503}]


def test_answer_unknown_operation(cp):
    with pytest.raises(ValueError) as exc:
        cp.answer("GetWorkflo", {})
    assert str(exc.value) == "answer(): Unknown operation 'GetWorkflo'. Did you mean 'GetWorkflow'?"


def test_answer_refuses_a_served_operation_unless_override(cp, client):
    with pytest.raises(ValueError) as exc:
        cp.answer("GetDomain", {"DomainName": "shop"})
    assert str(exc.value) == (
        "answer(): GetDomain is served by the mock, from the state seeding and the other "
        "calls make: seed that state (cp.seed('GetDomain', ...) or the seeding methods) or "
        "inject a fault; pass override=True to answer it with this response instead, "
        "whatever the state."
    )
    stamp = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
    canned = {
        "DomainName": "shop",
        "DefaultExpirationDays": 1,
        "CreatedAt": stamp,
        "LastUpdatedAt": stamp,
        "Stats": {"ProfileCount": 10**6},
    }
    cp.answer("GetDomain", canned, override=True)
    out = client.get_domain(DomainName="shop")  # no such domain: the answer stands
    assert out["Stats"]["ProfileCount"] == 10**6
    assert out["CreatedAt"] == stamp


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            {"WorkflowTyp": "APPFLOW_INTEGRATION"},
            "the response has an unknown member 'WorkflowTyp'. Did you mean 'WorkflowType'? "
            "Members there: WorkflowId, WorkflowType, Status, ErrorDescription, StartDate, "
            "LastUpdatedAt, Attributes, Metrics.",
        ),
        (
            {"ErrorDescription": 12},
            "the response does not fit GetWorkflow's output shape: 1 validation error "
            "detected: Value '12' at 'errorDescription' failed to satisfy constraint: Member "
            "must be of type string",
        ),
    ],
)
def test_answer_response_must_fit_the_output_shape(cp, response, message):
    with pytest.raises(ValueError) as exc:
        cp.answer(UNSERVED, response)
    assert str(exc.value) == f"answer('{UNSERVED}'): {message}"


def test_answer_nested_response_must_fit_the_output_shape(cp):
    with pytest.raises(ValueError) as exc:
        cp.answer(
            "GetSegmentMembership",
            {"Profiles": [{"ProfileId": "a" * 32, "QueryResult": "MAYBE"}]},
        )
    assert str(exc.value) == (
        "answer('GetSegmentMembership'): the response does not fit GetSegmentMembership's "
        "output shape: 1 validation error detected: Value 'MAYBE' at "
        "'profiles.1.member.queryResult' failed to satisfy constraint: Member must satisfy "
        "enum value set: [PRESENT, ABSENT]"
    )


def test_answer_nested_unknown_member(cp):
    with pytest.raises(ValueError) as exc:
        cp.answer("GetSegmentMembership", {"Failures": [{"Mesage": "1"}]})
    assert str(exc.value) == (
        "answer('GetSegmentMembership'): the response has an unknown member "
        "'Failures[0].Mesage'. Did you mean 'Message'? Members there: ProfileId, Message, "
        "Status."
    )


def test_answer_takes_a_dict_or_a_function(cp):
    with pytest.raises(TypeError) as exc:
        cp.answer(UNSERVED, "12")
    assert str(exc.value) == (
        f"answer('{UNSERVED}') takes the response (a dict, as a boto3 client returns it) or "
        "a function of the request parameters that returns one, got a str"
    )


def test_answer_function_response_that_does_not_fit_raises_at_the_call(cp, client):
    cp.answer(UNSERVED, lambda params: {"Statu": "COMPLETE"})
    with pytest.raises(ValueError) as exc:
        client.get_workflow(**FLOW)
    assert str(exc.value).startswith(
        f"answer('{UNSERVED}'): the response has an unknown member 'Statu'. Did you mean 'Status'?"
    )
    (call,) = cp.calls
    assert (call.operation, call.status, call.error_code) == (
        UNSERVED,
        None,
        "InvalidArgumentError",
    )
    assert call.describe().endswith(" -> raised InvalidArgumentError")


def test_answer_ends_with_the_activation():
    client = boto3.client("customer-profiles", region_name="us-east-1")
    with mock_customer_profiles() as cp:
        cp.answer(UNSERVED, {"Status": "COMPLETE"})
        assert client.get_workflow(**FLOW)["Status"] == "COMPLETE"
    with mock_customer_profiles(), pytest.raises(NotImplementedError):
        client.get_workflow(**FLOW)
