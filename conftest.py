"""Suite-wide checks and fixtures: every response the mock sends must fit the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.validate import validate_parameters

from customer_profiles_mock import CustomerProfilesMock, mock_customer_profiles
from customer_profiles_mock.wire.validate import compile_shape

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"

checked_responses: list[str] = []

# The one answer that breaks its output shape on purpose (docs/fidelity.md):
# ListTagsForResource answers {"tags": {}} for a resource without tags, though the
# model's TagMap, a shape shared with the inputs, holds at least one entry.
ALLOWED_BREAKS = {
    "ListTagsForResource": {
        "Value '{}' at 'tags' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    },
}


def output_errors(operation: str, body: dict[str, Any], output_shape: Any) -> list[str]:
    """Every constraint of the output shape ``body`` breaks, but the allowed ones."""
    errors: list[str] = []
    compile_shape(output_shape)(body, "", errors)
    allowed = ALLOWED_BREAKS.get(operation, set())
    return [e for e in errors if e not in allowed]


def _check_output(parsed: Any, model: Any, **kwargs: Any) -> None:
    """Fail the call if a successful response does not fit the operation's output shape:
    botocore's own validator (types, required) plus every max/pattern/enum constraint."""
    if model.output_shape is None or "Error" in parsed:
        return
    body = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    validate_parameters(body, model.output_shape)
    errors = output_errors(model.name, body, model.output_shape)
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
