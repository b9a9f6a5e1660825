"""What a request may ask for, checked before an operation sees it: filters, page numbers,
decisions from a form or JSON. Out-of-range values fall back or are refused in Chinese."""
from __future__ import annotations

from typing import Mapping

from common.errors import DossierError
from common.messages import _
from dossier import operations as ops

MAX_QUERY = 200               # characters of a query
PAGE_SIZE = 20                # hits per page
MAX_PAGE_SIZE = 100           # for the API's `limit`
KINDS = ("statistics", "activity")


class BadRequest(DossierError):
    """A request whose values cannot be used (400)."""


def _int(value, low: int, high: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def page_number(params: Mapping, key: str = "page", default: int = 1) -> int:
    return _int(params.get(key), 1, 1_000_000) or default


def exact_script(params: Mapping) -> bool:
    """Whether the search keeps to the script the query is typed in (`script=exact`)."""
    return params.get("script") == "exact"


def document_filter(params: Mapping) -> ops.DocumentFilter:
    """indicator, department, year, kind from query parameters; what is not valid is ignored."""
    kind = params.get("kind")
    return ops.DocumentFilter(indicator=(params.get("indicator") or "").strip()[:40] or None,
                              department=(params.get("department") or "").strip()[:80] or None,
                              year=_int(params.get("year"), 1900, 2100),
                              kind=kind if kind in KINDS else None)


def _codes(values) -> tuple[str, ...]:
    out = []
    for value in values or []:
        out += [code.strip() for code in str(value).replace("，", ",").split(",") if code.strip()]
    return tuple(out)


def _years(values) -> tuple[int, ...]:
    years = []
    for value in values or []:
        for part in str(value).replace("，", ",").replace("、", ",").split(","):
            if part.strip():
                year = _int(part, 1900, 2100)
                if year is None:
                    raise BadRequest(_("年份“{value}”不对：请写四位数的年份，如 2024").format(value=part.strip()))
                years.append(year)
    return tuple(years)


def _kind(value) -> str | None:
    if value in (None, ""):
        return None
    if value not in KINDS:
        raise BadRequest(_("类型“{value}”不对：请选统计数据（statistics）或活动材料（activity）").format(value=value))
    return value


def decision_from_form(form) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], str | None]:
    return (_codes(form.getlist("add")), _codes(form.getlist("remove")), _years(form.getlist("years")),
            _kind(form.get("kind")))


def decision_from_json(data) -> tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], str | None]:
    if not isinstance(data, dict):
        raise BadRequest(_("请求内容应为 JSON 对象：{\"add\": [...], \"remove\": [...], \"years\": [...], \"kind\": \"...\"}"))
    lists = {key: data.get(key) or [] for key in ("add", "remove", "years")}
    if not all(isinstance(v, list) for v in lists.values()):
        raise BadRequest(_("add、remove、years 应为列表：请检查请求内容"))
    return _codes(lists["add"]), _codes(lists["remove"]), _years(lists["years"]), _kind(data.get("kind"))
