"""Server-side latency of the workbench's pages: the search page and the coverage matrix.

    python bench/web_latency.py --docs 10000 [--keep DIR]      generate (or reuse) a city and ingest it
    python bench/web_latency.py --workspace DIR                 an existing workspace

Requests go through the whole application (routing, session, operations, templates) in this
process, with Starlette's TestClient: the time a server spends on a page, without the network.
The search page runs the benchmark's 50 queries; the matrix page is asked 20 times. Prints a
table and a final JSON line. Targets (issue 14: search page p95 ≤ 100 ms, matrix ≤ 300 ms) are
reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import _queries  # noqa: E402
from dossier import operations as ops  # noqa: E402

TARGETS = {"search_page_p95_ms": 100, "matrix_page_p95_ms": 300}
USER, PASSWORD = "bench", "bench-password-2026"


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * q))], 1)


def _timed(client, url: str, params: dict | None = None) -> float:
    t0 = time.perf_counter()
    response = client.get(url, params=params)
    elapsed = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def measure(ws) -> dict:
    from starlette.testclient import TestClient

    import web

    ops.users.add_user(ws, USER, "viewer", PASSWORD)
    client = TestClient(web.create_app(ws))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": USER, "password": PASSWORD, "csrf": token})
    queries = _queries(ROOT / "schemas" / "civilized-city.yaml")
    _timed(client, "/search", {"q": queries[0]})          # warm: templates compiled, index opened once
    search_ms = [_timed(client, "/search", {"q": q}) for q in queries]
    matrix_ms = [_timed(client, "/coverage") for _ in range(20)]
    ops.users.remove_user(ws, USER)
    return {"documents": ops.status(ws)["documents"], "engine": ws.config.engine, "queries": len(queries),
            "search_page_p50_ms": round(statistics.median(search_ms), 1), "search_page_p95_ms": _pct(search_ms, 0.95),
            "matrix_page_p50_ms": round(statistics.median(matrix_ms), 1), "matrix_page_p95_ms": _pct(matrix_ms, 0.95)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workspace", type=Path, help="Measure this workspace as it is.")
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="Keep the generated city and workspace here (reused if present).")
    args = parser.parse_args()
    if args.workspace:
        ws = ops.open_workspace(args.workspace)
    else:
        from examples.city import generate_city

        base = args.keep or Path(tempfile.mkdtemp(prefix="dossier-web-bench-"))
        if not (base / "材料" / ".manifest.json").exists():
            generate_city(base / "材料", docs=args.docs)
        if (base / "工作区" / "dossier.toml").exists():
            ws = ops.open_workspace(base / "工作区")
        else:
            ws, _ = ops.init(base / "工作区", assessment_year=2026)
            ops.ingest(ws, [base / "材料"], ocr="off")
    figures = measure(ws)
    for key, value in figures.items():
        target = TARGETS.get(key)
        mark = "" if target is None else f"  (target {target})  " + ("ok" if value <= target else "MISSED")
        print(f"{key:22} {value}{mark}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
