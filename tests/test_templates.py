"""The shipped object-type templates through boto3 (features/object_types/templates.py):
each template the admin guide's mapping pages document, with the source fields, targets
and index names they give, usable by PutProfileObjectType and ingestion. Each test names
the page it follows."""

from __future__ import annotations

import json

import pytest

# (template, source field, target) rows quoted from the admin guide's "Mapping <source>
# objects to the standard profile" pages [DOC mapping-*-objects], and the pages mapping to
# the standard asset, case and order [DOC mapping-salesforce-objects-to-asset,
# mapping-zendesk-objects-case, mapping-servicenow-objects-standard-case,
# mapping-shopify-objects-standard-order].
DOCUMENTED_ROWS = [
    ("Salesforce-Account", "Id", "_profile.Attributes.sfdcAccountId"),
    ("Salesforce-Account", "Name", "_profile.BusinessName"),
    ("Salesforce-Account", "PersonMailingAddress.Street", "_profile.MailingAddress.Address1"),
    ("Salesforce-Account", "PersonOtherPostalCode", "_profile.Address.PostalCode"),
    ("Salesforce-Contact", "AccountId", "_profile.Attributes.sfdcAccountId"),
    ("Salesforce-Contact", "Birthdate", "_profile.BirthDate"),
    ("Zendesk-users", "external_id", "_profile.Attributes.ZendeskExternalId"),
    ("Marketo-leads", "mobilePhone", "_profile.MobilePhoneNumber"),
    ("Marketo-leads", "billingPostalCode", "_profile.BillingAddress.PostalCode"),
    ("Servicenow-sys_user", "zip", "_profile.Address.PostalCode"),
    ("Segment-Identify", "traits.company.name", "_profile.BusinessName"),
    ("Shopify-Customer", "default_address.province", "_profile.Address.Province"),
    ("Salesforce-Asset", "StockKeepingUnit", "_asset.ProductSKU"),
    ("Salesforce-Asset", "ContactId", "_asset.Attributes.sfdcContactId"),
    ("Zendesk-tickets", "requester_id", "_case.Attributes.ZendeskUserId"),
    ("Zendesk-tickets", "subject", "_case.Title"),
    ("Servicenow-task", "short_description", "_case.Title"),
    ("Servicenow-task", "opened_by.link", "_case.Attributes.ServiceNowSystemUserId"),
    ("Servicenow-incident", "sys_id", "_case.Attributes.ServiceNowIncidentId"),
    ("Servicenow-incident", "category", "_case.Reason"),
    ("Shopify-DraftOrder", "invoice_url", "_order.StatusUrl"),
    ("Shopify-DraftOrder", "shipping_address.name", "_order.ShippingAddress.Name"),
    ("Shopify-Order", "total_shipping_price_set.shop_money.amount", "_order.TotalShippingPrice"),
    ("Shopify-Order", "payment_details.credit_card_company", "_order.CreditCardCompany"),
]
# (template, index name, source field) from the pages' "Standard Index Name" tables.
DOCUMENTED_INDEXES = [
    ("Salesforce-Account", "_salesforceAccountId", "Id"),
    ("Salesforce-Contact", "_salesforceContactId", "Id"),
    ("Salesforce-Contact", "_salesforceAccountId", "AccountId"),
    ("Zendesk-users", "_zendeskUserId", "id"),
    ("Zendesk-users", "_zendeskExternalId", "external_id"),
    ("Marketo-leads", "_marketoLeadId", "id"),
    ("Marketo-leads", "_salesforceAccountId", "sfdcAccountId"),
    ("Marketo-leads", "_salesforceContactId", "sfdcContactId"),
    ("Servicenow-sys_user", "_serviceNowSystemId", "sys_id"),
    ("Segment-Identify", "_segmentUserId", "userId"),
    ("Shopify-Customer", "_shopifyCustomerId", "id"),
    ("Salesforce-Asset", "_salesforceAssetId", "Id"),
    ("Salesforce-Asset", "_salesforceContactId", "ContactId"),
    ("Salesforce-Asset", "_salesforceAccountId", "AccountId"),
    ("Zendesk-tickets", "_zendeskUserId", "requester_id"),
    ("Zendesk-tickets", "_zendeskTicketId", "id"),
    ("Servicenow-task", "_serviceNowTaskId", "sys_id"),
    ("Servicenow-task", "_serviceNowSystemId", "opened_by.link"),
    ("Servicenow-incident", "_serviceNowIncidentId", "sys_id"),
    ("Servicenow-incident", "_serviceNowSystemId", "caller_id.link"),
    ("Shopify-DraftOrder", "_shopifyOrderId", "id"),
    ("Shopify-Order", "_shopifyOrderId", "id"),
]


def field_reading(template, source_field):
    """The template's field whose Source ends with the source field's path."""
    for name, field in template["Fields"].items():
        if field["Source"].endswith(f".{source_field}"):
            return name, field
    raise AssertionError(f"no field reads {source_field}")


@pytest.mark.parametrize(("template_id", "source", "target"), DOCUMENTED_ROWS)
def test_get_profile_object_type_template_maps_the_documented_source_field(
    client, template_id, source, target
):
    # [DOC mapping-*-objects] "Following table lists which fields can be mapped from the
    # <object> to the standard profile"
    template = client.get_profile_object_type_template(TemplateId=template_id)
    _, field = field_reading(template, source)
    assert field["Target"] == target


@pytest.mark.parametrize(("template_id", "index", "source"), DOCUMENTED_INDEXES)
def test_get_profile_object_type_template_indexes_the_documented_keys(
    client, template_id, index, source
):
    # [DOC mapping-*-objects] "associated with an Amazon Connect customer profile using the
    # indexes in the following table"
    template = client.get_profile_object_type_template(TemplateId=template_id)
    name, _ = field_reading(template, source)
    assert [entry["FieldNames"] for entry in template["Keys"][index]] == [[name]]


@pytest.mark.parametrize(
    ("template_id", "field", "source"),
    [
        ("Segment-Identify", "segmentUserId", "_source.detail.event.detail.userId"),
        ("Shopify-Customer", "shopifyCustomerId", "_source.detail.event.detail.payload.id"),
    ],
)
def test_get_profile_object_type_template_follows_the_documented_example(
    client, template_id, field, source
):
    # [DOC mapping-segment-objects, mapping-shopify-objects] the pages' examples name the
    # id field and read it from the EventBridge event
    template = client.get_profile_object_type_template(TemplateId=template_id)
    assert template["Fields"][field]["Source"] == source


def test_ingestion_through_a_documented_template_fills_the_profile(cp, client):
    # [MODEL GetProfileObjectTypeTemplate] "When a user sends a ProfileObject, using the
    # PutProfileObject API, with an ObjectTypeName that matches one of the TemplateIds, it
    # uses the mappings from the template"; [DOC mapping-zendesk-objects] the targets and
    # _zendeskUserId
    cp.create_domain("desk")
    user = {"id": 42, "external_id": "ext-1", "email": "ann@example.com", "phone": "+15550100"}
    client.put_profile_object(
        DomainName="desk", ObjectTypeName="Zendesk-users", Object=json.dumps(user)
    )
    found = client.search_profiles(DomainName="desk", KeyName="_zendeskUserId", Values=["42"])
    (profile,) = found["Items"]
    assert profile["EmailAddress"] == "ann@example.com"
    assert profile["PhoneNumber"] == "+15550100"
    assert profile["Attributes"] == {"ZendeskUserId": "42", "ZendeskExternalId": "ext-1"}


def shopify_event(payload):
    """A Shopify webhook as EventBridge delivers it, the envelope the page's example reads."""
    return {"detail": {"event": {"detail": {"payload": payload}}}}


USER_LINK = "https://example.service-now.com/api/now/table/sys_user/u1"
# (template, object as its source sends it, key finding the owner's profile, its value,
# standard object written, that object's content) per standard-object page; ids name the
# page each follows.
STANDARD_OBJECT_TEMPLATES = [
    pytest.param(
        "Salesforce-Asset",
        {"Id": "02i1", "ContactId": "0031", "AccountId": "0011", "SerialNumber": "SN-9",
         "StockKeepingUnit": "SKU-1", "Status": "Installed", "Price": "100"},
        "_salesforceContactId", "0031", "_asset",
        {"AssetId": "02i1", "SerialNumber": "SN-9", "ProductSKU": "SKU-1",
         "Status": "Installed", "Price": "100",
         "Attributes": {"sfdcAssetId": "02i1", "sfdcContactId": "0031", "sfdcAccountId": "0011"}},
        id="mapping-salesforce-objects-to-asset",
    ),
    pytest.param(
        "Zendesk-tickets",
        {"id": 7, "requester_id": 42, "subject": "Broken", "description": "It broke",
         "status": "open", "created_at": "2026-01-01T00:00:00Z"},
        "_zendeskUserId", "42", "_case",
        {"CaseId": "7", "Title": "Broken", "Summary": "It broke", "Status": "open",
         "CreatedBy": "42", "CreatedDate": "2026-01-01T00:00:00Z",
         "Attributes": {"ZendeskUserId": "42", "ZendeskTicketId": "7"}},
        id="mapping-zendesk-objects-case",
    ),
    pytest.param(
        "Servicenow-task",
        {"sys_id": "t1", "opened_by": {"link": USER_LINK}, "short_description": "Reset",
         "description": "Reset my password", "state": "1", "sys_created_by": "admin"},
        "_serviceNowSystemId", USER_LINK, "_case",
        {"CaseId": "t1", "Title": "Reset", "Summary": "Reset my password", "Status": "1",
         "CreatedBy": "admin",
         "Attributes": {"ServiceNowTaskId": "t1", "ServiceNowSystemUserId": USER_LINK}},
        id="mapping-servicenow-objects-standard-case-task",
    ),
    pytest.param(
        "Servicenow-incident",
        {"sys_id": "i1", "caller_id": {"link": USER_LINK}, "incident_state": "2",
         "resolved_at": "2026-02-01 10:00:00", "category": "network"},
        "_serviceNowSystemId", USER_LINK, "_case",
        {"CaseId": "i1", "Status": "2", "CreatedBy": USER_LINK,
         "ClosedDate": "2026-02-01 10:00:00", "Reason": "network",
         "Attributes": {"ServiceNowIncidentId": "i1", "ServiceNowSystemUserId": USER_LINK}},
        id="mapping-servicenow-objects-standard-case-incident",
    ),
    pytest.param(
        "Shopify-DraftOrder",
        shopify_event(
            {"id": 11, "customer": {"id": 5}, "email": "ann@example.com", "currency": "USD",
             "name": "#D1", "status": "open", "total_price": "9.50",
             "billing_address": {"city": "Paris", "name": "Ann"}}
        ),
        "_shopifyCustomerId", "5", "_order",
        {"OrderId": "11", "CustomerEmail": "ann@example.com", "Currency": "USD",
         "Name": "#D1", "Status": "open", "TotalPrice": "9.50", "StatusCode": "DRAFT",
         "BillingAddress": {"City": "Paris", "Name": "Ann"},
         "Attributes": {"ShopifyOrderId": "11", "ShopifyCustomerId": "5"}},
        id="mapping-shopify-objects-standard-order-draft",
    ),
    pytest.param(
        "Shopify-Order",
        shopify_event(
            {"id": 12, "customer": {"id": 5}, "financial_status": "paid",
             "order_status_url": "https://shop.example.com/orders/12",
             "total_shipping_price_set": {"shop_money": {"amount": "4.00"}},
             "payment_details": {"credit_card_company": "Visa"}}
        ),
        "_shopifyCustomerId", "5", "_order",
        {"OrderId": "12", "Status": "paid", "StatusCode": "ACTIVATED",
         "StatusUrl": "https://shop.example.com/orders/12", "TotalShippingPrice": "4.00",
         "CreditCardCompany": "Visa",
         "Attributes": {"ShopifyOrderId": "12", "ShopifyCustomerId": "5"}},
        id="mapping-shopify-objects-standard-order",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("template_id", "obj", "key", "value", "standard", "content"), STANDARD_OBJECT_TEMPLATES
)
def test_standard_object_template_is_served_and_ingests_onto_a_profile(
    cp, client, template_id, obj, key, value, standard, content
):
    # [DOC <the param's id>] the page's table and indexes (the owner's index finds the
    # profile; the object's own index is UNIQUE with the standard identifier [INF], and
    # Shopify's _shopifyCustomerId is an added PROFILE key [INF]); the Shopify page: "The
    # StatusCode is ACTIVATED if order_status_url exists in the source. Otherwise, the
    # StatusCode is DRAFT"; [MODEL GetProfileObjectTypeTemplate,
    # ListProfileObjectTypeTemplates, PutProfileObjectType TemplateId]
    template = client.get_profile_object_type_template(TemplateId=template_id)
    summary = {k: template[k] for k in ("TemplateId", "SourceName", "SourceObject")}
    assert summary in client.list_profile_object_type_templates()["Items"]
    cp.create_domain("crm")
    put = client.put_profile_object_type(
        DomainName="crm", ObjectTypeName=template_id, Description="from AWS", TemplateId=template_id
    )
    assert (put["TemplateId"], put["Fields"], put["Keys"]) == (
        template_id,
        template["Fields"],
        template["Keys"],
    )
    client.put_profile_object(DomainName="crm", ObjectTypeName=template_id, Object=json.dumps(obj))
    (profile,) = client.search_profiles(DomainName="crm", KeyName=key, Values=[value])["Items"]
    listed = client.list_profile_objects(
        DomainName="crm", ProfileId=profile["ProfileId"], ObjectTypeName=template_id
    )["Items"]
    assert [json.loads(item["Object"]) for item in listed] == [obj]
    (written,) = client.list_profile_objects(
        DomainName="crm", ProfileId=profile["ProfileId"], ObjectTypeName=standard
    )["Items"]
    assert json.loads(written["Object"]) == content


def test_shopify_order_lands_on_the_shopify_customers_profile(cp, client):
    # [DOC mapping-shopify-objects, mapping-shopify-objects-standard-order] customer.id ->
    # Attributes.ShopifyCustomerId; [INF] the order template's _shopifyCustomerId PROFILE
    # key is the customer template's index, so an order joins its customer
    cp.create_domain("shop")
    customer = shopify_event({"id": 5, "email": "ann@example.com", "first_name": "Ann"})
    client.put_profile_object(
        DomainName="shop", ObjectTypeName="Shopify-Customer", Object=json.dumps(customer)
    )
    order = shopify_event({"id": 12, "customer": {"id": 5}, "financial_status": "paid"})
    client.put_profile_object(
        DomainName="shop", ObjectTypeName="Shopify-Order", Object=json.dumps(order)
    )
    (profile,) = client.search_profiles(
        DomainName="shop", KeyName="_shopifyOrderId", Values=["12"]
    )["Items"]
    assert profile["FirstName"] == "Ann"
    assert profile["Attributes"] == {"ShopifyCustomerId": "5"}


@pytest.mark.parametrize(
    ("template_id", "base", "records"),
    [
        (
            "Salesforce-Multi-Contact-Account-Link",
            "Salesforce-Contact",
            [{"Id": "0031", "AccountId": "0011"}, {"Id": "0032", "AccountId": "0011"}],
        ),
        (
            "Salesforce-Multi-Asset-Account-Link",
            "Salesforce-Asset",
            [{"Id": "02i1", "ContactId": "0031", "AccountId": "0011"},
             {"Id": "02i2", "ContactId": "0032", "AccountId": "0011"}],
        ),
        (
            "Marketo-Multi-Lead-Account-Link",
            "Marketo-leads",
            [{"id": 1, "sfdcAccountId": "0011"}, {"id": 2, "sfdcAccountId": "0011"}],
        ),
    ],
)  # fmt: skip
def test_account_link_template_makes_a_profile_per_record_sharing_an_account(
    cp, client, template_id, base, records
):
    # [DOC about-mapping-destinations] "resemble existing templates, but without Account
    # as a profile identifier ... we will create multiple profiles that can be retrieved
    # via search based on their common AccountID"; [INF] the rest is the base template's
    template = client.get_profile_object_type_template(TemplateId=template_id)
    original = client.get_profile_object_type_template(TemplateId=base)
    assert template["Fields"] == original["Fields"]
    assert template["Keys"]["_salesforceAccountId"][0]["StandardIdentifiers"] == []
    assert template_id in [
        item["TemplateId"] for item in client.list_profile_object_type_templates()["Items"]
    ]
    cp.create_domain("crm")
    client.put_profile_object_type(
        DomainName="crm", ObjectTypeName="Linked", Description="d", TemplateId=template_id
    )
    for record in records:
        client.put_profile_object(
            DomainName="crm", ObjectTypeName="Linked", Object=json.dumps(record)
        )
    found = client.search_profiles(
        DomainName="crm", KeyName="_salesforceAccountId", Values=["0011"]
    )
    assert len(found["Items"]) == 2


def test_salesforce_contact_template_joins_records_sharing_an_account(cp, client):
    # [DOC mapping-salesforce-objects] _salesforceAccountId indexes AccountId, a PROFILE
    # key [INF]: what the account-link templates are documented not to do
    cp.create_domain("crm")
    for contact in ({"Id": "0031", "AccountId": "0011"}, {"Id": "0032", "AccountId": "0011"}):
        client.put_profile_object(
            DomainName="crm", ObjectTypeName="Salesforce-Contact", Object=json.dumps(contact)
        )
    found = client.search_profiles(
        DomainName="crm", KeyName="_salesforceAccountId", Values=["0011"]
    )
    assert len(found["Items"]) == 1
