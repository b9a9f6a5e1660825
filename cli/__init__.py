"""The `dossier` command line: parsing and printing only; the work is in dossier.operations."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from common.errors import DossierError
from common.messages import _
from dossier import operations as ops
from dossier.console import (DossierGroup, RichProgress, coverage_table, docs_table, emit_json, err, lines,
                             login_name, out, say)

KINDS = click.Choice(["statistics", "activity"])


def _ws(ctx: click.Context) -> ops.Workspace:
    return ops.open_workspace(ctx.obj.get("workspace"))


json_option = click.option("--json", "as_json", is_flag=True, help=_("以 JSON 输出（UTF-8），供脚本使用。"))


@click.group(cls=DossierGroup, context_settings={"help_option_names": ["-h", "--help"]}, help=_("""
    dossier：把各部门报送的佐证材料归入所证明的测评指标，检查材料是否齐全，每个指标装订一卷卷宗，
    并可用中文全文检索全部材料。

    \b
    常用流程：
      dossier init 创城资料 --assessment-year 2026 --deadline 2026-05-26
      cd 创城资料 && dossier ingest ~/收到的材料
      dossier coverage --missing;  dossier build;  dossier search 志愿服务 --year 2025
    """))
@click.option("-w", "--workspace", type=click.Path(file_okay=False), envvar="DOSSIER_WORKSPACE",
              help=_("工作区文件夹（默认：从当前文件夹向上找到的含 dossier.toml 的文件夹；环境变量 DOSSIER_WORKSPACE）。"))
@click.version_option(package_name="dossier")
@click.pass_context
def main(ctx: click.Context, workspace: str | None) -> None:
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace


@main.command(help=_("""在 DIRECTORY（默认：当前文件夹）建立工作区。"""))
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--system", "system_id", default="civilized-city", show_default=True, help=_("测评体系编号（见 dossier systems）。"))
@click.option("--assessment-year", type=click.IntRange(2000, 2100), help=_("测评年份（默认：今年）。"))
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), help=_("报送截止日期，YYYY-MM-DD。"))
@click.option("--engine", type=click.Choice(["whoosh", "tantivy"]), default="whoosh", show_default=True,
              help=_("全文检索引擎（dossier.toml 的 [search] engine；改后运行 dossier reindex）。"))
def init(directory: str, system_id: str, assessment_year: int | None, deadline: dt.datetime | None, engine: str) -> None:
    ws, created = ops.init(Path(directory), system_id=system_id, assessment_year=assessment_year,
                           deadline=deadline.date() if deadline else None, engine=engine)
    cfg = ws.config
    verb = _("已建立工作区") if created else _("已是工作区：")
    say(verb + f" {ws.root}  " + _("（测评体系 {system}，测评年份 {year}，检索引擎 {engine}").format(
        system=cfg.system, year=cfg.assessment_year, engine=cfg.engine)
        + (_("，截止 {deadline}").format(deadline=cfg.deadline) if cfg.deadline else "") + "）")


def no_empty_paths(ctx, param, values: tuple[str, ...]) -> tuple[Path, ...]:
    # An empty argument ("" from a script's unset variable) would otherwise mean the current folder.
    if any(not value.strip() for value in values):
        raise click.BadParameter(_("路径是空的：请给出要收录的文件或文件夹"))
    return tuple(Path(value) for value in values)


@main.command(help=_("""收录文件和文件夹（任意层级，中文名）。

    相同内容只存一份；未变的文件不再读取；读不了的文件记为失败并注明原因，其余照常进行。
    """))
@click.argument("sources", nargs=-1, required=True, type=click.Path(), callback=no_empty_paths)
@click.option("--department", help=_("所有文件都记为这个部门（默认：每个 SRC 下的第一级文件夹名）。"))
@click.option("--workers", type=click.IntRange(1, 64), help=_("提取文字的进程数（默认：每个处理器核心一个）。"))
@click.option("--ocr", type=click.Choice(["auto", "off", "force"]), default="auto", show_default=True,
              help=_("批次后做文字识别：auto = 没有可用文字的页；force = 每个图片和 PDF 页；off = 不做。"))
@click.option("--wait", type=click.FloatRange(0), default=30, show_default=True,
              help=_("另一个 dossier 进程正在写入工作区时，最多等待的秒数。"))
@json_option
@click.pass_context
def ingest(ctx, sources: tuple[Path, ...], department, workers, ocr: str, wait: float, as_json: bool) -> None:
    progress = RichProgress(err, enabled=err.is_terminal and not as_json)
    try:
        summary = ops.ingest(_ws(ctx), list(sources), department=department, workers=workers, ocr=ocr, wait=wait,
                             progress=progress)
    finally:
        progress.stop()
    emit_json(summary.as_json()) if as_json else say(*lines.ingest_lines(summary))


@main.command(help=_("""记录人对一份文件的判断；自动归类永远不会覆盖它。"""))
@click.argument("doc")
@click.option("--add", "add_codes", multiple=True, metavar="CODE", help=_("把文件归入这个指标。"))
@click.option("--remove", "remove_codes", multiple=True, metavar="CODE",
              help=_("这个指标不适合该文件；自动归类不会再把它加回来。"))
@click.option("--year", "years", multiple=True, type=click.IntRange(1990, 2100), help=_("文件涵盖的年份（替换识别出的年份）。"))
@click.option("--kind", type=KINDS, help=_("统计数据类（statistics）或活动类（activity）材料。"))
@click.option("--material", type=click.Choice(ops.MATERIALS),
              help=_("材料类型：图片资料（photo）、正式发文（official）、说明报告（report）、数据表格（table）或其他（other）。"))
@click.option("--wait", type=click.FloatRange(0), default=30, show_default=True,
              help=_("另一个 dossier 进程正在写入工作区时（例如正在收录），最多等待的秒数。"))
@click.pass_context
def tag(ctx, doc: str, add_codes, remove_codes, years, kind, material, wait: float) -> None:
    if not (add_codes or remove_codes or years or kind or material):
        raise click.UsageError(_("请说明要记录什么：--add、--remove、--year、--kind 或 --material"))
    detail = ops.tag(_ws(ctx), doc, add=add_codes, remove=remove_codes, years=years, kind=kind, material=material,
                    actor=login_name(), wait=wait, on_wait=err.print)
    say(lines.tag_line(detail))


@main.command(help=_("""对所有文件重新自动判断指标、年份和类型；只改自动的判断，人的判断不动。"""))
@click.option("--dry-run", is_flag=True, help=_("只显示会改动什么，什么也不写入。"))
@json_option
@click.pass_context
def retag(ctx, dry_run: bool, as_json: bool) -> None:
    changes = ops.retag(_ws(ctx), dry_run=dry_run, on_wait=err.print)
    emit_json([c.as_json() for c in changes]) if as_json else say(*lines.retag_lines(changes, dry_run))


@main.command(help=_("""需要人看的文件（无指标、置信度低、无年份、信号冲突），最能补齐材料的排在前面。"""))
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help=_("最多显示多少份。"))
@json_option
@click.pass_context
def review(ctx, limit: int, as_json: bool) -> None:
    items = ops.review(_ws(ctx))
    emit_json([item.to_dict() for item in items]) if as_json else say(*lines.review_lines(items, limit))


@main.command(help=_("""列出档案中的文件。"""))
@click.option("--indicator", help=_("只列归入这个指标的文件。"))
@click.option("--department", help=_("只列这个部门的文件。"))
@click.option("--failed", is_flag=True, help=_("只列读不了的文件及原因。"))
@click.option("--untagged", is_flag=True, help=_("只列没有任何指标的文件。"))
@click.option("--needs-ocr", is_flag=True, help=_("只列等待文字识别的扫描件。"))
@json_option
@click.pass_context
def docs(ctx, as_json: bool, **given) -> None:
    rows = ops.list_docs(_ws(ctx), ops.DocumentFilter(**given))
    if as_json:
        emit_json(rows)
    else:
        say(*([docs_table(rows), _("共 {n} 份文件").format(n=len(rows))] if rows else [_("没有符合条件的文件")]))


@main.command(help=_("""显示一份文件：元数据、来源、指标及理由、年份、正文开头。"""))
@click.argument("doc")
@json_option
@click.pass_context
def show(ctx, doc: str, as_json: bool) -> None:
    detail = ops.show(_ws(ctx), doc)
    emit_json(detail) if as_json else say(*lines.show_lines(detail))


@main.command(help=_("""中文全文检索：精确词组，AND / OR / NOT，"引号内的词组"。

    \b
    例如：
      dossier search 志愿服务
      dossier search '未成年人 AND (心理健康 OR 家庭教育) NOT 2021'
      dossier search 注册志愿者 --year 2025 --department 团市委
    """))
@click.argument("query", nargs=-1, required=True)
@click.option("--indicator", help=_("只查归入这个指标的文件。"))
@click.option("--department", help=_("只查这个部门的文件。"))
@click.option("--year", type=click.IntRange(1900, 2100), help=_("只查涵盖这一年的文件。"))
@click.option("--kind", type=KINDS, help=_("只查这一类材料。"))
@click.option("--limit", type=click.IntRange(1, 100000), default=20, show_default=True, help=_("最多显示多少条。"))
@click.option("--exact-script", is_flag=True,
              help=_("只找与检索词字形相同的文件（默认繁体、简体互相检索：政务公开 也找到 政務公開）。"))
@json_option
@click.pass_context
def search(ctx, query: tuple[str, ...], limit: int, exact_script: bool, as_json: bool, **given) -> None:
    found = ops.search(_ws(ctx), " ".join(query), ops.DocumentFilter(**given), limit=limit, exact_script=exact_script)
    emit_json([h.as_json() for h in found.hits]) if as_json else say(*lines.search_lines(found, out.is_terminal))


@main.command(help=_("""检查原件库、目录数据库和检索索引是否一致；有问题时退出码为 1。"""))
@click.option("--deep", is_flag=True, help=_("同时重新计算每份原件的哈希（档案大时较慢）。"))
@click.pass_context
def verify(ctx, deep: bool) -> None:
    report = ops.verify(_ws(ctx), deep=deep)
    say(*lines.verify_lines(report))
    if not report.ok:
        raise DossierError(_("检查发现 {n} 处问题（{counts}）").format(n=len(report.problems),
                                                                    counts=lines.verify_counts(report)))


@main.command(help=_("""按目录数据库重建全文索引。"""))
@click.pass_context
def reindex(ctx) -> None:
    count, unrepaired = ops.reindex(_ws(ctx), on_wait=err.print)
    say(_("已重建索引：{n} 份文件").format(n=count))
    if unrepaired:
        raise DossierError(_("重建索引修复不了 {n} 处问题：{problems}").format(n=len(unrepaired), problems="；".join(unrepaired)))


@main.command(help=_("""为每个有材料的指标（或给出的 CODE）装订一卷卷宗（.docx 和 .pdf），并生成总目录
    总目录.xlsx/.docx。只重新生成有变化的卷。"""))
@click.argument("codes", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help=_("输出文件夹（默认：工作区的 out/卷宗）。"))
@click.option("--format", "formats", default="docx,pdf", show_default=True, help=_("docx、pdf 或两者，用逗号分隔。"))
@click.pass_context
def build(ctx, codes: tuple[str, ...], out_dir: Path | None, formats: str) -> None:
    wanted = {f.strip().lower() for f in formats.split(",") if f.strip()}
    outcome = ops.build(_ws(ctx), list(codes), out_dir=out_dir, formats=wanted, progress=err.print, on_wait=err.print)
    say(*lines.build_lines(outcome))


@main.command(help=_("""每个指标、每类材料：应有、已有、缺少的年份（统计类：测评年前 2 年；活动类：3 年），及牵头单位。"""))
@click.option("--department", help=_("只看这个部门牵头的指标：它还欠什么。"))
@click.option("--missing", "missing_only", is_flag=True, help=_("只列未齐全的指标。"))
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help=_("同时把材料审核记录表写到这里。"))
@json_option
@click.pass_context
def coverage(ctx, department, missing_only: bool, xlsx: Path | None, as_json: bool) -> None:
    view = ops.coverage(_ws(ctx), department=department, missing_only=missing_only, record_table=xlsx)
    if as_json:
        emit_json(view.report.as_json())
    else:
        say(coverage_table(view.report), lines.coverage_summary(view, missing_only))


@main.command(help=_("""数量、完整率（总体和各部门）以及距截止日期的天数。"""))
@json_option
@click.pass_context
def status(ctx, as_json: bool) -> None:
    info = ops.status(_ws(ctx))
    emit_json(info) if as_json else say(*lines.status_lines(info))


@main.command(help=_("""检查材料质量：照片分辨率低、模糊、压缩过度或重复，说明报告没有数据，正式发文缺文号或日期，
    材料不在所需年份内，扫描件识别不清；按指标和部门列出。阈值见 dossier.toml 的 [checks]。"""))
@click.option("--by", type=click.Choice(["indicator", "department"]), default="indicator", show_default=True,
              help=_("按指标还是按部门列出。"))
@json_option
@click.pass_context
def check(ctx, by: str, as_json: bool) -> None:
    report = ops.check(_ws(ctx))
    emit_json(report.as_json()) if as_json else say(*lines.check_lines(report, by))


# The other commands register themselves on `main` (imported last: they import it).
from cli import export, systems, workbench  # noqa: E402,F401
