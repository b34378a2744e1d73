"""The suite's check of every response against its output shape can fail."""

from __future__ import annotations

import pytest
from botocore.exceptions import ParamValidationError

from conftest import _check_output
from customer_profiles_mock._model import operation_model


def test_output_checker_rejects_a_missing_required_member():
    model = operation_model("CreateDomain")
    with pytest.raises(ParamValidationError):
        _check_output({"DomainName": "shop", "ResponseMetadata": {}}, model)


def test_output_checker_rejects_what_botocore_would_not_check():
    model = operation_model("BatchGetProfile")
    bad = {"Profiles": [{"ProfileId": "NOT-HEX"}], "Errors": [], "ResponseMetadata": {}}
    with pytest.raises(AssertionError) as exc:
        _check_output(bad, model)
    assert "Member must satisfy regular expression pattern: [a-f0-9]{32}" in str(exc.value)


def test_output_checker_passes_errors_through():
    _check_output({"Error": {"Code": "X"}}, operation_model("GetDomain"))
