"""The handle's seeding, inspection, fault and call-log methods, written once.

``CustomerProfilesMock`` answers them in-process; ``ServerClient`` sends them to a server's
``/_cpm/`` control API, where a handle answers them. Each method's signature and
docstring are here; a subclass supplies two primitives: ``_invoke`` (run a seeding or
inspection method by name) and ``_add_fault`` (register a fault by kind).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any, Generic, TypeVar

from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.faults import Predicate
from customer_profiles_mock.wire.model import check_operation_name

ErrorT = TypeVar("ErrorT")
DelayT = TypeVar("DelayT")
RateT = TypeVar("RateT")
ItemT = TypeVar("ItemT")
LagT = TypeVar("LagT")


class HandleAPI(Generic[ErrorT, DelayT, RateT, ItemT, LagT]):
    """The methods a test drives a mock with, wherever the mock runs. The type
    parameters are the fault types ``throttle``/``deny``/``inject_error``, ``delay``,
    ``rate_limit``, ``fail_items``/``fail_profiles`` and ``lag`` return."""

    def _invoke(self, method: str, /, **arguments: Any) -> Any:
        """Run seeding or inspection ``method`` with these arguments (the signature's)."""
        raise NotImplementedError

    def _add_fault(self, kind: str, /, **arguments: Any) -> Any:
        """Register a fault of ``kind`` (a fault method's name) with these arguments."""
        raise NotImplementedError

    @property
    def calls(self) -> list[Call]:
        raise NotImplementedError

    @property
    def dropped_calls(self) -> int:
        """How many of the oldest calls the log dropped to stay within its size."""
        raise NotImplementedError

    def calls_for(self, operation: str) -> list[Call]:
        """The recorded attempts of one operation."""
        check_operation_name(operation)
        return [c for c in self.calls if c.operation == operation]

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
        result: dict[str, Any] = self._invoke(
            "seed", operation=operation, region=region, account_id=account_id, **params
        )
        return result

    def create_domain(
        self, name: str, *, region: str | None = None, account_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Create a domain from CreateDomain's fields (``DefaultExpirationDays`` defaults
        to 366); returns it as CreateDomain answers it."""
        result: dict[str, Any] = self._invoke(
            "create_domain", name=name, region=region, account_id=account_id, **fields
        )
        return result

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
        result: str = self._invoke(
            "create_profile", domain=domain, region=region, account_id=account_id, **fields
        )
        return result

    def create_profiles(
        self,
        domain: str,
        profiles: Iterable[Mapping[str, Any]],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[str]:
        """Create many profiles at once (all or none); returns their ProfileIds in order."""
        result: list[str] = self._invoke(
            "create_profiles",
            domain=domain,
            profiles=profiles,
            region=region,
            account_id=account_id,
        )
        return result

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
        result: list[str] = self._invoke(
            "fake_profiles",
            domain=domain,
            count=count,
            seed=seed,
            locale=locale,
            business_ratio=business_ratio,
            region=region,
            account_id=account_id,
        )
        return result

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
        self._invoke(
            "update_profile",
            domain=domain,
            profile_id=profile_id,
            region=region,
            account_id=account_id,
            **fields,
        )

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
        self._invoke(
            "add_profile_key",
            domain=domain,
            profile_id=profile_id,
            key=key,
            values=values,
            region=region,
            account_id=account_id,
        )

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
        result: str = self._invoke(
            "put_object",
            domain=domain,
            object_type=object_type,
            obj=obj,
            region=region,
            account_id=account_id,
        )
        return result

    def objects(
        self,
        domain: str,
        profile_id: str | None = None,
        object_type: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """The stored objects, oldest first, with their profile, the object parsed
        (``Object``, a dict) and its JSON text as it was put (``ObjectText``):
        ``[{"ObjectTypeName", "ProfileObjectUniqueKey", "ProfileId", "Object",
        "ObjectText"}]``."""
        result: list[dict[str, Any]] = self._invoke(
            "objects",
            domain=domain,
            profile_id=profile_id,
            object_type=object_type,
            region=region,
            account_id=account_id,
        )
        return result

    def dead_letters(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The objects ingestion could not attach to a profile and had no leave to create
        one for (AWS sends them to the domain's dead-letter queue), oldest first, in the
        shape of ``objects()``: ``[{"ObjectTypeName", "Object", "ObjectText", "Reason"}]``."""
        result: list[dict[str, Any]] = self._invoke(
            "dead_letters", domain=domain, region=region, account_id=account_id
        )
        return result

    def trigger_events(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """What the domain's event triggers fired, oldest first: one entry per trigger that
        an ingested object (PutProfileObject, BatchPutProfileObject) satisfied within its
        limits, ``[{"EventTriggerName", "ProfileId", "ObjectTypeName", "Object" (the
        object, a dict), "Uris" (the integrations whose EventTriggerNames name the trigger:
        its destinations), "FiredAt" (epoch seconds)}]``."""
        result: list[dict[str, Any]] = self._invoke(
            "trigger_events", domain=domain, region=region, account_id=account_id
        )
        return result

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
        result: dict[str, list[str]] = self._invoke(
            "profile_keys",
            domain=domain,
            profile_id=profile_id,
            region=region,
            account_id=account_id,
        )
        return result

    def profiles(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The stored profiles of ``domain``, in creation order, as the API returns them."""
        result: list[dict[str, Any]] = self._invoke(
            "profiles", domain=domain, region=region, account_id=account_id
        )
        return result

    def domains(self, *, region: str | None = None, account_id: str | None = None) -> list[str]:
        """The names of the domains, in creation order."""
        result: list[str] = self._invoke("domains", region=region, account_id=account_id)
        return result

    def tags(self, arn: str) -> dict[str, str]:
        """The tags of the resource (a domain, an object type) ``arn`` names, looked up in
        the account and region it names, as ListTagsForResource answers them."""
        result: dict[str, str] = self._invoke("tags", arn=arn)
        return result

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
        result: dict[str, Any] = self._invoke(
            "put_object_type",
            domain=domain,
            name=name,
            region=region,
            account_id=account_id,
            **fields,
        )
        return result

    def object_types(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[str]:
        """The names of ``domain``'s object types, sorted."""
        result: list[str] = self._invoke(
            "object_types", domain=domain, region=region, account_id=account_id
        )
        return result

    def set_event_stream_state(
        self,
        domain: str,
        name: str,
        *,
        state: str | None = None,
        destination_status: str | None = None,
        message: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        """Set event stream ``name``'s health as AWS would report it: ``state`` RUNNING or
        STOPPED (``StoppedSince`` now), ``destination_status`` HEALTHY or UNHEALTHY
        (``UnhealthySince`` now), and the destination's ``message`` (None drops it); an
        argument left None keeps its value. Returns the stream as GetEventStream answers."""
        result: dict[str, Any] = self._invoke(
            "set_event_stream_state",
            domain=domain,
            name=name,
            state=state,
            destination_status=destination_status,
            message=message,
            region=region,
            account_id=account_id,
        )
        return result

    def stream_records(
        self, domain: str, *, region: str | None = None, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The records ``domain``'s event stream published, oldest first, each as the JSON
        object put into the Kinesis data stream (``SchemaVersion``, ``EventId``,
        ``EventTimestamp``, ``EventType``, ``DomainName``, ``ObjectTypeName``, ``Object``,
        ...): one for every change made while the stream was RUNNING."""
        result: list[dict[str, Any]] = self._invoke(
            "stream_records", domain=domain, region=region, account_id=account_id
        )
        return result

    def set_performed_by(
        self,
        domain: str,
        principal: str | None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Who performs the changes made to ``domain``'s profiles from now on, as its
        profile history records them (``PerformedBy``, 1 to 255 characters, such as
        ``arn:aws:iam::123456789012:user/ana``); None restores the default, the account's
        root (``arn:aws:iam::ACCOUNT:root``)."""
        self._invoke(
            "set_performed_by",
            domain=domain,
            principal=principal,
            region=region,
            account_id=account_id,
        )

    def upload_job_file(
        self,
        domain: str,
        job_id: str,
        csv_text: str,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Put ``csv_text`` as upload job ``job_id``'s file, as a PUT to its pre-signed URL
        (GetUploadJobPath) would, without the URL or the SSE-C headers; the job must still
        be CREATED. StartUploadJob then ingests it."""
        self._invoke(
            "upload_job_file",
            domain=domain,
            job_id=job_id,
            csv_text=csv_text,
            region=region,
            account_id=account_id,
        )

    def seed_recommendations(
        self,
        domain: str,
        recommender: str,
        items: list[Mapping[str, Any]],
        *,
        profile_id: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Seed what ``recommender`` recommends (GetProfileRecommendations and
        SearchRecommendations): ``items`` are catalog items, each a ``CatalogItem``'s
        members (``Id`` required) with its ``Score`` (0 to 1), for ``profile_id``, or, when
        None, for every profile of the domain that has none of its own. They replace what
        was seeded there before; ``[]`` makes the answer empty. Deleting the recommender or
        the profile drops them."""
        self._invoke(
            "seed_recommendations",
            domain=domain,
            recommender=recommender,
            items=items,
            profile_id=profile_id,
            region=region,
            account_id=account_id,
        )

    def settle(self) -> None:
        """Run every asynchronous resource (jobs, estimates, trainings...) to its end
        now, whatever the clock says: the next read sees each in its final state."""
        self._invoke("settle")

    def run_identity_resolution_job(
        self,
        domain: str,
        *,
        status: str = "COMPLETED",
        message: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        """Run an identity resolution job in ``domain`` now, as AWS runs one a week when
        ``Matching`` is enabled: PENDING, PREPROCESSING, FIND_MATCHING (it matches the
        stored profiles on names, emails, phones, addresses and birth date), MERGING
        (only with ``Matching.AutoMerging``, which it applies), then COMPLETED with its
        JobStats; GetMatches then answers its groups. Each step takes the handle's
        ``job_seconds`` on its clock (default 0: the job has ended when this returns).
        ``status`` ends it PARTIAL_SUCCESS (matched and merged too) or FAILED (nothing
        matched), or leaves it in a running status (PENDING, PREPROCESSING,
        FIND_MATCHING, MERGING: no end, no stats); ``message`` is its Message. Returns
        the job as GetIdentityResolutionJob answers."""
        result: dict[str, Any] = self._invoke(
            "run_identity_resolution_job",
            domain=domain,
            status=status,
            message=message,
            region=region,
            account_id=account_id,
        )
        return result

    def seed_matches(
        self,
        domain: str,
        groups: Iterable[Iterable[str]],
        *,
        confidence: float = 1.0,
        region: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        """Record a COMPLETED identity resolution job whose match groups are ``groups``
        (each two or more ProfileIds), each with ConfidenceScore ``confidence``, and no
        merge: GetMatches and GetSimilarProfiles (ML_BASED_MATCHING) answer them. Needs
        ``Matching`` enabled on the domain. The ids need not be stored profiles (a job's
        results keep profiles deleted since, as AWS's do). Returns the job as
        GetIdentityResolutionJob answers."""
        result: dict[str, Any] = self._invoke(
            "seed_matches",
            domain=domain,
            groups=[list(group) for group in groups],
            confidence=confidence,
            region=region,
            account_id=account_id,
        )
        return result

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
        result: dict[str, Any] = self._invoke(
            "register_template",
            template_id=template_id,
            SourceName=SourceName,
            SourceObject=SourceObject,
            Fields=Fields,
            Keys=Keys,
            AllowProfileCreation=AllowProfileCreation,
            SourceLastUpdatedTimestampFormat=SourceLastUpdatedTimestampFormat,
        )
        return result

    def seed_segment_members(
        self,
        domain: str,
        name: str,
        profile_ids: list[str],
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> None:
        """Make ``profile_ids`` the members of SQL segment ``name`` (a definition made
        with ``SegmentSqlQuery``), as the mock cannot run its Spark SQL: membership,
        estimates of the same query, snapshots and subscriptions read them. Ids the
        domain lacks are kept but never reported as members."""
        self._invoke(
            "seed_segment_members",
            domain=domain,
            name=name,
            profile_ids=profile_ids,
            region=region,
            account_id=account_id,
        )

    def run_segment_subscriptions(
        self,
        domain: str,
        name: str | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
    ) -> int:
        """Run the scheduled snapshot of segment subscription ``name`` (every RUNNING one
        of the domain when None) now, as AWS does every `Interval` hours: each profile
        that joined or left its segment since the last snapshot becomes a SCHEDULE
        event. Returns how many events were recorded."""
        result: int = self._invoke(
            "run_segment_subscriptions",
            domain=domain,
            name=name,
            region=region,
            account_id=account_id,
        )
        return result

    def answer(
        self,
        operation: str,
        response: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]],
        *,
        override: bool = False,
    ) -> None:
        """Answer ``operation``, one the mock does not serve (a newer botocore's), with
        ``response`` as a boto3 client would return it, or with what a function of the
        request parameters returns, for the rest of the activation. The response must fit
        the model's output shape (checked now, or at each call for a function); the call
        goes through the pipeline as any other (validated input, faults, the call log, a
        200 with a request id). A served operation is refused unless ``override=True``."""
        self._invoke("answer", operation=operation, response=response, override=override)

    # -- faults -------------------------------------------------------------------
    # ``operation`` is the API name ("BatchGetProfile"), None for every operation;
    # ``times`` counts matching HTTP attempts, None (the default) meaning until removed.
    # The scope narrows a fault: ``domain``, ``region``, ``account_id``, ``probability``
    # with ``seed`` (the same seed, the same sequence), ``after`` (let the first N
    # matches through) and ``when`` (a predicate on the request parameters; in-process
    # only: a server's client refuses it).

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
    ) -> ErrorT:
        """Answer with ``429 ThrottlingException`` (botocore retries it)."""
        fault: ErrorT = self._add_fault(
            "throttle",
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

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
    ) -> ErrorT:
        """Answer with ``403 AccessDeniedException`` (never retried)."""
        fault: ErrorT = self._add_fault(
            "deny",
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

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
    ) -> ErrorT:
        """Answer with an error the operation can answer with (AccessDenied, Throttling
        and InternalServer on every operation), with the model's HTTP status."""
        fault: ErrorT = self._add_fault(
            "inject_error",
            code=code,
            operation=operation,
            times=times,
            message=message,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

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
    ) -> DelayT:
        """Wait ``seconds`` on the mock's clock, then answer as usual."""
        fault: DelayT = self._add_fault(
            "delay",
            seconds=seconds,
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

    def lag(
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
    ) -> LagT:
        """Let the writes this matches (every write when ``operation`` is None) be seen by
        reads of their domain only ``seconds`` later on the mock's clock: the write
        answers at once and later writes see it, but a read right after it does not, as
        on AWS, where ingestion is queued and merges run as jobs. Writes become seen in
        the order they were made; ``cp.settle()`` makes every one seen now. Reads are
        not matched: ``operation`` must be a write."""
        fault: LagT = self._add_fault(
            "lag",
            seconds=seconds,
            operation=operation,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

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
    ) -> RateT:
        """Throttle attempts beyond ``per_second`` on the mock's clock (token bucket);
        ``times`` counts the attempts it throttles."""
        fault: RateT = self._add_fault(
            "rate_limit",
            operation=operation,
            per_second=per_second,
            burst=burst,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

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
    ) -> ItemT:
        """Make these ids come back in BatchGetProfile's ``Errors`` while the rest succeed
        (BatchGetProfile's spelling of ``fail_items``, with a ``domain`` it needs)."""
        fault: ItemT = self._add_fault(
            "fail_profiles",
            domain=domain,
            profile_ids=profile_ids,
            code=code,
            message=message,
            times=times,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault

    def fail_items(
        self,
        operation: str,
        ids: Collection[str],
        *,
        code: str | int | None = None,
        message: str | None = None,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> ItemT:
        """Make the items with these ids fail inside the 200 of a batch operation (any
        operation whose model answers per-item failures: BatchGetProfile's ``Errors``,
        BatchPutProfileObject's ``Failed``, ...), with ``code`` (a string or an integer, as
        the model types it; default 500) and ``message``; the other items succeed, and a
        failed item is not applied. An item is named as its failure entry names it: a
        ProfileId, a BatchPutProfileObject item's ``Id``."""
        fault: ItemT = self._add_fault(
            "fail_items",
            operation=operation,
            ids=ids,
            code=code,
            message=message,
            times=times,
            domain=domain,
            region=region,
            account_id=account_id,
            probability=probability,
            seed=seed,
            after=after,
            when=when,
        )
        return fault
