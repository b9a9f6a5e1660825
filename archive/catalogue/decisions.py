"""Decisions about documents — indicator tags, years covered, kind of material — with provenance.

Each decision is made by a rule (the text), a path (folder and file names) or a person
(manual). A person's decision is never overwritten by an automatic one: automatic writers
replace only automatic rows, a manual removal is kept as a `rejected` row so no rule can add
the tag back, and manual years or kind switch the automatic ones off for that document.
Every change is appended to the event log.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from archive.catalogue.database import log_event, now

AUTO_SOURCES = ("rule", "path")
KINDS = ("statistics", "activity")


@dataclass(frozen=True)
class AutoTag:
    code: str
    source: str          # rule | path
    confidence: float
    reason: str


@dataclass
class Change:
    """What an automatic pass changed on one document (for `retag` to print)."""

    doc_id: int
    added: list[str]
    removed: list[str]
    years: tuple[list[int], list[int]] | None = None   # (before, after)
    kind: tuple[str | None, str | None] | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.years or self.kind)


# -- tags -------------------------------------------------------------------------------------
def set_auto_tags(conn: sqlite3.Connection, doc_id: int, tags: list[AutoTag]) -> tuple[list[str], list[str]]:
    """Replace the automatic tags of a document; tags a person decided are left alone.

    Returns (codes added, codes removed).
    """
    rows = conn.execute("SELECT code, source, status FROM tags WHERE doc_id = ?", (doc_id,)).fetchall()
    manual = {r["code"] for r in rows if r["source"] == "manual"}
    before = {r["code"] for r in rows if r["source"] in AUTO_SOURCES}
    wanted = {t.code: t for t in tags if t.code not in manual}
    stamp = now()
    conn.execute(f"DELETE FROM tags WHERE doc_id = ? AND source IN {AUTO_SOURCES}", (doc_id,))
    conn.executemany(
        "INSERT INTO tags (doc_id, code, source, confidence, status, reason, updated_at) VALUES (?, ?, ?, ?, 'auto', ?, ?)",
        [(doc_id, t.code, t.source, t.confidence, t.reason, stamp) for t in wanted.values()],
    )
    added, removed = sorted(set(wanted) - before), sorted(before - set(wanted))
    if added or removed:
        log_event(conn, "auto-tags", doc_id, added=added, removed=removed)
    return added, removed


def add_manual_tag(conn: sqlite3.Connection, doc_id: int, code: str, reason: str = "", actor: str | None = None) -> None:
    """A person files the document under `code` (or confirms an automatic tag)."""
    previous = conn.execute("SELECT reason FROM tags WHERE doc_id = ? AND code = ?", (doc_id, code)).fetchone()
    text = reason or ("人工确认" + (f"（原因：{previous['reason']}）" if previous and previous["reason"] else ""))
    conn.execute(
        """INSERT INTO tags (doc_id, code, source, confidence, status, reason, updated_at)
           VALUES (?, ?, 'manual', 1.0, 'accepted', ?, ?)
           ON CONFLICT(doc_id, code) DO UPDATE SET source = 'manual', confidence = 1.0, status = 'accepted',
               reason = excluded.reason, updated_at = excluded.updated_at""",
        (doc_id, code, text, now()),
    )
    log_event(conn, "tag-add", doc_id, code=code, user=actor)


def remove_manual_tag(conn: sqlite3.Connection, doc_id: int, code: str, actor: str | None = None) -> None:
    """A person says the document does not prove `code`; kept as `rejected` so rules never re-add it."""
    conn.execute(
        """INSERT INTO tags (doc_id, code, source, confidence, status, reason, updated_at)
           VALUES (?, ?, 'manual', 1.0, 'rejected', '人工移除', ?)
           ON CONFLICT(doc_id, code) DO UPDATE SET source = 'manual', status = 'rejected',
               reason = '人工移除', updated_at = excluded.updated_at""",
        (doc_id, code, now()),
    )
    log_event(conn, "tag-remove", doc_id, code=code, user=actor)


# -- years ------------------------------------------------------------------------------------
def document_years(conn: sqlite3.Connection, doc_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT year FROM doc_years WHERE doc_id = ? ORDER BY year", (doc_id,))]


def set_auto_years(conn: sqlite3.Connection, doc_id: int, years: list[int], source: str, reason: str) -> tuple[list[int], list[int]] | None:
    """Replace automatic years unless a person set them; returns (before, after) when changed."""
    if conn.execute("SELECT 1 FROM doc_years WHERE doc_id = ? AND source = 'manual'", (doc_id,)).fetchone():
        return None
    before = document_years(conn, doc_id)
    after = sorted(set(years))
    if before == after:
        return None
    conn.execute("DELETE FROM doc_years WHERE doc_id = ?", (doc_id,))
    conn.executemany("INSERT INTO doc_years (doc_id, year, source, reason) VALUES (?, ?, ?, ?)",
                     [(doc_id, y, source, reason) for y in after])
    log_event(conn, "auto-years", doc_id, before=before, after=after)
    return before, after


def set_manual_years(conn: sqlite3.Connection, doc_id: int, years: list[int], actor: str | None = None) -> None:
    before = document_years(conn, doc_id)
    conn.execute("DELETE FROM doc_years WHERE doc_id = ?", (doc_id,))
    conn.executemany("INSERT INTO doc_years (doc_id, year, source, reason) VALUES (?, ?, 'manual', '人工指定')",
                     [(doc_id, y) for y in sorted(set(years))])
    log_event(conn, "years-set", doc_id, before=before, after=sorted(set(years)), user=actor)


# -- kind -------------------------------------------------------------------------------------
def set_auto_kind(conn: sqlite3.Connection, doc_id: int, kind: str | None, source: str,
                  confidence: float, reason: str) -> tuple[str | None, str | None] | None:
    """Set the kind unless a person did; returns (before, after) when changed."""
    row = conn.execute("SELECT kind, kind_source FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None or row["kind_source"] == "manual":
        return None
    conn.execute("UPDATE documents SET kind = ?, kind_source = ?, kind_confidence = ?, kind_reason = ?, updated_at = ? WHERE id = ?",
                 (kind, source if kind else None, confidence if kind else None, reason, now(), doc_id))
    if row["kind"] == kind:
        return None
    log_event(conn, "auto-kind", doc_id, before=row["kind"], after=kind)
    return row["kind"], kind


def set_manual_kind(conn: sqlite3.Connection, doc_id: int, kind: str, actor: str | None = None) -> None:
    before = conn.execute("SELECT kind FROM documents WHERE id = ?", (doc_id,)).fetchone()["kind"]
    conn.execute("UPDATE documents SET kind = ?, kind_source = 'manual', kind_confidence = 1.0, kind_reason = '人工指定', updated_at = ? WHERE id = ?",
                 (kind, now(), doc_id))
    log_event(conn, "kind-set", doc_id, before=before, after=kind, user=actor)


def set_auto_material(conn: sqlite3.Connection, doc_id: int, material: str, reason: str) -> bool:
    """Set the type of material unless a person did; True when it changed."""
    row = conn.execute("SELECT material, material_source FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None or row["material_source"] == "manual":
        return False
    conn.execute("UPDATE documents SET material = ?, material_source = 'rule', material_reason = ? WHERE id = ?",
                 (material, reason, doc_id))
    return row["material"] != material


def set_activity(conn: sqlite3.Connection, doc_id: int, activity: str | None) -> None:
    """The activity a photo belongs to (its folder and day), or None for every other document."""
    conn.execute("UPDATE documents SET activity = ? WHERE id = ?", (activity, doc_id))


def set_manual_material(conn: sqlite3.Connection, doc_id: int, material: str, actor: str | None = None) -> None:
    before = conn.execute("SELECT material FROM documents WHERE id = ?", (doc_id,)).fetchone()["material"]
    conn.execute("UPDATE documents SET material = ?, material_source = 'manual', material_reason = '人工指定', "
                 "updated_at = ? WHERE id = ?", (material, now(), doc_id))
    log_event(conn, "material-set", doc_id, before=before, after=material, user=actor)
