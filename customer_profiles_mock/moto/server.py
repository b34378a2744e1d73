"""``customer-profiles-mock moto-server``: moto's own server, with customer-profiles registered."""

from __future__ import annotations


def main(argv: list[str]) -> int:
    """Run ``moto_server`` with ``argv`` (its own options) after registering."""
    try:
        import moto.server
    except ImportError as exc:  # flask is not installed: moto's server extra is missing
        raise SystemExit(
            f"customer-profiles-mock moto-server needs moto's server: "
            f"pip install 'customer-profiles-mock[moto-server]' ({exc})"
        ) from None
    from . import register

    register()
    moto.server.main(argv)
    return 0
