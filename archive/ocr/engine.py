"""Chinese OCR of scans, offline: page images in, normalised text out (tesseract + chi_sim).

What each step is for (measured with bench/ocr_cer.py on generated A4 scans, 2 cores):
- one tesseract process per page with OMP_THREAD_LIMIT=1 (its OpenMP threads otherwise fight
  each other and the other pages' processes: 8-9 s a page instead of ~1.3 s); pages run in
  parallel in the caller (archive.ocr.phase);
- the page is scaled so that Chinese characters are ~26 px tall: chi_sim reads 20-35 px
  glyphs best; the same scans at 300 dpi (60 px) lose several times more characters;
- a skew of up to 5° is measured and undone (tesseract copes with 1-3° but misreads more);
  a page scanned sideways or upside down is turned by tesseract's orientation detection;
- red ink is separated: a round seal (公章) over the text is dropped (the red channel of a
  scan shows the black text but not the seal); a red header line (红头) is kept;
- two columns are restacked as one (see one_column);
- tesseract's spaces between Chinese characters and its ASCII punctuation are undone, and
  lines it wrapped in the middle of a sentence or a number are joined.
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import statistics
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageOps

from archive.textnorm import CJK_CLASS, normalize_text
from common.errors import OcrError, OcrUnavailable  # noqa: F401  (raised here, caught by the phase)
from common.messages import _

LANG = "chi_sim"
PSM = "6"                 # one uniform block (see one_column for why)
RENDER_DPI = 300
MAX_RENDER_PX = 7000      # A2 at 300 dpi; a larger page is rendered coarser (its text is larger too)
TARGET_GLYPH_PX = 26      # ink height of a Chinese character after scaling
LOW_CONFIDENCE = 60        # below this mean word confidence, check the page's orientation
MAX_SKEW = 5              # degrees a scan may be rotated and still be straightened
TESSERACT_TIMEOUT = 180   # seconds for one page
RENDER_TIMEOUT = 120
# Part of archive.ocr.phase's cache key: change it whenever the text a page gives could change.
OCR_VERSION = 1

_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
MIN_TEXT_CHARS = 10       # as archive.extract.pdf: fewer visible characters = no text layer


# ---------------------------------------------------------------------------- availability

@functools.lru_cache(maxsize=1)
def tesseract_status() -> str | None:
    """None when tesseract and its Simplified Chinese model are installed, else why not."""
    if shutil.which("tesseract") is None:
        return _("文字识别未启用：未安装 tesseract；请安装 Debian 软件包 tesseract-ocr 和 tesseract-ocr-chi-sim"
                 "（sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim）")
    try:
        result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, env=_ENV)
    except (OSError, subprocess.SubprocessError) as exc:
        return _("文字识别未启用：tesseract 无法运行（{exc}）；请重新安装 Debian 软件包 tesseract-ocr").format(exc=exc)
    if LANG not in result.stdout.split():
        return _("文字识别未启用：tesseract 缺少简体中文模型；请安装 Debian 软件包 tesseract-ocr-chi-sim"
                 "（sudo apt-get install tesseract-ocr-chi-sim）")
    return None


def poppler_status() -> str | None:
    """None when pdftoppm (poppler-utils) can render PDF pages for OCR, else why not."""
    if shutil.which("pdftoppm") is None:
        return _("无法识别扫描版 PDF：缺少 pdftoppm；请安装 Debian 软件包 poppler-utils")
    return None


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
            reader = _open_pdf(pdf_path)
        if reader is not False and number <= len(reader.pages) and _fonts_without_unicode(reader.pages[number - 1]):
            needed.append(number)
    return needed


def _open_pdf(path: Path):
    from pypdf import PdfReader
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        len(reader.pages)
        return reader
    except Exception:  # the extractor already judged this file; here it only informs a guess
        return False


# ---------------------------------------------------------------------------- page images

def page_count(path: Path, fmt: str) -> int:
    """Pages of a PDF, frames of an image (multi-page TIFF, animated GIF: each frame a page)."""
    if fmt == "pdf":
        reader = _open_pdf(path)
        if reader is False:
            raise OcrError(_("PDF 无法打开，无法统计页数"))
        return len(reader.pages)
    try:
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1) or 1
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise OcrError(_("图片无法读取（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc


def load_page(path: Path, fmt: str, page: int) -> Image.Image:
    """Page `page` (1-based) as a Pillow image: a rendered PDF page or an image frame."""
    if fmt == "pdf":
        return render_pdf_page(path, page)
    try:
        with Image.open(path) as image:
            image.seek(page - 1)
            frame = ImageOps.exif_transpose(image) if page == 1 else image.copy()
            frame.load()
            return frame
    except (OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise OcrError(_("图片的第 {page} 页无法读取（{kind}：{exc}）").format(page=page, kind=type(exc).__name__, exc=exc)) from exc


@functools.lru_cache(maxsize=16)
def _page_inches(path: Path) -> tuple[float, ...]:
    """The long side of each page of a PDF, in inches (0 where unknown)."""
    reader = _open_pdf(path)
    sides = []
    for page in reader.pages if reader is not False else ():
        try:
            sides.append(max(float(page.mediabox.width), float(page.mediabox.height)) / 72)
        except Exception:  # a broken media box: render at the usual resolution
            sides.append(0.0)
    return tuple(sides)


def render_pdf_page(path: Path, page: int, dpi: int = RENDER_DPI) -> Image.Image:
    """One page rendered by pdftoppm, in colour (red seals are separated later); a poster-sized
    page at a lower resolution, so that no page image passes MAX_RENDER_PX on its long side."""
    if (reason := poppler_status()):
        raise OcrUnavailable(reason)
    sides = _page_inches(path)
    if page <= len(sides) and sides[page - 1] * dpi > MAX_RENDER_PX:
        dpi = max(36, int(MAX_RENDER_PX / sides[page - 1]))
    try:
        result = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(path)],
                                capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise OcrError(_("渲染第 {page} 页超过 {seconds} 秒").format(page=page, seconds=RENDER_TIMEOUT)) from None
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no image"]
        raise OcrError(_("PDF 的第 {page} 页无法渲染：{detail}").format(page=page, detail=detail[0]))
    image = Image.open(io.BytesIO(result.stdout))
    image.load()
    return image


# ---------------------------------------------------------------------------- preparation

def _binary(channel: Image.Image, test) -> Image.Image:
    return channel.point(lambda v: 255 if test(v) else 0)


def _runs(values, test, bridge: int = 0) -> list[tuple[int, int]]:
    """(start, end) of the runs of values that pass `test`, gaps of up to `bridge` bridged."""
    runs: list[tuple[int, int]] = []
    for i, value in enumerate(values):
        if test(value) and runs and i - runs[-1][1] <= bridge:
            runs[-1] = (runs[-1][0], i + 1)
        elif test(value):
            runs.append((i, i + 1))
    return runs


def _rows(image: Image.Image) -> bytes:
    """Mean of each row (0-255): with a binary ink mask, how much of the row is ink."""
    return image.resize((1, image.height), Image.BOX).tobytes()


def to_gray(image: Image.Image) -> Image.Image:
    """A grey page for OCR, with red seals removed and red header text kept."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 256))   # 16-bit scans: keep the top byte
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels are paper, not the black their colour values often are.
        image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image.convert("RGBA"))
    if image.mode in ("1", "L", "I", "F"):
        return image.convert("L")
    rgb = image.convert("RGB")
    red, green, blue = rgb.split()
    # The red channel is blind to red ink (seal or header), and sees black ink as black.
    ink = ImageChops.multiply(_binary(red, lambda v: v > 140),
                              ImageChops.multiply(_binary(green, lambda v: v < 120), _binary(blue, lambda v: v < 120)))
    gray = rgb.convert("L")
    if ink.getbbox() is None:
        return gray
    for top, bottom in _runs(_rows(ink), bool):
        box = ink.crop((0, top, ink.width, bottom)).getbbox()
        if box is None:
            continue
        width, height = box[2] - box[0], bottom - top
        region = (box[0], top, box[2], bottom)
        # A seal (round, as tall as wide) or a red rule goes, and the black text under it stays; a
        # line of red text (a red-header title) is wide and low, and stays dark grey like the rest.
        if height >= 0.5 * width or height < 0.02 * width:
            gray.paste(red.crop(region), region)
    return gray


def line_runs(gray: Image.Image) -> list[int]:
    """Heights of the runs of rows that hold some ink, in 8 vertical strips (narrow enough
    that a skew of a few degrees does not merge two lines of text)."""
    ink = _binary(gray, lambda v: v < 128)
    width = ink.width
    strips = [ink.crop((k * width // 8, 0, max((k + 1) * width // 8, k * width // 8 + 1), ink.height)) for k in range(8)]
    # A row of text has some ink (specks of dust have less); a row of a photo has a lot.
    return [end - start for strip in strips for start, end in _runs(_rows(strip), lambda v: 6 <= v <= 180)
            if end - start >= 4]


def glyph_height(gray: Image.Image, runs: list[int] | None = None) -> float | None:
    """The median ink height of text lines, None when it cannot be told (no text, or a photo)."""
    lines = [r for r in (line_runs(gray) if runs is None else runs) if r <= max(gray.height // 12, 8)]
    return statistics.median(lines) if len(lines) >= 3 else None


def skew_angle(gray: Image.Image) -> float:
    """The rotation (degrees, Pillow's sense) that makes the text lines horizontal: the angle
    whose row profile of ink is sharpest (lines and gaps alternate cleanly), searched within
    ±MAX_SKEW on a reduced copy, coarse then fine."""
    factor = min(1.0, 600 / gray.width)
    small = gray.resize((max(1, round(gray.width * factor)), max(1, round(gray.height * factor))), Image.BOX)
    ink = _binary(small, lambda v: v < 160)

    def sharpness(angle: float) -> int:
        rows = ink.rotate(angle, resample=Image.BILINEAR, fillcolor=0).resize((1, ink.height), Image.BOX).tobytes()
        return sum((b - a) ** 2 for a, b in zip(rows, rows[1:]))

    coarse = max((k * 0.5 for k in range(-2 * MAX_SKEW, 2 * MAX_SKEW + 1)), key=sharpness)
    best = max((coarse + k * 0.1 for k in range(-4, 5)), key=sharpness)
    # A page without lines of text (a photo) has no sharp angle: leave it as it is.
    return best if sharpness(best) > 1.02 * sharpness(0.0) else 0.0


def _gutter(gray: Image.Image) -> tuple[int, int] | None:
    """The widest blank vertical strip (x0, x1) in the middle half of the inked width, at least
    1/40 of it wide: the space between two columns of text, if the page has them."""
    profile = _binary(gray, lambda v: v < 128).resize((gray.width, 1), Image.BOX).tobytes()
    inked = _runs(profile, lambda v: v > 4)
    if not inked:
        return None
    left, right = inked[0][0], inked[-1][1]
    low, high = left + (right - left) // 4, right - (right - left) // 4
    blanks = [(low + a, low + b) for a, b in _runs(profile[low:high], lambda v: v <= 4) if b - a >= max(8, (right - left) // 40)]
    return max(blanks, key=lambda run: run[1] - run[0], default=None)


def one_column(gray: Image.Image) -> Image.Image:
    """A page in two columns restacked as one: full-width parts (a title over both columns) in
    place, each two-column part as its left column followed by its right one.

    Why: tesseract's one-block mode (--psm 6) reads single-column pages best; its automatic
    layout (--psm 3) reads columns but splits some ordinary pages into blocks and scrambles them
    (6.5% CER against 0.35% on the bench set). One block runs side-by-side columns together, so
    they are put one under the other first."""
    gutter = _gutter(gray)
    if gutter is None:
        return gray
    middle = (gutter[0] + gutter[1]) // 2
    ink = _binary(gray, lambda v: v < 128)
    window = 12   # half a character either side of the gutter's middle (pages are scaled by now)
    core = _rows(ink.crop((middle - window, 0, middle + window, ink.height)))
    # Regions: runs of text rows (dust ignored), each full-width when its text crosses the middle
    # of the gutter (a line of a column that only reaches into it does not); neighbouring regions
    # of the same kind are one region (a column runs on over its paragraphs).
    regions: list[list] = []
    for top, bottom in _runs(_rows(ink), lambda v: v >= 2, bridge=2):
        full = sum(core[top:bottom]) * 2 * window / 255 >= 20     # inked pixels: more than a speck
        if regions and regions[-1][2] == full:
            regions[-1][1] = bottom
        else:
            regions.append([top, bottom, full])
    pieces: list[Image.Image] = []
    for top, bottom, full in regions:
        boxes = [(0, top, gray.width, bottom)] if full else [(0, top, middle, bottom), (middle, top, gray.width, bottom)]
        pieces += [gray.crop(box) for box in boxes]
    gap = 20
    stacked = Image.new("L", (gray.width, sum(p.height + gap for p in pieces) + gap), 255)
    y = gap
    for piece in pieces:
        stacked.paste(piece, (0, y))
        y += piece.height + gap
    return stacked


def prepare(image: Image.Image) -> Image.Image | None:
    """The page as tesseract should see it, or None when it has no ink in lines at all (blank)."""
    page = straighten(image)
    return None if page is None else one_column(page)


def straighten(image: Image.Image) -> Image.Image | None:
    """The page grey, scaled to the characters' best size and deskewed (None when blank)."""
    gray = to_gray(image)
    runs = line_runs(gray)
    if not runs:
        return None
    glyph = glyph_height(gray, runs)
    scale = TARGET_GLYPH_PX / glyph if glyph else 1.0
    if scale < 0.9 or scale > 1.6:       # near the target already: scaling would only blur
        scale = max(scale, 0.25)
        gray = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))), Image.LANCZOS)
    # tesseract copes with a skew of a degree or two, but still misreads a few characters more
    # per page than on a straight one (measured: 0.46% -> 0.14% CER on 5 scans rotated 1-3°).
    angle = skew_angle(gray)
    if abs(angle) >= 0.3:
        gray = gray.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    return gray


# ---------------------------------------------------------------------------- tesseract

def _tesseract(image: Image.Image, args: list[str]) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)       # through stdin: no temporary files
    try:
        result = subprocess.run(["tesseract", "stdin", "stdout", *args], input=buffer.getvalue(),
                                capture_output=True, timeout=TESSERACT_TIMEOUT, env=_ENV)
    except subprocess.TimeoutExpired:
        raise OcrError(_("tesseract 识别这一页超过 {seconds} 秒").format(seconds=TESSERACT_TIMEOUT)) from None
    except OSError as exc:
        raise OcrUnavailable(_("tesseract 无法运行：{exc}").format(exc=exc)) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {result.returncode}"]
        raise OcrError(_("tesseract 识别这一页失败：{detail}").format(detail=detail[0]))
    return result.stdout.decode("utf-8", "replace")


def tesseract(image: Image.Image) -> tuple[str, float]:
    """Raw text of a prepared page and tesseract's mean confidence (0-100) in it.

    The TSV output gives both in one run: words in reading order with their line numbers."""
    lines: dict[tuple[str, ...], list[str]] = {}
    confidence = weight = 0.0
    for row in _tesseract(image, ["-l", LANG, "--psm", PSM, "tsv"]).splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        lines.setdefault(tuple(cells[1:5]), []).append(cells[11])
        confidence += float(cells[10]) * len(cells[11])
        weight += len(cells[11])
    return "\n".join(" ".join(words) for words in lines.values()), confidence / weight if weight else 0.0


def _orientation(image: Image.Image) -> int:
    """Degrees (Pillow's sense) that turn a sideways or upside-down page upright, by tesseract's
    orientation detection; 0 when it cannot tell (too little text)."""
    try:
        report = _tesseract(image, ["--psm", "0", "-l", "osd"])
    except OcrError:
        return 0
    match = re.search(r"Rotate: (\d+)", report)
    return -int(match.group(1)) % 360 if match else 0


def ocr_pil(image: Image.Image) -> str:
    """The clean text of one page image."""
    page = straighten(image)
    if page is None:
        return ""
    text, confidence = tesseract(one_column(page))
    # Upright Chinese reads at 85-95; a page scanned sideways or upside down at 10-25. Only
    # then is orientation detection worth its 0.5 s.
    if text.strip() and confidence < LOW_CONFIDENCE and (angle := _orientation(page)):
        # Straightened again: the line height of a sideways page could not be measured.
        turned = straighten(page.rotate(angle, expand=True, fillcolor=255))
        turned_text, turned_confidence = tesseract(one_column(turned)) if turned is not None else ("", 0.0)
        if turned_confidence > confidence:
            text = turned_text
    return clean_ocr_text(text)


def ocr_image(png_path: Path | str) -> str:
    """The clean text of an image file (its first page)."""
    return ocr_pil(load_page(Path(png_path), "image", 1))


def ocr_page(path: Path, fmt: str, page: int) -> str:
    """The clean text of page `page` of a stored original (PDF or image)."""
    return ocr_pil(load_page(path, fmt, page))


# ---------------------------------------------------------------------------- text clean-up

_CJK_PUNCT = "，。、；：！？（）《》“”‘’【】〔〕…—"
_ASCII_TO_CJK = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# tesseract writes "出席: 罗芳" and "(一) 完善": ASCII punctuation next to Chinese is Chinese punctuation.
_PUNCT_AFTER_CJK = re.compile(f"(?<=[{CJK_CLASS}])\\s*([,:;!?)])")
_OPEN_BEFORE_CJK = re.compile(f"\\(\\s*(?=[{CJK_CLASS}])")
_SPACE_AT_CJK_PUNCT = re.compile(f"(?<=[{_CJK_PUNCT}])[ \\t]+|[ \\t]+(?=[{_CJK_PUNCT}])")
_WRAP_END = re.compile(f"[{CJK_CLASS}0-9，、；：“‘（《]$")
_WRAP_START = re.compile(f"^[{CJK_CLASS}0-9，。、；：！？”’）》]")


def clean_ocr_text(raw: str) -> str:
    """tesseract's output as the archive stores text (see archive.textnorm.normalize_text)."""
    text = normalize_text(raw)
    text = _PUNCT_AFTER_CJK.sub(lambda m: _ASCII_TO_CJK[m.group(1)], text)
    text = _OPEN_BEFORE_CJK.sub("（", text)
    text = normalize_text(_SPACE_AT_CJK_PUNCT.sub("", text))
    return join_ocr_lines([line.strip() for line in text.split("\n") if line.strip()])


def join_ocr_lines(lines: list[str]) -> str:
    """Join lines the scan wrapped mid-sentence. Like archive.textnorm.join_wrapped_lines, but
    a scan also wraps inside numbers (20|24年) and before punctuation (清单|，每月), and those
    must join too, or a search for 2024年 misses them; a line ending in 。 ends a paragraph."""
    if not lines:
        return ""
    longest = max(len(line) for line in lines)
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if longest >= 15 and len(prev) >= 0.8 * longest and _WRAP_END.search(prev) and _WRAP_START.match(line):
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)
