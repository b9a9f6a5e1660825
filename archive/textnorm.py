"""Text normalisation shared by extraction, indexing, search and snippets.

Departments' files mix full-width and half-width ASCII and put spaces between Chinese
characters (PDF layout, OCR, typists aligning text); a search for 志愿服务 must still
find 志 愿 服 务 and ２０２２ must match 2022.
"""
from __future__ import annotations

import re

# CJK ideographs (BMP + extension A) and the compatibility block; what "Chinese character" means here.
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = f"[{CJK_CLASS}]"
# Full-width letters, digits and symbols become ASCII; Chinese sentence punctuation (，：；！？（）)
# stays, because it is how Chinese is written, not a typing accident.
_KEEP_FULLWIDTH = set("，：；！？（）")
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _KEEP_FULLWIDTH}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_SPACES_BETWEEN_CJK = re.compile(f"(?<={_CJK})[ \\u00a0\\u2002-\\u200b]+(?={_CJK})")
# PDF text layers put a space between a number and the character after it (2024 年, 共 12 场);
# in Chinese these belong together, and a search for 2024年 must find them.
_SPACES_DIGIT_CJK = re.compile(f"(?<=[0-9])[ \\u00a0]+(?={_CJK})|(?<={_CJK})[ \\u00a0]+(?=[0-9])")
_CJK_RE = re.compile(_CJK)
_CJK_OR_PUNCT = re.compile(f"[{CJK_CLASS}，、；：“”‘’（）《》]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def join_wrapped_lines(text: str) -> str:
    """Join lines a PDF or a scan wrapped in the middle of a Chinese sentence.

    A line counts as wrapped when it runs (nearly) to the page's longest line and breaks between
    two Chinese characters; short lines (titles, signatures, table rows) keep their line end.
    """
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    longest = max(len(line.strip()) for line in lines)
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1].rstrip()
        if (prev and line.strip() and len(prev.strip()) >= 0.8 * longest and longest >= 15
                and _CJK_OR_PUNCT.match(prev[-1]) and is_cjk(line.lstrip()[0])):
            out[-1] = prev + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def is_cjk(char: str) -> bool:
    return bool(_CJK_RE.match(char))


def normalize_text(text: str) -> str:
    """Full-width ASCII to half-width, no spaces between two CJK characters (nor between a
    digit and a CJK character), no control bytes.

    Tabs stay: they separate table cells, and two cells are not one phrase.
    """
    text = text.translate(_FULLWIDTH)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES_DIGIT_CJK.sub("", _SPACES_BETWEEN_CJK.sub("", text))


def cjk_ratio(text: str) -> float:
    """The share of CJK characters among the non-space characters of `text`."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if is_cjk(c)) / len(visible)
