"""PDF: text per page with pypdf; pages without a text layer mark the document for OCR."""
from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError

from common.errors import ExtractionError
from archive.textnorm import cjk_ratio, join_wrapped_lines
from archive.extract.base import Extracted, extractor, metadata_day
from common.messages import _

# pypdf logs every oddity of real-world PDFs as a warning; the user sees our one-line reason instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MIN_CHARS_PER_PAGE = 10
POPPLER_TIMEOUT = 120
_JUNK_TITLES = ("untitled", "microsoft word", "无标题", "wps", "document")


class _Damaged(ExtractionError):
    """A failure of the PDF's structure, which poppler may still read around."""


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path), strict=False)
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise _Damaged(_("PDF 已损坏，无法读取（{kind}）：请向报送部门要一份完好的文件").format(kind=type(exc).__name__)) from exc
    if reader.is_encrypted:
        # Many official PDFs are "encrypted" only to forbid editing: the empty password opens them.
        try:
            if not reader.decrypt(""):
                raise ExtractionError(_("PDF 有打开密码：请向报送部门要一份不加密的文件"))
        except DependencyError as exc:
            raise ExtractionError(_("PDF 使用了本机未安装支持的加密方式：请重新运行安装命令（scripts/setup.sh）后再收录")) from exc
        except (FileNotDecryptedError, NotImplementedError, PdfReadError) as exc:
            raise ExtractionError(_("PDF 有密码或使用了不支持的加密方式（{exc}）：请向报送部门要一份不加密的文件").format(exc=exc)) from exc
    return reader


def _page_list(reader: PdfReader) -> list:
    try:
        return list(reader.pages)
    except Exception as exc:  # a broken page tree fails here, whatever the exception type
        raise _Damaged(_("PDF 已损坏：无法读取页面列表（{kind}）：请向报送部门要一份完好的文件").format(kind=type(exc).__name__)) from exc


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


def _repaired_by_poppler(path: Path, failure: ExtractionError) -> Extracted:
    """The text poppler reads from a PDF whose structure pypdf cannot follow (a cut-off end, a broken
    cross-reference table): poppler rebuilds it by scanning the objects. Else the first failure."""
    if shutil.which("pdftotext") is None:
        raise failure
    try:
        result = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                timeout=POPPLER_TIMEOUT, check=False)
    except (subprocess.TimeoutExpired, OSError):
        raise failure from None
    pages = [join_wrapped_lines(page) for page in result.stdout.decode("utf-8", "replace").split("\f")]
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    if result.returncode != 0 or sum(len(p.strip()) for p in pages) < MIN_CHARS_PER_PAGE:
        raise failure
    return Extracted(format="pdf", pages=pages, page_count=len(pages),
                     notes=[_("PDF 结构已损坏，文字是修复后读出的，可能不全：如有完好的文件请替换")])


@extractor("pdf")
def extract_pdf(path: Path, fmt: str = "pdf") -> Extracted:
    try:
        reader = _open(path)
        page_objects = _page_list(reader)
    except _Damaged as failure:
        return _repaired_by_poppler(path, failure)
    if not page_objects:
        raise ExtractionError(_("PDF 没有页面：请向报送部门要一份完整的文件"))
    pages: list[str] = []
    notes: list[str] = []
    for number, page in enumerate(page_objects, start=1):
        try:
            pages.append(join_wrapped_lines(page.extract_text() or ""))
        except LimitReachedError as exc:
            # A content stream that inflates past pypdf's limit is a decompression bomb (or badly
            # damaged): never hand it to OCR, which would render it.
            raise ExtractionError(_("PDF 第 {page} 页的内容解压后超过上限（可能是恶意构造或已损坏的文件）：请向报送部门要一份正常的文件").format(page=number)) from exc
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
                     page_count=len(pages), notes=notes, file_date=_made_day(reader))


def _made_day(reader: PdfReader) -> str | None:
    """The PDF's CreationDate (else ModDate): when it was made, usually from the Word file."""
    try:
        info = reader.metadata
        return metadata_day(info.creation_date, info.modification_date) if info else None
    except Exception:  # dates in info dictionaries are often malformed; they are only a hint
        return None


def _garbled(text: str) -> bool:
    """Text made mostly of symbols and private-use characters, as PDFs without ToUnicode maps give."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    odd = sum(1 for c in visible if not (c.isalnum() or c in ".,;:!?()-%/"))
    return odd / len(visible) > 0.3
