"""Reading documents back from the catalogue: listings, one document's detail, DOC references."""
from __future__ import annotations

import json
import sqlite3

from archive.catalogue.filters import DocumentFilter, where_clause
from common.errors import DocumentNotFound


def resolve_doc(conn: sqlite3.Connection, ref: str) -> int:
    """A document id, or a unique prefix (≥ 4 characters) of its sha256."""
    ref = ref.strip().lower()
    # An id is an SQLite integer: more than 18 digits (or digits of other scripts) is none.
    if ref.isascii() and ref.isdigit() and len(ref) <= 18 and conn.execute("SELECT 1 FROM documents WHERE id = ?", (int(ref),)).fetchone():
        return int(ref)
    if len(ref) >= 4 and all(c in "0123456789abcdef" for c in ref):
        rows = conn.execute("SELECT id FROM documents WHERE sha256 LIKE ? LIMIT 3", (ref + "%",)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise DocumentNotFound(ref, ambiguous=True)
    raise DocumentNotFound(ref)


def _tags(conn: sqlite3.Connection, doc_id: int) -> list[dict]:
    rows = conn.execute(
        "SELECT code, source, confidence, status, reason FROM tags WHERE doc_id = ? ORDER BY status = 'rejected', confidence DESC, code",
        (doc_id,),
    )
    return [{"code": r["code"], "source": r["source"], "confidence": round(r["confidence"], 3),
             "status": r["status"], "reason": r["reason"]} for r in rows]


def _years(conn: sqlite3.Connection, doc_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT year FROM doc_years WHERE doc_id = ? ORDER BY year", (doc_id,))]


def _sources(conn: sqlite3.Connection, doc_id: int) -> list[str]:
    return [r[0] for r in conn.execute("SELECT path FROM sources WHERE doc_id = ? ORDER BY id", (doc_id,))]


def document_summary(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    """A document in the `docs --json` shape of design.md."""
    return {
        "id": row["id"], "sha256": row["sha256"], "title": row["title"], "department": row["department"],
        "format": row["format"], "pages": row["pages"], "years": _years(conn, row["id"]), "kind": row["kind"],
        "status": row["status"], "error": row["error"], "sources": _sources(conn, row["id"]),
        "tags": _tags(conn, row["id"]), "doc_number": row["doc_number"], "issuer": row["issuer"],
        "doc_date": row["doc_date"], "material": row["material"], "taken": row["taken"], "activity": row["activity"],
    }


def list_documents(conn: sqlite3.Connection, filters: DocumentFilter | None = None) -> list[dict]:
    """Documents (and, with `failed`, paths that could not be read at all), ordered by id."""
    filters = filters or DocumentFilter()
    where, params = where_clause(filters)
    docs = [document_summary(conn, row) for row in conn.execute(f"SELECT * FROM documents d {where} ORDER BY d.id", params)]
    if filters.failed and not filters.indicator and not filters.untagged and not filters.year and not filters.kind:
        docs += unreadable_paths(conn, filters.department)
    return docs


def unreadable_paths(conn: sqlite3.Connection, department: str | None = None) -> list[dict]:
    """Paths that failed before any content could be read (no document exists for them)."""
    query, params = "SELECT path, reason, department FROM failures", []
    if department:
        query += " WHERE department = ?"
        params.append(department)
    return [
        {"id": None, "sha256": None, "title": r["path"].rsplit("/", 1)[-1], "department": r["department"],
         "format": None, "pages": 0, "years": [], "kind": None, "status": "failed", "error": r["reason"],
         "sources": [r["path"]], "tags": []}
        for r in conn.execute(query + " ORDER BY path", params)
    ]


def document_detail(conn: sqlite3.Connection, doc_id: int, text_chars: int = 600) -> dict:
    """Everything `dossier show` prints about one document."""
    row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise DocumentNotFound(str(doc_id))
    detail = document_summary(conn, row)
    pages = conn.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (doc_id,)).fetchall()
    text = "\n".join(p[0] for p in pages)
    detail.update({
        "size": row["size"], "dates": json.loads(row["dates"]), "notes": json.loads(row["notes"]),
        "kind_source": row["kind_source"], "kind_reason": row["kind_reason"],
        "material_source": row["material_source"], "material_reason": row["material_reason"],
        "kind_confidence": row["kind_confidence"], "chars": row["chars"],
        "added_at": row["added_at"], "text_head": text[:text_chars],
        "year_reasons": [dict(r) for r in conn.execute(
            "SELECT year, source, reason FROM doc_years WHERE doc_id = ? ORDER BY year", (doc_id,))],
        # Which engine read each scanned page and how sure it was (0-100).
        "ocr_pages": [{"page": r[0], "engine": r[1], "confidence": None if r[2] is None else round(r[2], 1)}
                      for r in conn.execute("SELECT page, ocr_engine, ocr_confidence FROM pages WHERE doc_id = ? "
                                            "AND ocr = 1 AND ocr_engine IS NOT NULL ORDER BY page", (doc_id,))],
    })
    return detail


def document_summaries(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    """The `docs --json` shape of the documents `ids`, in that order (missing ids left out)."""
    out = []
    for doc_id in ids:
        row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None:
            out.append(document_summary(conn, row))
    return out
