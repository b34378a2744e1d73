"""The shipped object-type templates through boto3 (features/object_types/templates.py):
each template the admin guide's mapping pages document, with the source fields, targets
and index names they give, usable by PutProfileObjectType and ingestion. Each test names
the page it follows."""

from __future__ import annotations

import json

import pytest

# (template, source field, standard-profile target) rows quoted from the admin guide's
# "Mapping <source> objects to the standard profile" pages [DOC mapping-*-objects].
DOCUMENTED_ROWS = [
    ("Salesforce-Account", "Id", "Attributes.sfdcAccountId"),
    ("Salesforce-Account", "Name", "BusinessName"),
    ("Salesforce-Account", "PersonMailingAddress.Street", "MailingAddress.Address1"),
    ("Salesforce-Account", "PersonOtherPostalCode", "Address.PostalCode"),
    ("Salesforce-Contact", "AccountId", "Attributes.sfdcAccountId"),
    ("Salesforce-Contact", "Birthdate", "BirthDate"),
    ("Zendesk-users", "external_id", "Attributes.ZendeskExternalId"),
    ("Marketo-leads", "mobilePhone", "MobilePhoneNumber"),
    ("Marketo-leads", "billingPostalCode", "BillingAddress.PostalCode"),
    ("Servicenow-sys_user", "zip", "Address.PostalCode"),
    ("Segment-Identify", "traits.company.name", "BusinessName"),
    ("Shopify-Customer", "default_address.province", "Address.Province"),
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
    assert field["Target"] == f"_profile.{target}"


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
