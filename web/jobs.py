"""A build started from the browser: one at a time, in a thread of the server, its progress
lines kept for the volumes page to show. The build itself is `dossier build`'s operation and
takes the workspace lock like any writer."""
from __future__ import annotations

import threading
import time

from common.errors import DossierError
from common.messages import _
from dossier import operations as ops

KEEP_LINES = 200


class BuildJob:
    def __init__(self, ws: ops.Workspace) -> None:
        self.ws = ws
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._lines: list[str] = []
        self._outcome: str | None = None
        self._started: float | None = None

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, pdf: bool = False) -> bool:
        """Start a build unless one is running; True when started."""
        with self._lock:
            if self.running():
                return False
            self._lines, self._outcome, self._started = [], None, time.time()
            formats = {"docx", "pdf"} if pdf else {"docx"}
            self._thread = threading.Thread(target=self._run, args=(formats,), name="dossier-build", daemon=True)
            self._thread.start()
            return True

    def _say(self, line: str) -> None:
        with self._lock:
            self._lines = (self._lines + [line])[-KEEP_LINES:]

    def _run(self, formats: set[str]) -> None:
        try:
            outcome = ops.build(self.ws, formats=formats, progress=self._say, on_wait=self._say)
            result = outcome.result
            message = _("完成：新生成 {built} 卷，未变 {unchanged} 卷").format(built=len(result.built),
                                                                   unchanged=len(result.unchanged))
        except DossierError as exc:
            message = _("失败：{reason}").format(reason=exc)
        except Exception as exc:  # the page must say it failed; the server log has the rest
            message = _("失败：内部错误（{kind}），请查看服务器窗口").format(kind=type(exc).__name__)
        with self._lock:
            self._outcome = message

    def state(self) -> dict:
        with self._lock:
            return {"running": self.running(), "lines": list(self._lines[-20:]), "outcome": self._outcome,
                    "started": self._started}
