"""Server-side validation of what botocore sends unchecked: 400 BadRequestException, no change."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.awsrequest import HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser

from customer_profiles_mock import mock_customer_profiles
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire import validate as _validate
from customer_profiles_mock.wire.http import HttpRequest

MODEL = botocore.session.get_session().get_service_model("customer-profiles")
ID_PATTERN = "Member must satisfy regular expression pattern: [a-f0-9]{32}"
NAME_PATTERN = "Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$"
NOT_STRING = "Member must be of type string"
BATCH_PATH = "/domains/shop/batch-get-profiles"


@pytest.fixture
def shop(cp: Any) -> str:
    """Domain ``shop`` with one profile; returns its id."""
    cp.create_domain("shop")
    profile_id: str = cp.create_profile("shop", FirstName="Ann", EmailAddress="a@x.com")
    return profile_id


@pytest.fixture
def snapshot(cp: Any) -> Callable[[], Any]:
    """Everything a rejected call must leave alone: domains and the profiles of each."""

    def take() -> Any:
        domains = cp.domains()
        return domains, {name: cp.profiles(name) for name in domains}

    return take


@pytest.fixture
def rejected(client: Any, snapshot: Callable[[], Any]) -> Callable[..., None]:
    """``rejected(message, operation, **params)``: the call is a 400 with exactly that message."""

    def check(message: str, operation: str, **params: Any) -> None:
        before = snapshot()
        with pytest.raises(client.exceptions.BadRequestException) as excinfo:
            getattr(client, operation)(**params)
        response = excinfo.value.response
        assert response["Error"]["Code"] == "BadRequestException"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert response["Error"]["Message"] == message
        assert snapshot() == before

    return check


def one(value: str | None, path: str, constraint: str) -> str:
    """A one-error Coral message for a non-sensitive member (``None`` renders as null)."""
    shown = "null" if value is None else f"'{value}'"
    return (
        f"1 validation error detected: Value {shown} at '{path}' "
        f"failed to satisfy constraint: {constraint}"
    )


def sensitive(path: str, constraint: str) -> str:
    return f"Value at '{path}' failed to satisfy constraint: {constraint}"


# -- BatchGetProfile -------------------------------------------------------------------


def test_batch_get_profile_more_than_20_ids_is_400(
    cp: Any, shop: str, rejected: Callable[..., None]
) -> None:
    ids = [shop] + [f"{i:032x}" for i in range(1, 21)]
    assert len(ids) == 21
    message = one(
        "[" + ", ".join(ids) + "]",
        "profileIds",
        "Member must have length less than or equal to 20",
    )
    rejected(message, "batch_get_profile", DomainName="shop", ProfileIds=ids)


def test_batch_get_profile_20_ids_is_accepted(client: Any, shop: str) -> None:
    ids = [shop] + [f"{i:032x}" for i in range(1, 20)]
    response = client.batch_get_profile(DomainName="shop", ProfileIds=ids)
    assert [p["ProfileId"] for p in response["Profiles"]] == [shop]
    assert len(response["Errors"]) == 19


@pytest.mark.parametrize("bad_id", ["NOT-HEX", "ABCDEF0123456789ABCDEF0123456789"])
def test_batch_get_profile_id_not_matching_pattern_is_400(
    shop: str, rejected: Callable[..., None], bad_id: str
) -> None:
    message = one(
        f"[{shop}, {bad_id}]", "profileIds", f"Member must satisfy constraint: [{ID_PATTERN}]"
    )
    rejected(message, "batch_get_profile", DomainName="shop", ProfileIds=[shop, bad_id])


@pytest.mark.parametrize(
    ("name", "constraint"),
    [
        ("bad name!", NAME_PATTERN),
        ("a/b", NAME_PATTERN),
        ("x" * 65, "Member must have length less than or equal to 64"),
    ],
)
def test_batch_get_profile_bad_domain_name_is_400(
    shop: str, rejected: Callable[..., None], name: str, constraint: str
) -> None:
    message = one(name, "domainName", constraint)
    rejected(message, "batch_get_profile", DomainName=name, ProfileIds=[shop])


def test_domain_name_both_too_long_and_bad_characters_lists_both(
    shop: str, rejected: Callable[..., None]
) -> None:
    name = "!" * 65
    message = (
        f"2 validation errors detected: Value '{name}' at 'domainName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64; "
        f"Value '{name}' at 'domainName' failed to satisfy constraint: {NAME_PATTERN}"
    )
    rejected(message, "get_domain", DomainName=name)


def test_get_domain_bad_name_is_400_not_404(rejected: Callable[..., None]) -> None:
    rejected(one("no such!", "domainName", NAME_PATTERN), "get_domain", DomainName="no such!")


# -- SearchProfiles --------------------------------------------------------------------


def search(**extra: Any) -> dict[str, Any]:
    return {"DomainName": "shop", "KeyName": "_email", "Values": ["a@x.com"], **extra}


def test_search_profiles_max_results_over_100_is_400(
    shop: str, rejected: Callable[..., None]
) -> None:
    message = one("1000", "maxResults", "Member must have value less than or equal to 100")
    rejected(message, "search_profiles", **search(MaxResults=1000))


def test_search_profiles_unknown_logical_operator_is_400(
    shop: str, rejected: Callable[..., None]
) -> None:
    enum = MODEL.operation_model("SearchProfiles").input_shape.members["LogicalOperator"].enum
    assert enum == ["AND", "OR"]
    message = one("XOR", "logicalOperator", "Member must satisfy enum value set: [AND, OR]")
    rejected(message, "search_profiles", **search(LogicalOperator="XOR"))


def test_search_profiles_more_than_4_additional_keys_is_400(
    shop: str, rejected: Callable[..., None]
) -> None:
    keys = [{"KeyName": "_email", "Values": ["a@x.com"]}] * 5
    shown = "[" + ", ".join(["{KeyName=_email, Values=[a@x.com]}"] * 5) + "]"
    message = one(shown, "additionalSearchKeys", "Member must have length less than or equal to 4")
    rejected(message, "search_profiles", **search(AdditionalSearchKeys=keys))


def test_search_profiles_4_additional_keys_is_accepted(client: Any, shop: str) -> None:
    keys = [{"KeyName": "_email", "Values": ["a@x.com"]}] * 4
    response = client.search_profiles(**search(AdditionalSearchKeys=keys))
    assert [p["ProfileId"] for p in response["Items"]] == [shop]


# -- CreateDomain ----------------------------------------------------------------------


def test_create_domain_expiration_days_over_1098_is_400(rejected: Callable[..., None]) -> None:
    message = one(
        "5000", "defaultExpirationDays", "Member must have value less than or equal to 1098"
    )
    rejected(message, "create_domain", DomainName="d2", DefaultExpirationDays=5000)


def test_create_domain_aws_tag_key_is_400(cp: Any, rejected: Callable[..., None]) -> None:
    pattern = "^(?!aws:)[a-zA-Z+-=._:/]+$"
    message = one(
        "{team=crm, aws:owner=me}",
        "tags",
        f"Map keys must satisfy constraint: [Member must satisfy regular expression pattern: "
        f"{pattern}]",
    )
    rejected(
        message,
        "create_domain",
        DomainName="d2",
        DefaultExpirationDays=5,
        Tags={"team": "crm", "aws:owner": "me"},
    )
    assert cp.domains() == []


def test_create_domain_bad_name_creates_nothing(cp: Any, rejected: Callable[..., None]) -> None:
    rejected(
        one("my shop", "domainName", NAME_PATTERN),
        "create_domain",
        DomainName="my shop",
        DefaultExpirationDays=5,
    )
    assert cp.domains() == []


# -- CreateProfile: sensitive members never echo their value --------------------------


def test_create_profile_unknown_party_type_is_400_without_the_value(
    shop: str, rejected: Callable[..., None]
) -> None:
    # PartyType is an enum shape, and the model marks it sensitive too.
    party_type = MODEL.operation_model("CreateProfile").input_shape.members["PartyType"]
    assert party_type.metadata.get("sensitive") is True
    message = "1 validation error detected: " + sensitive(
        "partyType", "Member must satisfy enum value set: [INDIVIDUAL, BUSINESS, OTHER]"
    )
    assert "ALIEN" not in message
    rejected(message, "create_profile", DomainName="shop", PartyType="ALIEN")


def test_create_profile_first_name_over_255_is_400_without_the_value(
    shop: str, rejected: Callable[..., None]
) -> None:
    message = (
        "1 validation error detected: Value at 'firstName' failed to satisfy constraint: "
        "Member must have length less than or equal to 255"
    )
    rejected(message, "create_profile", DomainName="shop", FirstName="a" * 256)


def test_create_profile_several_errors_are_all_listed(
    shop: str, rejected: Callable[..., None]
) -> None:
    message = "3 validation errors detected: " + "; ".join(
        [
            sensitive("firstName", "Member must have length less than or equal to 255"),
            sensitive(
                "partyType", "Member must satisfy enum value set: [INDIVIDUAL, BUSINESS, OTHER]"
            ),
            sensitive("gender", "Member must satisfy enum value set: [MALE, FEMALE, UNSPECIFIED]"),
        ]
    )
    rejected(
        message,
        "create_profile",
        DomainName="shop",
        FirstName="a" * 256,
        PartyType="ALIEN",
        Gender="X",
    )


def test_create_profile_nested_sensitive_member_path(
    shop: str, rejected: Callable[..., None]
) -> None:
    message = "1 validation error detected: " + sensitive(
        "address.city", "Member must have length less than or equal to 255"
    )
    rejected(message, "create_profile", DomainName="shop", Address={"City": "c" * 256})


def test_create_profile_bad_domain_is_400_before_404(rejected: Callable[..., None]) -> None:
    rejected(
        one("no shop", "domainName", NAME_PATTERN),
        "create_profile",
        DomainName="no shop",
        FirstName="Ann",
    )


def test_valid_calls_still_succeed_after_rejections(
    cp: Any, client: Any, shop: str, rejected: Callable[..., None]
) -> None:
    rejected(
        one("1000", "maxResults", "Member must have value less than or equal to 100"),
        "search_profiles",
        **search(MaxResults=1000),
    )
    new_id = client.create_profile(DomainName="shop", FirstName="Bo", PartyType="BUSINESS")[
        "ProfileId"
    ]
    assert [p["ProfileId"] for p in cp.profiles("shop")] == [shop, new_id]


# -- raw HTTP, as a non-botocore client could send it ----------------------------------


@pytest.fixture
def raw(cp: Any, shop: str, snapshot: Callable[[], Any]) -> Callable[..., str]:
    """``raw(method, path, query, body)``: a 400 BadRequestException; returns its message."""
    service = cp.service

    def send(method: str, path: str, query: str = "", body: bytes = b"") -> str:
        before = snapshot()
        headers = {"Content-Type": "application/json"}
        status, out_headers, out = service.handle(HttpRequest(method, path, query, headers, body))
        assert status == 400
        assert out_headers["x-amzn-ErrorType"] == "BadRequestException"
        assert out_headers["x-amzn-RequestId"]
        document = json.loads(out)
        assert list(document) == ["Message"]
        # botocore reads it as the modelled error.
        parsed = create_parser("rest-json").parse(
            {"status_code": status, "headers": HeadersDict(out_headers), "body": out},
            MODEL.operation_model("BatchGetProfile").output_shape,
        )
        assert parsed["Error"] == {"Code": "BadRequestException", "Message": document["Message"]}
        assert snapshot() == before
        message: str = document["Message"]
        return message

    return send


@pytest.mark.parametrize("body", [b"not json", b"{", b"\xff\xfe", b"{'ProfileIds': []}"])
def test_raw_body_not_json_is_400(raw: Callable[..., str], body: bytes) -> None:
    assert raw("POST", BATCH_PATH, body=body).startswith("Request body is not valid JSON")


@pytest.mark.parametrize("body", [b"[]", b'["a"]', b'"x"', b"1", b"null", b"true"])
def test_raw_body_json_but_not_an_object_is_400(raw: Callable[..., str], body: bytes) -> None:
    assert raw("POST", BATCH_PATH, body=body) == "Request body must be a JSON object"


@pytest.mark.parametrize("body", [b"", b"{}", b'{"ProfileIds": null}', b'{"Other": 1}'])
def test_raw_missing_required_member_is_400(raw: Callable[..., str], body: bytes) -> None:
    assert raw("POST", BATCH_PATH, body=body) == one(None, "profileIds", "Member must not be null")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"ProfileIds": "abc"}', one("abc", "profileIds", "Member must be a list")),
        (
            b'{"ProfileIds": [1]}',
            one("[1]", "profileIds", f"Member must satisfy constraint: [{NOT_STRING}]"),
        ),
        (b'{"ProfileIds": {"a": 1}}', one("{a=1}", "profileIds", "Member must be a list")),
    ],
)
def test_raw_wrong_json_type_is_400(raw: Callable[..., str], body: bytes, message: str) -> None:
    assert raw("POST", BATCH_PATH, body=body) == message


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"DefaultExpirationDays": "30"}',
            one("30", "defaultExpirationDays", "Member must be of type integer"),
        ),
        (
            b'{"DefaultExpirationDays": true}',
            one("true", "defaultExpirationDays", "Member must be of type integer"),
        ),
        (
            b'{"DefaultExpirationDays": 30, "Matching": {"Enabled": "yes"}}',
            one("yes", "matching.enabled", "Member must be of type boolean"),
        ),
        (
            b'{"DefaultExpirationDays": 30, "Matching": {}}',
            one(None, "matching.enabled", "Member must not be null"),
        ),
    ],
)
def test_raw_create_domain_wrong_types_is_400(
    cp: Any, raw: Callable[..., str], body: bytes, message: str
) -> None:
    assert raw("POST", "/domains/d2", body=body) == message
    assert "d2" not in cp.domains()


@pytest.mark.parametrize("query", ["max-results=abc", "max-results=", "max-results=1.5"])
def test_raw_query_max_results_not_an_integer_is_400(raw: Callable[..., str], query: str) -> None:
    value = query.split("=", 1)[1]
    assert raw("GET", "/domains", query) == one(
        value, "maxResults", "Member must be of type integer"
    )


def test_raw_query_max_results_out_of_range_is_400(raw: Callable[..., str]) -> None:
    assert raw("GET", "/domains", "max-results=0") == one(
        "0", "maxResults", "Member must have value greater than or equal to 1"
    )


def test_raw_deeply_nested_json_is_400_not_an_exception(raw: Callable[..., str]) -> None:
    depth = 100_000
    body = b'{"ProfileIds": ' + b"[" * depth + b"]" * depth + b"}"
    assert raw("POST", BATCH_PATH, body=body).startswith("Request body is not valid JSON: ")


def test_empty_domain_name_is_rejected_not_rerouted(cp: Any, shop: str) -> None:
    # parameter_validation=False is a documented botocore option: the label goes out empty.
    unchecked = boto3.client(
        "customer-profiles", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    with pytest.raises(ClientError) as excinfo:
        unchecked.batch_get_profile(DomainName="", ProfileIds=[shop])
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"] == (
        "2 validation errors detected: Value '' at 'domainName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1; Value '' at 'domainName' failed "
        "to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$"
    )


@pytest.mark.parametrize("bad", ["a" * 32 + "-NOT-AN-ID", "X" + "0" * 32])
def test_profile_id_must_be_exactly_32_hex(client: Any, cp: Any, shop: str, bad: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.batch_get_profile(DomainName="shop", ProfileIds=[bad])
    response = excinfo.value.response
    assert response["Error"]["Code"] == "BadRequestException"
    assert response["Error"]["Message"] == (
        f"1 validation error detected: Value '[{bad}]' at 'profileIds' failed to satisfy "
        "constraint: Member must satisfy constraint: [Member must satisfy regular "
        "expression pattern: [a-f0-9]{32}]"
    )


def test_domain_name_with_a_trailing_newline_is_400(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_domain(DomainName="shop\n", DefaultExpirationDays=1)
    assert excinfo.value.response["Error"]["Code"] == "BadRequestException"
    assert excinfo.value.response["Error"]["Message"] == (
        "1 validation error detected: Value 'shop\n' at 'domainName' failed to satisfy "
        f"constraint: {NAME_PATTERN}"
    )


def test_unknown_members_at_any_depth_are_never_stored_or_echoed(cp: Any) -> None:
    body = json.dumps(
        {
            "DefaultExpirationDays": 30,
            "Unknown": {"deep": [1, 2, 3]},
            "Matching": {"Enabled": True, "Bogus": "x", "JobSchedule": None},
        }
    ).encode()
    status, _, out = cp.service.handle(HttpRequest("POST", "/domains/shop", body=body))
    assert status == 200
    answer = json.loads(out)
    assert "Unknown" not in answer
    assert answer["Matching"] == {"Enabled": True}


def test_value_echoed_in_a_message_is_cut_to_1000_characters(cp: Any) -> None:
    body = json.dumps({"ProfileIds": ["a" * 32] * 1_000_000}).encode()
    request = HttpRequest("POST", "/domains/shop/batch-get-profiles", body=body)
    status, _, out = cp.service.handle(request)
    assert status == 400
    message = json.loads(out)["Message"]
    assert len(out) < 1200
    assert message.startswith("1 validation error detected: Value '[aaaa")
    assert message.endswith(
        "...' at 'profileIds' failed to satisfy constraint: "
        "Member must have length less than or equal to 20"
    )


def test_value_nested_thousands_deep_is_400_with_a_short_message(cp: Any) -> None:
    body = ("[" * 5000 + "]" * 5000).encode()
    nested = b'{"ProfileIds": ' + body + b"}"
    request = HttpRequest("POST", "/domains/shop/batch-get-profiles", body=nested)
    status, headers, out = cp.service.handle(request)
    assert status == 400
    assert headers["x-amzn-ErrorType"] == "BadRequestException"
    assert len(out) < 1200


def test_a_shape_compiling_in_one_thread_is_not_used_half_made_by_another(monkeypatch):
    # Threads whose first requests of an operation meet must not get the forward
    # reference a compilation leaves while it runs (it raised IndexError in the handler).
    compiler = _validate._Compiler()
    shape = _model.operation_model("CreateProfile").input_shape
    started, release = threading.Event(), threading.Event()
    structure = _validate._Compiler._structure

    def slow_structure(self, shape, sensitive):
        started.set()
        release.wait(10)
        return structure(self, shape, sensitive)

    monkeypatch.setattr(_validate._Compiler, "_structure", slow_structure)
    walks: dict[str, Any] = {}
    outcome: list[BaseException | list[str]] = []

    def compile_and_check(name: str) -> None:
        try:
            walks[name] = compiler.walk(shape, False)
            errors: list[str] = []
            walks[name]({"DomainName": "shop"}, "", errors)
            outcome.append(errors)
        except BaseException as exc:
            outcome.append(exc)

    first = threading.Thread(target=compile_and_check, args=("first",))
    first.start()
    started.wait(10)
    second = threading.Thread(target=compile_and_check, args=("second",))
    second.start()
    second.join(0.2)  # it waits for the first compilation (before the fix it failed here)
    release.set()
    first.join(10)
    second.join(10)
    assert outcome == [[], []]
    assert walks["first"] is walks["second"]


def _first_call(client: Any, barrier: threading.Barrier, outcomes: list[Any], i: int) -> None:
    barrier.wait()
    try:
        outcomes[i] = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
    except BaseException as exc:
        outcomes[i] = exc


def test_first_concurrent_calls_each_get_a_response_and_are_logged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in a fresh process: no shape compiled yet, 16 threads each making their first
    # CreateProfile at once, threads switching as often as they can (as among a fresh
    # process's first imports). Before the compiler was locked (74e7466), 8 runs of 8 had
    # a call that got a bare IndexError (a half-made forward reference), not a response,
    # and was not logged.
    count = 16
    clients = [boto3.client("customer-profiles", region_name="us-east-1") for _ in range(count)]
    interval = sys.getswitchinterval()
    for round_ in range(30):
        with mock_customer_profiles(region="us-east-1") as cp:
            cp.create_domain("shop")
            monkeypatch.setattr(_validate, "_COMPILER", _validate._Compiler())
            _validate.input_validator.cache_clear()
            barrier = threading.Barrier(count)
            outcomes: list[Any] = [None] * count
            threads = [
                threading.Thread(target=_first_call, args=(client, barrier, outcomes, i))
                for i, client in enumerate(clients)
            ]
            sys.setswitchinterval(1e-6)
            try:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
            finally:
                sys.setswitchinterval(interval)
            assert [type(o) for o in outcomes] == [str] * count, (round_, outcomes)
            calls = cp.calls_for("CreateProfile")
            assert [c.status for c in calls] == [200] * count
            assert {p["ProfileId"] for p in cp.profiles("shop")} == set(outcomes)
