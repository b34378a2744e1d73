"""The recommender operations: recommenders, their recipes, and recommendations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.recommenders import models
from customer_profiles_mock.wire.pagination import fingerprint, paginate


@operation("ListRecommenderRecipes")
def list_recommender_recipes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The six recipes of the model's `RecommenderRecipeName` enum in its order, each as
    `{name, description}` with lower-case member names [MODEL]; the descriptions are ours
    [INFERRED: AWS publishes none]. Served without a domain [MODEL]; `MaxResults` is 10 to
    100 (default 100) [MODEL] / `NextToken`; the botocore paginator walks it.
    """
    query = fingerprint("ListRecommenderRecipes")
    page, token = paginate(models.listed(), params, query, models.LIST_PAGE)
    out: dict[str, Any] = {"RecommenderRecipes": list(page)}
    if token:
        out["NextToken"] = token
    return out
