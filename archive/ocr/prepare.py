"""A page made ready for OCR: grey, red seals removed, characters at their best size, straight,
and in one column (measured with bench/ocr_cer.py on generated A4 scans, 2 cores):
- the page is scaled so that Chinese characters are ~26 px tall: chi_sim reads 20-35 px
  glyphs best (and RapidOCR's recogniser, which works on 48 px line images, is as good there);
- a skew of up to 5° is measured and undone;
- red ink is separated: a round seal (公章) over the text is dropped (the red channel of a
  scan shows the black text but not the seal); a red header line (红头) is kept;
- two columns are restacked as one (see one_column): both engines then read them in order.
"""
from __future__ import annotations

import statistics

from PIL import Image, ImageChops

TARGET_GLYPH_PX = 26      # ink height of a Chinese character after scaling
MAX_SKEW = 5              # degrees a scan may be rotated and still be straightened

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
            # Red ink is light grey in the red channel (~220): paper, for an engine that reads faint text.
            gray.paste(red.crop(region).point(lambda v: 255 if v > 185 else v), region)
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
    window = 24   # a character either side of the gutter's middle (pages are scaled by now): a centred
    # title whose middle falls in the blank half of a full-width bracket still crosses it
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
