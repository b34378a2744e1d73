"""PutProfileObject, BatchPutProfileObject, ListProfileObjects and DeleteProfileObject:
ingestion through object types, profile resolution and the stats, through boto3."""

from __future__ import annotations

import json

import pytest

from customer_profiles_mock.wire import model as _model

ANN = "a" * 32
BOB = "b" * 32

ORDER_TYPE = {
    "Description": "Orders from the shop",
    "AllowProfileCreation": True,
    "Fields": {
        "orderId": {"Source": "_source.order.id", "ContentType": "STRING"},
        "email": {
            "Source": "_source.customer.email",
            "Target": "_profile.EmailAddress",
            "ContentType": "EMAIL_ADDRESS",
        },
        "first": {
            "Source": "_source.customer.first",
            "Target": "_profile.FirstName",
            "ContentType": "NAME",
        },
        "city": {"Source": "_source.customer.city", "Target": "_profile.Address.City"},
        "total": {"Source": "_source.order.total", "ContentType": "NUMBER"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderId"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def _order(order_id, email="ann@example.com", first="Ann", city="Paris", total=10):
    return json.dumps(
        {
            "order": {"id": order_id, "total": total},
            "customer": {"email": email, "first": first, "city": city},
        }
    )


@pytest.fixture
def shop(cp, client):
    cp.create_domain("shop")
    cp.create_profile("shop", ProfileId=ANN, FirstName="Ann", EmailAddress="ANN@example.com")
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    return cp


def _put(client, obj, type_name="Order"):
    return client.put_profile_object(DomainName="shop", ObjectTypeName=type_name, Object=obj)


def _objects(client, profile_id=ANN, type_name="Order", **extra):
    out = client.list_profile_objects(
        DomainName="shop", ProfileId=profile_id, ObjectTypeName=type_name, **extra
    )
    return out["Items"]


def _search(client, key, *values):
    items = client.search_profiles(DomainName="shop", KeyName=key, Values=list(values))["Items"]
    return [item["ProfileId"] for item in items]


def test_put_profile_object_attaches_to_the_profile_its_key_finds(shop, client):
    text = _order("o-1", email="Ann@Example.com")
    key = _put(client, text)["ProfileObjectUniqueKey"]
    items = _objects(client)
    assert items == [{"ObjectTypeName": "Order", "ProfileObjectUniqueKey": key, "Object": text}]


def test_put_profile_object_does_not_overwrite_manual_fields(shop, client):
    _put(client, _order("o-1", first="Annie", city="Lyon"))
    profile = client.batch_get_profile(DomainName="shop", ProfileIds=[ANN])["Profiles"][0]
    assert profile["FirstName"] == "Ann"  # set by CreateProfile: protected
    assert profile["Address"] == {"City": "Lyon"}  # empty before: written


def test_put_profile_object_unique_key_replaces_the_object(shop, client):
    first = _put(client, _order("o-1", total=10))["ProfileObjectUniqueKey"]
    second = _put(client, _order("o-1", total=99))["ProfileObjectUniqueKey"]
    assert first == second
    items = _objects(client)
    assert len(items) == 1
    assert json.loads(items[0]["Object"])["order"]["total"] == 99
    stats = client.get_domain(DomainName="shop")["Stats"]
    assert stats["ObjectCount"] == 1
    assert stats["TotalSize"] == len(_order("o-1", total=99).encode())


def test_put_profile_object_creates_an_inferred_profile(shop, client):
    _put(client, _order("o-2", email="new@example.com", first="Neo", city="Oslo"))
    [found] = _search(client, "_email", "NEW@example.com")
    profile = client.batch_get_profile(DomainName="shop", ProfileIds=[found])["Profiles"][0]
    assert (profile["FirstName"], profile["EmailAddress"], profile["Address"]) == (
        "Neo",
        "new@example.com",
        {"City": "Oslo"},
    )
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 2


def test_put_profile_object_without_profile_creation_is_dead_lettered(shop, client):
    no_create = dict(ORDER_TYPE, AllowProfileCreation=False)
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order2", **no_create)
    text = _order("o-3", email="nobody@example.com")
    out = _put(client, text, type_name="Order2")
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert client.get_domain(DomainName="shop")["Stats"]["ObjectCount"] == 0
    assert shop.dead_letters("shop") == [
        {
            "ObjectTypeName": "Order2",
            "Object": json.loads(text),
            "ObjectText": text,
            "Reason": "No profile matched and AllowProfileCreation is false",
        }
    ]


def test_put_profile_object_ambiguous_key_is_skipped(shop, cp, client):
    cp.create_profile("shop", ProfileId=BOB, EmailAddress="ann@example.com")
    _put(client, _order("o-4"))
    # Both profiles have the email: the key is ambiguous, so a new profile is inferred.
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 3
    assert _objects(client) == []


def test_put_profile_object_keys_are_searchable(shop, client):
    _put(client, _order("O-77"))
    assert _search(client, "orderId", "O-77") == [ANN]
    assert _search(client, "orderId", "o-77") == []  # STRING: exact


def test_put_profile_object_invalid_json(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, "{not json")
    assert exc.value.response["Error"]["Message"] == "Object is not valid JSON"


def test_put_profile_object_empty_unique_key(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, json.dumps({"customer": {"email": "ann@example.com"}}))
    assert exc.value.response["Error"]["Message"] == (
        "The UNIQUE key orderId of object type Order has no value in the object"
    )
    assert client.get_domain(DomainName="shop")["Stats"]["ObjectCount"] == 0


def test_put_profile_object_every_profile_key_empty(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, json.dumps({"order": {"id": "o-9"}}))
    assert exc.value.response["Error"]["Message"] == (
        "Every PROFILE key of object type Order is empty in the object: _email"
    )


def test_put_profile_object_standard_type_is_rejected(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, "{}", type_name="_profile")
    assert exc.value.response["Error"]["Message"] == (
        "Standard object type _profile is rejected at ingestion: use CreateProfile or "
        "UpdateProfile for profiles"
    )


def test_put_profile_object_unknown_type(shop, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        _put(client, "{}", type_name="Nope")
    assert (
        exc.value.response["Error"]["Message"] == "Object type Nope does not exist in domain shop"
    )


def test_list_profile_objects_newest_first_with_paging(shop, client):
    keys = [_put(client, _order(f"o-{i}"))["ProfileObjectUniqueKey"] for i in range(5)]
    first = client.list_profile_objects(
        DomainName="shop", ProfileId=ANN, ObjectTypeName="Order", MaxResults=3
    )
    rest = client.list_profile_objects(
        DomainName="shop",
        ProfileId=ANN,
        ObjectTypeName="Order",
        MaxResults=3,
        NextToken=first["NextToken"],
    )
    assert "NextToken" not in rest
    listed = [i["ProfileObjectUniqueKey"] for i in first["Items"] + rest["Items"]]
    assert listed == keys[::-1]


def test_list_profile_objects_filter_by_key(shop, client):
    _put(client, _order("o-1"))
    _put(client, _order("o-2"))
    items = _objects(client, ObjectFilter={"KeyName": "orderId", "Values": ["o-2"]})
    assert [json.loads(i["Object"])["order"]["id"] for i in items] == ["o-2"]


def test_list_profile_objects_missing_profile(shop, client):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        _objects(client, profile_id=BOB)
    assert exc.value.response["Error"]["Message"] == f"Profile {BOB} does not exist"


def test_delete_profile_object(shop, client):
    key = _put(client, _order("o-1"))["ProfileObjectUniqueKey"]
    out = client.delete_profile_object(
        DomainName="shop", ProfileId=ANN, ObjectTypeName="Order", ProfileObjectUniqueKey=key
    )
    assert out["Message"] == "Profile object deleted"
    assert _objects(client) == []
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.delete_profile_object(
            DomainName="shop", ProfileId=ANN, ObjectTypeName="Order", ProfileObjectUniqueKey=key
        )
    assert exc.value.response["Error"]["Message"] == f"Profile object {key} does not exist"


@pytest.mark.skipif(
    "BatchPutProfileObject" not in _model.service_model().operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_batch_put_profile_object_reports_each_item(shop, client):
    out = client.batch_put_profile_object(
        DomainName="shop",
        ObjectTypeName="Order",
        Items=[{"Id": "1", "Object": _order("o-1")}, {"Id": "2", "Object": "{bad"}],
    )
    assert [s["Id"] for s in out["Successful"]] == ["1"]
    assert out["Failed"] == [{"Id": "2", "Code": 400, "Message": "Object is not valid JSON"}]
    assert len(_objects(client)) == 1


@pytest.mark.skipif(
    "BatchPutProfileObject" not in _model.service_model().operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_batch_put_profile_object_repeated_id_fails_the_repeat(shop, client):
    # [MODEL BatchPutProfileObjectRequestItem.Id] "A unique identifier for this item in the
    # batch request"; [INF] the repeat fails per item and is not ingested, the first is
    out = client.batch_put_profile_object(
        DomainName="shop",
        ObjectTypeName="Order",
        Items=[{"Id": "1", "Object": _order("o-1")}, {"Id": "1", "Object": _order("o-2")}],
    )
    assert [s["Id"] for s in out["Successful"]] == ["1"]
    assert out["Failed"] == [
        {"Id": "1", "Code": 400, "Message": "Id 1 appears more than once in the request"}
    ]
    assert [json.loads(i["Object"])["order"]["id"] for i in _objects(client)] == ["o-1"]


def test_merge_profiles_moves_objects(shop, cp, client):
    cp.create_profile("shop", ProfileId=BOB, EmailAddress="bob@example.com")
    _put(client, _order("o-1", email="bob@example.com"))
    client.merge_profiles(DomainName="shop", MainProfileId=ANN, ProfileIdsToBeMerged=[BOB])
    assert [json.loads(i["Object"])["order"]["id"] for i in _objects(client)] == ["o-1"]
    _put(client, _order("o-1", email="bob@example.com", total=5))  # same UNIQUE key
    assert len(_objects(client)) == 1


def test_delete_profile_deletes_its_objects(shop, client):
    _put(client, _order("o-1"))
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    assert client.get_domain(DomainName="shop")["Stats"]["ObjectCount"] == 0


def test_delete_object_type_scrubs_its_objects_fields_and_keys(shop, client):
    _put(client, _order("o-1", city="Lyon"))
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Order")
    profile = client.batch_get_profile(DomainName="shop", ProfileIds=[ANN])["Profiles"][0]
    assert "Address" not in profile  # written by the type: scrubbed
    assert profile["FirstName"] == "Ann"  # manual: kept
    assert client.get_domain(DomainName="shop")["Stats"]["ObjectCount"] == 0


def test_metering_counts_profiles_with_many_objects_more(shop, client):
    for i in range(101):
        _put(client, _order(f"o-{i}"))
    stats = client.get_domain(DomainName="shop")["Stats"]
    assert (stats["ProfileCount"], stats["MeteringProfileCount"], stats["ObjectCount"]) == (
        1,
        2,
        101,
    )


def test_snapshot_restore_discards_objects(shop, cp, client):
    _put(client, _order("o-1"))
    snap = cp.snapshot()
    _put(client, _order("o-2"))
    client.delete_profile_object(
        DomainName="shop",
        ProfileId=ANN,
        ObjectTypeName="Order",
        ProfileObjectUniqueKey=_objects(client)[-1]["ProfileObjectUniqueKey"],
    )
    cp.restore(snap)
    assert [json.loads(i["Object"])["order"]["id"] for i in _objects(client)] == ["o-1"]
    assert client.get_domain(DomainName="shop")["Stats"]["ObjectCount"] == 1


# -- the handle and load() -------------------------------------------------------------


def test_handle_put_object_and_objects(shop, client):
    key = shop.put_object(
        "shop", "Order", {"order": {"id": "o-1"}, "customer": {"email": "ann@example.com"}}
    )
    text = '{"order": {"id": "o-2"}, "customer": {"email": "ann@example.com"}}'
    shop.put_object("shop", "Order", text)
    assert [i["Object"] for i in _objects(client)][0] == text  # JSON text kept verbatim
    assert shop.objects("shop", ANN)[0] == {
        "ObjectTypeName": "Order",
        "ProfileObjectUniqueKey": key,
        "ProfileId": ANN,
        "Object": {"order": {"id": "o-1"}, "customer": {"email": "ann@example.com"}},
        "ObjectText": '{"order": {"id": "o-1"}, "customer": {"email": "ann@example.com"}}',
    }
    assert shop.objects("shop", ANN)[1]["ObjectText"] == text  # verbatim, spacing and all


def test_handle_put_object_rejection_names_the_call(shop):
    with pytest.raises(ValueError) as exc:
        shop.put_object("shop", "Nope", {})
    assert str(exc.value) == "put_object(): Object type Nope does not exist in domain shop"


def test_handle_put_object_from_a_registered_template(cp, client):
    cp.create_domain("shop")
    cp.register_template(
        "Ticket",
        SourceName="Desk",
        SourceObject="Ticket",
        AllowProfileCreation=True,
        Fields={
            "id": {"Source": "_source.id"},
            "mail": {"Source": "_source.mail", "ContentType": "EMAIL_ADDRESS"},
        },
        Keys={
            "ticketId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["mail"]}],
        },
    )
    cp.put_object("shop", "Ticket", {"id": "t-1", "mail": "x@example.com"})
    [profile] = cp.profiles("shop")
    assert profile["EmailAddress"] == "x@example.com"  # inferred from the EMAIL field
    assert cp.object_types("shop") == ["Ticket"]  # a template's type, defined at first use


def test_load_seeds_objects_and_keys_after_profiles(cp, client):
    cp.load(
        {
            "domains": [
                {
                    "DomainName": "shop",
                    "object_types": {"Order": ORDER_TYPE},
                    "profiles": [{"ProfileId": ANN, "EmailAddress": "ann@example.com"}],
                    "objects": [
                        {
                            "ObjectTypeName": "Order",
                            "Object": {
                                "order": {"id": "o-1"},
                                "customer": {"email": "ann@example.com"},
                            },
                        }
                    ],
                    "keys": [{"ProfileId": ANN, "KeyName": "loyaltyId", "Values": ["L-1"]}],
                }
            ]
        }
    )
    assert [o["ProfileId"] for o in cp.objects("shop")] == [ANN]
    assert _search(client, "loyaltyId", "L-1") == [ANN]


def test_load_objects_error_names_the_json_path_and_loads_nothing(cp):
    with pytest.raises(ValueError) as exc:
        cp.load(
            {
                "domains": [
                    {
                        "DomainName": "shop",
                        "object_types": {"Order": ORDER_TYPE},
                        "objects": [{"ObjectTypeName": "Order", "Object": "{oops"}],
                    }
                ]
            }
        )
    assert str(exc.value) == "load(): domains[0].objects[0]: Object is not valid JSON"
    assert cp.domains() == []


def test_load_keys_entry_lacking_members_names_them(cp):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "keys": [{"ProfileId": ANN}]}]})
    assert str(exc.value) == "load(): domains[0].keys[0] lacks KeyName, Values"


def test_list_profile_objects_filter_by_a_key_the_type_lacks(shop, client):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _objects(client, ObjectFilter={"KeyName": "orderkey", "Values": ["o-1"]})
    assert exc.value.response["Error"]["Message"] == (
        "Key orderkey is not a key of object type Order: _email, orderId"
    )


def test_load_misspelt_object_entry_key_is_named_with_a_suggestion(cp):
    with pytest.raises(ValueError) as exc:
        cp.load(
            {
                "domains": [
                    {"DomainName": "shop", "objects": [{"ObjectType": "Order", "Object": {}}]}
                ]
            }
        )
    assert str(exc.value) == (
        "load(): domains[0].objects[0] has an unknown key 'ObjectType'. Did you mean "
        "'ObjectTypeName'? It takes Object, ObjectTypeName."
    )


def test_restore_copies_object_types_apart(shop, cp, client):
    snap = cp.snapshot()
    arn = "arn:aws:profile:us-east-1:123456789012:domains/shop/object-types/Order"
    client.tag_resource(resourceArn=arn, tags={"team": "crm"})
    cp.restore(snap)
    assert client.list_tags_for_resource(resourceArn=arn)["tags"] == {}


# -- hostile input (found by fuzzing) ------------------------------------------------


def test_put_profile_object_nested_too_deeply(shop, client):
    # As deep as the model's 256000 characters allow: Python 3.13's json parses 5000
    # levels (its C recursion limit is higher), 3.10 to 3.12 stop near 1000.
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, "[" * 128_000 + "]" * 128_000)
    assert exc.value.response["Error"]["Message"] == "Object is not valid JSON"


def test_number_key_with_a_huge_exponent(shop, client):
    numbered = dict(ORDER_TYPE)
    numbered["Keys"] = {**ORDER_TYPE["Keys"], "total": [{"FieldNames": ["total"]}]}
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Numbered", **numbered)
    assert _search(client, "total", "1e9999999") == []
    _put(client, _order("o-1", total="1e9999999"), type_name="Numbered")
    assert _search(client, "total", "1e9999999") == [ANN]
    assert _search(client, "total", "10.0") == []


def test_put_profile_object_does_not_write_values_the_profile_model_forbids(shop, client):
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Bad",
        Description="d",
        AllowProfileCreation=True,
        Fields={
            "id": {"Source": "_source.id"},
            "gender": {"Source": "_source.g", "Target": "_profile.Gender"},
            "last": {"Source": "_source.last", "Target": "_profile.LastName"},
        },
        Keys={"k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
    )
    _put(client, json.dumps({"id": "b-1", "g": "X", "last": "x" * 300}), type_name="Bad")
    [found] = _search(client, "k", "b-1")
    profile = client.batch_get_profile(DomainName="shop", ProfileIds=[found])["Profiles"][0]
    assert "Gender" not in profile
    assert "LastName" not in profile


def test_each_blowup_is_a_bad_request_not_a_hang(shop, client):
    nested = "{{#each _source.a}}" * 4 + "x" + "{{/each}}" * 4
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Blowup",
        Description="d",
        Fields={"id": {"Source": "_source.id"}, "v": {"Source": nested}},
        Keys={"k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
    )
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        _put(client, json.dumps({"id": "o", "a": list(range(40))}), type_name="Blowup")
    assert exc.value.response["Error"]["Message"] == (
        "Object cannot be mapped: #each renders more than 1,000,000 items for one object"
    )


def test_key_content_type_changing_after_search_keeps_the_index_true(shop, cp, client):
    bob = cp.create_profile("shop", PhoneNumber="+15550100")
    assert _search(client, "_phone", "15550100") == [bob]
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Calls",
        Description="d",
        Fields={"id": {"Source": "_source.id"}, "p": {"Source": "_source.p"}},
        Keys={
            "k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}],
            "_phone": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["p"]}],
        },
    )  # _phone is a STRING key from now on
    client.delete_profile(DomainName="shop", ProfileId=bob)
    assert _search(client, "_phone", "15550100") == []
    assert _search(client, "_phone", "+15550100") == []


def test_key_content_type_changing_in_a_restored_state(shop, cp, client):
    bob = cp.create_profile("shop", PhoneNumber="+15550100")
    snap = cp.snapshot()
    cp.restore(snap)
    assert _search(client, "_phone", "15550100") == [bob]
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Calls",
        Description="d",
        Fields={"id": {"Source": "_source.id"}, "p": {"Source": "_source.p"}},
        Keys={
            "k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}],
            "_phone": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["p"]}],
        },
    )
    assert _search(client, "_phone", "+15550100") == [bob]  # STRING: exact
    assert _search(client, "_phone", "15550100") == []
    cp.restore(snap)
    assert _search(client, "_phone", "15550100") == [bob]
