"""The workbench's application: routes, sessions, templates and the pages shown for errors.
Every page and API call goes through dossier.operations, as the command line does."""
from __future__ import annotations

import json
import logging
import os
import secrets
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from common.errors import DocumentNotFound, DossierError, PreviewUnavailable, WorkspaceBusy
from common.messages import _
from dossier import operations as ops
from web import api, pages
from web.auth import BadToken, Forbidden, LoginLimiter, NotLoggedIn, RevokedSessions
from web.jobs import BuildJob
from web.searchers import Searchers
from web.forms import MAX_QUERY
from web.present import FILTERS

HERE = Path(__file__).parent
SESSION_HOURS = 10            # one working day
log = logging.getLogger("dossier.web")


def session_secret(ws: ops.Workspace) -> str:
    """The key that signs session cookies: made once per workspace, readable by its owner only,
    so sessions outlive a restart of the server."""
    path = ws.cache_dir / "web-secret"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        secret = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret)
        return secret


SECURITY_HEADERS = [
    # Only our own scripts, styles and images run or load: a document's text can never become code.
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
                                 b"base-uri 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (a plain ASGI middleware: no cost per body chunk)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)
        await self.app(scope, receive, with_headers)


MAX_BODY = 1 << 20            # a decision or a login is a few hundred bytes; nothing we take is near 1 MiB
MAX_TARGET = 16 << 10         # path and query string


class RequestLimits:
    """Refuses, before any handler reads it, a body over MAX_BODY (413) or a URL over MAX_TARGET (414):
    neither a huge form nor a huge query string is held in memory or parsed."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > MAX_TARGET:
            return await _refuse(scope, send, 414, _("网址太长：请缩短检索式（最多 {n} 个字）后重试").format(n=MAX_QUERY))
        declared = dict(scope.get("headers") or ()).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY:
            return await _refuse(scope, send, 413, _("提交的内容太大：请减少内容后重试"))
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY:     # a body sent in chunks without a length
                raise BodyTooLarge()
            return message
        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _refuse(scope, send, 413, _("提交的内容太大：请减少内容后重试"))


class BodyTooLarge(Exception):
    """A body that passed MAX_BODY while it was being read."""


async def _refuse(scope, send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return Jinja2Templates(env=env)


def create_app(ws: ops.Workspace) -> Starlette:
    routes = [Route("/healthz", lambda request: PlainTextResponse("ok")),
              *pages.ROUTES, *api.ROUTES,
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    middleware = [Middleware(SecurityHeaders), Middleware(RequestLimits), Middleware(SessionMiddleware, secret_key=session_secret(ws), session_cookie="dossier_session",
                             max_age=SESSION_HOURS * 3600, same_site="lax", https_only=False)]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={
        NotLoggedIn: _not_logged_in, Forbidden: _forbidden, BadToken: _bad_token, HTTPException: _http_error,
        DossierError: _dossier_error, Exception: _crash})
    app.state.ws = ws
    app.state.templates = _templates()
    app.state.login_limiter = LoginLimiter()
    app.state.revoked = RevokedSessions(ws.cache_dir / "web-revoked", SESSION_HOURS * 3600)
    app.state.build_job = BuildJob(ws)
    app.state.searchers = Searchers(ws)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_page(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "who": None, "csrf": ""}, status_code=status)


async def _not_logged_in(request: Request, exc: Exception) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": _("请先登录")}, status_code=401)
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    return error_page(request, 403, _("您的角色没有这项权限：请找管理员（dossier user add 名字 --role editor）"))


async def _bad_token(request: Request, exc: Exception) -> Response:
    return error_page(request, 403, _("请求缺少有效的安全令牌（CSRF）：请刷新页面后重试"))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    messages = {404: _("没有这个页面或文件：请从导航栏重新进入"), 405: _("不支持这种请求方式：请从页面上的按钮操作")}
    return error_page(request, exc.status_code, messages.get(exc.status_code, exc.detail or _("请求无法处理")))


async def _dossier_error(request: Request, exc: DossierError) -> Response:
    status = 404 if isinstance(exc, DocumentNotFound) else 409 if isinstance(exc, WorkspaceBusy) else \
        422 if isinstance(exc, PreviewUnavailable) else 400
    return error_page(request, status, str(exc))


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("workbench error on %s", request.url.path)
    return error_page(request, 500, _("服务器内部错误：请稍后重试；问题持续时请把服务器窗口里的报错发给管理员"))
