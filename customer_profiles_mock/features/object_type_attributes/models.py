"""Object-type attributes derived from the stored objects: names, values, statistics, detection.

Nothing here is stored: every answer is read off the domain's objects
(``domain.part(OBJECTS).of_type(name)``, newest first, each with the time it was put)
through the object type's current ``Fields``. What was read is kept (``READS``, never
frozen) until an object is put or removed or the type is replaced.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import time
from collections.abc import Iterator
from typing import Any

from customer_profiles_mock.features.object_types.mapping import SourceError, extract
from customer_profiles_mock.features.object_types.models import (
    OBJECT_TYPES,
    ObjectType,
    not_found_message,
)
from customer_profiles_mock.features.objects.models import OBJECTS
from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

# [INFERRED] Page sizes: the model's largest MaxResults.
LIST_PAGE = 100
# [MODEL] ListObjectTypeAttributeValues "returns values up to the storage limit of
# approximately 350KB": the values listed stop before their UTF-8 bytes pass this.
VALUES_STORAGE = 350_000
MAX_VALUE = 1000  # [MODEL] a listed Value is 1-1000 characters
# [MODEL] ListObjectTypeAttributes' AttributeName: a field name without a dot.
LISTED_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
PERCENTILES = (("P5", 5), ("P25", 25), ("P50", 50), ("P75", 75), ("P95", 95))
# [MODEL] "exclusively available for domains with data store enabled"; the code (400)
# and these texts [INFERRED].
NO_DATA_STORE = (
    "Attribute statistics are only available for domains with Data Store enabled: domain "
    "{domain} has none"
)
NO_NUMBERS = (
    "Statistics are not available for attribute {attribute} of object type {type}: it has "
    "no numeric values"
)


def object_type(domain: Domain, name: str) -> ObjectType:
    """The domain's object type ``name`` (a template's type once an object used it), or
    the 404 an unknown one gets [INFERRED: the standard types _profile, _asset, _order
    and _case are not served]."""
    found = domain.part(OBJECT_TYPES).find(name)
    if found is None:
        raise ResourceNotFoundException(not_found_message(domain.name, name))
    return found


def _check_attribute(otype: ObjectType, attribute: str) -> None:
    if attribute not in otype.fields:
        raise ResourceNotFoundException(
            f"Attribute {attribute} does not exist in object type {otype.name}"
        )


Stored = list[tuple[dict[str, str], float]]


class Reads(DomainPart):
    """The objects of each type as last read (``_stored``), with the object type and the
    object store's version they were read at. Not part of a snapshot: a restored domain
    reads them again."""

    __slots__ = ("by_type",)

    def __init__(self) -> None:
        self.by_type: dict[str, tuple[ObjectType, int, Stored]] = {}

    def freeze(self) -> None:
        return None


# Every domain's reads: ``domain.part(READS)``.
READS = register_part("object_type_attribute_reads", lambda d: Reads(), lambda d, f: Reads())


def _stored(domain: Domain, otype: ObjectType) -> Stored:
    """Each stored object of the type, newest first: its fields' values (through the
    type's current Fields) and when it was put. An object the current Fields cannot map
    (the type was replaced since) is passed over."""
    objects = domain.part(OBJECTS)
    reads = domain.part(READS).by_type
    kept = reads.get(otype.name)
    if kept is not None and kept[0] is otype and kept[1] == objects.version:
        return kept[2]
    stored = []
    for record in objects.of_type(otype.name):
        try:
            values = extract(otype.fields, json.loads(record.text))
        except SourceError:
            continue
        stored.append((values, record.put_at))
    reads[otype.name] = (otype, objects.version, stored)
    return stored


def attributes(domain: Domain, otype: ObjectType) -> list[dict[str, Any]]:
    """ListObjectTypeAttributes' items: each field of the type that a stored object gives
    a value, with the time the newest such object was put, sorted by name [INFERRED];
    a field name with a dot, which the model's AttributeName refuses, is left out."""
    seen: dict[str, float] = {}
    for values, put_at in _stored(domain, otype):
        for name, value in values.items():
            if value and name not in seen and LISTED_NAME.fullmatch(name):
                seen[name] = put_at
    return [{"AttributeName": name, "LastUpdatedAt": seen[name]} for name in sorted(seen)]


def attribute_values(domain: Domain, otype: ObjectType, attribute: str) -> list[dict[str, Any]]:
    """ListObjectTypeAttributeValues' items: the attribute's distinct values, most recent
    first, each with the time the newest object holding it was put [MODEL]; they stop
    before ``VALUES_STORAGE`` bytes [MODEL: "approximately 350KB"], and a value over
    1000 characters is left out [INFERRED]."""
    _check_attribute(otype, attribute)
    items: dict[str, float] = {}
    size = 0
    for values, put_at in _stored(domain, otype):
        value = values.get(attribute, "")
        if not value or value in items or len(value) > MAX_VALUE:
            continue
        size += len(value.encode())
        if size > VALUES_STORAGE:
            break
        items[value] = put_at
    return [{"Value": value, "LastUpdatedAt": put_at} for value, put_at in items.items()]


def _numbers(domain: Domain, otype: ObjectType, attribute: str) -> list[float]:
    numbers = []
    for values, _ in _stored(domain, otype):
        try:
            number = float(values.get(attribute, ""))
        except ValueError:
            continue
        if math.isfinite(number):
            numbers.append(number)
    return numbers


def nearest_rank(ordered: list[float], percent: int) -> float:
    """The nearest-rank percentile of sorted values [INFERRED: the method]."""
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def statistics(domain: Domain, otype: ObjectType, attribute: str) -> dict[str, Any]:
    """GetObjectTypeAttributeStatistics' answer, computed now over every stored object's
    numeric value of the attribute [INFERRED: AWS computes it daily]: the population
    standard deviation and nearest-rank percentiles [INFERRED]."""
    if (domain.config.get("DataStore") or {}).get("Enabled") is not True:
        raise BadRequestException(NO_DATA_STORE.format(domain=domain.name))
    _check_attribute(otype, attribute)
    numbers = _numbers(domain, otype, attribute)
    if not numbers:
        raise BadRequestException(NO_NUMBERS.format(attribute=attribute, type=otype.name))
    ordered = sorted(numbers)
    average = math.fsum(ordered) / len(ordered)
    variance = math.fsum((x - average) ** 2 for x in ordered) / len(ordered)
    return {
        "Statistics": {
            "Maximum": ordered[-1],
            "Minimum": ordered[0],
            "Average": average,
            "StandardDeviation": math.sqrt(variance),
            "Percentiles": {name: nearest_rank(ordered, p) for name, p in PERCENTILES},
        },
        "CalculatedAt": time.time(),
    }


# -- detection ---------------------------------------------------------------------------

# [INFERRED] A source key (lower-cased, without "_" or "-") the detection maps to a field
# of the standard profile, with that field's content type.
_PROFILE_TARGETS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("email", "emailaddress", "mail"), ("EmailAddress", "EMAIL_ADDRESS")),
    "personalemail": ("PersonalEmailAddress", "EMAIL_ADDRESS"),
    "businessemail": ("BusinessEmailAddress", "EMAIL_ADDRESS"),
    **dict.fromkeys(("phone", "phonenumber", "telephone"), ("PhoneNumber", "PHONE_NUMBER")),
    **dict.fromkeys(("mobile", "mobilephone"), ("MobilePhoneNumber", "PHONE_NUMBER")),
    "homephone": ("HomePhoneNumber", "PHONE_NUMBER"),
    "businessphone": ("BusinessPhoneNumber", "PHONE_NUMBER"),
    **dict.fromkeys(("firstname", "givenname"), ("FirstName", "NAME")),
    "middlename": ("MiddleName", "NAME"),
    **dict.fromkeys(("lastname", "surname", "familyname"), ("LastName", "NAME")),
    **dict.fromkeys(("birthdate", "dateofbirth", "dob"), ("BirthDate", "STRING")),
    **dict.fromkeys(("accountnumber", "accountid"), ("AccountNumber", "STRING")),
    **dict.fromkeys(("businessname", "company", "companyname"), ("BusinessName", "STRING")),
    **dict.fromkeys(("address", "address1", "street"), ("Address.Address1", "STRING")),
    "city": ("Address.City", "STRING"),
    "state": ("Address.State", "STRING"),
    "country": ("Address.Country", "STRING"),
    **dict.fromkeys(("postalcode", "zip", "zipcode"), ("Address.PostalCode", "STRING")),
}  # fmt: skip
_STANDARD_KEYS = {"EMAIL_ADDRESS": "_email", "PHONE_NUMBER": "_phone"}
# [INFERRED] An id-like source key: "id", or ending in "Id", "ID", "_id" or "-id".
_ID_KEY = re.compile(r"(?i:id)|.+(?:Id|ID|[_-](?i:id))")
_FIELD_NAME = re.compile(r"[a-zA-Z0-9_.-]{1,64}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?P<time>T\d{2}:\d{2}:\d{2}(?P<fraction>\.\d+)?)?")
MAX_OBJECTS_DEPTH = 5  # nested objects flattened to at most this depth


def _plain(key: str) -> str:
    return key.lower().replace("_", "").replace("-", "")


def _parsed(index: int, text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequestException(f"Objects[{index}] is not valid JSON") from None
    if not isinstance(found, dict):
        raise BadRequestException(f"Objects[{index}] is not a JSON object")
    return found


def _leaves(obj: dict[str, Any], prefix: str = "", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of each scalar in ``obj``, nested objects flattened; lists
    and nulls are passed over."""
    for key, value in obj.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            if depth < MAX_OBJECTS_DEPTH:
                yield from _leaves(value, f"{path}.", depth + 1)
        elif value is not None and not isinstance(value, list):
            yield path, value


def _timestamp_format(value: Any) -> str | None:
    """The Java date-time pattern of an ISO-8601 string [INFERRED: the notation]."""
    if not isinstance(value, str):
        return None
    found = _ISO_DATE.fullmatch(value.removesuffix("Z"))
    if found is None:
        return None
    try:
        datetime.datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        return None
    zone = "'Z'" if value.endswith("Z") else ""
    if found["time"] is None:
        return "yyyy-MM-dd"
    return "yyyy-MM-dd'T'HH:mm:ss" + (".SSS" if found["fraction"] else "") + zone


def detect(texts: list[str]) -> list[dict[str, Any]]:
    """DetectProfileObjectType's ``DetectedProfileObjectTypes``: one mapping for all the
    sample objects (none when they hold no scalar), nothing stored [MODEL: at most one;
    the rest INFERRED]. A field per scalar path (``Source`` ``_source.PATH``), a
    ``Target`` and content type for keys named like a standard profile field, NUMBER
    for paths only numbers fill; the first key named ``id`` or ending in ``Id``, ``ID``
    or ``_id`` is the UNIQUE and PROFILE key, email and phone fields PROFILE keys
    ``_email`` / ``_phone``;
    the first ISO-8601 date string gives ``SourceLastUpdatedTimestampFormat``."""
    objects = [_parsed(i, text) for i, text in enumerate(texts)]
    kinds: dict[str, set[bool]] = {}  # path -> {whether each value is a number}
    timestamp: str | None = None
    for obj in objects:
        for path, value in _leaves(obj):
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            kinds.setdefault(path, set()).add(number)
            if timestamp is None:
                timestamp = _timestamp_format(value)
    fields: dict[str, dict[str, str]] = {}
    keys: dict[str, list[dict[str, list[str]]]] = {}
    for path, numbers in kinds.items():
        name = re.sub(r"[^a-zA-Z0-9_.-]", "_", path)[:64]
        if name in fields or not _FIELD_NAME.fullmatch(name):
            continue
        raw = path.rpartition(".")[2]
        leaf = _plain(raw)
        target = _PROFILE_TARGETS.get(leaf)
        field = {"Source": f"_source.{path}", "ContentType": "STRING"}
        if target is not None:
            field["Target"] = f"_profile.{target[0]}"
            field["ContentType"] = target[1]
        elif numbers == {True}:
            field["ContentType"] = "NUMBER"
        fields[name] = field
        key_name = name.replace(".", "_")
        if _ID_KEY.fullmatch(raw) and not any(
            "UNIQUE" in d[0]["StandardIdentifiers"] for d in keys.values()
        ):
            keys[key_name] = [{"StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": [name]}]
        elif field["ContentType"] in _STANDARD_KEYS:
            standard = _STANDARD_KEYS[field["ContentType"]]
            if standard not in keys:
                keys[standard] = [{"StandardIdentifiers": ["PROFILE"], "FieldNames": [name]}]
    if not fields:
        return []
    detected: dict[str, Any] = {"Fields": fields, "Keys": keys}
    if timestamp is not None:
        detected["SourceLastUpdatedTimestampFormat"] = timestamp
    return [detected]
