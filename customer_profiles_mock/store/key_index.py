"""Search keys: the index from (key name, value) to profile ids that SearchProfiles reads.

The index is generic: it knows key names and values, not where they come from. The
profiles feature feeds it the keys of the standard profile; object types and
AddProfileKey will feed it theirs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

# Predefined search keys listed in the model's SearchProfiles documentation, and the
# standard objects' index names. The ones nothing fills match nothing; any other name is
# a 400 until a domain defines it.
PREDEFINED_KEYS = frozenset(
    {
        "_account", "_profileId", "_assetId", "_caseId", "_orderId", "_fullName", "_phone",
        "_email", "_ctrContactId", "_marketoLeadId", "_salesforceAccountId",
        "_salesforceContactId", "_salesforceAssetId", "_zendeskUserId", "_zendeskExternalId",
        "_zendeskTicketId", "_serviceNowSystemId", "_serviceNowIncidentId", "_segmentUserId",
        "_shopifyCustomerId", "_shopifyOrderId",
        # The standard objects' index names the admin guide and ObjectFilter.KeyName add
        # (features/object_types/standard_objects.py, which the suite checks against this).
        "_assetName", "_serialNumber", "_loyaltyId", "_loyaltyMembershipId",
        "_communicationRecordId",
        # The admin guide's index of Servicenow-task (mapping-servicenow-objects-standard-case),
        # which the model's list does not name.
        "_serviceNowTaskId",
    }
)  # fmt: skip

Entry = tuple[str, str]  # (key name, value)

# The content types the predefined keys normalise by [INFERRED from AWS's own example
# mapping, which types them so]; every other predefined key is a STRING.
PREDEFINED_TYPES = {"_email": "EMAIL_ADDRESS", "_phone": "PHONE_NUMBER", "_fullName": "NAME"}

_NOT_DIGIT = re.compile(r"[^0-9]")


def _email(value: str) -> str:
    return value.strip().lower()


def _name(value: str) -> str:
    return " ".join(value.split()).lower()


def _phone(value: str) -> str:
    """Digits only; a North American number's leading country code 1 dropped, so that
    ``+1 (206) 345-7890`` and ``2063457890`` are one value [INFERRED]."""
    digits = _NOT_DIGIT.sub("", value)
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


def _number(value: str) -> str:
    text = value.strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if not number:
        return "0"
    try:
        normal = number.normalize()
    except ArithmeticError:  # decimal.Overflow: beyond the context's exponent range
        return text
    # Plain digits for ordinary numbers; 1e999999 would be a megabyte of zeros.
    return format(normal, "f") if abs(normal.adjusted()) <= 100 else str(normal)


def _string(value: str) -> str:
    return value


NORMALIZERS: dict[str, Callable[[str], str]] = {
    "EMAIL_ADDRESS": _email,
    "NAME": _name,
    "PHONE_NUMBER": _phone,
    "NUMBER": _number,
    "STRING": _string,
}


def normalizer(key: str, key_types: Mapping[str, str]) -> Callable[[str], str]:
    """How values of search key ``key`` are normalised for indexing and matching: by the
    content type the domain defined the key with, else the predefined one, else exact."""
    content_type = key_types.get(key) or PREDEFINED_TYPES.get(key, "STRING")
    return NORMALIZERS.get(content_type, _string)


class KeyIndex:
    """key name -> value -> the one profile id with that value, or a dict (used as an
    ordered set) of several: most values are unique, and a str costs no allocation."""

    __slots__ = ("_by_key",)

    def __init__(self) -> None:
        self._by_key: dict[str, dict[str, str | dict[str, None]]] = {}

    def add(self, profile_id: str, entries: Iterable[Entry]) -> None:
        by_key = self._by_key
        for key, value in entries:
            by_value = by_key.get(key)
            if by_value is None:
                by_value = by_key[key] = {}
            ids = by_value.get(value)
            if ids is None:
                by_value[value] = profile_id
            elif type(ids) is str:
                if ids != profile_id:
                    by_value[value] = {ids: None, profile_id: None}
            else:
                ids[profile_id] = None  # type: ignore[index]

    def remove(self, profile_id: str, entries: Iterable[Entry]) -> None:
        for key, value in entries:
            by_value = self._by_key.get(key, {})
            ids = by_value.get(value)
            if ids == profile_id:
                del by_value[value]
            elif isinstance(ids, dict):
                ids.pop(profile_id, None)
                if not ids:
                    del by_value[value]

    def __contains__(self, key: str) -> bool:
        """Whether any value of ``key`` is indexed."""
        return bool(self._by_key.get(key))

    def find(self, key: str, value: str) -> Iterable[str]:
        ids = self._by_key.get(key, {}).get(value)
        if ids is None:
            return ()
        return (ids,) if type(ids) is str else ids.keys()  # type: ignore[union-attr]
