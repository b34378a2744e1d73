"""TagResource, UntagResource and ListTagsForResource through real boto3 clients."""

from __future__ import annotations

import boto3
import pytest

from customer_profiles_mock import (
    InvalidArgumentError,
    InvalidTypeError,
    MockStateError,
    mock_customer_profiles,
)
from customer_profiles_mock.features.object_types.models import ObjectType, ObjectTypeTable
from customer_profiles_mock.wire.arns import object_type_arn

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
SHOP_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop"


def _status(response):
    return response["ResponseMetadata"]["HTTPStatusCode"]


def _not_found(arn):
    return {"Code": "ResourceNotFoundException", "Message": f"Resource {arn} does not exist"}


def _tags(client, arn=SHOP_ARN):
    return client.list_tags_for_resource(resourceArn=arn)["tags"]


@pytest.fixture
def shop(cp):
    cp.create_domain("shop", Tags={"team": "crm"})
    return "shop"


def test_tag_resource_adds_tags_to_a_domain(client, shop):
    out = client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    assert _status(out) == 200
    assert set(out) == {"ResponseMetadata"}
    assert out["ResponseMetadata"]["HTTPHeaders"]["content-length"] == "2"  # {}
    assert _tags(client) == {"team": "crm", "env": "test"}


def test_tag_resource_overwrites_existing_keys(client, shop):
    client.tag_resource(resourceArn=SHOP_ARN, tags={"team": "data", "env": "test"})
    assert _tags(client) == {"team": "data", "env": "test"}


def test_untag_resource_removes_the_keys(client, shop):
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test", "cost": "42"})
    out = client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team", "cost"])
    assert _status(out) == 200
    assert set(out) == {"ResponseMetadata"}
    assert out["ResponseMetadata"]["HTTPHeaders"]["content-length"] == "2"  # {}
    assert _tags(client) == {"env": "test"}


def test_untag_resource_absent_key_is_a_no_op(client, shop):
    out = client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["nope"])
    assert _status(out) == 200
    assert _tags(client) == {"team": "crm"}


def test_untag_resource_sends_every_key_in_the_query(client, shop):
    sent = []
    client.meta.events.register(
        "before-send.customer-profiles", lambda request, **kw: sent.append(request.url)
    )
    client.tag_resource(resourceArn=SHOP_ARN, tags={"a": "1", "b": "2"})
    client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["a", "b"])
    assert sent[-1].endswith("?tagKeys=a&tagKeys=b")
    assert _tags(client) == {"team": "crm"}


def test_list_tags_for_resource_without_tags_is_an_empty_map(client, cp):
    cp.create_domain("plain")
    out = client.list_tags_for_resource(resourceArn=SHOP_ARN.replace("shop", "plain"))
    assert _status(out) == 200
    assert out["tags"] == {}


def test_untag_resource_of_every_key_leaves_an_empty_map(client, shop):
    client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team"])
    assert _tags(client) == {}
    assert "Tags" not in client.get_domain(DomainName="shop")


def test_tag_resource_up_to_50_in_total(client, shop):
    more = {f"k{i}": "v" for i in range(49)}
    client.tag_resource(resourceArn=SHOP_ARN, tags=more)
    client.tag_resource(resourceArn=SHOP_ARN, tags={"team": "data", "k0": "w"})  # overwrites
    assert len(_tags(client)) == 50


def test_tag_resource_more_than_50_in_total(client, shop):
    client.tag_resource(resourceArn=SHOP_ARN, tags={f"k{i}": "v" for i in range(45)})
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.tag_resource(
            resourceArn=SHOP_ARN, tags={f"n{i}": "v" for i in range(5)} | {"k0": "w"}
        )
    assert exc.value.response["Error"] == {
        "Code": "BadRequestException",
        "Message": f"Resource {SHOP_ARN} can have at most 50 tags; this request would give it 51",
    }
    assert _status(exc.value.response) == 400
    tags = _tags(client)
    assert len(tags) == 46
    assert tags["k0"] == "v"  # nothing of the refused request was applied


def test_tag_resource_more_than_50_in_one_request(client, shop):
    many = {f"k{i}": "v" for i in range(51)}
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.tag_resource(resourceArn=SHOP_ARN, tags=many)
    shown = "{" + ", ".join(f"{k}=v" for k in many) + "}"
    assert exc.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{shown}' at 'tags' failed to satisfy "
        "constraint: Member must have length less than or equal to 50"
    )
    assert _tags(client) == {"team": "crm"}


def test_tag_resource_aws_prefixed_key_is_rejected(client, shop):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.tag_resource(resourceArn=SHOP_ARN, tags={"aws:owner": "me"})
    assert exc.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '{aws:owner=me}' at 'tags' failed to satisfy "
        "constraint: Map keys must satisfy constraint: [Member must satisfy regular "
        "expression pattern: ^(?!aws:)[a-zA-Z+-=._:/]+$]"
    )
    assert _tags(client) == {"team": "crm"}


def test_tag_resource_arn_not_of_customer_profiles_is_rejected(client, shop):
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.tag_resource(resourceArn="arn:aws:s3:::shop", tags={"env": "test"})
    assert exc.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'arn:aws:s3:::shop' at 'resourceArn' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: "
        "^arn:[a-z0-9]{1,10}:profile"
    )
    assert _status(exc.value.response) == 400


def test_tag_resource_unknown_domain_is_not_found(client, shop):
    arn = SHOP_ARN.replace("shop", "nope")
    for call in (
        lambda: client.tag_resource(resourceArn=arn, tags={"env": "test"}),
        lambda: client.untag_resource(resourceArn=arn, tagKeys=["team"]),
        lambda: client.list_tags_for_resource(resourceArn=arn),
    ):
        with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
            call()
        assert exc.value.response["Error"] == _not_found(arn)
        assert _status(exc.value.response) == 404
    assert _tags(client) == {"team": "crm"}


def test_tag_resource_deleted_domain_is_not_found_and_its_tags_are_gone(client, shop):
    client.delete_domain(DomainName="shop")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.list_tags_for_resource(resourceArn=SHOP_ARN)
    assert exc.value.response["Error"] == _not_found(SHOP_ARN)
    client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    assert _tags(client) == {}


def test_tag_resource_arn_in_another_region_is_not_found(client, cp, shop):
    cp.create_domain("shop", region="us-west-2", Tags={"where": "west"})
    west_arn = f"arn:aws:profile:us-west-2:{ACCOUNT_ID}:domains/shop"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.tag_resource(resourceArn=west_arn, tags={"env": "test"})
    assert exc.value.response["Error"] == _not_found(west_arn)
    assert _status(exc.value.response) == 404
    west = boto3.client("customer-profiles", region_name="us-west-2")
    assert _tags(west, west_arn) == {"where": "west"}
    assert _tags(client) == {"team": "crm"}


def test_tag_resource_arn_in_another_account_is_not_found(client, cp, shop):
    cp.create_domain("shop", account_id="111122223333", Tags={"whose": "theirs"})
    theirs = f"arn:aws:profile:{REGION}:111122223333:domains/shop"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.untag_resource(resourceArn=theirs, tagKeys=["whose"])
    assert exc.value.response["Error"] == _not_found(theirs)
    assert _status(exc.value.response) == 404
    with mock_customer_profiles(account_id="111122223333"):  # served in their account
        assert _tags(client, theirs) == {"whose": "theirs"}


def test_tag_resource_arn_of_another_partition_is_not_found(cp):
    china = boto3.client("customer-profiles", region_name="cn-north-1")
    china.create_domain(DomainName="shop", DefaultExpirationDays=30, Tags={"team": "crm"})
    wrong = f"arn:aws:profile:cn-north-1:{ACCOUNT_ID}:domains/shop"  # cn-north-1 is aws-cn
    with pytest.raises(china.exceptions.ResourceNotFoundException) as exc:
        china.tag_resource(resourceArn=wrong, tags={"env": "test"})
    assert exc.value.response["Error"] == _not_found(wrong)
    assert _status(exc.value.response) == 404
    assert china.get_domain(DomainName="shop")["Tags"] == {"team": "crm"}


@pytest.mark.parametrize(
    ("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]
)
def test_tag_resource_arn_of_a_partition_with_a_hyphen_breaks_the_model_pattern(
    cp, region, partition
):
    # The model's pattern allows no "-" in the partition, so the service refuses the ARNs
    # of its own domains there (the mock follows the model).
    client = boto3.client("customer-profiles", region_name=region)
    client.create_domain(DomainName="shop", DefaultExpirationDays=30, Tags={"team": "crm"})
    arn = f"arn:{partition}:profile:{region}:{ACCOUNT_ID}:domains/shop"
    with pytest.raises(client.exceptions.BadRequestException) as exc:
        client.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert exc.value.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{arn}' at 'resourceArn' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: ^arn:[a-z0-9]{1,10}:profile"
    )
    assert _status(exc.value.response) == 400
    assert client.get_domain(DomainName="shop")["Tags"] == {"team": "crm"}


def test_tag_resource_percent_encodes_the_arn_in_the_uri(client, cp, shop):
    sent = []
    client.meta.events.register(
        "before-send.customer-profiles", lambda request, **kw: sent.append(request.url)
    )
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    encoded = SHOP_ARN.replace(":", "%3A").replace("/", "%2F")
    assert sent[0].endswith(f"/tags/{encoded}")
    assert cp.calls_for("TagResource")[0].params["resourceArn"] == SHOP_ARN
    assert _tags(client) == {"team": "crm", "env": "test"}


def test_tags_show_in_get_domain_and_list_domains(client, cp, shop):
    cp.create_domain("bare")
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    assert client.get_domain(DomainName="shop")["Tags"] == {"team": "crm", "env": "test"}
    items = {d["DomainName"]: d for d in client.list_domains()["Items"]}
    assert items["shop"]["Tags"] == {"team": "crm", "env": "test"}
    assert "Tags" not in items["bare"]


def test_tag_resource_object_type_that_does_not_exist_is_not_found(client, shop):
    arn = f"{SHOP_ARN}/object-types/Order"
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert exc.value.response["Error"] == _not_found(arn)
    assert _status(exc.value.response) == 404


def test_tag_resource_tags_an_object_type(client, shop, monkeypatch):
    # Object types are another feature's: stand one in through ObjectTypeTable.find.
    arn = object_type_arn(REGION, ACCOUNT_ID, "shop", "Order")
    order = ObjectType("Order", arn, {"Description": "orders"})
    monkeypatch.setattr(
        ObjectTypeTable, "find", lambda self, name: order if name == "Order" else None
    )
    assert arn == f"{SHOP_ARN}/object-types/Order"
    client.tag_resource(resourceArn=arn, tags={"env": "test"})
    client.tag_resource(resourceArn=arn, tags={"pii": "no"})
    client.untag_resource(resourceArn=arn, tagKeys=["pii"])
    assert _tags(client, arn) == {"env": "test"}
    assert order.tags == {"env": "test"}
    assert _tags(client) == {"team": "crm"}  # the domain's own are apart


def test_tag_resource_kind_the_mock_does_not_store_is_not_found(client, shop):
    for path in (
        "integrations/arn:aws:flow:us-east-1:123456789012:flow/orders",
        "event-streams/stream",
        "object-types/",
        "",
    ):
        arn = f"{SHOP_ARN}/{path}"
        with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
            client.list_tags_for_resource(resourceArn=arn)
        assert exc.value.response["Error"] == _not_found(arn)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:profile",
        f"arn:aws:profile:{REGION}:{ACCOUNT_ID}",
        f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:shop",
        f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:profiles/shop",
        f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains",
        f"arn:aws:profile::{ACCOUNT_ID}:domains/shop",
        f"arn:aws:profile:{REGION}::domains/shop",
    ],
)
def test_tag_resource_arn_naming_no_resource_is_not_found(client, shop, arn):
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.tag_resource(resourceArn=arn, tags={"env": "test"})
    assert exc.value.response["Error"] == _not_found(arn)
    assert _tags(client) == {"team": "crm"}


def test_snapshot_keeps_tags(client, cp, shop):
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    snap = cp.snapshot()
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "prod", "extra": "1"})
    client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team"])
    cp.restore(snap)
    assert _tags(client) == {"team": "crm", "env": "test"}
    client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team", "env"])
    cp.restore(snap)  # the snapshot was not changed through the restored state
    assert client.get_domain(DomainName="shop")["Tags"] == {"team": "crm", "env": "test"}


def test_denied_tag_resource_names_the_arn_and_changes_nothing(client, cp, shop):
    cp.deny("TagResource", times=1)
    with pytest.raises(client.exceptions.AccessDeniedException) as exc:
        client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    assert exc.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/test-user is not authorized to perform: "
        f"profile:TagResource on resource: {SHOP_ARN}"
    )
    assert _status(exc.value.response) == 403
    assert _tags(client) == {"team": "crm"}


def test_injected_not_found_on_untag_resource_names_the_arn(client, cp, shop):
    cp.inject_error("ResourceNotFoundException", "UntagResource", times=1)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team"])
    assert exc.value.response["Error"] == _not_found(SHOP_ARN)
    assert _tags(client) == {"team": "crm"}


def test_throttled_list_tags_for_resource_is_retried(client, cp, shop):
    cp.throttle("ListTagsForResource", times=2)
    out = client.list_tags_for_resource(resourceArn=SHOP_ARN)
    assert out["tags"] == {"team": "crm"}
    assert out["ResponseMetadata"]["RetryAttempts"] == 2


# -- the handle's cp.tags(arn) ---------------------------------------------------------


def test_handle_tags_reads_what_the_api_wrote(client, cp, shop):
    client.tag_resource(resourceArn=SHOP_ARN, tags={"env": "test"})
    assert cp.tags(SHOP_ARN) == {"team": "crm", "env": "test"}
    client.untag_resource(resourceArn=SHOP_ARN, tagKeys=["team", "env"])
    assert cp.tags(SHOP_ARN) == {}


def test_handle_tags_is_a_copy(client, cp, shop):
    cp.tags(SHOP_ARN)["team"] = "changed"
    assert _tags(client) == {"team": "crm"}


def test_handle_tags_looks_in_the_account_and_region_of_the_arn(cp):
    cp.create_domain("shop", region="cn-north-1", account_id="111122223333", Tags={"a": "1"})
    assert cp.tags("arn:aws-cn:profile:cn-north-1:111122223333:domains/shop") == {"a": "1"}


def test_handle_tags_of_an_object_type(cp, shop, monkeypatch):
    arn = f"{SHOP_ARN}/object-types/Order"
    order = ObjectType("Order", arn, {})
    order.tags["pii"] = "no"
    monkeypatch.setattr(
        ObjectTypeTable, "find", lambda self, name: order if name == "Order" else None
    )
    assert cp.tags(arn) == {"pii": "no"}


def test_handle_tags_no_such_resource(cp, shop):
    arn = SHOP_ARN.replace("shop", "nope")
    with pytest.raises(InvalidArgumentError) as exc:
        cp.tags(arn)
    assert str(exc.value) == (
        f"tags(): no resource has the ARN '{arn}' in account {ACCOUNT_ID}, region {REGION}."
    )


def test_handle_tags_wrong_partition_says_the_right_one(cp):
    cp.create_domain("shop", region="cn-north-1")
    arn = f"arn:aws:profile:cn-north-1:{ACCOUNT_ID}:domains/shop"
    with pytest.raises(InvalidArgumentError) as exc:
        cp.tags(arn)
    assert str(exc.value) == (
        f"tags(): no resource has the ARN '{arn}' in account {ACCOUNT_ID}, region cn-north-1 "
        "(whose partition is 'aws-cn')."
    )


@pytest.mark.parametrize(
    "arn",
    ["shop", "arn:aws:s3:::shop", "arn:aws:profile:nowhere:123456789012:domains/shop",
     "arn:aws:profile:us-east-1:42:domains/shop", "arn:aws:profile"],
)  # fmt: skip
def test_handle_tags_not_an_arn(cp, arn):
    with pytest.raises(InvalidArgumentError) as exc:
        cp.tags(arn)
    assert str(exc.value) == (
        f"tags(): {arn!r} is not a Customer Profiles resource ARN such as "
        f"'arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop'"
    )


def test_handle_tags_takes_a_string(cp):
    with pytest.raises(InvalidTypeError) as exc:
        cp.tags(None)
    assert str(exc.value) == "tags() takes a resource ARN (a str), got None"


def test_handle_tags_needs_an_active_mock():
    handle = mock_customer_profiles()
    with pytest.raises(MockStateError):
        handle.tags(SHOP_ARN)
