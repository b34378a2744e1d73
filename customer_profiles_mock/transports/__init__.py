"""Every touch of a third-party HTTP client: botocore, aiobotocore and requests."""

from __future__ import annotations

from customer_profiles_mock.runtime.patching import Patches
from customer_profiles_mock.transports import aiobotocore_hooks, botocore_hooks, requests_layer


def install_all() -> Patches:
    """Make every transport's patch, or none: a failure part-way undoes what was done."""
    patches = Patches()
    try:
        botocore_hooks.install(patches, on_aiobotocore=aiobotocore_hooks.prepare)
        aiobotocore_hooks.install_if_imported(patches)
        requests_layer.install_when_imported(patches)
    except BaseException:
        patches.undo()
        raise
    return patches
