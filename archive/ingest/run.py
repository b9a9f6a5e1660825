"""Ingest: every file in, once, with its text — and a workspace that survives a kill at any moment.

Order of work for a new original, and why it is crash-safe:
1. the bytes are copied into the store under their sha256 (temp file + rename);
2. text is extracted, and analysed for the index, in a worker process (a hung or crashing
   extractor cannot stop the batch);
3. the document, its source path and its text go into the catalogue in one transaction
   (a batch of BATCH documents), marked `indexed = 0`;
4. the full-text index is committed (every INDEX_BATCH documents and at the end), then the
   documents it holds are marked `indexed = 1`.
A run killed anywhere leaves at most an unreferenced store file or unindexed documents; the
next run picks both up (the path is not yet in `sources`; `indexed = 0` is indexed first).
"""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from archive.ocr import phase as ocr_phase
from archive.catalogue.database import Transaction, connect, log_event, now
from archive.errors import is_disk_full
from archive.extract import EXTRACTOR_VERSION, DocumentRecord, extract_document, file_title
from archive.faults import crash_point
from archive.locking import workspace_lock
from archive.ingest.reading_pool import Reader, ReadingPool
from archive.store import Store
from archive.ingest.walk import Candidate, walk_sources
from archive.workspace import Workspace
from archive.progress import Progress
from archive.index import IndexBatch, Postings, SearchBackend, analyze, index_documents, mark_indexed, open_index, rebuild_index

EXTRACT_TIMEOUT = 300          # seconds one file may take before it is given up as failed
IN_FLIGHT_PER_WORKER = 16      # extraction results waiting to be taken, per worker


def _batch_sizes(spec: str | None) -> tuple[int, int]:
    """Documents per catalogue transaction, and per index commit (a crash re-indexes at most
    these). DOSSIER_BATCHES=catalogue,index overrides both, so tests can cross many batch edges."""
    try:
        catalogue, index = (int(n) for n in (spec or "").split(","))
        if catalogue > 0 and index > 0:
            return catalogue, index
    except ValueError:
        pass
    return 200, 5000


BATCH, INDEX_BATCH = _batch_sizes(os.environ.get("DOSSIER_BATCHES"))


@dataclass
class IngestSummary:
    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    needs_ocr: int = 0
    failed: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    recovered: int = 0
    failed_before: int = 0         # unchanged files that failed in an earlier run
    ocr: dict | None = None        # what the OCR phase did (archive.ocr.phase.OcrSummary.as_json)
    added_ids: list[int] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"added": self.added, "duplicates": self.duplicates, "unchanged": self.unchanged,
                "needs_ocr": self.needs_ocr, "failed": self.failed, "skipped": self.skipped,
                "recovered": self.recovered, "failed_before": self.failed_before, "ocr": self.ocr}


@dataclass
class _Pending:
    """A new original whose text is being extracted, and every path it arrived under."""

    sha256: str
    size: int
    first: Candidate
    extra: list[Candidate] = field(default_factory=list)


def _department(ws: Workspace, cand: Candidate, forced: str | None) -> str | None:
    return ws.department_name(forced or cand.department)


class Ingester:
    def __init__(self, ws: Workspace, conn: sqlite3.Connection, progress: Progress,
                 workers: int | None = None, after_insert: Callable[[sqlite3.Connection, list[int]], None] | None = None,
                 reader: Reader | None = None, read_timeout: float = EXTRACT_TIMEOUT) -> None:
        self.ws = ws
        self.reader = reader or extract_for_index
        self.read_timeout = read_timeout
        self.conn = conn
        self.progress = progress
        self.store = Store(ws.store_dir)
        self.backend = open_index(ws)
        self.workers = workers
        self.after_insert = after_insert
        self.summary = IngestSummary()

    # -- recovery ----------------------------------------------------------------------------
    def recover(self) -> None:
        """Finish what a killed run left: half-copied files go, unindexed documents get indexed."""
        self.store.clean_tmp()
        if self.backend.needs_rebuild():
            count = self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            if count:
                self.progress.message(f"rebuilding the search index from the catalogue ({count} documents)…")
            rebuild_index(self.conn, self.backend)
            return
        ids = [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE indexed = 0")]
        if ids:
            self.summary.recovered = len(ids)
            self.progress.message(f"indexing {len(ids)} documents left unindexed by an interrupted run…")
            self._index(ids)

    # -- the run -----------------------------------------------------------------------------
    def run(self, sources: list[Path], department: str | None) -> IngestSummary:
        self.recover()
        candidates = list(walk_sources(sources))
        self.progress.start(len(candidates), "ingest")
        pending: dict[str, _Pending] = {}
        window = IN_FLIGHT_PER_WORKER * self.worker_count
        with ReadingPool(self.worker_count, self.reader, self.read_timeout, _failed_read) as reading, \
                self.backend.batch() as index:
            collector = _Collector(self, index, department)
            for cand in candidates:
                job = self._triage(cand, department, pending)
                if job is None:
                    self.progress.advance()
                    continue
                reading.submit(job, self.store.path_for(job.sha256), _name(job.first))
                # Results are taken in order while later files are still being copied: memory
                # stays bounded and document ids follow the walk whatever the workers' pace.
                while reading.in_flight > window:
                    collector.take(*reading.take())
            while reading.in_flight:
                collector.take(*reading.take())
            collector.finish()
        return self.summary

    def _triage(self, cand: Candidate, forced: str | None, pending: dict[str, _Pending]) -> _Pending | None:
        """Decide what a file needs; returns a job when its text must be extracted."""
        if cand.skip:
            self.summary.skipped.append({"path": cand.display, "reason": cand.skip})
            return None
        if cand.problem:
            self._record_failure(cand, cand.problem, forced)
            return None
        known = self.conn.execute(
            "SELECT s.doc_id, s.size, s.mtime_ns, d.status FROM sources s JOIN documents d ON d.id = s.doc_id WHERE s.path = ?",
            (cand.display,)).fetchone()
        if known and known["size"] == cand.size and known["mtime_ns"] == cand.mtime_ns:
            self.summary.unchanged += 1
            self.summary.failed_before += known["status"] == "failed"
            return None
        limit = self.ws.config.max_file_mb << 20
        if cand.size > limit:
            self._record_failure(cand, f"the file is {cand.size / (1 << 20):,.0f} MB, over the {self.ws.config.max_file_mb} MB limit (ingest.max_file_mb in dossier.toml)", forced)
            return None
        try:
            sha, size, _ = self.store.put_file(cand.path)
        except OSError as exc:
            if is_disk_full(exc):
                raise
            self._record_failure(cand, f"cannot read the file: {exc.strerror or exc}", forced)
            return None
        crash_point("stored")
        row = self.conn.execute("SELECT id, status, error FROM documents WHERE sha256 = ?", (sha,)).fetchone()
        if row:
            with Transaction(self.conn):
                self._put_source(row["id"], cand, forced)
            if known and known["doc_id"] == row["id"]:
                self.summary.unchanged += 1  # touched, same content
            elif row["status"] == "failed":
                # A copy of a file that failed fails too; the person must hear about every path.
                self.summary.failed.append({"path": cand.display, "reason": row["error"]})
            else:
                self.summary.duplicates += 1
            return None
        if sha in pending:
            pending[sha].extra.append(cand)
            return None
        pending[sha] = job = _Pending(sha, size, cand)
        return job

    def catalogue(self, batch: list[tuple[_Pending, DocumentRecord]], forced: str | None) -> list[int]:
        """Catalogue a batch of new documents in one transaction; returns their ids."""
        self.store.sync()  # the originals are on disk before the catalogue names them
        ids: list[int] = []
        with Transaction(self.conn):
            for job, record in batch:
                doc_id = self._insert_document(job, record, forced)
                ids.append(doc_id)
                for cand in (job.first, *job.extra):
                    self._put_source(doc_id, cand, forced)
                self._count(record, job)
            if self.after_insert:
                self.after_insert(self.conn, ids)
        crash_point("catalogued")
        self.summary.added_ids.extend(ids)
        return ids

    def _count(self, record: DocumentRecord, job: _Pending) -> None:
        if record.status == "failed":
            for cand in (job.first, *job.extra):
                self.summary.failed.append({"path": cand.display, "reason": record.error})
        else:
            self.summary.duplicates += len(job.extra)
            self.summary.added += 1
            if record.status == "needs_ocr":
                self.summary.needs_ocr += 1

    def _insert_document(self, job: _Pending, record: DocumentRecord, forced: str | None) -> int:
        stamp = now()
        cursor = self.conn.execute(
            """INSERT INTO documents (sha256, size, format, title, department, pages, doc_number, issuer,
                   doc_date, dates, status, error, notes, table_ratio, extractor, chars, indexed, added_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""",
            (job.sha256, job.size, record.format, record.title, _department(self.ws, job.first, forced),
             record.page_count, record.doc_number, record.issuer, record.doc_date,
             json.dumps(record.dates), record.status, record.error, json.dumps(record.notes, ensure_ascii=False),
             record.table_ratio, EXTRACTOR_VERSION, sum(len(p) for p in record.pages), stamp, stamp),
        )
        doc_id = cursor.lastrowid
        self.conn.executemany("INSERT INTO pages (doc_id, page, text) VALUES (?, ?, ?)",
                              [(doc_id, number, text) for number, text in enumerate(record.pages, start=1)])
        log_event(self.conn, "ingest", doc_id, path=job.first.display, status=record.status)
        return doc_id

    def _put_source(self, doc_id: int, cand: Candidate, forced: str | None) -> None:
        stamp = now()
        self.conn.execute(
            """INSERT INTO sources (doc_id, path, name, department, size, mtime_ns, first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, department = excluded.department,
                   size = excluded.size, mtime_ns = excluded.mtime_ns, last_seen = excluded.last_seen""",
            (doc_id, cand.display, _name(cand), _department(self.ws, cand, forced), cand.size, cand.mtime_ns, stamp, stamp),
        )
        self.conn.execute("DELETE FROM failures WHERE path = ?", (cand.display,))

    def _record_failure(self, cand: Candidate, reason: str, forced: str | None) -> None:
        self.summary.failed.append({"path": cand.display, "reason": reason})
        with Transaction(self.conn):
            self.conn.execute(
                """INSERT INTO failures (path, reason, department, at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, at = excluded.at""",
                (cand.display, reason, _department(self.ws, cand, forced), now()),
            )

    def _index(self, ids: list[int]) -> None:
        index_documents(self.conn, self.backend, ids)

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 2


class _Collector:
    """Takes extraction results in order: the catalogue gets them in batches of BATCH, the
    index every INDEX_BATCH documents, committed beside the ingest (archive.index.batch); a
    document is marked indexed only after the index commit that holds it has ended."""

    def __init__(self, ingester: Ingester, index: IndexBatch, forced: str | None) -> None:
        self.ingester, self.index, self.forced = ingester, index, forced
        self.batch: list[tuple[_Pending, DocumentRecord]] = []
        self.postings: list[tuple[Postings, Postings] | None] = []

    def take(self, job: _Pending, result: tuple[DocumentRecord, tuple[Postings, Postings] | None]) -> None:
        record, postings = result
        self.batch.append((job, record))
        self.postings.append(postings)
        self.ingester.progress.advance()
        if len(self.batch) >= BATCH:
            self._catalogue()
        self._mark(self.index.finished())
        if len(self.index.pending) >= INDEX_BATCH:
            self.index.start_commit()

    def finish(self) -> None:
        self._catalogue()
        self._mark(self.index.commit())

    def _catalogue(self) -> None:
        if not self.batch:
            return
        ids = self.ingester.catalogue(self.batch, self.forced)
        for doc_id, (_, record), postings in zip(ids, self.batch, self.postings):
            title, content = postings or (record.title, "\n".join(record.pages))
            self.index.add(doc_id, title, content)
        self.batch, self.postings = [], []

    def _mark(self, ids: list[int]) -> None:
        if ids:
            crash_point("indexed")
            mark_indexed(self.ingester.conn, ids)


def _failed_read(name: str, reason: str) -> tuple[DocumentRecord, None]:
    """A file no worker could read: a failed document titled by its name, nothing to index."""
    return DocumentRecord(format="unknown", status="failed", title=file_title(name), error=reason), None


def extract_for_index(path: Path, name: str) -> tuple[DocumentRecord, tuple[Postings, Postings]]:
    """Run in a worker: the document's text and facts, and its index postings."""
    record = extract_document(path, name)
    return record, analyze(record.title, "\n".join(record.pages))


def _name(cand: Candidate) -> str:
    return cand.display.rsplit("/", 1)[-1]


def ingest(ws: Workspace, sources: list[Path], *, department: str | None = None,
           progress: Progress | None = None, workers: int | None = None,
           after_insert: Callable[[sqlite3.Connection, list[int]], None] | None = None,
           lock_wait: float = 30.0, ocr: str = "off", reader: Reader | None = None,
           read_timeout: float = EXTRACT_TIMEOUT) -> IngestSummary:
    """Ingest files and folders into the workspace; see the module docstring for the guarantees.

    `ocr` (auto | force | off) runs the OCR phase after the batch, so a long scan never holds
    up the other files: they are catalogued and searchable before OCR starts. `reader` (run in
    the workers; default `extract_for_index`) and `read_timeout` let tests give a reader that
    crashes or hangs.
    """
    progress = progress or Progress()
    with workspace_lock(ws.lock_path, "ingest", wait=lock_wait, on_wait=progress.message):
        conn = connect(ws.catalog_path)
        ingester = Ingester(ws, conn, progress, workers=workers, after_insert=after_insert,
                            reader=reader, read_timeout=read_timeout)
        try:
            summary = ingester.run(sources, department)
            if ocr != "off":
                summary.ocr = ocr_phase.run_ocr(ws, conn, ingester.backend, mode=ocr, progress=progress,
                                                after_update=after_insert, workers=workers).as_json()
            return summary
        finally:
            ingester.backend.close()
            conn.close()
