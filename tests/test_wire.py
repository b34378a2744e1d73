"""rest-json wire layer: routing, request parsing, error envelope and HTTP transport fidelity."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.session
import pytest
from botocore.awsrequest import HeadersDict
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import create_parser
from botocore.serialize import create_serializer
from botocore.utils import percent_encode_sequence

import customer_profiles_mock
from customer_profiles_mock.core import operations as _operations
from customer_profiles_mock.service import Service
from customer_profiles_mock.transports import botocore_hooks as _botocore
from customer_profiles_mock.wire import codec as _wire
from customer_profiles_mock.wire import routing as _routing
from customer_profiles_mock.wire.http import HttpRequest

REGION = "us-east-1"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
OPERATIONS = sorted(MODEL.operation_names)
SERIALIZER = create_serializer("rest-json")
# A query value that needs %-encoding, so parsing must decode it exactly once.
QUERY_TEXT = "tok en/+=&é%"
MODELLED_ERRORS = {
    "BadRequestException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ThrottlingException": 429,
    "InternalServerException": 500,
}
# Response headers that a real HTTP stack legitimately adds or that differ per call.
TRANSPORT_HEADERS = {"date", "server", "connection", "keep-alive", "x-amzn-requestid"}


def label_value(name: str) -> str:
    """A URI label value with a space, '/', ':', '%' and non-ASCII, all sent %-encoded."""
    return f"my {name}/x:y%é"


def minimal_value(shape: Any, depth: int = 0) -> Any:
    """A value of ``shape`` with only required members filled in (a union gets its first)."""
    assert depth < 20, f"runaway recursion at {shape.name}"
    kind = shape.type_name
    if kind == "structure":
        names = list(shape.required_members)
        if shape.metadata.get("union") and not names:
            names = list(shape.members)[:1]
        return {n: minimal_value(shape.members[n], depth + 1) for n in names}
    if kind == "list":
        return [minimal_value(shape.member, depth + 1)]
    if kind == "map":
        return {"k": minimal_value(shape.value, depth + 1)}
    if kind == "string":
        return shape.enum[0] if shape.enum else "abc"
    if kind in ("integer", "long"):
        lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max", 1 << 31)
        return min(lo + 1, hi)
    if kind in ("double", "float"):
        return 0.5
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000  # an int epoch goes on the wire unchanged
    raise AssertionError(f"no minimal value for {shape.name} ({kind})")


def minimal_params(operation: str) -> dict[str, Any]:
    """Required members, plus every querystring member so that query parsing is exercised."""
    shape = MODEL.operation_model(operation).input_shape
    if shape is None:
        return {}
    params: dict[str, Any] = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        if location == "uri":
            params[name] = label_value(name)
        elif location == "querystring":
            if member.type_name == "list":
                params[name] = [QUERY_TEXT, "second"]
            elif member.type_name == "string":
                params[name] = QUERY_TEXT
            else:
                params[name] = minimal_value(member)
        elif name in shape.required_members:
            params[name] = minimal_value(member)
    return params


def serialize(operation: str, params: dict[str, Any]) -> tuple[str, str, str, Any, bytes]:
    """(method, raw path, raw query, headers, body) exactly as botocore would send them."""
    request = SERIALIZER.serialize_to_request(params, MODEL.operation_model(operation))
    query = percent_encode_sequence(request["query_string"]) if request["query_string"] else ""
    body = request["body"]
    if isinstance(body, str):
        body = body.encode()
    return request["method"], request["url_path"], query, request["headers"], body or b""


@pytest.mark.parametrize("operation", OPERATIONS)
def test_router_and_parse_request_round_trip_botocore_serialization(operation: str) -> None:
    params = minimal_params(operation)
    method, path, query, headers, body = serialize(operation, params)
    input_shape = MODEL.operation_model(operation).input_shape
    labels_sent = {
        member.serialization.get("name", name): params[name]
        for name, member in (input_shape.members.items() if input_shape else ())
        if member.serialization.get("location") == "uri"
    }
    if labels_sent:
        assert "%" in path  # the labels really were %-encoded on the way out

    route = _routing.router().match(method, path)

    assert route == (operation, labels_sent)
    assert _wire.parse_request(operation, route[1], query, body) == params


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/nope"),
        ("GET", "/domains/shop/no-such-thing"),
        ("GET", "/domains/a/b/c/d/e/f/g/h"),
        ("PATCH", "/domains"),
        ("GET", "/domains/shop/batch-get-profiles"),
        ("post", "/domains/shop/batch-get-profiles"),
        ("HEAD", "/domains/shop"),
    ],
)
def test_router_unknown_path_or_wrong_method_is_none(method: str, path: str) -> None:
    assert _routing.router().match(method, path) is None


def test_router_empty_label_does_not_route_to_another_operation() -> None:
    batch = _routing.router().match("POST", "/domains//batch-get-profiles")
    assert batch == ("BatchGetProfile", {"DomainName": ""})
    assert _routing.router().match("GET", "/domains/") == ("GetDomain", {"DomainName": ""})
    assert _routing.router().match("GET", "/domains//") is None


def test_handle_unknown_route_is_404_unknown_operation(cp: Any) -> None:
    service = cp.service

    status, headers, body = service.handle(HttpRequest("GET", "/nope"))

    assert status == 404
    assert headers["x-amzn-ErrorType"] == "UnknownOperationException"
    assert headers["x-amzn-RequestId"]
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Content-Length"]) == len(body)
    document = json.loads(body)
    assert list(document) == ["Message"]
    assert "GET" in document["Message"]
    assert "/nope" in document["Message"]


def test_unimplemented_operation_raises_unsupported_operation_error(
    client: Any, unserved: Any
) -> None:
    unserved("ListIntegrations")
    attempts: list[str] = []
    client.meta.events.register(
        "request-created.customer-profiles", lambda request, **kw: attempts.append(request.url)
    )
    implemented = ", ".join(sorted(_operations.OPERATIONS))

    with pytest.raises(customer_profiles_mock.UnsupportedOperationError) as excinfo:
        client.list_integrations(DomainName="d")

    error = excinfo.value
    assert isinstance(error, NotImplementedError)
    assert isinstance(error, customer_profiles_mock.CustomerProfilesMockError)
    assert not isinstance(error, (ClientError, BotoCoreError))
    assert error.operation == "ListIntegrations"
    assert str(error) == (
        "customer_profiles_mock: ListIntegrations is not implemented. "
        f"Implemented operations: {implemented}."
    )
    assert "ListIntegrations" not in implemented
    assert len(attempts) == 1  # raised once, not retried as if it were an HTTP failure


def test_unimplemented_operation_gets_no_http_response_from_handle(cp: Any, unserved: Any) -> None:
    unserved("ListIntegrations")
    service = cp.service
    with pytest.raises(customer_profiles_mock.UnsupportedOperationError):
        service.handle(HttpRequest("GET", "/domains/d/integrations"))


def test_modelled_errors_and_their_statuses_come_from_the_model() -> None:
    found: dict[str, int] = {}
    for name in OPERATIONS:
        for shape in MODEL.operation_model(name).error_shapes:
            found[shape.name] = shape.metadata["error"]["httpStatusCode"]
    assert found == MODELLED_ERRORS


@pytest.mark.parametrize(("code", "status"), sorted(MODELLED_ERRORS.items()))
def test_serialize_error_envelope(code: str, status: int) -> None:
    got_status, headers, body = _wire.serialize_error(code, "msg", "rid")

    assert got_status == status
    assert headers["x-amzn-ErrorType"] == code
    assert headers["x-amzn-RequestId"] == "rid"
    assert headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == str(len(body))
    assert json.loads(body) == {"Message": "msg"}
    # And botocore's own parser reads it back as that modelled error (a 5xx too).
    parsed = create_parser("rest-json").parse(
        {"status_code": got_status, "headers": HeadersDict(headers), "body": body},
        MODEL.operation_model("GetDomain").output_shape,
    )
    assert parsed["Error"] == {"Code": code, "Message": "msg"}
    assert parsed["ResponseMetadata"]["RequestId"] == "rid"


def test_missing_domain_is_modelled_404_through_boto3(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.get_domain(DomainName="nope")

    response = excinfo.value.response
    metadata = response["ResponseMetadata"]
    assert response["Error"] == {
        "Code": "ResourceNotFoundException",
        "Message": "Domain nope does not exist",
    }
    assert response["Message"] == "Domain nope does not exist"
    assert metadata["HTTPStatusCode"] == 404
    assert metadata["RequestId"]
    assert metadata["RequestId"] == metadata["HTTPHeaders"]["x-amzn-requestid"]
    assert metadata["HTTPHeaders"]["x-amzn-errortype"] == "ResourceNotFoundException"


# -- the same Service.handle over a real loopback HTTP server ------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    service: Service
    hits: list[str]

    def _answer(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.hits.append(f"{self.command} {url.path}")
        request = HttpRequest(self.command, url.path, url.query, dict(self.headers.items()), body)
        status, headers, out = self.service.handle(request)
        self.send_response_only(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_client(cp: Any) -> Iterator[tuple[Any, list[str]]]:
    """A boto3 client that reaches the active mock's Service only through real HTTP."""
    service = cp.service
    hits: list[str] = []
    handler = type("Handler", (_Handler,), {"service": service, "hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = boto3.session.Session().client(
            "customer-profiles",
            region_name=REGION,
            endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        # Take the in-process shortcut off this one client, so it really goes over HTTP:
        # its emitter counts as having the handlers, so they are never added to it.
        _botocore.register(client.meta.events, handlers=())
        yield client, hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def comparable(response: dict[str, Any], *drop: str) -> dict[str, Any]:
    """A parsed response without what legitimately differs between two calls/transports."""
    out = dict(response)
    metadata = dict(out.pop("ResponseMetadata"))
    ignored = TRANSPORT_HEADERS.union(drop)
    headers = {k: v for k, v in metadata.pop("HTTPHeaders").items() if k not in ignored}
    assert metadata.pop("RequestId")
    out["ResponseMetadata"] = {**metadata, "HTTPHeaders": headers}
    for key in ("CreatedAt", "LastUpdatedAt"):
        if key in out:
            out[key] = type(out[key])
    return out


def test_in_process_answers_equal_real_http_answers(
    cp: Any, client: Any, http_client: tuple[Any, list[str]]
) -> None:
    over_http, hits = http_client
    domain = {"DefaultExpirationDays": 30, "Tags": {"team": "crm"}}

    created_http = over_http.create_domain(DomainName="viahttp", **domain)
    created_local = client.create_domain(DomainName="inproc", **domain)
    created_http["DomainName"] = "inproc"
    # Two creates have two timestamps, whose JSON text (and so Content-Length) may differ.
    assert comparable(created_http, "content-length") == comparable(created_local, "content-length")
    assert created_http["CreatedAt"] == created_http["LastUpdatedAt"]

    profile_id = cp.create_profile("inproc", FirstName="Ann", EmailAddress="a@x.com")
    unknown = "0" * 32
    batch = {"DomainName": "inproc", "ProfileIds": [profile_id, unknown]}
    got_http = over_http.batch_get_profile(**batch)
    got_local = client.batch_get_profile(**batch)
    assert comparable(got_http) == comparable(got_local)
    assert [p["ProfileId"] for p in got_http["Profiles"]] == [profile_id]
    assert [e["ProfileId"] for e in got_http["Errors"]] == [unknown]

    errors = []
    for each in (over_http, client):
        with pytest.raises(each.exceptions.ResourceNotFoundException) as excinfo:
            each.get_domain(DomainName="nope")
        errors.append(comparable(excinfo.value.response))
    assert errors[0] == errors[1]
    assert errors[0]["Error"]["Message"] == "Domain nope does not exist"

    assert hits == [
        "POST /domains/viahttp",
        "POST /domains/inproc/batch-get-profiles",
        "GET /domains/nope",
    ]
    assert sorted(cp.domains()) == ["inproc", "viahttp"]


@pytest.mark.parametrize(
    "value",
    ["attempt=\u00b2", "attempt=" + "9" * 4300, "attempt=-1", "attempt=", "garbage", "attempt=1x"],
)
def test_malformed_sdk_request_header_is_answered_and_logged_without_attempt(
    cp: Any, value: str
) -> None:
    request = HttpRequest(
        "POST",
        "/domains/shop",
        headers={"amz-sdk-request": value},
        body=b'{"DefaultExpirationDays": 1}',
    )

    status, _, _ = cp.service.handle(request)

    assert status == 200
    assert cp.domains() == ["shop"]
    assert [(c.operation, c.status, c.attempt) for c in cp.calls] == [("CreateDomain", 200, None)]


def test_sdk_request_header_gives_the_attempt_number(cp: Any) -> None:
    request = HttpRequest("GET", "/domains", headers={"amz-sdk-request": "ttl=1; attempt=3; max=5"})
    cp.service.handle(request)
    assert cp.calls[0].attempt == 3
