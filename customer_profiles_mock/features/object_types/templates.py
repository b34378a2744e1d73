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
- ``Salesforce-Asset``, ``Zendesk-tickets``, ``Servicenow-task``,
  ``Servicenow-incident``, ``Shopify-DraftOrder``, ``Shopify-Order``: the admin guide's
  pages mapping to the standard asset, case and order give each source field and its
  target, and the index names with their source fields [DOC]; inferred as above, and:
  the object's own index is ``UNIQUE`` with the object's standard identifier
  (``ASSET``, ``CASE``, ``ORDER``), the owner's indexes ``PROFILE``; the Shopify order
  templates add ``_shopifyCustomerId`` (from ``customer.id``) as their ``PROFILE`` key,
  state the StatusCode rule as a Handlebars field and leave the ``line_items[]`` rows
  out; the pages' typos are read as the fields they list (see each template).
- ``Salesforce-Multi-Contact-Account-Link``, ``Salesforce-Multi-Asset-Account-Link``,
  ``Marketo-Multi-Lead-Account-Link``: the guide's "About mapping destinations" says only
  that they resemble ``Salesforce-Contact``, ``Salesforce-Asset`` and ``Marketo-leads``
  "without Account as a profile identifier" [DOC]: those templates with
  ``_salesforceAccountId`` neither ``PROFILE`` nor ``UNIQUE``, the rest [INFERRED].
- Not shipped: ``Segment-Customer``, which that page names without saying what it
  resembles or maps, and templates no page documents (``Salesforce-Case``,
  ``Segment-Track``, other Zendesk objects).

The shipped templates pass the same rules as PutProfileObjectType (the suite checks).
"""

from __future__ import annotations

import collections
import copy
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
    target: str = "_profile",
    identifies: tuple[str, str] | None = None,
    computed: dict[str, str] | None = None,
) -> Template:
    """A template from an admin-guide page "Mapping <source> objects to the standard
    <object>": ``mapping`` is its table, one ``source field -> target field`` a line, the
    target a field of ``target`` (``_profile``, ``_asset``, ``_case``, ``_order``);
    ``indexes`` its index table, ``index -> source field`` a line [DOC]. What the page
    does not give is [INFERRED]: a field is named by its source field (``names`` where the
    page's example names one, or where a key reads it, as key field names take no dot
    [MODEL]; by its target field where the page maps a source field a second time); its
    ``Source`` is ``_source`` (under ``envelope`` where the page's example reads the
    EventBridge event) followed by the source field; ``computed`` are
    the rows the page states as a rule, target field -> a Handlebars ``Source`` (under
    ``envelope`` too) named by the target field. A standard-profile page's first index is
    ``UNIQUE`` and ``PROFILE``, its others ``PROFILE``; a standard-object page's index
    ``identifies[0]`` (the object's own id) is ``UNIQUE`` and carries the object's
    standard identifier ``identifies[1]``, its others (the owner's ids) are ``PROFILE``.
    AllowProfileCreation is true; no field has a ContentType."""
    names = names or {}
    fields: dict[str, dict[str, str]] = {}
    for line in filter(str.strip, mapping.splitlines()):
        source, _, field_target = (part.strip() for part in line.partition("->"))
        name = names.get(source, source)
        fields[field_target if name in fields else name] = {
            "Source": f"_source.{envelope}{source}",
            "Target": f"{target}.{field_target}",
        }
    for field_target, template in (computed or {}).items():
        fields[field_target] = {
            "Source": template.replace("_source.", f"_source.{envelope}"),
            "Target": f"{target}.{field_target}",
        }
    keys: dict[str, list[dict[str, list[str]]]] = {}
    for i, line in enumerate(filter(str.strip, indexes.splitlines())):
        index, _, source = (part.strip() for part in line.partition("->"))
        if identifies is not None:
            identifiers = ["UNIQUE", identifies[1]] if index == identifies[0] else ["PROFILE"]
        else:
            identifiers = ["UNIQUE", "PROFILE"] if i == 0 else ["PROFILE"]
        keys[index] = _key(identifiers, names.get(source, source))
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


# [DOC mapping-salesforce-objects-to-asset] Salesforce-Asset, to the standard asset.
_SALESFORCE_ASSET = _documented(
    "Salesforce-Asset",
    "Salesforce",
    "Asset",
    """
    Id -> Attributes.sfdcAssetId
    ContactId -> Attributes.sfdcContactId
    AccountId -> Attributes.sfdcAccountId
    SerialNumber -> SerialNumber
    StockKeepingUnit -> ProductSKU
    UsageEndDate -> UsageEndDate
    Status -> Status
    Price -> Price
    Quantity -> Quantity
    Description -> Description
    """,
    """
    _salesforceAssetId -> Id
    _salesforceContactId -> ContactId
    _salesforceAccountId -> AccountId
    """,
    target="_asset",
    identifies=("_salesforceAssetId", "ASSET"),
)
# [DOC mapping-zendesk-objects-case] Zendesk-tickets, to the standard case (requester_id
# is mapped twice: the second field is named CreatedBy).
_ZENDESK_TICKETS = _documented(
    "Zendesk-tickets",
    "Zendesk",
    "tickets",
    """
    requester_id -> Attributes.ZendeskUserId
    id -> Attributes.ZendeskTicketId
    subject -> Title
    description -> Summary
    status -> Status
    requester_id -> CreatedBy
    created_at -> CreatedDate
    updated_at -> UpdatedDate
    """,
    """
    _zendeskUserId -> requester_id
    _zendeskTicketId -> id
    """,
    target="_case",
    identifies=("_zendeskTicketId", "CASE"),
)
# [DOC mapping-servicenow-objects-standard-case] Servicenow-task, to the standard case
# (the table's "status" is read as the listed field state, the index table's
# "open_by.link" as the mapping table's opened_by.link).
_SERVICENOW_TASK = _documented(
    "Servicenow-task",
    "Servicenow",
    "task",
    """
    sys_id -> Attributes.ServiceNowTaskId
    opened_by.link -> Attributes.ServiceNowSystemUserId
    short_description -> Title
    description -> Summary
    state -> Status
    sys_created_by -> CreatedBy
    sys_created_on -> CreatedDate
    sys_updated_on -> UpdatedDate
    """,
    """
    _serviceNowTaskId -> sys_id
    _serviceNowSystemId -> opened_by.link
    """,
    names={"opened_by.link": "opened_by_link"},
    target="_case",
    identifies=("_serviceNowTaskId", "CASE"),
)
# [DOC mapping-servicenow-objects-standard-case] Servicenow-incident, to the standard case
# (the table's "Attributes_X" targets are read as Attributes.X, its "incident_status" as
# the listed field incident_state; caller_id.link is mapped twice: the second field is
# named CreatedBy).
_SERVICENOW_INCIDENT = _documented(
    "Servicenow-incident",
    "Servicenow",
    "incident",
    """
    sys_id -> Attributes.ServiceNowIncidentId
    caller_id.link -> Attributes.ServiceNowSystemUserId
    incident_state -> Status
    caller_id.link -> CreatedBy
    resolved_at -> ClosedDate
    category -> Reason
    """,
    """
    _serviceNowIncidentId -> sys_id
    _serviceNowSystemId -> caller_id.link
    """,
    names={"caller_id.link": "caller_id_link"},
    target="_case",
    identifies=("_serviceNowIncidentId", "CASE"),
)


def _order_address(target: str, prefix: str) -> str:
    parts = (
        ("address1", "Address1"), ("address2", "Address2"), ("city", "City"),
        ("zip", "PostalCode"), ("province", "Province"), ("country", "Country"),
        ("name", "Name"),
    )  # fmt: skip
    return "".join(f"\n{prefix}.{source} -> {target}.{part}" for source, part in parts) + "\n"


def _shopify_order(template_id: str, source_object: str, mapping: str) -> Template:
    """[DOC mapping-shopify-objects-standard-order] A Shopify order template: the page's
    rows ``mapping`` and the addresses both order tables map; "The StatusCode is ACTIVATED
    if order_status_url exists in the source. Otherwise, the StatusCode is DRAFT" as a
    Handlebars field; the example's field ``shopifyOrderId`` read from the EventBridge
    event, and its index ``_shopifyOrderId``. [INFERRED] The ``line_items[]`` rows
    (``OrderItems[]``) are left out, as lists are no targets; ``_shopifyCustomerId`` from
    ``customer.id`` is added as the ``PROFILE`` key (the page gives no index that finds
    the customer's profile, and an object type needs one)."""
    return _documented(
        template_id,
        "Shopify",
        source_object,
        mapping
        + _order_address("BillingAddress", "billing_address")
        + _order_address("ShippingAddress", "shipping_address"),
        """
        _shopifyOrderId -> id
        _shopifyCustomerId -> customer.id
        """,
        envelope="detail.event.detail.payload.",
        names={"id": "shopifyOrderId", "customer.id": "customer_id"},
        target="_order",
        identifies=("_shopifyOrderId", "ORDER"),
        computed={"StatusCode": "{{#if _source.order_status_url}}ACTIVATED{{else}}DRAFT{{/if}}"},
    )


_SHOPIFY_DRAFT_ORDER = _shopify_order(
    "Shopify-DraftOrder",
    "DraftOrder",
    """
    id -> Attributes.ShopifyOrderId
    customer.id -> Attributes.ShopifyCustomerId
    note -> AdditionalInformation
    email -> CustomerEmail
    currency -> Currency
    created_at -> CreatedDate
    updated_at -> UpdatedDate
    name -> Name
    status -> Status
    invoice_url -> StatusUrl
    total_price -> TotalPrice
    total_tax -> TotalTax
    """,
)
_SHOPIFY_ORDER = _shopify_order(
    "Shopify-Order",
    "Order",
    """
    id -> Attributes.ShopifyOrderId
    customer.id -> Attributes.ShopifyCustomerId
    cancelled_at -> CancelledDate
    cancel_reason -> CancelReason
    closed_at -> ClosedDate
    created_at -> CreatedDate
    currency -> Currency
    email -> CustomerEmail
    financial_status -> Status
    fulfillment_status -> FulfillmentStatus
    gateway -> Gateway
    name -> Name
    note -> AdditionalInformation
    order_status_url -> StatusUrl
    phone -> CustomerPhone
    processed_at -> ProcessedDate
    total_discounts -> TotalDiscounts
    total_line_items_price -> TotalItemsPrice
    total_price -> TotalPrice
    total_shipping_price_set.shop_money.amount -> TotalShippingPrice
    total_tax -> TotalTax
    total_tip_received -> TotalTipReceived
    total_weight -> TotalWeight
    updated_at -> UpdatedDate
    payment_details.credit_card_number -> CreditCardNumber
    payment_details.credit_card_company -> CreditCardCompany
    """,
)


def _account_linked(template_id: str, base: Template) -> Template:
    """[DOC about-mapping-destinations] A source object that "resemble[s] existing
    templates, but without Account as a profile identifier": ``base`` with its
    ``_salesforceAccountId`` key neither ``PROFILE`` nor ``UNIQUE`` (stored on the profile
    and searchable, so records sharing an account make several profiles "that can be
    retrieved via search based on their common AccountID"). [INFERRED] Everything else,
    ``SourceName`` and ``SourceObject`` included, is ``base``'s: the guide gives no page."""
    keys = {name: copy.deepcopy(entries) for name, entries in base["Keys"].items()}
    keys["_salesforceAccountId"] = [
        {**entry, "StandardIdentifiers": []} for entry in keys["_salesforceAccountId"]
    ]
    return {**copy.deepcopy(base), "TemplateId": template_id, "Keys": keys}


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
        _SALESFORCE_ASSET,
        _ZENDESK_TICKETS,
        _SERVICENOW_TASK,
        _SERVICENOW_INCIDENT,
        _SHOPIFY_DRAFT_ORDER,
        _SHOPIFY_ORDER,
        _account_linked("Salesforce-Multi-Contact-Account-Link", _SALESFORCE_CONTACT),
        _account_linked("Salesforce-Multi-Asset-Account-Link", _SALESFORCE_ASSET),
        _account_linked("Marketo-Multi-Lead-Account-Link", _MARKETO_LEADS),
    )
}


def not_found_message(template_id: object) -> str:
    """What the service says of a template it does not have [INFERRED]."""
    return f"Template {template_id} does not exist"


def catalogue(registered: Mapping[str, Template]) -> Mapping[str, Template]:
    """The templates a request sees: ``registered`` (the activation's, ``Context.templates``)
    over the shipped ones. Treat them as read-only."""
    return collections.ChainMap(dict(registered), SHIPPED)
