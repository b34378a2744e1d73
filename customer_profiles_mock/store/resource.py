"""Named resources inside a domain, and the generic table most of them are kept in.

This module holds tags (at most 50), CreatedAt and LastUpdatedAt, the
ARN kinds TagResource can reach, and the generic ``ResourceTable`` that most of the API's
create/get/list/update/delete resources are made of."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, Protocol, TypeVar, overload

from customer_profiles_mock.store.domain import Domain, DomainPart, PartKey, later, register_part
from customer_profiles_mock.wire.errors import BadRequestException, ResourceNotFoundException
from customer_profiles_mock.wire.pagination import paginate

# [MODEL] TagMap holds at most 50; TagResource's documentation: "as many as 50 tags with
# a resource".
MAX_TAGS = 50


class Taggable(Protocol):
    """A resource that holds its own tags (a domain, an object type)."""

    tags: dict[str, str]


class Described(Taggable, Protocol):
    created_at: float
    updated_at: float


def stamped(out: dict[str, Any], resource: Described) -> dict[str, Any]:
    """``out`` (a resource as an answer shows it) with the resource's ``CreatedAt``,
    ``LastUpdatedAt`` and, when it has any, ``Tags``."""
    out["CreatedAt"] = resource.created_at
    out["LastUpdatedAt"] = resource.updated_at
    if resource.tags:
        out["Tags"] = dict(resource.tags)
    return out


def merged_tags(arn: str, tags: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """``tags`` with ``new`` merged in (a new value replaces an old one), as a new dict;
    a 400 when the resource would hold more than 50 [INFERRED wording]."""
    merged = {**tags, **new}
    if len(merged) > MAX_TAGS:
        raise BadRequestException(
            f"Resource {arn} can have at most {MAX_TAGS} tags; "
            f"this request would give it {len(merged)}"
        )
    return merged


# -- ARNs that name a resource inside a domain -------------------------------------------

# Resource kinds a domain holds that an ARN can name (so TagResource can tag them), by
# the path segment after ``domains/NAME/``: each kind registers itself.
_TAGGABLE: dict[str, Callable[[Domain, str], Taggable | None]] = {}


def register_taggable(segment: str, find: Callable[[Domain, str], Taggable | None]) -> None:
    """Let an ARN ``.../domains/D/<segment>/<name>`` name ``find(domain, name)``."""
    if segment in _TAGGABLE:
        raise RuntimeError(f"ARN segment {segment!r} is registered twice")
    _TAGGABLE[segment] = find


def find_in_domain(domain: Domain, segment: str, name: str) -> Taggable | None:
    """The resource of kind ``segment`` and that name in ``domain``, if any kind of that
    segment is registered and holds one."""
    find = _TAGGABLE.get(segment)
    return find(domain, name) if find is not None else None


# -- the generic resource table -----------------------------------------------------------


class Resource:
    """A named resource inside a domain: its members as the API shows them (replaced
    whole on change, never changed in place), its ARN, tags, timestamps and version."""

    __slots__ = (
        "arn",
        "created_at",
        "members",
        "name",
        "serial",
        "tags",
        "updated_at",
        "version",
    )

    def __init__(self, name: str, arn: str, members: dict[str, Any], tags: dict[str, str]):
        self.name = name
        self.arn = arn
        self.members = members
        self.tags = tags
        self.created_at = self.updated_at = time.time()
        self.version = 1
        # Tells it from a later resource of the same name (what it scheduled is its own).
        self.serial = next(_serials)

    def clone(self) -> Resource:
        """A copy that shares the members and tags dicts (both are replaced, never
        changed): what a snapshot keeps, and what a restore starts from."""
        other = Resource(self.name, self.arn, self.members, self.tags)
        other.created_at, other.updated_at, other.version, other.serial = (
            self.created_at,
            self.updated_at,
            self.version,
            self.serial,
        )
        return other


_serials = itertools.count()


def due_key(resource: Resource) -> str:
    """The key a step of ``resource`` is scheduled under (``ctx.schedule(domain, TABLE,
    due_key(resource))``): its name and serial, so that a step of a deleted resource
    never moves a new one of the same name."""
    return f"{resource.name}\x00{resource.serial}"


class ResourceKind(NamedTuple):
    """One kind of named resource: ``label`` names it in messages ("Layout"), ``segment``
    in its ARN (``domains/D/<segment>/<name>``). ``advance`` moves an asynchronous one (a
    job, a training) one state on when its step is due (``ctx.schedule(domain, TABLE,
    due_key(resource))``), returning True while it has more states; a resource deleted meanwhile is
    not advanced."""

    label: str
    segment: str
    advance: Callable[[Domain, Resource], bool] | None = None

    def deleted(self, name: str) -> str:
        """The ``Message`` a Delete answers, where the model has one: ``<Kind> NAME was
        deleted.`` [INFERRED: no text is documented]."""
        return f"{self.label} {name} was deleted."


class ResourceTable(DomainPart):
    """The resources of one kind in one domain, by name, in creation order: create, get,
    update, delete, page, with AWS's conflict and not-found errors; tags and timestamps
    kept; frozen for snapshots by copying each resource shallowly."""

    __slots__ = ("_resources", "domain_arn", "kind")

    def __init__(
        self, kind: ResourceKind, domain_arn: str, frozen: dict[str, Resource] | None = None
    ) -> None:
        self.kind = kind
        self.domain_arn = domain_arn
        self._resources: dict[str, Resource] = (
            {name: r.clone() for name, r in frozen.items()} if frozen else {}
        )

    def __len__(self) -> int:
        return len(self._resources)

    def __iter__(self) -> Iterator[Resource]:
        return iter(list(self._resources.values()))

    def on_due(self, domain: Domain, key: str) -> bool:
        name, _, serial = key.partition("\x00")
        found = self._resources.get(name)
        if found is None or self.kind.advance is None or serial != str(found.serial):
            return False  # deleted (and perhaps made again) since
        return self.kind.advance(domain, found)

    def arn_of(self, name: str) -> str:
        return f"{self.domain_arn}/{self.kind.segment}/{name}"

    def find(self, name: str) -> Resource | None:
        return self._resources.get(name)

    def get(self, name: str) -> Resource:
        """The resource of that name; a 404 when there is none."""
        found = self._resources.get(name)
        if found is None:
            raise ResourceNotFoundException(f"{self.kind.label} {name} does not exist")
        return found

    def create(self, name: str, members: dict[str, Any], tags: Mapping[str, str]) -> Resource:
        """A new resource; a 400 when one of that name exists (AWS's wording for the
        kinds its CloudFormation handlers match)."""
        if name in self._resources:
            raise BadRequestException(f"{self.kind.label} with name {name} already exists")
        arn = self.arn_of(name)
        resource = Resource(name, arn, dict(members), merged_tags(arn, {}, tags))
        self._resources[name] = resource
        return resource

    def update(self, name: str, changes: Mapping[str, Any]) -> Resource:
        """Apply ``changes`` (omitted members are kept); the version and LastUpdatedAt
        move."""
        resource = self.get(name)
        resource.members = {**resource.members, **changes}
        resource.version += 1
        resource.updated_at = later(resource.updated_at)
        return resource

    def delete(self, name: str) -> Resource:
        """Remove the resource of that name (a 404 when there is none)."""
        self.get(name)
        return self._resources.pop(name)

    def page(
        self, params: Mapping[str, Any], query: int, page_size: int
    ) -> tuple[Sequence[Resource], str | None]:
        """One page of the resources, sorted by name, and the next page's token."""
        ordered = sorted(self._resources.values(), key=lambda r: r.name)
        return paginate(ordered, dict(params), query, page_size)

    def freeze(self) -> dict[str, Resource]:
        return {name: r.clone() for name, r in self._resources.items()}


T = TypeVar("T", bound=ResourceTable)


@overload
def resource_table(
    name: str, kind: ResourceKind, *, taggable: bool = True
) -> PartKey[ResourceTable]: ...
@overload
def resource_table(
    name: str, kind: ResourceKind, table: type[T], *, taggable: bool = True
) -> PartKey[T]: ...
def resource_table(
    name: str,
    kind: ResourceKind,
    table: type[ResourceTable] = ResourceTable,
    *,
    taggable: bool = True,
) -> PartKey[Any]:
    """Give every domain a ``ResourceTable`` of ``kind`` (``domain.part(KEY)``), and let
    TagResource reach its resources by ARN unless they take no tags (``taggable``).
    ``table`` is a subclass of it that hears the domain's events
    (``on_object_type_deleted``...), when the kind cascades."""
    key = register_part(
        name,
        lambda domain: table(kind, domain.arn),
        lambda domain, frozen: table(kind, domain.arn, frozen),
    )
    if taggable:
        register_taggable(kind.segment, lambda domain, found: domain.part(key).find(found))
    return key
