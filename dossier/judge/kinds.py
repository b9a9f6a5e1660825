"""Statistics or activity: which of the two kinds of evidence a document is.

统计数据类 (statistics, two years required) are figures: statistical bulletins, yearbooks, data
tables, monitoring data. 活动类 (activity, three years required) is the record of work: plans,
notices, summaries, briefings, news of activities, ledgers — and institutional documents
(制度, 办法, 规定, 意见), which the evaluation files with activity material.

How it decides:
1. The document type word (文种) in the title. Chinese titles end with it (…的通知, …实施方案,
   …统计公报), so when several type words appear, the one that ends last wins
   (关于印发《2022年统计工作要点》的通知 is a notice; 《2021年全国水资源状况公报》发布 is a bulletin).
   信息公开年度报告 is activity although it carries tables: the work of disclosure is reported.
2. Without a type word in the title, the file name is read the same way.
3. Otherwise the body: statistics are written in percentages and comparisons with the previous
   period (比上年增长, 同比, 百分点, 增加值); their density per 100 Chinese characters, or a high
   share of table cells (`table_ratio`, or |/tab separated lines of figures), makes statistics.
   A title of reporting (报告, 通报, 新闻) over a body dense with figures is statistics too; a
   news title of work (召开, 开展, 督查 …) needs a long, dense run of figures. Everything else
   is the record of work: activity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.judge.textnorm import TABLE_CELLS, cjk_count, rule_text

STATISTICS, ACTIVITY = "statistics", "activity"

# Type words; where two end at the same place the longer wins (监测报告 over 报告).
STAT_WORDS = ("统计分析报告", "数据分析报告", "统计报告", "统计公报", "统计年鉴", "统计月报", "统计快报",
              "统计报表", "统计数据", "统计分析", "统计台账", "统计台帐", "数据台账", "统计表", "年鉴表", "数据表", "数据汇总", "报表", "年鉴",
              "数据的报告", "数据报告", "数据的通报", "数据通报", "统计情况",
              # results of inspections and monitoring, and surveys of figures, whatever they are published as
              "抽检结果", "抽查结果", "抽检信息", "检测结果", "质量状况", "满意度调查报告", "满意率调查报告",
              "监测数据", "监测报告", "监测结果", "状况公报", "质量公报", "发展公报", "公报", "数据")
ACTIVITY_WORDS = ("信息公开工作年度报告", "信息公开年度报告", "实施方案", "工作方案", "方案", "通知", "总结",
                  "简报", "新闻", "台账", "登记表", "签到表", "记录表", "制度", "办法", "规定", "意见", "要点", "计划", "规划", "纲要",
                  "细则", "章程", "守则", "公约", "条例", "决定", "通报", "报告", "汇报", "讲话", "发言",
                  "主持词", "倡议书", "倡议", "纪要", "批复", "请示", "函", "工作动态", "动态", "活动", "照片", "现场")
# Words of news about work (no type word, but plainly activity): figures in such a text are the
# results of the work, so only a long, dense run of them makes statistics.
ACTIVITY_NEWS = re.compile(r"召开|举办|举行|开展|启动|部署|推进会|会议|座谈|督查|督导|调研|表彰|宣传|培训|演练|慰问|走进")
NEWS_OPENING = re.compile(r"本报讯|本台讯|[(（]\s*记者|记者\s*\S{1,4}\s*(?:报道|摄)|\d{1,2}月\d{1,2}日电|通讯员")
# Types that direct work: a table of quotas or targets in them is part of the direction.
DIRECTIVE = {"实施方案", "工作方案", "方案", "通知", "制度", "办法", "规定", "意见", "要点", "计划", "规划", "纲要",
             "细则", "章程", "守则", "公约", "条例", "决定", "批复", "请示", "函", "倡议书", "倡议"}
# Reporting types that may carry a statistical body (a news item about a bulletin is data).
REPORTING = {"报告", "通报", "汇报", "新闻", "动态", "工作动态", "活动"}
# 公报 of a meeting (全会公报) is a communiqué, not figures; 数据 in 大数据 is technology.
NOT_STAT = re.compile(r"(会议|全会|新闻|联合)公报|大数据|数据中心|数据库|数据安全|数据共享")

STAT_PHRASES = re.compile(r"比上年末?|较上年|比去年|同比|环比|百分点|增长\d|下降\d|增长了?\d|占比|比重"
                          r"|增加值|总量|人次|平均|累计|[%‰]")
SERIAL_CELL = re.compile(r"^\s*\d{1,4}\s*[.、]?\s*$")
LONG_DIGITS = re.compile(r"\d{11,}")          # telephone and identity numbers are not figures
NUMBER_CELL = re.compile(r"^\s*[-+]?\d[\d,.]*\s*[%‰]?\s*$")

STAT_DENSITY = 1.5       # statistical marks per 100 CJK chars; activity texts in practice stay below 1
STRONG_DENSITY = 3.0     # enough to override a reporting type word in the title
MIN_MARKS = 4            # a short text needs a few marks, not one percentage, to count as figures
NEWS_MARKS = 8           # …and a news title of work needs a long run of them
TABLE_SHARE = 0.5
ALL_FIGURES = 0.8        # a notice or plan is figures only when nearly all of it is (a quota table is direction)


@dataclass(frozen=True)
class KindDecision:
    kind: str | None            # "statistics" | "activity" | None
    confidence: float
    reason: str                 # Chinese, e.g. "标题含 统计公报; 表格数字占比高"


def _type_word(text: str) -> tuple[str, str] | None:
    """(kind, word) of the document type word that ends last in a title or file name."""
    text = NOT_STAT.sub("", text)
    best: tuple[int, int, str, str] | None = None
    for kind, words in ((STATISTICS, STAT_WORDS), (ACTIVITY, ACTIVITY_WORDS)):
        for word in words:
            end = text.rfind(word)
            if end >= 0:
                key = (end + len(word), len(word), kind, word)
                best = max(best, key) if best else key
    return (best[2], best[3]) if best else None


def _stat_marks(text: str) -> tuple[int, float]:
    """Statistical marks (percentages, 比上年, 同比 …): how many, and how many per 100 Chinese
    characters."""
    chars, marks = cjk_count(text), len(STAT_PHRASES.findall(text))
    return marks, (100 * marks / chars if chars else 0.0)


def _table_share(text: str) -> float:
    """The share of non-empty lines that are table rows of figures: at least two, and at least half
    of the row's cells (序号 and 人数 in a row of names and places do not make figures)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return 0.0
    rows = 0
    for line in lines:
        if TABLE_CELLS.search(line):
            cells = [c for c in TABLE_CELLS.split(line) if c.strip()]
            if cells and SERIAL_CELL.match(cells[0]):       # 序号 counts nothing
                cells = cells[1:]
            figures = sum(bool(NUMBER_CELL.match(c.replace("年", ""))) and not LONG_DIGITS.search(c) for c in cells)
            rows += figures >= 2 and 2 * figures >= len(cells)
    return rows / len(lines)


def detect_kind(title: str, text: str, filename: str = "", *, table_ratio: float | None = None) -> KindDecision:
    """Statistics or activity material, with a confidence and a reason (see the module docstring).

    `table_ratio` is the share of the document's text that sat in tables, when the extractor
    knows it; without it the text's own |- or tab-separated rows are counted.
    """
    title_n, body_n = rule_text(title or ""), rule_text(text or "")
    name_n = rule_text(re.sub(r"\.[A-Za-z0-9]{1,5}$", "", filename or ""))
    marks, density = _stat_marks(body_n)
    # Rows of figures, not table-ness: a spreadsheet of activities (名称, 地点, 负责人) is a record of
    # work although all of it sits in cells. The extractor's share counts only where no row is visible.
    visible = bool(TABLE_CELLS.search(body_n))
    tables = _table_share(body_n) if table_ratio is None or visible else table_ratio
    evidence = []
    if density >= STAT_DENSITY and marks >= MIN_MARKS:
        evidence.append(f"正文统计用语密度 {density:.1f}/百字")
    if tables >= TABLE_SHARE:
        evidence.append(f"表格数字占比 {tables:.0%}")

    for where, source, confidence in (("标题", title_n, 0.9), ("文件名", name_n, 0.8)):
        found = _type_word(source)
        if not found:
            continue
        kind, word = found
        dense = bool(evidence) and density >= STRONG_DENSITY or tables >= TABLE_SHARE
        figures_only = tables >= (ALL_FIGURES if word in DIRECTIVE else TABLE_SHARE)
        if kind == ACTIVITY and (word in REPORTING and dense or figures_only):
            # a body that is mostly figures is statistics, whatever the title's other words
            return KindDecision(STATISTICS, 0.75, f"{where}含 {word}, 但" + "; ".join(evidence))
        reason = f"{where}含 {word}"
        if kind == STATISTICS and evidence:
            reason += "; " + "; ".join(evidence)
            confidence = round(min(0.97, confidence + 0.05), 2)
        return KindDecision(kind, confidence, reason)

    # A news item (a title of work, or a body opening with 本报讯/记者/…日电): its figures are the
    # results of the work, so only a long, dense run of them makes it statistics.
    news, where = ACTIVITY_NEWS.search(title_n), "标题"
    if not news:
        news, where = NEWS_OPENING.search(body_n[:300]), "正文开头"
    if news and tables < TABLE_SHARE and (density < STRONG_DENSITY or marks < NEWS_MARKS):
        return KindDecision(ACTIVITY, 0.7, f"{where}含 {news.group()}, 工作报道; 正文统计用语 {marks} 处")
    if evidence:
        strength = max(density / STAT_DENSITY, tables / TABLE_SHARE)
        return KindDecision(STATISTICS, round(min(0.9, 0.6 + 0.1 * strength), 2), "; ".join(evidence))
    if cjk_count(title_n + body_n) < 20:
        return KindDecision(None, 0.0, "文字太少, 无法判断")
    return KindDecision(ACTIVITY, 0.65, f"标题无文种词; 正文以叙述为主(统计用语密度 {density:.1f}/百字), 按活动记录")
