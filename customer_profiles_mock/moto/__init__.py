"""The moto bridge: moto's ``mock_aws`` and moto server serve customer-profiles from this package.

moto has no extension API, so this package is the one place that touches moto's
internals. Importing it imports no moto: ``install()`` (run when
``customer_profiles_mock`` is imported) registers at once when moto is already imported,
and otherwise leaves an import hook that registers when moto's ``moto.core.models`` (its
stubber, and the first user of ``backend_index``) is imported. Registration is
idempotent and steps aside, with a warning, should moto ever ship a customer-profiles
backend of its own.

What registration does:

- puts this package's URL pattern first in ``moto.backend_index.backend_url_patterns``
  (mutated in place: moto's stubber, its ``responses`` mock and its server all read it);
- makes ``moto.customerprofiles`` importable (``moto.backends.get_backend`` imports
  ``moto.<name>`` and reads ``<name>_backends``) as an alias of ``models``;
- adds this package's ``before-send`` handler to botocore's built-in handlers ahead of
  moto's stubber, so that sessions made afterwards are answered by it first (which is
  what lets aiobotocore clients be served under plain ``mock_aws``), and has moto's
  stubber pass over the requests it answered (so each attempt runs once);
- lends the service moto's accounts (access keys moto's IAM knows) and IAM checks;
- puts each event stream record into moto's Kinesis stream of its ARN, while moto serves;
- writes the files the service exports (segment snapshots) into moto's S3.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import re
import sys
import warnings
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from types import ModuleType
from typing import Any

from customer_profiles_mock import forksafe
from customer_profiles_mock.core import hooks
from customer_profiles_mock.core.accounts import access_key_of

SERVICE = "customerprofiles"  # moto's name for it: get_backend() imports moto.<SERVICE>
URL_BASE = r"https?://profile\.(.+)\.amazonaws\.com"
PATTERN = re.compile(URL_BASE)
_ALIAS = f"moto.{SERVICE}"
_INDEX = "moto.backend_index"
_MODELS = "moto.core.models"  # imports backend_index and makes moto's stubber
_lock = forksafe.lock()
_stepped_aside = False
# Whether the request being answered came through moto's own routing (its stubber's
# ``responses`` mock, its server): moto's IAM checks apply to it.
via_moto: ContextVar[bool] = ContextVar("customer_profiles_mock_via_moto", default=False)


def install() -> None:
    """Register now if moto is imported, else when it is (``moto.core.models``)."""
    hooks.set_key_account(_key_account)
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
    if _MODELS in sys.modules:
        register()


def register() -> bool:
    """Register customer-profiles with the imported moto; idempotent (and again for a
    moto imported anew). False when moto ships its own customer-profiles (then this
    package's bridge steps aside)."""
    global _stepped_aside
    with _lock:
        if _stepped_aside:
            return False
        patterns: list[tuple[str, Any]] = sys.modules[_INDEX].backend_url_patterns
        if (SERVICE, PATTERN) in patterns:
            return True
        if _moto_has_its_own(patterns):
            _stepped_aside = True
            warnings.warn(
                "moto ships its own customer-profiles backend; customer_profiles_mock "
                "does not register with moto (mock_customer_profiles still serves).",
                stacklevel=2,
            )
            return False
        patterns.insert(0, (SERVICE, PATTERN))
        _add_builtin_handler()
        _skip_answered_requests()
        hooks.set_fallback(_moto_service)
        hooks.set_authorizer(_authorize)
        hooks.set_object_writer(_write_object)
        hooks.set_stream_sink(_put_stream_record)
        return True


def _stubber() -> Any:
    """moto's botocore stubber, None when moto is not imported (or was unloaded)."""
    models = sys.modules.get(_MODELS)
    return getattr(models, "botocore_stubber", None)


def _mock_aws_active() -> bool:
    stubber = _stubber()
    return stubber is not None and bool(stubber.enabled)


def _moto_has_its_own(patterns: list[tuple[str, Any]]) -> bool:
    if any(name in (SERVICE, "customer-profiles") for name, _ in patterns):
        return True
    moto = sys.modules.get("moto")
    path = getattr(moto, "__path__", None)
    return path is not None and importlib.machinery.PathFinder.find_spec(_ALIAS, path) is not None


def _add_builtin_handler() -> None:
    """Our before-send handler among botocore's built-ins, ahead of moto's stubber."""
    import botocore.handlers

    from customer_profiles_mock.transports.botocore_hooks import on_before_send_unmocked

    handlers = botocore.handlers.BUILTIN_HANDLERS
    entry = ("before-send.customer-profiles", on_before_send_unmocked)
    if entry in handlers:
        handlers.remove(entry)  # moto imported anew: ahead of its new stubber too
    stubber = next(
        (i for i, (_, handler, *_) in enumerate(handlers) if handler is _stubber()),
        len(handlers),
    )
    handlers.insert(stubber, entry)


def _skip_answered_requests() -> None:
    """moto's stubber, a ``before-send`` handler too, passes over a request this
    package's handler answered (botocore calls every handler and keeps the first answer):
    it would execute the request a second time, and its answer would be dropped."""
    from customer_profiles_mock.transports.botocore_hooks import is_answered

    stubber = _stubber()
    process_request = stubber.process_request

    def unless_answered(request: Any) -> Any:
        return None if is_answered(request) else process_request(request)

    stubber.process_request = unless_answered


def _moto_service(url: str) -> Any:
    """The service that answers a request to ``url`` while moto's ``mock_aws`` is active
    and no handle is: only AWS's own endpoints, as moto's stubber."""
    if not _mock_aws_active() or not PATTERN.match(url):
        return None
    from customer_profiles_mock.moto import models

    return models.service


def _authorize(*args: Any) -> None:
    """moto's IAM checks, while moto serves (an active handle alone never checks)."""
    if _mock_aws_active() or via_moto.get():
        from customer_profiles_mock.moto import iam

        iam.authorize(*args)


def _write_object(account_id: str, region: str, bucket: str, key: str, body: bytes) -> str | None:
    """Put an exported file into moto's S3 while ``mock_aws`` is active (nowhere
    otherwise): None when written or not to be written, else why it failed (a bucket
    moto does not have)."""
    if not _mock_aws_active():
        return None
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    from customer_profiles_mock.wire.arns import partition

    account = s3_backends[account_id]
    try:
        backend = account[partition(region)]
    except KeyError:  # moto before 5.0.x keeps S3 under "global"
        backend = account["global"]
    try:
        backend.put_object(bucket, key, body)
    except MissingBucket:
        return f"The specified bucket does not exist: {bucket}"
    return None


def _put_stream_record(stream_arn: str, partition_key: str, data: bytes) -> str | None:
    """An event stream record into moto's Kinesis stream ``stream_arn``, while moto
    serves (``mock_aws`` or moto server); the stream's error when it does not exist."""
    if not (_mock_aws_active() or via_moto.get()):
        return None
    from customer_profiles_mock.moto import kinesis

    return kinesis.put_record(stream_arn, partition_key, data)


def _key_account(headers: Mapping[str, Any]) -> str | None:
    """The account of the access key a request was signed with, when moto's IAM (if
    imported at all) knows it."""
    if "moto.iam.models" not in sys.modules:
        return None
    key = access_key_of(headers)
    if key is None:
        return None
    from customer_profiles_mock.moto import iam

    return iam.key_account(key)


class _Finder(importlib.abc.MetaPathFinder):
    """Registers when moto's ``moto.core.models`` is imported, and makes
    ``moto.customerprofiles`` importable."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == _ALIAS and not _stepped_aside:
            return importlib.util.spec_from_loader(fullname, _AliasLoader())
        if fullname != _MODELS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _RegisteringLoader(spec.loader)
        return spec


class _AliasLoader(importlib.abc.Loader):
    """``moto.customerprofiles``: a module holding ``customerprofiles_backends``."""

    def exec_module(self, module: ModuleType) -> None:
        from customer_profiles_mock.moto import models

        module.customerprofiles_backends = models.customerprofiles_backends  # type: ignore[attr-defined]


class _RegisteringLoader(importlib.abc.Loader):
    """moto's own loader for ``moto.core.models``, registering once it is loaded."""

    def __init__(self, real: importlib.abc.Loader) -> None:
        self._real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._real.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._real.exec_module(module)
        register()
