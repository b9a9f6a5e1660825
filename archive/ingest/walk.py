"""Walk the folders departments sent: every file once, with its department, whatever the names."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

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
        return "Office lock file left by an open document, not a document"
    if name.lower() in _JUNK_NAMES:
        return "system file, not a document"
    if name.startswith("."):
        return "hidden file"
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
        cand.problem = "broken link: the file it points to does not exist" if os.path.islink(path) else "the file disappeared while reading the folder"
        return cand
    except OSError as exc:
        cand.problem = f"cannot open: {exc.strerror or exc}"
        return cand
    if not stat.S_ISREG(info.st_mode):
        cand.problem = "not a regular file (a pipe, device or socket)"
        return cand
    cand.size, cand.mtime_ns = info.st_size, info.st_mtime_ns
    if not os.access(path, os.R_OK):
        cand.problem = "permission denied: the file cannot be read"
    return cand


def walk_sources(sources: list[Path]) -> Iterator[Candidate]:
    """Every file under the given files and folders, sorted, each real folder visited once."""
    for source in sources:
        if not os.path.lexists(source):
            yield Candidate(path=source, display=display_path(os.path.abspath(source)), department=None,
                            problem="no such file or folder")
            continue
        if not os.path.isdir(source):
            yield _candidate(source, None)
            continue
        yield from _walk_folder(source)


def _walk_folder(root: Path) -> Iterator[Candidate]:
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []

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
                            skip="folder link to a folder already read (a loop or a second path to it)")
            continue
        seen.add(key)
        hidden = [d for d in dirs if d.startswith(".") or d.lower() in _JUNK_FOLDERS]
        for name in hidden:
            yield Candidate(path=Path(folder) / name, display=display_path(os.path.abspath(os.path.join(folder, name))),
                            department=department, skip="hidden or system folder, not read")
        dirs[:] = sorted(d for d in dirs if d not in hidden)
        for name in sorted(files):
            yield _candidate(Path(folder) / name, department)
        while errors:
            exc = errors.pop()
            yield Candidate(path=Path(exc.filename or folder), display=display_path(exc.filename or folder),
                            department=department, problem=f"cannot open the folder: {exc.strerror or exc}")
