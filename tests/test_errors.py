"""Mistakes raise CustomerProfilesMockError subclasses that are also the fitting built-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

import customer_profiles_mock
from customer_profiles_mock import (
    CustomerProfilesMockError,
    InvalidArgumentError,
    InvalidTypeError,
    MockStateError,
    VirtualClock,
    mock_customer_profiles,
)


def _unknown_field(cp: Any) -> None:
    cp.create_domain("shop")
    cp.create_profile("shop", FirstNme="Ann")


def _unknown_operation(cp: Any) -> None:
    cp.throttle("CreateProfiles")


def _bad_domain_scope(cp: Any) -> None:
    cp.deny("GetDomain", domain="shop!")


def _unmodelled_error(cp: Any) -> None:
    cp.inject_error("ConflictException", "GetDomain")


def _bad_probability(cp: Any) -> None:
    cp.throttle("GetDomain", probability=2)


def _seed_missing_domain(cp: Any) -> None:
    cp.create_profile("nowhere", FirstName="Ann")


@pytest.mark.parametrize(
    ("mistake", "kind", "builtin"),
    [
        (_unknown_field, InvalidArgumentError, ValueError),
        (_unknown_operation, InvalidArgumentError, ValueError),
        (_bad_probability, InvalidArgumentError, ValueError),
        (_bad_domain_scope, InvalidArgumentError, ValueError),
        (_unmodelled_error, InvalidArgumentError, ValueError),
        (_seed_missing_domain, InvalidArgumentError, ValueError),
    ],
)
def test_mistake_on_an_active_handle_is_both_kinds_of_error(
    cp: Any, mistake: Callable[[Any], None], kind: type, builtin: type
) -> None:
    with pytest.raises(kind) as excinfo:
        mistake(cp)
    assert isinstance(excinfo.value, builtin)
    assert isinstance(excinfo.value, CustomerProfilesMockError)


@pytest.mark.parametrize(
    ("mistake", "kind", "builtin"),
    [
        (lambda: mock_customer_profiles(region="Paris"), InvalidArgumentError, ValueError),
        (lambda: mock_customer_profiles()(42), InvalidTypeError, TypeError),
        (lambda: mock_customer_profiles().stop(), MockStateError, RuntimeError),
        (lambda: mock_customer_profiles().create_domain("shop"), MockStateError, RuntimeError),
        (lambda: VirtualClock().advance(-1), InvalidArgumentError, ValueError),
    ],
    ids=["bad-region", "decorate-non-callable", "stop-unstarted", "seed-inactive", "clock-back"],
)
def test_mistake_outside_activation_is_both_kinds_of_error(
    mistake: Callable[[], None], kind: type, builtin: type
) -> None:
    with pytest.raises(kind) as excinfo:
        mistake()
    assert isinstance(excinfo.value, builtin)
    assert isinstance(excinfo.value, CustomerProfilesMockError)


def test_service_errors_reach_tests_only_as_client_errors(cp: Any) -> None:
    for internal in ("ServiceError", "BadRequestException", "ResourceNotFoundException"):
        assert not hasattr(customer_profiles_mock, internal)
    client = boto3.client("customer-profiles", region_name="us-east-1")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_domain(DomainName="missing")
    assert excinfo.value.response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Domain missing does not exist",
    }
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_public_surface_exports_what_users_annotate_with() -> None:
    for name in ("Call", "Clock", "Fault", "ErrorFault", "DelayFault", "RateLimitFault"):
        assert name in customer_profiles_mock.__all__
        assert getattr(customer_profiles_mock, name) is not None
    assert "ItemFailureFault" in customer_profiles_mock.__all__
    assert customer_profiles_mock.is_active() is False
