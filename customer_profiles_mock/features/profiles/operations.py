"""The profiles operations."""

from __future__ import annotations

import copy
from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.profiles.models import (
    NOT_FOUND_CODE,
    NOT_FOUND_MESSAGE,
    PROFILES,
    SEARCH_PAGE,
    Extras,
    merge,
    new_profile_id,
)
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.key_index import PREDEFINED_KEYS
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire.codec import RawJSON, dumps
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


def _domain(region: Region, params: dict[str, Any]) -> Domain:
    return region.domains.get(params["DomainName"])


# The deprecated enums and the free-form fields AWS's stored profiles carry them in too.
MIRRORED = (("Gender", "GenderString"), ("PartyType", "PartyTypeString"))


def mirrored(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with `Gender` / `PartyType` copied into `GenderString` /
    `PartyTypeString` where those are not given themselves: an event-stream record AWS
    published shows a stored profile with both `Gender` and `GenderString` "MALE"
    [OSS, api-semantics.md "Gender / PartyType"; the copy itself INFERRED]."""
    for enum, text in MIRRORED:
        if enum in fields and text not in fields:
            fields = {**fields, text: fields[enum]}
    return fields


@operation("CreateProfile", eventual=True)
def create_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """ProfileIds are UUID4s as 32 lowercase hex characters. `Gender` and `PartyType` are
    also stored as `GenderString` and `PartyTypeString` unless those are given (an AWS
    event-stream record carries both) [INFERRED: the copy]. An empty structure
    (`Attributes: {}`, `Address: {}`) is not stored, so not answered [INFERRED].
    """
    fields = {k: v for k, v in params.items() if k != "DomainName"}
    return {"ProfileId": add_profile(_domain(ctx.region, params), fields)}


def add_profile(domain: Domain, fields: dict[str, Any]) -> str:
    """Create a profile of ``fields`` (CreateProfile's members) as CreateProfile does, the
    change feed told CREATED; its new id."""
    profile_id = new_profile_id()
    profile = {"ProfileId": profile_id}
    profile.update((k, v) for k, v in mirrored(fields).items() if v != {})
    domain.part(PROFILES).add([profile])
    domain.changed("CREATED", profile_id, profile)
    return profile_id


@operation("DeleteProfile", eventual=True)
def delete_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `Profile PROFILE_ID was deleted.` [INFERRED: the text]; a missing profile is
    404 `Profile PROFILE_ID does not exist` [INFERRED].
    """
    domain = _domain(ctx.region, params)
    profile = domain.part(PROFILES).remove(params["ProfileId"])
    domain.profile_deleted(params["ProfileId"])
    domain.changed("DELETED_BY_CUSTOMER", params["ProfileId"], profile)
    return {"Message": f"Profile {params['ProfileId']} was deleted."}


@operation("BatchGetProfile")
def batch_get_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Unknown ids come back in `Errors` as `{"Code": "404", "Message": "Profile not
    found"}` with HTTP 200; duplicates answered once; `Profiles` in request order; both
    lists always present.

    [INFERRED] The text `Profile not found` with `Code "404"`; duplicate ids answered
    once; `Profiles` in request order. `fail_items` (`fail_profiles`) faults fail single
    ids inside the 200.
    """
    profiles = _domain(ctx.region, params).part(PROFILES)
    found: list[RawJSON] = []
    errors: list[dict[str, str]] = []
    for profile_id in dict.fromkeys(params["ProfileIds"]):
        profile = profiles.encoded(profile_id)
        if profile is not None:
            found.append(profile)
        else:
            errors.append(
                {"Code": NOT_FOUND_CODE, "Message": NOT_FOUND_MESSAGE, "ProfileId": profile_id}
            )
    return {"Errors": errors, "Profiles": found}


@operation("SearchProfiles")
def search_profiles(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """`_profileId`, `_email`, `_phone`, `_account`, `_fullName`, and every key an object
    type defines or AddProfileKey or ingestion gave values; values normalised by the
    key's content type (see [Fidelity](../fidelity.md)); `AdditionalSearchKeys` with
    `AND` / `OR` (default); `FoundByItems`; `MaxResults` (default 20) / `NextToken`.

    [INFERRED] Values are normalised by the key's content type, the predefined keys' too
    (`_email` as EMAIL_ADDRESS, `_phone` as PHONE_NUMBER, `_fullName` as NAME). A search
    key is "defined in the domain" when it is predefined, an object type defines it, or
    AddProfileKey or ingestion ever gave it a value there (it stays defined when the
    values go); any other key is 400 `Search key NAME is not defined in domain DOMAIN`;
    predefined keys that the standard profile does not fill match nothing.
    `FoundByItems`: with OR the keys and values the profile matched, with AND every
    requested key and its values.
    """
    domain_name = params["DomainName"]
    domain = _domain(ctx.region, params)
    profiles = domain.part(PROFILES)
    keys = [(params["KeyName"], params["Values"])]
    keys += [(k["KeyName"], k["Values"]) for k in params.get("AdditionalSearchKeys", ())]
    for name, _ in keys:
        if not profiles.defines(name):
            raise BadRequestException(f"Search key {name} is not defined in domain {domain_name}")
    use_and = params.get("LogicalOperator", "OR") == "AND"
    # Per key: profile id -> the requested values it was found by.
    hits: list[dict[str, list[str]]] = []
    for name, values in keys:
        found: dict[str, list[str]] = {}
        for value in dict.fromkeys(values):
            for profile_id in domain.find(name, value):
                found.setdefault(profile_id, []).append(value)
        hits.append(found)
    matched = set(hits[0]).intersection(*hits[1:]) if use_and else set().union(*hits)
    query = fingerprint(domain_name, keys, use_and)
    page, token = paginate(profiles.in_order(matched), params, query, SEARCH_PAGE)
    items = []
    for profile_id in page:
        if use_and:
            found_by = [{"KeyName": n, "Values": list(dict.fromkeys(v))} for n, v in keys]
        else:
            found_by = [
                {"KeyName": n, "Values": found[profile_id]}
                for (n, _), found in zip(keys, hits, strict=True)
                if profile_id in found
            ]
        # The stored profile's JSON with FoundByItems spliced in before its closing brace.
        encoded = profiles.encoded(profile_id) or "{}"
        items.append(RawJSON(f'{encoded[:-1]},"FoundByItems":{dumps(found_by)}}}'))
    return items_page(items, token)


# The standard profile's structures that UpdateProfile merges member by member.
MERGED_STRUCTURES = ("Address", "ShippingAddress", "MailingAddress", "BillingAddress", "Attributes")


def updated(profile: dict[str, Any], changes: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """``profile`` with UpdateProfile's ``changes`` applied, and the field paths they
    touched: omitted fields are kept, ``""`` removes one; addresses merge per subfield
    and Attributes per key (``""`` removing it, an emptied structure going)."""
    new = dict(profile)
    touched: set[str] = set()
    for name, value in changes.items():
        touched.add(name)
        if name in MERGED_STRUCTURES:
            merged = dict(profile.get(name) or {})
            for member, item in value.items():
                touched.add(f"{name}.{member}")
                if item == "":
                    merged.pop(member, None)
                else:
                    merged[member] = item
            if merged:
                new[name] = merged
            else:
                new.pop(name, None)
        elif value == "" or value == {}:
            new.pop(name, None)
        else:
            new[name] = copy.deepcopy(value)
    return new, touched


def _protect(extras: Extras, touched: set[str]) -> Extras:
    """Extras with the fields a manual update touched no longer counted as ingested."""
    if not extras.written:
        return extras
    written = tuple(
        (path, source)
        for path, source in extras.written
        if path not in touched and path.split(".", 1)[0] not in touched - set(MERGED_STRUCTURES)
    )
    return extras._replace(written=written)


@operation("UpdateProfile", eventual=True)
def update_profile(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Omitted fields kept, `""` removes one; addresses merge per subfield and `Attributes`
    per key (`""` removing it); the search keys follow.

    [INFERRED] `Attributes` merge per key and addresses per subfield (the update shapes
    allow `""` there); `EngagementPreferences` is replaced whole, and an empty one
    removes it; `Gender` and `PartyType` are also written to `GenderString` and
    `PartyTypeString` unless the update gives those (as CreateProfile). A missing profile
    is 404 `Profile PROFILE_ID does not exist`.
    """
    changes = {k: v for k, v in params.items() if k not in ("DomainName", "ProfileId")}
    update_fields(_domain(ctx.region, params), params["ProfileId"], changes)
    return {"ProfileId": params["ProfileId"]}


def update_fields(domain: Domain, profile_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` (UpdateProfile's members) to a profile as UpdateProfile does, the
    change feed told UPDATED; the profile after it (a 404 for a missing one)."""
    profiles = domain.part(PROFILES)
    old = profiles.require(profile_id)
    changes = mirrored(changes)
    new, touched = updated(old, changes)
    profiles.replace(profile_id, new, _protect(profiles.extras(profile_id), touched))
    domain.changed("UPDATED", profile_id, new)
    return new


@operation("AddProfileKey", eventual=True)
def add_profile_key(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The profile becomes searchable by `KeyName` = each value (normalised by the key's
    content type; values de-duplicated; a value may find several profiles); the answer
    echoes the request.

    [INFERRED] A missing profile is 404 `Profile PROFILE_ID does not exist`. A key name
    starting with `_` that is neither a predefined search key nor one an object type
    defines is a 400 (so `_emial` is refused, not made a new key); other names are free.
    """
    domain = _domain(ctx.region, params)
    profiles = domain.part(PROFILES)
    profile_id, key = params["ProfileId"], params["KeyName"]
    if key.startswith("_") and key not in PREDEFINED_KEYS and key not in profiles.key_types:
        raise BadRequestException(
            f"Key name {key} is not defined in domain {params['DomainName']}: a key name "
            "starting with _ must be a predefined search key or a key an object type defines"
        )
    profile = profiles.require(profile_id)
    extras = profiles.extras(profile_id)
    have = {(k, v) for k, v, _ in extras.keys}
    added = tuple(
        (key, value, "")
        for value in dict.fromkeys(profiles.normalize(key, v) for v in params["Values"])
        if (key, value) not in have
    )
    if added:
        profiles.replace(profile_id, profile, extras._replace(keys=extras.keys + added))
    answer = {"KeyName": key, "Values": params["Values"]}
    domain.changed("ADDED_PROFILE_KEY", profile_id, answer)
    return answer


@operation("DeleteProfileKey", eventual=True)
def delete_profile_key(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Removes the added values of the key; values the profile's own fields give (`_email`
    from `EmailAddress`) stay while the field holds them; an absent value is a no-op.

    [INFERRED] Answers `Profile key deleted`; a missing profile is 404 `Profile
    PROFILE_ID does not exist`.
    """
    domain = _domain(ctx.region, params)
    profiles = domain.part(PROFILES)
    profile_id, key = params["ProfileId"], params["KeyName"]
    profile = profiles.require(profile_id)
    extras = profiles.extras(profile_id)
    gone = {profiles.normalize(key, v) for v in params["Values"]}
    kept = tuple(e for e in extras.keys if e[0] != key or e[1] not in gone)
    if len(kept) != len(extras.keys):
        profiles.replace(profile_id, profile, extras._replace(keys=kept))
    domain.changed("DELETED_PROFILE_KEY", profile_id, {"KeyName": key, "Values": params["Values"]})
    return {"Message": DELETE_KEY_MESSAGE}


# [INFERRED] The texts of these messages are not documented.
DELETE_KEY_MESSAGE = "Profile key deleted"
MERGE_MESSAGE = "Profiles merged"


@operation("MergeProfiles", eventual=True)
def merge_profiles(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Fields and attribute keys unioned (the main profile, then the first merged one, wins
    a conflict); `FieldSourceProfileIds` takes a field from the profile it names even
    where that profile lacks it; keys and objects move to the main profile; the merged
    profiles are deleted (404, and `Errors` in BatchGetProfile).

    [INFERRED] Answers `Profiles merged` and runs at once (AWS runs a job); between two
    merged profiles the one listed first wins a conflict; the main profile among the
    merged ones, or a `FieldSourceProfileIds` entry naming a profile outside the merge,
    is a 400; a missing profile is 404 `Profile PROFILE_ID does not exist`.
    """
    domain = _domain(ctx.region, params)
    merge(
        domain,
        params["MainProfileId"],
        list(dict.fromkeys(params["ProfileIdsToBeMerged"])),
        params.get("FieldSourceProfileIds") or {},
    )
    return {"Message": MERGE_MESSAGE}


# [MODEL] AttributeValueItem.Value: 1 to 255 characters. AdditionalInformation takes 1,000;
# [INFERRED] a longer value is left out of the list rather than answered cut.
MAX_ATTRIBUTE_VALUE = 255


@operation("ListProfileAttributeValues")
def list_profile_attribute_values(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Distinct values, first seen first, of a standard field (`FirstName`, `Address.City`)
    or `Attributes.KEY`; `StatusCode` carries the HTTP status.

    [INFERRED] Takes a standard field's name (`FirstName`, `Address.City`) or
    `Attributes.KEY`; any other name is a 400.
    """
    domain = _domain(ctx.region, params)
    name = params["AttributeName"]
    path = attribute_path(name)
    if path is None:
        raise BadRequestException(f"Attribute {name} is not a profile attribute")
    values: dict[str, None] = {}
    for profile in domain.part(PROFILES):
        value: Any = profile
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and 0 < len(value) <= MAX_ATTRIBUTE_VALUE:
            values[value] = None
    return {
        "DomainName": domain.name,
        "AttributeName": name,
        "Items": [{"Value": value} for value in values],
        "StatusCode": 200,
    }


def attribute_path(name: str) -> tuple[str, ...] | None:
    """Where a profile attribute name (``FirstName``, ``Address.City``,
    ``Attributes.tier``) points in a stored profile [INFERRED]; None for no attribute."""
    parts = tuple(name.split("."))
    if len(parts) == 2 and parts[0] == "Attributes" and parts[1]:
        return parts
    shape = _model.operation_model("CreateProfile").input_shape
    for part in parts:
        if shape.type_name != "structure" or part not in shape.members or part == "DomainName":
            return None
        shape = shape.members[part]
    return parts if shape.type_name == "string" else None
