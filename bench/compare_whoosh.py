"""Measure the installed `whoosh` distribution on our recall test and on speed.

Run it once per distribution (each in its own environment) and compare the JSON lines:
    python bench/compare_whoosh.py [--docs 2000] [--terms 400]
It builds a synthetic Chinese corpus from a fixed phrase bank, indexes it with our analyzer
(archive.index.whoosh_engine), and checks every drawn 2–6 character term against a plain substring
scan of the same texts (the grep set).
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import whoosh  # noqa: E402

from archive.index import IndexedText  # noqa: E402
from archive.textnorm import CJK_CLASS  # noqa: E402
from archive.index import open_index_at  # noqa: E402

PHRASES = ["志愿服务活动", "注册志愿者人数", "未成年人思想道德建设", "文明交通劝导", "公共文化服务体系",
           "社区志愿服务站", "学雷锋志愿服务", "文明城市创建工作", "市民文明素质", "城市管理综合执法",
           "生态环境保护", "空气质量优良天数", "垃圾分类工作", "诚信体系建设", "道德模范评选",
           "家庭教育指导", "心理健康教育", "校外活动场所", "公益广告宣传", "新时代文明实践中心"]
SEPARATORS = ["，", "。", "", "、", "\n", "2024年", "共计1200人"]


def corpus(n: int, rng: random.Random) -> list[str]:
    return ["".join(rng.choice(PHRASES) + rng.choice(SEPARATORS) for _ in range(rng.randint(20, 120)))
            for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--terms", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(3)
    texts = corpus(args.docs, rng)
    with tempfile.TemporaryDirectory() as tmp:
        backend = open_index_at(Path(tmp) / "ix", "whoosh")
        start = time.perf_counter()
        backend.rebuild(IndexedText(i, f"材料{i}", t) for i, t in enumerate(texts))
        index_s = time.perf_counter() - start
        runs = [r for t in texts for r in re.findall(f"[{CJK_CLASS}]{{2,}}", t)]
        terms = set()
        while len(terms) < args.terms:
            run = rng.choice(runs)
            size = rng.randint(2, min(6, len(run)))
            at = rng.randint(0, len(run) - size)
            terms.add(run[at:at + size])
        exact, times = 0, []
        for term in sorted(terms):
            t0 = time.perf_counter()
            got = {h.doc_id for h in backend.search(term)}
            times.append(time.perf_counter() - t0)
            exact += got == {i for i, t in enumerate(texts) if term in t}
        backend.close()
    times.sort()
    print(json.dumps({"whoosh": whoosh.versionstring(), "docs": args.docs, "terms": len(terms),
                      "exact_terms": exact, "recall_exact_share": exact / len(terms),
                      "index_s": round(index_s, 2), "docs_per_s": round(args.docs / index_s, 1),
                      "search_p50_ms": round(statistics.median(times) * 1000, 2),
                      "search_p95_ms": round(times[int(len(times) * 0.95)] * 1000, 2)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
