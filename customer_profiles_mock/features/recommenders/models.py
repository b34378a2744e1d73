"""The recommender recipes, and recommenders in the generic resource table."""

from __future__ import annotations

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
# ListRecommenderRecipes' default MaxResults [MODEL: "The default value is 100"].
LIST_PAGE = 100


def listed() -> list[dict[str, str]]:
    """The recipes as ListRecommenderRecipes lists them: lower-case ``name`` and
    ``description`` [MODEL]."""
    return [{"name": name, "description": description} for name, description in RECIPES]
