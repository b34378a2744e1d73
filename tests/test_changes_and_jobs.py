"""The change feed (``Domain.changed`` -> ``DomainPart.on_change``) that profile history,
event streams and event triggers read, and the job schedule (``Context.schedule`` ->
``DomainPart.on_due``) that every asynchronous resource moves on: each change an
operation makes reaches every part once, in order; a job's steps take ``job_seconds`` on
the activation's clock, run before the next call, survive snapshots, and
``cp.settle()`` runs them to their end."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles
from customer_profiles_mock.store.domain import Change, Domain, DomainPart, register_part


class Probe(DomainPart):
    """Records the changes it hears, and runs jobs of three steps: each ``on_due`` moves
    ``steps[key]`` one on and asks again until it is 3."""

    __slots__ = ("changes", "steps")

    def __init__(self, changes: list[Change], steps: dict[str, int]) -> None:
        self.changes = changes
        self.steps = steps

    def freeze(self) -> object:
        return (tuple(self.changes), dict(self.steps))

    def on_change(self, domain: Domain, change: Change) -> None:
        self.changes.append(change)

    def on_due(self, domain: Domain, key: str) -> bool:
        self.steps[key] += 1
        return self.steps[key] < 3


PROBE = register_part(
    "test_probe",
    lambda domain: Probe([], {}),
    lambda domain, frozen: Probe(list(frozen[0]), dict(frozen[1])),
)


def probe(cp: Any, domain: str = "shop") -> Probe:
    """The probe part, after a handle read: as a call, it first runs what is due."""
    cp.profiles(domain)
    region = cp._state().store.region(cp.account_id, cp.region)
    return region.domains.get(domain).part(PROBE)  # type: ignore[no-any-return]


def start_job(cp: Any, key: str, at: float, domain: str = "shop") -> None:
    """What a handler's ``ctx.schedule`` does, at clock time ``at``."""
    region = cp._state().store.region(cp.account_id, cp.region)
    with region.lock:
        found = region.domains.get(domain)
        found.part(PROBE).steps[key] = 0
        region.schedule(at, found, PROBE.name, key)


# -- the change feed -------------------------------------------------------------------


def test_profile_operations_tell_each_change_in_order(cp, client):
    # [MODEL ActionType] the actions the profile history records, one per change
    cp.create_domain("shop")
    first = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    second = client.create_profile(DomainName="shop", FirstName="Bo")["ProfileId"]
    client.update_profile(DomainName="shop", ProfileId=first, LastName="Silva")
    client.add_profile_key(DomainName="shop", ProfileId=first, KeyName="_email", Values=["a@x.io"])
    client.delete_profile_key(
        DomainName="shop", ProfileId=first, KeyName="_email", Values=["a@x.io"]
    )
    client.merge_profiles(DomainName="shop", MainProfileId=first, ProfileIdsToBeMerged=[second])
    client.delete_profile(DomainName="shop", ProfileId=first)
    assert [(c.action, c.profile_id, c.object_type) for c in probe(cp).changes] == [
        ("CREATED", first, "_profile"),
        ("CREATED", second, "_profile"),
        ("UPDATED", first, "_profile"),
        ("ADDED_PROFILE_KEY", first, "_profile"),
        ("DELETED_PROFILE_KEY", first, "_profile"),
        ("DELETED_BY_MERGE", second, "_profile"),
        ("MERGED", first, "_profile"),
        ("DELETED_BY_CUSTOMER", first, "_profile"),
    ]


def test_change_content_is_the_profile_after_it_or_the_key(cp, client):
    cp.create_domain("shop")
    pid = client.create_profile(DomainName="shop", FirstName="Ana")["ProfileId"]
    client.update_profile(DomainName="shop", ProfileId=pid, LastName="Silva")
    client.add_profile_key(DomainName="shop", ProfileId=pid, KeyName="_email", Values=["a@x.io"])
    created, updated, key = probe(cp).changes
    assert created.content == {"ProfileId": pid, "FirstName": "Ana"}
    assert updated.content == {"ProfileId": pid, "FirstName": "Ana", "LastName": "Silva"}
    assert key.content == {"KeyName": "_email", "Values": ["a@x.io"]}


def test_ingestion_tells_the_object_its_type_and_key(cp, client):
    cp.create_domain("shop")
    client.put_profile_object_type(
        DomainName="shop",
        ObjectTypeName="Order",
        Description="orders",
        AllowProfileCreation=True,
        Fields={
            "id": {"Source": "_source.id", "ContentType": "STRING"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
        },
        Keys={
            "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    key = client.put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Object='{"id": "o1", "email": "a@x.io"}'
    )["ProfileObjectUniqueKey"]
    (change,) = probe(cp).changes
    assert (change.action, change.object_type, change.unique_key) == ("INGESTED", "Order", key)
    assert change.content == {"id": "o1", "email": "a@x.io"}
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [change.profile_id]


def test_a_refused_call_tells_no_change(cp, client):
    cp.create_domain("shop")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.update_profile(DomainName="shop", ProfileId="0" * 32, LastName="Silva")
    assert probe(cp).changes == []


# -- the job schedule ------------------------------------------------------------------


def test_job_steps_run_before_the_next_call_with_no_job_seconds(cp, client):
    # [INF api-semantics-rest 0.5] default delay 0: the first read sees the terminal state
    cp.create_domain("shop")
    start_job(cp, "job", at=0.0)
    region = cp._state().store.region(cp.account_id, cp.region)
    assert region.domains.get("shop").part(PROBE).steps == {"job": 0}
    client.list_domains()
    assert region.domains.get("shop").part(PROBE).steps == {"job": 3}


def test_job_steps_take_job_seconds_on_the_virtual_clock():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        start_job(cp, "job", at=clock.time() + 60)
        assert probe(cp).steps == {"job": 0}
        clock.advance(59)
        assert probe(cp).steps == {"job": 0}
        clock.advance(1)
        assert probe(cp).steps == {"job": 1}
        clock.advance(120)
        assert probe(cp).steps == {"job": 3}


def test_settle_runs_every_job_to_its_end_whatever_the_clock_says():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=3600) as cp:
        cp.create_domain("shop")
        cp.create_domain("eu", region="eu-west-1")
        start_job(cp, "a", at=3600)
        region = cp._state().store.region(cp.account_id, "eu-west-1")
        eu = region.domains.get("eu")
        eu.part(PROBE).steps["b"] = 0
        region.schedule(3600, eu, PROBE.name, "b")
        cp.settle()
        assert clock.time() == 0
        assert probe(cp).steps == {"a": 3}
        assert region.domains.get("eu").part(PROBE).steps == {"b": 3}


def test_a_job_of_a_deleted_domain_is_dropped():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=10) as cp:
        cp.create_domain("shop")
        start_job(cp, "job", at=10)
        cp.seed("DeleteDomain", DomainName="shop")
        cp.create_domain("shop")  # a new domain of that name has no such job
        cp.settle()
        assert probe(cp).steps == {}


def test_restore_brings_back_the_jobs_of_the_snapshot():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=10) as cp:
        cp.create_domain("shop")
        start_job(cp, "job", at=10)
        snapshot = cp.snapshot()
        cp.settle()
        assert probe(cp).steps == {"job": 3}
        cp.restore(snapshot)
        assert probe(cp).steps == {"job": 0}
        clock.advance(10)
        assert probe(cp).steps == {"job": 1}


@pytest.mark.parametrize("seconds", [-1, float("inf"), float("nan"), True, "60"])
def test_job_seconds_must_be_a_finite_number_of_seconds(seconds):
    with pytest.raises(InvalidArgumentError) as excinfo:
        mock_customer_profiles(job_seconds=seconds)
    shown = repr(seconds) if isinstance(seconds, float) or seconds == -1 else None
    assert str(excinfo.value).startswith("job_seconds must be a number of seconds, 0 or more, got")
    if shown is not None:
        assert str(excinfo.value).endswith(shown)


# -- the schedule through real operations ----------------------------------------------

SPENT = {
    "DomainName": "shop",
    "CalculatedAttributeName": "spent",
    "AttributeDetails": {"Attributes": [{"Name": "total"}], "Expression": "{Order.total}"},
    "Statistic": "SUM",
    "UseHistoricalData": True,  # PREPARING, IN_PROGRESS, COMPLETED: a step each
}


def _orders(cp: Any) -> None:
    cp.create_domain("shop")
    cp.put_object_type(
        "shop",
        "Order",
        Description="orders",
        Fields={"id": {"Source": "_source.id"}, "total": {"Source": "_source.total"}},
        Keys={"id": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
    )


def _status(client: Any, name: str = "spent") -> str:
    out = client.get_calculated_attribute_definition(
        DomainName="shop", CalculatedAttributeName=name
    )
    return str(out["Status"])


def test_a_step_of_a_deleted_resource_does_not_move_a_new_one_of_its_name():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name="us-east-1")
        _orders(cp)
        client.create_calculated_attribute_definition(**SPENT)
        clock.advance(30)
        client.delete_calculated_attribute_definition(
            DomainName="shop", CalculatedAttributeName="spent"
        )
        client.create_calculated_attribute_definition(**SPENT)
        clock.advance(30)  # the deleted one's step is due, the new one's not yet
        assert _status(client) == "PREPARING"
        clock.advance(30)
        assert _status(client) == "IN_PROGRESS"


def test_seed_schedules_on_the_handles_clock():
    clock = VirtualClock(start=1_000_000.0)
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        client = boto3.client("customer-profiles", region_name="us-east-1")
        _orders(cp)
        cp.seed("CreateCalculatedAttributeDefinition", **SPENT)
        assert _status(client) == "PREPARING"
        clock.advance(60)
        assert _status(client) == "IN_PROGRESS"


def test_a_job_pending_at_the_end_of_set_up_class_moves_on_in_each_test(pytester):
    # setUpClass seeding is kept and given to each test: what it scheduled goes with it
    pytester.makepyfile(
        """
        import unittest

        import boto3

        from customer_profiles_mock import mock_customer_profiles

        cp = mock_customer_profiles(region="us-east-1")
        QUERY = {"Groups": [{"Dimensions": [{"ProfileAttributes": {
            "FirstName": {"DimensionType": "INCLUSIVE", "Values": ["Ann"]}}}]}]}


        @cp
        class Estimates(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                cp.create_domain("shop")
                cp.create_profile("shop", FirstName="Ann")
                client = boto3.client("customer-profiles", region_name="us-east-1")
                out = client.create_segment_estimate(DomainName="shop", SegmentQuery=QUERY)
                cls.estimate = out["EstimateId"]

            def get(self):
                client = boto3.client("customer-profiles", region_name="us-east-1")
                return client.get_segment_estimate(DomainName="shop", EstimateId=self.estimate)

            def test_settled(self):
                cp.settle()
                self.assertEqual((self.get()["Status"], self.get()["Estimate"]), ("SUCCEEDED", "1"))

            def test_first_read(self):
                self.assertEqual(self.get()["Status"], "SUCCEEDED")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=2)
