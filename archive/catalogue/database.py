"""The catalogue: SQLite in WAL mode, the single truth of the workspace.

Schema changes are numbered migrations; a catalogue written by a newer dossier is refused
rather than damaged.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from common.errors import WorkspaceError
from common.messages import _

MIGRATIONS: list[str] = [
    # 1: documents, where they came from, their text, and what people and rules decided about them.
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        format TEXT NOT NULL,
        title TEXT NOT NULL,
        department TEXT,
        pages INTEGER NOT NULL DEFAULT 0,
        doc_number TEXT,
        issuer TEXT,
        doc_date TEXT,
        dates TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'needs_ocr')),
        error TEXT,
        notes TEXT NOT NULL DEFAULT '[]',
        table_ratio REAL NOT NULL DEFAULT 0,
        kind TEXT CHECK (kind IN ('statistics', 'activity')),
        kind_source TEXT CHECK (kind_source IN ('rule', 'path', 'manual')),
        kind_confidence REAL,
        kind_reason TEXT,
        extractor INTEGER NOT NULL DEFAULT 0,
        chars INTEGER NOT NULL DEFAULT 0,
        indexed INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX documents_department ON documents(department);
    CREATE INDEX documents_status ON documents(status);
    CREATE INDEX documents_unindexed ON documents(indexed) WHERE indexed = 0;
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        department TEXT,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE INDEX sources_doc ON sources(doc_id);
    CREATE TABLE pages (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        page INTEGER NOT NULL,
        text TEXT NOT NULL,
        ocr INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (doc_id, page)
    ) WITHOUT ROWID;
    CREATE TABLE failures (
        path TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        department TEXT,
        at TEXT NOT NULL
    );
    CREATE TABLE tags (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('rule', 'path', 'manual')),
        confidence REAL NOT NULL DEFAULT 1,
        status TEXT NOT NULL CHECK (status IN ('auto', 'accepted', 'rejected')),
        reason TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (doc_id, code)
    );
    CREATE INDEX tags_code ON tags(code);
    CREATE TABLE doc_years (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        year INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('rule', 'path', 'manual')),
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, year)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        doc_id INTEGER,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    """,
    # 2: the workbench's users; passwords only as hashes (argon2), never in the clear.
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 3: which OCR engine read a page, and how sure it was (0-100); NULL for text layers.
    """
    ALTER TABLE pages ADD COLUMN ocr_engine TEXT;
    ALTER TABLE pages ADD COLUMN ocr_confidence REAL;
    """,
    # 4: the day a photo was taken, from its camera's record (EXIF); NULL for everything else.
    """
    ALTER TABLE documents ADD COLUMN taken TEXT;
    """,
    # 5: the type of material as the online submission sorts it (photo, official, report, table, other),
    # and for photos the activity they show: photos of one folder and one day (folder|day).
    """
    ALTER TABLE documents ADD COLUMN material TEXT;
    ALTER TABLE documents ADD COLUMN material_source TEXT;
    ALTER TABLE documents ADD COLUMN material_reason TEXT;
    ALTER TABLE documents ADD COLUMN activity TEXT;
    """,
    # 6: the day a file's own metadata says it was saved or made (a weak hint of its year), and the
    # rules' ranked suggestions of indicators for each document, kept whether or not they passed
    # the tagging threshold (review offers them; the learned model's are added when read).
    """
    ALTER TABLE documents ADD COLUMN file_date TEXT;
    CREATE TABLE suggestions (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        rank INTEGER NOT NULL,
        code TEXT NOT NULL,
        score REAL NOT NULL,
        source TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, code)
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def connect(path: Path) -> sqlite3.Connection:
    """Open the catalogue, creating or migrating it as needed."""
    try:
        conn = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    except sqlite3.Error as exc:
        raise WorkspaceError(_("无法打开目录数据库 {path}：{exc}").format(path=path, exc=exc)) from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        _migrate(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(_("目录数据库 {path} 已损坏或不是数据库（{exc}）：用备份替换它，或运行 dossier verify 查看").format(path=path, exc=exc)) from exc
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise WorkspaceError(
            _("目录数据库 {path} 由更新版本的 dossier 写入（结构版本 {version}，本版本只认识 {known}）：请升级 dossier").format(
                path=path, version=version, known=SCHEMA_VERSION)
        )
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: a second process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] != number:
                conn.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


class Transaction:
    """`with Transaction(conn):` — BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def log_event(conn: sqlite3.Connection, action: str, doc_id: int | None = None, **detail) -> None:
    """Append to the event log; it is never updated or pruned."""
    conn.execute(
        "INSERT INTO events (at, doc_id, action, detail) VALUES (?, ?, ?, ?)",
        (now(), doc_id, action, json.dumps(detail, ensure_ascii=False, default=str)),
    )
