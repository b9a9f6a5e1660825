"""How good are the indicator suggestions on real documents? Scored against the devset's codes.

    python bench/eval_tags.py [--devset PATH] [--json]

`codes.jsonl` names, for each document, the indicator codes of the civilized-city system a careful
data-group member could file it under (best first). A suggestion is acceptable when its code is
one of them. Printed:

* with no decisions (the rules alone): the share of documents with at least one suggestion,
  with a tag over the threshold, the first suggestion acceptable, an acceptable code among the
  first three;
* with the learned model: the documents are cut in two halves (odd and even positions); the
  model learns the codes of one half as if people had filed them, and the other half is scored,
  then the other way round (two-fold cross-validation; the figures are the mean).

The texts are read at run time and never copied into the project. Figures only: nothing here
is a test.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.textnorm import normalize_text  # noqa: E402
from bench.eval_devset import DEFAULT_DEVSET, Item, Metric, devset_arguments, load_devset, report  # noqa: E402
from dossier.judge import DecisionModel, Example, Tagger, merge, rank_by_rules  # noqa: E402
from dossier.systems import load_system  # noqa: E402


@dataclass
class Scored:
    suggested: int = 0
    tagged: int = 0
    first: int = 0
    top3: int = 0
    total: int = 0


def load_codes(devset: Path) -> dict[str, set[str]]:
    rows = [json.loads(line) for line in (devset / "codes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: set(row["codes"]) for row in rows}


def _score(items: list[Item], codes: dict[str, set[str]], tagger: Tagger, model: DecisionModel | None,
           misses: list[dict] | None = None) -> Scored:
    scored = Scored()
    for item in items:
        title, text = normalize_text(item.title), normalize_text(item.document)
        candidates, by_rules = rank_by_rules(tagger.system, title, text, [], None)
        ranked = merge(by_rules, model.suggest(title, text) if model is not None else [])
        wanted = codes[item.id]
        scored.total += 1
        scored.suggested += bool(ranked)
        scored.tagged += bool(tagger.choose(candidates))
        scored.first += bool(ranked) and ranked[0].code in wanted
        scored.top3 += bool(wanted & {s.code for s in ranked})
        if misses is not None and not (ranked and ranked[0].code in wanted):
            misses.append({"id": item.id, "expected": sorted(wanted), "got": [s.code for s in ranked],
                           "reason": ranked[0].reason if ranked else "无建议", "title": item.title[:40]})
    return scored


def evaluate_tags(items: list[Item], devset: Path = DEFAULT_DEVSET) -> Metric:
    """First suggestion acceptable with the rules alone (no decisions)."""
    return score_tags(items, load_codes(devset), Tagger(load_system("civilized-city")))


def score_tags(items: list[Item], codes: dict[str, set[str]], tagger: Tagger) -> Metric:
    """The rules' suggestions against acceptable `codes` by document id."""
    metric = Metric("tags")
    started = time.perf_counter()
    scored = _score(items, codes, tagger, None, metric.misses)
    metric.correct, metric.total = scored.first, scored.total
    n = scored.total or 1
    metric.extra = {"tags_suggested": round(scored.suggested / n, 3), "tags_over_threshold": round(scored.tagged / n, 3),
                    "tags_first": round(scored.first / n, 3), "tags_top3": round(scored.top3 / n, 3),
                    "tags_ms_per_doc": round(1000 * (time.perf_counter() - started) / n, 2)}
    return metric


def evaluate_learned(items: list[Item], devset: Path = DEFAULT_DEVSET) -> Metric:
    """Two-fold cross-validation: learn one half's codes, score the other half, both ways."""
    codes, tagger = load_codes(devset), Tagger(load_system("civilized-city"))
    halves = (items[0::2], items[1::2])
    metric = Metric("tags_learned")
    folds = []
    for train, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        model = DecisionModel([Example(k, normalize_text(i.title), normalize_text(i.document), tuple(sorted(codes[i.id])))
                               for k, i in enumerate(train)])
        folds.append(_score(test, codes, tagger, model, metric.misses))
    metric.correct = sum(f.first for f in folds)
    metric.total = sum(f.total for f in folds)
    n = metric.total or 1
    metric.extra = {"learned_first": round(metric.correct / n, 3), "learned_top3": round(sum(f.top3 for f in folds) / n, 3),
                    "learned_suggested": round(sum(f.suggested for f in folds) / n, 3)}
    return metric


def main(argv: list[str] | None = None) -> int:
    args = devset_arguments(argv, __doc__.splitlines()[0], "codes.jsonl")
    if args is None:
        return 1
    items = load_devset(args.devset)
    metrics = [evaluate_tags(items, args.devset), evaluate_learned(items, args.devset)]
    summary: dict = {"documents": len(items)}
    for metric in metrics:
        summary.update(metric.extra)
    return report(metrics, summary, args.json)

if __name__ == "__main__":
    sys.exit(main())
