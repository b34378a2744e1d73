"""Profile objects: the per-domain object store, ingestion and the object operations."""

from __future__ import annotations

import base64
import functools
import json
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from customer_profiles_mock import forksafe
from customer_profiles_mock.features.object_types.mapping import SourceError, extract
from customer_profiles_mock.features.object_types.models import OBJECT_TYPES, ObjectType
from customer_profiles_mock.features.object_types.standard_objects import (
    BY_IDENTIFIER,
    STANDARD_KEYS,
    STANDARD_OBJECTS,
    StandardObject,
)
from customer_profiles_mock.features.profiles.models import PROFILES, Extras, new_profile_id
from customer_profiles_mock.store.domain import Domain, DomainPart, register_part
from customer_profiles_mock.store.key_index import NORMALIZERS
from customer_profiles_mock.store.layers import Layered
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.validate import CONTAINER_TYPES, compile_scalar


class ObjectRecord(NamedTuple):
    """One stored profile object."""

    type_name: str
    profile_id: str
    text: str  # the object's JSON text, exactly as it was put
    keys: tuple[tuple[str, str], ...]  # (key name, normalised value), the UNIQUE key's too
    unique: str  # the UNIQUE key's normalised value
    sequence: int  # when it was put (or last replaced): newest first in lists
    put_at: float = 0.0  # the time it was put (or last replaced), epoch seconds


class DeadLetter(NamedTuple):
    """An object ingestion could not attach to a profile (and may not create one): AWS
    sends it to the domain's dead-letter queue; the mock keeps it for the test."""

    ObjectTypeName: str
    Object: str
    Reason: str


class FrozenObjects(NamedTuple):
    records: dict[str, ObjectRecord]
    by_unique: dict[tuple[str, str], str]
    by_profile: dict[str, dict[str, None]]
    next: int
    total_size: int
    dead_letters: tuple[DeadLetter, ...]
    metering_extra: int


class ObjectStore(DomainPart):
    """The objects of one domain: by ``ProfileObjectUniqueKey``, by (type, UNIQUE value)
    and by profile (an ordered set of keys each). Restored from a snapshot, it reads
    through to the frozen one, copying a profile's set of keys at its first change."""

    __slots__ = (
        "_next", "by_profile", "by_unique", "dead_letters", "metering_extra", "records",
        "total_size", "version",
    )  # fmt: skip

    def __init__(self, base: FrozenObjects | None = None) -> None:
        self.records: Layered[str, ObjectRecord] = Layered(base.records if base else None)
        self.by_unique: Layered[tuple[str, str], str] = Layered(base.by_unique if base else None)
        self.by_profile: Layered[str, dict[str, None]] = Layered(base.by_profile if base else None)
        self._next = base.next if base else 0
        self.total_size = base.total_size if base else 0
        self.dead_letters: list[DeadLetter] = list(base.dead_letters) if base else []
        # How many more profiles metering counts than there are: a profile with more
        # than 100 objects counts twice, more than 200 three times.
        self.metering_extra = base.metering_extra if base else 0
        # Moves at every put and removal: what is derived from the objects (attribute
        # values) is kept until it moves.
        self.version = 0

    def __len__(self) -> int:
        return len(self.records)

    def next_sequence(self) -> int:
        self._next += 1
        return self._next

    def _keys_of(self, profile_id: str) -> dict[str, None]:
        """The profile's set of object keys, for changing: this layer's own copy."""
        keys = self.by_profile.own.get(profile_id)
        if keys is None:
            keys = dict(self.by_profile.get(profile_id) or {})
            self.by_profile[profile_id] = keys
        return keys

    def put(self, key: str, record: ObjectRecord) -> None:
        """Store ``record`` under ``key``, replacing the object stored there."""
        old = self.records.get(key)
        if old is not None:
            self._unlink(key, old)
        self.records[key] = record
        self.version += 1
        self.by_unique[(record.type_name, record.unique)] = key
        keys = self._keys_of(record.profile_id)
        keys[key] = None
        self.metering_extra += len(keys) in (101, 201)
        self.total_size += len(record.text.encode())

    def remove(self, key: str) -> None:
        record = self.records.get(key)
        if record is not None:
            self._unlink(key, record)

    def _unlink(self, key: str, record: ObjectRecord) -> None:
        self.records.pop(key)
        self.version += 1
        self.by_unique.pop((record.type_name, record.unique))
        keys = self._keys_of(record.profile_id)
        self.metering_extra -= len(keys) in (101, 201)
        keys.pop(key, None)
        if not keys:
            self.by_profile.pop(record.profile_id)
        self.total_size -= len(record.text.encode())

    def profile_of(self, type_name: str, unique: str) -> str | None:
        """The profile holding the object of that type and UNIQUE value, if any."""
        key = self.by_unique.get((type_name, unique))
        return None if key is None else self.records[key].profile_id

    def of_type(self, type_name: str) -> list[ObjectRecord]:
        """The objects of an object type, newest first."""
        found = [record for record in self.records.values() if record.type_name == type_name]
        found.sort(key=lambda record: record.sequence, reverse=True)
        return found

    def of_profile(self, profile_id: str) -> list[tuple[str, ObjectRecord]]:
        """The profile's objects, newest first."""
        found = [(k, self.records[k]) for k in self.by_profile.get(profile_id) or ()]
        found.sort(key=lambda item: item[1].sequence, reverse=True)
        return found

    # -- as a part of its domain -------------------------------------------------------

    def find_profiles(self, domain: Domain, key: str, value: str) -> list[str]:
        """The profiles the UNIQUE key ``key`` of an object type finds through its objects
        (each object's own value, kept with the object rather than on its profile)."""
        standard = STANDARD_KEYS.get(key)
        if standard is not None:
            wanted = (key, domain.part(PROFILES).normalize(key, value))
            found_ids = [r.profile_id for r in self.of_type(standard.name) if wanted in r.keys]
            return list(dict.fromkeys(found_ids))
        types = domain.part(OBJECT_TYPES).with_unique_key(key)
        if not types:
            return []
        normalized = domain.part(PROFILES).normalize(key, value)
        found = (self.profile_of(type_name, normalized) for type_name in types)
        return [profile_id for profile_id in found if profile_id is not None]

    def on_profile_deleted(self, domain: Domain, profile_id: str) -> None:
        for key in list(self.by_profile.get(profile_id) or ()):
            self.remove(key)

    def on_profiles_merged(self, domain: Domain, main_id: str, merged_ids: list[str]) -> None:
        """Every object of the merged profiles goes to the main profile."""
        for merged_id in merged_ids:
            for key in list(self.by_profile.get(merged_id) or ()):
                self.put(key, self.records[key]._replace(profile_id=main_id))

    def on_object_type_deleted(self, domain: Domain, name: str) -> None:
        purge_object_type(domain, name)

    def drop_type(self, type_name: str) -> None:
        """Remove every object of an object type."""
        for key in [k for k, r in self.records.items() if r.type_name == type_name]:
            self.remove(key)

    def freeze(self) -> FrozenObjects:
        return FrozenObjects(
            self.records.freeze(),
            self.by_unique.freeze(),
            # The sets of keys are changed in place by the layer that owns them: copied.
            {profile_id: dict(keys) for profile_id, keys in self.by_profile.items()},
            self._next,
            self.total_size,
            tuple(self.dead_letters),
            self.metering_extra,
        )


class StoredObject(NamedTuple):
    """One object of a profile as features built on objects read it."""

    type_name: str
    text: str  # its JSON text, exactly as it was put
    put_at: float  # its ingestion time (epoch seconds): when it was put or last replaced
    sequence: int  # the order of ingestion in its domain: a larger one was put later


def profile_objects(domain: Domain, profile_id: str) -> list[StoredObject]:
    """The objects attached to ``profile_id`` in ``domain``, oldest first, each with its
    ingestion time; costs O(that profile's objects), whatever the domain holds."""
    store = domain.part(OBJECTS)
    records = store.records
    found = [
        StoredObject(r.type_name, r.text, r.put_at, r.sequence)
        for r in (records[k] for k in store.by_profile.get(profile_id) or ())
    ]
    found.sort(key=lambda o: o.sequence)
    return found


# -- ingestion ---------------------------------------------------------------------------

# [INFERRED] Texts and choices AWS does not document.
OBJECTS_PAGE = 20
DELETE_MESSAGE = "Profile object deleted"
KEY_SEPARATOR = "_"  # joins the values of a key made of several fields
# The standard object types: the profile and every standard object [MODEL
# StandardIdentifier, DOC standard objects]; ingestion writes their objects, never a put.
STANDARD_TYPES = ("_profile", *STANDARD_OBJECTS)
# [DOC ctr-contact-record-template] CTR-NoInferred rejects a contact record whose phone
# finds more than one profile; the message is [INFERRED].
AMBIGUOUS_PHONE = (
    "Object type {type} cannot associate the contact record: {count} profiles match _phone"
)
_PROFILE_TARGET = "_profile."

_keys_rng = forksafe.generator()


def new_object_key() -> str:
    """An opaque ProfileObjectUniqueKey (its format is not documented)."""
    return base64.urlsafe_b64encode(_keys_rng.randbytes(18)).decode()


def _identifiers(definition: dict[str, Any]) -> set[str]:
    return set(definition.get("StandardIdentifiers") or ())


class _Key(NamedTuple):
    name: str
    fields: tuple[tuple[str, ...], ...]  # each definition's FieldNames
    flags: frozenset[str]  # the union of its definitions' StandardIdentifiers
    normalize: Callable[[str], str]


class _Plan(NamedTuple):
    """What ingestion needs of an object type, worked out once per type (a type is
    replaced, never changed, by PutProfileObjectType)."""

    keys: tuple[_Key, ...]
    unique: str | None  # the UNIQUE key's name
    profile_keys: tuple[str, ...]
    # (field, standard profile path, the model's check of that member) per field that
    # targets a member of the Profile shape: [INFERRED] a value the check refuses (a
    # Gender outside its enum, a FirstName over 255 characters) is not written, nor a
    # target Profile lacks (SourceLastUpdatedTimestamp orders updates, is no member).
    targets: tuple[tuple[str, str, Callable[[Any], Any]], ...]
    # Per standard object the type targets: the object, the key carrying its standard
    # identifier, and (field, path in the standard object) per field targeting it.
    standards: tuple[tuple[StandardObject, _Key, tuple[tuple[str, str], ...]], ...]


def _plan(otype: ObjectType) -> _Plan:
    plan = otype.plan
    if plan is None:
        keys = tuple(
            _Key(
                name,
                tuple(tuple(d.get("FieldNames") or ()) for d in definitions),
                frozenset().union(*(_identifiers(d) for d in definitions)),
                NORMALIZERS.get(otype.key_content_type(name), str),
            )
            for name, definitions in otype.keys.items()
        )
        unique = next((k.name for k in keys if "UNIQUE" in k.flags), None)
        profile_keys = tuple(k.name for k in keys if "PROFILE" in k.flags)
        targets = []
        by_standard: dict[str, list[tuple[str, str]]] = {}
        for name, field in otype.fields.items():
            target = field.get("Target") or ""
            if target.startswith(_PROFILE_TARGET):
                path = target[len(_PROFILE_TARGET) :]
                check = _profile_check(path)
                if check is not None:
                    targets.append((name, path, check))
            head, _, path = target.partition(".")
            if head in STANDARD_OBJECTS:
                by_standard.setdefault(head, []).append((name, path))
        standards = []
        for key in keys:
            for identifier in key.flags:
                standard = BY_IDENTIFIER.get(identifier)
                if standard is not None and standard.name in by_standard:
                    standards.append((standard, key, tuple(by_standard.pop(standard.name))))
        plan = otype.plan = _Plan(keys, unique, profile_keys, tuple(targets), tuple(standards))
    return plan  # type: ignore[no-any-return]


def _key_value(fields: tuple[tuple[str, ...], ...], values: dict[str, str]) -> str:
    """The value of a key: its fields' values joined (the first definition that has
    one)."""
    for names in fields:
        parts = [values.get(name, "") for name in names]
        if any(parts):
            return KEY_SEPARATOR.join(p for p in parts if p)
    return ""


def ingest(domain: Domain, otype: ObjectType, text: str) -> str:
    """Put one object: extract its fields, resolve or create its profile, write the
    profile's targeted fields and keys, and store it; returns its unique key. Raises
    the 400 a bad object gets before changing anything."""
    try:
        source = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested too deeply to parse
        raise BadRequestException("Object is not valid JSON") from None
    if not isinstance(source, dict):
        raise BadRequestException("Object must be a JSON object")
    try:
        values = extract(otype.fields, source)
    except SourceError as exc:
        raise BadRequestException(f"Object cannot be mapped: {exc}") from None
    plan = _plan(otype)
    keys: list[tuple[str, str, frozenset[str]]] = []  # (key, normalised value, identifiers)
    for key in plan.keys:
        raw = _key_value(key.fields, values)
        keys.append((key.name, key.normalize(raw) if raw else "", key.flags))
    unique_value = next((v for n, v, _ in keys if n == plan.unique), "")
    if not unique_value:
        raise BadRequestException(
            f"The UNIQUE key {plan.unique or 'UNIQUE'} of object type {otype.name} has no "
            "value in the object"
        )
    profile_keys = [(n, v, f) for n, v, f in keys if "PROFILE" in f]
    if profile_keys and not any(v for _, v, _ in profile_keys):
        raise BadRequestException(
            f"Every PROFILE key of object type {otype.name} is empty in the object: "
            + ", ".join(plan.profile_keys)
        )
    objects = domain.part(OBJECTS)
    existing_key = objects.by_unique.get((otype.name, unique_value))
    found = None
    if existing_key is None:
        found = _resolve(domain, profile_keys)
        if found is None:
            found = _contact_record_profile(domain, otype, keys)
    if otype.implicit:
        domain.part(OBJECT_TYPES).keep(otype)  # a template's type, defined at its first use
    created = False
    if existing_key is not None:
        profile_id = objects.records[existing_key].profile_id
    else:
        if found is None:
            if not otype.allow_profile_creation:
                objects.dead_letters.append(
                    DeadLetter(
                        otype.name, text, "No profile matched and AllowProfileCreation is false"
                    )
                )
                return new_object_key()
            found = new_profile_id()
            domain.part(PROFILES).add([{"ProfileId": found, **_inferred_fields(otype, values)}])
            created = True
        profile_id = found
    _write_profile(domain, otype, profile_id, values, keys, created)
    object_key = existing_key or new_object_key()
    objects.put(
        object_key,
        ObjectRecord(
            otype.name,
            profile_id,
            text,
            tuple((n, v) for n, v, _ in keys if v),
            unique_value,
            objects.next_sequence(),
            time.time(),
        ),
    )
    _put_standard_objects(domain, plan, profile_id, values)
    domain.changed("INGESTED", profile_id, source, otype.name, object_key)
    return object_key


def _contact_record_profile(
    domain: Domain, otype: ObjectType, keys: list[tuple[str, str, frozenset[str]]]
) -> str | None:
    """The contact-record templates' own rules once the keys found no one profile:

    - ``CTR``: "Any additional Contact Records with the same phone number will be mapped
      to the same inferred profile" [MODEL PutProfileObject]: the one profile holding a
      record of this type with that ``_phone`` [INFERRED: a profile holding such a record,
      not only one the type inferred];
    - ``CTR-NoInferred``: "if more than one profile matches _phone, the request will be
      rejected" [DOC ctr-contact-record-template]: a 400, nothing written.
    """
    template = otype.template_id
    if template not in ("CTR", "CTR-NoInferred"):
        return None
    phone = next((v for n, v, _ in keys if n == "_phone"), "")
    if not phone:
        return None
    if template == "CTR-NoInferred":
        count = len(domain.find("_phone", phone))
        if count > 1:
            raise BadRequestException(AMBIGUOUS_PHONE.format(type=otype.name, count=count))
        return None
    holders = {
        r.profile_id
        for r in domain.part(OBJECTS).of_type(otype.name)
        if ("_phone", phone) in r.keys
    }
    return holders.pop() if len(holders) == 1 else None


def _put_standard_objects(
    domain: Domain, plan: _Plan, profile_id: str, values: dict[str, str]
) -> None:
    """Write the standard objects the object's fields target (`_asset`, `_airBooking`,
    ...) [DOC how-object-type-mapping-works: ingestion "populates the standard profile
    object (and any other targeted standard objects, such as _asset or _order)"].

    [INFERRED] A standard object is the one of the profile's standard objects of that
    kind whose identifier is the value of the key carrying its standard identifier: a
    new one when none has it, else that one updated field by field (standard objects
    are not replaced whole), moved to this object's profile. Its content is the targeted
    fields nested by their paths, with its system identifier field (``AssetId``) set to
    that value; it is indexed by its predefined keys (``_assetId``, ``_assetName``).
    A key without a value writes no standard object.
    """
    if not plan.standards:
        return
    objects = domain.part(OBJECTS)
    profiles = domain.part(PROFILES)
    for standard, key, fields in plan.standards:
        raw = _key_value(key.fields, values)
        if not raw:
            continue
        unique = key.normalize(raw)
        existing = objects.by_unique.get((standard.name, unique))
        content: dict[str, Any] = {}
        if existing is not None:
            content = json.loads(objects.records[existing].text)
        if standard.id_field:
            content[standard.id_field] = raw
        for name, path in fields:
            value = values.get(name)
            if value:
                _set_nested(content, path.split("."), value)
        indexed = tuple(
            (index, profiles.normalize(index, content[field]))
            for index, field in standard.keys.items()
            if isinstance(content.get(field), str) and content[field]
        )
        objects.put(
            existing or new_object_key(),
            ObjectRecord(
                standard.name,
                profile_id,
                json.dumps(content, ensure_ascii=False, separators=(",", ":")),
                indexed,
                unique,
                objects.next_sequence(),
            ),
        )


def _set_nested(content: dict[str, Any], parts: list[str], value: str) -> None:
    for part in parts[:-1]:
        inner = content.get(part)
        if not isinstance(inner, dict):
            inner = content[part] = {}
        content = inner
    content[parts[-1]] = value


def _resolve(domain: Domain, profile_keys: list[tuple[str, str, frozenset[str]]]) -> str | None:
    """The one profile the object's PROFILE keys find, primary keys first, then the
    SECONDARY ones; a key that finds several profiles is ambiguous and skipped."""
    for secondary in (False, True):
        for name, value, flags in profile_keys:
            if not value or ("SECONDARY" in flags) != secondary:
                continue
            found = domain.find(name, value)
            if len(found) == 1:
                return found[0]
    return None


@functools.cache
def _profile_check(path: str) -> Callable[[Any], Any] | None:
    """The model's check of the Profile member at ``path`` (None: Profile has none)."""
    shape = _model.service_model().shape_for("Profile")
    for part in path.split("."):
        if shape.type_name == "map":
            shape = shape.value
        elif shape.type_name == "structure" and part in shape.members:
            shape = shape.members[part]
        else:
            return None
    return None if shape.type_name in CONTAINER_TYPES else compile_scalar(shape)


def _fits_profile(path: str, value: str) -> bool:
    check = _profile_check(path)
    return check is not None and not check(value)


def _inferred_fields(otype: ObjectType, values: dict[str, str]) -> dict[str, Any]:
    """An inferred profile's fields: the targets, and the first EMAIL_ADDRESS and
    PHONE_NUMBER fields as EmailAddress and PhoneNumber unless targets set them."""
    profile: dict[str, Any] = {}
    for name, path, check in _plan(otype).targets:
        value = values.get(name)
        if value and not check(value):
            _set_path(profile, path, value)
    for content_type, field_name in (
        ("EMAIL_ADDRESS", "EmailAddress"),
        ("PHONE_NUMBER", "PhoneNumber"),
    ):
        if field_name in profile:
            continue
        for name, field in otype.fields.items():
            if (
                field.get("ContentType") == content_type
                and values.get(name)
                and _fits_profile(field_name, values[name])
            ):
                profile[field_name] = values[name]
                break
    return profile


def _set_path(profile: dict[str, Any], path: str, value: str) -> None:
    head, _, member = path.partition(".")
    if member:
        profile[head] = {**(profile.get(head) or {}), member: value}
    else:
        profile[head] = value


def _del_path(profile: dict[str, Any], path: str) -> None:
    """Remove a field (``FirstName``) or a member (``Address.City``); a structure left
    empty goes too."""
    head, _, member = path.partition(".")
    if member and isinstance(profile.get(head), dict):
        inner = {k: v for k, v in profile[head].items() if k != member}
        if inner:
            profile[head] = inner
        else:
            profile.pop(head)
    else:
        profile.pop(head, None)


def _get_path(profile: dict[str, Any], path: str) -> Any:
    head, _, member = path.partition(".")
    value = profile.get(head)
    return (value or {}).get(member) if member else value


def _write_profile(
    domain: Domain,
    otype: ObjectType,
    profile_id: str,
    values: dict[str, str],
    keys: list[tuple[str, str, frozenset[str]]],
    created: bool,
) -> None:
    """Write the object's targeted fields into the profile, but not over fields set by
    CreateProfile / UpdateProfile (unless the type has a SourcePriority) or by a type of
    better (lower) priority; and store its keys on the profile. A profile nothing
    changes is not replaced (nor re-indexed)."""
    profiles = domain.part(PROFILES)
    profile = profiles.require(profile_id)
    extras = profiles.extras(profile_id)
    written = dict(extras.written)
    new: dict[str, Any] | None = None  # copied at the first change
    priority = otype.source_priority
    for name, path, check in _plan(otype).targets:
        value = values.get(name)
        if not value or check(value):
            continue
        writer = written.get(path)
        current = _get_path(profile if new is None else new, path)
        if current is not None and writer is None and not created and priority is None:
            continue  # a manual value: protected
        if writer is not None and writer != otype.name:
            other = domain.part(OBJECT_TYPES).find(writer)
            theirs = other.source_priority if other is not None else None
            if theirs is not None and (priority is None or theirs < priority):
                continue  # written by a source of better priority
        if current == value and writer == otype.name:
            continue
        if new is None:
            new = dict(profile)
        _set_path(new, path, value)
        written[path] = otype.name
    # The UNIQUE key's value stays with the object (Domain.find looks it up there), so a
    # profile's own keys do not grow with its objects.
    have = {(k, v) for k, v, _ in extras.keys}
    added = tuple(
        dict.fromkeys(
            (name, value, otype.name)
            for name, value, flags in keys
            if value
            and (name, value) not in have
            and "UNIQUE" not in flags
            and "LOOKUP_ONLY" not in flags
            and ("NEW_ONLY" not in flags or created)
        )
    )
    if new is not None or added or tuple(written.items()) != extras.written:
        replaced = profile if new is None else new
        profiles.replace(profile_id, replaced, Extras(extras.keys + added, tuple(written.items())))


def purge_object_type(domain: Domain, type_name: str) -> None:
    """What deleting an object type takes with it: its objects, the standard-profile
    fields it wrote and the keys only it stored."""
    domain.part(OBJECTS).drop_type(type_name)
    profiles = domain.part(PROFILES)
    for profile_id in list(profiles.with_extras()):
        extras = profiles.extras(profile_id)
        if not any(s == type_name for _, _, s in extras.keys) and not any(
            w == type_name for _, w in extras.written
        ):
            continue
        profile = dict(profiles.require(profile_id))
        for path, writer in extras.written:
            if writer == type_name:
                _del_path(profile, path)
        profiles.replace(
            profile_id,
            profile,
            Extras(
                tuple(k for k in extras.keys if k[2] != type_name),
                tuple(w for w in extras.written if w[1] != type_name),
            ),
        )


# Every domain's objects: ``domain.part(OBJECTS)``.
OBJECTS = register_part(
    "objects", lambda domain: ObjectStore(), lambda domain, frozen: ObjectStore(frozen)
)


# -- operations --------------------------------------------------------------------------
