"""The 材料审核记录表 as .xlsx: per indicator, what each department owes, a year matrix."""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dossier.coverage.report import CoverageReport
from common.files import atomic_path
from common.sheets import put_text, sheet_text

KIND_LABEL = {"statistics": "统计数据", "activity": "活动材料"}
STATUS_LABEL = {"complete": "齐全", "partial": "部分缺失", "missing": "缺失"}
FILLS = {"present": PatternFill("solid", fgColor="C6EFCE"), "missing": PatternFill("solid", fgColor="FFC7CE"),
         "none": PatternFill("solid", fgColor="EDEDED"), "header": PatternFill("solid", fgColor="DDEBF7")}


def _years(values: list[int]) -> str:
    return "、".join(map(str, values)) or "—"


def _sheet(wb, title: str, headers: list[str], rows: list[list], widths: list[int], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col)
        put_text(cell, header)
        cell.font, cell.fill = Font(bold=True), FILLS["header"]
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            put_text(cell, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    return ws


def _record_rows(report: CoverageReport) -> list[list]:
    rows = []
    for item in report.indicators:
        for kind, cov in item.evidence.items():
            rows.append([item.code, item.indicator.name, item.lead_department, KIND_LABEL[kind], _years(cov.required),
                         _years(cov.present), _years(cov.missing), len(item.documents),
                         STATUS_LABEL[item.status], ""])
    return rows


def write_review_table(report: CoverageReport, path: Path) -> Path:
    """Write the three sheets atomically; returns the path."""
    wb = Workbook()
    wb.properties.title = f"材料审核记录表 · {report.system_name} · {report.assessment_year}年测评"
    wb.properties.subject = f"截止日期 {report.deadline}" if report.deadline else "材料审核"
    headers = ["指标编号", "指标名称", "牵头单位", "材料类型", "应提供年份", "已有年份", "缺少年份", "材料数", "状态", "审核意见"]
    _sheet(wb, "材料审核记录表", headers, _record_rows(report), [10, 30, 16, 10, 16, 16, 16, 8, 10, 30], first=True)
    owed = [[dept, f"{item.code} {item.indicator.name}", KIND_LABEL[kind], _years(years)]
            for dept, entries in report.owed_by_department().items() for item, kind, years in entries]
    _sheet(wb, "部门待补材料", ["责任单位", "指标", "材料类型", "缺少年份"], owed, [18, 40, 10, 20])
    _matrix(wb, report)
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def _matrix(wb, report: CoverageReport) -> None:
    years = sorted({y for i in report.indicators for c in i.evidence.values() for y in c.required})
    headers = ["指标编号", "指标名称", "材料类型", *[f"{y}年" for y in years]]
    rows, marks = [], []
    for item in report.indicators:
        for kind, cov in item.evidence.items():
            row_marks = ["present" if y in cov.present else "missing" if y in cov.required else "none" for y in years]
            rows.append([item.code, item.indicator.name, KIND_LABEL[kind],
                         *[{"present": "有", "missing": "缺", "none": ""}[m] for m in row_marks]])
            marks.append(row_marks)
    ws = _sheet(wb, "年度矩阵", headers, rows, [10, 30, 10, *[8] * len(years)])
    for r, row_marks in enumerate(marks, start=2):
        for c, mark in enumerate(row_marks, start=4):
            ws.cell(row=r, column=c).fill = FILLS[mark]
            ws.cell(row=r, column=c).alignment = Alignment(horizontal="center")
    legend = len(rows) + 3
    for offset, (mark, label) in enumerate((("present", "有：已有该年材料"), ("missing", "缺：应提供而未提供"),
                                             ("none", "空白：该年不要求"))):
        cell = ws.cell(row=legend + offset, column=2)
        put_text(cell, label)
        cell.fill = FILLS[mark]


def hit_list_workbook(query: str, rows: list[dict]) -> bytes:
    """The list of every search hit as .xlsx (auditors keep it with their notes): one row per
    document with its indicators, years and kind."""
    import io

    wb = Workbook()
    wb.properties.title = sheet_text(f"检索结果 · {query}")[:200]
    headers = ["编号", "标题", "文号", "部门", "年份", "类型", "指标", "来源文件"]
    body = [[d["id"], d["title"], d.get("doc_number") or "", d.get("department") or "", _years(d["years"]),
             KIND_LABEL.get(d.get("kind") or "", ""),
             "、".join(t["code"] for t in d["tags"] if t["status"] != "rejected"), "\n".join(d["sources"])]
            for d in rows]
    _sheet(wb, "检索结果", headers, body, [8, 40, 20, 16, 14, 10, 20, 50], first=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
