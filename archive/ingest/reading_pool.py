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
from common.messages import _
from common.workers import worker_context

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
        self._pool = ProcessPool(max_workers=workers, initializer=_limit_worker_memory, context=worker_context())
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
            return _("读取该文件超过 {seconds:g} 秒，已停止（文件可能已损坏）").format(seconds=self.timeout)
        if isinstance(exc, ProcessExpired):
            return _("读取该文件时读取进程崩溃（文件已损坏，或所需内存超过上限）")
        if isinstance(exc, MemoryError):
            return _("读取该文件所需的内存超过上限")
        return _("读取时出现意外错误（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)

    def __enter__(self) -> ReadingPool[Key]:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self._pool.close()
        else:
            self._pool.stop()          # interrupted: the files still queued are not read
        self._pool.join()
