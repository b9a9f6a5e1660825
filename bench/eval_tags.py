"""How well do indicator tags fit real documents? Scored on the labelled development set.

    python bench/eval_tags.py [DEVSET]          # default /work/shared/devset

The devset's labels name a free Chinese theme per document ("政务公开/政务服务/廉政"), not an
indicator. THEME_FIT maps each theme to the parts (Ⅰ-n) and contents (Ⅱ-n) of
schemas/civilized-city.yaml that fit it, written by hand from the names of both. A document
counts as fitting when its top tag lies in one of them. The texts are read at run time and
never copied into the project.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.textnorm import normalize_text  # noqa: E402
from dossier.systems import load_system  # noqa: E402
from dossier.judge import Tagger  # noqa: E402

DEFAULT_DEVSET = Path("/work/shared/devset")

# theme → parts/contents of the civilized-city system that fit it (reasoned from the names):
THEME_FIT: dict[str, set[str]] = {
    # 政务公开 Ⅱ-2, 政务服务 = 行政效能 Ⅱ-3 (行政审批与政务服务中心), 廉政 = 廉政建设 Ⅱ-4
    "政务公开/政务服务/廉政": {"Ⅱ-2", "Ⅱ-3", "Ⅱ-4"},
    # the whole 民主公正的法治环境 Ⅰ-2 (普法 Ⅱ-6, 法律援助/调解 Ⅱ-8, 依法行政 Ⅱ-7); 信访 = 社会稳定 Ⅱ-29
    "法治宣传/普法/公共法律服务/信访": {"Ⅰ-2", "Ⅱ-29"},
    # 公平诚信的市场环境 Ⅰ-3; 食品安全 sits under 公共安全 Ⅱ-27 (Ⅲ-84 食品药品安全)
    "社会信用/诚信建设/市场监管/消费者权益/食品安全": {"Ⅰ-3", "Ⅱ-27"},
    # 核心价值体系宣传 Ⅱ-1 (Ⅲ-3), 道德模范/身边好人 Ⅱ-12, 志愿服务 Ⅱ-13 (Ⅲ-42) and Ⅱ-35 (学雷锋)
    "社会主义核心价值观/道德模范/身边好人/志愿服务/学雷锋": {"Ⅱ-1", "Ⅱ-12", "Ⅱ-13", "Ⅱ-35"},
    # 公益广告/全民阅读 Ⅱ-35, 文化惠民/图书馆 = 文化 Ⅱ-16, 新时代文明实践 = 群众性精神文明创建 Ⅱ-34
    "公益广告/新时代文明实践/全民阅读/文化惠民/图书馆": {"Ⅱ-16", "Ⅱ-34", "Ⅱ-35"},
    # 有利于青少年健康成长的社会文化环境 Ⅰ-5 (少年宫 Ⅱ-19, 校园周边 Ⅱ-20, 心理健康 Ⅲ-59)
    "未成年人思想道德建设/乡村学校少年宫/校园周边/心理健康": {"Ⅰ-5"},
    # 社会保障 Ⅱ-22 (养老), 城市公共设施 Ⅱ-23 (公交/无障碍/公厕), 市容环境 Ⅱ-24 (农贸市场), 社区服务 Ⅱ-25
    "社区服务/养老/公共交通/无障碍/农贸市场/公厕": {"Ⅱ-22", "Ⅱ-23", "Ⅱ-24", "Ⅱ-25"},
    # 安全稳定的社会环境 Ⅰ-7 (治安 Ⅱ-26, 安全生产/消防 Ⅱ-27, 应急 Ⅱ-28)
    "社会治安/平安建设/安全生产/应急管理/消防": {"Ⅰ-7"},
    # 可持续发展的生态环境 Ⅰ-8 (绿化/垃圾 Ⅱ-30, 空气/水 Ⅱ-31)
    "生态环境/空气质量/河长制/垃圾分类/园林绿化": {"Ⅰ-8"},
    # 组织领导与工作机制 Ⅱ-33 (动员/督查), 群众性精神文明创建 Ⅱ-34 (文明单位/家庭/校园), 创建成效 Ⅱ-36
    "创建工作动员/督查/测评迎检/文明单位/文明家庭/文明校园": {"Ⅱ-33", "Ⅱ-34", "Ⅱ-36"},
    # statistical bulletins: 经济发展与居民收入 Ⅱ-21 (统计公报 is its keyword), 社会保障与就业 Ⅱ-22
    "统计数据/统计公报/年鉴数据": {"Ⅱ-21", "Ⅱ-22"},
}


def _fits(codes: set[str], part: str, content: str) -> bool:
    return part in codes or content in codes


def evaluate_tags(devset_path: str | Path = DEFAULT_DEVSET, system_id: str = "civilized-city") -> dict:
    """Run the Tagger on title + text of every labelled document; returns the figures."""
    root = Path(devset_path)
    system = load_system(system_id)
    tagger = Tagger(system)
    labels = [json.loads(line) for line in (root / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = sorted({r["theme"] for r in labels} - set(THEME_FIT))
    if unknown:
        raise SystemExit(f"themes without a mapping in THEME_FIT: {unknown}")
    per_theme: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, times, n_tags, tagged, fit = [], [], [], 0, 0
    for rec in labels:
        text = normalize_text((root / "docs" / f"{rec['id']}.txt").read_text(encoding="utf-8"))
        title = normalize_text(rec["title"])
        start = time.perf_counter()
        tags = tagger.suggest(title, text, [], None)
        times.append(time.perf_counter() - start)
        n_tags.append(len(tags))
        tagged += bool(tags)
        wanted = THEME_FIT[rec["theme"]]
        ok = False
        if tags:
            top = system.indicator(tags[0].code)
            ok = _fits(wanted, top.part_code, top.content_code)
        fit += ok
        per_theme[rec["theme"]][0] += ok
        per_theme[rec["theme"]][1] += 1
        if not ok:
            misses.append({"id": rec["id"], "theme": rec["theme"], "title": rec["title"],
                           "top": f"{tags[0].code} {system.indicator(tags[0].code).name} ({tags[0].confidence}: {tags[0].reason})"
                           if tags else None})
    n = len(labels)
    return {
        "documents": n,
        "top_tag_fit": round(fit / n, 3),
        "coverage": round(tagged / n, 3),
        "mean_tags": round(sum(n_tags) / n, 2),
        "per_theme": {theme: {"fit": ok, "of": total} for theme, (ok, total) in sorted(per_theme.items())},
        "misses": misses,
        "ms_per_doc_median": round(statistics.median(times) * 1000, 3),
        "ms_per_doc_max": round(max(times) * 1000, 3),
    }


def main(argv: list[str]) -> None:
    result = evaluate_tags(argv[0] if argv else DEFAULT_DEVSET)
    print(f"documents {result['documents']}: top tag fits theme {result['top_tag_fit']:.1%}, "
          f"tagged {result['coverage']:.1%}, {result['mean_tags']} tags per document, "
          f"{result['ms_per_doc_median']} ms per document (max {result['ms_per_doc_max']})")
    for theme, row in result["per_theme"].items():
        print(f"  {row['fit']:>2}/{row['of']:<2} {theme}")
    print("misses:")
    for miss in result["misses"]:
        print(f"  {miss['id']} [{miss['theme'].split('/')[0]}] {miss['title'][:40]} → {miss['top'] or '（无标签）'}")
    summary = {k: v for k, v in result.items() if k not in ("misses", "per_theme")}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
