"""A child forked while another thread is inside the package: its locks and half-made state.

Each test forks with ``os.fork`` while a thread of the parent holds a lock or is in the
middle of compiling a shape, and the child reports through its exit status (0: as it
should be). A child that would hang is bounded by a timeout in the child itself.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from customer_profiles_mock import forksafe
from customer_profiles_mock.wire import model as _model
from customer_profiles_mock.wire import validate as _validate

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()"),
    # Python 3.12+ warns of fork() while threads run: these tests fork so on purpose.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]


def exit_status_of_child(child: Any) -> int:
    """Fork, run ``child()`` in the child (its return value is the exit status), and wait
    for it: a child that raises exits with 70."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        status = 70
        try:
            status = child()
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_lock_held_by_another_thread_at_the_fork_is_free_in_the_child():
    lock = forksafe.lock()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(30)
    try:
        code = exit_status_of_child(lambda: 0 if lock.acquire(timeout=10) else 1)
    finally:
        release.set()
        holder.join(30)
    assert code == 0


def test_compilation_in_progress_at_the_fork_does_not_stall_the_childs(monkeypatch):
    compiler = _validate._Compiler()
    started, release = threading.Event(), threading.Event()
    structure = _validate._Compiler._structure

    def slow_structure(self: Any, shape: Any, sensitive: bool) -> Any:
        if shape.name == _model.operation_model("CreateProfile").input_shape.name:
            started.set()
            release.wait(30)
        return structure(self, shape, sensitive)

    monkeypatch.setattr(_validate._Compiler, "_structure", slow_structure)
    create = _model.operation_model("CreateProfile").input_shape
    compiling = threading.Thread(target=compiler.walk, args=(create, False))
    compiling.start()
    started.wait(30)

    def child() -> int:
        # The parent's compilation never ends here: the child's own must still publish.
        shape = _model.operation_model("GetDomain").input_shape
        walk = compiler.walk(shape, False)
        errors: list[str] = []
        walk({"DomainName": "shop"}, "", errors)
        published = (shape.name, False) in compiler._walks
        return 0 if published and not errors and not compiler._pending else 1

    try:
        code = exit_status_of_child(child)
    finally:
        release.set()
        compiling.join(30)
    assert code == 0


def test_id_generators_are_reseeded_in_the_child():
    generator = forksafe.generator()
    read, write = os.pipe()

    def child() -> int:
        os.write(write, generator.getrandbits(64).to_bytes(8, "big"))
        return 0

    try:
        assert exit_status_of_child(child) == 0
        from_child = int.from_bytes(os.read(read, 8), "big")
    finally:
        os.close(read)
        os.close(write)
    assert generator.getrandbits(64) != from_child  # the parent's next is not the child's
