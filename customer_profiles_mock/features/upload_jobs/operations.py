"""The upload job operations, and the mock's own bucket their pre-signed URL points into.

Create, Get, GetPath, List, Start and StopUploadJob.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.core.operations import Context, bucket, operation
from customer_profiles_mock.features.upload_jobs import models
from customer_profiles_mock.features.upload_jobs.models import JOBS
from customer_profiles_mock.store.resource import due_key
from customer_profiles_mock.wire import http as _http
from customer_profiles_mock.wire.errors import s3_error
from customer_profiles_mock.wire.http import HttpRequest, HttpResponse
from customer_profiles_mock.wire.pagination import fingerprint, items_page, paginate


@operation("CreateUploadJob")
def create_upload_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers a new `JobId` (32 hex characters [MODEL]); the job is `CREATED` [MODEL],
    with `DataExpiry` 14 days unless given [MODEL] and its `ResultsSummary` at zero
    [INFERRED]. Each `Fields` key is a CSV column [MODEL]; its `Target` must be a field of
    the standard profile, `_profile.FIELD`, `_profile.Address.City` or
    `_profile.Attributes.KEY`, else 400 `Fields.COLUMN: Target 'T' is not a field of the
    standard profile (...)` [INFERRED]; `Source` is not read [INFERRED]. `UniqueKey` names
    one mapped column, or several separated by commas [INFERRED], else 400 `UniqueKey K:
    column 'C' is not one of the Fields` [INFERRED]. `DisplayName` need not be unique
    [INFERRED]. Profiles ingested by a job do not expire after `DataExpiry` days in the
    mock.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    models.check_mapping(params["Fields"], params["UniqueKey"])
    job_id, members = models.new_job(params)
    domain.part(JOBS).create(job_id, members, {})
    return {"JobId": job_id}


@operation("GetUploadJob")
def get_upload_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The job: `Status` `CREATED` until StartUploadJob, then `IN_PROGRESS` for one job
    step, then `SUCCEEDED`, `PARTIALLY_SUCCEEDED` (some rows failed [INFERRED]) or
    `FAILED` with `StatusReason` `VALIDATION_FAILURE` (no file, a file that is not UTF-8
    CSV with a header row holding every mapped column, or every row failed [INFERRED]);
    `STOPPED` after StopUploadJob. `CompletedAt` is set on each of those final statuses
    [INFERRED]; `ResultsSummary` counts the rows that created a profile, updated one, or
    failed (a row with the wrong number of cells, an empty unique column, or values the
    model's CreateProfile / UpdateProfile constraints refuse) [INFERRED]. An unknown id is
    404 `Upload job ID does not exist` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    return models.shown(domain.part(JOBS).get(params["JobId"]))


@operation("GetUploadJobPath")
def get_upload_job_path(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers a pre-signed S3 PUT `Url`, the `ClientToken` (a base64 SSE-C key, the same
    for every call on the job [INFERRED]) and `ValidUntil`, an hour from now [INFERRED].
    Called through AWS's endpoint (in-process), the URL is
    `https://cpm-upload-jobs.s3.REGION.amazonaws.com/ACCOUNT/REGION/DOMAIN/JOB_ID?X-Amz-...`,
    which `requests` reaches in-process while the mock is active; through this package's
    server, it is path-style on the server's own host. A PUT there with the headers
    `x-amz-server-side-encryption-customer-algorithm: AES256`,
    `x-amz-server-side-encryption-customer-key: CLIENT_TOKEN` and
    `x-amz-server-side-encryption-customer-key-MD5` (base64 of the MD5 of the key's bytes)
    [MODEL] stores the CSV (a later PUT replaces it); without them it is 403
    `SignatureDoesNotMatch`, with a wrong MD5 400 `InvalidArgument`, once the job has left
    `CREATED` 403 `AccessDenied`, as S3 answers in XML [INFERRED]. The URL's signature and
    expiry are not checked [INFERRED]. The path is only given while the job is `CREATED`,
    else 400 `Upload job ID is STATUS: it cannot be given an upload path` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    job = domain.part(JOBS).get(params["JobId"])
    models.require_status(job, ("CREATED",), "given an upload path")
    url = models.upload_url(ctx.host, ctx.region.account_id, ctx.region.name, domain.name, job.name)
    return {
        "Url": url,
        "ClientToken": job.members["_token"],
        "ValidUntil": time.time() + models.URL_SECONDS,
    }


@operation("ListUploadJobs")
def list_upload_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each job without its `Fields`, `UniqueKey` or `ResultsSummary` [MODEL: the item
    shape], in creation order [INFERRED]; `MaxResults` (default 500 [INFERRED]) /
    `NextToken`; the botocore paginator walks it.
    """
    domain = ctx.region.domains.get(params["DomainName"])
    query = fingerprint("ListUploadJobs", params["DomainName"])
    page, token = paginate(list(domain.part(JOBS)), params, query, models.LIST_PAGE)
    return items_page([models.shown(job, models.LISTED) for job in page], token)


@operation("StartUploadJob")
def start_upload_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL] and moves the job from `CREATED` to `IN_PROGRESS`; one job
    step later the uploaded file is ingested (see GetUploadJob) [INFERRED: the steps].
    Profiles are created and updated as CreateProfile and UpdateProfile do, so the profile
    history, event streams and triggers see them [INFERRED]. A job that is not `CREATED`
    is 400 `Upload job ID is STATUS: it cannot be started` [INFERRED]; a job started with
    no file uploaded ends `FAILED` with `VALIDATION_FAILURE` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    job = domain.part(JOBS).get(params["JobId"])
    models.require_status(job, ("CREATED",), "started")
    job.members = {**job.members, "Status": "IN_PROGRESS"}
    ctx.schedule(domain, JOBS, due_key(job))
    return {}


@operation("StopUploadJob")
def stop_upload_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Answers `{}` [MODEL]; a `CREATED` or `IN_PROGRESS` job becomes `STOPPED` [MODEL]
    with its `CompletedAt` and writes no profile [INFERRED]. A job already in a final
    status is 400 `Upload job ID is STATUS: it cannot be stopped` [INFERRED].
    """
    domain = ctx.region.domains.get(params["DomainName"])
    job = domain.part(JOBS).get(params["JobId"])
    models.require_status(job, ("CREATED", "IN_PROGRESS"), "stopped")
    models.finish(job, {"Status": "STOPPED"})
    return {}


@bucket(models.BUCKET)
def receive_upload(ctx: Context, request: HttpRequest, key: str) -> HttpResponse:
    """A PUT of the CSV to an upload job's pre-signed URL (key ``DOMAIN/JOB_ID``)."""
    request_id = str(forksafe.uuid4(models.request_ids))
    domain_name, _, job_id = key.partition("/")
    domain = ctx.region.domains.find(domain_name)
    job = domain.part(JOBS).find(job_id) if domain is not None else None
    if job is None:
        return s3_error(404, "NoSuchKey", "The specified key does not exist.", request_id)
    if request.method != "PUT":
        message = f"The specified method is not allowed against this resource: {request.method}"
        return s3_error(405, "MethodNotAllowed", message, request_id)
    refusal = models.upload_refusal(job, lambda name: _http.header(request.headers, name))
    if refusal is not None:
        return s3_error(*refusal, request_id)
    models.keep_file(job, request.body)
    etag = hashlib.md5(request.body).hexdigest()  # noqa: S324 (S3's ETag)
    headers = {
        "ETag": f'"{etag}"',
        "x-amz-request-id": request_id,
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key-MD5": models.key_md5(job.members["_token"]),
    }
    return 200, headers, b""
