"""The demo: a real boto3 client against a seeded, faulted in-process Customer Profiles."""

from __future__ import annotations

import time
from typing import Any


def _name(profile: dict[str, Any]) -> str:
    if profile.get("PartyType") == "BUSINESS":
        return str(profile.get("BusinessName", "?"))
    return " ".join(profile[p] for p in ("FirstName", "LastName") if p in profile)


DEMO_NEEDS_BOTO3 = (
    "customer-profiles-mock: the demo needs boto3. Install it with "
    "pip install 'customer-profiles-mock[demo]' (or pip install boto3)."
)


def run(print_: Any = print) -> None:
    try:
        import boto3
    except ModuleNotFoundError:
        raise SystemExit(DEMO_NEEDS_BOTO3) from None

    from customer_profiles_mock import mock_customer_profiles

    with mock_customer_profiles(region="eu-west-2", account_id="111122223333") as cp:
        print_("customer-profiles-mock demo: every call below goes through a real boto3")
        print_("client and botocore (signing, retries, parsing), answered in-process.\n")

        cp.create_domain("shop", Tags={"env": "demo"})
        ids = cp.fake_profiles("shop", 50, seed=42)
        print_(f"Seeded domain 'shop' in 111122223333/eu-west-2 with {len(ids)} fake profiles.")

        client = boto3.client("customer-profiles", region_name="eu-west-2")
        stats = client.get_domain(DomainName="shop")["Stats"]
        print_(f"get_domain: ProfileCount={stats['ProfileCount']}\n")

        unknown = "0123456789abcdef0123456789abcdef"
        wanted = [*ids[:3], unknown]
        print_(f"batch_get_profile with 3 known ids and 1 unknown ({unknown}):")
        out = client.batch_get_profile(DomainName="shop", ProfileIds=wanted)
        for profile in out["Profiles"]:
            email = profile.get("EmailAddress") or profile.get("BusinessEmailAddress", "")
            print_(f"  {profile['ProfileId']}  {_name(profile):<24} {email}")
        for error in out["Errors"]:
            print_(f"  {error['ProfileId']}  error {error['Code']}: {error['Message']}")

        email = out["Profiles"][0].get("EmailAddress")
        if email:
            found = client.search_profiles(DomainName="shop", KeyName="_email", Values=[email])
            hit = found["Items"][0]
            print_(f"\nsearch_profiles _email={email}: {_name(hit)}, {hit['FoundByItems']}")

        print_("\nNow AWS throttles the next two attempts (cp.throttle(times=2)):")
        cp.throttle("BatchGetProfile", times=2)
        started = time.perf_counter()
        out = client.batch_get_profile(DomainName="shop", ProfileIds=ids[:2])
        took = (time.perf_counter() - started) * 1000
        retries = out["ResponseMetadata"]["RetryAttempts"]
        print_(f"  botocore retried {retries} times and got {len(out['Profiles'])} profiles")
        print_(f"  in {took:.1f} ms: the back-off between retries did not sleep.")
        for call in cp.calls_for("BatchGetProfile")[-3:]:
            print_(f"  call log: {call.describe()}")

        print_("\nAnd access is denied (cp.deny): botocore does not retry a 403.")
        cp.deny("GetDomain", times=1)
        try:
            client.get_domain(DomainName="shop")
        except client.exceptions.AccessDeniedException as exc:
            print_(f"  AccessDeniedException: {exc.response['Error']['Message']}")
