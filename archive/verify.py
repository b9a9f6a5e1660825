"""`dossier verify`: the store, the catalogue and the index agree."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from archive.store import Store
from archive.index import SearchBackend


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sample(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def verify(conn: sqlite3.Connection, store: Store, backend: SearchBackend, deep: bool = False) -> VerifyReport:
    """Check every invariant the design promises; `deep` also re-hashes every stored original."""
    report = VerifyReport()
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        report.problems.append(f"the catalogue database is damaged: {integrity}")
    docs = {r["sha256"]: r["id"] for r in conn.execute("SELECT id, sha256 FROM documents")}
    stored = set(store.iter_hashes())
    report.counts = {"documents": len(docs), "stored": len(stored),
                     "sources": conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]}
    missing = sorted(sha for sha in docs if sha not in stored)
    if missing:
        report.problems.append(f"{len(missing)} originals are missing from the store: {_sample(missing)}")
    orphans = sorted(stored - set(docs))
    if orphans:
        report.warnings.append(f"{len(orphans)} stored files belong to no document (an interrupted ingest; the next ingest of those files adopts them)")
    if deep:
        damaged = [sha for sha in sorted(stored & set(docs)) if store.hash_of(sha) != sha]
        if damaged:
            report.problems.append(f"{len(damaged)} stored originals no longer match their hash: {_sample(damaged)}")
    dangling = conn.execute("SELECT COUNT(*) FROM sources WHERE doc_id NOT IN (SELECT id FROM documents)").fetchone()[0]
    if dangling:
        report.problems.append(f"{dangling} source paths point at no document")
    _check_index(conn, backend, docs, report)
    return report


def _check_index(conn: sqlite3.Connection, backend: SearchBackend, docs: dict[str, int], report: VerifyReport) -> None:
    if backend.needs_rebuild():
        if docs:
            report.problems.append("the search index is missing, damaged or outdated; run `dossier reindex`")
        return
    indexed = backend.doc_ids()
    report.counts["indexed"] = len(indexed)
    ids = set(docs.values())
    absent = sorted(ids - indexed)
    extra = sorted(indexed - ids)
    if absent:
        report.problems.append(f"{len(absent)} documents are not in the search index (ids {_sample([str(i) for i in absent])}); run `dossier reindex`")
    if extra:
        report.problems.append(f"the search index holds {len(extra)} documents the catalogue does not; run `dossier reindex`")
    pending = conn.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0]
    if pending and not absent:
        report.warnings.append(f"{pending} documents are marked for re-indexing")
