"""How values read on a page: Chinese labels, year lists, and searched phrases marked in text
(always escaped first: a document's text is never markup)."""
from __future__ import annotations

import re
from urllib.parse import quote

from markupsafe import Markup, escape

KIND = {"statistics": "统计数据", "activity": "活动材料", None: "未定", "": "未定"}
STATUS = {"complete": "齐全", "partial": "部分缺失", "missing": "缺失", "ok": "可读", "failed": "读取失败",
          "needs_ocr": "待识别"}
TAG_STATUS = {"auto": "自动", "accepted": "已确认", "rejected": "已移除"}
SOURCE = {"rule": "规则", "path": "文件夹", "manual": "人工"}
ROLE = {"viewer": "查看", "editor": "编辑", "admin": "管理"}
EVENT = {"tag-add": "加指标", "tag-remove": "去指标", "years-set": "定年份", "kind-set": "定类型",
         "auto-tags": "自动归类", "auto-years": "自动识别年份", "auto-kind": "自动识别类型"}


def years(values) -> str:
    return "、".join(str(v) for v in values) if values else "—"


def mark(text: str, terms: list[str]) -> Markup:
    """The text, escaped, with every occurrence of a term in <mark> (case-insensitive)."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, last = [], 0
    for found in pattern.finditer(text):
        out += [escape(text[last:found.start()]), Markup("<mark>"), escape(found.group()), Markup("</mark>")]
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def segments(parts: list[tuple[str, bool]]) -> Markup:
    """A search hit's snippet, its hits in <mark>."""
    return Markup("").join(Markup("<mark>%s</mark>") % part if hit else escape(part) for part, hit in parts)


def event_line(event: dict) -> str:
    """One line of a document's history: when, what, by whom."""
    what = EVENT.get(event["action"], event["action"])
    detail = event.get("code") or ""
    if "after" in event:
        after = event["after"]
        detail = years(after) if isinstance(after, list) else KIND.get(after, str(after))
    elif event.get("added") or event.get("removed"):
        detail = " ".join(["+" + c for c in event.get("added") or []] + ["−" + c for c in event.get("removed") or []])
    who = f" · {event['user']}" if event.get("user") else ""
    return f"{event['at'][:16].replace('T', ' ')} {what} {detail}{who}"


FILTERS = {"path_part": lambda v: quote(str(v), safe=""), "event_line": event_line, "years": years, "mark": mark, "segments": segments, "kind": lambda v: KIND.get(v, v),
           "status": lambda v: STATUS.get(v, v), "tag_status": lambda v: TAG_STATUS.get(v, v),
           "source": lambda v: SOURCE.get(v, v or "—"), "role": lambda v: ROLE.get(v, v),
           }
