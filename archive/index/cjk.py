"""The Chinese analyzer: CJK character bigrams plus run-final unigrams, and ASCII words.

Why bigrams: Chinese has no spaces, and a word segmenter (jieba) cuts 志愿服务队 differently
in different sentences, so a search misses documents that plainly contain the phrase. Indexing
every pair of adjacent characters and searching a query as the phrase of its pairs finds
exactly the documents whose text contains the string. The last character of each run is also
indexed alone, so that every character occurrence starts some token: a one-character query
becomes a prefix query and still finds all.
"""
from __future__ import annotations

import re

from whoosh.analysis import Token, Tokenizer

from archive.searchtext import searchable
from archive.textnorm import CJK_CLASS

# 2: text as archive.searchtext reads it (phrases across line breaks, traditional folded).
ANALYZER_VERSION = 2
OPEN_END = "*"  # marks a query's final lone character: any token it starts will do
_TOKEN_RE = re.compile(f"[{CJK_CLASS}]+|[A-Za-z0-9]+")
_CJK_RUN = re.compile(f"[{CJK_CLASS}]")


def _is_cjk_run(text: str) -> bool:
    return bool(_CJK_RUN.match(text))


class CJKBigramTokenizer(Tokenizer):
    """Tokens: ASCII words lowercased, CJK bigrams, and the last character of each CJK run."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CJKBigramTokenizer)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        querying = mode == "query"
        pos = start_pos
        matches = list(_TOKEN_RE.finditer(searchable(value)))
        for index, match in enumerate(matches):
            run = match.group()
            if not _is_cjk_run(run):
                pos = yield from _emit(token, run.lower(), pos, match.start(), chars, positions, start_char)
                continue
            for i in range(len(run) - 1):
                pos = yield from _emit(token, run[i:i + 2], pos, match.start() + i, chars, positions, start_char)
            last = run[-1]
            if querying and index + 1 == len(matches):
                # A run that ends the query may go on in the text: a longer one is matched by its
                # bigrams alone; a lone final character must match any token it starts.
                if len(run) > 1:
                    continue
                last += OPEN_END
            pos = yield from _emit(token, last, pos, match.end() - 1, chars, positions, start_char)


def _emit(token: Token, text: str, pos: int, offset: int, chars: bool, positions: bool, start_char: int):
    token.text = text
    token.boost = 1.0
    token.stopped = False
    if positions:
        token.pos = pos
    if chars:
        token.startchar = start_char + offset
        token.endchar = start_char + offset + len(text)
    yield token
    return pos + 1


def cjk_analyzer() -> CJKBigramTokenizer:
    return CJKBigramTokenizer()


def is_open_end(text: str) -> bool:
    """A query token for a lone character that may continue in the text (see OPEN_END)."""
    return len(text) == 2 and text.endswith(OPEN_END) and bool(_CJK_RUN.match(text))


def open_ended(literal: str) -> bool:
    """True when a query string ends in a lone character after a run (e.g. 2024年): the index
    can only narrow the candidates, and a hit must be verified against the text."""
    tokens = [t.text for t in CJKBigramTokenizer()(literal, mode="query")]
    return len(tokens) > 1 and is_open_end(tokens[-1])
