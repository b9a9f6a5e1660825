"""What long work reports while it runs; the command line draws it, tests ignore it."""
from __future__ import annotations


class Progress:
    """A progress sink that shows nothing: the base of every front end's progress bar."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def message(self, text: str) -> None: ...
