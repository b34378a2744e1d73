"""Eventual consistency through real boto3 clients (core/consistency.py): under
consistency="eventual", or a cp.lag() fault, a write answers at once and later writes
see it, but reads of its domain do not until lag_seconds have passed on the mock's
clock; writes become seen in order; cp.settle() makes every one seen. AWS queues
ingestion and runs merges as jobs (issue 16, "AWS's lag, made testable"); which writes
lag and for how long is INFERRED."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles

REGION = "us-east-1"


def new_client():
    return boto3.client("customer-profiles", region_name=REGION)


def search(client, email):
    out = client.search_profiles(DomainName="shop", KeyName="_email", Values=[email])
    return [item["ProfileId"] for item in out["Items"]]


@pytest.fixture
def clock():
    return VirtualClock()


@pytest.fixture
def eventual(clock):
    with mock_customer_profiles(clock=clock, consistency="eventual", lag_seconds=2) as cp:
        cp.create_domain("shop")
        yield cp


def test_eventual_create_profile_is_not_found_until_its_lag_has_passed(eventual, clock):
    # [INF] Terraform's provider retries the read after CreateProfile: a read may miss it
    client = new_client()
    profile_id = client.create_profile(DomainName="shop", EmailAddress="ann@x.io")["ProfileId"]
    assert search(client, "ann@x.io") == []
    clock.advance(1.9)
    assert search(client, "ann@x.io") == []
    clock.advance(0.1)
    assert search(client, "ann@x.io") == [profile_id]


def test_eventual_write_is_seen_by_later_writes_at_once(eventual):
    # [INF] only reads lag: the write is made, so an update of the new profile works
    client = new_client()
    profile_id = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
    out = client.update_profile(DomainName="shop", ProfileId=profile_id, LastName="Lee")
    assert out["ProfileId"] == profile_id
    eventual.settle()
    (profile,) = client.batch_get_profile(DomainName="shop", ProfileIds=[profile_id])["Profiles"]
    assert (profile["FirstName"], profile["LastName"]) == ("Ann", "Lee")


def test_eventual_writes_become_seen_in_the_order_they_were_made(eventual, clock):
    client = new_client()
    first = client.create_profile(DomainName="shop", EmailAddress="a@x.io")["ProfileId"]
    clock.advance(1)
    second = client.create_profile(DomainName="shop", EmailAddress="b@x.io")["ProfileId"]
    clock.advance(1)  # the first has settled, the second not
    assert (search(client, "a@x.io"), search(client, "b@x.io")) == ([first], [])
    clock.advance(1)
    assert search(client, "b@x.io") == [second]


def test_eventual_delete_profile_still_finds_it_until_settled(eventual):
    client = new_client()
    profile_id = eventual.create_profile("shop", EmailAddress="ann@x.io")
    client.delete_profile(DomainName="shop", ProfileId=profile_id)
    assert search(client, "ann@x.io") == [profile_id]
    eventual.settle()
    assert search(client, "ann@x.io") == []


def test_settle_makes_every_write_seen_without_moving_the_clock(eventual, clock):
    client = new_client()
    profile_id = client.create_profile(DomainName="shop", EmailAddress="ann@x.io")["ProfileId"]
    eventual.settle()
    assert clock.time() == 0
    assert search(client, "ann@x.io") == [profile_id]


def test_eventual_refused_write_leaves_nothing_to_settle(eventual):
    client = new_client()
    with pytest.raises(ClientError) as excinfo:
        client.update_profile(DomainName="shop", ProfileId="0" * 32, FirstName="Ann")
    assert excinfo.value.response["Error"]["Code"] == "ResourceNotFoundException"
    profile_id = eventual.create_profile("shop", EmailAddress="ann@x.io")
    assert search(client, "ann@x.io") == [profile_id]


def test_handle_reads_see_the_written_state(eventual):
    # the handle inspects what the mock holds, lag or not
    client = new_client()
    profile_id = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
    assert [p["ProfileId"] for p in eventual.profiles("shop")] == [profile_id]


def test_immediate_consistency_is_the_default(clock):
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        client = new_client()
        profile_id = client.create_profile(DomainName="shop", EmailAddress="a@x.io")["ProfileId"]
        assert search(client, "a@x.io") == [profile_id]


def test_lagged_operations_chooses_the_writes_that_lag(clock):
    with mock_customer_profiles(
        clock=clock, consistency="eventual", lagged_operations=["UpdateProfile"]
    ) as cp:
        cp.create_domain("shop")
        client = new_client()
        profile_id = client.create_profile(DomainName="shop", EmailAddress="a@x.io")["ProfileId"]
        assert search(client, "a@x.io") == [profile_id]  # CreateProfile is not lagged
        client.update_profile(DomainName="shop", ProfileId=profile_id, EmailAddress="b@x.io")
        assert (search(client, "a@x.io"), search(client, "b@x.io")) == ([profile_id], [])


def test_lag_fault_lags_one_operation_in_one_domain(cp, client):
    cp.create_domain("shop")
    cp.create_domain("other")
    cp.lag(5, "CreateProfile", domain="shop")
    in_shop = client.create_profile(DomainName="shop", EmailAddress="a@x.io")["ProfileId"]
    in_other = client.create_profile(DomainName="other", EmailAddress="a@x.io")["ProfileId"]
    found = client.search_profiles(DomainName="other", KeyName="_email", Values=["a@x.io"])
    assert [i["ProfileId"] for i in found["Items"]] == [in_other]
    assert search(client, "a@x.io") == []
    cp.settle()
    assert search(client, "a@x.io") == [in_shop]


def test_lag_fault_with_times_lags_only_that_many_writes(cp, client):
    cp.create_domain("shop")
    fault = cp.lag(60, "CreateProfile", times=1)
    client.create_profile(DomainName="shop", EmailAddress="a@x.io")
    cp.settle()
    second = client.create_profile(DomainName="shop", EmailAddress="b@x.io")["ProfileId"]
    assert search(client, "b@x.io") == [second]
    assert fault.triggered == 1


def test_lag_fault_on_a_read_is_refused(cp):
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.lag(1, "SearchProfiles")
    assert str(excinfo.value) == (
        "lag() applies to writes, and SearchProfiles is a read: name the write whose result "
        "the read should not see yet (for example PutProfileObject)"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"consistency": "strong"},
            "consistency must be 'immediate' or 'eventual', got 'strong'",
        ),
        (
            {"lagged_operations": ["CreateProfile"]},
            "lagged_operations only applies with consistency='eventual': pass that too "
            "(or cp.lag(seconds, operation) to lag chosen writes)",
        ),
        (
            {"lag_seconds": 5},
            "lag_seconds only applies with consistency='eventual': pass that too "
            "(or cp.lag(seconds, operation) to lag chosen writes)",
        ),
        (
            {"consistency": "eventual", "lagged_operations": ["GetDomain"]},
            "lagged_operations names writes, and GetDomain is a read: name the write whose "
            "result reads should not see yet (for example PutProfileObject)",
        ),
        (
            {"consistency": "eventual", "lag_seconds": -1},
            "lag_seconds must be a number of seconds, 0 or more, got -1",
        ),
    ],
)
def test_consistency_options_are_checked(options, message):
    with pytest.raises(InvalidArgumentError) as excinfo:
        mock_customer_profiles(**options)
    assert str(excinfo.value) == message


def test_lagged_operation_name_gets_a_suggestion():
    with pytest.raises(InvalidArgumentError) as excinfo:
        mock_customer_profiles(consistency="eventual", lagged_operations=["CreateProfiles"])
    assert "Did you mean 'CreateProfile'?" in str(excinfo.value)


def test_read_after_write_bug_is_caught_under_eventual_consistency(eventual):
    # The docs' example: code that reads right after it writes fails under the lag,
    # code that waits for the write passes.
    client = new_client()

    def register(email):
        client.create_profile(DomainName="shop", EmailAddress=email)
        return search(client, email)[0]  # the bug: assumes the read sees the write

    with pytest.raises(IndexError):
        register("ann@x.io")


def test_eventual_write_hides_only_what_it_changed(eventual, clock):
    # An object type (another part of the domain) made after a lagged profile write is
    # read at once; the profile is not seen until the lag passes.
    client = new_client()
    client.create_profile(DomainName="shop", EmailAddress="ann@x.io")
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Order",
        Description="orders",
        Fields={"id": {"Source": "_source.id"}},
        Keys={"id": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
    )
    listed = client.list_profile_object_types(DomainName="shop")["Items"]
    assert [item["ObjectTypeName"] for item in listed] == ["Order"]
    assert search(client, "ann@x.io") == []


ORDERS = {
    "Description": "orders",
    "AllowProfileCreation": True,
    "Fields": {
        "id": {"Source": "_source.id"},
        "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
        "total": {"Source": "_source.total"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def test_eventual_delete_profile_hides_what_its_cascade_changed(eventual):
    # The objects DeleteProfile drops (a cascade to another part) are still read until
    # the deletion settles, as the profile is.
    client = new_client()
    eventual.put_object_type("shop", "Order", **ORDERS)
    profile_id = eventual.create_profile("shop", EmailAddress="ann@x.io")
    eventual.put_object("shop", "Order", {"id": "1", "email": "ann@x.io", "total": "5"})
    client.delete_profile(DomainName="shop", ProfileId=profile_id)
    listed = client.list_profile_objects(
        DomainName="shop", ObjectTypeName="Order", ProfileId=profile_id
    )
    assert (search(client, "ann@x.io"), len(listed["Items"])) == ([profile_id], 1)


def test_eventual_write_leaves_a_trigger_made_after_it_readable(eventual):
    # A part that heard the write but did not change for it (no trigger fired) reads live.
    client = new_client()
    eventual.put_object_type("shop", "Order", **ORDERS)
    client.create_profile(DomainName="shop", FirstName="Bob")
    condition = {
        "EventTriggerDimensions": [
            {
                "ObjectAttributes": [
                    {"FieldName": "total", "ComparisonOperator": "GREATER_THAN", "Values": ["1"]}
                ]
            }
        ],
        "LogicalOperator": "ALL",
    }
    client.create_event_trigger(
        DomainName="shop",
        EventTriggerName="t",
        ObjectTypeName="Order",
        EventTriggerConditions=[condition],
    )
    assert client.get_event_trigger(DomainName="shop", EventTriggerName="t")["ObjectTypeName"] == (
        "Order"
    )


def test_segment_read_during_a_lag_sees_the_settled_state_after_it(eventual, clock):
    # A segment evaluated while a write lags must not keep the lagging view afterwards.
    client = new_client()
    ana = eventual.create_profile("shop", EmailAddress="ana@example.com")
    eventual.put_object_type("shop", "Order", **ORDERS)
    client.create_calculated_attribute_definition(
        DomainName="shop",
        CalculatedAttributeName="spent",
        AttributeDetails={"Attributes": [{"Name": "total"}], "Expression": "{Order.total}"},
        Statistic="SUM",
    )
    client.create_segment_definition(
        DomainName="shop",
        SegmentDefinitionName="big",
        DisplayName="Big",
        SegmentGroups={
            "Groups": [
                {
                    "Dimensions": [
                        {
                            "CalculatedAttributes": {
                                "spent": {"DimensionType": "GREATER_THAN", "Values": ["100"]}
                            }
                        }
                    ]
                }
            ]
        },
    )
    order = '{"id": "o1", "email": "ana@example.com", "total": 500}'
    client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=order)

    def membership():
        out = client.get_segment_membership(
            DomainName="shop", SegmentDefinitionName="big", ProfileIds=[ana]
        )
        return out["Profiles"][0]["QueryResult"]

    assert membership() == "ABSENT"  # the order is not seen yet
    eventual.settle()
    assert membership() == "PRESENT"
