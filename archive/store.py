"""The store of originals: one read-only copy per content, named by its sha256."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path

CHUNK = 1 << 20


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path) -> tuple[str, int, bool]:
        """Copy `source` in, hashing while copying. Returns (sha256, size, newly stored).

        The copy is written to a temporary file and renamed into place only when complete,
        so a killed process never leaves a half-written original under a real hash. The data
        reaches the disk at the next `sync()`, which ingest calls before the catalogue names
        the file; a stored copy of the wrong size (cut short by a power loss before that) is
        replaced by the next copy of the same content.
        """
        digest = hashlib.sha256()
        size = 0
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix="incoming-")
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == size:
                os.unlink(tmp_name)
                return sha, size, False
            final.parent.mkdir(exist_ok=True)
            os.chmod(tmp_name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(tmp_name, final)
            return sha, size, True
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def sync(self) -> None:
        """Flush the copies made so far to the disk (one call for a batch, not one per file)."""
        os.sync()

    def iter_hashes(self):
        """Every hash held in the store (for verify)."""
        for folder in sorted(self.root.iterdir()) if self.root.is_dir() else ():
            if folder.is_dir() and len(folder.name) == 2:
                for item in sorted(folder.iterdir()):
                    yield item.name

    def hash_of(self, sha256: str) -> str:
        digest = hashlib.sha256()
        with open(self.path_for(sha256), "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def clean_tmp(self) -> int:
        """Remove copies a crashed ingest left half-written; returns how many."""
        tmp_dir = self.root / "tmp"
        removed = 0
        if tmp_dir.is_dir():
            for item in tmp_dir.iterdir():
                item.unlink(missing_ok=True)
                removed += 1
        return removed
