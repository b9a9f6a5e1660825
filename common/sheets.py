"""Rows for the spreadsheets we write: text stays text.

openpyxl stores a string that starts with "=" as a formula; a title, department or file name
such as =HYPERLINK(…) or +cmd|… from a department's folder must reach Excel as the words it is,
never as something Excel runs (CSV/formula injection)."""
from __future__ import annotations

from typing import Iterable


def put_text(cell, value: object) -> None:
    """Set `cell` to `value`; a string is stored as a string whatever its first character."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def append_row(sheet, values: Iterable[object]) -> None:
    """`sheet.append(values)` with every string kept as text."""
    values = list(values)
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        put_text(sheet.cell(row=sheet.max_row, column=column), value)
