"""Command line: ``python -m customer_profiles_mock demo``."""

from __future__ import annotations

import argparse

from . import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="customer-profiles-mock",
        description="In-process test double for the AWS Customer Profiles API.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run a boto3 client against a seeded, faulted mock")
    commands.add_parser(
        "moto-server",
        help="run moto's server with customer-profiles registered (moto_server's options)",
        add_help=False,
    )
    args, rest = parser.parse_known_args(argv)
    if args.command == "moto-server":
        from .moto.server import main as moto_server

        return moto_server(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    from ._demo import run

    run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
