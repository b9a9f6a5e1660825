"""Atomic file writes: a reader (or a run after a crash) sees the old file or the new one, whole."""
from __future__ import annotations

import os
import secrets
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_path(path: Path, *, sync: bool = True, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `path` to write to (for libraries that save to a path); on
    success it is synced, renamed over `path` and the folder synced; on error it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its files are private (0600); an output keeps the mode the umask gives.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        if sync:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
        if sync:
            _sync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes | str, *, sync: bool = True) -> Path:
    """Write `data` (str as UTF-8) to `path` atomically; returns `path`."""
    with atomic_path(path, sync=sync) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def remove_stale_temporaries(folder: Path) -> int:
    """Remove the temporary files that killed writers left in `folder` (their process is gone);
    returns how many. A live writer's file is kept."""
    removed = 0
    for path in Path(folder).glob(".*.tmp"):
        parts = path.name.rsplit(".", 4)          # .<name>.<pid>.<thread>.<random>.tmp
        pid = parts[1] if len(parts) == 5 else ""
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
            removed += 1
        except PermissionError:
            pass                                  # alive, run by another user
    return removed
