"""Every touch of ``requests`` and ``responses``: raw HTTP calls to customer-profiles served.

Nothing here imports ``requests`` or ``responses`` until the code under test has imported
``requests``: at the start of a mock if it has, else from an import hook that waits for it.
While a mock is active:

- ``HTTPAdapter.send`` is our layer: a request to ``profile.REGION.amazonaws.com``, or to a
  bucket the mock owns (``core.operations.BUCKETS``: an upload job's pre-signed URL), goes to a
  ``responses.RequestsMock`` whose callback runs ``Service.respond`` (the same state,
  faults and call log as botocore's); any other request goes, untouched, to whatever
  ``HTTPAdapter.send`` was when the mock started (a user's outer ``responses`` mock, moto's,
  or requests' own).
- Every ``RequestsMock`` (a user's, ``responses.activate``, moto's) hands a customer-profiles
  request to ours before looking at its own registrations (``_on_request`` wrapped), so one
  started inside ours keeps answering its own URLs while the active handle answers
  customer-profiles, exactly once.
- ``RequestsMock.start`` and ``stop`` are wrapped to keep the chain whole when mocks stop out
  of order: a mock started on top of our layer and still running when ours ends is told to
  put back what was beneath ours, and a mock beneath ours that stops first leaves our layer
  on top of what it put back. Either way ``HTTPAdapter.send`` ends as it began.
"""

from __future__ import annotations

import importlib.abc
import re
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from customer_profiles_mock.core.operations import BUCKETS
from customer_profiles_mock.runtime.patching import Patches
from customer_profiles_mock.runtime.registry import runtime
from customer_profiles_mock.service import wait_out
from customer_profiles_mock.wire.http import HttpRequest

if TYPE_CHECKING:
    import responses

# The regional endpoints of every partition, http or https, any port.
PROFILE_URL = re.compile(
    r"https?://profile\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:[/?]|$)", re.IGNORECASE
)
# The buckets the mock owns (core.operations.BUCKETS: an upload job's pre-signed URL),
# virtual-hosted in any region and partition: their requests are answered like the API's.
BUCKET_URL = re.compile(
    r"https?://(?P<bucket>[a-z0-9.-]+)\.s3[.-](?:[a-z0-9-]+\.)*amazonaws\.com(?:\.cn)?(?::\d+)?"
    r"(?:[/?]|$)",
    re.IGNORECASE,
)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

_mock: responses.RequestsMock | None = None  # made once, at the first install


def install_when_imported(patches: Patches) -> None:
    """``install`` now if ``requests`` is imported, else as soon as it is (while ``patches``
    are in place): code under test may import it for the first time inside a test."""
    module = sys.modules.get("requests")
    if module is None:
        hook = _ImportHook(patches)
        sys.meta_path.insert(0, hook)
        patches.then(hook.remove)
    elif not getattr(module.__spec__, "_initializing", False):
        _install_if_available(patches)
    # else another thread is importing it right now: not waited for (it may be waiting
    # for the lock held while mocks start), so that import goes unserved until next start.


class _ImportHook(importlib.abc.MetaPathFinder):
    """Installs once the ``requests`` package has been executed."""

    def __init__(self, patches: Patches) -> None:
        self.patches: Patches | None = patches

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "requests" or self.patches is None or self not in sys.meta_path:
            return None
        for finder in sys.meta_path[sys.meta_path.index(self) + 1 :]:
            find_spec = getattr(finder, "find_spec", None)
            spec = find_spec(name, path, target) if find_spec is not None else None
            if spec is not None:
                break
        else:
            return None
        real_exec = getattr(spec.loader, "exec_module", None)
        if real_exec is None:
            return None  # a loader of another kind: imported as it would be, unserved

        def exec_module(module: types.ModuleType) -> None:
            real_exec(module)
            self.imported()

        spec.loader.exec_module = exec_module  # this one import's loader
        return spec

    def imported(self) -> None:
        with runtime.lock:  # not while the last mock stops and undoes the patches
            patches, self.patches = self.patches, None
            if patches is not None and runtime.patches is patches:
                self.remove()
                _install_if_available(patches)

    def remove(self) -> None:
        self.patches = None
        if self in sys.meta_path:
            sys.meta_path.remove(self)


def _install_if_available(patches: Patches) -> None:
    """``install`` where ``responses`` is installed (the ``requests`` extra); without it,
    customer-profiles requests are refused rather than sent to AWS."""
    try:
        import responses  # noqa: F401
    except ImportError:
        _refuse(patches)
        return
    install(patches)


NO_RESPONSES = (
    "customer_profiles_mock: a requests call to customer-profiles while a mock is active is "
    "served through 'responses', which is not installed "
    "(pip install 'customer-profiles-mock[requests]'): {method} {url}"
)


def _refuse(patches: Patches) -> None:
    import requests.adapters
    from requests.exceptions import ConnectionError

    adapter = requests.adapters.HTTPAdapter
    real_send = vars(adapter)["send"]

    def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        if _serves(request):
            message = NO_RESPONSES.format(method=request.method, url=request.url)
            raise ConnectionError(message, request=request)
        return real_send(adapter, request, *args, **kwargs)

    patches.set(adapter, "send", send)


def install(patches: Patches) -> None:
    """Serve customer-profiles requests made with ``requests`` until ``patches`` are undone."""
    import requests.adapters
    import responses

    global _mock
    if _mock is None:
        _mock = _new_mock()
    mock = _mock
    adapter: Any = requests.adapters.HTTPAdapter  # its send is replaced
    layer = _Layer(mock, vars(adapter)["send"])
    real_on_request = responses.RequestsMock._on_request
    real_start = responses.RequestsMock.start
    real_stop = responses.RequestsMock.stop

    def on_request(self: Any, adapter: Any, request: Any, **kwargs: Any) -> Any:
        if self is not mock and _serves(request):
            return real_on_request(mock, adapter, request, **kwargs)
        return real_on_request(self, adapter, request, **kwargs)

    def start(self: Any) -> None:
        real_start(self)
        if getattr(self._patcher, "temp_original", None) is layer.send:
            layer.above.append(self)

    def stop(self: Any, allow_assert: bool = True) -> None:
        on_top = vars(adapter).get("send") is layer.send
        try:
            real_stop(self, allow_assert)
        finally:
            if on_top and vars(adapter).get("send") is not layer.send:
                # A mock beneath ours stopped first and put back what was beneath it.
                layer.beneath = vars(adapter)["send"]
                adapter.send = layer.send

    patches.set(responses.RequestsMock, "_on_request", on_request)
    patches.set(responses.RequestsMock, "start", start)
    patches.set(responses.RequestsMock, "stop", stop)
    # responses.start() and responses.stop() are bound to the default mock at import.
    default = responses._default_mock
    patches.set(responses, "start", types.MethodType(start, default))
    patches.set(responses, "stop", types.MethodType(stop, default))
    # Not a plain attribute patch: ``end`` finds the layer wherever the chain now has it.
    adapter.send = layer.send
    patches.then(layer.end)


class _Layer:
    """Our ``HTTPAdapter.send`` for one stretch of activity, and what it stands on."""

    def __init__(self, mock: responses.RequestsMock, beneath: Callable[..., Any]) -> None:
        self.beneath = beneath
        self.above: list[responses.RequestsMock] = []  # started on top of this layer
        mock._real_send = beneath  # the passthrough of an unserved call (none in practice)
        on_send = mock.unbound_on_send()

        def send(adapter: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
            if _serves(request):
                return on_send(adapter, request, *args, **kwargs)
            return self.beneath(adapter, request, *args, **kwargs)

        self.send = send

    def end(self) -> None:
        """Take this layer out of ``HTTPAdapter.send``'s chain, wherever it now is."""
        import requests.adapters

        adapter: Any = requests.adapters.HTTPAdapter  # its send is replaced
        if vars(adapter).get("send") is self.send:
            adapter.send = self.beneath
        for above in self.above:
            patcher = above._patcher
            if getattr(patcher, "temp_original", None) is self.send:
                patcher.temp_original = self.beneath  # type: ignore[union-attr]
        self.above.clear()
        if _mock is not None and len(_mock.calls):  # forget what this stretch served
            _mock.calls.reset()
            for match in _mock.registered():
                match.calls.reset()


def _serves(request: Any) -> bool:
    url = request.url or ""
    if PROFILE_URL.match(url) is None:
        owned = BUCKET_URL.match(url)
        if owned is None or owned["bucket"].lower() not in BUCKETS:
            return False
    return runtime.current() is not None


def _new_mock() -> responses.RequestsMock:
    import responses

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    pattern = re.compile(PROFILE_URL.pattern + ".*", re.IGNORECASE | re.DOTALL)
    owned = re.compile(BUCKET_URL.pattern + ".*", re.IGNORECASE | re.DOTALL)
    for method in METHODS:
        mock.add(responses.CallbackResponse(method, pattern, _respond, content_type=None))
        mock.add(responses.CallbackResponse(method, owned, _respond, content_type=None))
    return mock


def _respond(request: Any) -> tuple[int, dict[str, str], bytes] | Exception:
    """The callback: the active handle's answer to a prepared ``requests`` request."""
    handle = runtime.current()
    service = handle.service if handle is not None else None
    if service is None:  # the last mock stopped as the request was being sent
        from requests.exceptions import ConnectionError

        return ConnectionError("customer_profiles_mock: no mock is active")
    url = urlsplit(request.url)
    body = request.body
    if isinstance(body, str):
        body = body.encode()
    http = HttpRequest(
        request.method, url.path, url.query, request.headers, body or b"", url.netloc
    )
    (status, out_headers, out_body), delays = service.respond(http)
    wait_out(delays)
    return status, out_headers, out_body
