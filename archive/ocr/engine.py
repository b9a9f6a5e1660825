"""Chinese OCR of scans, offline: which pages need it, and one page image in, clean text out.

Two engines behind one call, chosen by dossier.toml's `[ocr] engine`: RapidOCR (archive.ocr.rapid,
the default: PP-OCR models in onnxruntime) and tesseract chi_sim (archive.ocr.tesseract), which
also stands in for RapidOCR when RapidOCR is missing or fails on a page. Both read a page that
archive.ocr.prepare made ready; pages run in parallel in the caller (archive.ocr.phase). Each
page's result says which engine read it and how sure it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.ocr import rapid, tesseract
from archive.ocr.images import load_page, open_pdf
from archive.textnorm import CJK_CLASS
from archive.workspace import DEFAULT_OCR_ENGINE, OCR_ENGINES   # dossier.toml's choices
from common.errors import OcrError, OcrUnavailable
from common.messages import _

assert OCR_ENGINES == ("rapidocr", "tesseract"), "engine_status and read_image know these engines"
# Part of archive.ocr.phase's cache key (with the engine's version): change it whenever the text
# a page gives could change.
OCR_VERSION = 2
MIN_TEXT_CHARS = 10       # as archive.extract.pdf: fewer visible characters = no text layer


@dataclass(frozen=True)
class PageText:
    """What OCR read on one page."""

    text: str
    confidence: float         # 0-100: the engine's mean confidence, weighted by characters
    engine: str               # which engine and version read it: "rapidocr 3.10.0"


def engine_status(engine: str) -> str | None:
    """None when `engine` can run here, else why not (in Chinese)."""
    return rapid.rapidocr_status() if engine == "rapidocr" else tesseract.tesseract_status()


def engine_label(engine: str) -> str:
    """The engine and its version, as a page's result and the cache key name it."""
    return rapid.rapidocr_version() if engine == "rapidocr" else tesseract.tesseract_version()


def usable_engine(preferred: str) -> tuple[str | None, str | None]:
    """(the engine to use, what to tell the user): the preferred one, else tesseract with the
    reason, else None with the reasons."""
    reason = engine_status(preferred)
    if reason is None:
        return preferred, None
    if preferred == "tesseract":
        return None, reason
    fallback = tesseract.tesseract_status()
    if fallback is None:
        return "tesseract", reason + _("；这次改用 tesseract 识别")
    return None, reason + "；" + fallback


def read_image(image, engine: str = DEFAULT_OCR_ENGINE) -> PageText:
    """One page image read by `engine`; RapidOCR's failure on a page falls back to tesseract."""
    if engine == "rapidocr":
        try:
            return PageText(*rapid.read_page(image), rapid.rapidocr_version())
        except (OcrError, OcrUnavailable):
            if tesseract.tesseract_status() is not None:
                raise
    return PageText(*tesseract.read_page(image), tesseract.tesseract_version())


def ocr_page(path: Path, fmt: str, page: int, engine: str = DEFAULT_OCR_ENGINE) -> PageText:
    """Page `page` (1-based) of a stored original (PDF or image) read by `engine`."""
    return read_image(load_page(path, fmt, page), engine)


# ---------------------------------------------------------------------------- what needs OCR

# Characters that have no business in a Chinese office document: control and private-use
# characters, the replacement character, and letters of other scripts. A PDF whose fonts lack
# a ToUnicode map yields glyph numbers read as such characters (or as ASCII punctuation soup).
_UNEXPECTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00c0-\u024f\u0250-\u1fff\ue000-\uf8ff\ufffd]")
_ODD_ASCII = re.compile(r"""[!"#$&'*+<=>@\[\\\]^_`{|}~]""")
_CJK = re.compile(f"[{CJK_CLASS}]")


def page_is_garbled(text: str) -> bool:
    """Text that is not what the page shows: mostly symbols, private-use or foreign-script characters."""
    visible = [c for c in text if not c.isspace()]
    if len(visible) < MIN_TEXT_CHARS:
        return False
    joined = "".join(visible)
    if len(_UNEXPECTED.findall(joined)) / len(visible) >= 0.15:
        return True
    return len(_CJK.findall(joined)) / len(visible) < 0.1 and len(_ODD_ASCII.findall(joined)) / len(visible) >= 0.2


def _fonts_without_unicode(page) -> bool:
    """Whether the page draws text with a CID font (Identity-H) that has no ToUnicode map:
    its extracted text is then glyph numbers, whatever it looks like."""
    try:
        fonts = page["/Resources"].get_object().get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        for ref in fonts.values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0" and "/ToUnicode" not in font \
                    and str(font.get("/Encoding", "")).startswith("/Identity"):
                return True
    except Exception:  # a broken resource dictionary says nothing either way
        return False
    return False


def pages_needing_ocr(pdf_path: Path, page_texts: list[str]) -> list[int]:
    """1-based numbers of the PDF's pages whose stored text is missing or garbage.

    The text decides first; the PDF itself is opened only for pages whose text is suspicious
    (few Chinese characters), to check for fonts without a Unicode map.
    """
    needed: list[int] = []
    reader = None
    for number, text in enumerate(page_texts, start=1):
        visible = sum(1 for c in text if not c.isspace())
        if visible < MIN_TEXT_CHARS or page_is_garbled(text):
            needed.append(number)
            continue
        if len(_CJK.findall(text)) / visible >= 0.3:
            continue
        if reader is None:
            reader = open_pdf(pdf_path)
        if reader is not False and number <= len(reader.pages) and _fonts_without_unicode(reader.pages[number - 1]):
            needed.append(number)
    return needed
