"""The online submission (网上申报): per indicator a folder `编号 名称/` of its material in upload
form — one PDF per document (converted as for the volumes), photos as JPEG within the [online]
limits — named `序号_题名.ext`, a 清单.xlsx of every file and what is still missing, and on request
one zip per indicator. Files are written only when their bytes change; files of ours that no
longer belong are removed; the same catalogue gives the same bytes."""
from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from archive import catalogue
from archive.store import Store
from common.files import atomic_write
from dossier.build import Converter, VolumePlan, safe_name, safe_stem
from dossier.export.listing import listing_xlsx
from dossier.export.photos import upload_jpeg
from dossier.judge import MATERIAL_LABELS
from dossier.systems import EVIDENCE_LABELS

__all__ = ["OnlineResult", "export_online", "LISTING"]

LISTING = "清单.xlsx"
TITLE_CHARS = 40                      # of a document's title in its file name
OURS = re.compile(r"^\d{2,}_.+\.[A-Za-z0-9]{1,5}$")       # 序号_题名.ext: the files the export writes


@dataclass
class OnlineResult:
    folder: Path
    indicators: list[str] = field(default_factory=list)
    files: int = 0
    written: int = 0
    removed: int = 0
    warnings: list[str] = field(default_factory=list)


def _write_if_changed(path: Path, data: bytes, result: OnlineResult) -> None:
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    atomic_write(path, data, sync=False)
    result.written += 1


def _upload_file(doc, material: str | None, store: Store, converter: Converter, limits: dict,
                 result: OnlineResult) -> tuple[bytes, str]:
    """The bytes and extension of one document in upload form."""
    original = store.path_for(doc.sha256)
    if material == "photo" and doc.format.startswith("image:"):
        return upload_jpeg(original, int(limits["image_long_edge"]), limits["image_max_kb"]), "jpg"
    pdf = converter.pdf_for(doc.sha256, doc.format, original, doc.title)
    if pdf is None:
        why = converter.errors.get(doc.sha256, "无法转换为 PDF")
        result.warnings.append(f"{doc.title}：{why}，上传的是原件")
        return original.read_bytes(), doc.format.split(":")[-1]
    data = pdf.read_bytes()
    if len(data) > limits["pdf_max_mb"] * (1 << 20):
        result.warnings.append(f"{doc.title}：PDF 有 {len(data) / (1 << 20):.1f} MB，超过 {limits['pdf_max_mb']} MB 的上限，请压缩或拆分后再上传")
    return data, "pdf"


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.iterdir() if p.is_file() and OURS.match(p.name)):
            info = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            info.flag_bits |= 0x800          # names in UTF-8, as Windows' own unzip reads them
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def _missing_text(missing: dict[str, list[int]]) -> str:
    return "；".join(f"{EVIDENCE_LABELS.get(kind, kind)} {'、'.join(map(str, years))}"
                     for kind, years in missing.items() if years)


def export_online(conn: sqlite3.Connection, store: Store, plans: list[VolumePlan], out_dir: Path,
                  converter: Converter, limits: dict, *, zipped: bool = False, complete: bool = True,
                  progress: Callable[[str], None] | None = None) -> OnlineResult:
    """Write the upload folders of `plans` (with each plan's missing years) into `out_dir`.
    `complete`: the plans are every indicator with material, so 清单.xlsx is rewritten and the
    folders and zips of indicators no longer among them are removed; otherwise neither."""
    result = OnlineResult(out_dir)
    material_of = catalogue.materials(conn)
    rows, missing_rows = [], []
    converter.prepare([(d.sha256, d.format, store.path_for(d.sha256)) for plan in plans for d in plan.documents])
    for n, plan in enumerate(plans, start=1):
        if progress:
            progress(f"[{n}/{len(plans)}] {plan.code} {plan.name}")
        folder = out_dir / safe_stem(plan.code, plan.name)
        folder.mkdir(parents=True, exist_ok=True)
        names = set()
        for doc in plan.documents:
            material = material_of.get(doc.doc_id)
            data, ext = _upload_file(doc, material, store, converter, limits, result)
            name = f"{doc.seq:02d}_{safe_name(doc.title or '', TITLE_CHARS, '文件')}.{ext}"
            names.add(name)
            _write_if_changed(folder / name, data, result)
            rows.append([plan.code, plan.name, doc.seq, name, doc.title, MATERIAL_LABELS.get(material or "", "其他"),
                         "、".join(map(str, doc.years)), doc.department or "", doc.doc_id])
        for stale in sorted(p for p in folder.iterdir() if p.is_file() and OURS.match(p.name) and p.name not in names):
            stale.unlink()
            result.removed += 1
        result.files += len(names)
        result.indicators.append(plan.code)
        if plan.missing and (text := _missing_text(plan.missing)):
            missing_rows.append([plan.code, plan.name, plan.lead_department, text])
        if zipped:
            _write_if_changed(out_dir / f"{folder.name}.zip", _zip_folder(folder), result)
    if not complete:
        result.warnings.append("只导出了部分指标，清单.xlsx 未改动：不带指标编号再运行一次即可更新清单")
        return result
    _write_if_changed(out_dir / LISTING, listing_xlsx(rows, missing_rows), result)
    _remove_stale_indicators(out_dir, {safe_stem(plan.code, plan.name) for plan in plans}, result)
    return result


def _remove_stale_indicators(out_dir: Path, current: set[str], result: OnlineResult) -> None:
    """Folders (and zips) of indicators that have no material any more, when they hold only our files."""
    for path in sorted(out_dir.iterdir()):
        stem = path.name[:-4] if path.suffix == ".zip" else path.name
        if stem in current or path.name == LISTING:
            continue
        if path.is_dir() and all(p.is_file() and OURS.match(p.name) for p in path.iterdir()):
            for file in path.iterdir():
                file.unlink()
            path.rmdir()
            result.removed += 1
        elif path.suffix == ".zip" and path.is_file() and (out_dir / stem).exists() is False:
            path.unlink()
            result.removed += 1
