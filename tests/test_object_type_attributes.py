"""Object-type attributes through real boto3 clients (features/object_type_attributes/):
names and values read off the stored objects, statistics over their numbers, and a type
detected from sample objects. Each test names the rule it checks, with its source tag
from the reference (api-semantics-rest.md section 6)."""

from __future__ import annotations

import json
import math

import botocore.session
import pytest
from botocore.exceptions import ClientError

MODEL = botocore.session.get_session().get_service_model("customer-profiles")
# The oldest botocore CI runs (1.40.15) has neither these two operations nor DataStore.
needs_values = pytest.mark.skipif(
    "ListObjectTypeAttributeValues" not in MODEL.operation_names,
    reason="this botocore's model has no ListObjectTypeAttributeValues",
)
needs_statistics = pytest.mark.skipif(
    "GetObjectTypeAttributeStatistics" not in MODEL.operation_names,
    reason="this botocore's model has no GetObjectTypeAttributeStatistics",
)
DATA_STORE = (
    {"DataStore": {"Enabled": True}}
    if "DataStore" in MODEL.operation_model("CreateDomain").input_shape.members
    else {}
)

ORDER = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "orderId": {"Source": "_source.orderId", "ContentType": "STRING"},
        "email": {
            "Source": "_source.email",
            "Target": "_profile.EmailAddress",
            "ContentType": "EMAIL_ADDRESS",
        },
        "total": {"Source": "_source.total", "ContentType": "NUMBER"},
        "Address.City": {"Source": "_source.city", "Target": "_profile.Address.City"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderId"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop", **DATA_STORE)
    cp.put_object_type("shop", "Order", **ORDER)
    return "shop"


def put(cp, order_id, total=None, city=None, email="ann@example.com"):
    obj = {"orderId": order_id, "email": email}
    if total is not None:
        obj["total"] = total
    if city is not None:
        obj["city"] = city
    cp.put_object("shop", "Order", obj)


# -- ListObjectTypeAttributes -------------------------------------------------------------


def test_list_object_type_attributes_lists_the_fields_stored_objects_fill(cp, client, shop):
    # [MODEL; INF] the attribute names seen in the type's ingested objects, by name; a
    # dotted field name is left out (the model's AttributeName has no dot)
    put(cp, "o1", total=5, city="Paris")
    put(cp, "o2")
    out = client.list_object_type_attributes(DomainName="shop", ObjectTypeName="Order")
    assert [item["AttributeName"] for item in out["Items"]] == ["email", "orderId", "total"]
    assert "NextToken" not in out


def test_list_object_type_attributes_dates_each_by_its_newest_object(cp, client, shop):
    # [INF] LastUpdatedAt: when the newest object holding the attribute was put
    put(cp, "o1", total=5)
    put(cp, "o2")
    items = client.list_object_type_attributes(DomainName="shop", ObjectTypeName="Order")["Items"]
    at = {item["AttributeName"]: item["LastUpdatedAt"] for item in items}
    assert at["total"] <= at["orderId"] == at["email"]


def test_list_object_type_attributes_of_a_type_without_objects_is_empty(client, shop):
    # [INF] nothing ingested: no attribute seen
    out = client.list_object_type_attributes(DomainName="shop", ObjectTypeName="Order")
    assert out["Items"] == []


def test_list_object_type_attributes_pages(cp, client, shop):
    # [MODEL] MaxResults / NextToken, and botocore's paginator walks it
    put(cp, "o1", total=5)
    first = client.list_object_type_attributes(
        DomainName="shop", ObjectTypeName="Order", MaxResults=2
    )
    assert [i["AttributeName"] for i in first["Items"]] == ["email", "orderId"]
    pages = client.get_paginator("list_object_type_attributes").paginate(
        DomainName="shop", ObjectTypeName="Order", PaginationConfig={"PageSize": 1}
    )
    names = [i["AttributeName"] for page in pages for i in page["Items"]]
    assert names == ["email", "orderId", "total"]


def test_list_object_type_attributes_of_an_unknown_type_is_not_found(client, shop):
    # [INF] an object type the domain lacks is 404
    with pytest.raises(ClientError) as excinfo:
        client.list_object_type_attributes(DomainName="shop", ObjectTypeName="Nope")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Object type Nope does not exist in domain shop",
    )


def test_list_object_type_attributes_of_an_unknown_domain_is_not_found(client):
    # [MODEL] ResourceNotFoundException for a missing domain
    with pytest.raises(ClientError) as excinfo:
        client.list_object_type_attributes(DomainName="nope", ObjectTypeName="Order")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"


# -- ListObjectTypeAttributeValues --------------------------------------------------------


@needs_values
def test_list_object_type_attribute_values_are_distinct_and_most_recent_first(cp, client, shop):
    # [MODEL] "the most recent distinct values ... sorted on the basis of LastUpdatedAt"
    put(cp, "o1", email="a@example.com")
    put(cp, "o2", email="b@example.com")
    put(cp, "o3", email="a@example.com")
    items = client.list_object_type_attribute_values(
        DomainName="shop", ObjectTypeName="Order", AttributeName="email"
    )["Items"]
    assert [item["Value"] for item in items] == ["a@example.com", "b@example.com"]
    assert items[0]["LastUpdatedAt"] >= items[1]["LastUpdatedAt"]


@needs_values
def test_list_object_type_attribute_values_of_a_dotted_name(cp, client, shop):
    # [MODEL] AttributeName in the URI may hold dots (1-1000 characters)
    put(cp, "o1", city="Paris")
    put(cp, "o2", city="Lyon")
    items = client.list_object_type_attribute_values(
        DomainName="shop", ObjectTypeName="Order", AttributeName="Address.City"
    )["Items"]
    assert [item["Value"] for item in items] == ["Lyon", "Paris"]


@needs_values
def test_list_object_type_attribute_values_follow_a_replaced_object(cp, client, shop):
    # [INF] a value only a replaced object held is no longer listed
    put(cp, "o1", city="Paris")
    put(cp, "o1", city="Lyon")
    items = client.list_object_type_attribute_values(
        DomainName="shop", ObjectTypeName="Order", AttributeName="Address.City"
    )["Items"]
    assert [item["Value"] for item in items] == ["Lyon"]


@needs_values
def test_list_object_type_attribute_values_follow_each_put_and_delete(cp, client, shop):
    # [MODEL] the most recent values: an object put or deleted after a read shows at once
    def values():
        items = client.list_object_type_attribute_values(
            DomainName="shop", ObjectTypeName="Order", AttributeName="Address.City"
        )["Items"]
        return [item["Value"] for item in items]

    put(cp, "o1", city="Paris")
    assert values() == ["Paris"]
    put(cp, "o2", city="Lyon")
    assert values() == ["Lyon", "Paris"]
    (profile,) = cp.profiles("shop")
    (lyon,) = [o for o in cp.objects("shop", profile["ProfileId"]) if "Lyon" in o["ObjectText"]]
    client.delete_profile_object(
        DomainName="shop",
        ObjectTypeName="Order",
        ProfileId=profile["ProfileId"],
        ProfileObjectUniqueKey=lyon["ProfileObjectUniqueKey"],
    )
    assert values() == ["Paris"]


@needs_values
def test_list_object_type_attribute_values_page(cp, client, shop):
    # [MODEL] MaxResults / NextToken
    for n in range(3):
        put(cp, f"o{n}", total=n)
    first = client.list_object_type_attribute_values(
        DomainName="shop", ObjectTypeName="Order", AttributeName="total", MaxResults=2
    )
    rest = client.list_object_type_attribute_values(
        DomainName="shop",
        ObjectTypeName="Order",
        AttributeName="total",
        NextToken=first["NextToken"],
    )
    assert [i["Value"] for i in first["Items"] + rest["Items"]] == ["2", "1", "0"]
    assert "NextToken" not in rest


@needs_values
def test_list_object_type_attribute_values_of_an_undefined_attribute_is_not_found(client, shop):
    # [INF] an attribute the type does not define is 404
    with pytest.raises(ClientError) as excinfo:
        client.list_object_type_attribute_values(
            DomainName="shop", ObjectTypeName="Order", AttributeName="Address.Nope"
        )
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Attribute Address.Nope does not exist in object type Order",
    )


# -- GetObjectTypeAttributeStatistics -----------------------------------------------------


@needs_statistics
def test_get_object_type_attribute_statistics_computes_them_over_the_stored_values(
    cp, client, shop
):
    # [MODEL] Maximum, Minimum, Average, StandardDeviation, Percentiles; [INF] population
    # standard deviation, nearest-rank percentiles, values that are not numbers passed over
    for n, total in enumerate([10, 20, 30, 40, "n/a"]):
        put(cp, f"o{n}", total=total)
    out = client.get_object_type_attribute_statistics(
        DomainName="shop", ObjectTypeName="Order", AttributeName="total"
    )
    stats = out["Statistics"]
    assert (stats["Maximum"], stats["Minimum"], stats["Average"]) == (40.0, 10.0, 25.0)
    assert stats["StandardDeviation"] == pytest.approx(math.sqrt(125))
    assert stats["Percentiles"] == {"P5": 10.0, "P25": 10.0, "P50": 20.0, "P75": 30.0, "P95": 40.0}
    assert out["CalculatedAt"].year >= 2024


@needs_statistics
def test_get_object_type_attribute_statistics_without_data_store_is_bad_request(cp, client):
    # [MODEL] "exclusively available for domains with data store enabled"; [INF] 400
    cp.create_domain("shop")
    cp.put_object_type("shop", "Order", **ORDER)
    with pytest.raises(ClientError) as excinfo:
        client.get_object_type_attribute_statistics(
            DomainName="shop", ObjectTypeName="Order", AttributeName="total"
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Attribute statistics are only available for domains with Data Store enabled: "
        "domain shop has none",
    )


@needs_statistics
def test_get_object_type_attribute_statistics_without_numbers_is_bad_request(cp, client, shop):
    # [MODEL] no statistics for attributes without numeric values; [INF] 400, not nulls,
    # as every member of the answer is required
    put(cp, "o1")
    with pytest.raises(ClientError) as excinfo:
        client.get_object_type_attribute_statistics(
            DomainName="shop", ObjectTypeName="Order", AttributeName="email"
        )
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Statistics are not available for attribute email of object type Order: it has no "
        "numeric values",
    )


# -- DetectProfileObjectType --------------------------------------------------------------


def test_detect_profile_object_type_maps_the_sample_objects(client, shop):
    # [MODEL] at most one detected type of {SourceLastUpdatedTimestampFormat, Fields,
    # Keys}; [INF] the heuristics: targets by name, an id key UNIQUE+PROFILE, NUMBER for
    # numbers, nested objects by dotted path, the first ISO date's format
    samples = [
        {"customerId": "c1", "email": "a@example.com", "score": 3, "home": {"city": "Paris"}},
        {"customerId": "c2", "phone": "+15550100", "updatedAt": "2024-05-01T10:00:00Z"},
    ]
    out = client.detect_profile_object_type(
        DomainName="shop", Objects=[json.dumps(s) for s in samples]
    )
    (detected,) = out["DetectedProfileObjectTypes"]
    assert detected["Fields"] == {
        "customerId": {"Source": "_source.customerId", "ContentType": "STRING"},
        "email": {
            "Source": "_source.email",
            "Target": "_profile.EmailAddress",
            "ContentType": "EMAIL_ADDRESS",
        },
        "score": {"Source": "_source.score", "ContentType": "NUMBER"},
        "home.city": {
            "Source": "_source.home.city",
            "Target": "_profile.Address.City",
            "ContentType": "STRING",
        },
        "phone": {
            "Source": "_source.phone",
            "Target": "_profile.PhoneNumber",
            "ContentType": "PHONE_NUMBER",
        },
        "updatedAt": {"Source": "_source.updatedAt", "ContentType": "STRING"},
    }
    assert detected["Keys"] == {
        "customerId": [
            {"StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": ["customerId"]}
        ],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        "_phone": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["phone"]}],
    }
    assert detected["SourceLastUpdatedTimestampFormat"] == "yyyy-MM-dd'T'HH:mm:ss'Z'"


def test_detect_profile_object_type_stores_nothing(cp, client, shop):
    # [INF] nothing is persisted: the domain's object types are as they were
    client.detect_profile_object_type(DomainName="shop", Objects=['{"id": "1"}'])
    assert list(cp.object_types("shop")) == ["Order"]


def test_detect_profile_object_type_of_empty_objects_detects_none(client, shop):
    # [MODEL] DetectedProfileObjectTypes holds at most one; [INF] none without a value
    out = client.detect_profile_object_type(DomainName="shop", Objects=["{}"])
    assert out["DetectedProfileObjectTypes"] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [("{not json", "Objects[1] is not valid JSON"), ("[1]", "Objects[1] is not a JSON object")],
)
def test_detect_profile_object_type_of_bad_json_is_bad_request(client, shop, text, message):
    # [MODEL] objects are stringified JSON; [INF] 400 and the wording
    with pytest.raises(ClientError) as excinfo:
        client.detect_profile_object_type(DomainName="shop", Objects=['{"id": "1"}', text])
    assert error_of(excinfo) == ("BadRequestException", 400, message)


@needs_values
def test_object_type_attributes_follow_a_snapshot_restore(cp, client, shop):
    # [INF] derived from the stored objects, so a restore brings the values back
    put(cp, "o1", total=1)
    snapshot = cp.snapshot()
    put(cp, "o2", total=2)
    cp.restore(snapshot)
    items = client.list_object_type_attribute_values(
        DomainName="shop", ObjectTypeName="Order", AttributeName="total"
    )["Items"]
    assert [item["Value"] for item in items] == ["1"]
