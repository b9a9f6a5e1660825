"""`dossier serve` and `dossier user …`: the workbench in a browser and who may use it."""
from __future__ import annotations

import sys

import click

from cli import _ws, json_option, main
from common.messages import _
from dossier import operations as ops
from dossier.console import emit_json, lines, say


@main.command(help=_("""在浏览器里使用的工作台：检索、材料矩阵、部门待补、待审核、卷宗。

    在前台运行，按 Ctrl+C 停止。默认只在本机（127.0.0.1）可用；要让同事访问，用 --host 0.0.0.0，
    但须先用 dossier user add 建立用户。
    """))
@click.option("--host", default="127.0.0.1", show_default=True, help=_("监听的地址。"))
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=_("监听的端口。"))
@click.pass_context
def serve(ctx, host: str, port: int) -> None:
    import web

    ws = _ws(ctx)
    web.check_bind(ws, host, port)
    say(*lines.serve_lines(ws, host, port, has_users=ops.users.has_users(ws)))
    web.serve(ws, host, port)


@main.group(help=_("""工作台的用户：viewer 查看检索，editor 审核归类，admin 还可管理用户和生成卷宗。"""))
def user() -> None:
    pass


@user.command("add", help=_("""添加用户（已有则改角色和密码）；密码在提示时输入两次，脚本可用 --password-stdin。"""))
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "admin"]), default="viewer", show_default=True)
@click.option("--password-stdin", is_flag=True, help=_("从标准输入读一行作为密码。"))
@click.pass_context
def user_add(ctx, name: str, role: str, password_stdin: bool) -> None:
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else \
        click.prompt(_("密码"), hide_input=True, confirmation_prompt=_("再输入一次"))
    created = ops.users.add_user(_ws(ctx), name, role, password)
    say((_("已添加用户 {name}（{role}）") if created else _("已更新用户 {name}（{role}）")).format(name=name, role=role))


@user.command("list", help=_("""列出工作台的用户和角色。"""))
@json_option
@click.pass_context
def user_list(ctx, as_json: bool) -> None:
    rows = ops.users.list_users(_ws(ctx))
    emit_json(rows) if as_json else say(*lines.user_lines(rows))


@user.command("remove", help=_("""删除用户；其已登录的会话随即失效。"""))
@click.argument("name")
@click.pass_context
def user_remove(ctx, name: str) -> None:
    ops.users.remove_user(_ws(ctx), name)
    say(_("已删除用户 {name}").format(name=name))
