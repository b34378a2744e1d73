"""Seeding and inspecting state through the handle (``cp.create_domain`` and friends).

Everything here writes to and reads from the same state the API calls see, with the
region's lock held, and validates what it is given as the API would, failing with an
``InvalidArgumentError`` that names the field and the fix.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import gc
import json
import os
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from botocore.utils import parse_timestamp

from customer_profiles_mock.core.operations import OPERATIONS, Context
from customer_profiles_mock.core.state import State
from customer_profiles_mock.exceptions import (
    InvalidArgumentError,
    InvalidTypeError,
    UnsupportedOperationError,
    kind_of,
)
from customer_profiles_mock.features.domains import models as _domains
from customer_profiles_mock.features.domains.models import DEFAULT_EXPIRATION_DAYS
from customer_profiles_mock.features.event_streams import models as _event_streams
from customer_profiles_mock.features.event_streams import publication as _publication
from customer_profiles_mock.features.event_triggers import models as _event_triggers
from customer_profiles_mock.features.identity_resolution import models as _identity
from customer_profiles_mock.features.object_types import models as _object_types
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES
from customer_profiles_mock.features.objects.models import OBJECTS
from customer_profiles_mock.features.profile_history.models import HISTORY
from customer_profiles_mock.features.profiles.models import PROFILES, index_entries, new_profile_id
from customer_profiles_mock.features.recommenders import models as _recommenders
from customer_profiles_mock.features.segment_streams import models as _segment_streams
from customer_profiles_mock.features.segments import models as _segments
from customer_profiles_mock.features.tags.models import resolve
from customer_profiles_mock.features.upload_jobs import models as _upload_jobs
from customer_profiles_mock.store.domain import Domain
from customer_profiles_mock.store.store import Region, Store
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire import validate as _validate
from customer_profiles_mock.wire.arns import Arn, domain_arn, parse_arn, partition
from customer_profiles_mock.wire.codec import RawJSON
from customer_profiles_mock.wire.errors import ServiceError

_LOAD_KEYS = frozenset({"domains"})
_DOMAIN_META_KEYS = frozenset(
    {"region", "account_id", "profiles", "fake_profiles", "object_types", "objects", "keys"}
)
# The members of the entries load() seeds after a domain's profiles.
_OBJECT_MEMBERS = frozenset({"ObjectTypeName", "Object"})
_KEY_MEMBERS = frozenset({"ProfileId", "KeyName", "Values"})
_FAKE_KEYS = frozenset({"count", "seed", "locale", "business_ratio"})
_SEED_ONLY = frozenset({"ProfileId"})  # seeding may choose ids; the API may not


@functools.cache
def _fields(operation: str) -> frozenset[str]:
    """The fields a seeding call takes: the operation's input members but the domain name."""
    return frozenset(_model.operation_model(operation).input_shape.members) - {"DomainName"}


def _check_fields(
    caller: str,
    operation: str,
    fields: Mapping[str, Any],
    also: frozenset[str] = frozenset(),
    given: frozenset[str] = frozenset(),
) -> None:
    """Fail for a field ``operation`` does not take (``also`` are taken too; ``given``,
    the caller's positional arguments, are not fields)."""
    names = _fields(operation)
    for name in fields:
        if (name in names or name in also) and name not in given:
            continue  # no set is built on the way of a valid call (seeding in bulk)
        allowed = (names | also) - given
        hint = _model.did_you_mean(name, allowed)
        raise InvalidArgumentError(
            f"{caller} got an unknown field {name!r}.{hint} "
            f"{operation} fields: {', '.join(sorted(allowed))}."
        )


def _unknown_nested(value: Any, shape: Any, path: str) -> tuple[str, str, Any] | None:
    """The first member that ``shape`` does not define inside ``value``: its dotted path
    (below ``path``; from the top level when ``path`` is empty), its name, and the
    structure shape it is missing from."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        members = shape.members
        for name, item in value.items():
            where = f"{path}.{name}" if path else str(name)
            if name not in members:
                return where, str(name), shape
            found = _unknown_nested(item, members[name], where)
            if found is not None:
                return found
    elif kind == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            found = _unknown_nested(item, shape.member, f"{path}[{i}]")
            if found is not None:
                return found
    elif kind == "map" and isinstance(value, Mapping):
        for key, item in value.items():
            found = _unknown_nested(item, shape.value, f"{path}.{key}")
            if found is not None:
                return found
    return None


def _check_nested(caller: str, operation: str, fields: Mapping[str, Any]) -> None:
    """Fail for a member the model does not define anywhere inside ``fields``, naming its
    path and the closest name (``Address.Town``: did you mean ``Address.City``?)."""
    members = _model.operation_model(operation).input_shape.members
    for name, value in fields.items():
        member = members.get(name)
        found = None if member is None else _unknown_nested(value, member, name)
        if found is not None:
            path, _, shape = found
            parent, _, unknown = path.rpartition(".")
            hint = _model.did_you_mean(unknown, shape.members)
            hint = hint.replace("'", f"'{parent}.", 1) if hint else ""
            raise InvalidArgumentError(
                f"{caller} got an unknown field {path!r}.{hint} "
                f"{parent} fields: {', '.join(sorted(shape.members))}."
            )


class Seeder:
    """The seeding and inspection methods behind the handle's, with their signatures
    (``handle.api``): into the activation's state, in the handle's account and region
    unless a call names others."""

    def __init__(self, state: Callable[[], State], account_id: str, region: str) -> None:
        self._state = state
        self._account_id = account_id
        self._region = region

    def _region_of(self, region: str | None, account_id: str | None) -> Region:
        if region is not None:
            _model.check_region(region)
        if account_id is not None:
            _model.check_account_id(account_id)
        state = self._state()
        where = state.store.region(account_id or self._account_id, region or self._region)
        with where.lock:  # what is due by now is done, as before a call
            where.run_due(state.clock.time(), state.job_seconds)
        return where

    def _context(self, where: Region) -> Context:
        """What a handler runs with in ``where`` now, as the pipeline gives it: the
        activation's templates, clock and job step."""
        state = self._state()
        return Context(where, state.templates, state.clock.time(), state.job_seconds)

    def settle(self) -> None:
        self._state().store.settle()

    def create_domain(
        self, name: str, *, region: str | None = None, account_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        _check_fields("create_domain()", "CreateDomain", fields)
        _check_nested("create_domain()", "CreateDomain", fields)
        params = {"DomainName": name, "DefaultExpirationDays": DEFAULT_EXPIRATION_DAYS, **fields}
        errors: list[str] = []
        _input_walk("CreateDomain")(params, "", errors)
        if errors:
            raise InvalidArgumentError(f"create_domain(): {_validate.summary(errors)}")
        state = self._region_of(region, account_id)
        with state.lock:
            try:
                made = _domains.create(state, name, params)
            except ServiceError as exc:
                raise InvalidArgumentError(f"create_domain(): {exc.message}") from None
            if _domains.rules_moving(made):  # as CreateDomain: ACTIVE a job step later
                self._context(state).schedule(made, _domains.RULE_JOB, _domains.RULE_KEY)
            described = _domains.describe(made)
        return as_api("CreateDomain", described)

    def create_profile(
        self,
        domain: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> str:
        created = self.create_profiles(
            domain, [fields], region=region, account_id=account_id, caller="create_profile()"
        )
        return created[0]

    def create_profiles(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        *,
        region: str | None = None,
        account_id: str | None = None,
        caller: str = "create_profiles()",
        ids: random.Random | None = None,
    ) -> list[str]:
        state = self._region_of(region, account_id)
        with _gc_paused():
            records = _records(domain, profiles, caller, ids)
            with state.lock:
                table = self._domain(state, domain, caller).part(PROFILES)
                try:
                    return table.add(records)
                except ServiceError as exc:
                    raise InvalidArgumentError(f"{caller}: {exc.message}") from None

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
        from customer_profiles_mock.handle.fake import generate_profiles

        records = generate_profiles(count, seed=seed, locale=locale, business_ratio=business_ratio)
        ids = None
        if seed is not None:
            ids = random.Random(f"customer-profiles-mock:{seed}")
            first = new_profile_id(random.Random(f"customer-profiles-mock:{seed}"))
            state = self._region_of(region, account_id)
            with state.lock:
                if domain in state.domains and first in state.domains.get(domain).part(PROFILES):
                    raise InvalidArgumentError(
                        f"fake_profiles(): seed {seed} was already used in domain {domain!r}: "
                        "the same seed makes the same profiles with the same ProfileIds. "
                        "Use another seed, or seed=None for new ones."
                    )
        return self.create_profiles(
            domain,
            records,
            region=region,
            account_id=account_id,
            caller="fake_profiles()",
            ids=ids,
        )

    def call(
        self,
        caller: str,
        operation: str,
        region: str | None,
        account_id: str | None,
        given: Mapping[str, Any],
        fields: Mapping[str, Any],
    ) -> dict[str, Any]:
        """Run ``operation`` as an API call would, with the same validation, on ``given``
        (the caller's positional arguments) and ``fields`` (its keyword fields, checked
        for unknown names). A rejection raises ``InvalidArgumentError`` with the
        service's message; the result comes back as a boto3 client would return it."""
        _check_fields(caller, operation, fields, given=frozenset(given))
        _check_nested(caller, operation, fields)
        params = copy.deepcopy({**fields, **given})
        errors: list[str] = []
        _input_walk(operation)(params, "", errors)
        if errors:
            raise InvalidArgumentError(f"{caller}: {_validate.summary(errors)}")
        where = self._region_of(region, account_id)
        with where.lock:
            if "DomainName" in given:  # the handle's own message: where it looked, the fix
                self._domain(where, given["DomainName"], caller)
            try:
                result = OPERATIONS[operation].handler(self._context(where), params)
            except ServiceError as exc:
                raise InvalidArgumentError(f"{caller}: {exc.message}") from None
        return as_api(operation, result)

    def update_profile(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> None:
        given = {"DomainName": domain, "ProfileId": profile_id}
        self.call("update_profile()", "UpdateProfile", region, account_id, given, fields)

    def add_profile_key(
        self,
        domain: str,
        profile_id: str,
        key: str,
        values: Iterable[str],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        given: dict[str, Any] = {"DomainName": domain, "ProfileId": profile_id, "KeyName": key}
        given["Values"] = list(values)
        self.call("add_profile_key()", "AddProfileKey", region, account_id, given, {})

    def seed(
        self,
        operation: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        try:
            _model.check_operation_name(operation)
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"seed(): {exc}") from None
        if operation not in OPERATIONS:
            raise UnsupportedOperationError(operation, OPERATIONS)
        caller = f"seed({operation!r})"
        _check_fields(caller, operation, params, also=frozenset({"DomainName"}))
        given = {"DomainName": params.pop("DomainName")} if "DomainName" in params else {}
        return self.call(caller, operation, region, account_id, given, params)

    def put_object(
        self,
        domain: str,
        object_type: str,
        obj: Mapping[str, Any] | str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        caller: str = "put_object()",
    ) -> str:
        """Ingest one object (a mapping, or JSON text kept verbatim) as PutProfileObject
        does; returns its ProfileObjectUniqueKey."""
        text = obj if isinstance(obj, str) else json.dumps(obj)
        given = {"DomainName": domain, "ObjectTypeName": object_type, "Object": text}
        out = self.call(caller, "PutProfileObject", region, account_id, given, {})
        return str(out["ProfileObjectUniqueKey"])

    def objects(
        self,
        domain: str,
        profile_id: str | None = None,
        object_type: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        state = self._region_of(region, account_id)
        with state.lock:
            store = self._domain(state, domain, "objects()").part(OBJECTS)
            records = sorted(store.records.items(), key=lambda item: item[1].sequence)
            return [
                {
                    "ObjectTypeName": record.type_name,
                    "ProfileObjectUniqueKey": key,
                    "ProfileId": record.profile_id,
                    "Object": json.loads(record.text),
                    "ObjectText": record.text,
                }
                for key, record in records
                if (profile_id is None or record.profile_id == profile_id)
                and (object_type is None or record.type_name == object_type)
            ]

    def dead_letters(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        state = self._region_of(region, account_id)
        with state.lock:
            store = self._domain(state, domain, "dead_letters()").part(OBJECTS)
            return [
                {
                    "ObjectTypeName": letter.ObjectTypeName,
                    "Object": json.loads(letter.Object),
                    "ObjectText": letter.Object,
                    "Reason": letter.Reason,
                }
                for letter in store.dead_letters
            ]

    def trigger_events(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        state = self._region_of(region, account_id)
        with state.lock:
            table = self._domain(state, domain, "trigger_events()").part(_event_triggers.TRIGGERS)
            return [
                {
                    "EventTriggerName": fired.EventTriggerName,
                    "ProfileId": fired.ProfileId,
                    "ObjectTypeName": fired.ObjectTypeName,
                    "Object": copy.deepcopy(dict(fired.Object)),
                    "Uris": list(fired.Uris),
                    "FiredAt": fired.FiredAt,
                }
                for fired in table.events
            ]

    def profile_keys(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, list[str]]:
        state = self._region_of(region, account_id)
        with state.lock:
            table = self._domain(state, domain, "profile_keys()").part(PROFILES)
            profile = table.get(profile_id)
            if profile is None:
                raise InvalidArgumentError(
                    f"profile_keys(): profile {profile_id!r} does not exist in domain "
                    f"{domain!r} (account {state.account_id}, region {state.name})."
                )
            keys: dict[str, list[str]] = {}
            entries = index_entries(profile, table.extras(profile_id), table.key_types)
            for key, value in dict.fromkeys(entries):
                keys.setdefault(key, []).append(value)
            return keys

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, list[str]]:
        """Seed everything ``source`` describes, or nothing: it is loaded into a store of
        its own first, and taken over only when all of it is valid."""
        data, origin = _read_seed(source)
        scratch = State(Store())
        scratch.templates = self._state().templates  # seeds may use registered ones
        loader = Seeder(lambda: scratch, self._account_id, self._region)
        created: dict[str, list[str]] = {}
        for i, entry in enumerate(data["domains"]):
            where = f"load(): {origin}domains[{i}]"
            if not isinstance(entry, Mapping) or "DomainName" not in entry:
                raise InvalidArgumentError(f"{where} must be an object with a DomainName")
            ids = loader._load_domain(entry, where)
            created.setdefault(entry["DomainName"], []).extend(ids)
        self._state().store.take(scratch.store)
        return created

    def _load_domain(self, entry: Mapping[str, Any], where: str) -> list[str]:
        meta = {k: v for k, v in entry.items() if k in _DOMAIN_META_KEYS}
        fields = {k: v for k, v in entry.items() if k not in _DOMAIN_META_KEYS}
        allowed = _fields("CreateDomain") | {"DomainName"}
        for key in fields:
            if key not in allowed:
                hint = _model.did_you_mean(key, sorted(allowed | _DOMAIN_META_KEYS))
                raise InvalidArgumentError(
                    f"{where} has an unknown key {key!r}.{hint} A domain takes CreateDomain's "
                    f"fields and {', '.join(sorted(_DOMAIN_META_KEYS))}."
                )
        if not isinstance(meta.get("profiles", []), list):
            raise InvalidArgumentError(
                f"{where}: profiles must be a list of CreateProfile field objects"
            )
        name = fields.pop("DomainName")
        region, account_id = meta.get("region"), meta.get("account_id")
        try:
            self.create_domain(name, region=region, account_id=account_id, **fields)
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(_at(where, str(exc), "create_domain()")) from None
        self._load_object_types(name, region, account_id, meta.get("object_types", {}), where)
        ids = self.create_profiles(
            name,
            meta.get("profiles", []),
            region=region,
            account_id=account_id,
            caller=f"{where}.profiles",
        )
        fake = meta.get("fake_profiles")
        if fake is not None:
            if not isinstance(fake, Mapping) or set(fake) - _FAKE_KEYS or "count" not in fake:
                raise InvalidArgumentError(
                    f"{where}: fake_profiles of domain {name!r} must be an object with 'count' "
                    f"and optionally {', '.join(sorted(_FAKE_KEYS - {'count'}))}"
                )
            options = {"seed": None, "locale": "en_US", "business_ratio": 0.2, **fake}
            try:
                ids += self.fake_profiles(name, region=region, account_id=account_id, **options)
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"{where}.fake_profiles: {exc}") from None
        for at, item in _entries(meta, "objects", _OBJECT_MEMBERS, where):
            self.put_object(
                name,
                item["ObjectTypeName"],
                item["Object"],
                region=region,
                account_id=account_id,
                caller=at,
            )
        for at, item in _entries(meta, "keys", _KEY_MEMBERS, where):
            given = {"DomainName": name, **item}
            self.call(at, "AddProfileKey", region, account_id, given, {})
        return ids

    def profiles(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[Any]:
        state = self._region_of(region, account_id)
        with state.lock:
            table = self._domain(state, domain, "profiles()").part(PROFILES)
            return copy.deepcopy(list(table))

    def domains(self, *, region: str | None = None, account_id: str | None = None) -> list[str]:
        state = self._region_of(region, account_id)
        with state.lock:
            return state.domains.names()

    @staticmethod
    def _domain(state: Region, name: str, caller: str) -> Domain:
        if name not in state.domains:
            raise InvalidArgumentError(
                f"{caller}: domain {name!r} does not exist in account {state.account_id}, "
                f"region {state.name}. Create it first with cp.create_domain({name!r})."
            )
        return state.domains.get(name)

    def tags(self, arn: str) -> dict[str, str]:
        """A copy of the tags of the resource ``arn`` names, looked up in the account and
        region the ARN names."""
        parsed = self._arn(arn)
        state = self._state().store.region(parsed.account_id, parsed.region)
        with state.lock:
            resource = resolve(state, arn)
            if resource is not None:
                return dict(resource.tags)
        expected = partition(parsed.region)
        hint = "" if parsed.partition == expected else f" (whose partition is {expected!r})"
        raise InvalidArgumentError(
            f"tags(): no resource has the ARN {arn!r} in account {parsed.account_id}, "
            f"region {parsed.region}{hint}."
        )

    def _arn(self, arn: object) -> Arn:
        if not isinstance(arn, str):
            raise InvalidTypeError(f"tags() takes a resource ARN (a str), got {kind_of(arn)}")
        parsed = parse_arn(arn)
        if parsed is not None:
            try:
                _model.check_region(parsed.region)
                _model.check_account_id(parsed.account_id)
            except InvalidArgumentError:
                parsed = None
        if parsed is None:
            example = domain_arn(self._region, self._account_id, "shop")
            raise InvalidArgumentError(
                f"tags(): {arn!r} is not a Customer Profiles resource ARN such as {example!r}"
            )
        return parsed

    # -- object types and templates ---------------------------------------------------

    def put_object_type(
        self,
        domain: str,
        name: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        caller: str = "put_object_type()",
        **fields: Any,
    ) -> dict[str, Any]:
        """Create or replace an object type as PutProfileObjectType would, with the same
        rules and messages; templates are those of the activation being served."""
        fields = {k: v for k, v in fields.items() if v is not None}
        given = {"DomainName": domain, "ObjectTypeName": name}
        return self.call(caller, "PutProfileObjectType", region, account_id, given, fields)

    def object_types(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[str]:
        state = self._region_of(region, account_id)
        with state.lock:
            table = self._domain(state, domain, "object_types()").part(OBJECT_TYPES)
            return [object_type.name for object_type in table.sorted()]

    # -- event streams --------------------------------------------------------------

    def set_event_stream_state(
        self,
        domain: str,
        name: str,
        *,
        state: str | None = None,
        destination_status: str | None = None,
        message: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        caller = "set_event_stream_state()"
        for argument, value, allowed in (
            ("state", state, _event_streams.STATES),
            ("destination_status", destination_status, _event_streams.STATUSES),
        ):
            if value is not None and value not in allowed:
                raise InvalidArgumentError(
                    f"{caller}: {argument} must be one of {', '.join(allowed)}, got {value!r}"
                )
        text: object = message  # a server's client may send anything
        if text is not None and not isinstance(text, str):
            raise InvalidTypeError(f"{caller}: message must be a str, got {kind_of(text)}")
        if message is not None and not 1 <= len(message) <= 1000:
            raise InvalidArgumentError(
                f"{caller}: message must be 1 to 1000 characters long, got {len(message)}"
            )
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, caller)
            stream = found.part(_event_streams.STREAMS).find(name)
            if stream is None:
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no event stream {name!r}. Create it "
                    f"first with cp.seed('CreateEventStream', DomainName={domain!r}, "
                    f"EventStreamName={name!r}, Uri=...)."
                )
            _event_streams.set_state(stream, state, destination_status, message)
            result = _event_streams.shown(stream, found.name)
        return as_api("GetEventStream", result)

    # -- segments -----------------------------------------------------------------------

    def seed_segment_members(
        self,
        domain: str,
        name: str,
        profile_ids: list[str],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        caller = "seed_segment_members()"
        given: object = profile_ids  # a server's client may send anything
        if isinstance(given, str) or not isinstance(given, (list, tuple, set, frozenset)):
            raise InvalidTypeError(
                f"{caller}: profile_ids must be a list of str, got {kind_of(given)}"
            )
        for profile_id in given:
            if not isinstance(profile_id, str):
                raise InvalidTypeError(
                    f"{caller}: profile_ids must hold str, got {kind_of(profile_id)}"
                )
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, caller)
            definition = found.part(_segments.DEFINITIONS).find(name)
            if definition is None:
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no segment definition {name!r}. Create "
                    f"it first with cp.seed('CreateSegmentDefinition', DomainName={domain!r}, "
                    f"SegmentDefinitionName={name!r}, DisplayName=..., SegmentSqlQuery=...)."
                )
            try:
                _segments.seed_members(found, name, list(given))
            except ServiceError as exc:
                raise InvalidArgumentError(f"{caller}: {exc.message}") from None

    def run_segment_subscriptions(
        self,
        domain: str,
        name: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> int:
        caller = "run_segment_subscriptions()"
        chosen: object = name
        if chosen is not None and not isinstance(chosen, str):
            raise InvalidTypeError(f"{caller}: name must be a str or None, got {kind_of(chosen)}")
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, caller)
            part = found.part(_segment_streams.SEGMENT_STREAMS)
            names = list(part.subscriptions) if name is None else [name]
            if name is not None and name not in part.subscriptions:
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no segment subscription for {name!r}. "
                    f"Create it first with cp.seed('PutSegmentSubscription', "
                    f"DomainName={domain!r}, SegmentDefinitionName={name!r})."
                )
            return sum(_segment_streams.run_scheduled(found, part, n) for n in names)

    def stream_records(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, "stream_records()")
            return [json.loads(text) for text in found.part(_publication.PUBLISHED).records]

    # -- profile history --------------------------------------------------------------

    def set_performed_by(
        self,
        domain: str,
        principal: str | None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        caller = "set_performed_by()"
        text: object = principal  # a server's client may send anything
        if text is not None and not isinstance(text, str):
            raise InvalidTypeError(
                f"{caller}: principal must be a str or None, got {kind_of(text)}"
            )
        if principal is not None and not 1 <= len(principal) <= 255:
            raise InvalidArgumentError(
                f"{caller}: principal must be 1 to 255 characters long (PerformedBy), got "
                f"{len(principal)}"
            )
        where = self._region_of(region, account_id)
        with where.lock:
            self._domain(where, domain, caller).part(HISTORY).performed_by = principal

    def run_identity_resolution_job(
        self,
        domain: str,
        *,
        status: str = "COMPLETED",
        message: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        caller = "run_identity_resolution_job()"
        if status not in _identity.STATUSES:
            raise InvalidArgumentError(
                f"{caller}: status must be one of {', '.join(_identity.STATUSES)}, got {status!r}"
            )
        text: object = message  # a server's client may send anything
        if text is not None and not isinstance(text, str):
            raise InvalidTypeError(f"{caller}: message must be a str, got {kind_of(text)}")
        if message is not None and len(message) > 2048:
            raise InvalidArgumentError(
                f"{caller}: message must be at most 2048 characters long, got {len(message)}"
            )
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._matching_domain(where, domain, caller)
            job = _identity.start_job(found, status, message)
            if job.status != status:  # it runs to its end, a step each job_seconds
                context = self._context(where)
                context.schedule(found, _identity.JOBS, job.job_id)
                where.run_due(context.now, context.job_seconds)
            result = found.part(_identity.JOBS).get(found.name, job.job_id).shown(found.name)
        return as_api("GetIdentityResolutionJob", result)

    def seed_matches(
        self,
        domain: str,
        groups: list[list[str]],
        *,
        confidence: float = 1.0,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        caller = "seed_matches()"
        score: object = confidence
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise InvalidTypeError(f"{caller}: confidence must be a number, got {kind_of(score)}")
        if not 0.0 <= confidence <= 1.0:
            raise InvalidArgumentError(
                f"{caller}: confidence must be from 0 to 1, got {confidence!r}"
            )
        given: object = groups
        if not isinstance(given, list):
            raise InvalidTypeError(
                f"{caller}: groups must be a list of lists, got {kind_of(given)}"
            )
        for index, group in enumerate(groups):
            item: object = group
            if not isinstance(item, list) or not all(isinstance(i, str) for i in group):
                raise InvalidTypeError(
                    f"{caller}: groups[{index}] must be a list of ProfileIds (str)"
                )
            if len(set(group)) < 2:
                raise InvalidArgumentError(
                    f"{caller}: groups[{index}] must hold two or more different ProfileIds"
                )
            for profile_id in group:
                if not _identity.PROFILE_ID.fullmatch(profile_id):
                    raise InvalidArgumentError(
                        f"{caller}: groups[{index}] holds {profile_id!r}, which is not a "
                        "ProfileId (32 lowercase hexadecimal digits)"
                    )
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._matching_domain(where, domain, caller)
            job = _identity.seed_groups(found, groups, float(confidence))
            result = job.shown(found.name)
        return as_api("GetIdentityResolutionJob", result)

    @classmethod
    def _matching_domain(cls, where: Region, domain: str, caller: str) -> Domain:
        """The domain, which must have ``Matching`` enabled, as jobs run only there."""
        found = cls._domain(where, domain, caller)
        if (found.config.get("Matching") or {}).get("Enabled") is not True:
            raise InvalidArgumentError(
                f"{caller}: domain {domain!r} does not have identity resolution enabled. "
                f"Enable it first with cp.create_domain({domain!r}, Matching={{'Enabled': "
                "True}) or UpdateDomain."
            )
        return found

    # -- upload jobs ----------------------------------------------------------------

    def upload_job_file(
        self,
        domain: str,
        job_id: str,
        csv_text: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        caller = "upload_job_file()"
        text: object = csv_text  # a server's client may send anything
        if not isinstance(text, str):
            raise InvalidTypeError(f"{caller}: csv_text must be a str, got {kind_of(text)}")
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, caller)
            job = found.part(_upload_jobs.JOBS).find(job_id)
            if job is None:
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no upload job {job_id!r}. Create it "
                    f"first with CreateUploadJob (cp.seed('CreateUploadJob', ...))."
                )
            status = job.members["Status"]
            if status != "CREATED":
                raise InvalidArgumentError(
                    f"{caller}: upload job {job_id!r} is {status}: only a CREATED job takes a file"
                )
            _upload_jobs.keep_file(job, csv_text.encode())

    # -- recommendations -------------------------------------------------------------

    def seed_recommendations(
        self,
        domain: str,
        recommender: str,
        items: list[Mapping[str, Any]],
        *,
        profile_id: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        caller = "seed_recommendations()"
        stored = _recommendation_items(caller, items)
        where = self._region_of(region, account_id)
        with where.lock:
            found = self._domain(where, domain, caller)
            if found.part(_recommenders.RECOMMENDERS).find(recommender) is None:
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no recommender {recommender!r}. Create "
                    f"it first with cp.seed('CreateRecommender', DomainName={domain!r}, "
                    f"RecommenderName={recommender!r}, "
                    f"RecommenderRecipeName='recommended-for-you')."
                )
            if profile_id is not None and profile_id not in found.part(PROFILES):
                raise InvalidArgumentError(
                    f"{caller}: domain {domain!r} has no profile {profile_id!r}"
                )
            found.part(_recommenders.SEEDS).put(recommender, profile_id, stored)

    def register_template(
        self,
        template_id: str,
        *,
        SourceName: str,
        SourceObject: str,
        Fields: dict[str, Any],
        Keys: dict[str, Any],
        AllowProfileCreation: bool = False,
        SourceLastUpdatedTimestampFormat: str | None = None,
    ) -> dict[str, Any]:
        """Add a template to the activation being served, checked like the model's
        template shape and the object-type rules."""
        caller = "register_template()"
        fields = {
            "SourceName": SourceName,
            "SourceObject": SourceObject,
            "AllowProfileCreation": AllowProfileCreation,
            "SourceLastUpdatedTimestampFormat": SourceLastUpdatedTimestampFormat,
            "Fields": Fields,
            "Keys": Keys,
        }
        for name in ("SourceName", "SourceObject", "Fields", "Keys"):
            if fields.get(name) is None:
                raise InvalidArgumentError(f"{caller}: {name} is required")
        template: dict[str, Any] = {"TemplateId": template_id}
        template.update((k, copy.deepcopy(v)) for k, v in fields.items() if v is not None)
        _check_nested(
            caller,
            "PutProfileObjectType",
            {"Fields": template.get("Fields", {}), "Keys": template.get("Keys", {})},
        )
        errors: list[str] = []
        _template_walk()(template, "", errors)
        if errors:
            raise InvalidArgumentError(f"{caller}: {_validate.summary(errors)}")
        try:
            _object_types.check_definition(
                template["Fields"],
                template["Keys"],
                allow_profile_creation=template.get("AllowProfileCreation", False),
                timestamp_format=template.get("SourceLastUpdatedTimestampFormat"),
            )
        except ServiceError as exc:
            raise InvalidArgumentError(f"{caller}: template {template_id}: {exc.message}") from None
        state = self._state()  # replaced, not changed: a request may be reading it
        state.templates = {**state.templates, template_id: template}
        return copy.deepcopy(template)

    def answer(
        self,
        operation: str,
        response: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]],
        *,
        override: bool = False,
    ) -> None:
        """Answer ``operation`` with ``response`` (or what a function of the request
        parameters returns), checked against the operation's output shape."""
        try:
            _model.check_operation_name(operation)
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"answer(): {exc}") from None
        if operation in OPERATIONS and override is not True:
            raise InvalidArgumentError(
                f"answer(): {operation} is served by the mock, from the state seeding and "
                f"the other calls make: seed that state (cp.seed({operation!r}, ...) or the "
                "seeding methods) or inject a fault; pass override=True to answer it with "
                "this response instead, whatever the state."
            )
        caller = f"answer({operation!r})"
        answer: Callable[[dict[str, Any]], dict[str, Any]]
        if callable(response):
            compute = response

            def answer(params: dict[str, Any]) -> dict[str, Any]:
                return _checked_response(caller, operation, compute(copy.deepcopy(params)))

        elif isinstance(response, Mapping):
            fixed = _checked_response(caller, operation, response)

            def answer(params: dict[str, Any]) -> dict[str, Any]:
                return copy.deepcopy(fixed)

        else:
            raise InvalidTypeError(
                f"{caller} takes the response (a dict, as a boto3 client returns it) or a "
                f"function of the request parameters that returns one, got {kind_of(response)}"
            )
        state = self._state()  # replaced, not changed: a request may be reading it
        state.answers = {**state.answers, operation: answer}

    def _load_object_types(
        self,
        domain: str,
        region: str | None,
        account_id: str | None,
        object_types: Any,
        where: str,
    ) -> None:
        if not isinstance(object_types, Mapping) or not all(
            isinstance(fields, Mapping) for fields in object_types.values()
        ):
            raise InvalidArgumentError(
                f"{where}: object_types must be an object of object type names to "
                "PutProfileObjectType fields"
            )
        for name, fields in object_types.items():
            try:
                self.put_object_type(domain, name, region=region, account_id=account_id, **fields)
            except InvalidArgumentError as exc:
                at = f"{where}.object_types.{name}"
                raise InvalidArgumentError(_at(at, str(exc), "put_object_type()")) from None


def _records(
    domain: str, profiles: Iterable[Mapping[str, Any]], caller: str, ids: random.Random | None
) -> list[dict[str, Any]]:
    """Each profile to seed as it will be stored, validated as CreateProfile would.

    The loop runs once per seeded profile, so what it needs is looked up before it.
    """
    allowed = _fields("CreateProfile") | _SEED_ONLY
    walk = _input_walk("CreateProfile")
    id_walk = _uuid_walk()
    nested = _nested_members("CreateProfile")
    records: list[dict[str, Any]] = []
    for i, given in enumerate(profiles):
        if type(given) is not dict and not isinstance(given, Mapping):
            where = _where(caller, i)
            raise InvalidTypeError(
                f"{where}: expected a mapping of CreateProfile fields, got {kind_of(given)}"
            )
        if None in given.values():  # absent, as the API parser treats a null
            given = {k: v for k, v in given.items() if v is not None}
        # Stored as built here: ProfileId first, then the fields (the walk ignores it).
        profile: dict[str, Any] = {"ProfileId": None, **given}
        if not allowed.issuperset(profile):
            _check_fields(_where(caller, i), "CreateProfile", given, _SEED_ONLY)
        for name, known, deep in nested:
            # Nested fields are checked like the top level, and copied, so that changing
            # the caller's dicts after seeding changes nothing.
            value = profile.get(name)
            if type(value) is dict:
                if deep or (known is not None and not known.issuperset(value)):
                    _check_nested(_where(caller, i), "CreateProfile", {name: value})
                profile[name] = copy.deepcopy(value) if deep else dict(value)
        errors: list[str] = []
        profile["DomainName"] = domain
        walk(profile, "", errors)
        del profile["DomainName"]
        if profile["ProfileId"] is None:
            profile["ProfileId"] = new_profile_id(ids)
        else:
            id_walk(profile["ProfileId"], "profileId", errors)
        if errors:
            raise InvalidArgumentError(f"{_where(caller, i)}: {_validate.summary(errors)}")
        records.append(profile)
    return records


def _entries(
    meta: Mapping[str, Any], name: str, members: frozenset[str], where: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The entries of a load() list (``objects``, ``keys``), each with its JSON path,
    checked to have exactly ``members``."""
    entries = meta.get(name, [])
    if not isinstance(entries, list):
        raise InvalidArgumentError(
            f"{where}: {name} must be a list of objects with {', '.join(sorted(members))}"
        )
    for i, item in enumerate(entries):
        at = f"{where}.{name}[{i}]"
        _check_entry(at, item, members)
        yield at, item


def _check_entry(where: str, item: object, members: frozenset[str]) -> None:
    """An entry of a load() list must have exactly ``members``: name the one that is
    misspelt or missing."""
    if not isinstance(item, Mapping):
        raise InvalidArgumentError(
            f"{where} must be an object with {', '.join(sorted(members))}, got {kind_of(item)}"
        )
    for key in item:
        if key not in members:
            hint = _model.did_you_mean(str(key), members)
            raise InvalidArgumentError(
                f"{where} has an unknown key {key!r}.{hint} It takes {', '.join(sorted(members))}."
            )
    missing = sorted(members - set(item))
    if missing:
        raise InvalidArgumentError(f"{where} lacks {', '.join(missing)}")


def _at(where: str, message: str, caller: str) -> str:
    """A seeding call's message told at a load() path: ``create_domain(): reason`` as
    ``domains[1]: reason``, an argument's own ``region must ...`` as
    ``domains[1].region must ...``."""
    detail = message.removeprefix(caller)
    if detail == message:
        return f"{where}.{message}"
    return f"{where}{detail}"  # ": reason" or " got ..."


def _where(caller: str, i: int) -> str:
    """Which profile of a call a message is about: ``create_profiles() profile #3``, or
    in a ``load()``, its JSON path (``load(): seed.json: domains[0].profiles[3]``)."""
    if caller == "create_profile()":
        return caller
    return f"{caller} profile #{i}" if caller.endswith("()") else f"{caller}[{i}]"


def _read_seed(source: Mapping[str, Any] | str | os.PathLike[str]) -> tuple[Any, str]:
    """The seed data, and how messages name where it came from (``"seed.json: "``)."""
    origin = ""
    if isinstance(source, Mapping):
        data: Any = source
    else:
        path = Path(source)
        origin = f"{path}: "
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidArgumentError(
                f"load(): cannot read seed file {str(path)!r}: {exc}"
            ) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("domains"), list):
        raise InvalidArgumentError(
            f'load(): {origin}expected {{"domains": [...]}} at the top level'
        )
    unknown = set(data) - _LOAD_KEYS
    if unknown:
        raise InvalidArgumentError(f"load(): {origin}unknown top-level key {sorted(unknown)[0]!r}")
    return data, origin


def _input_walk(operation: str) -> _validate.Walk:
    walk = _validate.input_validator(operation)
    assert walk is not None, operation
    return walk


@functools.cache
def _nested_members(operation: str) -> tuple[tuple[str, frozenset[str] | None, bool], ...]:
    """The structure and map members of an operation's input: for each, the names it
    takes (None for a map, whose keys are free) and whether it nests deeper than
    scalars (then it is checked and copied whole, else a one-level check and copy do)."""
    containers = _validate.CONTAINER_TYPES
    nested: list[tuple[str, frozenset[str] | None, bool]] = []
    for name, member in _model.operation_model(operation).input_shape.members.items():
        if member.type_name == "structure":
            inside = {m.type_name for m in member.members.values()}
            nested.append((name, frozenset(member.members), bool(inside & containers)))
        elif member.type_name == "map":
            nested.append((name, None, member.value.type_name in containers))
    return tuple(nested)


@functools.cache
def _template_walk() -> _validate.Walk:
    """The model's checks of a template, from GetProfileObjectTypeTemplate's answer."""
    shape = _model.operation_model("GetProfileObjectTypeTemplate").output_shape
    return _validate.compile_shape(shape)


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


@functools.cache
def _recommendation_shape() -> Any:
    shape = _model.output_shape("GetProfileRecommendations").members["Recommendations"]
    return shape.member


def _recommendation_items(caller: str, items: object) -> tuple[dict[str, Any], ...]:
    """Seeded catalog items checked and stored as the model's ``Recommendation`` (a
    ``CatalogItem`` and its ``Score``), ``Id`` and ``Score`` required, an ``Id`` once;
    timestamps kept as the wire sends them (epoch seconds)."""
    if not isinstance(items, (list, tuple)):
        raise InvalidTypeError(f"{caller}: items must be a list of dicts, got {kind_of(items)}")
    shape = _recommendation_shape()
    members = shape.members["CatalogItem"].members
    out: list[dict[str, Any]] = []
    for number, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InvalidTypeError(f"{caller}: items[{number}] must be a dict, got {kind_of(item)}")
        for name in item:
            if name not in members and name != "Score":
                hint = _model.did_you_mean(name, [*members, "Score"])
                raise InvalidArgumentError(
                    f"{caller}: items[{number}] has an unknown field {name!r}.{hint} Fields: "
                    f"Score, {', '.join(members)}."
                )
        for required in ("Id", "Score"):
            if required not in item:
                raise InvalidArgumentError(f"{caller}: items[{number}] needs {required!r}")
        catalog = {k: v for k, v in item.items() if k != "Score"}
        errors: list[str] = []
        _validate.compile_shape(shape)({"CatalogItem": catalog, "Score": item["Score"]}, "", errors)
        if errors:
            raise InvalidArgumentError(f"{caller}: items[{number}]: {_validate.summary(errors)}")
        if any(seen["CatalogItem"]["Id"] == item["Id"] for seen in out):
            raise InvalidArgumentError(f"{caller}: items[{number}] repeats Id {item['Id']!r}")
        stored = {
            k: _epoch(v) if k in ("CreatedAt", "UpdatedAt") else v for k, v in catalog.items()
        }
        out.append({"CatalogItem": stored, "Score": float(item["Score"])})
    return tuple(out)


def _epoch(value: Any) -> float:
    """A timestamp a seeding call gave (a datetime, a botocore timestamp text, epoch
    seconds) as epoch seconds."""
    if isinstance(value, str):
        value = parse_timestamp(value)
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return float(value)


def as_api(operation: str, result: dict[str, Any]) -> dict[str, Any]:
    """``result`` as a boto3 client returns it: a copy with every timestamp, at any depth,
    parsed the way botocore's parser parses it (the output shape says where they are);
    a server's client reads its answers (epoch seconds) back with it too."""
    out: dict[str, Any] = _api_value(result, _model.operation_model(operation).output_shape)
    return out


def _api_value(value: Any, shape: Any) -> Any:
    if type(value) is RawJSON:  # a stored record answered as its wire JSON
        value = json.loads(value)
    kind = shape.type_name
    if kind == "timestamp":
        return parse_timestamp(value)
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {
            name: _api_value(item, members[name]) if name in members else copy.deepcopy(item)
            for name, item in value.items()
        }
    if kind == "list" and isinstance(value, list):
        return [_api_value(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: _api_value(item, shape.value) for key, item in value.items()}
    return copy.deepcopy(value)


def _checked_response(caller: str, operation: str, response: object) -> dict[str, Any]:
    """A test's response for ``operation`` (boto3's ``ResponseMetadata`` left out), as a
    copy, if it fits the output shape: no member the shape lacks, at any depth, and every
    constraint (required members, types, lengths, patterns, enums) met."""
    if not isinstance(response, Mapping):
        raise InvalidArgumentError(
            f"{caller}: the response must be a dict of {operation}'s output members, "
            f"got {kind_of(response)}"
        )
    out = {k: copy.deepcopy(v) for k, v in response.items() if k != "ResponseMetadata"}
    shape = _model.output_shape(operation)
    if shape is None:
        if out:
            raise InvalidArgumentError(
                f"{caller}: {operation} answers nothing, got members: {', '.join(map(str, out))}"
            )
        return out
    unknown = _unknown_nested(out, shape, "")
    if unknown is not None:
        where, name, there = unknown
        members = list(there.members)
        raise InvalidArgumentError(
            f"{caller}: the response has an unknown member {where!r}."
            f"{_model.did_you_mean(name, members)} Members there: {', '.join(members)}."
        )
    errors: list[str] = []
    _validate.compile_shape(shape)(out, "", errors)
    if errors:
        raise InvalidArgumentError(
            f"{caller}: the response does not fit {operation}'s output shape: "
            f"{_validate.summary(errors)}"
        )
    return out
