"""The one registry of what is active.

It holds the activations, the handles serving each thread or task,
and the botocore/aiobotocore patches in place while any mock is active.

An activation is the state that nested handles share. A handle started where (in the
thread or asyncio task where) another handle is active nests in that one's activation; a
handle started anywhere else begins an activation of its own, with its own state. A
request is served by the innermost active handle of the thread or task that makes it;
one made where no handle was started (a thread pool of the code under test) is served by
the innermost handle of the most recently started activation.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Protocol

from customer_profiles_mock import forksafe
from customer_profiles_mock.clock import Clock
from customer_profiles_mock.core.calls import Call
from customer_profiles_mock.core.state import State
from customer_profiles_mock.runtime.patching import Patches
from customer_profiles_mock.service import Service


class ServingHandle(Protocol):
    """What the registry and the transports need of a handle."""

    @property
    def active(self) -> bool: ...

    @property
    def service(self) -> Service | None:
        """What answers a request while the handle is active."""

    @property
    def region(self) -> str: ...

    @property
    def skip_retry_backoff(self) -> bool: ...

    @property
    def call_log_size(self) -> int | None:
        """How many calls the log of an activation this handle begins keeps."""

    @property
    def clock(self) -> Clock:
        """The clock of an activation this handle begins (its faults' and its jobs')."""

    @property
    def job_seconds(self) -> float:
        """How long a job step takes in an activation this handle begins."""

    @property
    def activation(self) -> Activation | None:
        """The activation the handle is in, None while it is inactive."""


class Activation:
    """The state that a handle and the handles nested in it share; its call log keeps
    the newest ``call_log_size`` calls, and its jobs take ``job_seconds`` a step on
    ``clock`` (those of the handle that began it)."""

    def __init__(
        self, call_log_size: int | None, clock: Clock | None = None, job_seconds: float = 0.0
    ) -> None:
        self.state = State(call_log_size=call_log_size, clock=clock, job_seconds=job_seconds)
        self.handles: list[ServingHandle] = []  # in start order; a restart repeats


class _Runtime:
    def __init__(self) -> None:
        self.lock = forksafe.rlock()
        self.activations: list[Activation] = []  # in start order
        self.patches: Patches | None = None
        # The handles started in this thread or task, innermost last.
        self._here: ContextVar[tuple[ServingHandle, ...]] = ContextVar(
            "customer_profiles_mock_handles", default=()
        )
        # How many activations have ended, and the calls of the last one: the pytest
        # plugin reports them for a failed test that used a decorator or a with-block.
        self.ended = 0
        self.ended_calls: list[Call] = []

    def start(
        self,
        handle: ServingHandle,
        prepare: Callable[[Activation], None],
        install: Callable[[], Patches],
    ) -> None:
        """Activate ``handle`` here. ``prepare(activation)`` readies the handle before
        any other thread can see it (a request never meets a half-started handle);
        ``install()`` makes every patch when the first activation starts (or none, and
        raises)."""
        with self.lock:
            activation = handle.activation if handle.active else None
            if activation is None:
                outer = self._innermost_here()
                activation = outer.activation if outer is not None else None
            is_new = activation is None
            if activation is None:
                activation = Activation(handle.call_log_size, handle.clock, handle.job_seconds)
            if self.patches is None:
                self.patches = install()  # before anything is published: may raise
            prepare(activation)
            activation.handles.append(handle)
            if is_new:
                self.activations.append(activation)
            self._here.set((*self._here.get(), handle))

    def stop(self, handle: ServingHandle, activation: Activation) -> None:
        """Undo the last ``start`` of ``handle``; the last handle out ends its activation,
        and the last activation out restores everything patched."""
        with self.lock:
            if activation.handles == [handle]:  # unpublished before it is emptied
                self.activations.remove(activation)
                self.ended += 1
                self.ended_calls = activation.state.calls.snapshot()
            _remove_last(activation.handles, handle)
            here = list(self._here.get())
            if handle in here:
                _remove_last(here, handle)
                self._here.set(tuple(here))
            if not self.activations and self.patches is not None:
                self.patches.undo()
                self.patches = None

    def current(self) -> ServingHandle | None:
        """The handle that serves a request made here and now, if any mock is active."""
        handle = self._innermost_here()
        if handle is not None:
            return handle
        try:
            return self.activations[-1].handles[-1]
        except IndexError:  # nothing active (or it ended as we looked)
            return None

    def _innermost_here(self) -> ServingHandle | None:
        for handle in reversed(self._here.get()):
            if handle.active:
                return handle
        return None


def _remove_last(items: list[ServingHandle], handle: ServingHandle) -> None:
    del items[len(items) - 1 - items[::-1].index(handle)]


runtime = _Runtime()


def is_active() -> bool:
    """Whether any Customer Profiles mock is active in this process."""
    return bool(runtime.activations)
