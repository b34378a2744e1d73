"""unittest classes and async code: setUpClass seeding, IsolatedAsyncioTestCase, aiobotocore."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
import unittest
from typing import Any

import boto3
import pytest
from botocore.config import Config

from customer_profiles_mock import mock_customer_profiles

pytest.importorskip("aiobotocore", reason="these tests need aiobotocore")
import aiobotocore.endpoint  # noqa: E402
from aiobotocore.config import AioConfig  # noqa: E402
from aiobotocore.endpoint import AioEndpoint  # noqa: E402
from aiobotocore.session import get_session  # noqa: E402

MODES = ["legacy", "standard", "adaptive"]
MAX_ATTEMPTS = {"legacy": 5, "standard": 3, "adaptive": 3}


class _SleepRecorder:
    """Stands in for ``time.sleep``: records the seconds asked for and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class _AsyncSleepRecorder:
    """Stands in for ``asyncio.sleep`` or ``anyio.sleep``: records the seconds asked for,
    then only yields to the event loop (as a sleep would, without the wait)."""

    def __init__(self, real: Any) -> None:
        self.calls: list[float] = []
        self._real = real

    async def __call__(self, seconds: float, *args: Any, **kwargs: Any) -> None:
        self.calls.append(seconds)
        await self._real(0)


@pytest.fixture
def asyncio_sleeps(monkeypatch) -> _AsyncSleepRecorder:
    """``asyncio.sleep`` (aiobotocore's back-off, the real clock's delays) recorded; take
    it before starting a mock in the test."""
    recorder = _AsyncSleepRecorder(asyncio.sleep)
    monkeypatch.setattr(asyncio, "sleep", recorder)
    return recorder


@pytest.fixture
def anyio_sleeps(monkeypatch) -> _AsyncSleepRecorder:
    """``anyio.sleep`` (the back-off of aiobotocore's httpx backend) recorded; skips the
    test where neither httpx2 (which aiobotocore prefers) nor httpx is installed, or where
    aiobotocore has no ``AnyioEndpoint`` (before 3.x its httpx backend backs off through
    ``AioEndpoint`` with ``asyncio.sleep``, as the aiohttp one does)."""
    if not hasattr(aiobotocore.endpoint, "AnyioEndpoint"):
        pytest.skip("this aiobotocore's httpx backend has no endpoint class of its own")
    try:
        import httpx2  # noqa: F401
    except ImportError:
        pytest.importorskip("httpx", reason="aiobotocore's httpx backend needs httpx2 or httpx")
    anyio = pytest.importorskip("anyio")
    recorder = _AsyncSleepRecorder(anyio.sleep)
    monkeypatch.setattr(anyio, "sleep", recorder)
    return recorder


# aiobotocore warns once that its httpx backend prefers httpx2 where only httpx is installed.
legacy_httpx_warning = pytest.mark.filterwarnings(
    "ignore:aiobotocore's httpx backend now prefers httpx2:DeprecationWarning"
)


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


def test_aiobotocore_client_is_served_with_faults_and_call_log(asyncio_sleeps):
    async def scenario(cp):
        session = get_session()
        config = Config(retries={"mode": "standard"})
        async with session.create_client(
            "customer-profiles", region_name="eu-west-2", config=config
        ) as client:
            pid = (await client.create_profile(DomainName="shop", FirstName="Ann"))["ProfileId"]
            cp.throttle("BatchGetProfile", times=2)
            out = await client.batch_get_profile(DomainName="shop", ProfileIds=[pid, "0" * 32])
            cp.deny("GetDomain", times=1)
            try:
                await client.get_domain(DomainName="shop")
            except client.exceptions.AccessDeniedException as exc:
                denied = exc.response
        return pid, out, denied

    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("shop")
        pid, out, denied = asyncio.run(scenario(cp))
        assert out["Profiles"] == [{"ProfileId": pid, "FirstName": "Ann"}]
        assert out["Errors"] == [
            {"Code": "404", "Message": "Profile not found", "ProfileId": "0" * 32}
        ]
        assert out["ResponseMetadata"]["RetryAttempts"] == 2
        assert asyncio_sleeps.calls == []  # standard back-off would ask for 2 sleeps
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


def test_aiobotocore_latency_fault_does_not_block_the_event_loop(monkeypatch):
    waited: list[float] = []
    events: list[str] = []
    delay_started = asyncio.Event()
    other_task_ran = asyncio.Event()

    async def paused_sleep(seconds: float, *args: Any) -> None:
        # Stands in for asyncio.sleep: returns only once another task has run.
        waited.append(seconds)
        events.append("delay started")
        delay_started.set()
        await other_task_ran.wait()

    blocking = _SleepRecorder()
    monkeypatch.setattr(time, "sleep", blocking)
    monkeypatch.setattr(asyncio, "sleep", paused_sleep)

    async def other_task() -> None:
        await delay_started.wait()
        events.append("other task ran")
        other_task_ran.set()

    async def scenario(cp):
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1"
        ) as client:
            cp.delay(0.2, "GetDomain", times=1)
            task = asyncio.create_task(other_task())
            out = await client.get_domain(DomainName="shop")
            events.append("call returned")
        task.cancel()  # done already, where the loop ran it while the call waited
        return out

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        out = asyncio.run(scenario(cp))
        assert out["DomainName"] == "shop"
        assert cp.calls_for("GetDomain")[0].delay == 0.2
    # The delay awaited asyncio.sleep(0.2) (never time.sleep), and the loop ran another
    # task while the call waited.
    assert waited == [0.2]
    assert blocking.calls == []
    assert events == ["delay started", "other task ran", "call returned"]


def _exhaust_throttled_get_domain(mode: str, backend: str = "aiohttp", **options: Any) -> type:
    """GetDomain throttled until its attempts run out, through an aiobotocore client on
    ``backend`` in a mock made with ``options``; returns the client's endpoint class."""

    async def scenario(cp):
        settings: dict[str, Any] = {"retries": {"mode": mode}}
        if backend == "httpx":
            from aiobotocore.httpxsession import HttpxSession

            settings["http_session_cls"] = HttpxSession
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1", config=AioConfig(**settings)
        ) as client:
            cp.throttle("GetDomain", times=None)
            try:
                await client.get_domain(DomainName="shop")
            except client.exceptions.ThrottlingException as exc:
                return exc.response, type(client._endpoint)
        raise AssertionError("the throttle did not surface")

    with mock_customer_profiles(**options) as cp:
        cp.create_domain("shop")
        response, endpoint_class = asyncio.run(scenario(cp))
        attempts = MAX_ATTEMPTS[mode]
        assert [c.attempt for c in cp.calls_for("GetDomain")] == list(range(1, attempts + 1))
    assert response["ResponseMetadata"]["RetryAttempts"] == attempts - 1
    assert response["ResponseMetadata"]["MaxAttemptsReached"] is True
    return endpoint_class


@pytest.mark.parametrize("mode", MODES)
def test_aiobotocore_backoff_is_skipped_in_every_retry_mode(asyncio_sleeps, mode):
    assert _exhaust_throttled_get_domain(mode) is AioEndpoint
    assert asyncio_sleeps.calls == []  # botocore's back-off would ask before every retry


@legacy_httpx_warning
@pytest.mark.parametrize("mode", MODES)
def test_aiobotocore_httpx_backend_backoff_is_skipped_in_every_retry_mode(anyio_sleeps, mode):
    endpoint_class = _exhaust_throttled_get_domain(mode, "httpx")
    assert endpoint_class is aiobotocore.endpoint.AnyioEndpoint
    assert anyio_sleeps.calls == []


@legacy_httpx_warning
@pytest.mark.parametrize("mode", ["legacy", "standard"])
@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
def test_aiobotocore_backoff_sleeps_when_not_skipped(request, backend, mode):
    # The recorders above sit where each backend really sleeps. (Adaptive mode is left
    # out: its token bucket would then also wait, in real time.)
    sleeps = request.getfixturevalue("anyio_sleeps" if backend == "httpx" else "asyncio_sleeps")
    _exhaust_throttled_get_domain(mode, backend, skip_retry_backoff=False)
    assert len(sleeps.calls) == MAX_ATTEMPTS[mode] - 1
    assert all(seconds > 0 for seconds in sleeps.calls)


def test_aiobotocore_concurrent_tasks_each_get_their_own_answer(asyncio_sleeps):
    names = [f"shop-{i:02}" for i in range(20)]

    async def scenario(cp):
        config = AioConfig(retries={"mode": "standard"})
        async with get_session().create_client(
            "customer-profiles", region_name="us-east-1", config=config
        ) as client:
            return await asyncio.gather(*(client.get_domain(DomainName=n) for n in names))

    with mock_customer_profiles() as cp:
        for name in names:
            cp.create_domain(name)
        throttle = cp.throttle("GetDomain", times=20)
        # Every attempt awaits the (real) clock for 0 s, so the 20 tasks interleave, each
        # suspended while its request is being served, instead of running one by one.
        cp.delay(0, "GetDomain")
        outs = asyncio.run(scenario(cp))
        calls = cp.calls_for("GetDomain")
        assert [out["DomainName"] for out in outs] == names
        assert [out["ResponseMetadata"]["RetryAttempts"] for out in outs] == [1] * 20
        assert len({out["ResponseMetadata"]["RequestId"] for out in outs}) == 20
        # All 20 first attempts (throttled) came before any retry.
        assert [(c.attempt, c.status) for c in calls] == [(1, 429)] * 20 + [(2, 200)] * 20
        assert sorted(c.params["DomainName"] for c in calls[:20]) == names
        assert sorted(c.params["DomainName"] for c in calls[20:]) == names
        assert throttle.triggered == 20
    # Only the delay fault's 0 s, once per attempt: no task's back-off was slept.
    assert asyncio_sleeps.calls == [0] * 40


def test_aiobotocore_imported_after_the_mock_started_still_skips_backoff():
    script = textwrap.dedent(
        """
        import asyncio

        recorded = []
        real_sleep = asyncio.sleep

        async def record(seconds, *args):
            recorded.append(seconds)
            await real_sleep(0)

        asyncio.sleep = record  # before the mock starts, as aiobotocore is imported later

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

            retries = asyncio.run(main())
            print(retries, recorded)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["4", "[]"]  # 4 retries, no back-off asked for
