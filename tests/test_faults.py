"""Fault injection, retries, the call log and unused-fault checks through real boto3 clients."""

from __future__ import annotations

import inspect
import threading
import time
import types
import unittest
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import botocore.config
import botocore.retryhandler
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from customer_profiles_mock import (
    FaultPredicateError,
    InvalidArgumentError,
    UnsupportedOperationError,
    UnusedFaultsError,
    VirtualClock,
    mock_customer_profiles,
)
from customer_profiles_mock.faults import batch_operations
from customer_profiles_mock.transports.botocore_hooks import _RawBody
from customer_profiles_mock.wire import model as _model

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODES = ["legacy", "standard", "adaptive"]
MAX_ATTEMPTS = {"legacy": 5, "standard": 3, "adaptive": 3}
needs_batch_put = pytest.mark.skipif(  # botocore 1.40 has none
    "BatchPutProfileObject" not in _model.service_model().operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
ONE_ATTEMPT = {"total_max_attempts": 1}
ANN = {"FirstName": "Ann", "LastName": "Lee"}
BOB = {"FirstName": "Bob", "LastName": "Lee"}
ERRORS = {
    "BadRequestException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}
RETRIED = {"ThrottlingException", "InternalServerException"}
ALL_ERRORS = ", ".join(sorted(ERRORS))
UNUSED_HEAD = "customer_profiles_mock: the following faults were registered but never triggered:\n"


def _here(offset: int = 0) -> str:
    """``file:line`` of the caller's line, moved by ``offset`` lines."""
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    assert caller is not None
    return f"{__file__}:{caller.f_lineno + offset}"


UNUSED_TAIL = (
    "\n\nIf this is on purpose, pass assert_all_faults_triggered=False to mock_customer_profiles()."
)


class _SleepRecorder:
    """Stands in for ``time.sleep``: records the seconds asked for and returns at once.
    Installed before the mock starts, it sees every sleep that reaches the real one."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps(monkeypatch) -> _SleepRecorder:
    """``time.sleep`` recorded; take it before starting a mock in the test."""
    recorder = _SleepRecorder()
    monkeypatch.setattr(time, "sleep", recorder)
    return recorder


def _client(mode: str | None = None, region: str = REGION, **retries: Any) -> Any:
    if mode is not None:
        retries["mode"] = mode
    config = botocore.config.Config(retries=retries) if retries else None
    return boto3.client("customer-profiles", region_name=region, config=config)


def _denied(operation: str, resource: str, account_id: str = ACCOUNT_ID, region: str = REGION):
    return (
        f"User: arn:aws:iam::{account_id}:user/test-user is not authorized to perform: "
        f"profile:{operation} on resource: arn:aws:profile:{region}:{account_id}:domains/{resource}"
    )


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


# -- throttle ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_throttle_once_is_retried_and_succeeds(cp, shop, mode):
    fault = cp.throttle("CreateProfile", times=1)
    out = _client(mode).create_profile(DomainName="shop", **ANN)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["ResponseMetadata"]["RetryAttempts"] == 1
    calls = cp.calls_for("CreateProfile")
    assert [c.status for c in calls] == [429, 200]
    assert [c.error_code for c in calls] == ["ThrottlingException", None]
    assert [c.attempt for c in calls] == [1, 2]
    assert [c.fault for c in calls] == [fault, None]
    assert fault.triggered == 1
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [out["ProfileId"]]


@pytest.mark.parametrize("mode", MODES)
def test_throttle_until_attempts_run_out(cp, shop, mode):
    fault = cp.throttle("CreateProfile", times=None)
    client = _client(mode)
    with pytest.raises(client.exceptions.ThrottlingException) as exc:
        client.create_profile(DomainName="shop", **ANN)
    attempts = MAX_ATTEMPTS[mode]
    response = exc.value.response
    assert response["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
    assert response["ResponseMetadata"]["MaxAttemptsReached"] is True
    calls = cp.calls_for("CreateProfile")
    assert [c.attempt for c in calls] == list(range(1, attempts + 1))
    assert {c.status for c in calls} == {429}
    assert all(c.fault is fault for c in calls)
    assert fault.triggered == attempts
    assert cp.profiles("shop") == []


@pytest.mark.parametrize("mode", MODES)
def test_throttle_total_max_attempts_one_surfaces_at_once(cp, shop, mode):
    fault = cp.throttle("GetDomain", times=1)
    client = _client(mode, **ONE_ATTEMPT)
    with pytest.raises(client.exceptions.ThrottlingException) as exc:
        client.get_domain(DomainName="shop")
    assert exc.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert exc.value.response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert [c.attempt for c in cp.calls_for("GetDomain")] == [1]
    assert fault.triggered == 1
    assert client.get_domain(DomainName="shop")["DomainName"] == "shop"


def test_throttle_without_operation_matches_every_operation(cp, shop):
    fault = cp.throttle(times=2)
    client = _client(**ONE_ATTEMPT)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName="shop")
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_domains()
    assert client.list_domains()["Items"][0]["DomainName"] == "shop"
    assert [(c.operation, c.status) for c in cp.calls] == [
        ("GetDomain", 429),
        ("ListDomains", 429),
        ("ListDomains", 200),
    ]
    assert fault.triggered == 2


# -- deny --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_deny_is_not_retried_and_lasts_until_removed(cp, shop, mode):
    fault = cp.deny("GetDomain")
    client = _client(mode)
    for _ in range(2):
        with pytest.raises(client.exceptions.AccessDeniedException) as exc:
            client.get_domain(DomainName="shop")
        response = exc.value.response
        assert response["Error"] == {
            "Code": "AccessDeniedException",
            "Message": _denied("GetDomain", "shop"),
        }
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert response["ResponseMetadata"]["RetryAttempts"] == 0
        assert "MaxAttemptsReached" not in response["ResponseMetadata"]
    assert [(c.attempt, c.status) for c in cp.calls_for("GetDomain")] == [(1, 403), (1, 403)]
    assert fault.triggered == 2
    assert fault.times is None


def test_deny_message_without_domain_names_every_domain(cp):
    cp.deny("ListDomains")
    client = _client()
    with pytest.raises(client.exceptions.AccessDeniedException) as exc:
        client.list_domains()
    assert exc.value.response["Error"]["Message"] == _denied("ListDomains", "*")


# -- inject_error ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("code", sorted(ERRORS))
def test_inject_error_every_modelled_error(cp, shop, mode, code):
    fault = cp.inject_error(code, "GetDomain", times=None, message=f"custom {code}")
    client = _client(mode)
    with pytest.raises(getattr(client.exceptions, code)) as exc:
        client.get_domain(DomainName="shop")
    response = exc.value.response
    assert response["Error"] == {"Code": code, "Message": f"custom {code}"}
    assert response["Message"] == f"custom {code}"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == ERRORS[code]
    attempts = MAX_ATTEMPTS[mode] if code in RETRIED else 1
    assert response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
    assert response["ResponseMetadata"].get("MaxAttemptsReached", False) is (code in RETRIED)
    calls = cp.calls_for("GetDomain")
    assert [c.attempt for c in calls] == list(range(1, attempts + 1))
    assert {(c.status, c.error_code) for c in calls} == {(ERRORS[code], code)}
    assert fault.triggered == attempts


@pytest.mark.parametrize(
    ("code", "operation", "params", "message"),
    [
        ("ThrottlingException", "GetDomain", {"DomainName": "shop"}, "Rate exceeded"),
        ("InternalServerException", "GetDomain", {"DomainName": "shop"}, "Internal server error"),
        ("BadRequestException", "GetDomain", {"DomainName": "shop"}, "Bad request"),
        (
            "ResourceNotFoundException",
            "GetDomain",
            {"DomainName": "shop"},
            "Domain shop does not exist",
        ),
        ("ResourceNotFoundException", "ListDomains", {}, "Resource not found"),
        (
            "AccessDeniedException",
            "GetDomain",
            {"DomainName": "shop"},
            _denied("GetDomain", "shop"),
        ),
    ],
)
def test_inject_error_default_messages(cp, shop, code, operation, params, message):
    cp.inject_error(code, operation, times=1)
    client = _client(**ONE_ATTEMPT)
    method = getattr(client, "get_domain" if operation == "GetDomain" else "list_domains")
    with pytest.raises(ClientError) as exc:
        method(**params)
    assert exc.value.response["Error"] == {"Code": code, "Message": message}


@pytest.mark.parametrize("mode", MODES)
def test_internal_errors_then_success(cp, shop, mode):
    fault = cp.inject_error("InternalServerException", "GetDomain", times=2)
    out = _client(mode).get_domain(DomainName="shop")
    assert out["DomainName"] == "shop"
    assert out["ResponseMetadata"]["RetryAttempts"] == 2
    calls = cp.calls_for("GetDomain")
    assert [(c.attempt, c.status, c.error_code) for c in calls] == [
        (1, 500, "InternalServerException"),
        (2, 500, "InternalServerException"),
        (3, 200, None),
    ]
    assert fault.triggered == 2


def test_inject_error_with_region_specific_message(cp):
    cp.deny("ListDomains", region="eu-west-1")
    client = _client(region="eu-west-1")
    with pytest.raises(client.exceptions.AccessDeniedException) as exc:
        client.list_domains()
    assert exc.value.response["Error"]["Message"] == _denied("ListDomains", "*", region="eu-west-1")


# -- faulted requests change no state ----------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_faulted_create_profile_creates_nothing(cp, shop, mode):
    cp.throttle("CreateProfile", times=None)
    with pytest.raises(ClientError):
        _client(mode).create_profile(DomainName="shop", **ANN)
    assert cp.profiles("shop") == []
    assert len(cp.calls_for("CreateProfile")) == MAX_ATTEMPTS[mode]


def test_faulted_create_domain_creates_nothing(cp):
    cp.inject_error("InternalServerException", "CreateDomain", times=None)
    client = _client("legacy")  # botocore's default mode changes between releases
    with pytest.raises(client.exceptions.InternalServerException):
        client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    assert cp.domains() == []
    assert len(cp.calls_for("CreateDomain")) == MAX_ATTEMPTS["legacy"]


def test_faulted_delete_domain_deletes_nothing(cp, shop):
    cp.deny("DeleteDomain")
    client = _client()
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.delete_domain(DomainName="shop")
    assert cp.domains() == ["shop"]


# -- scope -------------------------------------------------------------------------


def test_scope_domain(cp, shop):
    cp.create_domain("other")
    fault = cp.throttle("GetDomain", times=None, domain="shop")
    # ListDomains carries no DomainName: a fault for every operation, scoped to a
    # domain, never matches it.
    every = cp.throttle(times=None, domain="shop")
    client = _client(**ONE_ATTEMPT)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName="shop")
    assert client.get_domain(DomainName="other")["DomainName"] == "other"
    assert len(client.list_domains()["Items"]) == 2
    assert (fault.triggered, every.triggered) == (1, 0)


def test_scope_region(cp):
    fault = cp.deny(region="eu-west-1")
    europe = _client(region="eu-west-1")
    with pytest.raises(europe.exceptions.AccessDeniedException):
        europe.list_domains()
    assert _client().list_domains()["Items"] == []
    assert [(c.region, c.status) for c in cp.calls] == [("eu-west-1", 403), (REGION, 200)]
    assert fault.triggered == 1


def test_scope_account_id(cp):
    fault = cp.deny("ListDomains", account_id="111111111111")
    client = _client()
    assert client.list_domains()["Items"] == []
    with (
        mock_customer_profiles(account_id="111111111111"),
        pytest.raises(client.exceptions.AccessDeniedException) as exc,
    ):
        client.list_domains()
    assert exc.value.response["Error"]["Message"] == _denied(
        "ListDomains", "*", account_id="111111111111"
    )
    assert client.list_domains()["Items"] == []
    assert [(c.account_id, c.status) for c in cp.calls] == [
        (ACCOUNT_ID, 200),
        ("111111111111", 403),
        (ACCOUNT_ID, 200),
    ]
    assert fault.triggered == 1


def _throttled_sequence(seed: int, probability: float = 0.5, count: int = 30) -> list[bool]:
    with mock_customer_profiles() as cp:
        fault = cp.throttle("ListDomains", times=None, probability=probability, seed=seed)
        client = _client(**ONE_ATTEMPT)
        seen = []
        for _ in range(count):
            try:
                client.list_domains()
            except client.exceptions.ThrottlingException:
                seen.append(True)
            else:
                seen.append(False)
        assert fault.triggered == sum(seen)
        assert [c.status == 429 for c in cp.calls] == seen
    return seen


def test_scope_probability_same_seed_same_sequence():
    first = _throttled_sequence(7)
    assert _throttled_sequence(7) == first
    assert True in first
    assert False in first
    assert _throttled_sequence(8) != first


@pytest.mark.parametrize(("probability", "expected"), [(0, False), (1, True), (1.0, True)])
def test_scope_probability_bounds(probability, expected):
    assert _throttled_sequence(1, probability, count=5) == [expected] * 5


def test_scope_after_lets_first_matches_through(cp):
    fault = cp.throttle("ListDomains", after=2, times=1)
    client = _client(**ONE_ATTEMPT)
    client.list_domains()
    client.list_domains()
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_domains()
    client.list_domains()
    assert [c.status for c in cp.calls] == [200, 200, 429, 200]
    assert fault.triggered == 1


@pytest.mark.parametrize("mode", MODES)
def test_scope_after_counts_retry_attempts(cp, mode):
    fault = cp.inject_error("InternalServerException", "ListDomains", after=1, times=1)
    client = _client(mode)
    assert client.list_domains()["ResponseMetadata"]["RetryAttempts"] == 0
    assert client.list_domains()["ResponseMetadata"]["RetryAttempts"] == 1
    assert [(c.attempt, c.status) for c in cp.calls] == [(1, 200), (1, 500), (2, 200)]
    assert fault.triggered == 1


def test_scope_when_sees_parsed_params(cp, shop):
    seen = []

    def is_bob(params):
        seen.append(dict(params))
        return params.get("FirstName") == "Bob"

    fault = cp.throttle("CreateProfile", times=None, when=is_bob)
    client = _client(**ONE_ATTEMPT)
    client.create_profile(DomainName="shop", **ANN)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.create_profile(DomainName="shop", **BOB)
    assert seen == [{"DomainName": "shop", **ANN}, {"DomainName": "shop", **BOB}]
    assert [p["FirstName"] for p in cp.profiles("shop")] == ["Ann"]
    assert fault.triggered == 1


def test_scope_keys_combine(cp, shop):
    fault = cp.throttle(
        "GetDomain", times=None, domain="shop", region=REGION, account_id=ACCOUNT_ID, after=1
    )
    client = _client(**ONE_ATTEMPT)
    client.get_domain(DomainName="shop")
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName="shop")
    assert fault.triggered == 1


# -- delay -------------------------------------------------------------------------


def test_delay_advances_virtual_clock(sleeps):
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        fault = cp.delay(2.5, "GetDomain", times=1)
        client = _client()
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert sleeps.calls == []  # the delay moved the virtual clock, never time.sleep
        assert clock.time() == 2.5
        client.get_domain(DomainName="shop")
        assert clock.time() == 2.5
        first, second = cp.calls_for("GetDomain")
        assert (first.status, first.error_code, first.delay) == (200, None, 2.5)
        assert first.fault is fault
        assert (second.delay, second.fault) == (0.0, None)
        assert fault.triggered == 1


def test_delays_all_apply_then_first_error_answers():
    clock = VirtualClock(100.0)
    with mock_customer_profiles(clock=clock) as cp:
        short = cp.delay(1, "ListDomains")
        long = cp.delay(2)
        throttle = cp.throttle("ListDomains", times=1)
        internal = cp.inject_error("InternalServerException", "ListDomains", times=None)
        client = _client(**ONE_ATTEMPT)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.list_domains()
        assert clock.time() == 103.0
        with pytest.raises(client.exceptions.InternalServerException):
            client.list_domains()
        assert clock.time() == 106.0
        first, second = cp.calls
        assert (first.delay, second.delay) == (3.0, 3.0)
        assert first.fault is throttle
        assert second.fault is internal
        assert [f.triggered for f in (short, long, throttle, internal)] == [2, 2, 1, 1]


@pytest.mark.parametrize("mode", MODES)
def test_delay_applies_to_every_attempt(mode):
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        cp.delay(1.5, "ListDomains")
        cp.throttle("ListDomains", times=None)
        with pytest.raises(ClientError):
            _client(mode).list_domains()
        attempts = MAX_ATTEMPTS[mode]
        assert clock.time() == 1.5 * attempts
        assert [c.delay for c in cp.calls] == [1.5] * attempts


def test_delay_real_clock_really_waits(sleeps):
    with mock_customer_profiles() as cp:
        fault = cp.delay(0.02, "ListDomains", times=1)
        _client().list_domains()
        _client().list_domains()
        assert sleeps.calls == [0.02]  # on the real clock, once: times=1
        assert [c.delay for c in cp.calls] == [0.02, 0.0]
        assert fault.triggered == 1


# -- rate_limit --------------------------------------------------------------------


def test_rate_limit_burst_then_throttle_and_refill_on_advance():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        fault = cp.rate_limit("GetDomain", per_second=2)
        client = _client(**ONE_ATTEMPT)

        def outcomes(count: int) -> list[int | str]:
            seen: list[int | str] = []
            for _ in range(count):
                try:
                    client.get_domain(DomainName="shop")
                except client.exceptions.ThrottlingException as exc:
                    error = exc.response["Error"]
                    status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
                    seen.append(f"{status} {error['Code']}: {error['Message']}")
                else:
                    seen.append(200)
            return seen

        throttled = "429 ThrottlingException: Rate exceeded"

        assert outcomes(3) == [200, 200, throttled]
        assert outcomes(1) == [throttled]
        clock.advance(0.5)
        assert outcomes(2) == [200, throttled]
        clock.advance(1)
        assert outcomes(3) == [200, 200, throttled]
        clock.advance(60)
        assert outcomes(3) == [200, 200, throttled]
        assert fault.triggered == 5
        assert fault.burst == 2
        assert client.list_domains()["Items"][0]["DomainName"] == "shop"
        rejected = [c for c in cp.calls if c.status == 429]
        assert len(rejected) == 5
        assert all(c.fault is fault and c.error_code == "ThrottlingException" for c in rejected)


def test_rate_limit_explicit_burst():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        fault = cp.rate_limit("ListDomains", per_second=1, burst=3)
        client = _client(**ONE_ATTEMPT)
        for _ in range(3):
            client.list_domains()
        with pytest.raises(client.exceptions.ThrottlingException):
            client.list_domains()
        clock.advance(1)
        client.list_domains()
        assert fault.triggered == 1


@pytest.mark.parametrize("mode", MODES)
def test_rate_limit_retries_do_not_refill_virtual_clock(mode):
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        fault = cp.rate_limit("ListDomains", per_second=1)
        client = _client(mode)
        client.list_domains()
        with pytest.raises(client.exceptions.ThrottlingException) as exc:
            client.list_domains()
        attempts = MAX_ATTEMPTS[mode]
        assert exc.value.response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
        assert exc.value.response["ResponseMetadata"]["MaxAttemptsReached"] is True
        assert [c.status for c in cp.calls] == [200] + [429] * attempts
        assert fault.triggered == attempts
        clock.advance(1)
        assert client.list_domains()["ResponseMetadata"]["RetryAttempts"] == 0


# -- fail_profiles -----------------------------------------------------------------


@pytest.fixture
def people(cp, shop):
    return [cp.create_profile("shop", FirstName=name) for name in ("Ann", "Bob", "Cy")]


def test_fail_profiles_partial_failure(cp, people):
    ann, bob, cy = people
    missing = "0" * 32
    fault = cp.fail_profiles("shop", [cy, ann], code="503", message="Shard unavailable")
    out = _client().batch_get_profile(DomainName="shop", ProfileIds=[ann, missing, bob, cy])
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert out["ResponseMetadata"]["RetryAttempts"] == 0
    assert out["Profiles"] == [{"ProfileId": bob, "FirstName": "Bob"}]
    assert out["Errors"] == [
        {"Code": "503", "Message": "Shard unavailable", "ProfileId": ann},
        {"Code": "404", "Message": "Profile not found", "ProfileId": missing},
        {"Code": "503", "Message": "Shard unavailable", "ProfileId": cy},
    ]
    (call,) = cp.calls_for("BatchGetProfile")
    assert (call.status, call.error_code) == (200, None)
    assert fault.triggered == 1


def test_fail_profiles_recorded_as_the_calls_fault(cp, people):
    fault = cp.fail_profiles("shop", [people[0]])
    _client().batch_get_profile(DomainName="shop", ProfileIds=people)
    (call,) = cp.calls_for("BatchGetProfile")
    assert fault.triggered == 1
    assert call.fault is fault


@pytest.mark.parametrize(
    ("code", "message"),
    [("500", "Internal server error"), ("404", "Profile could not be retrieved (404)")],
)
def test_fail_profiles_default_messages(cp, people, code, message):
    ann = people[0]
    cp.fail_profiles("shop", [ann], code=code)
    out = _client().batch_get_profile(DomainName="shop", ProfileIds=[ann])
    assert out["Profiles"] == []
    assert out["Errors"] == [{"Code": code, "Message": message, "ProfileId": ann}]


def test_fail_profiles_times(cp, people):
    ann, bob, _ = people
    fault = cp.fail_profiles("shop", [ann], times=1)
    client = _client()
    assert client.batch_get_profile(DomainName="shop", ProfileIds=[bob])["Errors"] == []
    assert fault.triggered == 0
    first = client.batch_get_profile(DomainName="shop", ProfileIds=[ann, bob])
    assert [e["ProfileId"] for e in first["Errors"]] == [ann]
    second = client.batch_get_profile(DomainName="shop", ProfileIds=[ann, bob])
    assert second["Errors"] == []
    assert [p["ProfileId"] for p in second["Profiles"]] == [ann, bob]
    assert fault.triggered == 1


def test_fail_profiles_only_in_its_domain(cp, people):
    ann = people[0]
    cp.create_domain("other")
    cp.create_profile("other", ProfileId=ann, FirstName="Other Ann")
    cp.fail_profiles("shop", [ann])
    client = _client()
    other = client.batch_get_profile(DomainName="other", ProfileIds=[ann])
    assert other["Profiles"] == [{"ProfileId": ann, "FirstName": "Other Ann"}]
    shop = client.batch_get_profile(DomainName="shop", ProfileIds=[ann])
    assert [e["Code"] for e in shop["Errors"]] == ["500"]


def test_fail_profiles_first_registered_fault_wins_per_id(cp, people):
    ann, bob, _ = people
    first = cp.fail_profiles("shop", [ann], code="503", message="first")
    second = cp.fail_profiles("shop", [ann, bob], code="429", message="second")
    out = _client().batch_get_profile(DomainName="shop", ProfileIds=[bob, ann])
    assert out["Errors"] == [
        {"Code": "429", "Message": "second", "ProfileId": bob},
        {"Code": "503", "Message": "first", "ProfileId": ann},
    ]
    assert (first.triggered, second.triggered) == (1, 1)


_NOT_AN_ID = "Member must satisfy regular expression pattern: [a-f0-9]{32}"


@pytest.mark.parametrize(
    ("profile_ids", "message"),
    [
        (
            [],
            "ids must be a list of one or more ids of BatchGetProfile's items (ProfileIds), "
            "got an empty list",
        ),
        (["ABC"], f"'ABC' cannot be an id of BatchGetProfile's items (ProfileIds): {_NOT_AN_ID}"),
        (
            "a" * 32,
            "ids must be a list of one or more ids of BatchGetProfile's items (ProfileIds), "
            "got a str",
        ),
        (
            ["A" * 32],
            f"{'A' * 32!r} cannot be an id of BatchGetProfile's items (ProfileIds): {_NOT_AN_ID}",
        ),
    ],
)
def test_fail_profiles_bad_profile_ids(cp, profile_ids, message):
    with pytest.raises(ValueError) as exc:
        cp.fail_profiles("shop", profile_ids)
    assert str(exc.value) == f"fail_profiles(): {message}"
    assert cp.faults == []


def test_fail_profiles_bad_code_and_message(cp):
    with pytest.raises(ValueError) as exc:
        cp.fail_profiles("shop", ["a" * 32], code="")
    assert str(exc.value) == (
        "code must be a string of 1 to 255 characters (BatchGetProfile's Errors[].Code is "
        "one), got ''"
    )
    with pytest.raises(ValueError) as exc:
        cp.fail_profiles("shop", ["a" * 32], message="x" * 1001)
    assert str(exc.value) == (
        f"message must be a string of 1 to 1000 characters, got {'x' * 1001!r}"
    )
    assert cp.faults == []


# -- fail_items: any batch operation ------------------------------------------------


@pytest.fixture
def orders(cp, shop):
    cp.put_object_type(
        "shop",
        "Order",
        Description="Orders",
        AllowProfileCreation=True,
        Fields={"id": {"Source": "_source.id"}, "email": {"Source": "_source.email"}},
        Keys={
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    return "Order"


def _order_items(*numbers: int) -> list[dict[str, str]]:
    return [
        {"Id": str(n), "Object": f'{{"id": "o-{n}", "email": "p{n}@example.com"}}'} for n in numbers
    ]


@needs_batch_put
def test_fail_items_batch_put_profile_object_fails_chosen_items_and_writes_nothing_of_them(
    cp, orders
):
    fault = cp.fail_items("BatchPutProfileObject", ["2"], code=503, message="Shard unavailable")
    items = _order_items(1, 2) + [{"Id": "3", "Object": "not json"}]
    out = _client().batch_put_profile_object(DomainName="shop", ObjectTypeName="Order", Items=items)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [s["Id"] for s in out["Successful"]] == ["1"]
    assert out["Failed"] == [
        {"Id": "2", "Code": 503, "Message": "Shard unavailable"},
        {"Id": "3", "Code": 400, "Message": "Object is not valid JSON"},
    ]
    assert [o["Object"]["id"] for o in cp.objects("shop")] == ["o-1"]
    assert len(cp.profiles("shop")) == 1  # the failed item created no profile either
    (call,) = cp.calls_for("BatchPutProfileObject")
    assert (call.status, call.fault, fault.triggered) == (200, fault, 1)


@needs_batch_put
def test_fail_items_every_item_of_a_call(cp, orders):
    cp.fail_items("BatchPutProfileObject", ["1", "2"], times=1)
    client = _client()
    out = client.batch_put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Items=_order_items(1, 2)
    )
    assert out["Successful"] == []
    assert out["Failed"] == [
        {"Id": "1", "Code": 500, "Message": "Internal server error"},
        {"Id": "2", "Code": 500, "Message": "Internal server error"},
    ]
    assert cp.objects("shop") == []
    again = client.batch_put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Items=_order_items(1, 2)
    )
    assert [s["Id"] for s in again["Successful"]] == ["1", "2"]  # times=1: used up


def test_fail_items_batch_get_profile_as_fail_profiles_does(cp, people):
    ann, bob, _ = people
    fault = cp.fail_items("BatchGetProfile", [bob], code="404", domain="shop")
    out = _client().batch_get_profile(DomainName="shop", ProfileIds=[ann, bob])
    assert [p["ProfileId"] for p in out["Profiles"]] == [ann]
    assert out["Errors"] == [
        {"Code": "404", "Message": "Item could not be processed (404)", "ProfileId": bob}
    ]
    assert fault.describe() == (
        "error 404 for 1 item(s) on BatchGetProfile [domain='shop'] (no limit)"
    )


@needs_batch_put
def test_fail_items_unknown_operation(cp):
    with pytest.raises(ValueError) as exc:
        cp.fail_items("BatchPutProfileObjects", ["1"])
    assert str(exc.value) == (
        "Unknown operation 'BatchPutProfileObjects'. Did you mean 'BatchPutProfileObject'?"
    )
    assert cp.faults == []


@needs_batch_put
def test_fail_items_not_a_batch_operation(cp):
    batch = ", ".join(batch_operations())
    with pytest.raises(ValueError) as exc:
        cp.fail_items("PutProfileObject", ["1"])
    assert str(exc.value) == (
        "PutProfileObject answers no per-item failures, so none of its items can be made to "
        f"fail. Did you mean 'BatchPutProfileObject'? Operations with per-item failures: {batch}."
    )
    assert cp.faults == []


@needs_batch_put
def test_fail_items_code_of_the_models_type(cp):
    with pytest.raises(ValueError) as exc:
        cp.fail_items("BatchPutProfileObject", ["1"], code="503")
    assert str(exc.value) == (
        "code must be an integer (BatchPutProfileObject's Failed[].Code is one), got '503'"
    )
    with pytest.raises(ValueError) as exc:
        cp.fail_items("BatchGetProfile", ["a" * 32], code=503)
    assert str(exc.value) == (
        "code must be a string of 1 to 255 characters (BatchGetProfile's Errors[].Code is "
        "one), got 503"
    )
    assert cp.faults == []


@needs_batch_put
@pytest.mark.parametrize(
    ("operation", "ids", "message"),
    [
        (
            "BatchPutProfileObject",
            [],
            "fail_items(): ids must be a list of one or more ids of BatchPutProfileObject's "
            "items (Items[].Id), got an empty list",
        ),
        (
            "BatchPutProfileObject",
            "1",
            "fail_items(): ids must be a list of one or more ids of BatchPutProfileObject's "
            "items (Items[].Id), got a str",
        ),
        (
            "BatchGetProfile",
            ["ABC"],
            "fail_items(): 'ABC' cannot be an id of BatchGetProfile's items (ProfileIds): "
            "Member must satisfy regular expression pattern: [a-f0-9]{32}",
        ),
    ],
)
def test_fail_items_bad_ids(cp, operation, ids, message):
    with pytest.raises(ValueError) as exc:
        cp.fail_items(operation, ids)
    assert str(exc.value) == message
    assert cp.faults == []


# -- registration mistakes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("register", "message"),
    [
        (
            lambda cp: cp.throttle("BatchGetProfiles"),
            "Unknown operation 'BatchGetProfiles'. Did you mean 'BatchGetProfile'?",
        ),
        (lambda cp: cp.deny("Zzzz"), "Unknown operation 'Zzzz'."),
        (
            lambda cp: cp.inject_error("BadRequestException", "getDomain"),
            "Unknown operation 'getDomain'. Did you mean 'GetDomain'?",
        ),
        (
            lambda cp: cp.delay(1, "ListDomain"),
            "Unknown operation 'ListDomain'. Did you mean 'ListDomains'?",
        ),
        (
            lambda cp: cp.rate_limit("CreateProfiles", per_second=1),
            "Unknown operation 'CreateProfiles'. Did you mean 'CreateProfile'?",
        ),
        (
            lambda cp: cp.inject_error("ConflictException", "TagResource"),
            "'ConflictException' is not a modelled error of TagResource; modelled errors: "
            "BadRequestException, InternalServerException, ResourceNotFoundException",
        ),
        (
            lambda cp: cp.inject_error("ConflictException"),
            f"'ConflictException' is not a modelled error of any operation; modelled errors: "
            f"{ALL_ERRORS}",
        ),
        (
            lambda cp: cp.throttle("GetDomain", probability=1.5),
            "probability must be between 0 and 1, got 1.5",
        ),
        (
            lambda cp: cp.deny(probability=-0.1),
            "probability must be between 0 and 1, got -0.1",
        ),
        (
            lambda cp: cp.throttle("GetDomain", times=0),
            "times must be a positive integer or None (no limit), got 0",
        ),
        (
            lambda cp: cp.deny(times=-1),
            "times must be a positive integer or None (no limit), got -1",
        ),
        (
            lambda cp: cp.throttle(times=True),
            "times must be a positive integer or None (no limit), got True",
        ),
        (lambda cp: cp.throttle(after=-1), "after must be a non-negative integer, got -1"),
        (lambda cp: cp.delay(-1), "seconds must be a non-negative number, got -1"),
        (
            lambda cp: cp.delay(float("inf"), "CreateProfile"),
            "seconds must be a finite number, got inf: pass how long the delay lasts, "
            "from 0 to 1e+09",
        ),
        (
            lambda cp: cp.delay(float("nan")),
            "seconds must be a finite number, got nan: pass how long the delay lasts, "
            "from 0 to 1e+09",
        ),
        (
            lambda cp: cp.delay(1e308, "CreateProfile"),
            "seconds must be at most 1e+09, the longest delay that can be waited out "
            "(time.sleep fails not far past it), got 1e+308: pass a shorter delay",
        ),
        (
            lambda cp: cp.delay(10**400),
            "seconds must be at most 1e+09, the longest delay that can be waited out "
            "(time.sleep fails not far past it), got an integer over 1.8e+308: "
            "pass a shorter delay",
        ),
        (
            lambda cp: cp.rate_limit("GetDomain", per_second=float("inf")),
            "per_second must be a finite number, got inf: for calls without a limit, "
            "register no rate limit",
        ),
        (
            lambda cp: cp.rate_limit("GetDomain", per_second=float("nan")),
            "per_second must be a positive number, got nan",
        ),
        (
            lambda cp: cp.throttle("GetDomain", probability=float("nan")),
            "probability must be between 0 and 1, got nan",
        ),
        (
            lambda cp: cp.rate_limit("GetDomain", per_second=0),
            "per_second must be a positive number, got 0",
        ),
        (
            lambda cp: cp.rate_limit("GetDomain", per_second=1, burst=0),
            "burst must be a positive integer, got 0",
        ),
    ],
    ids=[
        "unknown-operation-suggestion",
        "unknown-operation",
        "operation-case",
        "delay-unknown-operation",
        "rate-limit-unknown-operation",
        "unmodelled-code",
        "code-of-no-operation",
        "probability-above-1",
        "probability-below-0",
        "times-0",
        "times-negative",
        "times-bool",
        "after-negative",
        "delay-negative",
        "delay-inf",
        "delay-nan",
        "delay-1e308",
        "delay-huge-int",
        "per-second-inf",
        "per-second-nan",
        "probability-nan",
        "per-second-0",
        "burst-0",
    ],
)
def test_registration_mistakes_fail_at_once(cp, register, message):
    with pytest.raises(ValueError) as exc:
        register(cp)
    assert str(exc.value) == message
    assert cp.faults == []


def test_delay_too_long_to_wait_out_is_refused_before_any_call(cp):
    # Accepted, it let the write through and then raised OverflowError at the caller.
    cp.create_domain("shop")
    with pytest.raises(ValueError):
        cp.delay(1e308, "CreateProfile")
    client = _client()
    profile_id = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [profile_id]
    assert [(c.status, c.delay, c.fault) for c in cp.calls_for("CreateProfile")] == [
        (200, 0.0, None)
    ]


def test_registration_when_must_be_callable(cp):
    with pytest.raises(TypeError) as exc:
        cp.throttle("GetDomain", when="shop", times=1)
    assert str(exc.value) == "when must be a callable taking the request parameters, got 'shop'"
    assert cp.faults == []


def test_faults_need_an_active_mock():
    handle = mock_customer_profiles()
    with pytest.raises(RuntimeError) as exc:
        handle.throttle("GetDomain", times=1)
    assert str(exc.value) == (
        "customer_profiles_mock: the mock is not active. Seed it, register faults and read "
        "its state inside the decorated test or the 'with' block, or call start() first."
    )


# -- life cycle --------------------------------------------------------------------


def test_remove_withdraws_the_fault(cp):
    fault = cp.throttle("ListDomains", times=None)
    client = _client(**ONE_ATTEMPT)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_domains()
    assert cp.faults == [fault]
    fault.remove()
    fault.remove()
    assert cp.faults == []
    assert client.list_domains()["Items"] == []
    assert fault.triggered == 1


def test_fault_as_context_manager(cp):
    client = _client()
    with cp.deny("ListDomains") as fault:
        assert cp.faults == [fault]
        with pytest.raises(client.exceptions.AccessDeniedException):
            client.list_domains()
    assert cp.faults == []
    assert client.list_domains()["Items"] == []
    assert fault.triggered == 1


def test_clear_faults(cp):
    faults = [cp.deny("ListDomains"), cp.delay(0, "GetDomain"), cp.throttle(times=None)]
    assert cp.faults == faults
    cp.clear_faults()
    assert cp.faults == []
    assert _client(**ONE_ATTEMPT).list_domains()["Items"] == []
    assert [f.triggered for f in faults] == [0, 0, 0]


def test_first_registered_fault_answers(cp):
    deny = cp.deny("ListDomains", times=1)
    throttle = cp.throttle("ListDomains", times=1)
    client = _client(**ONE_ATTEMPT)
    with pytest.raises(client.exceptions.AccessDeniedException):
        client.list_domains()
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_domains()
    client.list_domains()
    assert [c.fault for c in cp.calls] == [deny, throttle, None]
    assert (deny.triggered, throttle.triggered) == (1, 1)


def test_fault_on_unimplemented_operation_answers_first(cp, unserved):
    unserved("ListIntegrations")
    fault = cp.throttle("ListIntegrations", times=1)
    client = _client(**ONE_ATTEMPT)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.list_integrations(DomainName="shop")
    assert fault.triggered == 1
    with pytest.raises(UnsupportedOperationError) as exc:
        client.list_integrations(DomainName="shop")
    assert isinstance(exc.value, NotImplementedError)
    assert str(exc.value).startswith(
        "customer_profiles_mock: ListIntegrations is not implemented. Implemented operations: "
    )


def test_fault_describe_names_kind_target_scope_and_limit():
    def is_bob(params):
        return True

    with mock_customer_profiles(assert_all_faults_triggered=False) as cp:
        faults = [
            cp.throttle("GetDomain", times=2, domain="shop", region="eu-west-1", after=3),
            cp.deny(account_id="111111111111", probability=0.25, seed=1, when=is_bob),
            cp.inject_error("BadRequestException", "ListDomains", times=None),
            cp.delay(0.5, "ListDomains", times=4),
            cp.rate_limit("ListDomains", per_second=2.5, burst=4),
            cp.fail_profiles("shop", ["a" * 32, "b" * 32], code="503", times=1),
        ]
        assert cp.faults == faults
    assert [f.describe() for f in faults] == [
        "ThrottlingException on GetDomain [domain='shop', region='eu-west-1', after=3] "
        "(0 of 2 triggered)",
        "AccessDeniedException on every operation [account_id='111111111111', "
        "probability=0.25, when=is_bob] (no limit)",
        "BadRequestException on ListDomains (no limit)",
        "delay of 0.5s on ListDomains (0 of 4 triggered)",
        "rate limit of 2.5/s (burst 4) on ListDomains (no limit)",
        "error 503 for 2 item(s) on BatchGetProfile [domain='shop'] (0 of 1 triggered)",
    ]
    assert repr(faults[2]) == "<Fault BadRequestException on ListDomains (no limit)>"


# -- no sleeping -------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_exhausted_retries_do_not_sleep(sleeps, mode):
    with mock_customer_profiles() as cp:
        cp.throttle("ListDomains", times=None)
        client = _client(mode)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.list_domains()
        assert len(cp.calls) == MAX_ATTEMPTS[mode]
    # Real back-off would ask for a sleep before every retry (4 legacy, 2 standard/adaptive).
    assert sleeps.calls == []


def test_skipped_backoff_never_reaches_time_sleep(sleeps):
    with mock_customer_profiles() as cp:
        cp.throttle("ListDomains", times=None)
        with pytest.raises(ClientError):
            _client().list_domains()
    assert sleeps.calls == []


def test_backoff_sleeps_when_not_skipped_legacy(sleeps, monkeypatch):
    monkeypatch.setattr(botocore.retryhandler, "random", types.SimpleNamespace(random=lambda: 0.5))
    with mock_customer_profiles(skip_retry_backoff=False) as cp:
        cp.throttle("ListDomains", times=None)
        with pytest.raises(ClientError):
            _client("legacy").list_domains()
        assert len(cp.calls) == 5
    # legacy: rand() * 2 ** (attempt - 1), with rand() pinned to 0.5
    assert sleeps.calls == [0.5, 1.0, 2.0, 4.0]


def test_backoff_sleeps_when_not_skipped_standard(sleeps):
    with mock_customer_profiles(skip_retry_backoff=False) as cp:
        cp.throttle("ListDomains", times=None)
        with pytest.raises(ClientError):
            _client("standard").list_domains()
        assert len(cp.calls) == 3
    # standard: rand() * min(2 ** (attempt - 1), 20), one sleep before each retry
    assert len(sleeps.calls) == 2
    assert 0 <= sleeps.calls[0] < 1
    assert 0 <= sleeps.calls[1] < 2


@pytest.mark.parametrize("mode", MODES)
def test_backoff_skipped_for_client_made_before_start(sleeps, mode):
    client = _client(mode)
    with mock_customer_profiles() as cp:
        cp.throttle("ListDomains", times=1)
        assert client.list_domains()["ResponseMetadata"]["RetryAttempts"] == 1
    assert sleeps.calls == []


def test_code_under_test_still_really_sleeps(sleeps):
    def slow(params):
        time.sleep(0.01)  # the test's own sleep, in the same call stack as botocore's retries
        return True

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        cp.throttle("GetDomain", times=2, when=slow)
        client = _client()
        time.sleep(0.03)  # outside any request
        assert sleeps.calls == [0.03]
        assert client.get_domain(DomainName="shop")["ResponseMetadata"]["RetryAttempts"] == 2
    # The predicate's sleeps (while the request is served) reached time.sleep; botocore's
    # back-off before each of the two retries did not.
    assert sleeps.calls == [0.03, 0.01, 0.01]


STS_UNAVAILABLE = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
    b"<Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Try again</Message>"
    b"</Error><RequestId>00000000-0000-4000-8000-000000000001</RequestId></ErrorResponse>"
)
STS_IDENTITY = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/test-user</Arn>"
    b"<UserId>AIDAEXAMPLEUSERID0000</UserId><Account>123456789012</Account>"
    b"</GetCallerIdentityResult><ResponseMetadata>"
    b"<RequestId>00000000-0000-4000-8000-000000000002</RequestId>"
    b"</ResponseMetadata></GetCallerIdentityResponse>"
)


def _sts_client(mode: str) -> tuple[Any, list[str]]:
    """An STS client answered by a before-send handler of the test's own, not by the
    mock: 503 (retryable) to its first request, 200 after. Also returns the request log."""
    requests: list[str] = []

    def answer(request: Any, **kwargs: Any) -> AWSResponse:
        requests.append(request.url)
        status, body = (503, STS_UNAVAILABLE) if len(requests) == 1 else (200, STS_IDENTITY)
        return AWSResponse(request.url, status, {"Content-Type": "text/xml"}, _RawBody(body))

    sts = boto3.client(
        "sts",
        region_name=REGION,
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=botocore.config.Config(retries={"mode": mode}),
    )
    sts.meta.events.register("before-send.sts", answer)
    return sts, requests


def _assert_sts_retried_once(sts: Any) -> None:
    identity = sts.get_caller_identity()
    assert identity["Account"] == ACCOUNT_ID
    assert identity["ResponseMetadata"]["RetryAttempts"] == 1


@pytest.mark.parametrize("mode", MODES)
def test_backoff_of_other_services_still_sleeps(sleeps, mode):
    def work() -> list[list[float]]:
        """Customer Profiles, STS, Customer Profiles again, in one thread; each call is
        retried once. Returns the sleeps recorded after each."""
        profiles = _client(mode)
        sts, _ = _sts_client(mode)
        seen = []
        assert profiles.list_domains()["ResponseMetadata"]["RetryAttempts"] == 1
        seen.append(list(sleeps.calls))
        _assert_sts_retried_once(sts)
        seen.append(list(sleeps.calls))
        assert profiles.get_domain(DomainName="shop")["ResponseMetadata"]["RetryAttempts"] == 1
        seen.append(list(sleeps.calls))
        return seen

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        cp.throttle("ListDomains", times=1)
        cp.throttle("GetDomain", times=1)
        with ThreadPoolExecutor(max_workers=1) as pool:
            after_profiles, after_sts, after_profiles_again = pool.submit(work).result()
        assert [(c.operation, c.attempt, c.status) for c in cp.calls] == [
            ("ListDomains", 1, 429),
            ("ListDomains", 2, 200),
            ("GetDomain", 1, 429),
            ("GetDomain", 2, 200),
        ]
    # Customer Profiles' back-off was skipped; STS's, in the same thread, was asked for.
    assert after_profiles == []
    assert len(after_sts) == 1
    assert 0 < after_sts[0] < 1  # rand() * 2 ** 0, in every mode
    assert after_profiles_again == after_sts


@pytest.mark.parametrize("mode", MODES)
def test_backoff_of_other_services_still_sleeps_while_another_thread_is_served(sleeps, mode):
    # The Customer Profiles request is held mid-serve (in its fault's predicate) while
    # another thread's STS request backs off: the mark of a served request is per thread.
    # The waits' timeouts only keep a broken mock from hanging the run.
    serving = threading.Event()
    sts_done = threading.Event()

    def hold(params: Any) -> bool:
        serving.set()
        assert sts_done.wait(timeout=30)
        return True

    def call_sts(sts: Any) -> None:
        assert serving.wait(timeout=30)
        try:
            _assert_sts_retried_once(sts)
        finally:
            sts_done.set()

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        fault = cp.throttle("GetDomain", times=1, when=hold)
        profiles = _client(mode)
        sts, sts_requests = _sts_client(mode)
        with ThreadPoolExecutor(max_workers=1) as pool:
            other = pool.submit(call_sts, sts)
            out = profiles.get_domain(DomainName="shop")
            other.result()
        assert out["ResponseMetadata"]["RetryAttempts"] == 1
        assert fault.triggered == 1
    assert len(sts_requests) == 2
    assert len(sleeps.calls) == 1  # STS's back-off only
    assert 0 < sleeps.calls[0] < 1


# -- threads -----------------------------------------------------------------------


def test_throttle_counts_exactly_across_threads(cp, shop):
    fault = cp.throttle("CreateProfile", times=40)
    clients = [_client(**ONE_ATTEMPT) for _ in range(8)]
    throttled = []
    failures = []
    lock = threading.Lock()

    def work(client: Any) -> None:
        for i in range(25):
            try:
                client.create_profile(DomainName="shop", FirstName=f"P{i}")
            except client.exceptions.ThrottlingException:
                with lock:
                    throttled.append(1)
            except Exception as exc:  # pragma: no cover - reported below
                with lock:
                    failures.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(throttled) == 40
    assert fault.triggered == 40
    assert len(cp.profiles("shop")) == 160
    calls = cp.calls_for("CreateProfile")
    assert len(calls) == 200
    assert sum(c.status == 429 for c in calls) == 40


# -- call log ----------------------------------------------------------------------


def test_call_log_records_every_attempt(cp, shop):
    fault = cp.throttle("CreateProfile", times=2)
    client = _client()
    out = client.create_profile(DomainName="shop", **ANN)
    client.get_domain(DomainName="shop")
    assert out["ResponseMetadata"]["RetryAttempts"] == 2
    calls = cp.calls_for("CreateProfile")
    assert [c.attempt for c in calls] == [1, 2, 3]
    assert [c.status for c in calls] == [429, 429, 200]
    assert [c.error_code for c in calls] == ["ThrottlingException", "ThrottlingException", None]
    assert [c.fault for c in calls] == [fault, fault, None]
    assert calls[0].fault is fault
    for call in calls:
        assert call.operation == "CreateProfile"
        assert call.params == {"DomainName": "shop", **ANN}
        assert (call.region, call.account_id, call.delay) == (REGION, ACCOUNT_ID, 0.0)
    assert len({c.request_id for c in calls}) == 3
    assert [c.operation for c in cp.calls] == ["CreateProfile"] * 3 + ["GetDomain"]
    (get,) = cp.calls_for("GetDomain")
    assert (get.status, get.error_code, get.fault, get.attempt) == (200, None, None, 1)
    assert get.params == {"DomainName": "shop"}
    # Each attempt says what the fault was at that attempt, and the key parameters.
    assert [c.describe() for c in calls] == [
        "CreateProfile attempt 1 (domain=shop) in us-east-1, "
        "account 123456789012 -> 429 ThrottlingException "
        "[fault: ThrottlingException on CreateProfile (1 of 2 triggered)]",
        "CreateProfile attempt 2 (domain=shop) in us-east-1, "
        "account 123456789012 -> 429 ThrottlingException "
        "[fault: ThrottlingException on CreateProfile (2 of 2 triggered)]",
        "CreateProfile attempt 3 (domain=shop) in us-east-1, account 123456789012 -> 200",
    ]
    assert (
        get.describe()
        == "GetDomain attempt 1 (domain=shop) in us-east-1, account 123456789012 -> 200"
    )


def test_call_line_names_the_region_and_account_it_was_served_in():
    with mock_customer_profiles(account_id="111122223333") as cp:
        cp.create_domain("shop")  # in us-east-1
        client = boto3.client("customer-profiles", region_name="eu-west-1")
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            client.get_domain(DomainName="shop")
        [call] = cp.calls
        assert (
            str(call)
            == call.describe()
            == (
                "GetDomain attempt 1 (domain=shop) in eu-west-1, account 111122223333 -> 404 "
                "ResourceNotFoundException"
            )
        )


def test_call_describe_counts_the_items_asked_for(cp, shop):
    ids = [f"{n:032x}" for n in range(3)]
    _client().batch_get_profile(DomainName="shop", ProfileIds=ids)
    assert (
        cp.calls[-1].describe()
        == "BatchGetProfile attempt 1 (domain=shop, 3 ProfileIds) in us-east-1, "
        "account 123456789012 -> 200"
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("AccessDeniedException", 403),
        ("ThrottlingException", 429),
        ("InternalServerException", 500),
    ],
)
def test_iam_throttling_and_internal_errors_can_be_injected_on_every_operation(cp, code, status):
    # The model lists only BadRequest, InternalServer and ResourceNotFound for TagResource.
    client = _client(**ONE_ATTEMPT)
    fault = cp.inject_error(code, "TagResource", times=1)
    with pytest.raises(ClientError) as exc:
        client.tag_resource(
            resourceArn="arn:aws:profile:us-east-1:123456789012:domains/shop", tags={"a": "b"}
        )
    assert exc.value.response["Error"]["Code"] == code
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert fault.triggered == 1


def test_calls_for_unknown_operation(cp):
    with pytest.raises(ValueError) as exc:
        cp.calls_for("GetProfile")
    assert str(exc.value) == "Unknown operation 'GetProfile'. Did you mean 'BatchGetProfile'?"


def test_calls_and_faults_do_not_leak_into_next_mock():
    with mock_customer_profiles() as first:
        first.throttle("ListDomains", times=None)
        with pytest.raises(ClientError):
            _client(**ONE_ATTEMPT).list_domains()
        assert len(first.calls) == 1
        assert len(first.faults) == 1
    with mock_customer_profiles() as second:
        assert second.calls == []
        assert second.faults == []
        assert _client(**ONE_ATTEMPT).list_domains()["Items"] == []
    with first:
        assert first.calls == []
        assert first.faults == []
        assert first.unused_faults() == []


# -- unused faults -----------------------------------------------------------------


def test_unused_fault_raises_at_stop():
    cp = mock_customer_profiles().start()
    fault = cp.throttle("GetDomain", times=2, domain="shop")
    assert fault.registered_at == _here(-1)
    with pytest.raises(UnusedFaultsError) as exc:
        cp.stop()
    assert str(exc.value) == (
        UNUSED_HEAD
        + "- ThrottlingException on GetDomain [domain='shop'] (0 of 2 triggered), "
        + f"registered at {fault.registered_at}"
        + UNUSED_TAIL
    )
    assert exc.value.faults == [fault]
    assert isinstance(exc.value, AssertionError)
    assert not cp.active


def test_unused_faults_listed_in_registration_order():
    cp = mock_customer_profiles().start()
    cp.create_domain("shop")
    cp.deny("ListDomains")
    first = cp.inject_error("BadRequestException", "ListDomains", times=1)
    used = cp.throttle("GetDomain", times=1)
    second = cp.fail_profiles("shop", ["a" * 32], times=3)
    _client().get_domain(DomainName="shop")
    assert cp.unused_faults() == [first, second]
    assert used.triggered == 1
    with pytest.raises(UnusedFaultsError) as exc:
        cp.stop()
    assert str(exc.value) == (
        UNUSED_HEAD
        + "- BadRequestException on ListDomains (0 of 1 triggered), registered at "
        + f"{first.registered_at}\n"
        + "- error 500 for 1 item(s) on BatchGetProfile [domain='shop'] (0 of 3 triggered), "
        + f"registered at {second.registered_at}"
        + UNUSED_TAIL
    )


def test_partly_triggered_fault_is_not_unused():
    with mock_customer_profiles() as cp:
        fault = cp.throttle("ListDomains", times=3)
        with pytest.raises(ClientError):
            _client(**ONE_ATTEMPT).list_domains()
        assert fault.triggered == 1


def test_unused_faults_not_raised_when_body_raised():
    handle = mock_customer_profiles()

    def body() -> None:
        with handle as cp:
            cp.throttle("GetDomain", times=1)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError) as exc:
        body()
    assert str(exc.value) == "boom"
    assert exc.value.__context__ is None
    assert not handle.active


def test_unused_faults_not_raised_when_decorated_function_raised():
    handle = mock_customer_profiles()

    @handle
    def body() -> None:
        handle.throttle("GetDomain", times=1)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError) as exc:
        body()
    assert str(exc.value) == "boom"
    assert not handle.active


def test_unused_faults_raised_at_end_of_decorated_function():
    handle = mock_customer_profiles()

    @handle
    def body() -> None:
        handle.throttle("GetDomain", times=1)

    with pytest.raises(UnusedFaultsError) as exc:
        body()
    (fault,) = exc.value.faults
    assert fault.registered_at == _here(-5)
    assert str(exc.value) == (
        UNUSED_HEAD
        + f"- ThrottlingException on GetDomain (0 of 1 triggered), registered at {_here(-8)}"
        + UNUSED_TAIL
    )


def test_unused_faults_not_raised_when_decorated_test_case_raised():
    handle = mock_customer_profiles()

    @handle
    class _Case(unittest.TestCase):
        def test_boom(self):
            handle.throttle("GetDomain", times=1)
            raise RuntimeError("boom")

    result = unittest.TestResult()
    _Case("test_boom").run(result)
    assert not handle.active
    assert [err.splitlines()[-1] for _, err in result.errors] == ["RuntimeError: boom"]
    assert result.failures == []


def test_unused_faults_not_raised_when_decorated_class_method_raised():
    handle = mock_customer_profiles()

    @handle
    class _Plain:
        def setup_method(self, method):
            pass

        def test_boom(self):
            handle.throttle("GetDomain", times=1)
            raise RuntimeError("boom")

    instance = _Plain()
    instance.setup_method(instance.test_boom)
    with pytest.raises(RuntimeError):
        instance.test_boom()
    try:
        instance.teardown_method(instance.test_boom)
    finally:
        assert not handle.active


def test_unused_faults_not_raised_when_disabled():
    with mock_customer_profiles(assert_all_faults_triggered=False) as cp:
        fault = cp.throttle("GetDomain", times=1)
    assert fault.triggered == 0


def test_unused_faults_ignore_faults_without_times():
    with mock_customer_profiles() as cp:
        cp.deny("GetDomain")
        cp.delay(1, "GetDomain")
        cp.throttle("GetDomain", times=None)
        cp.rate_limit("GetDomain", per_second=1)
        cp.fail_profiles("shop", ["a" * 32])
        assert cp.unused_faults() == []


def test_unused_faults_skip_faults_removed_on_purpose():
    with mock_customer_profiles() as cp:
        cp.deny("ListDomains", times=1).remove()
        cp.inject_error("InternalServerException", "CreateDomain", times=1)
        cp.clear_faults()
        assert cp.unused_faults() == []


def test_unused_faults_include_a_with_block_fault_that_never_triggered():
    with pytest.raises(UnusedFaultsError) as exc, mock_customer_profiles() as cp:  # noqa: PT012
        with cp.throttle("GetDomain", times=2):
            pass
        assert cp.faults == []
    assert str(exc.value) == (
        UNUSED_HEAD
        + f"- ThrottlingException on GetDomain (0 of 2 triggered), registered at {_here(-5)}"
        + UNUSED_TAIL
    )


def test_calls_readable_after_stop():
    with mock_customer_profiles() as cp:
        _client().list_domains()
    assert [(c.operation, c.status) for c in cp.calls] == [("ListDomains", 200)]
    with cp:
        assert cp.calls == []


def test_call_log_keeps_the_newest_calls_and_counts_those_dropped():
    with mock_customer_profiles(call_log_size=3) as cp:
        client = _client()
        for n in range(5):
            client.list_domains(MaxResults=n + 1)
        assert [c.params for c in cp.calls] == [{"MaxResults": n} for n in (3, 4, 5)]
        assert cp.dropped_calls == 2
    assert (len(cp.calls), cp.dropped_calls) == (3, 2)  # after the stop too
    with cp:
        assert (cp.calls, cp.dropped_calls) == ([], 0)


def test_call_log_keeps_10000_calls_by_default_and_every_call_with_none():
    assert mock_customer_profiles().call_log_size == 10_000
    with mock_customer_profiles(call_log_size=None) as cp:
        for _ in range(3):
            _client().list_domains()
        assert (len(cp.calls), cp.dropped_calls) == (3, 0)


def test_nested_handle_shares_the_outer_handles_call_log():
    with mock_customer_profiles(call_log_size=1) as outer:
        with mock_customer_profiles(call_log_size=5) as inner:
            _client().list_domains()
            _client().list_domains()
            assert (len(inner.calls), inner.dropped_calls) == (1, 1)
        assert (len(outer.calls), outer.dropped_calls) == (1, 1)


def test_call_log_bound_holds_under_concurrent_calls():
    with mock_customer_profiles(call_log_size=50) as cp:

        def calls(_: int) -> None:
            client = _client()
            for _ in range(25):
                client.list_domains()

        with ThreadPoolExecutor(4) as pool:
            list(pool.map(calls, range(4)))
        assert (len(cp.calls), cp.dropped_calls) == (50, 50)


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0"), (-1, "-1"), (2.5, "2.5"), (True, "True"), ("10", "a str"), ([10], "a list")],
)
def test_call_log_size_mistake_says_what_it_takes(size, shown):
    with pytest.raises(InvalidArgumentError) as excinfo:
        mock_customer_profiles(call_log_size=size)
    assert str(excinfo.value) == (
        "call_log_size must be a whole number of calls, 1 or more (None keeps every call), "
        f"got {shown}"
    )


def test_delay_registered_after_the_answering_error_still_applies():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        cp.throttle("GetDomain", times=1)
        delay = cp.delay(2.0, "GetDomain", times=1)
        client = _client(total_max_attempts=1)
        with pytest.raises(client.exceptions.ThrottlingException):
            client.get_domain(DomainName="shop")
        assert clock.time() == 2.0
        assert delay.triggered == 1


def test_fail_profiles_not_used_up_by_an_attempt_that_failed_otherwise(cp, people):
    fault = cp.fail_profiles("shop", [people[0]], times=1)
    client = _client()
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.batch_get_profile(DomainName="nope", ProfileIds=[people[0]])
    assert fault.triggered == 0
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[people[0]])
    assert [e["ProfileId"] for e in out["Errors"]] == [people[0]]
    assert fault.triggered == 1


def test_when_predicate_may_change_the_faults(cp, shop):
    other = cp.deny("ListDomains", times=None)
    cp.throttle("GetDomain", times=1, when=lambda params: other.remove() or True)
    client = _client(total_max_attempts=1)
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName="shop")
    assert client.list_domains()["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_unknown_scope_is_a_type_error(cp):
    with pytest.raises(TypeError) as exc:
        cp.throttle("GetDomain", domian="shop", times=1)  # type: ignore[call-arg]
    assert "got an unexpected keyword argument 'domian'" in str(exc.value)
    assert cp.faults == []


def test_inject_error_with_its_arguments_swapped(cp):
    with pytest.raises(ValueError) as exc:
        cp.inject_error("GetDomain", "ThrottlingException", times=1)
    assert str(exc.value) == (
        "inject_error() takes the error code first, then the operation: "
        "inject_error('ThrottlingException', 'GetDomain')"
    )


def test_seed_without_probability_is_a_mistake(cp):
    with pytest.raises(ValueError) as exc:
        cp.throttle("GetDomain", seed=3, times=1)
    assert str(exc.value) == "seed only applies with a probability: pass probability=... too"


@pytest.mark.parametrize("register", ["throttle", "inject_error"])
def test_every_kind_of_fault_lasts_until_removed_by_default(cp, shop, register):
    fault = (
        cp.throttle("GetDomain")
        if register == "throttle"
        else cp.inject_error("ThrottlingException", "GetDomain")
    )
    client = _client("standard")
    with pytest.raises(client.exceptions.ThrottlingException):
        client.get_domain(DomainName="shop")
    assert fault.times is None
    assert fault.triggered == 3
    fault.remove()
    assert client.get_domain(DomainName="shop")["DomainName"] == "shop"


def test_rate_limit_times_counts_the_attempts_it_throttles(shop_clock_cp):
    cp, clock = shop_clock_cp
    fault = cp.rate_limit("GetDomain", per_second=1, burst=1, times=2)
    client = _client(**ONE_ATTEMPT)
    statuses = []
    for _ in range(4):
        try:
            client.get_domain(DomainName="shop")
            statuses.append(200)
        except client.exceptions.ThrottlingException:
            statuses.append(429)
    assert statuses == [200, 429, 429, 200]
    assert fault.triggered == 2
    assert cp.faults == []


@pytest.fixture
def shop_clock_cp():
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock) as cp:
        cp.create_domain("shop")
        yield cp, clock


NOT_A_DOMAIN = "domain must be a domain name (1 to 64 letters, digits, '_' and '-')"


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (
            {"domain": "shop!"},
            "domain must be a domain name (1 to 64 letters, digits, '_' and '-')",
        ),
        ({"domain": ""}, "domain must be a domain name (1 to 64 letters, digits, '_' and '-')"),
        ({"region": "Paris"}, "region must look like 'us-east-1', got 'Paris'"),
        ({"account_id": "123"}, "account_id must be 12 digits as a string, got '123'"),
    ],
)
def test_scope_values_are_checked_like_the_rest(cp, scope, message):
    with pytest.raises(ValueError) as exc:
        cp.throttle("GetDomain", **scope)
    assert str(exc.value).startswith(message)
    assert cp.faults == []


def test_raising_predicate_fails_the_call_with_an_error_naming_the_fault(cp, shop):
    def needs_ids(params):
        return "a" * 32 in params["ProfileIds"]

    cp.throttle(when=needs_ids)
    with pytest.raises(FaultPredicateError) as exc:
        _client().get_domain(DomainName="shop")
    assert str(exc.value) == (
        "customer_profiles_mock: the when= predicate of the fault 'ThrottlingException on "
        "every operation [when=needs_ids] (no limit)' raised KeyError: 'ProfileIds' on a "
        "GetDomain request. A predicate gets the request parameters (a dict): use "
        "params.get(...) for members a request may lack."
    )
    assert isinstance(exc.value, RuntimeError)
    assert isinstance(exc.value.error, KeyError)


def test_predicate_runs_outside_the_plan_so_it_may_read_the_mock(cp, shop):
    seen = []

    def looks_at_the_mock(params):
        seen.append((len(cp.faults), len(cp.calls)))
        return False

    cp.throttle("GetDomain", when=looks_at_the_mock)
    _client().get_domain(DomainName="shop")
    assert seen == [(1, 0)]


def test_predicate_runs_once_per_attempt_beside_item_failures(cp, shop):
    calls = []

    def counting(params):
        calls.append(params["DomainName"])
        return False

    cp.throttle("BatchGetProfile", when=counting)
    cp.fail_profiles("shop", ["a" * 32], when=counting)
    _client().batch_get_profile(DomainName="shop", ProfileIds=["a" * 32])
    assert calls == ["shop", "shop"]  # once per fault, not once per kind of check


def test_item_failure_is_not_spent_by_an_attempt_that_failed_otherwise(cp):
    fault = cp.fail_profiles("nodomain", ["a" * 32], times=1)
    client = _client()
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.batch_get_profile(DomainName="nodomain", ProfileIds=["a" * 32])
    assert fault.triggered == 0
    assert cp.faults == [fault]
    cp.create_domain("nodomain")
    out = client.batch_get_profile(DomainName="nodomain", ProfileIds=["a" * 32])
    assert [e["Code"] for e in out["Errors"]] == ["500"]
    assert fault.triggered == 1


def test_deny_message_names_the_arns_of_the_partition(cp):
    cp.deny("GetDomain")
    client = _client(region="cn-north-1")
    with pytest.raises(client.exceptions.AccessDeniedException) as exc:
        client.get_domain(DomainName="shop")
    assert exc.value.response["Error"]["Message"] == (
        f"User: arn:aws-cn:iam::{ACCOUNT_ID}:user/test-user is not authorized to perform: "
        f"profile:GetDomain on resource: arn:aws-cn:profile:cn-north-1:{ACCOUNT_ID}:domains/shop"
    )


def test_domain_scoped_fault_matches_the_domain_a_tag_arn_names(cp, client):
    cp.create_domain("shop")
    cp.create_domain("other")
    fault = cp.throttle("TagResource", domain="shop", times=1)
    arn = "arn:aws:profile:us-east-1:123456789012:domains/"
    client.tag_resource(resourceArn=arn + "other", tags={"a": "b"})
    assert fault.triggered == 0
    retried = client.tag_resource(resourceArn=arn + "shop", tags={"a": "b"})
    assert retried["ResponseMetadata"]["RetryAttempts"] == 1
    assert fault.triggered == 1


def test_domain_scoped_fault_on_an_operation_without_a_domain_is_refused(cp):
    with pytest.raises(ValueError) as exc:
        cp.throttle("ListDomains", domain="shop")
    assert str(exc.value) == (
        "ListDomains names no domain, so a fault scoped to domain='shop' could never match "
        "it: leave domain out"
    )
