"""The checks a reviewer of the online submission makes, one function each: every finding says
what is wrong and what to send instead."""
from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.checks.photos import PhotoFacts

FIGURE = re.compile(r"\d")
# Dates and document numbers are digits that back nothing up.
NOT_FIGURES = re.compile(r"(19|20)\d\d\s*年(\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?)?|[〔\[(（【](19|20)\d\d[〕\])）】]\s*第?\d+\s*号")
OFFICIAL_TITLE = re.compile(r"^关于.{2,60}的(通知|意见|决定|批复|通报|函|办法|规定|实施方案)$|^关于(印发|转发)")
CHECK_LABELS = {
    "photo-small": "照片分辨率低", "photo-blurred": "照片模糊", "photo-compressed": "照片压缩过度",
    "photo-duplicate": "重复的照片", "report-no-figures": "说明报告没有数据", "official-incomplete": "正式发文缺文号或日期",
    "outside-years": "不在所需年份内", "ocr-low": "扫描件识别不清",
}


@dataclass(frozen=True)
class Finding:
    doc_id: int
    title: str
    department: str | None
    codes: tuple[str, ...]
    check: str
    reason: str

    def as_json(self) -> dict:
        return {"id": self.doc_id, "title": self.title, "department": self.department, "indicators": list(self.codes),
                "check": self.check, "label": CHECK_LABELS[self.check], "reason": self.reason}


def photo_findings(facts: PhotoFacts, limits: dict) -> list[tuple[str, str]]:
    found = []
    short = min(facts.width, facts.height)
    if short < limits["min_photo_edge"]:
        found.append(("photo-small", f"照片只有 {facts.width}×{facts.height} 像素，短边不足 {limits['min_photo_edge']:.0f}：请提供相机或手机里的原图"))
    if facts.sharpness < limits["min_sharpness"]:
        found.append(("photo-blurred", f"照片模糊（清晰度 {facts.sharpness:.0f}，低于 {limits['min_sharpness']:.0f}）：请换一张清晰的照片"))
    if facts.jpeg_quality is not None and facts.jpeg_quality < limits["min_jpeg_quality"]:
        found.append(("photo-compressed", f"照片压缩过度（JPEG 质量约 {facts.jpeg_quality}）：请提供未经聊天软件压缩的原图"))
    return found


def duplicate_findings(photos: list[tuple[dict, PhotoFacts]], distance: int) -> dict[int, tuple[str, str]]:
    """Each photo that shows the same picture as an earlier one (resized or re-encoded too)."""
    found: dict[int, tuple[str, str]] = {}
    # 64-bit hashes as integers: the bits two differ in, counted by the processor (5,000 photos in
    # a few seconds, where comparing hash objects takes minutes).
    hashes = [(row, int(facts.phash, 16)) for row, facts in photos]
    for n, (row, digest) in enumerate(hashes):
        for first, other in hashes[:n]:
            if (digest ^ other).bit_count() <= distance:
                reason = f"与文件 {first['id']}（{first['title']}）是同一张照片"
                if first["years"] and row["years"] and set(first["years"]) != set(row["years"]):
                    reason += f"，却记为不同年份（{'、'.join(map(str, first['years']))} 与 {'、'.join(map(str, row['years']))}）"
                found[row["id"]] = ("photo-duplicate", reason + "：请只保留一张，或换成当年的照片")
                break
    return found


def document_findings(row: dict, text: str | None, windows: list[int]) -> list[tuple[str, str]]:
    """Findings on a document's facts; `text` only for reports, `windows` the years its indicators need."""
    found = []
    if row["material"] == "report" and text is not None and not FIGURE.search(NOT_FIGURES.sub("", text)):
        found.append(("report-no-figures", "说明报告里没有一个数字：请补充数据佐证（数量、比例、金额等）"))
    if row["material"] == "official" or (row["material"] != "photo" and OFFICIAL_TITLE.search(row["title"] or "")):
        missing = [name for name, value in (("文号", row["doc_number"]), ("日期", row["doc_date"])) if not value]
        if missing:
            found.append(("official-incomplete", f"正式发文缺少{'和'.join(missing)}：请提供盖章的正式文本"))
    if row["codes"] and row["years"] and windows and not set(row["years"]) & set(windows):
        found.append(("outside-years", f"所涉年份 {'、'.join(map(str, row['years']))} 不在所需年份"
                                       f"（{min(windows)}–{max(windows)}）内：请换成所需年份的材料"))
    return found


def ocr_finding(row: dict, low_confidence: float) -> list[tuple[str, str]]:
    if row["unsure_page"] and row["unsure_page"][1] < low_confidence:
        page, confidence = row["unsure_page"]
        return [("ocr-low", f"扫描件第 {page} 页识别置信度只有 {confidence:.0f}%：请提供更清晰的扫描件或电子原件")]
    return []
