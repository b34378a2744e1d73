"""Standard objects through boto3 (features/object_types/standard_objects.py and the
objects feature): every standard object the model's StandardIdentifier names is a target
with its documented fields, AWS's travel sample mappings are accepted, the standard
objects' index names are predefined keys, ingestion writes the standard objects a type
targets (listable and filterable), and the contact-record templates' phone rules. Each
test names the rule it checks and its source."""

from __future__ import annotations

import json
from pathlib import Path

import botocore.session
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock.features.object_types.standard_objects import (
    STANDARD_KEYS,
    STANDARD_OBJECTS,
)
from customer_profiles_mock.store.key_index import PREDEFINED_KEYS

MODEL_IDENTIFIERS = set(
    botocore.session.get_session()
    .get_service_model("customer-profiles")
    .shape_for("StandardIdentifier")
    .enum
)
SAMPLE = Path(__file__).parent / "data" / "travel-hospitality"
SAMPLE_MAPPINGS = sorted(SAMPLE.glob("*/*.json"))
NOT_A_TARGET = "Field {0} targets {1}, which is not a standard profile or standard object field"


def needs(*identifiers: str) -> pytest.MarkDecorator:
    """Skip where the installed model (the oldest botocore CI runs) lacks an identifier."""
    missing = sorted(set(identifiers) - MODEL_IDENTIFIERS)
    return pytest.mark.skipif(bool(missing), reason=f"botocore's model lacks {missing}")


def identifiers_of(mapping: dict) -> set[str]:
    return {
        i
        for entries in mapping["Keys"].values()
        for e in entries
        for i in e.get("StandardIdentifiers", [])
    }


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def travel(cp):
    cp.create_domain("travel")
    return "travel"


def sample(path: str) -> dict:
    return json.loads((SAMPLE / path).read_text())


def put_type(client, name, fields, keys, **extra):
    return client.put_profile_object_type(
        DomainName="travel",
        ObjectTypeName=name,
        Description=name,
        Fields=fields,
        Keys=keys,
        **extra,
    )


def put(client, type_name, obj):
    return client.put_profile_object(
        DomainName="travel", ObjectTypeName=type_name, Object=json.dumps(obj)
    )


def listed(client, profile_id, type_name, **extra):
    out = client.list_profile_objects(
        DomainName="travel", ProfileId=profile_id, ObjectTypeName=type_name, **extra
    )
    return [json.loads(item["Object"]) for item in out["Items"]]


def search(client, key, value):
    out = client.search_profiles(DomainName="travel", KeyName=key, Values=[value])
    return [p["ProfileId"] for p in out["Items"]]


# -- the catalogue ----------------------------------------------------------------------


def test_every_standard_identifier_of_the_model_has_a_standard_object():
    # [MODEL StandardIdentifier] every identifier but the profile's and the key flags names
    # a standard object the catalogue defines
    flags = {"PROFILE", "UNIQUE", "SECONDARY", "LOOKUP_ONLY", "NEW_ONLY"}
    assert MODEL_IDENTIFIERS - flags <= {o.identifier for o in STANDARD_OBJECTS.values()}


def test_every_standard_object_index_name_is_a_predefined_key():
    # [DOC standard-*-object-fields "Standard index name"] [MODEL ObjectFilter.KeyName]
    assert set(STANDARD_KEYS) <= PREDEFINED_KEYS
    assert {"_assetId", "_assetName", "_serialNumber", "_caseId", "_orderId"} <= set(STANDARD_KEYS)


# -- PutProfileObjectType ---------------------------------------------------------------


@pytest.mark.parametrize("path", SAMPLE_MAPPINGS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_put_profile_object_type_accepts_aws_travel_sample_mapping(client, travel, path):
    # [OSS aws-samples/sample-for-customer-profiles-travel-hospitality, tests/data/SOURCE.md]
    # AWS's sample creates these object types (targets _airBooking.*, _airSegment.*,
    # _loyalty.*, _hotelStayRevenue.*, ...)
    mapping = json.loads(path.read_text())
    missing = identifiers_of(mapping) - MODEL_IDENTIFIERS
    if missing:
        pytest.skip(f"botocore's model lacks {sorted(missing)}")
    out = client.put_profile_object_type(DomainName="travel", **mapping)
    assert out["ObjectTypeName"] == mapping["ObjectTypeName"]
    assert out["Fields"] == mapping["Fields"]


@needs("AIR_BOOKING")
def test_put_profile_object_type_accepts_a_standard_object_structure_field(client, travel):
    # [DOC standard-air-booking-object-fields] Loyalty is a structure of the air booking;
    # [OSS travel airlines/mappings/Booking.json] BookingLoyaltyId targets
    # _airBooking.Loyalty.MembershipId
    fields = {
        "Id": {"Source": "_source.id"},
        "BookingLoyaltyId": {
            "Source": "_source.loyalty",
            "Target": "_airBooking.Loyalty.MembershipId",
        },
    }
    keys = {
        "BookingId": [
            {"FieldNames": ["Id"], "StandardIdentifiers": ["UNIQUE", "PROFILE", "AIR_BOOKING"]}
        ]
    }
    out = put_type(client, "Booking", fields, keys)
    assert out["Fields"]["BookingLoyaltyId"]["Target"] == "_airBooking.Loyalty.MembershipId"


@pytest.mark.parametrize(
    ("target", "identifier"),
    [
        ("_loyalty.Unknown", "LOYALTY"),  # [DOC standard-loyalty-object-fields]: no such field
        ("_loyalty.Status.Code", "LOYALTY"),  # Status is a string, not a structure
        ("_communicationRecord.Nope", "COMMUNICATION_RECORD"),
        ("_airBooking", "AIR_BOOKING"),  # the object itself is no field
    ],
)
def test_put_profile_object_type_undocumented_standard_object_field_is_bad_request(
    client, travel, target, identifier
):
    # [DOC standard-*-object-fields] a target names a documented field of the object
    if identifier not in MODEL_IDENTIFIERS:
        pytest.skip(f"botocore's model lacks {identifier}")
    fields = {"Id": {"Source": "_source.id"}, "X": {"Source": "_source.x", "Target": target}}
    keys = {
        "Id": [{"FieldNames": ["Id"], "StandardIdentifiers": ["UNIQUE", "PROFILE", identifier]}]
    }
    with pytest.raises(ClientError) as excinfo:
        put_type(client, "Thing", fields, keys)
    assert error_of(excinfo) == ("BadRequestException", 400, NOT_A_TARGET.format("X", target))


@needs("AIR_BOOKING")
def test_put_profile_object_type_standard_object_system_identifier_is_bad_request(client, travel):
    # [OSS travel airlines/mappings/Booking.json] maps its booking id to
    # _airBooking.Attributes.BookingId, not the system identifier BookingId [INF]
    fields = {"Id": {"Source": "_source.id", "Target": "_airBooking.BookingId"}}
    keys = {
        "Id": [{"FieldNames": ["Id"], "StandardIdentifiers": ["UNIQUE", "PROFILE", "AIR_BOOKING"]}]
    }
    with pytest.raises(ClientError) as excinfo:
        put_type(client, "Booking", fields, keys)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Field Id targets _airBooking.BookingId, a system identifier that cannot be mapped",
    )


def test_put_profile_object_type_standard_object_without_its_identifier_is_bad_request(
    client, travel
):
    # [DOC standard identifiers] a key must carry LOYALTY to tie the object to a loyalty
    fields = {
        "Id": {"Source": "_source.id"},
        "P": {"Source": "_source.p", "Target": "_loyalty.ProgramName"},
    }
    keys = {"Id": [{"FieldNames": ["Id"], "StandardIdentifiers": ["UNIQUE", "PROFILE"]}]}
    with pytest.raises(ClientError) as excinfo:
        put_type(client, "Membership", fields, keys)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Field P targets _loyalty.ProgramName, which needs a key with the LOYALTY standard "
        "identifier",
    )


# -- predefined keys --------------------------------------------------------------------


def test_communication_record_id_is_a_predefined_key_everywhere(client, travel, cp):
    # [DOC customer-profiles-standard-communication-record-object-fields] "_communicationRecordId"
    # is the standard index name, usable "as a key name with the SearchProfiles API"
    fields = {"Id": {"Source": "_source.id"}}
    keys = {
        "_communicationRecordId": [
            {"FieldNames": ["Id"], "StandardIdentifiers": ["UNIQUE", "PROFILE"]}
        ]
    }
    put_type(client, "Messages", fields, keys)
    profile_id = cp.create_profile("travel", FirstName="Ann")
    out = client.add_profile_key(
        DomainName="travel", ProfileId=profile_id, KeyName="_communicationRecordId", Values=["c-1"]
    )
    assert out["KeyName"] == "_communicationRecordId"
    assert search(client, "_communicationRecordId", "c-1") == [profile_id]


# -- standard objects written by ingestion -----------------------------------------------


@needs("LOYALTY")
def test_ingestion_writes_the_loyalty_standard_object_of_aws_sample(client, travel):
    # [OSS travel airlines/mappings/Loyalty.json] targets _loyalty.*, key LoyaltyId carries
    # LOYALTY; [DOC how-object-type-mapping-works] ingestion "populates ... any other targeted
    # standard objects"; [DOC standard-loyalty-object-fields] _loyaltyMembershipId indexes
    # MembershipId
    client.put_profile_object_type(DomainName="travel", **sample("airlines/Loyalty.json"))
    member = {
        "LoyaltyId": "L-42",
        "FirstName": "Ann",
        "AccountStatus": "ACTIVE",
        "ProgramName": "Miles",
        "PointsBalance": "1200",
        "CurrentStatusLevelDescription": "Gold",
    }
    put(client, "Loyalty", member)
    (profile_id,) = search(client, "_loyaltyMembershipId", "L-42")
    assert listed(client, profile_id, "_loyalty") == [
        {
            "LoyaltyId": "L-42",
            "MembershipId": "L-42",
            "Status": "ACTIVE",
            "ProgramName": "Miles",
            "Points": {"Balance": "1200"},
            "Tier": {"CurrentTier": "Gold"},
        }
    ]
    assert search(client, "_loyaltyId", "L-42") == [profile_id]


ASSET_FIELDS = {
    "SerialNo": {"Source": "_source.serial", "Target": "_asset.SerialNumber"},
    "Model": {"Source": "_source.model", "Target": "_asset.ModelName"},
    "Email": {
        "Source": "_source.email",
        "Target": "_profile.EmailAddress",
        "ContentType": "EMAIL_ADDRESS",
    },
    "AssetRef": {"Source": "_source.asset"},
    "ReadingId": {"Source": "_source.id"},
}
ASSET_KEYS = {
    "ReadingId": [{"FieldNames": ["ReadingId"], "StandardIdentifiers": ["UNIQUE"]}],
    "_email": [{"FieldNames": ["Email"], "StandardIdentifiers": ["PROFILE"]}],
    "AssetRef": [{"FieldNames": ["AssetRef"], "StandardIdentifiers": ["ASSET"]}],
}


@pytest.fixture
def devices(client, travel):
    put_type(client, "Reading", ASSET_FIELDS, ASSET_KEYS, AllowProfileCreation=True)
    put(
        client,
        "Reading",
        {"id": "r-1", "asset": "A-1", "serial": "SN1", "model": "X", "email": "a@x.com"},
    )
    put(
        client,
        "Reading",
        {"id": "r-2", "asset": "A-2", "serial": "SN2", "model": "Y", "email": "a@x.com"},
    )
    (profile_id,) = search(client, "_email", "a@x.com")
    return profile_id


def test_list_profile_objects_lists_the_assets_ingestion_wrote(client, devices):
    # [MODEL ListProfileObjects ObjectTypeName, ObjectFilter.KeyName "_asset"]; newest first
    assert listed(client, devices, "_asset") == [
        {"AssetId": "A-2", "SerialNumber": "SN2", "ModelName": "Y"},
        {"AssetId": "A-1", "SerialNumber": "SN1", "ModelName": "X"},
    ]


@pytest.mark.parametrize(("key", "value"), [("_assetId", "A-1"), ("_serialNumber", "SN1")])
def test_list_profile_objects_filters_assets_by_predefined_key(client, devices, key, value):
    # [MODEL ObjectFilter.KeyName] "The predefined keys you can use to search for _asset
    # include: _assetId, _assetName, and _serialNumber"
    found = listed(client, devices, "_asset", ObjectFilter={"KeyName": key, "Values": [value]})
    assert found == [{"AssetId": "A-1", "SerialNumber": "SN1", "ModelName": "X"}]


def test_ingestion_updates_a_standard_object_field_by_field(client, devices):
    # [DOC standard-objects] standard objects are not replaced wholesale like profile
    # objects; [INF] the asset of the same identifier is updated, one object per identifier
    put(client, "Reading", {"id": "r-3", "asset": "A-1", "model": "Z", "email": "a@x.com"})
    found = listed(
        client, devices, "_asset", ObjectFilter={"KeyName": "_assetId", "Values": ["A-1"]}
    )
    assert found == [{"AssetId": "A-1", "SerialNumber": "SN1", "ModelName": "Z"}]
    assert len(listed(client, devices, "_asset")) == 2


def test_search_profiles_finds_a_profile_by_its_asset(client, devices):
    # [DOC standard-asset-definition] _assetId with SearchProfiles finds the profile whose
    # asset has that AssetId
    assert search(client, "_assetId", "A-2") == [devices]


def test_list_profile_objects_standard_object_filter_other_key_is_bad_request(client, devices):
    # [INF] the filter takes a predefined key of the standard object
    with pytest.raises(ClientError) as excinfo:
        listed(client, devices, "_asset", ObjectFilter={"KeyName": "_orderId", "Values": ["A-1"]})
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Key _orderId is not a key of object type _asset: _assetId, _assetName, _serialNumber",
    )


def test_standard_objects_survive_snapshot_and_restore(client, cp, devices):
    # the generic layers: a snapshot freezes the objects store, standard objects included
    snapshot = cp.snapshot()
    put(client, "Reading", {"id": "r-9", "asset": "A-9", "email": "a@x.com"})
    cp.restore(snapshot)
    assert [o["AssetId"] for o in listed(client, devices, "_asset")] == ["A-2", "A-1"]


def test_put_profile_object_to_a_standard_object_type_is_bad_request(client, travel):
    # [INF] standard objects are written by ingestion through a type's targets only
    with pytest.raises(ClientError) as excinfo:
        put(client, "_airBooking", {"BookingId": "b-1"})
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Standard object type _airBooking is rejected at ingestion: use CreateProfile or "
        "UpdateProfile for profiles",
    )


# -- contact records ----------------------------------------------------------------------


def contact(contact_id, phone):
    return {"ContactId": contact_id, "CustomerEndpoint": {"Address": phone}, "Channel": "VOICE"}


@pytest.mark.skipif(
    "BatchPutProfileObject"
    not in botocore.session.get_session().get_service_model("customer-profiles").operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_ctr_records_with_the_same_phone_map_to_the_same_inferred_profile(client, travel):
    # [MODEL PutProfileObject, BatchPutProfileObject] "an inferred profile can get created if
    # it is not mapped to an existing profile ... Any additional Contact Records with the same
    # phone number will be mapped to the same inferred profile"
    put(client, "CTR", contact("c-1", "+1 206 555 0100"))
    client.batch_put_profile_object(
        DomainName="travel",
        ObjectTypeName="CTR",
        Items=[{"Id": "1", "Object": json.dumps(contact("c-2", "+12065550100"))}],
    )
    (profile_id,) = search(client, "_phone", "+12065550100")
    assert (
        len(
            client.list_profile_objects(
                DomainName="travel", ProfileId=profile_id, ObjectTypeName="CTR"
            )["Items"]
        )
        == 2
    )
    put(client, "CTR", contact("c-3", "+1 206 555 0199"))
    assert search(client, "_phone", "+12065550199") != [profile_id]


def test_ctr_no_inferred_rejects_a_phone_two_profiles_share(client, cp, travel):
    # [DOC ctr-contact-record-template] CTR-NoInferred: "if more than one profile matches
    # _phone ... the request will be rejected"; nothing is written
    first = cp.create_profile("travel", PhoneNumber="+12065550100")
    second = cp.create_profile("travel", PhoneNumber="+12065550100")
    with pytest.raises(ClientError) as excinfo:
        put(client, "CTR-NoInferred", contact("c-1", "+12065550100"))
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Object type CTR-NoInferred cannot associate the contact record: 2 profiles match _phone",
    )
    assert sorted(search(client, "_phone", "+12065550100")) == sorted([first, second])
    assert client.list_profile_object_types(DomainName="travel")["Items"] == []


def test_ctr_no_inferred_associates_by_contact_id_before_phone(client, cp, travel):
    # [DOC ctr-contact-record-template] "associates by _ctrContactId, then by _phone": a
    # manual association wins over an ambiguous phone
    first = cp.create_profile("travel", PhoneNumber="+12065550100")
    cp.create_profile("travel", PhoneNumber="+12065550100")
    client.add_profile_key(
        DomainName="travel", ProfileId=first, KeyName="_ctrContactId", Values=["c-1"]
    )
    put(client, "CTR-NoInferred", contact("c-1", "+12065550100"))
    items = client.list_profile_objects(
        DomainName="travel", ProfileId=first, ObjectTypeName="CTR-NoInferred"
    )["Items"]
    assert len(items) == 1
