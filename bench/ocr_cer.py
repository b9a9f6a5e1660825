"""OCR quality and speed on generated scans: character error rate (CER) per condition and engine.

    python bench/ocr_cer.py [--per-condition 3] [--workers N] [--engines rapidocr,tesseract] [--compare]

The scans are examples/scans.py's: notices and tables rendered from the project's own text,
clean at 150/200/300 dpi, stamped, skewed, noisy JPEG, unevenly lit, photographed by a phone,
two columns, a table of figures. CER = edit distance / reference length, counted apart on
Chinese characters and on digits (whitespace and punctuation ignored); seconds a page is the
wall time with `--workers` pages in parallel. Both engines run in one run, side by side.
`--compare` also runs the older plain set (examples/docgen scans) through plain tesseract
calls, to show what each preparation step of archive.ocr buys. Prints a table, then one JSON line.
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
from archive.ocr.cleanup import clean_ocr_text  # noqa: E402
from archive.ocr.images import load_page  # noqa: E402
from archive.ocr.prepare import prepare  # noqa: E402
from archive.ocr.tesseract import tesseract  # noqa: E402
from examples.scans import CONDITIONS, make_scan, make_scan_set  # noqa: E402
from archive.textnorm import CJK_CLASS, normalize_text  # noqa: E402
from examples.docgen import SC_INDEX, cjk_font_file, compose_paragraphs, write_image_pdf, write_scan_png  # noqa: E402

_SCORED = re.compile(f"[{CJK_CLASS}0-9]")
_HAN = re.compile(f"[{CJK_CLASS}]")
_DIGIT = re.compile("[0-9]")
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


def errors(reference: str, hypothesis: str, pattern: re.Pattern) -> tuple[int, int]:
    """(edit distance, reference length) over the characters `pattern` keeps."""
    ref = "".join(pattern.findall(normalize_text(reference)))
    return edit_distance(ref, "".join(pattern.findall(normalize_text(hypothesis)))), len(ref)


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
    return ocr.ocr_page(scan.path, "pdf" if scan.variant == "pdf" else "image", scan.page).text


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
        return clean_ocr_text(out)
    return run


def _gray_only(scan: Scan) -> str:
    """Our scaling, but the colour page merely converted to grey (seal kept, red header grey)."""
    image = load_page(scan.path, "pdf" if scan.variant == "pdf" else "image", scan.page).convert("L")
    prepared = prepare(image)
    return "" if prepared is None else clean_ocr_text(tesseract(prepared)[0])


CONFIGS = {
    "archive.ocr (rapidocr)": _ours,
    "tesseract --psm 3": _plain_tesseract(["-l", "chi_sim", "--psm", "3"]),
    "tesseract --psm 6": _plain_tesseract(["-l", "chi_sim", "--psm", "6"]),
    "tesseract chi_sim+eng": _plain_tesseract(["-l", "chi_sim+eng", "--psm", "3"]),
    "archive.ocr tesseract, grey instead of red handling": _gray_only,
}


def _timed_map(read, items: list, workers: int) -> tuple[list[str], float]:
    """What `read` gives for each item, and the wall seconds a page with `workers` in parallel."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        texts = list(pool.map(read, items))
    return texts, (time.perf_counter() - start) / max(1, len(items))


def measure_engine(pages: list, engine: str, workers: int) -> dict:
    """CER on Chinese characters and on digits per condition, and seconds a page, for one engine."""
    texts, seconds = _timed_map(lambda p: ocr.ocr_page(p.path, "image", 1, engine).text, pages, workers)
    by: dict[str, list[int]] = {}
    for page, text in zip(pages, texts):
        cell = by.setdefault(page.condition, [0, 0, 0, 0])
        for k, pattern in ((0, _HAN), (2, _DIGIT)):
            e, n = errors(page.text, text, pattern)
            cell[k] += e
            cell[k + 1] += n
    rate = lambda e, n: round(e / max(1, n), 4)  # noqa: E731
    total = [sum(c[k] for c in by.values()) for k in range(4)]
    return {"han": {c: rate(v[0], v[1]) for c, v in by.items()}, "digits": {c: rate(v[2], v[3]) for c, v in by.items()},
            "han_all": rate(total[0], total[1]), "digits_all": rate(total[2], total[3]),
            "seconds_per_page": round(seconds, 2), "pages": len(pages), "engine": ocr.engine_label(engine)}


def measure(scans: list[Scan], read, workers: int = 1) -> dict:
    """The plain set: CER per variant and overall, seconds a page (`workers` in parallel)."""
    texts, seconds = _timed_map(read, scans, workers)
    errs: dict[str, list[int]] = {}
    for scan, text in zip(scans, texts):
        pair = errs.setdefault(scan.variant, [0, 0])
        ref = scored(scan.text)
        pair[0] += edit_distance(ref, scored(text))
        pair[1] += len(ref)
    total_e, total_n = sum(e for e, _ in errs.values()), sum(n for _, n in errs.values())
    return {"cer": {variant: round(e / n, 4) for variant, (e, n) in errs.items()},
            "cer_all": round(total_e / max(1, total_n), 4), "wall_seconds_per_page": round(seconds, 2),
            "pages": len(scans)}


def devset_scans(folder: Path, out: Path, count: int) -> list:
    """The first `count` texts of `folder`, one a page, through the degraded conditions in turn
    (not two_columns or table: those need their own layout)."""
    conditions = [c for c in CONDITIONS if c not in ("two_columns", "table")]
    texts = sorted(folder.glob("*.txt"))[:count]
    return [make_scan(out, k, conditions[k % len(conditions)], 200, text=path.read_text(encoding="utf-8"))
            for k, path in enumerate(texts)]


def _print_engines(results: dict[str, dict]) -> None:
    names = list(results)
    print(f"{'condition':14s}" + "".join(f"{results[n]['engine'] + ' 汉字 / 数字':>34s}" for n in names))
    for condition in CONDITIONS:
        if condition in results[names[0]]["han"]:
            print(f"{condition:14s}" + "".join(f"{results[n]['han'][condition]:>24.2%} / {results[n]['digits'][condition]:>7.2%}"
                                               for n in names))
    print(f"{'all':14s}" + "".join(f"{results[n]['han_all']:>24.2%} / {results[n]['digits_all']:>7.2%}" for n in names))
    print(f"{'s/page':14s}" + "".join(f"{results[n]['seconds_per_page']:>34.2f}" for n in names), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-condition", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--compare", action="store_true", help="also measure plain tesseract settings on the plain set")
    parser.add_argument("--devset", type=Path, help="also set real texts as scans: a folder of .txt files "
                        "(../shared/devset/docs), read at run time, never stored")
    parser.add_argument("--devset-docs", type=int, default=14)
    args = parser.parse_args()
    engines = [e for e in args.engines.split(",") if e]
    for engine in engines:
        if (reason := ocr.engine_status(engine)):
            sys.exit(reason)
    with tempfile.TemporaryDirectory(prefix="ocr-cer-") as tmp:
        pages = make_scan_set(Path(tmp) / "field", per_condition=args.per_condition)
        results = {engine: measure_engine(pages, engine, args.workers) for engine in engines}
        _print_engines(results)
        real = {}
        if args.devset:
            real_pages = devset_scans(args.devset, Path(tmp) / "real", args.devset_docs)
            real = {engine: measure_engine(real_pages, engine, args.workers) for engine in engines}
            print(f"\nreal texts of {args.devset} set as scans ({len(real_pages)} pages):")
            _print_engines(real)
        compare = {}
        if args.compare:
            scans = make_scans(Path(tmp) / "plain", dpi=200, per_variant=args.per_condition)
            for name, read in CONFIGS.items():
                compare[name] = measure(scans, read, workers=args.workers)
                print(f"{name:52s} CER {compare[name]['cer_all']:.2%}  {compare[name]['wall_seconds_per_page']:.2f} s/page",
                      flush=True)
    print(json.dumps({"workers": args.workers, "engines": results, "devset": real or None,
                      "compare": {k: v["cer_all"] for k, v in compare.items()} or None}, ensure_ascii=False))


if __name__ == "__main__":
    main()
