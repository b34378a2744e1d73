"""The object-type attribute operations: attribute names, values, statistics, detection."""

from __future__ import annotations

from typing import Any

from customer_profiles_mock.core.operations import Context, operation
from customer_profiles_mock.features.object_type_attributes import models
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("ListObjectTypeAttributes")
def list_object_type_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The object type's attributes seen in its stored objects: each field a stored object
    gives a value, with `LastUpdatedAt` the time the newest such object was put, sorted
    by name [INFERRED: the model's description of this operation is a copy of another's].
    A field name with a dot is left out (the model's `AttributeName` has none)
    [INFERRED]. `MaxResults` (default 100 [INFERRED]) / `NextToken`; the botocore
    paginator walks it. An unknown object type is 404 `Object type NAME does not exist in
    domain DOMAIN` [INFERRED: the wording], and so are the standard types `_profile`,
    `_asset`, `_order` and `_case`, which the mock does not serve here [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    otype = models.object_type(domain, params["ObjectTypeName"])
    query = fingerprint("ListObjectTypeAttributes", domain.name, otype.name)
    page, token = paginate(models.attributes(domain, otype), params, query, models.LIST_PAGE)
    return items_page(list(page), token)


@operation("ListObjectTypeAttributeValues")
def list_object_type_attribute_values(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The most recent distinct values of one field of the object type over its stored
    objects, most recent first, each with `LastUpdatedAt` the time the newest object
    holding it was put [MODEL]; the list stops before 350,000 bytes of values [MODEL:
    "approximately 350KB"] and leaves out a value over 1000 characters [INFERRED].
    `AttributeName` is the field's name, dots included (`Address.City`), sent
    percent-encoded in the path. An attribute the type does not define is 404 `Attribute
    NAME does not exist in object type TYPE` [INFERRED]; an unknown object type 404 as
    in ListObjectTypeAttributes. `MaxResults` (default 100 [INFERRED]) / `NextToken`.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    otype = models.object_type(domain, params["ObjectTypeName"])
    name = params["AttributeName"]
    query = fingerprint("ListObjectTypeAttributeValues", domain.name, otype.name, name)
    items = models.attribute_values(domain, otype, name)
    page, token = paginate(items, params, query, models.LIST_PAGE)
    return items_page(list(page), token)


@operation("GetObjectTypeAttributeStatistics")
def get_object_type_attribute_statistics(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """`Maximum`, `Minimum`, `Average`, `StandardDeviation` and `Percentiles` (P5, P25,
    P50, P75, P95) of the numeric values of one field over the object type's stored
    objects, each object counting once, computed at the call (`CalculatedAt` now)
    [INFERRED: AWS computes them once a day]. The standard deviation is the population's,
    the percentiles nearest-rank [INFERRED]. Values that are not numbers are passed over;
    an attribute with none is 400 `Statistics are not available for attribute NAME of
    object type TYPE: it has no numeric values` [INFERRED: the model says AWS answers
    nulls, but every member of the answer is required]. Only for domains whose
    `DataStore` is enabled [MODEL]: otherwise 400 `Attribute statistics are only
    available for domains with Data Store enabled: domain DOMAIN has none` [INFERRED: the
    code and the wording]. Unknown types and attributes are 404 as in
    ListObjectTypeAttributeValues.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    otype = models.object_type(domain, params["ObjectTypeName"])
    return models.statistics(domain, otype, params["AttributeName"])


@operation("DetectProfileObjectType")
def detect_profile_object_type(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """One object-type mapping detected from the 1-5 sample objects, or none when they
    hold no value (an empty `DetectedProfileObjectTypes`); nothing is stored [MODEL: at
    most one]. [INFERRED] how it is detected: a field per value, nested objects by
    dotted path (`Source` `_source.PATH`), a `Target` on the standard profile and its
    content type for keys named like one of its fields (`email`, `phone`, `firstName`,
    `lastName`, `city`, ...), `NUMBER` for a value only numbers fill, else `STRING`; the
    first key named `id` or ending in `Id`, `ID` or `_id` becomes a `PROFILE` and `UNIQUE`
    key, the first email and phone fields `PROFILE` keys `_email` and `_phone`; the first
    ISO-8601 date string gives `SourceLastUpdatedTimestampFormat` as a Java pattern
    (`yyyy-MM-dd'T'HH:mm:ss'Z'`). An object that is not valid JSON is 400 `Objects[N] is
    not valid JSON`, one that is not a JSON object 400 `Objects[N] is not a JSON object`
    [INFERRED: the wording].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    del domain  # only its existence is checked (404 otherwise)
    return {"DetectedProfileObjectTypes": models.detect(params["Objects"])}
