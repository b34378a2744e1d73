"""The recommender schema operations: Create, Get, Delete and ListRecommenderSchemas."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.recommender_schemas import models
from customer_profiles_mock.features.recommender_schemas.models import SCHEMAS
from customer_profiles_mock.wire.pagination import fingerprint, items_page


@operation("CreateRecommenderSchema")
def create_recommender_schema(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Stores the schema and answers it `ACTIVE` at once [INFERRED] with its
    `RecommenderSchemaArn`, `arn:aws:profile:REGION:ACCOUNT:domains/DOMAIN/
    recommender-schemas/NAME` [INFERRED], and `Tags`. `Fields` keys are `_webAnalytics`
    and `_catalogItem` [MODEL]; another key is 400 `Fields key KEY is not supported: use
    _webAnalytics or _catalogItem` [INFERRED], and a column named twice in a dataset is
    400 `Fields DATASET names the column COLUMN more than once` [INFERRED]. A column's
    `ContentType` is `STRING` when omitted [MODEL: "The default value is String"]. An
    existing name (also one being deleted) is 400 `Recommender schema with name NAME
    already exists` [INFERRED]. The default schema that recommenders and filters use when
    they name none is not listed [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    members = models.new_members(params["Fields"])
    schema = domain.part(SCHEMAS).create(
        params["RecommenderSchemaName"], members, params.get("Tags") or {}
    )
    return models.created(schema)


@operation("GetRecommenderSchema")
def get_recommender_schema(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The schema's `Fields`, `CreatedAt` and `Status` (`ACTIVE`, or `DELETING` until the
    job step after DeleteRecommenderSchema) [MODEL; INFERRED: the states]; an unknown name
    is 404 `Recommender schema NAME does not exist` [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(SCHEMAS).get(params["RecommenderSchemaName"]))


@operation("DeleteRecommenderSchema")
def delete_recommender_schema(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL]; the schema is `DELETING` until the next job step removes it
    (with the default `job_seconds`, before the next call) [INFERRED]. A schema a
    recommender filter or a recommender names is 400 `Recommender schema NAME is in use by
    Recommender filter F, Recommender R; delete them first` [INFERRED], one already being
    deleted is 400 `Recommender schema NAME is being deleted` [INFERRED], an unknown name
    404.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    schema = domain.part(SCHEMAS).get(params["RecommenderSchemaName"])
    models.check_unused(domain, schema.name)
    models.start_deleting(ctx, domain, SCHEMAS, schema)
    return {}


@operation("ListRecommenderSchemas")
def list_recommender_schemas(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each schema as GetRecommenderSchema shows it, sorted by name; `MaxResults` (default
    100 [MODEL]) / `NextToken`; the botocore paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListRecommenderSchemas", params["DomainName"])
    page, token = domain.part(SCHEMAS).page(params, query, models.LIST_PAGE)
    return items_page([models.shown(schema) for schema in page], token, "RecommenderSchemas")
