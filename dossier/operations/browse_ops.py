"""What a reader of the archive opens: one document whole (pages, history), its original, a
picture of one of its pages, the hit list as a workbook, and the built volumes."""
from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from archive import catalogue
from archive.catalogue import DocumentFilter
from archive.store import Store
from archive.workspace import Workspace
from common.errors import DocumentNotFound, PreviewUnavailable
from common.messages import _
from dossier.build import MANIFEST, Converter, page_image
from dossier.coverage import hit_list_workbook
from dossier.operations._common import connection
from dossier.operations.archive_ops import search, with_suggestions

EXPORT_LIMIT = 10_000          # rows of an exported hit list


@dataclass
class Original:
    path: Path            # in the store: read-only, never handed out by path
    name: str             # the file name it arrived under
    media_type: str


def document(ws: Workspace, ref: str) -> dict:
    """`show`'s detail, plus the text of every page and what happened to the document."""
    with connection(ws) as conn:
        doc_id = catalogue.resolve_doc(conn, ref)
        detail = with_suggestions(ws, conn, catalogue.document_detail(conn, doc_id))
        detail["page_texts"] = [{"page": n, "text": t} for n, t in catalogue.numbered_pages(conn, doc_id)]
        detail["events"] = catalogue.document_events(conn, doc_id)
        return detail


def original(ws: Workspace, ref: str) -> Original:
    with connection(ws) as conn:
        row = catalogue.document_row(conn, catalogue.resolve_doc(conn, ref))
        names = list(catalogue.source_names(conn, row["id"]))
    path = Store(ws.store_dir).path_for(row["sha256"])
    if not path.is_file():
        raise DocumentNotFound(ref)
    name = names[0] if names else f"{row['id']}"
    return Original(path, name, mimetypes.guess_type(name)[0] or "application/octet-stream")


def preview(ws: Workspace, ref: str, page: int = 1) -> tuple[Path, str]:
    """A picture of one page of the original (PNG; an image original as it is) and its type."""
    with connection(ws) as conn:
        row = catalogue.document_row(conn, catalogue.resolve_doc(conn, ref))
    if page < 1 or (row["pages"] and page > row["pages"]):
        raise PreviewUnavailable(_("没有第 {page} 页：这份文件共 {pages} 页").format(page=page, pages=row["pages"]))
    source = Store(ws.store_dir).path_for(row["sha256"])
    path = page_image(Converter(ws.cache_dir), row["sha256"], row["format"], source, page)
    is_image = row["format"].startswith("image:")
    return path, "image/" + row["format"].split(":", 1)[1] if is_image else "image/png"


def export_search(ws: Workspace, query: str, f: DocumentFilter | None = None, exact_script: bool = False) -> bytes:
    """Every hit of `query` (up to EXPORT_LIMIT) as an .xlsx workbook."""
    found = search(ws, query, f, limit=0, exact_script=exact_script)
    with connection(ws) as conn:
        return hit_list_workbook(query, catalogue.document_summaries(conn, found.ids[:EXPORT_LIMIT]))


def volumes(ws: Workspace) -> dict:
    """The built volumes as the last build recorded them, and the other files of the out folder."""
    folder = ws.out_dir / "卷宗"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {"volumes": {}}
    listed = []
    for code, entry in sorted(manifest.get("volumes", {}).items(), key=lambda kv: _natural(kv[0])):
        files = {fmt: entry[fmt]["file"] for fmt in ("docx", "pdf") if isinstance(entry.get(fmt), dict)
                 and (folder / entry[fmt]["file"]).is_file()}
        listed.append({"code": code, "name": entry.get("name", ""), "lead_department": entry.get("lead_department"),
                       "documents": entry.get("documents", 0), "missing": entry.get("missing", {}), "files": files})
    others = sorted(p.name for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")
                    and p.suffix in (".xlsx", ".docx", ".pdf") and p.name not in
                    {f for v in listed for f in v["files"].values()}) if folder.is_dir() else []
    return {"folder": str(folder), "volumes": listed, "files": others}


def _natural(code: str) -> list:
    """Ⅲ-2 before Ⅲ-10: numbers compared as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def volume_file(ws: Workspace, name: str) -> Path:
    """A file of the volumes' folder by its bare name; anything else is not found."""
    folder = (ws.out_dir / "卷宗").resolve()
    try:
        path = (folder / name).resolve()
        found = "/" not in name and "\\" not in name and not name.startswith(".") and path.parent == folder \
            and path.is_file()
    except (OSError, ValueError):       # a NUL, or a name longer than the file system allows
        found = False
    if not found:
        raise DocumentNotFound(name.replace("\x00", ""))
    return path
