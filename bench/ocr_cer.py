"""OCR quality and speed on generated scans: character error rate (CER) per variant, seconds a page.

    python bench/ocr_cer.py [--dpi 200] [--per-variant 3] [--workers N] [--compare]

Pages are rendered from known Chinese text (examples/docgen.write_scan_png, A4, dust specks):
plain, rotated 1-3 degrees either way, with a red seal over the last lines, with a red header
line (红头), in two columns (简报), and an image-only PDF of stamped pages (rendered back by
pdftoppm). CER = edit
distance / reference length over Chinese characters and digits, whitespace and punctuation
ignored. `--compare` also runs plain tesseract calls (no preparation) to show what each step
of archive.ocr.engine buys. Prints a table, then one JSON line.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.ocr import engine as ocr  # noqa: E402
from archive.textnorm import CJK_CLASS, normalize_text  # noqa: E402
from examples.docgen import SC_INDEX, cjk_font_file, compose_paragraphs, write_image_pdf, write_scan_png  # noqa: E402

_SCORED = re.compile(f"[{CJK_CLASS}0-9]")
TOPICS = [["志愿服务", "文明交通", "未成年人"], ["公益广告", "垃圾分类", "文明餐桌"],
          ["道德模范", "诚信建设", "家庭教育"], ["社区治理", "移风易俗", "心理健康"]]
TITLES = ["关于开展{y}年志愿服务活动的通知", "{y}年文明城市创建工作总结", "关于印发{y}年未成年人思想道德建设工作要点的通知",
          "{y}年第三季度创城工作简报", "关于{y}年文明交通劝导活动情况的报告"]
RED_HEADER = "云岚市精神文明建设委员会办公室文件"


@dataclass
class Scan:
    path: Path
    text: str                 # what is printed on the page
    variant: str              # plain | rotated | stamped | red_header | columns | pdf
    page: int = 1             # page within `path` (PDFs)


def scored(text: str) -> str:
    """The characters CER counts: Chinese characters and digits (normalised, no spaces)."""
    return "".join(_SCORED.findall(normalize_text(text)))


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def char_error_rate(reference: str, hypothesis: str) -> float:
    ref = scored(reference)
    return edit_distance(ref, scored(hypothesis)) / max(1, len(ref))


def page_text(seed: int, paragraphs: int = 6) -> str:
    rng = random.Random(seed)
    year = 2022 + seed % 4
    title = TITLES[seed % len(TITLES)].format(y=year)
    return title + "\n" + "\n".join(compose_paragraphs(rng, TOPICS[seed % len(TOPICS)], year, paragraphs))


def _redden_first_line(path: Path, dpi: int) -> None:
    """Turn the page's first (title) line red, as on a 红头文件."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    top, bottom = int(0.8 * dpi), int(0.9 * dpi + dpi * 22 / 72 * 1.5)
    band = rgb.crop((0, top, rgb.width, bottom))
    dark = band.convert("L").point(lambda v: 255 if v < 160 else 0)
    band.paste((210, 25, 25), (0, 0), mask=dark)
    rgb.paste(band, (0, top))
    rgb.save(path, "PNG", dpi=(dpi, dpi))


def _write_columns_png(path: Path, texts: list[str], dpi: int) -> Path:
    """A page set in two columns (a 简报's layout), one text per column, in reading order."""
    from PIL import Image, ImageDraw, ImageFont

    width, height, margin = int(8.27 * dpi), int(11.69 * dpi), int(0.7 * dpi)
    font = ImageFont.truetype(str(cjk_font_file()), int(dpi * 12 / 72), index=SC_INDEX)
    column = (width - 3 * margin) // 2
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for c, text in enumerate(texts):
        x, y, line = margin + c * (column + margin), int(0.9 * dpi), ""
        for ch in text.replace("\n", "") + "\n":
            if ch == "\n" or font.getlength(line + ch) > column:
                draw.text((x, y), line, font=font, fill=0)
                y, line = y + int(font.size * 1.6), ""
            line += ch if ch != "\n" else ""
    image.save(path, "PNG", dpi=(dpi, dpi))
    return path


def make_scans(folder: Path, *, dpi: int = 200, per_variant: int = 3, seed: int = 0,
               variants: tuple[str, ...] = ("plain", "rotated", "stamped", "red_header", "columns", "pdf")) -> list[Scan]:
    """Write the scan set into `folder` and return it (deterministic for `seed`)."""
    folder.mkdir(parents=True, exist_ok=True)
    angles = [1.0, -2.0, 3.0, -1.5, 2.5]
    scans: list[Scan] = []
    for v, variant in enumerate(variants):
        pngs: list[tuple[Path, str]] = []
        for k in range(per_variant):
            s = seed + 100 * v + k
            if variant == "columns":
                texts = [page_text(s, 3), page_text(s + 50, 3)]
                pngs.append((_write_columns_png(folder / f"{variant}-{k + 1}.png", texts, dpi), "\n".join(texts)))
                continue
            text = page_text(s)
            if variant == "red_header":
                text = RED_HEADER + "\n" + text
            rotate = angles[k % len(angles)] if variant == "rotated" else (1.5 if variant == "stamped" and k % 2 else 0.0)
            path = write_scan_png(folder / f"{variant}-{k + 1}.png", text, rotate=rotate, stamp=variant in ("stamped", "pdf"),
                                  dpi=dpi)
            if variant == "red_header":
                _redden_first_line(path, dpi)
            pngs.append((path, text))
        if variant == "pdf":
            pdf = write_image_pdf(folder / "scan.pdf", [p for p, _ in pngs])
            scans += [Scan(pdf, text, variant, page) for page, (_, text) in enumerate(pngs, start=1)]
            for p, _ in pngs:
                p.unlink()
        else:
            scans += [Scan(p, text, variant) for p, text in pngs]
    return scans


# ---------------------------------------------------------------------------- configurations

def _ours(scan: Scan) -> str:
    return ocr.ocr_page(scan.path, "pdf" if scan.variant == "pdf" else "image", scan.page)


def _plain_tesseract(args: list[str]):
    """tesseract on the unprepared page (PDF pages rendered in grey at 300 dpi), text cleaned."""
    def run(scan: Scan) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            image = scan.path
            if scan.variant == "pdf":
                subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(scan.page),
                                "-l", str(scan.page), str(scan.path), f"{tmp}/p"], check=True)
                image = Path(tmp) / "p.png"
            out = subprocess.run(["tesseract", str(image), "stdout", *args], capture_output=True,
                                 env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout.decode()
        return ocr.clean_ocr_text(out)
    return run


def _gray_only(scan: Scan) -> str:
    """Our scaling, but the colour page merely converted to grey (seal kept, red header grey)."""
    image = ocr.load_page(scan.path, "pdf" if scan.variant == "pdf" else "image", scan.page).convert("L")
    prepared = ocr.prepare(image)
    return "" if prepared is None else ocr.clean_ocr_text(ocr.tesseract(prepared)[0])


CONFIGS = {
    "archive.ocr.engine": _ours,
    "tesseract --psm 3": _plain_tesseract(["-l", "chi_sim", "--psm", "3"]),
    "tesseract --psm 6": _plain_tesseract(["-l", "chi_sim", "--psm", "6"]),
    "tesseract --psm 1 (osd)": _plain_tesseract(["-l", "chi_sim", "--psm", "1"]),
    "tesseract chi_sim+eng": _plain_tesseract(["-l", "chi_sim+eng", "--psm", "3"]),
    "archive.ocr.engine, grey instead of red handling": _gray_only,
}


def measure(scans: list[Scan], read, workers: int = 1) -> dict:
    """CER per variant and overall, seconds per page (wall time / pages, `workers` in parallel)."""
    def timed(scan: Scan) -> tuple[Scan, str, float]:
        start = time.perf_counter()
        text = read(scan)
        return scan, text, time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(timed, scans))
    wall = time.perf_counter() - start
    errors: dict[str, list[int]] = {}
    for scan, text, _ in results:
        ref = scored(scan.text)
        pair = errors.setdefault(scan.variant, [0, 0])
        pair[0] += edit_distance(ref, scored(text))
        pair[1] += len(ref)
    total_e, total_n = sum(e for e, _ in errors.values()), sum(n for _, n in errors.values())
    return {"cer": {variant: round(e / n, 4) for variant, (e, n) in errors.items()},
            "cer_all": round(total_e / max(1, total_n), 4),
            "seconds_per_page": round(sum(t for *_, t in results) / len(results), 2),
            "wall_seconds_per_page": round(wall / len(results), 2), "pages": len(results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--per-variant", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--compare", action="store_true", help="also measure plain tesseract settings")
    args = parser.parse_args()
    if (reason := ocr.tesseract_status()):
        sys.exit(reason)
    with tempfile.TemporaryDirectory(prefix="ocr-cer-") as tmp:
        scans = make_scans(Path(tmp), dpi=args.dpi, per_variant=args.per_variant)
        report = {"dpi": args.dpi, "workers": args.workers, "configs": {}}
        for name, read in CONFIGS.items() if args.compare else [("archive.ocr.engine", _ours)]:
            result = measure(scans, read, workers=args.workers)
            report["configs"][name] = result
            cells = "  ".join(f"{v} {c:.2%}" for v, c in result["cer"].items())
            print(f"{name:44s} CER {result['cer_all']:.2%}  ({cells})  "
                  f"{result['seconds_per_page']:.2f} s/page, {result['wall_seconds_per_page']:.2f} s/page wall "
                  f"with {args.workers} workers", flush=True)
    ours = report["configs"]["archive.ocr.engine"]
    print(json.dumps({"cer": ours["cer"], "cer_all": ours["cer_all"], "seconds_per_page": ours["seconds_per_page"],
                      "wall_seconds_per_page": ours["wall_seconds_per_page"], "pages": ours["pages"],
                      "dpi": args.dpi, "workers": args.workers,
                      "compare": {k: v["cer_all"] for k, v in report["configs"].items()} if args.compare else None},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
