"""What whoosh's segment merging costs and saves: ingest a city one department at a time (each
run adds a segment, as a data group's daily ingests do), timing each run and the searches after
it; the run after which the segment count drops is the one that merged (`maintain()`, more than
MAX_SEGMENTS segments).

    python bench/segments.py [--docs 3000]

Prints one line per run and a final JSON line; nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import _queries  # noqa: E402
from dossier import operations as ops  # noqa: E402


def _search_ms(ws, queries: list[str]) -> float:
    with ops.searching(ws) as search:
        search(queries[0])
        times = []
        for query in queries:
            t0 = time.perf_counter()
            search(query)
            times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    from examples.city import generate_city

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=3000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="dossier-segments-"))
    generate_city(base / "材料", docs=args.docs)
    ws, _ = ops.init(base / "工作区", assessment_year=2026, engine="whoosh")
    queries = _queries(ROOT / "schemas" / "civilized-city.yaml")
    runs = []
    for department in sorted(p for p in (base / "材料").iterdir() if p.is_dir()):
        t0 = time.perf_counter()
        ops.ingest(ws, [department], department=department.name, ocr="off")
        seconds = round(time.perf_counter() - t0, 2)
        segments = len(list(ws.index_dir.glob("*.seg")))
        runs.append({"department": department.name, "ingest_s": seconds, "segments": segments,
                     "search_p50_ms": _search_ms(ws, queries)})
        print(json.dumps(runs[-1], ensure_ascii=False))
    merged = [i for i in range(1, len(runs)) if runs[i]["segments"] < runs[i - 1]["segments"]]
    summary = {"runs": len(runs), "docs": args.docs, "merges": len(merged),
               "merge_runs_ingest_s": [runs[i]["ingest_s"] for i in merged],
               "other_runs_ingest_s_median": statistics.median(r["ingest_s"] for i, r in enumerate(runs) if i not in merged),
               "search_p50_before_merge_ms": [runs[i - 1]["search_p50_ms"] for i in merged],
               "search_p50_after_merge_ms": [runs[i]["search_p50_ms"] for i in merged]}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
