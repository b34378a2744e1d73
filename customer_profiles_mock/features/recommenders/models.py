"""The recommender recipes, and recommenders in the generic resource table."""

from __future__ import annotations

import time
from typing import Any

from customer_profiles_mock.features.recommender_schemas.models import (
    DELETING,
    MANDATORY,
    being_deleted,
    check_dataset,
    columns,
    register_users,
    usable,
)
from customer_profiles_mock.store.domain import Domain, DomainPart, later, register_part
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table
from customer_profiles_mock.wire.errors import BadRequestException

# Each recipe the model names [MODEL RecommenderRecipeName], in the model's order, with a
# description [INFERRED: AWS publishes none; these follow Amazon Personalize's recipes of
# the same names].
RECIPES = (
    (
        "recommended-for-you",
        "Personalized recommendations of catalog items for a profile, learned from its "
        "interactions and the item catalog.",
    ),
    (
        "similar-items",
        "Items similar to a given item, learned from co-interactions and item metadata.",
    ),
    (
        "frequently-paired-items",
        "Items that profiles frequently interact with together with a given item.",
    ),
    ("popular-items", "The items most popular across all profiles."),
    ("trending-now", "The items whose popularity among profiles grows the fastest."),
    (
        "personalized-ranking",
        "A profile's personalized ranking of a given list of items (CandidateIds).",
    ),
)
NAMES = tuple(name for name, _ in RECIPES)
# The recipe that only re-ranks the request's CandidateIds [MODEL: CandidateIds "Required
# for personalized-ranking use cases"].
RANKING = "personalized-ranking"
# The lists' default MaxResults (ListRecommenderRecipes, ListRecommenders) [MODEL: "The
# default value is 100"].
LIST_PAGE = 100


def recipes_listed() -> list[dict[str, str]]:
    """The recipes as ListRecommenderRecipes lists them: lower-case ``name`` and
    ``description`` [MODEL]."""
    return [{"name": name, "description": description} for name, description in RECIPES]


# -- the recommendations a test seeds ---------------------------------------------------

# A seeded answer: Recommendations as the API answers them, ``{CatalogItem, Score}``.
Items = tuple[dict[str, Any], ...]


class Seeds(DomainPart):
    """The recommendations tests seeded (``cp.seed_recommendations``), by recommender and
    profile (None: every profile of the domain without its own)."""

    __slots__ = ("_items",)

    def __init__(self, frozen: dict[tuple[str, str | None], Items] | None = None) -> None:
        self._items: dict[tuple[str, str | None], Items] = dict(frozen or {})

    def freeze(self) -> dict[tuple[str, str | None], Items]:
        return dict(self._items)  # the items are replaced, never changed

    def put(self, recommender: str, profile_id: str | None, items: Items) -> None:
        """Seed ``items``, kept highest ``Score`` first (ties in the order given)."""
        ranked = sorted(items, key=lambda item: -item["Score"])
        self._items[(recommender, profile_id)] = tuple(ranked)

    def items(self, recommender: str, profile_id: str) -> Items | None:
        """The profile's seeded items, else the recommender's for every profile, else None."""
        found = self._items.get((recommender, profile_id))
        return found if found is not None else self._items.get((recommender, None))

    def drop(self, recommender: str) -> None:
        """A deleted recommender's seeds go with it."""
        for key in [key for key in self._items if key[0] == recommender]:
            del self._items[key]

    def on_profile_deleted(self, domain: Domain, profile_id: str) -> None:
        for key in [key for key in self._items if key[1] == profile_id]:
            del self._items[key]

    def on_profiles_merged(self, domain: Domain, main_id: str, merged_ids: list[str]) -> None:
        for merged in merged_ids:
            self.on_profile_deleted(domain, merged)


SEEDS = register_part(
    "recommendation_seeds", lambda domain: Seeds(), lambda domain, frozen: Seeds(frozen)
)


# -- recommenders -----------------------------------------------------------------------
#
# A recommender is a ``Resource`` (``domain.part(RECOMMENDERS)``) whose members are what
# CreateRecommender gave (RecommenderRecipeName, RecommenderSchemaName, RecommenderConfig,
# Description), its ``Status``, and what training made: ``Versions`` (every version
# trained, oldest first), ``ActiveRecommenderVersionName``, ``TrainingMetrics`` (newest
# last) and ``LatestRecommenderUpdate``. Its states move on the job schedule, one state a
# step [INFERRED: Amazon Personalize's recommender states mapped onto the model's enum]:
# PENDING -> IN_PROGRESS -> ACTIVE (a version trained), ACTIVE -> STOPPING -> INACTIVE,
# INACTIVE -> STARTING -> ACTIVE, DELETING -> gone; an update IN_PROGRESS -> ACTIVE.

# The states a step moves on from, and to [INFERRED].
NEXT = {"PENDING": "IN_PROGRESS", "STOPPING": "INACTIVE", "STARTING": "ACTIVE"}
# The states a recommender rests in between requests: Delete is taken only there.
SETTLED = ("ACTIVE", "INACTIVE", "FAILED")
IN_PROGRESS = "IN_PROGRESS"
# The figures every training reports [INFERRED: fixed, so tests can assert them; the
# model's TrainingMetricName keys].
METRICS = {
    "coverage": 0.5,
    "hit": 0.25,
    "mean_reciprocal_rank_at_25": 0.2,
    "normalized_discounted_cumulative_gain_at_10": 0.3,
    "precision_at_10": 0.1,
    "recall": 0.35,
}
# GetRecommender's TrainingMetrics when TrainingMetricsCount is omitted [INFERRED].
METRICS_SHOWN = 1
VERSION_TIME = "%Y-%m-%dT%H-%M-%SZ"
# The members a request gives that a recommender stores as given.
GIVEN = ("RecommenderRecipeName", "RecommenderSchemaName", "RecommenderConfig", "Description")


def _advance(domain: Domain, recommender: Resource) -> bool:
    """One step of ``recommender``'s states (see above); True while more follow."""
    members = recommender.members
    status = members["Status"]
    update = members.get("LatestRecommenderUpdate")
    if status in NEXT:
        _set(recommender, Status=NEXT[status])
        return NEXT[status] == IN_PROGRESS
    if status == IN_PROGRESS:
        trained(recommender, members.get("RecommenderConfig"))
        _set(recommender, Status="ACTIVE")
    elif update is not None and update["Status"] == IN_PROGRESS:
        _finish_update(recommender, update)
    elif status == DELETING:
        domain.part(RECOMMENDERS).delete(recommender.name)
        domain.part(SEEDS).drop(recommender.name)
    return False


# Every domain's recommenders: ``domain.part(RECOMMENDERS)``. [INFERRED] ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/recommenders/NAME``; TagResource reaches it.
RECOMMENDERS = resource_table(
    "recommenders", ResourceKind("Recommender", "recommenders", advance=_advance)
)


def _set(recommender: Resource, **changes: Any) -> None:
    recommender.members = {**recommender.members, **changes}
    recommender.updated_at = later(recommender.updated_at)


def set_status(recommender: Resource, status: str) -> None:
    """Move ``recommender`` to ``status`` (its LastUpdatedAt with it)."""
    _set(recommender, Status=status)


def version_name(recommender: Resource) -> str:
    """A new version's name, ``NAME/YYYY-MM-DDTHH-MM-SSZ`` (UTC) [MODEL: the pattern], a
    second later than the last one when trained within the same second."""
    versions = recommender.members.get("Versions", ())
    at = time.time()
    while True:
        name = f"{recommender.name}/{time.strftime(VERSION_TIME, time.gmtime(at))}"
        if name not in versions:
            return name
        at += 1


def trained(recommender: Resource, config: dict[str, Any] | None) -> str:
    """Train a new version on ``config``: it becomes the active one, with one
    TrainingMetrics entry [INFERRED]."""
    name = version_name(recommender)
    members = recommender.members
    metrics = {"Time": time.time(), "Metrics": dict(METRICS), "RecommenderVersionName": name}
    _set(
        recommender,
        Versions=(*members.get("Versions", ()), name),
        TrainingMetrics=(*members.get("TrainingMetrics", ()), metrics),
        ActiveRecommenderVersionName=name,
    )
    if config is not None:
        _set(recommender, RecommenderConfig=config)
    return name


def _finish_update(recommender: Resource, update: dict[str, Any]) -> None:
    """An update's last step: its config applied, and its version (a rolled-back one, or
    one trained on the new config) active [INFERRED]."""
    config = update.get("RecommenderConfig")
    version = update.get("RecommenderVersionName")
    if version is not None:
        _set(recommender, ActiveRecommenderVersionName=version)
        if config is not None:
            _set(recommender, RecommenderConfig=config)
    else:
        version = trained(recommender, config)
    finished = {**update, "Status": "ACTIVE", "RecommenderVersionName": version}
    finished["LastUpdatedAt"] = recommender.updated_at
    _set(recommender, LatestRecommenderUpdate=finished)


def start_update(recommender: Resource, params: dict[str, Any]) -> bool:
    """Apply UpdateRecommender: ``Description`` at once; a ``RecommenderConfig`` or a
    ``RecommenderVersionName`` starts an update IN_PROGRESS that the next job step
    finishes. True when an update was started."""
    if "Description" in params:
        _set(recommender, Description=params["Description"])
    if "RecommenderConfig" not in params and "RecommenderVersionName" not in params:
        return False
    now = time.time()
    update: dict[str, Any] = {
        "RecommenderConfig": params.get(
            "RecommenderConfig", recommender.members.get("RecommenderConfig")
        ),
        "Status": IN_PROGRESS,
        "CreatedAt": now,
        "LastUpdatedAt": now,
    }
    if "RecommenderVersionName" in params:
        update["RecommenderVersionName"] = params["RecommenderVersionName"]
    if update["RecommenderConfig"] is None:
        del update["RecommenderConfig"]
    _set(recommender, LatestRecommenderUpdate=update)
    return True


def updating(recommender: Resource) -> bool:
    update = recommender.members.get("LatestRecommenderUpdate")
    return update is not None and update["Status"] == IN_PROGRESS


def check_status(recommender: Resource, action: str, allowed: tuple[str, ...]) -> None:
    """A 400 unless ``recommender`` is in one of ``allowed`` with no update in progress
    [INFERRED: the rule, as Amazon Personalize's; the wording]."""
    status = recommender.members["Status"]
    if status == DELETING:
        raise BadRequestException(being_deleted("Recommender", recommender.name))
    if updating(recommender):
        raise BadRequestException(
            f"Recommender {recommender.name} cannot be {action} while an update is in progress"
        )
    if status not in allowed:
        raise BadRequestException(
            f"Recommender {recommender.name} cannot be {action} in status {status}; "
            f"it must be {' or '.join(allowed)}"
        )


def check_version(recommender: Resource, version: str) -> None:
    """``RecommenderVersionName`` must be a version this recommender trained [MODEL: "to
    roll back to a previously trained version"]; else a 400 [INFERRED: code and wording]."""
    if version not in recommender.members.get("Versions", ()):
        raise BadRequestException(
            f"Recommender version {version} does not exist for recommender {recommender.name}"
        )


def new_members(params: dict[str, Any]) -> dict[str, Any]:
    """A new recommender: what the request gives, PENDING [INFERRED]."""
    members = {name: params[name] for name in GIVEN if name in params}
    members["Status"] = "PENDING"
    return members


register_users(RECOMMENDERS)

# -- the configuration's rules ----------------------------------------------------------


def check_config(domain: Domain, config: dict[str, Any], schema_name: str | None) -> None:
    """RecommenderConfig's rules [MODEL, each a 400 in our words]: IncludedColumns and
    ExcludedColumns exclusive; their keys ``_webAnalytics``/``_catalogItem``; their columns
    the schema's (any column with the default schema, whose columns are not known
    [INFERRED]); ExcludedColumns without a mandatory column; an event type once in
    EventParametersList [INFERRED]; a diversity column the schema's ``_catalogItem``
    column, a PERCENTAGE target at most 100 [INFERRED]."""
    schema = usable(domain, schema_name) if schema_name is not None else None
    if "IncludedColumns" in config and "ExcludedColumns" in config:
        raise BadRequestException(
            "IncludedColumns and ExcludedColumns are mutually exclusive: give one of them"
        )
    for member in ("IncludedColumns", "ExcludedColumns"):
        for dataset, names in config.get(member, {}).items():
            check_dataset(member, dataset)
            _check_columns(member, dataset, names, schema)
            mandatory = sorted(set(names) & set(MANDATORY[dataset]))
            if member == "ExcludedColumns" and mandatory:
                raise BadRequestException(
                    f"ExcludedColumns {dataset} cannot exclude the mandatory column {mandatory[0]}"
                )
    events = [e["EventType"] for e in config.get("EventsConfig", {}).get("EventParametersList", ())]
    for event in events:
        if events.count(event) > 1:
            raise BadRequestException(f"EventParametersList names event type {event} twice")
    for column in config.get("DiversityConfig", {}).get("DiversityColumns", ()):
        _check_columns("DiversityColumns", "_catalogItem", [column["Name"]], schema)
        target = column["Target"]
        if column["CapType"] == "PERCENTAGE" and target.isdigit() and int(target) > 100:
            raise BadRequestException(
                f"DiversityColumns {column['Name']}: a PERCENTAGE Target is at most 100, "
                f"got {target}"
            )


def _check_columns(member: str, dataset: str, names: list[str], schema: Resource | None) -> None:
    defined = columns(schema, dataset)
    if defined is None or schema is None:
        return
    for name in names:
        if name not in defined:
            raise BadRequestException(
                f"{member} {dataset} names the column {name}, which recommender schema "
                f"{schema.name} does not define"
            )


# -- how the operations show one --------------------------------------------------------

# What GetRecommender shows of the members, in the model's order.
SHOWN = (
    "RecommenderRecipeName",
    "RecommenderSchemaName",
    "RecommenderConfig",
    "Description",
    "Status",
    "FailureReason",
    "LatestRecommenderUpdate",
)


def _common(recommender: Resource) -> dict[str, Any]:
    members = recommender.members
    out: dict[str, Any] = {"RecommenderName": recommender.name}
    out.update((name, members[name]) for name in SHOWN if name in members)
    out["CreatedAt"] = recommender.created_at
    out["LastUpdatedAt"] = recommender.updated_at
    if recommender.tags:
        out["Tags"] = dict(recommender.tags)
    return out


def shown(recommender: Resource, metrics_count: int | None) -> dict[str, Any]:
    """GetRecommender's answer: with the active version and the latest
    ``metrics_count`` TrainingMetrics, newest first (1 when omitted [INFERRED])."""
    out = _common(recommender)
    members = recommender.members
    if "ActiveRecommenderVersionName" in members:
        out["ActiveRecommenderVersionName"] = members["ActiveRecommenderVersionName"]
    count = METRICS_SHOWN if metrics_count is None else metrics_count
    metrics = list(reversed(members.get("TrainingMetrics", ())))[:count]
    if metrics:
        out["TrainingMetrics"] = metrics
    return out


def listed(recommender: Resource) -> dict[str, Any]:
    """A recommender as ListRecommenders lists it: ``RecipeName``, not
    ``RecommenderRecipeName`` [MODEL]; no version, no metrics."""
    out = _common(recommender)
    out["RecipeName"] = out.pop("RecommenderRecipeName")
    return out
