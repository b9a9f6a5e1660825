"""The reads that judging, coverage, review and the volumes need from the catalogue, each one
query (or one per document) so callers never write SQL."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from archive.catalogue.texts import document_text, page_texts

_IDS_PER_QUERY = 500          # well under SQLite's limit on bound parameters


@dataclass(frozen=True)
class JudgingInput:
    """What the automatic pass reads of one document."""

    row: sqlite3.Row                      # id, title, department, status, doc_date, table_ratio
    text: str
    sources: list[tuple[str, str | None]]  # (path as ingested, its department folder)


def judging_input(conn: sqlite3.Connection, doc_id: int) -> JudgingInput | None:
    """The document, its text and sources; None when it is missing or failed."""
    row = conn.execute("SELECT id, title, department, status, format, doc_number, issuer, doc_date, table_ratio, taken, "
                       "file_date "
                       "FROM documents WHERE id = ?",
                       (doc_id,)).fetchone()
    if row is None or row["status"] == "failed":
        return None
    sources = [(r[0], r[1]) for r in conn.execute(
        "SELECT path, department FROM sources WHERE doc_id = ? ORDER BY id", (doc_id,))]
    return JudgingInput(row, document_text(conn, doc_id), sources)


def readable_ids(conn: sqlite3.Connection) -> list[int]:
    """Ids of every document that is not failed, in order."""
    return [r[0] for r in conn.execute("SELECT id FROM documents WHERE status != 'failed' ORDER BY id")]


def source_paths(conn: sqlite3.Connection, doc_id: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT path FROM sources WHERE doc_id = ? ORDER BY id", (doc_id,))]


def review_rows(conn: sqlite3.Connection) -> tuple[list[sqlite3.Row], dict[int, list[sqlite3.Row]], dict[int, list[sqlite3.Row]]]:
    """(documents, tags by document, years by document) of every readable document; a document's
    ocr_confidence is that of its least surely read page (NULL when OCR read none)."""
    docs = conn.execute("""SELECT id, title, department, kind, kind_source, kind_confidence,
                                  (SELECT MIN(ocr_confidence) FROM pages p WHERE p.doc_id = documents.id
                                   AND p.ocr = 1 AND TRIM(p.text) != '') AS ocr_confidence
                           FROM documents WHERE status != 'failed' ORDER BY id""").fetchall()
    tags: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute("SELECT doc_id, code, source, confidence, status, reason FROM tags ORDER BY doc_id, code"):
        tags[row["doc_id"]].append(row)
    years: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute("SELECT doc_id, year, source, reason FROM doc_years ORDER BY doc_id, year"):
        years[row["doc_id"]].append(row)
    return docs, tags, years


def evidence_rows(conn: sqlite3.Connection) -> sqlite3.Cursor:
    """(code, doc_id, kind, tag status, year|None) for every counting tag — one query for all."""
    return conn.execute(
        """SELECT t.code, d.id, d.kind, t.status, y.year
           FROM tags t JOIN documents d ON d.id = t.doc_id
           LEFT JOIN doc_years y ON y.doc_id = d.id
           WHERE t.status != 'rejected' AND d.status != 'failed'""")


def check_rows(conn: sqlite3.Connection) -> list[dict]:
    """What the quality checks read of every readable document: its facts, years, indicators and
    its least sure OCR page (page, confidence) when OCR read it."""
    years = defaultdict(list)
    for doc_id, year in conn.execute("SELECT doc_id, year FROM doc_years ORDER BY year"):
        years[doc_id].append(year)
    codes = defaultdict(list)
    for doc_id, code in conn.execute("SELECT doc_id, code FROM tags WHERE status != 'rejected' ORDER BY code"):
        codes[doc_id].append(code)
    unsure = {row[0]: (row[1], row[2]) for row in conn.execute(
        """SELECT doc_id, page, MIN(ocr_confidence) FROM pages
           WHERE ocr = 1 AND ocr_confidence IS NOT NULL AND TRIM(text) != '' GROUP BY doc_id""")}
    rows = conn.execute("""SELECT id, sha256, title, department, format, material, doc_number, doc_date, taken, kind
                           FROM documents WHERE status != 'failed' ORDER BY id""")
    return [dict(row) | {"years": years[row["id"]], "codes": codes[row["id"]], "unsure_page": unsure.get(row["id"])}
            for row in rows]


def materials(conn: sqlite3.Connection) -> dict[int, str]:
    """The type of material of every readable document that has one."""
    return dict(conn.execute("SELECT id, material FROM documents WHERE status != 'failed' AND material IS NOT NULL"))


def status_counts(conn: sqlite3.Connection) -> tuple[dict[str, int], int]:
    """(documents per status, paths that could not be read at all)."""
    counts = dict(conn.execute("SELECT status, COUNT(*) FROM documents GROUP BY status").fetchall())
    unreadable = conn.execute("SELECT COUNT(*) FROM failures").fetchone()[0]
    return counts, unreadable


def filed_tags(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(code, doc_id) of every tag a volume holds (automatic or accepted, document not failed)."""
    return [(r[0], r[1]) for r in conn.execute(
        """SELECT t.code, t.doc_id FROM tags t JOIN documents d ON d.id = t.doc_id
           WHERE t.status IN ('auto', 'accepted') AND d.status != 'failed'""")]


@dataclass(frozen=True)
class VolumeDocument:
    """What a volume needs of one document: its catalogue columns, years and page texts."""

    row: sqlite3.Row      # id, sha256, format, title, department, pages, doc_number, issuer, doc_date, kind, status
    years: tuple[int, ...]
    pages: list[str]


def volume_document(conn: sqlite3.Connection, doc_id: int) -> VolumeDocument | None:
    doc = conn.execute(
        """SELECT id, sha256, format, title, department, pages, doc_number, issuer, doc_date, kind, status,
                  material, activity, taken FROM documents WHERE id = ?""", (doc_id,)).fetchone()
    if doc is None:
        return None
    years = tuple(r[0] for r in conn.execute("SELECT year FROM doc_years WHERE doc_id = ? ORDER BY year", (doc_id,)))
    return VolumeDocument(doc, years, page_texts(conn, doc_id))


def document_title(conn: sqlite3.Connection, doc_id: int) -> str | None:
    row = conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return row[0] if row else None


@contextmanager
def rolled_back(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that is always rolled back: to show what a change would do."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")


def hit_rows(conn: sqlite3.Connection, ids: list[int]) -> tuple[dict[int, sqlite3.Row], dict[int, list[int]]]:
    """The catalogue rows (id, sha256, title, department, format) and years of search hits, a few
    queries for many hits."""
    rows: dict[int, sqlite3.Row] = {}
    years: dict[int, list[int]] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start:start + _IDS_PER_QUERY]
        marks = ",".join("?" * len(chunk))
        rows.update((r["id"], r) for r in conn.execute(
            f"SELECT id, sha256, title, department, format FROM documents WHERE id IN ({marks})", chunk))
        for doc_id, year in conn.execute(
                f"SELECT doc_id, year FROM doc_years WHERE doc_id IN ({marks}) ORDER BY year", chunk):
            years.setdefault(doc_id, []).append(year)
    return rows, years


@dataclass
class ConsistencyFacts:
    """What `dossier verify` compares with the store and the index."""

    integrity: str                        # SQLite's integrity_check: "ok" or the damage
    documents: dict[str, int]             # sha256 → id
    sources: int
    dangling_sources: int                 # source paths whose document is gone
    pending_index: int                    # documents marked for re-indexing


def consistency_facts(conn: sqlite3.Connection) -> ConsistencyFacts:
    return ConsistencyFacts(
        integrity=conn.execute("PRAGMA integrity_check").fetchone()[0],
        documents={r["sha256"]: r["id"] for r in conn.execute("SELECT id, sha256 FROM documents")},
        sources=conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
        dangling_sources=conn.execute(
            "SELECT COUNT(*) FROM sources WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0],
        pending_index=conn.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0],
    )
