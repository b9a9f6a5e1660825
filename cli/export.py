"""`dossier export online`: the per-indicator upload folders of the online submission."""
from __future__ import annotations

from pathlib import Path

import click

from cli import _ws, json_option, main
from common.messages import _
from dossier import operations as ops
from dossier.console import emit_json, err, lines, say


@main.group(help=_("""导出材料。"""))
def export() -> None:
    pass


@export.command(help=_("""网上申报：每个有材料的指标（或给出的 CODE）一个文件夹“编号 名称”，每份文件一个 PDF，
    照片为按 [online] 限制缩放压缩的 JPEG，文件名“序号_题名”；顶层 清单.xlsx 列出全部文件和还缺少的年份。
    只重写有变化的文件。"""))
@click.argument("codes", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help=_("输出文件夹（默认：工作区的 out/网上申报）。"))
@click.option("--zip", "zipped", is_flag=True, help=_("另为每个指标打一个 zip 包。"))
@json_option
@click.pass_context
def online(ctx, codes: tuple[str, ...], out_dir: Path | None, zipped: bool, as_json: bool) -> None:
    result = ops.export_online(_ws(ctx), list(codes), out_dir=out_dir, zipped=zipped,
                               progress=None if as_json else err.print, on_wait=err.print)
    if as_json:
        emit_json({"folder": str(result.folder), "indicators": result.indicators, "files": result.files,
                   "written": result.written, "removed": result.removed, "warnings": result.warnings})
    else:
        say(*lines.export_lines(result))
