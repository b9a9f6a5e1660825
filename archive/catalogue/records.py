"""What ingest writes and reads in the catalogue: documents with their pages, the paths they
came from (sources), paths that could not be read (failures)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from archive.catalogue.database import log_event, now


@dataclass(frozen=True)
class NewDocument:
    """One original as extraction left it, ready to be catalogued."""

    sha256: str
    size: int
    format: str
    title: str
    department: str | None
    page_count: int
    doc_number: str | None
    issuer: str | None
    doc_date: str | None
    dates: list[str]
    status: str
    error: str | None
    notes: list[str]
    table_ratio: float
    extractor: int
    pages: list[str]
    taken: str | None = None       # a photo's day, from its camera
    file_date: str | None = None   # the day the file's metadata says it was saved or made


def document_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def unindexed_ids(conn: sqlite3.Connection) -> list[int]:
    """Documents whose current text is not yet in the index (an interrupted run, OCR)."""
    return [r[0] for r in conn.execute("SELECT id FROM documents WHERE indexed = 0")]


def known_source(conn: sqlite3.Connection, path: str) -> sqlite3.Row | None:
    """(doc_id, size, mtime_ns, status, sha256) of a path ingested before, or None."""
    return conn.execute(
        "SELECT s.doc_id, s.size, s.mtime_ns, d.status, d.sha256 FROM sources s JOIN documents d ON d.id = s.doc_id WHERE s.path = ?",
        (path,)).fetchone()


def document_by_hash(conn: sqlite3.Connection, sha256: str) -> sqlite3.Row | None:
    """(id, status, error) of the document with this content, or None."""
    return conn.execute("SELECT id, status, error FROM documents WHERE sha256 = ?", (sha256,)).fetchone()


def insert_document(conn: sqlite3.Connection, doc: NewDocument, first_path: str) -> int:
    """A new document with its pages, inside the caller's transaction; returns its id."""
    stamp = now()
    cursor = conn.execute(
        """INSERT INTO documents (sha256, size, format, title, department, pages, doc_number, issuer,
               doc_date, dates, status, error, notes, table_ratio, extractor, chars, indexed, added_at, updated_at, taken, file_date)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)""",
        (doc.sha256, doc.size, doc.format, doc.title, doc.department, doc.page_count, doc.doc_number, doc.issuer,
         doc.doc_date, json.dumps(doc.dates), doc.status, doc.error, json.dumps(doc.notes, ensure_ascii=False),
         doc.table_ratio, doc.extractor, sum(len(p) for p in doc.pages), stamp, stamp, doc.taken, doc.file_date),
    )
    doc_id = cursor.lastrowid
    conn.executemany("INSERT INTO pages (doc_id, page, text) VALUES (?, ?, ?)",
                     [(doc_id, number, text) for number, text in enumerate(doc.pages, start=1)])
    log_event(conn, "ingest", doc_id, path=first_path, status=doc.status)
    return doc_id


def put_source(conn: sqlite3.Connection, doc_id: int, path: str, name: str, department: str | None,
               size: int, mtime_ns: int) -> None:
    """Record (or move) a path a document arrived under; the path is no longer a failure."""
    stamp = now()
    conn.execute(
        """INSERT INTO sources (doc_id, path, name, department, size, mtime_ns, first_seen, last_seen)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(path) DO UPDATE SET doc_id = excluded.doc_id, department = excluded.department,
               size = excluded.size, mtime_ns = excluded.mtime_ns, last_seen = excluded.last_seen""",
        (doc_id, path, name, department, size, mtime_ns, stamp, stamp),
    )
    conn.execute("DELETE FROM failures WHERE path = ?", (path,))


def record_failure(conn: sqlite3.Connection, path: str, reason: str, department: str | None) -> None:
    """A path that could not be read at all, with the reason, inside the caller's transaction."""
    conn.execute(
        """INSERT INTO failures (path, reason, department, at) VALUES (?, ?, ?, ?)
           ON CONFLICT(path) DO UPDATE SET reason = excluded.reason, at = excluded.at""",
        (path, reason, department, now()),
    )
