"""Which account a request is served in: moto's rule, through real clients."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from customer_profiles_mock import mock_customer_profiles

OTHER = "210987654321"


def _client_in(account: str | None) -> Any:
    client = boto3.client("customer-profiles", region_name="us-east-1")
    if account is not None:

        def name_account(request: Any, **kwargs: Any) -> None:
            request.headers["x-moto-account-id"] = account

        client.meta.events.register("before-sign.customer-profiles", name_account)
    return client


def test_request_is_served_in_the_account_its_header_names() -> None:
    with mock_customer_profiles() as cp:
        cp.create_domain("shop", account_id=OTHER)
        cp.create_domain("home")
        assert _client_in(OTHER).get_domain(DomainName="shop")["DomainName"] == "shop"
        with pytest.raises(ClientError) as info:
            _client_in(OTHER).get_domain(DomainName="home")
        assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
        assert _client_in(None).get_domain(DomainName="home")["DomainName"] == "home"
        assert [c.account_id for c in cp.calls] == [OTHER, OTHER, "123456789012"]


def test_malformed_account_header_is_a_bad_request() -> None:
    with mock_customer_profiles() as cp, pytest.raises(ClientError) as info:
        _client_in("12345").list_domains()
    assert info.value.response["Error"] == {
        "Code": "BadRequestException",
        "Message": "The x-moto-account-id header must be 12 digits, got '12345'",
    }
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert cp.calls[0].status == 400


def test_handle_account_defaults_to_moto_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER)
    with mock_customer_profiles() as cp:
        assert cp.account_id == OTHER
        cp.create_domain("shop")
        assert _client_in(None).get_domain(DomainName="shop")["DomainName"] == "shop"
        assert cp.calls[0].account_id == OTHER


def test_handle_account_named_wins_over_moto_account_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", OTHER)
    with mock_customer_profiles(account_id="111122223333") as cp:
        _client_in(None).list_domains()
    assert cp.calls[0].account_id == "111122223333"
