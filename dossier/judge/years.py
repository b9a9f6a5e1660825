"""Which calendar years a document covers: the years of the work it reports, plans or rules on.

Not every year a document mentions counts. The rules, in order of strength:

* the title is read first; when it names years (2022年, 2022年度, 二〇二二年, a range such as
  2021—2025年 or “十四五”, a bare 2020 as in 《2020中国城市统计年鉴》) those are the answer;
* otherwise the body: years written with 年 (event dates included), ranges, 截至2019年末;
  a year that is clearly secondary (mentioned less than half as often as the main one) is left out;
* then the file name, read like a title (data groups name files and folders by year);
* then the document's own date (publication line, signature date, its 文号, or `issue_date`);
* last, the day the file's metadata says it was saved or made (a weak hint, shown for review).

Never counted: comparison years (比2021年增长, 较2020年, 与2020年相比, 2020年同期); publication
and signature dates (发布时间:2023-01-10, a date alone on a line, a date with a clock time) —
the period of the work, not the day it was issued; years in 文号 (〔2022〕12号), which say when a
document was issued, not what it covers (they only serve as its date); placeholders (20xx年).

Decisions worth knowing:
* a range covers every year in it (2021-2023年 → 2021, 2022, 2023); a school year 2021-2022学年
  covers both calendar years it spans (September to July), and 2021学年 means the same;
* 近三年(2020-2022) is read through its range; 近三年 alone is the three years up to the
  document's own date, and gives nothing without one;
* 今年/本年, 去年/上年, 明年, 上半年, 过去一年 (the year before, or at a year's end the year itself)
  are resolved against the document's own date; without one they give nothing;
* “since X” (2018年以来, 自2018年起) covers X and the year of the report, not the years between;
  without a report year it gives nothing (翻阅了2014年以来的记录 does not date a visit);
* targets (到2025年, 2025年前, 2025年实现, 2035年远景目标) are not work done. In a plan whose title
  names no year (方案, 规划, 计划, 要点, 纲要, 意见 …) the plan runs from its issue year to its
  target, or to the end of the programme it implements (《…行动方案(2022—2025年)》);
* in the body, years inside 《》 name other documents and weigh less than half a mention; their
  ranges count only as the end of a plan.
"""
from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from dossier.judge.textnorm import TABLE_CELLS, rule_text

Y = r"(?:19[5-9]\d|20\d\d)"                      # plausible calendar years as digits
DASH = r"(?:[-–—―~～〜－]{1,2}|至|到)"             # range separators people type
MAX_SPAN = 20                                      # longer “ranges” are not periods of work
PLAN_SPAN = 10                                     # a plan runs at most this long
BOOK_WEIGHT = 0.4                                  # a year inside 《》 in the body: another document's

# A date is metadata when written as digits (2023-01-10, 2021.01.13), followed by a clock time,
# labelled (发布时间: / 成文日期:), or alone on its line (a signature or dateline).
ISO_DATE = re.compile(rf"(?<!\d)({Y})([-./])(\d{{1,2}})\2(\d{{1,2}})(?!\d)")
CN_DATE = re.compile(rf"(?<!\d)({Y})年(\d{{1,2}})月(?:(\d{{1,2}})日)?")
DATE_LABEL = re.compile(r"(发布|时间|日期|更新|成文|印发|发文|刊载|来源)[^\n]{0,6}$")
CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}")
DATE_ONLY_LINE = re.compile(rf"^[\s(（\[【]*{Y}(?:年\d{{1,2}}月(?:\d{{1,2}}日)?|[-./]\d{{1,2}}[-./]\d{{1,2}})"
                            r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?[\s)）\]】]*$")
FILE_DATE = re.compile(rf"(?<!\d)({Y})(\d\d)(\d\d)(?!\d)")
DOC_NUMBER = re.compile(rf"[〔\[(（【﹝]\s*({Y})\s*[〕\])）】﹞]\s*第?\s*\d{{1,5}}\s*号")

RANGE = re.compile(rf"(?<![\d-])({Y})(年度?)?(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?\s*{DASH}\s*"
                   rf"({Y})(?:(年度?|学年度?)|(?![\d-]))")
# 2018、2019、2020年 / 2020和2021年: every year of an enumeration is written with 年.
ENUMERATION = re.compile(rf"(?<!\d)({Y})(?=[、和及与]{Y}(?:[、和及与]{Y})*年)")
SCHOOL_YEAR = re.compile(rf"(?<!\d)({Y})学年")
YEAR = re.compile(rf"(?<![\d#])({Y})(?=年)")
BARE_YEAR = re.compile(rf"(?<![\d.\-/:#第〔\[(（【])({Y})(?![\d.%‰:/\-#年])")
UNIT_AFTER = re.compile(r"^\s*(?:个|万|亿|元|人|次|名|件|座|场|户|家|所|批|项|吨|亩|米|台|辆|张|册|份|篇|条|余|多|千|百|号|届|周|期|岁|平方|公里|km|kg)")
# “十四五” → 2021-2025: the n-th five-year plan starts in 1981 + 5·(n-6) (the sixth began 1981).
FIVE_YEAR = re.compile(r"[“\"]十([一二三四五六七八九])五[”\"]|十([一二三四五六七八九])五(?=规划|计划|时期|期间)"
                       r"|第十([一二三四五六七八九])个五年(?:规划|计划)")
CN_UNIT = "一二三四五六七八九"

COMPARE_BEFORE = re.compile(r"(比|较|相比|相较|对比|低于|高于|超过|好于|优于|少于|多于)\s*$")
COMPARE_BY_WITH = re.compile(r"(与|同|和|跟)\s*$")           # 与2020年相比: only with 相比 after
COMPARE_AFTER = re.compile(r"^年度?[^。；;，,\n]{0,8}?(?:相比|相较|比较)")
# 由2020年底的212座增加到270座: the start of a change is a base of comparison too.
FROM_BEFORE = re.compile(r"由\s*$")
FROM_AFTER = re.compile(r"^年(?:底|末|初)?的[^。；;\n]{0,16}?\d[^。；;\n]{0,12}?"
                        r"(?:增加|增长|提高|提升|上升|下降|减少|降低|扩大|缩小|发展)(?:到|至)")
SAME_PERIOD_AFTER = re.compile(r"^年(?:度|\d{1,2}月份?)?同期")
SINCE_BEFORE = re.compile(r"(自|从|自从)\s*$")
# 2015年以来累计投入: a running total since then is background; 《条例》自2003年施行以来: a law's history.
SINCE_BACKGROUND_AFTER = re.compile(r"^年(?:度)?(?:\d{1,2}月)?(?:以来|起)[，,]?\s*(?:累计|共计|先后|历年)")
SINCE_BOOK_BEFORE = re.compile(r"》\s*(?:自|从)\s*$")
SINCE_AFTER = re.compile(r"^年(?:度)?(?:\d{1,2}月(?:\d{1,2}日)?)?起|^年[^。；;，,！？\n]{0,20}?以来")
# Targets: 到2025年, 力争2025年, 2025年前, 2035年远景目标, 2025年实现 (which in a statistics
# bulletin is past: 2021年实现社会消费品零售总额…). Outside plans a target up to the document's own
# year is just a year named; without that year nothing tells past from future.
TARGET_BEFORE = re.compile(r"(?<![截止])(到|至|力争|争取|预计|确保|计划)\s*$")
TARGET_AFTER = re.compile(r"^年(?:底|末)?(?:前|远景|实现)")
HISTORY_AFTER = re.compile(r"^年(?:的)?(?:历史|之久)|^年(?:颁布|诞生|始建|宪法(?![宣日周学知进]))")
HISTORY_BEFORE = re.compile(r"(成立|始建|创建|创立|诞生|出生|颁布|公布)于\s*$")
# Relative years, resolved against the document's own date; 明年 in a review is the plan it ends with.
RELATIVE = re.compile(r"今年|本年度|本年|本届|去年|过去的一年|过去一年|上一年|(?<!以)上年度|(?<!以)上年|明年|下一年"
                      r"|(?<![年\d])(?:上半年|下半年|前三季度)")
RELATIVE_OFFSET = {"去年": -1, "过去的一年": -1, "过去一年": -1, "上一年": -1, "上年度": -1, "上年": -1, "明年": 1, "下一年": 1}
RECENT = re.compile(r"(?<![较比提])(?:近|过去)([两二三四五])年")    # 近三年: the last three years up to the document's
CN_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5}
# 建党100周年 is 2021: the year of an anniversary is its event's year plus the count.
ANNIVERSARY = re.compile(r"(建党|中国共产党成立|建军|新中国成立|中华人民共和国成立|建国|改革开放|建团|共青团成立|"
                         r"抗战胜利|抗日战争胜利|世界反法西斯战争胜利|五四运动|长征胜利|辛亥革命|香港回归|澳门回归|现行宪法公布施行)"
                         r"\s*(\d{1,3})\s*周年")
THIS_YEAR_IS = re.compile(r"(今年|本年)(?:是|恰逢|正值|适逢)|(?:适逢|恰逢|正值)")
ANNIVERSARY_BASE = {"建党": 1921, "中国共产党成立": 1921, "建军": 1927, "新中国成立": 1949, "中华人民共和国成立": 1949,
                    "建国": 1949, "改革开放": 1978, "建团": 1922, "共青团成立": 1922, "抗战胜利": 1945,
                    "抗日战争胜利": 1945, "世界反法西斯战争胜利": 1945, "五四运动": 1919, "长征胜利": 1936,
                    "辛亥革命": 1911, "香港回归": 1997, "澳门回归": 1999, "现行宪法公布施行": 1982}
# A statistics table whose columns are years (指标 2016 2017 … as extracted: cells split by tabs).
TABLE_YEAR_CELL = re.compile(rf"^\s*({Y})\s*(?:年度?)?\s*$")
HEAD_OF_EVENT = re.compile(r"[于在至到从自止前后的为是和与及、，。；：:,;（(]$|[。；！？]")   # …举行于 2019年…: a sentence
# Dates that are the document's own: a news dateline (2023年3月10日电, 本报讯 … 2023年3月10日),
# a newspaper's issue line (2023年3月10日 星期五 / 第04版).
DATELINE_AFTER = re.compile(r"^\s*(?:电(?![话视子力脑影商网信梯动])|讯|消息|星期|周[一二三四五六日]|第\s*\d{1,3}\s*版)")
NEWS_BEFORE = re.compile(r"(记者|通讯员|本报讯|本台讯|日报|晚报|《[^》\n]{1,12}报》)")
RELATIVE_COMPARED = re.compile(r"(比|较|与|同|和|跟|同比|相比|对比|高于|低于|超过)\s*$")
RELATIVE_SAME_TIME = re.compile(r"^同期")
METADATA_NOTE = "依文件属性日期"        # a year from the file's metadata: review asks a person to confirm it
METADATA_CONFIDENCE = 0.25
PLAN_TITLE = re.compile(r"方案|规划|计划|要点|纲要|意见|安排|打算|路线图")


@dataclass(frozen=True)
class YearDecision:
    years: tuple[int, ...]      # sorted calendar years the document COVERS
    reason: str                 # Chinese, readable, e.g. "标题含 2022年度; 正文 2022年 出现5次"
    confidence: float           # 0..1
    source: str = "none"        # which part decided: title | body | filename | date | metadata | none


@dataclass
class _Reading:
    """What one part of a document (title, body or file name) says about years."""
    weights: Counter = field(default_factory=Counter)   # year → how often it is named as covered
    counts: Counter = field(default_factory=Counter)    # year → mentions, for reasons
    labels: dict = field(default_factory=dict)          # year → how it was written, for reasons
    ranges: list = field(default_factory=list)          # (first, last, label), the document's own
    book_ranges: list = field(default_factory=list)     # ranges inside 《》: other documents' periods
    since: list = field(default_factory=list)           # (year, label) of 2018年以来
    targets: list = field(default_factory=list)         # (year, label) of 到2025年
    relative: list = field(default_factory=list)        # year offsets of 今年 (0) / 去年 (-1) / 明年 (1)
    recent: list = field(default_factory=list)          # (n, label) of 近三年: the n years up to the date
    anniversaries: list = field(default_factory=list)   # (year, label) of 建党100周年
    dates: list = field(default_factory=list)           # (pos, year, label): own dates and 文号
    cited: list = field(default_factory=list)           # years of other documents' 文号
    skipped: list = field(default_factory=list)         # labels of comparison years, not counted
    background: list = field(default_factory=list)      # labels of running totals and histories, not counted

    def explicit(self) -> bool:
        return bool(self.weights or self.ranges)


def _book_depth(s: str) -> list[int]:
    """For each character, how many 《 are open before it (book titles do not span lines)."""
    depth, out = 0, []
    for ch in s:
        if ch == "\n":
            depth = 0
        out.append(depth)
        depth += (ch == "《") - (ch == "》" and depth > 0)
    return out


def _blank(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = "#" * (end - start)


def _read(s: str, *, title_like: bool) -> _Reading:
    """Collect year evidence from one normalised string; consumed spans are blanked with # so a
    later pattern never reads the same digits twice."""
    s = ENUMERATION.sub(r"\1年", s)
    r, chars, depth = _Reading(), list(s), _book_depth(s)
    _read_dates(s, chars, r, title_like)
    s = "".join(chars)
    if not title_like:
        _read_table_years(s, chars, r)
        s = "".join(chars)
    for m in RANGE.finditer(s):
        first, last = int(m.group(1)), int(m.group(3))
        if not (first <= last <= first + MAX_SPAN) or not (m.group(2) or m.group(4) or _bare_range_ok(s, m)):
            continue
        label = m.group().replace(" ", "")
        if first == last:                  # 2021年3月至2021年5月: one year, named once
            _count(r, first, 1, f"{first}年")
        else:
            (r.book_ranges if depth[m.start()] and not title_like else r.ranges).append((first, last, label))
        _blank(chars, m.start(), m.end())
    s = "".join(chars)
    for m in SCHOOL_YEAR.finditer(s):
        r.ranges.append((int(m.group(1)), int(m.group(1)) + 1, m.group()))
        _blank(chars, m.start(), m.end())
    s = "".join(chars)
    if title_like:
        for m in FIVE_YEAR.finditer(s):
            n = 10 + CN_UNIT.index(next(g for g in m.groups() if g)) + 1
            start = 1981 + 5 * (n - 6)
            r.ranges.append((start, start + 4, m.group()))
    for m in YEAR.finditer(s):
        _classify_year(s, m.start(), int(m.group(1)), depth[m.start()] > 0, r, title_like)
    if title_like and not r.explicit():
        for m in BARE_YEAR.finditer(s):
            if not UNIT_AFTER.match(s[m.end():]) and _cjk_or_edge(s, m.start() - 1) and _cjk_or_edge(s, m.end()):
                _count(r, int(m.group(1)), 1, m.group(1))
    for m in RELATIVE.finditer(s):
        if RELATIVE_COMPARED.search(s[max(0, m.start() - 3):m.start()]) or RELATIVE_SAME_TIME.match(s[m.end():]):
            r.skipped.append(s[max(0, m.start() - 1):m.end()])
        else:
            r.relative.append((RELATIVE_OFFSET.get(m.group(), 0), m.group()))
    r.recent += list(dict.fromkeys((CN_COUNT[m.group(1)], m.group()) for m in RECENT.finditer(s)))
    # In a body only 今年是…周年 dates the text: 庆祝建党100周年大会上的讲话精神 is boilerplate of years after.
    r.anniversaries += [(ANNIVERSARY_BASE[m.group(1)] + int(m.group(2)), m.group().replace(" ", ""))
                        for m in ANNIVERSARY.finditer(s) if 0 < int(m.group(2)) <= 200
                        and (title_like or THIS_YEAR_IS.search(s[max(0, m.start() - 8):m.start()]))]
    return r


def _read_table_years(s: str, chars: list[str], r: _Reading) -> None:
    """A table row whose cells are years (指标 2016 2017 2018 …) is a header: the table covers them."""
    start, previous = 0, ""
    for line in s.split("\n"):
        cells = line.split("\t")
        first_row = "\t" not in previous          # a header opens its table
        previous = line
        years = [int(m.group(1)) for c in cells if (m := TABLE_YEAR_CELL.match(c))] if len(cells) >= 3 else []
        if first_row and len(years) >= 2 and len(years) >= len(cells) - 1 and len(set(years)) == len(years) and max(years) - min(years) <= MAX_SPAN:
            first, last = min(years), max(years)
            if sorted(years) == list(range(first, last + 1)):
                r.ranges.append((first, last, f"表头 {first}—{last}"))
            else:
                for year in years:
                    _count(r, year, 1, f"表头 {year}")
            _blank(chars, start, start + len(line))
        start += len(line) + 1


def _bare_range_ok(s: str, m: re.Match) -> bool:
    """2020-2022 without 年 is a range only next to CJK text or brackets, not inside a code."""
    before = s[m.start() - 1] if m.start() else " "
    after = s[m.end()] if m.end() < len(s) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _cjk_or_edge(s: str, i: int) -> bool:
    """A bare year must stand apart: at an edge, or next to CJK text, space or punctuation."""
    return i < 0 or i >= len(s) or not (s[i].isascii() and s[i].isalnum())


def _read_dates(s: str, chars: list[str], r: _Reading, title_like: bool) -> None:
    """Metadata dates and 文号: recorded as the document's own date, blanked from the text."""
    line_start = 0
    for line in s.split("\n"):
        if DATE_ONLY_LINE.match(line):
            year = int(re.search(Y, line).group())
            r.dates.append((line_start, year, line.strip()))
            _blank(chars, line_start, line_start + len(line))
        line_start += len(line) + 1
    s = "".join(chars)
    for m in ISO_DATE.finditer(s):
        if 1 <= int(m.group(3)) <= 12 and 1 <= int(m.group(4)) <= 31:
            r.dates.append((m.start(), int(m.group(1)), m.group()))
            _blank(chars, m.start(), m.end())
    for m in CN_DATE.finditer(s):
        # Only the nearby part of the line: a text of one endless line must not cost a scan per date.
        reach = max(0, m.start() - 60)
        line_head = s[s.rfind("\n", reach, m.start()) + 1 or reach:m.start()]
        after = s[m.end():m.end() + 12]
        line_end = s.find("\n", m.end(), m.end() + 40)
        rest = s[m.end():line_end if line_end >= 0 else m.end() + 40]
        if (m.group(3) and (DATE_LABEL.search(line_head) or CLOCK.match(after) or DATELINE_AFTER.match(after)
                            or NEWS_BEFORE.search(line_head))) \
                or (not title_like and _ends_a_header(line_head, rest)):
            r.dates.append((m.start(), int(m.group(1)), m.group()))
            _blank(chars, m.start(), m.end())
    if title_like:
        for m in FILE_DATE.finditer(s):
            if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31 and chars[m.start()] != "#":
                r.dates.append((m.start(), int(m.group(1)), m.group()))
                _blank(chars, m.start(), m.end())
    for m in DOC_NUMBER.finditer(s):
        end = s.find("\n", m.end())
        line = s[s.rfind("\n", 0, m.start()) + 1:end if end >= 0 else len(s)]
        if title_like or len(line.strip()) <= 30:      # a 文号 on its own line is the document's own
            r.dates.append((m.start(), int(m.group(1)), m.group()))
        else:
            r.cited.append(int(m.group(1)))
        _blank(chars, m.start(), m.end())
    r.dates.sort()


def _ends_a_header(head: str, rest: str) -> bool:
    """南漪市文明办 2019年1月10日 / 某调查中心 2023年12月: a short line of names that ends with the
    date is a header or a signature — the document's own date, not a time of its work."""
    head = head.strip()
    return (not rest.strip(" )）]】") and 2 <= len(head) <= 30 and not HEAD_OF_EVENT.search(head)
            and not TABLE_CELLS.search(head))     # a row of a table is not a header


def _classify_year(s: str, start: int, year: int, in_book: bool, r: _Reading, title_like: bool) -> None:
    """Decide what one “YYYY年” is: covered, comparison, since, target, or a length of time."""
    before, after = s[max(0, start - 4):start], s[start + 4:start + 24]
    label = s[max(0, start - 1):start + 5] if COMPARE_BEFORE.search(before) else s[start:start + 5]
    if HISTORY_AFTER.match(after) or HISTORY_BEFORE.search(before):
        return
    if _is_comparison(before, after):
        r.skipped.append(label)
    elif SINCE_BACKGROUND_AFTER.match(after) or SINCE_BOOK_BEFORE.search(s[max(0, start - 6):start]):
        r.background.append(s[start:start + 7])
    elif (since := SINCE_BEFORE.search(before)) or (since := SINCE_AFTER.match(after)):
        written = since.group().strip() + s[start:start + 5] if since.re is SINCE_BEFORE else \
            s[start:start + 5] + ("以来" if since.group().endswith("以来") else "起")
        r.since.append((year, written))
    elif TARGET_BEFORE.search(before) or TARGET_AFTER.match(after):
        r.targets.append((year, s[start:start + 5]))
    else:
        written = s[start:start + 6] if s[start + 5:start + 6] == "度" else s[start:start + 5]
        _count(r, year, BOOK_WEIGHT if in_book and not title_like else 1, written)


def _count(r: _Reading, year: int, weight: float, label: str) -> None:
    r.weights[year] += weight
    r.counts[year] += 1
    r.labels.setdefault(year, label)


def _is_comparison(before: str, after: str) -> bool:
    """比2021年 / 较2020年 / 与2020年相比 / 2020年同期: a base for comparison, not the period."""
    if COMPARE_BEFORE.search(before) or SAME_PERIOD_AFTER.match(after):
        return True
    if FROM_BEFORE.search(before) and FROM_AFTER.match(after):
        return True
    return bool(COMPARE_BY_WITH.search(before) and COMPARE_AFTER.match(after))


@dataclass(frozen=True)
class _Ref:
    """The document's own year (when it was issued or published) and where it was read."""
    year: int
    label: str
    own: bool           # False when only guessed from the 文号 of documents it cites

    @property
    def month(self) -> int | None:
        m = re.search(r"\d{4}\D{1,2}(\d{1,2})(?!\d)", self.label)
        return int(m.group(1)) if m and 1 <= int(m.group(1)) <= 12 else None


def _reference(readings: list[_Reading], issue_date) -> _Ref | None:
    """From the title, the body, the file name, then the caller's issue_date, and last the
    newest 文号 the text cites (a document is issued after what it cites)."""
    for where, reading in zip(("标题", "正文", "文件名"), readings):
        if reading.dates:
            _, year, label = reading.dates[0]
            return _Ref(year, f"{where}日期 {label}", True)
    if issue_date:
        text = issue_date.isoformat() if isinstance(issue_date, datetime.date) else str(issue_date)
        if m := re.match(Y, text):
            return _Ref(int(m.group()), f"成文日期 {text[:10]}", True)
    cited = [y for reading in readings for y in reading.cited]
    return _Ref(max(cited), f"所引文号年份 〔{max(cited)}〕", False) if cited else None


def _covered(r: _Reading, own: _Ref | None, plan: bool, where: str) -> tuple[set[int], list[str], float]:
    """The years one part of the document covers, with reason parts and a confidence."""
    ref = own.year if own else None
    weights, counts, labels = Counter(r.weights), Counter(r.counts), dict(r.labels)
    parts: list[str] = []

    def add(year: int, label: str) -> None:
        weights[year] += 1
        counts[year] += 1
        labels.setdefault(year, label)

    if not r.explicit():
        for year, label in r.anniversaries:
            add(year, f"{label}(={year}年)")
    if not r.explicit() and ref is not None:
        for offset, label in r.relative:
            if label.startswith("过去") and (own.month or 1) > 6:   # 回顾过去一年 at the year's end: this one
                offset = 0
            add(ref + offset, f"{label}(={ref + offset}年)")
        for n, label in r.recent:
            for year in range(ref - n + 1, ref + 1):
                add(year, f"{label}(={ref - n + 1}—{ref}年)")
    for year, label in r.targets:            # a target already reached is just a year named
        if not plan and ref is not None and year <= ref:
            add(year, label)
    years: set[int] = set()
    if weights:
        years = _main_years(weights)
        parts += [f"{where}含 {labels[y]}" if counts[y] == 1 else f"{where} {labels[y]} 出现{counts[y]}次"
                  for y in sorted(years)]
        dropped = sorted(set(weights) - years)
        if dropped:
            parts.append("次要年份不计 " + "、".join(str(y) for y in dropped))
    seen: set[tuple[int, int]] = set()
    for first, last, label in r.ranges:
        if (first, last) not in seen:
            seen.add((first, last))
            years.update(range(first, last + 1))
            parts.append(f"{where}含 {label}")
    report = max(years) if years else ref
    for year, label in dict.fromkeys(r.since):
        if report is not None and year < report:
            years.update((year, report))
            parts.append(f"{where} {label}(至{report}年)")
        elif report is not None:           # 2020年起全面实施 in a 2019 text: from then on
            years.add(year)
            parts.append(f"{where}含 {label}")
    confidence = 0.95 if where == "标题" else 0.8 if max(counts.values(), default=0) >= 2 or r.ranges else 0.65
    if plan and where == "正文":
        start = ref if own and own.own else min(years) if years else ref
        ends = [y for y, _ in r.targets] + [last for _, last, _ in r.book_ranges]
        end = max(ends) if ends else None
        if start is not None and end is not None and start <= end <= start + PLAN_SPAN:
            years.update(range(start, end + 1))
            parts.append(f"计划类文件 {start}年起, 目标至{end}年")
            confidence = 0.75
    if r.skipped and years:
        parts.append("不计比较年份 " + "、".join(dict.fromkeys(r.skipped[:3])))
    if r.background and years:
        parts.append("不计背景年份 " + "、".join(dict.fromkeys(r.background[:3])))
    return years, parts, confidence


def _main_years(weights: Counter) -> set[int]:
    """The years named at least half as often as the most named one."""
    top = max(weights.values(), default=0)
    return {y for y, w in weights.items() if w >= top / 2} if top else set()


def _filename_text(filename: str) -> str:
    """File and folder names read like titles: without extension, separators as spaces."""
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename.strip())
    return rule_text(re.sub(r"[_\\/]+", " ", name))


def detect_years(title: str, text: str, filename: str = "", *,
                 issue_date: datetime.date | str | None = None, file_date: str | None = None) -> YearDecision:
    """The calendar years a document covers, why, and how sure (see the module docstring).

    `text` may contain the title again (it usually does); `filename` may be a relative path;
    `issue_date` is the document's date as known from elsewhere (a date or an ISO string);
    `file_date` the day the file's metadata says it was saved (ISO): the weakest hint of all,
    used only when nothing else dates the document, with a confidence review always shows.
    """
    title_r = _read(rule_text(title or ""), title_like=True)
    body_r = _read(rule_text(text or ""), title_like=False)
    file_r = _read(_filename_text(filename or ""), title_like=True)
    ref = _reference([title_r, body_r, file_r], issue_date)
    plan = bool(PLAN_TITLE.search(rule_text(title or "")) or PLAN_TITLE.search(_filename_text(filename or "")))

    years, parts, confidence = _covered(title_r, ref, plan, "标题")
    if years:
        body_years = _main_years(body_r.weights)
        if body_years and not body_years & years:
            parts.append("正文多为 " + "、".join(str(y) for y in sorted(body_years)) + ", 与标题不一致")
            confidence = 0.75
        return _decision(years, parts, confidence, "title")
    for reading, where, source in ((body_r, "正文", "body"), (file_r, "文件名", "filename")):
        years, parts, confidence = _covered(reading, ref, plan, where)
        if years:
            return _decision(years, parts, confidence if source == "body" else 0.6, source)
    if ref is not None:
        confidence = 0.4 if ref.label.startswith(("标题", "正文", "文件名")) else 0.35
        return _decision({ref.year}, [f"未写明所涉年份, 依{ref.label}"], confidence, "date")
    if file_date and (m := re.match(Y, file_date)):
        return _decision({int(m.group())}, [f"未写明所涉年份, {METADATA_NOTE} {file_date[:10]}"], METADATA_CONFIDENCE, "metadata")
    note = "; 不计 " + "、".join(dict.fromkeys(body_r.skipped[:3])) if body_r.skipped else ""
    since = "; 仅见 " + body_r.since[0][1] + ", 无报道年份" if body_r.since else ""
    return YearDecision((), "未找到可判断的年份" + since + note, 0.0, "none")


def _decision(years: set[int], parts: list[str], confidence: float, source: str) -> YearDecision:
    return YearDecision(tuple(sorted(years)), "; ".join(parts), round(confidence, 2), source)
