"""Page images for OCR: a PDF page rendered by pdftoppm, or a frame of an image file."""
from __future__ import annotations

import functools
import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageOps

from common.errors import OcrError, OcrUnavailable
from common.pictures import open_picture
from common.messages import _

RENDER_DPI = 300
MAX_RENDER_PX = 7000      # A2 at 300 dpi; a larger page is rendered coarser (its text is larger too)
RENDER_TIMEOUT = 120

def poppler_status() -> str | None:
    """None when pdftoppm (poppler-utils) can render PDF pages for OCR, else why not."""
    if shutil.which("pdftoppm") is None:
        return _("无法识别扫描版 PDF：缺少 pdftoppm；请安装 Debian 软件包 poppler-utils")
    return None


def open_pdf(path: Path):
    from pypdf import PdfReader
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        len(reader.pages)
        return reader
    except Exception:  # the extractor already judged this file; here it only informs a guess
        return False


def page_count(path: Path, fmt: str) -> int:
    """Pages of a PDF, frames of an image (multi-page TIFF, animated GIF: each frame a page)."""
    if fmt == "pdf":
        reader = open_pdf(path)
        if reader is False:
            raise OcrError(_("PDF 无法打开，无法统计页数"))
        return len(reader.pages)
    try:
        with open_picture(path) as image:
            return getattr(image, "n_frames", 1) or 1
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise OcrError(_("图片无法读取（{kind}：{exc}）").format(kind=type(exc).__name__, exc=exc)) from exc


PAPER_SHARE = 0.3       # of a photo's pixels pale and grey enough to be paper, a banner's white …


def looks_like_paper(path: Path) -> bool:
    """Whether a photo may show text: a good share of it is pale and unsaturated, as a notice, a
    document or a board is. A scene outdoors (sky, grass, vests) is not, and is not read."""
    try:
        with open_picture(path) as image:
            image.draft("RGB", (256, 256))
            small = image.convert("HSV")
            small.thumbnail((256, 256))
    except (OSError, ValueError, Image.DecompressionBombError):
        return True                       # let OCR try, and say what it could not
    saturation, value = small.getchannel("S").tobytes(), small.getchannel("V").tobytes()
    pale = sum(1 for s, v in zip(saturation, value) if s < 40 and v > 140)
    return pale >= PAPER_SHARE * len(saturation)


def load_page(path: Path, fmt: str, page: int) -> Image.Image:
    """Page `page` (1-based) as a Pillow image: a rendered PDF page or an image frame."""
    if fmt == "pdf":
        return render_pdf_page(path, page)
    try:
        with open_picture(path) as image:
            image.seek(page - 1)
            frame = ImageOps.exif_transpose(image) if page == 1 else image.copy()
            frame.load()
            return frame
    except (OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
        raise OcrError(_("图片的第 {page} 页无法读取（{kind}：{exc}）").format(page=page, kind=type(exc).__name__, exc=exc)) from exc


@functools.lru_cache(maxsize=16)
def _page_inches(path: Path) -> tuple[float, ...]:
    """The long side of each page of a PDF, in inches (0 where unknown)."""
    reader = open_pdf(path)
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
    size = ["-r", str(dpi)]
    if page <= len(sides) and sides[page - 1] * dpi > MAX_RENDER_PX:
        # The long side scaled to the limit, however large the page claims to be.
        size = ["-scale-to", str(MAX_RENDER_PX)]
    try:
        result = subprocess.run(["pdftoppm", *size, "-f", str(page), "-l", str(page), "-singlefile", str(path)],
                                capture_output=True, timeout=RENDER_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise OcrError(_("渲染第 {page} 页超过 {seconds} 秒").format(page=page, seconds=RENDER_TIMEOUT)) from None
    if result.returncode != 0 or not result.stdout:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no image"]
        raise OcrError(_("PDF 的第 {page} 页无法渲染：{detail}").format(page=page, detail=detail[0]))
    image = Image.open(io.BytesIO(result.stdout))
    image.load()
    return image
