"""``customer-profiles-mock serve``: a server in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from typing import IO

from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE
from customer_profiles_mock.exceptions import (
    CustomerProfilesMockError,
)
from customer_profiles_mock.server.client import DEFAULT_HOST
from customer_profiles_mock.server.serving import IDLE_TIMEOUT, THREADS
from customer_profiles_mock.server.threaded import CustomerProfilesServer


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    region: str | None = None,
    account_id: str | None = None,
    data: str | None = None,
    threads: int = THREADS,
    idle_timeout: int = IDLE_TIMEOUT,
    allowed_hosts: Sequence[str] = (),
    call_log_size: int = DEFAULT_CALL_LOG_SIZE,
    quiet: bool = False,
    out: IO[str] | None = None,
) -> int:
    """``customer-profiles-mock serve``: print the endpoint URL alone on the first line,
    then serve until Ctrl-C or SIGTERM; 0 when stopped so, 2 for a bad option or seed
    or an address it cannot listen on, 1 without the server extra (as ``demo`` without
    boto3)."""
    out = out if out is not None else sys.stdout
    try:
        server = CustomerProfilesServer(
            host=host,
            port=port,
            region=region,
            account_id=account_id,
            data=data,
            log_requests=not quiet,
            threads=threads,
            idle_timeout=idle_timeout,
            allowed_hosts=allowed_hosts,
            call_log_size=call_log_size,
        )
    except (CustomerProfilesMockError, OSError) as exc:  # a bad option or seed
        return _error(exc, 2)
    try:
        server.bind()
    except ImportError as exc:  # no waitress: make_server's message names the extra
        return _error(exc, 1)
    except (CustomerProfilesMockError, OSError) as exc:  # a bad host, a port in use
        return _error(exc, 2)
    print(server.endpoint_url, file=out, flush=True)

    def on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0


def _error(exc: Exception, code: int) -> int:
    print(f"customer-profiles-mock serve: {exc}", file=sys.stderr)
    return code
