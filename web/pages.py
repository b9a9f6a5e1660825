"""The workbench's pages, one URL each: search, a document, the coverage matrix, departments,
the review queue, volumes, and logging in. Handlers parse, call one operation, render."""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from common.errors import SearchError
from common.messages import _
from dossier import operations as ops
from web.auth import Visitor, check_csrf, csrf_token, log_in, log_out, require, visitor
from web.forms import KINDS, MAX_QUERY, PAGE_SIZE, decision_from_form, document_filter, exact_script, page_number


def render(request: Request, template: str, who: Visitor | None, status_code: int = 200, **context) -> Response:
    context.setdefault("csrf", csrf_token(request) if who else "")
    context.update(who=who, path=request.url.path)
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status_code)


def indicators(request: Request) -> list:
    ws = request.app.state.ws
    return ops.systems.system(ws.config.system, ws.root).indicators()


# -- logging in ------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    """Only a path of this site (never //host or a full URL) after logging in."""
    safe = target and target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if safe else "/search"


async def login(request: Request) -> Response:
    target = _safe_next(request.query_params.get("next"))
    if request.method == "GET":
        return render(request, "login.html", None, next=target, problem=None, name="", csrf=csrf_token(request))
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    problem = log_in(request, name, password)
    if problem:
        return render(request, "login.html", None, status_code=401, next=target, problem=problem, name=name,
                      csrf=csrf_token(request))
    return RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)


async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    log_out(request)
    return RedirectResponse("/login", status_code=303)


def home(request: Request) -> Response:
    return RedirectResponse("/search" if visitor(request) else "/login", status_code=303)


# -- search and documents --------------------------------------------------------------------

def search(request: Request) -> Response:
    who = require(request)
    params = request.query_params
    query, f, exact = params.get("q", "").strip(), document_filter(params), exact_script(params)
    page = page_number(params)
    found, problem = None, None
    if len(query) > MAX_QUERY:
        problem = _("检索式太长（最多 {n} 个字符）：请缩短后再查").format(n=MAX_QUERY)
    elif query:
        try:
            found = request.app.state.searchers.search(query, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                                       exact_script=exact)
        except SearchError as exc:
            problem = str(exc)
    kept = {k: v for k, v in params.items() if k != "page" and v}
    pages = (found.total + PAGE_SIZE - 1) // PAGE_SIZE if found else 0
    return render(request, "search.html", who, query=query, filter=f, found=found, problem=problem, page=page,
                  exact=exact,
                  pages=pages, kept=urlencode(kept), terms=ops.query_terms(query) if found else [],
                  indicators=indicators(request), departments=_departments(request), kinds=KINDS,
                  first=(page - 1) * PAGE_SIZE)


def search_export(request: Request) -> Response:
    require(request)
    query = request.query_params.get("q", "").strip()[:MAX_QUERY]
    if not query:
        raise HTTPException(404)
    data = ops.export_search(request.app.state.ws, query, document_filter(request.query_params),
                             exact_script(request.query_params))
    name = quote(f"检索结果-{query[:20]}.xlsx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


def documents(request: Request) -> Response:
    """The documents of a filter: a coverage cell, an indicator, a department."""
    who = require(request)
    f = document_filter(request.query_params)
    docs = ops.list_docs(request.app.state.ws, f) if not f.empty else []
    return render(request, "documents.html", who, filter=f, docs=docs[:500], total=len(docs))


def _doc_id(request: Request) -> str:
    ref = request.path_params["doc"]
    if not ref.isdigit():
        raise HTTPException(404)
    return ref


def document(request: Request) -> Response:
    who = require(request)
    detail = ops.document(request.app.state.ws, _doc_id(request))
    query = request.query_params.get("q", "")[:MAX_QUERY]
    terms = ops.query_terms(query) if query.strip() else []
    hit_page = next((p["page"] for p in detail["page_texts"] if any(t.lower() in p["text"].lower() for t in terms)),
                    None) if terms else None
    page = page_number(request.query_params, default=hit_page or 1)
    return render(request, "document.html", who, doc=detail, query=query, terms=terms, page=page,
                  indicators=indicators(request), kinds=KINDS)


def original(request: Request) -> Response:
    require(request)
    found = ops.original(request.app.state.ws, _doc_id(request))
    return FileResponse(found.path, media_type=found.media_type, filename=found.name,
                        content_disposition_type="attachment")


def preview(request: Request) -> Response:
    require(request)
    path, media_type = ops.preview(request.app.state.ws, _doc_id(request), int(request.path_params["page"]))
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "private, max-age=3600"})


async def decide(request: Request) -> Response:
    """A form's decision on one document (the review queue without scripts, the document page)."""
    who = require(request, "decide")
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    add, remove, years, kind = decision_from_form(form)
    ops.tag(request.app.state.ws, _doc_id(request), add=add, remove=remove, years=years, kind=kind,
            actor=who.name, wait=5)
    return RedirectResponse(_safe_next(str(form.get("back", ""))) if form.get("back")
                            else f"/docs/{_doc_id(request)}", status_code=303)


# -- coverage, departments, review, volumes --------------------------------------------------

def _departments(request: Request) -> list[str]:
    return sorted({i.lead for i in indicators(request) if i.lead})


def _deadline(ws: ops.Workspace) -> int | None:
    return (ws.config.deadline - dt.date.today()).days if ws.config.deadline else None


def coverage(request: Request) -> Response:
    who = require(request)
    ws = request.app.state.ws
    params = request.query_params
    department = params.get("department") or None
    view = ops.coverage(ws, department=department)
    rows = [item for item in view.report.indicators
            if (not params.get("part") or item.indicator.part_code == params["part"])
            and (not params.get("status") or item.status == params["status"])]
    years = sorted({y for item in view.report.indicators for cov in item.evidence.values() for y in cov.required})
    parts = sorted({(i.indicator.part_code, i.indicator.part_name) for i in view.report.indicators})
    return render(request, "coverage.html", who, rows=rows, years=years, kinds=KINDS, parts=parts, view=view,
                  department=department or "", part=params.get("part", ""), chosen_status=params.get("status", ""),
                  departments=sorted(ops.coverage(ws).departments) if department else sorted(view.departments),
                  days_left=_deadline(ws))


def departments(request: Request) -> Response:
    who = require(request)
    ws = request.app.state.ws
    view = ops.coverage(ws)
    return render(request, "departments.html", who, owed=view.report.owed_by_department(),
                  completeness=view.departments, days_left=_deadline(ws))


def department(request: Request) -> Response:
    """One department's 催报 list, made to be printed on A4."""
    who = require(request)
    ws = request.app.state.ws
    name = request.path_params["name"]
    owed = ops.coverage(ws, department=name).report.owed_by_department().get(ws.department_name(name), [])
    return render(request, "department.html", who, name=name, owed=owed, today=dt.date.today(),
                  deadline=ws.config.deadline, days_left=_deadline(ws))


def review(request: Request) -> Response:
    who = require(request, "decide")
    items = ops.review(request.app.state.ws)
    limit = min(page_number(request.query_params, "limit", 100), 500)
    return render(request, "review.html", who, items=items[:limit], total=len(items),
                  indicators=indicators(request), kinds=KINDS)


def volumes(request: Request) -> Response:
    who = require(request)
    return render(request, "volumes.html", who, listing=ops.volumes(request.app.state.ws),
                  job=request.app.state.build_job.state())


def volume_file(request: Request) -> Response:
    require(request)
    path = ops.volume_file(request.app.state.ws, request.path_params["name"])
    return FileResponse(path, filename=path.name, content_disposition_type="attachment")


def record_table(request: Request) -> Response:
    """The 材料审核记录表 as of now, made on request."""
    require(request)
    ws = request.app.state.ws
    path = ops.coverage(ws, record_table=ws.cache_dir / "材料审核记录表.xlsx").record_table
    return FileResponse(path, filename="材料审核记录表.xlsx", content_disposition_type="attachment")


async def start_build(request: Request) -> Response:
    require(request, "administer")
    form = await request.form()
    check_csrf(request, str(form.get("csrf", "")))
    request.app.state.build_job.start(pdf=form.get("pdf") == "1")
    return RedirectResponse("/volumes", status_code=303)


ROUTES = [
    Route("/", home), Route("/login", login, methods=["GET", "POST"]), Route("/logout", logout, methods=["POST"]),
    Route("/search", search), Route("/search.xlsx", search_export), Route("/documents", documents),
    Route("/docs/{doc}", document), Route("/docs/{doc}/original", original),
    Route("/docs/{doc}/pages/{page:int}.png", preview), Route("/docs/{doc}/decide", decide, methods=["POST"]),
    Route("/coverage", coverage), Route("/departments", departments), Route("/departments/{name}", department),
    Route("/review", review), Route("/volumes", volumes), Route("/volumes/files/{name}", volume_file),
    Route("/volumes/build", start_build, methods=["POST"]), Route("/volumes/材料审核记录表.xlsx", record_table),
]
