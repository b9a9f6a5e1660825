"""Small Chinese-text helpers shared by year and kind detection (stdlib only).

`archive.textnorm.normalize_text` already makes text searchable; the rules in
`dossier.judge.years` and `dossier.judge.kinds` also meet raw text (reposts in traditional characters,
pinyin glosses left by conversion tools, Chinese-numeral years), so `rule_text` brings all of
it to one form before any pattern runs. Each step keeps the meaning; none guesses.
"""
from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# Full-width digits, letters and the symbols that appear in dates and ranges → ASCII.
# Chinese sentence punctuation (，：；（）) is kept: rules match it as written.
_KEEP = set("，：；！？（）")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c) not in _KEEP}
_FULLWIDTH[0x3000] = 0x20

# Traditional → simplified, one character for one, for the characters our rule words use
# (统计公报, 以来, 较, 发布时间, 规划, 意见 …). Reposts on mainland sites are often converted
# to traditional; a full converter is not needed to read a few dozen words.
_TRAD = (
    "統统計计報报鑑鉴鑒鉴數数據据監监測测結结狀状況况質质會会議议聞闻總总簡简臺台賬账帳账製制辦办規规見见點点劃划綱纲細细則则約约條条決决講讲話话發发詞词紀纪動动開开舉举啟启導导調调"
    "傳传訓训練练環环長长來来從从較较與与對对於于過过時时間间佈布遠远標标個个實实線线圖图學学屆届號号萬万億亿產产業业經经濟济務务門门區区縣县鄉乡歲岁為为這这後后當当達达項项際际價价"
    "額额檢检驗验體体續续週周審审態态頒颁獎奖參参農农衛卫設设處处員员書书館馆讀读網网電电轉转載载訊讯關关國国廳厅現现覽览彙汇匯汇專专題题資资組组織织稱称黨党團团歷历啓启幹干廣广減减"
    "積积節节優优預预觀观陽阳邊边機机構构類类錄录說说寫写範范層层單单雙双級级蓋盖創创陳陈隊队職职"
)
_TO_SIMPLIFIED = {ord(t): ord(s) for t, s in zip(_TRAD[0::2], _TRAD[1::2])}

# Conversion tools on repost sites write the reading after a character: 統(tǒng)計(jì)年鑒(jiàn).
# A gloss has at least one tone-marked vowel, so (GDP) or (xx) stay.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_GLOSS = re.compile(f"(?<=[{CJK}])\\((?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,7}}\\)")

# 二〇二二 / 二○二二 / 二零二二 / 一九九九: Chinese-numeral years, four characters like their digits.
_CN_DIGIT = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3",
             "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_ZERO = "〇○零ＯO"
_CN_YEAR = re.compile(f"一九[{_ZERO}一二三四五六七八九]{{2}}|二[{_ZERO}][{_ZERO}一二三四五六七八九]{{2}}")

# 某 县 统 计 局, 2024 年, 年鉴 2019: spaces of layout, not of meaning.
_SPACE_BETWEEN = re.compile(f"(?<=[{CJK}0-9])[ \\u00a0\\u2002-\\u200b]+(?=[{CJK}])"
                            f"|(?<=[{CJK}])[ \\u00a0]+(?=[0-9])")


# 两千零二十三年 / 二千零五年: years spoken as a number; rare, but written so in speeches and reposts.
_CN_NUMBER_YEAR = re.compile("[两二]千(?=零|[一二三四五六七八九]?十)零?(?:([一二三四五六七八九]?)十)?([一二三四五六七八九]?)(?=年)")


def _number_year(m: re.Match) -> str:
    tens = (_CN_DIGIT[m.group(1)] if m.group(1) else "1") if "十" in m.group() else "0"
    return f"20{tens}{_CN_DIGIT[m.group(2)] if m.group(2) else '0'}"


# 二〇一八年十一月二十日 in signatures: after the year, the month and day in Chinese numerals too.
_CN_SMALL = "〇一二三四五六七八九"
_CN_MONTH = re.compile(r"(?<=\d年)([一二三四五六七八九十]{1,2})(?=月)")
_CN_DAY = re.compile(r"(?<=\d月)([一二三四五六七八九十〇]{1,3})(?=日)")


def _small_number(text: str) -> str:
    """十一 → 11, 二十 → 20, 三十一 → 31, 九 → 9 (up to 39)."""
    if "十" not in text:
        return str(_CN_SMALL.index(text[-1]))
    tens, _, units = text.partition("十")
    return str((_CN_SMALL.index(tens) if tens else 1) * 10 + (_CN_SMALL.index(units) if units else 0))


def cn_date_digits(text: str) -> str:
    """2018年十一月二十日 → 2018年11月20日 (run after the year is in digits)."""
    text = _CN_MONTH.sub(lambda m: _small_number(m.group(1)), text)
    return _CN_DAY.sub(lambda m: _small_number(m.group(1)), text)


def cn_year_digits(text: str) -> str:
    """二〇二二年 → 2022年 (same length, so positions in the text do not move)."""
    return _CN_YEAR.sub(lambda m: "".join(_CN_DIGIT[c] for c in m.group()), text)


def to_simplified(text: str) -> str:
    """Traditional → simplified for the characters the rules read; others stay as they are."""
    return text.translate(_TO_SIMPLIFIED)


def rule_text(text: str) -> str:
    """The form all year and kind rules read: half-width ASCII, simplified rule words, no pinyin
    glosses, Chinese-numeral years as digits, no spaces between CJK characters or between a
    number and the CJK character after it (某 县 统 计 局, 2024 年)."""
    text = text.translate(_FULLWIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = _PINYIN_GLOSS.sub("", to_simplified(text))
    return _SPACE_BETWEEN.sub("", cn_date_digits(_CN_NUMBER_YEAR.sub(_number_year, cn_year_digits(text))))


# Cells of a table row as extractors write them (tab-separated; | in text tables).
TABLE_CELLS = re.compile(r"[|\t]")


def cjk_count(text: str) -> int:
    return len(re.findall(f"[{CJK}]", text))
