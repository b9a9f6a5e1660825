"""Exception types of the library. cli.py turns each into one line and exit code 1."""
import errno


class DossierError(Exception):
    """A user-facing error: its message is one line a person understands."""


class WorkspaceError(DossierError):
    """No workspace, or a workspace that cannot be used."""


class WorkspaceBusy(DossierError):
    """Another dossier process holds the workspace's write lock."""


class DocumentNotFound(DossierError):
    """A DOC argument matches no document, or more than one."""


class ExtractionError(DossierError):
    """A file's text cannot be extracted; the message says why in plain words."""


class SearchError(DossierError):
    """A query that cannot be parsed or run."""


class IndicatorSystemError(DossierError):
    """An indicator system that cannot be loaded or is invalid.

    The message is one line; ``problems`` holds every problem found (one plain line
    each) so that `dossier system validate` and the Excel import can list them all.
    """

    def __init__(self, message: str, problems: "list[str] | tuple[str, ...]" = ()) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems)


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the user's quota) is full: no file is to blame, and
    the run must stop rather than record the files it could not copy as failed."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return "disk is full" in str(exc)          # SQLite's SQLITE_FULL
