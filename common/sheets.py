"""Cells for the spreadsheets we write: text stays text.

openpyxl stores a string that starts with "=" as a formula; a title, department or file name
such as =HYPERLINK(…) or +cmd|… from a department's folder must reach Excel as the words it is,
never as something Excel runs (CSV/formula injection)."""
from __future__ import annotations

import re
from typing import Iterable

# Control characters an .xlsx cannot hold (openpyxl refuses them): a NUL in a damaged text file,
# or typed into a search box, must not stop the workbook being written.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def sheet_text(value: str) -> str:
    """`value` without the control characters a workbook cannot hold."""
    return _ILLEGAL.sub("", value)


def put_text(cell, value: object) -> None:
    """Set `cell` to `value`; a string is stored as a string whatever its first character."""
    if isinstance(value, str):
        value = sheet_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def append_row(sheet, values: Iterable[object]) -> None:
    """`sheet.append(values)` with every string kept as text."""
    values = [sheet_text(value) if isinstance(value, str) else value for value in values]
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row=sheet.max_row, column=column), value)
