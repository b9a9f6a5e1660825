"""Word 2007+ (.docx): paragraphs, tables, headers and footers, in document order."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx.document import Document
from docx.opc.part import PartFactory
from docx.oxml.ns import qn
from docx.package import Package
from docx.parts.document import DocumentPart
from docx.table import Table
from docx.text.paragraph import Paragraph

from common.errors import ExtractionError
from archive.extract.base import Extracted, check_zip_container, extractor, metadata_day
from common.messages import _

_PAGE_BREAK = "\f"
# Macro-enabled documents and templates (.docm, .dotx, .dotm) hold the same body as a .docx; python-docx
# knows their part but refuses them by content type. Their macros are never run: we only read text.
for _content_type in ("application/vnd.ms-word.document.macroEnabled.main+xml",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                      "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"):
    PartFactory.part_type_for.setdefault(_content_type, DocumentPart)


def _paragraph_text(paragraph: Paragraph) -> str:
    """Paragraph text with explicit page breaks kept as form feeds (they split pages)."""
    parts: list[str] = []
    for node in paragraph._p.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        elif node.tag == qn("w:br") and node.get(qn("w:type")) == "page":
            parts.append(_PAGE_BREAK)
    return "".join(parts)


def _table_rows(table: Table) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # Merged cells repeat the same cell object; keep its text once.
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(p.text for p in cell.paragraphs).strip())
        rows.append("\t".join(cells))
    return rows


def _body_blocks(document: Document) -> tuple[list[str], int]:
    lines: list[str] = []
    table_chars = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append(_paragraph_text(Paragraph(child, document)))
        elif child.tag == qn("w:tbl"):
            rows = _table_rows(Table(child, document))
            table_chars += sum(len(r) for r in rows)
            lines.extend(rows)
    return lines, table_chars


def _header_footer_lines(document: Document) -> list[str]:
    seen: set[str] = set()
    lines: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer):
            if part is None or part.is_linked_to_previous:
                continue
            for paragraph in part.paragraphs:
                text = paragraph.text.strip()
                if text and text not in seen:
                    seen.add(text)
                    lines.append(text)
    return lines


@extractor("docx")
def extract_docx(path: Path, fmt: str = "docx") -> Extracted:
    check_zip_container(path)
    try:
        document = Package.open(str(path)).main_document_part.document
    except KeyError as exc:
        raise ExtractionError(_("Word 文件不完整：缺少必需的部分（{exc}）：请向报送部门要一份完好的文件").format(exc=exc)) from exc
    except Exception as exc:  # python-docx raises many types on damaged packages
        raise ExtractionError(_("Word 文件无法打开（{kind}）：请向报送部门要一份完好的文件，或另存为 PDF 后再收录").format(kind=type(exc).__name__)) from exc
    lines, table_chars = _body_blocks(document)
    extra = _header_footer_lines(document)
    body = "\n".join(lines)
    pages = body.split(_PAGE_BREAK)
    if extra:
        pages[-1] = pages[-1] + "\n" + "\n".join(extra)
    total = sum(len(p) for p in pages) or 1
    title = (document.core_properties.title or "").strip() or None
    return Extracted(
        format="docx",
        pages=pages,
        title=title,
        page_count=_declared_pages(path) or len(pages),
        table_ratio=table_chars / total,
        file_date=_saved_day(document),
    )


def _saved_day(document) -> str | None:
    """When the file was last saved (else made), from its core properties; damaged ones say nothing."""
    try:
        props = document.core_properties
        return metadata_day(props.modified, props.created)
    except Exception:  # a malformed date in docProps/core.xml is not worth failing the file for
        return None


def _declared_pages(path: Path) -> int | None:
    """The page count Word stores in docProps/app.xml, when a word processor wrote one."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("docProps/app.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    match = re.search(r"<Pages>(\d+)</Pages>", xml)
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None
