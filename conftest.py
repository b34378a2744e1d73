"""Suite-wide checks and fixtures: every response the mock sends must fit the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.validate import validate_parameters

from customer_profiles_mock import CustomerProfilesMock, mock_customer_profiles
from customer_profiles_mock._validate import compile_shape

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

checked_responses: list[str] = []


def _check_output(parsed: Any, model: Any, **kwargs: Any) -> None:
    """Fail the call if a successful response does not fit the operation's output shape:
    botocore's own validator (types, required) plus every max/pattern/enum constraint."""
    if model.output_shape is None or "Error" in parsed:
        return
    body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    validate_parameters(body, model.output_shape)
    errors: list[str] = []
    compile_shape(model.output_shape)(body, "", errors)
    assert not errors, f"{model.name} response breaks the model: {errors}"
    checked_responses.append(model.name)


botocore.handlers.BUILTIN_HANDLERS.append(("after-call.customer-profiles", _check_output))


@pytest.fixture
def cp() -> Iterator[CustomerProfilesMock]:
    with mock_customer_profiles(region=REGION, account_id=ACCOUNT_ID) as handle:
        yield handle


@pytest.fixture
def client(cp: CustomerProfilesMock) -> Any:
    return boto3.client("customer-profiles", region_name=REGION)
