"""What every extractor returns, and the limits that keep a bad file from hurting the batch."""
from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from common.errors import ExtractionError
from common.messages import _

MAX_TEXT_CHARS = 10_000_000       # beyond this the rest of a document is not indexed
MAX_UNZIPPED_BYTES = 1 << 30      # an Office file expanding past 1 GiB is treated as a zip bomb
MAX_ZIP_RATIO = 200               # ...and so is one whose parts compress better than 200:1 past 50 MiB
BOMB_FLOOR = 50 << 20


@dataclass
class Extracted:
    """The text and facts an extractor found in one file."""

    format: str
    pages: list[str]
    title: str | None = None
    status: str = "ok"                # ok | needs_ocr
    page_count: int | None = None     # real pages where the format knows them, else len(pages)
    table_ratio: float = 0.0          # share of the text that sits in tables (statistics hint)
    notes: list[str] = field(default_factory=list)
    title_from_text: bool = True      # False where the first line is not a title (sheet names)
    taken: str | None = None          # a photo's day (ISO), as its camera recorded it
    file_date: str | None = None      # the day the file says it was saved or made (its metadata), ISO

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def check_zip_container(path: Path) -> None:
    """Refuse Office zips that would expand to absurd sizes before a library unpacks them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise ExtractionError(_("文件已损坏：无法读取其 zip 结构（{exc}）：请向报送部门要一份完好的文件").format(exc=exc)) from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNZIPPED_BYTES or (total > BOMB_FLOOR and total / packed > MAX_ZIP_RATIO):
        raise ExtractionError(
            _("已拒绝：文件会从 {packed:,.1f} MB 展开到 {total:,.0f} MB（压缩炸弹或已损坏的文件）：请向报送部门要一份正常的文件").format(
                packed=packed / (1 << 20), total=total / (1 << 20))
        )


def cap_pages(pages: list[str], notes: list[str]) -> list[str]:
    """Keep at most MAX_TEXT_CHARS of text, noting the cut so a person knows."""
    total = 0
    kept: list[str] = []
    for page in pages:
        if total + len(page) > MAX_TEXT_CHARS:
            kept.append(page[: MAX_TEXT_CHARS - total])
            notes.append(_("正文过长，只保留了前 {n:,} 个字符").format(n=MAX_TEXT_CHARS))
            break
        kept.append(page)
        total += len(page)
    return kept


Extractor = Callable[[Path, str], Extracted]
_EXTRACTORS: dict[str, Extractor] = {}


def extractor(*formats: str) -> Callable[[Extractor], Extractor]:
    """Register the decorated function `(path, fmt) -> Extracted` as the reader of `formats`
    (as archive.extract.formats names them; "image:" stands for every image:<kind>)."""
    def register(function: Extractor) -> Extractor:
        for fmt in formats:
            _EXTRACTORS[fmt] = function
        return function
    return register


def extractor_for(fmt: str) -> Extractor | None:
    """The registered reader of a format, or None when no module reads it."""
    return _EXTRACTORS.get(fmt) or (_EXTRACTORS.get(fmt.split(":", 1)[0] + ":") if ":" in fmt else None)


# python-docx's own template carries this stamp: a file made by a program from it says nothing.
_TEMPLATE_STAMPS = {"2013-12-23"}


def metadata_day(*stamps: object) -> str | None:
    """The first plausible day among a file's metadata dates (datetimes or dates), ISO; None when
    none is: absent, before 1995, a template's default, or today or later — libraries fill a
    missing date with the moment the file is read (openpyxl, python-docx without docProps)."""
    today = dt.date.today()
    for stamp in stamps:
        day = stamp.date() if isinstance(stamp, dt.datetime) else stamp if isinstance(stamp, dt.date) else None
        if day is not None and 1995 <= day.year and day < today and day.isoformat() not in _TEMPLATE_STAMPS:
            return day.isoformat()
    return None
