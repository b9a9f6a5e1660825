"""The review queue: documents a person should look at, most useful decision first.

A document needs a person when the automatic pass could not decide (no tag, no year, no kind),
decided weakly (a low-confidence tag) or met contradicting signals (the folder names one
indicator and the text another; the years lie outside every required window; the kind is one
its indicators do not accept). The queue is ordered by what a decision would do for coverage:
a document whose likely indicator still misses a required year of its kind comes first, so the
data group spends the days before the deadline where points are lost. What a person already
decided (manual tags, years, kind) never comes back to the queue.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from collections import defaultdict
from dataclasses import asdict, dataclass, field

from archive import catalogue
from archive.workspace import DEFAULT_OCR_LOW_CONFIDENCE
from dossier.systems import EVIDENCE_LABELS, System
from dossier.judge.ranking import merge
from dossier.judge.suggest import ranked_suggestions
from dossier.judge.tagging import has_text_evidence
from dossier.judge.years import METADATA_NOTE

LOW_CONFIDENCE = 0.5        # automatic tags below this are shown to a person
CONFLICT_CONFIDENCE = 0.6   # a text tag this sure, against a folder that says otherwise, is a conflict
# Small weights that order documents whose decision would not change coverage.
SEVERITY = {"无指标标签": 1.0, "信号冲突": 0.8, "未识别年份": 0.6, "年份仅依文件属性日期": 0.5, "标签置信度低": 0.5, "文字识别置信度低": 0.5,
            "类型未判定": 0.4}


@dataclass
class ReviewItem:
    doc_id: int
    title: str
    department: str | None
    problems: list[str]                 # Chinese, for the person: "无指标标签", "标签置信度低 (0.35)", …
    priority: float                     # higher first: missing coverage cells a decision could fill
    suggestions: list[dict] = field(default_factory=list)   # [{"code", "name", "confidence", "reason"}]
    gaps: list[str] = field(default_factory=list)           # "Ⅲ-42 统计数据 2024": what it could fill

    def to_dict(self) -> dict:
        return asdict(self)


def required_window(system_ind, kind: str, assessment_year: int, required_years: dict[str, int]) -> list[int]:
    """The complete calendar years before the assessment year that an indicator needs of a kind."""
    n = (system_ind.required_years or {}).get(kind, required_years.get(kind, 0))
    return list(range(assessment_year - n, assessment_year))


def review_queue(conn: sqlite3.Connection, system: System, assessment_year: int,
                 required_years: dict[str, int], ocr_low_confidence: float = DEFAULT_OCR_LOW_CONFIDENCE,
                 vector_cache: Path | None = None) -> list[ReviewItem]:
    """Documents whose tags, years or kind need a person, ordered by how much a decision helps
    coverage. A scan OCR read less surely than `ocr_low_confidence` is one until a person has
    decided its tags (then they have seen it). Suggestions are the rules' and, with a
    `vector_cache` path, the learned model's."""
    docs, tags, years = catalogue.review_rows(conn)
    known = {ind.code: ind for ind in system.indicators()}
    # Suggestions only for documents no person has filed: the others would not show them.
    undecided = [d["id"] for d in docs if not _filed_by_a_person(tags[d["id"]], known)]
    ranked = ranked_suggestions(conn, vector_cache, undecided, set(known))
    windows = {(code, kind): set(required_window(ind, kind, assessment_year, required_years))
               for code, ind in known.items() for kind in ind.evidence}
    every_year = sorted(set().union(*windows.values())) if windows else []

    # Who covers each cell (indicator, kind, year) now: every tag not rejected counts.
    covers: dict[tuple[str, str, int], set[int]] = defaultdict(set)
    for doc in docs:
        if doc["kind"] is None:
            continue
        for tag in tags[doc["id"]]:
            if tag["status"] != "rejected":
                for year in years[doc["id"]]:
                    if year["year"] in windows.get((tag["code"], doc["kind"]), ()):
                        covers[(tag["code"], doc["kind"], year["year"])].add(doc["id"])

    items: list[ReviewItem] = []
    for doc in docs:
        doc_id, doc_tags, doc_years = doc["id"], tags[doc["id"]], years[doc["id"]]
        live = [t for t in doc_tags if t["status"] != "rejected" and t["code"] in known]
        auto = [t for t in live if t["source"] != "manual"]
        accepted = [t for t in live if t["status"] == "accepted"]
        tags_decided = _all_tags_by_a_person(doc_tags)
        problems: list[str] = []
        suggestions: list[dict] = []
        likely: dict[str, float] = {t["code"]: (1.0 if t["status"] == "accepted" else t["confidence"]) for t in live}

        offered = ranked.get(doc_id) or []
        if not tags_decided:
            if not live:
                problems.append("无指标标签")
                if not offered:   # judged by an older version (no stored suggestions): the rules, now
                    offered = _rules_now(conn, system, doc)
                for s in offered:
                    likely[s.code] = s.score
            elif not accepted and max(t["confidence"] for t in auto) < LOW_CONFIDENCE:
                problems.append(f"标签置信度低 ({max(t['confidence'] for t in auto):.2f})")
            if live and not accepted:
                suggestions += [{"code": t["code"], "name": known[t["code"]].name, "confidence": t["confidence"],
                                 "source": t["source"], "reason": t["reason"]}
                                for t in sorted(auto, key=lambda t: -t["confidence"])]
                problems += _tag_conflicts(auto)
            listed = {s["code"] for s in suggestions} | {t["code"] for t in doc_tags}
            if not accepted:   # a person who filed it has chosen; no more suggestions
                suggestions += [{"code": s.code, "name": known[s.code].name, "confidence": s.score, "source": s.source,
                                 "reason": s.reason} for s in offered if s.code not in listed]
            if doc["ocr_confidence"] is not None and doc["ocr_confidence"] < ocr_low_confidence:
                problems.append(f"文字识别置信度低 ({doc['ocr_confidence']:.0f}%)：请对照原件核对正文、年份和标签")

        years_manual = any(y["source"] == "manual" for y in doc_years)
        year_set = [y["year"] for y in doc_years]
        if not doc_years:
            problems.append("未识别年份")
        elif not years_manual and any(METADATA_NOTE in y["reason"] for y in doc_years):
            problems.append("年份仅依文件属性日期：请核对正文所涉年份")
        elif not years_manual:
            wanted = set().union(*(windows.get((c, k), set()) for c in likely for k in known[c].evidence)) \
                if likely else set(every_year)
            if wanted and not wanted & set(year_set):
                problems.append(f"信号冲突：年份 {_span(year_set)} 不在任何要求年份内（{_span(sorted(wanted))}）")

        kind = doc["kind"]
        if kind is None:
            problems.append("类型未判定")
        elif doc["kind_source"] != "manual" and live:
            accepts = [c for c in likely if kind in known[c].evidence]
            if not accepts:
                need = "、".join(sorted({EVIDENCE_LABELS[k] for c in likely for k in known[c].evidence}))
                problems.append(f"信号冲突：类型 {EVIDENCE_LABELS[kind]} 不符合 {'、'.join(sorted(likely))} 的材料要求（{need}）")

        if not problems:
            continue
        gain, gaps = _coverage_gain(doc_id, likely, kind, year_set, known, windows, covers)
        severity = sum(w for p in problems for key, w in SEVERITY.items() if p.startswith(key))
        items.append(ReviewItem(doc_id, doc["title"], doc["department"], problems,
                                round(gain + 0.1 * severity, 3), suggestions, gaps))
    items.sort(key=lambda item: (-item.priority, item.doc_id))
    return items


def _all_tags_by_a_person(doc_tags: list[sqlite3.Row]) -> bool:
    return bool(doc_tags) and all(t["source"] == "manual" for t in doc_tags)


def _filed_by_a_person(doc_tags: list[sqlite3.Row], known: dict) -> bool:
    """A person decided its tags, or accepted one: review offers it no suggestions."""
    return _all_tags_by_a_person(doc_tags) or any(t["status"] == "accepted" and t["code"] in known for t in doc_tags)


def _rules_now(conn: sqlite3.Connection, system: System, doc: sqlite3.Row) -> list:
    from dossier.judge.classify import rank_by_rules, tagging_paths   # classify imports the decision writers
    text, paths = catalogue.document_text(conn, doc["id"]), catalogue.source_paths(conn, doc["id"])
    return merge(rank_by_rules(system, doc["title"], text, tagging_paths(paths, doc["department"]),
                               doc["department"])[1])


def _tag_conflicts(auto: list[sqlite3.Row]) -> list[str]:
    """A folder or file name filed the document under one indicator, and its text only speaks of another."""
    filed = [t for t in auto if t["source"] == "path" and not has_text_evidence(t["reason"])]
    spoken = [t for t in auto if t["source"] == "rule" and t["confidence"] >= CONFLICT_CONFIDENCE]
    if filed and spoken:
        return [f"信号冲突：路径指向 {'、'.join(t['code'] for t in filed)}，正文指向 {'、'.join(t['code'] for t in spoken)}"]
    return []


def _coverage_gain(doc_id: int, likely: dict[str, float], kind: str | None, years: list[int], known: dict,
                   windows: dict, covers: dict) -> tuple[float, list[str]]:
    """Cells (indicator, kind, year) that no other document covers and that this one may fill,
    weighted by how likely the indicator is; unknown kind or years count every possibility, halved."""
    gain, gaps = 0.0, []
    for code, weight in sorted(likely.items(), key=lambda kv: -kv[1]):
        kinds = [kind] if kind else list(known[code].evidence)
        for k in kinds:
            window = windows.get((code, k), set())
            cells = [y for y in (years if years else sorted(window)) if y in window]
            for year in cells:
                if not covers.get((code, k, year), set()) - {doc_id}:
                    factor = 1.0 if (kind and years) else 0.5
                    gain += weight * factor
                    gaps.append(f"{code} {EVIDENCE_LABELS[k]} {year}")
    return round(gain, 3), gaps[:10]


def _span(years: list[int]) -> str:
    if not years:
        return ""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return "、".join(map(str, years))
