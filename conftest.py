"""Suite-wide checks and fixtures: every response the mock sends must fit the model."""

from __future__ import annotations

import os
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.handlers
import pytest
from botocore.validate import validate_parameters

import customer_profiles_mock
from customer_profiles_mock import CustomerProfilesMock, mock_customer_profiles
from customer_profiles_mock.wire.validate import compile_shape

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
# A handle made without a region takes boto3's (AWS_DEFAULT_REGION, else the AWS config
# file's), so a runner's setting would move every such handle away from the suite's
# clients in REGION. Tests of that default set the environment themselves.
os.environ["AWS_DEFAULT_REGION"] = REGION

# .ci/run also runs the suite against the built wheel installed in a venv, from a folder
# that holds the suite but not the package, and then sets this to the source tree's path.
INSTALLED_FROM = os.environ.get("CPM_TEST_INSTALLED")
PACKAGE_DIR = Path(customer_profiles_mock.__file__).resolve().parent


def pytest_report_header() -> str:
    return f"customer_profiles_mock imported from {PACKAGE_DIR}"


def pytest_configure(config: pytest.Config) -> None:
    """Against an installed copy, run nothing unless the package is the venv's own."""
    if not INSTALLED_FROM:
        return
    site_packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    if not PACKAGE_DIR.is_relative_to(site_packages):
        raise pytest.UsageError(
            f"CPM_TEST_INSTALLED is set, but customer_profiles_mock was imported from "
            f"{PACKAGE_DIR}, not from this venv's {site_packages}"
        )


checked_responses: list[str] = []

# The answers that break their output shape on purpose (docs/fidelity.md):
# ListTagsForResource answers {"tags": {}} for a resource without tags, though the
# model's TagMap, a shape shared with the inputs, holds at least one entry; and
# GetRecommenderFilter, whose model requires Tags, answers {} for a filter without tags.
EMPTY_TAGS = (
    "Value '{}' at 'tags' failed to satisfy constraint: "
    "Member must have length greater than or equal to 1"
)
ALLOWED_BREAKS = {"ListTagsForResource": {EMPTY_TAGS}, "GetRecommenderFilter": {EMPTY_TAGS}}


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


@pytest.fixture
def unserved(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``unserved("GetWorkflow")`` takes that operation's handler out of the registry for
    the test: the mock then meets it as it would one a newer botocore adds."""
    from customer_profiles_mock.core.operations import OPERATIONS

    def take(name: str) -> str:
        monkeypatch.delitem(OPERATIONS, name, raising=False)
        return name

    return take
