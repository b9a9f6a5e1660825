"""OCR output as the archive stores text: no spaces between Chinese characters, Chinese
punctuation next to Chinese, lines the scan wrapped mid-sentence joined."""
from __future__ import annotations

import re

from archive.textnorm import CJK_CLASS, normalize_text

_CJK_PUNCT = "，。、；：！？（）《》“”‘’【】〔〕…—"
_ASCII_TO_CJK = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# tesseract writes "出席: 罗芳" and "(一) 完善": ASCII punctuation next to Chinese is Chinese punctuation.
_PUNCT_AFTER_CJK = re.compile(f"(?<=[{CJK_CLASS}])\\s*([,:;!?)])")
_OPEN_BEFORE_CJK = re.compile(f"\\(\\s*(?=[{CJK_CLASS}])")
_SPACE_AT_CJK_PUNCT = re.compile(f"(?<=[{_CJK_PUNCT}]) +| +(?=[{_CJK_PUNCT}])")   # a tab parts table cells
# Both engines read the dash of 2024—2026年 or 1—6月 as the character 一: between two digits it is a dash
# (一 between digits is never the numeral in Chinese text: numbers are written in one script).
_DASH_READ_AS_ONE = re.compile(r"(?<=[0-9])\s*一\s*(?=[0-9])")
_WRAP_END = re.compile(f"[{CJK_CLASS}0-9，、；：“‘（《]$")
_WRAP_START = re.compile(f"^[{CJK_CLASS}0-9，。、；：！？”’）》]")


def clean_ocr_text(raw: str) -> str:
    """An engine's output as the archive stores text (see archive.textnorm.normalize_text)."""
    text = normalize_text(raw)
    text = _PUNCT_AFTER_CJK.sub(lambda m: _ASCII_TO_CJK[m.group(1)], text)
    text = _OPEN_BEFORE_CJK.sub("（", text)
    text = _DASH_READ_AS_ONE.sub("—", text)
    text = normalize_text(_SPACE_AT_CJK_PUNCT.sub("", text))
    return join_ocr_lines([line.strip() for line in text.split("\n") if line.strip()])


def join_ocr_lines(lines: list[str]) -> str:
    """Join lines the scan wrapped mid-sentence. Like archive.textnorm.join_wrapped_lines, but
    a scan also wraps inside numbers (20|24年) and before punctuation (清单|，每月), and those
    must join too, or a search for 2024年 misses them; a line ending in 。 ends a paragraph."""
    if not lines:
        return ""
    longest = max(len(line) for line in lines)
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if longest >= 15 and len(prev) >= 0.8 * longest and _WRAP_END.search(prev) and _WRAP_START.match(line) \
                and "\t" not in prev and "\t" not in line:        # a table's rows keep their line ends
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)
