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

import functools
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from archive.ocr import run_ocr
from archive import catalogue
from archive.catalogue import Transaction, connect
from common.errors import ExtractionError, is_disk_full, os_reason
from archive.extract import EXTRACTOR_VERSION, DocumentRecord, decode_text, extract_document, file_title
from archive.faults import crash_point
from archive.locking import workspace_lock
from archive.ingest.reading_pool import Reader, ReadingPool
from archive.store import Store
from archive.ingest.walk import Candidate, walk_sources
from archive.workspace import Workspace
from archive.progress import Progress
from archive.index import Analyzer, IndexBatch, Postings, analyze, index_documents, mark_indexed, open_index, rebuild_index
from common.messages import _

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
        self.read_timeout = read_timeout
        self.conn = conn
        self.progress = progress
        self.store = Store(ws.store_dir)
        self.backend = open_index(ws)
        self.reader = reader or functools.partial(extract_for_index, analyze=self.backend.analyzer)
        self.workers = workers
        self.after_insert = after_insert
        self.summary = IngestSummary()

    # -- recovery ----------------------------------------------------------------------------
    def recover(self) -> None:
        """Finish what a killed run left: half-copied files go, unindexed documents get indexed."""
        self.store.clean_tmp()
        if self.backend.needs_rebuild():
            count = catalogue.document_count(self.conn)
            if count:
                self.progress.message(_("正在按目录数据库重建检索索引（{n} 份文件）…").format(n=count))
            rebuild_index(self.conn, self.backend)
            return
        ids = catalogue.unindexed_ids(self.conn)
        if ids:
            self.summary.recovered = len(ids)
            self.progress.message(_("正在为上次中断时未索引的 {n} 份文件建立索引…").format(n=len(ids)))
            self._index(ids)

    # -- the run -----------------------------------------------------------------------------
    def run(self, sources: list[Path], department: str | None) -> IngestSummary:
        self.recover()
        candidates = list(walk_sources(sources, self.ws.own_paths()))
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
        if self.summary.added and self.backend.maintain():
            self.progress.message(_("已合并检索索引的分段"))
        return self.summary

    def _triage(self, cand: Candidate, forced: str | None, pending: dict[str, _Pending]) -> _Pending | None:
        """Decide what a file needs; returns a job when its text must be extracted."""
        if cand.skip:
            self.summary.skipped.append({"path": cand.display, "reason": cand.skip})
            return None
        if cand.problem:
            self._record_failure(cand, cand.problem, forced)
            return None
        known = catalogue.known_source(self.conn, cand.display)
        # Unchanged and still in the store: nothing to do. An original lost from the store is taken
        # again from its source, as `dossier verify` advises.
        if known and known["size"] == cand.size and known["mtime_ns"] == cand.mtime_ns and self.store.has(known["sha256"]):
            self.summary.unchanged += 1
            self.summary.failed_before += known["status"] == "failed"
            return None
        limit = self.ws.config.max_file_mb << 20
        if cand.size > limit:
            self._record_failure(cand, _("文件有 {mb:,.0f} MB，超过 {limit} MB 的上限（dossier.toml 中的 ingest.max_file_mb）").format(mb=cand.size / (1 << 20), limit=self.ws.config.max_file_mb), forced)
            return None
        try:
            sha, size, _new = self.store.put_file(cand.path)
        except OSError as exc:
            if is_disk_full(exc):
                raise
            self._record_failure(cand, _("无法读取该文件：{why}").format(why=os_reason(exc)), forced)
            return None
        crash_point("stored")
        row = catalogue.document_by_hash(self.conn, sha)
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
        doc = catalogue.NewDocument(
            job.sha256, job.size, record.format, record.title, _department(self.ws, job.first, forced),
            record.page_count, record.doc_number, record.issuer, record.doc_date, record.dates, record.status,
            record.error, record.notes, record.table_ratio, EXTRACTOR_VERSION, record.pages, record.taken, record.file_date)
        return catalogue.insert_document(self.conn, doc, job.first.display)

    def _put_source(self, doc_id: int, cand: Candidate, forced: str | None) -> None:
        catalogue.put_source(self.conn, doc_id, cand.display, _name(cand), _department(self.ws, cand, forced),
                             cand.size, cand.mtime_ns)

    def _record_failure(self, cand: Candidate, reason: str, forced: str | None) -> None:
        self.summary.failed.append({"path": cand.display, "reason": reason})
        with Transaction(self.conn):
            catalogue.record_failure(self.conn, cand.display, reason, _department(self.ws, cand, forced))

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
        caption = _sidecar_caption(job.first.path) if record.format.startswith("image:") else None
        if caption:
            record.title, postings = caption, None          # the index analyses the caption here
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
        for doc_id, (_job, record), postings in zip(ids, self.batch, self.postings):
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


def extract_for_index(path: Path, name: str, analyze: Analyzer | None = analyze
                      ) -> tuple[DocumentRecord, tuple[Postings, Postings] | None]:
    """Run in a worker: the document's text and facts, and its index postings when the engine
    takes them analysed ahead (whoosh; tantivy analyses the text itself)."""
    record = extract_document(path, name)
    return record, analyze(record.title, "\n".join(record.pages)) if analyze else None


SIDECAR_BYTES = 4096


def _sidecar_caption(picture: Path) -> str | None:
    """The caption a department wrote beside a photo (活动现场.jpg + 活动现场.txt: 时间、地点、事件),
    its first line; None when there is none or it cannot be read."""
    sidecar = picture.with_suffix(".txt")
    try:
        with open(sidecar, "rb") as handle:
            text = decode_text(handle.read(SIDECAR_BYTES))
    except (OSError, ExtractionError):
        return None
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:200] or None


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
                summary.ocr = run_ocr(ws, conn, ingester.backend, mode=ocr, progress=progress,
                                                after_update=after_insert, workers=workers).as_json()
            return summary
        finally:
            ingester.backend.close()
            conn.close()
