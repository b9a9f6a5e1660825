"""Spreadsheets: .xlsx with openpyxl, .xls with xlrd; every sheet, one page per sheet."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import openpyxl
import xlrd

from common.errors import ExtractionError
from archive.extract.base import MAX_TEXT_CHARS, Extracted, check_zip_container, extractor, metadata_day
from common.messages import _


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def sheet_title(page: str) -> str | None:
    """A title row of a sheet: the first row with exactly one filled cell that reads like a title."""
    for line in page.split("\n")[1:6]:
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) == 1 and 4 <= len(cells[0]) <= 60 and not cells[0].replace(".", "").isdigit():
            return cells[0].strip()
        if len(cells) > 1:
            return None
    return None


# What one workbook may cost: a million-row or 16,384-column sheet is read up to here and noted,
# so that it never holds a batch (or a worker's memory) hostage.
MAX_ROWS = 20_000
MAX_CELLS = 1_000_000


@dataclass
class _Budget:
    chars: int = MAX_TEXT_CHARS
    rows: int = MAX_ROWS
    cells: int = MAX_CELLS


def _rows_to_page(name: str, rows: Iterable[Sequence[object]], budget: _Budget) -> tuple[str, str | None]:
    """One sheet as tab-separated lines under its name, and a note when a limit stopped it."""
    lines = [name]
    budget.chars -= len(name)
    for row in rows:
        if budget.rows <= 0:
            return "\n".join(lines), _("表格过大，只读取了前 {n:,} 行（工作表 {sheet}）").format(n=MAX_ROWS, sheet=name)
        if budget.cells < len(row):
            return "\n".join(lines), _("表格过大，只读取了前 {n:,} 个单元格（工作表 {sheet}）").format(n=MAX_CELLS, sheet=name)
        budget.rows -= 1
        budget.cells -= len(row)
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        line = "\t".join(cells)
        budget.chars -= len(line) + 1
        if budget.chars < 0:
            return "\n".join(lines), _("内容过长，只保留了前 {n:,} 个字符（工作表 {sheet}）").format(n=MAX_TEXT_CHARS, sheet=name)
        lines.append(line)
    return "\n".join(lines), None


def _read_sheets(sheets: Iterable[tuple[str, Iterable[Sequence[object]]]]) -> tuple[list[str], list[str]]:
    """Pages (one a sheet) and notes, up to the workbook's budget."""
    pages: list[str] = []
    budget = _Budget()
    for name, rows in sheets:
        page, cut = _rows_to_page(name, rows, budget)
        pages.append(page)
        if cut:
            return pages, [cut]
    return pages, []


def _xlsx_sheets(book) -> Iterator[tuple[str, Iterable[Sequence[object]]]]:
    for sheet in book.worksheets:
        if hasattr(sheet, "reset_dimensions"):
            # The stored dimension can lie (A1:XFD1048576): read the cells that are there, not a
            # grid padded out to it.
            sheet.reset_dimensions()
        yield sheet.title, sheet.iter_rows(values_only=True)


@extractor("xlsx")
def extract_xlsx(path: Path, fmt: str = "xlsx") -> Extracted:
    check_zip_container(path)
    # A file object, not a name: openpyxl refuses names without an Excel extension, and stored
    # originals are named by their hash.
    handle = open(path, "rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged packages
        handle.close()
        raise ExtractionError(_("Excel 文件无法打开（{kind}）：请向报送部门要一份完好的文件，或另存为 .xlsx 后再收录").format(kind=type(exc).__name__)) from exc
    try:
        pages, notes = _read_sheets(_xlsx_sheets(book))
        title = (book.properties.title or "").strip() or (sheet_title(pages[0]) if pages else None)
        saved = metadata_day(book.properties.modified, book.properties.created)
    except Exception as exc:  # damaged sheet XML surfaces only while streaming rows
        raise ExtractionError(_("Excel 文件已损坏，或含有不安全的内容（{kind}）：请向报送部门要一份完好的文件").format(kind=type(exc).__name__)) from exc
    finally:
        book.close()
        handle.close()
    return Extracted(format="xlsx", pages=pages or [""], title=title, table_ratio=1.0, notes=notes,
                     title_from_text=False, file_date=saved)


@extractor("xls")
def extract_xls(path: Path, fmt: str = "xls") -> Extracted:
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (xlrd.XLRDError, ValueError, IndexError, AssertionError, KeyError, OSError) as exc:
        raise ExtractionError(_("旧版 Excel（.xls）文件无法读取（{kind}）：请另存为 .xlsx 后再收录").format(kind=type(exc).__name__)) from exc

    def sheets() -> Iterator[tuple[str, Iterable[Sequence[object]]]]:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            yield sheet.name, (sheet.row_values(r) for r in range(sheet.nrows))
    try:
        pages, notes = _read_sheets(sheets())
    except Exception as exc:
        raise ExtractionError(_(".xls 文件已损坏（{kind}）：请向报送部门要一份完好的文件").format(kind=type(exc).__name__)) from exc
    finally:
        book.release_resources()
    return Extracted(format="xls", pages=pages or [""], title=sheet_title(pages[0]) if pages else None,
                     table_ratio=1.0, notes=notes, title_from_text=False)
