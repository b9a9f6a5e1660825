"""The type of material, as the online submission (网上申报) sorts it: 图片资料 (photo), 正式发文
(official: a 文号 and an issuing body), 说明报告 (report), 数据表格 (table) or other.

The rules, in order: a picture without a document's text is a photo; a document numbered by its
issuing body is official; a spreadsheet, or a text mostly in table cells, is a table; a title that
names a report, an explanation or a summary is a report; everything else is other."""
from __future__ import annotations

import re
from dataclasses import dataclass

MATERIALS = ("photo", "official", "report", "table", "other")
MATERIAL_LABELS = {"photo": "图片资料", "official": "正式发文", "report": "说明报告", "table": "数据表格", "other": "其他"}
REPORT_TITLE = re.compile(r"(说明|报告|汇报|总结|情况|综述|自查|自评)[^，。]{0,8}$")
TABLE_FORMATS = {"xlsx", "xls", "csv"}
TABLE_SHARE = 0.5
SCAN_CHARS = 200       # a picture with this much read text is a scanned document, not a photo


@dataclass(frozen=True)
class MaterialDecision:
    material: str
    reason: str


def detect_material(fmt: str, title: str, text: str, *, doc_number: str | None, issuer: str | None,
                    taken: str | None = None, table_ratio: float = 0.0) -> MaterialDecision:
    """The type of one document's material, and why."""
    picture = (fmt or "").startswith("image:")
    if picture and (taken or len(text.strip()) < SCAN_CHARS) and not doc_number:
        why = f"照片，拍摄于 {taken}" if taken else "图片，画面中没有成段文字"
        return MaterialDecision("photo", why)
    if doc_number and issuer:
        return MaterialDecision("official", f"有文号 {doc_number} 和发文机关 {issuer}")
    if fmt in TABLE_FORMATS or table_ratio >= TABLE_SHARE:
        return MaterialDecision("table", "电子表格" if fmt in TABLE_FORMATS else f"正文 {table_ratio:.0%} 在表格中")
    match = REPORT_TITLE.search(title or "")
    if match:
        return MaterialDecision("report", f"标题含“{match.group(1)}”")
    if doc_number:
        return MaterialDecision("official", f"有文号 {doc_number}")
    return MaterialDecision("other", "不是照片、正式发文、说明报告或数据表格")
