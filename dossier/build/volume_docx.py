"""The Word volume (python-docx): 案卷封面, 卷内文件目录, the documents, 卷内备考表.

Layout follows archival.md: cover, catalogue and note are not page-numbered; the documents'
pages carry "— n —" from 1 (GB/T 9704 §7.5). Each document starts on a new page under a
divider with its catalogue entry, followed by what a reviewer can read of it: paragraphs and
tables rebuilt from the extracted text, or page images for scans. The same functions draw the
front matter and the note of the PDF volume, where the page numbers are exact.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

from dossier.build import fonts as fonts

from dossier.build import wordml as wordml
from dossier.build.fonts import BODY, HEADING, KAI, TITLE
from dossier.systems import EVIDENCE_LABELS
from dossier.build.plan import GROUP_LABELS, PHOTOS_PER_PAGE, PlannedDoc, VolumePlan, photo_runs

MAX_DOC_CHARS = 30_000        # text of one document shown in the docx; the rest is in the original
MAX_TABLE_ROWS = 300
MAX_IMAGE_PAGES = 40          # scanned pages shown as images per document
# Widths in mm (sum 156, the text width): 文号 such as 团市委〔2024〕3号 on one line, 日期 8 digits,
# 页号 "123-130", 备注 "扫描件"/"未转换"; 题名 takes the rest and wraps.
CATALOGUE_COLUMNS = (("序号", 10), ("文号", 36), ("责任者", 20), ("题名", 41), ("日期", 19), ("页号", 15), ("备注", 15))
Numbering = dict[int, tuple[int, int]]      # 序号 -> (first page, last page) in the volume
Cell = tuple[str, str, Length, WD_ALIGN_PARAGRAPH | None]     # text, font, size, alignment
_GRID_STYLE = "TableGrid"       # the id of python-docx's template style "Table Grid": ruled cells
_SECT_PR = qn("w:sectPr")


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
    """Start and end pages from each document's known page count (documents.pages); photos of
    one activity share pages, four to a page, as in the PDF volume."""
    result, page = {}, 1
    for run in photo_runs(plan.documents):
        if len(run) > 1:
            for n, doc in enumerate(run):
                result[doc.seq] = (page + n // PHOTOS_PER_PAGE,) * 2
            page += -(-len(run) // PHOTOS_PER_PAGE)
            continue
        doc = run[0]
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
# Paragraphs and tables are written as XML (wordml): python-docx's object API took most of the
# build's time at a city's scale. python-docx still does sections, footers and pictures.

def _add_block(document, element: wordml.Element) -> None:
    """Put a paragraph or table at the end of the body, before the body's closing w:sectPr.

    python-docx's own insert looks for that sectPr among all the body's children each time,
    which is quadratic in the length of a volume; lxml reaches the last child directly."""
    last = document.element.body[-1]
    if last.tag == _SECT_PR:
        last.addprevious(element)
    else:
        document.element.body.append(element)


def _paragraph(document, text: str = "", font: str = BODY, size: Length | None = None,
               align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = False, single: bool = False,
               page_break: bool = False) -> wordml.Element:
    paragraph = wordml.paragraph(None, align, line=1.0 if single else None,
                                 indent=Pt(32) if indent else None,       # 空两字
                                 page_break_before=page_break)
    if text:
        wordml.add_run(paragraph, text, font, size)
    _add_block(document, paragraph)
    return paragraph


def _title(document, text: str) -> None:
    _paragraph(document, text, TITLE, fonts.SIZE_TITLE, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document)


def _fixed_table(document, widths_mm: list[float], borders: bool = True) -> wordml.Element:
    """A table with fixed column widths (LibreOffice and Word otherwise autofit differently),
    and 1 mm cell margins left and right: the catalogue needs every millimetre."""
    table = wordml.table([Mm(w) for w in widths_mm], _GRID_STYLE if borders else None, Mm(1))
    _add_block(document, table)
    return table


def _row(table: wordml.Element, widths_mm: list[float], cells: list[Cell], height: Length | None = None,
         header: bool = False) -> list[wordml.Element]:
    """One row of single-spaced cells; `height` is a minimum, a `header` row repeats on each page."""
    row = wordml.add_row(table, height, header)
    result = []
    for width, (text, font, size, align) in zip(widths_mm, cells):
        cell = wordml.add_cell(row, Mm(width))
        wordml.add_run(wordml.paragraph(cell, align, line=1.0), text, font, size)
        result.append(cell)
    return result


def _page_break(document) -> None:
    _add_block(document, wordml.page_break())


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
    widths = [32, 124]
    table = _fixed_table(document, widths, borders=False)
    for label, value in rows:
        _, field = _row(table, widths, [(label, HEADING, Pt(15), WD_ALIGN_PARAGRAPH.DISTRIBUTE),
                                        (value, BODY, Pt(15), None)], height=Mm(11))
        wordml.bottom_border(field)           # the ruled line where a person may write by hand


def _remark(doc: PlannedDoc, extra: dict[int, str]) -> str:
    if doc.seq in extra:
        return extra[doc.seq]
    if doc.status == "needs_ocr":
        return "扫描件"
    return ""


def add_catalogue(document, plan: VolumePlan, numbering: Numbering, remarks: dict[int, str] | None = None) -> None:
    """卷内文件目录: 序号 · 文号 · 责任者 · 题名 · 日期(YYYYMMDD) · 页号 · 备注, header repeated."""
    _title(document, "卷内文件目录")
    widths = [w for _, w in CATALOGUE_COLUMNS]
    table = _fixed_table(document, widths)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _row(table, widths, [(label, HEADING, fonts.SIZE_TABLE, center) for label, _ in CATALOGUE_COLUMNS], header=True)
    for n, doc in enumerate(plan.documents):
        last = n == len(plan.documents) - 1
        values = [(str(doc.seq), center), (doc.doc_number or "", None), (doc.responsible, None),
                  (doc.title, None), (doc.date8, center), (page_cell(numbering, doc, last), center),
                  (_remark(doc, remarks or {}), None)]
        _row(table, widths, [(value, BODY, fonts.SIZE_TABLE, align) for value, align in values])


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
    widths = [46, 110]
    table = _fixed_table(document, widths)
    explanation = wordml.add_cell(wordml.add_row(table, Mm(120)), Mm(sum(widths)), span=2)
    wordml.add_run(wordml.paragraph(explanation, line=1.0), "本卷情况说明：", HEADING, Pt(14))
    for line in note_lines(plan, ctx, total_pages, exact, extra or []):
        paragraph = wordml.paragraph(explanation, line=Pt(24), indent=Pt(28))
        wordml.add_run(paragraph, line, BODY, Pt(14))
    for label, value in [("立卷人", ctx.compiler), ("检查人", ctx.checker),
                         ("审核人（资料组）", ""), ("立卷时间", chinese_date(ctx.compiled))]:
        _row(table, widths, [(label, HEADING, Pt(14), WD_ALIGN_PARAGRAPH.CENTER), (value, BODY, Pt(14), None)],
             height=Mm(12))


# ---------------------------------------------------------------- documents

def _divider(document, plan: VolumePlan, doc: PlannedDoc, numbering: Numbering) -> None:
    _paragraph(document, f"第 {doc.seq} 件　{GROUP_LABELS[doc.group]}", HEADING, Pt(16), page_break=True)
    first, last = numbering[doc.seq]
    rows = [("题名", doc.title), ("文号", doc.doc_number or ""), ("责任者", doc.responsible),
            ("日期", doc.date8), ("页号", f"{first}-{last}" if last > first else str(first)),
            ("来源单位", doc.department or ""), ("原件格式", doc.format.replace("image:", "图片 "))]
    widths = [26, 130]
    table = _fixed_table(document, widths)
    for label, value in rows:
        _row(table, widths, [(label, HEADING, Pt(12), WD_ALIGN_PARAGRAPH.CENTER), (value, BODY, Pt(12), None)])
    _paragraph(document)


def _text_table(document, rows: list[list[str]]) -> None:
    shown = rows[:MAX_TABLE_ROWS]
    width = max(len(r) for r in shown)
    widths = [fonts.TEXT_WIDTH_MM / width] * width
    table = _fixed_table(document, widths)
    for values in shown:
        _row(table, widths, [(value, BODY, fonts.SIZE_TABLE, None) for value in values + [""] * (width - len(values))])
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
    paragraph = Paragraph(_paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, single=True), document)
    paragraph.add_run().add_picture(str(path), width=Mm(w * scale), height=Mm(h * scale))


def add_photo_run(document, run: list[PlannedDoc], numbering: Numbering, source: ContentSource) -> None:
    """Photos of one activity behind one divider that lists them, two to a page, each with its caption."""
    first, last = run[0], run[-1]
    day = (first.activity or "").rsplit("|", 1)[-1]
    _paragraph(document, f"第 {first.seq}—{last.seq} 件　照片（同一活动，{day}）", HEADING, Pt(16), page_break=True)
    widths = [14, 106, 22, 14]
    table = _fixed_table(document, widths)
    _row(table, widths, [(label, HEADING, Pt(12), WD_ALIGN_PARAGRAPH.CENTER) for label in ("序号", "题名", "日期", "页号")])
    for doc in run:
        _row(table, widths, [(str(doc.seq), BODY, Pt(12), WD_ALIGN_PARAGRAPH.CENTER), (doc.title, BODY, Pt(12), None),
                             (doc.date8, BODY, Pt(12), WD_ALIGN_PARAGRAPH.CENTER),
                             (str(numbering[doc.seq][0]), BODY, Pt(12), WD_ALIGN_PARAGRAPH.CENTER)])
    for doc in run:
        image = source.image(doc)
        if image is None:
            _paragraph(document, f"（第 {doc.seq} 件照片无法显示，见原件。）", KAI)
            continue
        _picture(document, image, max_h=95)
        _paragraph(document, f"图 {doc.seq}：{doc.title}", KAI, Pt(12), WD_ALIGN_PARAGRAPH.CENTER)


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

@functools.cache
def _template() -> bytes:
    """The empty volume: page setup, styles, fonts, footers. Made once per process, because
    setting the fonts on every style through python-docx costs more than reading the result."""
    document = docx.Document()
    fonts.setup_document(document)
    document.settings.odd_and_even_pages_header_footer = True
    fonts.blank_footer(document.sections[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _new_document():
    return docx.Document(io.BytesIO(_template()))


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
    for run in photo_runs(plan.documents):
        if len(run) > 1:
            add_photo_run(document, run, numbering, source)
        else:
            add_document(document, plan, run[0], numbering, source)
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
