"""``CustomerProfilesServer``: a server in a thread of this process.

It has the client's
methods; werkzeug is imported only when it starts."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from customer_profiles_mock.exceptions import (
    MockStateError,
)
from customer_profiles_mock.runtime import loopback as _loopback
from customer_profiles_mock.server.app import App, Backend
from customer_profiles_mock.server.client import DEFAULT_HOST, ServerClient


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
    ) -> None:
        self._connect(None, timeout=60.0)  # the endpoint is known once it listens
        self.host = host
        self.port = port
        self.backend = Backend(region, account_id)
        if data is not None:
            self.backend.handle.load(data)
        self.backend.keep_as_initial()
        self.region = self.backend.region
        self.account_id = self.backend.account_id
        self._log_requests = log_requests
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._names: frozenset[str] = frozenset()

    def bind(self) -> CustomerProfilesServer:
        """Listen (without serving yet): ``endpoint_url`` is known from here on."""
        if self._server is not None:
            raise MockStateError("customer_profiles_mock: the server is already started")
        self._server = make_server(self.host, self.port, App(self.backend), self._log_requests)
        self.port = int(self._server.server_port)
        self._endpoint_url = endpoint_url(self.host, self.port)
        self._names = _loopback.names_for(self.host, self.port)
        _loopback.add(self._names)
        return self

    def start(self) -> CustomerProfilesServer:
        """Listen and serve in a daemon thread."""
        self.bind()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            name=f"customer-profiles-mock {self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until ``stop()`` from another (or KeyboardInterrupt)."""
        if self._server is None:
            self.bind()
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the socket; stopping twice is harmless."""
        server, self._server = self._server, None
        if server is None:
            return
        _loopback.discard(self._names)
        if self._thread is not None:
            server.shutdown()
            self._thread.join()
            self._thread = None
        server.server_close()
        self._endpoint_url = None

    def __enter__(self) -> CustomerProfilesServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def endpoint_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(host: str, port: int, app: App, log_requests: bool) -> Any:
    """werkzeug's threaded server, answering every error (bad request lines too) in JSON."""
    try:
        from werkzeug.serving import WSGIRequestHandler
        from werkzeug.serving import make_server as werkzeug_server
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "The customer-profiles-mock server needs werkzeug: "
            "pip install 'customer-profiles-mock[server]'"
        ) from exc

    class Handler(WSGIRequestHandler):
        error_content_type = "application/json"
        error_message_format = '{"Message": "%(code)d %(message)s"}'

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if log_requests:
                super().log_request(code, size)

    return werkzeug_server(host, port, app, threaded=True, request_handler=Handler)
