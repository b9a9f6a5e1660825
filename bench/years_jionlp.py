"""Compare detect_years with a baseline built on jionlp's time parser, on the devset and on phrases.

    /tmp/jio/bin/python bench/years_jionlp.py [--devset PATH]

Needs jionlp and cn2an, installed in a separate venv — they are NOT dependencies of the project
(jionlp and its word segmenter jiojio take ~175 MB, unzip ~53 MB of dictionaries into their own
package folder at first import and print a banner to stdout). For example:

    python3.11 -m venv /tmp/jio
    /tmp/jio/bin/pip install jionlp cn2an jsonschema openpyxl tomli-w PyYAML scipy

(the last five are what `dossier.judge` imports; the project is put on sys.path, not installed).

Two settings: "no date" — detect_years without issue_date, jionlp with a time base in 1900 so that
relative years (今年, 近三年, 上年) fall outside 1950–2100 and are dropped; "page date" — both get the
page's date (detect_years as issue_date, jionlp as time base and as last resort when it finds
nothing, as detect_years does). The baseline reads the title first: the years of its time points
and spans if any, else the body's years named at least half as often as the most named one (a span
such as 2021—2025年 counts each of its years once). The devset texts are read at run time and never
copied; only ids and years are printed. The last line is one JSON object with the figures.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import io
import json
import os
import resource
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from eval_devset import DEFAULT_DEVSET, Item, load_devset  # noqa: E402

from dossier.judge import detect_years  # noqa: E402

_rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
_t0 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()) as _banner:      # jionlp and jiojio print at import
    import cn2an
    import jionlp as jio
IMPORT_S = time.perf_counter() - _t0
IMPORT_RSS_MB = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _rss0) / 1024
BANNER = _banner.getvalue().strip()

NOT_TEXT = ("依网址日期", "网址日期", "报纸日期")   # labels fixed from the page's date, not its text
NO_DATE = datetime.datetime(1900, 6, 15)            # relative years land near 1900 and are dropped
PLAUSIBLE = range(1950, 2101)
MAX_SPAN = 20                                        # as in years.py: longer spans are not periods
BASE = datetime.date(2024, 6, 15)                    # the date given to relative phrases below

PHRASES: list[tuple[str, datetime.date | None]] = [
    ("2021—2025年", None), ("2024-2026年", None), ("实施方案(2015-2020年)", None),
    ("2022年至2024年", None), ("2023-2024学年", None), ("2021学年", None), ("2020年度", None),
    ("二〇二三年", None), ("两千零二十三年", None), ("二〇二一—二〇二五年", None),
    ("“十三五”期间", None), ("“十四五”规划", None), ("十五五时期", None), ("第十四个五年规划", None),
    ("2024年1—6月", None), ("2023年上半年", None), ("2023年第一季度", None),
    ("近三年", BASE), ("近三年(2020-2022年)", None), ("上半年", BASE), ("前三季度", BASE),
    ("今年", None), ("今年", BASE), ("今年以来", BASE), ("去年", BASE), ("上年", BASE), ("明年", BASE),
    ("地区生产总值比上年增长5.2%", BASE), ("同比增长8%", BASE), ("较2020年下降3个百分点", None),
    ("与2020年相比", None), ("2020年同期", None), ("依据1982年宪法", None), ("庆祝建党100周年", None),
    ("到2025年,基本建成", None), ("2035年远景目标", None), ("20xx年", None), ("2018年以来", None),
    ("2018年以来", BASE), ("截至2019年末", None), ("2019、2020年", None),
    ("《2020中国城市统计年鉴》", None), ("发布时间:2023-01-10", None), ("〔2022〕12号", None),
    ("投入2000万元", None),
]


def entity_years(entity: dict) -> set[int]:
    """The calendar years of one parsed time point or span (deltas and periods give none)."""
    detail = entity.get("detail") or {}
    bounds = detail.get("time")
    if detail.get("type") not in ("time_point", "time_span") or not isinstance(bounds, list):
        return set()
    ends = [int(b[:4]) for b in bounds[:2] if b[:4].isdigit()]   # 'inf' / '-inf': open on that side
    if not ends:
        return set()
    start, end = min(ends), max(ends)
    if end - start > MAX_SPAN:
        return set()
    return {y for y in range(start, end + 1) if y in PLAUSIBLE}


def extract(text: str, base: datetime.datetime) -> list[dict]:
    try:
        return jio.ner.extract_time(text, time_base=base, with_parsing=True)
    except Exception:                                # a baseline: a parser failure finds nothing
        return []


def jionlp_years(title: str, body: str, page_date: datetime.date | None) -> tuple[tuple[int, ...], str]:
    base = datetime.datetime.combine(page_date, datetime.time()) if page_date else NO_DATE
    in_title = set().union(*(entity_years(e) for e in extract(title, base)))
    if in_title:
        return tuple(sorted(in_title)), "title"
    counts: Counter = Counter(y for e in extract(body, base) for y in entity_years(e))
    if counts:
        top = max(counts.values())
        return tuple(sorted(y for y, c in counts.items() if c >= top / 2)), "body"
    return ((page_date.year,), "date") if page_date else ((), "none")


def score(items: list[Item], use_date: bool) -> dict:
    """Exact-set accuracy of both methods over all items and the text-determinable ones."""
    result: dict = {"ours": Counter(), "jionlp": Counter(), "ms": Counter(), "diff": []}
    for item in items:
        date = item.page_date if use_date else None
        expected = tuple(sorted(item.label["years"]))
        textual = not any(k in item.label.get("note", "") for k in NOT_TEXT)
        t = time.perf_counter()
        ours = detect_years(item.title, item.document, issue_date=date).years
        t1 = time.perf_counter()
        theirs, _ = jionlp_years(item.title, item.document[len(item.title) + 1:], date)
        t2 = time.perf_counter()
        result["ms"]["ours"] += 1000 * (t1 - t)
        result["ms"]["jionlp"] += 1000 * (t2 - t1)
        for name, got in (("ours", ours), ("jionlp", theirs)):
            result[name]["all"] += got == expected
            result[name]["text"] += textual and got == expected
        if ours != theirs or ours != expected:
            result["diff"].append((item.id, expected, ours, theirs, textual))
    n, n_text = len(items), sum(not any(k in i.label.get("note", "") for k in NOT_TEXT) for i in items)
    result["n"], result["n_text"] = n, n_text
    for name in ("ours", "jionlp"):
        result[name + "_all"] = round(result[name]["all"] / n, 3)
        result[name + "_text"] = round(result[name]["text"] / n_text, 3)
        result[name + "_ms"] = round(result["ms"][name] / n, 2)
    return result


def show_years(years: tuple[int, ...] | set[int]) -> str:
    years = sorted(years)
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}..{years[-1]}"
    return ",".join(map(str, years)) or "—"


def pad(text: str, width: int) -> str:
    """Left-justify counting CJK characters as two columns, as terminals show them."""
    return text + " " * max(1, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))


def ours_on(title: str, text: str, base: datetime.date | None) -> str:
    got = detect_years(title, text, issue_date=base)
    return "—" if got.source in ("date", "none") else show_years(got.years)   # not the base's year


def phrase_rows() -> list[tuple[str, ...]]:
    """For each test phrase: ours reading it as body text, as a title, as a title after cn2an,
    and what jionlp extracts (entity → years)."""
    rows = []
    for phrase, base in PHRASES:
        with contextlib.redirect_stderr(io.StringIO()):          # cn2an warns on 十四五
            normal = cn2an.transform(phrase, "cn2an")
        after = ours_on(normal, normal, base) + (f" ({normal})" if normal != phrase else "")
        when = datetime.datetime.combine(base, datetime.time()) if base else NO_DATE
        found = [f"{e['text']}→{show_years(entity_years(e))}" for e in extract(phrase, when)]
        rows.append((phrase, str(base or ""), ours_on("", phrase, base), ours_on(phrase, phrase, base),
                     after, "; ".join(found) or "nothing"))
    return rows


def installed_mb(dists: tuple[str, ...] = ("jionlp", "jiojio", "cn2an", "proces", "zipfile36")) -> float:
    total = 0
    for name in dists:
        dist = importlib.metadata.distribution(name)
        total += sum(os.path.getsize(p) for f in dist.files or [] if os.path.isfile(p := dist.locate_file(f)))
    return round(total / 1e6, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    args = parser.parse_args(argv)
    items = load_devset(args.devset)
    extract("2021年", NO_DATE)                        # first call builds the parser: not per document
    print(f"jionlp {jio.__version__}, cn2an {cn2an.__version__}: import {IMPORT_S:.2f} s and "
          f"+{IMPORT_RSS_MB:.0f} MB peak RSS after the project's own imports, installed {installed_mb()} MB (without numpy, requests)")
    print(f"printed at import: {BANNER!r}\n")
    runs = {"no_date": score(items, use_date=False), "page_date": score(items, use_date=True)}
    n, n_text = runs["no_date"]["n"], runs["no_date"]["n_text"]
    print(f"{'devset, exact year set':<28}{'all ' + str(n):>10}{'text ' + str(n_text):>10}{'ms/doc':>9}")
    for setting, r in runs.items():
        for name in ("ours", "jionlp"):
            print(f"{name + ', ' + setting.replace('_', ' '):<28}{r[name + '_all']:>10.3f}"
                  f"{r[name + '_text']:>10.3f}{r[name + '_ms']:>9.2f}")
    print("\nno date — documents where a method misses (id: expected | ours | jionlp; * = not text-determinable)")
    for doc_id, expected, ours, theirs, textual in runs["no_date"]["diff"]:
        mark = " " if textual else "*"
        print(f" {mark}{doc_id}: {show_years(expected):<11}| {show_years(ours):<11}| {show_years(theirs)}")
    rows = phrase_rows()
    print(f"\nphrases (— = nothing; ours never falls back to the base date here)\n{'phrase':<22}{'base':<11}"
          f"{'ours body':<11}{'ours title':<11}{'ours title, cn2an text':<30}jionlp extract_time")
    for phrase, base, body, title, after, found in rows:
        print(pad(phrase, 26) + pad(base, 11) + pad(body, 11) + pad(title, 11) + pad(after, 36) + found)
    summary = {"jionlp_version": jio.__version__, "import_s": round(IMPORT_S, 2),
               "import_rss_mb": round(IMPORT_RSS_MB), "installed_mb": installed_mb(),
               "documents": n, "text_determinable": n_text}
    for setting, r in runs.items():
        for key in ("ours_all", "ours_text", "jionlp_all", "jionlp_text", "ours_ms", "jionlp_ms"):
            summary[f"{setting}_{key}"] = r[key]
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
