"""The query language of `dossier search` as a tree, for engines that do not parse it themselves.

Words and "quoted phrases" (each a string the document must contain), AND / OR / NOT / ANDNOT
(ANDMAYBE keeps its left side), parentheses; words side by side are ANDed; AND binds tighter
than OR, NOT tighter than both, as whoosh's parser does. An unmatched parenthesis is ignored,
as whoosh ignores it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from archive.textnorm import normalize_text

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
            text = normalize_text(word or quoted).strip()
            if text:
                out.append(("lit", text))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.at = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        self.at += 1
        return self.tokens[self.at - 1]

    def expression(self) -> Node | None:
        parts = [p for p in [self.conjunction()] if p is not None]
        while self.peek() == ("op", "OR"):
            self.take()
            if (part := self.conjunction()) is not None:
                parts.append(part)
        return None if not parts else parts[0] if len(parts) == 1 else Any(tuple(parts))

    def conjunction(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token != ("op", "OR") and token[0] != ")":
            negate = maybe = False
            if token[0] == "op":
                self.take()
                negate, maybe = token[1] in ("NOT", "ANDNOT"), token[1] == "ANDMAYBE"
                if token[1] in ("AND", "ANDNOT", "ANDMAYBE") and self.peek() == ("op", "NOT"):
                    self.take()
                    negate = True
            part = self.unary()
            if part is None or maybe:
                continue
            parts.append(Not(part) if negate else part)
        if not parts:
            return None
        if all(isinstance(p, Not) for p in parts):
            parts.insert(0, Everything())
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self) -> Node | None:
        token = self.peek()
        if token is None or token == ("op", "OR"):
            return None
        if token == ("(", "("):
            self.take()
            inner = self.expression()
            if self.peek() == (")", ")"):
                self.take()
            return inner
        if token[0] == ")":
            return None
        if token[0] == "op":                      # NOT NOT x, or an operator in a strange place
            self.take()
            inner = self.unary()
            return Not(inner) if token[1] == "NOT" and inner is not None else inner
        return Literal(self.take()[1])


def parse(query: str) -> Node | None:
    """The tree of `query`; None when it holds no word at all."""
    parser = _Parser(_tokens(query))
    tree = parser.expression()
    while parser.peek() is not None:              # a stray ")" ends an expression: go on after it
        parser.take()
        rest = parser.expression()
        if rest is not None:
            tree = rest if tree is None else All((tree, rest))
    return tree
