"""Images are kept and marked for OCR; their title is the file name until OCR reads them."""
from __future__ import annotations

from pathlib import Path

from archive.extract.base import Extracted, extractor


@extractor("image:")
def extract_image(path: Path, fmt: str) -> Extracted:
    return Extracted(format=fmt, pages=[""], status="needs_ocr", page_count=1)
