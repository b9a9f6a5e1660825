"""Official-document typography (GB/T 9704) for python-docx, and Linux fallbacks for its fonts.

The volumes name the fonts Chinese offices expect (仿宋_GB2312, 方正小标宋简体, 黑体,
楷体_GB2312, 宋体), so Word on an office PC shows them as intended. Linux has none of these;
without help LibreOffice falls back to DejaVu and borrows CJK glyphs from whatever font it
finds. `soffice_env` therefore points LibreOffice at a fontconfig file that maps every GB name
to Noto Serif / Sans CJK SC (Debian: fonts-noto-cjk), and `font_table` adds each GB font's
common alternate name (仿宋, 黑体…) for Word on PCs that have only those.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.run import Run

from dossier.build import wordml as wordml
from common.files import atomic_write

BODY = "仿宋_GB2312"        # 3号仿宋: body text
TITLE = "方正小标宋简体"      # 2号小标宋: titles
HEADING = "黑体"             # 3号黑体: first-level headings, table heads
KAI = "楷体_GB2312"          # 3号楷体: second-level headings
SONG = "宋体"                # 4号半角宋体: page numbers

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
# GB name -> (alternate name Word knows on PCs without the GB2312 fonts, Linux fallback).
FONTS = {
    BODY: ("仿宋", SERIF), TITLE: ("宋体", SERIF), HEADING: ("SimHei", SANS),
    KAI: ("楷体", SERIF), SONG: ("SimSun", SERIF),
}
_EXTRA_ALIASES = {"仿宋": SERIF, "FangSong": SERIF, "楷体": SERIF, "KaiTi": SERIF, "SimSun": SERIF,
                  "SimHei": SANS, "微软雅黑": SANS, "Microsoft YaHei": SANS}

SIZE_BODY, SIZE_TITLE, SIZE_PAGE_NUMBER, SIZE_TABLE = Pt(16), Pt(22), Pt(14), Pt(10.5)
LINE_BODY = Pt(29)           # fixed line pitch: 22 lines in the 225 mm text block
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26


# ---------------------------------------------------------------- fontconfig for LibreOffice

def fontconfig_file(folder: Path) -> Path:
    """A fonts.conf that keeps the system's settings and maps the GB font names to Noto CJK."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
             "<fontconfig>", '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    aliases = {name: fallback for name, (_, fallback) in FONTS.items()} | _EXTRA_ALIASES
    for name, fallback in sorted(aliases.items()):
        lines.append(f'  <alias binding="same"><family>{name}</family>'
                     f"<prefer><family>{fallback}</family></prefer></alias>")
    text = "\n".join([*lines, "</fontconfig>", ""])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fonts.conf"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic_write(path, text)
    return path


def soffice_env(cache_dir: Path) -> dict[str, str]:
    """Environment for a LibreOffice run: the GB → Noto font mapping."""
    env = dict(os.environ)
    if Path("/etc/fonts/fonts.conf").is_file():    # only where fontconfig is the font system
        env["FONTCONFIG_FILE"] = str(fontconfig_file(cache_dir / "fontconfig"))
    return env


# ---------------------------------------------------------------- python-docx helpers

def set_fonts(element, east_asian: str, latin: str | None = None) -> None:
    """Name the fonts on a run's or style's rPr: East Asian, Latin, and no theme fonts.

    Theme attributes (w:eastAsiaTheme…) win over explicit names in Word, so they are removed.
    """
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    latin = latin or east_asian
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")     # “ ” — … are drawn with the East Asian font


def add_run(paragraph, text: str, font: str = BODY, size=None, bold: bool = False) -> Run:
    """A run with its East Asian font set (python-docx alone sets only the Latin one)."""
    return Run(wordml.add_run(paragraph._p, text, font, size, bold), paragraph)


def setup_document(document) -> None:
    """A4, GB/T 9704 margins, body style, fonts on every style, zh-CN language, font table."""
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        section.header_distance, section.footer_distance = Mm(15), Mm(20)
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), BODY)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    for style in styles:
        if int(style.type) in (1, 2, 3):               # paragraph, character and table styles
            font = HEADING if style.name.startswith("Heading") else TITLE if style.name == "Title" else BODY
            set_fonts(style.element, font)
    normal = styles["Normal"]
    normal.font.size = SIZE_BODY
    fmt = normal.paragraph_format
    fmt.line_spacing, fmt.space_before, fmt.space_after = LINE_BODY, Pt(0), Pt(0)
    fmt.line_spacing_rule = 4                            # WD_LINE_SPACING.EXACTLY
    font_table(document)


def font_table(document) -> None:
    """Declare each GB font with its alternate name and the GB2312 charset in fontTable.xml."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    from lxml import etree
    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, _) in FONTS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"),
                           ("w:family", "modern" if name == HEADING else "roman"), ("w:pitch", "variable")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def page_number_footer(section, start: int | None = 1) -> None:
    """'— n —' in 4号宋体: odd pages right, even pages left (GB/T 9704 §7.5)."""
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = 1.0
        add_run(paragraph, "— ", SONG, SIZE_PAGE_NUMBER)
        _field(paragraph, "PAGE")
        add_run(paragraph, " —", SONG, SIZE_PAGE_NUMBER)
    if start is not None:
        number_type = OxmlElement("w:pgNumType")
        number_type.set(qn("w:start"), str(start))
        # Schema order matters to Word: pgNumType sits before cols, docGrid and the like.
        section._sectPr.insert_element_before(
            number_type, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
            "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def blank_footer(section) -> None:
    """No page number (cover, catalogue and note are not numbered, archival.md §5)."""
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):
        footer.is_linked_to_previous = False


def _field(paragraph, instruction: str) -> None:
    run = add_run(paragraph, "", SONG, SIZE_PAGE_NUMBER)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {instruction} "
        else:
            node = OxmlElement("w:t")
            node.text = text
        run._r.append(node)


def save_reproducible(document, compiled: dt.date, title: str) -> bytes:
    """The docx bytes, the same for the same content: fixed core properties and zip times."""
    props = document.core_properties
    stamp = dt.datetime(compiled.year, compiled.month, compiled.day)
    props.title, props.author, props.last_modified_by = title, "dossier", "dossier"
    props.created = props.modified = props.last_printed = stamp
    props.revision, props.comments, props.keywords = 1, "", ""
    buffer = io.BytesIO()
    document.save(buffer)
    return rezip(buffer.getvalue())


def rezip(data: bytes) -> bytes:
    """The same zip with every member stamped 1980-01-01 (zipfile uses the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
