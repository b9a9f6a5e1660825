"""What is built once per loaded indicator system (the tagger, the indicators' profiles) and reused
for thousands of documents."""
from __future__ import annotations

from typing import Callable, TypeVar

from dossier.systems import System

T = TypeVar("T")
_BUILT: dict[tuple[str, int], tuple[System, object]] = {}


def per_system(system: System, what: str, build: Callable[[System], T]) -> T:
    """`build(system)`, cached for this system object: a reloaded, changed system gets a new one.
    Keyed by id() and holding the system, so the id cannot be reused while the entry lives."""
    key = (what, id(system))
    entry = _BUILT.get(key)
    if entry is None or entry[0] is not system:
        if len(_BUILT) >= 16:
            _BUILT.clear()
        entry = _BUILT[key] = (system, build(system))
    return entry[1]  # type: ignore[return-value]
