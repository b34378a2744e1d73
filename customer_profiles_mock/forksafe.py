"""Locks and random generators that a forked child gets back fresh.

A child made by ``fork()`` (``multiprocessing``'s default on Linux before Python 3.14)
holds a copy of the parent's memory with only the thread that forked: a lock another
thread held at that moment (a region's, held around every handler and seeding write)
would stay held in the child for ever, and a generator of ids would make the parent's
next ids again. Every lock and id generator of the package is made here, and the child
gets them unlocked and reseeded. The registry holds them weakly: it keeps nothing alive.
"""

from __future__ import annotations

import os
import random
import threading
import uuid
import weakref
from typing import Any, Protocol

_LOCKS: weakref.WeakSet[Any] = weakref.WeakSet()
_GENERATORS: weakref.WeakSet[random.Random] = weakref.WeakSet()
_OWNERS: weakref.WeakSet[Any] = weakref.WeakSet()


class ForkAware(Protocol):
    def after_fork_in_child(self) -> None:
        """Drop what another thread of the parent left half done (called in the child)."""


def lock() -> threading.Lock:
    """A ``threading.Lock`` that a forked child gets unlocked."""
    made = threading.Lock()
    _LOCKS.add(made)
    return made


def rlock() -> threading.RLock:
    """A ``threading.RLock`` that a forked child gets unlocked."""
    made = threading.RLock()
    _LOCKS.add(made)
    return made


def generator() -> random.Random:
    """An unseeded ``random.Random`` that a forked child gets reseeded, as the ``random``
    module's own is: parent and child never make the same ids."""
    made = random.Random()
    _GENERATORS.add(made)
    return made


def uuid4(made: random.Random) -> uuid.UUID:
    """A random UUID (version 4) drawn from ``made`` (a ``generator()``): unlike
    ``uuid.uuid4()``, a forked child never repeats its parent's."""
    return uuid.UUID(int=made.getrandbits(128), version=4)


def register(owner: ForkAware) -> None:
    """Have a forked child call ``owner.after_fork_in_child()`` (after its locks are
    reset): for state a thread of the parent may have left half made under a lock."""
    _OWNERS.add(owner)


def _after_fork_in_child() -> None:
    # The child has one thread: no lock can be in use. _at_fork_reinit (CPython 3.9+,
    # what threading, logging and concurrent.futures use) resets a lock in place, so every
    # reference to it, in an object or a closure, sees it unlocked.
    for made in list(_LOCKS):
        made._at_fork_reinit()
    for rng in list(_GENERATORS):
        rng.seed()
    for owner in list(_OWNERS):
        owner.after_fork_in_child()


if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
