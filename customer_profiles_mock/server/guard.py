"""Who may drive the server: the Host, Origin and Content-Type checks that keep web pages out.

A page in the developer's browser can send requests to 127.0.0.1 (a cross-origin
``text/plain`` POST needs no preflight), and with DNS rebinding it can even read the
answers, addressed to its own name. So a request is refused when its ``Host`` is a name
the server was not told to answer to (an IP address cannot be rebound, a name can), when
it carries an ``Origin`` that is not a local page or an allowed host, and, on the control
API, when its body is not declared JSON. The port is never compared: DNS rebinding
changes the name, and a forwarded port (``docker run -p 8080:4566``) legitimately
changes the port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from customer_profiles_mock.exceptions import InvalidArgumentError, InvalidTypeError

ANY_HOST = "*"
_ALLOW = (
    "start it with --allow-host NAME, or CustomerProfilesServer(allowed_hosts=[NAME]), to "
    "allow NAME"
)


def allowed_hosts_of(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` as host names compared with requests' (lower case, no brackets, no
    trailing dot); ``"*"`` allows every host. A port, or a value that is not a name, is
    an ``InvalidArgumentError`` that says which."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidTypeError(
            f"allowed_hosts takes a list of host names, such as ['cpm.internal'], got {values!r}"
        )
    names = []
    for value in values:
        if not isinstance(value, str):
            raise InvalidTypeError(f"allowed_hosts takes host names (text), got {value!r}")
        name = _normal(value.strip())
        if name != ANY_HOST and (not name or _ip(name) is None and not _is_name(name)):
            raise InvalidArgumentError(
                f"allowed_hosts takes host names or IP addresses without a port (any port "
                f"is allowed), such as 'cpm.internal', got {value!r}"
            )
        names.append(name)
    return tuple(names)


class Guard:
    """The checks of one server: loopback names and IP addresses are always allowed as
    a ``Host``, and ``allowed_hosts`` (the bound host among them) besides."""

    def __init__(self, allowed_hosts: Iterable[str] = ()) -> None:
        names = allowed_hosts_of(allowed_hosts)
        self.any_host = ANY_HOST in names
        self.names = frozenset(names) | {"localhost"}

    def host_refusal(self, host: str | None) -> str | None:
        """Why a request with this ``Host`` header is refused, or None. A request with
        none (HTTP/1.0) cannot come from a browser and is served."""
        if host is None or self.any_host:
            return None
        name = _hostname(host)
        if name is not None and (_ip(name) is not None or self._local_or_allowed(name)):
            return None
        return (
            f"Host {host[:200]!r} is not allowed: this server answers requests addressed to "
            "localhost, an IP address or an allowed host, so that no web page can reach it "
            f"by DNS rebinding ({_ALLOW})."
        )

    def origin_refusal(self, origin: str | None) -> str | None:
        """Why a request from a page of this ``Origin`` is refused, or None: pages from
        localhost, a loopback address or an allowed host may drive the server."""
        if origin is None or self.any_host:
            return None
        try:
            url = urlsplit(origin.strip())
            name = url.hostname if url.scheme in ("http", "https") else None
        except ValueError:  # a malformed IPv6 address
            name = None
        if name and self._local_or_allowed(_normal(name)):
            return None
        return (
            f"Origin {origin[:200]!r} is not allowed: only pages from localhost, a loopback "
            f"address or an allowed host may drive this server ({_ALLOW})."
        )

    def _local_or_allowed(self, name: str) -> bool:
        if name in self.names or name.endswith(".localhost"):  # RFC 6761: always loopback
            return True
        ip = _ip(name)
        return ip is not None and ip.is_loopback


def content_type_refusal(content_type: str | None, method: str, route: str) -> str | None:
    """Why a control request that changes the server is refused, or None: it must be
    declared JSON, body or none (a page's ``text/plain`` POST, or one with no body and
    no Content-Type, is what skips the CORS preflight)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/json":
        return None
    got = repr(content_type[:100]) if content_type else "none"
    return (
        f"{method} {route} takes JSON: send it with Content-Type: application/json, with or "
        f"without a body (got {got})."
    )


def _hostname(host: str) -> str | None:
    """The name of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``), or None."""
    host = host.strip()
    if host.startswith("["):
        name, bracket, rest = host[1:].partition("]")
        if not bracket or (rest and not (rest[:1] == ":" and rest[1:].isdigit())):
            return None
        return _normal(name)
    if host.count(":") > 1:  # an IPv6 address without brackets
        return _normal(host) if _ip(host) is not None else None
    name, colon, port = host.partition(":")
    if colon and not port.isdigit():
        return None
    return _normal(name) or None


def _normal(name: str) -> str:
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    return name.lower().rstrip(".")


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _is_name(name: str) -> bool:
    labels = name.split(".")
    return all(label and len(label) <= 63 for label in labels) and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in name.replace(".", "")
    )
