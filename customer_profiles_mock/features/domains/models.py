"""Domains: their configuration rules, and how the domain operations show a domain."""

from __future__ import annotations

import copy
from typing import Any

from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.resource import merged_tags, stamped
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.arns import domain_arn

DEFAULT_EXPIRATION_DAYS = 366
# [INFERRED] Not documented for ListDomains.
LIST_DOMAINS_PAGE = 100
CONFIG_MEMBERS = (
    "DefaultExpirationDays",
    "DefaultEncryptionKey",
    "DeadLetterQueueUrl",
    "Matching",
    "RuleBasedMatching",
    "DataStore",
)
# UpdateDomain: an empty string clears these [MODEL].
CLEARED_BY_EMPTY = frozenset({"DefaultEncryptionKey", "DeadLetterQueueUrl"})
# DeleteDomain's answer: the only public example [DOC-EX; CloudFormation's tests agree].
DELETED_MESSAGE = "Domain Deleted"


def create(region: Region, name: str, fields: dict[str, Any]) -> Domain:
    """A new domain in ``region`` from CreateDomain's members (a copy: the caller keeps
    its own); a 400 when one of that name exists."""
    config = {k: copy.deepcopy(v) for k, v in fields.items() if k in CONFIG_MEMBERS}
    if "RuleBasedMatching" in config:
        # [MODEL] "If it is a new domain, the system will skip the PENDING stage."
        config["RuleBasedMatching"]["Status"] = "IN_PROGRESS"
    arn = domain_arn(region.name, region.account_id, name)
    return region.domains.add(Domain(name, arn, config, tags=dict(fields.get("Tags") or {})))


def update(domain: Domain, fields: dict[str, Any]) -> None:
    """Apply UpdateDomain's members: omitted ones are kept, ``""`` clears the key and
    the queue, structures are replaced whole, ``Tags`` are merged in. Everything is
    checked before anything changes."""
    config = dict(domain.config)
    for name in CONFIG_MEMBERS:
        if name not in fields:
            continue
        value = copy.deepcopy(fields[name])
        if name in CLEARED_BY_EMPTY and value == "":
            config.pop(name, None)
        else:
            config[name] = value
    if "RuleBasedMatching" in fields:
        config["RuleBasedMatching"]["Status"] = _rule_based_status(
            domain.config.get("RuleBasedMatching"), fields["RuleBasedMatching"]
        )
    tags = merged_tags(domain.arn, domain.tags, fields["Tags"]) if "Tags" in fields else domain.tags
    domain.config, domain.tags = config, tags
    domain.touch()


def describe(domain: Domain) -> dict[str, Any]:
    """The domain as CreateDomain / UpdateDomain answer it."""
    out: dict[str, Any] = {"DomainName": domain.name}
    for name in CONFIG_MEMBERS:
        if name in domain.config:
            out[name] = copy.deepcopy(domain.config[name])
    return stamped(out, domain)


def summary(domain: Domain) -> dict[str, Any]:
    """The domain as ListDomains lists it."""
    return stamped({"DomainName": domain.name}, domain)


def _rule_based_status(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """RuleBasedMatching's Status after UpdateDomain [MODEL]: ``PENDING`` when it newly
    enables rule-based matching on the domain (it was absent or disabled), else the status
    it had; [INFERRED] ``PENDING`` too when the domain had no rule-based matching at all."""
    was_enabled = old is not None and old.get("Enabled") is True
    if new.get("Enabled") is True and not was_enabled:
        return "PENDING"
    return str(old.get("Status", "PENDING")) if old is not None else "PENDING"
