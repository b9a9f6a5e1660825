"""Extraction in worker processes, one task per file, results taken back in order.

A file whose reader crashes the worker, runs out of memory or time, or raises, fails alone with
a reason a person understands; the other files go on. (Sending files in groups of eight to
save the per-task cost was measured on the example city: no difference within the machine's
noise, so each file keeps its own task and its own time limit.)
"""
from __future__ import annotations

import resource
from collections import deque
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar

from pebble import ProcessExpired, ProcessPool

WORKER_MEMORY = 3 << 30    # bytes a worker may map; a bomb that slips past checks hits this

Key = TypeVar("Key")
Reader = Callable[[Path, str], Any]     # (stored path, original name) -> what the caller gets


def _limit_worker_memory() -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ValueError, OSError):
        pass


class ReadingPool(Generic[Key]):
    """`submit` files with a key; `take` returns the oldest (key, result), where a file that could
    not be read gets `failed(name, reason)` from the caller."""

    def __init__(self, workers: int, reader: Reader, timeout: float,
                 failed: Callable[[str, str], Any]) -> None:
        self.reader, self.timeout, self.failed = reader, timeout, failed
        self._pool = ProcessPool(max_workers=workers, initializer=_limit_worker_memory)
        self._in_flight: deque[tuple[Key, str, Any]] = deque()

    def submit(self, key: Key, path: Path, name: str) -> None:
        future = self._pool.schedule(self.reader, args=(path, name), timeout=self.timeout)
        self._in_flight.append((key, name, future))

    @property
    def in_flight(self) -> int:
        """Files sent and not yet taken."""
        return len(self._in_flight)

    def take(self) -> tuple[Key, Any]:
        key, name, future = self._in_flight.popleft()
        try:
            return key, future.result()
        except Exception as exc:  # a crash, a time-out or a bug in a third-party reader: this file only
            return key, self.failed(name, self._reason(exc))

    def _reason(self, exc: BaseException) -> str:
        if isinstance(exc, FutureTimeout):
            return f"reading the file took longer than {self.timeout:g} s (damaged or pathological); it was stopped"
        if isinstance(exc, ProcessExpired):
            return "the reader crashed on this file (damaged, or needs more memory than allowed)"
        if isinstance(exc, MemoryError):
            return "the file needs more memory to read than allowed"
        return f"unexpected error while reading: {type(exc).__name__}: {exc}"

    def __enter__(self) -> ReadingPool[Key]:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self._pool.close()
        else:
            self._pool.stop()          # interrupted: the files still queued are not read
        self._pool.join()
