"""What reviewers and the data group read and bind: coverage, status, the volumes."""
from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from archive.locking import workspace_lock
from archive.workspace import Workspace
from dossier.build import BuildResult, build_volumes
from dossier.coverage import (CoverageReport, completeness, compute_coverage, department_completeness, workspace_status,
                              write_review_table)
from dossier.operations._common import connection, system_of
from dossier.systems import System


@dataclass
class CoverageView:
    """The coverage report as asked for (maybe only what is not complete), with the figures of
    the whole report beside it."""

    report: CoverageReport          # the indicators shown
    completeness: float             # over every indicator, whatever is shown
    total: int                      # indicators in the whole report
    record_table: Path | None = None
    complete: int = 0               # complete indicators in the whole report
    departments: dict[str, float] = dataclasses.field(default_factory=dict)   # completeness per lead department


def coverage(ws: Workspace, *, department: str | None = None, missing_only: bool = False,
             record_table: Path | None = None) -> CoverageView:
    """Per indicator and kind: required, present and missing years. `department` keeps what it
    leads (what it owes); `record_table` also writes the 材料审核记录表, always of every indicator."""
    with connection(ws) as conn:
        report = compute_coverage(conn, system_of(ws), ws.config, department=ws.department_name(department),
                                  alias=ws.department_name)
    if record_table:
        write_review_table(report, record_table)
    shown = report
    if missing_only:
        shown = dataclasses.replace(report, indicators=[i for i in report.indicators if i.status != "complete"])
    return CoverageView(shown, completeness(report), len(report.indicators), record_table,
                        sum(1 for i in report.indicators if i.status == "complete"), department_completeness(report))


def missing_years(conn: sqlite3.Connection, system: System, ws: Workspace) -> dict[str, dict[str, list[int]]]:
    """Coverage's missing years per indicator and kind, for the volumes' notes and 总目录."""
    report = compute_coverage(conn, system, ws.config, alias=ws.department_name)
    return {item.code: {kind: cov.missing for kind, cov in item.evidence.items()} for item in report.indicators}


@dataclass
class BuildOutcome:
    result: BuildResult
    folder: Path


def build(ws: Workspace, codes: list[str] | None = None, *, out_dir: Path | None = None,
          formats: set[str] = frozenset({"docx", "pdf"}), progress: Callable[[str], None] | None = None,
          on_wait: Callable[[str], None] | None = None, **options) -> BuildOutcome:
    """Bind the volumes of `codes` (every indicator with evidence when None) and the 总目录;
    only changed volumes are rebuilt. `options` go to the builder (compiled_on, converter)."""
    system = system_of(ws)
    target = out_dir or ws.out_dir / "卷宗"
    with workspace_lock(ws.lock_path, "build", on_wait=on_wait), connection(ws) as conn:
        result = build_volumes(ws, conn, system, codes or None, target, set(formats),
                               missing=missing_years(conn, system, ws), progress=progress, **options)
    return BuildOutcome(result, target)


def status(ws: Workspace) -> dict:
    """Counts, completeness (overall and per department) and days to the deadline."""
    with connection(ws) as conn:
        return workspace_status(ws, conn, system_of(ws))
