"""Images are kept and marked for OCR; their title is the file name until OCR reads them.

Only the header is read here (size, frames, the camera's record): a file that is no picture at
all, or one that would decode into gigapixels, fails now with its reason instead of later, in
OCR. A photo's day comes from its camera (EXIF DateTimeOriginal): the day of the activity."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PIL import Image


from common.errors import ExtractionError
from common.pictures import HEIF_READABLE, open_picture
from archive.extract.base import Extracted, extractor
from common.messages import _

MAX_PIXELS = 180_000_000      # Pillow's own bomb limit: a 13,000 x 13,000 poster scan still passes
_EXIF_IFD, _TAKEN, _DIGITIZED = 0x8769, 0x9003, 0x9004
_EXIF_DATE = re.compile(r"^\s*((?:19|20)\d\d)[:\-/.](\d\d)[:\-/.](\d\d)")


def camera_day(image: Image.Image) -> str | None:
    """The day the camera took `image` (ISO), from EXIF DateTimeOriginal (else DateTimeDigitized);
    None without one, or when the camera's clock says nonsense (0000:00:00, a day in the future)."""
    try:
        exif = image.getexif().get_ifd(_EXIF_IFD)
    except Exception:       # a broken EXIF block is common and never worth failing for
        return None
    for tag in (_TAKEN, _DIGITIZED):
        match = _EXIF_DATE.match(str(exif.get(tag) or ""))
        if match:
            try:
                day = dt.date(*map(int, match.groups()))
            except ValueError:
                continue
            if day <= dt.date.today():
                return day.isoformat()
    return None


def _picture_facts(path: Path) -> tuple[int, int, str | None]:
    """Width, height and the camera's day from the header, or an ExtractionError saying what is wrong."""
    try:
        with open_picture(path) as image:
            width, height = image.size
            taken = camera_day(image)
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
    return width, height, taken


@extractor("image:")
def extract_image(path: Path, fmt: str) -> Extracted:
    if fmt == "image:heic" and not HEIF_READABLE:
        raise ExtractionError(_("暂不能读取苹果手机的 HEIC 照片（缺少 pillow-heif）：请重新运行安装命令，或另存为 JPEG 后再收录"))
    taken = _picture_facts(path)[2]
    notes = [_("照片拍摄于 {day}（相机记录）").format(day=taken)] if taken else []
    return Extracted(format=fmt, pages=[""], status="needs_ocr", page_count=1, taken=taken, notes=notes)
