"""The HTTP server under the App: waitress, its own errors answered in JSON (all of waitress here).

Why waitress (and not werkzeug's development server, which served before): it parses
HTTP itself (chunked bodies included) with a limit on the body it buffers, keeps
connections alive, answers ``Expect: 100-continue`` once, times idle connections out,
and holds an idle connection as a socket in its event loop, not as a thread, so a
fixed pool of worker threads serves any number of clients. It is pure Python with no
dependencies of its own.

waitress answers a request it cannot parse (a bad request line, a bad chunk header, a
body over the limit) itself, in text; the three subclasses below make that answer the
rest-json error every other answer is. What of waitress this rests on, beyond its
documented ``TcpWSGIServer`` and adjustments (as webtest's ``StopableWSGIServer``
does): the ``channel_class`` and ``error_task_class`` attributes, an error task's
``request.error`` (``code``, ``reason``, ``body``), ``status``, ``response_headers``,
``set_close_on_finish()`` and ``write()``; and to stop, the server's ``_map``,
``trigger.pull_trigger()``, ``task_dispatcher.shutdown()`` and
``wasyncore.close_all()``. So the server extra pins waitress below 3.1, and CI runs the
oldest and newest releases it allows.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.server.app import MAX_BODY_BYTES, too_large_message
from customer_profiles_mock.service import new_request_id
from customer_profiles_mock.wire.codec import serialize_error

# An idle keep-alive connection is closed after this many seconds (AWS's load
# balancers default to 60).
IDLE_TIMEOUT = 60
# The request line and headers, together (waitress's default): past it, a 431.
MAX_HEADER_BYTES = 256 * 1024
# Worker threads: requests are CPU-bound under the GIL, but a delay fault sleeps in one.
THREADS = 16

# The rest-json error type of each status waitress answers on its own.
_ERROR_TYPES = {
    400: "BadRequestException",
    413: "RequestEntityTooLargeException",
    431: "RequestHeaderFieldsTooLargeException",
}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def connection_limit() -> int:
    """Open connections the server holds at most: a quarter of this process's file
    descriptors (the clients of an in-process server hold the other ends), at most
    1,000. Past it, new connections wait in the listen backlog; none is refused."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 100
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1000
    return max(16, min(1000, soft // 4))


def make_server(
    host: str,
    port: int,
    app: WSGIApp,
    *,
    threads: int = THREADS,
    idle_timeout: int = IDLE_TIMEOUT,
    log_requests: bool = False,
) -> Server:
    """A bound waitress server for ``app`` (not serving until ``run()``)."""
    try:
        from waitress.channel import HTTPChannel
        from waitress.server import TcpWSGIServer
        from waitress.task import ErrorTask
    except ImportError as exc:
        raise ImportError(
            "the server needs waitress, the server extra. Install it with "
            "pip install 'customer-profiles-mock[server]'."
        ) from exc

    class JsonErrorTask(ErrorTask):  # type: ignore[misc]
        """waitress's answer to a request it could not parse, as a rest-json error."""

        def execute(self) -> None:
            error = self.request.error
            code, reason = error.code, error.reason
            if code == 501:  # an unknown Transfer-Encoding: the client's fault, as AWS says
                code, reason = 400, "Bad Request"
            kind = _ERROR_TYPES.get(code, "InternalServerException")
            message = f"{error.reason}: {error.body}".rstrip(": ")
            if code == 431:
                message = (
                    f"The request's headers are over the server's limit of "
                    f"{MAX_HEADER_BYTES:,} bytes"
                )
            if error.code == 413:  # the App's own message (for a chunked body, a bound)
                length = str(self.request.headers.get("CONTENT_LENGTH", ""))
                size = int(length) if length.isdigit() else MAX_BODY_BYTES + 1
                message = too_large_message(size)
            status, headers, body = serialize_error(kind, message, new_request_id(), code)
            self.status = f"{status} {reason}"
            self.response_headers.extend(headers.items())
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class Channel(HTTPChannel):  # type: ignore[misc]
        error_task_class = JsonErrorTask

    class _Server(TcpWSGIServer):  # type: ignore[misc]
        channel_class = Channel

    wsgi = _logged(app) if log_requests else app
    server = _Server(
        wsgi,
        host=host,
        port=port,
        threads=threads,
        channel_timeout=idle_timeout,
        cleanup_interval=max(1, min(30, idle_timeout)),
        connection_limit=connection_limit(),
        max_request_header_size=MAX_HEADER_BYTES,
        max_request_body_size=MAX_BODY_BYTES + 1,  # waitress refuses a body of this size
        asyncore_use_poll=True,  # select() cannot watch a descriptor past 1023
        ident="",  # no Server header: AWS's answers carry none of waitress's
        clear_untrusted_proxy_headers=False,
    )
    return Server(server)


class Server:
    """A bound waitress server: ``run()`` serves until ``stop()`` from another thread
    (or KeyboardInterrupt in this one)."""

    def __init__(self, server: Any) -> None:
        self._server = server
        self.port = int(server.effective_port)
        self._lock = forksafe.lock()
        self._running: threading.Event | None = None

    def run(self) -> None:
        with self._lock:
            self._running = running = threading.Event()
        try:
            self._server.run()  # returns on KeyboardInterrupt, or once stop() closed all
        finally:
            with self._lock:
                self._running = None
            running.set()

    def stop(self) -> None:
        """Let the workers finish the requests they serve; close every connection in the
        loop's own thread (while it runs) and wait for ``run()`` to return; then close
        the listener, which closes the loop's trigger. In that order: a worker that has
        answered wakes the loop through the trigger, and the thunk that ends the loop
        may run before the pull that queued it has written to the trigger, so neither
        may find it closed (both did: EBADF, or a write to whatever reused its number)."""
        from waitress import wasyncore

        server = self._server
        server.task_dispatcher.shutdown()
        loop_map = server._map

        def close_the_connections() -> None:
            for dispatcher in list(loop_map.values()):
                if dispatcher is not server and dispatcher is not server.trigger:
                    dispatcher.close()
            loop_map.clear()  # the loop ends

        with self._lock:
            running = self._running
        if running is not None:
            server.trigger.pull_trigger(close_the_connections)
            running.wait()
        else:
            close_the_connections()
        server.close()  # the listener, and the trigger with it
        wasyncore.close_all(loop_map)


def _logged(app: WSGIApp) -> WSGIApp:
    """``app`` writing one line a request to stderr: method, target, status."""

    def logged(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            target = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                target += "?" + environ["QUERY_STRING"]
            print(f'"{environ["REQUEST_METHOD"]} {target}" {status[:3]}', file=sys.stderr)
            return start_response(status, headers, *exc)

        return app(environ, start)

    return logged
