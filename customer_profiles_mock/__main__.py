"""Command line: ``python -m customer_profiles_mock demo``, ``... serve``, ``... moto-server``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

from customer_profiles_mock import __version__
from customer_profiles_mock.core.calls import DEFAULT_CALL_LOG_SIZE, check_call_log_size
from customer_profiles_mock.exceptions import CustomerProfilesMockError
from customer_profiles_mock.server.client import DEFAULT_HOST
from customer_profiles_mock.server.guard import allowed_hosts_of
from customer_profiles_mock.server.serving import IDLE_TIMEOUT, THREADS
from customer_profiles_mock.server.threaded import check_host, check_port, check_positive

T = TypeVar("T")


def _demo(args: argparse.Namespace) -> int:
    from customer_profiles_mock._demo import run

    run()
    return 0


def _serve(args: argparse.Namespace) -> int:
    from customer_profiles_mock.server import serve

    return serve(
        host=args.host,
        port=args.port,
        region=args.region,
        account_id=args.account_id,
        data=args.data,
        threads=args.threads,
        idle_timeout=args.idle_timeout,
        allowed_hosts=args.allow_host,
        call_log_size=args.call_log_size,
        quiet=args.quiet,
    )


def _option(read: Callable[[str], T], problem: str) -> Callable[[str], T]:
    """An argparse ``type=``: ``read`` (which applies the Python API's rule) of the
    option's text; its error restated as ``problem`` in the option's terms, which
    argparse prefixes with the option's name."""

    def parse(text: str) -> T:
        try:
            return read(text)
        except (ValueError, CustomerProfilesMockError):
            raise argparse.ArgumentTypeError(f"{problem}, got {text!r}") from None

    return parse


# Each reads an option's text by the rule the Python API applies to the value.
def _whole_number(text: str) -> int:
    return check_positive("value", int(text))


def _call_log_size(text: str) -> int:
    size = int(text)
    check_call_log_size(size)
    return size


def _port(text: str) -> int:
    return check_port(int(text))


def _allowed_host(text: str) -> str:
    allowed_hosts_of([text])
    return text


_AT_LEAST_ONE = "must be a whole number of at least 1"


def _moto_server(args: argparse.Namespace, rest: list[str]) -> int:
    from customer_profiles_mock.moto.server import main as moto_server

    return moto_server(rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="customer-profiles-mock",
        description="In-process test double for the AWS Customer Profiles API.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    # Each subcommand: its parser, and the function that runs it (args -> exit code).
    run: dict[str, Callable[[argparse.Namespace], int]] = {}

    commands.add_parser("demo", help="run a boto3 client against a seeded, faulted mock")
    run["demo"] = _demo

    serve = commands.add_parser(
        "serve",
        help="serve Customer Profiles over HTTP for any client (AWS CLI, SDKs, other processes)",
        description="Serve Customer Profiles over HTTP, with a JSON control API under /_cpm/. "
        "Prints the endpoint URL alone on the first line of standard output, then serves "
        "until Ctrl-C or SIGTERM.",
    )
    serve.add_argument(
        "--host",
        type=_option(check_host, "must be a host name or IP address to listen on, without a port"),
        default=DEFAULT_HOST,
        help="address to listen on (%(default)s)",
    )
    serve.add_argument(
        "--port",
        type=_option(_port, "must be a whole number from 0 to 65535"),
        default=0,
        help="port to listen on (0: a free one)",
    )
    serve.add_argument(
        "--region",
        default=None,
        help="region of unsigned requests and of seeding (the one boto3 reads here: "
        "AWS_DEFAULT_REGION, else the AWS config file's; else us-east-1)",
    )
    serve.add_argument(
        "--account-id", default=None, help="default account (MOTO_ACCOUNT_ID, else 123456789012)"
    )
    serve.add_argument("--data", default=None, help="a load() JSON file to seed from")
    serve.add_argument(
        "--quiet",
        action="store_true",
        help="log no requests on standard error (a parent that pipes it must read it, or "
        "the server stalls when the pipe is full)",
    )
    serve.add_argument(
        "--threads",
        type=_option(_whole_number, _AT_LEAST_ONE),
        default=THREADS,
        help="worker threads (%(default)s)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_option(_whole_number, _AT_LEAST_ONE),
        default=IDLE_TIMEOUT,
        help="seconds before an idle connection is closed (%(default)s)",
    )
    serve.add_argument(
        "--allow-host",
        type=_option(
            _allowed_host,
            "must be a host name or IP address without a port (any port is allowed), "
            "such as 'cpm.internal'",
        ),
        action="append",
        default=[],
        metavar="NAME",
        help="a host name clients address it by, besides localhost and IP addresses (e.g. "
        "a container's service name when serving on 0.0.0.0); repeatable; '*' for any",
    )
    serve.add_argument(
        "--call-log-size",
        type=_option(_call_log_size, _AT_LEAST_ONE),
        default=DEFAULT_CALL_LOG_SIZE,
        metavar="N",
        help="how many calls the call log keeps, the newest (%(default)s)",
    )
    run["serve"] = _serve

    commands.add_parser(
        "moto-server",
        help="run moto's server with customer-profiles registered (moto_server's options)",
        add_help=False,
    )
    args, rest = parser.parse_known_args(argv)
    if args.command == "moto-server":  # its options are moto_server's own
        return _moto_server(args, rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return run[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
