"""Years, kind and tags on documents no rule was written from: the project's own outside set.

    python bench/eval_outside.py [--set bench/outside/docs.jsonl] [--json]

`bench/outside/docs.jsonl` holds fictional documents written for this purpose by a writer who
saw neither the rules, nor the vocabulary, nor the devset: genres and traps as the field has
them (relative years with a signature date, comparison years, history, targets, plans over
several years, school years, 文号, tables with year columns, reposts in traditional characters).
Each carries its labels: the years it covers, its kind, the indicator codes it could be filed
under. They were measured once before any rule was changed after reading them; the figures of
that first reading are the honest ones (see README). Nothing is asserted.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_devset import Item, evaluate_kinds, evaluate_years, report  # noqa: E402
from bench.eval_tags import score_tags  # noqa: E402
from dossier.judge import Tagger  # noqa: E402
from dossier.systems import load_system  # noqa: E402

DEFAULT_SET = ROOT / "bench" / "outside" / "docs.jsonl"


def load_outside(path: Path) -> tuple[list[Item], dict[str, set[str]]]:
    items, codes = [], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        items.append(Item(row["id"], row["title"], row["title"] + "\n" + row["text"], row, None))
        codes[row["id"]] = set(row["codes"])
    return items, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--json", action="store_true", help="one JSON object with figures and misses")
    args = parser.parse_args(argv)
    if not args.set.is_file():
        print(f"no outside set at {args.set}", file=sys.stderr)
        return 1
    items, codes = load_outside(args.set)
    years = evaluate_years(items, use_page_date=False)
    kinds = evaluate_kinds(items)
    tags = score_tags(items, codes, Tagger(load_system("civilized-city")))
    summary = {"documents": len(items), "years_exact": years.accuracy, "kind": kinds.accuracy, **tags.extra}
    return report([years, kinds, tags], summary, args.json)

if __name__ == "__main__":
    sys.exit(main())
