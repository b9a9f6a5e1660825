"""Where worker processes come from: a clean server process (multiprocessing's forkserver), never a
fork of the caller. The caller may be running threads (the index writer during an ingest, the
workbench's server, OCR): a fork taken while one of them holds a lock gives a child that can wait
for that lock for ever, and a fork copies the caller's memory into every worker's count."""
from __future__ import annotations

import multiprocessing
from multiprocessing.context import BaseContext

# Imported once by the server, so that each worker it forks starts warm; a module that fails to
# import is skipped by the server and imported by the worker instead.
PRELOAD = ["archive.ingest.run", "dossier.build.volumes"]


def worker_context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
