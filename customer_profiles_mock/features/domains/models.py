"""Domains: their configuration rules, and how the domain operations show a domain."""

from __future__ import annotations

import copy
from typing import Any

from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.store.resource import merged_tags, stamped
from customer_profiles_mock.store.store import Region
from customer_profiles_mock.wire.arns import domain_arn
from customer_profiles_mock.wire.errors import BadRequestException

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


# RuleBasedMatching's Status, a step each on the job schedule [MODEL: PENDING ("the rule
# is being processed" for an existing domain), IN_PROGRESS, ACTIVE ("The rule is ready to
# use"); INFERRED: a job step each].
RULE_STATUSES = ("PENDING", "IN_PROGRESS", "ACTIVE")


class RuleBasedMatchingJob(DomainPart):
    """Moves an enabled RuleBasedMatching's ``Status`` one state on per job step
    (``ctx.schedule(domain, RULE_JOB, RULE_KEY)``), until ``ACTIVE``."""

    __slots__ = ()

    def freeze(self) -> object:
        return None  # the status lives in the domain's configuration

    def on_due(self, domain: Domain, key: str) -> bool:
        rules = domain.config.get("RuleBasedMatching")
        if rules is None or rules.get("Enabled") is not True:
            return False
        status = rules.get("Status", "PENDING")
        if status not in RULE_STATUSES[:-1]:
            return False
        status = RULE_STATUSES[RULE_STATUSES.index(status) + 1]
        domain.config = {**domain.config, "RuleBasedMatching": {**rules, "Status": status}}
        return status != "ACTIVE"


RULE_JOB = register_part(
    "rule_based_matching",
    lambda domain: RuleBasedMatchingJob(),
    lambda d, f: RuleBasedMatchingJob(),
)
RULE_KEY = "status"


def rules_moving(domain: Domain) -> bool:
    """Whether the domain's enabled rule-based matching has yet to reach ACTIVE (its
    steps are to be scheduled)."""
    rules = domain.config.get("RuleBasedMatching") or {}
    return rules.get("Enabled") is True and rules.get("Status") in RULE_STATUSES[:-1]


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
        old = domain.config.get("RuleBasedMatching")
        if (
            old is not None
            and old.get("Status") == "IN_PROGRESS"
            and old.get("Enabled") is True
            and _rules(old) != _rules(fields["RuleBasedMatching"])
        ):
            # [MODEL RuleBasedMatchingResponse.Status] IN_PROGRESS: "you can no longer
            # change the Rule-based matching configuration" [INFERRED: the 400's text]
            raise BadRequestException(
                f"Rule-based matching of domain {domain.name} is IN_PROGRESS: its "
                "configuration cannot change until its Status is ACTIVE"
            )
        config["RuleBasedMatching"]["Status"] = _rule_based_status(old, fields["RuleBasedMatching"])
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


def _rules(config: dict[str, Any]) -> dict[str, Any]:
    """A RuleBasedMatching configuration without its Status."""
    return {k: v for k, v in config.items() if k != "Status"}


def _rule_based_status(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """RuleBasedMatching's Status after UpdateDomain [MODEL]: ``PENDING`` when it newly
    enables rule-based matching on the domain (it was absent or disabled), else the status
    it had; [INFERRED] ``PENDING`` too when the domain had no rule-based matching at all."""
    was_enabled = old is not None and old.get("Enabled") is True
    if new.get("Enabled") is True and not was_enabled:
        return "PENDING"
    return str(old.get("Status", "PENDING")) if old is not None else "PENDING"
