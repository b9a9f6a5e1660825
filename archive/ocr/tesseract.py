"""tesseract with its Simplified Chinese model (chi_sim): the fallback engine.

- one tesseract process per page with OMP_THREAD_LIMIT=1 (its OpenMP threads otherwise fight
  each other and the other pages' processes: 8-9 s a page instead of ~1.3 s);
- --psm 6 (one uniform block) on a page archive.ocr.prepare made one column;
- a page scanned sideways or upside down is turned by tesseract's orientation detection;
- tesseract's spaces between Chinese characters and its ASCII punctuation are undone
  (archive.ocr.cleanup).
"""
from __future__ import annotations

import functools
import io
import os
import re
import shutil
import subprocess

from PIL import Image

from archive.ocr.cleanup import clean_ocr_text
from archive.ocr.prepare import one_column, straighten
from common.errors import OcrError, OcrUnavailable
from common.messages import _

LANG = "chi_sim"
PSM = "6"                 # one uniform block (see archive.ocr.prepare.one_column for why)
LOW_CONFIDENCE = 60       # below this mean word confidence, check the page's orientation
TESSERACT_TIMEOUT = 180   # seconds for one page
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}

@functools.lru_cache(maxsize=1)
def tesseract_status() -> str | None:
    """None when tesseract and its Simplified Chinese model are installed, else why not."""
    if shutil.which("tesseract") is None:
        return _("文字识别未启用：未安装 tesseract；请安装 Debian 软件包 tesseract-ocr 和 tesseract-ocr-chi-sim"
                 "（sudo apt-get install tesseract-ocr tesseract-ocr-chi-sim）")
    try:
        result = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, env=_ENV)
    except (OSError, subprocess.SubprocessError) as exc:
        return _("文字识别未启用：tesseract 无法运行（{exc}）；请重新安装 Debian 软件包 tesseract-ocr").format(exc=exc)
    if LANG not in result.stdout.split():
        return _("文字识别未启用：tesseract 缺少简体中文模型；请安装 Debian 软件包 tesseract-ocr-chi-sim"
                 "（sudo apt-get install tesseract-ocr-chi-sim）")
    return None


def _tesseract(image: Image.Image, args: list[str]) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)       # through stdin: no temporary files
    try:
        result = subprocess.run(["tesseract", "stdin", "stdout", *args], input=buffer.getvalue(),
                                capture_output=True, timeout=TESSERACT_TIMEOUT, env=_ENV)
    except subprocess.TimeoutExpired:
        raise OcrError(_("tesseract 识别这一页超过 {seconds} 秒").format(seconds=TESSERACT_TIMEOUT)) from None
    except OSError as exc:
        raise OcrUnavailable(_("tesseract 无法运行：{exc}").format(exc=exc)) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {result.returncode}"]
        raise OcrError(_("tesseract 识别这一页失败：{detail}").format(detail=detail[0]))
    return result.stdout.decode("utf-8", "replace")


def tesseract(image: Image.Image) -> tuple[str, float]:
    """Raw text of a prepared page and tesseract's mean confidence (0-100) in it.

    The TSV output gives both in one run: words in reading order with their line numbers."""
    lines: dict[tuple[str, ...], list[str]] = {}
    confidence = weight = 0.0
    for row in _tesseract(image, ["-l", LANG, "--psm", PSM, "tsv"]).splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        lines.setdefault(tuple(cells[1:5]), []).append(cells[11])
        confidence += float(cells[10]) * len(cells[11])
        weight += len(cells[11])
    return "\n".join(" ".join(words) for words in lines.values()), confidence / weight if weight else 0.0


def orientation(image: Image.Image) -> int:
    """Degrees (Pillow's sense) that turn a sideways or upside-down page upright, by tesseract's
    orientation detection; 0 when it cannot tell (too little text)."""
    try:
        report = _tesseract(image, ["--psm", "0", "-l", "osd"])
    except OcrError:
        return 0
    match = re.search(r"Rotate: (\d+)", report)
    return -int(match.group(1)) % 360 if match else 0


@functools.lru_cache(maxsize=1)
def tesseract_version() -> str:
    """"tesseract 5.3.0": part of the OCR cache's key, so that an upgrade reads pages again."""
    try:
        first = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30,
                               env=_ENV).stdout.split("\n", 1)[0].strip()
    except (OSError, subprocess.SubprocessError):
        first = ""
    return first or "tesseract"


def read_page(image: Image.Image) -> tuple[str, float]:
    """The clean text of one page image and tesseract's confidence in it (0-100)."""
    page = straighten(image)
    if page is None:
        return "", 100.0
    text, confidence = tesseract(one_column(page))
    # Upright Chinese reads at 85-95; a page scanned sideways or upside down at 10-25. Only
    # then is orientation detection worth its 0.5 s.
    if text.strip() and confidence < LOW_CONFIDENCE and (angle := orientation(page)):
        # Straightened again: the line height of a sideways page could not be measured.
        turned = straighten(page.rotate(angle, expand=True, fillcolor=255))
        turned_text, turned_confidence = tesseract(one_column(turned)) if turned is not None else ("", 0.0)
        if turned_confidence > confidence:
            text, confidence = turned_text, turned_confidence
    return clean_ocr_text(text), confidence
