"""``customer-profiles-mock moto-server``: moto's own server, with customer-profiles registered."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    """Run ``moto_server`` with ``argv`` (its own options) after registering."""
    try:
        import moto.server
    except ImportError as exc:  # flask is not installed: moto's server extra is missing
        raise SystemExit(
            f"customer-profiles-mock moto-server needs moto's server: "
            f"pip install 'customer-profiles-mock[moto-server]' ({exc})"
        ) from None
    from customer_profiles_mock.moto import register

    register()
    program = sys.argv[0]
    sys.argv[0] = "customer-profiles-mock moto-server"  # moto's parser names itself by it
    try:
        moto.server.main(argv)
    finally:
        sys.argv[0] = program
    return 0
