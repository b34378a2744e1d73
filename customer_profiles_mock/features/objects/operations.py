"""The objects operations."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.object_types.models import (
    OBJECT_TYPES,
    ObjectType,
    not_found_message,
)
from customer_profiles_mock.features.object_types.standard_objects import STANDARD_OBJECTS
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


@operation("PutProfileObject", eventual=True)
def put_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Fields extracted from `_source` paths and Handlebars templates; keys normalised by
    content type; an object with the same UNIQUE value is replaced whole and keeps its
    key (and profile); profile found by the PROFILE keys, then the SECONDARY ones (a key
    finding several profiles is skipped); else an inferred profile when the type allows
    it, else a dead letter (200; `cp.dead_letters(domain)`); targeted fields written
    unless CreateProfile/UpdateProfile set them (a type with `SourcePriority` may; a
    better priority wins between types); the keys become searchable; a template id is a
    type of its own at first use.

    [INFERRED] Ingestion runs at once (AWS queues it). An object no profile matches, of
    a type without `AllowProfileCreation`, is answered 200 with a key and kept in
    `cp.dead_letters(domain)` (AWS sends it to the dead-letter queue). A key made of
    several fields joins their values with `_`. An object replacing one with the same
    UNIQUE value stays with that object's profile. A type that sets no `SourcePriority`
    does not overwrite a field a prioritised type wrote; between two without one the
    last write wins. Fields targeting a standard object (`_asset.*`, `_airBooking.*`,
    ...) write the standard object the key carrying its standard identifier names: one
    per value of that key, updated field by field, listable as `_asset` etc. (see
    ListProfileObjects). `CTR`: a contact record no key associates goes to the one
    profile already holding a record of that type with its phone [MODEL: "Any
    additional Contact Records with the same phone number will be mapped to the same
    inferred profile"]. `CTR-NoInferred`: a phone that finds more than one profile is a
    400 `Object type TYPE cannot associate the contact record: N profiles match _phone`
    [DOC ctr-contact-record-template: "the request will be rejected"; the message is
    inferred]. Messages: `Object is not valid JSON`, `Object must be a JSON object`,
    `The UNIQUE key KEY of object type TYPE has no value in the object`, `Every PROFILE
    key of object type TYPE is empty in the object: KEYS`, `Standard object type NAME is
    rejected at ingestion: use CreateProfile or UpdateProfile for profiles`.
    `ProfileObjectUniqueKey` is an opaque 24-character URL-safe string. Quotas on
    objects per profile and `MaxProfileObjectCount` are not enforced.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    otype = _object_type(ctx, domain, params["ObjectTypeName"])
    return {"ProfileObjectUniqueKey": ingest(domain, otype, params["Object"])}


@operation("BatchPutProfileObject", eventual=True)
def batch_put_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each item ingested as PutProfileObject does, on its own: `Successful` with its
    `ProfileObjectUniqueKey`, or `Failed` with `Code` 400 and the message a
    PutProfileObject would get; an unknown object type fails the whole call (404).
    `fail_items` faults fail chosen items (by `Id`) inside the 200, writing nothing of them.
    An `Id` is "unique in the request" [MODEL]: an item repeating one fails with 400 `Id
    ID appears more than once in the request` and is not ingested; the first is.

    [INFERRED] Everything PutProfileObject infers applies to each item; a repeated `Id`
    is refused per item, not for the whole call, and its message.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    otype = _object_type(ctx, domain, params["ObjectTypeName"])
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in params["Items"]:
        if item["Id"] in seen:
            failed.append({"Id": item["Id"], "Code": 400, "Message": repeated_id(item["Id"])})
            continue
        seen.add(item["Id"])
        try:
            key = ingest(domain, otype, item["Object"])
        except BadRequestException as exc:
            failed.append({"Id": item["Id"], "Code": 400, "Message": exc.message})
        else:
            successful.append({"Id": item["Id"], "ProfileObjectUniqueKey": key})
    return {"Successful": successful, "Failed": failed}


def repeated_id(item_id: str) -> str:
    return f"Id {item_id} appears more than once in the request"


@operation("ListProfileObjects")
def list_profile_objects(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Newest first; `Object` is the JSON text exactly as it was put; `ObjectFilter` keeps
    objects whose key of that name has one of the values (normalised); `MaxResults`
    (default 20) / `NextToken`; a missing profile or object type is 404. A standard type
    (`_asset`, `_order`, `_case`, `_airBooking`, ...) lists the standard objects
    ingestion wrote to the profile, filterable by its predefined keys (`_assetId`,
    `_assetName`, `_serialNumber`, `_orderId`, `_caseId`, `_loyaltyId`, ...) [MODEL
    ObjectFilter.KeyName, DOC standard objects].

    [INFERRED] `ObjectFilter` takes a key of that object type (of a standard object: one
    of its predefined keys, when the guide names any); another name is a 400 naming the
    type's keys. A standard object's `Object` is its fields as JSON, with its identifier.
    """
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
        standard = STANDARD_OBJECTS.get(type_name)
        names = otype.keys if otype is not None else standard.keys if standard else {}
        if names and name not in names:
            raise BadRequestException(
                f"Key {name} is not a key of object type {type_name}: {', '.join(sorted(names))}"
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


@operation("DeleteProfileObject", eventual=True)
def delete_profile_object(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """404 `Profile object KEY does not exist` unless the key names an object of that
    profile and type; the fields and keys it gave the profile stay; answers `Profile
    object deleted`.
    """
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
