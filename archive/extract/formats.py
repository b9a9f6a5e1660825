"""Detect a file's format from its content, not its name."""
from __future__ import annotations

import zipfile
from pathlib import Path

import olefile

from archive.extract.encodings import looks_like_text

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

# The brands an ISO media file names after "ftyp" when it is a HEIF/HEIC photo (iPhones, many Androids).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


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
    if "EncryptedPackage" in streams:
        return "office-encrypted"      # a .docx/.xlsx saved with an opening password
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
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image:webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image:heic"
    if _looks_like_html(head):
        return "html"
    if looks_like_text(head):
        return "csv" if suffix == ".csv" else "txt"
    return "unknown"
