"""Scans as departments send them, from the project's own text, for the OCR tests and bench.

A notice (文号 with 〔〕, a title with 《》 and a 2024—2026年 range, numbered items （一）, a
落款 and date) or a statistics table is set on an A4 page, then degraded the way paper and
scanners and phones degrade it. Each condition is one function of the page, so a test or the
bench can combine them:

    clean         the page at 150, 200 or 300 dpi, speckled with dust;
    stamped       a red round seal (公章) pressed over the 落款 and the last lines;
    skewed        turned 0.5-3° either way;
    noisy_jpeg    sensor noise, then JPEG at quality 35-50 (blocking artefacts);
    uneven_light  a page lit from one side, darker by up to a third at the far edge;
    phone_photo   photographed from above at a slant (perspective), on a desk, under a
                  lamp, slightly out of focus, saved as a phone's JPEG;
    two_columns   a 简报 set in two columns;
    table         a statistics table with figures in ruled cells.

The text printed on each page is returned with it: what OCR should read, in reading order
(table cells row by row, left to right).
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from examples.compose import compose_paragraphs
from examples.docgen import _pil_font, _wrap

CONDITIONS = ("clean", "stamped", "skewed", "noisy_jpeg", "uneven_light", "phone_photo", "two_columns", "table")
ISSUER = "云岚市精神文明建设委员会办公室"
TOPICS = [["志愿服务", "文明交通", "未成年人"], ["公益广告", "垃圾分类", "文明餐桌"],
          ["道德模范", "诚信建设", "家庭教育"], ["新时代文明实践", "移风易俗", "心理健康"]]


@dataclass
class ScanPage:
    path: Path
    text: str                 # what is printed on the page, in reading order
    condition: str
    dpi: int
    title: str = ""
    doc_number: str = ""
    years: tuple[int, ...] = ()


def notice(seed: int, paragraphs: int = 4) -> tuple[str, str, list[str], tuple[int, ...]]:
    """(文号, title, body lines, years covered) of a notice on a plan for three years."""
    rng = random.Random(seed)
    year = 2022 + seed % 3
    topic = TOPICS[seed % len(TOPICS)]
    number = f"云岚文明办〔{year}〕{rng.randint(2, 48)}号"
    title = f"关于印发《云岚市{year}—{year + 2}年{topic[0]}工作实施方案》的通知"
    body = ["各区文明办，市直各单位："]
    body += ["　　" + p for p in compose_paragraphs(rng, topic, year, paragraphs)]
    body += [f"　　（{'一二三'[k]}）{s}" for k, s in enumerate(compose_paragraphs(rng, topic, year + 1, 2))]
    return number, title, body, (year, year + 1, year + 2)


def _page(dpi: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (int(8.27 * dpi), int(11.69 * dpi)), "white")
    return image, ImageDraw.Draw(image)


def _lines(draw: ImageDraw.ImageDraw, lines: list[str], x: int, y: int, width: int, size: int,
           centred: bool = False) -> tuple[int, list[str]]:
    """Draw wrapped `lines` from y; returns the y after them and the lines as printed."""
    font, printed = _pil_font(size), []
    for line in lines:
        for part in _wrap(line, font, width):
            left = x + (width - font.getlength(part)) / 2 if centred else x
            draw.text((left, y), part, font=font, fill=(20, 20, 20))
            printed.append(part)
            y += int(size * 1.65)
    return y, printed


def render_notice(seed: int, dpi: int) -> tuple[Image.Image, ScanPage, tuple[int, int]]:
    """The clean notice page, what it says, and where its 落款 is (for a seal)."""
    number, title, body, years = notice(seed)
    image, draw = _page(dpi)
    margin, width = int(1.0 * dpi), image.width - int(2.0 * dpi)
    y, printed = _lines(draw, [number], margin, int(1.1 * dpi), width, int(dpi * 14 / 72), centred=True)
    y, title_lines = _lines(draw, [title], margin, y + dpi // 6, width, int(dpi * 20 / 72), centred=True)
    y, body_lines = _lines(draw, body, margin, y + dpi // 8, width, int(dpi * 14 / 72))
    date = f"{years[0]}年{3 + seed % 9}月{5 + seed % 20}日"
    y, end_lines = _lines(draw, [ISSUER, date], image.width // 2, y + dpi // 3, width // 2, int(dpi * 14 / 72))
    text = "\n".join(printed + title_lines + body_lines + end_lines)
    page = ScanPage(Path(), text, "clean", dpi, title, number, years)
    return image, page, (int(image.width * 0.68), y - int(dpi * 0.35))


def render_text(text: str, dpi: int) -> tuple[Image.Image, str]:
    """Any text (first line the title) set as a one-page notice; what fits is what is printed."""
    title, _, body = text.strip().partition("\n")
    image, draw = _page(dpi)
    margin, width = int(1.0 * dpi), image.width - int(2.0 * dpi)
    y, printed = _lines(draw, [title], margin, int(1.1 * dpi), width, int(dpi * 20 / 72), centred=True)
    size, bottom = int(dpi * 14 / 72), image.height - int(1.0 * dpi)
    for line in body.split("\n"):
        for part in _wrap(line.strip(), _pil_font(size), width):
            if y + size > bottom:
                return image, "\n".join(printed)
            y, done = _lines(draw, [part], margin, y, width, size)
            printed += done
    return image, "\n".join(printed)


def render_columns(seed: int, dpi: int) -> tuple[Image.Image, str]:
    rng = random.Random(seed)
    image, draw = _page(dpi)
    margin = int(0.7 * dpi)
    column = (image.width - 3 * margin) // 2
    head = f"创城工作简报（第{rng.randint(2, 30)}期）"
    y, printed = _lines(draw, [head], margin, int(0.9 * dpi), image.width - 2 * margin, int(dpi * 20 / 72), centred=True)
    texts = []
    for c in range(2):
        paragraphs = compose_paragraphs(rng, TOPICS[(seed + c) % len(TOPICS)], 2023 + c, 3)
        texts.append(_lines(draw, paragraphs, margin + c * (column + margin), y + dpi // 5, column, int(dpi * 12 / 72))[1])
    return image, "\n".join(printed + texts[0] + texts[1])


def render_table(seed: int, dpi: int) -> tuple[Image.Image, str]:
    """A statistics table: items down, years across, figures in ruled cells."""
    rng = random.Random(seed)
    image, draw = _page(dpi)
    margin = int(1.0 * dpi)
    first = 2021 + seed % 3
    title = f"云岚市{first}—{first + 2}年志愿服务工作统计表"
    y, printed = _lines(draw, [title], margin, int(1.1 * dpi), image.width - 2 * margin, int(dpi * 18 / 72), centred=True)
    items = ["注册志愿者（人）", "志愿服务组织（个）", "开展活动（场次）", "服务时长（小时）", "新时代文明实践站（个）",
             "参与群众（人次）", "公益广告（处）", "文明单位（个）"]
    rows = [["项目"] + [f"{first + k}年" for k in range(3)]]
    rows += [[item] + [str(rng.randint(12, 98000)) for _ in range(3)] for item in items]
    font = _pil_font(int(dpi * 12 / 72))
    widths = [int(2.6 * dpi)] + [int(1.35 * dpi)] * 3
    height = int(font.size * 2.2)
    y += dpi // 4
    for r, row in enumerate(rows):
        x = margin
        for w, cell in zip(widths, row):
            draw.rectangle((x, y, x + w, y + height), outline=(30, 30, 30), width=max(1, dpi // 100))
            draw.text((x + (w - font.getlength(cell)) / 2, y + (height - font.size) / 2 - 2), cell, font=font, fill=(20, 20, 20))
            x += w
        y += height
    return image, "\n".join(printed + ["\t".join(row) for row in rows])


def dust(image: Image.Image, rng: random.Random) -> Image.Image:
    draw = ImageDraw.Draw(image)
    for _ in range(image.width * image.height // 5000):
        draw.point((rng.randrange(image.width), rng.randrange(image.height)), fill=(110, 110, 110))
    return image


def stamp(image: Image.Image, centre: tuple[int, int], dpi: int, rng: random.Random) -> Image.Image:
    """A red seal pressed over the text: ring, star and the issuer's name around the ring; the
    ink multiplies with what is under it (black text stays black, as on paper)."""
    radius = int(0.8 * dpi)
    seal = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(seal)
    cx, cy = centre[0] + rng.randint(-dpi // 8, dpi // 8), centre[1] + rng.randint(-dpi // 8, dpi // 8)
    red = (215 + rng.randint(-15, 15), 40, 45)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(3, dpi // 30))
    star = _pil_font(int(radius * 0.7))
    draw.text((cx - star.getlength("★") / 2, cy - radius * 0.45), "★", font=star, fill=red)
    letter = _pil_font(int(radius * 0.26))
    for k, ch in enumerate(ISSUER):                 # the name around the upper ring
        glyph = Image.new("L", (letter.size * 2, letter.size * 2), 0)
        ImageDraw.Draw(glyph).text((letter.size // 2, letter.size // 2), ch, font=letter, fill=255)
        angle = 200 + k * (140 / (len(ISSUER) - 1))
        glyph = glyph.rotate(-(angle - 270), resample=Image.BICUBIC)
        gx = cx + (radius * 0.72) * math.cos(math.radians(angle)) - glyph.width / 2
        gy = cy + (radius * 0.72) * math.sin(math.radians(angle)) - glyph.height / 2
        seal.paste(red, (int(gx), int(gy)), glyph)
    seal = seal.filter(ImageFilter.GaussianBlur(dpi / 200))       # ink spreads a little
    return ImageChops.multiply(image, seal)


def skew(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.choice((-1, 1)) * rng.uniform(0.5, 3.0)
    return image.rotate(angle, resample=Image.BICUBIC, fillcolor="white")


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def noisy_jpeg(image: Image.Image, rng: random.Random) -> Image.Image:
    noise = Image.effect_noise(image.size, 28).convert("RGB")
    noisy = Image.blend(image, ImageChops.multiply(image, noise.point(lambda v: min(255, v + 60))), 0.5)
    return _jpeg(noisy, rng.randint(35, 50))


def _light(size: tuple[int, int], rng: random.Random, darkest: float) -> Image.Image:
    """A lighting mask: bright on one side, `darkest` (0-1) of full light on the other."""
    ramp = Image.linear_gradient("L").resize(size)
    if rng.random() < 0.5:
        ramp = ramp.transpose(Image.Transpose.ROTATE_90).resize(size)
    low = int(255 * darkest)
    return ramp.point(lambda v: 255 - (255 - low) * v // 255).convert("RGB")


def uneven_light(image: Image.Image, rng: random.Random) -> Image.Image:
    return ImageChops.multiply(image, _light(image.size, rng, rng.uniform(0.62, 0.75)))


def phone_photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """The page photographed at a slant on a desk: perspective, lamp light, soft focus, JPEG."""
    width, height = image.size
    desk = Image.new("RGB", (int(width * 1.18), int(height * 1.12)), (92 + rng.randint(-10, 10), 78, 64))
    jitter = [rng.uniform(0.0, 0.06) for _ in range(8)]
    # Corners of the page in the photo: top narrower than bottom (taken from above the bottom edge).
    corners = [(desk.width * (0.09 + jitter[0]), desk.height * (0.05 + jitter[1] / 2)),
               (desk.width * (0.91 - jitter[2]), desk.height * (0.05 + jitter[3] / 2)),
               (desk.width * (0.97 - jitter[4] / 3), desk.height * (0.96 - jitter[5] / 3)),
               (desk.width * (0.03 + jitter[6] / 3), desk.height * (0.96 - jitter[7] / 3))]
    coefficients = _perspective(corners, [(0, 0), (width, 0), (width, height), (0, height)])
    mask = Image.new("L", image.size, 255).transform(desk.size, Image.Transform.PERSPECTIVE, coefficients, Image.BILINEAR)
    paper = image.transform(desk.size, Image.Transform.PERSPECTIVE, coefficients, Image.BICUBIC)
    desk.paste(paper, (0, 0), mask)
    photo = ImageChops.multiply(desk, _light(desk.size, rng, rng.uniform(0.7, 0.82)))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))
    return _jpeg(photo, rng.randint(70, 82))


def _perspective(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """Pillow's 8 coefficients mapping output pixels (`source` corners) back to the input (`target`)."""
    import numpy

    rows, values = [], []
    for (x, y), (u, v) in zip(source, target):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return list(numpy.linalg.solve(numpy.array(rows, float), numpy.array(values, float)))


def make_scan(folder: Path, seed: int, condition: str, dpi: int = 200, *, name: str | None = None,
              text: str | None = None) -> ScanPage:
    """One page of `condition` written into `folder` (PNG, or JPEG where the condition is one);
    `text` (a title line, then the body) is set instead of a generated notice (not for the
    two_columns and table conditions)."""
    rng = random.Random(seed * 31 + CONDITIONS.index(condition))
    if text is not None:
        image, printed = render_text(text, dpi)
        page = ScanPage(Path(), printed, condition, dpi, printed.split("\n", 1)[0])
        seal_at = (int(image.width * 0.68), int(image.height * 0.8))
        if condition == "stamped":
            image = stamp(image, seal_at, dpi, rng)
    elif condition == "two_columns":
        image, text = render_columns(seed, dpi)
        page = ScanPage(Path(), text, condition, dpi)
    elif condition == "table":
        image, text = render_table(seed, dpi)
        page = ScanPage(Path(), text, condition, dpi, text.split("\n", 1)[0])
    else:
        image, page, seal_at = render_notice(seed, dpi)
        page.condition = condition
        if condition == "stamped":
            image = stamp(image, seal_at, dpi, rng)
    image = dust(image, rng)
    if condition in ("stamped", "skewed"):
        image = skew(image, rng)
    transform = {"noisy_jpeg": noisy_jpeg, "uneven_light": uneven_light, "phone_photo": phone_photo}.get(condition)
    if transform:
        image = transform(image, rng)
    folder.mkdir(parents=True, exist_ok=True)
    jpeg = condition in ("noisy_jpeg", "phone_photo")
    page.path = folder / (name or f"{condition}-{dpi}-{seed}.{'jpg' if jpeg else 'png'}")
    image.save(page.path, "JPEG" if jpeg else "PNG", dpi=(dpi, dpi), **({"quality": 92} if jpeg else {}))
    return page


def make_scan_set(folder: Path, *, per_condition: int = 2, seed: int = 0,
                  conditions: tuple[str, ...] = CONDITIONS) -> list[ScanPage]:
    """Every condition `per_condition` times (clean at 150, 200 and 300 dpi in turn)."""
    pages = []
    for c, condition in enumerate(conditions):
        for k in range(per_condition):
            dpi = (150, 300, 200)[k % 3] if condition == "clean" else 200
            pages.append(make_scan(folder, seed + 10 * c + k, condition, dpi))
    return pages
