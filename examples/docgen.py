"""Writers of real office files with Chinese content, for the tests and the example city.

Every writer takes a destination path and content and returns the path it wrote. Outputs are
byte-for-byte reproducible where the format allows it (zip timestamps and document dates are
fixed), so a generated tree is the same on every run. The slow tools are kept off the hot
path: LibreOffice runs once per batch and its results are cached by content hash; the CJK
font for fpdf2 is subset once and cached.

The Chinese sentences come from `examples.compose` (templates and vocabulary written by the
project) and are re-exported here as `compose_paragraphs`.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import io
import os
import re
import shutil
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

from examples.compose import compose_paragraphs  # noqa: F401  (part of this module's API)
from common.files import atomic_write
from common.office import run_soffice, soffice_binary

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_FONTS = (NOTO_DIR / "NotoSansCJK-Regular.ttc", NOTO_DIR / "NotoSerifCJK-Regular.ttc")
SC_INDEX = 2                      # face of the Simplified Chinese variant inside Noto's .ttc files
FIXED_DATE = dt.datetime(2020, 1, 1, 8, 0, 0)
SOFFICE_TIMEOUT_BASE = 120        # seconds for LibreOffice to start, plus...
SOFFICE_TIMEOUT_PER_FILE = 5      # ...this much per file in a batch

__all__ = [
    "cache_dir", "compose_paragraphs", "docx_bytes", "libreoffice_convert", "pdf_font", "soffice_available",
    "write_doc", "write_docs", "write_docx", "write_image_pdf", "write_pdf", "write_pdf_via_libreoffice",
    "write_scan_png", "write_txt", "write_xls", "write_xlsx", "xlsx_bytes",
]


# ---------------------------------------------------------------------------- shared helpers

def cache_dir() -> Path:
    """Where converted files and the subset font are kept between runs (and between test sessions)."""
    root = Path(os.environ.get("DOSSIER_EXAMPLES_CACHE") or Path.home() / ".cache" / "dossier-examples")
    root.mkdir(parents=True, exist_ok=True)
    return root


def _atomic_write(path: Path, data: bytes) -> Path:
    """Write through a temporary file so a parallel reader (pytest-xdist) never sees half a file."""
    return atomic_write(Path(path), data, sync=False)


def _write(path: Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _fix_zip_times(data: bytes) -> bytes:
    """Set every member's timestamp to 1980-01-01 so the same content gives the same bytes.

    zipfile stamps members with the current time; patching the two date fields in the local
    headers and the central directory is far cheaper than writing the archive again.
    """
    buf = bytearray(data)
    eocd = buf.rfind(b"PK\x05\x06")
    entries, cd_offset = struct.unpack_from("<H4xI", buf, eocd + 10)
    pos = cd_offset
    for _ in range(entries):
        if buf[pos:pos + 4] != b"PK\x01\x02":
            break
        struct.pack_into("<HH", buf, pos + 12, 0, 0x21)           # central entry: time, date
        local = struct.unpack_from("<I", buf, pos + 42)[0]
        struct.pack_into("<HH", buf, local + 10, 0, 0x21)         # local header: time, date
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, pos + 28)
        pos += 46 + name_len + extra_len + comment_len
    return bytes(buf)


def _parse_date(text: str | None) -> dt.datetime:
    """The date of a document ("2024年3月5日" or "2024-03-05") for its metadata; fixed when absent."""
    if text:
        m = re.search(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", text)
        if m:
            try:
                return dt.datetime(int(m[1]), int(m[2]), int(m[3]), 9, 0, 0)
            except ValueError:
                pass
    return FIXED_DATE


def cjk_font_file() -> Path:
    """The system's Noto CJK collection; a clear error when fonts-noto-cjk is missing."""
    for path in CJK_FONTS:
        if path.exists():
            return path
    raise RuntimeError("the Noto CJK fonts are missing: install the Debian package fonts-noto-cjk")


# ---------------------------------------------------------------------------- docx

def docx_bytes(title: str, paragraphs: list[str], *, table: list[list[str]] | None = None,
               header: str | None = None, footer: str | None = None, doc_number: str | None = None,
               issuer: str | None = None, date: str | None = None) -> bytes:
    """The bytes of a .docx laid out like a Chinese official document (see `write_docx`)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    def east_asian(run, font: str = "仿宋_GB2312") -> None:
        # python-docx sets only the Latin font; Word picks CJK glyphs from w:eastAsia.
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    if issuer:
        red = document.add_paragraph()
        red.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = red.add_run(f"{issuer}文件")
        run.bold = True
        run.font.size = Pt(28)
        run.font.color.rgb = RGBColor(0xE0, 0x00, 0x00)
        east_asian(run, "方正小标宋简体")
    if doc_number:
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER if issuer else WD_ALIGN_PARAGRAPH.RIGHT
        east_asian(number.add_run(doc_number))
        if issuer:
            # The red rule under the document number that marks a 红头文件.
            border = OxmlElement("w:pBdr")
            bottom = OxmlElement("w:bottom")
            for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "E00000")):
                bottom.set(qn(key), value)
            border.append(bottom)
            number._p.get_or_add_pPr().append(border)

    heading = document.add_paragraph(style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    east_asian(heading.add_run(title), "方正小标宋简体")

    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(28)
        east_asian(paragraph.add_run(text))

    if table:
        width = max(len(row) for row in table)
        grid = document.add_table(rows=len(table), cols=width)
        grid.style = "Table Grid"
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                east_asian(cell.paragraphs[0].add_run("" if value is None else str(value)))

    if issuer or date:
        for line in (issuer, date):
            if line:
                signature = document.add_paragraph()
                signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                east_asian(signature.add_run(line))

    section = document.sections[0]
    if header:
        east_asian(section.header.paragraphs[0].add_run(header))
    if footer:
        east_asian(section.footer.paragraphs[0].add_run(footer))

    when = _parse_date(date)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = title, issuer or "", issuer or ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return _fix_zip_times(buffer.getvalue())


def write_docx(path: Path | str, title: str, paragraphs: list[str], *, table: list[list[str]] | None = None,
               header: str | None = None, footer: str | None = None, doc_number: str | None = None,
               issuer: str | None = None, date: str | None = None) -> Path:
    """A .docx: optional red header "{issuer}文件" and 文号 line, a Title-styled title, the
    paragraphs, an optional grid table, the issuer and date as signature, header and footer."""
    return _write(Path(path), docx_bytes(title, paragraphs, table=table, header=header, footer=footer,
                                         doc_number=doc_number, issuer=issuer, date=date))


# ---------------------------------------------------------------------------- pdf (fpdf2)

# Less common hanzi that official documents and our example city need all the time (岚 is in
# the city's name); anything else outside the base set goes to a small on-demand font.
EXTRA_HANZI = "岚辍诿谙忖阈邈缜赓"


def _subset_charset() -> set[int]:
    """ASCII, GB2312 symbols and its 3,755 level-1 hanzi (the common ones), plus EXTRA_HANZI.

    Level 2 (3,008 rarer hanzi) is left out on purpose: it doubles the font and with it the
    time fpdf2 spends per document (~90 ms to ~55 ms); rare characters still work (`_rare_font`).
    """
    points = set(range(0x20, 0x7F))
    for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xD8)):
        for lo in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    points.update(ord(c) for c in "〔〕【】《》“”‘’—…·●○■□△▲★☆℃％＋－＝／（）〇" + EXTRA_HANZI)
    return points


def _build_subset_font(target: Path, codepoints: set[int]) -> None:
    """Subset Noto Sans CJK SC to `codepoints` and convert its CFF outlines to TrueType.

    Why: fpdf2 loads the 20 MB collection in ~0.3 s per document, and with CFF-based CJK fonts
    it writes a /W width table keyed by the wrong glyph ids, so pypdf inserts a space between
    every two characters. A small TrueType subset loads in milliseconds and extracts cleanly.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(cjk_font_file()), fontNumber=SC_INDEX)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "GSUB", "GPOS", "GDEF", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    del font["CFF "]
    glyf.compile(font)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones, maxp.numGlyphs = 1, len(order)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    post.maxMemType42 = post.minMemType42 = post.maxMemType1 = post.minMemType1 = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    buffer = io.BytesIO()
    font.save(buffer)
    _atomic_write(target, buffer.getvalue())


def _cached_font(name: str, codepoints: set[int]) -> Path:
    target = cache_dir() / "fonts" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target.parent / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)       # one builder at a time across test workers
            if not target.exists():
                _build_subset_font(target, codepoints)
    return target


@functools.lru_cache(maxsize=1)
def pdf_font() -> tuple[Path, frozenset[int]]:
    """The cached subset font for fpdf2 and the code points it covers (built once, ~5 s)."""
    charset = _subset_charset()
    return _cached_font("NotoSansCJKsc-GB2312L1-v2.ttf", charset), frozenset(charset)


def _rare_font(codepoints: set[int]) -> Path:
    """A tiny TrueType font of characters outside the base set (cached by character set).

    Why not fall back to the .ttc itself: fpdf2 mixes in NUL characters at every switch to
    the CFF font, and pypdf then extracts "朱\\x00镕基"."""
    key = hashlib.sha1(",".join(map(str, sorted(codepoints))).encode()).hexdigest()[:16]
    return _cached_font(f"rare-{key}.ttf", codepoints | set(range(0x20, 0x7F)))


def write_pdf(path: Path | str, title: str, pages: list[str]) -> Path:
    """A text PDF made with fpdf2: the title on top of the first page, one string per page,
    wrapped to A4 (a long string flows onto more pages). Its text is extractable by pypdf."""
    from fpdf import FPDF

    font, covered = pdf_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(FIXED_DATE)        # fpdf2 derives the file /ID from it: same bytes each run
    pdf.set_title(title)
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font("cjk", fname=str(font))
    rare = {ord(ch) for ch in title + "".join(pages) if not ch.isspace() and ord(ch) not in covered}
    if rare:
        # Rarer characters (喆, 镕, 堃 ... in names) come from a small extra font.
        pdf.add_font("cjkrare", fname=str(_rare_font(rare)))
        pdf.set_fallback_fonts(["cjkrare"])
    for number, text in enumerate(pages or [""]):
        pdf.add_page()
        if number == 0:
            pdf.set_font("cjk", size=18)
            pdf.multi_cell(0, 11, title, align="C")
            pdf.ln(4)
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 7.5, text)
    return _write(Path(path), bytes(pdf.output()))


# ---------------------------------------------------------------------------- LibreOffice

def soffice_available() -> bool:
    """Whether LibreOffice can be run headless here (needed for .doc and LibreOffice-made PDFs)."""
    return soffice_binary() is not None


def _soffice_convert(sources: list[Path], target: str, outdir: Path) -> None:
    """One LibreOffice run for a whole batch, with a private profile so parallel runs never block."""
    if not soffice_binary():
        raise RuntimeError("LibreOffice (soffice) is not installed: install libreoffice-writer-nogui")
    failure = run_soffice(sources, target, outdir, timeout=SOFFICE_TIMEOUT_BASE + SOFFICE_TIMEOUT_PER_FILE * len(sources))
    missing = [s for s in sources if not (outdir / f"{s.stem}.{target}").exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {len(missing)} of {len(sources)} files: {failure or 'no output'}")


def libreoffice_convert(docx_contents: list[bytes], target: str) -> list[Path]:
    """Cached LibreOffice conversions of docx contents to `target` ("pdf" or "doc"), converting
    only the contents not seen before, in one soffice run. Returns the cached files, in order;
    copy them, never modify them."""
    store = cache_dir() / f"lo-{target}"
    store.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha256(data).hexdigest() for data in docx_contents]
    todo = {key: data for key, data in zip(keys, docx_contents) if not (store / f"{key}.{target}").exists()}
    if todo:
        with tempfile.TemporaryDirectory(prefix="docgen-conv-") as tmp:
            # Hash names: two inputs with the same file name must not overwrite each other's output.
            sources = [_write(Path(tmp) / "in" / f"{key}.docx", data) for key, data in sorted(todo.items())]
            outdir = Path(tmp) / "out"
            outdir.mkdir()
            _soffice_convert(sources, target, outdir)
            for source in sources:
                _atomic_write(store / f"{source.stem}.{target}", (outdir / f"{source.stem}.{target}").read_bytes())
    return [store / f"{key}.{target}" for key in keys]


def write_pdf_via_libreoffice(docx_paths: list[Path], out_dir: Path) -> list[Path]:
    """PDFs made by LibreOffice from .docx files, one soffice run for all of them (cached by
    content). Each output is `out_dir/<docx stem>.pdf`; returns them in input order."""
    out_dir = Path(out_dir)
    cached = libreoffice_convert([Path(p).read_bytes() for p in docx_paths], "pdf")
    out_dir.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(c, out_dir / f"{Path(p).stem}.pdf")) for p, c in zip(docx_paths, cached)]


def write_docs(items: list[tuple[Path | bytes, Path]]) -> list[Path]:
    """Several real Word 97 .doc files at once: (docx path or docx bytes, output path) pairs."""
    contents = [src if isinstance(src, bytes) else Path(src).read_bytes() for src, _ in items]
    cached = libreoffice_convert(contents, "doc")
    outputs = []
    for (_, out), source in zip(items, cached):
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        outputs.append(Path(shutil.copyfile(source, out)))
    return outputs


def write_doc(source: Path | str | bytes, out_path: Path | str) -> Path:
    """A real Word 97 .doc converted by LibreOffice from a .docx (path or bytes); each distinct
    content is converted once and cached, so a test session pays for LibreOffice only once."""
    src = source if isinstance(source, bytes) else Path(source)
    return write_docs([(src, Path(out_path))])[0]


# ---------------------------------------------------------------------------- spreadsheets

def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)     # streams rows: the huge-workbook cases stay cheap
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        for row in rows:
            sheet.append(list(row))
    if not sheets:
        workbook.create_sheet("Sheet1")
    workbook.properties.creator = "dossier examples"
    workbook.properties.created = workbook.properties.modified = FIXED_DATE
    buffer = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp "modified" with the current time.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).write_data()
    return _fix_zip_times(buffer.getvalue())


def write_xlsx(path: Path | str, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx (openpyxl) with one worksheet per entry, rows as given (str, int, float, None)."""
    return _write(Path(path), xlsx_bytes(sheets))


def write_xls(path: Path | str, sheets: dict[str, list[list[object]]]) -> Path:
    """A BIFF8 .xls (xlwt), as offices still exchange them. xlwt caps rows at 65,536."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for name, rows in (sheets or {"Sheet1": []}).items():
        sheet = workbook.add_sheet(name[:31])
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _write(Path(path), buffer.getvalue())


# ---------------------------------------------------------------------------- text and images

def write_txt(path: Path | str, text: str, encoding: str = "gb18030", *, newline: str = "\r\n") -> Path:
    """A plain-text file as Chinese Windows saves it: GB18030 (GBK-compatible) and CRLF by default."""
    body = text.replace("\r\n", "\n").replace("\n", newline)
    return _write(Path(path), body.encode(encoding))


@functools.lru_cache(maxsize=8)
def _pil_font(size: int):
    from PIL import ImageFont
    return ImageFont.truetype(str(cjk_font_file()), size, index=SC_INDEX)


def _wrap(text: str, font, width: float) -> list[str]:
    """Greedy character wrap: Chinese has no spaces to break at."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for ch in raw:
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ch
            else:
                line += ch
        lines.append(line)
    return lines


def write_scan_png(path: Path | str, text: str, *, rotate: float = 0.0, stamp: bool = False,
                   dpi: int = 200) -> Path:
    """An A4 page image of `text` as a scanner would give it: first line as a centred title, light
    speckle, optional red seal and skew. Known text, so OCR tests can measure what they read."""
    import random

    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    margin = int(0.9 * dpi)
    image = Image.new("RGB" if stamp else "L", (width, height), "white")
    draw = ImageDraw.Draw(image)
    body, title_font = _pil_font(int(dpi * 15 / 72)), _pil_font(int(dpi * 22 / 72))
    first, _, rest = text.partition("\n")
    y = margin
    for line in _wrap(first, title_font, width - 2 * margin):
        draw.text(((width - title_font.getlength(line)) / 2, y), line, font=title_font, fill="black")
        y += int(title_font.size * 1.6)
    y += body.size
    for line in _wrap(rest, body, width - 2 * margin):
        if y > height - margin:
            break
        draw.text((margin, y), line, font=body, fill="black")
        y += int(body.size * 1.7)
    rng = random.Random(zlib.crc32(text.encode("utf-8")))        # str hash() is salted per process; crc32 is not
    for _ in range(width * height // 4000):    # scanner dust: a few thousand grey specks
        x, yy = rng.randrange(width), rng.randrange(height)
        draw.point((x, yy), fill="#777777" if stamp else 120)
    if stamp:
        cx, cy, r = width - margin - int(1.0 * dpi), y + int(0.4 * dpi), int(0.8 * dpi)
        red = (220, 30, 30)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, dpi // 40))
        star = _pil_font(int(r * 0.8))
        draw.text((cx - star.getlength("★") / 2, cy - r * 0.6), "★", font=star, fill=red)
        seal = _pil_font(int(r * 0.22))
        label = "专用章"
        draw.text((cx - seal.getlength(label) / 2, cy + r * 0.35), label, font=seal, fill=red)
    if rotate:
        image = image.rotate(rotate, resample=Image.BICUBIC, expand=False, fillcolor="white")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", dpi=(dpi, dpi))
    return path


def write_image_pdf(path: Path | str, pngs: list[Path]) -> Path:
    """A PDF of page images with no text layer, as a scanner's "scan to PDF" makes."""
    from PIL import Image

    pages = []
    for png in pngs:
        with Image.open(png) as image:
            dpi = image.info.get("dpi", (200, 200))[0]
            pages.append(image.convert("RGB") if image.mode not in ("L", "RGB") else image.copy())
    fixed = FIXED_DATE.timetuple()             # Pillow stamps the current time otherwise
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
                  creationDate=fixed, modDate=fixed)
    return _write(Path(path), buffer.getvalue())
