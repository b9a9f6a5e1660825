"""One open searcher per server thread: opening the catalogue and the index costs more than a
search does. The engines refresh their searcher when a commit has changed the index, so new
documents appear without a restart; a searcher that fails (the index rebuilt under it by
`dossier reindex`) is dropped and the search made once more on a fresh one."""
from __future__ import annotations

import threading

from common.errors import DossierError
from dossier import operations as ops


class Searchers:
    def __init__(self, ws: ops.Workspace) -> None:
        self.ws = ws
        self._local = threading.local()

    def _run(self):
        run = getattr(self._local, "run", None)
        if run is None:
            self._local.context = ops.searching(self.ws)
            run = self._local.run = self._local.context.__enter__()
        return run

    def _drop(self) -> None:
        context, self._local.run, self._local.context = getattr(self._local, "context", None), None, None
        if context is not None:
            try:
                context.__exit__(None, None, None)
            except Exception:  # a broken searcher may not even close; it is gone either way
                pass

    def search(self, query: str, f: ops.DocumentFilter | None = None, limit: int | None = 20, offset: int = 0,
               exact_script: bool = False):
        try:
            return self._run()(query, f, limit, offset, exact_script)
        except DossierError:
            raise
        except Exception:
            self._drop()
            return self._run()(query, f, limit, offset, exact_script)
