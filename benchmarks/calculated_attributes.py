"""Benchmarks of the calculated attributes, whose values are computed when read.

    python benchmarks/calculated_attributes.py            # the figures below
    python benchmarks/calculated_attributes.py --quick    # smaller counts, for a smoke run

(p) get_calculated_attribute_for_profile (SUM over a profile's 20 objects, with a Range
    read from each object's timestamp) vs the same call answered by a before-send handler
    returning the same canned response (botocore's own floor), as bench.py's (a)
(q) the same read in a domain of 100 profiles and in one of 100,000 (every profile with
    an object of the type, the read profile with 20): a read costs O(that profile's
    objects), so the two should be alike
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

import boto3
from bench import REGION, _canned_client, _canned_response, interleaved, profile

from customer_profiles_mock import mock_customer_profiles

ORDER_TYPE = {
    "Description": "Orders",
    "AllowProfileCreation": False,
    "Fields": {
        "id": {"Source": "_source.id"},
        "email": {"Source": "_source.email", "ContentType": "EMAIL_ADDRESS"},
        "total": {"Source": "_source.total", "ContentType": "NUMBER"},
        "placed": {"Source": "_source.placed"},
    },
    "Keys": {
        "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
        "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
    },
}
DEFINITION = {
    "CalculatedAttributeName": "spend",
    "AttributeDetails": {"Attributes": [{"Name": "total"}], "Expression": "{Order.total}"},
    "Statistic": "SUM",
    "UseHistoricalData": True,
    "Conditions": {
        "Range": {
            "Value": 30,
            "Unit": "DAYS",
            "TimestampSource": "{Order.placed}",
            "TimestampFormat": "EPOCHMILLI",
        }
    },
}
READ_OBJECTS = 20


def seeded(cp: Any, domain: str, count: int) -> str:
    """A domain of ``count`` profiles, each with one order, the first with 20; the
    definition; the id of the profile that is read."""
    cp.create_domain(domain)
    ids = cp.create_profiles(domain, (profile(i) for i in range(count)))
    cp.put_object_type(domain, "Order", **ORDER_TYPE)
    now_ms = int(time.time() * 1000)
    for i in range(count):
        orders = READ_OBJECTS if i == 0 else 1
        for j in range(orders):
            cp.put_object(
                domain,
                "Order",
                {
                    "id": f"o-{i}-{j}",
                    "email": f"person{i}@example.com",
                    "total": str(10 + j),
                    "placed": str(now_ms - j * 86_400_000),
                },
            )
    cp.seed("CreateCalculatedAttributeDefinition", DomainName=domain, **DEFINITION)
    return str(ids[0])


def read(client: Any, domain: str, profile_id: str) -> Any:
    return client.get_calculated_attribute_for_profile(
        DomainName=domain, ProfileId=profile_id, CalculatedAttributeName="spend"
    )


def bench_floor(rounds: int, n: int) -> None:
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    profile_id = seeded(cp, "shop", 100)
    expected = read(client, "shop", profile_id)
    assert expected["Value"] == str(sum(10 + j for j in range(READ_OBJECTS))), expected
    floor = _canned_client(*_canned_response(client, lambda: read(client, "shop", profile_id)))
    assert read(floor, "shop", profile_id)["Value"] == expected["Value"]
    mock_t, floor_t = interleaved(
        lambda: read(client, "shop", profile_id),
        lambda: read(floor, "shop", profile_id),
        rounds,
        n,
    )
    cp.stop()
    print(
        f"(p) get_calculated_attribute_for_profile, SUM of {READ_OBJECTS} objects in a Range: "
        f"mock {mock_t * 1e6:.0f} us, canned floor {floor_t * 1e6:.0f} us, "
        f"ratio {mock_t / floor_t:.3f}x"
    )


def bench_scale(big: int, rounds: int, n: int) -> None:
    cp = mock_customer_profiles(region=REGION).start()
    client = boto3.client("customer-profiles", region_name=REGION)
    small_id = seeded(cp, "small", 100)
    start = time.perf_counter()
    big_id = seeded(cp, "big", big)
    seeded_in = time.perf_counter() - start
    assert read(client, "small", small_id)["Value"] == read(client, "big", big_id)["Value"]
    gc.collect()  # the collection seeding's allocations are due, before measuring
    small, large = interleaved(
        lambda: read(client, "small", small_id),
        lambda: read(client, "big", big_id),
        rounds,
        n,
    )
    cp.stop()
    print(
        f"(q) get_calculated_attribute_for_profile with 100 profiles {small * 1e6:.0f} us, "
        f"with {big:,} {large * 1e6:.0f} us, ratio {large / small:.3f}x (target <= 1.1x); "
        f"seeding {big:,} profiles and their objects took {seeded_in:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run")
    if parser.parse_args().quick:
        bench_floor(rounds=3, n=100)
        bench_scale(big=5_000, rounds=3, n=100)
    else:
        bench_floor(rounds=10, n=300)
        bench_scale(big=100_000, rounds=10, n=300)


if __name__ == "__main__":
    main()
