"""The online submission's upload folders (dossier export online)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from archive.locking import workspace_lock
from archive.store import Store
from archive.workspace import Workspace
from dossier.build import Converter, plan_volumes
from dossier.export import OnlineResult, export_online as write_online
from dossier.operations._common import connection, system_of
from dossier.operations.report_ops import missing_years


def export_online(ws: Workspace, codes: list[str] | None = None, *, out_dir: Path | None = None, zipped: bool = False,
                  progress: Callable[[str], None] | None = None, on_wait: Callable[[str], None] | None = None,
                  converter: Converter | None = None) -> OnlineResult:
    """Per indicator (every one with material, or `codes`) its upload folder, and 清单.xlsx, in
    `out_dir` (default out/网上申报), within dossier.toml's [online] limits."""
    system = system_of(ws)
    target = out_dir or ws.out_dir / "网上申报"
    with workspace_lock(ws.lock_path, "export", on_wait=on_wait), connection(ws) as conn:
        plans, _ = plan_volumes(conn, system, codes or None, missing_years(conn, system, ws))
        return write_online(conn, Store(ws.store_dir), plans, target, converter or Converter(ws.cache_dir),
                            ws.config.online, zipped=zipped, complete=not codes, progress=progress)
