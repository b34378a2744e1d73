"""The pytest plugin, run through pytester: fixtures, marker, reports, teardown checks."""

from __future__ import annotations

import json

import botocore.session
import pytest

MODEL = botocore.session.get_session().get_service_model("customer-profiles")

QUIET = ("-p", "no:randomly", "-p", "no:cacheprovider")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*QUIET, *args)


def test_fixtures_are_available_after_install(pytester):
    pytester.makepyfile(
        """
        from customer_profiles_mock import CustomerProfilesMock

        def test_it(customer_profiles_mock, customer_profiles_client):
            assert isinstance(customer_profiles_mock, CustomerProfilesMock)
            customer_profiles_mock.create_domain("shop")
            names = [d["DomainName"] for d in customer_profiles_client.list_domains()["Items"]]
            assert names == ["shop"]
            assert customer_profiles_client.meta.region_name == "us-east-1"

        def test_fresh_state(customer_profiles_client):
            assert customer_profiles_client.list_domains()["Items"] == []
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_fixtures_default_to_the_region_boto3_reads(pytester, monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    pytester.makepyfile(
        """
        import boto3
        import pytest

        def test_fixtures(customer_profiles_mock, customer_profiles_client):
            customer_profiles_mock.create_domain("shop")
            assert customer_profiles_client.meta.region_name == "eu-west-1"
            implicit = boto3.session.Session().client("customer-profiles")
            assert implicit.get_domain(DomainName="shop")["DomainName"] == "shop"

        @pytest.mark.customer_profiles_mock(fake_profiles={"domain": "shop", "count": 2})
        def test_marker(customer_profiles_mock):
            assert customer_profiles_mock.region == "eu-west-1"
            implicit = boto3.session.Session().client("customer-profiles")
            assert implicit.get_domain(DomainName="shop")["Stats"]["ProfileCount"] == 2
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_marker_options_merge_closest_wins(pytester):
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.customer_profiles_mock(
            region="eu-west-2", account_id="111122223333"
        )

        @pytest.mark.customer_profiles_mock(region="ap-southeast-2")
        class TestMerged:
            def test_class_region(self, customer_profiles_mock):
                assert customer_profiles_mock.region == "ap-southeast-2"
                assert customer_profiles_mock.account_id == "111122223333"

            @pytest.mark.customer_profiles_mock(account_id="444455556666")
            def test_test_wins(self, customer_profiles_mock):
                assert customer_profiles_mock.region == "ap-southeast-2"
                assert customer_profiles_mock.account_id == "444455556666"

        def test_module_level(customer_profiles_mock, customer_profiles_client):
            assert customer_profiles_mock.region == "eu-west-2"
            assert customer_profiles_client.meta.region_name == "eu-west-2"
        """
    )
    _run(pytester, "--strict-markers").assert_outcomes(passed=3)


def test_marker_alone_activates_the_mock(pytester):
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.customer_profiles_mock(region="eu-west-2")
        def test_marked():
            client = boto3.client("customer-profiles", region_name="eu-west-2")
            client.create_domain(DomainName="shop", DefaultExpirationDays=1)
            assert len(client.list_domains()["Items"]) == 1

        def test_unmarked_is_not_served():
            from customer_profiles_mock import is_active
            assert not is_active()
        """
    )
    _run(pytester, "--strict-markers").assert_outcomes(passed=2)


def test_marker_seeds_data_file_and_fake_profiles(pytester):
    pytester.mkdir("seeds")
    seed = {"domains": [{"DomainName": "shop", "profiles": [{"FirstName": "Ann"}]}]}
    (pytester.path / "seeds" / "shop.json").write_text(json.dumps(seed))
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.customer_profiles_mock(
            data="seeds/shop.json", fake_profiles={"domain": "shop", "count": 5, "seed": 1}
        )
        def test_seeded(customer_profiles_client):
            stats = customer_profiles_client.get_domain(DomainName="shop")["Stats"]
            assert stats["ProfileCount"] == 6

        @pytest.mark.customer_profiles_mock(fake_profiles={"domain": "crm", "count": 3})
        def test_fake_creates_the_domain(customer_profiles_mock):
            assert len(customer_profiles_mock.profiles("crm")) == 3
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_marker_unknown_option_is_an_error(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.customer_profiles_mock(regoin="eu-west-2")
        def test_it():
            pass
        """
    )
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*TypeError: @pytest.mark.customer_profiles_mock got an unknown option 'regoin'. "
            "Did you mean 'region'? Options: account_id, assert_all_faults_triggered, "
            "call_log_size, client_config, clock, consistency, data, fake_profiles, job_seconds, "
            "lag_seconds, lagged_operations, region, skip_retry_backoff."
        ]
    )


def test_failed_test_report_lists_the_calls(pytester):
    pytester.makepyfile(
        """
        def test_fails(customer_profiles_mock, customer_profiles_client):
            customer_profiles_mock.create_domain("shop")
            customer_profiles_mock.throttle("GetDomain", times=1)
            customer_profiles_client.get_domain(DomainName="shop")
            assert False, "boom"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "GetDomain attempt 1 (domain=shop) in us-east-1, "
            "account 123456789012 -> 429 ThrottlingException [fault: "
            "ThrottlingException on GetDomain (1 of 1 triggered)]",
            "GetDomain attempt 2 (domain=shop) in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_failed_test_report_counts_the_calls_the_log_dropped(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.customer_profiles_mock(call_log_size=2)
        def test_fails(customer_profiles_client):
            for name in ("a", "b", "c"):
                customer_profiles_client.list_domains(MaxResults=len(name))
            assert False, "boom"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "(1 older calls dropped: raise call_log_size to keep them)",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_unused_fault_fails_at_teardown(pytester):
    pytester.makepyfile(
        """
        def test_never_calls(customer_profiles_mock):
            customer_profiles_mock.throttle("CreateProfile", times=2)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*UnusedFaultsError: customer_profiles_mock: the following faults were registered "
            "but never triggered:",
            "*- ThrottlingException on CreateProfile (0 of 2 triggered), registered at "
            "*test_unused_fault_fails_at_teardown.py:2",
            "*",
            "*If this is on purpose, use @pytest.mark.customer_profiles_mock("
            "assert_all_faults_triggered=False) on the test, its class or module.",
        ]
    )


def test_unused_fault_not_reported_when_the_test_failed_or_opted_out(pytester):
    pytester.makepyfile(
        """
        import pytest

        def test_fails(customer_profiles_mock):
            customer_profiles_mock.throttle("CreateProfile", times=2)
            assert False

        @pytest.mark.customer_profiles_mock(assert_all_faults_triggered=False)
        def test_opted_out(customer_profiles_mock):
            customer_profiles_mock.throttle("CreateProfile", times=2)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1, passed=1)
    assert "UnusedFaultsError" not in result.stdout.str()


def test_plugin_can_be_switched_off(pytester):
    pytester.makepyfile(
        """
        def test_it(customer_profiles_mock):
            pass
        """
    )
    result = _run(pytester, "-p", "no:customer_profiles_mock")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'customer_profiles_mock' not found*"])


def test_works_under_xdist_and_random_order(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("n", range(8))
        def test_isolated(customer_profiles_mock, customer_profiles_client, n):
            assert customer_profiles_client.list_domains()["Items"] == []
            customer_profiles_mock.create_domain(f"d{n}")
            assert len(customer_profiles_client.list_domains()["Items"]) == 1
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "-p", "randomly")
    result.assert_outcomes(passed=8)


def test_xfailed_test_with_an_unused_fault_is_one_xfail(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.xfail(strict=True)
        def test_known_bug(customer_profiles_mock):
            customer_profiles_mock.throttle("CreateProfile", times=1)
            assert False
        """
    )
    result = _run(pytester)
    result.assert_outcomes(xfailed=1)
    assert "UnusedFaultsError" not in result.stdout.str()


def test_decorated_failing_test_report_lists_the_calls(pytester):
    pytester.makepyfile(
        """
        import boto3
        from customer_profiles_mock import mock_customer_profiles

        @mock_customer_profiles
        def test_fails():
            boto3.client("customer-profiles", region_name="us-east-1").list_domains()
            assert False, "boom"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_server_fixture_failing_test_report_lists_the_servers_calls(pytester):
    pytester.makepyfile(
        """
        import boto3

        def test_fails(customer_profiles_server):
            boto3.client(
                "customer-profiles",
                region_name="us-east-1",
                endpoint_url=customer_profiles_server.endpoint_url,
                aws_access_key_id="AKIDEXAMPLE",
                aws_secret_access_key="secret",
            ).list_domains()
            assert False, "boom"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_server_fixture_fails_a_passing_test_that_left_a_fault_unused(pytester):
    pytester.makepyfile(
        """
        def test_forgot(customer_profiles_server):
            customer_profiles_server.throttle("GetDomain", times=1)

        def test_removed(customer_profiles_server):
            customer_profiles_server.throttle("GetDomain", times=1).remove()

        def test_failed_anyway(customer_profiles_server):
            customer_profiles_server.throttle("GetDomain", times=1)
            assert False, "boom"
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*UnusedFaultsError: customer_profiles_mock: the following faults were "
            "registered but never triggered:",
            "*- ThrottlingException on GetDomain (0 of 1 triggered), registered at "
            "*test_server_fixture_fails_a_passing_test_that_left_a_fault_unused.py:2",
            "*",
            "*If this is on purpose, remove it with fault.remove() or "
            "customer_profiles_server.clear_faults().",
        ]
    )


def test_server_fixture_teardown_failure_report_lists_the_calls(pytester):
    pytester.makepyfile(
        """
        import boto3

        def test_unused(customer_profiles_server):
            boto3.client(
                "customer-profiles",
                region_name="us-east-1",
                endpoint_url=customer_profiles_server.endpoint_url,
                aws_access_key_id="AKIDEXAMPLE",
                aws_secret_access_key="secret",
            ).list_domains()
            customer_profiles_server.deny("CreateProfile", times=1)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*- AccessDeniedException on CreateProfile (0 of 1 triggered), registered at "
            "*test_server_fixture_teardown_failure_report_lists_the_calls.py:11",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_teardown_failure_report_lists_the_calls(pytester):
    pytester.makepyfile(
        """
        def test_unused(customer_profiles_mock, customer_profiles_client):
            customer_profiles_client.list_domains()
            customer_profiles_mock.throttle("CreateProfile", times=1)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*- customer-profiles-mock calls -*",
            "ListDomains attempt 1 in us-east-1, account 123456789012 -> 200",
        ],
        consecutive=True,
    )


def test_marker_mock_starts_after_broader_fixtures(pytester):
    pytester.makepyfile(
        """
        import pytest
        from customer_profiles_mock import is_active

        @pytest.fixture(scope="module")
        def outside():
            return is_active()

        @pytest.mark.customer_profiles_mock
        def test_first(outside):
            assert outside is False
            assert is_active()
        """
    )
    _run(pytester).assert_outcomes(passed=1)


def test_suite_wide_marker_with_a_decorated_test_case(pytester):
    pytester.makeconftest(
        """
        import pytest

        def pytest_collection_modifyitems(items):
            for item in items:
                item.add_marker(pytest.mark.customer_profiles_mock(region="eu-west-2"))
        """
    )
    pytester.makepyfile(
        """
        import unittest
        import boto3
        from customer_profiles_mock import mock_customer_profiles

        cp = mock_customer_profiles()

        @cp
        class TestCustomers(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                cp.create_domain("shop")
                cls.ann = cp.create_profile("shop", FirstName="Ann")

            def test_delete(self):
                client = boto3.client("customer-profiles", region_name="us-east-1")
                client.delete_profile(DomainName="shop", ProfileId=self.ann)

            def test_the_seed_is_back(self):
                client = boto3.client("customer-profiles", region_name="us-east-1")
                out = client.batch_get_profile(DomainName="shop", ProfileIds=[self.ann])
                assert [p["FirstName"] for p in out["Profiles"]] == ["Ann"]
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_client_fixture_takes_a_botocore_config_from_the_marker(pytester):
    pytester.makepyfile(
        """
        import pytest
        from botocore.config import Config

        ONE = Config(retries={"total_max_attempts": 1})


        @pytest.mark.customer_profiles_mock(client_config=ONE)
        def test_single_attempt(customer_profiles_mock, customer_profiles_client):
            customer_profiles_mock.create_domain("shop")
            customer_profiles_mock.throttle("GetDomain", times=1)
            with pytest.raises(customer_profiles_client.exceptions.ThrottlingException):
                customer_profiles_client.get_domain(DomainName="shop")
            assert len(customer_profiles_mock.calls) == 1


        @pytest.mark.customer_profiles_mock(client_config={"retries": 1})
        def test_not_a_config(customer_profiles_client):
            pass
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*InvalidTypeError: client_config must be a botocore.config.Config, got {'retries': 1}*"]
    )


def test_client_fixture_is_reused_across_tests_and_served_by_each_test_s_mock(pytester):
    pytester.makepyfile(
        """
        seen = []

        def test_first(customer_profiles_mock, customer_profiles_client):
            seen.append(customer_profiles_client)
            customer_profiles_mock.create_domain("first")
            assert [d["DomainName"] for d in customer_profiles_client.list_domains()["Items"]] == [
                "first"
            ]

        def test_second(customer_profiles_mock, customer_profiles_client):
            assert customer_profiles_client is seen[0]
            assert customer_profiles_client.list_domains()["Items"] == []
        """
    )
    _run(pytester).assert_outcomes(passed=2)


def test_state_seeded_once_per_module_is_restored_for_each_test(pytester):
    pytester.makepyfile(
        """
        import pytest
        from customer_profiles_mock import mock_customer_profiles

        @pytest.fixture(scope="module")
        def shop_state():
            with mock_customer_profiles() as seeding:
                seeding.create_domain("shop")
                seeding.fake_profiles("shop", 500, seed=1)
                return seeding.snapshot()

        @pytest.fixture
        def cp(customer_profiles_mock, shop_state):
            customer_profiles_mock.restore(shop_state)
            return customer_profiles_mock

        @pytest.mark.parametrize("run", range(3))
        def test_each_starts_from_the_seed(cp, customer_profiles_client, run):
            stats = customer_profiles_client.get_domain(DomainName="shop")["Stats"]
            assert stats["ProfileCount"] == 500
            first = cp.profiles("shop")[0]["ProfileId"]
            customer_profiles_client.delete_profile(DomainName="shop", ProfileId=first)
            cp.create_domain(f"extra{run}")
            assert len(cp.domains()) == 2
        """
    )
    _run(pytester).assert_outcomes(passed=3)


def test_marker_fake_profiles_unknown_key_suggests_the_fix(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.customer_profiles_mock(fake_profiles={"domain": "shop", "count": 2, "sede": 1})
        def test_it(customer_profiles_mock):
            pass
        """
    )
    result = _run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*InvalidTypeError: @pytest.mark.customer_profiles_mock(fake_profiles=...) got an "
            "unknown key 'sede'. Did you mean 'seed'? Keys: domain, count, seed, locale, "
            "business_ratio."
        ]
    )


@pytest.mark.skipif(  # botocore 1.40 has none
    "BatchPutProfileObject" not in MODEL.operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_fail_items_through_the_fixtures(pytester):
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.customer_profiles_mock(
            fake_profiles={"domain": "shop", "count": 2, "seed": 1}
        )
        def test_in_process(customer_profiles_mock, customer_profiles_client):
            ann, bob = [p["ProfileId"] for p in customer_profiles_mock.profiles("shop")]
            customer_profiles_mock.fail_items("BatchGetProfile", [bob], times=1)
            out = customer_profiles_client.batch_get_profile(
                DomainName="shop", ProfileIds=[ann, bob]
            )
            assert [p["ProfileId"] for p in out["Profiles"]] == [ann]
            assert out["Errors"] == [
                {"Code": "500", "Message": "Internal server error", "ProfileId": bob}
            ]

        def test_server(customer_profiles_server):
            customer_profiles_server.create_domain("shop")
            ann = customer_profiles_server.create_profile("shop", FirstName="Ann")
            customer_profiles_server.fail_items("BatchGetProfile", [ann], times=1)
            out = boto3.client(
                "customer-profiles",
                region_name="us-east-1",
                endpoint_url=customer_profiles_server.endpoint_url,
                aws_access_key_id="AKIDEXAMPLE",
                aws_secret_access_key="secret",
            ).batch_get_profile(DomainName="shop", ProfileIds=[ann])
            assert [e["ProfileId"] for e in out["Errors"]] == [ann]

        def test_never_used(customer_profiles_server):
            customer_profiles_server.fail_items("BatchPutProfileObject", ["1"], times=1)
        """
    )
    result = _run(pytester)
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*- error 500 for 1 item(s) on BatchPutProfileObject (0 of 1 triggered), registered "
            "at *test_fail_items_through_the_fixtures.py:32",
        ]
    )
