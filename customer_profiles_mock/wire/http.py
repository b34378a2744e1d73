"""One HTTP request and response as transports hand them over, and the headers read."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = "application/json"


HttpResponse = tuple[int, dict[str, str], bytes]


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request as any transport hands it over; ``path`` is still %-encoded."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, Any] = field(default_factory=dict)
    body: bytes = b""
    # The host it was sent to, as the URL names it: botocore and requests add the Host
    # header only on the wire, so the transport gives it here.
    host: str = ""


def header(headers: Mapping[str, Any], name: str) -> str | None:
    """A header by name, whatever the case the transport kept it in, as text."""
    value = headers.get(name)
    if value is None and type(headers) is dict:  # other mappings look up any case
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


_ATTEMPT = re.compile(r"(?:^|;)\s*attempt=([0-9]{1,9})\s*(?:;|$)", re.ASCII)


def attempt_number(headers: Mapping[str, Any]) -> int | None:
    """botocore's attempt count, from ``amz-sdk-request: [ttl=...; ]attempt=2; max=5``;
    None when the header is absent or malformed."""
    found = _ATTEMPT.search(header(headers, "amz-sdk-request") or "")
    return int(found.group(1)) if found else None


def region_of(headers: Mapping[str, Any], host: str = "") -> str | None:
    """The region a request was signed for (SigV4 credential scope), else from its Host
    header or, without one, the ``host`` it was sent to."""
    auth = header(headers, "Authorization")
    if auth:
        start = auth.find("Credential=")
        if start >= 0:
            scope = auth[start + 11 :].split(",", 1)[0].split("/")
            if len(scope) == 5:
                return scope[2]
    parts = (header(headers, "Host") or host).split(".")
    if len(parts) >= 4 and parts[0] == "profile":
        return parts[1]
    return None
