"""Photos as departments send them: a phone's picture of an activity (a scene, no text to read) or
of a notice on a wall, with the camera's date in EXIF or without it, as JPEG, PNG or HEIC.

The scenes are drawn, not photographed: sky, ground, a crowd of figures, a banner-coloured strip
and sensor noise, enough for an OCR engine to see shapes where there is no text."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from examples.scans import render_notice

_EXIF_IFD, _TAKEN, _MAKE, _MODEL = 0x8769, 0x9003, 0x010F, 0x0110


def scene(seed: int, size: tuple[int, int] = (1600, 1200)) -> Image.Image:
    """An outdoor activity: sky, ground, people, trees; deterministic for `seed`."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (135 + rng.randint(-20, 20), 180, 230))
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.6))
    draw.rectangle((0, horizon, width, height), fill=(90 + rng.randint(-20, 20), 120, 70))
    for _ in range(6):                                   # trees
        x = rng.randint(0, width)
        draw.ellipse((x - 80, horizon - 260, x + 80, horizon - 40), fill=(40, 110 + rng.randint(0, 40), 50))
        draw.rectangle((x - 12, horizon - 60, x + 12, horizon + 20), fill=(100, 70, 40))
    draw.rectangle((int(width * 0.2), horizon - 180, int(width * 0.8), horizon - 120), fill=(200, 30, 30))
    for _ in range(25):                                  # people in vests
        x, y = rng.randint(40, width - 40), rng.randint(horizon + 20, height - 120)
        colour = rng.choice([(220, 60, 40), (240, 200, 40), (40, 90, 200), (250, 250, 250)])
        draw.ellipse((x - 14, y - 60, x + 14, y - 32), fill=(230, 190, 160))
        draw.rectangle((x - 20, y - 30, x + 20, y + 40), fill=colour)
    for _ in range(6000):                                # grass, gravel, leaves: the fine detail of a real scene
        x, y = rng.randint(0, width - 1), rng.randint(0, height - 1)
        shade = rng.randint(-60, 60)
        base = image.getpixel((x, y))
        draw.line((x, y, x + rng.randint(-4, 4), y + rng.randint(2, 7)),
                  fill=tuple(max(0, min(255, c + shade)) for c in base), width=1)
    lens = image.filter(ImageFilter.GaussianBlur(0.6))
    # Pillow's effect_noise follows C's rand(), not our seed: the grain comes from a seeded generator.
    noise = np.random.default_rng(seed).normal(128, 40, (height, width)).clip(0, 255).astype(np.uint8)
    grain = Image.fromarray(noise, "L").convert("RGB")
    return Image.blend(lens, grain, 0.08)


def notice_photo(seed: int) -> tuple[Image.Image, str]:
    """A phone's picture of a printed notice (slightly rotated, on a grey wall), and its title."""
    page, printed, _ = render_notice(seed, 150)
    wall = Image.new("RGB", (page.width + 300, page.height + 300), (150, 150, 145))
    wall.paste(page.convert("RGB").rotate(1.2, expand=True, fillcolor=(150, 150, 145)), (150, 150))
    return wall, printed.title


def save_photo(image: Image.Image, path: Path, taken: dt.datetime | None = None, *, quality: int = 88) -> Path:
    """`image` saved by the suffix of `path` (.jpg, .png, .heic), with the camera's date when given."""
    exif = Image.Exif()
    if taken is not None:
        exif[_MAKE], exif[_MODEL] = "Huawei", "P60"
        exif[_EXIF_IFD] = {_TAKEN: taken.strftime("%Y:%m:%d %H:%M:%S")}
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix in (".heic", ".heif"):
        import pillow_heif

        pillow_heif.register_heif_opener()
        image.save(path, "HEIF", quality=quality, exif=exif.tobytes())
    elif suffix == ".png":
        image.save(path, "PNG", exif=exif.tobytes())
    else:
        image.save(path, "JPEG", quality=quality, exif=exif.tobytes())
    return path
