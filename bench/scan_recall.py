"""Search recall on scanned documents, against grep on the text as search reads it.

    python bench/scan_recall.py [--per-condition 2] [--terms 30] [--seed 0] [--keep DIR]

examples/scans.py's pages (every condition; some set in traditional characters) are ingested with
OCR into a fresh workspace. For each document, phrases of 2-6 characters are drawn from what was
printed on the page and kept where the OCR text holds them too ("wherever the OCR text is
right"); each is searched in simplified and in traditional characters. Recall: the share of
(phrase, document) pairs whose document the search finds. Exact: the share of phrases whose hits
equal grep's set over every document's folded text. Prints a table, then one JSON line.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from archive.searchtext import searchable  # noqa: E402
from dossier import operations as ops  # noqa: E402
from examples.scans import CONDITIONS, make_scan, make_scan_set, notice  # noqa: E402

TO_TRADITIONAL = opencc.OpenCC("s2t")
RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def write_scans(folder: Path, per_condition: int, seed: int) -> dict[str, str]:
    """Scan file name -> the text printed on it."""
    pages = make_scan_set(folder, per_condition=per_condition, seed=seed)
    for k in range(per_condition * 2):          # reposts in traditional characters
        number, title, body, _ = notice(seed + 500 + k)
        text = TO_TRADITIONAL.convert("\n".join([title, number, *body]))
        pages.append(make_scan(folder, seed + 500 + k, ("clean", "stamped", "skewed")[k % 3], 200,
                               name=f"繁体-{k}.png", text=text))
    return {page.path.name: page.text for page in pages}


def folded_texts(ws) -> tuple[dict[int, str], dict[int, str]]:
    """Per document: its folded searchable text, and the name of its scan."""
    texts, names = {}, {}
    for doc in ops.list_docs(ws):
        detail = ops.document(ws, str(doc["id"]))
        body = "\n".join(page["text"] for page in detail["page_texts"])
        texts[doc["id"]] = searchable(doc["title"] or "") + "\n\n" + searchable(body)
        names[doc["id"]] = Path(doc["sources"][0]).name
    return texts, names


def draw_terms(printed: str, ocr_text: str, rng: random.Random, count: int) -> list[str]:
    runs = RUN.findall(searchable(printed))
    terms: set[str] = set()
    for _ in range(count * 20):
        if len(terms) >= count or not runs:
            break
        run = rng.choice(runs)
        size = rng.randint(2, min(6, len(run)))
        start = rng.randint(0, len(run) - size)
        term = run[start:start + size]
        if term in ocr_text:
            terms.add(term)
    return sorted(terms)


def measure(ws, printed: dict[str, str], terms_per_doc: int, seed: int) -> dict:
    texts, names = folded_texts(ws)
    rng = random.Random(seed)
    found = tried = exact = queries = 0
    misses = []
    with ops.searching(ws) as search:
        for doc_id, name in sorted(names.items()):
            for term in draw_terms(printed.get(name, ""), texts[doc_id], rng, terms_per_doc):
                expected = {i for i, text in texts.items() if term in text}
                for query in (term, TO_TRADITIONAL.convert(term)):
                    hits = {hit.id for hit in search(query, limit=None).hits}
                    tried, queries = tried + 1, queries + 1
                    found += doc_id in hits
                    exact += hits == expected
                    if doc_id not in hits:
                        misses.append((name, query))
    return {"documents": len(names), "queries": queries, "recall": found / max(tried, 1),
            "exact_set": exact / max(queries, 1), "misses": misses[:10]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-condition", type=int, default=2)
    parser.add_argument("--terms", type=int, default=30, help="phrases drawn per document")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the scans and the workspace here")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="scan-recall-"))
    printed = write_scans(base / "扫描件", args.per_condition, args.seed)
    ws, _ = ops.init(base / "工作区", assessment_year=2026)
    started = time.perf_counter()
    summary = ops.ingest(ws, [base / "扫描件"])
    figures = measure(ws, printed, args.terms, args.seed) | {
        "scans": len(printed), "conditions": len(CONDITIONS), "ingest_s": round(time.perf_counter() - started, 1),
        "failed": len(summary.failed)}
    print(f"{figures['scans']} scans ({figures['conditions']} conditions + traditional reposts), "
          f"ingest with OCR {figures['ingest_s']} s, failed {figures['failed']}")
    print(f"{'queries':>8} {'recall':>8} {'exact set':>10}")
    print(f"{figures['queries']:>8} {figures['recall']:>8.3f} {figures['exact_set']:>10.3f}")
    for name, query in figures["misses"]:
        print(f"  missed: {query} in {name}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
