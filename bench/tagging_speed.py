"""How long the tagger takes on one 5,000-character document (the judging step of ingest).

    python bench/tagging_speed.py [--runs 50]

Prints the median and p95 of `Tagger.suggest` over the runs and a final JSON line; the target
(median ≤ 10 ms, from the tagging issue) is reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dossier.judge import Tagger  # noqa: E402
from dossier.systems import load_system  # noqa: E402

TARGET_MEDIAN_MS = 10
PARAGRAPH = ("为深入推进学雷锋志愿服务，市文明办组织开展2024年志愿服务活动。全年新增注册志愿者12000人，"
             "开展文明交通劝导活动86场，公益广告刊播3000余条，食品安全抽检合格率98%。城市管理、社区服务、"
             "未成年人思想道德建设等各项工作稳步推进，群众满意率不断提高。")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    tagger = Tagger(load_system("civilized-city"))
    text = (PARAGRAPH * 60)[:5000]
    tagger.suggest("2024年工作总结", text, ["市文明办/总结.docx"], "市文明办")      # warm: patterns compiled
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        tagger.suggest("2024年工作总结", text, ["市文明办/总结.docx"], "市文明办")
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median = round(statistics.median(times), 2)
    figures = {"runs": args.runs, "chars": len(text), "suggest_median_ms": median,
               "suggest_p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
               "target_median_ms": TARGET_MEDIAN_MS, "target_met": median <= TARGET_MEDIAN_MS}
    for key, value in figures.items():
        print(f"{key:18} {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
