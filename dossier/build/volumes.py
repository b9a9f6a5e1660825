"""`dossier build`: one volume per indicator (docx and pdf) and the submission index 总目录.

Incremental: `out_dir/.dossier-build.json` records each volume's fingerprint (volume_plan)
and the files written; a volume whose fingerprint and files are unchanged is not rebuilt.
Deterministic: the same workspace gives the same bytes (fixed docx and PDF dates and ids,
zip times, order). Every file is written to a temporary name and renamed into place, and the
manifest is saved after each volume, so an interrupted build is completed by the next one.
Word volumes of a large build are made in worker processes, one per core; this process writes
each file as it arrives, so the bytes do not depend on which worker made them or when.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from archive import catalogue
from common.errors import os_reason, BuildError
from archive.store import Store
from archive.workspace import Workspace

from dossier.build.pdf_convert import Converter
from dossier.build.submission_index import IndexRow, write_submission_index
from dossier.systems import System
from dossier.build.volume_docx import VolumeContext, build_volume_docx
from dossier.build.volume_pdf import PdfLayout, assemble, layout, matter_docx
from dossier.build.plan import FORMAT_VERSION, PlannedDoc, VolumePlan, plan_volumes
from common.files import atomic_path, atomic_write, remove_stale_temporaries
from common.messages import _
from common.workers import end_with, worker_context

MANIFEST = ".dossier-build.json"
FORMATS = ("docx", "pdf")
MAX_STEM = 80                     # characters: Windows paths stay under 260 with a deep out folder
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_Item = tuple[VolumePlan, VolumeContext, str, str]     # plan, context, fingerprint, file stem


@dataclass
class BuildResult:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def safe_name(text: str, limit: int = MAX_STEM, fallback: str = "volume") -> str:
    """`text` usable as a file name on Windows and Linux: no reserved characters, no trailing dot."""
    stem = _UNSAFE.sub("_", text)
    stem = re.sub(r"\s+", " ", stem).strip()[:limit].rstrip(" .")
    return stem or fallback


def safe_stem(code: str, name: str) -> str:
    """'<code> <name>' usable as a file name on Windows and Linux."""
    return safe_name(f"{code} {name}")


def compile_date(given: dt.date | None = None) -> dt.date:
    """The 立卷时间: given, else SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if given:
        return given
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def volume_context(ws: Workspace, compiled: dt.date) -> VolumeContext:
    """Names and choices from dossier.toml's optional [build] table (fonds, retention, compiler, checker)."""
    raw = ws.config.build
    text = {k: raw[k] for k in ("fonds", "retention", "compiler", "checker") if raw.get(k)}
    return VolumeContext(compiled=compiled, required_years=dict(ws.config.required_years), **text)


class _Source:
    """The docx volume's view of a document: extracted text, page images, the image itself."""

    def __init__(self, conn: sqlite3.Connection, store: Store, converter: Converter) -> None:
        self.conn, self.store, self.converter = conn, store, converter

    def pages(self, doc: PlannedDoc) -> list[str]:
        return catalogue.page_texts(self.conn, doc.doc_id)

    def ocr_pages(self, doc: PlannedDoc) -> set[int]:
        """Pages whose text OCR read: a reviewer should see the scan itself, not our reading."""
        return catalogue.ocr_pages(self.conn, doc.doc_id)

    def page_image(self, doc: PlannedDoc, page: int) -> Path | None:
        return self.converter.page_image(self.store.path_for(doc.sha256), doc.sha256, page)

    def image(self, doc: PlannedDoc) -> Path | None:
        """The image, as PNG or JPEG at most 2000 px (phone photos would bloat the docx)."""
        from PIL import Image
        target = self.converter.cache_dir / "images" / f"{doc.sha256}.png"
        if target.is_file():
            return target
        try:
            with Image.open(self.store.path_for(doc.sha256)) as image:
                image.thumbnail((2000, 2000))
                frame = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
        except Exception:  # a damaged image is shown as a note, never a failed build
            return None
        with atomic_path(target) as tmp:
            frame.save(tmp, "PNG")
        return target


# ---------------------------------------------------------------- manifest

def _load_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("volumes"), dict) else {"volumes": {}}
    except (OSError, ValueError):
        return {"volumes": {}}


def _save_manifest(out_dir: Path, manifest: dict) -> None:
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    path = out_dir / MANIFEST
    if not path.is_file() or path.read_bytes() != data:      # an unchanged build touches nothing
        atomic_write(path, data)


def _fresh(out_dir: Path, entry: dict | None, fingerprint: str, has_soffice: bool) -> bool:
    """Whether the recorded file is current: same fingerprint, still there, same size, and
    (for a PDF built without LibreOffice) LibreOffice is still missing."""
    if not entry or entry.get("fingerprint") != fingerprint:
        return False
    path = out_dir / entry.get("file", "")
    if not path.is_file() or path.stat().st_size != entry.get("size"):
        return False
    return entry.get("complete", True) or not has_soffice


# ---------------------------------------------------------------- the build

def build_volumes(ws: Workspace, conn: sqlite3.Connection, system: System, codes: list[str] | None,
                  out_dir: Path, formats: set[str] = frozenset(FORMATS), missing: dict | None = None,
                  progress: Callable[[str], None] | None = None, *, compiled_on: dt.date | None = None,
                  converter: Converter | None = None) -> BuildResult:
    """Build the volumes of `codes` (every indicator with documents when None) into `out_dir`.

    `missing` is coverage's {code: {kind: [years]}}; `converter` lets a caller share the
    conversion cache or simulate a machine without LibreOffice (Converter(..., soffice=None)).
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise BuildError(_("未知的输出格式：{given}；可用 docx、pdf").format(given="、".join(sorted(unknown)) or _("（空）")))
    say = progress or (lambda _: None)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(_("无法创建输出文件夹 {folder}：{why}").format(folder=out_dir, why=os_reason(exc))) from exc
    remove_stale_temporaries(out_dir)
    plans, skipped = plan_volumes(conn, system, codes, missing)
    result = BuildResult(skipped=skipped)
    converter = converter or Converter(ws.cache_dir)
    store, compiled = Store(ws.store_dir), compile_date(compiled_on)
    base_ctx = volume_context(ws, compiled)
    manifest = _load_manifest(out_dir)
    volumes = manifest["volumes"]
    if manifest.get("format") != FORMAT_VERSION:
        manifest["format"] = FORMAT_VERSION

    todo: dict[str, list[_Item]] = {f: [] for f in FORMATS}
    for plan in plans:
        ctx = replace(base_ctx, archive_number=f"{ws.config.assessment_year}-{plan.code}")
        fingerprint, stem = plan.fingerprint(ctx.options()), safe_stem(plan.code, plan.name)
        entry = volumes.setdefault(plan.code, {})
        changed = False
        for fmt in sorted(formats):
            if not _fresh(out_dir, entry.get(fmt), fingerprint, converter.has_soffice):
                todo[fmt].append((plan, ctx, fingerprint, stem))
                changed = True
        (result.built if changed else result.unchanged).append(plan.code)
        entry.update(name=plan.name, lead_department=plan.lead_department, documents=len(plan.documents),
                     pages_estimate=sum(d.pages_estimate for d in plan.documents), missing=plan.missing,
                     years=plan.years_covered, stem=stem, fingerprint=fingerprint)

    job = _Job(out_dir, ws.catalog_path, _Source(conn, store, converter), manifest, result, say)
    for fmt, write in VOLUME_WRITERS.items():
        if todo[fmt]:
            write(todo[fmt], job)

    if codes is None:
        _drop_stale(out_dir, manifest, {p.code for p in plans}, result)
    _save_manifest(out_dir, manifest)
    for plan in plans:
        entry = volumes[plan.code]
        result.outputs += [out_dir / entry[f]["file"] for f in FORMATS if f in formats and f in entry]
    result.outputs += write_submission_index(_index_rows(system, volumes), system.name, out_dir, compiled)
    return result


# ---------------------------------------------------------------- Word volumes, in parallel

PARALLEL_MIN_DOCS = 50    # below this many documents, starting worker processes costs more than it saves
_worker_source: _Source | None = None


@dataclass
class _Job:
    """What every volume writer needs of the build under way."""

    out_dir: Path
    catalog_path: Path
    source: _Source
    manifest: dict
    result: BuildResult
    say: Callable[[str], None]


def _write_docx_volumes(items: list[_Item], job: _Job) -> None:
    volumes = job.manifest["volumes"]

    def write(n: int, item: _Item, data: bytes) -> None:
        plan, _ctx, fingerprint, stem = item
        job.say(f"[{n}/{len(items)}] " + _("{code} {name}：生成 Word 卷").format(code=plan.code, name=plan.name))
        path = job.out_dir / f"{stem}.docx"
        _replace_old(job.out_dir, volumes[plan.code].get("docx"), path)
        atomic_write(path, data)
        volumes[plan.code]["docx"] = {"fingerprint": fingerprint, "file": path.name, "size": path.stat().st_size}
        _save_manifest(job.out_dir, job.manifest)

    _render_docx(items, job.catalog_path, job.source, write)


def _render_docx(items: list[_Item], catalog_path: Path, source: _Source,
                 ready: Callable[[int, _Item, bytes], None]) -> None:
    """Make each Word volume and hand it to `ready` (with its count) as soon as it is done: in this
    process for a small build, else in one worker process per core (python-docx holds the GIL)."""
    workers = min(os.cpu_count() or 1, len(items))
    # Workers read the committed catalogue: a caller's open transaction keeps the build here.
    if workers < 2 or source.conn.in_transaction or sum(len(p.documents) for p, *_ in items) < PARALLEL_MIN_DOCS:
        for n, item in enumerate(items, start=1):
            ready(n, item, build_volume_docx(item[0], item[1], source))
        return
    # The largest volumes go first, so that no worker is left alone with a large one at the end.
    largest_first = sorted(items, key=lambda item: -len(item[0].documents))
    with ProcessPoolExecutor(workers, mp_context=worker_context(), initializer=_start_docx_worker,
                             initargs=(catalog_path, source.store, source.converter, os.getpid())) as pool:
        futures = {pool.submit(_docx_in_worker, item[0], item[1]): item for item in largest_first}
        try:
            for n, future in enumerate(as_completed(futures), start=1):
                ready(n, futures[future], future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)      # the volumes under way still finish
            raise


def _start_docx_worker(catalog_path: Path, store: Store, converter: Converter, owner: int) -> None:
    """A worker reads the catalogue through its own connection: SQLite's must not cross processes;
    it ends when the build that started it was killed."""
    global _worker_source
    end_with(owner)
    _worker_source = _Source(catalogue.connect(catalog_path), store, converter)


def _docx_in_worker(plan: VolumePlan, ctx: VolumeContext) -> bytes:
    assert _worker_source is not None, "the pool's initializer opens the source"
    return build_volume_docx(plan, ctx, _worker_source)


def _write_pdf_volumes(items: list[_Item], job: _Job) -> None:
    """Pass 1: convert every original (one LibreOffice run) and count pages. Pass 2: draw the
    catalogues with those page numbers (one more run) and merge each volume."""
    out_dir, converter, store, manifest = job.out_dir, job.source.converter, job.source.store, job.manifest
    result, say = job.result, job.say
    say(_("转换原件为 PDF（{n} 件）").format(n=sum(len(p.documents) for p, *_rest in items)))
    converter.prepare([(d.sha256, d.format, store.path_for(d.sha256)) for plan, *_ in items for d in plan.documents])
    layouts: list[PdfLayout] = [layout(plan, converter, lambda d: store.path_for(d.sha256)) for plan, *_ in items]
    say(_("生成封面、卷内文件目录和备考表"))
    matters = [matter_docx(lay, ctx) for lay, (_, ctx, _, _) in zip(layouts, items)]
    rendered = converter.docx_to_pdf([data for pair in matters for data in pair])
    if not converter.has_soffice:
        result.warnings.append(_("未安装 LibreOffice：PDF 卷中缺少封面、卷内文件目录、备考表和需要转换的 Word/Excel/文本原件（已用说明页占位）；Word 卷完整。"))
    for n, (lay, (plan, ctx, fingerprint, stem)) in enumerate(zip(layouts, items)):
        say(f"[{n + 1}/{len(items)}] " + _("{code} {name}：合并 PDF 卷").format(code=plan.code, name=plan.name))
        path = out_dir / f"{stem}.pdf"
        _replace_old(out_dir, manifest["volumes"][plan.code].get("pdf"), path)
        info = assemble(lay, rendered[2 * n], rendered[2 * n + 1], path, ctx.compiled, fingerprint)
        if info.problems and converter.has_soffice:
            result.warnings.append(_("{code} PDF 卷缺少：{missing}").format(code=plan.code, missing="；".join(info.problems)))
        manifest["volumes"][plan.code]["pdf"] = {
            "fingerprint": fingerprint, "file": path.name, "size": path.stat().st_size, "complete": info.complete,
            "pages": info.pages, "front_pages": info.front_pages, "problems": info.problems,
            "starts": {str(seq): first for seq, (first, _) in info.numbering.items()}}
        _save_manifest(out_dir, manifest)


# The writers of each volume format, in the order they run; a new format is one writer here.
VOLUME_WRITERS: dict[str, Callable[[list[_Item], _Job], None]] = {"docx": _write_docx_volumes,
                                                                 "pdf": _write_pdf_volumes}


def _replace_old(out_dir: Path, entry: dict | None, new_path: Path) -> None:
    """Remove the previous file of a volume whose name changed (the indicator was renamed)."""
    old = entry.get("file") if entry else None
    if old and old != new_path.name and (out_dir / old).is_file():
        (out_dir / old).unlink()


def _drop_stale(out_dir: Path, manifest: dict, current: set[str], result: BuildResult) -> None:
    """After a full build, remove the volumes of indicators that no longer have documents."""
    for code in sorted(set(manifest["volumes"]) - current):
        entry = manifest["volumes"].pop(code)
        for fmt in FORMATS:
            name = (entry.get(fmt) or {}).get("file")
            if name and (out_dir / name).is_file():
                (out_dir / name).unlink()
        result.warnings.append(_("{code} 已没有归入的材料，删除了它的旧卷宗").format(code=code))


def _index_rows(system: System, volumes: dict) -> list[IndexRow]:
    order = {ind.code: n for n, ind in enumerate(system.indicators())}
    rows = []
    for code in sorted(volumes, key=lambda c: (order.get(c, len(order)), c)):
        entry = volumes[code]
        files = [entry[f]["file"] for f in FORMATS if f in entry]
        if not files:
            continue
        pdf = entry.get("pdf")
        exact = bool(pdf and pdf.get("pages") is not None and pdf.get("fingerprint") == entry.get("fingerprint"))
        rows.append(IndexRow(code=code, name=entry["name"], lead_department=entry["lead_department"],
                             documents=entry["documents"], pages=pdf["pages"] if exact else entry["pages_estimate"],
                             pages_exact=exact, missing=entry.get("missing"), files=files))
    return rows
assert FORMATS == tuple(VOLUME_WRITERS), "every format in FORMATS has its writer"
