"""Which documents go in which volume (卷宗), in what order, with what numbers.

A document belongs to an indicator's volume when it carries a tag for that code that nobody
rejected (status auto or accepted) and it is not a failed file. Order follows archival.md §8:
规范文件 (institutional documents) first, then statistics, then activity material; within a
group by year, date and title, with the content hash as the last tie-breaker so the order —
and so the 序号 — never depends on insertion order or on the database's mood.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field

from archive import catalogue
from dossier.systems import EVIDENCE_KINDS, Indicator, System, normalize_code

FORMAT_VERSION = "2"      # bump when the layout of the volumes changes: every volume is rebuilt

GROUPS = ("institutional", "statistics", "activity")
GROUP_LABELS = {"institutional": "规范文件", "statistics": "统计数据", "activity": "活动材料"}
# Titles of 规范文件: rules and standing arrangements rather than one activity. 方案 and 通知
# belong to activities (方案→通知→图片→总结→报道), so they are not in this list.
_INSTITUTIONAL = re.compile(r"制度|办法|规定|条例|细则|规范|章程|守则|公约|准则|机制|意见|决定|规划|纲要|标准|规则")


@dataclass(frozen=True)
class PlannedDoc:
    """One document of a volume with its catalogue entry (序号 counts from 1)."""

    seq: int
    doc_id: int
    sha256: str
    format: str
    title: str
    department: str | None
    pages: int
    doc_number: str | None
    issuer: str | None
    doc_date: str | None          # ISO date of issue, when known
    kind: str | None
    years: tuple[int, ...]
    group: str                    # institutional | statistics | activity
    status: str                   # ok | needs_ocr
    text_sha256: str              # hash of the extracted text the docx volume shows
    material: str | None = None   # photo, official, report, table, other
    activity: str | None = None   # a photo's activity (folder|day): its photos share pages

    @property
    def date8(self) -> str:
        """The catalogue's date: 8 digits (DA/T 22), or the year when only that is known."""
        day = self.doc_date or (self.activity or "").rpartition("|")[2]     # a photo: the day it was taken
        if day:
            return day.replace("-", "")[:8]
        return str(self.years[0]) if self.years else ""

    @property
    def responsible(self) -> str:
        """责任者: the issuing body, else the department that sent the file."""
        return self.issuer or self.department or ""

    @property
    def pages_estimate(self) -> int:
        return max(1, self.pages)


@dataclass
class VolumePlan:
    code: str
    name: str
    system_name: str
    lead_department: str
    years_covered: list[int]
    documents: list[PlannedDoc]
    missing: dict[str, list[int]] | None = None
    indicator: Indicator | None = field(default=None, repr=False)
    system_id: str = ""
    system_version: str = ""

    @property
    def title(self) -> str:
        """案卷题名: code, name and 测评材料 (archival.md §2)."""
        return f"{self.code} {self.name} 测评材料"

    @property
    def period(self) -> str:
        """时间: the material's first and last month, e.g. 2023.01—2025.03 (or years)."""
        dates = sorted(d.doc_date for d in self.documents if d.doc_date)
        if dates:
            first, last = dates[0][:7].replace("-", "."), dates[-1][:7].replace("-", ".")
            return first if first == last else f"{first}—{last}"
        if self.years_covered:
            first, last = self.years_covered[0], self.years_covered[-1]
            return str(first) if first == last else f"{first}—{last}"
        return ""

    def group_counts(self) -> dict[str, int]:
        return {g: sum(1 for d in self.documents if d.group == g) for g in GROUPS}

    def fingerprint(self, options: dict | None = None) -> str:
        """sha256 over everything that shapes the volume: tool version, the system entry,
        each document's content hash, text, catalogue fields and position, missing years and
        the build options (not the compile date, or every day would rebuild everything)."""
        payload = {
            "format": FORMAT_VERSION,
            "system": [self.system_id, self.system_version, self.system_name],
            "indicator": self.indicator.to_dict() if self.indicator else [self.code, self.name],
            "documents": [[d.seq, d.sha256, d.text_sha256, d.format, d.title, d.department, d.pages,
                           d.doc_number, d.issuer, d.doc_date, d.kind, list(d.years), d.group, d.status,
                           d.material, d.activity]
                          for d in self.documents],
            "missing": {k: sorted(v) for k, v in sorted((self.missing or {}).items())},
            "options": options or {},
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def group_of(title: str, kind: str | None, fmt: str = "") -> str:
    """规范文件 by title, else statistics or activity by the document's kind (a spreadsheet
    whose kind nobody decided yet counts as statistics)."""
    if kind == "statistics" or (kind is None and fmt in ("xlsx", "xls", "csv")):
        return "statistics"
    if _INSTITUTIONAL.search(title or ""):
        return "institutional"
    return "activity"


def _sort_key(row: dict) -> tuple:
    year = min(row["years"]) if row["years"] else int(row["doc_date"][:4]) if row["doc_date"] else 9999
    # A photo's day is when it was taken; photos of one activity stay together (they share pages).
    day = row["doc_date"] or row.get("taken") or "9999-99-99"
    return (GROUPS.index(row["group"]), year, day, row.get("activity") or "", row["title"], row["sha256"])


def tagged_documents(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Indicator code (normalised) → ids of the documents it may hold (tag not rejected, not failed)."""
    result: dict[str, set[int]] = {}
    for code, doc_id in catalogue.filed_tags(conn):
        result.setdefault(normalize_code(code), set()).add(doc_id)
    return {code: sorted(ids) for code, ids in result.items()}


def _rows(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    rows = []
    for doc_id in ids:
        loaded = catalogue.volume_document(conn, doc_id)
        if loaded is None:
            continue
        doc, years = loaded.row, loaded.years
        if not years and doc["doc_date"]:
            years = (int(doc["doc_date"][:4]),)      # years not yet detected: the date of issue
        digest = hashlib.sha256()
        for text in loaded.pages:
            digest.update(text.encode("utf-8") + b"\f")
        row = dict(doc)
        row.update(years=years, text_sha256=digest.hexdigest(), group=group_of(doc["title"], doc["kind"], doc["format"]))
        rows.append(row)
    return rows


def plan_volume(conn: sqlite3.Connection, system: System, indicator: Indicator, doc_ids: list[int],
                missing: dict[str, list[int]] | None = None) -> VolumePlan:
    """The volume of one indicator from the ids of its documents (see `tagged_documents`)."""
    rows = sorted(_rows(conn, doc_ids), key=_sort_key)
    documents = [
        PlannedDoc(seq=n, doc_id=r["id"], sha256=r["sha256"], format=r["format"], title=r["title"],
                   department=r["department"], pages=r["pages"] or 0, doc_number=r["doc_number"],
                   issuer=r["issuer"], doc_date=r["doc_date"], kind=r["kind"], years=r["years"],
                   group=r["group"], status=r["status"], text_sha256=r["text_sha256"], material=r.get("material"),
                   activity=r.get("activity"))
        for n, r in enumerate(rows, start=1)
    ]
    years = sorted({y for d in documents for y in d.years})
    clean_missing = None
    if missing is not None:
        clean_missing = {k: sorted(set(missing.get(k) or [])) for k in EVIDENCE_KINDS if k in missing}
    return VolumePlan(code=indicator.code, name=indicator.name, system_name=system.name,
                      lead_department=indicator.lead_department, years_covered=years, documents=documents,
                      missing=clean_missing, indicator=indicator, system_id=system.id,
                      system_version=system.version)


def plan_volumes(conn: sqlite3.Connection, system: System, codes: list[str] | None = None,
                 missing: dict[str, dict[str, list[int]]] | None = None) -> tuple[list[VolumePlan], list[tuple[str, str]]]:
    """Plans for the given codes (all indicators with documents when None), in system order,
    and the (code, reason) of those left out. Unknown codes raise IndicatorSystemError."""
    tagged = tagged_documents(conn)
    missing = {normalize_code(k): v for k, v in (missing or {}).items()} if missing is not None else None
    if codes:
        wanted, seen = [], set()
        for code in codes:
            indicator = system.indicator(code)          # raises a clear error for an unknown code
            if indicator.code not in seen:
                seen.add(indicator.code)
                wanted.append(indicator)
        order = {ind.code: n for n, ind in enumerate(system.indicators())}
        wanted.sort(key=lambda ind: order[ind.code])
    else:
        wanted = system.indicators()
    plans, skipped = [], []
    for indicator in wanted:
        ids = tagged.get(indicator.code, [])
        if not ids:
            # A full build names only material-review indicators left without a volume.
            if codes or indicator.material_review:
                skipped.append((indicator.code, "没有归入该指标的材料"))
            continue
        given = (missing.get(indicator.code) or {}) if missing is not None else None
        plans.append(plan_volume(conn, system, indicator, ids, given))
    return plans, skipped


PHOTOS_PER_PAGE = 4


def photo_runs(documents: list[PlannedDoc]) -> list[list[PlannedDoc]]:
    """The volume's documents in order, photos of one activity taken together as one run (several
    to a page); every other document is a run of its own."""
    runs: list[list[PlannedDoc]] = []
    for doc in documents:
        last = runs[-1][-1] if runs else None
        if (doc.material == "photo" and doc.activity and last is not None and last.material == "photo"
                and last.activity == doc.activity):
            runs[-1].append(doc)
        else:
            runs.append([doc])
    return runs
