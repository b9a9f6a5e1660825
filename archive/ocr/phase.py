"""The OCR phase: after ingest's main batch, scans become text that search and tagging see.

Which pages (mode):
- auto: every page of documents still `needs_ocr` (images, image-only PDFs, and documents a
  failed or interrupted run left), plus the empty or garbled pages of text PDFs catalogued
  since the last completed phase (archive.ocr.engine.pages_needing_ocr);
- force: every page of every image and PDF not read by OCR yet, failed pages retried;
- off: nothing.

Pages run in parallel, one per core, read by the engine dossier.toml's `[ocr] engine` names
(archive.ocr.engine: RapidOCR, or tesseract, which also stands in when RapidOCR is missing),
small documents first so a 200-page scan does not hold back the rest. A document is committed as soon as its last page
is read: its pages' text replaced (pages.ocr = 1), status, chars, facts and the note
"OCR 识别" updated, the caller's `after_update` hook (tagging, years) run, all in one
transaction, with `indexed = 0` so that a run killed before the index commit is indexed by the
next one (archive.ingest.run recovers unindexed documents). Every page's text is cached by sha256, page
and engine version (OcrCache), so a re-run or a resumed crash never reads a page twice, and an
upgraded engine reads it again. Each page keeps which engine read it and how sure it was; a
page read less surely than `[ocr] low_confidence` is noted on the document and sent to review.

The caller holds the workspace lock (archive.locking) and owns `conn` and `backend`.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from archive.index import index_documents
from archive.progress import Progress
from archive import catalogue
from archive.catalogue import Transaction, log_event
from archive.extract import file_title
from archive.faults import crash_point
from archive.extract import read_facts
from archive.ocr.engine import OCR_VERSION, OcrError, OcrUnavailable, PageText, engine_label, ocr_page, pages_needing_ocr, usable_engine
from archive.ocr.images import looks_like_paper, page_count, poppler_status
from archive.index import SearchBackend
from archive.store import Store
from archive.workspace import Workspace
from common.files import atomic_write
from common.messages import _

MODES = ("auto", "off", "force")
OCR_NOTE = "OCR 识别"                 # search and show mark documents whose text came from OCR
INDEX_EVERY = 2.0                      # seconds between index commits while documents complete
PHOTO_NOTE = "照片：画面中没有成段文字，以文件名为说明"
SCENE_ENGINE = "未识别：照片画面里没有纸面"
PHOTO_MIN_CJK = 8                      # Chinese characters a photo must show to keep its OCR text
CJK_RUN = re.compile(r"[\u4e00-\u9fff]")
_OUR_NOTES = ("OCR", OCR_NOTE, PHOTO_NOTE)   # notes this phase owns (replaced on every run)


class OcrCache:
    """OCR results by content hash and page, so a re-run or a resumed crash never reads a page
    twice: `<root>/v<OCR_VERSION>/<engine and version>/<sha[:2]>/<sha>/<page>.json` (text,
    confidence, engine) or `.failed` (the reason)."""

    def __init__(self, root: Path, engine: str) -> None:
        self.root = Path(root) / f"v{OCR_VERSION}" / re.sub(r"[^A-Za-z0-9.]+", "-", engine)

    def _path(self, sha256: str, page: int, suffix: str) -> Path:
        return self.root / sha256[:2] / sha256 / f"{page}.{suffix}"

    def _read(self, sha256: str, page: int, suffix: str) -> str | None:
        try:
            return self._path(sha256, page, suffix).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def get(self, sha256: str, page: int) -> PageText | None:
        try:
            held = json.loads(self._read(sha256, page, "json") or "null")
            return None if held is None else PageText(str(held["text"]), float(held["confidence"]), str(held["engine"]))
        except (ValueError, KeyError, TypeError):
            return None                   # damaged: read the page again

    def failure(self, sha256: str, page: int) -> str | None:
        return self._read(sha256, page, "failed")

    def put(self, sha256: str, page: int, read: PageText) -> None:
        self._write(self._path(sha256, page, "json"), json.dumps(
            {"text": read.text, "confidence": round(read.confidence, 2), "engine": read.engine}, ensure_ascii=False))
        self._path(sha256, page, "failed").unlink(missing_ok=True)

    def put_failure(self, sha256: str, page: int, reason: str) -> None:
        self._write(self._path(sha256, page, "failed"), reason)

    def count(self) -> int:
        """Pages held (text or failure); tests use it to see that a re-run read nothing."""
        return sum(1 for p in self.root.rglob("*") if p.suffix in (".json", ".failed")) if self.root.is_dir() else 0

    @staticmethod
    def _write(path: Path, text: str) -> None:
        # Temporary file + rename: a crash never leaves half a page that a re-run would trust.
        atomic_write(path, text)


@dataclass
class OcrSummary:
    documents: int = 0                 # documents whose text OCR completed or replaced
    pages: int = 0                     # pages read (by the engine or from the cache)
    failed: list[dict] = field(default_factory=list)   # {"id", "title", "page", "reason"}, this run
    skipped_reason: str | None = None  # why OCR did not run at all (no engine can run)
    failed_before: int = 0             # pages that failed in an earlier run (retry with --ocr force)
    engine_pages: int = 0              # pages the engine read in this run (the rest came from the cache)
    engine: str | None = None          # the engine that read them: "rapidocr 3.10.0"
    engine_note: str | None = None     # why another engine than dossier.toml's read them
    low_confidence: int = 0            # pages read less surely than [ocr] low_confidence

    def as_json(self) -> dict:
        return {"documents": self.documents, "pages": self.pages, "failed": self.failed,
                "skipped_reason": self.skipped_reason, "failed_before": self.failed_before,
                "engine_pages": self.engine_pages, "engine": self.engine, "engine_note": self.engine_note,
                "low_confidence": self.low_confidence}


@dataclass
class _Job:
    """One document's pages to read, and what came back."""

    doc_id: int
    sha256: str
    fmt: str                           # "pdf" or "image:<kind>"
    title: str
    status: str
    pages: list[int]
    texts: dict[int, PageText] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    cached_failures: set[int] = field(default_factory=set)
    scene: bool = False                # a camera's photo of a scene, no paper in it: nothing to read

    @property
    def done(self) -> bool:
        return len(self.texts) + len(self.failures) == len(self.pages)


def run_ocr(ws: Workspace, conn: sqlite3.Connection, backend: SearchBackend, *, mode: str = "auto",
            progress: Progress | None = None,
            after_update: Callable[[sqlite3.Connection, list[int]], None] | None = None,
            workers: int | None = None) -> OcrSummary:
    """OCR what `mode` selects (see the module docstring); never raises for a bad page."""
    if mode not in MODES:
        raise ValueError(f"unknown OCR mode {mode!r}: use one of {', '.join(MODES)}")
    summary = OcrSummary()
    if mode == "off":
        return summary
    progress = progress or Progress()
    store, mark = Store(ws.store_dir), _Mark(ws.cache_dir / "ocr" / "checked.json")
    top_id = catalogue.highest_document_id(conn)
    jobs = _plan(conn, store, mode, mark.through)
    recheck_from = None
    if jobs:
        # The engine is looked for only when there are pages to read: most ingests have none.
        engine, note = usable_engine(ws.config.ocr_engine)
        if engine is None:
            # Said only when something waits; the text PDFs stay unchecked (the mark does not move).
            waiting = catalogue.count_waiting_for_ocr(conn)
            if waiting:
                summary.skipped_reason = note + _("（{n} 份文件等待文字识别：见 dossier docs --needs-ocr）").format(n=waiting)
                progress.message(summary.skipped_reason)
            return summary
        summary.engine, summary.engine_note = engine_label(engine), note
        if note:
            progress.message(note)
        runner = _Runner(conn, backend, store, OcrCache(ws.cache_dir / "ocr", summary.engine), summary, progress,
                         after_update, retry_failed=mode == "force", engine=engine,
                         low_confidence=ws.config.ocr_low_confidence)
        recheck_from = runner.run(jobs, workers or os.cpu_count() or 2)
    if mode == "auto":
        mark.save(top_id if recheck_from is None else recheck_from - 1)
    return summary


def _plan(conn: sqlite3.Connection, store: Store, mode: str, checked_through: int) -> list[_Job]:
    """The documents and pages to read, small documents first (then by id: deterministic)."""
    # Text PDFs are checked once: the mark remembers how far.
    jobs: list[_Job] = []
    for row in catalogue.ocr_candidates(conn, mode == "force", checked_through):
        stored = catalogue.stored_pages(conn, row["id"])
        if row["format"] == "pdf" and stored and all(ocr for _, ocr in stored.values()):
            continue                      # read by OCR already (an empty result included)
        path = store.path_for(row["sha256"])
        if row["format"] == "pdf" and mode == "auto" and row["status"] == "ok":
            texts = [stored.get(n, ("", 0))[0] for n in range(1, max(stored, default=0) + 1)]
            wanted = pages_needing_ocr(path, texts)
        else:
            try:
                count = page_count(path, "pdf" if row["format"] == "pdf" else "image")
            except OcrError:
                count = max(stored, default=1)      # reading the page will report the reason
            wanted = list(range(1, count + 1))
        wanted = [n for n in wanted if not stored.get(n, ("", 0))[1]]
        if wanted:
            scene = bool(row["taken"]) and not looks_like_paper(path)
            jobs.append(_Job(row["id"], row["sha256"], row["format"], row["title"], row["status"], wanted, scene=scene))
    jobs.sort(key=lambda job: (len(job.pages), job.doc_id))
    return jobs


class _Mark:
    """The highest document id whose text PDFs were checked for pages needing OCR (a cache:
    losing it only means one full check)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.through = int(json.loads(path.read_text(encoding="utf-8"))["through_doc_id"])
        except (OSError, ValueError, KeyError, TypeError):
            self.through = 0

    def save(self, doc_id: int) -> None:
        if doc_id == self.through:
            return
        atomic_write(self.path, json.dumps({"through_doc_id": doc_id}))


class _Runner:
    def __init__(self, conn, backend, store: Store, cache: OcrCache, summary: OcrSummary, progress: Progress,
                 after_update, *, retry_failed: bool, engine: str, low_confidence: float) -> None:
        self.conn, self.backend, self.store, self.cache = conn, backend, store, cache
        self.summary, self.progress, self.after_update = summary, progress, after_update
        self.retry_failed, self.engine, self.low_confidence = retry_failed, engine, low_confidence
        self.unindexed: list[int] = []
        self.last_index = time.monotonic()
        self.retry_from: int | None = None    # lowest doc id with a failure worth retrying

    def run(self, jobs: list[_Job], workers: int) -> int | None:
        """Read every job; returns the lowest document id that must be checked again, if any."""
        todo: list[tuple[_Job, int]] = []
        for job in jobs:
            for page in job.pages:
                if (held := self.cache.get(job.sha256, page)) is not None:
                    job.texts[page] = held
                elif not self.retry_failed and (reason := self.cache.failure(job.sha256, page)) is not None:
                    job.failures[page] = reason
                    job.cached_failures.add(page)
                else:
                    todo.append((job, page))
        self.progress.start(sum(len(job.pages) for job in jobs), "OCR")
        self.progress.advance(sum(len(job.pages) for job in jobs) - len(todo))
        if any(job.fmt == "pdf" for job, _ in todo) and (reason := poppler_status()):
            self.progress.message(reason)
        for job in jobs:
            if job.done and not job.texts and not self.retry_failed:
                self.summary.failed_before += len(job.cached_failures)    # nothing new to write
            elif job.done:
                self._commit(job)
        pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ocr")
        try:
            pending: dict[Future, tuple[_Job, int]] = {pool.submit(self._read, job, page): (job, page) for job, page in todo}
            while pending:
                finished, _unfinished = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: (pending[f][0].doc_id, pending[f][1])):
                    job, page = pending.pop(future)
                    read, reason, retry = future.result()
                    if reason is None:
                        job.texts[page] = read
                        self.summary.engine_pages += 1
                    else:
                        job.failures[page] = reason
                        if retry:                 # not cached: the next run tries again
                            self.retry_from = min(self.retry_from or job.doc_id, job.doc_id)
                    self.progress.advance(1)
                    if job.done:
                        self._commit(job)
                self._flush_index(force=False)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)   # Ctrl-C: what is committed stays, the rest resumes
            raise
        pool.shutdown()
        self._flush_index(force=True)
        return self.retry_from

    def _read(self, job: _Job, page: int) -> tuple[PageText | None, str | None, bool]:
        """One page in a worker thread (onnxruntime, a tesseract subprocess and Pillow release the
        GIL): (what was read, None, _) or (None, the reason it failed, whether a later run should
        try again). A photo of a scene is not read at all: OCR would find only what is not there."""
        if job.scene:
            return PageText("", 100.0, SCENE_ENGINE), None, False
        try:
            read = ocr_page(self.store.path_for(job.sha256), "pdf" if job.fmt == "pdf" else "image", page, self.engine)
        except OcrUnavailable as exc:     # a missing tool: the page is not to blame
            return None, str(exc), True
        except OcrError as exc:
            self.cache.put_failure(job.sha256, page, str(exc))   # the same page fails the same way: not again
            return None, str(exc), False
        except Exception as exc:  # a bug or a resource problem must not stop the other pages
            return None, _("文字识别意外出错（{kind}：{exc}）；下次导入会重试").format(kind=type(exc).__name__, exc=exc), True
        self.cache.put(job.sha256, page, read)
        return read, None, False

    def _commit(self, job: _Job) -> None:
        """Write one document's OCR text, status and notes, run the hook: one transaction."""
        conn = self.conn
        self.summary.pages += len(job.texts)
        self.summary.failed_before += len(job.cached_failures)
        self.summary.failed += [{"id": job.doc_id, "title": job.title, "page": page, "reason": reason}
                                for page, reason in sorted(job.failures.items()) if page not in job.cached_failures]
        with Transaction(conn):
            row = catalogue.document_row(conn, job.doc_id)
            if row is None:
                return
            photo = bool(row["taken"])      # a camera's photo: a scene unless it plainly shows text
            for page, held in sorted(job.texts.items()):
                kept = held.text if not photo or self._shows_text(held) else ""
                catalogue.put_ocr_page(conn, job.doc_id, page, kept, scan=row["status"] == "needs_ocr",
                                       engine=held.engine, confidence=held.confidence)
            pages, chars, read, text = catalogue.page_totals(conn, job.doc_id)
            status = row["status"]
            if status == "needs_ocr" and (photo or any(c.isalnum() for c in text)) and not job.failures:
                status = "ok"
            notes = [n for n in json.loads(row["notes"] or "[]") if not n.startswith(_OUR_NOTES)]
            if photo and not text.strip():
                notes.append(PHOTO_NOTE)
            elif read:
                notes.append(OCR_NOTE)
            if job.failures:
                failed = sorted(job.failures.items())
                notes.append(_("第 {page} 页文字识别失败：{reason}").format(page=failed[0][0], reason=failed[0][1])
                             + (_("（另有 {n} 页；--ocr force 会重试）").format(n=len(failed) - 1) if len(failed) > 1 else ""))
            elif status == "needs_ocr":
                notes.append(_("文字识别没有找到文字（没有文字的照片，或空白页？）"))
            if (unsure := self._unsure(job, photo)):
                self.summary.low_confidence += len(unsure)
                page, held = unsure[0]
                notes.append(_("OCR 第 {page} 页识别置信度低（{confidence:.0f}%）：请对照原件核对").format(
                    page=page, confidence=held.confidence)
                    + (_("（另有 {n} 页）").format(n=len(unsure) - 1) if len(unsure) > 1 else ""))
            # A PDF's page count is its own; an image has as many pages as frames were read.
            self._update_document(row, text, status, notes, row["pages"] if job.fmt == "pdf" else pages, chars)
            log_event(conn, "ocr", job.doc_id, pages=sorted(job.texts), failed=sorted(job.failures), status=status)
            if self.after_update:
                self.after_update(conn, [job.doc_id])
        crash_point("ocr-committed")
        self.summary.documents += any(t.text.strip() for t in job.texts.values())
        self.unindexed.append(job.doc_id)

    def _shows_text(self, held: PageText) -> bool:
        """Whether a photo's OCR reading is text in the picture (a notice, a banner), not the
        characters an engine sees in leaves, bricks and faces."""
        return len(CJK_RUN.findall(held.text)) >= PHOTO_MIN_CJK and held.confidence >= self.low_confidence

    def _unsure(self, job: _Job, photo: bool = False) -> list[tuple[int, PageText]]:
        """The pages with text kept that the engine read less surely than the workspace accepts
        (a photo keeps only text read surely, so none of its pages is unsure)."""
        return [(page, held) for page, held in sorted(job.texts.items())
                if not photo and held.text.strip() and held.confidence < self.low_confidence]

    def _update_document(self, row: sqlite3.Row, text: str, status: str, notes: list[str], pages: int, chars: int) -> None:
        """Status, notes, counts, and the facts the text now shows where the catalogue had none."""
        facts = read_facts(text)
        names = {file_title(name) for name in catalogue.source_names(self.conn, row["id"])}
        # A scan's title was its file name only because it had no text; a title read from the
        # page is what the extractor would have chosen for a text document.
        title = facts.title[:200] if facts.title and row["status"] == "needs_ocr" and row["title"] in names else row["title"]
        catalogue.update_after_ocr(self.conn, row["id"], status=status, notes=notes, pages=pages, chars=chars,
                                   title=title, doc_number=facts.doc_number, issuer=facts.issuer,
                                   doc_date=facts.doc_date, dates=facts.dates)

    def _flush_index(self, force: bool) -> None:
        if self.unindexed and (force or time.monotonic() - self.last_index >= INDEX_EVERY):
            index_documents(self.conn, self.backend, self.unindexed)
            self.unindexed = []
            self.last_index = time.monotonic()
