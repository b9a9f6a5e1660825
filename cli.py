"""The `dossier` command line: parsing and printing only; the work is in archive/ and dossier/."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from archive import catalogue
from archive.catalogue.documents import DocFilters, document_detail, list_documents, resolve_doc
from archive.errors import DossierError, is_disk_full
from archive.ingest.run import ingest as run_ingest
from archive.ingest.run import rebuild_index
from archive.locking import workspace_lock
from archive.search import SearchFilters, search_page
from archive.store import Store
from archive.verify import verify as run_verify
from archive.index.whoosh_engine import WhooshBackend
from archive.workspace import Workspace, init_workspace, open_workspace
from dossier.build.volumes import build_volumes
from dossier.console import STATUS_STYLE, RichProgress, coverage_table, docs_table
from dossier.coverage.report import completeness, compute_coverage
from dossier.coverage.xlsx import write_review_table
from dossier.coverage.status import workspace_status
from dossier.systems.xlsx import export_system_xlsx, import_system_xlsx, save_system
from dossier.systems.model import list_systems, load_system, validate_system_file

out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal:
    out.width = 160  # piped or redirected: wide lines beat tables folded into 80 columns
err = Console(stderr=True, highlight=False, soft_wrap=True)


class DossierGroup(click.Group):
    """Turns our errors into one line and exit code 1; tracebacks are for bugs only."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DossierError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            sys.exit(1)
        except (OSError, sqlite3.OperationalError) as exc:
            if not is_disk_full(exc):
                raise
            err.print("[bold red]error:[/] the disk is full: free some space and run the command again "
                      "(what was finished is kept; the next run completes the rest)", markup=True, highlight=False)
            sys.exit(1)
        except KeyboardInterrupt:
            err.print("interrupted; the workspace is consistent and the next run continues where this one stopped")
            sys.exit(130)


def emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _workspace(ctx: click.Context) -> Workspace:
    return open_workspace(ctx.obj.get("workspace"))


@contextmanager
def _catalogue(ws: Workspace):
    conn = catalogue.connect(ws.catalog_path)
    try:
        yield conn
    finally:
        conn.close()


@click.group(cls=DossierGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", type=click.Path(file_okay=False), envvar="DOSSIER_WORKSPACE",
              help="Workspace folder (default: the nearest folder upward holding dossier.toml; env DOSSIER_WORKSPACE).")
@click.version_option(package_name="dossier")
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    """dossier — file departments' evidence under the indicators it proves, check coverage,
    bind one dossier (卷宗) per indicator, and search everything in Chinese.

    \b
    Typical run:
      dossier init city --assessment-year 2026 --deadline 2026-05-26
      cd city && dossier ingest /path/to/收到的材料
      dossier search 志愿服务 --year 2025
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace


# -- init -----------------------------------------------------------------------------------
@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--system", "system_id", default="civilized-city", show_default=True, help="Indicator system id (see `dossier systems`).")
@click.option("--assessment-year", type=click.IntRange(2000, 2100), help="Year of the evaluation (default: this year).")
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), help="Submission deadline, YYYY-MM-DD.")
def init(directory: str, system_id: str, assessment_year: int | None, deadline: dt.datetime | None) -> None:
    """Create a workspace in DIRECTORY (default: here)."""
    load_system(system_id, [Path(directory).expanduser() / "systems"])  # an unknown id fails here, clearly
    ws, created = init_workspace(Path(directory), system=system_id, assessment_year=assessment_year,
                                 deadline=deadline.date() if deadline else None)
    catalogue.connect(ws.catalog_path).close()
    cfg = ws.config
    verb = "created" if created else "already a workspace:"
    out.print(f"{verb} {ws.root}  (system {cfg.system}, assessment year {cfg.assessment_year}"
              + (f", deadline {cfg.deadline}" if cfg.deadline else "") + ")")


# -- ingest ---------------------------------------------------------------------------------
@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--department", help="Department for every file (default: the first folder level under each SRC).")
@click.option("--workers", type=click.IntRange(1, 64), help="Extraction processes (default: one per core).")
@click.option("--ocr", type=click.Choice(["auto", "off", "force"]), default="auto", show_default=True,
              help="OCR scans after the batch: auto = pages without usable text; force = every image/PDF page; off = none.")
@click.option("--wait", type=click.FloatRange(0), default=30, show_default=True,
              help="Seconds to wait for another dossier process writing to the workspace.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def ingest(ctx: click.Context, sources: tuple[Path, ...], department: str | None, workers: int | None,
           ocr: str, wait: float, as_json: bool) -> None:
    """Ingest files and folders (any depth, Chinese names) into the archive.

    Identical content is stored once; unchanged files are not read again; a file that
    cannot be read is recorded as failed with its reason and the rest goes on.
    """
    ws = _workspace(ctx)
    classify = _classifier(_system_of(ws))
    progress = RichProgress(err, enabled=err.is_terminal and not as_json)
    try:
        summary = run_ingest(ws, list(sources), department=department, progress=progress, workers=workers,
                             lock_wait=wait, after_insert=classify, ocr=ocr)
    finally:
        progress.stop()
    if as_json:
        emit_json(summary.as_json())
        return
    out.print(f"added {summary.added}, duplicates {summary.duplicates}, unchanged {summary.unchanged}, "
              f"failed {len(summary.failed)}" + (f", needing OCR {summary.needs_ocr}" if summary.needs_ocr else "")
              + (f", skipped {len(summary.skipped)}" if summary.skipped else ""))
    for failure in summary.failed[:20]:
        out.print(f"  [red]failed[/] {failure['path']}: {failure['reason']}")
    if len(summary.failed) > 20:
        out.print(f"  … and {len(summary.failed) - 20} more: see `dossier docs --failed`")
    if summary.ocr:
        if summary.ocr.get("skipped_reason"):
            out.print(f"[yellow]OCR skipped:[/] {summary.ocr['skipped_reason']}")
        elif summary.ocr.get("documents"):
            out.print(f"OCR: {summary.ocr['documents']} documents, {summary.ocr['pages']} pages read")
        for failure in summary.ocr.get("failed", [])[:20]:
            out.print(f"  [red]OCR failed[/] {failure['title']} p.{failure['page']}: {failure['reason']}")
    if summary.failed_before:
        out.print(f"  {summary.failed_before} unchanged files failed in an earlier run: see `dossier docs --failed`")


def _classifier(system):
    """The automatic pass (years, kind, tags) that ingest runs on every new document."""
    from dossier.judge.classify import classify_documents

    return lambda conn, ids: classify_documents(conn, system, ids)


# -- tag / retag / review -------------------------------------------------------------------
@main.command()
@click.argument("doc")
@click.option("--add", "add_codes", multiple=True, metavar="CODE", help="File the document under this indicator.")
@click.option("--remove", "remove_codes", multiple=True, metavar="CODE",
              help="This indicator is wrong for the document; no automatic pass will add it again.")
@click.option("--year", "years", multiple=True, type=click.IntRange(1990, 2100), help="The years it covers (replaces the detected ones).")
@click.option("--kind", type=click.Choice(["statistics", "activity"]), help="统计数据类 or 活动类 material.")
@click.pass_context
def tag(ctx, doc: str, add_codes, remove_codes, years, kind) -> None:
    """Record a person's decision about a document; automatic passes never override it."""
    from archive.catalogue.decisions import add_manual_tag, remove_manual_tag, set_manual_kind, set_manual_years

    if not (add_codes or remove_codes or years or kind):
        raise click.UsageError("say what to record: --add, --remove, --year or --kind")
    ws = _workspace(ctx)
    system = _system_of(ws)
    adds = [system.indicator(code).code for code in add_codes]
    removes = [system.indicator(code).code for code in remove_codes]
    with workspace_lock(ws.lock_path, "tag", on_wait=err.print), _catalogue(ws) as conn:
        doc_id = resolve_doc(conn, doc)
        with catalogue.Transaction(conn):
            for code in adds:
                add_manual_tag(conn, doc_id, code)
            for code in removes:
                remove_manual_tag(conn, doc_id, code)
            if years:
                set_manual_years(conn, doc_id, list(years))
            if kind:
                set_manual_kind(conn, doc_id, kind)
        detail = document_detail(conn, doc_id)
    tags = ", ".join(f"{t['code']}({t['status']})" for t in detail["tags"]) or "none"
    out.print(f"{detail['title']}: tags {tags}; years {', '.join(map(str, detail['years'])) or '-'}; kind {detail['kind'] or '-'}")


@main.command()
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def retag(ctx, dry_run: bool, as_json: bool) -> None:
    """Re-run automatic tagging, years and kind on every document. Only rule- and path-made
    decisions change; a person's decisions are never touched."""
    from dossier.judge.classify import retag as run_retag

    ws = _workspace(ctx)
    system = _system_of(ws)
    with workspace_lock(ws.lock_path, "retag", on_wait=err.print), _catalogue(ws) as conn:
        changes = run_retag(conn, system, dry_run=dry_run)
        titles = {c.doc_id: conn.execute("SELECT title FROM documents WHERE id = ?", (c.doc_id,)).fetchone()[0] for c in changes}
    if as_json:
        emit_json([{"id": c.doc_id, "title": titles[c.doc_id], "added": c.added, "removed": c.removed,
                    "years": c.years, "kind": c.kind} for c in changes])
        return
    for c in changes:
        parts = [f"+{code}" for code in c.added] + [f"-{code}" for code in c.removed]
        if c.years:
            parts.append(f"years {c.years[0]} → {c.years[1]}")
        if c.kind:
            parts.append(f"kind {c.kind[0]} → {c.kind[1]}")
        out.print(f"  {c.doc_id:>5} {titles[c.doc_id]}: {'; '.join(parts)}")
    verb = "would change" if dry_run else "changed"
    out.print(f"{verb} {len(changes)} documents" + (" (dry run: nothing written)" if dry_run else ""))


@main.command()
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def review(ctx, limit: int, as_json: bool) -> None:
    """Documents a person should look at (no tag, low confidence, no year, conflicting
    signals), the ones whose decision would fill most coverage gaps first."""
    from dossier.judge.review import review_queue

    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        items = review_queue(conn, _system_of(ws), ws.config.assessment_year, ws.config.required_years)
    if as_json:
        emit_json([item.to_dict() for item in items])
        return
    for item in items[:limit]:
        out.print(f"[bold]{item.doc_id:>5}[/] {item.title}  [dim]({item.department or '-'})[/]")
        out.print(f"        {'; '.join(item.problems)}")
        if item.suggestions:
            best = item.suggestions[0]
            out.print(f"        suggestion: dossier tag {item.doc_id} --add {best['code']}   ({best['name']}; {best['reason']})")
    out.print(f"{len(items)} documents to review" + (f" (first {limit} shown)" if len(items) > limit else ""))


# -- docs / show ----------------------------------------------------------------------------
@main.command()
@click.option("--indicator", help="Only documents tagged with this indicator code.")
@click.option("--department", help="Only documents from this department.")
@click.option("--failed", is_flag=True, help="Only files that could not be read, with the reason.")
@click.option("--untagged", is_flag=True, help="Only documents without any indicator tag.")
@click.option("--needs-ocr", is_flag=True, help="Only scans waiting for OCR.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def docs(ctx, indicator, department, failed, untagged, needs_ocr, as_json) -> None:
    """List documents in the archive."""
    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        department = ws.department_name(department)
        rows = list_documents(conn, DocFilters(indicator=indicator, department=department, failed=failed,
                                               untagged=untagged, needs_ocr=needs_ocr))
    if as_json:
        emit_json(rows)
    elif not rows:
        out.print("no documents match")
    else:
        out.print(docs_table(rows))
        out.print(f"{len(rows)} documents")


@main.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def show(ctx, doc: str, as_json: bool) -> None:
    """Show one document: metadata, sources, tags with their reasons, years, start of the text."""
    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        detail = document_detail(conn, resolve_doc(conn, doc))
    if as_json:
        emit_json(detail)
        return
    out.print(f"[bold]{detail['title']}[/]  (id {detail['id']}, sha256 {detail['sha256'][:16]}…)")
    fields = [("部门 department", detail["department"]), ("格式 format", detail["format"]),
              ("页数 pages", detail["pages"]), ("文号", detail["doc_number"]), ("责任者 issuer", detail["issuer"]),
              ("日期 date", detail["doc_date"]), ("状态 status", detail["status"] + (f": {detail['error']}" if detail["error"] else ""))]
    for label, value in fields:
        if value not in (None, ""):
            out.print(f"  {label}: {value}")
    kind = detail["kind"] or "未判定"
    out.print(f"  类型 kind: {kind}" + (f"  ({detail['kind_source']}: {detail['kind_reason']})" if detail["kind_reason"] else ""))
    years = ", ".join(f"{y['year']} ({y['source']}: {y['reason']})" for y in detail["year_reasons"]) or "未判定"
    out.print(f"  年份 years: {years}")
    if detail["tags"]:
        out.print("  指标 tags:")
        for tag in detail["tags"]:
            out.print(f"    {tag['code']}  {tag['status']:<8} {tag['source']:<6} {tag['confidence']:.2f}  {tag['reason']}")
    for note in detail["notes"]:
        out.print(f"  note: {note}")
    out.print("  来源 sources:")
    for path in detail["sources"]:
        out.print(f"    {path}")
    if detail["text_head"]:
        out.print("  ── text ──")
        out.print(detail["text_head"], markup=False)


# -- search ---------------------------------------------------------------------------------
@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--indicator", help="Only documents tagged with this indicator code.")
@click.option("--department", help="Only documents from this department.")
@click.option("--year", type=int, help="Only documents covering this year.")
@click.option("--kind", type=click.Choice(["statistics", "activity"]), help="Only this kind of material.")
@click.option("--limit", type=click.IntRange(1, 100000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def search(ctx, query: tuple[str, ...], indicator, department, year, kind, limit, as_json) -> None:
    """Full-text search in Chinese: exact phrases, AND / OR / NOT, "quoted phrases".

    \b
    Examples:
      dossier search 志愿服务
      dossier search '未成年人 AND (心理健康 OR 家庭教育) NOT 2021'
      dossier search 注册志愿者 --year 2025 --department 团市委
    """
    ws = _workspace(ctx)
    text = " ".join(query)
    with _catalogue(ws) as conn:
        backend = WhooshBackend(ws.index_dir)
        if backend.needs_rebuild():
            with workspace_lock(ws.lock_path, "reindex"):
                rebuild_index(conn, backend)
        filters = SearchFilters(department=ws.department_name(department), year=year, kind=kind, indicator=indicator)
        found = search_page(conn, backend, text, filters, limit=limit)
        backend.close()
    hits = found.hits
    if as_json:
        emit_json([h.as_json() for h in hits])
        return
    if not hits:
        out.print("no documents match")
        return
    shown = f", the best {len(hits)} shown (--limit)" if found.total > len(hits) else ""
    out.print(f"{found.total} documents match{shown}")
    for rank, hit in enumerate(hits, start=1):
        where = f"p.{hit.page}" if hit.page else "title"
        years = ",".join(map(str, hit.years))
        out.print(f"[bold]{rank}. {hit.title}[/]  [dim](id {hit.id} · {hit.department or '-'} · {years or '-'} · {where} · {hit.score:.2f})[/]")
        snippet = hit.snippet.replace("[", "\\[")
        if out.is_terminal:  # colour on a screen; the 【】 marks stay when the output is piped
            snippet = snippet.replace("【", "[bold yellow]").replace("】", "[/]")
        out.print(f"   {snippet}")


# -- verify / reindex -----------------------------------------------------------------------
@main.command()
@click.option("--deep", is_flag=True, help="Also re-hash every stored original (slow on big archives).")
@click.pass_context
def verify(ctx, deep: bool) -> None:
    """Check that the store, the catalogue and the search index agree. Exit 1 on problems."""
    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        backend = WhooshBackend(ws.index_dir)
        report = run_verify(conn, Store(ws.store_dir), backend, deep=deep)
        backend.close()
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    for warning in report.warnings:
        out.print(f"[yellow]warning:[/] {warning}")
    for problem in report.problems:
        out.print(f"[red]problem:[/] {problem}")
    if not report.ok:
        raise DossierError(f"verify found {len(report.problems)} problem(s) ({counts})")
    out.print(f"ok: {counts}")


@main.command()
@click.pass_context
def reindex(ctx) -> None:
    """Rebuild the full-text index from the catalogue."""
    ws = _workspace(ctx)
    with workspace_lock(ws.lock_path, "reindex", on_wait=err.print), _catalogue(ws) as conn:
        backend = WhooshBackend(ws.index_dir)
        count = rebuild_index(conn, backend)
        backend.close()
    out.print(f"reindexed {count} documents")


# -- build ----------------------------------------------------------------------------------
def _system_of(ws: Workspace):
    return load_system(ws.config.system, [ws.systems_dir])


@main.command()
@click.argument("codes", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: out/卷宗 in the workspace).")
@click.option("--format", "formats", default="docx,pdf", show_default=True, help="docx, pdf or both, comma-separated.")
@click.pass_context
def build(ctx, codes: tuple[str, ...], out_dir: Path | None, formats: str) -> None:
    """Bind one dossier (卷宗) per indicator with evidence — or the CODEs given — as .docx and
    .pdf, plus the submission index 总目录.xlsx/.docx. Only changed volumes are rebuilt."""
    ws = _workspace(ctx)
    system = _system_of(ws)
    target = out_dir or ws.out_dir / "卷宗"
    wanted = {f.strip().lower() for f in formats.split(",") if f.strip()}
    with workspace_lock(ws.lock_path, "build", on_wait=err.print), _catalogue(ws) as conn:
        result = build_volumes(ws, conn, system, list(codes) or None, target, wanted,
                               missing=_missing_years(conn, system, ws), progress=err.print)
    out.print(f"built {len(result.built)} volumes, {len(result.unchanged)} unchanged"
              + (f"; {len(result.skipped)} indicators have no evidence yet" if result.skipped else ""))
    for warning in result.warnings:
        out.print(f"[yellow]warning:[/] {warning}")
    out.print(f"dossiers in {target}")


def _missing_years(conn, system, ws: Workspace) -> dict:
    """Coverage's missing years per indicator and kind, for the volumes' notes and 总目录."""
    report = compute_coverage(conn, system, ws.config, alias=ws.department_name)
    return {item.code: {kind: cov.missing for kind, cov in item.evidence.items()} for item in report.indicators}


# -- coverage / status ----------------------------------------------------------------------
@main.command()
@click.option("--department", help="Only indicators this department leads: what it still owes.")
@click.option("--missing", "missing_only", is_flag=True, help="Only indicators that are not complete.")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Also write the 材料审核记录表 here.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def coverage(ctx, department, missing_only, xlsx, as_json) -> None:
    """Per indicator and kind: required, present and missing years (statistics: the 2 years
    before the assessment year; activity: 3), and who leads it."""
    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        report = compute_coverage(conn, _system_of(ws), ws.config, department=ws.department_name(department),
                                  alias=ws.department_name)
    if xlsx:
        write_review_table(report, xlsx)  # the record table always lists every indicator
    overall, total = completeness(report), len(report.indicators)
    if missing_only:
        report.indicators = [i for i in report.indicators if i.status != "complete"]
    if as_json:
        emit_json(report.as_json())
        return
    table = coverage_table(report)
    out.print(table)
    counts = {k: sum(1 for i in report.indicators if i.status == k) for k in STATUS_STYLE}
    shown = f"{len(report.indicators)} of {total} indicators not complete" if missing_only else f"{total} indicators"
    out.print(f"{shown}: complete {counts['complete']}, partial {counts['partial']}, "
              f"missing {counts['missing']}; completeness {overall:.0%}"
              + (f"; record table written to {xlsx}" if xlsx else ""))


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status(ctx, as_json: bool) -> None:
    """Counts, completeness (overall and per department) and days to the deadline."""
    ws = _workspace(ctx)
    with _catalogue(ws) as conn:
        info = workspace_status(ws, conn, _system_of(ws))
    if as_json:
        emit_json(info)
        return
    if info["days_left"] is None:
        when = "no deadline set (dossier.toml: deadline = YYYY-MM-DD)"
    elif info["overdue"]:
        when = f"[red]{-info['days_left']} days overdue[/] (deadline {info['deadline']})"
    else:
        when = f"{info['days_left']} days to the deadline ({info['deadline']})"
    out.print(f"[bold]{info['system_name']}[/] · assessment year {info['assessment_year']} · {when}")
    out.print(f"documents {info['documents']} (failed {info['failed']}, needing OCR {info['needs_ocr']}, "
              f"to review {info['to_review']})")
    out.print(f"indicators complete {info['complete_indicators']} of {info['indicators']}; "
              f"completeness {info['completeness']:.0%}")
    worst = sorted(info["departments"].items(), key=lambda kv: kv[1])[:8]
    if worst:
        out.print("least complete departments: " + ", ".join(f"{d} {v:.0%}" for d, v in worst))


# -- indicator systems ----------------------------------------------------------------------
def _system_dirs(ctx: click.Context) -> list[Path]:
    """The workspace's own systems/ folder when there is a workspace; built-ins otherwise."""
    try:
        return [_workspace(ctx).systems_dir]
    except DossierError:
        return []


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def systems(ctx, as_json: bool) -> None:
    """List the indicator systems (built-in and imported into this workspace)."""
    rows = [s.summary() for s in list_systems(_system_dirs(ctx))]
    if as_json:
        emit_json(rows)
        return
    table = Table(pad_edge=False)
    for name in ("id", "名称", "版本", "项目", "内容", "指标", "材料审核"):
        table.add_column(name)
    table.columns[1].overflow = "fold"
    for row in rows:
        table.add_row(row["id"], row["name"], str(row["version"]), str(row["parts"]), str(row["contents"]),
                      str(row["indicators"]), str(row["material_review_indicators"]))
    out.print(table)


@main.group()
def system() -> None:
    """Show, validate, import and export indicator systems."""


@system.command("show")
@click.argument("system_id")
@click.option("--all", "show_all", is_flag=True, help="Also indicators not checked by material review.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def system_show(ctx, system_id: str, show_all: bool, as_json: bool) -> None:
    """The flattened indicators of a system, with part and content."""
    chosen = load_system(system_id, _system_dirs(ctx))
    indicators = chosen.indicators() if show_all else chosen.material_review()
    if as_json:
        emit_json({"id": chosen.id, "name": chosen.name, "version": chosen.version,
                   "indicators": [i.to_dict() for i in indicators]})
        return
    table = Table(pad_edge=False)
    for name, opts in (("编号", {}), ("指标名称", {"overflow": "fold"}), ("测评内容", {"overflow": "fold"}),
                       ("材料类型", {}), ("牵头单位", {"overflow": "fold"})):
        table.add_column(name, **opts)
    for ind in indicators:
        kinds = "、".join({"statistics": "统计", "activity": "活动"}[k] for k in ind.evidence)
        table.add_row(ind.code, ind.name, ind.content_name, kinds, ind.lead_department or "")
    out.print(f"[bold]{chosen.name}[/] ({chosen.id}, {chosen.version})")
    out.print(table)
    out.print(f"{len(indicators)} indicators" + ("" if show_all else " by material review (--all for every one)"))


@system.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def system_validate(file: Path) -> None:
    """Check a system file (YAML/JSON); one line per problem, exit 1 when invalid."""
    problems = validate_system_file(file)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    out.print(f"ok: {file} is a valid indicator system")


@system.command("export")
@click.argument("system_id")
@click.argument("xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def system_export(ctx, system_id: str, xlsx: Path) -> None:
    """Write a system as an Excel table (测评项目 · 测评内容 · 指标编号 · … · 牵头单位)."""
    export_system_xlsx(load_system(system_id, _system_dirs(ctx)), xlsx)
    out.print(f"wrote {xlsx}")


@system.command("import")
@click.argument("xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "system_id", help="Id to store the system under (default: from the table or its file name).")
@click.pass_context
def system_import(ctx, xlsx: Path, system_id: str | None) -> None:
    """Import an office's Excel table into this workspace (select it with `init --system ID`
    or `system = "ID"` in dossier.toml)."""
    ws = _workspace(ctx)
    imported = import_system_xlsx(xlsx, system_id=system_id)
    path = save_system(imported, ws.systems_dir)
    counts = imported.counts()
    out.print(f"imported {imported.id} ({imported.name}): {counts['indicators']} indicators, "
              f"{counts['material_review_indicators']} by material review → {path}")


if __name__ == "__main__":
    main()
