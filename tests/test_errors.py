"""A full disk is told apart from a bad file: the run stops with one line instead of blaming files."""
import errno
import sqlite3

from common.errors import is_disk_full


def test_a_write_to_a_full_device_is_a_full_disk():
    try:
        with open("/dev/full", "wb") as full:      # the kernel's always-full device
            full.write(b"x" * 8192)
    except OSError as exc:
        assert is_disk_full(exc)
    else:
        raise AssertionError("/dev/full accepted a write")


def test_sqlite_full_and_quota_count_other_errors_do_not():
    assert is_disk_full(sqlite3.OperationalError("database or disk is full"))
    assert is_disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert not is_disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not is_disk_full(sqlite3.OperationalError("database is locked"))
