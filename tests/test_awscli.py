"""The AWS CLI (v1, from PyPI, in a venv of its own as it pins botocore) against the server."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def aws(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``aws`` command, installed once into a venv under pytest's cache (kept between
    runs) or, without the cache plugin, a temporary folder."""
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("awscli") if cache is not None else tmp_path_factory.mktemp("awscli")
    venv = folder / "venv"
    aws = venv / "bin" / "aws"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers: one installs, the others wait
        _install(venv, aws)
    return aws


def _install(venv: Path, aws: Path) -> None:
    if not aws.exists():
        try:
            subprocess.run(
                [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True
            )
            subprocess.run(
                [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "awscli"],
                check=True,
                capture_output=True,
                text=True,
                timeout=300,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            output = getattr(exc, "stderr", None) or ""
            pytest.skip(f"the AWS CLI could not be installed from PyPI: {exc} {output[-300:]}")


def run(aws: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    base.update(
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        **env,
    )
    return subprocess.run(
        [str(aws), "customer-profiles", *args, "--output", "json"],
        capture_output=True,
        text=True,
        env=base,
        timeout=120,
        check=False,
    )


def test_aws_cli_is_served_by_the_server(aws, customer_profiles_server):
    customer_profiles_server.create_domain("shop")
    url = customer_profiles_server.endpoint_url
    listed = run(aws, "list-domains", "--endpoint-url", url)
    assert listed.returncode == 0, listed.stderr
    assert [d["DomainName"] for d in json.loads(listed.stdout)["Items"]] == ["shop"]
    created = run(
        aws, "create-profile", "--domain-name", "shop", "--first-name", "Ann", "--endpoint-url", url
    )
    assert created.returncode == 0, created.stderr
    profile_id = json.loads(created.stdout)["ProfileId"]
    assert [p["ProfileId"] for p in customer_profiles_server.profiles("shop")] == [profile_id]
    # The endpoint from the environment, as the CLI v2 and the SDKs take it too.
    got = run(aws, "get-domain", "--domain-name", "shop", AWS_ENDPOINT_URL_CUSTOMER_PROFILES=url)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["DomainName"] == "shop"


def test_aws_cli_gets_the_modelled_error(aws, customer_profiles_server):
    url = customer_profiles_server.endpoint_url
    missing = run(aws, "get-domain", "--domain-name", "nope", "--endpoint-url", url)
    assert missing.returncode == 255  # the CLI v1's code for a service error
    assert missing.stderr == (
        "\nAn error occurred (ResourceNotFoundException) when calling the GetDomain "
        "operation: Domain nope does not exist\n"
    )
    customer_profiles_server.deny("ListDomains", times=1)
    denied = run(aws, "list-domains", "--endpoint-url", url)
    assert denied.returncode == 255
    assert "An error occurred (AccessDeniedException) when calling the ListDomains" in (
        denied.stderr
    )
    assert [c.status for c in customer_profiles_server.calls] == [404, 403]
