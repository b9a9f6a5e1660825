"""The workbench's users: add, list, remove, and check a password. Passwords are hashed with
argon2 (argon2-cffi's defaults, RFC 9106's low-memory profile) and never stored or logged."""
from __future__ import annotations

import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive import catalogue
from archive.locking import workspace_lock
from archive.workspace import Workspace
from common.errors import UserError
from common.messages import _
from dossier.operations._common import connection

ROLES = ("viewer", "editor", "admin")
# What each role may do; a role has its own rights and those of the roles before it.
RIGHTS = {"viewer": {"read"}, "editor": {"read", "decide"}, "admin": {"read", "decide", "administer"}}
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.\-@]{1,40}$")
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against when the user does not exist, so both cases take the same time
    (made on first login, not when any command starts)."""
    return _hasher.hash("not a password of anyone")


def may(role: str | None, right: str) -> bool:
    return right in RIGHTS.get(role or "", set())


def add_user(ws: Workspace, name: str, role: str, password: str) -> bool:
    """Add a user (or give an existing one a new role and password); True when new."""
    if not _NAME.match(name):
        raise UserError(_("用户名“{name}”不可用：请用 1–40 个字母、数字、汉字或 . - _ @").format(name=name))
    if role not in ROLES:
        raise UserError(_("没有角色“{role}”：请用 viewer、editor 或 admin").format(role=role))
    if len(password) < MIN_PASSWORD:
        raise UserError(_("密码太短：请至少用 {n} 个字符").format(n=MIN_PASSWORD))
    with workspace_lock(ws.lock_path, "user"), connection(ws) as conn, catalogue.Transaction(conn):
        return catalogue.put_user(conn, name, role, _hasher.hash(password))


def list_users(ws: Workspace) -> list[dict]:
    with connection(ws) as conn:
        return catalogue.user_rows(conn)


def remove_user(ws: Workspace, name: str) -> None:
    with workspace_lock(ws.lock_path, "user"), connection(ws) as conn, catalogue.Transaction(conn):
        if not catalogue.delete_user(conn, name):
            raise UserError(_("没有用户“{name}”：用 dossier user list 查看现有用户").format(name=name))


def authenticate(ws: Workspace, name: str, password: str) -> str | None:
    """The user's role when the password is right, else None (same work either way)."""
    with connection(ws) as conn:
        found = catalogue.user_credentials(conn, name)
        role, stored = found or (None, _dummy_hash())
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return role


def user_role(ws: Workspace, name: str) -> str | None:
    """The user's current role (None once removed): a session is only as good as its user."""
    with connection(ws) as conn:
        found = catalogue.user_credentials(conn, name)
        return found[0] if found else None


def has_users(ws: Workspace) -> bool:
    return bool(list_users(ws))
