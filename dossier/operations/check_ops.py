"""The quality checks of the material, for the command line (dossier check) and the review queue."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from archive.store import Store
from archive.workspace import Workspace
from dossier.checks import Finding, check_material
from dossier.operations._common import connection, system_of


@dataclass
class CheckReport:
    findings: list[Finding]

    def by_indicator(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            for code in finding.codes or ("（未归类）",):
                grouped[code].append(finding)
        return dict(grouped)

    def by_department(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            grouped[finding.department or "（未指定）"].append(finding)
        return dict(sorted(grouped.items()))

    def as_json(self) -> dict:
        return {"findings": [f.as_json() for f in self.findings],
                "counts": dict(sorted(Counter(f.check for f in self.findings).items())),
                "by_indicator": {code: [f.doc_id for f in found] for code, found in self.by_indicator().items()},
                "by_department": {name: [f.doc_id for f in found] for name, found in self.by_department().items()}}


def check(ws: Workspace) -> CheckReport:
    """Every finding of the quality checks, with [checks]' thresholds from dossier.toml."""
    with connection(ws) as conn:
        return CheckReport(check_material(conn, Store(ws.store_dir), system_of(ws), ws.config,
                                          ws.cache_dir / "photo-facts.json"))
