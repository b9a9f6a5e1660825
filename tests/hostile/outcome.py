"""Ingest the hostile corpus and judge each case: what happened, was it what a correct tool does."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from archive import catalogue
from archive.catalogue.documents import list_documents
from archive.ingest.walk import display_path
from archive.workspace import Workspace, init_workspace
from tests.hostile.case import Case
from tests.hostile.corpus import build_corpus

ROOT = Path(__file__).resolve().parents[2]

# Cases that leave nothing to report: an empty folder, and a folder that merely has a file-like name.
SILENT = {"empty_folder", "folder_named_pdf"}
CJK = re.compile(r"[\u4e00-\u9fff]")
LEAKED = "root:x:0:0"       # /etc/passwd's first line: an external entity must never bring it in


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: str                # failed / ok / needs_ocr / skipped / missing
    reason: str             # the one line a person reads (a failure's or skip's reason, or the notes)
    problem: str            # empty when the case ended as a correct tool ends it

    @property
    def passed(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class CorpusRun:
    ws: Workspace
    cases: list[Case]
    summary: dict              # `dossier ingest --json`
    stderr: str
    returncode: int


def ingest_corpus(dest: Path) -> CorpusRun:
    """The corpus written under `dest` and ingested as a user does it: `dossier ingest 来源 --json`."""
    cases = build_corpus(dest)
    ws, _ = init_workspace(Path(dest) / "工作区")
    result = subprocess.run([sys.executable, "-m", "cli", "-w", str(ws.root), "ingest", str(Path(dest) / "来源"), "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    summary = json.loads(result.stdout) if result.returncode == 0 else {}
    return CorpusRun(ws, cases, summary, result.stderr, result.returncode)


def judge(run: CorpusRun) -> list[Outcome]:
    ws, cases, summary = run.ws, run.cases, run.summary
    conn = catalogue.connect(ws.catalog_path)
    try:
        docs = {doc["id"]: doc for doc in list_documents(conn) if doc["id"] is not None}
        for row in conn.execute("SELECT id, notes FROM documents"):
            docs[row["id"]]["notes"] = json.loads(row["notes"])
            docs[row["id"]]["text"] = "\n".join(r[0] for r in conn.execute(
                "SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (row["id"],)))
    finally:
        conn.close()
    by_path = {path: doc for doc in docs.values() for path in doc["sources"]}
    ended = {item["path"]: ("failed", item["reason"]) for item in summary["failed"]}
    ended.update({item["path"]: ("skipped", item["reason"]) for item in summary["skipped"]})
    return [_judge_one(case, by_path, ended) for case in cases]


def _judge_one(case: Case, by_path: dict, ended: dict) -> Outcome:
    key = display_path(os.path.abspath(case.path))
    doc = by_path.get(key)
    if doc is not None:
        got, reason = doc["status"], doc["error"] or "；".join(doc["notes"])
    elif key in ended:
        got, reason = ended[key]
    else:
        got, reason = ("skipped" if case.name in SILENT else "missing"), ""
    return Outcome(case, got, reason or "", _problem(case, got, reason or "", doc))


# What each expectation accepts: a skip is a path walked past or refused before reading (a link
# that leads nowhere, a pipe), either way reported and never a document; an image kept for OCR may
# already have been read by it.
ACCEPTED = {"failed": {"failed"}, "ok": {"ok"}, "needs_ocr": {"needs_ocr", "ok"}, "skipped": {"skipped", "failed"}}


def _problem(case: Case, got: str, reason: str, doc: dict | None) -> str:
    text = doc["text"] if doc else ""
    if got not in ACCEPTED[case.expect] or (case.expect == "skipped" and doc is not None):
        return f"ended {got}, expected {case.expect}"
    if got in ("failed", "skipped") and case.name not in SILENT:
        if not reason or "\n" in reason or not CJK.search(reason):
            return f"reason is not one Chinese line: {reason!r}"
        if case.note and case.note not in reason:
            return f"reason lacks {case.note!r}: {reason!r}"
    if LEAKED in text:
        return "text holds /etc/passwd"
    if got == "ok":
        if case.marker and case.marker not in text:
            return f"text lacks {case.marker!r}"
        if case.note and not any(case.note in note for note in doc["notes"]):
            return f"notes lack {case.note!r}: {doc['notes']}"
    return ""
