"""A workspace's ranked suggestions: the rules' (stored when a document is judged) and the
learned model's (from the decisions of the moment), merged best first.

The learned part needs each document as a vector; vectors are kept in the workspace's cache
(one .npz file, keyed by document and text), so a decision costs one new vector, not the
whole archive again. A workspace where nobody has decided a tag never builds a vector.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
from scipy import sparse

from archive import catalogue
from common.files import atomic_path, remove_stale_temporaries
from dossier.judge.learning import N_FEATURES, VECTORS_VERSION, DecisionModel, Example, vectorize
from dossier.judge.ranking import Suggestion, merge

VECTOR_CACHE = "learning-vectors.npz"   # in the workspace's cache folder
CHUNK = 1000     # documents compared with the decided ones at a time (bounds the memory of a big review)


class VectorCache:
    """Documents' n-gram vectors by id, each with the text key it was computed from: one sparse
    matrix, rows found by id; a changed text gets a new row, the old one is dropped on saving."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.row: dict[int, int] = {}
        self.keys: list[str] = []
        self.matrix: sparse.csr_matrix | None = None
        self.changed = False
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["version"]) != VECTORS_VERSION:
                    raise ValueError("vectors of another version")
                self.matrix = sparse.csr_matrix((data["data"], data["indices"], data["indptr"]), shape=tuple(data["shape"]))
                self.keys = data["keys"].tolist()
                ids = data["ids"].tolist()
            if not (len(ids) == len(self.keys) == self.matrix.shape[0] and self.matrix.shape[1] == N_FEATURES):
                raise ValueError("inconsistent cache")
            self.row = {doc_id: k for k, doc_id in enumerate(ids)}
        except Exception:   # no cache yet, an older one, or a damaged one (any way numpy fails on it): computed again
            self.row, self.keys, self.matrix = {}, [], None

    def vectors(self, conn: sqlite3.Connection, doc_ids: list[int], keys: dict[int, str]) -> sparse.csr_matrix:
        """The vectors of `doc_ids`, in order (those without a key in `keys`, from
        catalogue.text_keys, left out); missing or outdated ones are computed now."""
        stale = [i for i in doc_ids if i in keys and (i not in self.row or self.keys[self.row[i]] != keys[i])]
        if stale:
            texts = list(catalogue.titled_texts(conn, stale))
            fresh = vectorize((title or "", text) for _, title, text in texts)
            base = 0 if self.matrix is None else self.matrix.shape[0]
            self.matrix = fresh.tocsr() if self.matrix is None else sparse.vstack([self.matrix, fresh]).tocsr()
            for k, (doc_id, _, _) in enumerate(texts):
                self.row[doc_id] = base + k
                self.keys.append(keys[doc_id])
            self.changed = True
        rows = [self.row[i] for i in doc_ids if i in keys and i in self.row]
        if self.matrix is None or not rows:
            return vectorize([])
        return self.matrix[rows]

    def save(self) -> None:
        if not self.changed or self.matrix is None:
            return
        ids = sorted(self.row)
        live = [self.row[i] for i in ids]
        matrix = self.matrix[live].tocsr()
        remove_stale_temporaries(self.path.parent)     # a save killed midway left one
        with atomic_path(self.path, sync=False) as tmp:
            with open(tmp, "wb") as handle:
                np.savez(handle, version=np.array(VECTORS_VERSION), ids=np.array(ids, dtype=np.int64), keys=np.array([self.keys[k] for k in live]),
                         data=matrix.data, indices=matrix.indices, indptr=matrix.indptr, shape=np.array(matrix.shape))
        self.changed = False


def ranked_suggestions(conn: sqlite3.Connection, cache_path: Path | None, doc_ids: list[int],
                       known: set[str] | None = None) -> dict[int, list[Suggestion]]:
    """The best suggestions of each document (rules and learned model merged), decisions of now;
    without a `cache_path` the rules' alone; with `known`, only codes of the workspace's current
    system (stored ones may be older)."""
    stored = catalogue.rule_suggestions(conn, doc_ids)
    decisions = catalogue.tag_decisions(conn)
    learned: dict[int, list] = {}
    keys = catalogue.text_keys(conn) if decisions.filed and cache_path is not None else {}
    wanted = [i for i in doc_ids if i in keys]
    decided = [i for i in sorted(decisions.filed) if i in keys]
    if decided and wanted:
        cache = VectorCache(cache_path)
        examples = [Example(i, "", "", decisions.filed[i]) for i in decided]
        model = DecisionModel(examples, cache.vectors(conn, decided, keys))
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            votes = model.suggest_many(cache.vectors(conn, chunk, keys), exclude=chunk,
                                       rejected=[set(decisions.rejected.get(i, ())) for i in chunk])
            learned.update(zip(chunk, votes))
        cache.save()
    def current(items: list) -> list:
        return [s for s in items if known is None or s.code in known]

    return {i: merge(current(stored.get(i, [])), current(learned.get(i, [])), decisions.rejected.get(i, frozenset()))
            for i in doc_ids}
