"""Opening a picture, the one way every part of dossier does it: HEIC/HEIF from phones readable
(pillow-heif, registered once here), and Pillow's warning for large pictures silenced, since its
hard limit (twice the warning's) still refuses a decompression bomb with an error."""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from PIL import Image

try:
    import pillow_heif
    pillow_heif.register_heif_opener()
    HEIF_READABLE = True
except ImportError:
    HEIF_READABLE = False


@contextmanager
def open_picture(source: Path | IO[bytes]) -> Iterator[Image.Image]:
    """`Image.open(source)` as a context manager, with HEIF readable and no bomb warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(source) as image:
            yield image
