"""Recommendations: what GetProfileRecommendations and SearchRecommendations answer, and how.

The items come from what a test seeded for the recommender (``cp.seed_recommendations``:
the profile's own, else the recommender's for every profile) [INFERRED: the mock trains
nothing]. With ``CandidateIds`` the answer is a ranking of exactly those ids: a candidate
the seeds score keeps its seeded item and ``Score``, any other is ``{Id}`` with Score 0,
after the scored ones in request order. Then, in order [INFERRED]: sorted by ``Score``
(highest first, ties in seeded order), the request's filter applied, the promotion's
items moved to the front (``PercentPromotedItems`` of the result, rounded up, default
100), the recommender's diversity caps applied when the request enables them, cut to the
result limit, and the ``CatalogItem`` cut to the metadata columns asked for.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.features.recommender_filters import models as filters
from customer_profiles_mock.features.recommenders.models import RANKING, RECOMMENDERS, SEEDS
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import Resource
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException


class Request:
    """A recommendation request, from either operation's members."""

    __slots__ = ("candidates", "diversity", "filters", "limit", "metadata", "promotions")

    def __init__(
        self,
        limit: int,
        candidates: Sequence[str] = (),
        filters: Sequence[Mapping[str, Any]] = (),
        promotions: Sequence[Mapping[str, Any]] = (),
        diversity: Mapping[str, Any] | None = None,
        metadata: Sequence[str] = (),
    ) -> None:
        self.limit = limit
        self.candidates = list(dict.fromkeys(candidates))
        self.filters = filters
        self.promotions = promotions
        self.diversity = diversity
        self.metadata = metadata


def active(domain: Domain, name: str) -> Resource:
    """The recommender a request names: a 404 when there is none, a 400 unless ACTIVE
    [INFERRED: the rule and the wording]."""
    recommender = domain.part(RECOMMENDERS).get(name)
    status = recommender.members["Status"]
    if status != "ACTIVE":
        raise BadRequestException(f"Recommender {name} is not ACTIVE (status {status})")
    return recommender


def profile_by_key(domain: Domain, key: str, values: Sequence[str]) -> str:
    """The one profile search key ``key`` finds with ``values`` (normalised as
    SearchProfiles does): a 404 when none [MODEL], a 400 when more than one [MODEL]; a key
    the domain does not define is the 400 SearchProfiles answers [INFERRED]."""
    if not domain.part(PROFILES).defines(key):
        raise BadRequestException(f"Search key {key} is not defined in domain {domain.name}")
    found = list(dict.fromkeys(pid for value in values for pid in domain.find(key, value)))
    if not found:
        raise ResourceNotFoundException(f"No profile matches the search key {key}")
    if len(found) > 1:
        raise BadRequestException(
            f"{len(found)} profiles match the search key {key}; it must match exactly one"
        )
    return found[0]


def recommend(
    domain: Domain, recommender: Resource, profile_id: str, request: Request
) -> list[dict[str, Any]]:
    """The Recommendations answered for ``profile_id`` (see the module's docstring)."""
    domain.part(PROFILES).require(profile_id)
    members = recommender.members
    if members["RecommenderRecipeName"] == RANKING and not request.candidates:
        raise BadRequestException(f"CandidateIds are required for recipe {RANKING}")
    chosen = [_filter(domain, f) for f in request.filters]
    promoted = [
        (_filter(domain, p), p.get("PercentPromotedItems", 100)) for p in request.promotions
    ]
    caps = _caps(members.get("RecommenderConfig", {}), request)
    seeded = domain.part(SEEDS).items(recommender.name, profile_id) or ()
    items = _ranked(seeded, request.candidates)
    for found, values in chosen:
        keep = filters.passes(found, values)
        items = [item for item in items if keep(item["CatalogItem"])]
    for (found, values), percent in promoted:
        share = math.ceil(min(request.limit, len(items)) * percent / 100)
        promote = filters.passes(found, values)
        front = [item for item in items if promote(item["CatalogItem"])][:share]
        items = front + [item for item in items if item not in front]
    items = _diverse(items, caps, request.limit)[: request.limit]
    if request.metadata:
        return [_cut(item, request.metadata) for item in items]
    return items


def _filter(domain: Domain, given: Mapping[str, Any]) -> tuple[Resource, Mapping[str, str]]:
    values = given.get("Values", {})
    return filters.usable(domain, given.get("Name"), values), values


def _ranked(seeded: Sequence[dict[str, Any]], candidates: list[str]) -> list[dict[str, Any]]:
    """The seeded Recommendations (kept highest Score first), or the candidates ranked."""
    if not candidates:
        return list(seeded)
    by_id = {item["CatalogItem"]["Id"]: item for item in seeded}
    scored = [by_id[c] for c in candidates if c in by_id]
    unscored = [{"CatalogItem": {"Id": c}, "Score": 0.0} for c in candidates if c not in by_id]
    return sorted(scored, key=lambda item: -item["Score"]) + unscored


def _caps(config: Mapping[str, Any], request: Request) -> list[tuple[str, int]]:
    """The diversity caps (column, most items per value) the request enables: a
    ``$name`` target takes the request's ``Values`` (a 400 when missing), a PERCENTAGE
    one a share of the result limit, rounded down, at least 1 [INFERRED]."""
    if not request.diversity or not request.diversity.get("Enabled"):
        return []
    values = request.diversity.get("Values", {})
    caps = []
    for column in config.get("DiversityConfig", {}).get("DiversityColumns", ()):
        target = column["Target"]
        if target.startswith("$"):
            if target[1:] not in values:
                raise BadRequestException(
                    f"DiversityConfig Values needs {target[1:]} for the diversity column "
                    f"{column['Name']}"
                )
            cap = values[target[1:]]
        else:
            cap = int(target)
        if column["CapType"] == "PERCENTAGE":
            cap = max(1, request.limit * cap // 100)
        caps.append((column["Name"], cap))
    return caps


def _diverse(
    items: list[dict[str, Any]], caps: list[tuple[str, int]], limit: int
) -> list[dict[str, Any]]:
    if not caps:
        return items
    counts: dict[tuple[str, str], int] = {}
    limits = dict(caps)
    kept = []
    for item in items:
        values = ((name, filters.column_value(item["CatalogItem"], name)) for name in limits)
        keys = [(name, value) for name, value in values if value is not None]
        if any(counts.get(key, 0) >= limits[key[0]] for key in keys):
            continue
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
        kept.append(item)
        if len(kept) == limit:
            break
    return kept


def _cut(item: Mapping[str, Any], metadata: Sequence[str]) -> dict[str, Any]:
    """A Recommendation whose CatalogItem keeps only ``Id`` and the metadata columns asked
    for (a column that is no CatalogItem member taken from ``Attributes``)."""
    wanted = {column.upper() for column in metadata}
    catalog = item["CatalogItem"]
    attributes = {k: v for k, v in catalog.get("Attributes", {}).items() if k.upper() in wanted}
    cut = {
        k: v for k, v in catalog.items() if k != "Attributes" and (k == "Id" or k.upper() in wanted)
    }
    if attributes:
        cut["Attributes"] = attributes
    return {"CatalogItem": cut, "Score": item["Score"]}
