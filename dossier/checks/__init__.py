"""Quality checks of the material (dossier check): photos too small, blurred, over-compressed or
submitted twice; reports without figures; official documents without 文号 or date; documents
outside every year their indicators need; scans read unsurely. Thresholds from [checks]."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from archive import catalogue
from archive.store import Store
from archive.workspace import Config
from common.errors import IndicatorSystemError
from dossier.checks.photos import PhotoFacts, PhotoFactsCache, read_facts
from dossier.checks.rules import (CHECK_LABELS, Finding, document_findings, duplicate_findings, ocr_finding,
                                  photo_findings)
from dossier.coverage import required_years
from dossier.systems import System

__all__ = ["CHECK_LABELS", "Finding", "PhotoFacts", "check_material", "read_facts"]


def _windows(codes: list[str], system: System, config: Config) -> list[int]:
    years: set[int] = set()
    for code in codes:
        try:
            indicator = system.indicator(code)
        except IndicatorSystemError:      # a tag of a code this system no longer has needs no window
            continue
        for kind in indicator.evidence:
            years.update(required_years(config.assessment_year, kind, config.required_years, indicator.required_years))
    return sorted(years)


def check_material(conn: sqlite3.Connection, store: Store, system: System, config: Config,
                   cache_path: Path) -> list[Finding]:
    """Every finding on the workspace's readable documents, in document order."""
    cache = PhotoFactsCache(cache_path)
    findings: list[Finding] = []
    photos: list[tuple[dict, PhotoFacts]] = []
    rows = catalogue.check_rows(conn)
    for row in rows:
        found = []
        if row["material"] == "photo":
            facts = cache.get(row["sha256"], store.path_for(row["sha256"]))
            if facts is not None:
                photos.append((row, facts))
                found += photo_findings(facts, config.checks)
        text = catalogue.document_text(conn, row["id"]) if row["material"] == "report" else None
        found += document_findings(row, text, _windows(row["codes"], system, config))
        found += ocr_finding(row, config.ocr_low_confidence)
        findings += [Finding(row["id"], row["title"], row["department"], tuple(row["codes"]), check, reason)
                     for check, reason in found]
    duplicates = duplicate_findings(photos, int(config.checks["duplicate_distance"]))
    by_id = {row["id"]: row for row in rows}
    findings += [Finding(doc_id, by_id[doc_id]["title"], by_id[doc_id]["department"], tuple(by_id[doc_id]["codes"]),
                         check, reason) for doc_id, (check, reason) in duplicates.items()]
    cache.save()
    return sorted(findings, key=lambda f: (f.doc_id, f.check))
