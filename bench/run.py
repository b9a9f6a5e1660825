"""The benchmark: how fast ingest, search and build are as a city's archive grows.

    python bench/run.py --docs 10000 [--engine whoosh,tantivy] [--json] [--keep DIR] [--pdf]

One run generates an example city of N documents (examples/city.py, fixed seed), then measures:
ingest (docs/s, MB/s), the extraction floor (the same files through the extractors alone, with
the same number of processes) and the ingest/floor ratio; search p50/p95 over 50 queries and the
same queries with ripgrep (or grep) over the extracted text, with the recall of both against a
plain substring scan (a search is what `dossier search` does: the complete ranked list of
matching documents, and snippets for the first 20); the docx build of all volumes (pdf with --pdf); re-ingest of the unchanged
tree; index size and reindex time; peak memory. With several engines, each gets its own
workspace on the same corpus, measured in a process of its own (its peak memory is its own). Prints a table and a final JSON line. Targets (issue 7) are reported, never
asserted.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import catalogue  # noqa: E402
from archive.extract import extract_document  # noqa: E402
from archive.ingest import walk_sources  # noqa: E402
from dossier import operations as ops  # noqa: E402

SEARCH_PAGE = 20        # hits with snippets, as `dossier search` shows by default
TARGETS = {"ingest_docs_per_s": 50, "ingest_floor_ratio": 1.5, "search_p95_ms": 50, "search_speedup_vs_grep": 20,
           "reingest_s": 5, "build_docx_s": 60, "peak_rss_mib": 1024}


def _queries(system_file: Path, count: int = 50) -> list[str]:
    """Indicator keywords of the system, the words auditors search for, deterministically chosen."""
    import yaml

    data = yaml.safe_load(system_file.read_text(encoding="utf-8"))
    words: list[str] = []
    for part in data["parts"]:
        for content in part["contents"]:
            for indicator in content["indicators"]:
                words.extend(k for k in indicator.get("keywords", []) if 2 <= len(k) <= 8)
    unique = sorted(set(words), key=lambda w: (hash_key(w), w))
    return unique[:count]


def hash_key(word: str) -> int:
    import hashlib

    return int(hashlib.sha256(word.encode()).hexdigest()[:8], 16)


def _extract_one(args: tuple[str, str]):
    path, name = args
    return extract_document(Path(path), name).status


def extraction_floor(src: Path, workers: int) -> float:
    files = [(str(c.path), c.display.rsplit("/", 1)[-1]) for c in walk_sources([src]) if not (c.skip or c.problem)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_extract_one, files, chunksize=8))
    return time.perf_counter() - start


def _texts(conn) -> dict[int, str]:
    """Title and text of every document, as ripgrep and the recall check see them."""
    return {doc_id: f"{title}\n{text}" for doc_id, title, text in
            catalogue.titled_texts(conn, catalogue.all_document_ids(conn))}


def _grep_tool() -> list[str]:
    if shutil.which("rg"):
        return ["rg", "-l", "-F", "--no-messages", "-e"]
    return ["grep", "-rlF", "-e"]


def measure_search(ws, queries: list[str], text_dir: Path, texts: dict[int, str]) -> dict:
    with ops.searching(ws) as search:   # the index stays open, as in a long-lived process
        return _measure_search(search, queries, text_dir, texts)


def _measure_search(search, queries: list[str], text_dir: Path, texts: dict[int, str]) -> dict:
    engine_ms, grep_ms, engine_found, grep_found, relevant = [], [], 0, 0, 0
    tool = _grep_tool()
    search(queries[0])
    for query in queries:
        truth = {doc_id for doc_id, text in texts.items() if query in text}
        t0 = time.perf_counter()
        # What `dossier search` does: every match, ranked, and the snippets of the first page.
        hits = set(search(query, limit=SEARCH_PAGE).ids)
        engine_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        result = subprocess.run([*tool, query, str(text_dir)], capture_output=True, text=True)
        grep_ms.append((time.perf_counter() - t0) * 1000)
        grep_hits = {int(Path(line).stem) for line in result.stdout.splitlines() if line.strip()}
        relevant += len(truth)
        engine_found += len(truth & hits)
        grep_found += len(truth & grep_hits)
    engine_ms.sort()
    grep_ms.sort()

    def pct(values, q):
        return values[min(len(values) - 1, int(len(values) * q))]

    return {"queries": len(queries), "search_p50_ms": round(statistics.median(engine_ms), 2),
            "search_p95_ms": round(pct(engine_ms, 0.95), 2), "grep_p50_ms": round(statistics.median(grep_ms), 2),
            "grep_p95_ms": round(pct(grep_ms, 0.95), 2), "grep_tool": tool[0],
            "search_speedup_vs_grep": round(statistics.median(grep_ms) / max(statistics.median(engine_ms), 1e-6), 1),
            "search_recall": round(engine_found / relevant, 4) if relevant else 1.0,
            "grep_recall": round(grep_found / relevant, 4) if relevant else 1.0}


def measure_build(ws, formats: set[str]) -> tuple[float, int]:
    """`dossier build` as a user runs it (missing years from coverage included)."""
    start = time.perf_counter()
    outcome = ops.build(ws, formats=formats)
    return time.perf_counter() - start, len(outcome.result.built)


def run(docs: int, keep: Path | None, pdf: bool, workers: int, engines: list[str]) -> dict:
    """Generate (or reuse) the city, measure the extraction floor once, then each engine on its
    own workspace. One engine: today's keys; several: `<engine>.<key>` for each."""
    from examples.city import generate_city

    base = keep or Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    src = base / "材料"
    figures: dict = {"docs_requested": docs, "workers": workers}
    if not (src / ".manifest.json").exists():
        t0 = time.perf_counter()
        generate_city(src, docs=docs)
        figures["generate_s"] = round(time.perf_counter() - t0, 1)
    size = sum(p.stat().st_size for p in src.rglob("*") if p.is_file() and not p.is_symlink())
    before = _cpu_seconds()
    figures["floor_s"] = round(extraction_floor(src, workers), 2)
    figures["floor_cpu_s"] = round(_cpu_seconds()[1] - before[1], 1)
    for n, engine in enumerate(engines):
        measured = _apart(run_engine, engine, src, base / f"ws-{engine}", size, workers, figures["floor_s"],
                          build=n == 0, pdf=pdf)
        figures.update(measured if len(engines) == 1 else {f"{engine}.{k}": v for k, v in measured.items()})
    if keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return figures


def _apart(function, *args, **kwargs):
    """Run `function` in a fresh interpreter, so the peak memory and processor time it reports
    are its own (not the corpus generator's or another engine's)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args, **kwargs).result()


def run_engine(engine: str, src: Path, ws_root: Path, size: int, workers: int, floor_s: float, *,
               build: bool, pdf: bool) -> dict:
    """Ingest, re-ingest, search, reindex (and, once, build) on a fresh workspace of `engine`."""
    figures: dict = {"engine": engine}
    shutil.rmtree(ws_root, ignore_errors=True)
    ws, _ = ops.init(ws_root, assessment_year=2026, engine=engine)
    before = _cpu_seconds()
    t0 = time.perf_counter()
    # `dossier ingest` (judging included) with OCR off: OCR has its own benchmark (ocr_cer.py).
    summary = ops.ingest(ws, [src], workers=workers, ocr="off")
    ingest_s = time.perf_counter() - t0
    after = _cpu_seconds()
    # Where ingest's processor time goes: this process (catalogue, tagging, index writing) and
    # the workers (extraction and analysis), against the floor's workers (extraction alone).
    figures["ingest_cpu_main_s"] = round(after[0] - before[0], 1)
    figures["ingest_cpu_workers_s"] = round(after[1] - before[1], 1)
    files = summary.added + summary.duplicates + len(summary.failed)
    figures.update(ingest_s=round(ingest_s, 2), files=files, added=summary.added, failed=len(summary.failed),
                   ingest_docs_per_s=round(files / ingest_s, 1), ingest_mb_per_s=round(size / 2**20 / ingest_s, 2),
                   ingest_floor_ratio=round(ingest_s / floor_s, 2))
    figures["peak_rss_ingest_mib"] = _peak_rss_mib()
    t0 = time.perf_counter()
    again = ops.ingest(ws, [src], workers=workers, ocr="off")
    figures["reingest_s"] = round(time.perf_counter() - t0, 2)
    figures["reingest_added"] = again.added
    conn = catalogue.connect(ws.catalog_path)
    texts = _texts(conn)
    conn.close()
    text_dir = ws_root.parent / "texts"
    if not text_dir.is_dir():
        text_dir.mkdir()
        for doc_id, text in texts.items():
            (text_dir / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    figures.update(measure_search(ws, _queries(ROOT / "schemas" / "civilized-city.yaml"), text_dir, texts))
    figures["index_mib"] = round(sum(p.stat().st_size for p in ws.index_dir.rglob("*") if p.is_file()) / 2**20, 1)
    t0 = time.perf_counter()
    ops.reindex(ws)
    figures["reindex_s"] = round(time.perf_counter() - t0, 2)
    if build:
        figures["build_docx_s"], figures["volumes"] = (round(v, 2) if isinstance(v, float) else v
                                                        for v in measure_build(ws, {"docx"}))
        if pdf:
            figures["build_pdf_s"] = round(measure_build(ws, {"pdf"})[0], 2)
    figures["peak_rss_mib"] = _peak_rss_mib()
    return figures


def _cpu_seconds() -> tuple[float, float]:
    """Processor time (user + system) used so far by this process and by its ended workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _peak_rss_mib() -> float:
    """The largest resident set so far of this process or any of its workers."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(max(own, children), 1)


def _verdicts(figures: dict) -> dict:
    lower_is_better = {"ingest_floor_ratio", "search_p95_ms", "reingest_s", "build_docx_s", "peak_rss_mib"}
    out = {}
    for key, value in figures.items():
        target = TARGETS.get(key.rsplit(".", 1)[-1])
        if target is not None and isinstance(value, (int, float)):
            out[key] = value <= target if key.rsplit(".", 1)[-1] in lower_is_better else value >= target
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="Keep the corpus and workspace here (reused if present).")
    parser.add_argument("--pdf", action="store_true", help="Also build the PDF volumes (LibreOffice; slow).")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", action="store_true", help="Only the JSON line.")
    parser.add_argument("--engine", default="whoosh",
                        help="Engines to measure side by side, comma-separated: whoosh, tantivy (default whoosh).")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engine.split(",") if e.strip()]
    figures = run(args.docs, args.keep, args.pdf, args.workers, engines)
    figures["targets_met"] = _verdicts(figures)
    if not args.json:
        for key, value in figures.items():
            if key != "targets_met":
                mark = {True: "  ok", False: "  MISSED"}.get(figures["targets_met"].get(key), "")
                short = key.rsplit(".", 1)[-1]
                target = f"  (target {TARGETS[short]})" if short in TARGETS else ""
                print(f"{key:28} {value}{target}{mark}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
