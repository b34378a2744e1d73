"""The demo runs end to end through boto3 and shows what the README promises."""

from __future__ import annotations

import subprocess
import sys

from customer_profiles_mock.__main__ import main


def test_demo_runs_and_shows_each_step(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Seeded domain 'shop' in 111122223333/eu-west-2 with 50 fake profiles." in out
    assert "get_domain: ProfileCount=50" in out
    assert "0123456789abcdef0123456789abcdef  error 404: Profile not found" in out
    assert "botocore retried 2 times and got 2 profiles" in out
    assert (
        "call log: BatchGetProfile attempt 1 (domain=shop, 2 ProfileIds) in eu-west-2, "
        "account 111122223333 -> 429 "
        "ThrottlingException [fault: ThrottlingException on BatchGetProfile (1 of 2 triggered)]"
    ) in out
    assert (
        "call log: BatchGetProfile attempt 3 (domain=shop, 2 ProfileIds) in eu-west-2, "
        "account 111122223333 -> 200" in out
    )
    assert "AccessDeniedException: User: arn:aws:iam::111122223333:user/test-user" in out


def test_demo_without_boto3_says_how_to_install_it():
    script = (
        "import sys; sys.modules['boto3'] = None\n"  # as if boto3 were not installed
        "from customer_profiles_mock.__main__ import main\n"
        "main(['demo'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "customer-profiles-mock: the demo needs boto3. Install it with "
        "pip install 'customer-profiles-mock[demo]' (or pip install boto3)."
    )
