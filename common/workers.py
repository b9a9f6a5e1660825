"""Where worker processes come from: a clean server process (multiprocessing's forkserver), never a
fork of the caller. The caller may be running threads (the index writer during an ingest, the
workbench's server, OCR): a fork taken while one of them holds a lock gives a child that can wait
for that lock for ever, and a fork copies the caller's memory into every worker's count."""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.context import BaseContext

# Imported once by the server, so that each worker it forks starts warm; a module that fails to
# import is skipped by the server and imported by the worker instead.
PRELOAD = ["archive.ingest.run", "dossier.build.volumes"]


def end_with(owner: int, every: float = 2.0) -> None:
    """In a worker: exit (and take its idle server along) once the process `owner` that started
    the pool is gone, killed (-9) before it could shut the pool down; else workers idle for ever."""
    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                server = os.getppid()
                if server not in (1, owner):
                    with contextlib.suppress(OSError):
                        os.kill(server, signal.SIGKILL)
                os._exit(0)
            except PermissionError:
                pass
    threading.Thread(target=watch, name="end-with-owner", daemon=True).start()


def worker_context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context
