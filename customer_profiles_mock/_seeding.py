"""Seeding and inspecting state through the mock handle (``cp.create_domain`` and friends)."""

from __future__ import annotations

import contextlib
import copy
import functools
import gc
import json
import os
import random
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from botocore.utils import parse_timestamp

from . import _model, _validate
from ._backend import DEFAULT_EXPIRATION_DAYS, RegionBackend, new_profile_id
from .exceptions import ServiceError

_LOAD_KEYS = frozenset({"domains"})
_DOMAIN_META_KEYS = frozenset({"region", "account_id", "profiles", "fake_profiles"})
_FAKE_KEYS = frozenset({"count", "seed", "locale", "business_ratio"})
_SEED_ONLY = frozenset({"ProfileId"})  # seeding may choose ids; the API may not


@functools.cache
def _fields(operation: str) -> frozenset[str]:
    """The fields a seeding call takes: the operation's input members but the domain name."""
    return frozenset(_model.operation_model(operation).input_shape.members) - {"DomainName"}


def _check_fields(
    caller: str, operation: str, fields: Mapping[str, Any], also: frozenset[str] = frozenset()
) -> None:
    allowed = _fields(operation)
    for name in fields:
        if name not in allowed and name not in also:
            hint = _model.did_you_mean(name, allowed)
            raise ValueError(
                f"{caller} got an unknown field {name!r}.{hint} "
                f"{operation} fields: {', '.join(sorted(allowed))}."
            )


def _check_constraints(caller: str, operation: str, params: dict[str, Any]) -> None:
    errors: list[str] = []
    _input_walk(operation)(params, "", errors)
    if errors:
        raise ValueError(f"{caller}: {_validate.summary(errors)}")


class Seeding:
    """Seeding and inspection methods of ``CustomerProfilesMock``.

    Everything here writes to and reads from the same state the API calls see.
    ``region`` and ``account_id`` default to the handle's own.
    """

    region: str
    account_id: str

    def _backend(self, region: str | None, account_id: str | None) -> RegionBackend:
        raise NotImplementedError  # provided by CustomerProfilesMock

    def create_domain(
        self,
        name: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create a domain (``DefaultExpirationDays`` defaults to 366); returns it as
        CreateDomain answers it."""
        _check_fields("create_domain()", "CreateDomain", fields)
        params = {"DomainName": name, "DefaultExpirationDays": DEFAULT_EXPIRATION_DAYS, **fields}
        _check_constraints("create_domain()", "CreateDomain", params)
        backend = self._backend(region, account_id)
        try:
            domain = backend.create_domain(name, params)
        except ServiceError as exc:
            raise ValueError(f"create_domain(): {exc.message}") from None
        return _as_api("CreateDomain", domain.describe())

    def create_profile(
        self,
        domain: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> str:
        """Create one profile from CreateProfile's fields; returns its ProfileId.

        ``ProfileId=`` may be given to choose the id (32 lowercase hex characters).
        """
        return self._create(domain, [fields], region, account_id, "create_profile()")[0]

    def create_profiles(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        """Create many profiles at once (all or none); returns their ProfileIds in order."""
        return self._create(domain, profiles, region, account_id, "create_profiles()")

    def fake_profiles(
        self,
        domain: str,
        count: int,
        *,
        seed: int | None = None,
        locale: str = "en_US",
        business_ratio: float = 0.2,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        """Create ``count`` realistic people and businesses made with Faker.

        The same ``seed`` gives the same profiles with the same ProfileIds.
        """
        from ._fake import generate_profiles

        records = generate_profiles(count, seed=seed, locale=locale, business_ratio=business_ratio)
        if seed is not None:
            ids = random.Random(f"customer-profiles-mock:{seed}")
            for record in records:
                record["ProfileId"] = new_profile_id(ids)
        return self._create(domain, records, region, account_id, "fake_profiles()")

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, list[str]]:
        """Seed domains and their profiles from a mapping or a JSON file.

        Returns the ProfileIds created, by domain name. The format is in the README.
        """
        if isinstance(source, Mapping):
            data: Any = source
        else:
            path = Path(source)
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(f"load(): cannot read seed file {str(path)!r}: {exc}") from None
        if not isinstance(data, Mapping) or not isinstance(data.get("domains"), list):
            raise ValueError('load(): expected {"domains": [...]} at the top level')
        unknown = set(data) - _LOAD_KEYS
        if unknown:
            raise ValueError(f"load(): unknown top-level key {sorted(unknown)[0]!r}")
        created: dict[str, list[str]] = {}
        for i, entry in enumerate(data["domains"]):
            if not isinstance(entry, Mapping) or "DomainName" not in entry:
                raise ValueError(f"load(): domains[{i}] must be an object with a DomainName")
            created[entry["DomainName"]] = self._load_domain(entry, f"load(): domains[{i}]")
        return created

    def _load_domain(self, entry: Mapping[str, Any], where: str) -> list[str]:
        meta = {k: v for k, v in entry.items() if k in _DOMAIN_META_KEYS}
        fields = {k: v for k, v in entry.items() if k not in _DOMAIN_META_KEYS}
        allowed = _fields("CreateDomain") | {"DomainName"}
        for key in fields:
            if key not in allowed:
                hint = _model.did_you_mean(key, sorted(allowed | _DOMAIN_META_KEYS))
                raise ValueError(
                    f"{where} has an unknown key {key!r}.{hint} A domain takes CreateDomain's "
                    f"fields and {', '.join(sorted(_DOMAIN_META_KEYS))}."
                )
        if not isinstance(meta.get("profiles", []), list):
            raise ValueError(f"{where}: profiles must be a list of CreateProfile field objects")
        name = fields.pop("DomainName")
        region, account_id = meta.get("region"), meta.get("account_id")
        self.create_domain(name, region=region, account_id=account_id, **fields)
        ids = self.create_profiles(
            name, meta.get("profiles", []), region=region, account_id=account_id
        )
        fake = meta.get("fake_profiles")
        if fake is not None:
            if not isinstance(fake, Mapping) or set(fake) - _FAKE_KEYS or "count" not in fake:
                raise ValueError(
                    f"load(): fake_profiles of domain {name!r} must be an object with 'count' "
                    f"and optionally {', '.join(sorted(_FAKE_KEYS - {'count'}))}"
                )
            ids += self.fake_profiles(name, region=region, account_id=account_id, **fake)
        return ids

    def profiles(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The stored profiles of ``domain``, in creation order, as the API returns them."""
        backend = self._backend(region, account_id)
        with backend.lock:
            stored = self._domain(backend, domain, "profiles()").profiles
            return copy.deepcopy(list(stored.values()))

    def domains(self, *, region: str | None = None, account_id: str | None = None) -> list[str]:
        """The names of the domains, in creation order."""
        backend = self._backend(region, account_id)
        with backend.lock:
            return list(backend.domains)

    def _domain(self, backend: RegionBackend, name: str, caller: str) -> Any:
        domain = backend.domains.get(name)
        if domain is None:
            raise ValueError(
                f"{caller}: domain {name!r} does not exist in account {backend.account_id}, "
                f"region {backend.region}. Create it first with cp.create_domain({name!r})."
            )
        return domain

    def _create(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        region: str | None,
        account_id: str | None,
        caller: str,
    ) -> list[str]:
        backend = self._backend(region, account_id)
        with _gc_paused():
            entries = _profile_entries(domain, profiles, caller)
            with backend.lock:
                self._domain(backend, domain, caller)
                try:
                    return backend.create_profiles(domain, entries)
                except ServiceError as exc:
                    raise ValueError(f"{caller}: {exc.message}") from None


def _profile_entries(
    domain: str, profiles: Iterable[Mapping[str, Any]], caller: str
) -> list[dict[str, Any]]:
    """Each profile to seed as it will be stored, validated as CreateProfile would.

    The loop runs once per seeded profile, so what it needs is looked up before it.
    """
    allowed = _fields("CreateProfile") | _SEED_ONLY
    walk = _input_walk("CreateProfile")
    id_walk = _uuid_walk()
    entries: list[dict[str, Any]] = []
    for i, given in enumerate(profiles):
        if type(given) is not dict and not isinstance(given, Mapping):
            where = _where(caller, i)
            raise TypeError(f"{where}: expected a mapping of CreateProfile fields, not {given!r}")
        if None in given.values():  # absent, as the API parser treats a null
            given = {k: v for k, v in given.items() if v is not None}
        # Stored as built here: ProfileId first, then the fields (the walk ignores it).
        profile: dict[str, Any] = {"ProfileId": None, **given}
        if not allowed.issuperset(profile):
            _check_fields(_where(caller, i), "CreateProfile", given, _SEED_ONLY)
        errors: list[str] = []
        profile["DomainName"] = domain
        walk(profile, "", errors)
        del profile["DomainName"]
        if profile["ProfileId"] is None:
            profile["ProfileId"] = new_profile_id()
        else:
            id_walk(profile["ProfileId"], "profileId", errors)
        if errors:
            raise ValueError(f"{_where(caller, i)}: {_validate.summary(errors)}")
        entries.append(profile)
    return entries


def _where(caller: str, i: int) -> str:
    return caller if caller == "create_profile()" else f"{caller} profile #{i}"


def _input_walk(operation: str) -> _validate.Walk:
    walk = _validate.input_validator(operation)
    assert walk is not None, operation
    return walk


@functools.cache
def _uuid_walk() -> _validate.Walk:
    return _validate.compile_shape(_model.service_model().shape_for("uuid"))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while seeding many profiles.

    Profiles are acyclic dicts, so the collector finds nothing to free, but the
    allocations would trigger it every few hundred objects (about a third of the cost).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _as_api(operation: str, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` as a boto3 client returns it: timestamps parsed the way botocore's
    parser does (the results seeding returns carry timestamps at the top level only)."""
    out = copy.deepcopy(result)
    for name, member in _model.operation_model(operation).output_shape.members.items():
        if member.type_name == "timestamp" and name in out:
            out[name] = parse_timestamp(out[name])
    return out
