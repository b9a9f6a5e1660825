"""The automatic pass: years, kind and indicator tags for documents, written with provenance.

Everything goes through archive.catalogue.decisions, which replaces only automatic decisions: a tag a
person removed stays removed, years or a kind a person set stay set. `classify_documents` runs
inside the caller's transaction (ingest calls it as `after_insert(conn, ids)`); `retag` owns one
transaction and can roll it back to show what would change (--dry-run).
"""
from __future__ import annotations

import re
import sqlite3

from archive import catalogue
from archive.catalogue import AutoTag, Change, StoredSuggestion, set_auto_kind, set_auto_tags, set_auto_years
from dossier.judge.kinds import detect_kind
from dossier.judge.material import detect_material
from dossier.judge.per_system import per_system
from dossier.judge.profiles import fill_up
from dossier.judge.ranking import Suggestion, rule_suggestions
from dossier.systems import System
from dossier.judge.tagging import Candidate, Tagger
from dossier.judge.years import detect_years

PATH_TAIL = 3   # folders + file kept when the department folder is not found in a path

def tagger_for(system: System) -> Tagger:
    """The cached Tagger of this system object: building one costs ~50 ms, tagging a document
    well under 1 ms."""
    return per_system(system, "tagger", Tagger)


def rank_by_rules(system: System, title: str, text: str, paths: list[str],
                  department: str | None) -> tuple[list[Candidate], list[Suggestion]]:
    """The rules' candidates for a document, and its suggestions from them (filled up with the
    indicators its text resembles when the rules found fewer than three)."""
    candidates = tagger_for(system).candidates(title, text, paths, department)
    return candidates, rule_suggestions(candidates, resemblances=fill_up(system, title, text, len(candidates)))


def tagging_paths(paths: list[str], department: str | None) -> list[str]:
    """The part of each source path that departments and the data group named.

    Sources are stored as absolute paths; folders above the submission (/home/…/创城材料) say
    nothing about the document. The department folder is the first level under what was
    ingested, so the path is cut there; without it the file and its two folders are kept.
    """
    out = []
    for path in paths:
        parts = [p for p in re.split(r"[\\/]+", path) if p]
        if department and department in parts[:-1]:
            parts = parts[parts.index(department):]
        else:
            parts = parts[-PATH_TAIL:]
        out.append("/".join(parts))
    return out


def _document(conn: sqlite3.Connection, doc_id: int):
    loaded = catalogue.judging_input(conn, doc_id)
    if loaded is None:
        return None
    row = loaded.row
    paths = [p for path, dept in loaded.sources for p in tagging_paths([path], dept or row["department"])]
    return row, loaded.text, paths


def _years(title: str, text: str, paths: list[str], issue_date: str | None,
           taken: str | None = None, file_date: str | None = None) -> tuple[list[int], str, str]:
    """(years, source, reason): 'path' when the folder or file name decided the years.

    A photo's year is the year its camera took it: the year of the activity it shows. Else one
    call with the file name: detect_years ranks title, body, file name, then dates, so a year in
    the name beats the issue-date fallback (asking without the name first never would).
    """
    if taken:
        return [int(taken[:4])], "rule", f"照片拍摄于 {taken}（相机记录）"
    decision = detect_years(title, text, paths[0] if paths else "", issue_date=issue_date, file_date=file_date)
    source = "path" if decision.source == "filename" else "rule"
    return list(decision.years), source, decision.reason


def _activity(row, paths: list[str]) -> str | None:
    """Photos of one folder and one day show one activity: 'folder|day' (None without a day)."""
    if not row["taken"] or not paths:
        return None
    folder = paths[0].rsplit("/", 1)[0] if "/" in paths[0] else ""
    return f"{folder}|{row['taken']}"


def classify_documents(conn: sqlite3.Connection, system: System, doc_ids: list[int]) -> list[Change]:
    """Decide years, kind and tags of the documents (ok or needs_ocr; failed ones are skipped)
    inside the caller's transaction; returns a Change for each document where something changed."""
    tagger = tagger_for(system)
    changes: list[Change] = []
    for doc_id in doc_ids:
        loaded = _document(conn, doc_id)
        if loaded is None:
            continue
        row, text, paths = loaded
        title = row["title"] or ""
        years, source, reason = _years(title, text, paths, row["doc_date"], row["taken"], row["file_date"])
        years_change = set_auto_years(conn, doc_id, years, source, reason)

        kind = detect_kind(title, text, paths[0] if paths else "", table_ratio=row["table_ratio"])
        kind_change = set_auto_kind(conn, doc_id, kind.kind, "rule", kind.confidence, kind.reason)
        material = detect_material(row["format"], title, text, doc_number=row["doc_number"], issuer=row["issuer"],
                                   taken=row["taken"], table_ratio=row["table_ratio"] or 0.0)
        catalogue.set_auto_material(conn, doc_id, material.material, material.reason)
        catalogue.set_activity(conn, doc_id, _activity(row, paths) if material.material == "photo" else None)

        candidates, ranked = rank_by_rules(system, title, text, paths, row["department"])
        catalogue.set_rule_suggestions(conn, doc_id, [StoredSuggestion(s.code, s.score, s.source, s.reason)
                                                      for s in ranked])
        added, removed = set_auto_tags(conn, doc_id, [AutoTag(s.code, s.source, s.confidence, s.reason)
                                                      for s in tagger.choose(candidates)])
        change = Change(doc_id, added, removed, years=years_change, kind=kind_change)
        if not change.empty:
            changes.append(change)
    return changes


def retag(conn: sqlite3.Connection, system: System, *, dry_run: bool = False,
          doc_ids: list[int] | None = None) -> list[Change]:
    """Re-run the automatic pass on all (or the given) documents in one transaction; with
    dry_run the transaction is rolled back, so the result says what would change."""
    if dry_run:
        with catalogue.rolled_back(conn):
            return _retag(conn, system, doc_ids)
    with catalogue.Transaction(conn):
        return _retag(conn, system, doc_ids)


def _retag(conn: sqlite3.Connection, system: System, doc_ids: list[int] | None) -> list[Change]:
    if doc_ids is None:
        doc_ids = catalogue.readable_ids(conn)
    return classify_documents(conn, system, doc_ids)
