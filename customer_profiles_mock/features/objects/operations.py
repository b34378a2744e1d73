"""The objects operations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from customer_profiles_mock.core.operations import operation
from customer_profiles_mock.features.object_types.models import not_found_message
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate

if TYPE_CHECKING:
    from customer_profiles_mock.features.domains.models import Domain
    from customer_profiles_mock.features.object_types.models import ObjectType
    from customer_profiles_mock.store.store import Region
from customer_profiles_mock.features.objects.models import (
    DELETE_MESSAGE,
    OBJECTS_PAGE,
    STANDARD_TYPES,
    ingest,
)


def _object_type(domain: Domain, name: str) -> ObjectType:
    if name in STANDARD_TYPES:
        raise BadRequestException(
            f"Standard object type {name} is rejected at ingestion: use CreateProfile or "
            "UpdateProfile for profiles"
        )
    otype = domain.object_types.resolve(name)
    if otype is None:
        raise ResourceNotFoundException(not_found_message(domain.name, name))
    return otype


@operation("PutProfileObject")
def put_profile_object(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    otype = _object_type(domain, params["ObjectTypeName"])
    return {"ProfileObjectUniqueKey": ingest(domain, otype, params["Object"])}


@operation("BatchPutProfileObject")
def batch_put_profile_object(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    otype = _object_type(domain, params["ObjectTypeName"])
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
def list_profile_objects(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    profile_id, type_name = params["ProfileId"], params["ObjectTypeName"]
    domain.profiles.require(profile_id)
    if type_name not in STANDARD_TYPES and domain.object_types.resolve(type_name) is None:
        raise ResourceNotFoundException(not_found_message(domain.name, type_name))
    found = [(k, r) for k, r in domain.objects.of_profile(profile_id) if r.type_name == type_name]
    object_filter = params.get("ObjectFilter")
    if object_filter:
        name = object_filter["KeyName"]
        otype = domain.object_types.resolve(type_name)
        if otype is not None and name not in otype.keys:
            raise BadRequestException(
                f"Key {name} is not a key of object type {type_name}: "
                f"{', '.join(sorted(otype.keys))}"
            )
        wanted = {domain.profiles.normalize(name, v) for v in object_filter["Values"]}
        found = [(k, r) for k, r in found if any(n == name and v in wanted for n, v in r.keys)]
    query = fingerprint(domain.name, profile_id, type_name, object_filter)
    page, token = paginate(found, params, query, OBJECTS_PAGE)
    items = [
        {"ObjectTypeName": r.type_name, "ProfileObjectUniqueKey": k, "Object": r.text}
        for k, r in page
    ]
    return items_page(items, token)


@operation("DeleteProfileObject")
def delete_profile_object(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    domain.profiles.require(params["ProfileId"])
    key = params["ProfileObjectUniqueKey"]
    record = domain.objects.records.get(key)
    if (
        record is None
        or record.profile_id != params["ProfileId"]
        or record.type_name != params["ObjectTypeName"]
    ):
        raise ResourceNotFoundException(f"Profile object {key} does not exist")
    domain.objects.remove(key)
    return {"Message": DELETE_MESSAGE}
