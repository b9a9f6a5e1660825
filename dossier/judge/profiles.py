"""The last resort of suggestions: the indicators whose own words a document's text resembles.

When the rules find fewer than three indicators with evidence (a document in words no term
list has), each indicator is compared as a profile — its name, standard, keywords and added
vocabulary — with the document, over the same character n-grams as the learned model. The
result is weak by construction (scored below any term found), but review always has something
to offer, and a person's choice among them teaches the learned model.
"""
from __future__ import annotations

from dataclasses import dataclass

from dossier.judge.learning import NgramIndex, vectorize
from dossier.judge.per_system import per_system
from dossier.systems import System

MAX_SCORE = 0.25       # below MIN_CONFIDENCE of the rules: a resemblance is never a tag
MIN_SIMILARITY = 0.05


@dataclass(frozen=True)
class Resemblance:
    code: str
    similarity: float

    @property
    def score(self) -> float:
        return round(min(MAX_SCORE, self.similarity), 3)

    @property
    def reason(self) -> str:
        return f"与指标名称和测评标准用语相近（相似度 {self.similarity:.2f}）"


class IndicatorProfiles:
    """The indicators of one system as n-gram vectors; build once, ask for many documents."""

    def __init__(self, system: System) -> None:
        indicators = system.indicators()
        self.codes = [ind.code for ind in indicators]
        # IDF over the indicators: words every standard uses (建立, 工作, 制度) tell none apart.
        self.index = NgramIndex(vectorize((ind.name, "\n".join([ind.standard, *ind.keywords, *ind.vocabulary]))
                                          for ind in indicators))

    def nearest(self, title: str, text: str, top: int = 3) -> list[Resemblance]:
        sims = self.index.similarities(vectorize([(title, text)]))[0]
        order = sorted(range(len(self.codes)), key=lambda k: (-sims[k], self.codes[k]))
        return [Resemblance(self.codes[k], round(float(sims[k]), 3)) for k in order if sims[k] >= MIN_SIMILARITY][:top]


def profiles_for(system: System) -> IndicatorProfiles:
    """The cached profiles of this system object (built on first need: about half a second)."""
    return per_system(system, "profiles", IndicatorProfiles)


def fill_up(system: System, title: str, text: str, found: int, top: int = 3) -> list[Resemblance]:
    """Resemblances for a document whose rules found `found` indicators: none when that is enough."""
    return profiles_for(system).nearest(title, text, top) if found < top else []
