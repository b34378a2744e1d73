"""The suite's check of every response against its output shape can fail."""

from __future__ import annotations

import pytest
from botocore.exceptions import ParamValidationError

from conftest import _check_output, checked_responses
from customer_profiles_mock.wire.model import operation_model


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


def test_output_checker_leaves_error_responses_to_the_error_tests():
    before = len(checked_responses)
    _check_output({"Error": {"Code": "X"}, "ResponseMetadata": {}}, operation_model("GetDomain"))
    assert len(checked_responses) == before


def test_output_checker_counts_what_it_checked():
    before = len(checked_responses)
    _check_output({"Items": [], "ResponseMetadata": {}}, operation_model("ListDomains"))
    assert checked_responses[before:] == ["ListDomains"]
