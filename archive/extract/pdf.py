"""PDF: text per page with pypdf; pages without a text layer mark the document for OCR."""
from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from archive.errors import ExtractionError
from archive.textnorm import cjk_ratio, join_wrapped_lines
from archive.extract.base import Extracted

# pypdf logs every oddity of real-world PDFs as a warning; the user sees our one-line reason instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MIN_CHARS_PER_PAGE = 10
_JUNK_TITLES = ("untitled", "microsoft word", "无标题", "wps", "document")


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path), strict=False)
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ExtractionError(f"the PDF is damaged and cannot be read ({type(exc).__name__}: {exc})") from exc
    if reader.is_encrypted:
        # Many official PDFs are "encrypted" only to forbid editing: the empty password opens them.
        try:
            if not reader.decrypt(""):
                raise ExtractionError("the PDF is protected by a password; ask the department for an open copy")
        except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
            raise ExtractionError(f"the PDF is protected by a password or an unsupported encryption ({exc})") from exc
    return reader


def _title(reader: PdfReader) -> str | None:
    try:
        title = (reader.metadata or {}).get("/Title")
    except Exception:  # broken info dictionaries are common and never worth failing for
        return None
    if not isinstance(title, str):
        return None
    title = title.strip()
    if not title or title.lower().startswith(_JUNK_TITLES) or title.lower().endswith((".doc", ".docx", ".wps")):
        return None
    return title


def extract_pdf(path: Path) -> Extracted:
    reader = _open(path)
    try:
        page_objects = list(reader.pages)
    except Exception as exc:  # a broken page tree fails here, whatever the exception type
        raise ExtractionError(f"the PDF is damaged: its page list cannot be read ({type(exc).__name__})") from exc
    if not page_objects:
        raise ExtractionError("the PDF has no pages")
    pages: list[str] = []
    notes: list[str] = []
    for number, page in enumerate(page_objects, start=1):
        try:
            pages.append(join_wrapped_lines(page.extract_text() or ""))
        except Exception as exc:  # one bad page must not lose the others
            notes.append(f"page {number}: text not readable ({type(exc).__name__})")
            pages.append("")
    status = "ok"
    text_pages = [p for p in pages if len(p.strip()) >= MIN_CHARS_PER_PAGE]
    if not text_pages:
        status = "needs_ocr"
    elif len(text_pages) < len(pages):
        notes.append(f"{len(pages) - len(text_pages)} of {len(pages)} pages have no text layer")
    elif cjk_ratio("".join(pages)) < 0.05 and _garbled("".join(pages)):
        notes.append("the text layer looks garbled (no Unicode map); OCR may help")
    return Extracted(format="pdf", pages=pages, title=_title(reader), status=status,
                     page_count=len(pages), notes=notes)


def _garbled(text: str) -> bool:
    """Text made mostly of symbols and private-use characters, as PDFs without ToUnicode maps give."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    odd = sum(1 for c in visible if not (c.isalnum() or c in ".,;:!?()-%/"))
    return odd / len(visible) > 0.3
