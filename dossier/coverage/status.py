"""`dossier status`: the state of the whole workspace at a glance, days to the deadline included."""
from __future__ import annotations

import datetime as dt
import sqlite3

from archive import catalogue
from archive.workspace import Workspace
from dossier.coverage.report import CoverageReport, compute_coverage, completeness
from dossier.judge import review_queue
from dossier.systems import System


def department_completeness(report: CoverageReport) -> dict[str, float]:
    """Per lead department: the share of the years its indicators need that are present."""
    wanted: dict[str, int] = {}
    have: dict[str, int] = {}
    for item in report.indicators:
        dept = item.lead_department or "（未指定）"
        for cov in item.evidence.values():
            wanted[dept] = wanted.get(dept, 0) + len(cov.required)
            have[dept] = have.get(dept, 0) + len(cov.present)
    return {d: round(have[d] / wanted[d], 4) if wanted[d] else 1.0 for d in sorted(wanted)}


def workspace_status(ws: Workspace, conn: sqlite3.Connection, system: System, today: dt.date | None = None) -> dict:
    """The design.md status shape plus needs_ocr, per-department completeness and overdue."""
    config = ws.config
    report = compute_coverage(conn, system, config, alias=ws.department_name)
    counts, unreadable = catalogue.status_counts(conn)
    today = today or dt.date.today()
    days_left = (config.deadline - today).days if config.deadline else None
    return {
        "system": system.id, "system_name": system.name, "assessment_year": config.assessment_year,
        "deadline": config.deadline.isoformat() if config.deadline else None, "days_left": days_left,
        "overdue": days_left is not None and days_left < 0,
        "documents": sum(counts.values()), "failed": counts.get("failed", 0) + unreadable,
        "needs_ocr": counts.get("needs_ocr", 0),
        "to_review": len(review_queue(conn, system, config.assessment_year, config.required_years,
                                         config.ocr_low_confidence)),
        "indicators": len(report.indicators),
        "complete_indicators": sum(1 for i in report.indicators if i.status == "complete"),
        "completeness": completeness(report),
        "departments": department_completeness(report),
    }
