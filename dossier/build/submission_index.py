"""总目录: the submission index listing every volume, as Excel (openpyxl) and Word (python-docx)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from dossier.build import fonts as fonts
from dossier.systems import EVIDENCE_LABELS
from common.files import atomic_write
from common.sheets import append_row

INDEX_STEM = "总目录"
COLUMNS = ("序号", "指标编号", "指标名称", "牵头单位", "文件件数", "页数", "统计数据缺少年度", "活动材料缺少年度", "卷宗文件")
WIDTHS_MM = (12, 20, 50, 40, 18, 18, 28, 28, 53)       # landscape A4 text width: 297 - 28 - 26


@dataclass
class IndexRow:
    code: str
    name: str
    lead_department: str
    documents: int
    pages: int
    pages_exact: bool                     # True when counted in the PDF volume
    missing: dict[str, list[int]] | None  # None: years not checked
    files: list[str]

    def missing_text(self, kind: str) -> str:
        if self.missing is None:
            return "未核对"
        if kind not in self.missing:
            return "—"                    # this indicator does not need this kind of material
        years = self.missing[kind]
        return "、".join(map(str, years)) if years else "齐全"

    def values(self, seq: int) -> list:
        pages = self.pages if self.pages_exact else f"约{self.pages}"
        return [seq, self.code, self.name, self.lead_department, self.documents, pages,
                self.missing_text("statistics"), self.missing_text("activity"), "；".join(self.files)]


def index_xlsx(rows: list[IndexRow], system_name: str, compiled: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = INDEX_STEM
    append_row(sheet, [f"{system_name} 测评材料总目录"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet["A1"].font = Font(name=fonts.TITLE, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, COLUMNS)
    for n, row in enumerate(rows, start=1):
        append_row(sheet, row.values(n))
    thin = Side(style="thin")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.font = Font(name=fonts.HEADING if cell.row == 2 else fonts.BODY, size=11)
    for letter, width in zip("ABCDEFGHI", WIDTHS_MM):
        sheet.column_dimensions[letter].width = width / 2.2     # mm → Excel character widths
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    stamp = dt.datetime(compiled.year, compiled.month, compiled.day)
    book.properties.creator, book.properties.title = "dossier", f"{system_name} 测评材料总目录"
    book.properties.created = book.properties.modified = stamp
    buffer = io.BytesIO()
    # ExcelWriter directly: Workbook.save() stamps "modified" with the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return fonts.rezip(buffer.getvalue())


def index_docx(rows: list[IndexRow], system_name: str, compiled: dt.date, notes: list[str]) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT

    document = docx.Document()
    fonts.setup_document(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(26), Mm(24)
    fonts.page_number_footer(section, start=1)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts.add_run(title, f"{system_name}\n测评材料总目录", fonts.TITLE, fonts.SIZE_TITLE)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fonts.add_run(line, f"共 {len(rows)} 卷　编制日期：{compiled.year}年{compiled.month}月{compiled.day}日", fonts.BODY, Pt(14))
    table = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_MM):
        for cell in column.cells:
            cell.width = Mm(width)
    for r, values in enumerate([list(COLUMNS)] + [row.values(n) for n, row in enumerate(rows, start=1)]):
        for cell, value in zip(table.rows[r].cells, values):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = 1.0
            fonts.add_run(paragraph, str(value), fonts.HEADING if r == 0 else fonts.BODY, fonts.SIZE_TABLE)
    for note in notes:
        fonts.add_run(document.add_paragraph(), note, fonts.KAI, Pt(12))
    return fonts.save_reproducible(document, compiled, f"{system_name} 测评材料总目录")


def index_notes(rows: list[IndexRow]) -> list[str]:
    notes = []
    if any(not r.pages_exact for r in rows):
        notes.append("注：页数前标“约”的，为按各文件原有页数的估算（未生成 PDF 卷）。")
    if any(r.missing is None for r in rows):
        notes.append("注：“未核对”表示生成时未提供材料年度核对结果。")
    labels = "、".join(EVIDENCE_LABELS.values())
    notes.append(f"注：缺少年度按{labels}的要求年度核对；“—”表示该指标不要求此类材料。")
    return notes


def write_submission_index(rows: list[IndexRow], system_name: str, out_dir: Path, compiled: dt.date) -> list[Path]:
    """Write 总目录.xlsx and 总目录.docx (only when their bytes change); returns both paths."""
    outputs = []
    for suffix, data in ((".xlsx", index_xlsx(rows, system_name, compiled)),
                         (".docx", index_docx(rows, system_name, compiled, index_notes(rows)))):
        path = out_dir / f"{INDEX_STEM}{suffix}"
        if not path.is_file() or path.read_bytes() != data:
            atomic_write(path, data)
        outputs.append(path)
    return outputs
