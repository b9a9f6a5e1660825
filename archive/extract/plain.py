"""Plain text and HTML, in the encodings `encodings.py` knows."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from common.errors import ExtractionError
from archive.extract.base import Extracted, cap_pages, extractor
from archive.extract.encodings import decode_text as decode_bytes
from common.messages import _

MAX_TEXT_FILE_BYTES = 200 << 20


def decode_text(data: bytes) -> str:
    text = decode_bytes(data)
    if text is None:
        raise ExtractionError(_("文本既不是 UTF-8、UTF-16 也不是 GB18030/GBK 编码：请另存为 UTF-8 后再收录"))
    return text


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_TEXT_FILE_BYTES:
        raise ExtractionError(_("文本文件有 {mb} MB，太大，不像是一份文件：请确认是否放错了文件").format(mb=size >> 20))
    return path.read_bytes()


@extractor("txt", "csv")
def extract_text_file(path: Path, fmt: str) -> Extracted:
    text = decode_text(_read(path))
    if not text.strip():
        raise ExtractionError(_("文本文件里只有空白，没有文字：请向报送部门要有内容的文件"))
    notes: list[str] = []
    pages = cap_pages(text.split("\f"), notes)
    table_ratio = 1.0 if fmt == "csv" else 0.0
    return Extracted(format=fmt, pages=pages, table_ratio=table_ratio, notes=notes, title_from_text=fmt != "csv")


class _HTMLText(HTMLParser):
    """Collects visible text; cells become tabs and rows lines, as a saved-as-web-page .xls needs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in ("tr", "p", "br", "div", "li", "h1", "h2", "h3"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._skip:
            return
        if self._in_title:
            self.title = (self.title or "") + data.strip()
            return
        self.parts.append(data)


@extractor("html")
def extract_html(path: Path, fmt: str = "html") -> Extracted:
    raw = _read(path)
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    try:
        text = raw.decode(declared.group(1).decode()) if declared else decode_text(raw)
    except (LookupError, UnicodeDecodeError):
        text = decode_text(raw)
    parser = _HTMLText()
    parser.feed(text)
    body = html.unescape("".join(parser.parts))
    lines = [re.sub(r"[ \t]+$", "", line.strip("\t ")) for line in body.splitlines()]
    content = "\n".join(line for line in lines if line)
    return Extracted(format="html", pages=[content], title=parser.title or None,
                     table_ratio=0.5 if "\t" in content else 0.0)
