"""Ranked indicator suggestions and the decisions the learned model learns from."""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class StoredSuggestion:
    code: str
    score: float
    source: str
    reason: str


@dataclass(frozen=True)
class Decisions:
    """What people decided about tags: codes filed by hand, and codes they removed, by document."""
    filed: dict[int, tuple[str, ...]]
    rejected: dict[int, frozenset[str]]


def set_rule_suggestions(conn: sqlite3.Connection, doc_id: int, suggestions: list[StoredSuggestion]) -> None:
    """Replace the stored suggestions of one document (best first)."""
    conn.execute("DELETE FROM suggestions WHERE doc_id = ?", (doc_id,))
    conn.executemany("INSERT INTO suggestions (doc_id, rank, code, score, source, reason) VALUES (?, ?, ?, ?, ?, ?)",
                     [(doc_id, rank, s.code, s.score, s.source, s.reason) for rank, s in enumerate(suggestions, 1)])


def rule_suggestions(conn: sqlite3.Connection, doc_ids: list[int] | None = None) -> dict[int, list[StoredSuggestion]]:
    """Stored suggestions by document, best first (of every document when `doc_ids` is None)."""
    out: dict[int, list[StoredSuggestion]] = defaultdict(list)
    if doc_ids is None:
        rows = conn.execute("SELECT * FROM suggestions ORDER BY doc_id, rank").fetchall()
    else:
        rows = []
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start:start + 500]
            rows += conn.execute(f"SELECT * FROM suggestions WHERE doc_id IN ({','.join('?' * len(chunk))}) "
                                 "ORDER BY doc_id, rank", chunk).fetchall()
    for r in rows:
        out[r["doc_id"]].append(StoredSuggestion(r["code"], r["score"], r["source"], r["reason"]))
    return dict(out)


def tag_decisions(conn: sqlite3.Connection) -> Decisions:
    """Every tag a person set or removed, on readable documents."""
    filed: dict[int, list[str]] = defaultdict(list)
    rejected: dict[int, set[str]] = defaultdict(set)
    for r in conn.execute("""SELECT t.doc_id, t.code, t.status FROM tags t JOIN documents d ON d.id = t.doc_id
                             WHERE t.source = 'manual' AND d.status != 'failed' ORDER BY t.doc_id, t.code"""):
        (filed[r[0]].append(r[1]) if r[2] == "accepted" else rejected[r[0]].add(r[1]))
    return Decisions({k: tuple(v) for k, v in filed.items()}, {k: frozenset(v) for k, v in rejected.items()})


def text_keys(conn: sqlite3.Connection) -> dict[int, str]:
    """For every readable document, a key that changes when its text does (its content hash and,
    as OCR fills a scan's text later, its length), for caches of what was computed from the text."""
    return {r[0]: f"{r[1]}:{r[2]}" for r in conn.execute(
        "SELECT id, sha256, chars FROM documents WHERE status != 'failed' ORDER BY id")}
