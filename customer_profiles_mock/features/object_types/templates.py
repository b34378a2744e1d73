"""The object-type templates: the shipped catalogue and the templates tests register.

A template is a dict as GetProfileObjectTypeTemplate answers it: ``TemplateId``,
``SourceName``, ``SourceObject``, ``AllowProfileCreation``, optionally
``SourceLastUpdatedTimestampFormat``, and the ``Fields`` and ``Keys`` of an object type.

Where each template's content comes from, per template:

- ``Salesforce-Account``, ``Salesforce-Contact``, ``Zendesk-users``, ``Marketo-leads``,
  ``Servicenow-sys_user``, ``Segment-Identify``, ``Shopify-Customer``: the admin guide's
  "Mapping <source> objects to the standard profile" pages give each source field and the
  standard-profile field it targets, and the standard index names (the keys) with their
  source fields [DOC]; ``_documented`` says what they leave open [INFERRED]: field names,
  ``Source`` paths (AppFlow sources read the record itself, Segment and Shopify the
  EventBridge event of the pages' examples), which key is ``UNIQUE``, and
  ``AllowProfileCreation``.
- ``CTR``, ``CTR-NoInferred``, ``CTR-AutoAssociateOnly``: the admin guide documents their
  matching (``_ctrContactId`` first; ``CTR`` infers a profile, to which later records
  with the same phone go; ``CTR-NoInferred`` matches by ``_phone`` and rejects a phone
  that finds several profiles; ``CTR-AutoAssociateOnly`` only associates); the contact
  record's fields are our choice [INFERRED].
- Not shipped: templates AWS names whose mapping pages were not read (Salesforce-Asset,
  Salesforce-Case, Zendesk-tickets, Servicenow-task, Servicenow-incident, Shopify order
  templates, ...).

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


def _documented(
    template_id: str,
    source_name: str,
    source_object: str,
    mapping: str,
    indexes: str,
    *,
    envelope: str = "",
    names: dict[str, str] | None = None,
) -> Template:
    """A template from an admin-guide page "Mapping <source> objects to the standard
    profile": ``mapping`` is its table, one ``source field -> target field`` a line;
    ``indexes`` its index table, ``index -> source field`` a line [DOC]. What the page
    does not give is [INFERRED]: a field is named by its source field (``names`` where the
    page's example names one), its ``Source`` is ``_source`` (under ``envelope`` where the
    page's example reads the EventBridge event) followed by the source field; the first
    index is ``UNIQUE`` and ``PROFILE``, the others ``PROFILE``; AllowProfileCreation is
    true; no field has a ContentType."""
    names = names or {}
    fields: dict[str, dict[str, str]] = {}
    for line in filter(str.strip, mapping.splitlines()):
        source, _, target = (part.strip() for part in line.partition("->"))
        field = {"Source": f"_source.{envelope}{source}", "Target": f"_profile.{target}"}
        fields[names.get(source, source)] = field
    keys: dict[str, list[dict[str, list[str]]]] = {}
    for i, line in enumerate(filter(str.strip, indexes.splitlines())):
        index, _, source = (part.strip() for part in line.partition("->"))
        keys[index] = _key(
            ["UNIQUE", "PROFILE"] if i == 0 else ["PROFILE"], names.get(source, source)
        )
    return {
        "TemplateId": template_id,
        "SourceName": source_name,
        "SourceObject": source_object,
        "AllowProfileCreation": True,
        "Fields": fields,
        "Keys": keys,
    }


_ADDRESS = """
{street} -> {target}.Address1
{city} -> {target}.City
{state} -> {target}.State
{country} -> {target}.Country
{zip} -> {target}.PostalCode
"""


def _address(target: str, prefix: str, street: str = "Street", zip_: str = "PostalCode") -> str:
    return _ADDRESS.format(
        target=target,
        street=prefix + street,
        city=prefix + "City",
        state=prefix + "State",
        country=prefix + "Country",
        zip=prefix + zip_,
    )


# [DOC mapping-salesforce-objects] Salesforce-Account, with the Person fields of a
# Salesforce instance configured for them.
_SALESFORCE_ACCOUNT = _documented(
    "Salesforce-Account",
    "Salesforce",
    "Account",
    """
    Id -> Attributes.sfdcAccountId
    Name -> BusinessName
    Phone -> PhoneNumber
    """
    + _address("BillingAddress", "Billing")
    + _address("ShippingAddress", "Shipping")
    + """
    IsPersonAccount -> PartyType
    PersonMobilePhone -> MobilePhoneNumber
    PersonHomePhone -> HomePhoneNumber
    PersonEmail -> PersonalEmailAddress
    """
    + _address("MailingAddress", "PersonMailingAddress.")
    + """
    PersonBirthDate -> BirthDate
    """
    + _address("Address", "PersonOther")
    + """
    FirstName -> FirstName
    LastName -> LastName
    MiddleName -> MiddleName
    AccountNumber -> AccountNumber
    """,
    "_salesforceAccountId -> Id",
)
# [DOC mapping-salesforce-objects] Salesforce-Contact.
_SALESFORCE_CONTACT = _documented(
    "Salesforce-Contact",
    "Salesforce",
    "Contact",
    """
    Id -> Attributes.sfdcContactId
    AccountId -> Attributes.sfdcAccountId
    LastName -> LastName
    FirstName -> FirstName
    MiddleName -> MiddleName
    """
    + _address("Address", "Other")
    + _address("MailingAddress", "Mailing")
    + """
    Phone -> PhoneNumber
    HomePhone -> HomePhoneNumber
    MobilePhone -> MobilePhoneNumber
    Email -> EmailAddress
    Birthdate -> BirthDate
    """,
    """
    _salesforceContactId -> Id
    _salesforceAccountId -> AccountId
    """,
)
# [DOC mapping-zendesk-objects] Zendesk-users (the index table's "Id" is the field id).
_ZENDESK_USERS = _documented(
    "Zendesk-users",
    "Zendesk",
    "users",
    """
    id -> Attributes.ZendeskUserId
    external_id -> Attributes.ZendeskExternalId
    email -> EmailAddress
    phone -> PhoneNumber
    """,
    """
    _zendeskUserId -> id
    _zendeskExternalId -> external_id
    """,
)
# [DOC mapping-marketo-objects] Marketo-leads (the page's "dataOfBirth" is read as the
# listed field dateOfBirth, and its repeated mobilePhone row as one field).
_MARKETO_LEADS = _documented(
    "Marketo-leads",
    "Marketo",
    "leads",
    """
    id -> Attributes.MarketoLeadId
    sfdcAccountId -> Attributes.sfdcAccountId
    sfdcContactId -> Attributes.sfdcContactId
    firstName -> FirstName
    lastName -> LastName
    middleName -> MiddleName
    email -> EmailAddress
    phone -> PhoneNumber
    mobilePhone -> MobilePhoneNumber
    """
    + _address("BillingAddress", "billing")
    + """
    address -> Address.Address1
    city -> Address.City
    state -> Address.State
    country -> Address.Country
    postalcode -> Address.PostalCode
    gender -> Gender
    dateOfBirth -> BirthDate
    """,
    """
    _marketoLeadId -> id
    _salesforceAccountId -> sfdcAccountId
    _salesforceContactId -> sfdcContactId
    """,
)
# [DOC mapping-servicenow-objects] Servicenow-sys_user.
_SERVICENOW_SYS_USER = _documented(
    "Servicenow-sys_user",
    "Servicenow",
    "sys_user",
    """
    sys_id -> Attributes.ServiceNowSystemId
    first_name -> FirstName
    last_name -> LastName
    middle_name -> MiddleName
    gender -> Gender
    email -> EmailAddress
    phone -> PhoneNumber
    home_phone -> HomePhoneNumber
    mobile_phone -> MobilePhoneNumber
    street -> Address.Address1
    city -> Address.City
    state -> Address.State
    country -> Address.Country
    zip -> Address.PostalCode
    """,
    "_serviceNowSystemId -> sys_id",
)
# [DOC mapping-segment-objects] Segment-Identify; its example reads the EventBridge event
# (_source.detail.event.detail.userId) and names the field segmentUserId.
_SEGMENT_IDENTIFY = _documented(
    "Segment-Identify",
    "Segment",
    "Identify",
    """
    userId -> Attributes.SegmentUserId
    traits.company.name -> BusinessName
    traits.firstName -> FirstName
    traits.lastName -> LastName
    traits.birthday -> BirthDate
    traits.gender -> Gender
    traits.phone -> PhoneNumber
    traits.email -> EmailAddress
    traits.address.street -> Address.Address1
    traits.address.city -> Address.City
    traits.address.state -> Address.State
    traits.address.country -> Address.Country
    traits.address.postalCode -> Address.PostalCode
    """,
    "_segmentUserId -> userId",
    envelope="detail.event.detail.",
    names={"userId": "segmentUserId"},
)
# [DOC mapping-shopify-objects] Shopify-Customer; its example reads the EventBridge event
# and names the field shopifyCustomerId.
_SHOPIFY_CUSTOMER = _documented(
    "Shopify-Customer", "Shopify", "Customer",
    """
    id -> Attributes.ShopifyCustomerId
    email -> EmailAddress
    first_name -> FirstName
    last_name -> LastName
    note -> AdditionalInformation
    phone -> PhoneNumber
    default_address.address1 -> Address.Address1
    default_address.address2 -> Address.Address2
    default_address.city -> Address.City
    default_address.province -> Address.Province
    default_address.country -> Address.Country
    default_address.zip -> Address.PostalCode
    """,
    "_shopifyCustomerId -> id",
    envelope="detail.event.detail.payload.",
    names={"id": "shopifyCustomerId"},
)  # fmt: skip

SHIPPED: dict[str, Template] = {
    template["TemplateId"]: template
    for template in (
        # CTR never matches by phone: _phone is a search-only key of the profile it creates.
        _ctr("CTR", True, []),
        _ctr("CTR-NoInferred", True, ["PROFILE"]),
        _ctr("CTR-AutoAssociateOnly", False, ["PROFILE"]),
        _SALESFORCE_ACCOUNT,
        _SALESFORCE_CONTACT,
        _ZENDESK_USERS,
        _MARKETO_LEADS,
        _SERVICENOW_SYS_USER,
        _SEGMENT_IDENTIFY,
        _SHOPIFY_CUSTOMER,
    )
}


def not_found_message(template_id: object) -> str:
    """What the service says of a template it does not have [INFERRED]."""
    return f"Template {template_id} does not exist"


def catalogue(registered: Mapping[str, Template]) -> Mapping[str, Template]:
    """The templates a request sees: ``registered`` (the activation's, ``Context.templates``)
    over the shipped ones. Treat them as read-only."""
    return collections.ChainMap(dict(registered), SHIPPED)
