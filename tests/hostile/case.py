"""One hostile input and what a correct ingest does with it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# failed: recorded as failed with a reason; ok: read, its text kept (and `note` among its notes
# when given); needs_ocr: kept for OCR; skipped: walked past with a reason, never a document.
EXPECTATIONS = ("failed", "ok", "needs_ocr", "skipped")


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    expect: str
    why: str
    note: str = ""       # a word its notes (for "ok") or its reason (for "failed", "skipped") must hold
    marker: str = ""     # for "ok": a phrase its stored text must hold

    def __post_init__(self) -> None:
        assert self.expect in EXPECTATIONS, self.expect


class Folder:
    """Adds cases under one folder; `relpath` may be bytes (names that are not UTF-8)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.cases: list[Case] = []

    def path(self, relpath: str | bytes) -> Path:
        path = Path(os.fsdecode(os.path.join(os.fsencode(self.root), os.fsencode(relpath))))
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def add(self, name: str, relpath: str | bytes, expect: str, why: str, data: bytes | None = None,
            note: str = "", marker: str = "") -> Path:
        path = self.path(relpath)
        if data is not None:
            path.write_bytes(data)
        self.cases.append(Case(name, path, expect, why, note, marker))
        return path
