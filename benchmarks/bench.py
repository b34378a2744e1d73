"""Benchmarks of customer-profiles-mock: medians measured in one process.

    python benchmarks/bench.py            # all figures
    python benchmarks/bench.py --quick    # smaller counts, for a smoke run

(a) batch_get_profile of 20 ids through the mock vs the same client answered by a
    before-send handler returning the same canned response (botocore's own floor)
(b) the same call with 100 vs 1,000,000 seeded profiles
(c) start + create_domain + seed 100 profiles + stop
(d) create_profiles throughput
(e) a call throttled twice and then answered vs a plain call (back-off skipped; the
    legacy retry mode, whatever the installed botocore's default)
(f) a call with 50 registered, non-matching faults vs none
(g) fake_profiles throughput (Faker's pools filled by an earlier call)
(h) 500 pytest tests, each with the mock fixture, the client fixture and one call, vs
    500 empty tests (each suite in its own pytest process)
(i) restoring a snapshot of 100 vs 100,000 profiles at the start of a test
(j) memory per typical profile stored (traced by tracemalloc, at 1,000,000)
(l) PutProfileObject of a 1 KB object with two keys vs the same call answered canned
(m) SearchProfiles by a custom key and by _email (normalised), 100 vs 1,000,000 profiles
(n) MergeProfiles of 20 profiles with 10 objects each, in the mock's own time
(o) the server: batch_get_profile of 20 ids over loopback HTTP through a reused botocore
    client (a CustomerProfilesServer in a thread; `serve` in another process) next to the
    same call in-process
(q) one operation of each area against the canned floor, as (a): GetEventTrigger (a
    trigger with two conditions), GetIntegration (one of 50 integrations, by Uri),
    ListObjectTypeAttributeValues of a field over 100 stored 1 KB objects (derived at each
    call), ListRuleBasedMatches over 1,000 profiles with 100 pairs matching by email
    (evaluated at each call), GetUploadJob of a finished job (10 uploaded rows),
    GetWorkflow of a finished two-batch workflow, GetProfileRecommendations (10 of 50
    seeded items; where the model has it)
(r) ListProfileHistoryRecords of a profile's 20 records vs the same call answered canned,
    and the same call in a domain whose history holds `big` other profiles' records
(s) CreateProfile in a domain whose event stream is RUNNING (a record published) vs in
    a domain without one
(t) GetSegmentMembership of 100 profiles in a domain of 100 vs 100,000 (a segment of two
    groups, one excluding a source segment), the same call against the canned floor, and a
    segment estimate over 1,000,000 fake profiles (create + the read that finishes it)
(k) side by side with moto (DynamoDB, as moto has no customer-profiles): per-test
    overhead, a 20-item batch read, a call throttled twice (moto cannot inject faults: a
    before-send handler answers 429 twice, and botocore sleeps through its back-off)
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import itertools
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config

from customer_profiles_mock import Snapshot, mock_customer_profiles
from customer_profiles_mock.transports.botocore_hooks import _RawBody, register, served

SEND_EVENT = "before-send.customer-profiles"

REGION = "us-east-1"


def profile(i: int) -> dict[str, Any]:
    return {
        "FirstName": f"First{i}",
        "LastName": "Lee",
        "EmailAddress": f"person{i}@example.com",
        "PhoneNumber": f"+1555{i:07d}",
        "AccountNumber": f"ACC-{i}",
        "PartyType": "INDIVIDUAL",
        "Address": {"Address1": f"{i} Main St", "City": "Springfield", "Country": "US"},
        "Attributes": {"tier": "gold"},
    }


def per_call(fn: Callable[[], Any], n: int) -> list[float]:
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def interleaved(
    a: Callable[[], Any], b: Callable[[], Any], rounds: int, n: int
) -> tuple[float, float]:
    """Medians of a and b, measured in alternating blocks so drift hits both alike."""
    per_call(a, n)
    per_call(b, n)
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(rounds):
        ta += per_call(a, n)
        tb += per_call(b, n)
    return statistics.median(ta), statistics.median(tb)


def seeded_client(count: int) -> tuple[Any, Any, list[str]]:
    cp = mock_customer_profiles(region=REGION).start()
    cp.create_domain("shop")
    ids = cp.create_profiles("shop", (profile(i) for i in range(count)))
    client = boto3.client("customer-profiles", region_name=REGION)
    return cp, client, ids[:20]


def bench_floor(rounds: int, n: int) -> None:
    cp, client, ids = seeded_client(100)
    expected = client.batch_get_profile(DomainName="shop", ProfileIds=ids)
    floor = _canned_client(
        *_canned_response(
            client, lambda: client.batch_get_profile(DomainName="shop", ProfileIds=ids)
        )
    )
    got = floor.batch_get_profile(DomainName="shop", ProfileIds=ids)
    assert got["Profiles"] == expected["Profiles"], "the floor must answer the same profiles"

    def mock_call() -> Any:
        return client.batch_get_profile(DomainName="shop", ProfileIds=ids)

    def floor_call() -> Any:
        return floor.batch_get_profile(DomainName="shop", ProfileIds=ids)

    mock_t, floor_t = interleaved(mock_call, floor_call, rounds, n)
    cp.stop()
    print(
        f"(a) batch_get_profile, 20 ids: mock {mock_t * 1e6:.0f} us, "
        f"canned floor {floor_t * 1e6:.0f} us, ratio {mock_t / floor_t:.3f}x (target <= 1.08x)"
    )


def _canned_response(client: Any, call: Callable[[], Any]) -> tuple[dict[str, str], bytes]:
    """The headers and body the mock answers ``call`` with, to replay as the floor."""
    captured: dict[str, Any] = {}

    def capture(response_dict: Any, **kwargs: Any) -> None:
        captured.update(response_dict)

    client.meta.events.register("before-parse.customer-profiles", capture)
    # Under a throttle the call fails; the answer captured is the last attempt's.
    with contextlib.suppress(client.exceptions.ThrottlingException):
        call()
    client.meta.events.unregister("before-parse.customer-profiles", capture)
    return dict(captured["headers"]), captured["body"]


def _canned_client(headers: dict[str, str], body: bytes) -> Any:
    """A client with credentials that every call is answered ``body`` by a before-send
    handler: botocore's own cost of the call. The mock's handlers are never added to it."""
    floor = boto3.client(
        "customer-profiles",
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    register(floor.meta.events, handlers=())
    floor.meta.events.register(
        SEND_EVENT, lambda request, **kw: AWSResponse(request.url, 200, headers, _RawBody(body))
    )
    return floor


def bench_scale(big: int, rounds: int, n: int) -> None:
    """The same call against a domain of 100 profiles and one of ``big``, both in one
    mock, measured in alternating blocks so that the machine's drift hits both alike."""
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    cp.create_domain("small")
    small_ids = cp.create_profiles("small", (profile(i) for i in range(100)))[:20]
    cp.create_domain("big")
    start = time.perf_counter()
    big_ids = cp.create_profiles("big", (profile(i) for i in range(big)))[:20]
    seeded_in = time.perf_counter() - start
    gc.collect()  # the collection that seeding's allocations are due, before measuring
    small, large = interleaved(
        lambda: client.batch_get_profile(DomainName="small", ProfileIds=small_ids),
        lambda: client.batch_get_profile(DomainName="big", ProfileIds=big_ids),
        rounds,
        n,
    )
    first = time.perf_counter()
    client.search_profiles(DomainName="big", KeyName="_email", Values=["person7@example.com"])
    first_search = time.perf_counter() - first
    search = statistics.median(
        per_call(
            lambda: client.search_profiles(
                DomainName="big", KeyName="_email", Values=["person77@example.com"]
            ),
            n,
        )
    )
    cp.stop()
    print(
        f"(b) batch_get_profile with 100 profiles {small * 1e6:.0f} us, with {big:,} "
        f"{large * 1e6:.0f} us, ratio {large / small:.3f}x (target <= 1.1x); "
        f"search by email among {big:,}: {search * 1e6:.0f} us (the first, which builds "
        f"the index: {first_search:.1f} s); seeding took {seeded_in:.1f} s"
    )


def bench_cycle(n: int) -> None:
    people = [profile(i) for i in range(100)]

    def cycle() -> None:
        with mock_customer_profiles() as cp:
            cp.create_domain("shop")
            cp.create_profiles("shop", people)

    per_call(cycle, 50)
    t = statistics.median(per_call(cycle, n))
    empty = statistics.median(per_call(lambda: mock_customer_profiles().start().stop(), n))
    print(
        f"(c) start + seed 100 profiles + stop: {t * 1e3:.3f} ms (target < 0.5 ms); "
        f"start + stop alone: {empty * 1e6:.1f} us"
    )


def bench_throughput(count: int, repeats: int) -> None:
    people = [profile(i) for i in range(count)]
    rates = []
    for _ in range(repeats):
        with mock_customer_profiles() as cp:
            cp.create_domain("shop")
            start = time.perf_counter()
            cp.create_profiles("shop", people)
            rates.append(count / (time.perf_counter() - start))
        gc.collect()
    print(
        f"(d) create_profiles: {statistics.median(rates):,.0f} profiles/s "
        f"(median of {repeats} x {count:,}; target >= 150,000/s)"
    )


# Explicit, as the default differs between botocore releases (legacy up to 1.43,
# standard from 1.44, whose retry quota runs out after about 100 throttled calls).
LEGACY_RETRIES = Config(retries={"mode": "legacy"})


def bench_throttled(rounds: int, n: int) -> None:
    cp, _, ids = seeded_client(100)
    client = boto3.client("customer-profiles", region_name=REGION, config=LEGACY_RETRIES)

    def plain() -> Any:
        return client.batch_get_profile(DomainName="shop", ProfileIds=ids)

    def throttled_twice() -> Any:
        cp.throttle("BatchGetProfile", times=2)
        out = client.batch_get_profile(DomainName="shop", ProfileIds=ids)
        assert out["ResponseMetadata"]["RetryAttempts"] == 2
        return out

    throttled_t, plain_t = interleaved(throttled_twice, plain, rounds, n)

    # botocore's own cost of the same three attempts: a client answered with the mock's
    # own 429, 429 and 200 by a canned before-send handler (its back-off is skipped too,
    # as the mock is active).
    def batch_get() -> Any:
        return client.batch_get_profile(DomainName="shop", ProfileIds=ids)

    headers, body = _canned_response(client, batch_get)
    cp.throttle("BatchGetProfile", times=None)
    throttled, throttle_body = _canned_response(client, batch_get)
    cp.clear_faults()
    floor = boto3.client("customer-profiles", region_name=REGION, config=LEGACY_RETRIES)
    register(floor.meta.events, handlers=())
    answered = [0]

    def answer(request: Any, **kwargs: Any) -> AWSResponse:
        served.set(True)  # back-off skipped for the floor too, as for the mock's answers
        answered[0] += 1
        if answered[0] % 3:
            return AWSResponse(request.url, 429, throttled, _RawBody(throttle_body))
        return AWSResponse(request.url, 200, headers, _RawBody(body))

    floor.meta.events.register(SEND_EVENT, answer)

    def floor_call() -> Any:
        out = floor.batch_get_profile(DomainName="shop", ProfileIds=ids)
        assert out["ResponseMetadata"]["RetryAttempts"] == 2
        return out

    mock_t, floor_t = interleaved(throttled_twice, floor_call, rounds, n)
    cp.stop()
    print(
        f"(e) throttled twice then answered {throttled_t * 1e6:.0f} us vs plain "
        f"{plain_t * 1e6:.0f} us, ratio {throttled_t / plain_t:.3f}x (target <= 1.2x); "
        f"vs the same 429, 429, 200 canned: {mock_t * 1e6:.0f} us / "
        f"{floor_t * 1e6:.0f} us, ratio {mock_t / floor_t:.3f}x"
    )


def bench_idle_faults(rounds: int, n: int) -> None:
    cp, client, ids = seeded_client(100)

    def call(c: Any) -> Callable[[], Any]:
        return lambda: c.batch_get_profile(DomainName="shop", ProfileIds=ids)

    # Same client, same state: time blocks with 50 faults and with none, alternately.
    faulted: list[float] = []
    bare: list[float] = []
    for _ in range(rounds):
        cp.clear_faults()
        bare += per_call(call(client), n)
        for i in range(50):
            cp.throttle("CreateProfile" if i % 2 else "SearchProfiles", times=None)
        faulted += per_call(call(client), n)
    cp.stop()
    f, b = statistics.median(faulted), statistics.median(bare)
    print(
        f"(f) with 50 non-matching faults {f * 1e6:.0f} us vs none {b * 1e6:.0f} us, "
        f"ratio {f / b:.3f}x (target <= 1.05x)"
    )


def bench_fake(count: int, repeats: int) -> None:
    rates = []
    with mock_customer_profiles(region=REGION) as cp:
        cp.create_domain("warm")
        cp.fake_profiles("warm", 10, seed=0)  # fills the locale's pools once
        for n in range(repeats):
            cp.create_domain(f"fake{n}")
            start = time.perf_counter()
            cp.fake_profiles(f"fake{n}", count, seed=n + 1)
            rates.append(count / (time.perf_counter() - start))
    print(
        f"(g) fake_profiles: {statistics.median(rates):,.0f} profiles/s "
        f"(median of {repeats} x {count:,}; target >= 20,000/s)"
    )


_SUITE = {
    "empty": "def test_{n}():\n    pass\n",
    "mock": (
        "def test_{n}(customer_profiles_mock, customer_profiles_client):\n"
        "    customer_profiles_mock.create_domain('shop')\n"
        "    customer_profiles_client.get_domain(DomainName='shop')\n"
    ),
}


def bench_pytest_suite(count: int, repeats: int) -> None:
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    times: dict[str, list[float]] = {"empty": [], "mock": []}
    with tempfile.TemporaryDirectory() as folder:
        for kind, template in _SUITE.items():
            body = "\n\n".join(template.format(n=n) for n in range(count))
            Path(folder, f"test_{kind}.py").write_text(body)
        for _ in range(repeats):
            for kind in times:
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p",
                     "no:cacheprovider", f"test_{kind}.py"],
                    cwd=folder, check=True, capture_output=True,
                )  # fmt: skip
                times[kind].append(time.perf_counter() - start)
    empty, mock = statistics.median(times["empty"]), statistics.median(times["mock"])
    print(
        f"(h) {count} pytest tests with the mock and client fixtures and one call: "
        f"{mock:.2f} s vs {empty:.2f} s for {count} empty tests, ratio {mock / empty:.2f}x "
        f"(target <= 2x)"
    )


def bench_restore(big: int, n: int) -> None:
    snapshots = {}
    for count in (100, big):
        with mock_customer_profiles(region=REGION) as cp:
            cp.create_domain("shop")
            cp.create_profiles("shop", (profile(i) for i in range(count)))
            snapshots[count] = cp.snapshot()
    gc.collect()
    client = boto3.client("customer-profiles", region_name=REGION)
    restore: dict[int, float] = {}
    cycle: dict[int, float] = {}
    tests = []
    for count, snapshot in snapshots.items():
        with mock_customer_profiles(region=REGION) as cp:
            restore[count] = statistics.median(per_call(functools.partial(cp.restore, snapshot), n))
        tests.append(functools.partial(_restored_test, client, snapshot))
        tests[-1]()  # builds the snapshot's search index, once for every later test
    cycle[100], cycle[big] = interleaved(tests[0], tests[1], 5, n // 5)
    print(
        f"(i) restore a snapshot of 100 profiles {restore[100] * 1e6:.1f} us, of {big:,} "
        f"{restore[big] * 1e6:.1f} us (target <= 1 ms); a test (start, restore, create, "
        f"search, stop): {cycle[100] * 1e6:.0f} us vs {cycle[big] * 1e6:.0f} us"
    )


def _restored_test(client: Any, snapshot: Snapshot) -> None:
    with mock_customer_profiles(region=REGION) as cp:
        cp.restore(snapshot)
        client.create_profile(DomainName="shop", FirstName="New")
        client.search_profiles(DomainName="shop", KeyName="_fullName", Values=["New"])


def bench_memory(count: int) -> None:
    import tracemalloc

    with mock_customer_profiles(region=REGION) as cp:
        cp.create_domain("shop")
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        cp.create_profiles("shop", (profile(i) for i in range(count)))
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    print(
        f"(j) memory per typical profile at {count:,}: {(after - before) / count:,.0f} bytes "
        f"(target <= 1,200)"
    )


def bench_moto(rounds: int, n: int) -> None:
    try:
        from moto import mock_aws
    except ImportError:
        print("(k) skipped: moto is not installed (pip install -e '.[test]')")
        return
    people = [profile(i) for i in range(100)]
    items = [
        {"PutRequest": {"Item": {"id": {"S": f"id{i}"}, "name": {"S": f"First{i}"}}}}
        for i in range(100)
    ]
    table = {
        "TableName": "shop",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    # A session made after importing moto carries moto's handler (the default one may
    # have been made before).
    session = boto3.session.Session(
        region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    dynamodb = session.client("dynamodb")

    def ours() -> None:
        with mock_customer_profiles(region=REGION) as cp:
            cp.create_domain("shop")
            cp.create_profiles("shop", people)

    def theirs() -> None:
        with mock_aws():
            dynamodb.create_table(**table)
            for start in range(0, 100, 25):
                dynamodb.batch_write_item(RequestItems={"shop": items[start : start + 25]})

    ours_t, theirs_t = interleaved(ours, theirs, rounds, max(n // 10, 5))

    def moto_cycle() -> None:
        mock = mock_aws()
        mock.start()
        mock.stop()

    empty_ours, empty_theirs = interleaved(
        lambda: mock_customer_profiles().start().stop(), moto_cycle, rounds, n
    )
    client = boto3.client("customer-profiles", region_name=REGION)
    keys = [{"id": {"S": f"id{i}"}} for i in range(20)]
    with mock_aws(), mock_customer_profiles(region=REGION) as cp:
        cp.create_domain("shop")
        ids = cp.create_profiles("shop", people)[:20]
        dynamodb.create_table(**table)
        dynamodb.batch_write_item(RequestItems={"shop": items[:25]})
        read_ours, read_theirs = interleaved(
            lambda: client.batch_get_profile(DomainName="shop", ProfileIds=ids),
            lambda: dynamodb.batch_get_item(RequestItems={"shop": {"Keys": keys}}),
            rounds,
            n,
        )
    print(
        f"(k) vs moto: start + stop {empty_ours * 1e6:.0f} us vs {empty_theirs * 1e6:.0f} us "
        f"({empty_theirs / empty_ours:.0f}x); start + seed 100 + stop {ours_t * 1e3:.2f} ms "
        f"vs {theirs_t * 1e3:.2f} ms ({theirs_t / ours_t:.1f}x); 20-item batch read "
        f"{read_ours * 1e6:.0f} us vs {read_theirs * 1e6:.0f} us "
        f"({read_theirs / read_ours:.1f}x)"
    )
    _moto_throttled(mock_aws, session, table, keys, rounds)


def _moto_throttled(mock_aws: Any, session: Any, table: Any, keys: Any, rounds: int) -> None:
    """A call throttled twice: ours through the mock's fault, moto's through a
    before-send handler (moto has no fault injection), with botocore's back-off."""
    cp, _, ids = seeded_client(100)
    client = boto3.client("customer-profiles", region_name=REGION, config=LEGACY_RETRIES)

    def ours() -> None:
        cp.throttle("BatchGetProfile", times=2)
        client.batch_get_profile(DomainName="shop", ProfileIds=ids)

    ours_t = statistics.median(per_call(ours, 200))
    cp.stop()
    body = b'{"__type":"ThrottlingException","message":"Rate exceeded"}'
    legacy = session.client("dynamodb", config=LEGACY_RETRIES)
    answered = [0]

    def throttle_twice(request: Any, **kwargs: Any) -> AWSResponse | None:
        answered[0] += 1
        if answered[0] % 3:
            return AWSResponse(request.url, 400, {}, _RawBody(body))
        return None

    legacy.meta.events.register_first("before-send.dynamodb.BatchGetItem", throttle_twice)
    with mock_aws():
        legacy.create_table(**table)  # its own moto state: a mock_aws starts empty
        theirs_t = statistics.median(
            per_call(lambda: legacy.batch_get_item(RequestItems={"shop": {"Keys": keys}}), rounds)
        )
    print(
        f"(k) vs moto: a call throttled twice {ours_t * 1e6:.0f} us vs {theirs_t * 1e3:.0f} ms "
        f"({theirs_t / ours_t:,.0f}x; moto's includes botocore's back-off sleeps)"
    )


ORDER_TYPE: dict[str, Any] = {
    "Description": "Orders",
    "AllowProfileCreation": True,
    "Fields": {
        "orderId": {"Source": "_source.orderId"},
        "email": {
            "Source": "_source.customer.email",
            "Target": "_profile.EmailAddress",
            "ContentType": "EMAIL_ADDRESS",
        },
        "name": {"Source": "_source.customer.name", "Target": "_profile.FirstName"},
    },
    "Keys": {
        "orderId": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["orderId"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}


def order(i: int) -> str:
    """About 1 KB of order JSON."""
    lines = [{"sku": f"SKU-{n:05d}", "qty": n % 3 + 1, "price": 9.99 + n} for n in range(12)]
    body = {
        "orderId": f"o-{i}",
        "customer": {"email": f"Person{i % 100}@Example.com", "name": f"First{i % 100}"},
        "lines": lines,
        "note": "x" * 260,
    }
    return json.dumps(body)


def bench_put_object(rounds: int, n: int) -> None:
    cp, client, _ = seeded_client(100)
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    assert len(order(0)) >= 1000
    counter = itertools.count()

    def mock_call() -> Any:
        text = order(next(counter))
        return client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=text)

    mock_call()
    floor = _canned_client(*_canned_response(client, mock_call))

    def floor_call() -> Any:
        text = order(next(counter))
        return floor.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=text)

    mock_t, floor_t = interleaved(mock_call, floor_call, rounds, n)
    cp.stop()
    print(
        f"(l) put_profile_object, 1 KB, two keys: mock {mock_t * 1e6:.0f} us, canned floor "
        f"{floor_t * 1e6:.0f} us, ratio {mock_t / floor_t:.3f}x (target <= 1.3x)"
    )


def _floor_ratio(label: str, client: Any, call: Callable[[Any], Any], rounds: int, n: int) -> None:
    """Print (q)'s figure for ``call(client)``: the mock against a client answered the
    same response canned."""
    floor = _canned_client(*_canned_response(client, lambda: call(client)))
    got, expected = call(floor), call(client)
    got.pop("ResponseMetadata"), expected.pop("ResponseMetadata")
    assert got == expected, "the floor must answer the same"
    mock_t, floor_t = interleaved(lambda: call(client), lambda: call(floor), rounds, n)
    print(
        f"(q) {label}: mock {mock_t * 1e6:.0f} us, canned floor {floor_t * 1e6:.0f} us, "
        f"ratio {mock_t / floor_t:.3f}x"
    )


def bench_area_floors(rounds: int, n: int) -> None:
    cp, client, _ = seeded_client(100)
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    dimension = {
        "ObjectAttributes": [
            {"Source": "_source.total", "ComparisonOperator": "GREATER_THAN", "Values": ["100"]}
        ]
    }
    client.create_event_trigger(
        DomainName="shop",
        EventTriggerName="big-order",
        ObjectTypeName="Order",
        EventTriggerConditions=[
            {"EventTriggerDimensions": [dimension], "LogicalOperator": "ALL"},
            {"EventTriggerDimensions": [dimension], "LogicalOperator": "NONE"},
        ],
        Tags={"team": "crm"},
    )
    for i in range(50):
        client.put_integration(
            DomainName="shop", Uri=f"s3://bucket-{i:02d}", ObjectTypeName="Order"
        )
    _floor_ratio(
        "get_event_trigger",
        client,
        lambda c: c.get_event_trigger(DomainName="shop", EventTriggerName="big-order"),
        rounds,
        n,
    )
    _floor_ratio(
        "get_integration",
        client,
        lambda c: c.get_integration(DomainName="shop", Uri="s3://bucket-25"),
        rounds,
        n,
    )
    if "GetProfileRecommendations" in client.meta.service_model.operation_names:
        client.create_recommender(
            DomainName="shop", RecommenderName="picks", RecommenderRecipeName="popular-items"
        )
        profile_id = cp.create_profile("shop", FirstName="Ann")
        items = [
            {"Id": f"i{i}", "Name": f"Item {i}", "Category": f"c{i % 3}", "Score": 1 - i / 100}
            for i in range(50)
        ]
        cp.seed_recommendations("shop", "picks", items)
        _floor_ratio(
            "get_profile_recommendations, 10 of 50 seeded items",
            client,
            lambda c: c.get_profile_recommendations(
                DomainName="shop", ProfileId=profile_id, RecommenderName="picks"
            ),
            rounds,
            n,
        )
    cp.stop()


def bench_jobs_and_workflows(rounds: int, n: int) -> None:
    cp, client, _ = seeded_client(100)
    fields = {
        "email": {"Target": "_profile.EmailAddress"},
        "first": {"Target": "_profile.FirstName"},
    }
    job_id = client.create_upload_job(
        DomainName="shop", DisplayName="people.csv", Fields=fields, UniqueKey="email"
    )["JobId"]
    rows = "".join(f"person{i}@example.com,New{i}\n" for i in range(10))
    cp.upload_job_file("shop", job_id, "email,first\n" + rows)
    client.start_upload_job(DomainName="shop", JobId=job_id)
    flow = {
        "FlowName": "accounts",
        "KmsArn": f"arn:aws:kms:{REGION}:123456789012:key/bench",
        "SourceFlowConfig": {
            "ConnectorType": "Salesforce",
            "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}},
        },
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }
    batches = [{"StartTime": 0, "EndTime": 100}, {"StartTime": 100, "EndTime": 200}]
    workflow_id = client.create_integration_workflow(
        DomainName="shop",
        WorkflowType="APPFLOW_INTEGRATION",
        IntegrationConfig={"AppflowIntegration": {"FlowDefinition": flow, "Batches": batches}},
        ObjectTypeName="Salesforce-Account",
        RoleArn="arn:aws:iam::123456789012:role/bench",
    )["WorkflowId"]
    _floor_ratio(
        "get_upload_job",
        client,
        lambda c: c.get_upload_job(DomainName="shop", JobId=job_id),
        rounds,
        n,
    )
    _floor_ratio(
        "get_workflow",
        client,
        lambda c: c.get_workflow(DomainName="shop", WorkflowId=workflow_id),
        rounds,
        n,
    )
    cp.stop()


def bench_attribute_values(rounds: int, n: int) -> None:
    cp, client, _ = seeded_client(100)
    client.put_profile_object_type(DomainName="shop", ObjectTypeName="Order", **ORDER_TYPE)
    for i in range(100):
        client.put_profile_object(DomainName="shop", ObjectTypeName="Order", Object=order(i))

    def call(c: Any) -> Any:
        return c.list_object_type_attribute_values(
            DomainName="shop", ObjectTypeName="Order", AttributeName="email"
        )

    _floor_ratio("list_object_type_attribute_values, 100 objects", client, call, rounds, n)
    cp.stop()


def bench_rule_based(rounds: int, n: int) -> None:
    cp = mock_customer_profiles(region=REGION).start()
    rules = {"Enabled": True, "MatchingRules": [{"Rule": ["EmailAddress"]}]}
    cp.create_domain("shop", RuleBasedMatching=rules)
    people = [profile(i) for i in range(900)] + [profile(i) for i in range(100)]
    cp.create_profiles("shop", people)
    client = boto3.client("customer-profiles", region_name=REGION)

    def call(c: Any) -> Any:
        return c.list_rule_based_matches(DomainName="shop")

    assert len(call(client)["MatchIds"]) == 100
    _floor_ratio("list_rule_based_matches, 1,000 profiles", client, call, rounds, n)
    cp.stop()


def _with_custom_key(cp: Any, domain: str, count: int) -> None:
    """``count`` typical profiles, each also found by ``loyaltyId`` = L<i> (set up through
    the table, as a million AddProfileKey calls would take minutes)."""
    from customer_profiles_mock.features.profiles.models import Extras

    ids = cp.create_profiles(domain, (profile(i) for i in range(count)))
    state = cp._store().region(cp.account_id, REGION)
    table = state.domains.get(domain).profiles
    for i, profile_id in enumerate(ids):
        table.replace(profile_id, table.get(profile_id), Extras(keys=(("loyaltyId", f"L{i}", ""),)))


def bench_search_scale(big: int, rounds: int, n: int) -> None:
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    for name, count in (("small", 100), ("big", big)):
        cp.create_domain(name)
        _with_custom_key(cp, name, count)
        client.search_profiles(DomainName=name, KeyName="_email", Values=["x"])  # the index
    gc.collect()

    def search(domain: str, key: str, value: str) -> Callable[[], Any]:
        def call() -> Any:
            out = client.search_profiles(DomainName=domain, KeyName=key, Values=[value])
            assert len(out["Items"]) == 1
            return out

        return call

    ratios = []
    for key, value in (("loyaltyId", "L77"), ("_email", "PERSON77@example.com")):
        small, large = interleaved(
            search("small", key, value), search("big", key, value), rounds, n
        )
        ratios.append(f"{key} {small * 1e6:.0f} us vs {large * 1e6:.0f} us, {large / small:.3f}x")
    cp.stop()
    print(f"(m) search_profiles, 100 vs {big:,} profiles: {'; '.join(ratios)} (target <= 1.1x)")


def bench_merge(n: int) -> None:
    from customer_profiles_mock.wire.http import HttpRequest

    with mock_customer_profiles(region=REGION) as cp:
        cp.create_domain("shop")
        cp.put_object_type("shop", "Order", **ORDER_TYPE)
        ids = []
        for i in range(21):
            ids.append(cp.create_profile("shop", FirstName=f"P{i}", EmailAddress=f"p{i}@x.io"))
            for j in range(10):
                cp.put_object(
                    "shop", "Order", {"orderId": f"{i}-{j}", "customer": {"email": f"p{i}@x.io"}}
                )
        snapshot = cp.snapshot()
        body = json.dumps({"MainProfileId": ids[0], "ProfileIdsToBeMerged": ids[1:]}).encode()
        request = HttpRequest(
            "POST",
            "/domains/shop/profiles/objects/merge",
            "",
            {"Content-Type": "application/json"},
            body,
        )
        service = cp.service
        assert service is not None
        times = []
        for _ in range(n):
            cp.restore(snapshot)
            start = time.perf_counter()
            status, _, _ = service.handle(request)
            times.append(time.perf_counter() - start)
            assert status == 200
        assert len(cp.objects("shop", ids[0])) == 210
    print(
        f"(n) merge_profiles of 20 profiles with 10 objects each: "
        f"{statistics.median(times) * 1e3:.3f} ms in the mock (target < 2 ms)"
    )


def _recorded_profile(client: Any, domain: str) -> str:
    """A profile with 20 history records: its creation and 19 updates."""
    pid: str = client.create_profile(DomainName=domain, **profile(0))["ProfileId"]
    for i in range(19):
        client.update_profile(DomainName=domain, ProfileId=pid, LastName=f"L{i}")
    return pid


def bench_history(big: int, rounds: int, n: int) -> None:
    """(r) A profile's 20 history records listed: against the canned floor, and in a
    domain that also holds ``big`` other profiles' records (a per-profile lookup)."""
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    cp.create_domain("shop")
    cp.create_domain("big")
    small_id = _recorded_profile(client, "shop")
    big_id = _recorded_profile(client, "big")
    for i in range(big):
        cp.seed("CreateProfile", DomainName="big", FirstName=f"P{i}")

    def small_call() -> Any:
        return client.list_profile_history_records(DomainName="shop", ProfileId=small_id)

    def big_call() -> Any:
        return client.list_profile_history_records(DomainName="big", ProfileId=big_id)

    assert len(small_call()["ProfileHistoryRecords"]) == 20
    floor = _canned_client(*_canned_response(client, small_call))

    def floor_call() -> Any:
        return floor.list_profile_history_records(DomainName="shop", ProfileId=small_id)

    mock_t, floor_t = interleaved(small_call, floor_call, rounds, n)
    small_t, big_t = interleaved(small_call, big_call, rounds, n)
    cp.stop()
    print(
        f"(r) list_profile_history_records, 20 records: mock {mock_t * 1e6:.0f} us, canned "
        f"floor {floor_t * 1e6:.0f} us, ratio {mock_t / floor_t:.3f}x (target <= 1.3x); "
        f"with {big:,} other profiles' records in the domain {big_t * 1e6:.0f} us, ratio "
        f"{big_t / small_t:.3f}x (target <= 1.1x)"
    )


def bench_stream_cost(rounds: int, n: int) -> None:
    """(s) CreateProfile where each call publishes a stream record vs where none does."""
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    cp.create_domain("streamed")
    cp.create_domain("quiet")
    uri = f"arn:aws:kinesis:{REGION}:{cp.account_id}:stream/changes"
    client.create_event_stream(DomainName="streamed", EventStreamName="changes", Uri=uri)
    fields = profile(1)

    def streamed() -> Any:
        return client.create_profile(DomainName="streamed", **fields)

    def quiet() -> Any:
        return client.create_profile(DomainName="quiet", **fields)

    streamed_t, quiet_t = interleaved(streamed, quiet, rounds, n)
    published = len(cp.stream_records("streamed"))
    cp.stop()
    print(
        f"(s) create_profile with a running event stream {streamed_t * 1e6:.0f} us, without "
        f"{quiet_t * 1e6:.0f} us: +{(streamed_t - quiet_t) * 1e6:.0f} us a record, ratio "
        f"{streamed_t / quiet_t:.3f}x (target <= 1.15x); {published:,} records published"
    )


def bench_mock_aws(rounds: int, n: int) -> None:
    """(p) batch_get_profile(20) under plain moto ``mock_aws`` (served by the moto bridge)
    vs under ``mock_customer_profiles``, in alternating blocks of the same run."""
    from moto import mock_aws

    moto = mock_aws()
    moto.start()
    client = boto3.client("customer-profiles", region_name=REGION)
    client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    moto_ids = [
        client.create_profile(DomainName="shop", **profile(i))["ProfileId"] for i in range(100)
    ][:20]
    moto.stop(remove_data=False)
    cp, handle_client, ids = seeded_client(100)
    seeded = cp.snapshot()  # the handle's state ends with each stop
    cp.stop()

    moto_t: list[float] = []
    handle_t: list[float] = []
    for _ in range(rounds + 1):  # the first round warms up and is dropped
        moto.start(reset=False)
        block = per_call(
            lambda: client.batch_get_profile(DomainName="shop", ProfileIds=moto_ids), n
        )
        moto.stop(remove_data=False)
        cp.start()
        cp.restore(seeded)
        block_h = per_call(
            lambda: handle_client.batch_get_profile(DomainName="shop", ProfileIds=ids), n
        )
        cp.stop()
        if _:
            moto_t += block
            handle_t += block_h
    a, b = statistics.median(moto_t), statistics.median(handle_t)
    print(
        f"(p) batch_get_profile, 20 ids: under mock_aws {a * 1e6:.0f} us, under "
        f"mock_customer_profiles {b * 1e6:.0f} us, ratio {a / b:.3f}x (target <= 1.1x)"
    )


def _server_client(endpoint_url: str) -> Any:
    return boto3.client(
        "customer-profiles",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )


def bench_server(rounds: int, n: int) -> None:
    import subprocess
    import sys

    from customer_profiles_mock.server import CustomerProfilesServer

    cp, client, ids = seeded_client(100)
    command = [sys.executable, "-m", "customer_profiles_mock", "serve"]
    pipes: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL}
    with (
        CustomerProfilesServer(region=REGION) as thread,
        subprocess.Popen(command, text=True, **pipes) as process,
    ):
        try:
            thread_t, process_t, in_process_t, in_process_t2 = _server_figures(
                client, ids, thread, process, rounds, n
            )
        finally:
            process.terminate()
    cp.stop()
    print(
        f"(o) batch_get_profile, 20 ids, over loopback HTTP through a reused botocore client: "
        f"a server in a thread {thread_t * 1e6:.0f} us vs in-process {in_process_t * 1e6:.0f} us "
        f"({thread_t / in_process_t:.2f}x); a server in another process {process_t * 1e6:.0f} us "
        f"vs in-process {in_process_t2 * 1e6:.0f} us ({process_t / in_process_t2:.2f}x)"
    )


def _server_figures(
    client: Any, ids: list[str], thread: Any, process: Any, rounds: int, n: int
) -> tuple[float, float, float, float]:
    from customer_profiles_mock.server import ServerClient

    people = [profile(i) for i in range(100)]
    other = ServerClient(process.stdout.readline().strip())
    calls = []
    for server in (thread, other):
        server.create_domain("shop")
        server_ids = server.create_profiles("shop", people)[:20]
        # Pointed at a server: served by it even while the handle above is active.
        remote = _server_client(server.endpoint_url)
        out = remote.batch_get_profile(DomainName="shop", ProfileIds=server_ids)
        assert len(out["Profiles"]) == 20
        call = functools.partial(remote.batch_get_profile, DomainName="shop", ProfileIds=server_ids)
        calls.append(call)
    in_process = functools.partial(client.batch_get_profile, DomainName="shop", ProfileIds=ids)
    in_process_t, thread_t = interleaved(in_process, calls[0], rounds, n)
    in_process_t2, process_t = interleaved(in_process, calls[1], rounds, n)
    assert len(thread.calls) > rounds * n, "every call must have reached the server"
    return thread_t, process_t, in_process_t, in_process_t2


def _dimension(field: str, op: str, *values: str) -> dict[str, Any]:
    return {"ProfileAttributes": {field: {"DimensionType": op, "Values": list(values)}}}


ODD = {"Groups": [{"Dimensions": [_dimension("FirstName", "ENDS_WITH", "1", "3", "5", "7", "9")]}]}
GOLD_NOT_ODD = {
    "Groups": [
        {
            "Dimensions": [
                {
                    "ProfileAttributes": {
                        "Attributes": {"tier": {"DimensionType": "INCLUSIVE", "Values": ["gold"]}},
                        "Address": {
                            "City": {"DimensionType": "INCLUSIVE", "Values": ["springfield"]}
                        },
                    }
                }
            ]
        },
        {"SourceSegments": [{"SegmentDefinitionName": "odd"}], "SourceType": "NONE"},
    ],
    "Include": "ALL",
}
ESTIMATE_QUERY = {
    "Groups": [
        {
            "Dimensions": [
                _dimension("LastName", "BEGINS_WITH", "s"),
                _dimension("BirthDate", "BEFORE", "1980-01-01"),
            ]
        }
    ]
}


def bench_segments(big: int, estimated: int, rounds: int, n: int) -> None:
    """(t): membership costs the same whatever the domain's size; its ratio to botocore's
    floor; an estimate over ``estimated`` profiles."""
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    asked = {}
    for name, count in (("small", 100), ("big", big)):
        cp.create_domain(name)
        asked[name] = cp.create_profiles(name, (profile(i) for i in range(count)))[:100]
        for segment, groups in (("odd", ODD), ("gold", GOLD_NOT_ODD)):
            client.create_segment_definition(
                DomainName=name,
                SegmentDefinitionName=segment,
                DisplayName=segment,
                SegmentGroups=groups,
            )

    def membership(domain: str) -> Callable[[], Any]:
        return lambda: client.get_segment_membership(
            DomainName=domain, SegmentDefinitionName="gold", ProfileIds=asked[domain]
        )

    gc.collect()
    small, large = interleaved(membership("small"), membership("big"), rounds, n)
    floor = _canned_client(*_canned_response(client, membership("small")))
    mock_t, floor_t = interleaved(
        membership("small"),
        lambda: floor.get_segment_membership(
            DomainName="small", SegmentDefinitionName="gold", ProfileIds=asked["small"]
        ),
        rounds,
        n,
    )
    cp.create_domain("fake")
    start = time.perf_counter()
    cp.fake_profiles("fake", estimated, seed=1)
    seeded_in = time.perf_counter() - start
    gc.collect()

    def estimate() -> Any:
        made = client.create_segment_estimate(DomainName="fake", SegmentQuery=ESTIMATE_QUERY)
        return client.get_segment_estimate(DomainName="fake", EstimateId=made["EstimateId"])

    count = estimate()["Estimate"]
    estimate_t = statistics.median(per_call(estimate, 5))
    cp.stop()
    print(
        f"(t) get_segment_membership of 100 ids: with 100 profiles {small * 1e6:.0f} us, with "
        f"{big:,} {large * 1e6:.0f} us, ratio {large / small:.3f}x (target <= 1.1x); "
        f"next to the canned floor: mock {mock_t * 1e6:.0f} us, floor {floor_t * 1e6:.0f} us, "
        f"ratio {mock_t / floor_t:.3f}x; estimate over "
        f"{estimated:,} fake profiles ({count} in it): {estimate_t:.3f} s (target < 1 s; "
        f"seeding took {seeded_in:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        bench_floor(rounds=3, n=100)
        bench_scale(big=20_000, rounds=3, n=100)
        bench_cycle(n=200)
        bench_throughput(count=20_000, repeats=3)
        bench_throttled(rounds=3, n=100)
        bench_idle_faults(rounds=3, n=100)
        bench_fake(count=2_000, repeats=3)
        bench_pytest_suite(count=100, repeats=1)
        bench_restore(big=20_000, n=200)
        bench_memory(count=20_000)
        bench_put_object(rounds=3, n=100)
        bench_search_scale(big=20_000, rounds=3, n=100)
        bench_merge(n=20)
        bench_area_floors(rounds=3, n=100)
        bench_history(big=2_000, rounds=3, n=100)
        bench_stream_cost(rounds=3, n=100)
        bench_attribute_values(rounds=3, n=50)
        bench_rule_based(rounds=3, n=20)
        bench_jobs_and_workflows(rounds=3, n=100)
        bench_server(rounds=3, n=100)
        bench_moto(rounds=3, n=100)
        bench_mock_aws(rounds=3, n=100)
        bench_segments(big=20_000, estimated=20_000, rounds=3, n=50)
    else:
        bench_floor(rounds=10, n=300)
        bench_scale(big=1_000_000, rounds=10, n=300)
        bench_cycle(n=2000)
        bench_throughput(count=100_000, repeats=5)
        bench_throttled(rounds=10, n=200)
        bench_idle_faults(rounds=10, n=300)
        bench_fake(count=20_000, repeats=5)
        bench_pytest_suite(count=500, repeats=3)
        bench_restore(big=100_000, n=1000)
        bench_memory(count=1_000_000)
        bench_put_object(rounds=10, n=300)
        bench_search_scale(big=1_000_000, rounds=10, n=300)
        bench_merge(n=200)
        bench_area_floors(rounds=10, n=300)
        bench_history(big=100_000, rounds=10, n=300)
        bench_stream_cost(rounds=10, n=300)
        bench_attribute_values(rounds=10, n=200)
        bench_rule_based(rounds=10, n=50)
        bench_jobs_and_workflows(rounds=10, n=300)
        bench_server(rounds=10, n=300)
        bench_moto(rounds=10, n=300)
        bench_mock_aws(rounds=10, n=300)
        bench_segments(big=100_000, estimated=1_000_000, rounds=10, n=100)


if __name__ == "__main__":
    main()
