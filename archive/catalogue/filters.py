"""One filter for documents — by indicator, department, year, kind, status — and its SQL, used by
the listings (`dossier docs`) and by search alike."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass
class DocumentFilter:
    indicator: str | None = None      # tagged with this code (tag not rejected)
    department: str | None = None     # sent by this department (the document's or any source's)
    year: int | None = None           # covers this year
    kind: str | None = None           # statistics | activity
    failed: bool = False              # only documents that could not be read
    untagged: bool = False            # only readable documents without any tag
    needs_ocr: bool = False           # only scans waiting for OCR

    @property
    def empty(self) -> bool:
        return not any((self.indicator, self.department, self.year, self.kind, self.failed, self.untagged,
                        self.needs_ocr))


def where_clause(f: DocumentFilter) -> tuple[str, list]:
    """("WHERE …" or "", parameters) over `documents d`."""
    clauses, params = [], []
    if f.department:
        clauses.append("(d.department = ? OR EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = d.id AND s.department = ?))")
        params += [f.department, f.department]
    if f.year:
        clauses.append("EXISTS (SELECT 1 FROM doc_years y WHERE y.doc_id = d.id AND y.year = ?)")
        params.append(f.year)
    if f.kind:
        clauses.append("d.kind = ?")
        params.append(f.kind)
    if f.failed:
        clauses.append("d.status = 'failed'")
    if f.needs_ocr:
        clauses.append("d.status = 'needs_ocr'")
    if f.indicator:
        clauses.append("EXISTS (SELECT 1 FROM tags t WHERE t.doc_id = d.id AND t.code = ? AND t.status != 'rejected')")
        params.append(f.indicator)
    if f.untagged:
        clauses.append("d.status != 'failed' AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.doc_id = d.id AND t.status != 'rejected')")
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def matching_ids(conn: sqlite3.Connection, f: DocumentFilter) -> set[int] | None:
    """Ids of the documents the filter lets through; None when it lets every document through."""
    if f.empty:
        return None
    where, params = where_clause(f)
    return {row[0] for row in conn.execute(f"SELECT d.id FROM documents d {where}", params)}
