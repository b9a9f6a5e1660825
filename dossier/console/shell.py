"""The terminal itself: the two consoles, and the click group that turns errors into one line."""
from __future__ import annotations

import json
import sqlite3
import sys

import click
from rich.console import Console
from rich.markup import escape

from common.errors import DiskFull, DossierError, FileAccessError, is_disk_full
from common.messages import _
from dossier.console import click_zh

click_zh.install()

out = Console(highlight=False, soft_wrap=True)
if not out.is_terminal:
    out.width = 160  # piped or redirected: wide lines beat tables folded into 80 columns
err = Console(stderr=True, highlight=False, soft_wrap=True)


class DossierGroup(click.Group):
    """Turns our errors into one line and exit code 1; tracebacks are for bugs only."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (DossierError, OSError, sqlite3.OperationalError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and not is_disk_full(exc):
                raise
            if not isinstance(exc, DossierError):
                exc = DiskFull() if is_disk_full(exc) else FileAccessError(exc)
            # escape: a message may hold [brackets] (a TOML table, a file name) that are not markup
            err.print(f"[bold red]{_('错误：')}[/]{escape(str(exc))}", markup=True, highlight=False)
            sys.exit(1)
        except KeyboardInterrupt:
            err.print(_("已中断；工作区保持一致，下次运行会从中断处继续"))
            sys.exit(130)


def emit_json(data) -> None:
    """Machine-readable output: UTF-8, Chinese as it is."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def say(*printed) -> None:
    for line in printed:
        out.print(line)


def login_name() -> str | None:
    """Who runs the command (for the event log); None where the system cannot tell."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None
