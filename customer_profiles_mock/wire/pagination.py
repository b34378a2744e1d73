"""Opaque NextToken / MaxResults paging, bound to the query that issued the token."""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Sequence
from typing import Any, TypeVar

from customer_profiles_mock.wire.errors import BadRequestException

T = TypeVar("T")


def fingerprint(*parts: Any) -> int:
    return zlib.crc32(repr(parts).encode())


def paginate(
    items: Sequence[T], params: dict[str, Any], query: int, default_size: int
) -> tuple[Sequence[T], str | None]:
    """One page of ``items`` and the token for the next page, if any.

    A token carries the offset and a fingerprint of the query; a token that was not
    issued for this query, or is not ours at all, is a ``BadRequestException``.
    """
    start = 0
    token = params.get("NextToken")
    if token is not None:
        start = _decode(token, query)
    size = params.get("MaxResults") or default_size
    page = items[start : start + size]
    end = start + len(page)
    return page, (_encode(end, query) if end < len(items) else None)


def items_page(items: list[Any], token: str | None, member: str = "Items") -> dict[str, Any]:
    """A list operation's answer: ``Items`` (or the list ``member`` the model names), and
    ``NextToken`` unless this is the last page (botocore stops at a missing token and
    fails on a repeated one)."""
    out: dict[str, Any] = {member: items}
    if token:
        out["NextToken"] = token
    return out


def _encode(offset: int, query: int) -> str:
    return base64.urlsafe_b64encode(f"{offset}:{query}".encode()).decode()


def _decode(token: str, query: int) -> int:
    try:
        offset_text, query_text = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        offset = int(offset_text)
        if int(query_text) != query or offset < 0:
            raise ValueError(token)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequestException("The NextToken is invalid or has expired") from None
    return offset
