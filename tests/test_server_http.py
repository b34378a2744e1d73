"""The server at the HTTP level: hostile and slow clients over raw sockets, keep-alive, limits.

What a client can do to the socket, not what it asks of the API: a chunked body that
declares more than the limit and stops (which killed the werkzeug server with
SIGSEGV), idle connections (which each held a thread for ever), malformed chunk
headers (a 500), request lines a JSON error template cannot quote, keep-alive and
``Expect: 100-continue``. The crash is tried on ``serve`` in a process of its own, so
that a regression fails this test and does not take the suite down with it.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customer_profiles_mock.server.app import MAX_BODY_BYTES, App, Backend, _NotFound
from customer_profiles_mock.server.threaded import CustomerProfilesServer

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server() -> Iterator[CustomerProfilesServer]:
    """A server of this module's own, with a short idle timeout and two worker threads."""
    with CustomerProfilesServer(idle_timeout=1, threads=2) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset(server: CustomerProfilesServer) -> None:
    server.reset()


def connect(server: CustomerProfilesServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=30)


def read_to_close(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a timeout fails the test)."""
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


def responses(data: bytes) -> list[tuple[bytes, dict[str, str], bytes]]:
    """The answers in ``data``, each as (status line, headers by lower-case name, body)."""
    out = []
    while data:
        head, _, data = data.partition(b"\r\n\r\n")
        status, *lines = head.split(b"\r\n")
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.decode("latin-1").partition(":")
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
        length = int(headers.get("content-length", "0"))
        out.append((status, headers, data[:length]))
        data = data[length:]
    return out


def client(server: CustomerProfilesServer) -> Any:
    return boto3.client(
        "customer-profiles",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


# -- the crash ------------------------------------------------------------------------


def test_chunk_declared_past_the_limit_then_abandoned_leaves_serve_running():
    with subprocess.Popen(
        [sys.executable, "-m", "customer_profiles_mock", "serve", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ},
    ) as proc:
        try:
            assert proc.stdout is not None
            host, port = proc.stdout.readline().strip().removeprefix("http://").split(":")
            with socket.create_connection((host, int(port)), timeout=30) as sock:
                sock.sendall(
                    b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + f"{MAX_BODY_BYTES + 1:x}\r\n".encode()
                    + b"{" * 1000
                )
                sock.shutdown(socket.SHUT_WR)  # and then nothing more: the client stops
                # werkzeug's dechunking counted bytes that never came and wrote past its
                # buffer: it answered 413 for these 1,000 bytes, or died of SIGSEGV.
                assert read_to_close(sock) == b""
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("GET", "/_cpm/health")
            response = connection.getresponse()
            assert (response.status, json.loads(response.read())["status"]) == (200, "ok")
            connection.close()
            assert proc.poll() is None
        finally:
            proc.terminate()
            proc.wait(30)
    assert proc.returncode == 0  # stopped by SIGTERM, not killed by a signal


def test_chunked_body_past_the_limit_is_a_413_that_closes(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"x" * (1024 * 1024)
        with contextlib.suppress(ConnectionError):  # it may hang up before the last piece
            for _ in range(11):
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        ((status, headers, body),) = responses(read_to_close(sock))
    assert status.endswith(b" 413 Request Entity Too Large")
    assert headers["x-amzn-errortype"] == "RequestEntityTooLargeException"
    assert headers["connection"] == "close"
    assert json.loads(body) == {
        "Message": "The request body (10,485,761 bytes or more) is over the server's limit "
        "of 10,485,760 bytes"
    }


def test_malformed_chunk_header_is_a_json_400(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"
        )
        ((status, headers, body),) = responses(read_to_close(sock))
    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["x-amzn-errortype"] == "BadRequestException"
    assert json.loads(body) == {"Message": "Bad Request: Invalid chunk size"}


def test_headers_past_the_limit_are_a_json_431(server):
    with connect(server) as sock:
        sock.sendall(b"GET /domains HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + b"a" * 300_000)
        sock.sendall(b"\r\n\r\n")
        ((status, headers, body),) = responses(read_to_close(sock))
    assert status.endswith(b" 431 Request Header Fields Too Large")
    assert headers["x-amzn-errortype"] == "RequestHeaderFieldsTooLargeException"
    assert json.loads(body) == {
        "Message": "The request's headers are over the server's limit of 262,144 bytes"
    }


def test_unknown_transfer_encoding_is_a_json_400(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n{}"
        )
        ((status, headers, body),) = responses(read_to_close(sock))
    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["x-amzn-errortype"] == "BadRequestException"
    assert json.loads(body) == {
        "Message": "Not Implemented: Transfer-Encoding requested is not supported."
    }


@pytest.mark.parametrize(
    "target",
    [b'/"quoted"', b"/a\x01b", b"/%ZZ\xff\xfe", b'/\\"}{'],
    ids=["quote", "control", "binary", "json-breaking"],
)
def test_error_for_any_request_line_is_valid_json(server, target):
    with connect(server) as sock:
        request = b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        sock.sendall(request + b"\r\n")
        ((status, headers, body),) = responses(read_to_close(sock))
    assert status.startswith(b"HTTP/1.1 4")
    assert headers["content-type"] == "application/json"
    assert isinstance(json.loads(body)["Message"], str)


# -- connections -------------------------------------------------------------------------


def test_connection_is_kept_alive_across_calls(server):
    server.create_domain("shop")
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    try:
        for _ in range(3):
            connection.request("GET", "/domains/shop")
            response = connection.getresponse()
            assert (response.status, response.getheader("Connection")) == (200, None)
            assert json.loads(response.read())["DomainName"] == "shop"
        local_port = connection.sock.getsockname()[1]
        connection.request("GET", "/domains/shop")
        connection.getresponse().read()
        assert connection.sock.getsockname()[1] == local_port  # the same connection
    finally:
        connection.close()


def test_idle_connection_is_closed_after_the_idle_timeout(server):
    with connect(server) as sock:
        assert read_to_close(sock) == b""  # closed by the server (idle_timeout=1)


def test_idle_connections_do_not_hold_the_worker_threads(server):
    server.create_domain("shop")
    idle = [connect(server) for _ in range(20)]  # ten times the server's two threads
    for sock in idle[::2]:  # half of them slow clients, in the middle of a request
        sock.sendall(b"POST /domains/shop HTTP/1.1\r\nContent-Length: 10\r\n\r\n{")
    try:
        answer = client(server).get_domain(DomainName="shop")
        assert answer["DomainName"] == "shop"
    finally:
        for sock in idle:
            sock.close()


def test_expect_100_continue_gets_one_interim_answer(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nConnection: close\r\nContent-Length: 28\r\n\r\n"
            b'{"DefaultExpirationDays": 3}'
        )
        data = read_to_close(sock)
    assert data.count(b"100 Continue") == 1
    interim, (status, _, body) = responses(data)
    assert interim[0] == b"HTTP/1.1 100 Continue"
    assert status == b"HTTP/1.1 200 OK"
    assert json.loads(body)["DomainName"] == "shop"


def test_answer_has_one_date_header(server):
    with connect(server) as sock:
        sock.sendall(b"GET /domains HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = read_to_close(sock)
    assert data.lower().count(b"\r\ndate: ") == 1


def test_oversized_content_length_is_a_413_that_closes(server):
    with connect(server) as sock:
        sock.sendall(
            b"POST /domains/shop HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode()
        )
        ((status, headers, body),) = responses(read_to_close(sock))  # closed, not waiting
    assert status.endswith(b" 413 Request Entity Too Large")
    assert headers["connection"] == "close"
    assert json.loads(body)["Message"].startswith("The request body (10,485,761 bytes")


def test_body_at_the_limit_is_read(server):
    body = b'{"DefaultExpirationDays": 3, "Tags": {"pad": "' + b"x" * 10 + b'"}}'
    body = body.ljust(MAX_BODY_BYTES, b" ")
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request("POST", "/domains/shop", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert (response.status, json.loads(response.read())["DomainName"]) == (200, "shop")
    finally:
        connection.close()


# -- the fuzz ----------------------------------------------------------------------------

_TOKEN = st.sampled_from([b"GET", b"POST", b"PUT", b"DELETE", b"PATCH", b"PRI", b"G\x00T", b""])
_TARGET = st.one_of(
    st.sampled_from([b"/domains", b"/domains/shop", b"/_cpm/health", b"/_cpm/reset", b"*"]),
    st.binary(max_size=40),
)
_VERSION = st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/9", b"", b"http/1.1"])
_HEADER = st.one_of(
    st.tuples(
        st.sampled_from(
            [b"Content-Length", b"Transfer-Encoding", b"Expect", b"Connection", b"Host"]
        ),
        st.one_of(
            st.sampled_from([b"chunked", b"0", b"-1", b"99999999999", b"100-continue", b"close"]),
            st.binary(max_size=12),
        ),
    ),
    st.tuples(st.binary(max_size=12), st.binary(max_size=12)),
)


@st.composite
def raw_requests(draw: st.DrawFn) -> bytes:
    line = b" ".join([draw(_TOKEN), draw(_TARGET), draw(_VERSION)])
    headers = b"".join(
        name + b": " + value + b"\r\n" for name, value in draw(st.lists(_HEADER, max_size=5))
    )
    body = draw(
        st.one_of(
            st.binary(max_size=64),
            st.sampled_from([b"0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\n", b"{}"]),
            st.just(b"{" * 2000),
        )
    )
    return line + b"\r\n" + headers + b"\r\n" + body


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=raw_requests(), split=st.integers(min_value=0, max_value=64))
def test_raw_socket_input_never_crashes_or_answers_5xx_or_non_json(server, request, split):
    with connect(server) as sock:
        sock.settimeout(10)
        with contextlib.suppress(OSError):  # it may have hung up after an error
            sock.sendall(request[:split])  # a slow client: the request in two pieces
            sock.sendall(request[split:])
            sock.shutdown(socket.SHUT_WR)  # no more: the server answers or hangs up
        data = read_to_close(sock)
    for status, headers, body in responses(data):
        assert status.startswith(b"HTTP/1."), data
        code = int(status.split()[1])
        assert code < 500, data
        if body:
            assert headers["content-type"] == "application/json", data
            json.loads(body)
    health = http.client.HTTPConnection(server.host, server.port, timeout=30)
    health.request("GET", "/_cpm/health")
    assert health.getresponse().status == 200
    health.close()


# -- races ---------------------------------------------------------------------------------


def test_fault_routes_answer_while_other_threads_add_faults_and_reset():
    backend = Backend("us-east-1")
    errors: list[BaseException] = []

    def run(work: Callable[[int], object]) -> Callable[[], None]:
        def loop() -> None:
            for n in range(2500):
                try:
                    work(n)
                except _NotFound:  # a 404: the fault was dropped by a reset
                    pass
                except BaseException as exc:  # a 500 over HTTP
                    errors.append(exc)

        return loop

    def write(n: int) -> None:
        backend.add_fault({"kind": "throttle", "operation": "GetDomain"})
        backend.reset()

    def read(n: int) -> None:
        for fault in backend.faults():  # faults in force, which a reset may drop meanwhile
            backend.fault(fault["id"])
            backend.remove_fault(fault["id"])
        backend.calls("")

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: widen every window
    try:
        threads = [threading.Thread(target=run(w)) for w in (write, write, read, read, read)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []


# -- the App under another WSGI server -------------------------------------------------------


def call_app(environ_extra: dict[str, Any], body: bytes) -> tuple[str, Any]:
    """The App called as any WSGI server would: status line and parsed JSON body."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/domains/shop",
        "QUERY_STRING": "",
        "HTTP_HOST": "localhost",
        "CONTENT_TYPE": "application/json",
        "wsgi.input": io.BytesIO(body),
        **environ_extra,
    }
    started: list[str] = []
    out = App(Backend("us-east-1"))(environ, lambda status, headers: started.append(status))
    return started[0], json.loads(b"".join(out))


def test_app_reads_a_chunked_stream_with_no_length():
    status, body = call_app({"wsgi.input_terminated": True}, b'{"DefaultExpirationDays": 3}')
    assert (status, body["DomainName"]) == ("200 OK", "shop")


def test_app_refuses_a_chunked_stream_past_the_limit_unread():
    status, body = call_app({"wsgi.input_terminated": True}, b" " * (MAX_BODY_BYTES + 2))
    assert status == f"413 {http.client.responses[413]}"  # its name moved in Python 3.13
    assert body["Message"].startswith("The request body (10,485,761 bytes or more)")


@pytest.mark.parametrize(
    ("length", "status", "message"),
    [
        (
            str(MAX_BODY_BYTES + 1),
            f"413 {http.client.responses[413]}",
            "The request body (10,485,761 bytes or more) is over the server's limit of "
            "10,485,760 bytes",
        ),
        ("ten", "400 Bad Request", "Content-Length must be a number of bytes, got 'ten'"),
    ],
)
def test_app_checks_the_content_length(length, status, message):
    assert call_app({"CONTENT_LENGTH": length}, b"{}") == (status, {"Message": message})


def test_stopping_right_after_an_answer_leaves_no_worker_error(caplog):
    # A worker that has answered wakes waitress's loop through its trigger, and the
    # thunk that ends the loop may run before the pull that queued it writes to the
    # trigger: the stop closed the trigger first, and a write met a closed descriptor
    # (EBADF, logged by waitress or raised by the stop), or whatever reused its number.
    for _ in range(300):
        with CustomerProfilesServer() as stopping:
            connection = http.client.HTTPConnection(stopping.host, stopping.port, timeout=30)
            connection.request("GET", "/_cpm/health")
            connection.getresponse().read()
            connection.close()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
