"""moto's view of the state it serves: a backend per account and partition, reset by moto.

``mock_aws`` start and exit and ``POST /moto-api/reset`` reset every ``BackendDict``; the
backends here hold the ``Region`` objects the service answers from, so they reset with
the rest of moto. A backend is keyed by partition (``aws``, ``aws-cn``, ``aws-us-gov``)
and holds every region of it, so any region a client names is served.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend

from customer_profiles_mock import forksafe
from customer_profiles_mock.core.accounts import DEFAULT_ACCOUNT_ID, account_of
from customer_profiles_mock.core.calls import CallLog
from customer_profiles_mock.core.state import State
from customer_profiles_mock.service import Service
from customer_profiles_mock.store.store import Region, Store
from customer_profiles_mock.wire.arns import partition

PARTITIONS = ["aws", "aws-cn", "aws-us-gov"]


class CustomerProfilesBackend(BaseBackend):
    """One account's Customer Profiles in every region of one partition."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.regions: dict[str, Region] = {}
        self._lock = forksafe.lock()

    def reset(self) -> None:
        super().reset()
        service.state.calls = CallLog()  # the log of what moto served goes with it

    def region(self, name: str) -> Region:
        region = self.regions.get(name)
        if region is None:
            with self._lock:
                region = self.regions.setdefault(name, Region(self.account_id, name))
        return region


customerprofiles_backends = BackendDict(
    CustomerProfilesBackend,
    "customer-profiles",
    use_boto3_regions=True,  # moto reads the backend of us-east-1 for its URLs
    additional_regions=PARTITIONS,
)


class _BackendStore(Store):
    """The regions of the backends moto resets."""

    def region(self, account_id: str, name: str) -> Region:
        # Read without moto's lock when the backend exists (every request but the first).
        account = dict.get(customerprofiles_backends, account_id)
        backend = dict.get(account, partition(name)) if account is not None else None
        if backend is None:
            backend = customerprofiles_backends[account_id][partition(name)]
        found: Region = backend.region(name)
        return found


class _MotoService(Service):
    """The service as moto serves it: accounts in moto's order, ``MOTO_ACCOUNT_ID`` first."""

    def account_for(self, headers: Mapping[str, Any]) -> str:
        return os.environ.get("MOTO_ACCOUNT_ID") or account_of(headers, DEFAULT_ACCOUNT_ID)


service = _MotoService(State(_BackendStore()), DEFAULT_ACCOUNT_ID, "us-east-1")
