"""How long a person waits for the learned model after a decision, in a workspace of 10,000 documents.

    python bench/learning_speed.py [--docs 10000] [--decided 300]

Builds a real workspace (SQLite catalogue) of generated documents — each composed by the example
city's writer from one indicator's words, so documents of one indicator resemble each other as
real ones do — judged by the automatic pass, then files `--decided` of them as a person would.
Measured, with the learned model on:

* the first review after the upgrade: every document's vector is computed once and cached;
* a decision (`dossier tag`) and the review after it: one new vector, the model rebuilt;
* `dossier show` of one document after that decision.

Also printed: how often the first suggestion (rules and learned model merged) is the indicator
the document was written for, among undecided documents (generated text: easier than the field).
Nothing is asserted; the last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import catalogue  # noqa: E402
from dossier import operations as ops  # noqa: E402
from dossier.judge import VECTOR_CACHE, classify_documents, ranked_suggestions  # noqa: E402
from dossier.systems import load_system  # noqa: E402
from examples.compose import compose_paragraphs  # noqa: E402


def _fill(ws, docs: int, seed: int) -> dict[int, str]:
    """`docs` generated documents, judged; returns the indicator each was written for."""
    system = load_system("civilized-city")
    indicators = system.indicators()
    rng = random.Random(seed)
    written_for: dict[int, str] = {}
    conn = catalogue.connect(ws.catalog_path)
    try:
        with catalogue.Transaction(conn):
            for n in range(docs):
                ind = rng.choice(indicators)
                year = rng.choice((2023, 2024, 2025))
                words = [ind.name, *ind.keywords, *ind.vocabulary]
                pages = ["\n".join(compose_paragraphs(rng, words, year, rng.randint(4, 9), city="云岚市",
                                                      department=ind.lead))]
                title = f"{year}年{rng.choice(words)}工作情况（{n}）"
                doc = catalogue.NewDocument(f"{n:064x}", 1000, "txt", title, ind.lead, 1, None, None, None, [], "ok",
                                            None, [], 0.0, 1, pages)
                doc_id = catalogue.insert_document(conn, doc, f"/材料/{ind.lead}/{title}.txt")
                written_for[doc_id] = ind.code
            classify_documents(conn, system, sorted(written_for))
    finally:
        conn.close()
    return written_for


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - started, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--decided", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    figures: dict = {"docs": args.docs, "decided": args.decided}
    with tempfile.TemporaryDirectory(prefix="dossier-learning-") as tmp:
        ws, _ = ops.init(Path(tmp) / "工作区", assessment_year=2026)
        written_for, figures["fill_s"] = _timed(lambda: _fill(ws, args.docs, args.seed))
        ids = sorted(written_for)
        decided = random.Random(args.seed).sample(ids, args.decided)
        conn = catalogue.connect(ws.catalog_path)
        with catalogue.Transaction(conn):
            for doc_id in decided:
                catalogue.add_manual_tag(conn, doc_id, written_for[doc_id])
        conn.close()
        items, figures["first_review_s"] = _timed(lambda: ops.review(ws))
        undecided = next(i for i in ids if i not in set(decided))
        _, figures["decision_s"] = _timed(lambda: ops.tag(ws, str(undecided), add=(written_for[undecided],)))
        items, figures["review_after_decision_s"] = _timed(lambda: ops.review(ws))
        _, figures["show_s"] = _timed(lambda: ops.show(ws, str(ids[-1])))
        figures["review_items"] = len(items)
        conn = catalogue.connect(ws.catalog_path)
        rest = [i for i in ids if i not in set(decided)][:2000]
        ranked = ranked_suggestions(conn, ws.cache_dir / VECTOR_CACHE, rest)
        conn.close()
        figures["first_suggestion_right"] = round(sum(bool(ranked[i]) and ranked[i][0].code == written_for[i]
                                                      for i in rest) / len(rest), 3)
        cache = next((ws.cache_dir).glob("learning-vectors.npz"), None)
        figures["vector_cache_mb"] = round(cache.stat().st_size / 2**20, 1) if cache else 0
    print(f"{args.docs} documents, {args.decided} filed by a person: first review {figures['first_review_s']} s "
          f"(vectors computed once), a decision {figures['decision_s']} s, the review after it "
          f"{figures['review_after_decision_s']} s, show {figures['show_s']} s; vector cache {figures['vector_cache_mb']} MB")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
