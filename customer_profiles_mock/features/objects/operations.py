"""The objects operations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.object_types.models import (
    OBJECT_TYPES,
    ObjectType,
    not_found_message,
)
from customer_profiles_mock.features.object_types.templates import catalogue
from customer_profiles_mock.features.objects.models import (
    DELETE_MESSAGE,
    OBJECTS,
    OBJECTS_PAGE,
    STANDARD_TYPES,
    ingest,
)
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


def _object_type(ctx: Context, domain: Domain, name: str) -> ObjectType:
    if name in STANDARD_TYPES:
        raise BadRequestException(
            f"Standard object type {name} is rejected at ingestion: use CreateProfile or "
            "UpdateProfile for profiles"
        )
    otype = domain.part(OBJECT_TYPES).resolve(name, catalogue(ctx.templates))
    if otype is None:
        raise ResourceNotFoundException(not_found_message(domain.name, name))
    return otype


@operation("PutProfileObject")
def put_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    otype = _object_type(ctx, domain, params["ObjectTypeName"])
    return {"ProfileObjectUniqueKey": ingest(domain, otype, params["Object"])}


@operation("BatchPutProfileObject")
def batch_put_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    otype = _object_type(ctx, domain, params["ObjectTypeName"])
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for item in params["Items"]:
        try:
            key = ingest(domain, otype, item["Object"])
        except BadRequestException as exc:
            failed.append({"Id": item["Id"], "Code": 400, "Message": exc.message})
        else:
            successful.append({"Id": item["Id"], "ProfileObjectUniqueKey": key})
    return {"Successful": successful, "Failed": failed}


@operation("ListProfileObjects")
def list_profile_objects(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    profile_id, type_name = params["ProfileId"], params["ObjectTypeName"]
    domain.part(PROFILES).require(profile_id)
    if (
        type_name not in STANDARD_TYPES
        and domain.part(OBJECT_TYPES).resolve(type_name, catalogue(ctx.templates)) is None
    ):
        raise ResourceNotFoundException(not_found_message(domain.name, type_name))
    found = [
        (k, r) for k, r in domain.part(OBJECTS).of_profile(profile_id) if r.type_name == type_name
    ]
    object_filter = params.get("ObjectFilter")
    if object_filter:
        name = object_filter["KeyName"]
        otype = domain.part(OBJECT_TYPES).resolve(type_name, catalogue(ctx.templates))
        if otype is not None and name not in otype.keys:
            raise BadRequestException(
                f"Key {name} is not a key of object type {type_name}: "
                f"{', '.join(sorted(otype.keys))}"
            )
        wanted = {domain.part(PROFILES).normalize(name, v) for v in object_filter["Values"]}
        found = [(k, r) for k, r in found if any(n == name and v in wanted for n, v in r.keys)]
    query = fingerprint(domain.name, profile_id, type_name, object_filter)
    page, token = paginate(found, params, query, OBJECTS_PAGE)
    items = [
        {"ObjectTypeName": r.type_name, "ProfileObjectUniqueKey": k, "Object": r.text}
        for k, r in page
    ]
    return items_page(items, token)


@operation("DeleteProfileObject")
def delete_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    domain.part(PROFILES).require(params["ProfileId"])
    key = params["ProfileObjectUniqueKey"]
    record = domain.part(OBJECTS).records.get(key)
    if (
        record is None
        or record.profile_id != params["ProfileId"]
        or record.type_name != params["ObjectTypeName"]
    ):
        raise ResourceNotFoundException(f"Profile object {key} does not exist")
    domain.part(OBJECTS).remove(key)
    return {"Message": DELETE_MESSAGE}
