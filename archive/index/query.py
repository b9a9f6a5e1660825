"""The query language of `dossier search` as a tree, for engines that do not parse it themselves.

Words and "quoted phrases" (each a string the document must contain), AND / OR / NOT / ANDNOT
(ANDMAYBE keeps its left side), parentheses; words side by side are ANDed. The precedence is
whoosh's (see _Parser), so both engines answer a query alike. An unmatched parenthesis is
ignored, as whoosh ignores it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.searchtext import searchable

_TOKEN_RE = re.compile(r'"([^"]*)"|(\()|(\))|([^\s()"]+)')
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


@dataclass(frozen=True)
class Literal:
    text: str                 # normalised; the document must contain it


@dataclass(frozen=True)
class All:
    parts: tuple              # every part must match


@dataclass(frozen=True)
class Any:
    parts: tuple              # at least one part must match


@dataclass(frozen=True)
class Not:
    part: object              # the part must not match


@dataclass(frozen=True)
class Everything:
    """Matches every document (what a query of only negations starts from)."""


Node = Literal | All | Any | Not | Everything


def _tokens(query: str) -> list[tuple[str, str]]:
    out = []
    for quoted, opening, closing, word in _TOKEN_RE.findall(query):
        if opening:
            out.append(("(", "("))
        elif closing:
            out.append((")", ")"))
        elif word in OPERATORS:
            out.append(("op", word))
        else:
            text = searchable(word or quoted).strip()
            if text:
                out.append(("lit", text))
    return out


class _Parser:
    """Precedence as whoosh's parser has it: NOT binds tightest, then ANDNOT and ANDMAYBE, then
    AND and OR (equal, left to right); words side by side are ANDed last, so `a OR b c` is
    (a OR b) AND c."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.tokens[self.at - 1]

    def sequence(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token[0] != ")":
            if token[0] == "op" and token[1] != "NOT":
                self.take()                        # a binary operator with nothing before it
                continue
            if (part := self.binary()) is not None:
                parts.append(part)
        return _all(parts)

    def binary(self) -> Node | None:
        left = self.tight()
        while (token := self.peek()) in (("op", "AND"), ("op", "OR")):
            self.take()
            right = self.tight()
            if right is None or left is None:
                left = left or right
            elif token[1] == "AND":
                left = _all([left, right])
            else:
                left = Any((left, right))
        return left

    def tight(self) -> Node | None:
        left = self.unary()
        while (token := self.peek()) in (("op", "ANDNOT"), ("op", "ANDMAYBE")):
            self.take()
            right = self.unary()
            if token[1] == "ANDNOT" and right is not None:
                left = _all([left, Not(right)]) if left is not None else _all([Not(right)])
        return left

    def unary(self) -> Node | None:
        token = self.peek()
        if token is None or token[0] == ")":
            return None
        self.take()
        if token == ("op", "NOT"):
            inner = self.unary()
            return _all([Not(inner)]) if inner is not None else None
        if token[0] == "op":                      # a binary operator in a strange place: skip it
            return self.unary()
        if token[0] == "(":
            inner = self.sequence()
            if self.peek() == (")", ")"):
                self.take()
            return inner
        return Literal(token[1])


def _all(parts: list[Node]) -> Node | None:
    """The conjunction of parts, flattened; a conjunction of only negations starts from Everything."""
    flat: list[Node] = []
    for part in parts:
        flat += [p for p in part.parts if not isinstance(p, Everything)] if isinstance(part, All) else [part]
    if not flat:
        return None
    if all(isinstance(p, Not) for p in flat):
        flat.insert(0, Everything())
    return flat[0] if len(flat) == 1 else All(tuple(flat))


def parse(query: str) -> Node | None:
    """The tree of `query`; None when it holds no word at all."""
    parser = _Parser(_tokens(query))
    parts = []
    while True:
        if (part := parser.sequence()) is not None:
            parts.append(part)
        if parser.peek() is None:
            return _all(parts)
        parser.take()                             # a stray ")": go on after it
