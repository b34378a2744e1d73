"""The moto bridge: plain ``mock_aws`` serves customer-profiles, with moto's accounts and IAM."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import unittest
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

import customer_profiles_mock.moto as bridge
from customer_profiles_mock import mock_customer_profiles

REGION = "us-east-1"
OTHER = "111111111111"
NO_RETRY = Config(retries={"total_max_attempts": 1})


def _client(**kwargs: Any) -> Any:
    return boto3.client("customer-profiles", region_name=REGION, **kwargs)


def _domains(client: Any) -> list[str]:
    return [d["DomainName"] for d in client.list_domains()["Items"]]


def _create_domain(client: Any, name: str) -> None:
    client.create_domain(DomainName=name, DefaultExpirationDays=30)


def _code(info: pytest.ExceptionInfo[ClientError]) -> tuple[str, int]:
    response = info.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def _python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter (import order matters there)."""
    done = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- mock_aws serves customer-profiles --------------------------------------------------


def test_mock_aws_context_manager_serves_customer_profiles_and_other_services() -> None:
    with mock_aws():
        client = _client()
        _create_domain(client, "shop")
        profile = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
        found = client.batch_get_profile(DomainName="shop", ProfileIds=[profile])
        assert found["Profiles"][0]["FirstName"] == "Ann"
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="stays-motos")
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["stays-motos"]


def test_mock_aws_answers_modelled_errors() -> None:
    with mock_aws(), pytest.raises(ClientError) as info:
        _client().get_domain(DomainName="missing")
    assert _code(info) == ("ResourceNotFoundException", 404)
    assert info.value.response["Error"]["Message"] == "Domain missing does not exist"


def test_mock_aws_serves_every_region_and_keeps_them_apart() -> None:
    with mock_aws():
        _create_domain(_client(), "shop")
        other = boto3.client(
            "customer-profiles", region_name="eu-west-1"
        )  # not an AWS region of the service
        assert _domains(other) == []
        _create_domain(other, "abroad")
        assert _domains(other) == ["abroad"]
        assert _domains(_client()) == ["shop"]


@mock_aws
def test_mock_aws_decorator_serves_customer_profiles() -> None:
    _create_domain(_client(), "shop")
    assert _domains(_client()) == ["shop"]


def test_mock_aws_state_resets_at_start_and_exit() -> None:
    with mock_aws():
        _create_domain(_client(), "shop")
    with mock_aws():
        assert _domains(_client()) == []


@mock_aws
class MotoClassDecorated(unittest.TestCase):
    """moto's class decorator: each test starts from a reset state."""

    def test_first(self) -> None:
        assert _domains(_client()) == []
        _create_domain(_client(), "first")

    def test_second(self) -> None:
        assert _domains(_client()) == []
        _create_domain(_client(), "second")


def test_mock_aws_class_decorator_resets_between_tests() -> None:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(MotoClassDecorated).run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])


def test_mock_aws_unsupported_operation_raises_python_error(unserved: Any) -> None:
    unserved("GetWorkflow")
    with mock_aws(), pytest.raises(Exception) as info:
        _client().get_workflow(DomainName="shop", WorkflowId="0" * 32)
    assert type(info.value).__name__ == "UnsupportedOperationError"
    assert str(info.value).startswith("customer_profiles_mock: GetWorkflow is not implemented.")


def test_mock_aws_serves_aiobotocore_clients() -> None:
    aiobotocore_session = pytest.importorskip("aiobotocore.session")

    async def run() -> list[str]:
        session = aiobotocore_session.get_session()
        async with session.create_client("customer-profiles", region_name=REGION) as client:
            await client.create_domain(DomainName="shop", DefaultExpirationDays=30)
            return [d["DomainName"] for d in (await client.list_domains())["Items"]]

    with mock_aws():
        assert asyncio.run(run()) == ["shop"]


def test_mock_aws_serves_requests_through_motos_responses_mock() -> None:
    with mock_aws():
        _create_domain(_client(), "shop")
        answer = requests.get(f"https://profile.{REGION}.amazonaws.com/domains/shop", timeout=5)
    assert answer.status_code == 200
    assert answer.json()["DomainName"] == "shop"


@pytest.fixture
def moto_server_url() -> Iterator[str]:
    """moto's ThreadedMotoServer in this process, on a free port (5.0 cannot take 0)."""
    server_module = pytest.importorskip("moto.server", exc_type=ImportError)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def test_moto_api_reset_clears_state_in_threaded_moto_server(moto_server_url: str) -> None:
    url = moto_server_url
    client = _client(endpoint_url=url, aws_access_key_id="a", aws_secret_access_key="b")
    _create_domain(client, "shop")
    assert _domains(client) == ["shop"]
    with pytest.raises(ClientError) as info:
        client.get_domain(DomainName="missing")
    assert _code(info) == ("ResourceNotFoundException", 404)
    assert requests.post(f"{url}/moto-api/reset", timeout=5).status_code == 200
    assert _domains(client) == []


def test_moto_server_answers_unsupported_operation_with_json_501(
    moto_server_url: str, unserved: Any
) -> None:
    unserved("GetWorkflow")
    client = _client(
        endpoint_url=moto_server_url,
        aws_access_key_id="a",
        aws_secret_access_key="b",
        config=NO_RETRY,
    )
    with pytest.raises(ClientError) as info:
        client.get_workflow(DomainName="shop", WorkflowId="0" * 32)
    assert _code(info) == ("NotImplementedException", 501)
    assert "GetWorkflow is not implemented" in info.value.response["Error"]["Message"]


# -- both mocks: the handle wins, each attempt runs once ----------------------------------


@pytest.fixture(params=["moto outside", "moto inside"])
def both_mocks(request: pytest.FixtureRequest) -> Iterator[Any]:
    outer, inner = (mock_aws(), mock_customer_profiles())
    if request.param == "moto inside":
        outer, inner = inner, outer  # type: ignore[assignment]
    with outer as first, inner as second:
        yield first if request.param == "moto inside" else second


def test_handle_wins_over_mock_aws_and_keeps_its_own_state(both_mocks: Any) -> None:
    cp = both_mocks
    cp.create_domain("seeded")
    client = _client()
    _create_domain(client, "made")
    assert _domains(client) == ["made", "seeded"]
    assert sorted(cp.domains()) == ["made", "seeded"]
    assert [c.operation for c in cp.calls] == ["CreateDomain", "ListDomains"]


def test_throttled_attempts_run_once_each_under_both_mocks(both_mocks: Any) -> None:
    cp = both_mocks
    cp.create_domain("shop")
    cp.throttle("CreateProfile", times=2)
    _client().create_profile(DomainName="shop", FirstName="Ann")
    assert [c.status for c in cp.calls] == [429, 429, 200]
    assert len(cp.profiles("shop")) == 1


def test_handle_state_is_not_motos_after_handle_stops() -> None:
    with mock_aws():
        with mock_customer_profiles() as cp:
            cp.create_domain("handles")
        _create_domain(_client(), "motos")
        assert _domains(_client()) == ["motos"]


def test_concurrent_aiobotocore_tasks_with_delay_run_once_each(both_mocks: Any) -> None:
    aiobotocore_session = pytest.importorskip("aiobotocore.session")
    cp = both_mocks
    cp.create_domain("shop")
    cp.delay(0.01, "GetDomain")

    async def run() -> None:
        session = aiobotocore_session.get_session()
        async with session.create_client("customer-profiles", region_name=REGION) as client:
            await asyncio.gather(*(client.get_domain(DomainName="shop") for _ in range(20)))

    asyncio.run(run())
    assert len(cp.calls_for("GetDomain")) == 20


# -- accounts ---------------------------------------------------------------------------


def test_mock_aws_serves_the_account_of_moto_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER)
    with mock_aws():
        _create_domain(_client(), "shop")
        arn = _client().get_domain(DomainName="shop")  # served in OTHER
        assert arn["DomainName"] == "shop"
        monkeypatch.delenv("MOTO_ACCOUNT_ID")
        assert _domains(_client()) == []


def _in_account(client: Any, account: str) -> Any:
    def name_account(request: Any, **kwargs: Any) -> None:
        request.headers["x-moto-account-id"] = account

    client.meta.events.register("before-sign", name_account)
    return client


def test_mock_aws_serves_the_account_of_the_header() -> None:
    with mock_aws():
        _create_domain(_in_account(_client(), OTHER), "theirs")
        assert _domains(_in_account(_client(), OTHER)) == ["theirs"]
        assert _domains(_client()) == []


def _assumed_client(account: str) -> Any:
    sts = boto3.client("sts", region_name=REGION)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/profiles", RoleSessionName="session"
    )["Credentials"]
    return _client(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )


def test_mock_aws_serves_the_account_of_assumed_role_credentials() -> None:
    with mock_aws():
        theirs = _assumed_client(OTHER)
        _create_domain(theirs, "theirs")
        assert _domains(theirs) == ["theirs"]
        assert _domains(_client()) == []


def test_handle_serves_the_account_of_assumed_role_credentials() -> None:
    with mock_aws(), mock_customer_profiles() as cp:
        cp.create_domain("theirs", account_id=OTHER)
        cp.create_domain("ours")
        assert _domains(_assumed_client(OTHER)) == ["theirs"]
        assert _domains(_client()) == ["ours"]
        assert [c.account_id for c in cp.calls_for("ListDomains")] == [OTHER, "123456789012"]


def test_mock_aws_serves_the_account_of_an_iam_users_key() -> None:
    with mock_aws():
        iam = _in_account(boto3.client("iam", region_name=REGION), OTHER)
        iam.create_user(UserName="ann")
        key = iam.create_access_key(UserName="ann")["AccessKey"]
        client = _client(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
        )
        _create_domain(client, "theirs")
        assert _domains(_in_account(_client(), OTHER)) == ["theirs"]


# -- IAM --------------------------------------------------------------------------------


def _user_client(actions: list[str], **client_kwargs: Any) -> Any:
    """A client with the keys of a new IAM user allowed ``actions`` on every resource
    (three requests, made before access control starts counting)."""
    iam = boto3.client("iam", region_name=REGION)
    iam.create_user(UserName="ann")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
    }
    iam.put_user_policy(UserName="ann", PolicyName="profiles", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="ann")["AccessKey"]
    secret = client_kwargs.pop("secret", key["SecretAccessKey"])
    return _client(
        aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=secret, **client_kwargs
    )


@mock_aws
@set_initial_no_auth_action_count(3)
def test_iam_allows_what_the_policy_allows() -> None:
    assert _domains(_user_client(["profile:ListDomains"])) == []


@mock_aws
@set_initial_no_auth_action_count(3)
def test_iam_denies_with_modelled_access_denied_exception() -> None:
    client = _user_client(["profile:ListDomains"])
    with pytest.raises(ClientError) as info:
        client.get_domain(DomainName="shop")
    assert _code(info) == ("AccessDeniedException", 403)
    assert info.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/ann is not authorized to perform: "
        "profile:GetDomain on resource: arn:aws:profile:us-east-1:123456789012:domains/shop"
    )
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert isinstance(info.value, client.exceptions.AccessDeniedException)


@mock_aws
@set_initial_no_auth_action_count(3)
def test_iam_denial_without_a_resource_names_none() -> None:
    with pytest.raises(ClientError) as info:
        _user_client(["profile:GetDomain"]).list_domains()
    assert info.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::123456789012:user/ann is not authorized to perform: profile:ListDomains"
    )


@mock_aws
@set_initial_no_auth_action_count(3)
def test_iam_refuses_a_forged_signature() -> None:
    client = _user_client(["profile:*"], secret="not-the-secret", config=NO_RETRY)
    with pytest.raises(ClientError) as info:
        client.list_domains()
    assert _code(info) == ("InvalidSignatureException", 403)
    assert info.value.response["Error"]["Message"].startswith(
        "The request signature we calculated does not match the signature you provided."
    )


@mock_aws
@set_initial_no_auth_action_count(0)
def test_iam_refuses_an_unknown_access_key() -> None:
    client = _client(
        aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key="x", config=NO_RETRY
    )
    with pytest.raises(ClientError) as info:
        client.list_domains()
    assert _code(info) == ("UnrecognizedClientException", 403)
    assert info.value.response["Error"]["Message"] == (
        "The security token included in the request is invalid."
    )


@mock_aws
@set_initial_no_auth_action_count(3)
def test_iam_denied_attempts_are_in_the_handles_call_log() -> None:
    client = _user_client(["profile:ListDomains"])
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        with pytest.raises(ClientError):
            client.get_domain(DomainName="shop")
    assert [(c.operation, c.status, c.error_code) for c in cp.calls] == [
        ("GetDomain", 403, "AccessDeniedException")
    ]


def test_iam_is_not_checked_by_a_handle_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto import settings

    monkeypatch.setattr(settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
    with mock_customer_profiles():
        assert _domains(_client()) == []


# -- registration -----------------------------------------------------------------------


def test_register_is_idempotent() -> None:
    import moto.backend_index as index

    assert bridge.register() is True
    assert bridge.register() is True
    assert [name for name, _ in index.backend_url_patterns].count(bridge.SERVICE) == 1


_SERVE_ONE = """
import boto3
from moto import mock_aws
with mock_aws():
    client = boto3.client("customer-profiles", region_name="us-east-1")
    client.create_domain(DomainName="shop", DefaultExpirationDays=30)
    print(client.list_domains()["Items"][0]["DomainName"])
"""


def test_registration_works_when_moto_is_imported_first() -> None:
    assert _python("import moto\nimport customer_profiles_mock\n" + _SERVE_ONE) == "shop\n"


def test_registration_works_when_moto_is_imported_after() -> None:
    code = "import sys, customer_profiles_mock\nassert 'moto' not in sys.modules\n"
    assert _python(code + _SERVE_ONE) == "shop\n"


def test_registration_follows_moto_imported_anew() -> None:
    # As pytester's in-process runs do: moto unloaded, then imported again.
    code = (
        "import sys, customer_profiles_mock, moto\n"
        "for name in [m for m in sys.modules if m.split('.')[0] == 'moto']:\n"
        "    del sys.modules[name]\n"
    )
    assert _python(code + _SERVE_ONE) == "shop\n"


def test_bridge_steps_aside_when_moto_ships_customer_profiles() -> None:
    code = """
import re, warnings
import moto.backend_index as index
index.backend_url_patterns.append(("customerprofiles", re.compile("https?://profile.x")))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import customer_profiles_mock
print(caught[0].message)
print([n for n, _ in index.backend_url_patterns].count("customerprofiles"))
"""
    assert _python(code) == (
        "moto ships its own customer-profiles backend; customer_profiles_mock does not "
        "register with moto (mock_customer_profiles still serves).\n1\n"
    )


def test_moto_server_command_serves_customer_profiles() -> None:
    pytest.importorskip("flask")
    process = subprocess.Popen(
        [sys.executable, "-m", "customer_profiles_mock", "moto-server", "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(process)
        client = _client(endpoint_url=url, aws_access_key_id="a", aws_secret_access_key="b")
        _create_domain(client, "shop")
        assert _domains(client) == ["shop"]
    finally:
        process.terminate()
        process.wait(timeout=30)
        assert process.stdout is not None
        process.stdout.close()


def _wait_for_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if "Running on http://" in line:
            return line.split("Running on ", 1)[1].split()[0].rstrip("/")
    raise AssertionError("moto server printed no address")


def test_importing_the_package_imports_no_moto() -> None:
    out = _python("import sys, customer_profiles_mock\nprint('moto' in sys.modules)")
    assert out == "False\n"


def test_threads_under_mock_aws_lose_nothing() -> None:
    with mock_aws():
        client = _client()
        _create_domain(client, "shop")

        def create(n: int) -> None:
            for i in range(10):
                client.create_profile(DomainName="shop", AccountNumber=f"{n}-{i}")

        threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        found = client.search_profiles(DomainName="shop", KeyName="_account", Values=["0-0"])
        assert len(found["Items"]) == 1
        assert client.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 40


def test_moto_server_command_names_itself_in_its_usage() -> None:
    pytest.importorskip("flask")
    done = subprocess.run(
        [sys.executable, "-m", "customer_profiles_mock", "moto-server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("usage: customer-profiles-mock moto-server [-h]")
