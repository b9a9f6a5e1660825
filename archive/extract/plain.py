"""Plain text and HTML: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 or Big5.

Charset guessing is wrong on short Chinese text, so we try the encodings Chinese offices
actually produce, strictly, and refuse rather than index mojibake. Big5 (traditional
characters, reposted from Taiwan or Hong Kong) also decodes as GB18030, into rare characters:
a text whose characters are mostly outside GB2312 as GB18030 but decode as Big5 is Big5.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from common.errors import ExtractionError
from archive.extract.base import Extracted, cap_pages, extractor
from common.messages import _

MAX_TEXT_FILE_BYTES = 200 << 20


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _as_big5(data, text) if encoding == "gb18030" else text
    raise ExtractionError(_("文本既不是 UTF-8 也不是 GB18030/GBK 编码：请另存为 UTF-8 后再收录"))


def _outside_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def _as_big5(data: bytes, as_gb: str) -> str:
    """`data` decoded as Big5 (cp950) when its GB18030 reading is mostly rare characters."""
    wide = [c for c in as_gb if ord(c) > 0x7F]
    if not wide or sum(map(_outside_gb2312, wide)) < 0.2 * len(wide):
        return as_gb
    try:
        return data.decode("cp950")
    except UnicodeDecodeError:
        return as_gb


def _read(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_TEXT_FILE_BYTES:
        raise ExtractionError(_("文本文件有 {mb} MB，太大，不像是一份文件").format(mb=size >> 20))
    return path.read_bytes()


@extractor("txt", "csv")
def extract_text_file(path: Path, fmt: str) -> Extracted:
    text = decode_text(_read(path))
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
