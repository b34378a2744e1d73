"""Domain object types through real boto3 clients (features/domain_object_types/): the
rules of docs/shared reference "10. Domain object types", each named with its source tag."""

from __future__ import annotations

import datetime

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
# The oldest botocore CI runs (1.40.15) has neither these operations nor DataStore.
pytestmark = pytest.mark.skipif(
    "PutDomainObjectType" not in MODEL.operation_names,
    reason="this botocore's model has no domain object types",
)
FIELDS = {
    "id": {"Source": "_source.id", "Target": "_catalogItem.id", "ContentType": "STRING"},
    "price": {"Source": "_source.price", "Target": "_catalogItem.price", "ContentType": "NUMBER"},
}
# A profile object type (PutProfileObjectType), to share a name with a domain object type.
PROFILE_TYPE = {
    "Fields": {"id": {"Source": "_source.id"}},
    "Keys": {"k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
}
TYPE_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/domain-object-types/catalog"
NO_DATA_STORE = (
    "To create a new DomainObjectType, Data Store needs to be enabled on the Domain shop"
)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop", DataStore={"Enabled": True})
    return "shop"


def put(client, name="catalog", **overrides):
    return client.put_domain_object_type(
        DomainName="shop", ObjectTypeName=name, **{"Fields": FIELDS, **overrides}
    )


# [MODEL] Put answers {ObjectTypeName, Description, EncryptionKey, Fields, CreatedAt,
# LastUpdatedAt, Tags}.
def test_put_domain_object_type_creates_and_answers_the_type(client, shop):
    out = put(client, Description="Item catalogue", EncryptionKey="alias/k", Tags={"t": "1"})
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: out[k] for k in ("ObjectTypeName", "Description", "EncryptionKey", "Fields")} == {
        "ObjectTypeName": "catalog",
        "Description": "Item catalogue",
        "EncryptionKey": "alias/k",
        "Fields": FIELDS,
    }
    assert out["Tags"] == {"t": "1"}
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert out["LastUpdatedAt"] == out["CreatedAt"]


# [MODEL] GetDomainObjectType answers the same shape as Put.
def test_get_domain_object_type_answers_what_was_put(client, shop):
    created = put(client, Description="Item catalogue")
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    for member in ("ObjectTypeName", "Description", "Fields", "CreatedAt", "LastUpdatedAt"):
        assert got[member] == created[member], member


# [MODEL] upsert; [INF] update keeps CreatedAt; [INF] Put replaces the members whole and
# merges Tags (as PutProfileObjectType).
def test_put_domain_object_type_again_replaces_it_keeping_created_at(client, shop):
    created = put(client, Description="first", EncryptionKey="alias/k", Tags={"a": "1"})
    out = put(client, Fields={"id": FIELDS["id"]}, Tags={"b": "2"})
    assert out["Fields"] == {"id": FIELDS["id"]}
    assert "Description" not in out
    assert "EncryptionKey" not in out
    assert out["Tags"] == {"a": "1", "b": "2"}
    assert out["CreatedAt"] == created["CreatedAt"]
    assert out["LastUpdatedAt"] > created["LastUpdatedAt"]
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert (got["Fields"], got["LastUpdatedAt"]) == ({"id": FIELDS["id"]}, out["LastUpdatedAt"])
    assert len(client.list_domain_object_types(DomainName="shop")["Items"]) == 1


# [MODEL] "To create a new DomainObjectType, Data Store needs to be enabled on the Domain";
# [INF] the code 400 and the text.
def test_put_domain_object_type_needs_the_data_store_enabled(client, cp):
    cp.create_domain("shop")
    with pytest.raises(ClientError) as excinfo:
        put(client)
    assert error_of(excinfo) == ("BadRequestException", 400, NO_DATA_STORE)
    client.update_domain(DomainName="shop", DataStore={"Enabled": False})
    with pytest.raises(ClientError) as excinfo:
        put(client)
    assert error_of(excinfo) == ("BadRequestException", 400, NO_DATA_STORE)
    assert client.list_domain_object_types(DomainName="shop")["Items"] == []
    client.update_domain(DomainName="shop", DataStore={"Enabled": True})
    assert put(client)["ObjectTypeName"] == "catalog"


# [MODEL] the rule names creating a new type; [INF] replacing one is not refused.
def test_put_domain_object_type_replaces_one_after_the_data_store_is_disabled(client, shop):
    put(client)
    client.update_domain(DomainName="shop", DataStore={"Enabled": False})
    assert put(client, Description="still here")["Description"] == "still here"


# [MODEL] Fields: name -> {Source*, Target*, ContentType STRING|NUMBER, FeatureType
# TEXTUAL|CATEGORICAL}, checked server-side as the model states them.
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"id": {"Source": "_source.id"}},
            "1 validation error detected: Value null at 'fields.id.member.target' failed to "
            "satisfy constraint: Member must not be null",
        ),
        (
            {"id": {"Source": "_source.id", "Target": "t", "ContentType": "DATE"}},
            "1 validation error detected: Value 'DATE' at 'fields.id.member.contentType' "
            "failed to satisfy constraint: Member must satisfy enum value set: [STRING, NUMBER]",
        ),
        (
            {"id": {"Source": "_source.id", "Target": "t", "FeatureType": "NUMERIC"}},
            "1 validation error detected: Value 'NUMERIC' at 'fields.id.member.featureType' "
            "failed to satisfy constraint: Member must satisfy enum value set: "
            "[TEXTUAL, CATEGORICAL]",
        ),
        (
            {"no spaces": {"Source": "_source.id", "Target": "t"}},
            "1 validation error detected: Value '{no spaces={Source=_source.id, Target=t}}' at "
            "'fields' failed to satisfy "
            "constraint: Map keys must satisfy constraint: [Member must satisfy regular "
            "expression pattern: ^[a-zA-Z0-9_.-]+$]",
        ),
    ],
    ids=["no-target", "content-type", "feature-type", "field-name"],
)
def test_put_domain_object_type_validates_fields_against_the_model(cp, shop, fields, message):
    raw = boto3.client(
        "customer-profiles", region_name=REGION, config=Config(parameter_validation=False)
    )
    with pytest.raises(ClientError) as excinfo:
        raw.put_domain_object_type(DomainName="shop", ObjectTypeName="catalog", Fields=fields)
    assert error_of(excinfo) == ("BadRequestException", 400, message)
    assert raw.list_domain_object_types(DomainName="shop")["Items"] == []


# [MODEL] ObjectTypeName is a typeName: ^[a-zA-Z_][a-zA-Z_0-9-]*$.
def test_put_domain_object_type_validates_the_name(client, shop):
    with pytest.raises(ClientError) as excinfo:
        put(client, name="1catalog")
    code, status, message = error_of(excinfo)
    assert (code, status) == ("BadRequestException", 400)
    assert "'objectTypeName'" in message


# [OSS CFN-RP; INF for resources it does not cover] a missing child resource is 404.
def test_get_domain_object_type_of_an_unknown_name_is_not_found(client, shop):
    with pytest.raises(ClientError) as excinfo:
        client.get_domain_object_type(DomainName="shop", ObjectTypeName="nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Domain object type nope does not exist",
    )


# [0.1] Missing domain -> 404 ResourceNotFoundException, on every one of the four.
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.put_domain_object_type(DomainName="nowhere", ObjectTypeName="t", Fields=FIELDS),
        lambda c: c.get_domain_object_type(DomainName="nowhere", ObjectTypeName="t"),
        lambda c: c.delete_domain_object_type(DomainName="nowhere", ObjectTypeName="t"),
        lambda c: c.list_domain_object_types(DomainName="nowhere"),
    ],
    ids=["put", "get", "delete", "list"],
)
def test_domain_object_type_operations_in_an_unknown_domain_are_not_found(client, call):
    with pytest.raises(ClientError) as excinfo:
        call(client)
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nowhere does not exist")


# [MODEL] DeleteDomainObjectType answers {} (0.3); a missing type is 404 (0.1).
def test_delete_domain_object_type_answers_nothing_and_removes_it(client, shop):
    put(client)
    out = client.delete_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(out) == {"ResponseMetadata"}
    with pytest.raises(ClientError) as excinfo:
        client.delete_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Domain object type catalog does not exist",
    )


# [INF] A namespace apart from profile object types: the same name may be both.
def test_domain_and_profile_object_types_are_separate_namespaces(client, cp, shop):
    cp.put_object_type("shop", "catalog", Description="profile-owned", **PROFILE_TYPE)
    put(client, Description="domain-level")
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert got["Description"] == "domain-level"
    profile_type = client.get_profile_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert profile_type["Description"] == "profile-owned"
    client.delete_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert client.get_profile_object_type(DomainName="shop", ObjectTypeName="catalog")
    listed = client.list_profile_object_types(DomainName="shop")["Items"]
    assert [i["ObjectTypeName"] for i in listed] == ["catalog"]


# [MODEL] Items[{ObjectTypeName, Description, CreatedAt, LastUpdatedAt, Tags}]; 0.4
# MaxResults 1-100 / NextToken; [INF] sorted by name.
def test_list_domain_object_types_pages_by_name_without_fields(client, shop):
    for name in ("c", "a", "b"):
        put(client, name, Description=f"type {name}", EncryptionKey="alias/k", Tags={"n": name})
    first = client.list_domain_object_types(DomainName="shop", MaxResults=2)
    assert [i["ObjectTypeName"] for i in first["Items"]] == ["a", "b"]
    assert set(first["Items"][0]) == {
        "ObjectTypeName",
        "Description",
        "CreatedAt",
        "LastUpdatedAt",
        "Tags",
    }
    assert first["Items"][0]["Tags"] == {"n": "a"}
    rest = client.list_domain_object_types(DomainName="shop", NextToken=first["NextToken"])
    assert [i["ObjectTypeName"] for i in rest["Items"]] == ["c"]
    assert "NextToken" not in rest


# [MODEL] 0.4: botocore has a paginator for ListDomainObjectTypes.
def test_list_domain_object_types_paginator_walks_every_page(client, shop):
    for name in ("a", "b", "c"):
        put(client, name)
    paginator = client.get_paginator("list_domain_object_types")
    pages = paginator.paginate(DomainName="shop", PaginationConfig={"PageSize": 1})
    assert [i["ObjectTypeName"] for page in pages for i in page["Items"]] == ["a", "b", "c"]


# [MODEL] MaxResults 1-100.
def test_list_domain_object_types_refuses_max_results_over_100(cp, shop):
    raw = boto3.client(
        "customer-profiles", region_name=REGION, config=Config(parameter_validation=False)
    )
    with pytest.raises(ClientError) as excinfo:
        raw.list_domain_object_types(DomainName="shop", MaxResults=101)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy "
        "constraint: Member must have value less than or equal to 100",
    )


# [MODEL] Tags on the type; [INF] its ARN domains/D/domain-object-types/N for TagResource.
def test_tag_resource_reaches_a_domain_object_type_by_its_arn(client, shop):
    put(client, Tags={"team": "recs"})
    client.tag_resource(resourceArn=TYPE_ARN, tags={"tier": "gold"})
    assert client.list_tags_for_resource(resourceArn=TYPE_ARN)["tags"] == {
        "team": "recs",
        "tier": "gold",
    }
    client.untag_resource(resourceArn=TYPE_ARN, tagKeys=["team"])
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert got["Tags"] == {"tier": "gold"}


# [MODEL] TagMap holds at most 50, merged on a replace [INF, as PutProfileObjectType].
def test_put_domain_object_type_refuses_more_than_50_tags_in_all(client, shop):
    put(client, Tags={f"a{i}": "v" for i in range(30)})
    with pytest.raises(ClientError) as excinfo:
        put(client, Description="changed", Tags={f"b{i}": "v" for i in range(30)})
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Resource {TYPE_ARN} can have at most 50 tags; this request would give it 60",
    )
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert "Description" not in got  # nothing of the refused request applied
    assert len(got["Tags"]) == 30


# [MODEL "all of its customer data"; INF for the non-data resources] 0.1.
def test_delete_domain_removes_its_domain_object_types(client, cp, shop):
    put(client)
    client.delete_domain(DomainName="shop")
    cp.create_domain("shop", DataStore={"Enabled": True})
    assert client.list_domain_object_types(DomainName="shop")["Items"] == []


def test_restore_brings_back_the_domain_object_types_of_the_snapshot(client, cp, shop):
    created = put(client, Description="first")
    snapshot = cp.snapshot()
    put(client, Description="second")
    put(client, "later")
    cp.restore(snapshot)
    listed = client.list_domain_object_types(DomainName="shop")["Items"]
    assert [i["ObjectTypeName"] for i in listed] == ["catalog"]
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert (got["Description"], got["LastUpdatedAt"]) == ("first", created["LastUpdatedAt"])


def test_restore_of_an_earlier_snapshot_forgets_later_domain_object_types(client, cp, shop):
    before = cp.snapshot()
    put(client)
    cp.restore(before)
    assert client.list_domain_object_types(DomainName="shop")["Items"] == []


def test_domain_object_types_are_kept_per_region(cp, shop):
    cp.create_domain("shop", region="eu-west-1", DataStore={"Enabled": True})
    east = boto3.client("customer-profiles", region_name=REGION)
    west = boto3.client("customer-profiles", region_name="eu-west-1")
    put(east)
    assert west.list_domain_object_types(DomainName="shop")["Items"] == []


# Faults apply to these operations as to every served one.
def test_a_throttled_put_domain_object_type_is_retried(client, cp, shop):
    cp.throttle("PutDomainObjectType", times=1)
    assert put(client)["ObjectTypeName"] == "catalog"
    assert [c.status for c in cp.calls_for("PutDomainObjectType")] == [429, 200]


# cp.seed() serves any operation: the seeding helper for domain object types.
def test_seed_puts_a_domain_object_type(client, cp, shop):
    out = cp.seed("PutDomainObjectType", DomainName="shop", ObjectTypeName="catalog", Fields=FIELDS)
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert cp.calls == []  # seeding is not a call
    got = client.get_domain_object_type(DomainName="shop", ObjectTypeName="catalog")
    assert got["Fields"] == FIELDS
