"""Spreadsheets: .xlsx with openpyxl, .xls with xlrd; every sheet, one page per sheet."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlrd

from common.errors import ExtractionError
from archive.extract.base import MAX_TEXT_CHARS, Extracted, check_zip_container, extractor
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


def _rows_to_page(name: str, rows, budget: int) -> tuple[str, bool]:
    """One sheet as tab-separated lines under its name; stops at the character budget."""
    lines = [name]
    used = len(name)
    for row in rows:
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        line = "\t".join(cells)
        used += len(line) + 1
        if used > budget:
            return "\n".join(lines), True
        lines.append(line)
    return "\n".join(lines), False


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
        raise ExtractionError(_("Excel 文件无法打开（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc
    pages: list[str] = []
    notes: list[str] = []
    budget = MAX_TEXT_CHARS
    try:
        for sheet in book.worksheets:
            page, cut = _rows_to_page(sheet.title, sheet.iter_rows(values_only=True), budget)
            pages.append(page)
            budget -= len(page)
            if cut:
                notes.append(_("内容过长，只保留了前 {n:,} 个字符（工作表 {sheet}）").format(n=MAX_TEXT_CHARS, sheet=sheet.title))
                break
        title = (book.properties.title or "").strip() or (sheet_title(pages[0]) if pages else None)
    except Exception as exc:  # damaged sheet XML surfaces only while streaming rows
        raise ExtractionError(_("Excel 文件已损坏（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc
    finally:
        book.close()
        handle.close()
    return Extracted(format="xlsx", pages=pages or [""], title=title, table_ratio=1.0, notes=notes,
                     title_from_text=False)


@extractor("xls")
def extract_xls(path: Path, fmt: str = "xls") -> Extracted:
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except (xlrd.XLRDError, ValueError, IndexError, AssertionError, KeyError, OSError) as exc:
        raise ExtractionError(_("旧版 Excel（.xls）文件无法读取（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc
    pages: list[str] = []
    notes: list[str] = []
    budget = MAX_TEXT_CHARS
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = (sheet.row_values(r) for r in range(sheet.nrows))
            page, cut = _rows_to_page(sheet.name, rows, budget)
            pages.append(page)
            budget -= len(page)
            if cut:
                notes.append(_("内容过长，只保留了前 {n:,} 个字符（工作表 {sheet}）").format(n=MAX_TEXT_CHARS, sheet=sheet.name))
                break
    except Exception as exc:
        raise ExtractionError(_(".xls 文件已损坏（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc
    finally:
        book.release_resources()
    return Extracted(format="xls", pages=pages or [""], title=sheet_title(pages[0]) if pages else None,
                     table_ratio=1.0, notes=notes, title_from_text=False)
