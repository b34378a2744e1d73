"""Object types: their definitions, validation rules, templates and the object-type operations.

The interface for features built on object types (ingestion, AddProfileKey, tags):

- ``domain.part(OBJECT_TYPES)`` is the domain's ``ObjectTypeTable``. ``table.resolve(name)``
  is the type an object of that name is ingested with: the defined type, else an
  implicit type made from the template with that id, else None. ``table.find(name)``
  is the defined type only; ``table.key_types`` maps each key name the domain's types
  define to its content type (``STRING``, ``NUMBER``, ``PHONE_NUMBER``,
  ``EMAIL_ADDRESS`` or ``NAME``).
- An ``ObjectType``'s effective definition, resolved from its template when it has one:
  ``fields`` (field name -> ``{"Source": str, "Target"?: str, "ContentType"?: str}``,
  ``Source`` always present), ``keys`` (key name -> list of ``{"StandardIdentifiers":
  [str], "FieldNames": [str]}``, every field name defined in ``fields``),
  ``allow_profile_creation``, ``source_priority``, ``source_last_updated_timestamp_format``,
  ``max_profile_object_count``, ``expiration_days``, ``template_id``, and
  ``key_content_type(key)``. They are the stored values: read them, never change them.
- DeleteProfileObjectType tells the domain's parts (``on_object_type_deleted``) with the
  type still in the table, before removing it, under the region's lock.
"""

from __future__ import annotations

import copy
import functools
import time
from collections.abc import Mapping
from typing import Any

from customer_profiles_mock.features.object_types import mapping as _mapping
from customer_profiles_mock.features.object_types import standard_objects as _standard_objects
from customer_profiles_mock.features.object_types import templates as _templates
from customer_profiles_mock.features.object_types.standard_objects import STANDARD_OBJECTS
from customer_profiles_mock.features.object_types.templates import Template
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.store.key_index import PREDEFINED_KEYS
from customer_profiles_mock.store.resource import merged_tags, register_taggable, stamped
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException

Fields = dict[str, dict[str, str]]
Keys = dict[str, list[dict[str, list[str]]]]

MAX_OBJECT_TYPES = 100  # per domain
MAX_FIELDS = 250  # per object type
MAX_KEYS = 10  # key definitions per object type (each entry of a key's list counts)
# [INFERRED] ListProfileObjectTypes and ListProfileObjectTypeTemplates page size.
LIST_PAGE = 100
DEFAULT_CONTENT_TYPE = "STRING"

# What a template defines, so a PutProfileObjectType with a TemplateId may not give it.
_FROM_TEMPLATE = ("AllowProfileCreation", "SourceLastUpdatedTimestampFormat", "Fields", "Keys")
# Request members that are not part of the stored definition.
_NOT_DEFINITION = frozenset({"DomainName", "ObjectTypeName", "Tags"})
_RESERVED_NAMES = frozenset({"Tags", "tags"})  # as field or key names
_LOOKUP_ONLY_KEYS = ("_profileId", "_orderId", "_caseId", "_assetId")
_EXCLUSIVE_TARGETS = (
    ("_profile.Gender", "_profile.GenderString"),
    ("_profile.PartyType", "_profile.PartyTypeString"),
)
_TIMESTAMP_TARGET = "_profile.SourceLastUpdatedTimestamp"
# System identifiers no field may target: the profile's, and each standard object's.
_SYSTEM_IDS = frozenset(
    {"_profile.ProfileId"}
    | {f"{o.name}.{o.id_field}" for o in STANDARD_OBJECTS.values() if o.id_field}
)


def _now() -> float:
    return time.time()


def check_source(source: str) -> str | None:
    """Why a field's ``Source`` is invalid (a path not under ``_source``, Handlebars
    syntax the documented subset rejects), or None when it is valid."""
    return _mapping.check_source(source)


def not_found_message(domain: str, name: object) -> str:
    """What the service says of an object type a domain lacks [INFERRED]."""
    return f"Object type {name} does not exist in domain {domain}"


class ObjectType:
    """One object type of a domain: its definition as PutProfileObjectType stored it
    (``definition``: the request's members but the names and tags, with the defaults),
    and a copy of its template's definition (``template``) when it names one."""

    __slots__ = (
        "arn", "created_at", "definition", "implicit", "name", "plan", "tags", "template",
        "updated_at",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        arn: str,
        definition: dict[str, Any],
        template: Template | None = None,
        *,
        implicit: bool = False,
    ) -> None:
        self.name = name
        self.arn = arn
        self.definition = definition  # Description, Fields, Keys, AllowProfileCreation, ...
        self.template = template
        self.implicit = implicit  # made from a template by resolve(), never defined
        self.plan: Any = None  # what ingestion compiled from the definition, at first use
        self.tags: dict[str, str] = {}
        self.created_at = self.updated_at = _now()

    def clone(self) -> ObjectType:
        """A shallow copy: the definition and template are shared, never changed."""
        other = ObjectType.__new__(ObjectType)
        for name in ObjectType.__slots__:
            setattr(other, name, getattr(self, name))
        return other

    def _effective(self) -> Mapping[str, Any]:
        return self.template if self.template is not None else self.definition

    @property
    def fields(self) -> Fields:
        fields: Fields = self._effective().get("Fields", {})
        return fields

    @property
    def keys(self) -> Keys:
        keys: Keys = self._effective().get("Keys", {})
        return keys

    @property
    def allow_profile_creation(self) -> bool:
        return bool(self._effective().get("AllowProfileCreation", False))

    @property
    def source_last_updated_timestamp_format(self) -> str | None:
        value: str | None = self._effective().get("SourceLastUpdatedTimestampFormat")
        return value

    @property
    def source_priority(self) -> int | None:
        value: int | None = self.definition.get("SourcePriority")
        return value

    @property
    def max_profile_object_count(self) -> int | None:
        value: int | None = self.definition.get("MaxProfileObjectCount")
        return value

    @property
    def expiration_days(self) -> int | None:
        value: int | None = self.definition.get("ExpirationDays")
        return value

    @property
    def template_id(self) -> str | None:
        value: str | None = self.definition.get("TemplateId")
        return value

    def key_content_type(self, key: str) -> str:
        """The content type of one of this type's keys (that of its fields)."""
        return key_content_types(self.fields, {key: self.keys.get(key, [])})[key]

    def describe(self) -> dict[str, Any]:
        """The type as PutProfileObjectType and GetProfileObjectType answer it: with a
        template, its Fields, Keys and settings are filled in [INFERRED]."""
        out: dict[str, Any] = {"ObjectTypeName": self.name, **copy.deepcopy(self.definition)}
        if self.template is not None:
            for name in _FROM_TEMPLATE:
                if name in self.template:
                    out[name] = copy.deepcopy(self.template[name])
        return stamped(out, self)

    def summary(self) -> dict[str, Any]:
        """The type as ListProfileObjectTypes lists it."""
        item = {"ObjectTypeName": self.name, "Description": self.definition["Description"]}
        for name in ("MaxProfileObjectCount", "SourcePriority"):
            if name in self.definition:
                item[name] = self.definition[name]
        return stamped(item, self)


class ObjectTypeTable(DomainPart):
    """The object types of one domain, by name, and the domain's key names with the
    content type each was defined with (``key_types``)."""

    __slots__ = ("_types", "_unique_keys", "domain_arn", "key_types")

    def __init__(self, domain_arn: str) -> None:
        self.domain_arn = domain_arn
        self._types: dict[str, ObjectType] = {}
        self.key_types: dict[str, str] = {}
        self._unique_keys: dict[str, list[str]] | None = None  # with_unique_key's answers

    def find(self, name: str) -> ObjectType | None:
        """The defined type of that name."""
        return self._types.get(name)

    def resolve(self, name: str, templates: Mapping[str, Template]) -> ObjectType | None:
        """The type objects of that name are ingested with: the defined type, else an
        implicit one made from the template of that id [INFERRED] (not stored: ``keep``
        stores it), else None. ``templates``: ``templates.catalogue(ctx.templates)``."""
        found = self._types.get(name)
        if found is not None:
            return found
        template = templates.get(name)
        if template is None:
            return None
        definition = {"Description": f"Implicit object type of template {name}"}
        definition["TemplateId"] = name
        return ObjectType(
            name, self.arn_of(name), definition, copy.deepcopy(template), implicit=True
        )

    def keep(self, object_type: ObjectType) -> None:
        """Store an implicit type ``resolve`` made (at its first use), checked like a
        PutProfileObjectType: a ``BadRequestException`` when the domain is full or a key
        would change its content type."""
        if object_type.name in self._types:
            return
        self._admit(object_type, None)
        object_type.implicit = False
        self._store(object_type, None)

    def __len__(self) -> int:
        return len(self._types)

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def with_unique_key(self, key: str) -> list[str]:
        """The names of the defined types whose UNIQUE key is named ``key`` (worked out
        once per change of the table: every search asks)."""
        by_key = self._unique_keys
        if by_key is None:
            by_key = {}
            for t in self._types.values():
                for name, entries in t.keys.items():
                    if any("UNIQUE" in (e.get("StandardIdentifiers") or ()) for e in entries):
                        by_key.setdefault(name, []).append(t.name)
            self._unique_keys = by_key
        return by_key.get(key, [])

    def sorted(self) -> list[ObjectType]:
        """The defined types, by name."""
        return sorted(self._types.values(), key=lambda t: t.name)

    def arn_of(self, name: str) -> str:
        return f"{self.domain_arn}/object-types/{name}"

    def _others(self, name: str) -> set[str]:
        """The key names the domain's other types define."""
        return {k for t in self._types.values() if t.name != name for k in t.keys}

    def _admit(self, new: ObjectType, old: ObjectType | None) -> None:
        """Fail unless ``new`` may replace ``old`` (None: be added): the domain has room
        and every key keeps the content type the domain knows it by."""
        if old is None and len(self._types) >= MAX_OBJECT_TYPES:
            domain = self.domain_arn.rpartition("/")[2]
            raise BadRequestException(
                f"Domain {domain} already has {MAX_OBJECT_TYPES} object types, the maximum"
            )
        others = self._others(new.name)
        for key, content_type in key_content_types(new.fields, new.keys).items():
            known = self.key_types.get(key)
            if known is None or known == content_type:
                continue
            if old is not None and key in old.keys and key not in others:
                continue  # only this type defined it: it may change
            domain = self.domain_arn.rpartition("/")[2]
            raise BadRequestException(
                f"Key {key} is defined in domain {domain} with content type {known}; "
                f"object type {new.name} gives it {content_type}"
            )

    def _store(self, new: ObjectType, old: ObjectType | None) -> None:
        self._types[new.name] = new
        self._unique_keys = None
        if old is not None:
            others = self._others(new.name)
            for key in old.keys:
                if key not in new.keys and key not in others:
                    self.key_types.pop(key, None)
        self.key_types.update(key_content_types(new.fields, new.keys))

    def _remove(self, name: str) -> None:
        old = self._types.pop(name)
        self._unique_keys = None
        others = self._others(name)
        for key in old.keys:
            if key not in others:
                self.key_types.pop(key, None)

    def freeze(self) -> ObjectTypeTable:
        return self.copy()

    def copy(self) -> ObjectTypeTable:
        """A copy for snapshots and restores: each type copied shallowly (a type's
        definition is never changed in place, only its attributes are reassigned), so
        the cost is a few microseconds per type, not a deep copy."""
        other = ObjectTypeTable(self.domain_arn)
        if self._types:
            other._types = {name: t.clone() for name, t in self._types.items()}
            other.key_types = dict(self.key_types)
        return other


def key_content_types(fields: Mapping[str, Mapping[str, str]], keys: Keys) -> dict[str, str]:
    """Each key's content type: that of its fields, STRING for a field without one
    [INFERRED] and for a key whose fields disagree (their values combined can only be
    compared as strings)."""
    out: dict[str, str] = {}
    for key, entries in keys.items():
        found = {
            fields.get(name, {}).get("ContentType", DEFAULT_CONTENT_TYPE)
            for entry in entries
            for name in entry.get("FieldNames", ())
        }
        out[key] = found.pop() if len(found) == 1 else DEFAULT_CONTENT_TYPE
    return out


@functools.cache
def _standard_targets() -> tuple[frozenset[str], tuple[str, ...]]:
    """The targets a field may name: exact paths, and the prefixes of string maps (any
    non-empty key follows). The standard profile's are the scalar members of the
    model's CreateProfile input reached through structures (lists are not targets), and
    its ``Attributes.*`` (the standard objects': ``standard_objects.is_target``)."""
    exact = {_TIMESTAMP_TARGET}
    prefixes: list[str] = []

    def walk(shape: Any, path: str) -> None:
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue  # the DomainName label
            where = f"{path}.{name}"
            if member.type_name == "structure":
                walk(member, where)
            elif member.type_name == "map":
                prefixes.append(f"{where}.")
            elif member.type_name != "list":
                exact.add(where)

    walk(_model.operation_model("CreateProfile").input_shape, "_profile")
    return frozenset(exact), tuple(prefixes)


def _is_standard_target(target: str) -> bool:
    if _standard_objects.is_target(target):
        return True
    exact, prefixes = _standard_targets()
    if target in exact:
        return True
    return any(target.startswith(p) and len(target) > len(p) for p in prefixes)


def check_definition(
    fields: Fields,
    keys: Keys,
    *,
    allow_profile_creation: bool,
    timestamp_format: str | None,
    domain_keys: Mapping[str, str] | None = None,
) -> None:
    """Raise ``BadRequestException`` for the first rule that an object type's (or a
    template's) fields and keys break; ``domain_keys`` are the key names the domain
    defines already (underscore keys there are valid key names)."""
    _check_fields(fields, timestamp_format)
    _check_keys(fields, keys, domain_keys or {})
    _check_identifiers(fields, keys, allow_profile_creation)


def _check_fields(fields: Fields, timestamp_format: str | None) -> None:
    if len(fields) > MAX_FIELDS:
        raise BadRequestException(
            f"Fields has {len(fields)} fields; an object type can have at most {MAX_FIELDS}"
        )
    by_target: dict[str, str] = {}
    for name, field in fields.items():
        if name in _RESERVED_NAMES:
            raise BadRequestException(f"{name} cannot be used as a field name")
        source = field.get("Source")
        if source is None:
            raise BadRequestException(f"Field {name} has no Source")
        reason = check_source(source)
        if reason is not None:
            raise BadRequestException(f"Field {name} has an invalid Source: {reason}")
        target = field.get("Target")
        if target is None:
            continue
        if target in _SYSTEM_IDS:
            raise BadRequestException(
                f"Field {name} targets {target}, a system identifier that cannot be mapped"
            )
        if not _is_standard_target(target):
            raise BadRequestException(
                f"Field {name} targets {target}, which is not a standard profile or "
                "standard object field"
            )
        if target == _TIMESTAMP_TARGET and timestamp_format is None:
            raise BadRequestException(
                f"Field {name} targets {target}, which needs SourceLastUpdatedTimestampFormat"
            )
        by_target.setdefault(target, name)
    for first, second in _EXCLUSIVE_TARGETS:
        if first in by_target and second in by_target:
            raise BadRequestException(
                f"Fields {by_target[first]} and {by_target[second]} target both {first} and "
                f"{second}; map only one of them"
            )


def _check_keys(fields: Fields, keys: Keys, domain_keys: Mapping[str, str]) -> None:
    count = sum(len(entries) for entries in keys.values())
    if count > MAX_KEYS:
        raise BadRequestException(
            f"Keys has {count} key definitions; an object type can have at most {MAX_KEYS}"
        )
    for name, entries in keys.items():
        if name in _RESERVED_NAMES:
            raise BadRequestException(f"{name} cannot be used as a key name")
        if not name[:1].isascii() or not (
            name[:1].isalpha() or name in PREDEFINED_KEYS or name in domain_keys
        ):
            raise BadRequestException(
                f"Key name {name} is not valid: a key name starts with a letter, or is a "
                "predefined key such as _email or _phone"
            )
        for entry in entries:
            for field in entry.get("FieldNames", ()):
                if field not in fields:
                    raise BadRequestException(
                        f"Key {name} refers to field {field}, which is not defined in Fields"
                    )
            identifiers = set(entry.get("StandardIdentifiers", ()))
            if "UNIQUE" in identifiers:
                for other in ("LOOKUP_ONLY", "NEW_ONLY"):
                    if other in identifiers:
                        raise BadRequestException(
                            f"Key {name} combines UNIQUE with {other}; a UNIQUE key cannot "
                            "be LOOKUP_ONLY or NEW_ONLY"
                        )
            if "SECONDARY" in identifiers and "PROFILE" not in identifiers:
                raise BadRequestException(
                    f"Key {name} is SECONDARY without PROFILE; SECONDARY is only valid with PROFILE"
                )
            if name in _LOOKUP_ONLY_KEYS and "LOOKUP_ONLY" not in identifiers:
                raise BadRequestException(f"Key {name} is reserved and must be LOOKUP_ONLY")


def _check_identifiers(fields: Fields, keys: Keys, allow_profile_creation: bool) -> None:
    entries = [
        (name, set(e.get("StandardIdentifiers", ()))) for name, es in keys.items() for e in es
    ]
    unique = [name for name, ids in entries if "UNIQUE" in ids]
    if len(unique) != 1:
        listed = f" ({', '.join(unique)})" if unique else ""
        raise BadRequestException(
            f"Keys must have exactly one UNIQUE key, found {len(unique)}{listed}"
        )
    profile = [(name, ids) for name, ids in entries if "PROFILE" in ids]
    if not profile:
        raise BadRequestException("Keys must have at least one PROFILE key")
    if allow_profile_creation and not any(
        name == "_profileId" or not ids & {"LOOKUP_ONLY", "NEW_ONLY"} for name, ids in profile
    ):
        raise BadRequestException(
            "AllowProfileCreation is true, so Keys need a PROFILE key that is neither "
            "LOOKUP_ONLY nor NEW_ONLY"
        )
    carried = set().union(*(ids for _, ids in entries))
    for name, field in fields.items():
        target = field.get("Target", "")
        standard = STANDARD_OBJECTS.get(target.partition(".")[0])
        if standard is not None and standard.identifier not in carried:
            raise BadRequestException(
                f"Field {name} targets {target}, which needs a key with the "
                f"{standard.identifier} standard identifier"
            )


def put_object_type(
    domain: Domain, params: Mapping[str, Any], templates: Mapping[str, Template]
) -> ObjectType:
    """Create or replace an object type from PutProfileObjectType's (model-valid)
    members, after every rule passed: a failure changes nothing. ``params`` are kept:
    pass a copy of anything the caller keeps."""
    table = domain.part(OBJECT_TYPES)
    name: str = params["ObjectTypeName"]
    if name.startswith("_"):
        raise BadRequestException(
            f"Object type name {name} is reserved: names starting with _ are for standard "
            "object types"
        )
    template_id = params.get("TemplateId")
    template: Template | None = None
    if template_id is not None:
        for member in _FROM_TEMPLATE:
            if member in params:
                raise BadRequestException(
                    f"{member} cannot be specified with TemplateId: the template defines it"
                )
        template = templates.get(template_id)
        if template is None:
            raise ResourceNotFoundException(_templates.not_found_message(template_id))
        template = copy.deepcopy(template)
    else:
        missing = [member for member in ("Fields", "Keys") if member not in params]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            raise BadRequestException(
                f"{' and '.join(missing)} {verb} required when TemplateId is not specified"
            )
        check_definition(
            params["Fields"],
            params["Keys"],
            allow_profile_creation=params.get("AllowProfileCreation", False),
            timestamp_format=params.get("SourceLastUpdatedTimestampFormat"),
            domain_keys=table.key_types,
        )
    definition = {k: v for k, v in params.items() if k not in _NOT_DEFINITION}
    if template is None:
        definition.setdefault("AllowProfileCreation", False)
    default_days = domain.config.get("DefaultExpirationDays")
    if default_days is not None:
        definition.setdefault("ExpirationDays", default_days)
    old = table.find(name)
    new = ObjectType(name, table.arn_of(name), definition, template)
    tags = merged_tags(new.arn, old.tags if old is not None else {}, params.get("Tags", {}))
    table._admit(new, old)
    new.tags = tags
    if old is not None:
        new.created_at = old.created_at
    table._store(new, old)
    return new


def delete_object_type(domain: Domain, name: str) -> None:
    """Delete a defined type: the domain's parts hear of it first (``DomainPart.
    on_object_type_deleted``: the objects feature drops its objects), then it goes, with the
    key names no other type defines."""
    table = domain.part(OBJECT_TYPES)
    if table.find(name) is None:
        raise ResourceNotFoundException(not_found_message(domain.name, name))
    domain.object_type_deleted(name)  # while the type is still in the table
    table._remove(name)


def _new_table(domain: Domain, frozen: ObjectTypeTable | None = None) -> ObjectTypeTable:
    table = frozen.copy() if frozen is not None else ObjectTypeTable(domain.arn)
    # Search keys normalise by the content type their object type gave them.
    domain.part(PROFILES).key_types = table.key_types
    return table


# Every domain's object types: ``domain.part(OBJECT_TYPES)``.
OBJECT_TYPES = register_part("object_types", _new_table, _new_table)
register_taggable("object-types", lambda domain, name: domain.part(OBJECT_TYPES).find(name))
