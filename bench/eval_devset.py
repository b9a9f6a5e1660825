"""Score year and kind detection against the labelled development set.

    python bench/eval_devset.py [--devset PATH] [--json]

Default devset: ../shared/devset beside the repository (labels.jsonl + docs/NNN.txt). The texts
are read at run time and never copied into the project.

A document is its title + "\\n" + its text, as a file made from the page would be. Its date is
the page's date read from the page address, passed as `issue_date` — the counterpart of the date
the archive reads from a real file (signature or metadata). The labels were fixed from that date
where the text has no year (see their `note`), so the figure without it is printed as well.

Metrics are functions of the loaded items returning a `Metric`; to add one, append it to
METRICS. "years_exact_text_only" is scored on the documents whose labels the text determines
(labels fixed from the page date are reported apart). Tags: bench/eval_tags.py. The last line
printed is one JSON object with the figures.
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossier.judge import detect_kind  # noqa: E402
from dossier.judge import detect_years  # noqa: E402

DEFAULT_DEVSET = ROOT.parent / "shared" / "devset"
KIND_OF_LABEL = {"statistics": "statistics", "activity": "activity", "institutional": "activity"}


@dataclass
class Item:
    id: str
    title: str
    document: str                       # title + "\n" + text
    label: dict
    page_date: datetime.date | None


@dataclass
class Metric:
    name: str
    correct: int = 0
    total: int = 0
    misses: list[dict] = field(default_factory=list)
    extra: dict = field(default_factory=dict)   # more figures for the final JSON line
    table: str = ""                             # printed after the accuracy line

    @property
    def accuracy(self) -> float:
        return round(self.correct / self.total, 3) if self.total else 0.0


def _date(year: int, month: int = 1, day: int = 1) -> datetime.date | None:
    if not 1990 <= year <= datetime.date.today().year + 1:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def page_date_from_url(url: str) -> datetime.date | None:
    """The date news sites and government portals write into page addresses:
    /2022-09/12/, /2020-09-23/, /202206/23/, /t20210607_1.html, /20190731/, /2025/0314/,
    /2022/11/21/, /202201/ (month only), /2012/ (year only), /19/1210/ (two-digit year)."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for i, seg in enumerate(segments):
        nxt = segments[i + 1] if i + 1 < len(segments) else ""
        nxt2 = segments[i + 2] if i + 2 < len(segments) else ""
        seg = re.sub(r"\.\w+$", "", seg)
        found = None
        if m := re.fullmatch(r"t?(\d{4})(\d{2})(\d{2})(?:\d{6})?(?:_\d+)?", seg):
            found = _date(int(m[1]), int(m[2]), int(m[3]))
        elif m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", seg):
            found = _date(int(m[1]), int(m[2]), int(m[3]))
        elif (m := re.fullmatch(r"(\d{4})-(\d{2})", seg)) and re.fullmatch(r"\d{2}", nxt):
            found = _date(int(m[1]), int(m[2]), int(nxt))
        elif m := re.fullmatch(r"(\d{4})(\d{2})", seg):
            found = _date(int(m[1]), int(m[2]), int(nxt) if re.fullmatch(r"\d{2}", nxt) else 1)
        elif m := re.fullmatch(r"(\d{4})", seg):
            if d := re.fullmatch(r"(\d{2})(\d{2})", nxt):
                found = _date(int(m[1]), int(d[1]), int(d[2]))
            elif re.fullmatch(r"\d{1,2}", nxt) and re.fullmatch(r"\d{1,2}", nxt2):
                found = _date(int(m[1]), int(nxt), int(nxt2))
            else:
                found = _date(int(m[1]))
        elif (m := re.fullmatch(r"(\d{2})", seg)) and (d := re.fullmatch(r"(\d{2})(\d{2})", nxt)):
            found = _date(2000 + int(m[1]), int(d[1]), int(d[2]))
        if found:
            return found
    return None


def load_devset(path: Path) -> list[Item]:
    items = []
    for line in (path / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        text = (path / "docs" / f"{label['id']}.txt").read_text(encoding="utf-8")
        items.append(Item(label["id"], label["title"], label["title"] + "\n" + text, label,
                          page_date_from_url(label.get("url", ""))))
    return items


def evaluate_years(items: list[Item], *, use_page_date: bool = True) -> Metric:
    """Exact-set accuracy of detect_years against the labelled years."""
    metric = Metric("years" if use_page_date else "years_text_only")
    for item in items:
        got = detect_years(item.title, item.document, issue_date=item.page_date if use_page_date else None)
        expected = sorted(item.label["years"])
        metric.total += 1
        if list(got.years) == expected:
            metric.correct += 1
        else:
            metric.misses.append({"id": item.id, "expected": expected, "got": list(got.years),
                                  "reason": f"{got.reason} ({got.source}, {got.confidence})"})
    return metric


def evaluate_kinds(items: list[Item]) -> Metric:
    """Accuracy of detect_kind; an institutional label counts as activity."""
    metric = Metric("kind")
    confusion: Counter = Counter()
    for item in items:
        got = detect_kind(item.title, item.document)
        expected = KIND_OF_LABEL[item.label["kind"]]
        confusion[(item.label["kind"], got.kind)] += 1
        metric.total += 1
        if got.kind == expected:
            metric.correct += 1
        else:
            metric.misses.append({"id": item.id, "expected": expected, "got": got.kind,
                                  "reason": f"{got.reason} ({got.confidence})"})
    metric.table = _confusion_table(confusion)
    return metric


def _confusion_table(confusion: Counter) -> str:
    columns = ["statistics", "activity", None]
    rows = ["statistics", "activity", "institutional"]
    lines = ["  label \\ got     " + "".join(f"{str(c):>12}" for c in columns)]
    for row in rows:
        lines.append(f"  {row:<16}" + "".join(f"{confusion[(row, c)]:>12}" for c in columns))
    return "\n".join(lines)


PAGE_DATE_NOTES = ("依网址日期", "网址日期", "报纸日期")


def from_page_date(item: Item) -> bool:
    """Labels fixed from the page's date: the text alone cannot give them (reported apart)."""
    return any(note in (item.label.get("note") or "") for note in PAGE_DATE_NOTES)


def evaluate_text_years(items: list[Item]) -> Metric:
    """Years without the page date, on the documents whose text determines them."""
    metric = evaluate_years([i for i in items if not from_page_date(i)], use_page_date=False)
    apart = evaluate_years([i for i in items if from_page_date(i)], use_page_date=False)
    metric.extra = {"years_page_date_labels_text_only": apart.accuracy, "years_page_date_labels": apart.total}
    return metric


# (name in the summary, function). The tags are scored by bench/eval_tags.py (codes.jsonl).
METRICS = [
    ("years_exact", evaluate_years),
    ("years_exact_text_only", evaluate_text_years),
    ("kind", evaluate_kinds),
]


def run(devset: Path) -> tuple[list[Metric], dict]:
    items = load_devset(devset)
    started = time.perf_counter()
    metrics = [fn(items) for _, fn in METRICS]
    elapsed = time.perf_counter() - started
    summary: dict = {"documents": len(items)}
    for (key, _), metric in zip(METRICS, metrics):
        summary[key] = metric.accuracy
        summary.update(metric.extra)
    summary["ms_per_doc"] = round(1000 * elapsed / max(1, len(items) * len(metrics)), 2)
    return metrics, summary


def devset_arguments(argv: list[str] | None, description: str, needed: str) -> argparse.Namespace | None:
    """--devset and --json, shared by the devset benches; None (after saying why) when the devset
    lacks the file `needed`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--json", action="store_true", help="print one JSON object with figures and misses")
    args = parser.parse_args(argv)
    if not (args.devset / needed).is_file():
        print(f"no {needed} in {args.devset}", file=sys.stderr)
        return None
    return args


def main(argv: list[str] | None = None) -> int:
    args = devset_arguments(argv, __doc__.splitlines()[0], "labels.jsonl")
    if args is None:
        return 1
    metrics, summary = run(args.devset)
    return report(metrics, summary, args.json)


def report(metrics: list[Metric], summary: dict, as_json: bool) -> int:
    """Print the figures (each metric with its misses, then one JSON line), or only the JSON."""
    if as_json:
        summary["misses"] = {m.name: m.misses for m in metrics}
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    for metric in metrics:
        print(f"{metric.name}: {metric.accuracy:.3f} ({metric.correct}/{metric.total})")
        if metric.table:
            print(metric.table)
        for miss in metric.misses:
            title = f" {miss['title']}" if miss.get("title") else ""
            print(f"  miss {miss['id']}{title}: expected {miss['expected']} got {miss['got']} — {str(miss['reason'])[:90]}")
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
