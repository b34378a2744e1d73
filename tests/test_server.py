"""The server: real clients against it in a thread and in a subprocess, its control API, client.

botocore, aiobotocore and raw HTTP (signed and unsigned) against the server; the control
API and its Python client against the handle's own methods and messages; JSON answers to
every kind of mistake.
"""

from __future__ import annotations

import asyncio
import datetime
import http.client
import inspect
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from customer_profiles_mock import (
    CustomerProfilesMock,
    CustomerProfilesMockError,
    ErrorFault,
    InvalidArgumentError,
    InvalidTypeError,
    MockStateError,
    mock_customer_profiles,
)
from customer_profiles_mock.server import CustomerProfilesServer, ServerClient, ServerFault
from customer_profiles_mock.server.app import FAULT_KINDS, HANDLE_METHODS, MAX_BODY_BYTES

REGION = "us-east-1"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
ACCOUNT_ID = "123456789012"
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1})
REPO_ROOT = Path(__file__).parent.parent


def client_for(server: ServerClient, config: Config = ONE_ATTEMPT, **kwargs: Any) -> Any:
    return boto3.client(
        "customer-profiles",
        endpoint_url=server.endpoint_url,
        region_name=kwargs.pop("region_name", REGION),
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=config,
        **kwargs,
    )


def raw(
    server: ServerClient,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Mapping[str, str], Any]:
    """One HTTP request with http.client: status, headers (names in any case, as HTTP
    has them), and the body parsed as JSON (anything but a GET is sent as JSON unless
    ``headers`` are given)."""
    if headers is None:
        headers = {} if method == "GET" else {"Content-Type": "application/json"}
    connection = http.client.HTTPConnection(urlsplit(server.endpoint_url).netloc, timeout=30)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    return response.status, response.headers, json.loads(data)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


# -- botocore against a server in a thread ------------------------------------------------


def test_botocore_client_is_served_by_the_server(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    ann = customer_profiles_server.create_profile("shop", FirstName="Ann")
    client = client_for(customer_profiles_server)
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[ann])
    assert [p["FirstName"] for p in out["Profiles"]] == ["Ann"]
    bob = client.create_profile(DomainName="shop", FirstName="Bob")["ProfileId"]
    names = [p["FirstName"] for p in customer_profiles_server.profiles("shop")]
    assert names == ["Ann", "Bob"]
    assert [c.operation for c in customer_profiles_server.calls] == [
        "BatchGetProfile",
        "CreateProfile",
    ]
    assert customer_profiles_server.calls[1].params["FirstName"] == "Bob"
    assert bob in [p["ProfileId"] for p in customer_profiles_server.profiles("shop")]


def test_fixture_resets_the_server_before_each_test(pytester):
    pytester.makepyfile(
        """
        def test_one(customer_profiles_server):
            customer_profiles_server.create_domain("shop")
            customer_profiles_server.throttle("GetDomain")
            assert customer_profiles_server.domains() == ["shop"]

        def test_two(customer_profiles_server):
            assert customer_profiles_server.domains() == []
            assert customer_profiles_server.faults == []
            assert customer_profiles_server.calls == []
            assert customer_profiles_server.endpoint_url.startswith("http://127.0.0.1:")
        """
    )
    result = pytester.runpytest("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_server_in_a_thread_serves_from_start_to_stop():
    with CustomerProfilesServer(
        region="eu-west-2", data={"domains": [{"DomainName": "shop"}]}
    ) as server:
        url = server.endpoint_url
        assert server.health() == {"status": "ok", "region": "eu-west-2", "account_id": ACCOUNT_ID}
        out = client_for(server, region_name="eu-west-2").list_domains()
        assert [d["DomainName"] for d in out["Items"]] == ["shop"]
        server.create_domain("other")
        server.reset()  # back to what it was started with
        assert server.domains() == ["shop"]
    with pytest.raises(ConnectionRefusedError):
        http.client.HTTPConnection(urlsplit(url).netloc, timeout=5).request("GET", "/")
    server.stop()  # twice is harmless


def test_server_account_is_account_id_else_moto_account_id(monkeypatch):
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    with CustomerProfilesServer() as server:
        assert server.account_id == "111122223333"
        server.create_domain("shop")
        arn = client_for(server).get_domain(DomainName="shop")["DomainName"]
        assert arn == "shop"
        assert server.calls[0].account_id == "111122223333"
    with CustomerProfilesServer(account_id="444455556666") as server:
        assert server.health()["account_id"] == "444455556666"


def test_server_region_is_the_one_boto3_reads_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    with CustomerProfilesServer() as server:
        assert (server.region, server.health()["region"]) == ("eu-west-1", "eu-west-1")
        server.create_domain("shop")
        client = client_for(server, region_name=None)
        assert client.meta.region_name == "eu-west-1"
        assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
        assert [c.region for c in server.calls] == ["eu-west-1"]
    with CustomerProfilesServer(region="eu-west-2") as server:
        assert server.region == "eu-west-2"


def test_moto_account_header_lands_in_that_account(customer_profiles_server):
    customer_profiles_server.create_domain("shop", account_id="111122223333")
    client = client_for(customer_profiles_server)

    def name_account(request: Any, **kwargs: Any) -> None:
        request.headers["x-moto-account-id"] = "111122223333"

    client.meta.events.register("before-sign.customer-profiles", name_account)
    assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
    assert customer_profiles_server.calls[-1].account_id == "111122223333"
    assert customer_profiles_server.domains() == []  # the server's own account


# -- the control API through the Python client ------------------------------------------


@pytest.mark.parametrize(
    "name",
    [*FAULT_KINDS, *HANDLE_METHODS, "clear_faults", "calls_for", "reset"],
)
def test_client_method_takes_the_handle_arguments(name):
    def parameters(method: Any) -> list[tuple[str, Any, Any]]:
        signature = inspect.signature(method)
        return [
            (p.name, p.kind, p.default) for p in signature.parameters.values() if p.name != "when"
        ]

    handle = getattr(CustomerProfilesMock, name, None)
    if handle is None:  # reset: the server's own
        assert callable(ServerClient.reset)
        return
    assert parameters(getattr(ServerClient, name)) == parameters(handle)


def test_throttle_fault_answers_429_and_is_counted(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    fault = customer_profiles_server.throttle("GetDomain", times=2)
    assert isinstance(fault, ServerFault)
    client = client_for(customer_profiles_server)
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            client.get_domain(DomainName="shop")
        assert error_of(excinfo) == ("ThrottlingException", 429, "Rate exceeded")
    assert client.get_domain(DomainName="shop")["DomainName"] == "shop"
    assert fault.triggered == 2
    assert fault.describe() == "ThrottlingException on GetDomain (2 of 2 triggered)"
    calls = customer_profiles_server.calls_for("GetDomain")
    assert [(c.status, c.error_code) for c in calls] == [
        (429, "ThrottlingException"),
        (429, "ThrottlingException"),
        (200, None),
    ]
    assert isinstance(calls[0].fault, ErrorFault)
    assert calls[0].fault_state == "ThrottlingException on GetDomain (1 of 2 triggered)"
    assert calls[1].describe() == (
        "GetDomain attempt 1 (domain=shop) in us-east-1, "
        "account 123456789012 -> 429 ThrottlingException "
        "[fault: ThrottlingException on GetDomain (2 of 2 triggered)]"
    )


def test_attempt_number_is_recorded_from_the_sdk_header(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    headers = {"amz-sdk-request": "attempt=2; max=3"}
    assert raw(customer_profiles_server, "GET", "/domains/shop", None, headers)[0] == 200
    assert [c.attempt for c in customer_profiles_server.calls] == [2]


def test_every_fault_kind_is_registered_through_json(customer_profiles_server):
    server = customer_profiles_server
    server.create_domain("shop")
    ann, bob = server.create_profiles("shop", [{"FirstName": "Ann"}, {"FirstName": "Bob"}])
    client = client_for(server)
    server.deny("DeleteDomain", times=1, domain="shop")
    with pytest.raises(ClientError) as excinfo:
        client.delete_domain(DomainName="shop")
    assert error_of(excinfo)[:2] == ("AccessDeniedException", 403)
    server.inject_error("InternalServerException", "ListDomains", times=1, message="Boom")
    with pytest.raises(ClientError) as excinfo:
        client.list_domains()
    assert error_of(excinfo) == ("InternalServerException", 500, "Boom")
    server.fail_profiles("shop", [bob], code="404", message="Gone", times=1)
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[ann, bob])
    assert [p["FirstName"] for p in out["Profiles"]] == ["Ann"]
    assert out["Errors"] == [{"Code": "404", "Message": "Gone", "ProfileId": bob}]
    server.fail_items("BatchGetProfile", [ann], code="503", times=1)
    out = client.batch_get_profile(DomainName="shop", ProfileIds=[ann, bob])
    assert [p["FirstName"] for p in out["Profiles"]] == ["Bob"]
    assert out["Errors"] == [
        {"Code": "503", "Message": "Item could not be processed (503)", "ProfileId": ann}
    ]
    server.rate_limit("SearchProfiles", per_second=0.001, burst=1, times=1)
    search = {"DomainName": "shop", "KeyName": "_fullName", "Values": ["Ann"]}
    client.search_profiles(**search)
    with pytest.raises(ClientError) as excinfo:
        client.search_profiles(**search)
    assert error_of(excinfo)[:2] == ("ThrottlingException", 429)
    server.delay(0.01, "GetDomain", times=1)
    client.get_domain(DomainName="shop")
    assert server.calls[-1].delay == 0.01
    assert server.calls[-1].fault_state == "delay of 0.01s on GetDomain (1 of 1 triggered)"
    assert server.faults == []  # every one used up


def test_removed_fault_no_longer_applies(customer_profiles_server):
    server = customer_profiles_server
    server.create_domain("shop")
    kept = server.throttle("ListDomains", probability=1.0, seed=3)
    dropped = server.throttle("GetDomain")
    assert [f.id for f in server.faults] == [kept.id, dropped.id]
    dropped.remove()
    dropped.remove()  # twice is harmless
    assert [f.id for f in server.faults] == [kept.id]
    assert dropped.removed
    assert client_for(server).get_domain(DomainName="shop")["DomainName"] == "shop"
    with server.deny("GetDomain"), pytest.raises(ClientError):
        client_for(server).get_domain(DomainName="shop")
    server.clear_faults()
    assert server.faults == []
    server.reset()
    kept.remove()  # after a reset too
    with pytest.raises(CustomerProfilesMockError) as excinfo:
        assert kept.triggered
    assert str(excinfo.value) == (
        f"customer-profiles-mock server answered 404 NotFound: No fault {kept.id!r}: it was "
        "never registered, or a reset dropped it"
    )
    status, _, body = raw(server, "DELETE", f"/_cpm/faults/{dropped.id}x")
    assert (status, body["Type"]) == (404, "NotFound")
    assert body["Message"] == (
        f"No fault '{dropped.id}x': it was never registered, or a reset dropped it"
    )


@pytest.mark.skipif(  # botocore 1.40 has none
    "BatchPutProfileObject" not in MODEL.operation_names,
    reason="this botocore's model has no BatchPutProfileObject",
)
def test_fail_items_through_the_client_writes_only_the_other_items(customer_profiles_server):
    server = customer_profiles_server
    server.create_domain("shop")
    server.put_object_type(
        "shop",
        "Order",
        Description="Orders",
        AllowProfileCreation=True,
        Fields={"id": {"Source": "_source.id"}, "email": {"Source": "_source.email"}},
        Keys={
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    fault = server.fail_items("BatchPutProfileObject", ["b"], code=409, message="No", times=1)
    items = [
        {"Id": name, "Object": json.dumps({"id": name, "email": f"{name}@example.com"})}
        for name in ("a", "b")
    ]
    out = client_for(server).batch_put_profile_object(
        DomainName="shop", ObjectTypeName="Order", Items=items
    )
    assert [s["Id"] for s in out["Successful"]] == ["a"]
    assert out["Failed"] == [{"Id": "b", "Code": 409, "Message": "No"}]
    assert [o["Object"]["id"] for o in server.objects("shop")] == ["a"]
    assert fault.triggered == 1
    assert server.calls[-1].fault_state == (
        "error 409 for 1 item(s) on BatchPutProfileObject (1 of 1 triggered)"
    )


def test_fault_mistakes_get_the_handle_messages(customer_profiles_server):
    with mock_customer_profiles() as cp:
        expected = []
        for call in (
            lambda target: target.throttle("GetDomians"),
            lambda target: target.throttle("GetDomain", times=0),
            lambda target: target.inject_error("GetDomain", "InternalServerException"),
            lambda target: target.fail_profiles("shop", ["nope"]),
            lambda target: target.fail_items("PutProfileObject", ["1"]),
            lambda target: target.fail_items("BatchPutProfileObject", ["1"], code="500"),
            lambda target: target.delay(-1, "GetDomain"),
            lambda target: target.delay(float("inf"), "GetDomain"),
            lambda target: target.delay(1e308, "GetDomain"),
            lambda target: target.rate_limit("GetDomain", per_second=float("inf")),
        ):
            with pytest.raises(InvalidArgumentError) as in_process:
                call(cp)
            with pytest.raises(InvalidArgumentError) as served:
                call(customer_profiles_server)
            expected.append(str(in_process.value))
            assert str(served.value) == str(in_process.value)
    assert expected[0] == "Unknown operation 'GetDomians'. Did you mean 'GetDomain'?"


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            {"kind": "throtle", "operation": "GetDomain"},
            "Unknown fault kind 'throtle'. Did you mean 'throttle'? Kinds: throttle, deny, "
            "inject_error, delay, rate_limit, fail_profiles, fail_items, lag.",
        ),
        (
            {"operation": "GetDomain", "times": 2},
            "A fault needs 'kind', one of: throttle, deny, inject_error, delay, rate_limit, "
            "fail_profiles, fail_items, lag; got an object without it",
        ),
        (
            {"kind": None, "operation": "GetDomain"},
            "A fault needs 'kind', one of: throttle, deny, inject_error, delay, rate_limit, "
            "fail_profiles, fail_items, lag; got null",
        ),
        (
            {"kind": "inject_error", "operation": "GetDomain"},
            "An inject_error fault needs 'code'. Keys: code, operation, times, message, "
            "domain, region, account_id, probability, seed, after.",
        ),
        (
            {"kind": "throttle", "tims": 2},
            "A throttle fault got an unknown key 'tims'. Did you mean 'times'? Keys: "
            "operation, times, domain, region, account_id, probability, seed, after.",
        ),
        (
            {"kind": "delay", "operation": "GetDomain"},
            "A delay fault needs 'seconds'. Keys: seconds, operation, times, domain, region, "
            "account_id, probability, seed, after.",
        ),
        (
            {"kind": "throttle", "when": "params['DomainName'] == 'shop'"},
            "A throttle fault: 'when' is a Python predicate and cannot be sent as JSON; "
            "scope the fault with domain, region, account_id, probability, seed or after "
            "instead",
        ),
        (
            {"kind": "throttle", "operation": "GetDomians"},
            "Unknown operation 'GetDomians'. Did you mean 'GetDomain'?",
        ),
        (
            ["throttle"],
            'A fault is a JSON object such as {"kind": "throttle", "operation": '
            '"BatchGetProfile", "times": 2}, got an array',
        ),
    ],
)
def test_fault_json_mistake_is_a_400_saying_which(customer_profiles_server, fault, message):
    status, headers, body = raw(
        customer_profiles_server, "POST", "/_cpm/faults", json.dumps(fault).encode()
    )
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert body["Message"] == message
    assert customer_profiles_server.faults == []


NOT_FINITE = (
    "seconds must be a finite number, got {}: pass how long the delay lasts, from 0 to 1e+09"
)


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        ("1e999", NOT_FINITE.format("inf")),
        ("Infinity", NOT_FINITE.format("inf")),
        ("NaN", NOT_FINITE.format("nan")),
        (
            "1e308",
            "seconds must be at most 1e+09, the longest delay that can be waited out "
            "(time.sleep fails not far past it), got 1e+308: pass a shorter delay",
        ),
    ],
)
def test_delay_that_cannot_be_waited_out_is_a_400(customer_profiles_server, seconds, message):
    # Accepted, the fault was echoed as "seconds": Infinity (not JSON), and the delayed
    # call applied its write, then failed with a 500 (OverflowError).
    body = f'{{"kind": "delay", "operation": "CreateProfile", "seconds": {seconds}}}'
    status, _, answer = raw(customer_profiles_server, "POST", "/_cpm/faults", body.encode())
    assert (status, answer["Message"]) == (400, message)
    assert customer_profiles_server.faults == []


def test_fault_json_is_answered_with_a_stable_id(customer_profiles_server):
    spec = {"kind": "throttle", "operation": "BatchGetProfile", "times": 2}
    status, _, first = raw(
        customer_profiles_server, "POST", "/_cpm/faults", json.dumps(spec).encode()
    )
    assert status == 200
    assert first == {
        "id": first["id"],
        "kind": "throttle",
        "args": {"operation": "BatchGetProfile", "times": 2},
        "description": "ThrottlingException on BatchGetProfile (0 of 2 triggered)",
        "times": 2,
        "triggered": 0,
        "removed": False,
    }
    _, _, second = raw(customer_profiles_server, "POST", "/_cpm/faults", json.dumps(spec).encode())
    assert second["id"] != first["id"]
    assert raw(customer_profiles_server, "GET", f"/_cpm/faults/{first['id']}")[2] == first
    listed = raw(customer_profiles_server, "GET", "/_cpm/faults")[2]["faults"]
    assert [f["id"] for f in listed] == [first["id"], second["id"]]
    assert raw(customer_profiles_server, "DELETE", f"/_cpm/faults/{first['id']}")[:1] == (200,)
    listed = raw(customer_profiles_server, "GET", "/_cpm/faults")[2]["faults"]
    assert [f["id"] for f in listed] == [second["id"]]
    customer_profiles_server.clear_faults()


def _objects_and_dead_letters(target: Any) -> dict[str, Any]:
    """Seeds an object and a dead letter into ``target`` (a handle or a server's client)
    and reads them back; the generated key is left out."""
    target.create_domain("shop")
    target.create_profile("shop", ProfileId="a" * 32, EmailAddress="ann@example.com")
    target.put_object_type(
        "shop",
        "Order",
        Description="Orders",
        AllowProfileCreation=False,
        Fields={"id": {"Source": "_source.id"}, "email": {"Source": "_source.email"}},
        Keys={
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    target.put_object("shop", "Order", '{"id": "o-1",  "email": "ann@example.com"}')
    target.put_object("shop", "Order", '{"id": "o-2", "email": "nobody@example.com"}')
    objects = target.objects("shop")
    for record in objects:
        del record["ProfileObjectUniqueKey"]
    return {"objects": objects, "dead_letters": target.dead_letters("shop")}


def test_inspection_answers_the_handles_shapes(customer_profiles_server):
    with mock_customer_profiles() as cp:
        in_process = _objects_and_dead_letters(cp)
    assert _objects_and_dead_letters(customer_profiles_server) == in_process
    assert in_process == {
        "objects": [
            {
                "ObjectTypeName": "Order",
                "ProfileId": "a" * 32,
                "Object": {"id": "o-1", "email": "ann@example.com"},
                "ObjectText": '{"id": "o-1",  "email": "ann@example.com"}',
            }
        ],
        "dead_letters": [
            {
                "ObjectTypeName": "Order",
                "Object": {"id": "o-2", "email": "nobody@example.com"},
                "ObjectText": '{"id": "o-2", "email": "nobody@example.com"}',
                "Reason": "No profile matched and AllowProfileCreation is false",
            }
        ],
    }


def test_seeding_answers_timestamps_as_the_handle_does(customer_profiles_server):
    server = customer_profiles_server
    created = server.create_domain("shop")
    assert isinstance(created["CreatedAt"], datetime.datetime)
    assert server.seed("GetDomain", DomainName="shop")["CreatedAt"] == created["CreatedAt"]
    object_type = server.put_object_type("shop", "Calls", Description="Calls", TemplateId="CTR")
    assert isinstance(object_type["LastUpdatedAt"], datetime.datetime)


def test_seeding_and_inspection_through_the_client(customer_profiles_server):
    server = customer_profiles_server
    domain = server.create_domain("shop", DefaultExpirationDays=10, Tags={"team": "a"})
    assert domain["DefaultExpirationDays"] == 10
    assert server.tags(f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop") == {"team": "a"}
    ann = server.create_profile("shop", FirstName="Ann", EmailAddress="ann@example.com")
    server.update_profile("shop", ann, LastName="Lee")
    server.add_profile_key("shop", ann, "loyaltyId", ["L-1"])
    keys = server.profile_keys("shop", ann)
    assert keys["_email"] == ["ann@example.com"]
    assert keys["loyaltyId"] == ["L-1"]
    server.put_object_type(
        "shop",
        "Order",
        Description="Orders",
        Fields={
            "id": {"Source": "_source.id"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
        },
        Keys={
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    assert server.object_types("shop") == ["Order"]
    key = server.put_object("shop", "Order", {"id": "o-1", "email": "ann@example.com"})
    assert [o["ProfileObjectUniqueKey"] for o in server.objects("shop", ann)] == [key]
    server.put_object("shop", "Order", '{"id": "o-2", "email": "nobody@example.com"}')
    assert [d["ObjectTypeName"] for d in server.dead_letters("shop")] == ["Order"]
    fakes = server.fake_profiles("shop", 3, seed=1)
    assert len(fakes) == 3
    [profile] = [p for p in server.profiles("shop") if p["ProfileId"] == ann]
    assert (profile["FirstName"], profile["LastName"]) == ("Ann", "Lee")
    template = server.register_template(
        "my-orders",
        SourceName="shopify",
        SourceObject="order",
        Fields={
            "id": {"Source": "_source.id"},
            "email": {"Source": "_source.email", "Target": "_profile.EmailAddress"},
        },
        Keys={
            "id": [{"StandardIdentifiers": ["UNIQUE"], "FieldNames": ["id"]}],
            "_email": [{"StandardIdentifiers": ["PROFILE"], "FieldNames": ["email"]}],
        },
    )
    assert template["TemplateId"] == "my-orders"


def test_seeding_mistakes_get_the_handle_messages(customer_profiles_server):
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        customer_profiles_server.create_domain("shop")
        for call in (
            lambda target: target.create_profile("shop", FirstNam="Ann"),
            lambda target: target.create_domain("shop"),
            lambda target: target.load({"domians": []}),
            lambda target: target.profiles("nope"),
        ):
            with pytest.raises(CustomerProfilesMockError) as in_process:
                call(cp)
            with pytest.raises(CustomerProfilesMockError) as served:
                call(customer_profiles_server)
            assert type(served.value) is type(in_process.value)
            assert str(served.value) == str(in_process.value)


def test_load_sends_a_file_read_here(customer_profiles_server, tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(
        json.dumps({"domains": [{"DomainName": "shop", "profiles": [{"FirstName": "A"}]}]})
    )
    ids = customer_profiles_server.load(seed)
    assert list(ids) == ["shop"]
    assert len(ids["shop"]) == 1
    with pytest.raises(InvalidArgumentError) as excinfo:
        customer_profiles_server.load(tmp_path / "missing.json")
    assert str(excinfo.value).startswith(
        f"load(): cannot read seed file {str(tmp_path / 'missing.json')!r}: "
    )


INLINE_ONLY = (
    'must be the seed itself, a JSON object such as {"domains": [...]}, not a string: the '
    "control API reads no files on the server. Send the file's contents "
    "(ServerClient.load(path) reads it where it runs and sends them), or give the path to "
    "`customer-profiles-mock serve --data` when the server starts."
)


@pytest.mark.parametrize(
    ("path", "wrap", "what"),
    [
        ("/_cpm/seed", lambda path: path, "The seed"),
        ("/_cpm/handle/load", lambda path: {"source": path}, 'load()\'s "source"'),
    ],
)
def test_control_api_refuses_a_seed_path_on_the_server(
    customer_profiles_server, tmp_path, path, wrap, what
):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"domains": [{"DomainName": "shop"}]}))
    body = json.dumps(wrap(str(seed))).encode()
    status, headers, got = raw(customer_profiles_server, "POST", path, body)
    assert (status, headers["x-amzn-ErrorType"]) == (400, "InvalidArgumentError")
    assert got == {"Type": "InvalidArgumentError", "Message": f"{what} {INLINE_ONLY}"}
    assert customer_profiles_server.domains() == []


def test_control_api_load_takes_an_inline_seed(customer_profiles_server):
    seed = {"domains": [{"DomainName": "shop", "profiles": [{"FirstName": "Ann"}]}]}
    body = json.dumps({"source": seed}).encode()
    status, _, got = raw(customer_profiles_server, "POST", "/_cpm/handle/load", body)
    assert (status, list(got["result"])) == (200, ["shop"])


def test_seed_route_takes_the_load_format(customer_profiles_server):
    seed = {"domains": [{"DomainName": "shop", "profiles": [{"FirstName": "Ann"}]}]}
    status, _, body = raw(customer_profiles_server, "POST", "/_cpm/seed", json.dumps(seed).encode())
    assert status == 200
    assert list(body["result"]) == ["shop"]
    assert [p["FirstName"] for p in customer_profiles_server.profiles("shop")] == ["Ann"]


def test_reset_route_empties_state_faults_and_calls(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    customer_profiles_server.throttle("GetDomain")
    client_for(customer_profiles_server).list_domains()
    assert raw(customer_profiles_server, "POST", "/_cpm/reset")[:1] == (200,)
    assert raw(customer_profiles_server, "GET", "/_cpm/calls")[2] == {
        "calls": [],
        "next_token": None,
        "dropped": 0,
    }
    assert raw(customer_profiles_server, "GET", "/_cpm/faults")[2] == {"faults": []}
    assert client_for(customer_profiles_server).list_domains()["Items"] == []


def test_calls_route_lists_attempts_as_json(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    fault = customer_profiles_server.throttle("GetDomain", times=1)
    with pytest.raises(ClientError):
        client_for(customer_profiles_server).get_domain(DomainName="shop")
    [call] = raw(customer_profiles_server, "GET", "/_cpm/calls")[2]["calls"]
    assert call == {
        "operation": "GetDomain",
        "params": {"DomainName": "shop"},
        "region": REGION,
        "account_id": ACCOUNT_ID,
        "status": 429,
        "error_code": "ThrottlingException",
        "attempt": 1,
        "fault": {
            "id": fault.id,
            "kind": "throttle",
            "args": {
                "operation": "GetDomain",
                "times": 1,
                "domain": None,
                "region": None,
                "account_id": None,
                "probability": None,
                "seed": None,
                "after": 0,
            },
        },
        "fault_triggered": 1,
        "fault_state": "ThrottlingException on GetDomain (1 of 1 triggered)",
        "request_id": call["request_id"],
        "delay": 0.0,
    }


def test_calls_route_pages_with_limit_and_next_token(customer_profiles_server):
    client = client_for(customer_profiles_server)
    for n in range(5):
        client.list_domains(MaxResults=n + 1)
    pages = []
    route = "/_cpm/calls?limit=2"
    while route:
        page = raw(customer_profiles_server, "GET", route)[2]
        pages.append(([c["params"]["MaxResults"] for c in page["calls"]], page["next_token"]))
        assert page["dropped"] == 0
        route = page["next_token"] and f"/_cpm/calls?limit=2&next_token={page['next_token']}"
    assert pages == [([1, 2], "2"), ([3, 4], "4"), ([5], None)]


def test_server_client_reads_every_page_of_the_calls(customer_profiles_server, monkeypatch):
    monkeypatch.setattr("customer_profiles_mock.server.app.CALLS_PAGE", 2)
    client = client_for(customer_profiles_server)
    for n in range(5):
        client.list_domains(MaxResults=n + 1)
    assert [c.params["MaxResults"] for c in customer_profiles_server.calls] == [1, 2, 3, 4, 5]
    assert len(raw(customer_profiles_server, "GET", "/_cpm/calls")[2]["calls"]) == 2


def test_server_call_log_keeps_the_newest_and_counts_those_dropped():
    with CustomerProfilesServer(call_log_size=2) as server:
        client = client_for(server)
        for n in range(3):
            client.list_domains(MaxResults=n + 1)
        assert [c.params["MaxResults"] for c in server.calls] == [2, 3]
        assert server.dropped_calls == 1
        page = raw(server, "GET", "/_cpm/calls?next_token=0&limit=1")[2]
        assert ([c["params"] for c in page["calls"]], page["next_token"], page["dropped"]) == (
            [{"MaxResults": 2}],
            "2",
            1,
        )
        server.reset()
        assert (server.calls, server.dropped_calls) == ([], 0)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit must be a whole number of calls from 1 to 10,000, got '0'"),
        ("limit=10001", "limit must be a whole number of calls from 1 to 10,000, got '10001'"),
        ("limit=ten", "limit must be a whole number of calls from 1 to 10,000, got 'ten'"),
        ("next_token=x1", "next_token must be the next_token of a page, got 'x1'"),
        (
            "limt=5",
            "GET /_cpm/calls got an unknown query parameter 'limt'. Did you mean 'limit'? "
            "Parameters: limit, next_token.",
        ),
    ],
)
def test_calls_route_query_mistake_is_a_400_saying_which(customer_profiles_server, query, message):
    status, _, got = raw(customer_profiles_server, "GET", f"/_cpm/calls?{query}")
    assert (status, got) == (400, {"Type": "InvalidArgumentError", "Message": message})


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "message"),
    [
        (
            "GET",
            "/_cpm/nope",
            None,
            404,
            "No control route GET /_cpm/nope. Routes: GET health, POST reset, POST seed, "
            "POST handle/<method>, POST faults, GET faults, GET faults/<id>, "
            "DELETE faults/<id>, DELETE faults, GET calls.",
        ),
        (
            "POST",
            "/_cpm/faults",
            b"{not json",
            400,
            "A fault is not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
        ("POST", "/_cpm/seed", b"", 400, "The seed is missing: send a JSON object as the body"),
        (
            "POST",
            "/_cpm/handle/create_domian",
            b"{}",
            404,
            "No handle method 'create_domian'. Did you mean 'create_domain'? Methods: "
            + ", ".join(HANDLE_METHODS)
            + ".",
        ),
        (
            "POST",
            "/_cpm/handle/create_profiles",
            b'{"domain": "shop"}',
            400,
            "create_profiles() needs 'profiles'. Keys: domain, profiles, region, account_id.",
        ),
    ],
)
def test_control_mistake_is_json(customer_profiles_server, method, path, body, status, message):
    got_status, headers, got = raw(customer_profiles_server, method, path, body)
    assert (got_status, headers["Content-Type"], got["Message"]) == (
        status,
        "application/json",
        message,
    )


def nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [101, 1_000, 100_000])
@pytest.mark.parametrize(
    ("path", "body", "what"),
    [
        ("/_cpm/seed", '{"domains": [{"DomainName": "shop", "Tags": %s}]}', "The seed"),
        ("/_cpm/faults", '{"kind": "throttle", "operation": %s}', "A fault"),
        (
            "/_cpm/handle/put_object",
            '{"domain": "shop", "object_type": "t", "obj": %s}',
            "put_object()",
        ),
    ],
)
def test_control_body_nested_too_deeply_is_a_400(customer_profiles_server, path, body, what, depth):
    status, headers, got = raw(
        customer_profiles_server, "POST", path, (body % nested(depth)).encode()
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "InvalidArgumentError")
    assert got["Message"] == (
        f"{what} is nested too deeply: the control API takes JSON at most 100 arrays and "
        "objects deep"
    )


def with_object_type(server: ServerClient) -> None:
    server.create_domain("shop")
    server.put_object_type(
        "shop",
        "t",
        Description="objects with an id",
        AllowProfileCreation=True,
        Fields={"id": {"Source": "_source.id", "Target": "_profile.AccountNumber"}},
        Keys={"id": [{"StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": ["id"]}]},
    )


def test_control_body_at_the_depth_limit_is_handled(customer_profiles_server):
    with_object_type(customer_profiles_server)
    obj = '{"domain": "shop", "object_type": "t", "obj": {"id": "1", "deep": ' + nested(98) + "}}"
    status, _, got = raw(customer_profiles_server, "POST", "/_cpm/handle/put_object", obj.encode())
    assert status == 200, got
    [stored] = customer_profiles_server.objects("shop")
    assert json.dumps(stored["Object"]["deep"]) == nested(98).replace(":", ": ")


def test_recursion_error_in_control_handling_is_a_400(customer_profiles_server, monkeypatch):
    session = customer_profiles_server
    assert isinstance(session, CustomerProfilesServer)

    def too_deep(method: str, args: object) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(session.backend, "call_handle", too_deep)
    status, _, got = raw(session, "POST", "/_cpm/handle/domains", b"{}")
    assert (status, got) == (
        400,
        {
            "Type": "InvalidArgumentError",
            "Message": "The request is nested too deeply for the control API to handle: send "
            "JSON at most 100 arrays and objects deep",
        },
    )


def test_control_answer_is_strict_json_whatever_the_values(customer_profiles_server):
    with_object_type(customer_profiles_server)
    obj = b'{"domain": "shop", "object_type": "t", "obj": {"id": "1", "n": NaN, "i": -Infinity}}'
    assert raw(customer_profiles_server, "POST", "/_cpm/handle/put_object", obj)[0] == 200
    connection = http.client.HTTPConnection(
        urlsplit(customer_profiles_server.endpoint_url).netloc, timeout=30
    )
    connection.request(
        "POST", "/_cpm/handle/objects", b'{"domain": "shop"}', {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    data = response.read()
    connection.close()

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    [stored] = json.loads(data, parse_constant=refuse)["result"]
    assert (response.status, stored["Object"]) == (200, {"id": "1", "n": "NaN", "i": "-Infinity"})


# -- the AWS routes: never a 500 HTML page ------------------------------------------------


def test_unsupported_operation_is_a_json_501_naming_it(customer_profiles_server, unserved):
    unserved("GetWorkflow")
    with pytest.raises(ClientError) as excinfo:
        client_for(customer_profiles_server).get_workflow(DomainName="shop", WorkflowId="a" * 32)
    code, status, message = error_of(excinfo)
    assert (code, status) == ("NotImplementedException", 501)
    assert message.startswith(
        "customer_profiles_mock: GetWorkflow is not implemented. "
        "Implemented operations: AddProfileKey, "
    )


def test_answer_through_the_client_until_a_reset(customer_profiles_server, unserved):
    unserved("GetWorkflow")
    server = customer_profiles_server
    stamp = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    server.answer("GetWorkflow", {"WorkflowId": "a" * 32, "StartDate": stamp})
    client = client_for(server)
    out = client.get_workflow(DomainName="shop", WorkflowId="a" * 32)
    assert (out["WorkflowId"], out["StartDate"]) == ("a" * 32, stamp)
    assert [(c.operation, c.status) for c in server.calls] == [("GetWorkflow", 200)]
    with pytest.raises(InvalidArgumentError) as exc:
        server.answer("GetWorkflow", lambda params: {})
    assert str(exc.value) == (
        "answer('GetWorkflow'): a function cannot be sent to a "
        "server; give the response itself (a dict), or answer in-process with the handle"
    )
    server.reset()
    with pytest.raises(ClientError) as excinfo:
        client.get_workflow(DomainName="shop", WorkflowId="a" * 32)
    assert error_of(excinfo)[:2] == ("NotImplementedException", 501)


def test_answer_mistakes_get_the_handle_messages(customer_profiles_server, unserved):
    unserved("GetWorkflow")
    with mock_customer_profiles() as cp:
        for call in (
            lambda target: target.answer("GetWorkflo", {}),
            lambda target: target.answer("GetDomain", {}),
            lambda target: target.answer("GetWorkflow", {"Statu": "COMPLETE"}),
        ):
            with pytest.raises(InvalidArgumentError) as in_process:
                call(cp)
            with pytest.raises(InvalidArgumentError) as served:
                call(customer_profiles_server)
            assert str(served.value) == str(in_process.value)


def test_oversized_body_is_a_413_unread(customer_profiles_server):
    netloc = urlsplit(customer_profiles_server.endpoint_url).netloc
    connection = http.client.HTTPConnection(netloc, timeout=30)
    connection.putrequest("POST", "/domains/shop/profiles")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(MAX_BODY_BYTES + 1))
    connection.endheaders()  # the body is never sent: the server answers without it
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 413
    assert response.getheader("x-amzn-ErrorType") == "RequestEntityTooLargeException"
    assert body == {
        "Message": "The request body (10,485,761 bytes or more) is over the server's limit "
        "of 10,485,760 bytes"
    }


def test_bad_path_is_a_modelled_404(customer_profiles_server):
    status, headers, body = raw(customer_profiles_server, "GET", "/nothing/here")
    assert (status, headers["x-amzn-ErrorType"]) == (404, "UnknownOperationException")
    assert body == {"Message": "No operation matches GET /nothing/here"}


def test_bad_json_is_a_400(customer_profiles_server):
    status, headers, body = raw(
        customer_profiles_server,
        "POST",
        "/domains/shop",
        b"{oops",
        {"Content-Type": "application/json"},
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "BadRequestException")
    assert isinstance(body["Message"], str)


def test_unexpected_error_is_a_json_500_naming_it(customer_profiles_server, monkeypatch):
    session = customer_profiles_server  # the fixture's server runs in this process
    assert isinstance(session, CustomerProfilesServer)

    def broken(request: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(session.backend.service, "respond", broken)
    with pytest.raises(ClientError) as excinfo:
        client_for(session).list_domains()
    assert error_of(excinfo) == (
        "InternalServerException",
        500,
        "customer-profiles-mock: unexpected RuntimeError: disk on fire",
    )


def test_malformed_request_line_is_answered_in_json(customer_profiles_server):
    host, port = urlsplit(customer_profiles_server.endpoint_url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(b"GARBAGE\r\n\r\n")
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 400 Bad Request\r\n")
    assert b"\r\nContent-Type: application/json\r\n" in head
    assert json.loads(body) == {"Message": "Bad Request: Start line is invalid"}


# -- who may drive it: Host, Origin, Content-Type -------------------------------------------

ALLOW = (
    "start it with --allow-host NAME, or CustomerProfilesServer(allowed_hosts=[NAME]), to "
    "allow NAME"
)


def host_refused(host: str) -> str:
    return (
        f"Host {host!r} is not allowed: this server answers requests addressed to localhost, "
        f"an IP address or an allowed host, so that no web page can reach it by DNS rebinding "
        f"({ALLOW})."
    )


def origin_refused(origin: str) -> str:
    return (
        f"Origin {origin!r} is not allowed: only pages from localhost, a loopback address or "
        f"an allowed host may drive this server ({ALLOW})."
    )


@pytest.mark.parametrize("body", [b'{"x": 1}', None], ids=["body", "no-body"])
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_control_post_without_json_content_type_is_a_415(
    customer_profiles_server, content_type, body
):
    customer_profiles_server.create_domain("shop")
    headers = {} if content_type is None else {"Content-Type": content_type}
    status, response_headers, got = raw(
        customer_profiles_server, "POST", "/_cpm/reset", body, headers
    )
    assert (status, response_headers["x-amzn-ErrorType"]) == (415, "UnsupportedMediaType")
    got_type = "none" if content_type is None else repr(content_type)
    assert got == {
        "Type": "UnsupportedMediaType",
        "Message": "POST /_cpm/reset takes JSON: send it with Content-Type: "
        f"application/json, with or without a body (got {got_type}).",
    }
    assert customer_profiles_server.domains() == ["shop"]  # not reset


def test_control_post_with_json_content_type_parameters_is_served(customer_profiles_server):
    headers = {"Content-Type": "Application/JSON; charset=utf-8"}
    status, _, got = raw(customer_profiles_server, "POST", "/_cpm/handle/domains", b"{}", headers)
    assert (status, got) == (200, {"result": []})


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://evil.example:8080", "null", "file://", "http://[::"]
)
def test_foreign_origin_is_refused_on_every_route(customer_profiles_server, origin):
    customer_profiles_server.create_domain("shop")
    json_from = {"Origin": origin, "Content-Type": "application/json"}
    status, headers, got = raw(customer_profiles_server, "POST", "/_cpm/reset", b"{}", json_from)
    assert (status, headers["x-amzn-ErrorType"]) == (403, "ForbiddenOrigin")
    assert got == {"Type": "ForbiddenOrigin", "Message": origin_refused(origin)}
    status, headers, got = raw(
        customer_profiles_server, "DELETE", "/domains/shop", headers={"Origin": origin}
    )
    assert (status, headers["x-amzn-ErrorType"]) == (403, "AccessDeniedException")
    assert got == {"Message": origin_refused(origin)}
    assert customer_profiles_server.domains() == ["shop"]


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost:3000",
        "http://127.0.0.1:8000",
        "https://[::1]:5173",
        "http://app.localhost",
    ],
)
def test_local_origin_is_served(customer_profiles_server, origin):
    status, _, got = raw(
        customer_profiles_server, "GET", "/_cpm/health", headers={"Origin": origin}
    )
    assert (status, got["status"]) == (200, "ok")


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:4566", "127.0.0.1.nip.io:80", "a:b"]
)
def test_host_that_is_not_the_servers_is_refused_on_every_route(customer_profiles_server, host):
    customer_profiles_server.create_domain("shop")
    status, headers, got = raw(
        customer_profiles_server, "POST", "/_cpm/reset", headers={"Host": host}
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "InvalidHost")
    assert got == {"Type": "InvalidHost", "Message": host_refused(host)}
    status, headers, got = raw(
        customer_profiles_server, "GET", "/domains/shop", headers={"Host": host}
    )
    assert (status, headers["x-amzn-ErrorType"]) == (400, "BadRequestException")
    assert got == {"Message": host_refused(host)}
    assert customer_profiles_server.domains() == ["shop"]


@pytest.mark.parametrize(
    "host",
    ["localhost:1", "LOCALHOST.", "api.localhost:8080", "127.0.0.1", "[::1]:4566", "10.1.2.3:80"],
)
def test_loopback_name_or_ip_address_host_is_served_on_any_port(customer_profiles_server, host):
    status, _, got = raw(customer_profiles_server, "GET", "/_cpm/health", headers={"Host": host})
    assert (status, got["status"]) == (200, "ok")


def test_allowed_host_is_served_by_name_and_as_an_origin():
    with CustomerProfilesServer(allowed_hosts=["cpm.internal"]) as server:
        server.create_domain("shop")
        headers = {"Host": "cpm.internal:4566", "Origin": "http://CPM.internal:3000"}
        status, _, got = raw(server, "GET", "/domains/shop", headers=headers)
        assert (status, got["DomainName"]) == (200, "shop")
        status, _, got = raw(server, "GET", "/_cpm/health", headers={"Host": "other.internal"})
        assert (status, got["Message"]) == (400, host_refused("other.internal"))


def test_allowed_hosts_star_serves_any_host_and_origin():
    with CustomerProfilesServer(allowed_hosts=["*"]) as server:
        headers = {"Host": "anything.example", "Origin": "https://evil.example"}
        assert raw(server, "GET", "/_cpm/health", headers=headers)[0] == 200


@pytest.mark.parametrize(
    ("allowed", "error", "message"),
    [
        (
            "cpm.internal",
            InvalidTypeError,
            "allowed_hosts takes a list of host names, such as ['cpm.internal'], got "
            "'cpm.internal'",
        ),
        (
            ["cpm.internal:4566"],
            InvalidArgumentError,
            "allowed_hosts takes host names or IP addresses without a port (any port is "
            "allowed), such as 'cpm.internal', got 'cpm.internal:4566'",
        ),
        (
            ["http://cpm"],
            InvalidArgumentError,
            "allowed_hosts takes host names or IP addresses without a port (any port is "
            "allowed), such as 'cpm.internal', got 'http://cpm'",
        ),
    ],
)
def test_allowed_hosts_mistake_says_what_it_takes(allowed, error, message):
    with pytest.raises(error) as excinfo:
        CustomerProfilesServer(allowed_hosts=allowed)
    assert str(excinfo.value) == message


def test_requests_drives_the_server_and_its_control_api(customer_profiles_server):
    import requests

    url = customer_profiles_server.endpoint_url
    fault = {"kind": "deny", "operation": "GetDomain", "times": 1}
    assert requests.post(f"{url}/_cpm/faults", json=fault, timeout=30).json()["kind"] == "deny"
    customer_profiles_server.create_domain("shop")
    assert requests.get(f"{url}/domains/shop", timeout=30).status_code == 403
    assert requests.get(f"{url}/domains/shop", timeout=30).json()["DomainName"] == "shop"


# -- raw HTTP -------------------------------------------------------------------------------


def test_unsigned_raw_request_is_served(customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    status, headers, body = raw(customer_profiles_server, "GET", "/domains/shop")
    assert (status, body["DomainName"]) == (200, "shop")
    assert headers["Content-Type"] == "application/json"
    assert customer_profiles_server.calls[0].region == REGION  # the server's


def test_signed_raw_request_is_served_in_its_region(customer_profiles_server):
    customer_profiles_server.create_domain("shop", region="eu-west-2")
    url = f"{customer_profiles_server.endpoint_url}/domains/shop/profiles"
    body = json.dumps({"FirstName": "Ann"})
    request = AWSRequest("POST", url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "profile", "eu-west-2").add_auth(request)
    status, _, answer = raw(
        customer_profiles_server,
        "POST",
        "/domains/shop/profiles",
        body.encode(),
        dict(request.headers),
    )
    assert status == 200
    [profile] = customer_profiles_server.profiles("shop", region="eu-west-2")
    assert profile["ProfileId"] == answer["ProfileId"]


# -- aiobotocore ------------------------------------------------------------------------------


def test_aiobotocore_client_is_served_by_the_server(customer_profiles_server):
    aiobotocore_session = pytest.importorskip("aiobotocore.session")
    from aiobotocore.config import AioConfig

    customer_profiles_server.create_domain("shop")
    customer_profiles_server.throttle("GetDomain", times=1)

    async def main() -> tuple[str, str]:
        session = aiobotocore_session.get_session()
        async with session.create_client(
            "customer-profiles",
            endpoint_url=customer_profiles_server.endpoint_url,
            region_name=REGION,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
            config=AioConfig(retries={"total_max_attempts": 1}),
        ) as client:
            try:
                await client.get_domain(DomainName="shop")
            except ClientError as exc:
                code = exc.response["Error"]["Code"]
            out = await client.get_domain(DomainName="shop")
            return code, out["DomainName"]

    assert asyncio.run(main()) == ("ThrottlingException", "shop")


# -- an active handle leaves requests to a server of this process ---------------------------


def test_request_to_a_local_server_is_left_to_it_while_a_handle_is_active(
    customer_profiles_server,
):
    customer_profiles_server.create_domain("served")
    with mock_customer_profiles() as cp:
        cp.create_domain("in-process")
        to_server = client_for(customer_profiles_server)
        in_process = boto3.client("customer-profiles", region_name=REGION)
        assert [d["DomainName"] for d in to_server.list_domains()["Items"]] == ["served"]
        assert [d["DomainName"] for d in in_process.list_domains()["Items"]] == ["in-process"]
        localhost = customer_profiles_server.endpoint_url.replace("127.0.0.1", "localhost")
        by_name = boto3.client(
            "customer-profiles",
            endpoint_url=localhost,
            region_name=REGION,
            aws_access_key_id="AKIDEXAMPLE",
            aws_secret_access_key="secret",
        )
        assert [d["DomainName"] for d in by_name.list_domains()["Items"]] == ["served"]
        assert [c.operation for c in cp.calls] == ["ListDomains"]
    assert len(customer_profiles_server.calls) == 2


def test_a_stopped_server_endpoint_is_served_in_process_again():
    with CustomerProfilesServer() as server:
        url = server.endpoint_url
    with mock_customer_profiles() as cp:
        cp.create_domain("in-process")
        client = boto3.client("customer-profiles", endpoint_url=url, region_name=REGION)
        assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["in-process"]


# -- the command line, in a subprocess ---------------------------------------------------------


@pytest.fixture
def serve_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], ServerClient]]:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"domains": [{"DomainName": "shop"}]}))
    process = subprocess.Popen(
        [sys.executable, "-m", "customer_profiles_mock", "serve", "--port", "0"]
        + ["--region", "eu-west-2", "--account-id", "111122223333", "--data", str(seed)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        yield process, ServerClient(line.rstrip("\n"))
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=60)


def test_serve_command_prints_its_url_then_serves(serve_process):
    process, server = serve_process
    assert server.endpoint_url.startswith("http://127.0.0.1:")
    assert server.health() == {"status": "ok", "region": "eu-west-2", "account_id": "111122223333"}
    client = client_for(server, region_name="eu-west-2")
    assert [d["DomainName"] for d in client.list_domains()["Items"]] == ["shop"]
    server.throttle("ListDomains", times=1)
    with pytest.raises(ClientError) as excinfo:
        client.list_domains()
    assert error_of(excinfo)[:2] == ("ThrottlingException", 429)
    assert [(c.operation, c.status) for c in server.calls] == [
        ("ListDomains", 200),
        ("ListDomains", 429),
    ]
    assert server.calls[1].account_id == "111122223333"


def test_request_to_another_process_server_is_left_to_it_while_a_handle_is_active(
    serve_process,
):
    _, server = serve_process  # a ServerClient made here: its endpoint is known as a server
    with mock_customer_profiles(region="eu-west-2") as cp:
        cp.create_domain("in-process")
        to_server = client_for(server, region_name="eu-west-2")
        assert [d["DomainName"] for d in to_server.list_domains()["Items"]] == ["shop"]
        assert cp.calls == []
    assert [c.operation for c in server.calls] == ["ListDomains"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_command_stops_cleanly_on_signal(serve_process, signum):
    process, server = serve_process
    server.health()
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout == ""  # nothing after the URL line
    assert "Traceback" not in stderr


def test_serve_command_takes_allow_host_and_call_log_size():
    command = [sys.executable, "-m", "customer_profiles_mock", "serve", "--allow-host", "cpm"]
    process = subprocess.Popen(
        [*command, "--allow-host", "cpm.internal", "--call-log-size", "1"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        server = ServerClient(process.stdout.readline().strip())
        for host in ("cpm:4566", "cpm.internal"):
            status, _, got = raw(server, "GET", "/_cpm/health", headers={"Host": host})
            assert (status, got["status"]) == (200, "ok")
        status, _, got = raw(server, "GET", "/_cpm/health", headers={"Host": "other"})
        assert (status, got["Message"]) == (400, host_refused("other"))
        client = client_for(server)
        client.list_domains()
        client.list_domains()
        assert (len(server.calls), server.dropped_calls) == (1, 1)
    finally:
        process.terminate()
        process.communicate(timeout=60)


def test_serve_command_without_the_server_extra_says_how_to_install_it():
    script = (
        # as if the server extra (waitress) were not installed
        "import sys; sys.modules['waitress'] = None\n"
        "from customer_profiles_mock.__main__ import main\n"
        "raise SystemExit(main(['serve']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # 1, as demo without boto3; 2 is for a bad option
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "customer-profiles-mock serve: the server needs waitress, the server extra. Install it "
        "with pip install 'customer-profiles-mock[server]'.\n"
    )


@pytest.mark.parametrize(
    ("option", "value", "problem"),
    [
        ("--threads", "0", "must be a whole number of at least 1"),
        ("--threads", "many", "must be a whole number of at least 1"),
        ("--idle-timeout", "0", "must be a whole number of at least 1"),
        ("--call-log-size", "0", "must be a whole number of at least 1"),
        ("--port", "99999", "must be a whole number from 0 to 65535"),
        ("--port", "-5", "must be a whole number from 0 to 65535"),
        (
            "--host",
            "no such host",
            "must be a host name or IP address to listen on, without a port",
        ),
        (
            "--host",
            "localhost:80",
            "must be a host name or IP address to listen on, without a port",
        ),
        (
            "--allow-host",
            "cpm:80",
            "must be a host name or IP address without a port (any port is allowed), "
            "such as 'cpm.internal'",
        ),
    ],
)
def test_serve_command_names_the_option_it_refuses(option, value, problem):
    done = subprocess.run(
        [sys.executable, "-m", "customer_profiles_mock", "serve", option, value],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1] == (
        f"customer-profiles-mock serve: error: argument {option}: {problem}, got {value!r}"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"port": 99999},
            "port must be a whole number from 0 to 65535 (0: a free one), got 99999",
        ),
        (
            {"host": "127.0.0.1:8080"},
            "host must be a host name or IP address to listen on, without a port, got "
            "'127.0.0.1:8080'",
        ),
    ],
)
def test_server_refuses_an_address_it_cannot_listen_on(options, message):
    with pytest.raises(ValueError) as exc:
        CustomerProfilesServer(**options)
    assert str(exc.value) == message


def test_serve_command_quiet_logs_no_requests():
    command = [sys.executable, "-m", "customer_profiles_mock", "serve", "--quiet"]
    with subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        server = ServerClient(process.stdout.readline().strip())
        server.health()
        process.terminate()
        stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (0, "", "")


def test_serve_command_rejects_a_bad_region():
    done = subprocess.run(
        [sys.executable, "-m", "customer_profiles_mock", "serve", "--region", "mars"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert (
        done.stderr
        == "customer-profiles-mock serve: region must look like 'us-east-1', got 'mars'\n"
    )


def test_import_does_not_import_a_server():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, customer_profiles_mock\n"
         "assert not {'werkzeug', 'waitress'} & set(sys.modules)\nprint('ok')"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"


def test_server_client_refuses_an_endpoint_that_is_not_a_url() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        ServerClient("127.0.0.1:41231")
    assert str(info.value) == (
        "endpoint_url must be the server's URL, such as 'http://127.0.0.1:41231' (the first "
        "line `customer-profiles-mock serve` prints), got '127.0.0.1:41231'"
    )


def test_server_client_names_the_url_no_server_answers_at() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(MockStateError) as info:
        ServerClient(f"http://127.0.0.1:{port}").health()
    assert str(info.value).startswith(
        f"No customer-profiles-mock server answers at http://127.0.0.1:{port} ("
    )
    assert str(info.value).endswith(
        "Is `customer-profiles-mock serve` running there? (moto-server has no control API.)"
    )


def test_server_client_refuses_a_when_predicate(customer_profiles_server):
    with pytest.raises(InvalidArgumentError) as excinfo:
        customer_profiles_server.throttle("GetDomain", when=lambda params: True)
    assert str(excinfo.value) == (
        "throttle(): 'when' is a Python predicate and cannot be sent to a server; scope the "
        "fault with domain, region, account_id, probability, seed or after"
    )
    assert customer_profiles_server.faults == []
