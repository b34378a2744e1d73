"""Search keys: the index from (key name, value) to profile ids that SearchProfiles reads.

The index is generic: it knows key names and values, not where they come from. The
profiles feature feeds it the keys of the standard profile; object types and
AddProfileKey will feed it theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

# Predefined search keys listed in the model's SearchProfiles documentation. The ones
# nothing fills match nothing; any other name is a 400 until a domain defines it.
PREDEFINED_KEYS = frozenset(
    {
        "_account", "_profileId", "_assetId", "_caseId", "_orderId", "_fullName", "_phone",
        "_email", "_ctrContactId", "_marketoLeadId", "_salesforceAccountId",
        "_salesforceContactId", "_salesforceAssetId", "_zendeskUserId", "_zendeskExternalId",
        "_zendeskTicketId", "_serviceNowSystemId", "_serviceNowIncidentId", "_segmentUserId",
        "_shopifyCustomerId", "_shopifyOrderId",
    }
)  # fmt: skip

Entry = tuple[str, str]  # (key name, value)


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

    def find(self, key: str, value: str) -> Iterable[str]:
        ids = self._by_key.get(key, {}).get(value)
        if ids is None:
            return ()
        return (ids,) if type(ids) is str else ids.keys()  # type: ignore[union-attr]
