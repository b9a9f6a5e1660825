"""Suggestions learned from the data group's own decisions, as paperless-ngx's "Auto" matching
learns from its users' assignments.

A document is a vector of characters and character pairs (Chinese has no word boundaries;
pairs carry its words, and pairs scored better than pairs and triples on the devset's halves). The model is the set of documents people have tagged: a new
document is compared with each of them (cosine over TF-IDF weights), and an indicator is
suggested by the decided documents nearest to it — "与已归入 Ⅲ-42 的文件 12、40 相近".

Why nearest neighbours and not a fitted classifier: training is only vectorising the decided
documents, so a decision is learned by adding one row (no refit that makes a workspace of
10,000 documents wait), the result is the same for the same decisions, and every suggestion
names the documents it comes from, which a person can open. The model only suggests: a tag a
person set or rejected is never changed by it (`rejected` codes are never suggested again).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from archive.textnorm import normalize_text

if TYPE_CHECKING:
    from scipy import sparse

TEXT_CHARS = 1500      # the opening of a document says what it is about; the rest adds noise, time and size
TITLE_REPEAT = 3       # the title weighs as much as a few lines of the body
NEIGHBOURS = 7         # decided documents consulted per suggestion
MIN_SIMILARITY = 0.12  # below this two documents share only the language of offices
N_FEATURES = 2 ** 20
# Changes whenever a vector would come out differently: cached vectors of another version are dropped.
VECTORS_VERSION = f"chars1-2:{N_FEATURES}:{TEXT_CHARS}:{TITLE_REPEAT}:nodigits:sublinear:2"
_NOT_WORD = re.compile(r"[^a-z\u3400-\u4dbf\u4e00-\u9fff]+")   # digits say how much, not what about



@functools.lru_cache(maxsize=1)
def _vectorizer():
    # scikit-learn is imported when first needed: it costs a second, and most commands never learn.
    from sklearn.feature_extraction.text import HashingVectorizer
    return HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=N_FEATURES,
                             alternate_sign=False, norm=None, dtype=np.float32)


@dataclass(frozen=True)
class Example:
    """One decided document: the codes a person filed it under (accepted or set by hand)."""
    doc_id: int
    title: str
    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class LearnedSuggestion:
    code: str
    score: float                    # 0..1
    neighbours: tuple[int, ...]     # decided documents that carry the code, nearest first

    @property
    def reason(self) -> str:
        ids = "、".join(str(i) for i in self.neighbours[:3])
        return f"与已归入 {self.code} 的文件 {ids} 相近"


def document_terms(title: str, text: str) -> str:
    """The string whose n-grams represent a document: title repeated, then the opening text,
    with punctuation and digits as spaces (their n-grams say nothing). Empty when it has no words:
    a photo or a scan before OCR is then like no document, not like every other empty one."""
    title = _NOT_WORD.sub(" ", normalize_text(title or "")).strip()
    body = _NOT_WORD.sub(" ", normalize_text((text or "")[:TEXT_CHARS])).strip()
    return " ".join([title] * TITLE_REPEAT + [body]) if title or body else ""


def vectorize(documents: Iterable[tuple[str, str]]) -> "sparse.csr_matrix":
    """Raw n-gram counts with sublinear scaling (a word said 20 times is not 20 times the topic)."""
    terms = [document_terms(title, text) for title, text in documents]
    if not terms:
        from scipy import sparse
        return sparse.csr_matrix((0, N_FEATURES), dtype=np.float32)
    counts = _vectorizer().transform(terms)
    counts.data = 1.0 + np.log(counts.data)
    return counts.tocsr()


class NgramIndex:
    """Rows of `vectorize` weighted by TF-IDF over themselves, for cosine similarity with queries:
    n-grams every row shares (市文明办, 工作) tell none apart and weigh little."""

    def __init__(self, raw: "sparse.csr_matrix") -> None:
        from sklearn.feature_extraction.text import TfidfTransformer
        from sklearn.preprocessing import normalize
        self.idf = TfidfTransformer().fit(raw)
        self.matrix = normalize(self.idf.transform(raw)).tocsr()

    def similarities(self, raw: "sparse.csr_matrix") -> np.ndarray:
        """One row per query (rows of `vectorize`), one column per indexed row."""
        from sklearn.preprocessing import normalize
        return (normalize(self.idf.transform(raw)) @ self.matrix.T).toarray()


class DecisionModel:
    """Nearest decided documents; build once per set of decisions, ask for many documents."""

    def __init__(self, examples: Sequence[Example], vectors: "sparse.csr_matrix | None" = None) -> None:
        self.examples = [e for e in examples if e.codes]
        self.ids = np.array([e.doc_id for e in self.examples], dtype=np.int64)
        self.index = None
        if self.examples:
            self.index = NgramIndex(vectors if vectors is not None
                                    else vectorize((e.title, e.text) for e in self.examples))

    def suggest_many(self, raw: "sparse.csr_matrix", exclude: Sequence[int | None] = (),
                     rejected: Sequence[set[str]] = (), top: int = 3) -> list[list[LearnedSuggestion]]:
        """For each row of `raw` (from `vectorize`), the best `top` indicators of its nearest decided
        documents. `exclude[i]` is the row's own id (a decided document does not vote for itself);
        `rejected[i]` the codes a person rejected for it."""
        if self.index is None or raw.shape[0] == 0:
            return [[] for _ in range(raw.shape[0])]
        sims = self.index.similarities(raw)
        out = []
        for row, scores in enumerate(sims):
            own = exclude[row] if row < len(exclude) else None
            if own is not None:
                scores[self.ids == own] = 0.0
            out.append(self._vote(scores, rejected[row] if row < len(rejected) else set(), top))
        return out

    def suggest(self, title: str, text: str, *, exclude: int | None = None,
                rejected: set[str] | None = None, top: int = 3) -> list[LearnedSuggestion]:
        return self.suggest_many(vectorize([(title, text)]), [exclude], [rejected or set()], top)[0]

    def _vote(self, scores: np.ndarray, rejected: set[str], top: int) -> list[LearnedSuggestion]:
        # Stable order: by similarity, then by document id, so equal decisions give equal answers.
        order = np.lexsort((self.ids, -scores))[:NEIGHBOURS]
        miss: dict[str, float] = {}
        voters: dict[str, list[int]] = {}
        for k in order:
            sim = float(scores[k])
            if sim < MIN_SIMILARITY:
                break
            for code in self.examples[k].codes:
                if code in rejected:
                    continue
                # noisy-or: two near documents agreeing are surer than either
                miss[code] = miss.get(code, 1.0) * (1.0 - min(sim, 0.95))
                voters.setdefault(code, []).append(int(self.ids[k]))
        ranked = sorted(miss, key=lambda c: (miss[c], c))[:top]
        return [LearnedSuggestion(c, round(1.0 - miss[c], 3), tuple(voters[c])) for c in ranked]
