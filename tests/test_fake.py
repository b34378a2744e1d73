"""Tests for customer_profiles_mock._fake.generate_profiles."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape
from botocore.validate import validate_parameters

from customer_profiles_mock.handle.fake import generate_profiles

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def input_shape() -> StructureShape:
    model = botocore.session.get_session().get_service_model("customer-profiles")
    shape = model.operation_model("CreateProfile").input_shape
    assert isinstance(shape, StructureShape)
    return shape


def model_violations(value: Any, shape: Shape, path: str = "") -> list[str]:
    """What botocore's validator skips: string max lengths, enums, and nested members."""
    problems: list[str] = []
    if value is None:
        return [f"{path}: None value"]
    if shape.type_name == "structure":
        assert isinstance(shape, StructureShape)
        for key, item in value.items():
            if key not in shape.members:
                problems.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                problems += model_violations(item, shape.members[key], f"{path}.{key}")
    elif shape.type_name == "map":
        assert isinstance(shape, MapShape)
        for key, item in value.items():
            problems += model_violations(key, shape.key, f"{path}[key {key!r}]")
            problems += model_violations(item, shape.value, f"{path}[{key!r}]")
    elif shape.type_name == "list":
        assert isinstance(shape, ListShape)
        for i, item in enumerate(value):
            problems += model_violations(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "string":
        if not isinstance(value, str):
            return [f"{path}: {value!r} is not a string"]
        low, high = shape.metadata.get("min", 0), shape.metadata.get("max")
        if len(value) < low or (high is not None and len(value) > high):
            problems.append(f"{path}: length {len(value)} outside {low}..{high}")
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} not in {shape.enum}")
        if "pattern" in shape.metadata and not re.search(shape.metadata["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {shape.metadata['pattern']}")
    return problems


def all_emails(profiles: list[dict[str, Any]]) -> list[str]:
    keys = ("EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress")
    return [p[k] for p in profiles for k in keys if k in p]


def test_model_violations_flags_bad_values(input_shape: StructureShape) -> None:
    bad = {
        "FirstName": "x" * 256,
        "Gender": "male",
        "Address": {"City": ""},
        "Attributes": {"k": None},
        "Bogus": "1",
    }
    assert len(model_violations(bad, input_shape)) == 5


def test_generate_profiles_same_seed_gives_identical_output() -> None:
    first = generate_profiles(50, seed=42)
    generate_profiles(7, seed=3, locale="de_DE")  # unrelated call in between
    assert generate_profiles(50, seed=42) == first


def test_generate_profiles_different_seed_gives_different_output() -> None:
    assert generate_profiles(20, seed=1) != generate_profiles(20, seed=2)


def test_generate_profiles_no_seed_gives_different_output() -> None:
    assert generate_profiles(20) != generate_profiles(20)


def test_generate_profiles_is_deterministic_across_processes() -> None:
    code = (
        "import json; from customer_profiles_mock.handle.fake import generate_profiles; "
        "print(json.dumps(generate_profiles(25, seed=7)))"
    )
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(REPO_ROOT))
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1] == generate_profiles(25, seed=7)


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP", "en_CA"])
def test_generate_profiles_match_create_profile_model(
    input_shape: StructureShape, locale: str
) -> None:
    profiles = generate_profiles(300, seed=11, locale=locale, business_ratio=0.3)
    assert len(profiles) == 300
    for profile in profiles:
        assert "DomainName" not in profile
        assert "ProfileId" not in profile
        validate_parameters(dict(profile, DomainName="d"), input_shape)
        assert model_violations(profile, input_shape) == [], profile


def test_generate_profiles_fill_expected_fields() -> None:
    for profile in generate_profiles(200, seed=5):
        assert profile["Address"]["Country"] == "US"
        assert re.fullmatch(r"ACC-\d+", profile["AccountNumber"])
        assert profile["Attributes"]
        if profile["PartyType"] == "BUSINESS":
            required = {"BusinessName", "BusinessEmailAddress", "BusinessPhoneNumber"}
            assert required | {"FirstName", "LastName"} <= profile.keys()
            continue
        assert {"FirstName", "LastName", "EmailAddress", "Gender"} <= profile.keys()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", profile["BirthDate"])
        phones = [profile.get(k) for k in ("PhoneNumber", "MobilePhoneNumber")]
        assert any(phones)
        assert all(re.fullmatch(r"\+\d{8,15}", p) for p in phones if p)


def test_generate_profiles_ratio_zero_gives_only_individuals() -> None:
    profiles = generate_profiles(200, seed=3, business_ratio=0)
    assert {p["PartyType"] for p in profiles} == {"INDIVIDUAL"}


def test_generate_profiles_ratio_one_gives_only_businesses() -> None:
    profiles = generate_profiles(200, seed=3, business_ratio=1)
    assert {p["PartyType"] for p in profiles} == {"BUSINESS"}


def test_generate_profiles_default_ratio_gives_about_one_fifth_businesses() -> None:
    profiles = generate_profiles(1000, seed=9)
    businesses = sum(p["PartyType"] == "BUSINESS" for p in profiles)
    assert 120 <= businesses <= 280


def test_generate_profiles_emails_are_unique_within_a_call() -> None:
    emails = all_emails(generate_profiles(500, seed=13, business_ratio=0.5))
    assert len(emails) >= 500
    assert len(set(emails)) == len(emails)


def test_generate_profiles_negative_count_raises() -> None:
    with pytest.raises(ValueError, match=re.escape("count must be a non-negative integer, got -1")):
        generate_profiles(-1)


def test_generate_profiles_ratio_out_of_range_raises() -> None:
    with pytest.raises(
        ValueError, match=re.escape("business_ratio must be between 0 and 1, got 1.5")
    ):
        generate_profiles(3, business_ratio=1.5)


def test_generate_profiles_zero_count_gives_empty_list() -> None:
    assert generate_profiles(0, seed=1) == []


def test_same_seed_same_profiles_from_threads():
    import threading

    expected = generate_profiles(30, seed=5)
    results: list[list[dict]] = []

    def run() -> None:
        for _ in range(5):
            results.append(generate_profiles(30, seed=5))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 20
    assert all(r == expected for r in results)


def test_fake_profiles_count_is_bounded_over_the_server(customer_profiles_server) -> None:
    customer_profiles_server.create_domain("shop")
    with pytest.raises(ValueError) as exc:
        customer_profiles_server.fake_profiles("shop", 10**30)
    assert str(exc.value) == (
        "count must be at most 1,000,000 a call, got "
        "1,000,000,000,000,000,000,000,000,000,000: call fake_profiles again for more"
    )
    assert customer_profiles_server.profiles("shop") == []
