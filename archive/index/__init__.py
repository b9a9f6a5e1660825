"""The full-text index: one engine behind the `SearchBackend` protocol, fed from the catalogue.

Others import from here only. The engine (whoosh today), its CJK analyzer and the exact-phrase
matcher are private to this package; `open_index` chooses the engine for a workspace.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from archive import catalogue
from archive.faults import crash_point
from archive.index.backend import EngineHit, IndexedText, SearchBackend
from archive.index.batch import IndexBatch
from archive.index.cjk import open_ended
from archive.index.whoosh_engine import Postings, WhooshBackend, analyze
from archive.locking import workspace_lock
from archive.index.tantivy_engine import TantivyBackend
from archive.workspace import SEARCH_ENGINES, Workspace

__all__ = ["Analyzer", "IndexBatch", "EngineHit", "IndexedText", "SearchBackend", "Postings", "analyze", "ENGINES", "open_index", "open_index_at", "ready_index",
           "index_documents", "rebuild_index", "mark_indexed", "open_ended"]


# What an engine's `analyzer` does in ingest's workers: (title, text) -> what its batch takes.
Analyzer = Callable[[str, str], object]
ENGINES = {"whoosh": WhooshBackend, "tantivy": TantivyBackend}
assert tuple(ENGINES) == SEARCH_ENGINES, "archive.workspace.SEARCH_ENGINES names the engines of ENGINES"


def open_index_at(folder: Path, engine: str = "whoosh") -> SearchBackend:
    """An index in `folder` for the engine named (for tools that measure an engine on its own)."""
    return ENGINES[engine](folder)


def open_index(ws: Workspace) -> SearchBackend:
    """The workspace's index, for the engine its dossier.toml names."""
    return open_index_at(ws.index_dir, ws.config.engine)


def ready_index(ws: Workspace, conn: sqlite3.Connection) -> SearchBackend:
    """The workspace's index, rebuilt from the catalogue first when it is missing or stale."""
    backend = open_index(ws)
    if backend.needs_rebuild():
        with workspace_lock(ws.lock_path, "reindex"):
            rebuild_index(conn, backend)
    return backend


def _texts(conn: sqlite3.Connection, ids) -> list[IndexedText] | object:
    return (IndexedText(doc_id, title, text) for doc_id, title, text in catalogue.titled_texts(conn, ids))


def index_documents(conn: sqlite3.Connection, backend: SearchBackend, ids: list[int]) -> None:
    """Put the documents' current text into the index, then mark them indexed."""
    if not ids:
        return
    backend.add(_texts(conn, ids))
    crash_point("indexed")
    catalogue.mark_indexed(conn, ids)


def mark_indexed(conn: sqlite3.Connection, ids: list[int]) -> None:
    if ids:
        catalogue.mark_indexed(conn, ids)


def rebuild_index(conn: sqlite3.Connection, backend: SearchBackend) -> int:
    """Build the index anew from the catalogue (the catalogue is the truth)."""
    count = backend.rebuild(_texts(conn, catalogue.all_document_ids(conn)))
    catalogue.mark_indexed(conn, None)
    return count
