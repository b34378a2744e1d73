"""The areas of the API, one package each: importing this registers every operation."""

from __future__ import annotations

from customer_profiles_mock.features.domains import operations as domains
from customer_profiles_mock.features.object_types import operations as object_types
from customer_profiles_mock.features.objects import operations as objects
from customer_profiles_mock.features.profiles import operations as profiles
from customer_profiles_mock.features.tags import operations as tags

__all__ = ["domains", "object_types", "objects", "profiles", "tags"]
