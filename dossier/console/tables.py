"""Tables on the terminal (rich): documents, coverage, indicator systems."""
from __future__ import annotations

from rich.table import Table

from common.messages import _
from dossier.coverage import CoverageReport
from dossier.systems import Indicator

KIND_NAME = {"statistics": _("统计"), "activity": _("活动")}
DOC_STATUS = {"ok": _("正常"), "needs_ocr": _("待识别"), "failed": _("失败")}
STATUS_STYLE = {"complete": "[green]" + _("齐全") + "[/]", "partial": "[yellow]" + _("部分缺失") + "[/]",
                "missing": "[red]" + _("缺失") + "[/]"}


def _table(*columns: tuple[str, dict]) -> Table:
    table = Table(pad_edge=False)
    for name, opts in columns:
        table.add_column(name, **opts)
    return table


def docs_table(docs: list[dict]) -> Table:
    table = _table((_("编号"), {"justify": "right"}), (_("题名"), {"overflow": "fold", "ratio": 4}),
                   (_("部门"), {"overflow": "fold", "ratio": 1}), (_("格式"), {}), (_("年份"), {}), (_("类型"), {}),
                   (_("指标"), {"overflow": "fold"}), (_("状态"), {}))
    for d in docs:
        tags = ",".join(t["code"] for t in d["tags"] if t["status"] != "rejected")
        status = DOC_STATUS[d["status"]] if d["status"] != "failed" else f"[red]{DOC_STATUS['failed']}[/]：{d['error']}"
        table.add_row(str(d["id"] or "-"), d["title"], d["department"] or "", d["format"] or "",
                      ",".join(map(str, d["years"])), KIND_NAME.get(d["kind"], ""), tags, status)
    return table


def _kind_cell(cov) -> str:
    if cov is None:
        return "—"
    have = ",".join(str(y)[2:] for y in cov.present) or "-"
    lack = ",".join(str(y)[2:] for y in cov.missing)
    return have + (f" [red]{_('缺')}{lack}[/]" if lack else "")


def coverage_table(report: CoverageReport) -> Table:
    table = _table((_("编号"), {}), (_("指标名称"), {"overflow": "fold", "max_width": 24}),
                   (_("牵头单位"), {"overflow": "fold", "max_width": 12}), (_("统计(近2年)"), {}),
                   (_("活动(近3年)"), {}), (_("材料"), {"justify": "right"}), (_("状态"), {}))
    for item in report.indicators:
        table.add_row(item.code, item.indicator.name, item.lead_department, _kind_cell(item.evidence.get("statistics")),
                      _kind_cell(item.evidence.get("activity")), str(len(item.documents)), STATUS_STYLE[item.status])
    return table


def systems_table(rows: list[dict]) -> Table:
    table = _table(("id", {}), (_("名称"), {"overflow": "fold"}), (_("版本"), {}), (_("项目"), {}), (_("内容"), {}),
                   (_("指标"), {}), (_("材料审核"), {}))
    for row in rows:
        table.add_row(row["id"], row["name"], str(row["version"]), str(row["parts"]), str(row["contents"]),
                      str(row["indicators"]), str(row["material_review_indicators"]))
    return table


def indicators_table(indicators: list[Indicator]) -> Table:
    table = _table((_("编号"), {}), (_("指标名称"), {"overflow": "fold"}), (_("测评内容"), {"overflow": "fold"}),
                   (_("材料类型"), {}), (_("牵头单位"), {"overflow": "fold"}))
    for ind in indicators:
        table.add_row(ind.code, ind.name, ind.content_name, "、".join(KIND_NAME[k] for k in ind.evidence),
                      ind.lead_department or "")
    return table
