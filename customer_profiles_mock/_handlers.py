"""One function per implemented operation: API-cased parameters in, API-cased result out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ._backend import PREDEFINED_KEYS, Domain, RegionBackend, new_profile_id
from ._pagination import fingerprint, paginate
from ._wire import RawJSON, dumps
from .exceptions import BadRequestException

Handler = Callable[[RegionBackend, dict[str, Any]], dict[str, Any]]

# [INFERRED] Neither default is documented for ListDomains; SearchProfiles' is 20.
LIST_DOMAINS_PAGE = 100
SEARCH_PAGE = 20
NOT_FOUND_CODE = "404"
NOT_FOUND_MESSAGE = "Profile not found"


def create_domain(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    return backend.create_domain(params["DomainName"], params).describe()


def get_domain(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    with backend.lock:
        domain = backend.domain(params["DomainName"])
        out = domain.describe()
        count = len(domain.profiles)
    out["Stats"] = {
        "ProfileCount": count,
        "MeteringProfileCount": count,
        "ObjectCount": 0,
        "TotalSize": 0,
    }
    return out


def list_domains(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    with backend.lock:
        domains = sorted(backend.domains.values(), key=lambda d: d.name)
    page, token = paginate(domains, params, fingerprint("ListDomains"), LIST_DOMAINS_PAGE)
    items = []
    for domain in page:
        item: dict[str, Any] = {
            "DomainName": domain.name,
            "CreatedAt": domain.created_at,
            "LastUpdatedAt": domain.updated_at,
        }
        if domain.tags:
            item["Tags"] = dict(domain.tags)
        items.append(item)
    out: dict[str, Any] = {"Items": items}
    if token:
        out["NextToken"] = token
    return out


def delete_domain(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    name = params["DomainName"]
    backend.delete_domain(name)
    return {"Message": f"Domain {name} was deleted."}


def create_profile(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    profile = {"ProfileId": new_profile_id()}
    profile.update((k, v) for k, v in params.items() if k != "DomainName")
    return {"ProfileId": backend.create_profiles(params["DomainName"], [profile])[0]}


def delete_profile(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    backend.delete_profile(params["DomainName"], params["ProfileId"])
    return {"Message": f"Profile {params['ProfileId']} was deleted."}


def _encoded(domain: Domain, profile_id: str) -> RawJSON:
    """The stored profile as JSON, encoded once (profiles are replaced, never mutated)."""
    text = domain.encoded.get(profile_id)
    if text is None:
        text = domain.encoded[profile_id] = RawJSON(dumps(domain.profiles[profile_id]))
    return cast(RawJSON, text)


def batch_get_profile(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    profiles: list[RawJSON] = []
    errors: list[dict[str, str]] = []
    with backend.lock:
        domain = backend.domain(params["DomainName"])
        for profile_id in dict.fromkeys(params["ProfileIds"]):
            if profile_id in domain.profiles:
                profiles.append(_encoded(domain, profile_id))
            else:
                errors.append(
                    {"Code": NOT_FOUND_CODE, "Message": NOT_FOUND_MESSAGE, "ProfileId": profile_id}
                )
    return {"Errors": errors, "Profiles": profiles}


def search_profiles(backend: RegionBackend, params: dict[str, Any]) -> dict[str, Any]:
    domain_name = params["DomainName"]
    keys = [(params["KeyName"], params["Values"])]
    keys += [(k["KeyName"], k["Values"]) for k in params.get("AdditionalSearchKeys", ())]
    for name, _ in keys:
        if name not in PREDEFINED_KEYS:
            raise BadRequestException(f"Search key {name} is not defined in domain {domain_name}")
    use_and = params.get("LogicalOperator", "OR") == "AND"
    with backend.lock:
        domain = backend.domain(domain_name)
        # Per key: profile id -> the requested values it was found by.
        hits: list[dict[str, list[str]]] = []
        for name, values in keys:
            found: dict[str, list[str]] = {}
            for value in dict.fromkeys(values):
                for profile_id in domain.find(name, value):
                    found.setdefault(profile_id, []).append(value)
            hits.append(found)
        matched = set(hits[0]).intersection(*hits[1:]) if use_and else set().union(*hits)
        ordered = sorted(matched, key=domain.order.__getitem__)
        query = fingerprint(domain_name, keys, use_and)
        page, token = paginate(ordered, params, query, SEARCH_PAGE)
        items = []
        for profile_id in page:
            if use_and:
                found_by = [{"KeyName": n, "Values": list(dict.fromkeys(v))} for n, v in keys]
            else:
                found_by = [
                    {"KeyName": n, "Values": found[profile_id]}
                    for (n, _), found in zip(keys, hits, strict=True)
                    if profile_id in found
                ]
            # The cached profile with FoundByItems spliced in before its closing brace.
            profile = _encoded(domain, profile_id)
            items.append(RawJSON(f'{profile[:-1]},"FoundByItems":{dumps(found_by)}}}'))
    out: dict[str, Any] = {"Items": items}
    if token:
        out["NextToken"] = token
    return out


HANDLERS: dict[str, Handler] = {
    "BatchGetProfile": batch_get_profile,
    "CreateDomain": create_domain,
    "CreateProfile": create_profile,
    "DeleteDomain": delete_domain,
    "DeleteProfile": delete_profile,
    "GetDomain": get_domain,
    "ListDomains": list_domains,
    "SearchProfiles": search_profiles,
}
