"""What the OCR phase reads and writes in the catalogue: which documents wait for OCR, their
stored pages, and the pages and facts OCR read."""
from __future__ import annotations

import json
import sqlite3
from typing import Iterator

from archive.catalogue.database import now
from archive.catalogue.texts import document_text


def count_waiting_for_ocr(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'needs_ocr'").fetchone()[0]


def highest_document_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(id), 0) FROM documents").fetchone()[0]


def ocr_candidates(conn: sqlite3.Connection, force: bool, checked_through: int) -> list[sqlite3.Row]:
    """(id, sha256, format, title, status) of the documents OCR may read: with `force` every
    readable PDF and image; else scans waiting, and text PDFs added after `checked_through`
    (ids only grow: the catalogue never deletes a document)."""
    if force:
        return conn.execute("SELECT id, sha256, format, title, status, taken FROM documents WHERE status != 'failed' "
                            "AND (format = 'pdf' OR format LIKE 'image:%') ORDER BY id").fetchall()
    return conn.execute("SELECT id, sha256, format, title, status, taken FROM documents WHERE status = 'needs_ocr' "
                        "OR (status = 'ok' AND format = 'pdf' AND id > ?) ORDER BY id", (checked_through,)).fetchall()


def stored_pages(conn: sqlite3.Connection, doc_id: int) -> dict[int, tuple[str, int]]:
    """Page number → (text, whether OCR read it)."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT page, text, ocr FROM pages WHERE doc_id = ? ORDER BY page",
                                                     (doc_id,))}


def document_row(conn: sqlite3.Connection, doc_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()


def put_ocr_page(conn: sqlite3.Connection, doc_id: int, page: int, text: str, scan: bool, *,
                 engine: str | None = None, confidence: float | None = None) -> None:
    """Store what OCR read on a page, with the engine that read it and its confidence. Where it
    saw nothing but the page has text (a page number, a text layer read in force mode), the text
    stays; a scan's page is marked read all the same, so it is not read again, a text PDF's page
    is not OCR text."""
    old = conn.execute("SELECT text FROM pages WHERE doc_id = ? AND page = ?", (doc_id, page)).fetchone()
    if not text.strip() and old is not None and old[0].strip():
        conn.execute("UPDATE pages SET ocr = ? WHERE doc_id = ? AND page = ?", (int(scan), doc_id, page))
        return
    conn.execute("INSERT OR REPLACE INTO pages (doc_id, page, text, ocr, ocr_engine, ocr_confidence) "
                 "VALUES (?, ?, ?, 1, ?, ?)", (doc_id, page, text, engine, confidence))


def page_totals(conn: sqlite3.Connection, doc_id: int) -> tuple[int, int, int, str]:
    """(pages, characters, pages with OCR text, whole text) of a document."""
    pages, chars, read = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(LENGTH(text)), 0), COALESCE(SUM(ocr = 1 AND TRIM(text) != ''), 0) "
        "FROM pages WHERE doc_id = ?", (doc_id,)).fetchone()
    return pages, chars, read, document_text(conn, doc_id)


def source_names(conn: sqlite3.Connection, doc_id: int) -> Iterator[str]:
    """The file names a document arrived under."""
    return (r[0] for r in conn.execute("SELECT name FROM sources WHERE doc_id = ?", (doc_id,)))


def update_after_ocr(conn: sqlite3.Connection, doc_id: int, *, status: str, notes: list[str], pages: int, chars: int,
                     title: str, doc_number: str | None, issuer: str | None, doc_date: str | None,
                     dates: list[str]) -> None:
    """Status, notes and counts after OCR; the facts OCR found fill only what the catalogue lacks.
    The document is marked for re-indexing."""
    conn.execute(
        """UPDATE documents SET status = ?, notes = ?, pages = ?, chars = ?, title = ?,
               doc_number = COALESCE(doc_number, ?), issuer = COALESCE(issuer, ?), doc_date = COALESCE(doc_date, ?),
               dates = CASE WHEN dates = '[]' THEN ? ELSE dates END, indexed = 0, updated_at = ?
           WHERE id = ?""",
        (status, json.dumps(notes, ensure_ascii=False), pages, chars, title, doc_number, issuer, doc_date,
         json.dumps(dates), now(), doc_id))
