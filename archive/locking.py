"""One writer at a time: commands that change the workspace hold its lock file."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from filelock import FileLock, Timeout

from common.errors import WorkspaceBusy
from common.messages import _

DEFAULT_WAIT_SECONDS = 30.0


@contextmanager
def workspace_lock(lock_path: Path, what: str, wait: float = DEFAULT_WAIT_SECONDS,
                   on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the workspace's write lock; wait up to `wait` seconds for another process, then refuse.

    The lock is an OS-level lock on the file, so a process killed with -9 releases it at once.
    """
    info_path = lock_path.with_suffix(".owner")
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = _read_owner(info_path)
        if on_wait:
            on_wait(_("正在等待另一个 dossier 进程结束（{holder}）…").format(holder=holder))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise WorkspaceBusy(holder) from None
    try:
        info_path.write_text(f"{what}, pid {os.getpid()}", encoding="utf-8")
        yield
    finally:
        lock.release()


def _read_owner(info_path: Path) -> str:
    try:
        return info_path.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"
