"""Progress bars on the terminal (rich), for long work: ingest, OCR, build."""
from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from archive.progress import Progress as IngestProgress


class RichProgress(IngestProgress):
    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.enabled = enabled
        self.bar: Progress | None = None
        self.task = None

    def start(self, total: int, label: str) -> None:
        self.stop()  # a new phase (OCR after ingest) gets its own bar
        if not self.enabled or total < 20:
            return
        self.bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TimeRemainingColumn(), console=self.console, transient=True)
        self.bar.start()
        self.task = self.bar.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.advance(self.task, n)

    def message(self, text: str) -> None:
        (self.bar.console if self.bar else self.console).print(text)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
