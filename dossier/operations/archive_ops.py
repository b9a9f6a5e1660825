"""Operations on the archive: create a workspace, ingest, list, show, search, verify, reindex."""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from archive import catalogue
from archive.catalogue import DocumentFilter
from archive.index import open_index, ready_index, rebuild_index
from archive.ingest import IngestSummary, ingest as run_ingest
from archive.locking import workspace_lock
from archive.progress import Progress
from archive.search import SearchPage, positive_literals, search_page
from archive.store import Store
from archive.verify import VerifyReport, verify as run_verify
from archive.workspace import Workspace, init_workspace
from dossier.judge import VECTOR_CACHE, classify_documents, ranked_suggestions
from dossier.operations._common import connection, system_of
from dossier.systems import load_system


def init(directory: Path, *, system_id: str = "civilized-city", assessment_year: int | None = None,
         deadline: dt.date | None = None, engine: str = "whoosh") -> tuple[Workspace, bool]:
    """Create a workspace in `directory` (or reopen it); returns it and whether it is new.
    `engine` is the full-text engine of its index (whoosh or tantivy)."""
    load_system(system_id, [Path(directory).expanduser() / "systems"])   # an unknown id fails here, clearly
    ws, created = init_workspace(Path(directory), system=system_id, assessment_year=assessment_year,
                                 deadline=deadline, engine=engine)
    catalogue.connect(ws.catalog_path).close()
    return ws, created


def ingest(ws: Workspace, sources: list[Path], *, department: str | None = None, workers: int | None = None,
           ocr: str = "auto", wait: float = 30, progress: Progress | None = None) -> IngestSummary:
    """Ingest files and folders, then judge every new document (years, kind, tags)."""
    system = system_of(ws)
    return run_ingest(ws, list(sources), department=department, progress=progress, workers=workers,
                      lock_wait=wait, after_insert=lambda conn, ids: classify_documents(conn, system, ids), ocr=ocr)


def _with_alias(ws: Workspace, f: DocumentFilter) -> DocumentFilter:
    f.department = ws.department_name(f.department)
    return f


def list_docs(ws: Workspace, f: DocumentFilter | None = None) -> list[dict]:
    """Documents in the `docs --json` shape; the department filter understands aliases."""
    with connection(ws) as conn:
        return catalogue.list_documents(conn, _with_alias(ws, f or DocumentFilter()))


def show(ws: Workspace, ref: str) -> dict:
    """One document (id or sha256 prefix) in full: metadata, sources, tags, years, text head."""
    with connection(ws) as conn:
        return with_suggestions(ws, conn, catalogue.document_detail(conn, catalogue.resolve_doc(conn, ref)))


def with_suggestions(ws: Workspace, conn: sqlite3.Connection, detail: dict) -> dict:
    """The document with its best indicator suggestions not yet among its tags (the rules' and the
    learned model's; a rejected tag is never suggested again)."""
    known = {ind.code for ind in system_of(ws).indicators()}
    ranked = ranked_suggestions(conn, ws.cache_dir / VECTOR_CACHE, [detail["id"]], known).get(detail["id"], [])
    tagged = {t["code"] for t in detail["tags"]}
    detail["suggestions"] = [s.to_dict() for s in ranked if s.code not in tagged]
    return detail


Searcher = Callable[..., SearchPage]


@contextmanager
def searching(ws: Workspace) -> Iterator[Searcher]:
    """`search(query, filter=None, limit=20, offset=0, exact_script=False)` with the catalogue
    and the index kept open between queries, for a long-lived front end (the web workbench,
    the benchmark)."""
    with connection(ws) as conn:
        backend = ready_index(ws, conn)

        def run(query: str, f: DocumentFilter | None = None, limit: int | None = 20, offset: int = 0,
                exact_script: bool = False) -> SearchPage:
            return search_page(conn, backend, query, _with_alias(ws, f or DocumentFilter()), limit=limit,
                               offset=offset, exact_script=exact_script)
        try:
            yield run
        finally:
            backend.close()


def search(ws: Workspace, query: str, f: DocumentFilter | None = None, limit: int | None = 20,
           offset: int = 0, exact_script: bool = False) -> SearchPage:
    """Every document matching `query`, best first, with snippets for `limit` hits from `offset`.
    Traditional and simplified characters find each other unless `exact_script`."""
    with searching(ws) as run:
        return run(query, f, limit, offset, exact_script)


def query_terms(query: str) -> list[str]:
    """The strings a hit of `query` contains (what a reader wants marked in the text)."""
    return [term for term in positive_literals(query)[0] if term.strip()]


def verify(ws: Workspace, *, deep: bool = False) -> VerifyReport:
    """Whether the store, the catalogue and the index agree (deep: re-hash every original)."""
    with connection(ws) as conn:
        backend = open_index(ws)
        try:
            return run_verify(conn, Store(ws.store_dir), backend, deep=deep)
        finally:
            backend.close()


def reindex(ws: Workspace, on_wait: Callable[[str], None] | None = None) -> tuple[int, list[str]]:
    """Rebuild the index from the catalogue; returns how many documents it holds and what damage
    an index rebuild cannot repair (originals missing from the store, a damaged catalogue)."""
    with workspace_lock(ws.lock_path, "reindex", on_wait=on_wait), connection(ws) as conn:
        backend = open_index(ws)
        try:
            count = rebuild_index(conn, backend)
            return count, run_verify(conn, Store(ws.store_dir), backend).problems
        finally:
            backend.close()


