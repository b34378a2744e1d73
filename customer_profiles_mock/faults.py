"""Fault injection: errors, latency, rate limits and partial failures, answered at the HTTP layer.

Faults are checked for every HTTP attempt after the request is parsed and before the
backend is touched, so a faulted request changes no state and botocore's own retry
handler sees the answer exactly as it would see AWS's.
"""

from __future__ import annotations

import functools
import math
import random
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from customer_profiles_mock import forksafe
from customer_profiles_mock.clock import Clock
from customer_profiles_mock.exceptions import (
    FaultPredicateError,
    InvalidArgumentError,
    InvalidTypeError,
    kind_of,
)
from customer_profiles_mock.wire import arns as _arns
from customer_profiles_mock.wire import errors as _errors
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire import validate as _validate

Predicate = Callable[[Mapping[str, Any]], bool]

# What reads are: the model names them so (rest-json GETs, and the POST reads).
READ_PREFIXES = ("Get", "List", "Search", "BatchGet", "Detect")

DEFAULT_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "InternalServerException": "Internal server error",
    "BadRequestException": "Bad request",
    "ResourceNotFoundException": "Resource not found",
}


@dataclass(frozen=True)
class Attempt:
    """One HTTP attempt, as faults see it."""

    operation: str
    params: dict[str, Any]
    region: str
    account_id: str


@dataclass(frozen=True)
class Hit:
    """A fault that answered or changed an attempt, and its trigger count at that attempt."""

    fault: Fault
    triggered: int


def _check_scope_names(domain: object, region: object, account_id: object) -> None:
    if domain is not None and not _model.is_domain_name(domain):
        raise InvalidArgumentError(
            f"domain must be a domain name (1 to 64 letters, digits, '_' and '-'), got {domain!r}"
        )
    if region is not None:
        _model.check_region(region)
    if account_id is not None:
        _model.check_account_id(account_id)


def domain_of(params: Mapping[str, Any]) -> str | None:
    """The domain a request is about: its ``DomainName``, else the domain its
    ``resourceArn`` names (the tag operations)."""
    name = params.get("DomainName")
    if name is None and isinstance(params.get("resourceArn"), str):
        parsed = _arns.parse_arn(params["resourceArn"])
        where = parsed.in_domain() if parsed is not None else None
        if where is not None:
            name = where[0]
    return name if isinstance(name, str) else None


class Fault:
    """A registered fault. ``triggered`` counts the attempts it answered or changed.

    Use ``remove()`` to withdraw it, or the fault as a context manager to keep it for
    the ``with`` block only.
    """

    kind = "fault"

    def __init__(
        self,
        operation: str | None,
        *,
        times: int | None = None,
        domain: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        probability: float | None = None,
        seed: int | None = None,
        after: int = 0,
        when: Predicate | None = None,
    ) -> None:
        self.operation = None if operation is None else _model.check_operation_name(operation)
        if times is not None and not _is_int(times, 1):
            raise InvalidArgumentError(
                f"times must be a positive integer or None (no limit), got {times!r}"
            )
        if probability is not None and not _is_number(probability, 0, 1):
            raise InvalidArgumentError(
                f"probability must be between 0 and 1, got {_shown(probability)}"
            )
        if seed is not None and probability is None:
            raise InvalidArgumentError(
                "seed only applies with a probability: pass probability=... too"
            )
        if not _is_int(after, 0):
            raise InvalidArgumentError(f"after must be a non-negative integer, got {after!r}")
        if when is not None and not callable(when):
            raise InvalidTypeError(
                f"when must be a callable taking the request parameters, got {when!r}"
            )
        _check_scope_names(domain, region, account_id)
        if domain is not None and self.operation is not None:
            members = _model.operation_model(self.operation).input_shape.members
            if not {"DomainName", "resourceArn"} & set(members):
                raise InvalidArgumentError(
                    f"{self.operation} names no domain, so a fault scoped to "
                    f"domain={domain!r} could never match it: leave domain out"
                )
        self.times = times
        self.domain = domain
        self.region = region
        self.account_id = account_id
        self.probability = probability
        self.after = after
        self.when = when
        self.triggered = 0
        self._seen = 0
        # Seeding a generator costs more than the rest of a registration: only when used.
        self._rng = random.Random(seed) if probability is not None else None
        self._plan: FaultPlan | None = None
        self._withdrawn = False
        self.registered_at = "?"  # file:line of the registration, for the unused-fault report

    # -- matching ---------------------------------------------------------------------

    def _matches(self, attempt: Attempt) -> bool:
        """Whether the attempt is in this fault's scope, its ``when`` included (called
        outside the plan's lock, so a predicate may itself use the mock)."""
        if self.operation is not None and attempt.operation != self.operation:
            return False
        if self.domain is not None and domain_of(attempt.params) != self.domain:
            return False
        if self.region is not None and attempt.region != self.region:
            return False
        if self.account_id is not None and attempt.account_id != self.account_id:
            return False
        if self.when is None:
            return True
        try:
            return bool(self.when(attempt.params))
        except Exception as exc:
            raise FaultPredicateError(self.describe(), attempt.operation, exc) from exc

    def _admits(self) -> bool:
        """Whether an attempt in scope triggers the fault now: ``times`` left, past
        ``after``, and the ``probability`` draw (called under the plan's lock)."""
        if self.times is not None and self.triggered >= self.times:
            return False
        self._seen += 1
        if self._seen <= self.after:
            return False
        return self._rng is None or self._rng.random() < self.probability  # type: ignore[operator]

    # -- life cycle ---------------------------------------------------------------

    @property
    def removed(self) -> bool:
        """Whether the fault was withdrawn on purpose (``remove()``, ``clear_faults()``)."""
        return self._withdrawn

    def remove(self, *, withdrawn: bool = True) -> None:
        """Withdraw the fault; removing it twice is harmless. A withdrawn fault is not
        reported as unused; one that ends with its ``with`` block still is."""
        if self._plan is not None:
            self._plan.remove(self, withdrawn=withdrawn)

    def __enter__(self) -> Fault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove(withdrawn=False)

    def describe(self, triggered: int | None = None) -> str:
        """What the fault is and does; ``triggered`` says how many times it had
        triggered at a given attempt (default: by now)."""
        target = self.operation or "every operation"
        count = self.triggered if triggered is None else triggered
        limit = "no limit" if self.times is None else f"{count} of {self.times} triggered"
        return f"{self._what()} on {target}{self._scope()} ({limit})"

    def _what(self) -> str:
        return self.kind

    def _scope(self) -> str:
        parts = [
            f"{name}={value!r}"
            for name, value in (
                ("domain", self.domain),
                ("region", self.region),
                ("account_id", self.account_id),
                ("probability", self.probability),
                ("after", self.after or None),
            )
            if value is not None
        ]
        if self.when is not None:
            parts.append("when=" + getattr(self.when, "__name__", repr(self.when)))
        return f" [{', '.join(parts)}]" if parts else ""

    def __repr__(self) -> str:
        return f"<Fault {self.describe()}>"


class ErrorFault(Fault):
    """Answers with a modelled error instead of the normal response."""

    def __init__(self, code: str, operation: str | None, message: str | None, **kw: Any) -> None:
        super().__init__(operation, **kw)
        self.code = check_error_code(code, self.operation)
        self.message = message

    def message_for(self, attempt: Attempt) -> str:
        if self.message is not None:
            return self.message
        if self.code == "AccessDeniedException":
            return access_denied_message(attempt)
        if self.code == "ResourceNotFoundException" and "DomainName" in attempt.params:
            return _errors.domain_not_found_message(attempt.params["DomainName"])
        if self.code == "ResourceNotFoundException" and "resourceArn" in attempt.params:
            return _arns.not_found_message(attempt.params["resourceArn"])
        return DEFAULT_MESSAGES.get(self.code, self.code)

    def _what(self) -> str:
        return self.code


class DelayFault(Fault):
    """Waits ``seconds`` on the mock's clock, then lets the request be answered as usual."""

    kind = "delay"

    def __init__(self, seconds: float, operation: str | None, clock: Clock, **kw: Any) -> None:
        _check_seconds(seconds)
        super().__init__(operation, **kw)
        self.seconds = float(seconds)
        self.clock = clock

    def _what(self) -> str:
        return f"delay of {self.seconds:g}s"


class LagFault(Fault):
    """Lets the writes it matches be seen by reads of their domain only ``seconds`` later
    on the mock's clock (``core.consistency``); the write itself is answered as usual."""

    kind = "lag"

    def __init__(self, seconds: float, operation: str | None, **kw: Any) -> None:
        _check_seconds(seconds)
        if operation is not None and _model.check_operation_name(operation).startswith(
            READ_PREFIXES
        ):
            raise InvalidArgumentError(
                f"lag() applies to writes, and {operation} is a read: name the write whose "
                "result the read should not see yet (for example PutProfileObject)"
            )
        super().__init__(operation, **kw)
        self.seconds = float(seconds)

    def _what(self) -> str:
        return f"lag of {self.seconds:g}s"


class RateLimitFault(Fault):
    """A token bucket: attempts beyond ``per_second`` (after a ``burst``) are throttled."""

    kind = "rate limit"

    def __init__(
        self, operation: str, per_second: float, burst: int | None, clock: Clock, **kw: Any
    ) -> None:
        if not _is_number(per_second, 0) or per_second == 0:
            raise InvalidArgumentError(f"per_second must be a positive number, got {per_second!r}")
        if per_second > sys.float_info.max:
            raise InvalidArgumentError(
                f"per_second must be a finite number, got {_shown(per_second)}: "
                "for calls without a limit, register no rate limit"
            )
        if burst is not None and not _is_int(burst, 1):
            raise InvalidArgumentError(f"burst must be a positive integer, got {burst!r}")
        super().__init__(operation, **kw)
        self.per_second = float(per_second)
        self.burst = burst if burst is not None else max(1, int(per_second))
        self.code = "ThrottlingException"
        self._clock = clock
        self._tokens = float(self.burst)
        self._stamp = clock.time()

    def take(self) -> bool:
        """Take a token if one is left; called under the plan's lock."""
        now = self._clock.time()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.per_second)
        self._stamp = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def message_for(self, attempt: Attempt) -> str:
        return DEFAULT_MESSAGES["ThrottlingException"]

    def _what(self) -> str:
        return f"rate limit of {self.per_second:g}/s (burst {self.burst})"


class ItemFailureFault(Fault):
    """Makes some items of a batch operation (ids of a BatchGetProfile, items of a
    BatchPutProfileObject) come back in its list of failures while the rest succeed."""

    kind = "item failure"

    def __init__(
        self,
        operation: str,
        items: Collection[str],
        *,
        code: str | int | None = None,
        message: str | None = None,
        caller: str = "fail_items()",
        **kw: Any,
    ) -> None:
        """``code`` defaults to 500 in the type the model gives it, ``message`` to
        ``Internal server error`` for 500, else ``Item could not be processed (<code>)``;
        ``caller`` names the method in the message refusing ``items``."""
        errors = item_errors(_model.check_operation_name(operation))
        if errors is None:
            raise InvalidArgumentError(not_a_batch_message(operation))
        ids = _check_item_ids(caller, operation, errors, items)
        if code is None:
            code = 500 if errors.code_type == "integer" else "500"
        if message is None:
            internal = str(code) == "500"
            message = (
                "Internal server error" if internal else f"Item could not be processed ({code})"
            )
        where = f"{operation}'s {errors.response}[].{errors.code_field}"
        if errors.code_type == "integer":
            if not _is_int(code, 0):
                raise InvalidArgumentError(
                    f"code must be an integer ({where} is one), got {code!r}"
                )
        elif not _is_text(code, 255):
            raise InvalidArgumentError(
                f"code must be a string of 1 to 255 characters ({where} is one), got {code!r}"
            )
        if not _is_text(message, 1000):
            raise InvalidArgumentError(
                f"message must be a string of 1 to 1000 characters, got {message!r}"
            )
        super().__init__(operation, **kw)
        self.errors = errors
        self.items = frozenset(ids)
        self.code = code
        self.message = message

    def entry(self, item: str) -> dict[str, Any]:
        """The failure entry the response lists for ``item``."""
        errors = self.errors
        return {
            errors.id_field: item,
            errors.code_field: self.code,
            errors.message_field: self.message,
        }

    def _what(self) -> str:
        return f"error {self.code} for {len(self.items)} item(s)"


@dataclass(frozen=True)
class ItemErrors:
    """How a batch operation answers per-item failures inside a 200, as its model says:
    the request's list of items (``ProfileIds``, ``Items``) and the member of an item
    that names it (``Id``; None when the items are the ids themselves), the response's
    list of failures (``Errors``, ``Failed``) and the members of a failure that name the
    item, give the code (a string or an integer) and the message."""

    request: str
    item_id: str | None
    response: str
    id_field: str
    code_field: str
    code_type: str
    message_field: str
    id_shape: Any = field(compare=False, repr=False)

    @property
    def where(self) -> str:
        """Where the ids are in the request: ``ProfileIds``, ``Items[].Id``."""
        return self.request if self.item_id is None else f"{self.request}[].{self.item_id}"

    def ids(self, params: Mapping[str, Any]) -> list[Any]:
        """The ids of the requested items, in request order."""
        items = params.get(self.request) or ()
        if self.item_id is None:
            return list(items)
        return [item.get(self.item_id) for item in items if isinstance(item, dict)]

    def without(self, params: dict[str, Any], failed: Collection[Any]) -> dict[str, Any]:
        """The request as the handler sees it: the items that fail are not asked for."""
        if not failed:
            return params
        items = params[self.request]
        if self.item_id is None:
            kept = [i for i in items if i not in failed]
        else:
            kept = [i for i in items if not (isinstance(i, dict) and i.get(self.item_id) in failed)]
        return {**params, self.request: kept}


# The members of a failure entry that carry its code and its message, as the model names them.
_CODE_FIELDS = ("Code", "ErrorCode", "Status")
_MESSAGE_FIELDS = ("Message", "ErrorMessage")


@functools.cache
def item_errors(operation: str) -> ItemErrors | None:
    """How ``operation`` answers per-item failures, read from the model, or None when it
    answers none: an output list of structures with a code and a message, whose entries
    name an item of an input list (a list of ids such as ``ProfileIds`` named by its
    singular, ``ProfileId``, or a list of structures sharing a member such as ``Id``)."""
    op = _model.operation_model(operation)
    if op.input_shape is None or op.output_shape is None:
        return None
    for response, failures in op.output_shape.members.items():
        if failures.type_name != "list" or failures.member.type_name != "structure":
            continue
        entry = failures.member.members
        code = next((n for n in _CODE_FIELDS if n in entry), None)
        message = next((n for n in _MESSAGE_FIELDS if n in entry), None)
        if code is None or message is None:
            continue
        for request, items in op.input_shape.members.items():
            if items.type_name != "list":
                continue
            element = items.member
            if element.type_name == "string":
                names = [request[:-1]] if request.endswith("s") else []
                shapes = {request[:-1]: element}
                item_id = None
            elif element.type_name == "structure":
                names = [n for n, m in element.members.items() if m.type_name == "string"]
                shapes = dict(element.members)
                item_id = ""
            else:
                continue
            for name in names:
                if name in entry and name not in (code, message):
                    return ItemErrors(
                        request=request,
                        item_id=None if item_id is None else name,
                        response=response,
                        id_field=name,
                        code_field=code,
                        code_type=entry[code].type_name,
                        message_field=message,
                        id_shape=shapes[name],
                    )
    return None


@functools.cache
def batch_operations() -> tuple[str, ...]:
    """The operations of the model that answer per-item failures."""
    return tuple(name for name in _model.operation_names() if item_errors(name) is not None)


def not_a_batch_message(operation: str) -> str:
    batch = batch_operations()
    return (
        f"{operation} answers no per-item failures, so none of its items can be made to "
        f"fail.{_model.did_you_mean(operation, batch)} Operations with per-item failures: "
        f"{', '.join(batch)}."
    )


def _check_item_ids(caller: str, operation: str, errors: ItemErrors, ids: object) -> list[str]:
    """``ids`` as a list, each an id of ``operation``'s items as the model allows one."""
    many = isinstance(ids, Iterable) and not isinstance(ids, (str, bytes))
    listed: list[object] = list(cast("Iterable[object]", ids)) if many else []
    if not listed:
        got = f"an empty {type(ids).__name__}" if many else kind_of(ids)
        raise InvalidArgumentError(
            f"{caller}: ids must be a list of one or more ids of {operation}'s items "
            f"({errors.where}), got {got}"
        )
    check = _validate.compile_scalar(errors.id_shape)
    for item in listed:
        failed = check(item)
        if failed:
            shown = repr(item) if isinstance(item, str) else kind_of(item)
            raise InvalidArgumentError(
                f"{caller}: {shown} cannot be an id of {operation}'s items "
                f"({errors.where}): {'; '.join(failed)}"
            )
    return [str(item) for item in listed]


def _is_int(value: object, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _is_number(value: object, low: float, high: float = float("inf")) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


# The longest delay a fault may ask for: time.sleep fails past about 9.2e9 seconds less
# the time since boot (OverflowError or OSError), threading's waits past TIMEOUT_MAX.
LONGEST_DELAY = min(1e9, threading.TIMEOUT_MAX)


def _check_seconds(seconds: object) -> None:
    """Refuse, when the fault is registered, a delay that sleeping could not wait out."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise InvalidArgumentError(f"seconds must be a non-negative number, got {seconds!r}")
    if isinstance(seconds, float) and (math.isnan(seconds) or seconds == math.inf):
        raise InvalidArgumentError(
            f"seconds must be a finite number, got {seconds!r}: pass how long the delay "
            f"lasts, from 0 to {LONGEST_DELAY:g}"
        )
    if seconds < 0:
        raise InvalidArgumentError(f"seconds must be a non-negative number, got {seconds!r}")
    if seconds > LONGEST_DELAY:
        raise InvalidArgumentError(
            f"seconds must be at most {LONGEST_DELAY:g}, the longest delay that can be "
            f"waited out (time.sleep fails not far past it), got {_shown(seconds)}: "
            "pass a shorter delay"
        )


def _shown(value: float) -> str:
    """A number for a message as Python writes it, unless it is an integer too large for
    a float (too long to write out, past 4,300 digits)."""
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        return f"an integer over {sys.float_info.max:.2g}"
    return repr(value)


def _is_text(value: object, longest: int) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= longest


# IAM denials, throttling and internal errors reach every action in AWS, even where the
# model does not list them for an operation.
EVERY_OPERATION_ERRORS = ("AccessDeniedException", "InternalServerException", "ThrottlingException")


def check_error_code(code: object, operation: str | None) -> str:
    """``code`` if the operation (or, for None, the service) can answer with it."""
    if code in EVERY_OPERATION_ERRORS:
        return str(code)
    model = _model.service_model()
    names = (
        [model.operation_model(operation)]
        if operation is not None
        else [model.operation_model(n) for n in _model.operation_names()]
    )
    modelled = sorted({shape.name for op in names for shape in op.error_shapes})
    if code in modelled:
        return str(code)
    where = operation or "any operation"
    raise InvalidArgumentError(
        f"{code!r} is not a modelled error of {where}; modelled errors: {', '.join(modelled)}"
    )


def access_denied_message(attempt: Attempt) -> str:
    """An IAM-style denial naming the action and the resource (the ARN a tag operation
    names, else the domain's), as AWS words it."""
    resource = attempt.params.get("resourceArn")
    if not isinstance(resource, str):
        domain = str(attempt.params.get("DomainName", "*"))
        resource = _arns.domain_arn(attempt.region, attempt.account_id, domain)
    user = f"arn:{_arns.partition(attempt.region)}:iam::{attempt.account_id}:user/test-user"
    return (
        f"User: {user} is not authorized to perform: "
        f"profile:{attempt.operation} on resource: {resource}"
    )


class FaultPlan:
    """The registered faults of one activation, in registration order. Thread-safe."""

    def __init__(self) -> None:
        self._lock = forksafe.lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            fault._plan = self
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault, *, withdrawn: bool = True) -> None:
        with self._lock:
            fault._withdrawn = fault._withdrawn or withdrawn
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self) -> None:
        with self._lock:
            for fault in self._faults:
                fault._withdrawn = True
            self._faults.clear()

    def _used_up(self, fault: Fault) -> int:
        """Count a trigger, and return the count; a fault whose ``times`` are spent
        leaves the plan (under lock)."""
        fault.triggered += 1
        if fault.times is not None and fault.triggered >= fault.times:
            self._faults.remove(fault)
        return fault.triggered

    @property
    def faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def _in_scope(self, attempt: Attempt, items: bool) -> list[Fault]:
        """The faults of one kind (item failures or the rest) whose scope takes in
        ``attempt``; each predicate runs once, outside the lock."""
        with self._lock:
            faults = [f for f in self._faults if isinstance(f, ItemFailureFault) is items]
        return [fault for fault in faults if fault._matches(attempt)]

    def check(self, attempt: Attempt) -> tuple[list[Hit], Hit | None]:
        """The delays and lags to apply and the fault that answers ``attempt``, if any.

        Every matching delay applies, and every lag to a write; the first matching error
        or exhausted rate limit answers. A rate limit with tokens left lets the attempt through.
        """
        delays: list[Hit] = []
        answer: Hit | None = None
        if not self._faults:
            return delays, answer
        with_scope = self._in_scope(attempt, items=False)
        with self._lock:
            for fault in with_scope:
                if answer is not None and not isinstance(fault, (DelayFault, LagFault)):
                    continue  # once answered, only delays still apply
                if isinstance(fault, LagFault) and attempt.operation.startswith(READ_PREFIXES):
                    continue  # a lag is a write's
                if fault not in self._faults or not fault._admits():
                    continue  # removed meanwhile, used up, or not this time
                if isinstance(fault, RateLimitFault) and fault.take():
                    continue  # a token was left
                hit = Hit(fault, self._used_up(fault))
                if isinstance(fault, (DelayFault, LagFault)):
                    delays.append(hit)
                else:
                    answer = hit
        return delays, answer

    def failed_items(self, attempt: Attempt, items: ItemErrors) -> dict[str, Hit]:
        """For an attempt of a batch operation: which requested items fail, by which
        fault (and its count at this attempt). ``refund`` them if the attempt fails."""
        failed: dict[str, Hit] = {}
        if not self._faults:
            return failed
        requested = items.ids(attempt.params)
        with_scope = self._in_scope(attempt, items=True)
        with self._lock:
            for fault in with_scope:
                assert isinstance(fault, ItemFailureFault)
                hit = [i for i in requested if i in fault.items and i not in failed]
                if hit and fault in self._faults and fault._admits():
                    failed.update(dict.fromkeys(hit, Hit(fault, self._used_up(fault))))
        return failed

    def refund(self, hits: Iterable[Hit]) -> None:
        """Give back the triggers of an attempt that failed before they took effect."""
        with self._lock:
            for fault in {hit.fault for hit in hits}:
                fault.triggered -= 1
                if fault not in self._faults and not fault._withdrawn:
                    self._faults.append(fault)
