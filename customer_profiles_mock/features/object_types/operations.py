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
    domain = ctx.region.domains.get(params["DomainName"])
    return put_object_type(domain, params, _templates.catalogue(ctx.templates)).describe()


@operation("GetProfileObjectType")
def get_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    found = domain.part(OBJECT_TYPES).find(params["ObjectTypeName"])
    if found is None:
        raise ResourceNotFoundException(not_found_message(domain.name, params["ObjectTypeName"]))
    return found.describe()


@operation("ListProfileObjectTypes")
def list_profile_object_types(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListProfileObjectTypes", domain.name)
    page, token = paginate(domain.part(OBJECT_TYPES).sorted(), params, query, LIST_PAGE)
    return items_page([object_type.summary() for object_type in page], token)


@operation("DeleteProfileObjectType")
def delete_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    domain = ctx.region.domains.get(params["DomainName"])
    name = params["ObjectTypeName"]
    delete_object_type(domain, name)
    return {"Message": f"Object type {name} was deleted."}


@operation("ListProfileObjectTypeTemplates")
def list_profile_object_type_templates(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    templates = _templates.catalogue(ctx.templates)
    ids = sorted(templates)
    page, token = paginate(ids, params, fingerprint("ListProfileObjectTypeTemplates"), LIST_PAGE)
    items = [
        {k: templates[i][k] for k in ("TemplateId", "SourceName", "SourceObject")} for i in page
    ]
    return items_page(items, token)


@operation("GetProfileObjectTypeTemplate")
def get_profile_object_type_template(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    template = _templates.catalogue(ctx.templates).get(params["TemplateId"])
    if template is None:
        raise ResourceNotFoundException(_templates.not_found_message(params["TemplateId"]))
    return copy.deepcopy(template)
