"""What every extractor returns, and the limits that keep a bad file from hurting the batch."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import ExtractionError

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

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def check_zip_container(path: Path) -> None:
    """Refuse Office zips that would expand to absurd sizes before a library unpacks them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"the file is damaged: its zip container cannot be read ({exc})") from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNZIPPED_BYTES or (total > BOMB_FLOOR and total / packed > MAX_ZIP_RATIO):
        raise ExtractionError(
            f"refused: the file would expand to {total / (1 << 20):,.0f} MB from {packed / (1 << 20):,.1f} MB "
            "(a zip bomb or a damaged file)"
        )


def cap_pages(pages: list[str], notes: list[str]) -> list[str]:
    """Keep at most MAX_TEXT_CHARS of text, noting the cut so a person knows."""
    total = 0
    kept: list[str] = []
    for page in pages:
        if total + len(page) > MAX_TEXT_CHARS:
            kept.append(page[: MAX_TEXT_CHARS - total])
            notes.append(f"text cut at {MAX_TEXT_CHARS:,} characters")
            break
        kept.append(page)
        total += len(page)
    return kept
