"""The domain operations: CreateDomain, GetDomain, ListDomains, UpdateDomain, DeleteDomain."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.domains import models
from customer_profiles_mock.features.objects.models import OBJECTS
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("CreateDomain")
def create_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """An existing name is `400 BadRequestException` "Domain NAME already exists";
    `RuleBasedMatching.Status` is `IN_PROGRESS` (a new domain skips `PENDING`), then
    `ACTIVE` ("The rule is ready to use") a job step later.

    [INFERRED] The step is one job step (`job_seconds` on the mock's clock, default 0:
    `ACTIVE` by the next call). `RuleBasedMatching.Status` is `IN_PROGRESS` also when
    `Enabled` is false, and then does not move on.
    """
    domain = models.create(ctx.region, params["DomainName"], params)
    if models.rules_moving(domain):
        ctx.schedule(domain, models.RULE_JOB, models.RULE_KEY)
    return models.describe(domain)


@operation("GetDomain")
def get_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """`Stats`: `ProfileCount`; `ObjectCount` and `TotalSize` (bytes of the objects' JSON)
    of the stored objects; `MeteringProfileCount` counts a profile with more than 100
    objects twice, more than 200 three times.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    out = models.describe(domain)
    count = len(domain.part(PROFILES))
    objects = domain.part(OBJECTS)
    out["Stats"] = {
        "ProfileCount": count,
        "MeteringProfileCount": count + objects.metering_extra,
        "ObjectCount": len(objects),
        "TotalSize": objects.total_size,
    }
    return out


@operation("ListDomains")
def list_domains(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Sorted by name; `MaxResults` / `NextToken`.

    [INFERRED] Sorted by name, 100 per page by default; tokens are opaque and bound to
    the query that issued them (`The NextToken is invalid or has expired`).
    """
    domains = ctx.region.domains.sorted()
    page, token = paginate(domains, params, fingerprint("ListDomains"), models.LIST_DOMAINS_PAGE)
    return items_page([models.summary(domain) for domain in page], token)


@operation("UpdateDomain")
def update_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Omitted fields are kept; `""` clears `DefaultEncryptionKey` and
    `DeadLetterQueueUrl`; `Matching`, `RuleBasedMatching` and `DataStore` are replaced
    whole; `Tags` are merged in (at most 50); `LastUpdatedAt` moves, `CreatedAt` stays;
    newly enabling rule-based matching makes its `Status` `PENDING`.

    [INFERRED] `Matching`, `RuleBasedMatching` and `DataStore` are replaced whole (not
    member by member). `Tags` are merged into the domain's (a new value replaces the
    old; the documentation sends callers to `TagResource` instead), with `TagResource`'s
    limit and message; a refused request changes nothing, `LastUpdatedAt` included.
    `RuleBasedMatching.Status` becomes `PENDING` when rule-based matching that was
    absent or disabled is enabled, and also when a domain is first given a disabled
    `RuleBasedMatching`; else it keeps the status it had. An enabled one moves on a job
    step at a time (`PENDING`, `IN_PROGRESS`, `ACTIVE`); changing its configuration while
    it is `IN_PROGRESS` is 400 `Rule-based matching of domain DOMAIN is IN_PROGRESS: its
    configuration cannot change until its Status is ACTIVE` [MODEL: "you can no longer
    change the Rule-based matching configuration"; INFERRED: the text].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.update(domain, params)
    if "RuleBasedMatching" in params and models.rules_moving(domain):
        ctx.schedule(domain, models.RULE_JOB, models.RULE_KEY)
    return models.describe(domain)


@operation("DeleteDomain")
def delete_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes its profiles, objects, object types, keys and tags; answers `{"Message":
    "Domain Deleted"}`.

    [INFERRED] `Domain Deleted` is the only public example of the answer, so it may not
    be the text for every domain. An unknown domain is 404 `Domain NAME does not exist`,
    as in every operation that names a domain.
    """
    ctx.region.domains.delete(params["DomainName"])
    return {"Message": models.DELETED_MESSAGE}
