"""Upload jobs: their table, rules, pre-signed URL, CSV ingestion and how they are shown.

A job is a ``Resource`` named by its ``JobId`` whose members are what GetUploadJob shows,
plus two the API never shows: ``_token`` (the SSE-C key GetUploadJobPath hands out as
``ClientToken``) and ``_file`` (the uploaded CSV's bytes). StartUploadJob moves it to
IN_PROGRESS and schedules it; its step (``advance``) ingests the file.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import io
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from customer_profiles_mock import forksafe
from customer_profiles_mock.features.profiles.models import PROFILES
from customer_profiles_mock.features.profiles.operations import (
    add_profile,
    attribute_path,
    update_fields,
)
from customer_profiles_mock.store.domain import Domain, later
from customer_profiles_mock.store.key_index import NORMALIZERS
from customer_profiles_mock.store.resource import Resource, ResourceKind, resource_table
from customer_profiles_mock.wire import validate as _validate
from customer_profiles_mock.wire.errors import BadRequestException, ServiceError

# [MODEL] DataExpiry: "If not provided, the system default of 2 weeks is used".
DEFAULT_EXPIRY_DAYS = 14
# [INFERRED] How long a pre-signed URL lasts (ValidUntil); not documented.
URL_SECONDS = 3600
# [INFERRED] Not documented: the model's largest MaxResults (500).
LIST_PAGE = 500
# The bucket the mock owns for uploads (core.operations.BUCKETS); an upload URL is
# https://cpm-upload-jobs.s3.REGION.amazonaws.com/ACCOUNT/REGION/DOMAIN/JOB_ID?X-Amz-...
BUCKET = "cpm-upload-jobs"
PROFILE_TARGET = "_profile."
# [DOC S3 SSE-C] The headers an upload to the pre-signed URL carries [MODEL ClientToken].
SSE_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm"
SSE_KEY = "x-amz-server-side-encryption-customer-key"
SSE_KEY_MD5 = "x-amz-server-side-encryption-customer-key-MD5"

TERMINAL = ("SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "STOPPED")
# What GetUploadJob and ListUploadJobs show, in the model's order.
SHOWN = (
    "JobId",
    "DisplayName",
    "Status",
    "StatusReason",
    "CreatedAt",
    "CompletedAt",
    "Fields",
    "UniqueKey",
    "ResultsSummary",
    "DataExpiry",
)
LISTED = (
    "JobId",
    "DisplayName",
    "Status",
    "StatusReason",
    "CreatedAt",
    "CompletedAt",
    "DataExpiry",
)

_tokens = forksafe.generator()
# The request ids of the answers its URL gives.
request_ids = forksafe.generator()


def _advance(domain: Domain, job: Resource) -> bool:
    if job.members["Status"] == "IN_PROGRESS":
        finish(job, ingest(domain, job.members))
    return False


# Every domain's upload jobs: ``domain.part(JOBS)``, named by JobId. They take no tags
# [MODEL: no Tags member], so TagResource does not reach them.
JOBS = resource_table(
    "upload_jobs", ResourceKind("Upload job", "upload-jobs", _advance), taggable=False
)


# -- creation --------------------------------------------------------------------------


def unique_columns(unique_key: str) -> list[str]:
    """The CSV columns ``UniqueKey`` names: one, or several separated by commas
    [INFERRED: the model says "columns" and gives no syntax]."""
    return [column.strip() for column in unique_key.split(",")]


def check_mapping(fields: Mapping[str, Any], unique_key: str) -> None:
    """Every column maps to a field of the standard profile (``Target``
    ``_profile.FIELD``, ``_profile.Address.City`` or ``_profile.Attributes.KEY``), and the
    ``UniqueKey`` columns are mapped columns: anything else is a 400 [INFERRED]."""
    for column, field in fields.items():
        target = field.get("Target")
        path = target[len(PROFILE_TARGET) :] if target else ""
        if not (target and target.startswith(PROFILE_TARGET) and attribute_path(path)):
            raise BadRequestException(
                f"Fields.{column}: Target {target!r} is not a field of the standard profile "
                "(_profile.FIELD, _profile.Address.City or _profile.Attributes.KEY)"
            )
    for column in unique_columns(unique_key):
        if column not in fields:
            raise BadRequestException(
                f"UniqueKey {unique_key}: column {column!r} is not one of the Fields"
            )


def new_job(params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A new job's id (32 hex characters [MODEL]) and members: CREATED [MODEL], its
    DataExpiry 14 days unless given [MODEL], its counts at zero [INFERRED]."""
    job_id = forksafe.uuid4(_tokens).hex
    token = base64.b64encode(_tokens.randbytes(32)).decode()
    members = {
        "DisplayName": params["DisplayName"],
        "Status": "CREATED",
        "Fields": params["Fields"],
        "UniqueKey": params["UniqueKey"],
        "DataExpiry": params.get("DataExpiry", DEFAULT_EXPIRY_DAYS),
        "ResultsSummary": {"UpdatedRecords": 0, "CreatedRecords": 0, "FailedRecords": 0},
        "_token": token,
    }
    return job_id, members


def require_status(job: Resource, allowed: tuple[str, ...], what: str) -> None:
    """A 400 unless the job is in one of the ``allowed`` statuses [INFERRED]."""
    status = job.members["Status"]
    if status not in allowed:
        raise BadRequestException(f"Upload job {job.name} is {status}: it cannot be {what}")


def finish(job: Resource, changes: Mapping[str, Any]) -> None:
    """Move the job to a terminal status with ``changes``; ``CompletedAt`` is now
    [INFERRED: set on every terminal status]."""
    job.members = {**job.members, **changes, "CompletedAt": time.time()}
    job.updated_at = later(job.updated_at)


# -- the pre-signed URL ----------------------------------------------------------------


def _aws_host(host: str) -> bool:
    return not host or host.lower().startswith("profile.")


def upload_url(host: str, account_id: str, region: str, domain: str, job_id: str) -> str:
    """The job's pre-signed S3 PUT URL: in the mock's own bucket, virtual-hosted on S3's
    endpoint when the call came to AWS's (answered in-process), else path-style on the
    host the call came to (this package's server) [INFERRED]. Its query looks like SigV4
    pre-signing; the mock does not check it."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    signed = ";".join(header.lower() for header in ("host", SSE_ALGORITHM, SSE_KEY, SSE_KEY_MD5))
    query = "&".join(
        f"{name}={quote(value, safe='')}"
        for name, value in (
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", f"ASIAMOCKUPLOADJOBS00/{stamp[:8]}/{region}/s3/aws4_request"),
            ("X-Amz-Date", stamp),
            ("X-Amz-Expires", str(URL_SECONDS)),
            ("X-Amz-SignedHeaders", signed),
            ("X-Amz-Signature", hashlib.sha256(f"{job_id}{stamp}".encode()).hexdigest()),
        )
    )
    key = f"{account_id}/{region}/{domain}/{job_id}"
    if _aws_host(host):
        suffix = ".cn" if region.startswith("cn-") else ""
        return f"https://{BUCKET}.s3.{region}.amazonaws.com{suffix}/{key}?{query}"
    return f"http://{host}/{BUCKET}/{key}?{query}"


# How the ...-customer-key-MD5 header is made, as the mock's errors say it [DOC S3 SSE-C].
MD5_RULE = (
    "base64(md5(base64decode(ClientToken))), e.g. "
    "base64.b64encode(hashlib.md5(base64.b64decode(token)).digest()).decode()"
)


def key_md5(token: str) -> str:
    """The ``...-customer-key-MD5`` header for an SSE-C key [DOC S3 SSE-C]: the base64 of
    the MD5 of the key's bytes."""
    raw = base64.b64decode(token)
    return base64.b64encode(hashlib.md5(raw).digest()).decode()  # noqa: S324 (S3's rule)


def upload_refusal(
    job: Resource, headers: Callable[[str], str | None]
) -> tuple[int, str, str] | None:
    """Why an upload to the job's URL is refused, as S3 would answer (status, code,
    message), or None. The job must still be CREATED, and the SSE-C headers must carry
    AES256 and the job's ``ClientToken`` with its MD5 [MODEL ClientToken; INFERRED: the
    answers]."""
    status = job.members["Status"]
    if status != "CREATED":
        return (
            403,
            "AccessDenied",
            f"Upload job {job.name} is {status}: its URL no longer accepts a file",
        )
    token = job.members["_token"]
    if headers(SSE_ALGORITHM) != "AES256" or headers(SSE_KEY) != token:
        return (
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided: "
            f"send the headers {SSE_ALGORITHM}: AES256, {SSE_KEY}: the ClientToken and "
            f"{SSE_KEY_MD5}: {MD5_RULE}",
        )
    if headers(SSE_KEY_MD5) != key_md5(token):
        return (
            400,
            "InvalidArgument",
            "The calculated MD5 hash of the key did not match the hash that was provided. "
            f"{SSE_KEY_MD5} is {MD5_RULE}",
        )
    return None


def keep_file(job: Resource, data: bytes) -> None:
    """Store the uploaded file (a later upload replaces it) [INFERRED]."""
    job.members = {**job.members, "_file": data}
    job.updated_at = later(job.updated_at)


# -- ingestion -------------------------------------------------------------------------


def _failed(reason: str, summary: dict[str, int] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"Status": "FAILED", "StatusReason": reason}
    if summary is not None:
        out["ResultsSummary"] = summary
    return out


def _get(profile: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = profile
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _set(profile: dict[str, Any], path: tuple[str, ...], value: str) -> None:
    if len(path) == 2:
        profile[path[0]] = {**(profile.get(path[0]) or {}), path[1]: value}
    else:
        profile[path[0]] = value


class _Mapping:
    """A job's ``Fields`` worked out against the file's header row."""

    def __init__(self, fields: Mapping[str, Any], unique_key: str, header: list[str]) -> None:
        self.columns = [
            (header.index(column), attribute_path(field["Target"][len(PROFILE_TARGET) :]) or ())
            for column, field in fields.items()
        ]
        self.unique: list[tuple[int, tuple[str, ...], Callable[[str], str]]] = []
        for column in unique_columns(unique_key):
            field = fields[column]
            normalize = NORMALIZERS.get(field.get("ContentType") or "STRING", NORMALIZERS["STRING"])
            path = attribute_path(field["Target"][len(PROFILE_TARGET) :]) or ()
            self.unique.append((header.index(column), path, normalize))

    def key_of_row(self, row: list[str]) -> tuple[str, ...]:
        return tuple(normalize(row[i]) if row[i] else "" for i, _, normalize in self.unique)

    def key_of_profile(self, profile: Mapping[str, Any]) -> tuple[str, ...] | None:
        values = [_get(profile, path) for _, path, _ in self.unique]
        if not all(isinstance(v, str) and v for v in values):
            return None
        return tuple(n(v) for v, (_, _, n) in zip(values, self.unique, strict=True))

    def fields_of(self, row: list[str]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for index, path in self.columns:
            if row[index]:
                _set(fields, path, row[index])
        return fields


def _rows(data: bytes | None) -> list[list[str]] | str:
    """The file's rows (the header first), or the reason it cannot be read."""
    if data is None:
        return "no file was uploaded"
    try:
        text = data.decode("utf-8-sig")  # [DOC] UTF-8 encoded (a byte-order mark allowed)
    except UnicodeDecodeError:
        return "the file is not UTF-8"
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error:
        return "the file is not CSV"
    if not rows:
        return "the file has no header row"
    return rows


def ingest(domain: Domain, job: Mapping[str, Any]) -> dict[str, Any]:
    """Ingest the job's file into profiles and answer the job's terminal members.

    [DOC] The file is UTF-8 CSV with a header row; [MODEL] each ``Fields`` key is a
    column, its ``Target`` the profile field it fills, ``UniqueKey`` the column(s) that
    find an existing profile. [INFERRED] A row whose unique columns equal (after the
    column's ContentType normalisation) those of a profile updates the first such profile
    (UpdateProfile's rules, the change feed told UPDATED), else creates one (CreateProfile,
    CREATED); an empty cell sets nothing. A row is failed (counted, not written) when its
    cell count differs from the header's, a unique column is empty, or its values break
    the model's constraints of CreateProfile / UpdateProfile. No file, a file that is not
    UTF-8 CSV, no header row, or a mapped column missing from the header: FAILED with
    VALIDATION_FAILURE and nothing written; every row failed: FAILED with
    VALIDATION_FAILURE; some: PARTIALLY_SUCCEEDED; none: SUCCEEDED.
    """
    rows = _rows(job.get("_file"))
    if isinstance(rows, str):
        return _failed("VALIDATION_FAILURE")
    header = [name.strip() for name in rows[0]]
    fields, unique_key = job["Fields"], job["UniqueKey"]
    if len(set(header)) != len(header) or any(column not in header for column in fields):
        return _failed("VALIDATION_FAILURE")
    mapping = _Mapping(fields, unique_key, header)
    profiles = domain.part(PROFILES)
    known: dict[tuple[str, ...], str] = {}
    for profile in profiles:
        key = mapping.key_of_profile(profile)
        if key is not None:
            known.setdefault(key, profile["ProfileId"])
    created = updated = failed = 0
    for row in rows[1:]:
        key = mapping.key_of_row(row) if len(row) == len(header) else ()
        if not key or not all(key):
            failed += 1
            continue
        values = mapping.fields_of(row)
        profile_id = known.get(key)
        try:
            if profile_id is None:
                _validate.check_input("CreateProfile", {"DomainName": domain.name, **values})
                known[key] = add_profile(domain, values)
                created += 1
            else:
                params = {"DomainName": domain.name, "ProfileId": profile_id, **values}
                _validate.check_input("UpdateProfile", params)
                update_fields(domain, profile_id, values)
                updated += 1
        except ServiceError:
            failed += 1
    summary = {"UpdatedRecords": updated, "CreatedRecords": created, "FailedRecords": failed}
    if failed and not created and not updated:
        return _failed("VALIDATION_FAILURE", summary)
    status = "PARTIALLY_SUCCEEDED" if failed else "SUCCEEDED"
    return {"Status": status, "ResultsSummary": summary}


# -- how the operations show a job -----------------------------------------------------


def shown(job: Resource, names: tuple[str, ...] = SHOWN) -> dict[str, Any]:
    """The job as GetUploadJob (``SHOWN``) or ListUploadJobs (``LISTED``) answers it."""
    members = {"JobId": job.name, "CreatedAt": job.created_at, **job.members}
    return {name: members[name] for name in names if name in members}
