"""What the names in an indicator system say: the keywords of an indicator's name, and the lead
department as offices write it (one lead, and the departments that help it)."""
from __future__ import annotations

import re

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_NAME_SPLIT = re.compile(r"与|和(?!谐)|、|，|,|；|;|/")  # 和 before 谐 is a word (和谐), not "and"
_SURVEYED = re.compile(r"对(.+?)的")


def derive_keywords(name: str) -> list[str]:
    """Distinctive terms of an indicator's name, for tagging: '价格监管与明码标价' →
    [价格监管, 明码标价]; '群众对党风廉政建设的满意率' → [党风廉政建设]; '全民阅读' → [全民阅读]."""
    clean = _BRACKETS.sub("", name).strip()
    surveyed = _SURVEYED.search(clean)
    if surveyed:
        return [surveyed.group(1)] if len(surveyed.group(1)) >= 3 else []
    pieces = [p.strip() for p in _NAME_SPLIT.split(clean) if p.strip()]
    if len(pieces) == 1:
        return [clean] if 2 <= len(clean) <= 10 else []
    return [p for p in pieces if len(p) >= 3]


_LEAD_WITH_NOTE = re.compile(r"^\s*([^（(]+?)\s*[（(](.*)[）)]\s*$")
_HELPING = re.compile(r"(等)?(协同|协调|配合|参与|提供数据|牵头)$")
_DEPARTMENT_END = re.compile(r"(局|委|办|厅|部|会|院|中心|政府|办公室|室|团|联|站|馆|队|所|公司)$")


def split_lead(text: str) -> tuple[str, tuple[str, ...]]:
    """A lead department as offices write it, 市民政局（市文明办协同）, as its lead and helpers.
    A note in the brackets that names no department (市文广新局（文化市场执法）) is no helper."""
    match = _LEAD_WITH_NOTE.match(text or "")
    if not match:
        return (text or "").strip(), ()
    parts = (_HELPING.sub("", part.strip()) for part in re.split(r"[、，,；;]", match.group(2)))
    return match.group(1).strip(), tuple(p for p in parts if _DEPARTMENT_END.search(p))
