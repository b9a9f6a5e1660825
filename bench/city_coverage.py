"""Does `dossier coverage` report what the example city's manifest says its files prove?

    python bench/city_coverage.py [--docs 150] [--seed 20260526] [--ocr auto] [--keep DIR] [--json]

Generates the example city exactly as scripts/demo.sh does (examples/city.py, --docs 150,
--assessment-year 2026, default seed and formats), creates a civilized-city workspace
(assessment year 2026, deadline 2026-05-26), ingests the city (OCR of scans included, so this
takes a few minutes) and takes the coverage report. Then, for each of the system's
material-review indicators, compares the manifest's `coverage` with the tool's: the status and,
per evidence kind, the present years. Prints one line per disagreement (code, name, kind,
manifest present vs tool present), the count of indicators that agree, then one JSON line.
With --keep DIR the city (DIR/材料) and workspace (DIR/工作区) stay for inspection
(`cd DIR/工作区 && dossier docs --json`, `dossier show ID`) and are reused if present.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dossier import operations as ops  # noqa: E402
from examples.agreement import compare  # noqa: E402

ASSESSMENT_YEAR = 2026
DEADLINE = dt.date(2026, 5, 26)


def prepare(base: Path, docs: int, seed: int, ocr: str) -> tuple[dict, dict, dict]:
    """City and workspace under `base` (reused when already there); returns the manifest, the
    tool's coverage as JSON, and timings/counts."""
    from examples.city import generate_city

    src, ws_dir = base / "材料", base / "工作区"
    figures: dict = {}
    if not (src / ".manifest.json").exists():
        t0 = time.perf_counter()
        generate_city(src, docs=docs, seed=seed, assessment_year=ASSESSMENT_YEAR)
        figures["generate_s"] = round(time.perf_counter() - t0, 1)
    manifest = json.loads((src / ".manifest.json").read_text(encoding="utf-8"))
    ws, created = ops.init(ws_dir, system_id="civilized-city", assessment_year=ASSESSMENT_YEAR, deadline=DEADLINE)
    if created:
        t0 = time.perf_counter()
        summary = ops.ingest(ws, [src], ocr=ocr)
        figures.update(ingest_s=round(time.perf_counter() - t0, 1), added=summary.added,
                       failed=len(summary.failed))
    view = ops.coverage(ws)
    return manifest, view.report.as_json(), figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=150, help="as scripts/demo.sh (DEMO_DOCS)")
    parser.add_argument("--seed", type=int, default=20260526, help="examples.city's default, as demo.sh")
    parser.add_argument("--ocr", default="auto", help="ingest's OCR setting (auto, as `dossier ingest`)")
    parser.add_argument("--keep", type=Path, help="Keep the city and workspace here (reused if present).")
    parser.add_argument("--json", action="store_true", help="Only the JSON line.")
    args = parser.parse_args(argv)

    base = args.keep or Path(tempfile.mkdtemp(prefix="dossier-city-coverage-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        manifest, tool, figures = prepare(base, args.docs, args.seed, args.ocr)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    rows, agree, total = compare(manifest, tool)
    if not args.json:
        for r in rows:
            if r["status"]:
                print(f"{r['code']:8} {r['name']}  status: manifest {r['manifest']} vs tool {r['tool']}")
            else:
                print(f"{r['code']:8} {r['name']}  {r['kind']}: manifest {r['manifest']} vs tool {r['tool']}"
                      f"  ({r['manifest_status']} vs {r['tool_status']})")
        print(f"{agree} of {total} indicators agree ({total - agree} disagree)")
    figures.update(docs=args.docs, seed=args.seed, indicators=total, agree=agree, disagree=total - agree,
                   disagreements=[{k: r[k] for k in ("code", "kind", "manifest", "tool")} for r in rows])
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
