"""The pytest plugin: the ``customer_profiles_mock`` fixture and marker, and failure reports.

Loaded through the ``pytest11`` entry point (``-p no:customer_profiles_mock`` turns it
off). Importing it imports the package, so botocore sessions created by test modules
at import time already carry the mock's handlers.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from customer_profiles_mock import (
    Call,
    CustomerProfilesMock,
    InvalidTypeError,
    UnusedFaultsError,
    mock_customer_profiles,
)
from customer_profiles_mock.runtime.registry import runtime
from customer_profiles_mock.wire.model import did_you_mean

if TYPE_CHECKING:
    from customer_profiles_mock.server import CustomerProfilesServer

MARKER = "customer_profiles_mock"
_MOCK_OPTIONS = frozenset(
    {
        "region",
        "account_id",
        "assert_all_faults_triggered",
        "skip_retry_backoff",
        "clock",
        "call_log_size",
        "job_seconds",
    }
)
_SEED_OPTIONS = frozenset({"data", "fake_profiles"})
_CLIENT_OPTIONS = frozenset({"client_config"})
_MOCK_KEY = pytest.StashKey[CustomerProfilesMock]()
_SERVER_KEY = pytest.StashKey["CustomerProfilesServer"]()
_SERVER_CALLS_KEY = pytest.StashKey[list[Call]]()
_CALL_FAILED_KEY = pytest.StashKey[bool]()
_ENDED_KEY = pytest.StashKey[int]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): serve Customer Profiles from the in-process mock in this test. "
        "Options: region, account_id, assert_all_faults_triggered, skip_retry_backoff, "
        "clock, call_log_size, job_seconds, data='seed.json' (relative to the test file), "
        "client_config=Config(...) "
        "for the customer_profiles_client fixture, "
        "fake_profiles={'domain': 'shop', 'count': 50, 'seed': 1}.",
    )


@pytest.fixture(autouse=True)
def _customer_profiles_mock_marker(request: pytest.FixtureRequest) -> None:
    """The marker alone activates the mock. Requested from a function-scoped autouse
    fixture, so broader fixtures (module, session) are set up before it, not inside it."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue(MARKER)


def _options(node: pytest.Item) -> dict[str, Any]:
    """Marker options merged over module, class and test: the closest wins per key."""
    options: dict[str, Any] = {}
    for marker in node.iter_markers(MARKER):
        if marker.args:
            raise InvalidTypeError(
                f"@pytest.mark.{MARKER} takes keyword options only, got {marker.args!r}"
            )
        options = {**marker.kwargs, **options}
    known = _MOCK_OPTIONS | _SEED_OPTIONS | _CLIENT_OPTIONS
    unknown = sorted(set(options) - known)
    if unknown:
        raise InvalidTypeError(
            f"@pytest.mark.{MARKER} got an unknown option {unknown[0]!r}."
            f"{did_you_mean(unknown[0], known)} Options: {', '.join(sorted(known))}."
        )
    return options


def _seed(mock: CustomerProfilesMock, options: dict[str, Any], test_file: Path) -> None:
    data = options.get("data")
    if data is not None:
        mock.load(test_file.parent / data)
    fake = options.get("fake_profiles")
    if fake is not None:
        if not isinstance(fake, dict) or "domain" not in fake or "count" not in fake:
            raise InvalidTypeError(
                "fake_profiles must be a dict with 'domain' and 'count' (and optionally "
                f"'seed', 'locale', 'business_ratio'), got {fake!r}"
            )
        fake = dict(fake)
        known = ("domain", "count", "seed", "locale", "business_ratio")
        for key in fake:
            if key not in known:
                raise InvalidTypeError(
                    f"@pytest.mark.{MARKER}(fake_profiles=...) got an unknown key {key!r}."
                    f"{did_you_mean(str(key), known)} Keys: {', '.join(known)}."
                )
        domain = fake.pop("domain")
        if domain not in mock.domains():
            mock.create_domain(domain)
        mock.fake_profiles(domain, **fake)


@pytest.fixture(name=MARKER)
def customer_profiles_mock_fixture(
    request: pytest.FixtureRequest,
) -> Iterator[CustomerProfilesMock]:
    """The active Customer Profiles mock handle, with fresh state, stopped after the test."""
    __tracebackhide__ = True
    options = _options(request.node)
    mock = mock_customer_profiles(**{k: v for k, v in options.items() if k in _MOCK_OPTIONS})
    mock._opt_out = (
        f"use @pytest.mark.{MARKER}(assert_all_faults_triggered=False) on the test, its "
        "class or module"
    )
    mock.start()
    request.node.stash[_MOCK_KEY] = mock
    passed = False
    try:
        _seed(mock, options, Path(str(request.node.path)))
        yield mock
        passed = not request.node.stash.get(_CALL_FAILED_KEY, False)
    finally:
        # Unused faults are reported only when the test itself passed.
        mock._stop(check_faults=passed)


@pytest.fixture
def customer_profiles_client(
    request: pytest.FixtureRequest, customer_profiles_mock: CustomerProfilesMock
) -> Any:
    """A boto3 customer-profiles client in the mock's region, served by the mock; the
    marker's ``client_config`` (a ``botocore.config.Config``) configures it. The same
    client is reused by every test with that region and config."""
    try:
        import boto3
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "the customer_profiles_client fixture needs boto3: pip install boto3"
        ) from exc
    from botocore.config import Config

    config = _options(request.node).get("client_config")
    if config is not None and not isinstance(config, Config):
        raise InvalidTypeError(
            f"client_config must be a botocore.config.Config, got {config!r}: e.g. "
            'client_config=Config(retries={"total_max_attempts": 1})'
        )
    # One client per region and config for the whole session: making one costs more than
    # the rest of a typical test, and whichever mock is active serves it.
    key = (customer_profiles_mock.region, id(config))
    cached = _CLIENTS.get(key)
    if cached is None or cached[0] is not config:
        client = boto3.client(
            "customer-profiles", region_name=customer_profiles_mock.region, config=config
        )
        cached = _CLIENTS[key] = (config, client)
    return cached[1]


_CLIENTS: dict[tuple[str, int], tuple[Any, Any]] = {}


@pytest.fixture(scope="session")
def _customer_profiles_server_session() -> Iterator[CustomerProfilesServer]:
    from customer_profiles_mock.server import CustomerProfilesServer

    with CustomerProfilesServer() as server:
        yield server


@pytest.fixture
def customer_profiles_server(
    request: pytest.FixtureRequest,
    _customer_profiles_server_session: CustomerProfilesServer,
) -> Iterator[CustomerProfilesServer]:
    """A Customer Profiles server in a thread of this process, one for the session, reset
    before each test: give clients its ``endpoint_url``; seed it, fault it and read its
    calls with the handle's methods. As with the handle, a passing test fails at teardown
    when a fault with ``times`` never triggered."""
    __tracebackhide__ = True
    server = _customer_profiles_server_session
    server.reset()
    request.node.stash[_SERVER_KEY] = server  # its calls are reported at teardown too
    yield server
    if request.node.stash.get(_CALL_FAILED_KEY, False):
        return  # the test's own failure is the one to report
    unused = [f for f in server.faults if f.times is not None and not f.triggered]
    if unused:
        error = UnusedFaultsError(
            unused, "remove it with fault.remove() or customer_profiles_server.clear_faults()"
        )
        # Read now: the report is made after the session's server may have stopped.
        request.node.stash[_SERVER_CALLS_KEY] = list(server.calls)
        raise error


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    item.stash[_ENDED_KEY] = runtime.ended
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.when == "call" and call.excinfo is not None:  # failed, or xfailed
        item.stash[_CALL_FAILED_KEY] = True
    if report.failed and call.when in ("call", "teardown"):
        calls = _calls_of(item)
        if calls is not None:
            lines = [c.describe() for c in calls] or ["(no calls)"]
            dropped = _dropped_of(item)
            if dropped:
                lines.insert(
                    0, f"({dropped} older calls dropped: raise call_log_size to keep them)"
                )
            report.sections.append(("customer-profiles-mock calls", "\n".join(lines)))
    return report


def _dropped_of(item: pytest.Item) -> int:
    """How many calls the log of the test's fixture dropped (0 when unknown)."""
    used = item.stash.get(_MOCK_KEY, None) or item.stash.get(_SERVER_KEY, None)
    try:
        return int(used.dropped_calls) if used is not None else 0
    except Exception:  # a test that broke the server still gets its own report
        return 0


def _calls_of(item: pytest.Item) -> list[Call] | None:
    """The calls of the mock the test used: the fixture's, the server fixture's, or else
    those of a mock (a decorator, a ``with`` block) that ended while the test ran."""
    mock = item.stash.get(_MOCK_KEY, None)
    if mock is not None:
        return mock.calls
    calls = item.stash.get(_SERVER_CALLS_KEY, None)
    if calls is not None:
        return calls
    server = item.stash.get(_SERVER_KEY, None)
    if server is not None:
        try:
            return list(server.calls)
        except Exception:  # a test that broke the server still gets its own report
            return None
    ended = runtime.ended
    if ended != item.stash.get(_ENDED_KEY, ended):
        return runtime.ended_calls
    return None
