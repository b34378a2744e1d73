"""The registry of implemented operations: each feature package declares its own handlers.

The service pipeline looks operations up here and never names one. A handler takes a
``Context`` (the region it runs in: everything one account holds in one region, and the
templates registered on the activation) and the parsed, validated parameters, and returns
the output members. The pipeline holds the region's lock around it, so handlers never
take locks themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from customer_profiles_mock.store.domain import Domain, PartKey
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.http import HttpRequest, HttpResponse


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler runs with besides its parameters, handed in explicitly."""

    region: Region
    # The object-type templates registered on the activation (template id -> template);
    # the object-types feature reads them over the ones it ships.
    templates: Mapping[str, dict[str, Any]]
    # The activation's clock at this call, and how long each step of a job takes on it.
    now: float
    job_seconds: float
    # The host the request was sent to (its Host header, else the URL's): where a URL the
    # mock hands out (an upload URL) must point; empty when unknown.
    host: str = ""

    def schedule(self, domain: Domain, part: PartKey[Any], key: str) -> None:
        """Tell ``domain``'s part ``part`` that ``key`` is due one job step from now
        (``DomainPart.on_due``, which returns True to be told again a step later). With
        ``job_seconds`` 0, the default, every step is done before the next call is
        answered; ``cp.settle()`` does them all at once whatever the clock says."""
        self.region.schedule(self.now + self.job_seconds, domain, part.name, key)


Handler = Callable[[Context, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Handler
    # A write AWS applies asynchronously (queued ingestion, a merge job): one that
    # consistency="eventual" lags (core.consistency).
    eventual: bool = False


OPERATIONS: dict[str, Operation] = {}


def operation(name: str, *, eventual: bool = False) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation ``name``; ``eventual``
    for a write AWS applies asynchronously (``Operation.eventual``)."""

    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name!r} has two handlers")
        OPERATIONS[name] = Operation(name, handler, eventual)
        return handler

    return register


# -- URLs the mock owns beside the API ------------------------------------------------------

# A handler of a bucket the mock owns: (context of the key's account and region, the
# request, the rest of the key after ACCOUNT/REGION/) -> the HTTP answer.
BucketHandler = Callable[[Context, HttpRequest, str], HttpResponse]

# The S3-style buckets the mock owns (an upload job's pre-signed URL points into one), by
# name: a request to ``https://BUCKET.s3.REGION.amazonaws.com/ACCOUNT/REGION/KEY`` made
# in-process, or to ``/BUCKET/ACCOUNT/REGION/KEY`` on this package's server, is answered
# by the bucket's handler instead of the API's routes.
BUCKETS: dict[str, BucketHandler] = {}


def bucket(name: str) -> Callable[[BucketHandler], BucketHandler]:
    """Register the decorated function as the handler of the mock's own bucket ``name``."""

    def register(handler: BucketHandler) -> BucketHandler:
        if name in BUCKETS:
            raise RuntimeError(f"bucket {name!r} has two handlers")
        BUCKETS[name] = handler
        return handler

    return register


def owned_bucket(host: str, path: str) -> tuple[str, str] | None:
    """The mock's own bucket a request names and the key it asks for: virtual-hosted
    (``BUCKET.s3.REGION.amazonaws.com`` + ``/KEY``) or path-style (``/BUCKET/KEY``, as this
    package's server is reached); None for any other request."""
    if not BUCKETS:
        return None
    name, dot, rest = host.partition(".")
    if dot and name in BUCKETS and rest.startswith("s3"):
        return name, path.lstrip("/")
    name, slash, key = path[1:].partition("/")
    if slash and name in BUCKETS:
        return name, key
    return None
