"""Text extraction per format. `extract_document` is what ingest runs for each new original.

Face: extract_document, DocumentRecord, EXTRACTOR_VERSION, file_title, read_facts, decode_text."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from common.errors import ExtractionError
from archive.extract.formats import detect_format
from archive.extract.metadata import read_facts
from archive.textnorm import normalize_text
from archive.extract.base import Extracted, cap_pages, extractor_for
from archive.extract.plain import decode_text
from common.messages import _

# Every module of this package that reads a format registers itself with @extractor: a new
# format is one module here (and its detection in formats.py).
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in ("base", "formats", "metadata"):
        importlib.import_module(f"{__name__}.{_module.name}")

EXTRACTOR_VERSION = 1
__all__ = ["extract_document", "DocumentRecord", "EXTRACTOR_VERSION", "file_title", "read_facts", "decode_text",
           "detect_format"]

_UNSUPPORTED = {
    "pptx": _("暂不支持 PowerPoint 文件：请另存为 PDF 后再收录"),
    "ppt": _("暂不支持 PowerPoint 文件：请另存为 PDF 后再收录"),
    "odf": _("暂不支持 OpenDocument 文件：请另存为 .docx 或 PDF 后再收录"),
    "zip": _("这是压缩包：请解压后收录其中的文件"),
    "office-encrypted": _("Office 文件设有打开密码，无法读取：请向报送部门要一份不加密的文件"),
    "ole": _("无法识别的 Office 文件类型：请在 Office/WPS 中另存为 .docx、.xlsx 或 PDF 后再收录"),
    "unknown": _("不支持的文件类型（不是文档、表格、PDF、文本或图片）：请另存为 PDF 后再收录"),
    "empty": _("文件是空的（0 字节）：请向报送部门要一份完整的文件"),
    "zip-broken": _("文件已损坏：无法读取其 zip 结构，请向报送部门要一份完好的文件"),
    "ole-broken": _("文件已损坏：无法读取其 Office 结构，请向报送部门要一份完好的文件"),
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
    taken: str | None = None          # a photo's day, from its camera (EXIF)
    file_date: str | None = None      # the day its metadata says it was saved or made


_EXPECTED_BY_SUFFIX = {".docx": "Word", ".doc": "Word", ".wps": "WPS", ".xlsx": "Excel", ".xls": "Excel",
                       ".pdf": "PDF", ".txt": "text", ".csv": "CSV"}


def _unknown_reason(name: str) -> str:
    expected = _EXPECTED_BY_SUFFIX.get(Path(name).suffix.lower())
    if expected:
        return _("文件名像是 {expected} 文件，但内容不是任何已知格式（已损坏，或名不副实）：请向报送部门要一份完好的文件").format(expected=expected)
    return _UNSUPPORTED["unknown"]


def _run_extractor(path: Path, fmt: str) -> Extracted:
    read = extractor_for(fmt)
    if read is None:
        raise ExtractionError(_UNSUPPORTED.get(fmt, _("不支持的文件类型（{fmt}）：请另存为 PDF 后再收录").format(fmt=fmt)))
    return read(path, fmt)


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
                              error=_("读取该文件所需的内存超过上限（文件已损坏或过大）：请向报送部门要一份完好的文件，或拆分后再收录"))
    except RecursionError:
        return DocumentRecord(format=locals().get("fmt", "unknown"), status="failed", title=fallback_title,
                              error=_("文件结构嵌套过深，无法读取（可能已损坏）：请向报送部门要一份完好的文件"))
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
        taken=extracted.taken,
        file_date=extracted.file_date,
    )
