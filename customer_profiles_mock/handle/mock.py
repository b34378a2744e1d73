"""The handle: ``mock_customer_profiles`` as decorator, context manager and start/stop object.

It activates through the runtime registry and serves through the service pipeline; its
seeding, inspection and fault methods are those of a ``Seeder`` and a ``FaultRegistrar``
it holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, TypeVar, overload

from customer_profiles_mock.clock import Clock, RealClock
from customer_profiles_mock.core.accounts import default_account_id
from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.core.state import State
from customer_profiles_mock.exceptions import (
    DEFAULT_OPT_OUT,
    InvalidTypeError,
    MockStateError,
    UnusedFaultsError,
)
from customer_profiles_mock.faults import (
    DelayFault,
    ErrorFault,
    Fault,
    FaultPlan,
    ItemFailureFault,
    Predicate,
    RateLimitFault,
)
from customer_profiles_mock.handle.decorating import decorate
from customer_profiles_mock.handle.faulting import FaultRegistrar, Scope
from customer_profiles_mock.handle.seeding import Seeder
from customer_profiles_mock.runtime.registry import Activation, runtime
from customer_profiles_mock.service import Service
from customer_profiles_mock.store.store import Snapshot, Store
from customer_profiles_mock.transports import install_all
from customer_profiles_mock.wire.model import check_account_id, check_operation_name, check_region

DEFAULT_REGION = "us-east-1"

F = TypeVar("F", bound=Callable[..., Any])


class CustomerProfilesMock:
    """Serves every botocore customer-profiles request in-process while active.

    Use it as a decorator (functions, coroutines, ``unittest.TestCase`` and plain test
    classes), as a context manager, or with ``start()`` / ``stop()``. Handles nest: the
    state is made at the outermost start and dropped at the last stop, and requests are
    served in the account of the innermost active handle.
    """

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str | None = None,
        assert_all_faults_triggered: bool = True,
        skip_retry_backoff: bool = True,
        clock: Clock | None = None,
    ) -> None:
        check_region(region)
        if account_id is None:
            account_id = default_account_id()
        check_account_id(account_id)
        if clock is not None and not (
            callable(getattr(clock, "time", None)) and callable(getattr(clock, "sleep", None))
        ):
            raise InvalidTypeError(f"clock must have time() and sleep() methods, got {clock!r}")
        self.region = region
        self.account_id = account_id
        self.assert_all_faults_triggered = assert_all_faults_triggered
        self.skip_retry_backoff = skip_retry_backoff
        self.clock: Clock = clock if clock is not None else RealClock()
        self._activation: Activation | None = None
        self.service: Service | None = None  # set while active
        self._starts = 0
        self._failed = False  # a body run inside this activation raised
        self._last_calls: list[Call] = []
        # How to turn the unused-fault check off, said in its error (the pytest plugin
        # names its marker option instead).
        self._opt_out = DEFAULT_OPT_OUT
        self._seeder = Seeder(self._state, account_id, region)
        self._faults = FaultRegistrar(self._plan, self.clock)

    def __repr__(self) -> str:
        state = f"active, {len(self.calls)} calls" if self.active else "inactive"
        return (
            f"<CustomerProfilesMock region={self.region!r} account_id={self.account_id!r} {state}>"
        )

    # -- activation ---------------------------------------------------------------

    def start(self) -> CustomerProfilesMock:
        runtime.start(self, self._prepare, install_all)
        return self

    def _prepare(self, activation: Activation) -> None:
        """Ready the handle to serve from ``activation`` (called by the runtime, under
        its lock, before any other thread can see the handle)."""
        if self._starts == 0:
            self._activation = activation
            self.service = Service(activation.state, self.account_id, self.region)
            self._faults.registered = []
            self._failed = False
        self._starts += 1

    def stop(self) -> None:
        """Deactivate; at the last stop of this handle, check for unused faults."""
        __tracebackhide__ = True
        self._stop(check_faults=True)

    def _stop(self, check_faults: bool) -> None:
        __tracebackhide__ = True
        with runtime.lock:
            activation = self._activation
            if self._starts == 0 or activation is None:
                raise MockStateError(
                    "customer_profiles_mock: stop() called without a matching start()."
                )
            last = self._starts == 1
            unused = self._faults.unused() if last else []
            if last:
                self._last_calls = activation.state.calls.snapshot()
                for fault in self._faults.registered:  # an inner handle's faults end with it
                    fault.remove(withdrawn=False)
            self._starts -= 1
            runtime.stop(self, activation)
            if last:
                self._activation = self.service = None
        # When a test body failed, that failure is the one to report.
        if unused and check_faults and not self._failed and self.assert_all_faults_triggered:
            raise UnusedFaultsError(unused, self._opt_out)

    @property
    def active(self) -> bool:
        return self._starts > 0

    @property
    def activation(self) -> Activation | None:
        """The activation this handle serves in while active (read by the runtime)."""
        return self._activation

    def __enter__(self) -> CustomerProfilesMock:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        # A generator closed early (GeneratorExit) did not fail.
        self._exit(exc_type is not None and not issubclass(exc_type, GeneratorExit))

    async def __aenter__(self) -> CustomerProfilesMock:
        return self.start()

    async def __aexit__(self, exc_type: object, *exc_info: object) -> None:
        self._exit(exc_type is not None)

    def _exit(self, raised: bool) -> None:
        # Remembered for the whole activation: with class decoration the last stop
        # (tearDown's cleanup, teardown_method) happens after the test body.
        self._failed = self._failed or raised
        self._stop(check_faults=True)

    def _mark_failed(self) -> None:
        self._failed = True

    def _state(self) -> State:
        activation = self._activation
        if activation is None:
            raise MockStateError(
                "customer_profiles_mock: the mock is not active. Seed it, register faults "
                "and read its state inside the decorated test or the 'with' block, or call "
                "start() first."
            )
        return activation.state

    def _store(self) -> Store:
        return self._state().store

    def _plan(self) -> FaultPlan:
        return self._state().faults

    # -- decoration ---------------------------------------------------------------

    @overload
    def __call__(self, target: type[Any]) -> type[Any]: ...
    @overload
    def __call__(self, target: F) -> F: ...
    def __call__(self, target: Any) -> Any:
        return decorate(self, target)

    # -- seeding and inspection -----------------------------------------------------

    def seed(
        self,
        operation: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        """Run any served operation as an API call would (``cp.seed("CreateDomainLayout",
        DomainName="shop", ...)``), with the same validation, without the call log or
        faults; returns its answer as a boto3 client would. An unknown name fails with a
        suggestion, a rejection with the service's message."""
        return self._seeder.seed(operation, region, account_id, params)

    def create_domain(
        self, name: str, *, region: str | None = None, account_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Create a domain from CreateDomain's fields (``DefaultExpirationDays`` defaults
        to 366); returns it as CreateDomain answers it."""
        return self._seeder.create_domain(name, region, account_id, fields)

    def create_profile(
        self,
        domain: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> str:
        """Create one profile from CreateProfile's fields; returns its ProfileId.
        ``ProfileId=`` may be given to choose the id (32 lowercase hex characters)."""
        return self._seeder.create_profiles(
            domain, [fields], region=region, account_id=account_id, caller="create_profile()"
        )[0]

    def create_profiles(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        """Create many profiles at once (all or none); returns their ProfileIds in order."""
        return self._seeder.create_profiles(
            domain, profiles, region=region, account_id=account_id, caller="create_profiles()"
        )

    def fake_profiles(
        self,
        domain: str,
        count: int,
        *,
        seed: int | None = None,
        locale: str = "en_US",
        business_ratio: float = 0.2,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        """Create ``count`` realistic people and businesses made with Faker. The same
        ``seed`` gives the same profiles with the same ProfileIds."""
        return self._seeder.fake_profiles(
            domain,
            count,
            seed=seed,
            locale=locale,
            business_ratio=business_ratio,
            region=region,
            account_id=account_id,
        )

    def update_profile(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> None:
        """Change a profile as UpdateProfile does: omitted fields kept, ``""`` removing
        one, addresses and Attributes merged member by member."""
        given = {"DomainName": domain, "ProfileId": profile_id}
        self._seeder.call("update_profile()", "UpdateProfile", region, account_id, given, fields)

    def add_profile_key(
        self,
        domain: str,
        profile_id: str,
        key: str,
        values: Iterable[str],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Make a profile searchable by ``key`` = each value, as AddProfileKey does."""
        given = {
            "DomainName": domain,
            "ProfileId": profile_id,
            "KeyName": key,
            "Values": list(values),
        }
        self._seeder.call("add_profile_key()", "AddProfileKey", region, account_id, given, {})

    def put_object(
        self,
        domain: str,
        object_type: str,
        obj: Mapping[str, Any] | str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> str:
        """Ingest an object (a dict, or JSON text kept verbatim) as PutProfileObject
        does; returns its ProfileObjectUniqueKey."""
        return self._seeder.put_object(domain, object_type, obj, region, account_id)

    def objects(
        self,
        domain: str,
        profile_id: str | None = None,
        object_type: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """The stored objects, oldest first, with their profile and the object parsed:
        ``[{"ObjectTypeName", "ProfileObjectUniqueKey", "ProfileId", "Object"}]``."""
        return self._seeder.objects(domain, profile_id, object_type, region, account_id)

    def dead_letters(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, str]]:
        """The objects ingestion could not attach to a profile and had no leave to create
        one for (AWS sends them to the domain's dead-letter queue), oldest first."""
        return self._seeder.dead_letters(domain, region, account_id)

    def profile_keys(
        self,
        domain: str,
        profile_id: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, list[str]]:
        """Every search key a profile is found by, with its normalised values: those its
        fields give (``_email``, ``_fullName``, ...) and those added to it."""
        return self._seeder.profile_keys(domain, profile_id, region, account_id)

    def load(self, source: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, list[str]]:
        """Seed domains and their profiles from a mapping or a JSON file (the format is
        in docs/reference/seed-format.md); returns the ProfileIds created, by domain name."""
        return self._seeder.load(source)

    def profiles(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The stored profiles of ``domain``, in creation order, as the API returns them."""
        return self._seeder.profiles(domain, region, account_id)

    def domains(self, *, region: str | None = None, account_id: str | None = None) -> list[str]:
        """The names of the domains, in creation order."""
        return self._seeder.domains(region, account_id)

    def snapshot(self) -> Snapshot:
        """The state now (every account and region), frozen: seed a large state once,
        e.g. in a module-scoped fixture, and ``restore()`` it at the start of each test."""
        return self._store().snapshot()

    def restore(self, snapshot: Snapshot) -> None:
        """Make the state exactly the snapshot's, dropping what it held; the call log and
        the faults are kept. Costs the same for ten profiles or a million."""
        if not isinstance(snapshot, Snapshot):
            raise InvalidTypeError(
                f"restore() takes a Snapshot made by cp.snapshot(), got {snapshot!r}"
            )
        self._store().restore(snapshot)

    def tags(self, arn: str) -> dict[str, str]:
        """The tags of the resource (a domain, an object type) ``arn`` names, looked up in
        the account and region it names, as ListTagsForResource answers them."""
        return self._seeder.tags(arn)

    def put_object_type(
        self,
        domain: str,
        name: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """Create or replace object type ``name`` from PutProfileObjectType's fields,
        validated exactly as the API call; returns it as PutProfileObjectType answers."""
        return self._seeder.put_object_type(domain, name, region, account_id, fields)

    def object_types(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[str]:
        """The names of ``domain``'s object types, sorted."""
        return self._seeder.object_types(domain, region, account_id)

    def register_template(
        self,
        template_id: str,
        *,
        SourceName: str,
        SourceObject: str,
        Fields: dict[str, Any],
        Keys: dict[str, Any],
        AllowProfileCreation: bool = False,
        SourceLastUpdatedTimestampFormat: str | None = None,
    ) -> dict[str, Any]:
        """Add an object-type template (or replace one) for this activation, beside the
        shipped ones: ListProfileObjectTypeTemplates lists it, PutProfileObjectType and
        ingestion use it. Returns it as GetProfileObjectTypeTemplate answers it."""
        fields = {
            "SourceName": SourceName,
            "SourceObject": SourceObject,
            "AllowProfileCreation": AllowProfileCreation,
            "SourceLastUpdatedTimestampFormat": SourceLastUpdatedTimestampFormat,
            "Fields": Fields,
            "Keys": Keys,
        }
        return self._seeder.register_template(template_id, fields)

    # -- faults -------------------------------------------------------------------
    # ``operation`` is the API name ("BatchGetProfile"), None for every operation;
    # ``times`` counts matching HTTP attempts, None (the default) meaning until removed.
    # The scope narrows a fault: ``domain``, ``region``, ``account_id``, ``probability``
    # with ``seed`` (the same seed, the same sequence), ``after`` (let the first N
    # matches through) and ``when`` (a predicate on the request parameters).

    def throttle(
        self,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> ErrorFault:
        """Answer with ``429 ThrottlingException`` (botocore retries it)."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.inject_error("ThrottlingException", operation, times, None, scope)

    def deny(
        self,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> ErrorFault:
        """Answer with ``403 AccessDeniedException`` (never retried)."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.inject_error("AccessDeniedException", operation, times, None, scope)

    def inject_error(
        self,
        code: str,
        operation: str | None = None,
        *,
        times: int | None = None,
        message: str | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> ErrorFault:
        """Answer with an error the operation can answer with (AccessDenied, Throttling
        and InternalServer on every operation), with the model's HTTP status."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.inject_error(code, operation, times, message, scope)

    def delay(
        self,
        seconds: float,
        operation: str | None = None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> DelayFault:
        """Wait ``seconds`` on the mock's clock, then answer as usual."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.delay(seconds, operation, times, scope)

    def rate_limit(
        self,
        operation: str,
        *,
        per_second: float,
        burst: int | None = None,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> RateLimitFault:
        """Throttle attempts beyond ``per_second`` on the mock's clock (token bucket);
        ``times`` counts the attempts it throttles."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.rate_limit(operation, per_second, burst, times, scope)

    def fail_profiles(
        self,
        domain: str,
        profile_ids: Collection[str],
        *,
        code: str = "500",
        message: str | None = None,
        times: int | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> ItemFailureFault:
        """Make these ids come back in BatchGetProfile's ``Errors`` while the rest succeed."""
        scope = Scope(domain, region, account_id, probability, seed, after, when)
        return self._faults.fail_profiles(profile_ids, code, message, times, scope)

    def clear_faults(self) -> None:
        """Remove every fault of this activation."""
        self._plan().clear()

    @property
    def faults(self) -> list[Fault]:
        """The faults in force, in registration order."""
        return self._plan().faults

    def unused_faults(self) -> list[Fault]:
        """Faults registered through this handle with ``times`` that never triggered
        (faults removed on purpose, by ``remove()`` or ``clear_faults()``, excepted)."""
        return self._faults.unused()

    # -- the call log ---------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        """Every HTTP attempt answered so far, in order (a snapshot). After the last
        stop, the calls of the activation that ended."""
        activation = self._activation
        if activation is None:
            return list(self._last_calls)
        return activation.state.calls.snapshot()

    def calls_for(self, operation: str) -> list[Call]:
        """The recorded attempts of one operation."""
        check_operation_name(operation)
        return [c for c in self.calls if c.operation == operation]


@overload
def mock_customer_profiles(func: F, /) -> F: ...
@overload
def mock_customer_profiles(
    func: None = None,
    /,
    *,
    region: str = ...,
    account_id: str | None = ...,
    assert_all_faults_triggered: bool = ...,
    skip_retry_backoff: bool = ...,
    clock: Clock | None = ...,
) -> CustomerProfilesMock: ...
def mock_customer_profiles(func: Any = None, /, **options: Any) -> Any:
    """Mock Customer Profiles: ``@mock_customer_profiles``, ``@mock_customer_profiles(...)``,
    ``with mock_customer_profiles() as cp:`` or ``cp = mock_customer_profiles(); cp.start()``.

    :param region: the region the handle seeds into by default, and the one a client
        with no region of its own gets (requests are routed by the calling client's own
        region). Default ``us-east-1``.
    :param account_id: the account the handle seeds into, and the one a request is served
        in unless it names another (the ``x-moto-account-id`` header, or an access key
        moto's IAM knows). Default ``MOTO_ACCOUNT_ID``, else ``123456789012``.
    :param assert_all_faults_triggered: at stop, fail with ``UnusedFaultsError`` (an
        ``AssertionError``) when a fault with ``times`` never triggered. Default True.
    :param skip_retry_backoff: botocore's back-off between retries of customer-profiles
        calls does not sleep. Default True.
    :param clock: the clock of ``delay`` and ``rate_limit`` faults; default the real one,
        ``VirtualClock()`` for one the test moves.
    """
    mock = CustomerProfilesMock(**options)
    if func is None:
        return mock
    return mock(func)
