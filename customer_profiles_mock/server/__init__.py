"""A server for every other client: an HTTP server on the service pipeline, and its Python client.

``CustomerProfilesServer`` serves in a thread of this process; ``ServerClient`` drives a
server anywhere (``customer-profiles-mock serve`` in another process) through its
``/_cpm/`` control API. Both have the handle's seeding, fault and call-log methods, so a
test that drives a server reads like one that drives the in-process mock. waitress is
imported only when a server starts (``pip install 'customer-profiles-mock[server]'``).
"""

from __future__ import annotations

from customer_profiles_mock.server.cli import serve
from customer_profiles_mock.server.client import (
    DEFAULT_HOST,
    ServerClient,
    ServerFault,
)
from customer_profiles_mock.server.threaded import CustomerProfilesServer

__all__ = [
    "DEFAULT_HOST",
    "CustomerProfilesServer",
    "ServerClient",
    "ServerFault",
    "serve",
]
