"""Ranked suggestions: the best indicators for a document, with scores and reasons, whether or not
any of them passed the tagging threshold — what review offers a person, and what recall@3 measures.

Two kinds of evidence meet here: the rules' candidates (terms, paths, department; see tagging)
and the learned model's votes (documents people filed; see learning). Each gives a score in
0..1; an indicator both support gets the noisy-or of the two, so agreement ranks first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

from dossier.judge.learning import LearnedSuggestion
from dossier.judge.profiles import Resemblance
from dossier.judge.tagging import Candidate

TOP = 3
STORED = 5           # the rules' suggestions kept per document: enough to merge with the learned ones
UNSPECIFIC = 0.5     # a candidate only generic terms support ranks below any specific one of equal score


class Ranked(Protocol):
    code: str
    score: float
    source: str
    reason: str


@dataclass(frozen=True)
class Suggestion:
    code: str
    score: float        # 0..1
    source: str         # rule | path | profile | learned, or two joined by + (rule+learned)
    reason: str         # Chinese, for a person

    def to_dict(self) -> dict:
        return {"code": self.code, "score": self.score, "source": self.source, "reason": self.reason}


def rule_suggestions(candidates: Sequence[Candidate], top: int = STORED,
                     resemblances: Sequence[Resemblance] = ()) -> list[Suggestion]:
    """The rules' best candidates as suggestions, whatever their score (kept with the document);
    with fewer than TOP of them, the indicators the text resembles fill up (see profiles)."""
    out: list[Suggestion] = []
    for cand in candidates:
        score = cand.confidence * (1.0 if cand.specific else UNSPECIFIC)
        out.append(Suggestion(cand.indicator.code, round(min(score, 0.99), 3), cand.source, cand.reason()))
    out.sort(key=lambda s: (-s.score, s.code))
    out = out[:top]
    found = {s.code for s in out}
    out += [Suggestion(r.code, r.score, "profile", r.reason) for r in resemblances if r.code not in found][:max(0, TOP - len(out))]
    return out


def merge(rules: Sequence[Ranked], learned: Sequence[LearnedSuggestion] = (),
          rejected: set[str] | frozenset[str] = frozenset(), top: int = TOP) -> list[Suggestion]:
    """The `top` indicators by combined score; codes a person rejected never come back."""
    by_rule = {r.code: r for r in rules if r.code not in rejected}
    votes = {s.code: s for s in learned if s.code not in rejected}
    merged: list[Suggestion] = []
    for code in set(by_rule) | set(votes):
        rule, vote = by_rule.get(code), votes.get(code)
        score = 1.0 - (1.0 - (rule.score if rule else 0.0)) * (1.0 - (vote.score if vote else 0.0))
        source = "+".join(s for s in (rule.source if rule else "", "learned" if vote else "") if s)
        reason = "; ".join(s for s in (rule.reason if rule else "", vote.reason if vote else "") if s)
        merged.append(Suggestion(code, round(min(score, 0.99), 3), source, reason))
    merged.sort(key=lambda s: (-s.score, s.code))
    return merged[:top]
