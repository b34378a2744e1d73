"""customer_profiles_mock: an in-process, model-driven test double for AWS Customer Profiles."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from customer_profiles_mock.clock import Clock, RealClock, VirtualClock
from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.exceptions import (
    CustomerProfilesMockError,
    FaultPredicateError,
    InvalidArgumentError,
    InvalidTypeError,
    MockStateError,
    UnsupportedOperationError,
    UnusedFaultsError,
)
from customer_profiles_mock.faults import (
    DelayFault,
    ErrorFault,
    Fault,
    ItemFailureFault,
    LagFault,
    RateLimitFault,
)
from customer_profiles_mock.handle.mock import CustomerProfilesMock, mock_customer_profiles
from customer_profiles_mock.moto import install as _install_moto_bridge
from customer_profiles_mock.runtime.registry import is_active
from customer_profiles_mock.store.store import Snapshot

_install_moto_bridge()  # registers with moto when moto is (or gets) imported

try:
    __version__ = version("customer-profiles-mock")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"


def patch_client(client: object) -> object:
    """Route a client through the mock. Not needed: every client is served while a mock
    is active, whenever it was made. Kept so that code calling it keeps working."""
    return client


__all__ = [
    "Call",
    "Clock",
    "CustomerProfilesMock",
    "CustomerProfilesMockError",
    "DelayFault",
    "LagFault",
    "ErrorFault",
    "Fault",
    "FaultPredicateError",
    "InvalidArgumentError",
    "InvalidTypeError",
    "ItemFailureFault",
    "MockStateError",
    "RateLimitFault",
    "RealClock",
    "Snapshot",
    "UnsupportedOperationError",
    "UnusedFaultsError",
    "VirtualClock",
    "__version__",
    "is_active",
    "mock_customer_profiles",
    "patch_client",
]
