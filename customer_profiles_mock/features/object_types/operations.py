"""The object types operations."""

from __future__ import annotations

import copy
from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.object_types import templates as _templates
from customer_profiles_mock.features.object_types.models import (
    LIST_PAGE,
    OBJECT_TYPES,
    delete_object_type,
    not_found_message,
    put_object_type,
)
from customer_profiles_mock.wire.errors import ResourceNotFoundException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("PutProfileObjectType")
def put_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Create or replace (`CreatedAt` kept); every documented rule is a 400 naming the
    field or key, before any change.

    The rules, each a `400 BadRequestException`: exactly one `UNIQUE` key; at least one
    `PROFILE` key, and with `AllowProfileCreation` one that is neither `LOOKUP_ONLY` nor
    `NEW_ONLY` (or `_profileId`); `UNIQUE` never with `LOOKUP_ONLY` or `NEW_ONLY`;
    `SECONDARY` only with `PROFILE`; a field targeting a standard object (`_asset.*`,
    `_order.*`, `_case.*`, `_airBooking.*`, `_loyalty.*`, ... : every object the model's
    `StandardIdentifier` names) needs a key with its identifier (`ASSET`, `AIR_BOOKING`,
    ...); every `Target` a standard profile field (those of CreateProfile,
    `_profile.Attributes.X`, `_profile.SourceLastUpdatedTimestamp`, which needs
    `SourceLastUpdatedTimestampFormat`) or a documented field of a standard object
    (`_airBooking.Loyalty.MembershipId`), never a system id (`_profile.ProfileId`,
    `_asset.AssetId`, `_airBooking.BookingId`, ...); not both `Gender` and `GenderString`
    (`PartyType` and `PartyTypeString`); every key's `FieldNames` in `Fields`; a key name
    the domain's other types define keeps its content type (that of its fields); at most 250
    fields, 10 key definitions, 50 tags and 100 object types a domain; key names start with
    a letter or are predefined keys (`_email`, `_phone`, ...); `Tags` / `tags` are no field
    or key name; `_profileId`, `_orderId`, `_caseId` and `_assetId` must be `LOOKUP_ONLY`;
    type names do not start with `_`; `TemplateId` or both `Fields` and `Keys`, and with a
    `TemplateId` no `AllowProfileCreation`, `SourceLastUpdatedTimestampFormat`, `Fields` or
    `Keys`. A `TemplateId` the catalogue lacks is a 404, as in GetProfileObjectTypeTemplate.

    [INFERRED] `ExpirationDays` defaults to the domain's `DefaultExpirationDays`,
    `AllowProfileCreation` to false; a replace keeps `CreatedAt`, sets `LastUpdatedAt`,
    and merges the `Tags` it gives into the type's (at most 50 in all). A field needs a
    `Source`; a key's content type is that of its fields (STRING when they have none or
    disagree). A `Source` is checked when the type is put: a path must start with
    `_source`, and a template must be the documented Handlebars subset (`unclosed
    {{#if}} at offset 0`). Messages: `Object type NAME does not exist in domain DOMAIN`,
    `Template ID does not exist` (404, for an unknown `TemplateId`), and the rules'
    messages (the mock's wording, e.g. `Keys must have exactly one UNIQUE key, found
    0`). Where the docs leave a rule open: a `_profileId` key satisfies the
    `AllowProfileCreation` rule; underscore key names are the predefined search keys (or
    keys the domain's types define); standard-object targets are the admin guide's
    fields, and lists (`_order.OrderItems`, `_profile.EngagementPreferences.*`) are no
    targets. When an object type gives a key a new content type, values stored for it
    before (by AddProfileKey or ingestion) stay normalised the old way; the profiles'
    own fields are indexed the new way.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return put_object_type(domain, params, _templates.catalogue(ctx.templates)).describe()


@operation("GetProfileObjectType")
def get_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """A type made from a template answers with the template's `Fields`, `Keys` and
    settings.

    [INFERRED] Put and Get answer a template-based type with the template's `Fields`,
    `Keys`, `AllowProfileCreation` and `SourceLastUpdatedTimestampFormat`;
    `MaxAvailableProfileObjectCount` is never reported. A name that is no defined type
    but a template id is, for ingestion, an implicit type made from that template: the
    first object put under it defines the type, which Get and List show from then on.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    found = domain.part(OBJECT_TYPES).find(params["ObjectTypeName"])
    if found is None:
        raise ResourceNotFoundException(not_found_message(domain.name, params["ObjectTypeName"]))
    return found.describe()


@operation("ListProfileObjectTypes")
def list_profile_object_types(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Sorted by name; `MaxResults` / `NextToken`.

    [INFERRED] Sorted by name, 100 per page by default.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListProfileObjectTypes", domain.name)
    page, token = paginate(domain.part(OBJECT_TYPES).sorted(), params, query, LIST_PAGE)
    return items_page([object_type.summary() for object_type in page], token)


@operation("DeleteProfileObjectType")
def delete_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """404 for a type the domain lacks; the key names only it defined go with it.

    [INFERRED] Deleting an object type removes its objects, the standard-profile fields
    it wrote and the keys only it stored. Answers `Object type NAME was deleted.`; a
    type the domain lacks is 404 `Object type NAME does not exist in domain DOMAIN`.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    name = params["ObjectTypeName"]
    delete_object_type(domain, name)
    return {"Message": f"Object type {name} was deleted."}


@operation("ListProfileObjectTypeTemplates")
def list_profile_object_type_templates(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Sorted by `TemplateId`; `MaxResults` / `NextToken`.

    [INFERRED] Sorted by `TemplateId`, 100 per page by default.
    """
    templates = _templates.catalogue(ctx.templates)
    ids = sorted(templates)
    page, token = paginate(ids, params, fingerprint("ListProfileObjectTypeTemplates"), LIST_PAGE)
    items = [
        {k: templates[i][k] for k in ("TemplateId", "SourceName", "SourceObject")} for i in page
    ]
    return items_page(items, token)


@operation("GetProfileObjectTypeTemplate")
def get_profile_object_type_template(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The shipped catalogue and the templates registered with `cp.register_template`.

    `Salesforce-Account`, `Salesforce-Contact`, `Zendesk-users`, `Marketo-leads`,
    `Servicenow-sys_user`, `Segment-Identify` and `Shopify-Customer` (to the standard
    profile), `Salesforce-Asset` (asset), `Zendesk-tickets`, `Servicenow-task`,
    `Servicenow-incident` (case), `Shopify-DraftOrder` and `Shopify-Order` (order) map
    the source fields the admin guide's mapping pages list to their targets and index
    them by the pages' standard index names; `Salesforce-Multi-Contact-Account-Link`,
    `Salesforce-Multi-Asset-Account-Link` and `Marketo-Multi-Lead-Account-Link` are the
    templates they resemble without the account as a profile identifier; `CTR`,
    `CTR-NoInferred` and `CTR-AutoAssociateOnly` match as the guide documents.

    [INFERRED] What the pages leave open (field names, `Source` paths, which key is
    `UNIQUE` or carries the standard identifier, the Shopify orders' `PROFILE` key,
    `AllowProfileCreation`) and the contact record's fields (see
    [Fidelity](../fidelity.md)); `Segment-Customer`, named without a mapping, is not
    shipped. An unknown id is 404 `Template ID does not exist`.
    """
    template = _templates.catalogue(ctx.templates).get(params["TemplateId"])
    if template is None:
        raise ResourceNotFoundException(_templates.not_found_message(params["TemplateId"]))
    return copy.deepcopy(template)
