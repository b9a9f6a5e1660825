"""Photos in upload form: upright, RGB, the long side within the limit, JPEG at the highest quality
that fits the size limit (smaller still when even quality 40 does not), the camera's date kept."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import ImageOps

from common.pictures import open_picture

QUALITIES = (90, 85, 80, 75, 70, 60, 50, 40)


def upload_jpeg(original: Path, long_edge: int, max_kb: float) -> bytes:
    with open_picture(original) as image:
        exif = image.getexif()
        picture = ImageOps.exif_transpose(image).convert("RGB")
    picture.thumbnail((long_edge, long_edge))
    # The orientation is now in the pixels; the date and camera stay for the reviewer.
    exif.pop(0x0112, None)
    while True:
        for quality in QUALITIES:
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=quality, optimize=True, exif=exif.tobytes())
            if buffer.tell() <= max_kb * 1024:
                return buffer.getvalue()
        if min(picture.size) < 64:
            return buffer.getvalue()          # nothing smaller is still a photo
        picture = picture.resize((max(1, int(picture.width * 0.8)), max(1, int(picture.height * 0.8))))
