"""Every operation of the installed botocore model is served (issue 18): the oldest and
the newest botocore CI installs each run this against their own model."""

from __future__ import annotations

from typing import Any

import pytest

import customer_profiles_mock
from customer_profiles_mock.core.operations import OPERATIONS
from customer_profiles_mock.wire.model import service_model


def test_every_operation_of_the_installed_model_has_a_handler() -> None:
    names = service_model().operation_names
    assert len(names) >= 81  # the oldest model CI runs (botocore 1.40.15) has 81
    assert sorted(set(names) - set(OPERATIONS)) == []


def test_an_operation_the_mock_does_not_know_raises_naming_it(client: Any, unserved: Any) -> None:
    # As one a newer botocore adds would: a Python error, not an HTTP answer.
    unserved("GetWorkflow")
    with pytest.raises(customer_profiles_mock.UnsupportedOperationError) as excinfo:
        client.get_workflow(DomainName="shop", WorkflowId="0" * 32)
    assert excinfo.value.operation == "GetWorkflow"
    assert str(excinfo.value).startswith(
        "customer_profiles_mock: GetWorkflow is not implemented. Implemented operations: "
    )
