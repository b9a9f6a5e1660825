"""The workbench's users and what a person did: who may log in, with which role, and the event
log of one document (each decision with its user and time)."""
from __future__ import annotations

import json
import sqlite3

from archive.catalogue.database import log_event, now


def put_user(conn: sqlite3.Connection, name: str, role: str, password_hash: str) -> bool:
    """Add the user, or replace an existing user's role and password; True when new."""
    existed = conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None
    conn.execute("""INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash""",
                 (name, role, password_hash, now()))
    log_event(conn, "user-put", None, name=name, role=role)
    return not existed


def delete_user(conn: sqlite3.Connection, name: str) -> bool:
    gone = conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0
    if gone:
        log_event(conn, "user-remove", None, name=name)
    return gone


def user_rows(conn: sqlite3.Connection) -> list[dict]:
    """Every user, without the password hash."""
    return [{"name": r["name"], "role": r["role"], "created_at": r["created_at"]}
            for r in conn.execute("SELECT name, role, created_at FROM users ORDER BY name")]


def user_credentials(conn: sqlite3.Connection, name: str) -> tuple[str, str] | None:
    """(role, password hash) of one user, or None."""
    row = conn.execute("SELECT role, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    return (row["role"], row["password_hash"]) if row else None


def document_events(conn: sqlite3.Connection, doc_id: int, limit: int = 50) -> list[dict]:
    """What happened to one document, newest first: automatic passes and people's decisions."""
    return [{"at": r["at"], "action": r["action"], **json.loads(r["detail"])}
            for r in conn.execute("SELECT at, action, detail FROM events WHERE doc_id = ? ORDER BY id DESC LIMIT ?",
                                  (doc_id, limit))]
