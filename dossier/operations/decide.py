"""A person's decisions and the automatic pass: tag, retag, the review queue."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from archive import catalogue
from archive.locking import workspace_lock
from archive.store import Store
from archive.workspace import Workspace
from dossier.checks import check_material
from dossier.judge import VECTOR_CACHE, ReviewItem, retag as run_retag, review_queue
from dossier.operations._common import connection, system_of


def tag(ws: Workspace, ref: str, *, add: tuple[str, ...] = (), remove: tuple[str, ...] = (),
        years: tuple[int, ...] = (), kind: str | None = None, material: str | None = None,
        actor: str | None = None, wait: float = 30, on_wait: Callable[[str], None] | None = None) -> dict:
    """Record a person's decision on one document, all in one transaction; returns the document
    as `show` does. Codes are checked against the workspace's system first; `actor` (the person)
    goes into the event log with each change."""
    system = system_of(ws)
    adds = [system.indicator(code).code for code in add]
    removes = [system.indicator(code).code for code in remove]
    with workspace_lock(ws.lock_path, "tag", wait=wait, on_wait=on_wait), connection(ws) as conn:
        doc_id = catalogue.resolve_doc(conn, ref)
        with catalogue.Transaction(conn):
            for code in adds:
                catalogue.add_manual_tag(conn, doc_id, code, actor=actor)
            for code in removes:
                catalogue.remove_manual_tag(conn, doc_id, code, actor=actor)
            if years:
                catalogue.set_manual_years(conn, doc_id, list(years), actor=actor)
            if kind:
                catalogue.set_manual_kind(conn, doc_id, kind, actor=actor)
            if material:
                catalogue.set_manual_material(conn, doc_id, material, actor=actor)
        return catalogue.document_detail(conn, doc_id)


@dataclass
class RetagChange:
    id: int
    title: str
    added: list[str]
    removed: list[str]
    years: tuple[list[int], list[int]] | None
    kind: tuple[str | None, str | None] | None

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "added": self.added, "removed": self.removed,
                "years": self.years, "kind": self.kind}


def retag(ws: Workspace, *, dry_run: bool = False, on_wait: Callable[[str], None] | None = None) -> list[RetagChange]:
    """Re-run the automatic pass on every document; a person's decisions stay. With dry_run
    nothing is written and the result says what would change."""
    system = system_of(ws)
    with workspace_lock(ws.lock_path, "retag", on_wait=on_wait), connection(ws) as conn:
        changes = run_retag(conn, system, dry_run=dry_run)
        return [RetagChange(c.doc_id, catalogue.document_title(conn, c.doc_id) or "", c.added, c.removed,
                            c.years, c.kind) for c in changes]


def review(ws: Workspace) -> list[ReviewItem]:
    """Documents a person should look at, the most useful decision first; what the quality checks
    found on a document (dossier check) is among its problems, and a document with nothing else
    to decide comes after the rest."""
    with connection(ws) as conn:
        system = system_of(ws)
        items = review_queue(conn, system, ws.config.assessment_year, ws.config.required_years,
                             ws.config.ocr_low_confidence, ws.cache_dir / VECTOR_CACHE)
        findings = check_material(conn, Store(ws.store_dir), system, ws.config, ws.cache_dir / "photo-facts.json")
    by_id = {item.doc_id: item for item in items}
    for finding in findings:
        if finding.check == "ocr-low":      # the queue already names a scan read unsurely
            continue
        item = by_id.get(finding.doc_id)
        if item is None:
            item = by_id[finding.doc_id] = ReviewItem(finding.doc_id, finding.title, finding.department, [], 0.0)
            items.append(item)
        item.problems.append(finding.reason)
    return items
