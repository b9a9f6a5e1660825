"""Images are kept and marked for OCR; their title is the file name until OCR reads them.

Only the header is read here (size, frames): a file that is no picture at all, or one that would
decode into gigapixels, fails now with its reason instead of later, in OCR."""
from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

from common.errors import ExtractionError
from archive.extract.base import Extracted, extractor
from common.messages import _

MAX_PIXELS = 180_000_000      # Pillow's own bomb limit: a 13,000 x 13,000 poster scan still passes


def _picture_facts(path: Path) -> tuple[int, int, int]:
    """Width, height and frames from the header, or an ExtractionError saying what is wrong."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1) or 1
        except Image.DecompressionBombError:
            raise ExtractionError(_("图片像素数大到异常（可能是恶意构造的“解压炸弹”）：已拒绝，请向报送部门要一份正常大小的图片")) from None
        except (OSError, ValueError, EOFError, SyntaxError) as exc:
            raise ExtractionError(_("图片已损坏或不完整，无法打开（{kind}）：请向报送部门要一份完好的图片").format(
                kind=type(exc).__name__)) from exc
    if width * height > MAX_PIXELS:
        raise ExtractionError(_("图片有 {w:,} × {h:,} 像素，大到异常（可能是恶意构造的“解压炸弹”）：已拒绝，请向报送部门要一份正常大小的图片").format(
            w=width, h=height))
    if width < 1 or height < 1:
        raise ExtractionError(_("图片的尺寸为 0：文件已损坏，请向报送部门要一份完好的图片"))
    return width, height, frames


@extractor("image:")
def extract_image(path: Path, fmt: str) -> Extracted:
    if fmt == "image:heic":
        raise ExtractionError(_("暂不能读取苹果手机的 HEIC 照片：请在手机或电脑上另存为 JPEG 后再收录"))
    _picture_facts(path)
    return Extracted(format=fmt, pages=[""], status="needs_ocr", page_count=1)
