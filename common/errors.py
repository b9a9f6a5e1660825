"""Every error a person may see, under one root. The front ends turn each into one line (its
message, in the user's language) and exit code 1; the attributes carry what a message or a
caller needs, so nobody parses the text."""
from __future__ import annotations

import errno
from pathlib import Path

from common.messages import _


class DossierError(Exception):
    """A user-facing error: its message is one line a person understands."""


class WorkspaceError(DossierError):
    """No workspace, or a workspace (dossier.toml, catalogue, folders) that cannot be used."""


class NoWorkspace(WorkspaceError):
    """No dossier.toml where one was looked for: the folder is no workspace (yet)."""


class WorkspaceBusy(WorkspaceError):
    """Another dossier process holds the workspace's write lock."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(_("工作区正被另一个 dossier 进程写入（{holder}）：请等它结束后再运行本命令").format(holder=holder))


class DocumentNotFound(DossierError):
    """A DOC argument matches no document, or more than one."""

    def __init__(self, ref: str, ambiguous: bool = False) -> None:
        self.ref, self.ambiguous = ref, ambiguous
        if ambiguous:
            message = _("“{ref}”对应多份文件：请多给几位 sha256").format(ref=ref)
        else:
            message = _("没有文件“{ref}”：请给出文件编号或 sha256 的开头几位（见 dossier docs）").format(ref=ref)
        super().__init__(message)


class ExtractionError(DossierError):
    """A file's text cannot be extracted; the message says why in plain words."""


class SearchError(DossierError):
    """A query that cannot be parsed or run."""


class IndicatorSystemError(DossierError):
    """An indicator system that cannot be loaded or is invalid.

    The message is one line; ``problems`` holds every problem found (one plain line each) so
    that `dossier system validate` and the Excel import can list them all.
    """

    def __init__(self, message: str, problems: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems)


class BuildError(DossierError):
    """A build that cannot start: bad formats, an output folder that cannot be written."""


class OcrError(DossierError):
    """A page that could not be read; the message is the one-line reason a person sees."""


class OcrUnavailable(OcrError):
    """A tool OCR needs is missing or does not run: not the page's fault, so worth trying again."""


class PreviewUnavailable(DossierError):
    """A page of an original that cannot be shown as a picture; the message says why."""


class UserError(DossierError):
    """A workbench user that cannot be added, found or logged in."""


class DiskFull(DossierError):
    """The disk (or the user's quota) is full: the run stops; what was finished is kept."""

    def __init__(self, where: Path | str | None = None) -> None:
        self.where = where
        super().__init__(_("磁盘已满：请腾出空间后重新运行本命令（已完成的部分都已保存，下次运行会接着完成其余部分）"))


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the user's quota) is full: no file is to blame, and
    the run must stop rather than record the files it could not copy as failed."""
    if isinstance(exc, DiskFull):
        return True
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return "disk is full" in str(exc)          # SQLite's SQLITE_FULL


# The operating system's reasons, in the words an office worker reads (strerror is English).
_OS_REASONS = {
    errno.EACCES: _("没有权限"),
    errno.EPERM: _("操作不被允许（文件或文件夹被锁定或只读）"),
    errno.EROFS: _("所在磁盘是只读的"),
    errno.ENOENT: _("文件或文件夹不存在"),
    errno.ENOTDIR: _("路径中有一个同名的文件挡住了文件夹"),
    errno.EEXIST: _("已有一个同名的文件"),
    errno.EISDIR: _("这是一个文件夹，不是文件"),
    errno.ENAMETOOLONG: _("文件名太长"),
    errno.EIO: _("磁盘读写出错"),
    errno.EBUSY: _("文件正被其他程序占用"),
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese where we know the case."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc))


class FileAccessError(DossierError):
    """A file or folder the command needs cannot be read or written (permissions, a file in the
    way, a read-only disk): said with the path, in one line."""

    def __init__(self, exc: OSError) -> None:
        self.path = exc.filename
        if exc.filename is None:
            super().__init__(_("文件读写失败（{reason}）：请检查磁盘空间和文件夹权限后重试").format(reason=os_reason(exc)))
        else:
            super().__init__(_("无法读写 {path}：{reason}；请检查这个路径和它的权限后重试").format(
                path=exc.filename, reason=os_reason(exc)))
