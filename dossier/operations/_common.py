"""What every operation shares: the catalogue connection of a workspace and its system."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from typing import Iterator

from archive import catalogue
from archive.workspace import Workspace
from dossier.systems import System, load_system


@contextmanager
def connection(ws: Workspace) -> Iterator[sqlite3.Connection]:
    conn = catalogue.connect(ws.catalog_path)
    try:
        yield conn
    finally:
        conn.close()


def system_of(ws: Workspace) -> System:
    """The indicator system the workspace's dossier.toml names (its own systems/ first)."""
    return load_system(ws.config.system, [ws.systems_dir])
