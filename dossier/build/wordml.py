"""Paragraphs, runs and tables written directly as WordprocessingML (lxml), for the bulk of a volume.

python-docx's object API is slow at volume scale: every property it sets searches the schema's
list of following siblings to place the child, and `table.columns`/`column.cells` walk every
row and cell. A volume holds tens of thousands of paragraphs and table cells, so the docx build
spent most of its time there. These functions write the same elements, in the same order and
with the same attributes, as `fonts.add_run` and python-docx's paragraph, table and cell setters
did, so Word and LibreOffice lay the volume out exactly as before.
"""
from __future__ import annotations

import functools

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.shared import Length
from lxml import etree

Element = etree._Element
_NSMAP = {"w": nsmap["w"]}
_XML_SPACE = qn("xml:space")


@functools.cache
def _w(name: str) -> str:
    """The Clark name of w:<name>, computed once (qn() itself showed up in the profile)."""
    return qn(f"w:{name}")


def _el(parent: Element, tag: str, **attrs: str) -> Element:
    """A w:<tag> child; attributes keep the order given, as python-docx writes them."""
    return etree.SubElement(parent, _w(tag), {_w(k): v for k, v in attrs.items()})


def _new(tag: str) -> Element:
    # Made by python-docx's parser, so the element has its classes (CT_P, CT_Tbl…) when a caller
    # wraps it in python-docx objects, and with the w prefix, which lxml merges into the body's.
    return oxml_parser.makeelement(_w(tag), nsmap=_NSMAP)


def paragraph(parent: Element | None = None, align: WD_ALIGN_PARAGRAPH | None = None, *,
              line: float | Length | None = None, indent: Length | None = None,
              page_break_before: bool = False) -> Element:
    """A w:p, appended to `parent` when given. `line` is a multiple of single spacing (float) or
    an exact pitch (Length), as python-docx's `line_spacing`; `indent` indents the first line."""
    p = _new("p") if parent is None else _el(parent, "p")
    if align is None and line is None and indent is None and not page_break_before:
        return p
    ppr = _el(p, "pPr")                         # children in schema order
    if page_break_before:
        _el(ppr, "pageBreakBefore")
    if isinstance(line, Length):
        _el(ppr, "spacing", line=str(line.twips), lineRule="exact")
    elif line is not None:
        _el(ppr, "spacing", line=str(int(round(line * 240))), lineRule="auto")
    if indent is not None:
        _el(ppr, "ind", firstLine=str(indent.twips))
    if align is not None:
        _el(ppr, "jc", val=align.xml_value)
    return p


def add_run(p: Element, text: str, font: str, size: Length | None = None, bold: bool = False) -> Element:
    """A run naming its fonts as `fonts.set_fonts` does for styles: East Asian and Latin, no theme
    fonts (python-docx alone sets only the Latin one). `fonts.add_run` wraps it for python-docx."""
    r = _el(p, "r")
    rpr = _el(r, "rPr")
    _el(rpr, "rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")
    if bold:
        _el(rpr, "b")
    if size is not None:
        _el(rpr, "sz", val=str(int(size.pt * 2)))          # half-points
    _add_text(r, text)
    return r


def _add_text(r: Element, text: str) -> None:
    """Text as python-docx writes it: each tab a w:tab, each line end a w:br, the rest in w:t."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        _add_t(r, text)                         # the common case: one w:t
        return
    chunk: list[str] = []
    for char in text:
        if char in "\t\r\n":
            _add_t(r, "".join(chunk))
            chunk.clear()
            _el(r, "tab" if char == "\t" else "br")
        else:
            chunk.append(char)
    _add_t(r, "".join(chunk))


def _add_t(r: Element, text: str) -> None:
    if not text:
        return
    t = _el(r, "t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_XML_SPACE, "preserve")


def page_break() -> Element:
    """A paragraph holding only a page break."""
    p = _new("p")
    _el(_el(p, "r"), "br", type="page")
    return p


def table(widths: list[Length], style: str | None, side_margin: Length) -> Element:
    """A centred table with fixed column widths and left/right cell margins, without rows."""
    tbl = _new("tbl")
    pr = _el(tbl, "tblPr")
    if style:
        _el(pr, "tblStyle", val=style)
    _el(pr, "tblW", type="auto", w="0")
    _el(pr, "jc", val="center")
    _el(pr, "tblLayout", type="fixed")
    margins = _el(pr, "tblCellMar")
    for side in ("left", "right"):
        _el(margins, side, w=str(side_margin.twips), type="dxa")
    _el(pr, "tblLook", firstColumn="1", firstRow="1", lastColumn="0", lastRow="0", noHBand="0", noVBand="1",
        val="04A0")
    grid = _el(tbl, "tblGrid")
    for width in widths:
        _el(grid, "gridCol", w=str(width.twips))
    return tbl


def add_row(tbl: Element, height: Length | None = None, header: bool = False) -> Element:
    """A w:tr; `height` is a minimum (the row grows with its text); a `header` row repeats on each page."""
    tr = _el(tbl, "tr")
    if height is not None or header:
        pr = _el(tr, "trPr")
        if height is not None:
            _el(pr, "trHeight", val=str(height.twips), hRule="atLeast")
        if header:
            _el(pr, "tblHeader", val="true")
    return tr


def add_cell(tr: Element, width: Length, span: int = 1) -> Element:
    """A w:tc of `width` spanning `span` grid columns, still without its paragraph."""
    tc = _el(tr, "tc")
    pr = _el(tc, "tcPr")
    _el(pr, "tcW", type="dxa", w=str(width.twips))
    if span > 1:
        _el(pr, "gridSpan", val=str(span))
    return tc


def bottom_border(tc: Element) -> None:
    """A single rule under the cell (tcBorders follows tcW and gridSpan in tcPr)."""
    borders = _el(tc.find(_w("tcPr")), "tcBorders")
    _el(borders, "bottom", val="single", sz="6", space="0", color="000000")
