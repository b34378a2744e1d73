"""The recommender filter operations: Create, Get, Delete and ListRecommenderFilters."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.recommender_filters import models
from customer_profiles_mock.features.recommender_filters.models import FILTERS
from customer_profiles_mock.features.recommender_schemas.models import (
    arn_and_tags,
    start_deleting,
    usable,
)
from customer_profiles_mock.store.resource import due_key
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("CreateRecommenderFilter")
def create_recommender_filter(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers the filter's `RecommenderFilterArn`,
    `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/recommender-filters/NAME` [INFERRED], and
    its `Tags`. It starts `PENDING`; job steps move it to `IN_PROGRESS`, then `ACTIVE`, or
    `FAILED` with a `FailureReason` (`Invalid filter expression: ...`) when the expression
    is not in the language the mock evaluates or names an `Items` column its schema lacks
    (not a 400) [INFERRED: as Amazon Personalize's filters; with the default `job_seconds`
    the first read sees the end]. The language: `INCLUDE|EXCLUDE ItemID WHERE` conditions
    on `Items.COLUMN` with `IN`, `NOT IN`, `=`, `!=`, `<`, `<=`, `>`, `>=` over quoted
    strings, numbers and `$PLACEHOLDER`s, joined by `AND`/`OR`, expressions joined by `|`;
    `Interactions.*` and `CurrentItem.*` conditions match no item [INFERRED]. A
    `RecommenderSchemaName` must name a schema of the domain (404 `Recommender schema NAME
    does not exist`; 400 while it is being deleted) [INFERRED]. An existing name is 400
    `Recommender filter with name NAME already exists` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    if "RecommenderSchemaName" in params:
        usable(domain, params["RecommenderSchemaName"])
    found = domain.part(FILTERS).create(
        params["RecommenderFilterName"], models.new_members(params), params.get("Tags") or {}
    )
    ctx.schedule(domain, FILTERS, due_key(found))
    return arn_and_tags("RecommenderFilterArn", found)


@operation("GetRecommenderFilter")
def get_recommender_filter(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The filter as created, its `Status` and `FailureReason`, and `Tags`, which the model
    requires: `{}` when it has none [MODEL; INFERRED]. An unknown name is 404 `Recommender
    filter NAME does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(FILTERS).get(params["RecommenderFilterName"]))


@operation("DeleteRecommenderFilter")
def delete_recommender_filter(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `Recommender filter NAME was deleted.` [INFERRED: the text]; the filter is
    `DELETING` until the next job step removes it [INFERRED]. No stored resource names a
    filter (recommendation requests name them), so none is refused as in use; one already
    being deleted is 400 `Recommender filter NAME is being deleted` [INFERRED]; an unknown
    name 404.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    found = domain.part(FILTERS).get(params["RecommenderFilterName"])
    start_deleting(ctx, domain, FILTERS, found)
    return {"Message": domain.part(FILTERS).kind.deleted(found.name)}


@operation("ListRecommenderFilters")
def list_recommender_filters(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each filter as GetRecommenderFilter shows it (`Tags` only when it has some), sorted
    by name; `MaxResults` (default 100 [MODEL]) / `NextToken`; the botocore paginator
    walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListRecommenderFilters", params["DomainName"])
    page, token = domain.part(FILTERS).page(params, query, models.LIST_PAGE)
    return items_page([models.shown(f, in_list=True) for f in page], token, "RecommenderFilters")
