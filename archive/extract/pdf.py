"""PDF: text per page with pypdf; pages without a text layer mark the document for OCR."""
from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from common.errors import ExtractionError
from archive.textnorm import cjk_ratio, join_wrapped_lines
from archive.extract.base import Extracted, extractor
from common.messages import _

# pypdf logs every oddity of real-world PDFs as a warning; the user sees our one-line reason instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MIN_CHARS_PER_PAGE = 10
_JUNK_TITLES = ("untitled", "microsoft word", "无标题", "wps", "document")


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path), strict=False)
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ExtractionError(_("PDF 已损坏，无法读取（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc
    if reader.is_encrypted:
        # Many official PDFs are "encrypted" only to forbid editing: the empty password opens them.
        try:
            if not reader.decrypt(""):
                raise ExtractionError(_("PDF 有打开密码：请向报送部门要一份不加密的文件"))
        except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
            raise ExtractionError(_("PDF 有密码或使用了不支持的加密方式（{exc}）：请向报送部门要一份不加密的文件").format(exc=exc)) from exc
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


@extractor("pdf")
def extract_pdf(path: Path, fmt: str = "pdf") -> Extracted:
    reader = _open(path)
    try:
        page_objects = list(reader.pages)
    except Exception as exc:  # a broken page tree fails here, whatever the exception type
        raise ExtractionError(_("PDF 已损坏：无法读取页面列表（{kind}）").format(kind=type(exc).__name__)) from exc
    if not page_objects:
        raise ExtractionError(_("PDF 没有页面"))
    pages: list[str] = []
    notes: list[str] = []
    for number, page in enumerate(page_objects, start=1):
        try:
            pages.append(join_wrapped_lines(page.extract_text() or ""))
        except Exception as exc:  # one bad page must not lose the others
            notes.append(_("第 {page} 页：文字无法读取（{kind}）").format(page=number, kind=type(exc).__name__))
            pages.append("")
    status = "ok"
    text_pages = [p for p in pages if len(p.strip()) >= MIN_CHARS_PER_PAGE]
    if not text_pages:
        status = "needs_ocr"
    elif len(text_pages) < len(pages):
        notes.append(_("{total} 页中有 {n} 页没有文字层").format(total=len(pages), n=len(pages) - len(text_pages)))
    elif cjk_ratio("".join(pages)) < 0.05 and _garbled("".join(pages)):
        notes.append(_("文字层像是乱码（缺少 Unicode 映射）：可用 --ocr force 重新识别"))
    return Extracted(format="pdf", pages=pages, title=_title(reader), status=status,
                     page_count=len(pages), notes=notes)


def _garbled(text: str) -> bool:
    """Text made mostly of symbols and private-use characters, as PDFs without ToUnicode maps give."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    odd = sum(1 for c in visible if not (c.isalnum() or c in ".,;:!?()-%/"))
    return odd / len(visible) > 0.3
