"""The interface between the archive and a full-text engine, so the engine can be swapped."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:
    from archive.index.batch import IndexBatch


@dataclass(frozen=True)
class IndexedText:
    doc_id: int
    title: str
    text: str


@dataclass(frozen=True)
class EngineHit:
    doc_id: int
    score: float


class SearchBackend(Protocol):
    """What the archive needs from a full-text engine."""

    analyzer: object    # (title, text) -> what `batch().add` takes, run in ingest's workers; None: plain text

    def needs_rebuild(self) -> bool:
        """True when the index is missing, unreadable or built by another analyzer version."""

    def add(self, docs: Iterable[IndexedText]) -> int:
        """Add or replace documents (by doc_id) in one commit; returns how many."""

    def delete(self, doc_ids: Iterable[int]) -> None: ...

    def search(self, query: str) -> list[EngineHit]:
        """All documents matching `query` (AND/OR/NOT, quotes, parentheses), best first."""

    def doc_ids(self) -> set[int]: ...

    def rebuild(self, docs: Iterable[IndexedText]) -> int:
        """Start from an empty index and add `docs`."""

    def batch(self) -> IndexBatch:
        """A writer that takes analysed documents and commits them in the background."""

    def close(self) -> None:
        """Release the searcher and any open files."""

    def maintain(self) -> bool:
        """Housekeeping after a run (merging segments); returns whether it did any."""
