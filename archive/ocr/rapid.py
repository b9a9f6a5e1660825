"""RapidOCR: PP-OCR's detection and recognition models run by onnxruntime, the default engine.

Why: on the project's scans it reads Chinese characters and digits several times more
accurately than tesseract chi_sim (bench/ocr_cer.py; the README has the table), the models ship
inside the `rapidocr` wheel (nothing is downloaded at run time) and onnxruntime runs on the CPU.

- The page is prepared as for tesseract (archive.ocr.prepare: seal removed, characters ~26 px,
  straight, one column): two columns side by side would otherwise be read across.
- One engine per thread with one onnxruntime thread each: the OCR phase reads pages in
  parallel, one per core (measured: 1.6 s a page wall on 2 cores against 1.8 s with one page
  at a time using both cores).
- Its text lines come back as boxes; boxes on one row are one line, far-apart boxes on a row
  are cells of a table and stay apart (a tab between them).
- A page scanned sideways (its text lines stand upright: tesseract's orientation detection, when
  installed, tells which way) or upside down (read without the
  line-direction classifier, its confidence is low) is turned and read again; the turn read
  most surely wins.
"""
from __future__ import annotations

import functools
import importlib.metadata
import threading

from PIL import Image

from archive.ocr.cleanup import clean_ocr_text
from archive.ocr import tesseract
from archive.ocr.prepare import prepare, straighten, to_gray
from common.errors import OcrError, OcrUnavailable
from common.messages import _

CELL_GAP = 1.5          # a gap wider than this many line heights separates two table cells
TURN_BELOW = 80         # confidence (0-100) under which a page with upright boxes is tried turned
_local = threading.local()


@functools.lru_cache(maxsize=1)
def rapidocr_status() -> str | None:
    """None when RapidOCR and onnxruntime can be imported, else why not (in Chinese)."""
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except Exception as exc:  # ImportError, or a broken native library
        return _("文字识别引擎 RapidOCR 不可用（{exc}）；请重新运行 scripts/setup.sh，或在 dossier.toml 的 [ocr] 中设 "
                 "engine = \"tesseract\"").format(exc=type(exc).__name__)
    return None


@functools.lru_cache(maxsize=1)
def rapidocr_version() -> str:
    """"rapidocr 3.10.0": the models are inside the wheel, so its version names them too."""
    return f"rapidocr {importlib.metadata.version('rapidocr')}"


def _engine():
    engine = getattr(_local, "engine", None)
    if engine is None:
        if (reason := rapidocr_status()):
            raise OcrUnavailable(reason)
        from rapidocr import RapidOCR

        engine = _local.engine = RapidOCR(params={
            "Global.log_level": "critical",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
    return engine


def _boxes(page: Image.Image) -> list[tuple[float, float, float, float, str, float]]:
    """(left, top, right, bottom, text, score) of each text line RapidOCR found. Without the
    classifier that turns upside-down lines: a page upside down then reads with low confidence,
    which tells it (and a scan's lines are all one way up)."""
    import numpy

    try:
        result = _engine()(numpy.asarray(page.convert("RGB")), use_cls=False)
    except OcrUnavailable:
        raise
    except Exception as exc:  # onnxruntime's and OpenCV's errors on a page they cannot take
        raise OcrError(_("RapidOCR 识别这一页失败：{kind}：{exc}").format(kind=type(exc).__name__, exc=exc)) from exc
    if result.boxes is None or not result.txts:
        return []
    out = []
    for box, text, score in zip(result.boxes, result.txts, result.scores):
        xs, ys = [float(p[0]) for p in box], [float(p[1]) for p in box]
        out.append((min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return out


def _rows(boxes: list[tuple]) -> list[list[tuple]]:
    """Boxes grouped into rows: a box belongs to a row when its middle lies within the row's band."""
    rows: list[list[tuple]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        middle = (box[1] + box[3]) / 2
        if rows and rows[-1][0][1] <= middle <= rows[-1][0][3]:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b[0]) for row in rows]


def _text(boxes: list[tuple]) -> tuple[str, float]:
    lines, weighted, weight = [], 0.0, 0
    for row in _rows(boxes):
        height = max(b[3] - b[1] for b in row)
        line = row[0][4]
        for before, box in zip(row, row[1:]):
            line += ("\t" if box[0] - before[2] > CELL_GAP * height else " ") + box[4]
        lines.append(line)
        for box in row:
            weighted += box[5] * len(box[4])
            weight += len(box[4])
    return "\n".join(lines), (100.0 * weighted / weight if weight else 100.0)


def _upright_boxes(boxes: list[tuple]) -> bool:
    """Most text lines taller than wide: the page lies on its side."""
    tall = sum(1 for b in boxes if (b[3] - b[1]) > 1.5 * (b[2] - b[0]))
    return tall > len(boxes) / 2


def read_page(image: Image.Image) -> tuple[str, float]:
    """The clean text of one page image and RapidOCR's confidence in it (0-100)."""
    gray = to_gray(image)          # once: the turns below start from it
    page = prepare(gray)
    if page is None:
        return "", 100.0
    boxes = _boxes(page)
    text, confidence = _text(boxes)
    sideways = bool(boxes) and _upright_boxes(boxes)
    turns = (90, 270) if sideways else (180,) if boxes and confidence < TURN_BELOW else ()
    if sideways and tesseract.tesseract_status() is None:
        # RapidOCR reads a sideways page's lines either way up as surely; tesseract's orientation
        # detection tells which way the page lies.
        told = tesseract.orientation(straighten(gray) or gray)
        turns = (told,) if told in turns else turns
    # A sideways page is read turned whatever its confidence (its lines read well, their order
    # does not); an upside-down one only if turning reads it more surely.
    best = None if sideways else (text, confidence)
    for angle in turns:
        # From the unprepared page: a sideways page's lines were taken for columns.
        turned = prepare(gray.rotate(angle, expand=True, fillcolor=255))
        if turned is not None:
            read = _text(_boxes(turned))
            best = read if best is None or read[1] > best[1] else best
    text, confidence = best or (text, confidence)
    return clean_ocr_text(text), confidence
