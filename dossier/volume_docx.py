"""The Word volume (python-docx): 案卷封面, 卷内文件目录, the documents, 卷内备考表.

Layout follows archival.md: cover, catalogue and note are not page-numbered; the documents'
pages carry "— n —" from 1 (GB/T 9704 §7.5). Each document starts on a new page under a
divider with its catalogue entry, followed by what a reviewer can read of it: paragraphs and
tables rebuilt from the extracted text, or page images for scans. The same functions draw the
front matter and the note of the PDF volume, where the page numbers are exact.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import fonts
from .fonts import BODY, HEADING, KAI, TITLE, add_run
from .systems import EVIDENCE_LABELS
from .volume_plan import GROUP_LABELS, PlannedDoc, VolumePlan

MAX_DOC_CHARS = 30_000        # text of one document shown in the docx; the rest is in the original
MAX_TABLE_ROWS = 300
MAX_IMAGE_PAGES = 40          # scanned pages shown as images per document
# Widths in mm (sum 156, the text width): 文号 such as 团市委〔2024〕3号 on one line, 日期 8 digits,
# 页号 "123-130", 备注 "扫描件"/"未转换"; 题名 takes the rest and wraps.
CATALOGUE_COLUMNS = (("序号", 10), ("文号", 36), ("责任者", 20), ("题名", 41), ("日期", 19), ("页号", 15), ("备注", 15))
Numbering = dict[int, tuple[int, int]]      # 序号 -> (first page, last page) in the volume


@dataclass
class VolumeContext:
    """What the volume needs beyond the catalogue: dates, names and the archive's choices."""

    compiled: dt.date
    fonds: str = ""                  # 全宗名称: left blank for the office to fill in by hand
    retention: str = "定期30年"       # 保管期限 (archival.md §2)
    compiler: str = ""               # 立卷人
    checker: str = ""                # 检查人
    archive_number: str = ""         # 归档号
    required_years: dict[str, int] = field(default_factory=lambda: {"statistics": 2, "activity": 3})

    def options(self) -> dict:
        """The choices that shape a volume (for its fingerprint; the date is left out)."""
        return {"fonds": self.fonds, "retention": self.retention, "compiler": self.compiler,
                "checker": self.checker, "archive_number": self.archive_number,
                "required_years": dict(sorted(self.required_years.items()))}


class ContentSource(Protocol):
    """Where the docx volume gets each document's text and images."""

    def pages(self, doc: PlannedDoc) -> list[str]: ...

    def ocr_pages(self, doc: PlannedDoc) -> set[int]: ...

    def page_image(self, doc: PlannedDoc, page: int) -> Path | None: ...

    def image(self, doc: PlannedDoc) -> Path | None: ...


def estimated_numbering(plan: VolumePlan) -> Numbering:
    """Start and end pages from each document's known page count (documents.pages)."""
    result, page = {}, 1
    for doc in plan.documents:
        result[doc.seq] = (page, page + doc.pages_estimate - 1)
        page += doc.pages_estimate
    return result


def page_cell(numbering: Numbering, doc: PlannedDoc, last: bool) -> str:
    """页号: the start page; the last document gets start-end (archival.md §3)."""
    first, end = numbering[doc.seq]
    return f"{first}-{end}" if last and end > first else str(first)


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------- building blocks

def _paragraph(container, text: str = "", font: str = BODY, size=None, align=None, bold=False,
               indent: bool = False, single: bool = False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)      # 空两字
    if single:
        paragraph.paragraph_format.line_spacing = 1.0
    if text:
        add_run(paragraph, text, font, size, bold)
    return paragraph


def _title(document, text: str) -> None:
    _paragraph(document, text, TITLE, fonts.SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)


def _cell(cell, text: str, font: str = BODY, size=fonts.SIZE_TABLE, align=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    if align is not None:
        paragraph.alignment = align
    add_run(paragraph, text, font, size)


def _fixed_table(container, rows: int, widths_mm: list[float], borders: bool = True):
    """A table with fixed column widths (LibreOffice and Word otherwise autofit differently)."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    if borders:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False                           # w:tblLayout fixed
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), "57")                 # 1 mm: the catalogue needs every millimetre
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    # Word rejects children out of schema order: tblCellMar comes before tblLook.
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table


def _repeat_header(row) -> None:
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(node)


def _page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# ---------------------------------------------------------------- cover, catalogue, note

def add_cover(document, plan: VolumePlan, ctx: VolumeContext, total_pages: int) -> None:
    """案卷封面 (GB/T 9705 §3.1.2, mapped as archival.md §2 suggests)."""
    _paragraph(document, plan.system_name, HEADING, Pt(16), WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)
    _paragraph(document, f"{plan.code} {plan.name}", TITLE, fonts.SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "测评材料", TITLE, fonts.SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)
    ind = plan.indicator
    category = f"{ind.part_code} {ind.part_name} ／ {ind.content_code} {ind.content_name}" if ind else ""
    rows = [
        ("全宗名称", ctx.fonds), ("类目名称", category), ("案卷题名", plan.title),
        ("牵头单位", plan.lead_department), ("时　　间", plan.period),
        ("材料年度", "、".join(map(str, plan.years_covered))), ("保管期限", ctx.retention),
        ("件　　数", f"{len(plan.documents)} 件"), ("页　　数", f"{total_pages} 页"),
        ("归 档 号", ctx.archive_number), ("档　　号", ""), ("立卷时间", chinese_date(ctx.compiled)),
    ]
    table = _fixed_table(document, len(rows), [32, 124], borders=False)
    for row, (label, value) in zip(table.rows, rows):
        _cell(row.cells[0], label, HEADING, Pt(15), WD_ALIGN_PARAGRAPH.DISTRIBUTE)
        _cell(row.cells[1], value, BODY, Pt(15))
        _underline(row.cells[1])
        row.height, row.height_rule = Mm(11), WD_ROW_HEIGHT_RULE.AT_LEAST


def _underline(cell) -> None:
    """The ruled line under a cover field, where a person may write by hand."""
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    cell._tc.get_or_add_tcPr().append(borders)


def _remark(doc: PlannedDoc, extra: dict[int, str]) -> str:
    if doc.seq in extra:
        return extra[doc.seq]
    if doc.status == "needs_ocr":
        return "扫描件"
    return ""


def add_catalogue(document, plan: VolumePlan, numbering: Numbering, remarks: dict[int, str] | None = None) -> None:
    """卷内文件目录: 序号 · 文号 · 责任者 · 题名 · 日期(YYYYMMDD) · 页号 · 备注, header repeated."""
    _title(document, "卷内文件目录")
    table = _fixed_table(document, len(plan.documents) + 1, [w for _, w in CATALOGUE_COLUMNS])
    for cell, (label, _) in zip(table.rows[0].cells, CATALOGUE_COLUMNS):
        _cell(cell, label, HEADING, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    center = WD_ALIGN_PARAGRAPH.CENTER
    for n, (row, doc) in enumerate(zip(table.rows[1:], plan.documents)):
        last = n == len(plan.documents) - 1
        values = [(str(doc.seq), center), (doc.doc_number or "", None), (doc.responsible, None),
                  (doc.title, None), (doc.date8, center), (page_cell(numbering, doc, last), center),
                  (_remark(doc, remarks or {}), None)]
        for cell, (value, align) in zip(row.cells, values):
            _cell(cell, value, align=align)


def note_lines(plan: VolumePlan, ctx: VolumeContext, total_pages: int, exact: bool, extra: list[str]) -> list[str]:
    """本卷情况说明: counts, years, the year check per kind of material, and anything missing."""
    counts = plan.group_counts()
    parts = "，".join(f"{GROUP_LABELS[g]} {n} 件" for g, n in counts.items() if n)
    lines = [f"本卷共有文件 {len(plan.documents)} 件，共 {total_pages} 页" + (f"，其中{parts}。" if parts else "。")]
    if plan.years_covered:
        lines.append(f"材料年度：{'、'.join(map(str, plan.years_covered))}；时间：{plan.period}。")
    if plan.missing is None:
        lines.append("材料时间范围核对：本次未做核对。")
    else:
        kinds = plan.indicator.evidence if plan.indicator else tuple(plan.missing)
        checks = []
        for kind in kinds:
            years = (plan.missing or {}).get(kind, [])
            need = ctx.required_years.get(kind)
            label = EVIDENCE_LABELS.get(kind, kind) + (f"（近{need}年）" if need else "")
            checks.append(f"{label}缺 {'、'.join(map(str, years))} 年" if years else f"{label}齐全")
        lines.append("材料时间范围核对：" + "；".join(checks) + "。")
    scans = sum(1 for d in plan.documents if d.status == "needs_ocr")
    if scans:
        lines.append(f"其中 {scans} 件为扫描件或图片，尚无文字层。")
    lines.append("页号与本卷 PDF 文件的实际页面一致。" if exact else
                 "页号按各文件原有页数估算，装订时以 PDF 卷的页号为准。")
    return lines + extra


def add_note(document, plan: VolumePlan, ctx: VolumeContext, total_pages: int, exact: bool,
             extra: list[str] | None = None) -> None:
    """卷内备考表 (GB/T 9705 附录J): 本卷情况说明, 立卷人, 检查人, 审核人, 立卷时间."""
    _title(document, "卷内备考表")
    table = _fixed_table(document, 5, [46, 110])
    merged = table.rows[0].cells[0].merge(table.rows[0].cells[1])
    merged.paragraphs[0].paragraph_format.line_spacing = 1.0
    add_run(merged.paragraphs[0], "本卷情况说明：", HEADING, Pt(14))
    for line in note_lines(plan, ctx, total_pages, exact, extra or []):
        paragraph = merged.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(28)
        paragraph.paragraph_format.line_spacing = Pt(24)
        add_run(paragraph, line, BODY, Pt(14))
    table.rows[0].height, table.rows[0].height_rule = Mm(120), WD_ROW_HEIGHT_RULE.AT_LEAST
    for row, (label, value) in zip(table.rows[1:], [("立卷人", ctx.compiler), ("检查人", ctx.checker),
                                                     ("审核人（资料组）", ""), ("立卷时间", chinese_date(ctx.compiled))]):
        _cell(row.cells[0], label, HEADING, Pt(14), WD_ALIGN_PARAGRAPH.CENTER)
        _cell(row.cells[1], value, BODY, Pt(14))
        row.height, row.height_rule = Mm(12), WD_ROW_HEIGHT_RULE.AT_LEAST


# ---------------------------------------------------------------- documents

def _divider(document, plan: VolumePlan, doc: PlannedDoc, numbering: Numbering) -> None:
    heading = _paragraph(document, f"第 {doc.seq} 件　{GROUP_LABELS[doc.group]}", HEADING, Pt(16))
    heading.paragraph_format.page_break_before = True
    first, last = numbering[doc.seq]
    rows = [("题名", doc.title), ("文号", doc.doc_number or ""), ("责任者", doc.responsible),
            ("日期", doc.date8), ("页号", f"{first}-{last}" if last > first else str(first)),
            ("来源单位", doc.department or ""), ("原件格式", doc.format.replace("image:", "图片 "))]
    table = _fixed_table(document, len(rows), [26, 130])
    for row, (label, value) in zip(table.rows, rows):
        _cell(row.cells[0], label, HEADING, Pt(12), WD_ALIGN_PARAGRAPH.CENTER)
        _cell(row.cells[1], value, BODY, Pt(12))
    _paragraph(document)


def _text_table(document, rows: list[list[str]]) -> None:
    shown = rows[:MAX_TABLE_ROWS]
    width = max(len(r) for r in shown)
    table = _fixed_table(document, len(shown), [fonts.TEXT_WIDTH_MM / width] * width)
    for row, values in zip(table.rows, shown):
        for cell, value in zip(row.cells, values + [""] * (width - len(values))):
            _cell(cell, value)
    if len(rows) > len(shown):
        _paragraph(document, f"（表格共 {len(rows)} 行，以下从略，详见原件。）", KAI, Pt(12))


def _add_text(document, doc: PlannedDoc, text: str, sheet: bool) -> None:
    """Lines as paragraphs; runs of tab- (or, for csv, comma-) separated lines as a table."""
    lines = [line.rstrip() for line in text.split("\n")]
    if sheet and lines and doc.format in ("xlsx", "xls") and lines[0].strip():
        _paragraph(document, f"工作表：{lines[0].strip()}", HEADING, Pt(14))
        lines = lines[1:]
    separator = "," if doc.format == "csv" else "\t"
    block: list[list[str]] = []
    for line in lines + [""]:
        if separator in line:
            block.append([c.strip() for c in line.split(separator)])
            continue
        if block:
            _text_table(document, block)
            block = []
        if not line.strip():
            continue
        if line.strip() == doc.title:
            _paragraph(document, line.strip(), TITLE, fonts.SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER)
        else:
            _paragraph(document, line.strip(), indent=True)


def _picture(document, path: Path, max_w: float = 156, max_h: float = 165) -> None:
    from PIL import Image
    with Image.open(path) as image:
        w, h = image.size
    scale = min(max_w / w, max_h / h)
    paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, single=True)
    paragraph.add_run().add_picture(str(path), width=Mm(w * scale), height=Mm(h * scale))


def add_document(document, plan: VolumePlan, doc: PlannedDoc, numbering: Numbering, source: ContentSource) -> None:
    """One document behind its divider: text, tables, or images of pages without text."""
    _divider(document, plan, doc, numbering)
    if doc.format.startswith("image:"):
        image = source.image(doc)
        if image is not None:
            _picture(document, image, max_h=135)
            _paragraph(document, f"图：{doc.title}", KAI, Pt(14), WD_ALIGN_PARAGRAPH.CENTER)
        else:
            _paragraph(document, "（图片无法显示，见原件。）", KAI)
        return
    pages = source.pages(doc)
    scanned = source.ocr_pages(doc) if doc.format == "pdf" else set()
    budget, images = MAX_DOC_CHARS, 0
    for number, text in enumerate(pages, start=1):
        if doc.format == "pdf" and len(pages) > 1:
            _paragraph(document, f"〔原件第 {number} 页〕", KAI, Pt(12), WD_ALIGN_PARAGRAPH.RIGHT)
        chars = len(re.sub(r"\s", "", text))
        # A page without a text layer (the extractor's threshold is 10 characters) is shown as
        # its image; a short but real text page stays text.
        if doc.format == "pdf" and (number in scanned or chars < 3 or (chars < 10 and doc.status == "needs_ocr")):
            image = source.page_image(doc, number) if images < MAX_IMAGE_PAGES else None
            images += 1
            if image is not None:
                # The first page shares its page with the divider; later ones get a page each.
                _picture(document, image, max_h=135 if number == 1 else 200)
            else:
                _paragraph(document, "（本页为扫描图像，见 PDF 卷或原件。）", KAI)
            continue
        if budget <= 0:
            _paragraph(document, "（以下从略，全文见 PDF 卷或原件。）", KAI)
            break
        _add_text(document, doc, text[:budget], sheet=True)
        budget -= len(text)


# ---------------------------------------------------------------- whole files

def _new_document():
    document = docx.Document()
    fonts.setup_document(document)
    document.settings.odd_and_even_pages_header_footer = True
    fonts.blank_footer(document.sections[0])
    return document


def build_volume_docx(plan: VolumePlan, ctx: VolumeContext, source: ContentSource,
                      numbering: Numbering | None = None) -> bytes:
    """The whole Word volume. Page numbers are estimates unless `numbering` is given."""
    numbering = numbering or estimated_numbering(plan)
    total = max((end for _, end in numbering.values()), default=0)
    document = _new_document()
    add_cover(document, plan, ctx, total)
    _page_break(document)
    add_catalogue(document, plan, numbering)
    body = document.add_section(WD_SECTION.NEW_PAGE)
    fonts.page_number_footer(body, start=1)
    for doc in plan.documents:
        add_document(document, plan, doc, numbering, source)
    closing = document.add_section(WD_SECTION.NEW_PAGE)
    fonts.blank_footer(closing)
    add_note(document, plan, ctx, total, exact=False)
    return fonts.save_reproducible(document, ctx.compiled, plan.title)


def front_matter_docx(plan: VolumePlan, ctx: VolumeContext, numbering: Numbering,
                      remarks: dict[int, str] | None = None) -> bytes:
    """Cover and catalogue of the PDF volume, with its exact page numbers."""
    total = max((end for _, end in numbering.values()), default=0)
    document = _new_document()
    add_cover(document, plan, ctx, total)
    _page_break(document)
    add_catalogue(document, plan, numbering, remarks)
    return fonts.save_reproducible(document, ctx.compiled, plan.title)


def note_docx(plan: VolumePlan, ctx: VolumeContext, total_pages: int, extra: list[str]) -> bytes:
    """The 备考表 of the PDF volume."""
    document = _new_document()
    add_note(document, plan, ctx, total_pages, exact=True, extra=extra)
    return fonts.save_reproducible(document, ctx.compiled, plan.title)
