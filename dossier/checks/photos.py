"""What a photo's pixels say about its quality: size, sharpness, JPEG compression, and a
perceptual hash that finds the same picture again after resizing or re-encoding.

Reading a photo costs tens of milliseconds, so the facts are kept per content (sha256) in the
workspace's cache: a check of 2,000 photos reads each one once."""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import imagehash
import numpy as np
from PIL import Image, ImageOps

from common.files import atomic_write
from common.pictures import open_picture

FACTS_VERSION = 1
SHARPNESS_EDGE = 1024        # sharpness is measured on the photo scaled to this long side
THUMBNAIL_EDGE = 320         # the thumbnail kept beside the facts, for lists and the workbench
# The IJG standard luminance table at quality 50: a JPEG's own table, scaled against it, tells
# roughly the quality it was saved at.
_STANDARD_LUMA = np.array([16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69,
                           56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81,
                           104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99])


@dataclass(frozen=True)
class PhotoFacts:
    width: int
    height: int
    sharpness: float              # variance of the Laplacian
    jpeg_quality: int | None      # None for PNG, HEIC …
    phash: str                    # 64-bit perceptual hash, hex


def jpeg_quality(image: Image.Image) -> int | None:
    tables = getattr(image, "quantization", None)
    if not tables or 0 not in tables:
        return None
    scale = float(np.mean(np.array(tables[0][:64], dtype=float)) / np.mean(_STANDARD_LUMA) * 100)
    quality = (200 - scale) / 2 if scale <= 100 else 5000 / scale
    return int(round(min(100, max(1, quality))))


def read_facts(path: Path, thumbnail: Path | None = None) -> PhotoFacts:
    """The facts of the photo at `path`; with `thumbnail`, its small upright JPEG is written there."""
    with open_picture(path) as image:
        quality = jpeg_quality(image)
        upright = ImageOps.exif_transpose(image)
        width, height = upright.size
        grey = upright.convert("L")
        if thumbnail is not None:
            small = upright.convert("RGB")
            small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
            buffer = io.BytesIO()
            small.save(buffer, "JPEG", quality=80)
            atomic_write(thumbnail, buffer.getvalue(), sync=False)
    grey.thumbnail((SHARPNESS_EDGE, SHARPNESS_EDGE))
    sharpness = float(cv2.Laplacian(np.asarray(grey), cv2.CV_64F).var())
    return PhotoFacts(width, height, round(sharpness, 1), quality, str(imagehash.phash(grey)))


class PhotoFactsCache:
    """PhotoFacts by sha256, in one JSON file of the workspace's cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            facts = data.get("facts") if isinstance(data, dict) and data.get("version") == FACTS_VERSION else None
        except (OSError, ValueError):
            facts = None
        self.facts = facts if isinstance(facts, dict) else {}
        self.changed = False

    def get(self, sha256: str, path: Path) -> PhotoFacts | None:
        """The facts of one stored photo; None when its pixels cannot be read."""
        if sha256 not in self.facts or not self.thumbnail(sha256).is_file():
            try:
                self.facts[sha256] = asdict(read_facts(path, self.thumbnail(sha256)))
            except FileNotFoundError:
                return None                   # verify names a missing original; nothing to remember
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
                self.facts[sha256] = None     # pixels that cannot be decoded stay so
            self.changed = True
        found = self.facts[sha256]
        return PhotoFacts(**found) if found else None

    def thumbnail(self, sha256: str) -> Path:
        """Where the photo's thumbnail is kept (the workspace's derived data, beside the facts)."""
        return self.path.parent / "thumbnails" / f"{sha256}.jpg"

    def save(self) -> None:
        if self.changed:
            atomic_write(self.path, json.dumps({"version": FACTS_VERSION, "facts": self.facts}))
