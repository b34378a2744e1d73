"""The object types operations."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from customer_profiles_mock.core.operations import operation
from customer_profiles_mock.features.object_types import templates as _templates
from customer_profiles_mock.wire.errors import ResourceNotFoundException
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate

if TYPE_CHECKING:
    from customer_profiles_mock.store.store import Region
from customer_profiles_mock.features.object_types.models import (
    LIST_PAGE,
    delete_object_type,
    not_found_message,
    put_object_type,
)


@operation("PutProfileObjectType")
def put_profile_object_type(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    return put_object_type(domain, params, _templates.current()).describe()


@operation("GetProfileObjectType")
def get_profile_object_type(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    found = domain.object_types.find(params["ObjectTypeName"])
    if found is None:
        raise ResourceNotFoundException(not_found_message(domain.name, params["ObjectTypeName"]))
    return found.describe()


@operation("ListProfileObjectTypes")
def list_profile_object_types(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    query = fingerprint("ListProfileObjectTypes", domain.name)
    page, token = paginate(domain.object_types.sorted(), params, query, LIST_PAGE)
    return items_page([object_type.summary() for object_type in page], token)


@operation("DeleteProfileObjectType")
def delete_profile_object_type(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    domain = region.domains.get(params["DomainName"])
    name = params["ObjectTypeName"]
    delete_object_type(domain, name)
    return {"Message": f"Object type {name} was deleted."}


@operation("ListProfileObjectTypeTemplates")
def list_profile_object_type_templates(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    templates = _templates.current()
    ids = sorted(templates)
    page, token = paginate(ids, params, fingerprint("ListProfileObjectTypeTemplates"), LIST_PAGE)
    items = [
        {k: templates[i][k] for k in ("TemplateId", "SourceName", "SourceObject")} for i in page
    ]
    return items_page(items, token)


@operation("GetProfileObjectTypeTemplate")
def get_profile_object_type_template(region: Region, params: dict[str, Any]) -> dict[str, Any]:
    template = _templates.current().get(params["TemplateId"])
    if template is None:
        raise ResourceNotFoundException(_templates.not_found_message(params["TemplateId"]))
    return copy.deepcopy(template)
