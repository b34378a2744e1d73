"""Raw ``requests`` calls to customer-profiles, served through ``responses``, beside a user's
own ``responses`` mocks and moto's."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto import mock_aws
from requests.adapters import HTTPAdapter

from customer_profiles_mock import CustomerProfilesMock, mock_customer_profiles

REGION = "us-east-1"
URL = f"https://profile.{REGION}.amazonaws.com"
CREDENTIALS = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
OTHER_BODY = b"hello from the other server"
# What requests and responses are before any mock starts (the plugin starts none at import).
ORIGINALS = {
    "HTTPAdapter.send": HTTPAdapter.send,
    "RequestsMock._on_request": responses.RequestsMock._on_request,
    "RequestsMock.start": responses.RequestsMock.start,
    "RequestsMock.stop": responses.RequestsMock.stop,
    "responses.start": responses.start,
    "responses.stop": responses.stop,
}


def current() -> dict[str, Any]:
    return {
        "HTTPAdapter.send": HTTPAdapter.send,
        "RequestsMock._on_request": responses.RequestsMock._on_request,
        "RequestsMock.start": responses.RequestsMock.start,
        "RequestsMock.stop": responses.RequestsMock.stop,
        "responses.start": responses.start,
        "responses.stop": responses.stop,
    }


@pytest.fixture
def other_url() -> Iterator[str]:
    """A local HTTP server standing for every URL that is not customer-profiles."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(OTHER_BODY)))
            self.end_headers()
            self.wfile.write(OTHER_BODY)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/other"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def batch_get(ids: list[str], *, region: str = REGION, signed: bool = True) -> requests.Response:
    """POST batch-get-profiles for domain 'shop', signed with SigV4 for ``region``."""
    url = f"https://profile.{region}.amazonaws.com/domains/shop/batch-get-profiles"
    body = json.dumps({"ProfileIds": ids})
    headers = {"Content-Type": "application/json"}
    if signed:
        request = AWSRequest(method="POST", url=url, data=body, headers=headers)
        SigV4Auth(CREDENTIALS, "profile", region).add_auth(request)
        headers = dict(request.headers.items())
    return requests.post(url, data=body, headers=headers, timeout=5)


def seed(cp: CustomerProfilesMock, region: str = REGION) -> str:
    cp.create_domain("shop", region=region)
    return cp.create_profile("shop", region=region, FirstName="Ann")


def assert_ann(response: requests.Response, profile_id: str) -> None:
    assert response.status_code == 200
    out = response.json()
    assert out["Errors"] == []
    assert [(p["ProfileId"], p["FirstName"]) for p in out["Profiles"]] == [(profile_id, "Ann")]


# -- served -------------------------------------------------------------------------


def test_signed_batch_get_profiles_is_answered_from_seeded_state(cp):
    profile_id = seed(cp)
    response = batch_get([profile_id])
    assert_ann(response, profile_id)
    assert response.headers["Content-Type"] == "application/json"
    (call,) = cp.calls
    assert call.operation == "BatchGetProfile"
    assert call.params == {"DomainName": "shop", "ProfileIds": [profile_id]}
    assert call.region == REGION
    assert call.status == 200
    assert call.request_id == response.headers["x-amzn-RequestId"]


def test_signed_request_region_is_the_signature_scope(cp):
    profile_id = seed(cp, region="eu-west-1")
    url = f"{URL}/domains/shop/batch-get-profiles"  # the host names us-east-1
    body = json.dumps({"ProfileIds": [profile_id]})
    request = AWSRequest(method="POST", url=url, data=body)
    SigV4Auth(CREDENTIALS, "profile", "eu-west-1").add_auth(request)
    response = requests.post(url, data=body, headers=dict(request.headers.items()), timeout=5)
    assert_ann(response, profile_id)
    assert [c.region for c in cp.calls] == ["eu-west-1"]


def test_unsigned_request_region_is_the_host(cp):
    profile_id = seed(cp, region="eu-west-1")
    assert_ann(batch_get([profile_id], region="eu-west-1", signed=False), profile_id)
    assert [c.region for c in cp.calls] == ["eu-west-1"]


def test_plain_http_and_get_are_served(cp):
    cp.create_domain("shop")
    response = requests.get(f"http://profile.{REGION}.amazonaws.com/domains/shop", timeout=5)
    assert response.status_code == 200
    assert response.json()["DomainName"] == "shop"
    assert [c.operation for c in cp.calls] == ["GetDomain"]


def test_unknown_domain_is_the_modelled_error(cp):
    response = requests.get(f"{URL}/domains/nope", timeout=5)
    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.json() == {"Message": "Domain nope does not exist"}


def test_throttle_fault_answers_429_json(cp):
    profile_id = seed(cp)
    fault = cp.throttle("BatchGetProfile", times=1)
    response = batch_get([profile_id])
    assert response.status_code == 429
    assert response.headers["x-amzn-ErrorType"] == "ThrottlingException"
    assert response.json() == {"Message": "Rate exceeded"}
    assert_ann(batch_get([profile_id]), profile_id)  # requests does not retry; we do
    calls = cp.calls_for("BatchGetProfile")
    assert [(c.status, c.error_code, c.fault) for c in calls] == [
        (429, "ThrottlingException", fault),
        (200, None, None),
    ]
    assert fault.triggered == 1


def test_delay_fault_is_waited_out(cp):
    profile_id = seed(cp)
    fault = cp.delay(0.05, "BatchGetProfile", times=1)
    assert_ann(batch_get([profile_id]), profile_id)
    (call,) = cp.calls
    assert call.delay == 0.05
    assert call.fault is fault


def test_botocore_and_requests_share_one_state_and_call_log(cp, client):
    client.create_domain(DomainName="shop", DefaultExpirationDays=1)
    profile_id = client.create_profile(DomainName="shop", FirstName="Ann")["ProfileId"]
    assert_ann(batch_get([profile_id]), profile_id)
    assert [c.operation for c in cp.calls] == ["CreateDomain", "CreateProfile", "BatchGetProfile"]


# -- everything else passes through ----------------------------------------------------


def test_other_urls_pass_through_untouched(cp, other_url):
    response = requests.get(other_url, timeout=5)
    assert response.status_code == 200
    assert response.content == OTHER_BODY
    assert cp.calls == []


def test_not_intercepted_while_no_mock_is_active():
    assert current() == ORIGINALS
    with responses.RequestsMock() as rsps:
        with pytest.raises(requests.ConnectionError) as exc:
            requests.get(f"{URL}/domains/shop", timeout=0.1)  # refused by responses, not sent
        assert str(exc.value).startswith("Connection refused by Responses")
        assert [c.request.url for c in rsps.calls] == [f"{URL}/domains/shop"]


def test_nothing_is_patched_after_stop(other_url):
    with mock_customer_profiles():
        assert HTTPAdapter.send is not ORIGINALS["HTTPAdapter.send"]
        requests.get(other_url, timeout=5)
    assert current() == ORIGINALS


LAZY_IMPORT = """
import sys

import customer_profiles_mock

assert [m for m in ("requests", "responses", "moto", "pytest") if m in sys.modules] == []
hooks = len(sys.meta_path)
with customer_profiles_mock.mock_customer_profiles() as cp:
    assert "requests" not in sys.modules and "responses" not in sys.modules
    cp.create_domain("shop")
    import requests  # first imported while the mock is active

    url = "https://profile.us-east-1.amazonaws.com/domains/shop"
    print(requests.get(url, timeout=5).json()["DomainName"])
import responses
from requests.adapters import HTTPAdapter

print(HTTPAdapter.send is responses._real_send, len(sys.meta_path) == hooks)
"""


def test_requests_first_imported_while_active_is_served():
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LAZY_IMPORT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout == "shop\nTrue True\n"


WITHOUT_RESPONSES = """
import sys

sys.modules["responses"] = None  # as if the requests extra were not installed
import requests
from requests.adapters import HTTPAdapter

import customer_profiles_mock

send = HTTPAdapter.send
with customer_profiles_mock.mock_customer_profiles():
    try:
        requests.get("https://profile.us-east-1.amazonaws.com/domains/shop", timeout=5)
    except requests.ConnectionError as exc:
        print(exc)
print(HTTPAdapter.send is send)
"""


def test_without_responses_customer_profiles_requests_are_refused():
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(WITHOUT_RESPONSES)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout == (
        "customer_profiles_mock: a requests call to customer-profiles while a mock is active "
        "is served through 'responses', which is not installed "
        "(pip install 'customer-profiles-mock[requests]'): "
        "GET https://profile.us-east-1.amazonaws.com/domains/shop\nTrue\n"
    )


# -- a user's own responses mocks ---------------------------------------------------------


def test_user_mock_outside_ours_keeps_answering(other_url):
    with responses.RequestsMock() as rsps:
        rsps.get(other_url, body=b"canned by the user")
        with mock_customer_profiles() as cp:
            cp.create_domain("shop")
            assert requests.get(other_url, timeout=5).content == b"canned by the user"
            assert requests.get(f"{URL}/domains/shop", timeout=5).json()["DomainName"] == "shop"
        assert len(rsps.calls) == 1
        assert requests.get(other_url, timeout=5).content == b"canned by the user"
    assert current() == ORIGINALS


def test_user_mock_inside_ours_answers_its_urls_and_we_answer_profile(other_url):
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        with responses.RequestsMock() as rsps:
            rsps.get(other_url, body=b"canned by the user")
            assert requests.get(other_url, timeout=5).content == b"canned by the user"
            assert requests.get(f"{URL}/domains/shop", timeout=5).json()["DomainName"] == "shop"
            assert len(rsps.calls) == 1
        assert requests.get(other_url, timeout=5).content == OTHER_BODY
        assert [c.operation for c in cp.calls] == ["GetDomain"]
    assert current() == ORIGINALS


def test_active_handle_wins_over_a_user_mock_registration_for_profile():
    with mock_customer_profiles() as cp, responses.RequestsMock() as rsps:
        cp.create_domain("shop")
        rsps.get(f"{URL}/domains/shop", json={"DomainName": "canned"})
        assert requests.get(f"{URL}/domains/shop", timeout=5).json()["DomainName"] == "shop"
        assert [c.operation for c in cp.calls] == ["GetDomain"]
        rsps.reset()  # its registration was never used


def test_responses_activate_inside_ours(other_url):
    @responses.activate
    def code_under_test() -> tuple[bytes, int]:
        responses.get(other_url, body=b"activated")
        other = requests.get(other_url, timeout=5).content
        return other, requests.get(f"{URL}/domains/shop", timeout=5).status_code

    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        assert code_under_test() == (b"activated", 200)
    assert current() == ORIGINALS


def test_responses_start_and_stop_functions_inside_ours(other_url):
    with mock_customer_profiles() as cp:
        cp.create_domain("shop")
        responses.start()
        try:
            responses.get(other_url, body=b"started")
            assert requests.get(other_url, timeout=5).content == b"started"
            assert requests.get(f"{URL}/domains/shop", timeout=5).status_code == 200
        finally:
            responses.stop()
            responses.reset()
    assert current() == ORIGINALS


def test_ours_stopped_before_an_inner_user_mock(other_url):
    cp = mock_customer_profiles().start()
    user = responses.RequestsMock()
    user.start()
    user.get(other_url, body=b"canned by the user")
    cp.stop()
    assert requests.get(other_url, timeout=5).content == b"canned by the user"
    with pytest.raises(requests.ConnectionError):  # no longer ours: the user's mock refuses
        requests.get(f"{URL}/domains/shop", timeout=0.1)
    user.stop()
    assert current() == ORIGINALS
    assert requests.get(other_url, timeout=5).content == OTHER_BODY


def test_outer_user_mock_stopped_before_ours(other_url):
    user = responses.RequestsMock()
    user.start()
    user.get(other_url, body=b"canned by the user")
    cp = mock_customer_profiles().start()
    cp.create_domain("shop")
    assert requests.get(other_url, timeout=5).content == b"canned by the user"
    user.stop()
    assert requests.get(other_url, timeout=5).content == OTHER_BODY  # the user's mock is gone
    assert requests.get(f"{URL}/domains/shop", timeout=5).status_code == 200  # we are not
    cp.stop()
    assert current() == ORIGINALS


def test_nested_handles_keep_one_patch(cp, other_url):
    send = HTTPAdapter.send
    with mock_customer_profiles() as inner:
        assert HTTPAdapter.send is send
        inner.create_domain("inner")
        assert requests.get(f"{URL}/domains/inner", timeout=5).status_code == 200
    assert HTTPAdapter.send is send
    assert requests.get(other_url, timeout=5).content == OTHER_BODY


# -- moto's mock_aws --------------------------------------------------------------------


@pytest.mark.parametrize("order", ["moto_outside", "moto_inside"])
def test_with_mock_aws_each_request_is_executed_once(order, other_url):
    moto = mock_aws()
    cp = mock_customer_profiles()
    first, second = (moto, cp) if order == "moto_outside" else (cp, moto)
    first.start()
    second.start()
    try:
        profile_id = seed(cp)
        fault = cp.throttle("BatchGetProfile", times=1)
        assert batch_get([profile_id]).status_code == 429
        assert_ann(batch_get([profile_id]), profile_id)
        assert [c.status for c in cp.calls_for("BatchGetProfile")] == [429, 200]
        assert fault.triggered == 1
        assert requests.get(other_url, timeout=5).content == OTHER_BODY
    finally:
        second.stop()
        first.stop()
    assert current() == ORIGINALS


@pytest.mark.parametrize("order", ["moto_outside", "moto_inside"])
def test_with_mock_aws_stopped_out_of_order(order):
    moto = mock_aws()
    cp = mock_customer_profiles()
    first, second = (moto, cp) if order == "moto_outside" else (cp, moto)
    first.start()
    second.start()
    cp.create_domain("shop")
    first.stop()
    if first is moto:
        assert requests.get(f"{URL}/domains/shop", timeout=5).status_code == 200
    second.stop()
    assert current() == ORIGINALS
