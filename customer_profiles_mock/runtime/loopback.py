"""The endpoints known to be servers: an active handle leaves botocore requests to them alone.

A ``CustomerProfilesServer`` adds its own while it runs; a ``ServerClient`` adds the one
it drives (a server in another process).
"""

from __future__ import annotations

from customer_profiles_mock import forksafe

# host:port as a client's endpoint URL names it ("127.0.0.1:41231", "localhost:41231").
netlocs: frozenset[str] = frozenset()
_lock = forksafe.lock()


def names_for(host: str, port: int) -> frozenset[str]:
    """Every netloc a client may use for a server bound to ``host``: a loopback or
    wildcard bind is reached as localhost, 127.0.0.1 and [::1] too."""
    names = {f"[{host}]:{port}" if ":" in host else f"{host}:{port}"}
    if host in ("127.0.0.1", "localhost", "0.0.0.0", "::1", "::", ""):
        names |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    return frozenset(names)


def add(names: frozenset[str]) -> None:
    global netlocs
    with _lock:
        netlocs = netlocs | names


def discard(names: frozenset[str]) -> None:
    global netlocs
    with _lock:
        netlocs = netlocs - names
