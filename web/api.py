"""The JSON API under /api/: the shapes of the command line's --json, for scripts and the
page's own keyboard triage. Without a session it answers 401."""
from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from common.messages import _
from dossier import operations as ops
from web.auth import check_csrf, csrf_token, require
from web.forms import MAX_PAGE_SIZE, MAX_QUERY, BadRequest, decision_from_json, document_filter, exact_script, page_number


def _json(data, status_code: int = 200) -> Response:
    return JSONResponse(data, status_code=status_code)


def session(request: Request) -> Response:
    who = require(request)
    return _json({"user": who.name, "role": who.role, "csrf_token": csrf_token(request)})


def search(request: Request) -> Response:
    require(request)
    params = request.query_params
    query = params.get("q", "").strip()
    if not query or len(query) > MAX_QUERY:
        raise BadRequest(_("检索式应为 1–{n} 个字符：请给出 q 参数").format(n=MAX_QUERY))
    limit = min(page_number(params, "limit", 20), MAX_PAGE_SIZE)
    offset = (page_number(params) - 1) * limit
    found = request.app.state.searchers.search(query, document_filter(params), limit=limit, offset=offset,
                                               exact_script=exact_script(params))
    return _json({"query": query, "total": found.total, "hits": [h.as_json() for h in found.hits]})


def document(request: Request) -> Response:
    require(request)
    ref = request.path_params["doc"]
    return _json(ops.show(request.app.state.ws, ref if ref.isdigit() else "-"))


def coverage(request: Request) -> Response:
    require(request)
    view = ops.coverage(request.app.state.ws, department=request.query_params.get("department") or None)
    return _json(view.report.as_json() | {"completeness": view.completeness})


async def decisions(request: Request) -> Response:
    who = require(request, "decide")
    check_csrf(request, request.headers.get("x-csrf-token"))
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise BadRequest(_("请求内容不是有效的 JSON：请检查后重发")) from exc
    add, remove, years, kind = decision_from_json(data)
    ref = request.path_params["doc"]
    detail = ops.tag(request.app.state.ws, ref if ref.isdigit() else "-", add=add, remove=remove, years=years,
                     kind=kind, actor=who.name, wait=5)
    return _json(detail)


def build_state(request: Request) -> Response:
    require(request)
    return _json(request.app.state.build_job.state())


ROUTES = [Route("/api/session", session), Route("/api/search", search), Route("/api/docs/{doc}", document),
          Route("/api/coverage", coverage), Route("/api/docs/{doc}/decisions", decisions, methods=["POST"]),
          Route("/api/build", build_state)]
