"""Indicator systems as a user handles them: list, show, validate, export, import."""
from __future__ import annotations

from pathlib import Path

from archive.workspace import Workspace, open_workspace
from common.errors import NoWorkspace
from dossier.systems import (System, export_system_xlsx, import_system_xlsx, list_systems, load_system,
                             save_system, validate_system_file)


def system_dirs(workspace: str | Path | None) -> list[Path]:
    """The workspace's own systems/ folder when there is a workspace; none (built-ins only)
    when there is none. A workspace that exists but cannot be read is an error, not a fallback."""
    try:
        return [open_workspace(workspace).systems_dir]
    except NoWorkspace:
        return []


def systems(workspace: str | Path | None = None) -> list[dict]:
    """Every system (built-in and the workspace's), in the `systems --json` shape."""
    return [s.summary() for s in list_systems(system_dirs(workspace))]


def system(system_id: str, workspace: str | Path | None = None) -> System:
    return load_system(system_id, system_dirs(workspace))


def validate(path: Path) -> list[str]:
    """Every problem of a system file, one plain line each; empty when it is valid."""
    return validate_system_file(path)


def export(system_id: str, xlsx: Path, workspace: str | Path | None = None) -> Path:
    export_system_xlsx(system(system_id, workspace), xlsx)
    return xlsx


def import_table(ws: Workspace, xlsx: Path, system_id: str | None = None) -> tuple[System, Path]:
    """Import an office's Excel table into the workspace's systems/; returns it and its file."""
    imported = import_system_xlsx(xlsx, system_id=system_id)
    return imported, save_system(imported, ws.systems_dir)
