"""Detect a file's format from its content, not its name."""
from __future__ import annotations

import zipfile
from pathlib import Path

import olefile

# Formats the extractors know; "unknown" means none of them.
TEXT_FORMATS = {"txt", "csv"}
IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": "jpeg",
    b"\x89PNG\r\n\x1a\n": "png",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"BM": "bmp",
}


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "zip-broken"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    if "content.xml" in names:
        return "odf"
    return "zip"


def _ole_format(path: Path, suffix: str) -> str:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError, IndexError, TypeError) as exc:  # olefile raises a mix on junk
        del exc
        return "ole-broken"
    if "WordDocument" in streams:
        return "wps" if suffix == ".wps" else "doc"
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "PowerPoint Document" in streams:
        return "ppt"
    if suffix == ".wps":
        return "wps"
    return "ole"


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:4096].lower() or start.startswith(b"<table")


def detect_format(path: Path, head: bytes, name: str | None = None) -> str:
    """One of: pdf docx xlsx pptx odf doc wps xls ppt rtf html image:<kind> txt csv, or *-broken/zip/ole/unknown/empty.

    `name` is the original file name when `path` is a stored copy; its extension only breaks
    ties the content cannot (csv vs txt, WPS vs Word).
    """
    suffix = Path(name or path.name).suffix.lower()
    if not head:
        return "empty"
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_format(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_format(path, suffix)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for signature, kind in IMAGE_SIGNATURES.items():
        if head.startswith(signature):
            if kind == "bmp" and len(head) < 26:
                break
            return f"image:{kind}"
    if _looks_like_html(head):
        return "html"
    if _is_probably_text(head):
        return "csv" if suffix == ".csv" else "txt"
    return "unknown"


def _is_probably_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    sample = head[:8192]
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is not a reason to refuse.
            if exc.start >= len(sample) - 4:
                return True
    return False
