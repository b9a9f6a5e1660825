"""The text of documents as the catalogue holds it, page by page, and its indexed flag."""
from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator

from archive.catalogue.database import Transaction


def page_texts(conn: sqlite3.Connection, doc_id: int) -> list[str]:
    """The text of each page, in page order."""
    return [r[0] for r in conn.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (doc_id,))]


def numbered_pages(conn: sqlite3.Connection, doc_id: int) -> list[tuple[int, str]]:
    """(page number, text) of each page, in page order."""
    return [(r[0], r[1]) for r in conn.execute("SELECT page, text FROM pages WHERE doc_id = ? ORDER BY page", (doc_id,))]


def document_text(conn: sqlite3.Connection, doc_id: int) -> str:
    """The whole text, pages joined by newlines."""
    return "\n".join(page_texts(conn, doc_id))


def ocr_pages(conn: sqlite3.Connection, doc_id: int) -> set[int]:
    """Numbers of the pages whose text came from OCR."""
    return {r[0] for r in conn.execute("SELECT page FROM pages WHERE doc_id = ? AND ocr = 1", (doc_id,))}


def titled_texts(conn: sqlite3.Connection, ids: Iterable[int]) -> Iterator[tuple[int, str, str]]:
    """(id, title, whole text) of each document that exists, in the order given."""
    for doc_id in ids:
        row = conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None:
            yield doc_id, row[0], document_text(conn, doc_id)


def all_document_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]


def mark_indexed(conn: sqlite3.Connection, ids: list[int] | None = None) -> None:
    """Mark these documents (None: every document) as searchable in the index."""
    with Transaction(conn):
        if ids is None:
            conn.execute("UPDATE documents SET indexed = 1")
        elif ids:
            conn.executemany("UPDATE documents SET indexed = 1 WHERE id = ?", [(i,) for i in ids])
