"""Who is asking: the session's user and role, logging in and out, the CSRF token, and the
limit on failed logins. A session holds only the user's name and a session id; the role is read
afresh from the catalogue on every request, so removing a user or changing a role takes effect at
once, and a logged-out session id is refused even when its signed cookie is replayed."""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from common.files import atomic_write
from common.messages import _
from dossier import operations as ops

LOGIN_ATTEMPTS = 5            # failed logins per name and address ...
LOGIN_WINDOW_S = 300          # ... within this many seconds, then wait


@dataclass
class Visitor:
    name: str
    role: str

    def may(self, right: str) -> bool:
        return ops.users.may(self.role, right)


class Forbidden(Exception):
    """The visitor's role does not allow this (403)."""


class NotLoggedIn(Exception):
    """No session (401 for the API, the login page for pages)."""


class BadToken(Exception):
    """A state-changing request without the session's CSRF token (403)."""


def visitor(request: Request) -> Visitor | None:
    name, sid = request.session.get("user"), request.session.get("sid")
    if not name or not sid or request.app.state.revoked.has(sid):
        if name:
            request.session.clear()
        return None
    role = ops.users.user_role(request.app.state.ws, name)
    if role is None:               # removed since logging in
        request.session.clear()
        return None
    return Visitor(name, role)


def require(request: Request, right: str = "read") -> Visitor:
    who = visitor(request)
    if who is None:
        raise NotLoggedIn()
    if not who.may(right):
        raise Forbidden()
    return who


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def check_csrf(request: Request, given: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise BadToken()


class LoginLimiter:
    """Failed logins per (address, name) in a sliding window; in memory, per server process."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW_S) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait_seconds(self, key: tuple[str, str]) -> int:
        """0 when a login may be tried now, else how long to wait."""
        with self._lock:
            failures = self._failures[key]
            now = time.monotonic()
            while failures and now - failures[0] > self.window:
                failures.popleft()
            return int(self.window - (now - failures[0])) + 1 if len(failures) >= self.attempts else 0

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures[key].append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


def log_in(request: Request, name: str, password: str) -> str | None:
    """Start a session for the user; None when it worked, else the reason to show."""
    limiter: LoginLimiter = request.app.state.login_limiter
    key = (request.client.host if request.client else "", name)
    wait = limiter.wait_seconds(key)
    if wait:
        return _("登录失败次数过多：请 {minutes} 分钟后再试").format(minutes=(wait + 59) // 60)
    if not name or ops.users.authenticate(request.app.state.ws, name, password) is None:
        limiter.failed(key)
        return _("用户名或密码不对：请重新输入（忘记密码请找管理员用 dossier user add 重设）")
    limiter.succeeded(key)
    request.session.clear()             # a new session on login: no fixation
    request.session["user"], request.session["sid"] = name, secrets.token_urlsafe(24)
    csrf_token(request)
    return None


def log_out(request: Request) -> None:
    sid = request.session.get("sid")
    request.session.clear()               # the browser's cookie is ended whatever happens next
    if sid:
        request.app.state.revoked.add(sid)


class RevokedSessions:
    """Session ids logged out before their cookie expires. The cookie is signed, not stored, so a
    copy of it would otherwise stay valid for the rest of its life; kept in a file so that the
    refusal outlives a restart, each line dropped once the cookie it names has expired anyway."""

    def __init__(self, path: Path, lifetime_s: float) -> None:
        self.path, self.lifetime = path, lifetime_s
        self._lock = threading.Lock()
        now = time.time()
        self._until: dict[str, float] = {}
        try:
            lines = path.read_text(encoding="ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            lines = []
        for line in lines:
            sid, _, until = line.partition(" ")
            if until.isdigit() and float(until) > now:
                self._until[sid] = float(until)
        if len(self._until) < len(lines):     # expired cookies are forgotten: the file stays small
            self._rewrite()

    def has(self, sid: str) -> bool:
        return sid in self._until

    def _rewrite(self) -> None:
        try:
            atomic_write(self.path, "".join(f"{sid} {until:.0f}\n" for sid, until in self._until.items()), sync=False)
        except OSError:
            pass                              # kept in memory; the next start tries again

    def add(self, sid: str) -> None:
        until = time.time() + self.lifetime
        with self._lock:
            self._until[sid] = until
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="ascii") as handle:
                handle.write(f"{sid} {until:.0f}\n")
