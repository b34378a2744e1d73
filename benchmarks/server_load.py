"""The server under load: calls/s and latency percentiles of mixed calls from many threads.

    python benchmarks/server_load.py                  # 32 threads x 1,000 calls
    python benchmarks/server_load.py --threads 8 --calls 200

It starts ``customer-profiles-mock serve`` in another process (so the server and the
clients do not share a GIL), seeds a domain of 1,000 profiles through the control API,
then runs the threads, each with its own boto3 client (botocore's connection pool,
kept alive when the server allows it), each making ``--calls`` calls in a fixed mix:
BatchGetProfile of 20 ids, SearchProfiles by _profileId, CreateProfile, UpdateProfile.
Every call must succeed; the figures are the wall time of the whole run (calls/s) and
the median and 99th percentile of the calls' latencies."""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import boto3
from botocore.config import Config

from customer_profiles_mock.server.client import ServerClient

DOMAIN = "load"


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "customer_profiles_mock", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise SystemExit(f"serve did not start: {url!r}")
    return proc, url


def client(url: str) -> Any:
    return boto3.client(
        "customer-profiles",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "max_attempts": 1}),
    )


def worker(url: str, ids: list[str], calls: int, n: int, out: list[float]) -> None:
    c = client(url)
    names = itertools.count()
    for i in range(calls):
        kind = i % 4
        start = time.perf_counter()
        if kind == 0:
            c.batch_get_profile(DomainName=DOMAIN, ProfileIds=ids[i % 50 : i % 50 + 20])
        elif kind == 1:
            c.search_profiles(DomainName=DOMAIN, KeyName="_profileId", Values=[ids[i % 1000]])
        elif kind == 2:
            c.create_profile(DomainName=DOMAIN, FirstName=f"t{n}-{next(names)}")
        else:
            c.update_profile(DomainName=DOMAIN, ProfileId=ids[i % 1000], LastName=f"u{i}")
        out.append(time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    proc, url = start_server()
    try:
        control = ServerClient(url)
        control.create_domain(DOMAIN)
        ids = control.create_profiles(DOMAIN, [{"FirstName": f"p{i}"} for i in range(1000)])
        latencies: list[list[float]] = [[] for _ in range(args.threads)]
        threads = [
            threading.Thread(target=worker, args=(url, ids, args.calls, n, latencies[n]))
            for n in range(args.threads)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        every = sorted(x for lat in latencies for x in lat)
        total = len(every)
        expected = args.threads * args.calls
        if total != expected:
            raise SystemExit(f"{expected - total} calls failed")
        p99 = every[int(total * 0.99) - 1]
        print(
            f"{args.threads} threads x {args.calls} calls: {total / wall:,.0f} calls/s, "
            f"median {statistics.median(every) * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms "
            f"({wall:.1f} s; server pid {proc.pid}, {os.cpu_count()} cores)"
        )
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
