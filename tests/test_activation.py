"""Activation of the mock: decorators, context manager, start/stop, nesting and hooking."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import textwrap
import threading
import unittest
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.handlers
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError, NoCredentialsError
from moto import mock_aws

import customer_profiles_mock
from customer_profiles_mock import CustomerProfilesMock, is_active, mock_customer_profiles
from customer_profiles_mock import service as _service

REPO_ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
FAKE_KEY = "AKIAIOSFODNN7EXAMPLE"
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NOT_ACTIVE = (
    "customer_profiles_mock: the mock is not active. Seed it, register faults and read "
    "its state inside the decorated test or the 'with' block, or call start() first."
)
STOP_WITHOUT_START = "customer_profiles_mock: stop() called without a matching start()."
SERVED_FLAG = "_customer_profiles_mock_served"
# A ListDomains answer the mock never gives: proves a response came from our own handler.
CANNED_LIST_DOMAINS = {
    "Items": [{"DomainName": "canned-domain", "CreatedAt": 1700000000, "LastUpdatedAt": 1700000000}]
}
CANNED_CALLER_IDENTITY = (
    b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    b"<GetCallerIdentityResult><Arn>arn:aws:iam::999999999999:user/canned</Arn>"
    b"<UserId>CANNED</UserId><Account>999999999999</Account></GetCallerIdentityResult>"
    b"<ResponseMetadata><RequestId>canned</RequestId></ResponseMetadata>"
    b"</GetCallerIdentityResponse>"
)
CANNED_LIST_BUCKETS = (
    b'<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    b"<Owner><ID>canned</ID></Owner><Buckets><Bucket><Name>canned-bucket</Name>"
    b"<CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets>"
    b"</ListAllMyBucketsResult>"
)


class _Raw:
    """The ``raw`` body botocore reads a canned response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *args: Any) -> bytes:
        body, self._body = self._body, b""
        return body


class _Canned:
    """A ``before-send`` handler that records each request it sees and answers it."""

    def __init__(self, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.body = body
        self.headers = headers or {}
        self.requests: list[Any] = []

    def __call__(self, request: Any, **kwargs: Any) -> AWSResponse:
        self.requests.append(request)
        return AWSResponse(request.url, 200, self.headers, _Raw(self.body))


def _client(region: str = REGION, **kwargs: Any) -> Any:
    return boto3.client("customer-profiles", region_name=region, **kwargs)


def _names(client: Any) -> list[str]:
    return [item["DomainName"] for item in client.list_domains()["Items"]]


def _create_domain(client: Any, name: str) -> dict[str, Any]:
    result: dict[str, Any] = client.create_domain(DomainName=name, DefaultExpirationDays=30)
    return result


@pytest.fixture
def handle_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every request the service answered (``Service.respond``) as (method, path)."""
    calls: list[tuple[str, str]] = []
    original = _service.Service.respond

    def counting(self: Any, request: Any) -> Any:
        calls.append((request.method, request.path))
        return original(self, request)

    monkeypatch.setattr(_service.Service, "respond", counting)
    return calls


@pytest.fixture
def no_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or region anywhere: env vars gone, config files empty, no IMDS."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    credentials = tmp_path / "credentials"
    config = tmp_path / "config"
    credentials.write_text("")
    config.write_text("")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture(autouse=True)
def _inactive_around_each_test() -> Iterator[None]:
    assert not is_active(), "a mock leaked into this test"
    yield
    assert not is_active(), "this test left a mock active"


# -- decorator, context manager, start/stop -------------------------------------------


def test_bare_decorator_serves_requests_inside_the_function() -> None:
    @mock_customer_profiles
    def body(name: str) -> list[str]:
        """Docstring kept."""
        client = _client()
        created = _create_domain(client, name)
        assert created["DomainName"] == name
        assert created["DefaultExpirationDays"] == 30
        return _names(client)

    assert body.__name__ == "body"
    assert body.__doc__ == "Docstring kept."
    assert body("bare") == ["bare"]
    assert not is_active()
    # Every call of the decorated function starts from an empty state.
    assert body("bare") == ["bare"]


def test_bare_decorator_stops_the_mock_when_the_function_raises() -> None:
    @mock_customer_profiles
    def body() -> None:
        _create_domain(_client(), "doomed")
        raise KeyError("boom")

    with pytest.raises(KeyError, match="boom"):
        body()
    assert not is_active()


def test_configured_decorator_serves_in_its_account_and_region(no_aws_env: None) -> None:
    handle = mock_customer_profiles(region="eu-west-2", account_id="111122223333")
    assert isinstance(handle, CustomerProfilesMock)
    assert (handle.region, handle.account_id) == ("eu-west-2", "111122223333")

    @handle
    def body() -> None:
        explicit = _client("eu-west-2")
        _create_domain(explicit, "configured")
        # A client without a region gets the handle's region from AWS_DEFAULT_REGION.
        implicit = boto3.session.Session().client("customer-profiles")
        assert implicit.meta.region_name == "eu-west-2"
        assert _names(implicit) == ["configured"]
        assert handle.domains() == ["configured"]
        assert handle.domains(account_id="111122223333", region="eu-west-2") == ["configured"]
        assert handle.domains(account_id=ACCOUNT_ID, region=REGION) == []
        assert handle.domains(account_id=ACCOUNT_ID, region="eu-west-2") == []
        assert handle.domains(account_id="111122223333", region=REGION) == []
        assert _names(_client(REGION)) == []

    body()
    assert not handle.active


def test_configured_decorator_call_form_returns_a_decorated_function() -> None:
    @mock_customer_profiles(region="eu-west-2", account_id="111122223333")
    def body() -> list[str]:
        _create_domain(_client("eu-west-2"), "configured")
        return _names(_client("eu-west-2"))

    assert body() == ["configured"]


def test_context_manager_yields_the_handle() -> None:
    with mock_customer_profiles() as cp:
        assert isinstance(cp, CustomerProfilesMock)
        assert cp.active
        assert (cp.region, cp.account_id) == (REGION, ACCOUNT_ID)
        cp.create_domain("seeded")
        client = _client()
        _create_domain(client, "via-api")
        assert _names(client) == ["seeded", "via-api"]
        assert cp.domains() == ["seeded", "via-api"]
    assert not cp.active
    assert not is_active()


def test_start_stop_serves_between_the_calls() -> None:
    cp = mock_customer_profiles()
    assert not cp.active
    assert cp.start() is cp
    try:
        assert cp.active
        client = _client()
        _create_domain(client, "started")
        assert cp.domains() == ["started"]
    finally:
        cp.stop()
    assert not cp.active
    assert not is_active()


def test_async_context_manager_yields_the_handle() -> None:
    async def body() -> list[str]:
        async with mock_customer_profiles() as cp:
            assert isinstance(cp, CustomerProfilesMock)
            _create_domain(_client(), "async-with")
            return cp.domains()

    assert asyncio.run(body()) == ["async-with"]


def test_async_function_decorated_serves_boto3_calls() -> None:
    @mock_customer_profiles
    async def body(name: str) -> list[str]:
        await asyncio.sleep(0)
        client = _client()
        _create_domain(client, name)
        await asyncio.sleep(0)
        return _names(client)

    assert inspect.iscoroutinefunction(body)
    assert asyncio.run(body("async-domain")) == ["async-domain"]
    assert not is_active()


def test_async_function_decorated_with_configuration_serves_in_its_account() -> None:
    handle = mock_customer_profiles(account_id="111122223333")

    @handle
    async def body() -> list[str]:
        _create_domain(_client(), "async-configured")
        return handle.domains(account_id="111122223333")

    assert asyncio.run(body()) == ["async-configured"]


# -- misuse ---------------------------------------------------------------------------


def test_stop_without_start_raises_runtime_error() -> None:
    cp = mock_customer_profiles()
    with pytest.raises(RuntimeError) as info:
        cp.stop()
    assert str(info.value) == STOP_WITHOUT_START


def test_stop_after_the_matching_stop_raises_runtime_error() -> None:
    cp = mock_customer_profiles()
    cp.start()
    cp.stop()
    with pytest.raises(RuntimeError) as info:
        cp.stop()
    assert str(info.value) == STOP_WITHOUT_START
    assert not is_active()


@pytest.mark.parametrize("region", ["US-EAST-1", "useast1", "", "us-east-1 ", "us-east", 42])
def test_invalid_region_raises_value_error(region: Any) -> None:
    with pytest.raises(ValueError) as info:
        mock_customer_profiles(region=region)
    assert str(info.value) == f"region must look like 'us-east-1', got {region!r}"


@pytest.mark.parametrize(
    "account_id", ["12345678901", "1234567890123", "12345678901a", "", 123456789012]
)
def test_invalid_account_id_raises_value_error(account_id: Any) -> None:
    with pytest.raises(ValueError) as info:
        mock_customer_profiles(account_id=account_id)
    assert str(info.value) == f"account_id must be 12 digits as a string, got {account_id!r}"


def test_invalid_configuration_in_decorator_form_raises_before_decorating() -> None:
    with pytest.raises(ValueError) as info:
        mock_customer_profiles(region="Mars", account_id=ACCOUNT_ID)
    assert str(info.value) == "region must look like 'us-east-1', got 'Mars'"


@pytest.mark.parametrize(
    ("target", "kind"),
    [(42, "an int"), ("not a function", "a str"), (None, "None"), ([1], "a list")],
)
def test_decorating_a_non_callable_raises_type_error(target: Any, kind: str) -> None:
    cp = mock_customer_profiles()
    with pytest.raises(TypeError) as info:
        cp(target)
    assert str(info.value) == f"mock_customer_profiles decorates functions and classes, got {kind}"


def test_decorating_a_non_callable_with_the_bare_form_raises_type_error() -> None:
    with pytest.raises(TypeError) as info:
        mock_customer_profiles(42)
    assert str(info.value) == ("mock_customer_profiles decorates functions and classes, got an int")


def test_seeding_on_an_inactive_handle_raises_runtime_error() -> None:
    cp = mock_customer_profiles()
    with pytest.raises(RuntimeError) as info:
        cp.create_domain("too-early")
    assert str(info.value) == NOT_ACTIVE
    with pytest.raises(RuntimeError) as info:
        cp.domains()
    assert str(info.value) == NOT_ACTIVE


# -- class decoration -----------------------------------------------------------------


def test_unittest_testcase_class_decorated_gets_fresh_state_per_method() -> None:
    seen: dict[str, list[str]] = {}

    @mock_customer_profiles
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.client = _client()
            _create_domain(self.client, "seeded")

        def tearDown(self) -> None:
            # tearDown still runs inside the mock, with the test's state.
            seen.setdefault(f"{self._testMethodName}:teardown", _names(self.client))

        def test_one(self) -> None:
            seen["test_one"] = _names(self.client)
            assert seen["test_one"] == ["seeded"]
            _create_domain(self.client, "left-by-one")

        def test_two(self) -> None:
            seen["test_two"] = _names(self.client)
            assert seen["test_two"] == ["seeded"]
            _create_domain(self.client, "left-by-two")

    suite = unittest.TestSuite([Case("test_one"), Case("test_two"), Case("test_one")])
    result = unittest.TestResult()
    suite.run(result)

    assert result.failures == []
    assert result.errors == []
    assert result.testsRun == 3
    assert result.wasSuccessful()
    assert seen == {
        "test_one": ["seeded"],
        "test_two": ["seeded"],
        "test_one:teardown": ["left-by-one", "seeded"],
        "test_two:teardown": ["left-by-two", "seeded"],
    }
    assert not is_active()


def test_unittest_testcase_class_decorated_run_method_by_method() -> None:
    @mock_customer_profiles(account_id="111122223333")
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.client = _client()
            _create_domain(self.client, "seeded")

        def test_sees_one_domain(self) -> None:
            assert _names(self.client) == ["seeded"]
            _create_domain(self.client, "extra")

    for _ in range(2):
        result = unittest.TestResult()
        Case("test_sees_one_domain").run(result)
        assert (result.testsRun, result.failures, result.errors) == (1, [], [])
        assert not is_active()


def test_unittest_testcase_class_decorated_stops_when_setup_fails() -> None:
    @mock_customer_profiles
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            _create_domain(_client(), "seeded")
            raise KeyError("setup broke")

        def test_never_runs(self) -> None:
            raise AssertionError("unreachable")

    result = unittest.TestResult()
    Case("test_never_runs").run(result)
    assert result.testsRun == 1
    assert len(result.errors) == 1
    assert "KeyError: 'setup broke'" in result.errors[0][1]
    assert not is_active()


def test_unittest_testcase_class_decorated_stops_when_test_fails() -> None:
    @mock_customer_profiles
    class Case(unittest.TestCase):
        def test_fails(self) -> None:
            _create_domain(_client(), "seeded")
            self.fail("on purpose")

    result = unittest.TestResult()
    Case("test_fails").run(result)
    assert len(result.failures) == 1
    assert "on purpose" in result.failures[0][1]
    assert not is_active()


def test_plain_class_decorated_runs_setup_test_teardown_in_one_fresh_state() -> None:
    log: list[tuple[str, list[str]]] = []

    @mock_customer_profiles
    class TestPlain:
        def setup_method(self, method: Any) -> None:
            self.client = _client()
            _create_domain(self.client, "seeded")

        def teardown_method(self, method: Any) -> None:
            log.append((f"teardown {method.__name__}", _names(self.client)))

        def test_one(self) -> None:
            log.append(("test_one", _names(self.client)))
            _create_domain(self.client, "left-by-one")

        def test_two(self) -> None:
            log.append(("test_two", _names(self.client)))
            _create_domain(self.client, "left-by-two")

        def helper(self) -> bool:
            return is_active()

    instance = TestPlain()
    # What pytest does for each test of the class: a fresh instance, then
    # setup_method(m), m(), teardown_method(m).
    for name in ("test_one", "test_two", "test_one"):
        instance = TestPlain()
        method = getattr(instance, name)
        instance.setup_method(method)
        method()
        instance.teardown_method(method)
        assert not is_active()
    # Methods not named test* are left alone.
    assert instance.helper() is False

    assert log == [
        ("test_one", ["seeded"]),
        ("teardown test_one", ["left-by-one", "seeded"]),
        ("test_two", ["seeded"]),
        ("teardown test_two", ["left-by-two", "seeded"]),
        ("test_one", ["seeded"]),
        ("teardown test_one", ["left-by-one", "seeded"]),
    ]


def test_plain_class_decorated_stops_when_setup_method_fails() -> None:
    @mock_customer_profiles
    class TestPlain:
        def setup_method(self, method: Any) -> None:
            raise KeyError("setup broke")

        def test_one(self) -> None:
            raise AssertionError("unreachable")

    instance = TestPlain()
    with pytest.raises(KeyError, match="setup broke"):
        instance.setup_method(instance.test_one)
    assert not is_active()


def test_plain_class_decorated_stops_when_teardown_method_fails() -> None:
    @mock_customer_profiles
    class TestPlain:
        def setup_method(self, method: Any) -> None:
            _create_domain(_client(), "seeded")

        def teardown_method(self, method: Any) -> None:
            raise KeyError("teardown broke")

        def test_one(self) -> None:
            pass

    instance = TestPlain()
    instance.setup_method(instance.test_one)
    instance.test_one()
    with pytest.raises(KeyError, match="teardown broke"):
        instance.teardown_method(instance.test_one)
    assert not is_active()


def test_plain_class_decorated_under_pytest_gets_fresh_state_per_method(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        test_plain_class=textwrap.dedent(
            """
            import boto3

            from customer_profiles_mock import is_active, mock_customer_profiles


            def names(client):
                return [i["DomainName"] for i in client.list_domains()["Items"]]


            @mock_customer_profiles
            class TestPlain:
                def setup_method(self, method):
                    self.client = boto3.client("customer-profiles", region_name="us-east-1")
                    self.client.create_domain(DomainName="seeded", DefaultExpirationDays=30)

                def teardown_method(self, method):
                    assert names(self.client) == ["extra", "seeded"]

                def test_one(self):
                    assert names(self.client) == ["seeded"]
                    self.client.create_domain(DomainName="extra", DefaultExpirationDays=30)

                def test_two(self):
                    assert names(self.client) == ["seeded"]
                    self.client.create_domain(DomainName="extra", DefaultExpirationDays=30)


            def test_zz_inactive_after_the_class():
                assert not is_active()
            """
        )
    )
    # Plugins that would warn (turned into errors by our filterwarnings) stay out.
    quiet = ("no:cacheprovider", "no:benchmark", "no:xdist", "no:randomly")
    result = pytester.runpytest(*(arg for plugin in quiet for arg in ("-p", plugin)), "-q")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0, result.stdout.str()
    assert outcomes.get("errors", 0) == 0, result.stdout.str()
    assert outcomes["passed"] == 3, result.stdout.str()
    assert not is_active()


def test_plain_class_decorated_wraps_inherited_setup_method_and_tests() -> None:
    handle = mock_customer_profiles()
    log: list[tuple[str, list[str]]] = []

    class Base:
        def setup_method(self, method: Any) -> None:
            handle.create_domain("seeded")

        def teardown_method(self, method: Any) -> None:
            log.append(("teardown", handle.domains()))

        def test_inherited(self) -> None:
            log.append(("test_inherited", handle.domains()))
            handle.create_domain("extra")

    original_test = Base.test_inherited

    @handle
    class TestChild(Base):
        def test_own(self) -> None:
            log.append(("test_own", handle.domains()))

    for name in ("test_inherited", "test_own", "test_inherited"):
        instance = TestChild()
        method = getattr(instance, name)
        instance.setup_method(method)
        method()
        instance.teardown_method(method)
        assert not is_active()

    assert log == [
        ("test_inherited", ["seeded"]),
        ("teardown", ["seeded", "extra"]),
        ("test_own", ["seeded"]),
        ("teardown", ["seeded"]),
        ("test_inherited", ["seeded"]),
        ("teardown", ["seeded", "extra"]),
    ]
    # The base class itself is left undecorated.
    assert Base.test_inherited is original_test
    with pytest.raises(RuntimeError) as info:
        Base().setup_method(None)
    assert str(info.value) == NOT_ACTIVE


# -- state lifetime and nesting -------------------------------------------------------


def test_state_is_discarded_at_the_last_stop() -> None:
    client = _client()
    with mock_customer_profiles() as cp:
        _create_domain(client, "first-life")
        assert _names(client) == ["first-life"]
    with mock_customer_profiles():
        assert _names(client) == []
    # The same handle restarted starts from nothing too.
    cp.start()
    try:
        assert cp.domains() == []
        assert _names(client) == []
        _create_domain(client, "first-life")
    finally:
        cp.stop()


def test_nested_handle_shares_the_store_and_serves_in_its_own_account() -> None:
    client = _client()
    with mock_customer_profiles() as outer:
        outer.create_domain("outer-domain")
        assert _names(client) == ["outer-domain"]
        with mock_customer_profiles(account_id="222233334444") as inner:
            # Requests are served in the inner account...
            assert _names(client) == []
            _create_domain(client, "inner-domain")
            assert _names(client) == ["inner-domain"]
            assert inner.domains() == ["inner-domain"]
            # ...and the outer account's state is still there.
            assert outer.domains() == ["outer-domain"]
            assert inner.domains(account_id=ACCOUNT_ID) == ["outer-domain"]
            assert outer.domains(account_id="222233334444") == ["inner-domain"]
        assert not inner.active
        assert outer.active
        # Back to the outer account; the inner account's state lives on until the last stop.
        assert _names(client) == ["outer-domain"]
        assert outer.domains(account_id="222233334444") == ["inner-domain"]
        with pytest.raises(RuntimeError) as info:
            inner.domains()
        assert str(info.value) == NOT_ACTIVE
        with pytest.raises(ClientError) as error:
            client.get_domain(DomainName="inner-domain")
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert error.value.response["Error"]["Message"] == "Domain inner-domain does not exist"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_nested_decorator_inside_context_manager_shares_the_store() -> None:
    with mock_customer_profiles() as outer:
        outer.create_domain("outer-domain")

        @mock_customer_profiles
        def inner() -> list[str]:
            return _names(_client())

        assert inner() == ["outer-domain"]
        assert outer.domains() == ["outer-domain"]


def test_nested_stop_out_of_order_keeps_serving_the_remaining_handle() -> None:
    client = _client()
    outer = mock_customer_profiles().start()
    inner = mock_customer_profiles(account_id="222233334444").start()
    try:
        outer.create_domain("outer-domain")
        outer.stop()
        # The inner handle is still active: same store, inner account.
        assert is_active()
        _create_domain(client, "inner-domain")
        assert inner.domains() == ["inner-domain"]
        assert inner.domains(account_id=ACCOUNT_ID) == ["outer-domain"]
    finally:
        if outer.active:
            outer.stop()
        inner.stop()
    assert not is_active()


def test_same_handle_started_twice_needs_two_stops() -> None:
    client = _client()
    cp = mock_customer_profiles()
    cp.start()
    cp.start()
    _create_domain(client, "kept")
    cp.stop()
    assert cp.active
    assert is_active()
    assert cp.domains() == ["kept"]
    assert _names(client) == ["kept"]
    cp.stop()
    assert not cp.active
    assert not is_active()
    with pytest.raises(RuntimeError) as info:
        cp.stop()
    assert str(info.value) == STOP_WITHOUT_START


def test_same_handle_as_nested_context_managers_keeps_state_until_the_outer_exit() -> None:
    cp = mock_customer_profiles()
    with cp:
        with cp:
            cp.create_domain("kept")
        assert cp.active
        assert cp.domains() == ["kept"]
    assert not cp.active


# -- which clients are served ---------------------------------------------------------


def test_client_created_before_activation_is_served() -> None:
    client = _client()
    with mock_customer_profiles() as cp:
        _create_domain(client, "early-client")
        assert cp.domains() == ["early-client"]


def test_client_with_endpoint_url_is_served_in_its_own_region(
    handle_calls: list[tuple[str, str]],
) -> None:
    client = _client("eu-west-2", endpoint_url="http://localhost:1234")
    with mock_customer_profiles() as cp:
        created = _create_domain(client, "local-endpoint")
        assert created["DomainName"] == "local-endpoint"
        assert _names(client) == ["local-endpoint"]
        assert cp.domains(region="eu-west-2") == ["local-endpoint"]
        assert cp.domains() == []
        assert _names(_client("eu-west-2")) == ["local-endpoint"]
        assert _names(_client(REGION)) == []
    assert handle_calls == [
        ("POST", "/domains/local-endpoint"),
        ("GET", "/domains"),
        ("GET", "/domains"),
        ("GET", "/domains"),
    ]


@pytest.mark.parametrize("region", ["eu-west-1", "ap-south-2", "sa-east-1"])
def test_client_in_a_region_botocore_does_not_list_is_served_separately(region: str) -> None:
    listed = boto3.session.Session().get_available_regions("customer-profiles")
    assert region not in listed
    client = _client(region)
    home = _client(REGION)
    with mock_customer_profiles() as cp:
        _create_domain(client, "far-away")
        assert _names(client) == ["far-away"]
        assert _names(home) == []
        assert cp.domains(region=region) == ["far-away"]
        assert cp.domains() == []
        # The same name is free in us-east-1.
        _create_domain(home, "far-away")
        assert cp.domains() == ["far-away"]
        result = client.get_domain(DomainName="far-away")
        assert result["Stats"]["ProfileCount"] == 0


def test_unsigned_client_is_served_in_the_region_of_its_host() -> None:
    unsigned = Config(signature_version=botocore.UNSIGNED)
    client = _client("eu-west-2", config=unsigned)
    with mock_customer_profiles() as cp:
        _create_domain(client, "unsigned")
        assert cp.domains(region="eu-west-2") == ["unsigned"]
        assert cp.domains() == []


# -- credentials and environment ------------------------------------------------------


def test_client_without_credentials_is_served_while_active(no_aws_env: None) -> None:
    client = boto3.session.Session().client("customer-profiles", region_name=REGION)
    assert client._request_signer._credentials is None
    with mock_customer_profiles() as cp:
        created = _create_domain(client, "no-credentials")
        assert created["DomainName"] == "no-credentials"
        assert cp.domains() == ["no-credentials"]
        assert client._request_signer._credentials is None
    # Inactive again: botocore itself refuses before anything is sent.
    with pytest.raises(NoCredentialsError):
        client.list_domains()


def test_client_created_while_active_without_credentials_is_served(no_aws_env: None) -> None:
    with mock_customer_profiles() as cp:
        client = boto3.session.Session().client("customer-profiles", region_name=REGION)
        _create_domain(client, "made-inside")
        assert cp.domains() == ["made-inside"]


def _aws_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("AWS_")}


def test_environment_is_not_changed_and_clients_get_fake_credentials_and_region(
    no_aws_env: None,
) -> None:
    before = _aws_env()
    with mock_customer_profiles(region="eu-west-2") as cp:
        assert _aws_env() == before
        session = boto3.session.Session()
        client = session.client("customer-profiles")  # no region, no credentials
        _create_domain(client, "made-inside")
        assert client.meta.region_name == "eu-west-2"
        assert session.get_credentials().access_key == FAKE_KEY
        assert cp.domains() == ["made-inside"]
    assert _aws_env() == before


def test_empty_credential_variables_count_as_unset_and_nothing_leaves_the_process(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "")
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")  # botocore would ask the EC2 metadata
    connects: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        connects.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with mock_customer_profiles() as cp:
        session = boto3.session.Session()
        client = session.client("customer-profiles", region_name=REGION)
        _create_domain(client, "ci")
        assert session.get_credentials().access_key == FAKE_KEY
        assert cp.domains() == ["ci"]
    assert connects == []


@pytest.mark.parametrize("order", ["ours-stops-first", "moto-stops-first"])
def test_stopping_out_of_order_with_moto_leaves_no_environment_behind(
    no_aws_env: None, order: str
) -> None:
    before = _aws_env()
    ours, moto = mock_customer_profiles(), mock_aws()
    ours.start()
    moto.start()
    if order == "ours-stops-first":
        ours.stop()
        moto.stop()
    else:
        moto.stop()
        ours.stop()
    assert _aws_env() == before
    assert not is_active()


def test_existing_credentials_and_region_env_are_left_alone(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    with mock_customer_profiles(region="eu-west-2"):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWNKEY00000"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "users-own-secret"
        assert os.environ["AWS_DEFAULT_REGION"] == "ca-central-1"
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWNKEY00000"
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == "users-own-secret"
    assert os.environ["AWS_DEFAULT_REGION"] == "ca-central-1"


def test_client_region_from_the_environment_wins_over_the_mock_region(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ca-central-1")
    with mock_customer_profiles(region="eu-west-2") as cp:
        client = boto3.session.Session().client("customer-profiles")
        _create_domain(client, "canada")
        assert cp.domains(region="ca-central-1") == ["canada"]
        assert cp.domains() == []
    assert os.environ["AWS_DEFAULT_REGION"] == "ca-central-1"


def test_default_region_is_the_one_boto3_reads_from_aws_default_region(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a CI runner that sets it: seeding and a client without a region meet there
    # (the client was served in eu-west-1 and the seeding went to us-east-1).
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        client = boto3.session.Session().client("customer-profiles")
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert (cp.region, client.meta.region_name) == ("eu-west-1", "eu-west-1")
        assert [c.region for c in cp.calls] == ["eu-west-1"]


def test_default_region_is_the_config_file_profiles_without_the_variable(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text("[default]\nregion = ap-southeast-2\n[profile ci]\nregion = eu-central-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        client = boto3.session.Session().client("customer-profiles")
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert (cp.region, client.meta.region_name) == ("ap-southeast-2", "ap-southeast-2")
    monkeypatch.setenv("AWS_PROFILE", "ci")
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        client = boto3.session.Session().client("customer-profiles")
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert (cp.region, client.meta.region_name) == ("eu-central-1", "eu-central-1")


def test_default_region_ignores_aws_region_as_botocore_does(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-3")
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        client = boto3.session.Session().client("customer-profiles")
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert (cp.region, client.meta.region_name) == ("us-east-1", "us-east-1")


def test_default_region_is_read_when_the_handle_is_made(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = mock_customer_profiles()
    monkeypatch.setenv("AWS_DEFAULT_REGION", "sa-east-1")
    assert (before.region, mock_customer_profiles().region) == ("us-east-1", "sa-east-1")
    assert mock_customer_profiles(region="eu-west-2").region == "eu-west-2"


def test_default_region_from_a_bad_environment_says_where_it_came_from(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "Europe")
    with pytest.raises(ValueError) as info:
        mock_customer_profiles()
    assert str(info.value) == (
        "the region boto3 reads here (AWS_DEFAULT_REGION, else the AWS config file's profile) "
        "is 'Europe', not a region like 'us-east-1': fix it, or pass region=..."
    )


def test_env_value_set_while_active_is_kept_after_stop(no_aws_env: None) -> None:
    with mock_customer_profiles():
        os.environ["AWS_DEFAULT_REGION"] = "ca-central-1"
    try:
        assert os.environ["AWS_DEFAULT_REGION"] == "ca-central-1"
        assert "AWS_ACCESS_KEY_ID" not in os.environ
    finally:
        os.environ.pop("AWS_DEFAULT_REGION", None)


def test_default_session_forgets_lent_credentials_at_stop(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    with mock_customer_profiles():
        boto3.client("customer-profiles", region_name=REGION).list_domains()
        assert boto3.DEFAULT_SESSION.get_credentials().access_key == FAKE_KEY
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAMYOWNTESTKEY0000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "my-own-secret")
    later = boto3.client("sqs", region_name=REGION)
    assert later._request_signer._credentials.access_key == "AKIAMYOWNTESTKEY0000"


def test_secret_key_without_access_key_gets_fake_credentials(
    no_aws_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
    with mock_customer_profiles() as cp:
        session = boto3.session.Session()
        _create_domain(session.client("customer-profiles", region_name=REGION), "half")
        assert session.get_credentials().access_key == FAKE_KEY
        assert cp.domains() == ["half"]
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert os.environ.get("AWS_SECRET_ACCESS_KEY") == "users-own-secret"


# -- inactive means untouched; other services untouched -------------------------------


def test_inactive_mock_leaves_customer_profiles_requests_alone(
    handle_calls: list[tuple[str, str]],
) -> None:
    client = _client(aws_access_key_id="AKIDINACTIVE", aws_secret_access_key="inactive")
    canned = _Canned(json.dumps(CANNED_LIST_DOMAINS).encode())
    client.meta.events.register("before-send.customer-profiles", canned)
    with mock_customer_profiles():
        _create_domain(client, "while-active")
    assert len(handle_calls) == 1

    result = client.list_domains()

    assert [item["DomainName"] for item in result["Items"]] == ["canned-domain"]
    # botocore calls every before-send handler: ours also saw the request made while
    # active, but the mock answered that one first; the later one only we answered.
    assert len(canned.requests) == 2
    active_request, inactive_request = canned.requests
    assert getattr(active_request, SERVED_FLAG, False) is True
    assert inactive_request.url == "https://profile.us-east-1.amazonaws.com/domains"
    assert not getattr(inactive_request, SERVED_FLAG, False)
    assert len(handle_calls) == 1


def test_inactive_mock_before_any_start_leaves_requests_alone(
    handle_calls: list[tuple[str, str]],
) -> None:
    # Credentials of its own, so the test does not depend on the machine's.
    client = _client(aws_access_key_id="AKIDINACTIVE", aws_secret_access_key="inactive")
    canned = _Canned(json.dumps(CANNED_LIST_DOMAINS).encode())
    client.meta.events.register("before-send", canned)
    result = client.list_domains()
    assert [item["DomainName"] for item in result["Items"]] == ["canned-domain"]
    assert len(canned.requests) == 1
    assert not getattr(canned.requests[0], SERVED_FLAG, False)
    assert handle_calls == []


def test_other_services_are_not_answered_while_active(
    handle_calls: list[tuple[str, str]],
) -> None:
    keys = {"aws_access_key_id": "AKIDOTHER", "aws_secret_access_key": "other-secret"}
    with mock_customer_profiles():
        sts = boto3.client("sts", region_name=REGION, **keys)
        sts_canned = _Canned(CANNED_CALLER_IDENTITY, {"Content-Type": "text/xml"})
        sts.meta.events.register("before-send", sts_canned)
        s3 = boto3.client("s3", region_name=REGION, **keys)
        s3_canned = _Canned(CANNED_LIST_BUCKETS, {"Content-Type": "application/xml"})
        s3.meta.events.register("before-send", s3_canned)

        identity = sts.get_caller_identity()
        buckets = s3.list_buckets()
        # customer-profiles is still served meanwhile.
        _create_domain(_client(), "alongside")

    assert identity["Account"] == "999999999999"
    assert identity["UserId"] == "CANNED"
    assert [b["Name"] for b in buckets["Buckets"]] == ["canned-bucket"]
    assert len(sts_canned.requests) == 1
    assert len(s3_canned.requests) == 1
    for request in sts_canned.requests + s3_canned.requests:
        assert not getattr(request, SERVED_FLAG, False)
    assert handle_calls == [("POST", "/domains/alongside")]


# -- moto -----------------------------------------------------------------------------


@pytest.mark.parametrize("moto_outside", [True, False], ids=["moto-outside", "moto-inside"])
def test_coexists_with_moto_mock_aws(
    moto_outside: bool, handle_calls: list[tuple[str, str]]
) -> None:
    before = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
    first = mock_aws() if moto_outside else mock_customer_profiles()
    second = mock_customer_profiles() if moto_outside else mock_aws()
    with first, second:
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="coexisting-bucket")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["coexisting-bucket"]

        client = _client()
        created = _create_domain(client, "coexisting")
        assert created["DomainName"] == "coexisting"
        assert len(handle_calls) == 1
        with pytest.raises(ClientError) as error:
            _create_domain(client, "coexisting")
        assert error.value.response["Error"]["Code"] == "BadRequestException"
        assert error.value.response["Error"]["Message"] == "Domain coexisting already exists"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert _names(client) == ["coexisting"]
    # Each customer-profiles request was executed exactly once.
    assert handle_calls == [
        ("POST", "/domains/coexisting"),
        ("POST", "/domains/coexisting"),
        ("GET", "/domains"),
    ]
    assert {k: v for k, v in os.environ.items() if k.startswith("AWS_")} == before


# -- threads --------------------------------------------------------------------------


def test_concurrent_create_profile_from_threads_loses_no_writes() -> None:
    threads_count, per_thread = 8, 50
    with mock_customer_profiles() as cp:
        cp.create_domain("busy")
        clients = [
            boto3.session.Session().client("customer-profiles", region_name=REGION)
            for _ in range(threads_count)
        ]
        barrier = threading.Barrier(threads_count)
        ids: list[list[str]] = [[] for _ in range(threads_count)]
        failures: list[BaseException] = []

        def work(index: int) -> None:
            try:
                barrier.wait()
                for n in range(per_thread):
                    result = clients[index].create_profile(
                        DomainName="busy", FirstName=f"T{index}", LastName=f"N{n}"
                    )
                    ids[index].append(result["ProfileId"])
            except BaseException as exc:  # pragma: no cover - reported below
                failures.append(exc)

        workers = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        assert failures == []
        total = threads_count * per_thread
        stored = cp.profiles("busy")
        assert len(stored) == total
        all_ids = [profile_id for chunk in ids for profile_id in chunk]
        assert len(set(all_ids)) == total
        assert {p["ProfileId"] for p in stored} == set(all_ids)
        assert {(p["FirstName"], p["LastName"]) for p in stored} == {
            (f"T{i}", f"N{n}") for i in range(threads_count) for n in range(per_thread)
        }
        stats = _client().get_domain(DomainName="busy")["Stats"]
        assert stats["ProfileCount"] == total


def _in_a_forked_child(ann: str) -> tuple[int, str, int]:
    """What a pool worker forked under an active mock sees: the profiles seeded before the
    fork, its own write, and nothing the parent wrote after the fork."""
    client = boto3.session.Session().client("customer-profiles", region_name=REGION)
    seen = client.search_profiles(DomainName="busy", KeyName="_profileId", Values=[ann])
    created = client.create_profile(DomainName="busy", FirstName="Child")["ProfileId"]
    mine = client.search_profiles(DomainName="busy", KeyName="_profileId", Values=[created])
    return len(seen["Items"]), created, len(mine["Items"])


@pytest.mark.skipif(sys.platform != "linux", reason="the fork start method is Linux's default")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_pool_forked_while_threads_call_the_mock_completes() -> None:
    # A child inherits every lock as it was at the fork: one held by a thread inside the
    # mock (a region's, around every handler and seeding write) stayed held for ever in
    # the child, which deadlocked on its first call; and the child made the parent's next
    # ProfileIds again.
    fork = multiprocessing.get_context("fork")
    with mock_customer_profiles(region=REGION) as cp:
        cp.create_domain("busy")
        ann = cp.create_profile("busy", FirstName="Ann")
        stop = threading.Event()
        started = threading.Barrier(5)

        def call() -> None:
            client = boto3.session.Session().client("customer-profiles", region_name=REGION)
            started.wait()
            while not stop.is_set():
                client.create_profile(DomainName="busy", FirstName="Parent")
                client.list_domains()

        def seed() -> None:
            started.wait()
            while not stop.is_set():
                cp.create_profiles("busy", [{"FirstName": "Parent"}] * 200)

        hammers = [threading.Thread(target=work) for work in (call, call, seed, seed)]
        for thread in hammers:
            thread.start()
        started.wait()
        results: list[tuple[int, str, int]] = []
        try:
            for _ in range(3):
                pool = fork.Pool(4)
                try:
                    results += pool.map_async(_in_a_forked_child, [ann] * 8).get(timeout=60)
                finally:
                    pool.terminate()
                    pool.join()
        finally:
            stop.set()
            for thread in hammers:
                thread.join()
        assert [(seen, mine) for seen, _, mine in results] == [(1, 1)] * 24
        in_parent = {p["ProfileId"] for p in cp.profiles("busy")}
        assert ann in in_parent
        assert in_parent.isdisjoint(created for _, created, _ in results)
        assert {p["FirstName"] for p in cp.profiles("busy")} == {"Ann", "Parent"}


def test_handles_started_in_two_threads_serve_each_thread_in_its_own_account() -> None:
    accounts = ("111111111111", "222222222222")
    rounds = 40
    barrier = threading.Barrier(len(accounts))
    seen: dict[str, tuple[list[str], set[str]]] = {}
    failures: list[BaseException] = []

    def test_body(account_id: str) -> None:
        try:
            client = boto3.session.Session().client("customer-profiles", region_name=REGION)
            with mock_customer_profiles(account_id=account_id) as cp:
                barrier.wait()  # both handles are active from here on
                for n in range(rounds):
                    _create_domain(client, f"d{account_id[0]}-{n}")
                seen[account_id] = (cp.domains(), {c.account_id for c in cp.calls})
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=test_body, args=(a,)) for a in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    for account_id in accounts:
        domains, served_in = seen[account_id]
        assert domains == [f"d{account_id[0]}-{n}" for n in range(rounds)]
        assert served_in == {account_id}


def test_thread_pool_of_the_code_under_test_is_served_by_the_test_mock() -> None:
    def code_under_test(names: list[str]) -> list[str]:
        client = boto3.session.Session().client("customer-profiles", region_name=REGION)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            created = pool.map(lambda n: _create_domain(client, n)["DomainName"], names)
            return sorted(created)

    names = [f"pooled-{n}" for n in range(12)]
    with mock_customer_profiles(account_id="333333333333") as cp:
        assert code_under_test(names) == sorted(names)
        assert sorted(cp.domains()) == sorted(names)
        assert {c.account_id for c in cp.calls} == {"333333333333"}


# -- isolation ------------------------------------------------------------------------


def test_state_does_not_leak_between_accounts_in_sequence() -> None:
    client = _client()
    with mock_customer_profiles(account_id="111122223333") as first:
        _create_domain(client, "shared-name")
        assert first.domains() == ["shared-name"]
    with mock_customer_profiles(account_id="444455556666") as second:
        assert _names(client) == []
        assert second.domains(account_id="111122223333") == []
        _create_domain(client, "shared-name")
        assert second.domains() == ["shared-name"]


def test_state_does_not_leak_between_accounts_in_one_store() -> None:
    client = _client()
    with mock_customer_profiles() as cp:
        cp.create_domain("other-account-domain", account_id="444455556666")
        cp.create_profile("other-account-domain", account_id="444455556666", FirstName="Ann")
        assert _names(client) == []
        with pytest.raises(ClientError) as error:
            client.get_domain(DomainName="other-account-domain")
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert (
            error.value.response["Error"]["Message"] == "Domain other-account-domain does not exist"
        )
        # The same name is free in the served account.
        _create_domain(client, "other-account-domain")
        assert cp.domains() == ["other-account-domain"]
        assert client.get_domain(DomainName="other-account-domain")["Stats"]["ProfileCount"] == 0
        assert len(cp.profiles("other-account-domain", account_id="444455556666")) == 1
        assert cp.profiles("other-account-domain") == []


def test_state_does_not_leak_between_regions() -> None:
    east = _client("us-east-1")
    west = _client("us-west-2")
    with mock_customer_profiles() as cp:
        _create_domain(east, "regional")
        east.create_profile(DomainName="regional", FirstName="East")
        assert _names(west) == []
        with pytest.raises(ClientError) as error:
            west.create_profile(DomainName="regional", FirstName="West")
        assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert error.value.response["Error"]["Message"] == "Domain regional does not exist"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        _create_domain(west, "regional")
        assert west.get_domain(DomainName="regional")["Stats"]["ProfileCount"] == 0
        assert east.get_domain(DomainName="regional")["Stats"]["ProfileCount"] == 1
        assert cp.domains(region="us-west-2") == ["regional"]
        assert [p["FirstName"] for p in cp.profiles("regional")] == ["East"]
        assert cp.profiles("regional", region="us-west-2") == []


# -- import-time behaviour (subprocesses) ---------------------------------------------


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    env["AWS_CONFIG_FILE"] = os.devnull
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_import_does_not_import_pytest() -> None:
    done = _run_python(
        "import sys, customer_profiles_mock\n"
        "assert 'pytest' not in sys.modules, 'pytest was imported'\n"
        "assert '_pytest' not in sys.modules, '_pytest was imported'\n"
        "print('ok')\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_import_changes_nothing_in_botocore() -> None:
    done = _run_python(
        "import botocore.endpoint, botocore.handlers, botocore.session\n"
        "builtins = list(botocore.handlers.BUILTIN_HANDLERS)\n"
        "make_request = botocore.endpoint.Endpoint.make_request\n"
        "import customer_profiles_mock\n"
        "assert botocore.handlers.BUILTIN_HANDLERS == builtins\n"
        "assert botocore.endpoint.Endpoint.make_request is make_request\n"
        "print('ok')\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_client_from_a_session_made_before_import_is_served() -> None:
    script = textwrap.dedent(
        """
        import json

        import botocore.endpoint
        import botocore.session

        session = botocore.session.get_session()  # before customer_profiles_mock
        client = session.create_client(
            "customer-profiles", region_name="us-east-1",
            aws_access_key_id="AKIDPREIMPORT", aws_secret_access_key="pre-import",
        )
        real_make_request = botocore.endpoint.Endpoint.make_request

        from customer_profiles_mock import mock_customer_profiles

        out = {}
        with mock_customer_profiles() as cp:
            client.create_domain(DomainName="early", DefaultExpirationDays=30)
            out["listed"] = [i["DomainName"] for i in client.list_domains()["Items"]]
            out["handle"] = cp.domains()
            out["calls"] = len(cp.calls)
        out["restored"] = botocore.endpoint.Endpoint.make_request is real_make_request
        print(json.dumps(out))
        """
    )
    done = _run_python(script)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "listed": ["early"],
        "handle": ["early"],
        "calls": 2,
        "restored": True,
    }


def test_package_exports_the_activation_api() -> None:
    assert customer_profiles_mock.mock_customer_profiles is mock_customer_profiles
    assert customer_profiles_mock.CustomerProfilesMock is CustomerProfilesMock
    assert callable(customer_profiles_mock.patch_client)


def test_plain_class_setup_method_without_method_argument() -> None:
    handle = mock_customer_profiles()

    @handle
    class TestPlain:
        def setup_method(self) -> None:
            handle.create_domain("seeded")

        def teardown_method(self) -> None:
            assert handle.domains() == ["seeded"]

        def test_it(self) -> None:
            assert handle.domains() == ["seeded"]

    instance = TestPlain()
    instance.setup_method(instance.test_it)
    instance.test_it()
    instance.teardown_method(instance.test_it)
    assert not handle.active


def test_plain_class_with_only_teardown_method_runs_it_inside_the_mock() -> None:
    handle = mock_customer_profiles()
    seen: list[list[str]] = []

    @handle
    class TestPlain:
        def teardown_method(self, method: Any) -> None:
            seen.append(handle.domains())

        def test_it(self) -> None:
            handle.create_domain("made")

    instance = TestPlain()
    instance.setup_method(instance.test_it)
    instance.test_it()
    instance.teardown_method(instance.test_it)
    assert seen == [["made"]]
    assert not handle.active


def test_inner_handle_faults_end_with_it() -> None:
    client = _client()
    with mock_customer_profiles() as outer:
        outer.create_domain("shop")
        with mock_customer_profiles() as inner:
            inner.deny("GetDomain")
            with pytest.raises(client.exceptions.AccessDeniedException):
                client.get_domain(DomainName="shop")
        assert outer.faults == []
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"


def test_custom_endpoint_with_a_base_path_is_served() -> None:
    with mock_customer_profiles():
        client = boto3.client(
            "customer-profiles",
            region_name="us-east-1",
            endpoint_url="https://proxy.internal/customer-profiles",
        )
        client.create_domain(DomainName="shop", DefaultExpirationDays=1)
        assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["shop"]


def test_last_stop_restores_what_other_tools_patched_before_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import botocore.endpoint
    from botocore.credentials import CredentialResolver
    from botocore.retries.bucket import TokenBucket

    real_make_request = botocore.endpoint.Endpoint.make_request

    def other_tools_make_request(self: Any, *args: Any) -> Any:
        return real_make_request(self, *args)

    other_tools_time = type("OtherTime", (), {"sleep": staticmethod(lambda s: None)})()
    monkeypatch.setattr(botocore.endpoint.Endpoint, "make_request", other_tools_make_request)
    monkeypatch.setattr(botocore.endpoint, "time", other_tools_time)
    before = (
        TokenBucket.acquire,
        CredentialResolver.load_credentials,
        botocore.session.Session.get_config_variable,
    )

    with mock_customer_profiles() as outer:
        assert botocore.endpoint.Endpoint.make_request is not other_tools_make_request
        with mock_customer_profiles():
            _create_domain(_client(), "patched")
        assert botocore.endpoint.Endpoint.make_request is not other_tools_make_request
        assert outer.domains() == ["patched"]

    assert botocore.endpoint.Endpoint.make_request is other_tools_make_request
    assert botocore.endpoint.time is other_tools_time
    assert before == (
        TokenBucket.acquire,
        CredentialResolver.load_credentials,
        botocore.session.Session.get_config_variable,
    )


def test_decorated_generator_keeps_the_mock_active_while_it_runs() -> None:
    cp = mock_customer_profiles()

    @cp
    def fixture_like() -> Iterator[str]:
        cp.create_domain("shop")
        yield "shop"
        assert cp.domains() == ["shop", "during"]  # the teardown half runs inside too

    steps = fixture_like()
    assert not is_active()  # nothing runs until the generator does
    assert next(steps) == "shop"
    assert is_active()
    _create_domain(_client(), "during")
    with pytest.raises(StopIteration):
        next(steps)
    assert not is_active()


def test_decorated_async_generator_keeps_the_mock_active_while_it_runs() -> None:
    cp = mock_customer_profiles()

    @cp
    async def fixture_like() -> Any:
        cp.create_domain("shop")
        yield cp.domains()

    async def scenario() -> list[Any]:
        seen = [item async for item in fixture_like()]
        return [seen, is_active()]

    assert asyncio.run(scenario()) == [[["shop"]], False]


def test_decorated_yield_fixture_under_pytest_serves_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            import boto3
            import pytest

            from customer_profiles_mock import mock_customer_profiles

            cp = mock_customer_profiles()


            @pytest.fixture
            @cp
            def shop():
                cp.create_domain("shop")
                yield boto3.client("customer-profiles", region_name="us-east-1")


            def test_uses_the_fixture(shop):
                assert shop.get_domain(DomainName="shop")["DomainName"] == "shop"
            """
        )
    )
    quiet = ("no:cacheprovider", "no:randomly", "no:customer_profiles_mock")
    result = pytester.runpytest(*(arg for plugin in quiet for arg in ("-p", plugin)), "-q")
    result.assert_outcomes(passed=1)
