"""Walk the folders departments sent: every file once, with its department, whatever the names."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from common.errors import os_reason
from common.messages import _

# Files no department means to send: Office owner files, OS thumbnails and folder settings.
_JUNK_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_JUNK_FOLDERS = {"__macosx"}  # resource forks that macOS puts in zips


@dataclass
class Candidate:
    path: Path                 # what the OS opens (may hold undecodable bytes as surrogates)
    display: str               # the absolute path as a person reads it, safe to store as UTF-8
    department: str | None     # first folder level under the source, as named on disk
    size: int = 0
    mtime_ns: int = 0
    problem: str | None = None     # why it cannot be ingested, if so
    skip: str | None = None        # why it is deliberately left out, if so


def display_path(path: str | os.PathLike) -> str:
    """A path as text: UTF-8 where it is, else the GBK/GB18030 that Chinese Windows zips use."""
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _junk_reason(name: str) -> str | None:
    if name.startswith("~$"):
        return _("Office 打开文档时留下的锁文件，不是文件")
    if name.lower() in _JUNK_NAMES:
        return _("系统文件，不是文件")
    if name.startswith("."):
        return _("隐藏文件，未收录")
    return None


def _candidate(path: Path, department: str | None) -> Candidate:
    display = display_path(os.path.abspath(path))
    cand = Candidate(path=path, display=display, department=department)
    name = display.rsplit("/", 1)[-1]
    if (reason := _junk_reason(name)):
        cand.skip = reason
        return cand
    try:
        info = os.stat(path)
    except FileNotFoundError:
        cand.problem = _("失效的链接：它指向的文件不存在") if os.path.islink(path) else _("读取文件夹时该文件消失了")
        return cand
    except OSError as exc:
        cand.problem = _("无法打开该文件：{why}").format(why=os_reason(exc))
        return cand
    if not stat.S_ISREG(info.st_mode):
        cand.problem = _("不是普通文件（管道、设备或套接字）")
        return cand
    cand.size, cand.mtime_ns = info.st_size, info.st_mtime_ns
    if not os.access(path, os.R_OK):
        cand.problem = _("没有读取权限：请让管理员开放该文件的读取权限")
    return cand


def walk_sources(sources: list[Path], own: list[Path] = ()) -> Iterator[Candidate]:
    """Every file under the given files and folders, sorted, each real folder visited once; what
    the workspace keeps for itself (`own`: its catalogue, store, index, outputs) is never a source."""
    own = [os.path.realpath(path) for path in own]
    for source in sources:
        if not os.path.lexists(source):
            yield Candidate(path=source, display=display_path(os.path.abspath(source)), department=None,
                            problem=_("没有这个文件或文件夹"))
            continue
        if _is_own(str(source), own):
            yield _own_folder(str(source), None)
            continue
        if not os.path.isdir(source):
            yield _candidate(source, None)
            continue
        yield from _walk_folder(source, own)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _is_own(path: str, own: list[str]) -> bool:
    real = os.path.realpath(path)
    return any(_within(real, mine) for mine in own)


def _own_folder(path: str, department: str | None) -> Candidate:
    return Candidate(path=Path(path), display=display_path(os.path.abspath(path)), department=department,
                     skip=_("这是 dossier 工作区自己的数据（目录数据库、原件库、索引或输出），不收录"))


def _leaves(path: str, real_root: str) -> bool:
    """A link whose target lies outside the folder being ingested: a department's folder must not
    bring in files from elsewhere on this machine."""
    if not os.path.islink(path):
        return False
    return not _within(os.path.realpath(path), real_root)


def _outside_link(path: str, department: str | None) -> Candidate:
    return Candidate(path=Path(path), display=display_path(os.path.abspath(path)), department=department,
                     skip=_("指向来源文件夹之外的链接，未收录：如需收录，请直接收录它指向的文件或文件夹"))


def _walk_folder(root: Path, own: list[str]) -> Iterator[Candidate]:
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    real_root = os.path.realpath(root)
    # Only the workspace's data inside this folder can be met here: elsewhere no file costs a realpath.
    own = [mine for mine in own if _within(mine, real_root)]

    def on_error(exc: OSError) -> None:
        errors.append(exc)

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=on_error):
        info = os.stat(folder)
        key = (info.st_dev, info.st_ino)
        rel = os.path.relpath(folder, root)
        department = None if rel == "." else display_path(rel.split(os.sep)[0])
        if key in seen:
            # A folder link that leads back to a folder already walked (a loop, or a second way in).
            dirs[:] = []
            yield Candidate(path=Path(folder), display=display_path(os.path.abspath(folder)), department=department,
                            skip=_("指向已读文件夹的链接（循环，或同一文件夹的另一条路径）"))
            continue
        seen.add(key)
        hidden = [d for d in dirs if d.startswith(".") or d.lower() in _JUNK_FOLDERS]
        for name in hidden:
            yield Candidate(path=Path(folder) / name, display=display_path(os.path.abspath(os.path.join(folder, name))),
                            department=department, skip=_("隐藏或系统文件夹，未读取"))
        leaving = [d for d in dirs if d not in hidden and _leaves(os.path.join(folder, d), real_root)]
        for name in leaving:
            yield _outside_link(os.path.join(folder, name), department or display_path(name))
        inside = [d for d in dirs if _is_own(os.path.join(folder, d), own)]
        for name in inside:
            yield _own_folder(os.path.join(folder, name), department or display_path(name))
        dirs[:] = sorted(d for d in dirs if d not in hidden and d not in leaving and d not in inside)
        for name in sorted(files):
            if _leaves(os.path.join(folder, name), real_root):
                yield _outside_link(os.path.join(folder, name), department)
            elif own and _is_own(os.path.join(folder, name), own):
                yield _own_folder(os.path.join(folder, name), department)
            else:
                yield _candidate(Path(folder) / name, department)
        while errors:
            exc = errors.pop()
            yield Candidate(path=Path(exc.filename or folder), display=display_path(exc.filename or folder),
                            department=department, problem=_("无法打开该文件夹：{why}").format(why=os_reason(exc)))
