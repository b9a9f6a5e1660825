"""python -m examples {city|malformed} DEST ...: the project's generated test material.

    python -m examples city DEST [--docs N] [--seed S] [--assessment-year Y]   (= python -m examples.city)
    python -m examples malformed DEST                                           the malformed-input suite
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("city", "malformed") or len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv[0] == "city":
        from examples.city import main as city_main
        return city_main(argv[1:])
    from examples.malformed import build_malformed
    cases = build_malformed(Path(argv[1]))
    counts = Counter(case.expect for case in cases)
    print(f"{len(cases)} cases in {argv[1]}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for case in cases:
        print(f"  {case.expect:9} {case.name:28} {case.why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
