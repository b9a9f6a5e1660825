"""Text extraction per format. `extract_document` is what ingest runs for each new original."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.errors import ExtractionError
from archive.extract.formats import detect_format
from archive.extract.metadata import read_facts
from archive.textnorm import normalize_text
from archive.extract.base import Extracted, cap_pages
from archive.extract.docx import extract_docx
from archive.extract.images import extract_image
from archive.extract.legacy import extract_legacy
from archive.extract.pdf import extract_pdf
from archive.extract.plain import extract_html, extract_text_file
from archive.extract.sheets import extract_xls, extract_xlsx

EXTRACTOR_VERSION = 1

_UNSUPPORTED = {
    "pptx": "PowerPoint files are not supported yet; save the slides as PDF",
    "ppt": "PowerPoint files are not supported yet; save the slides as PDF",
    "odf": "OpenDocument files are not supported yet; save as .docx or PDF",
    "zip": "a zip archive: unpack it and ingest its files",
    "ole": "an Office file of an unknown kind",
    "unknown": "unsupported file type (not a document, spreadsheet, PDF, text or image)",
    "empty": "the file is empty (0 bytes)",
    "zip-broken": "the file is damaged: its zip container cannot be read",
    "ole-broken": "the file is damaged: its Office container cannot be read",
}


@dataclass
class DocumentRecord:
    """Everything ingest stores about one original, ready for the catalogue (picklable)."""

    format: str
    status: str                      # ok | failed | needs_ocr
    title: str
    pages: list[str] = field(default_factory=list)
    page_count: int = 0
    error: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    doc_date: str | None = None
    dates: list[str] = field(default_factory=list)
    table_ratio: float = 0.0
    notes: list[str] = field(default_factory=list)


_EXPECTED_BY_SUFFIX = {".docx": "Word", ".doc": "Word", ".wps": "WPS", ".xlsx": "Excel", ".xls": "Excel",
                       ".pdf": "PDF", ".txt": "text", ".csv": "CSV"}


def _unknown_reason(name: str) -> str:
    expected = _EXPECTED_BY_SUFFIX.get(Path(name).suffix.lower())
    if expected:
        return f"named like a {expected} file, but its content is no known format (damaged, or not what its name says)"
    return _UNSUPPORTED["unknown"]


def _run_extractor(path: Path, fmt: str) -> Extracted:
    if fmt == "docx":
        return extract_docx(path)
    if fmt == "pdf":
        return extract_pdf(path)
    if fmt == "xlsx":
        return extract_xlsx(path)
    if fmt == "xls":
        return extract_xls(path)
    if fmt in ("doc", "wps", "rtf"):
        return extract_legacy(path, fmt)
    if fmt in ("txt", "csv"):
        return extract_text_file(path, fmt)
    if fmt == "html":
        return extract_html(path)
    if fmt.startswith("image:"):
        return extract_image(path, fmt)
    raise ExtractionError(_UNSUPPORTED.get(fmt, f"unsupported file type ({fmt})"))


def file_title(name: str) -> str:
    """A title made from a file name: no extension, separators as spaces."""
    stem = Path(name).stem if "." in name else name
    return normalize_text(stem.replace("_", " ")).strip() or name


def extract_document(path: Path, original_name: str) -> DocumentRecord:
    """Detect the format of `path` by content, extract its text and facts; never raises for bad input."""
    fallback_title = file_title(original_name)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
        fmt = detect_format(path, head, original_name)
        if fmt == "unknown":
            raise ExtractionError(_unknown_reason(original_name))
        extracted = _run_extractor(path, fmt)
    except ExtractionError as exc:
        return DocumentRecord(format=locals().get("fmt", "unknown"), status="failed",
                              title=fallback_title, error=str(exc))
    except MemoryError:
        return DocumentRecord(format=locals().get("fmt", "unknown"), status="failed", title=fallback_title,
                              error="the file needs more memory to read than allowed (damaged or too large)")
    except RecursionError:
        return DocumentRecord(format=locals().get("fmt", "unknown"), status="failed", title=fallback_title,
                              error="the file's structure is nested too deeply to read (damaged?)")
    return _record(extracted, fallback_title)


def _record(extracted: Extracted, fallback_title: str) -> DocumentRecord:
    notes = list(extracted.notes)
    pages = cap_pages([normalize_text(p) for p in extracted.pages], notes)
    text = "\n".join(pages)
    facts = read_facts(text)
    from_text = facts.title if extracted.title_from_text else None
    title = normalize_text(extracted.title or "").strip() or from_text or fallback_title
    return DocumentRecord(
        format=extracted.format,
        status=extracted.status,
        title=title[:200],
        pages=pages,
        page_count=extracted.page_count or len(pages),
        doc_number=facts.doc_number,
        issuer=facts.issuer,
        doc_date=facts.doc_date,
        dates=facts.dates,
        table_ratio=extracted.table_ratio,
        notes=notes,
    )
