"""`dossier systems` and `dossier system …`: the indicator systems, shown, checked, imported, exported."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli import _ws, json_option, main
from common.messages import _
from dossier import operations as ops
from dossier.console import emit_json, indicators_table, say, systems_table


@main.command(help=_("""列出测评体系（内置的和导入本工作区的）。"""))
@json_option
@click.pass_context
def systems(ctx, as_json: bool) -> None:
    rows = ops.systems.systems(ctx.obj.get("workspace"))
    emit_json(rows) if as_json else say(systems_table(rows))


@main.group(help=_("""查看、校验、导入和导出测评体系。"""))
def system() -> None:
    pass


@system.command("show", help=_("""测评体系的全部指标，含测评项目和测评内容。"""))
@click.argument("system_id")
@click.option("--all", "show_all", is_flag=True, help=_("也列出不用材料审核的指标。"))
@json_option
@click.pass_context
def system_show(ctx, system_id: str, show_all: bool, as_json: bool) -> None:
    chosen = ops.systems.system(system_id, ctx.obj.get("workspace"))
    indicators = chosen.indicators() if show_all else chosen.material_review()
    if as_json:
        emit_json({"id": chosen.id, "name": chosen.name, "version": chosen.version,
                   "indicators": [i.to_dict() for i in indicators]})
        return
    note = "" if show_all else _("（--all 显示全部指标）")
    say(f"[bold]{chosen.name}[/] ({chosen.id}, {chosen.version})", indicators_table(indicators),
        (_("材料审核指标 {n} 个") + note if not show_all else _("指标 {n} 个")).format(n=len(indicators)))


@system.command("validate", help=_("""校验测评体系文件（YAML/JSON）；每个问题一行，无效时退出码为 1。"""))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def system_validate(file: Path) -> None:
    problems = ops.systems.validate(file)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    say(_("有效：{file} 是一个有效的测评体系").format(file=file))


@system.command("export", help=_("""把测评体系写成 Excel 表（测评项目 · 测评内容 · 指标编号 · … · 牵头单位）。"""))
@click.argument("system_id")
@click.argument("xlsx", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def system_export(ctx, system_id: str, xlsx: Path) -> None:
    say(_("已写入 {path}").format(path=ops.systems.export(system_id, xlsx, ctx.obj.get("workspace"))))


@system.command("import", help=_("""把本单位的 Excel 指标表导入本工作区（再用 init --system ID 或 dossier.toml 的 system = "ID" 选用）。"""))
@click.argument("xlsx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "system_id", help=_("保存用的体系编号（默认：取自表格或文件名）。"))
@click.pass_context
def system_import(ctx, xlsx: Path, system_id: str | None) -> None:
    imported, path = ops.systems.import_table(_ws(ctx), xlsx, system_id)
    counts = imported.counts()
    say(_("已导入 {id}（{name}）：指标 {n} 个，其中材料审核 {m} 个 → {path}").format(
        id=imported.id, name=imported.name, n=counts["indicators"], m=counts["material_review_indicators"], path=path))
