"""Coverage: for every indicator and kind of material, which required years are present and missing.

Rules (design.md §1, §5): with assessment year Y, statistics need the N=2 years before Y and
activity material the N=3 years before Y (dossier.toml [required_years], or the indicator's own
`required_years` in the system). A year is present for (indicator, kind) when at least one
document that is not failed, is tagged with the indicator (auto or accepted — a rejected tag
never counts) and is of that kind covers the year. A tagged document without a kind counts for
neither kind: it is listed as `unkinded` so a reviewer can settle it (`dossier tag DOC --kind`).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from archive import catalogue
from archive.workspace import Config
from dossier.systems import Indicator, System

KINDS = ("statistics", "activity")


def required_years(assessment_year: int, kind: str, config_years: dict[str, int],
                   override: dict[str, int] | None = None) -> list[int]:
    """The complete calendar years before the assessment year that a kind needs."""
    n = (override or {}).get(kind, config_years.get(kind, 0))
    return list(range(assessment_year - n, assessment_year))


@dataclass
class KindCoverage:
    required: list[int]
    present: list[int]
    missing: list[int]
    auto_only: list[int]          # present years that rest only on automatic, unreviewed tags

    def as_json(self) -> dict:
        return {"required": self.required, "present": self.present, "missing": self.missing,
                "auto_only": self.auto_only}


@dataclass
class IndicatorCoverage:
    indicator: Indicator
    lead_department: str
    status: str                                   # complete | partial | missing
    evidence: dict[str, KindCoverage]
    documents: list[int]
    unkinded: list[int] = field(default_factory=list)
    materials: dict[str, int] = field(default_factory=dict)     # its documents by type of material

    @property
    def code(self) -> str:
        return self.indicator.code

    def as_json(self) -> dict:
        ind = self.indicator
        return {"code": ind.code, "name": ind.name, "status": self.status, "lead_department": self.lead_department,
                "helpers": list(ind.helpers),
                "part": ind.part_code, "content": ind.content_code,
                "evidence": {kind: cov.as_json() for kind, cov in self.evidence.items()},
                "documents": self.documents, "unkinded": self.unkinded, "materials": self.materials}


@dataclass
class CoverageReport:
    system_id: str
    system_name: str
    assessment_year: int
    deadline: dt.date | None
    indicators: list[IndicatorCoverage]

    def as_json(self) -> dict:
        return {"system": self.system_id, "system_name": self.system_name, "assessment_year": self.assessment_year,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "indicators": [i.as_json() for i in self.indicators]}

    def owed_by_department(self) -> dict[str, list[tuple[IndicatorCoverage, str, list[int]]]]:
        """What each lead department still owes: (indicator, kind, missing years)."""
        owed: dict[str, list] = defaultdict(list)
        for item in self.indicators:
            for kind, cov in item.evidence.items():
                if cov.missing:
                    owed[item.lead_department or "（未指定）"].append((item, kind, cov.missing))
        return dict(sorted(owed.items()))


def compute_coverage(conn: sqlite3.Connection, system: System, config: Config, *,
                     department: str | None = None, missing_only: bool = False,
                     alias=lambda name: name) -> CoverageReport:
    """Coverage of the system's material-review indicators.

    `department` keeps the indicators that department leads (what it owes); the present years
    still count every department's documents, since any evidence fills the dossier.
    """
    docs: dict[str, set[int]] = defaultdict(set)
    unkinded: dict[str, set[int]] = defaultdict(set)
    cells: dict[tuple[str, str, int], set[str]] = defaultdict(set)    # (code, kind, year) -> tag statuses
    for code, doc_id, kind, status, year in catalogue.evidence_rows(conn):
        docs[code].add(doc_id)
        if kind is None:
            unkinded[code].add(doc_id)
        elif year is not None:
            cells[(code, kind, year)].add(status)
    material_of = catalogue.materials(conn)
    items = []
    for ind in system.material_review():
        lead = alias(ind.lead) or ""       # 团市委 of 团市委（市文明办协调）: one department owes it
        if department and lead != department:
            continue
        evidence = {}
        for kind in ind.evidence:
            req = required_years(config.assessment_year, kind, config.required_years, ind.required_years)
            present = [y for y in req if cells.get((ind.code, kind, y))]
            auto_only = [y for y in present if cells[(ind.code, kind, y)] == {"auto"}]
            evidence[kind] = KindCoverage(req, present, [y for y in req if y not in present], auto_only)
        wanted = sum(len(c.required) for c in evidence.values())
        have = sum(len(c.present) for c in evidence.values())
        status = "complete" if have == wanted else ("missing" if have == 0 else "partial")
        if missing_only and status == "complete":
            continue
        filed = sorted(docs.get(ind.code, ()))
        materials = Counter(material_of[d] for d in filed if d in material_of)
        items.append(IndicatorCoverage(ind, lead, status, evidence, filed, sorted(unkinded.get(ind.code, ())),
                                       dict(sorted(materials.items()))))
    return CoverageReport(system.id, system.name, config.assessment_year, config.deadline, items)


def completeness(report: CoverageReport) -> float:
    """Share of the required (indicator, kind, year) cells that are present."""
    wanted = sum(len(c.required) for i in report.indicators for c in i.evidence.values())
    have = sum(len(c.present) for i in report.indicators for c in i.evidence.values())
    return round(have / wanted, 4) if wanted else 1.0
