"""unittest classes and async code: setUpClass seeding, IsolatedAsyncioTestCase, aiobotocore."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
import unittest

import boto3
import pytest
from aiobotocore.session import get_session
from botocore.config import Config

from customer_profiles_mock import mock_customer_profiles


def _run(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


def test_setupclass_seed_is_every_test_s_starting_state():
    handle = mock_customer_profiles()
    seen: list[list[str]] = []

    @handle
    class Customers(unittest.TestCase):
        @classmethod
        def setUpClass(cls):
            handle.create_domain("shop")
            cls.ann = handle.create_profile("shop", FirstName="Ann")

        def setUp(self):
            self.client = boto3.client("customer-profiles", region_name="us-east-1")

        def test_a_deletes(self):
            self.client.delete_profile(DomainName="shop", ProfileId=self.ann)
            seen.append([p["ProfileId"] for p in handle.profiles("shop")])

        def test_b_still_sees_the_seed(self):
            out = self.client.batch_get_profile(DomainName="shop", ProfileIds=[self.ann])
            seen.append([p["ProfileId"] for p in out["Profiles"]])

    result = _run(Customers)
    assert result.wasSuccessful(), result.failures + result.errors
    assert seen == [[], [Customers.ann]]
    assert not handle.active


def test_isolated_asyncio_test_case_with_aiobotocore():
    @mock_customer_profiles
    class AsyncCustomers(unittest.IsolatedAsyncioTestCase):
        async def asyncSetUp(self):
            self.client = (
                await get_session()
                .create_client("customer-profiles", region_name="us-east-1")
                .__aenter__()
            )

        async def asyncTearDown(self):
            await self.client.__aexit__(None, None, None)

        async def test_create_and_get(self):
            await self.client.create_domain(DomainName="shop", DefaultExpirationDays=1)
            out = await self.client.get_domain(DomainName="shop")
            assert out["DomainName"] == "shop"

    result = _run(AsyncCustomers)
    assert result.wasSuccessful(), result.failures + result.errors
    assert result.testsRun == 1


def test_aiobotocore_client_is_served_with_faults_and_call_log():
    async def scenario(cp):
        session = get_session()
        config = Config(retries={"mode": "standard"})
        async with session.create_client(
            "customer-profiles", region_name="eu-west-2", config=config
        ) as client:
            pid = (await client.create_profile(DomainName="shop", FirstName="Ann"))["ProfileId"]
            cp.throttle("BatchGetProfile", times=2)
            started = time.perf_counter()
            out = await client.batch_get_profile(DomainName="shop", ProfileIds=[pid, "0" * 32])
            took = time.perf_counter() - started
            cp.deny("GetDomain", times=1)
            try:
                await client.get_domain(DomainName="shop")
            except client.exceptions.AccessDeniedException as exc:
                denied = exc.response
        return pid, out, took, denied

    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("shop")
        pid, out, took, denied = asyncio.run(scenario(cp))
        assert out["Profiles"] == [{"ProfileId": pid, "FirstName": "Ann"}]
        assert out["Errors"] == [
            {"Code": "404", "Message": "Profile not found", "ProfileId": "0" * 32}
        ]
        assert out["ResponseMetadata"]["RetryAttempts"] == 2
        assert took < 0.5  # standard back-off would sleep up to 1 s + 2 s
        assert denied["Error"]["Code"] == "AccessDeniedException"
        assert denied["ResponseMetadata"]["HTTPStatusCode"] == 403
        calls = cp.calls_for("BatchGetProfile")
        assert [(c.attempt, c.status, c.error_code) for c in calls] == [
            (1, 429, "ThrottlingException"),
            (2, 429, "ThrottlingException"),
            (3, 200, None),
        ]
        assert all(c.region == "eu-west-2" for c in cp.calls)


def test_async_decorated_function_with_aiobotocore():
    handle = mock_customer_profiles()

    @handle
    async def scenario():
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1"
        ) as client:
            await client.create_domain(DomainName="shop", DefaultExpirationDays=1)
            return handle.domains()

    assert asyncio.run(scenario()) == ["shop"]
    assert not handle.active


def test_aiobotocore_latency_fault_does_not_block_the_event_loop():
    async def scenario(cp):
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        task = asyncio.create_task(ticker())
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1"
        ) as client:
            cp.delay(0.2, "GetDomain", times=1)
            out = await client.get_domain(DomainName="shop")
        task.cancel()
        return out, ticks

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        out, ticks = asyncio.run(scenario(cp))
        assert out["DomainName"] == "shop"
        assert ticks >= 5  # the loop kept running while the call waited 0.2 s
        assert cp.calls_for("GetDomain")[0].delay == 0.2


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_aiobotocore_backoff_is_skipped_in_every_retry_mode(mode):
    async def scenario(cp):
        config = Config(retries={"mode": mode})
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1", config=config
        ) as client:
            cp.throttle("GetDomain", times=None)
            started = time.perf_counter()
            try:
                await client.get_domain(DomainName="shop")
            except client.exceptions.ThrottlingException as exc:
                return exc.response, time.perf_counter() - started
        raise AssertionError("the throttle did not surface")

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        response, took = asyncio.run(scenario(cp))
    attempts = {"legacy": 5, "standard": 3, "adaptive": 3}[mode]
    assert response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
    assert response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert took < 0.5  # botocore's back-off would sleep for seconds


def test_aiobotocore_imported_after_the_mock_started_still_skips_backoff():
    script = textwrap.dedent(
        """
        import asyncio, time
        from customer_profiles_mock import mock_customer_profiles

        with mock_customer_profiles() as cp:
            from aiobotocore.session import get_session  # imported late

            cp.create_domain("shop")
            cp.throttle("GetDomain", times=None)

            async def main():
                async with get_session().create_client(
                    "customer-profiles", region_name="us-east-1"
                ) as client:
                    try:
                        await client.get_domain(DomainName="shop")
                    except client.exceptions.ThrottlingException as exc:
                        return exc.response["ResponseMetadata"]["RetryAttempts"]

            started = time.perf_counter()
            retries = asyncio.run(main())
            print(retries, time.perf_counter() - started < 0.5)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4", "True"]
