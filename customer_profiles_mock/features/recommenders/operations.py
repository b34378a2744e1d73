"""The recommender operations: recommenders, their recipes, and recommendations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.recommender_schemas.models import arn_and_tags, start_deleting
from customer_profiles_mock.features.recommenders import models, recommendations
from customer_profiles_mock.features.recommenders.models import RECOMMENDERS
from customer_profiles_mock.store.resource import due_key
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("ListRecommenderRecipes")
def list_recommender_recipes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The six recipes of the model's `RecommenderRecipeName` enum in its order, each as
    `{name, description}` with lower-case member names [MODEL]; the descriptions are ours
    [INFERRED: AWS publishes none]. Served without a domain [MODEL]; `MaxResults` is 10 to
    100 (default 100) [MODEL] / `NextToken`; the botocore paginator walks it.
    """
    query = fingerprint("ListRecommenderRecipes")
    page, token = paginate(models.recipes_listed(), params, query, models.LIST_PAGE)
    return items_page(list(page), token, "RecommenderRecipes")


@operation("CreateRecommender")
def create_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers the recommender's `RecommenderArn`,
    `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/recommenders/NAME` [INFERRED], and its
    `Tags`. It starts `PENDING`; job steps move it to `IN_PROGRESS`, then `ACTIVE` with a
    trained version `NAME/YYYY-MM-DDTHH-MM-SSZ` (UTC) as `ActiveRecommenderVersionName` and
    one `TrainingMetrics` entry [INFERRED: Amazon Personalize's states on the model's enum;
    with the default `job_seconds` the first read sees it `ACTIVE`]. It never becomes
    `FAILED`. A `RecommenderSchemaName` must name a schema of the domain (404 `Recommender
    schema NAME does not exist`; 400 while it is being deleted) [INFERRED]; without one the
    default schema is used, whose columns are not known, so any column is taken [MODEL;
    INFERRED]. `RecommenderConfig` rules, each a 400 in our words [MODEL: the rules]:
    `IncludedColumns` and `ExcludedColumns` are mutually exclusive; their keys are
    `_webAnalytics` and `_catalogItem`; their columns must be the schema's; the mandatory
    columns (`Item.Id`, `EventTimestamp`, `EventType` of `_webAnalytics`, `Id` of
    `_catalogItem`) cannot be excluded; a `DiversityColumns` `Name` must be a `_catalogItem`
    column of the schema. Ours [INFERRED]: an event type named twice in
    `EventParametersList`, and a `PERCENTAGE` diversity `Target` over 100, are 400s. An
    existing name is 400 `Recommender with name NAME already exists` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    schema = params.get("RecommenderSchemaName")
    models.check_config(domain, params.get("RecommenderConfig", {}), schema)
    recommender = domain.part(RECOMMENDERS).create(
        params["RecommenderName"], models.new_members(params), params.get("Tags") or {}
    )
    ctx.schedule(domain, RECOMMENDERS, due_key(recommender))
    return arn_and_tags("RecommenderArn", recommender)


@operation("GetRecommender")
def get_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The recommender as created and trained: `Status` (`PENDING`, `IN_PROGRESS`,
    `ACTIVE`, `STOPPING`, `INACTIVE`, `STARTING`, `DELETING`), `ActiveRecommenderVersionName`
    once trained, `LatestRecommenderUpdate` after an UpdateRecommender, and the latest
    `TrainingMetricsCount` `TrainingMetrics` entries, newest first (1 when omitted
    [INFERRED]); every training reports the same figures (`hit` 0.25, `coverage` 0.5,
    `recall` 0.35, `precision_at_10` 0.1, `mean_reciprocal_rank_at_25` 0.2,
    `normalized_discounted_cumulative_gain_at_10` 0.3) [INFERRED]. An unknown name is 404
    `Recommender NAME does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    recommender = domain.part(RECOMMENDERS).get(params["RecommenderName"])
    return models.shown(recommender, params.get("TrainingMetricsCount"))


@operation("UpdateRecommender")
def update_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{RecommenderName}` [MODEL]. `Description` is applied at once; a
    `RecommenderConfig` (checked as CreateRecommender checks it, against the recommender's
    schema) or a `RecommenderVersionName` starts `LatestRecommenderUpdate` `IN_PROGRESS`,
    which the next job step makes `ACTIVE`: the new config replaces the old whole, and the
    named version (a rollback) or else a version trained on the new config becomes
    `ActiveRecommenderVersionName` [INFERRED]. The recommender must be `ACTIVE` with no
    update in progress: else 400 `Recommender NAME cannot be updated in status STATUS; it
    must be ACTIVE` or `... cannot be updated while an update is in progress` [INFERRED].
    A version this recommender did not train is 400 `Recommender version VERSION does not
    exist for recommender NAME` [MODEL: a previously trained version; INFERRED: the code and
    wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    recommender = domain.part(RECOMMENDERS).get(params["RecommenderName"])
    models.check_status(recommender, "updated", ("ACTIVE",))
    if "RecommenderConfig" in params:
        schema = recommender.members.get("RecommenderSchemaName")
        models.check_config(domain, params["RecommenderConfig"], schema)
    if "RecommenderVersionName" in params:
        models.check_version(recommender, params["RecommenderVersionName"])
    if models.start_update(recommender, params):
        ctx.schedule(domain, RECOMMENDERS, due_key(recommender))
    return {"RecommenderName": recommender.name}


@operation("DeleteRecommender")
def delete_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL]; the recommender is `DELETING` until the next job step removes
    it, with the recommendations seeded for it [INFERRED]. It must be `ACTIVE`,
    `INACTIVE` or `FAILED` with no update in progress, else 400 `Recommender NAME cannot be
    deleted in status STATUS; ...`, and one already being deleted is 400 `Recommender NAME
    is being deleted` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    recommender = domain.part(RECOMMENDERS).get(params["RecommenderName"])
    models.check_status(recommender, "deleted", models.SETTLED)
    start_deleting(ctx, domain, RECOMMENDERS, recommender)
    return {}


@operation("ListRecommenders")
def list_recommenders(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each recommender with `RecipeName` (not `RecommenderRecipeName`) [MODEL: the item
    shape], without its version or metrics, sorted by name; `MaxResults` (default 100
    [MODEL]) / `NextToken`; the botocore paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListRecommenders", params["DomainName"])
    page, token = domain.part(RECOMMENDERS).page(params, query, models.LIST_PAGE)
    return items_page([models.listed(r) for r in page], token, "Recommenders")


@operation("StartRecommender")
def start_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL]: an `INACTIVE` recommender becomes `STARTING`, and `ACTIVE`
    at the next job step [INFERRED]; in any other status it is 400 `Recommender NAME cannot
    be started in status STATUS; it must be INACTIVE` [INFERRED].
    """
    return _move(ctx, params, "started", "INACTIVE", "STARTING")


@operation("StopRecommender")
def stop_recommender(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL]: an `ACTIVE` recommender becomes `STOPPING`, and `INACTIVE` at
    the next job step; it then answers no recommendations [INFERRED]. In any other status,
    or while an update is in progress, it is 400 `Recommender NAME cannot be stopped in
    status STATUS; it must be ACTIVE` [INFERRED].
    """
    return _move(ctx, params, "stopped", "ACTIVE", "STOPPING")


def _move(
    ctx: Context, params: dict[str, Any], action: str, before: str, after: str
) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    recommender = domain.part(RECOMMENDERS).get(params["RecommenderName"])
    models.check_status(recommender, action, (before,))
    models.set_status(recommender, after)
    ctx.schedule(domain, RECOMMENDERS, due_key(recommender))
    return {}


@operation("GetProfileRecommendations")
def get_profile_recommendations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The profile's `Recommendations` from what the test seeded with
    `cp.seed_recommendations()` (the profile's own, else the recommender's for every
    profile; none seeded: none, or the `CandidateIds` with Score 0) [INFERRED: the mock
    trains nothing]. `CandidateIds` make the answer a ranking of exactly those ids (a
    seeded one keeps its item and Score, any other is `{Id}` with Score 0); they are
    required for a `personalized-ranking` recommender [MODEL]: else 400 `CandidateIds are
    required for recipe personalized-ranking` [INFERRED: the wording]. Then [INFERRED]:
    highest `Score` first, the `RecommenderFilters` filter applied (its placeholders'
    `Values`, several comma-separated), the `RecommenderPromotionalFilters` items moved to
    the front (`PercentPromotedItems` of the result, rounded up, default 100), the
    recommender's diversity caps applied when `DiversityConfig.Enabled` (`$name` targets
    from `Values`; PERCENTAGE a share of the limit), `MaxResults` items (default 10
    [MODEL]), each `CatalogItem` cut to `Id` and the `MetadataConfig` columns when given.
    `Context` is accepted and not used. An unknown recommender, filter or profile is 404
    [INFERRED]; a recommender that is not `ACTIVE` is 400 `Recommender NAME is not ACTIVE
    (status STATUS)`, a filter that is not `ACTIVE` 400 `Recommender filter NAME is not
    ACTIVE (status STATUS)`, a placeholder without a value 400 `Recommender filter NAME
    needs Values for its placeholders: $P`, a filter without a `Name` 400 [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    recommender = recommendations.active(domain, params["RecommenderName"])
    request = recommendations.Request(
        params.get("MaxResults", 10),
        params.get("CandidateIds", ()),
        params.get("RecommenderFilters", ()),
        params.get("RecommenderPromotionalFilters", ()),
        params.get("DiversityConfig"),
        params.get("MetadataConfig", {}).get("MetadataColumns", ()),
    )
    found = recommendations.recommend(domain, recommender, params["ProfileId"], request)
    return {"Recommendations": found}


@operation("SearchRecommendations")
def search_recommendations(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """GetProfileRecommendations for the profile that `KeyName` with `KeyValues` finds
    (values normalised as SearchProfiles normalises them), answered with its `ProfileId`.
    The key must find exactly one profile [MODEL]: none is 404 `No profile matches the
    search key KEY`, more than one 400 `N profiles match the search key KEY; it must match
    exactly one` [INFERRED: the wording]; a key the domain does not define is 400 `Search
    key KEY is not defined in domain DOMAIN`, as in SearchProfiles [INFERRED].
    `Recommender` holds the recommender's `Name`, `Filters` and `PromotionalFilters`;
    `Diversity` and `Metadata.Columns` are GetProfileRecommendations' `DiversityConfig` and
    `MetadataConfig`; `MaxRecommendations` defaults to 5 [MODEL]. Every other rule is
    GetProfileRecommendations'.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    given = params["Recommender"]
    recommender = recommendations.active(domain, given["Name"])
    profile_id = recommendations.profile_by_key(domain, params["KeyName"], params["KeyValues"])
    request = recommendations.Request(
        params.get("MaxRecommendations", 5),
        params.get("CandidateIds", ()),
        given.get("Filters", ()),
        given.get("PromotionalFilters", ()),
        params.get("Diversity"),
        params.get("Metadata", {}).get("Columns", ()),
    )
    found = recommendations.recommend(domain, recommender, profile_id, request)
    return {"ProfileId": profile_id, "Recommendations": found}
