"""The handler moto calls for customer-profiles: its stubber, its ``responses`` mock, its server.

moto hands over a request of a type that depends on the release and the transport
(botocore's prepared request, moto's own ``Request`` from 5.2.5, Flask's request in the
server); it is read into the transport-independent ``HttpRequest`` and answered by the
active handle, if any, else by the state moto resets.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from customer_profiles_mock.exceptions import UnsupportedOperationError
from customer_profiles_mock.moto import via_moto
from customer_profiles_mock.runtime.registry import runtime
from customer_profiles_mock.service import unsupported_response, wait_out
from customer_profiles_mock.transports.botocore_hooks import _body_bytes
from customer_profiles_mock.wire.http import HttpRequest


def serve_request(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
    """Answer one request moto routed here (not named ``dispatch``: moto server would take
    it for a class method)."""
    http = _http_request(request, full_url, headers)
    mock = runtime.current()
    from customer_profiles_mock.moto import models

    service = mock.service if mock is not None and mock.service is not None else models.service
    token = via_moto.set(True)
    try:
        (status, out_headers, body), delays = service.respond(http)
    except UnsupportedOperationError as exc:
        if not _from_server(request):
            raise  # in-process, a Python error names the operation
        status, out_headers, body = unsupported_response(exc)
        return status, dict(out_headers), body
    finally:
        via_moto.reset(token)
    wait_out(delays)
    return status, dict(out_headers), body


def _from_server(request: Any) -> bool:
    """Whether moto server received the request (rather than an in-process mock)."""
    if getattr(request, "from_wsgi_server", False):
        return True
    environ = getattr(request, "environ", None)
    return isinstance(environ, dict) and "RAW_URI" in environ


def _http_request(request: Any, full_url: str, headers: Any) -> HttpRequest:
    environ = getattr(request, "environ", None)
    if isinstance(environ, dict):  # werkzeug/Flask (moto's Request or the server's)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if raw:
            parts = urlsplit(raw)
            path, query = parts.path, parts.query
        else:  # werkzeug decoded the path: encode it again (labels never hold "/")
            path, query = quote(request.path, safe="/"), environ.get("QUERY_STRING", "")
        body = request.get_data()
    else:  # botocore's prepared request
        url = urlsplit(request.url)
        path, query = url.path, url.query
        body = _body_bytes(request.body)
    return HttpRequest(
        request.method, path, query, headers or request.headers, body, urlsplit(full_url).netloc
    )
