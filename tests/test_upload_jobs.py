"""Upload jobs through real boto3 clients (features/upload_jobs/): the job's statuses on
the job schedule, the pre-signed URL answered in-process and by the server, the CSV
ingested into profiles through CreateProfile/UpdateProfile, the counts, and the handle's
upload_job_file(). Each test names the rule it checks, with its source tag from the
reference (api-semantics-rest.md section 11)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from typing import Any

import boto3
import botocore.session
import pytest
import requests
from botocore.exceptions import ClientError

from customer_profiles_mock import InvalidArgumentError, VirtualClock, mock_customer_profiles
from customer_profiles_mock.store.domain import Change, Domain, DomainPart, register_part

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
MODEL = botocore.session.get_session().get_service_model("customer-profiles")
# Every botocore CI runs has upload jobs (1.40.15 included); a model without them skips.
pytestmark = pytest.mark.skipif(
    "CreateUploadJob" not in MODEL.operation_names,
    reason="this botocore's model has no upload jobs",
)
FIELDS = {
    "email": {
        "Source": "_source.email",
        "Target": "_profile.EmailAddress",
        "ContentType": "EMAIL_ADDRESS",
    },
    "first": {"Source": "_source.first", "Target": "_profile.FirstName"},
    "city": {"Source": "_source.city", "Target": "_profile.Address.City"},
    "tier": {"Source": "_source.tier", "Target": "_profile.Attributes.tier"},
}
CSV = "email,first,city,tier\nann@example.com,Ann,Paris,gold\nbob@example.com,Bob,,\n"


class Changes(DomainPart):
    """Records the change feed."""

    __slots__ = ("seen",)

    def __init__(self, seen: list[Change]) -> None:
        self.seen = seen

    def freeze(self) -> object:
        return tuple(self.seen)

    def on_change(self, domain: Domain, change: Change) -> None:
        self.seen.append(change)


CHANGES = register_part(
    "test_upload_jobs_changes",
    lambda domain: Changes([]),
    lambda domain, frozen: Changes(list(frozen)),
)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    error = excinfo.value.response
    return error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"], error["Message"]


def sse_headers(token: str) -> dict[str, str]:
    """The headers GetUploadJobPath's documentation asks for [MODEL ClientToken]."""
    md5 = base64.b64encode(hashlib.md5(base64.b64decode(token)).digest()).decode()
    return {
        "x-amz-server-side-encryption-customer-algorithm": "AES256",
        "x-amz-server-side-encryption-customer-key": token,
        "x-amz-server-side-encryption-customer-key-MD5": md5,
    }


@pytest.fixture
def shop(cp):
    cp.create_domain("shop")
    return "shop"


def create(client, fields=None, unique_key="email", **extra) -> str:
    out = client.create_upload_job(
        DomainName="shop",
        DisplayName="customers.csv",
        Fields=fields or FIELDS,
        UniqueKey=unique_key,
        **extra,
    )
    return str(out["JobId"])


def upload(client, job_id: str, data: str | bytes) -> requests.Response:
    """The documented workflow: the path, then a PUT of the file with the SSE-C headers."""
    path = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    return requests.put(path["Url"], data=data, headers=sse_headers(path["ClientToken"]), timeout=5)


def run(client, data: str | bytes, fields=None, unique_key="email") -> dict[str, Any]:
    job_id = create(client, fields, unique_key)
    assert upload(client, job_id, data).status_code == 200
    client.start_upload_job(DomainName="shop", JobId=job_id)
    return dict(client.get_upload_job(DomainName="shop", JobId=job_id))


def by_email(cp, email: str) -> list[dict[str, Any]]:
    return [p for p in cp.profiles("shop") if p.get("EmailAddress") == email]


def summary(created: int, updated: int, failed: int) -> dict[str, int]:
    return {"CreatedRecords": created, "UpdatedRecords": updated, "FailedRecords": failed}


# -- CreateUploadJob and GetUploadJob ---------------------------------------------------


def test_create_upload_job_answers_a_job_id_and_the_job_is_created(client, shop):
    # [MODEL] JobId matches [a-f0-9]{32}; CREATED: "created, but has not started
    # processing yet"; DataExpiry default "2 weeks"; [INF] ResultsSummary starts at zero
    job_id = create(client)
    assert re.fullmatch("[a-f0-9]{32}", job_id)
    job = client.get_upload_job(DomainName="shop", JobId=job_id)
    assert (job["JobId"], job["DisplayName"], job["Status"]) == (
        job_id,
        "customers.csv",
        "CREATED",
    )
    assert (job["Fields"], job["UniqueKey"], job["DataExpiry"]) == (FIELDS, "email", 14)
    assert job["ResultsSummary"] == summary(0, 0, 0)
    assert isinstance(job["CreatedAt"], datetime.datetime)
    assert "CompletedAt" not in job
    assert "StatusReason" not in job


def test_create_upload_job_keeps_the_data_expiry_given(client, shop):
    # [MODEL] DataExpiry 1..1098 days
    job_id = create(client, DataExpiry=30)
    assert client.get_upload_job(DomainName="shop", JobId=job_id)["DataExpiry"] == 30


def test_create_upload_job_with_a_target_outside_the_profile_is_bad_request(client, shop):
    # [MODEL] Target "_profile.<field>"; [INF] anything else is a 400
    fields = {"email": {"Target": "_order.Email"}}
    with pytest.raises(ClientError) as excinfo:
        create(client, fields)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "Fields.email: Target '_order.Email' is not a field of the standard profile "
        "(_profile.FIELD, _profile.Address.City or _profile.Attributes.KEY)",
    )


def test_create_upload_job_with_an_unmapped_unique_key_is_bad_request(client, shop):
    # [MODEL] UniqueKey: "the unique key columns"; [INF] they must be mapped columns
    with pytest.raises(ClientError) as excinfo:
        create(client, unique_key="phone")
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        "UniqueKey phone: column 'phone' is not one of the Fields",
    )
    assert client.list_upload_jobs(DomainName="shop")["Items"] == []


def test_create_upload_job_in_a_missing_domain_is_not_found(client, cp):
    # [MODEL] "Domain should be exists for the upload job to be created"
    with pytest.raises(ClientError) as excinfo:
        client.create_upload_job(
            DomainName="nope", DisplayName="x", Fields=FIELDS, UniqueKey="email"
        )
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, "Domain nope does not exist")


def test_get_upload_job_of_an_unknown_id_is_not_found(client, shop):
    # [OSS CFN-RP pattern; INF for upload jobs] a missing child resource is a 404
    with pytest.raises(ClientError) as excinfo:
        client.get_upload_job(DomainName="shop", JobId="0" * 32)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        f"Upload job {'0' * 32} does not exist",
    )


# -- GetUploadJobPath and the upload ----------------------------------------------------


def test_get_upload_job_path_answers_a_presigned_url_a_token_and_its_expiry(client, shop):
    # [MODEL] Url (pre-signed S3 URL), ClientToken (the SSE-C key), ValidUntil; [INF] an
    # hour, the same token at every call
    job_id = create(client)
    before = datetime.datetime.now(datetime.timezone.utc)
    path = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    assert path["Url"].startswith(
        f"https://cpm-upload-jobs.s3.{REGION}.amazonaws.com/{ACCOUNT_ID}/{REGION}/shop/{job_id}"
        "?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
    )
    assert "X-Amz-Expires=3600" in path["Url"]
    assert len(base64.b64decode(path["ClientToken"])) == 32
    valid_for = path["ValidUntil"] - before
    assert datetime.timedelta(minutes=59) < valid_for <= datetime.timedelta(hours=1, seconds=5)
    again = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    assert again["ClientToken"] == path["ClientToken"]


def test_put_to_the_upload_url_is_answered_in_process(client, shop):
    # [MODEL GetUploadJobPath] the CSV is PUT to the pre-signed URL with the SSE-C headers;
    # [DOC S3] the answer carries the object's ETag
    job_id = create(client)
    answer = upload(client, job_id, CSV)
    assert answer.status_code == 200
    assert answer.headers["ETag"] == f'"{hashlib.md5(CSV.encode()).hexdigest()}"'


def test_put_without_the_sse_headers_is_refused_as_s3_would(client, shop):
    # [MODEL ClientToken] the headers are required; [INF] S3's 403 SignatureDoesNotMatch
    job_id = create(client)
    url = client.get_upload_job_path(DomainName="shop", JobId=job_id)["Url"]
    answer = requests.put(url, data=CSV, timeout=5)
    assert answer.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in answer.text
    client.start_upload_job(DomainName="shop", JobId=job_id)
    job = client.get_upload_job(DomainName="shop", JobId=job_id)
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "VALIDATION_FAILURE")


def test_put_with_a_wrong_key_md5_is_invalid_argument(client, shop):
    # [DOC S3 SSE-C] the MD5 header must be the key's; [INF] S3's 400 InvalidArgument
    job_id = create(client)
    path = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    headers = {**sse_headers(path["ClientToken"])}
    headers["x-amz-server-side-encryption-customer-key-MD5"] = base64.b64encode(b"0" * 16).decode()
    answer = requests.put(path["Url"], data=CSV, headers=headers, timeout=5)
    assert answer.status_code == 400
    assert "<Code>InvalidArgument</Code>" in answer.text
    assert (
        "The calculated MD5 hash of the key did not match the hash that was provided."
        in answer.text
    )


def test_get_on_the_upload_url_is_method_not_allowed(client, shop):
    # [INF] the URL is pre-signed for a PUT
    job_id = create(client)
    url = client.get_upload_job_path(DomainName="shop", JobId=job_id)["Url"]
    answer = requests.get(url, timeout=5)
    assert answer.status_code == 405
    assert "<Code>MethodNotAllowed</Code>" in answer.text


def test_upload_url_and_path_are_refused_once_the_job_started(client, shop):
    # [INF] GetUploadJobPath only while CREATED; the URL then refuses a file
    job_id = create(client)
    path = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    assert upload(client, job_id, CSV).status_code == 200
    client.start_upload_job(DomainName="shop", JobId=job_id)
    late = requests.put(path["Url"], data=CSV, headers=sse_headers(path["ClientToken"]), timeout=5)
    assert late.status_code == 403
    assert "<Code>AccessDenied</Code>" in late.text
    with pytest.raises(ClientError) as excinfo:
        client.get_upload_job_path(DomainName="shop", JobId=job_id)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Upload job {job_id} is SUCCEEDED: it cannot be given an upload path",
    )


def test_the_upload_url_of_a_missing_job_is_no_such_key(client, shop):
    # [INF] S3's 404 for a key that is not there
    job_id = create(client)
    url = client.get_upload_job_path(DomainName="shop", JobId=job_id)["Url"]
    answer = requests.put(url.replace(job_id, "f" * 32), data=CSV, timeout=5)
    assert answer.status_code == 404
    assert "<Code>NoSuchKey</Code>" in answer.text


# -- StartUploadJob: ingestion -----------------------------------------------------------


def test_start_upload_job_ingests_each_row_into_a_new_profile(client, cp, shop):
    # [MODEL] Fields: CSV column -> Target _profile.<field>; [DOC third-party changelog]
    # "creates/updates corresponding profiles"; [INF] an empty cell sets nothing
    job = run(client, CSV)
    assert (job["Status"], job["ResultsSummary"]) == ("SUCCEEDED", summary(2, 0, 0))
    assert isinstance(job["CompletedAt"], datetime.datetime)
    [ann] = by_email(cp, "ann@example.com")
    assert (ann["FirstName"], ann["Address"], ann["Attributes"]) == (
        "Ann",
        {"City": "Paris"},
        {"tier": "gold"},
    )
    [bob] = by_email(cp, "bob@example.com")
    assert set(bob) == {"ProfileId", "EmailAddress", "FirstName"}
    found = client.search_profiles(DomainName="shop", KeyName="_email", Values=["ann@example.com"])
    assert [p["ProfileId"] for p in found["Items"]] == [ann["ProfileId"]]


def test_the_unique_key_updates_an_existing_profile(client, cp, shop):
    # [MODEL] UniqueKey: the columns used to map data to an existing profile (update vs
    # create); [INF] compared after the column's ContentType normalisation (EMAIL_ADDRESS
    # ignores case), UpdateProfile's rules (Address merged per member)
    ann_id = cp.create_profile(
        "shop", EmailAddress="Ann@Example.com", LastName="Lee", Address={"Country": "FR"}
    )
    job = run(client, CSV)
    assert (job["Status"], job["ResultsSummary"]) == ("SUCCEEDED", summary(1, 1, 0))
    ann = next(p for p in cp.profiles("shop") if p["ProfileId"] == ann_id)
    assert (ann["FirstName"], ann["LastName"], ann["EmailAddress"]) == (
        "Ann",
        "Lee",
        "ann@example.com",
    )
    assert ann["Address"] == {"Country": "FR", "City": "Paris"}


def test_a_repeated_key_in_the_file_updates_the_profile_its_first_row_made(client, cp, shop):
    # [MODEL] UniqueKey de-duplicates; [INF] the later row counts as an update
    data = "email,first\nann@example.com,Ann\nANN@example.com,Annie\n"
    job = run(client, data, {"email": FIELDS["email"], "first": FIELDS["first"]})
    assert job["ResultsSummary"] == summary(1, 1, 0)
    assert [p["FirstName"] for p in cp.profiles("shop")] == ["Annie"]


def test_a_unique_key_of_several_columns_matches_on_all_of_them(client, cp, shop):
    # [MODEL] "The unique key columns"; [INF] comma-separated, all must match
    fields = {
        "first": {"Target": "_profile.FirstName"},
        "last": {"Target": "_profile.LastName"},
        "tier": {"Target": "_profile.Attributes.tier"},
    }
    cp.create_profile("shop", FirstName="Ann", LastName="Lee")
    data = "first,last,tier\nAnn,Lee,gold\nAnn,Kim,silver\n"
    job = run(client, data, fields, unique_key="first, last")
    assert job["ResultsSummary"] == summary(1, 1, 0)
    tiers = {p["LastName"]: p["Attributes"]["tier"] for p in cp.profiles("shop")}
    assert tiers == {"Lee": "gold", "Kim": "silver"}


def test_failed_rows_are_counted_and_the_job_partially_succeeds(client, cp, shop):
    # [MODEL] ResultsSummary.FailedRecords; [INF] PARTIALLY_SUCCEEDED when some rows fail:
    # an empty unique column, a wrong number of cells, a value the model refuses
    fields = {**FIELDS, "gender": {"Target": "_profile.Gender"}}
    data = (
        "email,first,city,tier,gender\n"
        "ann@example.com,Ann,Paris,gold,FEMALE\n"
        ",NoKey,,,\n"
        "bob@example.com,Bob\n"
        "cy@example.com,Cy,,,OTHER\n"
    )
    job = run(client, data, fields)
    assert (job["Status"], job["ResultsSummary"]) == ("PARTIALLY_SUCCEEDED", summary(1, 0, 3))
    assert "StatusReason" not in job
    assert [p["EmailAddress"] for p in cp.profiles("shop")] == ["ann@example.com"]


def test_a_job_whose_every_row_fails_is_failed(client, cp, shop):
    # [MODEL] FAILED, StatusReason VALIDATION_FAILURE; [INF] when no row succeeded
    job = run(client, "email,first,city,tier\n,Ann,,\n")
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "VALIDATION_FAILURE")
    assert job["ResultsSummary"] == summary(0, 0, 1)
    assert cp.profiles("shop") == []


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"email,first\n\xff\xfe,Ann\n", id="not-utf8"),
        pytest.param("first,city,tier\nAnn,Paris,gold\n", id="mapped-column-missing"),
        pytest.param("", id="no-header"),
    ],
)
def test_a_file_that_breaks_the_csv_rules_fails_the_job(client, cp, shop, data):
    # [DOC adminguide/customer-segments-imported-files] UTF-8, with headers; [INF] every
    # mapped column in the header; else FAILED VALIDATION_FAILURE, nothing written
    job = run(client, data)
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "VALIDATION_FAILURE")
    assert cp.profiles("shop") == []


def test_a_byte_order_mark_and_crlf_lines_are_read(client, cp, shop):
    # [DOC] UTF-8 encoded; [INF] a BOM and Windows line ends as spreadsheets write them
    data = "\ufeffemail,first,city,tier\r\nann@example.com,Ann,,\r\n".encode()
    job = run(client, data)
    assert job["ResultsSummary"] == summary(1, 0, 0)
    assert by_email(cp, "ann@example.com")[0]["FirstName"] == "Ann"


def test_start_without_a_file_fails_the_job(client, shop):
    # [INF] StartUploadJob with no uploaded file -> FAILED / VALIDATION_FAILURE
    job_id = create(client)
    assert (
        client.start_upload_job(DomainName="shop", JobId=job_id)["ResponseMetadata"][
            "HTTPStatusCode"
        ]
        == 200
    )
    job = client.get_upload_job(DomainName="shop", JobId=job_id)
    assert (job["Status"], job["StatusReason"]) == ("FAILED", "VALIDATION_FAILURE")
    assert "CompletedAt" in job


def test_start_twice_is_bad_request(client, shop):
    # [INF] Start only from CREATED
    job_id = create(client)
    client.start_upload_job(DomainName="shop", JobId=job_id)
    with pytest.raises(ClientError) as excinfo:
        client.start_upload_job(DomainName="shop", JobId=job_id)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Upload job {job_id} is FAILED: it cannot be started",
    )


def test_start_of_an_unknown_job_is_not_found(client, shop):
    # [MODEL] StartUploadJob's JobId is any [a-zA-Z0-9_-]+ (not the uuid pattern); [INF] 404
    with pytest.raises(ClientError) as excinfo:
        client.start_upload_job(DomainName="shop", JobId="no-such-job")
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        404,
        "Upload job no-such-job does not exist",
    )


def test_ingestion_tells_the_change_feed_created_and_updated(client, cp, shop):
    # [architecture] profiles a job writes go through CreateProfile / UpdateProfile's code
    ann_id = cp.create_profile("shop", EmailAddress="ann@example.com")
    region = cp._state().store.region(ACCOUNT_ID, REGION)
    seen = region.domains.get("shop").part(CHANGES).seen
    seen.clear()
    run(client, CSV)
    actions = [(c.action, c.object_type) for c in seen]
    assert actions == [("UPDATED", "_profile"), ("CREATED", "_profile")]
    assert seen[0].profile_id == ann_id
    assert seen[1].content["EmailAddress"] == "bob@example.com"


# -- statuses on the job schedule, StopUploadJob ----------------------------------------


def test_statuses_move_one_job_step_after_start():
    # [MODEL] CREATED -> IN_PROGRESS -> SUCCEEDED; [INF] one job step in progress
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        job_id = create(client)
        cp.upload_job_file("shop", job_id, CSV)
        assert client.get_upload_job(DomainName="shop", JobId=job_id)["Status"] == "CREATED"
        client.start_upload_job(DomainName="shop", JobId=job_id)
        job = client.get_upload_job(DomainName="shop", JobId=job_id)
        assert (job["Status"], "CompletedAt" in job) == ("IN_PROGRESS", False)
        assert cp.profiles("shop") == []
        clock.advance(60)
        job = client.get_upload_job(DomainName="shop", JobId=job_id)
        assert (job["Status"], job["ResultsSummary"]) == ("SUCCEEDED", summary(2, 0, 0))


def test_stop_during_the_job_writes_nothing():
    # [MODEL] STOPPED: "manually stopped or terminated before completion"; [INF] no row
    # is ingested after it, CompletedAt set
    clock = VirtualClock()
    with mock_customer_profiles(clock=clock, job_seconds=60) as cp:
        cp.create_domain("shop")
        client = boto3.client("customer-profiles", region_name=REGION)
        job_id = create(client)
        cp.upload_job_file("shop", job_id, CSV)
        client.start_upload_job(DomainName="shop", JobId=job_id)
        out = client.stop_upload_job(DomainName="shop", JobId=job_id)
        assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
        cp.settle()
        job = client.get_upload_job(DomainName="shop", JobId=job_id)
        assert (job["Status"], "CompletedAt" in job) == ("STOPPED", True)
        assert job["ResultsSummary"] == summary(0, 0, 0)
        assert cp.profiles("shop") == []


def test_stop_a_created_job_and_then_it_cannot_start(client, shop):
    # [MODEL] StopUploadJob -> STOPPED; [INF] Start only from CREATED
    job_id = create(client)
    client.stop_upload_job(DomainName="shop", JobId=job_id)
    assert client.get_upload_job(DomainName="shop", JobId=job_id)["Status"] == "STOPPED"
    with pytest.raises(ClientError) as excinfo:
        client.start_upload_job(DomainName="shop", JobId=job_id)
    assert error_of(excinfo)[2] == f"Upload job {job_id} is STOPPED: it cannot be started"


def test_stop_a_finished_job_is_bad_request(client, shop):
    # [INF] Stop only from CREATED or IN_PROGRESS
    job_id = run(client, CSV)["JobId"]
    with pytest.raises(ClientError) as excinfo:
        client.stop_upload_job(DomainName="shop", JobId=job_id)
    assert error_of(excinfo) == (
        "BadRequestException",
        400,
        f"Upload job {job_id} is SUCCEEDED: it cannot be stopped",
    )


# -- ListUploadJobs ---------------------------------------------------------------------


def test_list_upload_jobs_shows_each_job_in_creation_order_without_its_mapping(client, shop):
    # [MODEL] the item shape has no Fields, UniqueKey or ResultsSummary; [INF] creation
    # order
    first = create(client)
    second = run(client, CSV)["JobId"]
    items = client.list_upload_jobs(DomainName="shop")["Items"]
    assert [i["JobId"] for i in items] == [first, second]
    assert set(items[0]) == {"JobId", "DisplayName", "Status", "CreatedAt", "DataExpiry"}
    assert set(items[1]) == {
        "JobId",
        "DisplayName",
        "Status",
        "CreatedAt",
        "CompletedAt",
        "DataExpiry",
    }


def test_list_upload_jobs_pages_with_the_paginator(client, shop):
    # [MODEL] ListUploadJobs has a botocore paginator; MaxResults 1..500
    ids = [create(client) for _ in range(3)]
    pages = client.get_paginator("list_upload_jobs").paginate(
        DomainName="shop", PaginationConfig={"PageSize": 2}
    )
    assert [[i["JobId"] for i in page["Items"]] for page in pages] == [ids[:2], ids[2:]]


# -- the handle, the server, snapshots --------------------------------------------------


def test_upload_job_file_puts_the_file_without_the_url(client, cp, shop):
    # [INF reference 11] the handle's way to put the file; Start ingests it
    job_id = create(client)
    cp.upload_job_file("shop", job_id, CSV)
    client.start_upload_job(DomainName="shop", JobId=job_id)
    assert client.get_upload_job(DomainName="shop", JobId=job_id)["Status"] == "SUCCEEDED"
    assert len(cp.profiles("shop")) == 2


def test_upload_job_file_of_a_missing_or_started_job_is_refused(client, cp, shop):
    # the handle refuses what the URL would refuse
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.upload_job_file("shop", "nope", CSV)
    assert str(excinfo.value) == (
        "upload_job_file(): domain 'shop' has no upload job 'nope'. Create it first with "
        "CreateUploadJob (cp.seed('CreateUploadJob', ...))."
    )
    job_id = create(client)
    client.stop_upload_job(DomainName="shop", JobId=job_id)
    with pytest.raises(InvalidArgumentError) as excinfo:
        cp.upload_job_file("shop", job_id, CSV)
    assert str(excinfo.value) == (
        f"upload_job_file(): upload job '{job_id}' is STOPPED: only a CREATED job takes a file"
    )


def test_the_server_answers_the_upload_url_it_hands_out(customer_profiles_server):
    # [MODEL] the documented workflow, through this package's server: the URL is
    # path-style on the server's own host [INF]
    server = customer_profiles_server
    server.create_domain("shop")
    client = boto3.client(
        "customer-profiles",
        region_name=REGION,
        endpoint_url=server.endpoint_url,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
    )
    job_id = create(client)
    path = client.get_upload_job_path(DomainName="shop", JobId=job_id)
    assert path["Url"].startswith(
        f"{server.endpoint_url}/cpm-upload-jobs/{ACCOUNT_ID}/{REGION}/shop/{job_id}?"
    )
    put = requests.put(path["Url"], data=CSV, headers=sse_headers(path["ClientToken"]), timeout=5)
    assert put.status_code == 200
    client.start_upload_job(DomainName="shop", JobId=job_id)
    job = client.get_upload_job(DomainName="shop", JobId=job_id)
    assert (job["Status"], job["ResultsSummary"]) == ("SUCCEEDED", summary(2, 0, 0))
    second = create(client)
    server.upload_job_file("shop", second, "email,first,city,tier\nann@example.com,Annie,,\n")
    client.start_upload_job(DomainName="shop", JobId=second)
    assert client.get_upload_job(DomainName="shop", JobId=second)["ResultsSummary"] == summary(
        0, 1, 0
    )


def test_restore_brings_back_a_job_and_its_file(client, cp, shop):
    # [architecture] snapshots freeze every part, the jobs' table with them
    job_id = create(client)
    cp.upload_job_file("shop", job_id, CSV)
    snapshot = cp.snapshot()
    client.start_upload_job(DomainName="shop", JobId=job_id)
    assert len(cp.profiles("shop")) == 2
    cp.restore(snapshot)
    assert client.get_upload_job(DomainName="shop", JobId=job_id)["Status"] == "CREATED"
    assert cp.profiles("shop") == []
    client.start_upload_job(DomainName="shop", JobId=job_id)
    assert client.get_upload_job(DomainName="shop", JobId=job_id)["Status"] == "SUCCEEDED"


def test_an_upload_job_takes_no_tags(client, shop):
    # [MODEL] upload jobs have no Tags member; [INF] TagResource does not reach them
    job_id = create(client)
    arn = f"arn:aws:profile:{REGION}:{ACCOUNT_ID}:domains/shop/upload-jobs/{job_id}"
    with pytest.raises(ClientError) as excinfo:
        client.tag_resource(resourceArn=arn, tags={"team": "crm"})
    assert error_of(excinfo) == ("ResourceNotFoundException", 404, f"Resource {arn} does not exist")
