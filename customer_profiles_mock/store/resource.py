"""What every stored resource has: tags (at most 50), CreatedAt and LastUpdatedAt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from customer_profiles_mock.wire.errors import BadRequestException

# [MODEL] TagMap holds at most 50; TagResource's documentation: "as many as 50 tags with
# a resource".
MAX_TAGS = 50


class Taggable(Protocol):
    """A resource that holds its own tags (a domain, an object type)."""

    tags: dict[str, str]


class Described(Taggable, Protocol):
    created_at: float
    updated_at: float


def stamped(out: dict[str, Any], resource: Described) -> dict[str, Any]:
    """``out`` (a resource as an answer shows it) with the resource's ``CreatedAt``,
    ``LastUpdatedAt`` and, when it has any, ``Tags``."""
    out["CreatedAt"] = resource.created_at
    out["LastUpdatedAt"] = resource.updated_at
    if resource.tags:
        out["Tags"] = dict(resource.tags)
    return out


def merged_tags(arn: str, tags: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """``tags`` with ``new`` merged in (a new value replaces an old one), as a new dict;
    a 400 when the resource would hold more than 50 [INFERRED wording]."""
    merged = {**tags, **new}
    if len(merged) > MAX_TAGS:
        raise BadRequestException(
            f"Resource {arn} can have at most {MAX_TAGS} tags; "
            f"this request would give it {len(merged)}"
        )
    return merged
