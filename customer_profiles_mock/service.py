"""The transport-independent service: (method, path, query, headers, body) -> response.

One pipeline for every operation: route, parse, faults, validate, handler (under the
region's lock), serialize, log. It names no operation: handlers and the per-item errors
an operation answers with come from the feature modules through ``core.operations``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from customer_profiles_mock import features as _features  # noqa: F401  (registers every operation)
from customer_profiles_mock import forksafe
from customer_profiles_mock.core import accounts as _accounts
from customer_profiles_mock.core import consistency as _consistency
from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.core.hooks import hooks
from customer_profiles_mock.core.operations import BUCKETS, OPERATIONS, Context, owned_bucket
from customer_profiles_mock.core.state import State
from customer_profiles_mock.exceptions import UnsupportedOperationError
from customer_profiles_mock.faults import (
    Attempt,
    DelayFault,
    ErrorFault,
    Hit,
    ItemErrors,
    ItemFailureFault,
    LagFault,
    RateLimitFault,
    item_errors,
)
from customer_profiles_mock.wire import codec as _wire
from customer_profiles_mock.wire import http as _http
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire import routing as _routing
from customer_profiles_mock.wire import validate as _validate
from customer_profiles_mock.wire.errors import ServiceError, s3_error
from customer_profiles_mock.wire.http import HttpRequest, HttpResponse

_request_ids = forksafe.generator()


def new_request_id() -> str:
    """A random UUID in its usual text form, as AWS request ids are (cheaper than uuid4)."""
    h = f"{_request_ids.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{h[16:20]}-{h[20:]}"


class Service:
    """Answers Customer Profiles HTTP requests from a ``State``; ``account_id`` serves a
    request that names no account (``core.accounts``), ``default_region`` one that carries no
    region at all."""

    def __init__(self, state: State, account_id: str, default_region: str) -> None:
        self.state = state
        self.account_id = account_id
        self.default_region = default_region

    def account_for(self, headers: Mapping[str, Any]) -> str:
        """The account a request is in (``core.accounts``)."""
        return _accounts.account_of(headers, self.account_id)

    def handle(self, request: HttpRequest) -> HttpResponse:
        """Answer one request; latency faults sleep on their clock before returning."""
        response, delays = self.respond(request)
        wait_out(delays)
        return response

    def respond(self, request: HttpRequest) -> tuple[HttpResponse, list[DelayFault]]:
        """The answer, and the latency faults the transport must wait out before sending
        it (an async transport waits without blocking its event loop)."""
        headers = request.headers
        host = request.host or _http.header(headers, "Host") or ""
        owned = owned_bucket(host, request.path)
        if owned is not None:
            return self._bucket_answer(*owned, request, host), []
        call = _CallRecord(
            self,
            region=_http.region_of(headers, request.host) or self.default_region,
            headers=headers,
        )
        try:
            call.account_id = self.account_for(headers)
        except ServiceError as exc:
            return call.done(_wire.serialize_error(exc.code, exc.message, call.id)), []
        route = _routing.router().match(request.method, request.path)
        if route is None:
            message = f"No operation matches {request.method} {request.path[:200]}"
            error = _wire.serialize_error("UnknownOperationException", message, call.id, 404)
            return call.done(error), []
        call.operation, labels = route
        try:
            call.params = _wire.parse_request(call.operation, labels, request.query, request.body)
            authorizer = hooks.authorizer
            if authorizer is not None:
                authorizer(request, call.operation, call.params, call.account_id, call.region)
        except ServiceError as exc:
            error = _wire.serialize_error(exc.code, exc.message, call.id, exc.status)
            return call.done(error), []
        attempt = Attempt(call.operation, call.params, call.region, call.account_id)
        delay_hits, hit = self.state.faults.check(attempt)
        lags = [h.fault.seconds for h in delay_hits if isinstance(h.fault, LagFault)]
        delays = [h.fault for h in delay_hits if isinstance(h.fault, DelayFault)]
        call.delay = sum(d.seconds for d in delays)
        call.hit = hit or (delay_hits[0] if delay_hits else None)
        if hit is not None:
            fault = cast("ErrorFault | RateLimitFault", hit.fault)
            error = _wire.serialize_error(fault.code, fault.message_for(attempt), call.id)
            return call.done(error), delays
        return call.done(self._answer(attempt, call, lags, host)), delays

    def _answer(
        self, attempt: Attempt, call: _CallRecord, lags: list[float], host: str
    ) -> HttpResponse:
        """The handler's answer, with the items that item-failure faults fail; a write
        lagged (``lags``, or the activation's consistency) is seen by reads that much
        later (``core.consistency``)."""
        operation = OPERATIONS.get(attempt.operation)
        # A test's answer (cp.answer) to an operation the mock does not serve, or over one.
        answer = self.state.answers.get(attempt.operation) if self.state.answers else None
        if operation is None and answer is None:
            self.state.calls.append(call.record(None))  # the log shows the attempt too
            raise UnsupportedOperationError(attempt.operation, OPERATIONS)
        params, items = attempt.params, item_errors(attempt.operation)
        failed: dict[str, Hit] = {}
        try:
            _validate.check_input(attempt.operation, params)
            if items is not None:
                failed = self.state.faults.failed_items(attempt, items)
                params = items.without(params, failed)
            if answer is not None:  # outside the locks: it may read the handle
                try:
                    result = answer(params)
                except Exception as exc:  # a test's answer that does not fit: raised at the test
                    self.state.faults.refund(failed.values())
                    self.state.calls.append(call.record(None, raised=type(exc).__name__))
                    raise
            else:
                assert operation is not None
                state = self.state
                region = state.store.region(attempt.account_id, attempt.region)
                now = state.clock.time()
                if attempt.operation in state.lagged:
                    lags.append(state.lag_seconds)
                with region.lock:
                    region.run_due(now, state.job_seconds)
                    context = Context(region, state.templates, now, state.job_seconds, host)
                    result = _consistency.run(
                        operation, context, params, now + max(lags) if lags else None
                    )
        except ServiceError as exc:
            self.state.faults.refund(failed.values())  # the items never failed
            return _wire.serialize_error(exc.code, exc.message, call.id)
        if items is not None and failed:
            call.hit = call.hit or next(iter(failed.values()))
            result = _with_failed(result, items, attempt.params, failed)
        return _wire.serialize_response(attempt.operation, result, call.id)

    def _bucket_answer(self, name: str, key: str, request: HttpRequest, host: str) -> HttpResponse:
        """A request to one of the mock's own buckets (``core.operations.BUCKETS``): the
        key is ``ACCOUNT/REGION/REST``, and the bucket's handler answers it in that
        region, under its lock. Neither faults nor the call log see it (no operation)."""
        account_id, _, rest = key.partition("/")
        region_name, _, rest = rest.partition("/")
        if not (_model.is_account_id(account_id) and _model.is_region(region_name)):
            message = "The specified key does not exist."
            return s3_error(404, "NoSuchKey", message, new_request_id())
        state = self.state
        region = state.store.region(account_id, region_name)
        now = state.clock.time()
        with region.lock:
            region.run_due(now, state.job_seconds)
            context = Context(region, state.templates, now, state.job_seconds, host)
            return BUCKETS[name](context, request, rest)


class _CallRecord:
    """What the call log will say of one attempt, filled in as the pipeline goes."""

    def __init__(self, service: Service, *, region: str, headers: Mapping[str, Any]) -> None:
        self.service = service
        self.id = new_request_id()
        self.region = region
        self.account_id = service.account_id
        self.attempt = _http.attempt_number(headers)
        self.operation: str | None = None
        self.params: dict[str, Any] = {}
        self.hit: Hit | None = None  # the fault that answered or changed the attempt
        self.delay = 0.0

    def record(self, response: HttpResponse | None, *, raised: str | None = None) -> Call:
        """The call as logged; with no response, the error ``raised`` at the test instead
        (None: the operation is not implemented)."""
        status, headers = (response[0], response[1]) if response is not None else (None, {})
        return Call(
            operation=self.operation,
            params=self.params,
            region=self.region,
            account_id=self.account_id,
            status=status,
            error_code=headers.get("x-amzn-ErrorType", raised),
            attempt=self.attempt,
            fault=self.hit.fault if self.hit is not None else None,
            fault_triggered=self.hit.triggered if self.hit is not None else None,
            request_id=self.id,
            delay=self.delay,
        )

    def done(self, response: HttpResponse) -> HttpResponse:
        self.service.state.calls.append(self.record(response))
        return response


def unsupported_response(error: UnsupportedOperationError) -> HttpResponse:
    """How a server (this package's or moto's) answers an operation the mock does not
    implement: a JSON 501 naming it (in-process, the error is raised at the test)."""
    return _wire.serialize_error("NotImplementedException", str(error), new_request_id(), 501)


def wait_out(delays: list[DelayFault]) -> None:
    """Sleep through latency faults, each on its own clock."""
    for delay in delays:
        delay.clock.sleep(delay.seconds)


def _with_failed(
    result: dict[str, Any],
    items: ItemErrors,
    params: dict[str, Any],
    failed: Mapping[str, Hit],
) -> dict[str, Any]:
    """The answer with a failure entry for each failed item, in request order among the
    others."""
    entries = [cast(ItemFailureFault, hit.fault).entry(item) for item, hit in failed.items()]
    entries = list(result.get(items.response) or ()) + entries
    order = {item: i for i, item in enumerate(dict.fromkeys(items.ids(params)))}
    entries.sort(key=lambda e: order.get(e.get(items.id_field), len(order)))
    return {**result, items.response: entries}
