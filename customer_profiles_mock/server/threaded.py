"""``CustomerProfilesServer``: a server in a thread of this process, with the client's methods.

waitress (``serving.py``) is imported only when it starts."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE
from customer_profiles_mock.exceptions import (
    CustomerProfilesMockError,
    InvalidArgumentError,
    MockStateError,
    kind_of,
)
from customer_profiles_mock.runtime import loopback as _loopback
from customer_profiles_mock.server.app import App, Backend
from customer_profiles_mock.server.client import DEFAULT_HOST, ServerClient
from customer_profiles_mock.server.guard import allowed_hosts_of
from customer_profiles_mock.server.serving import IDLE_TIMEOUT, THREADS, Server, make_server


class CustomerProfilesServer(ServerClient):
    """A server in a thread of this process, with the client's methods.

    ``with CustomerProfilesServer() as server:`` (or ``start()`` / ``stop()``); give
    clients ``server.endpoint_url``. It listens on 127.0.0.1 and a free port unless told
    otherwise. While it runs, a botocore client of this process pointed at it is served
    by it even when a handle is active here.
    """

    def __init__(
        self,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        region: str | None = None,
        account_id: str | None = None,
        data: Mapping[str, Any] | str | os.PathLike[str] | None = None,
        log_requests: bool = False,
        threads: int = THREADS,
        idle_timeout: int = IDLE_TIMEOUT,
        allowed_hosts: Iterable[str] = (),
        call_log_size: int | None = DEFAULT_CALL_LOG_SIZE,
    ) -> None:
        self._connect(None, timeout=60.0)  # the endpoint is known once it listens
        self.host = check_host(host)
        # Names a Host header may carry besides localhost, any IP address and ``host``
        # ("*": any), and pages' origins besides local ones (server/guard.py).
        self.allowed_hosts = allowed_hosts_of(allowed_hosts)
        self.port = check_port(port)
        self.backend = Backend(region, account_id, call_log_size)
        if data is not None:
            self.backend.handle.load(data)
        self.backend.keep_as_initial()
        self.region = self.backend.region
        self.account_id = self.backend.account_id
        self._log_requests = log_requests
        self._threads = check_positive("threads", threads)
        self._idle_timeout = check_positive("idle_timeout", idle_timeout)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._names: frozenset[str] = frozenset()

    def bind(self) -> CustomerProfilesServer:
        """Listen (without serving yet): ``endpoint_url`` is known from here on."""
        if self._server is not None:
            raise MockStateError("customer_profiles_mock: the server is already started")
        bound = (self.host,) if self.host else ()  # "" (every address) is no name
        self._server = make_server(
            self.host,
            self.port,
            App(self.backend, allowed_hosts=(*self.allowed_hosts, *bound)),
            threads=self._threads,
            idle_timeout=self._idle_timeout,
            log_requests=self._log_requests,
        )
        self.port = self._server.port
        self._endpoint_url = endpoint_url(self.host, self.port)
        self._names = _loopback.names_for(self.host, self.port)
        _loopback.add(self._names)
        return self

    def start(self) -> CustomerProfilesServer:
        """Listen and serve in a daemon thread."""
        server = self.bind()._server
        assert server is not None
        self._thread = threading.Thread(
            target=server.run,
            name=f"customer-profiles-mock {self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until ``stop()`` from another (or KeyboardInterrupt)."""
        server = self._server or self.bind()._server
        assert server is not None
        server.run()

    def stop(self) -> None:
        """Stop serving and close the socket; stopping twice is harmless."""
        server, self._server = self._server, None
        if server is None:
            return
        _loopback.discard(self._names)
        server.stop()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._endpoint_url = None

    def __enter__(self) -> CustomerProfilesServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def endpoint_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def check_port(port: object) -> int:
    """``port`` if a server can listen on it (0: a free one), else an error saying so."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise InvalidArgumentError(
            f"port must be a whole number from 0 to 65535 (0: a free one), got {port!r}"
        )
    return port


def check_host(host: object) -> str:
    """``host`` if it is a name or an address to listen on (no port), else an error."""
    if not isinstance(host, str):
        raise InvalidArgumentError(f"host must be a host name or IP address, got {kind_of(host)}")
    try:
        allowed_hosts_of([host])
    except CustomerProfilesMockError:
        raise InvalidArgumentError(
            f"host must be a host name or IP address to listen on, without a port, got {host!r}"
        ) from None
    return host


def check_positive(name: str, value: object) -> int:
    """``value`` if it is a whole number of at least 1, else an error that names ``name``."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be a whole number of at least 1, got {value!r}")
    return value
