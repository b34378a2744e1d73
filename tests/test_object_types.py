"""Object types and their templates through a real boto3 client, the handle and load()."""

from __future__ import annotations

import datetime
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import MockStateError, mock_customer_profiles
from customer_profiles_mock.features.object_types import models as _object_types
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES
from customer_profiles_mock.features.object_types.templates import SHIPPED, catalogue
from customer_profiles_mock.features.objects.models import ObjectStore
from customer_profiles_mock.wire import model as _model

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
PUT_MEMBERS = _model.operation_model("PutProfileObjectType").input_shape.members
# The model of the oldest botocore CI runs (1.40.15) has no SourcePriority.
PRIORITY = {"SourcePriority": 2} if "SourcePriority" in PUT_MEMBERS else {}


def key(*identifiers: str, fields: tuple[str, ...] = ("orderId",)) -> list[dict[str, Any]]:
    return [{"StandardIdentifiers": list(identifiers), "FieldNames": list(fields)}]


def definition(**overrides: Any) -> dict[str, Any]:
    """A valid object type: one UNIQUE key, one PROFILE key (``_email``, EMAIL_ADDRESS)."""
    base: dict[str, Any] = {
        "Description": "Web shop orders",
        "Fields": {
            "orderId": {"Source": "_source.id"},
            "email": {
                "Source": "_source.email",
                "Target": "_profile.EmailAddress",
                "ContentType": "EMAIL_ADDRESS",
            },
        },
        "Keys": {"orderKey": key("UNIQUE"), "_email": key("PROFILE", fields=("email",))},
    }
    base.update(overrides)
    return base


def with_fields(**fields: Any) -> dict[str, Any]:
    """The valid definition with more fields."""
    base = definition()
    base["Fields"].update(fields)
    return base


def with_keys(**keys: Any) -> dict[str, Any]:
    """The valid definition with more keys."""
    base = definition()
    base["Keys"].update(keys)
    return base


def table(cp: Any, domain: str = "shop") -> Any:
    """The domain's ObjectTypeTable (the interface ingestion builds on)."""
    return cp._store().region(ACCOUNT_ID, REGION).domains.get(domain).part(OBJECT_TYPES)


def answer(out: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in out.items() if k != "ResponseMetadata"}


def state(client: Any, cp: Any) -> Any:
    """Every object type of domain shop as Get answers it, and the domain's key types."""
    items = client.list_profile_object_types(DomainName="shop")["Items"]
    types = [
        answer(
            client.get_profile_object_type(DomainName="shop", ObjectTypeName=i["ObjectTypeName"])
        )
        for i in items
    ]
    return types, dict(table(cp).key_types)


def assert_error(exc: pytest.ExceptionInfo[ClientError], code: str, status: int, message: str):
    assert exc.value.response["Error"] == {"Code": code, "Message": message}
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == status


def assert_rejected(client: Any, cp: Any, message: str, name: str = "Orders", **params: Any):
    """PutProfileObjectType answers 400 with ``message`` and changes nothing."""
    before = state(client, cp)
    with pytest.raises(ClientError) as exc:
        client.put_profile_object_type(DomainName="shop", ObjectTypeName=name, **params)
    assert_error(exc, "BadRequestException", 400, message)
    assert state(client, cp) == before


@pytest.fixture
def shop(cp: Any) -> Any:
    """Domain shop (30 expiration days) with object type Existing."""
    cp.create_domain("shop", DefaultExpirationDays=30)
    cp.put_object_type("shop", "Existing", **definition())
    return cp


# -- PutProfileObjectType -----------------------------------------------------------


def test_put_profile_object_type_returns_the_definition(client, shop):
    out = client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **definition())
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert isinstance(out["CreatedAt"], datetime.datetime)
    assert out["CreatedAt"] == out["LastUpdatedAt"]
    assert {k: v for k, v in answer(out).items() if k not in ("CreatedAt", "LastUpdatedAt")} == {
        "ObjectTypeName": "Orders",
        **definition(),
        "ExpirationDays": 30,  # the domain's default
        "AllowProfileCreation": False,
    }


def test_put_profile_object_type_echoes_every_setting_and_tags(client, shop):
    settings = {
        "ExpirationDays": 7,
        "EncryptionKey": "alias/key",
        "AllowProfileCreation": True,
        "MaxProfileObjectCount": 5,
        "Tags": {"team": "crm"},
        **PRIORITY,
    }
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(**settings)
    )
    assert {k: out[k] for k in settings} == settings


def test_put_profile_object_type_keeps_created_at_on_replace(client, shop, monkeypatch):
    monkeypatch.setattr(_object_types, "_now", lambda: 1_000_000_000.0)
    first = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition()
    )
    monkeypatch.setattr(_object_types, "_now", lambda: 1_000_000_100.0)
    second = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(Description="Replaced")
    )
    assert second["CreatedAt"] == first["CreatedAt"]
    assert second["LastUpdatedAt"] - first["LastUpdatedAt"] == datetime.timedelta(seconds=100)
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert got["Description"] == "Replaced"
    assert got["CreatedAt"] == first["CreatedAt"]


def test_put_profile_object_type_replace_merges_tags(client, shop):
    client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(Tags={"a": "1", "b": "2"})
    )
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(Tags={"b": "3", "c": "4"})
    )
    assert out["Tags"] == {"a": "1", "b": "3", "c": "4"}
    out = client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **definition())
    assert out["Tags"] == {"a": "1", "b": "3", "c": "4"}


def test_put_profile_object_type_replace_drops_keys_only_it_defined(client, shop):
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Orders",
        **with_keys(orderNumber=key("PROFILE", "SECONDARY")),
    )
    assert table(shop).key_types["orderNumber"] == "STRING"
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **definition())
    assert "orderNumber" not in table(shop).key_types
    assert table(shop).key_types["_email"] == "EMAIL_ADDRESS"  # Existing still defines it


def test_put_profile_object_type_missing_domain(client):
    with pytest.raises(ClientError) as exc:
        client.put_profile_object_type(DomainName="nope", ObjectTypeName="Orders", **definition())
    assert_error(exc, "ResourceNotFoundException", 404, "Domain nope does not exist")


def test_put_profile_object_type_failed_replace_keeps_the_old_definition(client, shop):
    assert_rejected(
        client,
        shop,
        "Keys must have at least one PROFILE key",
        name="Existing",
        **definition(Description="Broken", Keys={"orderKey": key("UNIQUE")}),
    )


def test_put_profile_object_type_model_violation_is_a_coral_400(client, shop):
    assert_rejected(
        client,
        shop,
        "1 validation error detected: Value '2000' at 'expirationDays' failed to satisfy "
        "constraint: Member must have value less than or equal to 1098",
        **definition(ExpirationDays=2000),
    )


# -- one test per rule ------------------------------------------------------------


def test_put_profile_object_type_rejects_no_unique_key(client, shop):
    keys = {"_email": key("PROFILE", fields=("email",))}
    assert_rejected(
        client, shop, "Keys must have exactly one UNIQUE key, found 0", **definition(Keys=keys)
    )


def test_put_profile_object_type_rejects_two_unique_keys(client, shop):
    assert_rejected(
        client,
        shop,
        "Keys must have exactly one UNIQUE key, found 2 (orderKey, other)",
        **with_keys(other=key("UNIQUE")),
    )


def test_put_profile_object_type_rejects_no_profile_key(client, shop):
    assert_rejected(
        client,
        shop,
        "Keys must have at least one PROFILE key",
        **definition(Keys={"orderKey": key("UNIQUE")}),
    )


@pytest.mark.parametrize("only", ["LOOKUP_ONLY", "NEW_ONLY"])
def test_put_profile_object_type_rejects_profile_creation_without_a_kept_profile_key(
    client, shop, only
):
    keys = {"orderKey": key("UNIQUE"), "_email": key("PROFILE", only, fields=("email",))}
    assert_rejected(
        client,
        shop,
        "AllowProfileCreation is true, so Keys need a PROFILE key that is neither LOOKUP_ONLY "
        "nor NEW_ONLY",
        **definition(Keys=keys, AllowProfileCreation=True),
    )


def test_put_profile_object_type_accepts_lookup_only_profile_keys_without_creation(client, shop):
    keys = {"orderKey": key("UNIQUE"), "_email": key("PROFILE", "LOOKUP_ONLY", fields=("email",))}
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(Keys=keys)
    )
    assert out["AllowProfileCreation"] is False


def test_put_profile_object_type_accepts_profile_id_key_with_creation(client, shop):
    fields = {"orderId": {"Source": "_source.id"}, "pid": {"Source": "_source.profile"}}
    keys = {"orderKey": key("UNIQUE"), "_profileId": key("PROFILE", "LOOKUP_ONLY", fields=("pid",))}
    out = client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Orders",
        **definition(Fields=fields, Keys=keys, AllowProfileCreation=True),
    )
    assert out["Keys"] == keys


@pytest.mark.parametrize("other", ["LOOKUP_ONLY", "NEW_ONLY"])
def test_put_profile_object_type_rejects_unique_with_lookup_only_or_new_only(client, shop, other):
    keys = {"orderKey": key("UNIQUE", other), "_email": key("PROFILE", fields=("email",))}
    assert_rejected(
        client,
        shop,
        f"Key orderKey combines UNIQUE with {other}; a UNIQUE key cannot be LOOKUP_ONLY or "
        "NEW_ONLY",
        **definition(Keys=keys),
    )


def test_put_profile_object_type_rejects_secondary_without_profile(client, shop):
    assert_rejected(
        client,
        shop,
        "Key orderNumber is SECONDARY without PROFILE; SECONDARY is only valid with PROFILE",
        **with_keys(orderNumber=key("SECONDARY")),
    )


@pytest.mark.parametrize(
    ("target", "identifier"),
    [("_order.TotalPrice", "ORDER"), ("_asset.SerialNumber", "ASSET"), ("_case.Title", "CASE")],
)
def test_put_profile_object_type_rejects_standard_object_target_without_its_identifier(
    client, shop, target, identifier
):
    assert_rejected(
        client,
        shop,
        f"Field value targets {target}, which needs a key with the {identifier} standard "
        "identifier",
        **with_fields(value={"Source": "_source.value", "Target": target}),
    )


def test_put_profile_object_type_accepts_standard_object_target_with_its_identifier(client, shop):
    params = with_fields(total={"Source": "_source.total", "Target": "_order.TotalPrice"})
    params["Keys"]["_orderId"] = key("ORDER", "LOOKUP_ONLY")
    out = client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert out["Fields"]["total"]["Target"] == "_order.TotalPrice"


@pytest.mark.parametrize(
    "target",
    [
        "_profile.FirstNme",
        "_profile.Address.Town",
        "_profile.Address",
        "_profile.Attributes.",
        "_profile.EngagementPreferences.Phone",
        "_order.OrderItems",
        "_loyalty.Points",
        "FirstName",
    ],
)
def test_put_profile_object_type_rejects_target_that_is_no_standard_field(client, shop, target):
    assert_rejected(
        client,
        shop,
        f"Field value targets {target}, which is not a standard profile or standard object field",
        **with_fields(value={"Source": "_source.value", "Target": target}),
    )


def _create_profile_targets() -> list[str]:
    """Every scalar of the model's CreateProfile input, as a target."""
    shape = _model.operation_model("CreateProfile").input_shape
    targets = []
    for name, member in shape.members.items():
        if name == "DomainName":
            continue
        if member.type_name == "structure":
            targets += [
                f"_profile.{name}.{sub}"
                for sub, inner in member.members.items()
                if inner.type_name not in ("list", "structure", "map")
            ]
        elif member.type_name == "map":
            targets.append(f"_profile.{name}.anyKey")
        elif member.type_name != "list":
            targets.append(f"_profile.{name}")
    return targets


def test_put_profile_object_type_accepts_every_standard_profile_field(client, shop):
    targets = [t for t in _create_profile_targets() if not t.endswith(("Gender", "PartyType"))]
    assert "_profile.Address.City" in targets
    assert "_profile.Attributes.anyKey" in targets
    fields = {f"f{i}": {"Source": f"_source.f{i}", "Target": t} for i, t in enumerate(targets)}
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **with_fields(**fields)
    )
    assert {f["Target"] for f in out["Fields"].values() if "Target" in f} >= set(targets)


@pytest.mark.parametrize(
    "target", ["_profile.ProfileId", "_asset.AssetId", "_order.OrderId", "_case.CaseId"]
)
def test_put_profile_object_type_rejects_system_id_target(client, shop, target):
    assert_rejected(
        client,
        shop,
        f"Field value targets {target}, a system identifier that cannot be mapped",
        **with_fields(value={"Source": "_source.value", "Target": target}),
    )


@pytest.mark.parametrize("pair", [("Gender", "GenderString"), ("PartyType", "PartyTypeString")])
def test_put_profile_object_type_rejects_enum_and_string_targets_together(client, shop, pair):
    enum, string = pair
    fields = {
        "a": {"Source": "_source.a", "Target": f"_profile.{enum}"},
        "b": {"Source": "_source.b", "Target": f"_profile.{string}"},
    }
    assert_rejected(
        client,
        shop,
        f"Fields a and b target both _profile.{enum} and _profile.{string}; map only one of them",
        **with_fields(**fields),
    )


def test_put_profile_object_type_rejects_key_field_not_in_fields(client, shop):
    assert_rejected(
        client,
        shop,
        "Key orderNumber refers to field number, which is not defined in Fields",
        **with_keys(orderNumber=key("PROFILE", fields=("orderId", "number"))),
    )


def test_put_profile_object_type_rejects_key_content_type_change_across_types(client, shop):
    params = definition()
    del params["Fields"]["email"]["ContentType"]  # _email would become STRING
    assert_rejected(
        client,
        shop,
        "Key _email is defined in domain shop with content type EMAIL_ADDRESS; object type "
        "Orders gives it STRING",
        **params,
    )


def test_put_profile_object_type_accepts_same_key_content_type_across_types(client, shop):
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **definition())
    assert table(shop).key_types == {"orderKey": "STRING", "_email": "EMAIL_ADDRESS"}


def test_put_profile_object_type_changes_content_type_of_a_key_only_it_defines(client, shop):
    params = with_keys(contact=key("PROFILE", fields=("email",)))
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert table(shop).key_types["contact"] == "EMAIL_ADDRESS"
    params["Fields"]["phone"] = {"Source": "_source.phone", "ContentType": "PHONE_NUMBER"}
    params["Keys"]["contact"] = key("PROFILE", fields=("phone",))
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert table(shop).key_types["contact"] == "PHONE_NUMBER"


def test_put_profile_object_type_key_of_fields_with_mixed_content_types_is_string(client, shop):
    params = with_keys(
        mixed=key("PROFILE", fields=("number", "email")), byNumber=key(fields=("number",))
    )
    params["Fields"]["number"] = {"Source": "_source.number", "ContentType": "NUMBER"}
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert table(shop).key_types["mixed"] == "STRING"
    assert table(shop).key_types["byNumber"] == "NUMBER"


def test_put_profile_object_type_rejects_too_many_fields(client, shop):
    fields = {f"f{i}": {"Source": f"_source.f{i}"} for i in range(249)}
    assert_rejected(
        client,
        shop,
        "Fields has 251 fields; an object type can have at most 250",
        **with_fields(**fields),
    )


def test_put_profile_object_type_accepts_250_fields(client, shop):
    fields = {f"f{i}": {"Source": f"_source.f{i}"} for i in range(248)}
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **with_fields(**fields)
    )
    assert len(out["Fields"]) == 250


def test_put_profile_object_type_rejects_too_many_keys(client, shop):
    more = {f"k{i}": key() for i in range(8)}
    more["k0"] = key() + key()  # each definition entry counts
    assert_rejected(
        client,
        shop,
        "Keys has 11 key definitions; an object type can have at most 10",
        **with_keys(**more),
    )


@pytest.mark.parametrize("name", ["1st", "-x", "_custom"])
def test_put_profile_object_type_rejects_key_name_neither_letter_nor_predefined(client, shop, name):
    assert_rejected(
        client,
        shop,
        f"Key name {name} is not valid: a key name starts with a letter, or is a predefined key "
        "such as _email or _phone",
        **with_keys(**{name: key()}),
    )


@pytest.mark.parametrize("name", ["Tags", "tags"])
def test_put_profile_object_type_rejects_tags_as_field_name(client, shop, name):
    assert_rejected(
        client,
        shop,
        f"{name} cannot be used as a field name",
        **with_fields(**{name: {"Source": "_source.tags"}}),
    )


@pytest.mark.parametrize("name", ["Tags", "tags"])
def test_put_profile_object_type_rejects_tags_as_key_name(client, shop, name):
    assert_rejected(
        client, shop, f"{name} cannot be used as a key name", **with_keys(**{name: key()})
    )


@pytest.mark.parametrize("name", ["_profileId", "_orderId", "_caseId", "_assetId"])
def test_put_profile_object_type_rejects_reserved_key_without_lookup_only(client, shop, name):
    assert_rejected(
        client,
        shop,
        f"Key {name} is reserved and must be LOOKUP_ONLY",
        **with_keys(**{name: key("PROFILE")}),
    )


def test_put_profile_object_type_rejects_timestamp_target_without_format(client, shop):
    target = "_profile.SourceLastUpdatedTimestamp"
    assert_rejected(
        client,
        shop,
        f"Field updated targets {target}, which needs SourceLastUpdatedTimestampFormat",
        **with_fields(updated={"Source": "_source.updated", "Target": target}),
    )


def test_put_profile_object_type_accepts_timestamp_target_with_format(client, shop):
    params = with_fields(
        updated={"Source": "_source.updated", "Target": "_profile.SourceLastUpdatedTimestamp"}
    )
    params["SourceLastUpdatedTimestampFormat"] = "epoch"
    out = client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert out["SourceLastUpdatedTimestampFormat"] == "epoch"


def test_put_profile_object_type_rejects_name_starting_with_underscore(client, shop):
    assert_rejected(
        client,
        shop,
        "Object type name _orders is reserved: names starting with _ are for standard object types",
        name="_orders",
        **definition(),
    )


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("AllowProfileCreation", False),
        ("SourceLastUpdatedTimestampFormat", "epoch"),
        ("Fields", definition()["Fields"]),
        ("Keys", definition()["Keys"]),
    ],
)
def test_put_profile_object_type_rejects_template_with_what_it_defines(client, shop, member, value):
    assert_rejected(
        client,
        shop,
        f"{member} cannot be specified with TemplateId: the template defines it",
        Description="Calls",
        TemplateId="CTR",
        **{member: value},
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"Fields": definition()["Fields"]}, "Keys is required when TemplateId is not specified"),
        ({"Keys": definition()["Keys"]}, "Fields is required when TemplateId is not specified"),
        ({}, "Fields and Keys are required when TemplateId is not specified"),
    ],
)
def test_put_profile_object_type_rejects_no_template_without_fields_and_keys(
    client, shop, given, message
):
    assert_rejected(client, shop, message, Description="Orders", **given)


def test_put_profile_object_type_unknown_template_is_404(client, shop):
    before = state(client, shop)
    with pytest.raises(ClientError) as exc:
        client.put_profile_object_type(
            DomainName="shop", ObjectTypeName="Calls", Description="Calls", TemplateId="CTR-Nope"
        )
    assert_error(exc, "ResourceNotFoundException", 404, "Template CTR-Nope does not exist")
    assert state(client, shop) == before


def test_put_profile_object_type_rejects_the_101st_type(client, shop):
    for i in range(99):
        shop.put_object_type("shop", f"T{i:02}", **definition())
    assert_rejected(
        client, shop, "Domain shop already has 100 object types, the maximum", **definition()
    )
    out = client.put_profile_object_type(  # a full domain still replaces its types
        DomainName="shop", ObjectTypeName="T00", **definition(Description="Replaced")
    )
    assert out["Description"] == "Replaced"


def test_put_profile_object_type_rejects_field_without_source(client, shop):
    assert_rejected(
        client,
        shop,
        "Field value has no Source",
        **with_fields(value={"Target": "_profile.FirstName"}),
    )


def test_put_profile_object_type_rejects_more_than_50_tags_in_all(client, shop):
    tags = {f"t{i}": "v" for i in range(30)}
    shop.put_object_type("shop", "Orders", **definition(Tags=tags))
    more = {f"u{i}": "v" for i in range(21)}
    assert_rejected(
        client,
        shop,
        "Resource arn:aws:profile:us-east-1:123456789012:domains/shop/object-types/Orders "
        "can have at most 50 tags; this request would give it 51",
        **definition(Tags=more),
    )


def test_put_profile_object_type_invalid_handlebars_source(client, shop):
    assert_rejected(
        client,
        shop,
        "Field value has an invalid Source: unclosed {{#if}} at offset 0",
        **with_fields(value={"Source": "{{#if _source.a}}x"}),
    )


def test_put_profile_object_type_source_outside_source(client, shop):
    assert_rejected(
        client,
        shop,
        'Field value has an invalid Source: path "value" does not start with _source at offset 0',
        **with_fields(value={"Source": "{{value}}"}),
    )


# -- Get / List / Delete ------------------------------------------------------------


def test_get_profile_object_type_returns_what_put_returned(client, shop):
    put = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Orders", **definition(Tags={"team": "crm"})
    )
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert answer(got) == answer(put)


def test_get_profile_object_type_not_found(client, shop):
    with pytest.raises(ClientError) as exc:
        client.get_profile_object_type(DomainName="shop", ObjectTypeName="Nope")
    assert_error(
        exc, "ResourceNotFoundException", 404, "Object type Nope does not exist in domain shop"
    )


def test_get_profile_object_type_missing_domain(client):
    with pytest.raises(ClientError) as exc:
        client.get_profile_object_type(DomainName="nope", ObjectTypeName="Orders")
    assert_error(exc, "ResourceNotFoundException", 404, "Domain nope does not exist")


def test_list_profile_object_types_sorted_by_name_as_summaries(client, shop):
    shop.put_object_type("shop", "Zeta", **definition(Tags={"k": "v"}, **PRIORITY))
    shop.put_object_type("shop", "Alpha", **definition(MaxProfileObjectCount=9))
    items = client.list_profile_object_types(DomainName="shop")["Items"]
    assert [i["ObjectTypeName"] for i in items] == ["Alpha", "Existing", "Zeta"]
    assert {k for k in items[0] if k not in ("CreatedAt", "LastUpdatedAt")} == {
        "ObjectTypeName",
        "Description",
        "MaxProfileObjectCount",
    }
    assert items[0]["MaxProfileObjectCount"] == 9
    assert items[2]["Tags"] == {"k": "v"}
    assert items[2].get("SourcePriority") == PRIORITY.get("SourcePriority")
    assert isinstance(items[1]["CreatedAt"], datetime.datetime)


def test_list_profile_object_types_empty(client, cp):
    cp.create_domain("shop")
    out = client.list_profile_object_types(DomainName="shop")
    assert out["Items"] == []
    assert "NextToken" not in out


def test_list_profile_object_types_pages(client, shop):
    for name in ("D", "B", "A", "C"):
        shop.put_object_type("shop", name, **definition())
    names, token, pages = [], None, 0
    while True:
        page = client.list_profile_object_types(
            DomainName="shop", MaxResults=2, **({"NextToken": token} if token else {})
        )
        pages += 1
        names += [i["ObjectTypeName"] for i in page["Items"]]
        token = page.get("NextToken")
        if token is None:
            break
    assert names == ["A", "B", "C", "D", "Existing"]
    assert pages == 3


def test_list_profile_object_types_token_of_another_domain(client, shop):
    shop.create_domain("other")
    shop.put_object_type("shop", "Orders", **definition())
    token = client.list_profile_object_types(DomainName="shop", MaxResults=1)["NextToken"]
    with pytest.raises(ClientError) as exc:
        client.list_profile_object_types(DomainName="other", NextToken=token)
    assert_error(exc, "BadRequestException", 400, "The NextToken is invalid or has expired")


def test_list_profile_object_types_max_results_over_100(client, shop):
    with pytest.raises(ClientError) as exc:
        client.list_profile_object_types(DomainName="shop", MaxResults=101)
    assert_error(
        exc,
        "BadRequestException",
        400,
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100",
    )


def test_delete_profile_object_type_removes_it(client, shop):
    out = client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Existing")
    assert out["Message"] == "Object type Existing was deleted."
    assert client.list_profile_object_types(DomainName="shop")["Items"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_profile_object_type(DomainName="shop", ObjectTypeName="Existing")
    assert table(shop).key_types == {}


def test_delete_profile_object_type_not_found(client, shop):
    before = state(client, shop)
    with pytest.raises(ClientError) as exc:
        client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Nope")
    assert_error(
        exc, "ResourceNotFoundException", 404, "Object type Nope does not exist in domain shop"
    )
    assert state(client, shop) == before


def test_delete_profile_object_type_keeps_keys_another_type_defines(client, shop):
    shop.put_object_type("shop", "Orders", **with_keys(orderNumber=key("PROFILE")))
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert table(shop).key_types == {"orderKey": "STRING", "_email": "EMAIL_ADDRESS"}


def test_delete_profile_object_type_frees_a_key_for_another_content_type(client, shop):
    params = definition()
    del params["Fields"]["email"]["ContentType"]
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Existing")
    out = client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **params)
    assert "ContentType" not in out["Fields"]["email"]
    assert table(shop).key_types["_email"] == "STRING"


def test_delete_profile_object_type_tells_the_domain_parts_first(client, shop, monkeypatch):
    seen = []
    tell = ObjectStore.on_object_type_deleted

    def recording(self, domain, name):
        seen.append((domain.name, name, domain.part(OBJECT_TYPES).find(name) is not None))
        tell(self, domain, name)

    monkeypatch.setattr(ObjectStore, "on_object_type_deleted", recording)
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Existing")
    assert seen == [("shop", "Existing", True)]  # the type is still there while parts hear


def test_delete_domain_removes_its_object_types(client, shop):
    client.delete_domain(DomainName="shop")
    shop.create_domain("shop")
    assert client.list_profile_object_types(DomainName="shop")["Items"] == []


# -- templates ----------------------------------------------------------------------


def test_list_profile_object_type_templates_lists_the_catalogue_sorted(client):
    items = client.list_profile_object_type_templates()["Items"]
    assert [i["TemplateId"] for i in items] == [
        "CTR",
        "CTR-AutoAssociateOnly",
        "CTR-NoInferred",
        "Marketo-Multi-Lead-Account-Link",
        "Marketo-leads",
        "Salesforce-Account",
        "Salesforce-Asset",
        "Salesforce-Contact",
        "Salesforce-Multi-Asset-Account-Link",
        "Salesforce-Multi-Contact-Account-Link",
        "Segment-Identify",
        "Servicenow-incident",
        "Servicenow-sys_user",
        "Servicenow-task",
        "Shopify-Customer",
        "Shopify-DraftOrder",
        "Shopify-Order",
        "Zendesk-tickets",
        "Zendesk-users",
    ]
    assert items[0] == {"TemplateId": "CTR", "SourceName": "Connect", "SourceObject": "CTR"}


def test_list_profile_object_type_templates_pages(client):
    first = client.list_profile_object_type_templates(MaxResults=3)
    second = client.list_profile_object_type_templates(NextToken=first["NextToken"])
    ids = [i["TemplateId"] for page in (first, second) for i in page["Items"]]
    assert ids == sorted(SHIPPED)
    assert "NextToken" not in second


@pytest.mark.parametrize(
    ("template_id", "creates", "phone"),
    [
        ("CTR", True, []),
        ("CTR-NoInferred", True, ["PROFILE"]),
        ("CTR-AutoAssociateOnly", False, ["PROFILE"]),
    ],
)
def test_get_profile_object_type_template_ctr_family(client, template_id, creates, phone):
    out = client.get_profile_object_type_template(TemplateId=template_id)
    assert out["AllowProfileCreation"] is creates
    assert out["Keys"] == {
        "_ctrContactId": [
            {"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["ContactId"]}
        ],
        "_phone": [{"StandardIdentifiers": phone, "FieldNames": ["CustomerPhone"]}],
    }
    assert out["Fields"]["CustomerPhone"] == {
        "Source": "_source.CustomerEndpoint.Address",
        "Target": "_profile.PhoneNumber",
        "ContentType": "PHONE_NUMBER",
    }
    assert all(f["Source"].startswith("_source.") for f in out["Fields"].values())


def test_get_profile_object_type_template_not_found(client):
    with pytest.raises(ClientError) as exc:
        client.get_profile_object_type_template(TemplateId="Nope")
    assert_error(exc, "ResourceNotFoundException", 404, "Template Nope does not exist")


def test_shipped_templates_pass_the_object_type_rules():
    for template in SHIPPED.values():
        _object_types.check_definition(
            template["Fields"],
            template["Keys"],
            allow_profile_creation=template["AllowProfileCreation"],
            timestamp_format=template.get("SourceLastUpdatedTimestampFormat"),
        )


def test_shipped_templates_share_one_content_type_per_key(client, cp):
    cp.create_domain("shop")
    for template_id in SHIPPED:
        client.put_profile_object_type(
            DomainName="shop",
            ObjectTypeName=f"T{len(template_id)}{template_id[:3]}",
            Description="from a template",
            TemplateId=template_id,
        )
    assert table(cp).key_types["_phone"] == "PHONE_NUMBER"


def test_put_profile_object_type_from_template_answers_its_definition(client, cp):
    cp.create_domain("shop", DefaultExpirationDays=30)
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Calls", Description="Calls", TemplateId="CTR-NoInferred"
    )
    template = client.get_profile_object_type_template(TemplateId="CTR-NoInferred")
    assert out["TemplateId"] == "CTR-NoInferred"
    assert (out["Fields"], out["Keys"]) == (template["Fields"], template["Keys"])
    assert out["AllowProfileCreation"] is True
    assert out["ExpirationDays"] == 30
    assert table(cp).key_types == {"_ctrContactId": "STRING", "_phone": "PHONE_NUMBER"}
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Calls")
    assert answer(got) == answer(out)


MY_TEMPLATE = {
    "SourceName": "MyCRM",
    "SourceObject": "Contact",
    "Fields": {
        "id": {"Source": "_source.id"},
        "mail": {
            "Source": "_source.mail",
            "Target": "_profile.EmailAddress",
            "ContentType": "EMAIL_ADDRESS",
        },
    },
    "Keys": {"crmId": key("UNIQUE", fields=("id",)), "_email": key("PROFILE", fields=("mail",))},
    "AllowProfileCreation": True,
}


def test_register_template_is_listed_got_and_used(client, cp):
    registered = cp.register_template("MyCRM-Contact", **MY_TEMPLATE)
    assert registered == {"TemplateId": "MyCRM-Contact", **MY_TEMPLATE}
    ids = [i["TemplateId"] for i in client.list_profile_object_type_templates()["Items"]]
    assert "MyCRM-Contact" in ids
    assert answer(client.get_profile_object_type_template(TemplateId="MyCRM-Contact")) == registered
    cp.create_domain("shop")
    out = client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Contacts", Description="CRM", TemplateId="MyCRM-Contact"
    )
    assert out["Keys"] == MY_TEMPLATE["Keys"]


def test_register_template_is_per_activation(client, cp):
    with mock_customer_profiles() as other:  # nested: the same activation
        other.register_template("MyCRM-Contact", **MY_TEMPLATE)
    assert client.get_profile_object_type_template(TemplateId="MyCRM-Contact")
    cp.stop()
    with mock_customer_profiles():  # a new activation: shipped templates only
        fresh = boto3.client("customer-profiles", region_name=REGION)
        with pytest.raises(fresh.exceptions.ResourceNotFoundException):
            fresh.get_profile_object_type_template(TemplateId="MyCRM-Contact")
    cp.start()


def test_register_template_replaces_one_and_types_keep_their_copy(client, cp):
    cp.create_domain("shop")
    cp.register_template("MyCRM-Contact", **MY_TEMPLATE)
    cp.put_object_type("shop", "Contacts", Description="CRM", TemplateId="MyCRM-Contact")
    cp.register_template("MyCRM-Contact", **{**MY_TEMPLATE, "AllowProfileCreation": False})
    template = client.get_profile_object_type_template(TemplateId="MyCRM-Contact")
    assert template["AllowProfileCreation"] is False
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Contacts")
    assert got["AllowProfileCreation"] is True


def test_register_template_applies_the_object_type_rules(cp):
    keys = {"crmId": key("PROFILE", fields=("id",))}
    with pytest.raises(ValueError) as exc:
        cp.register_template("Bad", **{**MY_TEMPLATE, "Keys": keys})
    assert str(exc.value) == (
        "register_template(): template Bad: Keys must have exactly one UNIQUE key, found 0"
    )
    with pytest.raises(ValueError) as exc:
        cp.register_template("Bad id", **MY_TEMPLATE)
    assert str(exc.value) == (
        "register_template(): 1 validation error detected: Value 'Bad id' at 'templateId' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "^[a-zA-Z0-9_-]+$"
    )
    with pytest.raises(ValueError) as exc:
        cp.register_template("Bad", **{**MY_TEMPLATE, "Keys": None})
    assert str(exc.value) == "register_template(): Keys is required"
    fields = {"id": {"Sorce": "_source.id"}}
    with pytest.raises(ValueError) as exc:
        cp.register_template("Bad", **{**MY_TEMPLATE, "Fields": fields})
    assert str(exc.value).startswith(
        "register_template() got an unknown field 'Fields.id.Sorce'. Did you mean "
        "'Fields.id.Source'?"
    )


# -- the interface ingestion builds on ----------------------------------------------


def test_resolve_gives_the_defined_type_then_an_implicit_template_type(cp):
    cp.create_domain("shop")
    cp.register_template("MyCRM-Contact", **MY_TEMPLATE)
    cp.put_object_type("shop", "Orders", **definition(**PRIORITY))
    types = table(cp)
    templates = catalogue(cp._state().templates)  # as a request of cp's activation sees them
    orders = types.resolve("Orders", templates)
    implicit = types.resolve("MyCRM-Contact", templates)
    assert types.resolve("Nope", templates) is None
    assert orders is types.find("Orders")
    assert (orders.fields, orders.keys) == (definition()["Fields"], definition()["Keys"])
    assert orders.allow_profile_creation is False
    assert orders.source_priority == PRIORITY.get("SourcePriority")
    assert orders.template_id is None
    assert orders.key_content_type("_email") == "EMAIL_ADDRESS"
    assert implicit.implicit
    assert types.find("MyCRM-Contact") is None
    assert (implicit.fields, implicit.keys) == (MY_TEMPLATE["Fields"], MY_TEMPLATE["Keys"])
    assert (implicit.allow_profile_creation, implicit.template_id) == (True, "MyCRM-Contact")


def test_resolve_without_registered_templates_sees_the_shipped_ones(cp):
    cp.create_domain("shop")
    ctr = table(cp).resolve("CTR-AutoAssociateOnly", catalogue({}))
    assert ctr.allow_profile_creation is False
    assert ctr.keys["_ctrContactId"] == key("UNIQUE", "PROFILE", fields=("ContactId",))


def test_keep_stores_an_implicit_type(client, cp):
    cp.create_domain("shop")
    types = table(cp)
    types.keep(types.resolve("CTR", catalogue({})))
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="CTR")
    assert got["TemplateId"] == "CTR"
    assert types.key_types == {"_ctrContactId": "STRING", "_phone": "PHONE_NUMBER"}


def test_template_type_exposes_the_template_definition(cp):
    cp.create_domain("shop")
    cp.put_object_type("shop", "Calls", Description="Calls", TemplateId="CTR")
    calls = table(cp).find("Calls")
    assert calls.template_id == "CTR"
    assert calls.fields == SHIPPED["CTR"]["Fields"]
    assert calls.keys == SHIPPED["CTR"]["Keys"]
    assert calls.allow_profile_creation is True


@pytest.mark.parametrize(
    ("region", "partition"),
    [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")],
)
def test_object_type_arn(cp, region, partition):
    cp.create_domain("shop", region=region)
    cp.put_object_type("shop", "Orders", region=region, Tags={"k": "v"}, **definition())
    orders = (
        cp._store().region(ACCOUNT_ID, region).domains.get("shop").part(OBJECT_TYPES).find("Orders")
    )
    assert (
        orders.arn
        == f"arn:{partition}:profile:{region}:{ACCOUNT_ID}:domains/shop/object-types/Orders"
    )
    assert orders.tags == {"k": "v"}


# -- snapshots ------------------------------------------------------------------------


def test_snapshot_restore_keeps_object_types(client, shop):
    before = state(client, shop)
    snap = shop.snapshot()
    client.delete_profile_object_type(DomainName="shop", ObjectTypeName="Existing")
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Orders", **definition())
    shop.restore(snap)
    assert state(client, shop) == before
    client.put_profile_object_type(
        DomainName="shop", ObjectTypeName="Existing", **definition(Description="Changed")
    )
    shop.restore(snap)  # the snapshot did not change with the restored state
    assert state(client, shop) == before


def test_restore_keeps_registered_templates(client, cp):
    snap = cp.snapshot()
    cp.register_template("MyCRM-Contact", **MY_TEMPLATE)
    cp.restore(snap)
    assert (
        client.get_profile_object_type_template(TemplateId="MyCRM-Contact")["SourceName"] == "MyCRM"
    )


# -- the handle -----------------------------------------------------------------------


def test_handle_put_object_type_returns_the_api_answer(client, shop):
    out = shop.put_object_type("shop", "Orders", **definition())
    assert isinstance(out["CreatedAt"], datetime.datetime)
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert answer(got) == out


def test_handle_put_object_type_stores_a_copy(client, shop):
    params = definition()
    shop.put_object_type("shop", "Orders", **params)
    params["Fields"]["orderId"]["Source"] = "_source.changed"
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert got["Fields"]["orderId"]["Source"] == "_source.id"


def test_handle_put_object_type_names_the_rule(shop):
    with pytest.raises(ValueError) as exc:
        shop.put_object_type("shop", "Orders", **definition(Keys={"orderKey": key("UNIQUE")}))
    assert str(exc.value) == "put_object_type(): Keys must have at least one PROFILE key"
    assert shop.object_types("shop") == ["Existing"]


def test_handle_put_object_type_suggests_a_misspelt_field(shop):
    params = definition()
    params["Feilds"] = params.pop("Fields")
    with pytest.raises(ValueError) as exc:
        shop.put_object_type("shop", "Orders", **params)
    fields = sorted(set(PUT_MEMBERS) - {"DomainName", "ObjectTypeName"})
    assert "SourceLastUpdatedTimestampFormat" in fields
    assert str(exc.value) == (
        "put_object_type() got an unknown field 'Feilds'. Did you mean 'Fields'? "
        f"PutProfileObjectType fields: {', '.join(fields)}."
    )


def test_handle_put_object_type_suggests_a_misspelt_nested_field(shop):
    params = definition()
    params["Keys"]["orderKey"] = [{"StandardIdentifiers": ["UNIQUE"], "FieldName": ["orderId"]}]
    with pytest.raises(ValueError) as exc:
        shop.put_object_type("shop", "Orders", **params)
    assert str(exc.value) == (
        "put_object_type() got an unknown field 'Keys.orderKey[0].FieldName'. Did you mean "
        "'Keys.orderKey[0].FieldNames'? Keys.orderKey[0] fields: FieldNames, StandardIdentifiers."
    )


def test_handle_put_object_type_model_violation(shop):
    with pytest.raises(ValueError) as exc:
        shop.put_object_type("shop", "Bad name", **definition())
    assert str(exc.value) == (
        "put_object_type(): 1 validation error detected: Value 'Bad name' at 'objectTypeName' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "^[a-zA-Z_][a-zA-Z_0-9-]*$"
    )


def test_handle_put_object_type_missing_domain(cp):
    with pytest.raises(ValueError) as exc:
        cp.put_object_type("nope", "Orders", **definition())
    assert str(exc.value) == (
        "put_object_type(): domain 'nope' does not exist in account 123456789012, region "
        "us-east-1. Create it first with cp.create_domain('nope')."
    )


def test_handle_object_types_lists_names_sorted(shop):
    shop.put_object_type("shop", "Alpha", **definition())
    assert shop.object_types("shop") == ["Alpha", "Existing"]


def test_handle_object_type_methods_need_an_active_mock():
    cp = mock_customer_profiles()
    with pytest.raises(MockStateError):
        cp.put_object_type("shop", "Orders", **definition())
    with pytest.raises(MockStateError):
        cp.register_template("MyCRM-Contact", **MY_TEMPLATE)


# -- load() ---------------------------------------------------------------------------


def test_load_seeds_object_types_before_profiles(client, cp):
    ids = cp.load(
        {
            "domains": [
                {
                    "DomainName": "shop",
                    "DefaultExpirationDays": 30,
                    "object_types": {
                        "Orders": definition(),
                        "Calls": {"Description": "Calls", "TemplateId": "CTR-NoInferred"},
                    },
                    "profiles": [{"FirstName": "Ann"}],
                }
            ]
        }
    )
    assert len(ids["shop"]) == 1
    assert cp.object_types("shop") == ["Calls", "Orders"]
    got = client.get_profile_object_type(DomainName="shop", ObjectTypeName="Orders")
    assert got["ExpirationDays"] == 30


def test_load_object_type_mistake_names_its_path_and_loads_nothing(cp, tmp_path):
    seed = tmp_path / "seed.json"
    calls = {"Description": "Calls", "TemplateID": "CTR"}
    seed.write_text(
        json.dumps({"domains": [{"DomainName": "shop", "object_types": {"Calls": calls}}]})
    )
    with pytest.raises(ValueError) as exc:
        cp.load(seed)
    assert str(exc.value).startswith(
        f"load(): {seed}: domains[0].object_types.Calls got an unknown field 'TemplateID'. Did "
        "you mean 'TemplateId'?"
    )
    assert cp.domains() == []


def test_load_object_type_rule_names_its_path(cp):
    bad = definition(Keys={"orderKey": key("UNIQUE")})
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "object_types": {"Orders": bad}}]})
    assert str(exc.value) == (
        "load(): domains[0].object_types.Orders: Keys must have at least one PROFILE key"
    )
    assert cp.domains() == []


def test_load_object_types_must_map_names_to_fields(cp):
    with pytest.raises(ValueError) as exc:
        cp.load({"domains": [{"DomainName": "shop", "object_types": [definition()]}]})
    assert str(exc.value) == (
        "load(): domains[0]: object_types must be an object of object type names to "
        "PutProfileObjectType fields"
    )


def test_load_uses_registered_templates(cp):
    cp.register_template("MyCRM-Contact", **MY_TEMPLATE)
    types = {"Contacts": {"Description": "CRM", "TemplateId": "MyCRM-Contact"}}
    cp.load({"domains": [{"DomainName": "shop", "object_types": types}]})
    assert cp.object_types("shop") == ["Contacts"]
