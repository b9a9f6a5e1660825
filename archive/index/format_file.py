"""The file an index keeps beside its engine's files: which engine and analysis wrote it."""
from __future__ import annotations

import json
from pathlib import Path

from common.errors import os_reason, SearchError
from common.messages import _

FORMAT_FILE = "dossier-index.json"


def unreadable(folder: Path, exc: OSError) -> SearchError:
    """An error of the machine (permissions, I/O), not damage: nothing is rebuilt or deleted."""
    return SearchError(_("检索索引 {folder} 暂时无法读取（{why}）：请检查文件夹的权限和磁盘后重试；索引没有被改动").format(
        folder=folder, why=os_reason(exc)))


def format_matches(folder: Path, expected: dict) -> bool:
    """Whether the index in `folder` was written in the `expected` format (False when it is
    missing or another one; raises SearchError when the machine cannot read it)."""
    try:
        text = (folder / FORMAT_FILE).read_text()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise unreadable(folder, exc) from exc
    try:
        return json.loads(text) == expected
    except ValueError:
        return False


def write_format(folder: Path, fmt: dict) -> None:
    (folder / FORMAT_FILE).write_text(json.dumps(fmt))
