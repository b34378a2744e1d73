"""Domain layouts in the generic resource table, and how the layout operations show one."""

from __future__ import annotations

import json
from typing import Any

from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table, stamped
from customer_profiles_mock.wire.errors import BadRequestException

# Every domain's layouts: ``domain.part(LAYOUTS)``. [INFERRED] ARN
# ``arn:aws:profile:REGION:ACCOUNT:domains/D/layouts/NAME`` (TagResource reaches it).
LAYOUTS = resource_table("domain_layouts", ResourceKind("Layout", "layouts"))
# [INFERRED] Not documented: the model's largest MaxResults.
LIST_PAGE = 100
# The members a layout stores as given (LayoutDefinitionName is its name).
MEMBERS = ("Description", "DisplayName", "IsDefault", "LayoutType", "Layout")
# What ListDomainLayouts shows of each (not the Layout document, not the Version) [MODEL].
LISTED = ("Description", "DisplayName", "IsDefault", "LayoutType")


def check_layout(params: dict[str, Any]) -> None:
    """``Layout`` is a JSON document [DOC adminguide/layout-definition]; other text is a
    400 [INFERRED]."""
    if "Layout" in params:
        try:
            json.loads(params["Layout"])
        except ValueError:
            raise BadRequestException("Layout is not a valid JSON document") from None


def given(params: dict[str, Any]) -> dict[str, Any]:
    """The stored members a request gives."""
    return {name: params[name] for name in MEMBERS if name in params}


def shown(layout: Resource) -> dict[str, Any]:
    """A layout as Create/Get/UpdateDomainLayout answer it; ``IsDefault`` false unless set
    [INFERRED], ``Version`` "1" at creation, one more at every update [INFERRED]."""
    out = {"LayoutDefinitionName": layout.name, "IsDefault": False, **layout.members}
    out["Version"] = str(layout.version)
    return stamped(out, layout)


def listed(layout: Resource) -> dict[str, Any]:
    """A layout as ListDomainLayouts lists it."""
    out = {"LayoutDefinitionName": layout.name, "IsDefault": False}
    out.update({name: layout.members[name] for name in LISTED if name in layout.members})
    return stamped(out, layout)
