"""The object-type templates: the shipped catalogue and the templates tests register.

A template is a dict as GetProfileObjectTypeTemplate answers it: ``TemplateId``,
``SourceName``, ``SourceObject``, ``AllowProfileCreation``, optionally
``SourceLastUpdatedTimestampFormat``, and the ``Fields`` and ``Keys`` of an object type.

[INFERRED] AWS does not publish its templates' content, so the catalogue is our own: the
Amazon Connect contact-record family, whose matching the Connect admin guide documents
(``CTR`` never matches a profile by phone, ``CTR-NoInferred`` matches by
``_ctrContactId`` then ``_phone`` and creates a profile when none matches,
``CTR-AutoAssociateOnly`` only associates), and one Shopify and one Salesforce template.
The shipped templates pass the same rules as PutProfileObjectType (the suite checks).
"""

from __future__ import annotations

import collections
from collections.abc import Mapping
from typing import Any

Template = dict[str, Any]


def _field(source: str, target: str | None = None, content_type: str = "STRING") -> dict[str, str]:
    field = {"Source": f"_source.{source}", "ContentType": content_type}
    if target is not None:
        field["Target"] = f"_profile.{target}"
    return field


def _key(identifiers: list[str], *field_names: str) -> list[dict[str, list[str]]]:
    return [{"StandardIdentifiers": identifiers, "FieldNames": list(field_names)}]


# An Amazon Connect contact record: its id, the caller's number, and what the contact was.
_CTR_FIELDS = {
    "ContactId": _field("ContactId"),
    "CustomerPhone": _field("CustomerEndpoint.Address", "PhoneNumber", "PHONE_NUMBER"),
    "SystemPhone": _field("SystemEndpoint.Address"),
    "Channel": _field("Channel"),
    "InitiationMethod": _field("InitiationMethod"),
    "InitiationTimestamp": _field("InitiationTimestamp"),
    "DisconnectTimestamp": _field("DisconnectTimestamp"),
    "AgentUsername": _field("Agent.Username"),
    "QueueName": _field("Queue.Name"),
}


def _ctr(template_id: str, allow_creation: bool, phone: list[str]) -> Template:
    return {
        "TemplateId": template_id,
        "SourceName": "Connect",
        "SourceObject": "CTR",
        "AllowProfileCreation": allow_creation,
        "Fields": _CTR_FIELDS,
        "Keys": {
            "_ctrContactId": _key(["UNIQUE", "PROFILE"], "ContactId"),
            "_phone": _key(phone, "CustomerPhone"),
        },
    }


_SHOPIFY_CUSTOMER: Template = {
    "TemplateId": "Shopify-Customer",
    "SourceName": "Shopify",
    "SourceObject": "Customer",
    "AllowProfileCreation": True,
    "Fields": {
        "ShopifyCustomerId": _field("id", "Attributes.ShopifyCustomerId"),
        "Email": _field("email", "EmailAddress", "EMAIL_ADDRESS"),
        "Phone": _field("phone", "PhoneNumber", "PHONE_NUMBER"),
        "FirstName": _field("first_name", "FirstName", "NAME"),
        "LastName": _field("last_name", "LastName", "NAME"),
        "Company": _field("default_address.company", "BusinessName"),
        "Address1": _field("default_address.address1", "Address.Address1"),
        "Address2": _field("default_address.address2", "Address.Address2"),
        "City": _field("default_address.city", "Address.City"),
        "Province": _field("default_address.province", "Address.Province"),
        "Country": _field("default_address.country", "Address.Country"),
        "PostalCode": _field("default_address.zip", "Address.PostalCode"),
        "Note": _field("note", "AdditionalInformation"),
    },
    "Keys": {
        "_shopifyCustomerId": _key(["UNIQUE", "PROFILE"], "ShopifyCustomerId"),
        "_email": _key(["PROFILE"], "Email"),
        "_phone": _key(["PROFILE", "SECONDARY"], "Phone"),
    },
}

_SALESFORCE_ACCOUNT: Template = {
    "TemplateId": "Salesforce-Account",
    "SourceName": "Salesforce",
    "SourceObject": "Account",
    "AllowProfileCreation": True,
    "Fields": {
        "SalesforceAccountId": _field("Id", "Attributes.SalesforceAccountId"),
        "Name": _field("Name", "BusinessName"),
        "AccountNumber": _field("AccountNumber", "AccountNumber"),
        "Phone": _field("Phone", "BusinessPhoneNumber", "PHONE_NUMBER"),
        "BillingStreet": _field("BillingStreet", "BillingAddress.Address1"),
        "BillingCity": _field("BillingCity", "BillingAddress.City"),
        "BillingState": _field("BillingState", "BillingAddress.State"),
        "BillingPostalCode": _field("BillingPostalCode", "BillingAddress.PostalCode"),
        "BillingCountry": _field("BillingCountry", "BillingAddress.Country"),
        "Description": _field("Description", "AdditionalInformation"),
    },
    "Keys": {
        "_salesforceAccountId": _key(["UNIQUE", "PROFILE"], "SalesforceAccountId"),
        "_account": _key(["PROFILE"], "AccountNumber"),
    },
}

SHIPPED: dict[str, Template] = {
    template["TemplateId"]: template
    for template in (
        # CTR never matches by phone: _phone is a search-only key of the profile it creates.
        _ctr("CTR", True, []),
        _ctr("CTR-NoInferred", True, ["PROFILE"]),
        _ctr("CTR-AutoAssociateOnly", False, ["PROFILE"]),
        _SHOPIFY_CUSTOMER,
        _SALESFORCE_ACCOUNT,
    )
}


def not_found_message(template_id: object) -> str:
    """What the service says of a template it does not have [INFERRED]."""
    return f"Template {template_id} does not exist"


def catalogue(registered: Mapping[str, Template]) -> Mapping[str, Template]:
    """The templates a request sees: ``registered`` (the activation's, ``Context.templates``)
    over the shipped ones. Treat them as read-only."""
    return collections.ChainMap(dict(registered), SHIPPED)
