"""Which account a request is in, by moto's rule, for every transport.

A request names its account with the ``x-moto-account-id`` header; otherwise an access
key that moto's IAM knows (an IAM user's key, or STS ``assume_role`` credentials into
another account) puts it in that key's account; otherwise it is in the serving handle's
account (``MOTO_ACCOUNT_ID``, else 123456789012, unless the handle names one).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from customer_profiles_mock.core.hooks import hooks
from customer_profiles_mock.wire.errors import BadRequestException
from customer_profiles_mock.wire.http import header

DEFAULT_ACCOUNT_ID = "123456789012"
ACCOUNT_HEADER = "x-moto-account-id"
_ACCOUNT = re.compile(r"[0-9]{12}", re.ASCII)
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/", re.ASCII)


def default_account_id() -> str:
    """The account of a handle or server that names none: moto's ``MOTO_ACCOUNT_ID``."""
    return os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT_ID


def access_key_of(headers: Mapping[str, Any]) -> str | None:
    """The access key id a SigV4-signed request was signed with."""
    found = _CREDENTIAL.search(header(headers, "Authorization") or "")
    return found.group(1) if found else None


def account_of(headers: Mapping[str, Any], default: str) -> str:
    """The account a request is in; a malformed ``x-moto-account-id`` is a 400."""
    named = header(headers, ACCOUNT_HEADER)
    if named is not None:
        if not _ACCOUNT.fullmatch(named):
            raise BadRequestException(
                f"The {ACCOUNT_HEADER} header must be 12 digits, got {named[:40]!r}"
            )
        return named
    lookup = hooks.key_account  # the moto bridge's: moto's IAM (never imported for this)
    found = lookup(headers) if lookup is not None else None
    return found if found is not None else default
