"""`dossier verify`: the store, the catalogue and the index agree."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from archive import catalogue
from archive.store import Store
from archive.index import SearchBackend
from common.messages import _


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sample(items: list[str], n: int = 5) -> str:
    return "、".join(items[:n]) + (_("等 {n} 项").format(n=len(items)) if len(items) > n else "")


def verify(conn: sqlite3.Connection, store: Store, backend: SearchBackend, deep: bool = False) -> VerifyReport:
    """Check every invariant the design promises; `deep` also re-hashes every stored original."""
    report = VerifyReport()
    facts = catalogue.consistency_facts(conn)
    if facts.integrity != "ok":
        report.problems.append(_("目录数据库已损坏：{detail}").format(detail=facts.integrity))
    docs = facts.documents
    stored = set(store.iter_hashes())
    report.counts = {"documents": len(docs), "stored": len(stored), "sources": facts.sources}
    missing = sorted(sha for sha in docs if sha not in stored)
    if missing:
        report.problems.append(_("原件库中缺少 {n} 份原件：{sample}；请从报送的文件夹重新收录").format(n=len(missing), sample=_sample(missing)))
    orphans = sorted(stored - set(docs))
    if orphans:
        report.warnings.append(_("原件库中有 {n} 份文件不属于任何文件记录（收录曾被中断；下次收录这些文件时会接上）").format(n=len(orphans)))
    if deep:
        damaged = [sha for sha in sorted(stored & set(docs)) if store.hash_of(sha) != sha]
        if damaged:
            report.problems.append(_("{n} 份原件与其哈希不符（已被改动或损坏）：{sample}").format(n=len(damaged), sample=_sample(damaged)))
    if facts.dangling_sources:
        report.problems.append(_("{n} 条来源路径没有对应的文件").format(n=facts.dangling_sources))
    _check_index(facts, backend, report)
    return report


def _check_index(facts: catalogue.ConsistencyFacts, backend: SearchBackend, report: VerifyReport) -> None:
    docs = facts.documents
    if backend.needs_rebuild():
        if docs:
            report.problems.append(_("检索索引缺失、损坏或已过时：请运行 dossier reindex"))
        return
    indexed = backend.doc_ids()
    report.counts["indexed"] = len(indexed)
    ids = set(docs.values())
    absent = sorted(ids - indexed)
    extra = sorted(indexed - ids)
    if absent:
        report.problems.append(_("{n} 份文件不在检索索引中（编号 {sample}）：请运行 dossier reindex").format(n=len(absent), sample=_sample([str(i) for i in absent])))
    if extra:
        report.problems.append(_("检索索引中有 {n} 份目录数据库里没有的文件：请运行 dossier reindex").format(n=len(extra)))
    if facts.pending_index and not absent:
        report.warnings.append(_("{n} 份文件等待重新索引").format(n=facts.pending_index))
