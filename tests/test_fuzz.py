"""Hostile input for every implemented operation, through ``Service.handle`` and boto3.

Every request must get a modelled answer: no Python exception escapes (but
``UnsupportedOperationError`` for an operation the mock does not implement), the
status is a 2xx or a modelled 4xx, an error body is a small JSON object with a
``Message``, a 4xx leaves the state as it was, and a request that breaks the model
gets ``400 BadRequestException``. A 2xx answer must fit the output model, as the
suite's conftest checks every boto3 answer.

The strategies build ``Case`` (one raw HTTP request) and ``ApiCase`` (one boto3
call) values that print compactly: a megabyte string or a list nested 5,000 levels
is a ``Huge``/``Deep`` marker until a request is built from it. ``run_case`` and
``run_api_case`` return an ``Outcome`` instead of asserting, so that
``benchmarks/fuzz.py`` runs the same inputs many more times and tallies them.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import json
import random
import re
import sys
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote

import boto3
import botocore.session
import pytest
from botocore.awsrequest import HeadersDict
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.parsers import create_parser
from botocore.validate import validate_parameters

import customer_profiles_mock
from customer_profiles_mock import UnsupportedOperationError, mock_customer_profiles
from customer_profiles_mock.core import operations as _operations
from customer_profiles_mock.features.objects import models as _objects
from customer_profiles_mock.features.profile_history import models as _history
from customer_profiles_mock.features.profiles import models as _profiles
from customer_profiles_mock.features.profiles.models import new_profile_id
from customer_profiles_mock.features.segments import models as _segments
from customer_profiles_mock.features.upload_jobs import models as _upload_jobs
from customer_profiles_mock.features.workflows import models as _workflows
from customer_profiles_mock.wire.http import HttpRequest

hypothesis = pytest.importorskip("hypothesis", reason="the fuzz tests need hypothesis")
from hypothesis import HealthCheck, Phase, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
PACKAGE_DIR = str(Path(customer_profiles_mock.__file__).parent)

# -- the two places that know the mock's internals ------------------------------------


def core(cp: Any) -> Callable[[str, str, str, dict[str, Any], bytes], Any]:
    """``(method, path, query, headers, body) -> (status, headers, body)`` through the
    active mock's transport-independent core, ``cp.service.handle(HttpRequest(...))``."""

    def handle(method: str, path: str, query: str, headers: dict[str, Any], body: bytes) -> Any:
        return cp.service.handle(HttpRequest(method, path, query, headers, body))

    return handle


def implemented_operations() -> list[str]:
    """The implemented operations the installed botocore's model has (BatchPutProfileObject
    is not in every release)."""
    return sorted(set(_operations.OPERATIONS) & set(MODEL.operation_names))


OPERATIONS = implemented_operations()

# -- what a correct answer looks like ------------------------------------------------

MODELLED_ERRORS = {
    "BadRequestException": 400,
    "AccessDeniedException": 403,
    "ResourceNotFoundException": 404,
    "ThrottlingException": 429,
}
UNKNOWN_OPERATION = ("UnknownOperationException", 404)
MAX_ERROR_BODY = 64 * 1024
# CPython's default. Hypothesis raises the limit by 2,000 frames while it runs a test,
# which would hide the stack overflows a test run without hypothesis meets.
DEFAULT_RECURSION_LIMIT = 1000

# -- seeded state ------------------------------------------------------------------

DOMAIN = "shop"
NEW_DOMAIN = "fresh"
# A domain without an event stream: a domain holds one, and the seeded DOMAIN has it, so
# the base CreateEventStream goes here.
STREAMLESS = "quiet"
KINESIS_STREAM = f"arn:aws:kinesis:{REGION}:{ACCOUNT_ID}:stream/changes"
DOMAIN_ARN = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/{DOMAIN}"
PROFILE_IDS = ("0" * 31 + "1", "0" * 31 + "2")
# An INACTIVE recommender: StartRecommender starts only those [INFERRED].
STOPPED = "stopped"
EMAIL = "ann@example.com"
# An integration's Uri: an S3 URI [INF] (the model's placeholder is no data source).
INTEGRATION_URI = "s3://fuzz-bucket"


# An object-type definition; URI labels are all DOMAIN, so the seeded object type and
# template are named that too.
OBJECT_TYPE = {
    "Fields": {"id": {"Source": "_source.id"}, "n": {"Source": "_source.n"}},
    "Keys": {"k": [{"StandardIdentifiers": ["UNIQUE", "PROFILE"], "FieldNames": ["id"]}]},
}


# A segment of one dimension, for the segment definitions and estimates.
SEGMENT_GROUPS = {
    "Groups": [
        {
            "Dimensions": [
                {
                    "ProfileAttributes": {
                        "FirstName": {"DimensionType": "INCLUSIVE", "Values": ["Ann"]}
                    }
                }
            ]
        }
    ]
}


# The ids the seeded estimate and snapshot get (their generator is seeded with 0), and
# a segment nothing uses.
_job_ids = random.Random(0)
SEGMENT_JOB_IDS = (new_profile_id(_job_ids), new_profile_id(_job_ids))
SPARE = "spare"


def _resource_label(operation: str) -> str | None:
    """The name label of an operation on a named resource inside a domain
    (``/domains/{DomainName}/<kind>/{Name}``), else None."""
    uri = MODEL.operation_model(operation).http["requestUri"]
    found = re.fullmatch(r"/domains/\{DomainName\}/[a-z-]+/\{(\w+)\}", uri)
    return found.group(1) if found else None


def _resource_list(operation: str) -> bool:
    uri = MODEL.operation_model(operation).http["requestUri"]
    return (
        operation.startswith("List")
        and re.fullmatch(r"/domains/\{DomainName\}/[a-z-]+", uri) is not None
    )


# The served operations that create a named resource inside a domain (a layout, a domain
# object type, ...): the seed holds one of each, named DOMAIN, for the Get, Update and
# Delete requests to find; each base Create (or Put) makes another (NEW_DOMAIN). And the
# lists that show them, for the state the checks compare. PutProfileObjectType is seeded
# by put_object_type (its own rules), not here.
SEEDED_ELSEWHERE = frozenset({"PutProfileObjectType"})
RESOURCE_CREATES = {
    name: label
    for name in OPERATIONS
    if name.startswith(("Create", "Put"))
    and name not in SEEDED_ELSEWHERE
    and (label := _resource_label(name)) is not None
}
RESOURCE_LISTS = [name for name in OPERATIONS if _resource_list(name)]


# Creating a domain object type needs the domain's DataStore enabled [MODEL]; DataStore
# is not in the oldest botocore's model (nor are domain object types).
DATA_STORE = (
    {"DataStore": {"Enabled": True}}
    if "DataStore" in MODEL.operation_model("CreateDomain").input_shape.members
    else {}
)


# Identity resolution: ML and rule-based matching enabled on the seeded domain.
MATCHING = {
    "Matching": {"Enabled": True},
    "RuleBasedMatching": {"Enabled": True, "MatchingRules": [{"Rule": ["EmailAddress"]}]},
}
# The seeded identity resolution job's id: seed_matches draws its group's MatchId, then
# the JobId, from the generator seeded with 0.
_job_ids = random.Random(0)
_profiles.new_profile_id(_job_ids)
JOB_ID = _profiles.new_profile_id(_job_ids)
# An upload job and an integration workflow, seeded with their id generators reset so
# that their ids are known (SEEDED_ID: the first id a generator seeded with 0 makes).
SEEDED_ID = uuid.UUID(int=random.Random(0).getrandbits(128), version=4).hex
UPLOAD_JOB = {
    "DisplayName": "people.csv",
    "Fields": {"k": {"Target": "_profile.FirstName"}},
    "UniqueKey": "k",
}


def flow_definition(name: str) -> dict[str, Any]:
    """An AppFlow flow definition the model accepts, from a documented source."""
    return {
        "FlowName": name,
        "KmsArn": f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/fuzz",
        "SourceFlowConfig": {
            "ConnectorType": "Salesforce",
            "SourceConnectorProperties": {"Salesforce": {"Object": "Account"}},
        },
        "Tasks": [{"SourceFields": ["Id"], "TaskType": "Map"}],
        "TriggerConfig": {"TriggerType": "OnDemand"},
    }


def workflow(flow_name: str) -> dict[str, Any]:
    return {
        "WorkflowType": "APPFLOW_INTEGRATION",
        "IntegrationConfig": {"AppflowIntegration": {"FlowDefinition": flow_definition(flow_name)}},
        "ObjectTypeName": DOMAIN,
        "RoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/fuzz",
    }


def seed(cp: Any) -> None:
    cp.create_domain(DOMAIN, **DATA_STORE, **MATCHING)
    cp.create_profile(DOMAIN, ProfileId=PROFILE_IDS[0], FirstName="Ann", EmailAddress=EMAIL)
    cp.create_profile(DOMAIN, ProfileId=PROFILE_IDS[1], FirstName="Bob", PhoneNumber="+15550100")
    cp.register_template(DOMAIN, SourceName="src", SourceObject="obj", **OBJECT_TYPE)
    cp.put_object_type(DOMAIN, DOMAIN, Description="seeded", **OBJECT_TYPE)
    _history._ids.seed(0)  # the first change's history record has HISTORY_ID in every run
    cp.add_profile_key(DOMAIN, PROFILE_IDS[0], "k", ["o-1"])
    _objects._keys_rng.seed(0)  # the seeded object has the same key in every run
    cp.put_object(DOMAIN, DOMAIN, {"id": "o-1", "n": 1})  # n: attribute statistics
    _profiles._ids.seed(0)  # the seeded job has JOB_ID in every run
    cp.seed_matches(DOMAIN, [list(PROFILE_IDS)])
    cp.create_domain(STREAMLESS)
    for operation, label in RESOURCE_CREATES.items():
        cp.seed(operation, **{**base_params(operation), "DomainName": DOMAIN, label: DOMAIN})
    cp.seed("PutIntegration", DomainName=DOMAIN, Uri=INTEGRATION_URI, ObjectTypeName=DOMAIN)
    if "CreateUploadJob" in OPERATIONS:
        _upload_jobs._tokens.seed(0)
        cp.seed("CreateUploadJob", DomainName=DOMAIN, **UPLOAD_JOB)
    if "CreateIntegrationWorkflow" in OPERATIONS:
        _workflows._ids.seed(0)
        cp.seed("CreateIntegrationWorkflow", DomainName=DOMAIN, **workflow("seeded-flow"))
    if "CreateSegmentEstimate" in OPERATIONS:  # their Gets find these ids
        _segments._ids.seed(0)
        cp.seed("CreateSegmentEstimate", **base_params("CreateSegmentEstimate"))
        snapshot = {**base_params("CreateSegmentSnapshot"), "SegmentDefinitionName": DOMAIN}
        cp.seed("CreateSegmentSnapshot", **snapshot)
        spare = {**base_params("CreateSegmentDefinition"), "SegmentDefinitionName": SPARE}
        cp.seed("CreateSegmentDefinition", **{**spare, "DomainName": DOMAIN})
    if "AssociateStreamForSegments" in OPERATIONS:  # a subscription needs a stream
        cp.seed(
            "AssociateStreamForSegments",
            **{**base_params("AssociateStreamForSegments"), "DomainName": DOMAIN},
        )
        cp.seed("PutSegmentSubscription", DomainName=DOMAIN, SegmentDefinitionName=DOMAIN)
    if "StartRecommender" in OPERATIONS:  # a stopped recommender for the base Start
        recommender = {"DomainName": DOMAIN, "RecommenderName": STOPPED}
        cp.seed("CreateRecommender", **recommender, RecommenderRecipeName="popular-items")
        cp.seed("StopRecommender", **recommender)


OBJECT_KEY = base64.urlsafe_b64encode(random.Random(0).randbytes(18)).decode()
HISTORY_ID = f"{random.Random(0).getrandbits(128):032x}"


def snapshot(cp: Any) -> dict[str, dict[str, Any]]:
    """The state as the handle's public API shows it: domains, their profiles, tags and
    object types (as GetProfileObjectType answers them)."""
    return {
        name: {
            "profiles": cp.profiles(name),
            "tags": cp.tags(f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/{name}"),
            "object_types": {t: _object_type(cp, name, t) for t in cp.object_types(name)},
            "objects": cp.objects(name),
            "dead_letters": cp.dead_letters(name),
            **{listed: cp.seed(listed, DomainName=name) for listed in RESOURCE_LISTS},
        }
        for name in cp.domains()
    }


def _object_type(cp: Any, domain: str, name: str) -> Any:
    status, _, body = core(cp)("GET", f"/domains/{domain}/object-types/{name}", "", {}, b"")
    return status, json.loads(body)


# -- compact markers for values too big to print ------------------------------------


@dataclass(frozen=True)
class Deep:
    """A value nested ``depth`` levels: ``[[...["x"]...]]``, ``{"a": {"a": ...}}`` or both
    alternating ("mixed")."""

    kind: str
    depth: int
    leaf: Any = "x"

    def head(self) -> Any:
        """One level unwrapped (the rest stays a marker)."""
        if self.depth == 0:
            return self.leaf
        inner = Deep(self.kind, self.depth - 1, self.leaf)
        as_list = self.kind == "list" or (self.kind == "mixed" and self.depth % 2 == 0)
        return [inner] if as_list else {"a": inner}

    def json(self) -> str:
        opens, closes = [], []
        for level in range(self.depth, 0, -1):
            if self.kind == "list" or (self.kind == "mixed" and level % 2 == 0):
                opens.append("[")
                closes.append("]")
            else:
                opens.append('{"a":')
                closes.append("}")
        return "".join(opens) + json.dumps(self.leaf) + "".join(reversed(closes))

    def build(self) -> Any:
        value = self.leaf
        for level in range(1, self.depth + 1):
            list_level = self.kind == "list" or (self.kind == "mixed" and level % 2 == 0)
            value = [value] if list_level else {"a": value}
        return value


@dataclass(frozen=True)
class Huge:
    """A huge value: a ``size``-character string ("str"), a list of ``size`` ids
    ("ids", all distinct, or "same" id), a ``size``-entry map ("map") or a JSON
    integer of ``size`` digits ("int", sent as text only: Python cannot hold it)."""

    kind: str
    size: int

    def build(self) -> Any:
        if self.kind == "str":
            return "x" * self.size
        if self.kind == "ids":
            return [f"{i:032x}" for i in range(self.size)]
        if self.kind == "same":
            return [PROFILE_IDS[0]] * self.size
        if self.kind == "map":
            return {f"k{i}": "v" for i in range(self.size)}
        if self.kind == "int":
            return _BigIntText(self.size)
        raise AssertionError(self.kind)

    def json(self) -> str:
        if self.kind == "int":
            return "9" * self.size
        if self.kind == "same":
            item = json.dumps(PROFILE_IDS[0])
            return "[" + ",".join([item] * self.size) + "]"
        return json.dumps(self.build(), separators=(",", ":"))


class _BigIntText(str):
    """Stands in for a too-big integer outside JSON text (only the raw tests send it)."""


def build(value: Any) -> Any:
    """``value`` with every marker replaced by the real thing."""
    if isinstance(value, (Deep, Huge)):
        return value.build()
    if type(value) is dict:
        return {k: build(v) for k, v in value.items()}
    if type(value) is list:
        return [build(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON text for ``value``, markers included (json.dumps cannot nest 5,000 levels)."""
    if isinstance(value, (Deep, Huge)):
        return value.json()
    if type(value) is dict:
        return "{" + ",".join(f"{json.dumps(k)}:{to_json(v)}" for k, v in value.items()) + "}"
    if type(value) is list:
        return "[" + ",".join(to_json(v) for v in value) + "]"
    return json.dumps(value)


def short(value: Any, limit: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 30]}...<{len(text)} chars>"


# -- the model: valid values, where a value can go, and whether it breaks the model ---

VALID_STRINGS = {
    "name": "_email",  # a KeyName SearchProfiles knows; DomainName labels are set apart
    "uuid": PROFILE_IDS[0],
    "JobScheduleTime": "12:30",
    "s3BucketName": "bucket",
}


def valid_value(shape: Any) -> Any:
    """A value of ``shape`` with its required members, that the model accepts."""
    kind = shape.type_name
    if kind == "structure":
        return {n: valid_value(shape.members[n]) for n in shape.required_members}
    if kind == "list":
        return [valid_value(shape.member)]
    if kind == "map":
        return {"k": valid_value(shape.value)}
    if kind == "string":
        return shape.enum[0] if shape.enum else VALID_STRINGS.get(shape.name, "abc")
    if kind in ("integer", "long"):
        return max(int(shape.metadata.get("min", 1)), 1)
    if kind in ("double", "float"):
        return 0.5
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return 1_700_000_000  # epoch seconds, as botocore sends a timestamp in JSON
    raise AssertionError(f"no valid value for {shape.name} ({kind})")


def base_params(operation: str) -> dict[str, Any]:
    """Valid parameters for ``operation`` against the seeded state."""
    shape = MODEL.operation_model(operation).input_shape
    params: dict[str, Any] = {}
    if shape is None:
        return params
    for name in shape.required_members:
        member = shape.members[name]
        if name == "resourceArn":
            params[name] = DOMAIN_ARN
        elif member.serialization.get("location") == "uri":
            new = operation == "CreateDomain" or RESOURCE_CREATES.get(operation) == name
            params[name] = NEW_DOMAIN if new else DOMAIN
        else:
            params[name] = valid_value(member)
    overrides = {
        "BatchGetProfile": {"ProfileIds": list(PROFILE_IDS)},
        "CreateDomain": {"DefaultExpirationDays": 30},
        "CreateProfile": {"FirstName": "Fuzz"},
        "SearchProfiles": {"KeyName": "_email", "Values": [EMAIL]},
        "ListProfileAttributeValues": {"AttributeName": "FirstName"},
        "UpdateProfile": {"ProfileId": PROFILE_IDS[0], "LastName": "Lee"},
        "AddProfileKey": {"ProfileId": PROFILE_IDS[0], "KeyName": "_email", "Values": [EMAIL]},
        "DeleteProfileKey": {"ProfileId": PROFILE_IDS[0], "KeyName": "_email", "Values": [EMAIL]},
        "MergeProfiles": {
            "MainProfileId": PROFILE_IDS[0],
            "ProfileIdsToBeMerged": [PROFILE_IDS[1]],
        },
        "PutProfileObjectType": OBJECT_TYPE,
        "PutProfileObject": {"ObjectTypeName": DOMAIN, "Object": '{"id": "o-1"}'},
        "BatchPutProfileObject": {
            "ObjectTypeName": DOMAIN,
            "Items": [{"Id": "1", "Object": '{"id": "o-1"}'}],
        },
        "ListProfileObjects": {"ObjectTypeName": DOMAIN, "ProfileId": PROFILE_IDS[0]},
        # The seeded AddProfileKey's record (the profiles themselves are seeded, unrecorded).
        "GetProfileHistoryRecord": {"ProfileId": PROFILE_IDS[0], "Id": HISTORY_ID},
        # Attributes the seeded object type defines; the seeded object's n is a number.
        "ListObjectTypeAttributeValues": {"AttributeName": "id"},
        "GetObjectTypeAttributeStatistics": {"AttributeName": "n"},
        "DetectProfileObjectType": {"Objects": ['{"id": "1"}']},
        # The seeded job and its group of the two seeded profiles.
        "GetIdentityResolutionJob": {"JobId": JOB_ID},
        "GetSimilarProfiles": {
            "MatchType": "ML_BASED_MATCHING",
            "SearchKey": "_profileId",
            "SearchValue": PROFILE_IDS[0],
        },
        # A layout is a JSON document [INFERRED], which the model's placeholder is not.
        "CreateDomainLayout": {"Layout": "{}"},
        "UpdateDomainLayout": {"Layout": "{}"},
        # A Kinesis stream ARN of the domain's Region and account [MODEL], in a domain
        # without a stream (one per domain).
        "CreateEventStream": {"DomainName": STREAMLESS, "Uri": KINESIS_STREAM},
        # A segment needs SegmentGroups or SQL [INFERRED]; a snapshot an S3 destination
        # [MODEL]; a stream for segments a Kinesis ARN, in a domain without one [MODEL].
        "CreateSegmentDefinition": {"SegmentGroups": SEGMENT_GROUPS},
        "CreateSegmentEstimate": {"SegmentQuery": SEGMENT_GROUPS},
        "CreateSegmentSnapshot": {"DestinationUri": "s3://bucket/segments"},
        "GetSegmentEstimate": {"EstimateId": SEGMENT_JOB_IDS[0]},
        "GetSegmentSnapshot": {"SnapshotId": SEGMENT_JOB_IDS[1]},
        # The seeded segment DOMAIN has a subscription, which blocks its deletion.
        "DeleteSegmentDefinition": {"SegmentDefinitionName": SPARE},
        "AssociateStreamForSegments": {
            "DomainName": STREAMLESS,
            "DestinationArn": KINESIS_STREAM,
            "DestinationRoleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/segments",
        },
        # An event trigger reads an object type of the domain, through one of its fields.
        "CreateEventTrigger": {
            "ObjectTypeName": DOMAIN,
            "EventTriggerConditions": [
                {
                    "EventTriggerDimensions": [
                        {
                            "ObjectAttributes": [
                                {"FieldName": "id", "ComparisonOperator": "EQUAL", "Values": ["o"]}
                            ]
                        }
                    ],
                    "LogicalOperator": "ANY",
                }
            ],
        },
        # A new integration of an S3 Uri and an existing object type [INF]; the others
        # reach the seeded one.
        "PutIntegration": {"Uri": "s3://fuzz-other", "ObjectTypeName": DOMAIN},
        "GetIntegration": {"Uri": INTEGRATION_URI},
        "DeleteIntegration": {"Uri": INTEGRATION_URI},
        "ListAccountIntegrations": {"Uri": INTEGRATION_URI},
        # An expression over the seeded object type's one field [DOC].
        "CreateCalculatedAttributeDefinition": {
            "AttributeDetails": {"Attributes": [{"Name": "id"}], "Expression": "{shop.id}"}
        },
        "BatchGetCalculatedAttributeForProfile": {"ProfileIds": list(PROFILE_IDS)},
        "GetCalculatedAttributeForProfile": {"ProfileId": PROFILE_IDS[0]},
        "ListCalculatedAttributesForProfile": {"ProfileId": PROFILE_IDS[0]},
        # A schema's datasets are _webAnalytics and _catalogItem [MODEL]; a filter's
        # expression one the mock evaluates, so that it becomes ACTIVE [INFERRED].
        "CreateRecommenderSchema": {"Fields": {"_catalogItem": [{"TargetFieldName": "Name"}]}},
        "CreateRecommenderFilter": {
            "RecommenderFilterExpression": 'INCLUDE ItemID WHERE Items.Name IN ("abc")'
        },
        "StartRecommender": {"RecommenderName": STOPPED},
        "GetProfileRecommendations": {"ProfileId": PROFILE_IDS[0], "RecommenderName": DOMAIN},
        "SearchRecommendations": {
            "KeyName": "_email",
            "KeyValues": [EMAIL],
            "Recommender": {"Name": DOMAIN},
        },
        "DeleteProfileObject": {
            "ObjectTypeName": DOMAIN,
            "ProfileId": PROFILE_IDS[0],
            "ProfileObjectUniqueKey": OBJECT_KEY,
        },
        # A Target in the standard profile and a mapped UniqueKey [INFERRED]; the seeded
        # job and workflow by their ids.
        "CreateUploadJob": UPLOAD_JOB,
        **{
            name: {"JobId": SEEDED_ID}
            for name in ("GetUploadJob", "GetUploadJobPath", "StartUploadJob", "StopUploadJob")
        },
        "CreateIntegrationWorkflow": workflow("new-flow"),
        **{
            name: {"WorkflowId": SEEDED_ID}
            for name in ("GetWorkflow", "GetWorkflowSteps", "DeleteWorkflow")
        },
    }
    params.update(copy.deepcopy(overrides.get(operation, {})))
    return params


@dataclass(frozen=True)
class Placement:
    """Where a value goes: ``path`` from the input shape (member names, ``[]`` for a list
    item, ``{}`` for a map value); ``shape`` is None for a member the model lacks."""

    operation: str
    path: tuple[str, ...]
    shape: Any = field(compare=False, repr=False)
    parent: str  # the type of what holds the value: structure, list or map
    required: bool
    location: str  # body or querystring

    def __repr__(self) -> str:
        return f"{self.operation}:{'.'.join(self.path)}"


def placements(operation: str, depth: int = 6) -> list[Placement]:
    """Every member position of the operation's input (URI labels aside), and under each
    structure an unknown member ``Fuzz``."""
    found: list[Placement] = []
    shape = MODEL.operation_model(operation).input_shape
    if shape is None:
        return found

    def walk(shape: Any, path: tuple[str, ...], location: str, left: int) -> None:
        kind = shape.type_name
        if left == 0:
            return
        if kind == "structure":
            found.append(Placement(operation, (*path, "Fuzz"), None, kind, False, location))
            for name, member in shape.members.items():
                loc = member.serialization.get("location") or location
                if loc == "uri":
                    continue
                required = name in shape.required_members
                found.append(Placement(operation, (*path, name), member, kind, required, loc))
                walk(member, (*path, name), loc, left - 1)
        elif kind == "list":
            found.append(Placement(operation, (*path, "[]"), shape.member, kind, True, location))
            walk(shape.member, (*path, "[]"), location, left - 1)
        elif kind == "map":
            found.append(Placement(operation, (*path, "{}"), shape.value, kind, True, location))
            walk(shape.value, (*path, "{}"), location, left - 1)

    walk(shape, (), "body", depth)
    return found


ALL_PLACEMENTS = [p for op in OPERATIONS for p in placements(op)]
BODY_PLACEMENTS = [p for p in ALL_PLACEMENTS if p.location == "body"]
QUERY_PLACEMENTS = [p for p in ALL_PLACEMENTS if p.location == "querystring"]


def put(params: dict[str, Any], placement: Placement, value: Any) -> dict[str, Any]:
    """A copy of ``params`` with ``value`` at ``placement``, containers made valid on
    the way there."""
    out = copy.deepcopy(params)
    shape = MODEL.operation_model(placement.operation).input_shape
    node: Any = out
    for i, step in enumerate(placement.path):
        last = i == len(placement.path) - 1
        if shape.type_name == "structure":
            key: Any = step
            child_shape = shape.members.get(step)
        elif shape.type_name == "list":
            if not node:
                node.append(valid_value(shape.member))
            key, child_shape = 0, shape.member
        else:
            if not node:
                node["k"] = valid_value(shape.value)
            key, child_shape = next(iter(node)), shape.value
        if last:
            node[key] = value
            break
        if type(node) is dict and node.get(key) is None:
            node[key] = valid_value(child_shape)
        node, shape = node[key], child_shape
    return out


def _java_matches(pattern: str, text: str) -> bool:
    """Java's ``String.matches``: the whole value, whatever anchors the pattern has
    (so ``$`` does not match before a final newline)."""
    return re.fullmatch(pattern, text, re.ASCII) is not None


def breaks_model(value: Any, shape: Any) -> bool:
    """Whether the service must reject ``value`` as a ``shape`` (types, required members,
    lengths, patterns, enums, ranges; unknown structure members are ignored)."""
    while isinstance(value, Deep):
        value = value.head()
    if isinstance(value, Huge):
        return huge_breaks_model(value, shape)
    kind = shape.type_name
    meta = shape.metadata
    lo, hi = meta.get("min", 0), meta.get("max", float("inf"))
    if kind == "structure":
        if type(value) is not dict:
            return True
        if any(value.get(n) is None for n in shape.required_members):
            return True
        return any(
            breaks_model(v, shape.members[k])
            for k, v in value.items()
            if k in shape.members and v is not None
        )
    if kind == "list":
        if type(value) is not list or not lo <= len(value) <= hi:
            return True
        return any(v is None or breaks_model(v, shape.member) for v in value[:1000])
    if kind == "map":
        if type(value) is not dict or not lo <= len(value) <= hi:
            return True
        return any(
            breaks_model(k, shape.key) or v is None or breaks_model(v, shape.value)
            for k, v in list(value.items())[:1000]
        )
    if kind == "string":
        if type(value) is not str or not lo <= len(value) <= hi:
            return True
        if shape.enum and value not in shape.enum:
            return True
        return "pattern" in meta and not _java_matches(meta["pattern"], value)
    if kind in ("integer", "long"):
        return type(value) is not int or not lo <= value <= hi
    if kind in ("double", "float"):
        return type(value) not in (int, float) or not lo <= value <= hi
    if kind == "boolean":
        return type(value) is not bool
    return False


def huge_breaks_model(value: Huge, shape: Any) -> bool:
    """``breaks_model`` for a ``Huge`` value, without building it (a sample item stands
    for the rest)."""
    kind = shape.type_name
    lo, hi = shape.metadata.get("min", 0), shape.metadata.get("max", float("inf"))
    if value.kind == "int":
        return True  # beyond every modelled range
    if value.kind == "str":
        return breaks_model("x" * value.size, shape)
    if value.kind in ("ids", "same"):
        if kind != "list" or not lo <= value.size <= hi:
            return True
        return breaks_model(Huge("ids", 1).build(), shape)
    if kind != "map" or not lo <= value.size <= hi:
        return True
    return breaks_model({"k0": "v"}, shape)


def placement_breaks_model(placement: Placement, value: Any) -> bool:
    if value is None:  # JSON null: absent in a structure, invalid in a list or map
        return placement.required
    if placement.shape is None:  # an unknown member is ignored
        return False
    return breaks_model(value, placement.shape)


INTEGER_TEXT = re.compile(r"[+-]?\d+")


def query_text_breaks_model(text: str, shape: Any) -> bool:
    """Whether a querystring value (decoded) breaks ``shape`` (Java ``parseInt`` rules
    for integers: no spaces, no underscores)."""
    if shape.type_name in ("integer", "long"):
        if not INTEGER_TEXT.fullmatch(text) or len(text) > 30:  # int() stops at 4,300 digits
            return True
        return breaks_model(int(text), shape)
    if shape.type_name == "boolean":  # botocore sends true / false (include-hidden=true)
        return text not in ("true", "false")
    if shape.type_name == "list":  # one value of a repeatable parameter (tagKeys=a)
        return breaks_model([text], shape)
    return breaks_model(text, shape)


def label_breaks_model(decoded: str) -> bool:
    name = MODEL.shape_for("name")
    return breaks_model(decoded, name)


# -- one raw HTTP request --------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One HTTP request. ``body`` is bytes, or a JSON document (markers allowed);
    ``expect_400`` says the input breaks the model, so only a 400 is right."""

    category: str
    operation: str | None
    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, Any], ...] = ()
    body: Any = b""
    expect_400: bool = False
    note: str = ""

    def body_bytes(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return to_json(self.body).encode()

    def request(self) -> tuple[str, str, str, dict[str, Any], bytes]:
        return self.method, self.path, self.query, dict(self.headers), self.body_bytes()

    def __repr__(self) -> str:
        parts = [self.category, self.operation or "-", f"{short(self.method, 30)}"]
        parts.append(short(self.path, 90))
        if self.query:
            parts.append(f"?{short(self.query, 90)}")
        if self.headers:
            parts.append(f"headers={short(dict(self.headers), 120)}")
        if self.body:
            parts.append(f"body={short(self.body, 160)}")
        if self.note:
            parts.append(self.note)
        if self.expect_400:
            parts.append("(breaks the model)")
        return "Case(" + " ".join(parts) + ")"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how hypothesis prints it
        printer.text(repr(self))


def _path(operation: str, labels: dict[str, str], raw: bool = False) -> str:
    uri = MODEL.operation_model(operation).http["requestUri"].split("?", 1)[0]
    for name, value in labels.items():
        text = value if raw else quote(value, safe="")
        uri = uri.replace("{" + name + "+}", text).replace("{" + name + "}", text)
    return uri


def http_case(
    category: str,
    operation: str,
    params: dict[str, Any],
    *,
    expect_400: bool = False,
    note: str = "",
    headers: tuple[tuple[str, Any], ...] = (),
) -> Case:
    """The request botocore would send for ``params`` (markers kept in the body)."""
    shape = MODEL.operation_model(operation).input_shape
    labels, query, body = {}, [], {}
    body_members = False
    for name, member in shape.members.items() if shape is not None else ():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        body_members = body_members or location is None
        if name not in params:
            continue
        value = params[name]
        if location == "uri":
            labels[wire] = value
        elif location == "querystring":
            for item in value if type(value) is list else [value]:  # tagKeys=a&tagKeys=b
                query.append(f"{quote(wire)}={quote(str(item), safe='')}")
        elif location is None:
            body[name] = value
    for name, value in params.items():  # members the model lacks go in the body
        if shape is None or name not in shape.members:
            body[name] = value
    method = MODEL.operation_model(operation).http["method"]
    payload: Any = body if body_members or body else b""
    return Case(
        category, operation, method, _path(operation, labels), "&".join(query), headers,
        payload, expect_400, note,
    )  # fmt: skip


# -- strategies: one per category of hostile input -----------------------------------

ODD_CHARACTERS = [
    *"aZ09_-.%/\\?#&=;:+ \t\n\r\x00\x7f'\"{}[]",
    "\u00e9", "\u00b2", "\u0661", "\u2460", "\u202e", "\ufeff", "\u2028", "\U0001f600",
]  # fmt: skip
odd_text = st.text(alphabet=st.sampled_from(ODD_CHARACTERS), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | odd_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(odd_text, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip

WRONG_VALUES: dict[str, list[Any]] = {
    "string": [0, -1, 1.5, True, False, [], ["x"], {}, {"S": "x"}],
    "integer": ["1", "abc", 1.5, 1e300, True, [], [1], {}, {"N": 1}, 10**30],
    "double": ["0.5", True, [], {}, [0.5]],
    "boolean": ["true", 1, 0, "yes", [], {}, [True]],
    "list": ["x", "", 1, True, {}, {"0": "x"}, [None], [1], [[]], [{}], []],
    "map": ["x", 1, True, [], [["k", "v"]], {"k": 1}, {"k": None}, {"k": ["v"]}, {"": "v"}],
    "structure": ["x", 1, True, [], [{}], {"Fuzz": 1}],
}
QUERY_TEXTS = [
    "", "abc", "1.5", "true", "-1", "0", "101", "1e3", "0x10", " 5", "5 ", "5\n", "5_0",
    "+5", "\u0661", "\u00b2", "9" * 5000, "%", "\x00", "5\x00",
]  # fmt: skip


@st.composite
def wrong_values(draw: Any, placement: Placement) -> Any:
    """Mostly a curated wrong value for the member's type (or null); else a valid string
    with a newline after it, or any JSON value."""
    kind = placement.shape.type_name if placement.shape is not None else "structure"
    choice = draw(st.integers(0, 9))
    if choice < 7:
        return draw(st.sampled_from([None, *WRONG_VALUES.get(kind, WRONG_VALUES["string"])]))
    if choice < 8 and kind == "string":  # "^...$" patterns must not take a final newline
        return valid_value(placement.shape) + "\n"
    return draw(json_values)


@st.composite
def wrong_type_cases(draw: Any) -> Case:
    """A JSON value of the wrong type (or null, or a wrongly typed item) at one member."""
    placement = draw(st.sampled_from(ALL_PLACEMENTS))
    params = base_params(placement.operation)
    if placement.location == "querystring":
        text = draw(st.sampled_from(QUERY_TEXTS) | odd_text)
        params[placement.path[0]] = text
        broken = query_text_breaks_model(text, placement.shape)
        return http_case("wrong-type", placement.operation, params, expect_400=broken)
    value = draw(wrong_values(placement))
    broken = placement_breaks_model(placement, value)
    note = f"{placement!r}={short(value, 40)}"
    return http_case("wrong-type", placement.operation, put(params, placement, value),
                     expect_400=broken, note=note)  # fmt: skip


def deep_values(min_depth: int = 300, max_depth: int = 5000) -> Any:
    return st.builds(
        Deep,
        st.sampled_from(["list", "dict", "mixed"]),
        st.integers(min_depth, max_depth),
        st.sampled_from(["x", 1, None, True, PROFILE_IDS[0]]),
    )


@st.composite
def deep_cases(draw: Any) -> Case:
    """A value nested 300..5,000 levels at one member (modelled or not), or as the body."""
    if draw(st.integers(0, 9)) == 0:
        operation = draw(st.sampled_from([o for o in OPERATIONS if _has_body(o)]))
        value = draw(deep_values())
        case = http_case("deep-nesting", operation, base_params(operation))
        # A body {"a": {"a": ...}} is an object with one unknown member.
        broken = type(value.head()) is not dict or _requires_body_member(operation)
        return Case("deep-nesting", operation, case.method, case.path, body=value,
                    expect_400=broken, note="the body itself")  # fmt: skip
    placement = draw(st.sampled_from(BODY_PLACEMENTS))
    value = draw(deep_values())
    params = put(base_params(placement.operation), placement, value)
    broken = placement_breaks_model(placement, value)
    note = f"{placement!r}=Deep({value.kind}, {value.depth})"
    return http_case("deep-nesting", placement.operation, params, expect_400=broken, note=note)


def _has_body(operation: str) -> bool:
    shape = MODEL.operation_model(operation).input_shape
    return shape is not None and any(
        m.serialization.get("location") is None for m in shape.members.values()
    )


def _requires_body_member(operation: str) -> bool:
    shape = MODEL.operation_model(operation).input_shape
    return any(
        shape.members[n].serialization.get("location") is None for n in shape.required_members
    )


MEGABYTE = 1 << 20


def _huge_member(operation: str, path: str, value: Any) -> Case:
    placement = next(
        p for p in ALL_PLACEMENTS if p.operation == operation and ".".join(p.path) == path
    )
    params = put(base_params(operation), placement, value)
    broken = placement_breaks_model(placement, value)
    return http_case("huge", operation, params, expect_400=broken, note=f"{placement!r}={value}")


def _huge_label(operation: str) -> Case:
    params = base_params(operation)
    params["DomainName"] = "x" * MEGABYTE
    return http_case("huge", operation, params, expect_400=True, note="DomainName label 1 MB")


def huge_cases_list(full: bool = True) -> list[Case]:
    """Megabyte strings, a million ids and big maps at each operation's members (and its
    URI label and querystring). ``full=False`` keeps one million-id request and makes the
    other lists smaller (100k/10k entries), so the test stays quick; the benchmark sends
    them all."""
    many = 1_000_000 if full else 100_000
    some = 100_000 if full else 10_000
    cases = [
        _huge_member("BatchGetProfile", "ProfileIds", Huge("ids", 1_000_000)),
        _huge_member("BatchGetProfile", "ProfileIds", Huge("same", many)),
        _huge_member("BatchGetProfile", "ProfileIds.[]", Huge("str", MEGABYTE)),
        _huge_member("SearchProfiles", "Values", Huge("ids", many)),
        _huge_member("SearchProfiles", "Values.[]", Huge("str", MEGABYTE)),
        _huge_member("SearchProfiles", "KeyName", Huge("str", MEGABYTE)),
        _huge_member("SearchProfiles", "AdditionalSearchKeys.[].Values", Huge("ids", some)),
        _huge_member("CreateProfile", "FirstName", Huge("str", MEGABYTE)),
        _huge_member("CreateProfile", "Address.City", Huge("str", MEGABYTE)),
        _huge_member("CreateProfile", "Attributes", Huge("map", some)),
        _huge_member("CreateProfile", "Attributes.{}", Huge("str", MEGABYTE)),
        _huge_member("CreateDomain", "Tags", Huge("map", some)),
        _huge_member("CreateDomain", "DefaultEncryptionKey", Huge("str", MEGABYTE)),
        _huge_member("CreateDomain", "DefaultExpirationDays", Huge("int", 5000)),
        _huge_member("CreateDomain", "RuleBasedMatching.MatchingRules", Huge("ids", some)),
        _huge_member("DeleteProfile", "ProfileId", Huge("str", MEGABYTE)),
        _huge_member("CreateProfile", "Fuzz", Huge("str", MEGABYTE)),
        _huge_member("TagResource", "tags", Huge("map", some)),
        _huge_member("UntagResource", "tagKeys", Huge("ids", some)),
    ]
    cases += [_huge_label(op) for op in OPERATIONS if "{DomainName}" in _path(op, {})]
    for op in ("TagResource", "UntagResource", "ListTagsForResource"):
        params = {**base_params(op), "resourceArn": "arn:aws:profile:" + "x" * MEGABYTE}
        cases.append(http_case("huge", op, params, expect_400=True, note="resourceArn 1 MB"))
    for op in ("ListDomains", "SearchProfiles"):
        case = http_case("huge", op, base_params(op))
        for query in ("next-token=" + "x" * MEGABYTE, "max-results=" + "9" * MEGABYTE):
            cases.append(Case("huge", op, case.method, case.path, query, (), case.body,
                              True, f"query {query[:16]}... 1 MB"))  # fmt: skip
    return cases


HUGE_CASES = huge_cases_list(full=False)


MALFORMED_BODIES: list[tuple[bytes, bool]] = [  # (body, is it broken JSON?)
    (b"{", True),
    (b"}", True),
    (b"{'a': 1}", True),
    (b'{"ProfileIds": [}', True),
    (b'{"a": 1,}', True),
    (b'{"a": 1}garbage', True),
    (b'{"a": 1}{"a": 2}', True),
    (b"\xff\xfe\x00", True),
    (b'{"FirstName": "\xff"}', True),
    (b"\x00", True),
    (b" ", True),
    (b"\xef\xbb\xbf{}", False),  # a UTF-8 byte order mark, which Jackson skips too
    (b'{"Fuzz": NaN}', True),
    (b'{"Fuzz": Infinity}', True),
    (b'{"Fuzz": -Infinity}', True),
    (b'{"Fuzz": 1e999}', False),  # valid JSON, a number too big for a double
    (b"[" * 5000, True),
    (b"{" * 5000, True),
    (b'{"a":' * 5000, True),
    (b'{"Fuzz": "' + b"\\ud800" + b'"}', False),  # a lone surrogate: valid JSON text
    (b'{"Fuzz": "\\u00"}', True),
    (b'{"DefaultExpirationDays": ' + b"9" * 5000 + b"}", True),
    ('{"Fuzz": 1}'.encode("utf-16"), False),  # RFC 8259 wants UTF-8; json.loads detects it
]
NON_OBJECT_BODIES = [b"[]", b"[{}]", b'"x"', b"1", b"-1.5", b"true", b"false", b"null", b'""']


@st.composite
def malformed_json_cases(draw: Any) -> Case:
    operation = draw(st.sampled_from([o for o in OPERATIONS if _has_body(o)]))
    body, broken = draw(st.sampled_from(MALFORMED_BODIES))
    case = http_case("malformed-json", operation, base_params(operation))
    return Case("malformed-json", operation, case.method, case.path, case.query, (), body,
                broken)  # fmt: skip


@st.composite
def non_object_json_cases(draw: Any) -> Case:
    operation = draw(st.sampled_from([o for o in OPERATIONS if _has_body(o)]))
    body = draw(st.sampled_from(NON_OBJECT_BODIES))
    case = http_case("non-object-json", operation, base_params(operation))
    return Case("non-object-json", operation, case.method, case.path, case.query, (), body,
                True)  # fmt: skip


ODD_LABELS = [
    "%", "%zz", "%C3", "%00", "%0A", "%0a", "%0D%0A", "shop%0A", "shop\n", "shop\r\n",
    "\nshop", "shop%00", "shop%20", "shop ", "sh op", "%E2%80%AE", "\u00e9", "%C3%A9",
    "\ufb00", "%F0%9F%98%80", "%2F", "..", ".", "shop?x=1", "shop#x", "%25", "%2525",
    "%73hop", "a" * 65, "\t", "shop%09", "%C0%AE", "_", "-",
]  # fmt: skip
ODD_QUERIES = [
    "%", "%zz", "%C3", "%00", "=", "&&&", "max-results=%zz", "max-results=%C3",
    "max-results=%00", "max-results=1%00", "max-results=1%0A", "max-results=%201",
    "max-results=1&max-results=abc", "max-results", "max-results=", "next-token=%",
    "next-token=%zz", "next-token=", "next-token=\n", "next-token=%0A", "next-token=x",
    "max-results=1;next-token=x", "max-results=%2B5", "max-results=%D9%A1", "%00=%00",
    "max-results=1&&max-results", "next-token=" + "%" * 1000,
]  # fmt: skip


@st.composite
def odd_uri_and_query_cases(draw: Any) -> Case:
    operation = draw(st.sampled_from(OPERATIONS))
    params = base_params(operation)
    case = http_case("uri-and-query", operation, params)
    labelled = "{DomainName}" in _path(operation, {})
    if labelled and draw(st.booleans()):
        label = draw(st.sampled_from(ODD_LABELS) | odd_text)
        path = _path(operation, {"DomainName": label}, raw=True)
        decoded = unquote(label)
        broken = "/" not in label and label_breaks_model(decoded)
        return Case("uri-and-query", operation, case.method, path, case.query, (), case.body,
                    broken, f"label {label!r}")  # fmt: skip
    random_query = st.sampled_from(["max-results=", "next-token=", ""]).flatmap(
        lambda name: odd_text.map(lambda text: name + text)
    )
    query = draw(st.sampled_from(ODD_QUERIES) | random_query)
    broken = False
    query_members = {p.path[0]: p for p in QUERY_PLACEMENTS if p.operation == operation}
    values = parse_qs(query, keep_blank_values=True)
    for placement in query_members.values():
        wire = placement.shape.serialization.get("name", placement.path[0])
        if values.get(wire):
            broken = broken or query_text_breaks_model(values[wire][0], placement.shape)
    return Case("uri-and-query", operation, case.method, case.path, query, (), case.body,
                broken, f"query {query[:40]!r}")  # fmt: skip


ODD_METHODS = ["PATCH", "get", "", "OPTIONS", "HEAD", "GET\r\n", "PO ST", "X" * 1000, "\x00"]
ODD_PATHS = [
    "", "/", "//", "///", "domains", "/domains/", "/domains//", "/domains//profiles",
    "/domains/shop/", "/domains/shop/profiles/", "/domains/shop/unknown", "/nope",
    "/domains/shop/../shop", "/%2e%2e/domains", "/domains/shop/profiles/search/x",
    "/domains/shop\n/profiles", "/domains/shop/batch-get-profiles/", "?", "#", "\\",
    "/domains/" + "a/" * 20_000, "/a" * 100_000, "x" * 100_000, "/domains/%",
    "/domains/shop/profiles/objects", "/domains/shop/integrations", "/tags/arn",
    "/domains/shop/profile-objects-types", "/domains/shop/profiles/keys/delete",
]  # fmt: skip


ROUTE_SEGMENTS = [
    "domains", "shop", "profiles", "search", "delete", "batch-get-profiles", "", "%", "..",
    "integrations", "keys", "objects", "%2F", "shop%0A",
]  # fmt: skip


@st.composite
def route_cases(draw: Any) -> Case:
    """Unknown paths, unknown or miscased methods, and known paths with the wrong method."""
    known = [_path(op, {"DomainName": DOMAIN}) for op in OPERATIONS]
    segments = st.sampled_from(ROUTE_SEGMENTS) | odd_text
    built = st.lists(segments, max_size=6).map(lambda parts: "/" + "/".join(parts))
    path = draw(st.sampled_from(ODD_PATHS + known) | built)
    method = draw(st.sampled_from(ODD_METHODS + ["GET", "POST", "PUT", "DELETE"]))
    body = draw(st.sampled_from([b"", b"{}", b'{"ProfileIds": ["' + PROFILE_IDS[0].encode() +
                                 b'"]}', b"{"]))  # fmt: skip
    return Case("route", None, method, path, "", (), body)


SDK_REQUEST_VALUES = [
    "attempt=\u00b2", "attempt=" + "9" * 4301, "attempt=" + "1" * 4300, "attempt=-1",
    "attempt=", "attempt", "garbage", ";;;", "=", "attempt==1", "attempt=1; max=x",
    "attempt=\u0661", "attempt=\u2460", "attempt=1.5", "attempt=0x1", "ttl=x; attempt=\u00b3",
    "attempt=1\x00", "attempt=\U0001d7d9", "attempt=" + "9" * 100_000, "x" * MEGABYTE,
]  # fmt: skip
ODD_HEADERS = [
    ("Authorization", "Credential="),
    ("Authorization", "Credential=a/b/c/d/e"),
    ("Authorization", "Credential=AKID/20240101/\n/customer-profiles/aws4_request"),
    ("Authorization", "Credential=" + "/" * 100_000),
    ("Authorization", "garbage"),
    ("Host", "profile..amazonaws.com"),
    ("Host", "profile.\u00e9.amazonaws.com"),
    ("Host", "profile.eu-west-1.amazonaws.com"),
    ("Content-Type", "text/plain"),
    ("Content-Length", "-1"),
    ("amz-sdk-request", b"attempt=\xb2"),
    ("amz-sdk-request", b"attempt=\xff"),
    ("AMZ-SDK-REQUEST", "attempt=\u00b2"),
    ("X-Amz-Target", "CustomerProfiles.GetDomain"),
]


@st.composite
def sdk_header_cases(draw: Any) -> Case:
    """A valid request with a malformed ``amz-sdk-request`` (or other odd header)."""
    operation = draw(st.sampled_from(OPERATIONS))
    if draw(st.integers(0, 3)) > 0:
        random_value = odd_text.map(lambda text: "attempt=" + text) | odd_text
        header = ("amz-sdk-request", draw(st.sampled_from(SDK_REQUEST_VALUES) | random_value))
    else:
        header = draw(st.sampled_from(ODD_HEADERS))
    return http_case("sdk-header", operation, base_params(operation), headers=(header,),
                     note=f"{header[0]}: {short(header[1], 40)}")  # fmt: skip


RAW_STRATEGIES: dict[str, Any] = {
    "malformed-json": malformed_json_cases(),
    "non-object-json": non_object_json_cases(),
    "wrong-type": wrong_type_cases(),
    "deep-nesting": deep_cases(),
    "huge": st.sampled_from(HUGE_CASES),
    "uri-and-query": odd_uri_and_query_cases(),
    "route": route_cases(),
    "sdk-header": sdk_header_cases(),
}

# -- running a case and judging the answer -------------------------------------------


@dataclass
class Outcome:
    """What one input did: the answer, or the exception that escaped, and each way the
    answer is wrong as ``(kind, detail)``."""

    case: Any
    status: int | None = None
    error_code: str | None = None
    exception: BaseException | None = None
    unsupported: bool = False
    rejected_by_client: bool = False  # botocore refused to send it (not the mock's doing)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def failed(self) -> bool:
        return self.exception is not None or bool(self.problems)

    def explain(self) -> str:
        lines = [f"{self.case!r}"]
        if self.status is not None:
            lines.append(f"answered {self.status} {self.error_code or ''}".rstrip())
        if self.exception is not None:
            exc = self.exception
            lines.append(f"raised {type(exc).__name__}: {short(str(exc), 200)}")
            lines.append(f"  from {raised_where(exc)}")
        lines += [f"{kind}: {detail}" for kind, detail in self.problems]
        return "\n".join(lines)


def package_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [
        f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(PACKAGE_DIR)
    ]


def raised_where(exc: BaseException) -> str:
    """Where in customer_profiles_mock ``exc`` was raised, then the package frames that
    led there, each once with how often it recurs: ``_validate.py:54 render (x325) <- ...``."""
    frames = package_frames(exc)
    if not frames:
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        return (
            f"outside customer_profiles_mock: {last[0].filename}:{last[0].lineno}" if last else "?"
        )
    counts: dict[tuple[str, int | None, str], int] = {}
    for f in reversed(frames):
        key = (Path(f.filename).name, f.lineno, f.name)
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{name}:{line} {func}" + (f" (x{n})" if n > 1 else "")
             for (name, line, func), n in counts.items()]  # fmt: skip
    return " <- ".join(parts)


@contextlib.contextmanager
def default_stack() -> Iterator[None]:
    """Run with CPython's default recursion limit, as a test run without hypothesis does."""
    saved = sys.getrecursionlimit()
    depth = _stack_depth()
    sys.setrecursionlimit(max(DEFAULT_RECURSION_LIMIT, depth + 500))
    try:
        yield
    finally:
        sys.setrecursionlimit(saved)


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def check_error(status: int, headers: dict[str, str], body: bytes) -> list[tuple[str, str]]:
    problems = []
    code = headers.get("x-amzn-ErrorType")
    if (code, status) != UNKNOWN_OPERATION and MODELLED_ERRORS.get(code or "") != status:
        problems.append(("unmodelled-error", f"{status} {code}"))
    if len(body) >= MAX_ERROR_BODY:
        problems.append(("error-body-too-big", f"{len(body):,} bytes ({short(body, 100)})"))
    try:
        document = json.loads(body)
    except ValueError as exc:
        problems.append(("error-body-not-json", f"{exc}: {short(body)}"))
        return problems
    if type(document) is not dict or type(document.get("Message")) is not str:
        problems.append(("error-body-without-message", short(document)))
    return problems


def check_success(operation: str | None, status: int, headers: dict[str, str], body: bytes
                  ) -> list[tuple[str, str]]:  # fmt: skip
    """A 2xx must be JSON that fits the operation's output shape."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return [("2xx-body-not-json", f"{type(exc).__name__}: {short(body)}")]
    if operation is None:  # a route case: which operation answered is the router's business
        return []
    output = MODEL.operation_model(operation).output_shape
    # botocore's parser drops members the model lacks, so look for them in the JSON first.
    unknown = unknown_members(document, output, "")
    if unknown:
        return [("2xx-output-has-unknown-members", f"{operation}: {short(unknown, 200)}")]
    parsed = create_parser("rest-json").parse(
        {"status_code": status, "headers": HeadersDict(headers), "body": body}, output
    )
    return check_output_fits_model(operation, parsed)


def unknown_members(value: Any, shape: Any, path: str) -> list[str]:
    """Paths in ``value`` (JSON) that ``shape`` does not model."""
    if shape is None:
        return []
    kind = shape.type_name
    if kind == "structure" and type(value) is dict:
        found = [f"{path}.{k}" for k in value if k not in shape.members]
        for k, v in value.items():
            if k in shape.members:
                found += unknown_members(v, shape.members[k], f"{path}.{k}")
        return found
    if kind == "list" and type(value) is list:
        return [p for item in value[:50] for p in unknown_members(item, shape.member, path + "[]")]
    if kind == "map" and type(value) is dict:
        return [p for v in list(value.values())[:50] for p in unknown_members(v, shape.value, path)]
    return []


def check_output_fits_model(operation: str, parsed: dict[str, Any]) -> list[tuple[str, str]]:
    """conftest's check of every boto3 answer: botocore's validator and every constraint."""
    from conftest import output_errors

    output = MODEL.operation_model(operation).output_shape
    if output is None:
        return []
    data = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    try:
        validate_parameters(data, output)
        errors = output_errors(operation, data, output)
    except RecursionError:
        return [("2xx-output-too-deep-to-check", f"{operation} answer nests too deep")]
    except Exception as exc:  # botocore's ParamValidationError
        return [("2xx-output-breaks-model", f"{operation}: {short(str(exc), 300)}")]
    if errors:
        return [("2xx-output-breaks-model", f"{operation}: {short(errors, 300)}")]
    return []


def check_state(cp: Any, before: Any, status: int) -> list[tuple[str, str]]:
    try:
        with default_stack():
            after = snapshot(cp)
    except Exception as exc:  # reported, with where it came from
        where = raised_where(exc)
        return [("state-unreadable", f"snapshot raised {type(exc).__name__} from {where}")]
    if 400 <= status < 500 and after != before:
        return [("state-changed-after-4xx", describe_change(before, after))]
    if 200 <= status < 300:
        return stored_profiles_fit_model(after)
    return []


def describe_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    added = [short(d, 40) for d in after if d not in before]
    removed = [short(d, 40) for d in before if d not in after]
    changed = [short(d, 40) for d in after if d in before and after[d] != before[d]]
    return (
        f"domains added {added}, removed {removed}, profiles, tags or object types changed in "
        f"{changed}"
    )


@functools.cache
def _profile_shape() -> Any:
    return MODEL.shape_for("Profile")


def stored_profiles_fit_model(state: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    for domain, held in state.items():
        for profile in held["profiles"]:
            try:
                validate_parameters(profile, _profile_shape())
            except RecursionError:
                return [("stored-profile-breaks-model", f"{domain!r}: nested too deep")]
            except Exception as exc:  # botocore's ParamValidationError
                return [("stored-profile-breaks-model", f"{domain!r}: {short(str(exc), 200)}")]
    return []


def run_case(case: Case) -> Outcome:
    """Send ``case`` to a freshly seeded mock through ``Service.handle`` and judge it."""
    outcome = Outcome(case)
    request = case.request()
    with mock_customer_profiles(region=REGION, account_id=ACCOUNT_ID) as cp:
        seed(cp)
        before = snapshot(cp)
        try:
            with default_stack():
                status, headers, body = core(cp)(*request)
        except UnsupportedOperationError:
            outcome.unsupported = True
            return outcome
        except Exception as exc:  # the point of the test
            outcome.exception = exc
            return outcome
        outcome.status, outcome.error_code = status, headers.get("x-amzn-ErrorType")
        problems = outcome.problems
        if 200 <= status < 300:
            problems += check_success(case.operation, status, headers, body)
            if case.expect_400:
                problems.append(("accepted-input-breaking-model", f"answered {status}"))
        elif 400 <= status < 500:
            problems += check_error(status, headers, body)
            if case.expect_400 and status != 400:
                problems.append(("wrong-status-for-invalid-input", f"{status} {short(body)}"))
        else:
            problems.append(("not-2xx-or-4xx", f"{status} {short(body)}"))
        problems += check_state(cp, before, status)
    return outcome


def assert_fine(outcome: Outcome) -> None:
    __tracebackhide__ = True
    if isinstance(outcome.exception, RecursionError):  # explain() says where; a chained
        raise AssertionError(outcome.explain())  # traceback would be 1,000 frames long
    if outcome.exception is not None:
        raise AssertionError(outcome.explain()) from outcome.exception
    assert not outcome.problems, outcome.explain()


# -- the raw tests -----------------------------------------------------------------------

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: inputs are already small
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)


def test_base_requests_succeed() -> None:
    """The unmutated request of every operation is answered 2xx, so mutations test
    what they change and nothing else."""
    for operation in OPERATIONS:
        outcome = run_case(http_case("base", operation, base_params(operation)))
        assert_fine(outcome)
        assert outcome.status is not None, outcome.explain()
        assert 200 <= outcome.status < 300, outcome.explain()


def test_placements_cover_the_modelled_structures() -> None:
    paths = {repr(p) for p in ALL_PLACEMENTS}
    for expected in (
        "CreateDomain:Matching.AutoMerging.Consolidation.MatchingAttributesList.[].[]",
        "CreateDomain:RuleBasedMatching.MatchingRules.[].Rule",
        "CreateDomain:Matching.Fuzz",
        "CreateProfile:Address.City",
        "CreateProfile:Attributes.{}",
        "BatchGetProfile:ProfileIds.[]",
        "SearchProfiles:AdditionalSearchKeys.[].Values.[]",
        "ListDomains:MaxResults",
        "TagResource:tags.{}",
        "UntagResource:tagKeys.[]",
    ):
        assert expected in paths


@settings(FUZZ, max_examples=60)
@given(case=malformed_json_cases())
def test_handle_answers_hostile_input_malformed_json(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=40)
@given(case=non_object_json_cases())
def test_handle_answers_hostile_input_non_object_json(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=250)
@given(case=wrong_type_cases())
@example(case=http_case("wrong-type", "CreateProfile",
                        {"DomainName": DOMAIN, "Address": {"City": None}}))  # fmt: skip
def test_handle_answers_hostile_input_wrong_member_types(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=150)
@given(case=deep_cases())
@example(case=http_case("deep-nesting", "BatchGetProfile",
                        {"DomainName": DOMAIN, "ProfileIds": [Deep("list", 400)]},
                        expect_400=True))  # fmt: skip
@example(case=http_case("deep-nesting", "CreateDomain",
                        {"DomainName": NEW_DOMAIN, "DefaultExpirationDays": 1,
                         "Matching": {"Enabled": True, "Fuzz": Deep("list", 600)}}))  # fmt: skip
def test_handle_answers_hostile_input_deep_nesting(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=len(HUGE_CASES))
@given(case=st.sampled_from(HUGE_CASES))
def test_handle_answers_hostile_input_huge_values(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=150)
@given(case=odd_uri_and_query_cases())
@example(case=Case("uri-and-query", "CreateDomain", "POST", "/domains/shop%0A",
                   body={"DefaultExpirationDays": 1}, expect_400=True))  # fmt: skip
def test_handle_answers_hostile_input_odd_uri_labels_and_query(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=120)
@given(case=route_cases())
@example(case=Case("route", None, "GET", "/" + "x" * 100_000))
def test_handle_answers_hostile_input_unknown_routes_and_methods(case: Case) -> None:
    assert_fine(run_case(case))


@settings(FUZZ, max_examples=80)
@given(case=sdk_header_cases())
@example(case=http_case("sdk-header", "GetDomain", {"DomainName": DOMAIN},
                        headers=(("amz-sdk-request", "attempt=\u00b2"),)))  # fmt: skip
def test_handle_answers_hostile_input_malformed_sdk_request_header(case: Case) -> None:
    assert_fine(run_case(case))


# -- through a real boto3 client, client-side validation off -------------------------


@dataclass(frozen=True)
class ApiCase:
    """One boto3 call: ``params`` may hold markers; ``sdk_request`` replaces botocore's
    ``amz-sdk-request`` header."""

    category: str
    operation: str
    params: dict[str, Any]
    sdk_request: str | None = None
    note: str = ""

    def __repr__(self) -> str:
        extra = f" amz-sdk-request={short(self.sdk_request, 40)}" if self.sdk_request else ""
        return f"ApiCase({self.category} {self.operation} {self.note}{extra})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how hypothesis prints it
        printer.text(repr(self))


_sent: list[Any] = []  # requests that reached the mock in the current call
_header: list[str | None] = [None]
_output_problems: list[tuple[str, str]] = []


def _before_send(request: Any, **kwargs: Any) -> None:
    _sent.append(request)
    if _header[0] is not None:
        request.headers["amz-sdk-request"] = _header[0]


def _after_call(parsed: Any, model: Any, **kwargs: Any) -> None:
    if "Error" not in parsed:
        _output_problems.extend(check_output_fits_model(model.name, parsed))


@functools.cache
def boto_client() -> Any:
    """One client for every call (made while a mock is active, with no credentials of
    its own)."""
    config = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    client = boto3.session.Session().client("customer-profiles", region_name=REGION,
                                            config=config)  # fmt: skip
    client.meta.events.register_first("before-send.customer-profiles", _before_send)
    # First, so that a bad answer is recorded before conftest's own check raises.
    client.meta.events.register_first("after-call.customer-profiles", _after_call)
    return client


def run_api_case(case: ApiCase) -> Outcome:
    """Make ``case``'s call with a boto3 client on a freshly seeded mock and judge it."""
    outcome = Outcome(case)
    params = build(case.params)
    with mock_customer_profiles(region=REGION, account_id=ACCOUNT_ID) as cp:
        seed(cp)
        before = snapshot(cp)
        client = boto_client()
        method = getattr(client, botocore.xform_name(case.operation))
        _sent.clear()
        _output_problems.clear()
        _header[0] = case.sdk_request
        try:
            with default_stack():
                method(**params)
            status = 200
        except ClientError as exc:
            metadata = exc.response.get("ResponseMetadata", {})
            status = metadata.get("HTTPStatusCode", 0)
            error = exc.response.get("Error", {})
            outcome.error_code = error.get("Code")
            if MODELLED_ERRORS.get(outcome.error_code or "") != status:
                outcome.problems.append(("unmodelled-error", f"{status} {outcome.error_code}"))
            message = error.get("Message")
            if type(message) is not str or not message:
                outcome.problems.append(("error-body-without-message", short(exc.response)))
            elif len(message) >= MAX_ERROR_BODY:
                outcome.problems.append(
                    ("error-body-too-big", f"Message of {len(message):,} chars")
                )
        except UnsupportedOperationError:
            outcome.unsupported = True
            return outcome
        except Exception as exc:  # the point of the test
            if _output_problems:  # answered 2xx, and conftest's check raised about it
                outcome.status = 200
                outcome.problems += _output_problems
            elif not _sent:  # botocore could not serialize it: never reached the mock
                outcome.rejected_by_client = True
            else:
                outcome.exception = exc
            return outcome
        finally:
            _header[0] = None
        outcome.status = status
        outcome.problems += _output_problems
        outcome.problems += check_state(cp, before, status)
    return outcome


def _boto_placements() -> list[Placement]:
    """Positions botocore's serializer passes a wrong value through (it walks modelled
    structures, so a value goes where a scalar, list or map is expected)."""
    return [p for p in ALL_PLACEMENTS if p.shape is not None and p.shape.type_name != "structure"]


BOTO_PLACEMENTS = _boto_placements()


@st.composite
def api_wrong_type_cases(draw: Any) -> ApiCase:
    placement = draw(st.sampled_from(BOTO_PLACEMENTS))
    params = base_params(placement.operation)
    if "DomainName" in params and draw(st.integers(0, 4)) == 0:
        label = unquote(draw(st.sampled_from(ODD_LABELS)))
        params["DomainName"] = label
        return ApiCase("uri-label", placement.operation, params, note=f"label {label!r}")
    value = draw(wrong_values(placement))
    return ApiCase("wrong-type", placement.operation, put(params, placement, value),
                   note=f"{placement!r}={short(value, 40)}")  # fmt: skip


@st.composite
def api_deep_cases(draw: Any) -> ApiCase:
    # botocore json.dumps the body itself, so it cannot send more than ~900 levels.
    placement = draw(st.sampled_from(BOTO_PLACEMENTS))
    value = draw(deep_values(300, 900))
    params = put(base_params(placement.operation), placement, value)
    return ApiCase("deep-nesting", placement.operation, params,
                   note=f"{placement!r}=Deep({value.kind}, {value.depth})")  # fmt: skip


def api_huge_cases_list(full: bool = True) -> list[ApiCase]:
    """As ``huge_cases_list``; botocore serializes a million ids in ~3 s, so the test
    sends 100,000 and the benchmark a million."""
    many = 1_000_000 if full else 100_000
    some = 100_000 if full else 10_000
    domain = {"DomainName": NEW_DOMAIN, "DefaultExpirationDays": 1}
    return [
        ApiCase("huge", "BatchGetProfile", {"DomainName": DOMAIN, "ProfileIds": Huge("ids", many)},
                note=f"{many:,} ProfileIds"),
        ApiCase("huge", "SearchProfiles",
                {"DomainName": DOMAIN, "KeyName": Huge("str", MEGABYTE), "Values": [EMAIL]},
                note="KeyName 1 MB"),
        ApiCase("huge", "SearchProfiles",
                {"DomainName": DOMAIN, "KeyName": "_email", "Values": Huge("ids", many)},
                note=f"{many:,} Values"),
        ApiCase("huge", "CreateDomain", {**domain, "Tags": Huge("map", some)},
                note=f"{some:,} Tags"),
        ApiCase("huge", "GetDomain", {"DomainName": "x" * MEGABYTE}, note="DomainName 1 MB"),
        ApiCase("huge", "CreateProfile",
                {"DomainName": DOMAIN, "Attributes": {"k": Huge("str", MEGABYTE)}},
                note="Attributes value 1 MB"),
    ]  # fmt: skip


API_HUGE_CASES = api_huge_cases_list(full=False)


@st.composite
def api_sdk_header_cases(draw: Any) -> ApiCase:
    operation = draw(st.sampled_from(OPERATIONS))
    random_value = odd_text.map(lambda text: "attempt=" + text) | odd_text
    value = draw(st.sampled_from(SDK_REQUEST_VALUES) | random_value)
    return ApiCase("sdk-header", operation, base_params(operation), sdk_request=value)


API_STRATEGIES: dict[str, Any] = {
    "wrong-type": api_wrong_type_cases(),
    "deep-nesting": api_deep_cases(),
    "huge": st.sampled_from(API_HUGE_CASES),
    "sdk-header": api_sdk_header_cases(),
}


@settings(FUZZ, max_examples=200)
@given(case=api_wrong_type_cases())
def test_boto3_client_gets_4xx_or_success_wrong_types(case: ApiCase) -> None:
    assert_fine(run_api_case(case))


@settings(FUZZ, max_examples=40)
@given(case=api_deep_cases())
def test_boto3_client_gets_4xx_or_success_deep_nesting(case: ApiCase) -> None:
    assert_fine(run_api_case(case))


@settings(FUZZ, max_examples=len(API_HUGE_CASES))
@given(case=st.sampled_from(API_HUGE_CASES))
def test_boto3_client_gets_4xx_or_success_huge_values(case: ApiCase) -> None:
    assert_fine(run_api_case(case))


@settings(FUZZ, max_examples=40)
@given(case=api_sdk_header_cases())
def test_boto3_client_gets_4xx_or_success_malformed_sdk_request_header(case: ApiCase) -> None:
    assert_fine(run_api_case(case))
