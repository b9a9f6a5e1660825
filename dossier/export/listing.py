"""清单.xlsx: every file of the upload per indicator (type, year, department), and what is still missing."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from common.sheets import append_row
from dossier.build import rezip

HEADERS = ["指标编号", "指标名称", "序号", "文件名", "题名", "材料类型", "年份", "部门", "文件编号"]
MISSING_HEADERS = ["指标编号", "指标名称", "牵头单位", "还缺少"]


def listing_xlsx(rows: list[list], missing: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "清单"
    for target, headers, body in ((sheet, HEADERS, rows), (book.create_sheet("还缺少"), MISSING_HEADERS, missing)):
        append_row(target, headers)
        for cell in target[1]:
            cell.font = Font(bold=True)
        for row in body:
            append_row(target, row)
        target.freeze_panes = "A2"
    book.properties.creator = "dossier"
    book.properties.created = book.properties.modified = dt.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    # ExcelWriter directly and fixed stamps: the same export gives the same bytes.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return rezip(buffer.getvalue())
