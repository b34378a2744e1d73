"""customer_profiles_mock: an in-process, model-driven test double for AWS Customer Profiles."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._calls import Call
from ._clock import RealClock, VirtualClock
from ._hook import install as _install
from ._hook import patch_client
from ._mock import CustomerProfilesMock, mock_customer_profiles
from .exceptions import (
    AccessDeniedException,
    BadRequestException,
    CustomerProfilesMockError,
    InternalServerException,
    ResourceNotFoundException,
    ServiceError,
    ThrottlingException,
    UnsupportedOperationError,
    UnusedFaultsError,
)
from .faults import Fault

try:
    __version__ = version("customer-profiles-mock")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

_install()

__all__ = [
    "AccessDeniedException",
    "BadRequestException",
    "Call",
    "CustomerProfilesMock",
    "CustomerProfilesMockError",
    "Fault",
    "InternalServerException",
    "RealClock",
    "ResourceNotFoundException",
    "ServiceError",
    "ThrottlingException",
    "UnsupportedOperationError",
    "UnusedFaultsError",
    "VirtualClock",
    "__version__",
    "mock_customer_profiles",
    "patch_client",
]
