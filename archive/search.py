"""Search: the engine's matches, filtered by the catalogue, with a snippet and the page of the hit."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from archive import catalogue
from archive.catalogue import DocumentFilter
from common.errors import SearchError
from archive.index import SearchBackend, open_ended
from archive.searchtext import fold_literal, fold_script, search_view
from archive.textnorm import normalize_text
from common.messages import _

SNIPPET_RADIUS = 50
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_SEGMENT_RE = re.compile(r'"([^"]*)"|(\S+)')


@dataclass
class SearchHit:
    id: int
    sha256: str
    title: str
    department: str | None
    years: list[int]
    score: float
    segments: list[tuple[str, bool]]     # the snippet as (text, is a hit)
    page: int | None
    format: str = ""

    @property
    def snippet(self) -> str:
        """The snippet as plain text, hits marked 【】 (the terminal's and --json's form)."""
        return "".join(f"【{part}】" if hit else part for part, hit in self.segments)

    def as_json(self) -> dict:
        return {"id": self.id, "sha256": self.sha256, "title": self.title, "department": self.department,
                "years": self.years, "score": round(self.score, 4), "snippet": self.snippet,
                "page": self.page, "format": self.format}


def positive_literals(query: str) -> tuple[list[str], bool]:
    """The strings a hit must contain (not negated), and whether the query is a plain AND of them."""
    literals: list[str] = []
    plain = True
    negate = False
    for match in _SEGMENT_RE.finditer(query):
        quoted, word = match.group(1), match.group(2)
        if word in _OPERATORS:
            plain = plain and word == "AND"
            negate = word in ("NOT", "ANDNOT")
            continue
        text = normalize_text(quoted if quoted is not None else word.strip("()"))
        if word and ("(" in word or ")" in word):
            plain = False
        if text and not negate:
            literals.append(text)
        negate = False
    return literals, plain


def _check_operators(query: str) -> None:
    """Refuse an AND, OR or NOT with no word on the side it needs: the engine would search the
    English word "and" instead, and find nothing without saying why."""
    items = []
    for match in _SEGMENT_RE.finditer(query):
        word = match.group(2)
        if word in _OPERATORS:
            items.append(word)
        elif match.group(1) is not None or word.strip("()"):
            items.append(None)                        # a word or a quoted phrase
    for n, item in enumerate(items):
        if item is None:
            continue
        after = items[n + 1] if n + 1 < len(items) else "end"
        before = items[n - 1] if n else "start"
        if after == "end" or (after is not None and after != "NOT"):
            raise SearchError(_("检索式“{query}”中的 {op} 后面缺少词语；要检索这个词本身，请加引号：\"{op}\"").format(query=query, op=item))
        if item != "NOT" and (before == "start" or before is not None):
            raise SearchError(_("检索式“{query}”中的 {op} 前面缺少词语；要检索这个词本身，请加引号：\"{op}\"").format(query=query, op=item))


def make_snippet(text: str, literals: list[str], *, fold: bool = True) -> list[tuple[str, bool]] | None:
    """About ±50 characters around the first hit, as (text, is a hit) parts; None when no literal
    occurs. Literals are found in the search view (across line breaks, either script when
    `fold`); the parts show the document's own characters, wrapped phrases joined."""
    shown = search_view(text, fold=False)
    view = fold_script(shown) if fold else shown       # the same positions: folding is 1:1
    lowered = view.lower()
    needles = [n for n in (fold_literal(lit, fold=fold) for lit in literals) if n]
    found = [pos for needle in needles if (pos := lowered.find(needle)) >= 0]
    if not found:
        return None
    first = min(found)
    start = max(0, first - SNIPPET_RADIUS)
    end = min(len(view), first + SNIPPET_RADIUS + max(len(n) for n in needles))
    spans: list[tuple[int, int]] = []
    for needle in needles:
        at = lowered.find(needle, start, end)
        while at >= 0 and at + len(needle) <= end:
            spans.append((at - start, at - start + len(needle)))
            at = lowered.find(needle, at + len(needle), end)
    window = shown[start:end]
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    segments, last = [("…", False)] if start > 0 else [], 0
    for a, b in merged:
        segments += [(window[last:a], False), (window[a:b], True)]
        last = b
    segments += [(window[last:], False)] + ([("…", False)] if end < len(view) else [])
    return [(part.replace("\n", " ").replace("\t", " "), hit) for part, hit in segments if part]


def _holds(whole: str, literals: list[str], fold: bool, every: bool) -> bool:
    view = search_view(whole, fold=fold).lower()
    present = (fold_literal(lit, fold=fold) in view for lit in literals)
    return all(present) if every else any(present)


def _contains(conn: sqlite3.Connection, doc_id: int, literals: list[str], *, fold: bool = True,
              every: bool = True) -> bool:
    """Whether the document's title and text hold every literal (or, `every` False, one of
    them) as search reads them; False when it is not catalogued."""
    title = catalogue.document_title(conn, doc_id)
    if title is None:
        return False
    return _holds(title + "\n" + catalogue.document_text(conn, doc_id), literals, fold, every)


def _locate(pages: list[tuple[int, str]], title: str, literals: list[str],
            fold: bool = True) -> tuple[list[tuple[str, bool]], int | None]:
    """Snippet and page of the first hit (None: the hit is in the title)."""
    for number, text in pages:
        made = make_snippet(text, literals, fold=fold)
        if made:
            return made, number
    made = make_snippet(title, literals, fold=fold)
    if made:
        return made, None
    head = (pages[0][1] if pages else "")[: SNIPPET_RADIUS * 2].replace("\n", " ")
    return [(head, False)] if head else [], (pages[0][0] if pages else None)


@dataclass
class SearchPage:
    """The first `limit` hits with their snippets, and every matching document."""

    hits: list[SearchHit]
    ids: list[int]            # every match, best first

    @property
    def total(self) -> int:
        return len(self.ids)


def search_page(conn: sqlite3.Connection, backend: SearchBackend, query: str,
                filters: DocumentFilter | None = None, limit: int | None = 20, offset: int = 0,
                exact_script: bool = False) -> SearchPage:
    """Every document matching `query`, best first; snippets only for the `limit` from `offset`
    on (a snippet reads the document's text, the match list does not). limit None: all.

    The index folds traditional characters to simplified; `exact_script` keeps only documents
    that hold the query's words in the script they were typed in."""
    if not query.strip():
        raise SearchError(_("检索式是空的：请输入要查找的词语"))
    _check_operators(query)
    allowed = catalogue.matching_ids(conn, filters or DocumentFilter())
    literals, plain = positive_literals(query)
    matches = [h for h in backend.search(query) if allowed is None or h.doc_id in allowed]
    if plain and any(open_ended(lit) for lit in literals):
        # The engine matched the final lone character as a prefix: keep only literal matches.
        matches = [h for h in matches if _contains(conn, h.doc_id, literals)]
    if exact_script and literals:
        # The engine matched folded text: keep the documents written in the query's own script
        # (for a query with OR, one of its words is enough).
        matches = [h for h in matches if _contains(conn, h.doc_id, literals, fold=False, every=plain)]
    shown = matches[offset:] if limit is None else matches[offset:offset + limit]
    rows, years = catalogue.hit_rows(conn, [h.doc_id for h in shown])
    hits: list[SearchHit] = []
    for engine_hit in shown:
        row = rows.get(engine_hit.doc_id)
        if row is None:  # the index is ahead of the catalogue only after damage; verify reports it
            continue
        segments, page = _locate(catalogue.numbered_pages(conn, row["id"]), row["title"], literals,
                                 fold=not exact_script)
        hits.append(SearchHit(row["id"], row["sha256"], row["title"], row["department"],
                              years.get(row["id"], []), engine_hit.score, segments, page, row["format"]))
    return SearchPage(hits, [h.doc_id for h in matches])


def search(conn: sqlite3.Connection, backend: SearchBackend, query: str,
           filters: DocumentFilter | None = None, limit: int | None = 20, exact_script: bool = False) -> list[SearchHit]:
    """Ranked hits for `query`, with snippets; see README for the query syntax."""
    return search_page(conn, backend, query, filters, limit, exact_script=exact_script).hits
