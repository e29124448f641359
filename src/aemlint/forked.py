"""Running a share of a check in a forked child, on a machine with a core to spare.

A check of a large tree builds a model and runs every rule over it. Rules only read the model,
so a ``fork()`` gives a child the model built so far for free (copy-on-write), and the two
processes can work at once: the command line forks once most configurations are built
(:class:`aemlint.engine.EarlyCheck`). Only the child's findings travel back, pickled through a
pipe (small: a few per cent of the model; they never hold a secret value, and nothing is
written to disk).

Used only where that is safe and pays: Linux (``fork`` without ``exec`` is unsafe on macOS
and absent on Windows), more than one usable CPU, no other thread alive in the process, and a
caller that decides the work is large enough. If the child fails in any way, :meth:`Forked.result`
returns None and the caller does the work itself: a parallel run never loses a finding.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Forked", "spare_cpus"]

T = TypeVar("T")


def spare_cpus() -> int:
    """CPUs this process may use beyond the one it runs on (0 where forking is not used)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 0
    if threading.active_count() > 1:
        return 0  # a fork copies one thread; locks held by the others would stay held
    try:
        usable = len(os.sched_getaffinity(0))
    except OSError:
        usable = os.cpu_count() or 1
    return max(0, usable - 1)


class Forked(Generic[T]):
    """``work()`` running in a forked child; :meth:`result` collects what it returned."""

    def __init__(self, pid: int, read_fd: int) -> None:
        self._pid = pid
        self._read_fd = read_fd

    @classmethod
    def start(cls, work: Callable[[], T]) -> Forked[T] | None:
        """Fork and run ``work`` in the child; None when no child could be started."""
        if spare_cpus() < 1:
            return None
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            status = 1
            try:
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(data)
                while view:
                    view = view[os.write(write_fd, view) :]
                status = 0
            except BaseException:  # noqa: BLE001 - the parent redoes the work on any failure
                status = 1
            finally:
                os._exit(status)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> T | None:
        """What the child's ``work()`` returned, or None when it failed (then do it here)."""
        chunks = []
        try:
            while chunk := os.read(self._read_fd, 1 << 20):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._read_fd)
        try:
            _, status = os.waitpid(self._pid, 0)
        except ChildProcessError:
            return None
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not chunks:
            return None
        try:
            value: T = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - a truncated or corrupt answer: redo the work
            return None
        return value
