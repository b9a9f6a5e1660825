"""Text as search reads it: phrases run on across line breaks, and the two scripts are one.

Two things a person reading a page does not see, and search must not see either:
- a line break inside a run of Chinese characters ("…文明村、文" / "明单位…" is 文明单位 to a
  reader); a table row keeps its line end (a line holding a tab is a row of cells, and the last
  cell of one row and the first of the next are not one phrase);
- traditional against simplified characters (政務公開 is 政务公开): both are folded to simplified
  with OpenCC's t2s conversion, in the index and in the query alike.

Folding changes no position, so a snippet can show the document's own characters around a hit
found in the folded view.
"""
from __future__ import annotations

import functools
import re
from archive.textnorm import CJK_CLASS, normalize_text

# Part of the index's analysis version: change it whenever `searchable` could give other text.
SEARCH_TEXT_VERSION = 1
_BREAK_IN_CJK = re.compile(f"(?<=[{CJK_CLASS}])[ \\u3000]*\\n[ \\u3000]*(?=[{CJK_CLASS}])")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc   # a compiled converter: ~20 MB/s, loaded once per process

    return opencc.OpenCC("t2s")


def fold_script(text: str) -> str:
    """Traditional characters as simplified ones, character for character (same length).

    OpenCC converts by phrases; the rare phrase whose simplified form has another length is
    converted character by character instead, so positions in the folded text stay those of
    the original."""
    if text.isascii():
        return text
    convert = _converter().convert
    folded = convert(text)
    if len(folded) == len(text):
        return folded
    parts = []
    for line in text.split("\n"):
        converted = convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c := convert(ch)) == 1 else ch for ch in line)
        parts.append(converted)
    return "\n".join(parts)


def _joinable(text: str, match: re.Match) -> bool:
    """A line break between two Chinese characters that is not the end of a table row."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return "\t" not in text[start:match.start()] and "\t" not in text[match.end():end if end >= 0 else len(text)]


def _breaks(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BREAK_IN_CJK.finditer(text) if _joinable(text, m)] if "\n" in text else []


def search_view(text: str, *, fold: bool = True) -> str:
    """Stored text (already normalised, as the catalogue holds it) as search reads it: wrapped
    phrases joined, and, with `fold`, scripts folded (folding keeps every position)."""
    out, last = [], 0
    for start, end in _breaks(text):
        out.append(text[last:start])
        last = end
    joined = "".join(out) + text[last:] if out else text
    return fold_script(joined) if fold else joined


def searchable(text: str, *, fold: bool = True) -> str:
    """Any text as the index holds it: normalised, then as `search_view` reads it."""
    return search_view(normalize_text(text), fold=fold)


def fold_literal(literal: str, *, fold: bool = True) -> str:
    """A query's literal as it is looked for in a search view (lowercase, folded)."""
    return (fold_script(literal) if fold else literal).lower()
