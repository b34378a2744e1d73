"""Snapshots: a state seeded once and restored at the start of each test, changes discarded."""

from __future__ import annotations

import threading

import boto3
import pytest

from customer_profiles_mock import InvalidTypeError, Snapshot, mock_customer_profiles

ANN = "a" * 32
BOB = "b" * 32


@pytest.fixture(scope="module")
def shop() -> Snapshot:
    with mock_customer_profiles() as seeding:
        seeding.create_domain("shop", Tags={"team": "crm"})
        seeding.create_profile("shop", ProfileId=ANN, FirstName="Ann", EmailAddress="a@x.io")
        seeding.create_profile("shop", ProfileId=BOB, FirstName="Bob", EmailAddress="b@x.io")
        seeding.create_domain("eu", region="eu-west-1")
        return seeding.snapshot()


def _ids(client, domain="shop", key="_email", values=("a@x.io", "b@x.io", "c@x.io")):
    items = client.search_profiles(DomainName=domain, KeyName=key, Values=list(values))["Items"]
    return [item["ProfileId"] for item in items]


def test_restore_gives_the_snapshot_state(cp, client, shop):
    cp.restore(shop)
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 2
    assert client.get_domain(DomainName="shop")["Tags"] == {"team": "crm"}
    got = client.batch_get_profile(DomainName="shop", ProfileIds=[ANN, BOB])
    assert [p["FirstName"] for p in got["Profiles"]] == ["Ann", "Bob"]
    assert _ids(client) == [ANN, BOB]
    assert cp.domains(region="eu-west-1") == ["eu"]


def test_restore_drops_what_the_state_held(cp, client, shop):
    cp.create_domain("other")
    cp.restore(shop)
    assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["shop"]


def test_restore_discards_the_changes_of_the_last_test(cp, client, shop):
    cp.restore(shop)
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    created = client.create_profile(DomainName="shop", FirstName="Cy", EmailAddress="c@x.io")
    assert _ids(client) == [BOB, created["ProfileId"]]

    cp.restore(shop)
    assert _ids(client) == [ANN, BOB]
    got = client.batch_get_profile(DomainName="shop", ProfileIds=[ANN, created["ProfileId"]])
    assert [p["ProfileId"] for p in got["Profiles"]] == [ANN]
    assert [e["ProfileId"] for e in got["Errors"]] == [created["ProfileId"]]


def test_restore_brings_back_a_deleted_domain(cp, client, shop):
    cp.restore(shop)
    client.delete_domain(DomainName="shop")
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_domain(DomainName="shop")
    cp.restore(shop)
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 2


def test_restored_states_do_not_share_changes(shop):
    client = boto3.client("customer-profiles", region_name="us-east-1")
    with mock_customer_profiles() as first:
        first.restore(shop)
        client.delete_profile(DomainName="shop", ProfileId=BOB)
        assert [p["ProfileId"] for p in first.profiles("shop")] == [ANN]
    with mock_customer_profiles() as second:
        second.restore(shop)
        assert _ids(client) == [ANN, BOB]


def test_profile_deleted_then_created_again_with_its_id(cp, client, shop):
    cp.restore(shop)
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    assert _ids(client) == [BOB]
    cp.create_profile("shop", ProfileId=ANN, FirstName="Ann", EmailAddress="new@x.io")
    assert _ids(client, values=["a@x.io", "new@x.io", "b@x.io"]) == [BOB, ANN]
    assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 2
    with pytest.raises(ValueError, match=f"Profile {ANN} already exists"):
        cp.create_profile("shop", ProfileId=ANN)


def test_delete_of_a_restored_profile_twice_is_not_found(cp, client, shop):
    cp.restore(shop)
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    with pytest.raises(client.exceptions.ResourceNotFoundException) as exc:
        client.delete_profile(DomainName="shop", ProfileId=ANN)
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_search_pages_through_snapshot_and_new_profiles_in_creation_order(cp, client):
    cp.create_domain("shop")
    seeded = cp.create_profiles("shop", [{"LastName": "Lee"}] * 25)
    snap = cp.snapshot()
    cp.restore(snap)
    added = cp.create_profiles("shop", [{"LastName": "Lee"}] * 5)
    found: list[str] = []
    params = {"DomainName": "shop", "KeyName": "_fullName", "Values": ["Lee"]}
    while True:
        page = client.search_profiles(**params)
        found += [item["ProfileId"] for item in page["Items"]]
        if "NextToken" not in page:
            break
        params["NextToken"] = page["NextToken"]
    assert found == seeded + added


def test_snapshot_of_a_restored_state_keeps_its_changes(cp, client, shop):
    cp.restore(shop)
    client.delete_profile(DomainName="shop", ProfileId=ANN)
    cy = cp.create_profile("shop", FirstName="Cy")
    later = cp.snapshot()
    cp.restore(shop)
    cp.restore(later)
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [BOB, cy]


def test_snapshot_is_not_changed_by_later_seeding(cp):
    cp.create_domain("shop")
    cp.create_profile("shop", ProfileId=ANN)
    snap = cp.snapshot()
    cp.create_profile("shop", ProfileId=BOB)
    cp.restore(snap)
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [ANN]


def test_restore_keeps_the_call_log(cp, client, shop):
    client.list_domains()
    cp.restore(shop)
    assert [call.operation for call in cp.calls] == ["ListDomains"]


def test_restore_rejects_what_is_not_a_snapshot(cp):
    with pytest.raises(InvalidTypeError) as exc:
        cp.restore({"domains": []})
    assert str(exc.value) == ("restore() takes a Snapshot made by cp.snapshot(), got a dict")


def test_snapshot_repr_counts_what_it_holds(shop):
    assert repr(shop) == "<Snapshot: 2 domains, 2 profiles in 2 regions>"


def test_restored_states_search_the_same_snapshot_from_threads(shop):
    found: dict[int, list[str]] = {}

    def run(n: int) -> None:
        with mock_customer_profiles() as mock:
            mock.restore(shop)
            session = boto3.session.Session()  # a session per thread, as boto3 asks
            client = session.client("customer-profiles", region_name="us-east-1")
            found[n] = _ids(client)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == {n: [ANN, BOB] for n in range(8)}
