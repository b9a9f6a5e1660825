"""Many documents into the whoosh index with few commits, the commits beside the ingest.

A whoosh commit sorts and writes every posting of the batch in pure Python: for thousands of
documents it takes seconds. Run in the ingesting thread it would leave the extraction workers
idle that long, so `start_commit` runs it in a thread while ingest goes on taking results;
documents that arrive meanwhile wait in memory until the commit is done (whoosh allows one
writer at a time) and go into the next writer.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from archive.faults import crash_point

WRITER_MEMORY_MB = 256      # whoosh's posting buffer before it spills sorted runs to disk


class IndexBatch:
    """Documents added to an open whoosh writer. `finished()` and `commit()` return the ids that
    a completed commit made searchable, so the caller can mark them indexed. Used as a context
    manager, whatever is not committed is cancelled on exit."""

    def __init__(self, open_index: Callable[[], Any]) -> None:
        self._open_index = open_index
        self._writer = None
        self.pending: list[int] = []                 # ids in the open writer
        self._waiting: list[tuple[int, Any, Any]] = []   # documents that arrived during a commit
        self._thread: threading.Thread | None = None
        self._outcome: tuple[list[int], BaseException | None] = ([], None)

    def add(self, doc_id: int, title, content) -> None:
        """Add or replace a document; `title` and `content` are text or analysed Postings."""
        if self._thread is not None:
            self._waiting.append((doc_id, title, content))
            return
        if self._writer is None:
            self._writer = self._open_index().writer(limitmb=WRITER_MEMORY_MB)
        self._writer.update_document(id=str(doc_id), title=title, content=content)
        self.pending.append(doc_id)
        crash_point("index-writing")

    def start_commit(self) -> None:
        """Commit the open writer in a background thread (waits for a commit already running)."""
        done = self._join()
        writer, ids = self._writer, self.pending
        self._writer, self.pending = None, []
        if writer is None:
            self._outcome = (done, None)
            return

        def run() -> None:
            try:
                writer.commit()
                self._outcome = (done + ids, None)
            except BaseException as exc:  # handed to the ingesting thread by _join
                self._outcome = (done, exc)

        self._thread = threading.Thread(target=run, name="index-commit", daemon=True)
        self._thread.start()

    def finished(self) -> list[int]:
        """Ids made searchable by a background commit that has ended since the last call."""
        if self._thread is not None and self._thread.is_alive():
            return []
        return self._join()

    def commit(self) -> list[int]:
        """Commit everything now; returns every id made searchable since the last call."""
        self.start_commit()
        return self._join()

    def _join(self) -> list[int]:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        done, error = self._outcome
        self._outcome = ([], None)
        if error is not None:
            self._waiting = []
            raise error
        waiting, self._waiting = self._waiting, []
        for doc_id, title, content in waiting:
            self.add(doc_id, title, content)
        return done

    def cancel(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self.pending, self._waiting = [], []

    def __enter__(self) -> IndexBatch:
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()
