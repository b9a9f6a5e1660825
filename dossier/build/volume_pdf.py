"""The PDF volume: cover and catalogue, every original as PDF, the note — with exact page numbers.

Two passes: first every document is turned into PDF (see pdf_convert) and its pages counted;
then the catalogue is drawn with the page numbers those counts give, and everything is merged
with pypdf. 页号 count from the first page of the first document (cover, catalogue and note are
not numbered, archival.md §5), so the catalogue's own length never shifts them.

Cover, catalogue and note come from the same python-docx code as the Word volume, rendered by
LibreOffice: one look for both outputs, official fonts through the fontconfig mapping, and
text that pypdf reads back. Without LibreOffice they cannot be drawn; the volume is still
built from what can be (PDF originals, images) and says plainly what is missing.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

from dossier.build.pdf_convert import Converter
from dossier.build.volume_docx import Numbering, VolumeContext, front_matter_docx, note_docx
from dossier.build.plan import PHOTOS_PER_PAGE, PlannedDoc, VolumePlan, photo_runs
from common.files import atomic_write


@dataclass
class DocPdf:
    """One document of a PDF volume: its pages (a file, or a placeholder page) and a remark."""

    doc: PlannedDoc
    path: Path | None
    placeholder: bytes | None = None
    pages: int = 1
    remark: str = ""


@dataclass
class PdfLayout:
    """The first pass: each document's PDF and its place in the volume's page numbering."""

    plan: VolumePlan
    parts: list[DocPdf]
    numbering: Numbering
    problems: list[str] = field(default_factory=list)

    @property
    def total_pages(self) -> int:
        return sum(p.pages for p in self.parts)

    def remarks(self) -> dict[int, str]:
        return {p.doc.seq: p.remark for p in self.parts if p.remark}


@dataclass
class PdfVolumeInfo:
    pages: int                          # numbered pages (the documents)
    physical_pages: int                 # every page of the file
    front_pages: int                    # cover + catalogue
    starts: dict[int, int]              # 序号 -> 0-based page index in the file
    numbering: Numbering
    problems: list[str]                 # what is missing, in plain words

    @property
    def complete(self) -> bool:
        return not self.problems


def _open(path: Path) -> PdfReader | None:
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        return reader if len(reader.pages) else None
    except Exception:  # a damaged original becomes a placeholder page, never a failed build
        return None


def _photo_run(run: list[PlannedDoc], converter: Converter, original: Callable[[PlannedDoc], Path],
               page: int, numbering: Numbering) -> list[DocPdf] | None:
    """Photos of one activity on shared pages, four to a page: the first photo's part holds the
    pages, the others point into them (0 pages of their own). None when a photo cannot be read."""
    sheet = converter.photo_sheet([(doc.sha256, original(doc), doc.title) for doc in run])
    if sheet is None:
        return None
    pages = -(-len(run) // PHOTOS_PER_PAGE)
    for n, doc in enumerate(run):
        numbering[doc.seq] = (page + n // PHOTOS_PER_PAGE,) * 2
    return [DocPdf(run[0], sheet, None, pages, "照片")] + [DocPdf(doc, None, None, 0, "照片") for doc in run[1:]]


def layout(plan: VolumePlan, converter: Converter, original: Callable[[PlannedDoc], Path]) -> PdfLayout:
    """Each document as PDF (converter.prepare must have run) and the page numbers that gives;
    photos of one activity share pages."""
    parts, problems, numbering, page = [], [], {}, 1
    for run in photo_runs(plan.documents):
        shared = _photo_run(run, converter, original, page, numbering) if len(run) > 1 else None
        if shared is not None:
            parts += shared
            page += shared[0].pages
            continue
        for doc in run:
            page = _single(doc, converter, original, page, parts, problems, numbering)
    return PdfLayout(plan, parts, numbering, problems)


def _single(doc: PlannedDoc, converter: Converter, original: Callable[[PlannedDoc], Path], page: int,
            parts: list[DocPdf], problems: list[str], numbering: Numbering) -> int:
    """One document's own pages; returns the next page number."""
    path = converter.pdf_for(doc.sha256, doc.format, original(doc), doc.title)
    reader = _open(path) if path else None
    if reader is None:
        reason = converter.errors.get(doc.sha256) or "原件无法读取"
        part = DocPdf(doc, None, converter.placeholder(doc.title, reason), 1, "未转换")
        problems.append(f"第 {doc.seq} 件《{doc.title}》：{reason}")
    else:
        part = DocPdf(doc, path, None, len(reader.pages), "扫描件" if doc.status == "needs_ocr" else "")
    numbering[doc.seq] = (page, page + part.pages - 1)
    parts.append(part)
    return page + part.pages


def matter_docx(lay: PdfLayout, ctx: VolumeContext) -> tuple[bytes, bytes]:
    """The second pass's cover+catalogue and note, as docx bytes for LibreOffice."""
    front = front_matter_docx(lay.plan, ctx, lay.numbering, lay.remarks())
    extra = [f"PDF 卷缺少以下原件：{'；'.join(lay.problems)}。"] if lay.problems else []
    return front, note_docx(lay.plan, ctx, lay.total_pages, extra)


def _stamp(page, number: int) -> None:
    """The page number in the top outer corner: right on odd pages, left on even (archival.md §5)."""
    from reportlab.pdfgen import canvas

    if page.get("/Rotate"):
        page.transfer_rotation_to_content()
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    buffer = io.BytesIO()
    overlay = canvas.Canvas(buffer, pagesize=(width, height), invariant=1)
    overlay.setFont("Helvetica", 11)
    x, y = (width - 36, height - 30) if number % 2 else (36, height - 30)
    (overlay.drawRightString if number % 2 else overlay.drawString)(x, y, str(number))
    overlay.showPage()
    overlay.save()
    stamp = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    page.merge_translated_page(stamp, float(box.left), float(box.bottom), over=True)


def assemble(lay: PdfLayout, front_pdf: Path | None, note_pdf: Path | None, out_path: Path,
             compiled: dt.date, fingerprint: str, stamp_pages: bool = True) -> PdfVolumeInfo:
    """Merge front matter, documents and note; one bookmark per document; atomic write."""
    writer = PdfWriter()
    problems = list(lay.problems)
    if front_pdf is not None:
        writer.append(PdfReader(str(front_pdf)), import_outline=False)
    else:
        problems.insert(0, "封面和卷内文件目录（需要 LibreOffice）")
    front = len(writer.pages)
    starts: dict[int, int] = {}
    for part in lay.parts:
        starts[part.doc.seq] = front + lay.numbering[part.doc.seq][0] - 1
        if not part.pages:        # a photo on a page its activity's first photo brought
            continue
        source = PdfReader(io.BytesIO(part.placeholder)) if part.path is None else _open(part.path)
        first = lay.numbering[part.doc.seq][0]
        for offset, page in enumerate(source.pages):
            added = writer.add_page(page)
            if stamp_pages:
                _stamp(added, first + offset)
    body_end = len(writer.pages)
    if note_pdf is not None:
        writer.append(PdfReader(str(note_pdf)), import_outline=False)
    else:
        problems.append("卷内备考表（需要 LibreOffice）")
    for part in lay.parts:
        writer.add_outline_item(title=f"{part.doc.seq}　{part.doc.title}", page_number=starts[part.doc.seq])
    # Page labels: viewers then show the catalogue's 页号 for document pages.
    if front:
        writer.set_page_label(0, front - 1, style="/r", prefix="卷首-", start=1)
    if body_end > front:
        writer.set_page_label(front, body_end - 1, style="/D", start=1)
    if len(writer.pages) > body_end:
        writer.set_page_label(body_end, len(writer.pages) - 1, prefix="备考表")
    stamp = compiled.strftime("D:%Y%m%d000000+08'00'")
    writer.add_metadata({"/Title": lay.plan.title, "/Subject": lay.plan.system_name, "/Producer": "dossier",
                         "/Creator": "dossier", "/CreationDate": stamp, "/ModDate": stamp})
    # A file identifier derived from the content, not random: the same volume, the same bytes.
    ident = ByteStringObject(hashlib.md5(fingerprint.encode("ascii")).digest())
    writer._ID = ArrayObject([ident, ident])
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write(out_path, buffer.getvalue())
    return PdfVolumeInfo(pages=body_end - front, physical_pages=len(writer.pages), front_pages=front,
                         starts=starts, numbering=lay.numbering, problems=problems)
