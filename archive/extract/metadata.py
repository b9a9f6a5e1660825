"""Catalogue facts read from a document's text: title, 文号, issuer, dates mentioned."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# 文号: 机关代字 + 〔年份〕 + 序号 + 号; offices also type [ ], ( ), （ ）, 【 】 for the brackets.
DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fff]{1,12}[〔\[(（【]\s*((?:19|20)\d{2})\s*[〕\])）】]\s*第?\s*\d{1,4}\s*号)"
)
_RED_HEADER_RE = re.compile(r"^([\u4e00-\u9fff（）()]{2,40}?)(?:文件|文件通知|简报|工作简报|通报|函)$")
_SIGNATURE_DATE_RE = re.compile(
    r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$"
)
_DATE_RE = re.compile(
    r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-./](\d{1,2})[-./](\d{1,2})(?!\d))"
)
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?")
_ORG_SUFFIXES = ("局", "委", "办", "厅", "部", "会", "院", "中心", "政府", "办公室", "委员会", "团市委", "联合会", "站", "所", "馆", "队")


@dataclass
class DocumentFacts:
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    doc_date: str | None = None          # ISO date of issue (the signature date) when found
    dates: list[str] = field(default_factory=list)


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return _CN_DIGITS[tens] * 10 + _CN_DIGITS[ones]
    return _CN_DIGITS[text]


def _safe_date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str, limit: int = 200) -> list[str]:
    """Distinct ISO dates mentioned, in order of first appearance."""
    found: dict[str, None] = {}
    for match in _DATE_RE.finditer(text):
        year = int(match.group(1))
        month = int(match.group(2) or match.group(4))
        day = int(match.group(3) or match.group(5))
        if (iso := _safe_date(year, month, day)):
            found.setdefault(iso)
        if len(found) >= limit:
            break
    for match in _CN_DATE_RE.finditer(text):
        year = int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
        day = _cn_number(match.group(3)) if match.group(3) else 1
        if (iso := _safe_date(year, _cn_number(match.group(2)), day)):
            found.setdefault(iso)
    return list(found)[:limit]


def _is_org(line: str) -> bool:
    return 2 <= len(line) <= 30 and line.endswith(_ORG_SUFFIXES) and not any(c in line for c in "，。：；")


def _signature(lines: list[str]) -> tuple[str | None, str | None]:
    """The issuer and date of the closing signature block (org name line above a date line)."""
    tail = [line.strip() for line in lines[-15:] if line.strip()]
    for i in range(len(tail) - 1, -1, -1):
        match = _SIGNATURE_DATE_RE.match(tail[i]) or _CN_DATE_RE.fullmatch(tail[i])
        if not match:
            continue
        dates = find_dates(tail[i])
        issuer = tail[i - 1] if i > 0 and _is_org(tail[i - 1]) else None
        return issuer, (dates[0] if dates else None)
    return None, None


def guess_title(lines: list[str]) -> str | None:
    """The first line that reads like a title: not a red header, 文号, date, salutation or sentence."""
    for line in lines[:25]:
        line = line.strip()
        if not line or _RED_HEADER_RE.match(line) or DOC_NUMBER_RE.fullmatch(line) or _SIGNATURE_DATE_RE.match(line):
            continue
        if len(line) < 2 or len(line) > 60 or line.count("\t") > 1:
            continue
        if line.endswith(("：", ":", "。", "；", ";")) or line.startswith(("各", "附件")):
            continue
        return line
    return None


def read_facts(text: str) -> DocumentFacts:
    lines = text.splitlines()
    facts = DocumentFacts(title=guess_title(lines), dates=find_dates(text))
    head = "\n".join(lines[:15])
    if (number := DOC_NUMBER_RE.search(head)):
        facts.doc_number = re.sub(r"\s+", "", number.group(1))
    for line in lines[:5]:
        if (red := _RED_HEADER_RE.match(line.strip())):
            facts.issuer = red.group(1)
            break
    issuer, date = _signature(lines)
    facts.issuer = facts.issuer or issuer
    facts.doc_date = date
    return facts
