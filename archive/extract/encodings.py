"""Which encoding a Chinese office's text file is in, and its text.

Charset guessing is wrong on short Chinese text, so we try the encodings offices actually
produce, strictly, in order: UTF-8, UTF-16 without a byte-order mark (Windows' "Unicode"),
GB18030 (with Big5 for traditional text that GB18030 reads as rare characters). Files pasted
together from two encodings, or damaged by a few bad or NUL bytes, are read line by line; a
text that none of these reads cleanly is refused rather than indexed as mojibake.
"""
from __future__ import annotations

import re

# A reading may replace at most this share of characters (or four) before we call it binary.
MAX_REPLACED = 0.02
MAX_CONTROL = 0.005    # control characters beyond this share: a binary file, not text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PLAIN = re.compile(r"[\t\n\r\f\x20-\x7e\u00a0-\u024f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def decode_text(data: bytes) -> str | None:
    """The text of `data`, or None when no encoding an office uses reads it."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        if (text := _utf16_without_bom(data)) is not None:
            return text
        data = data.replace(b"\x00", b"")    # a damaged copy: NULs carry no text
    text, replaced = _reading(data)
    if replaced:
        text, replaced = _line_by_line(data)
    if not text or replaced > max(MAX_REPLACED * len(text), 4) or len(_CONTROL.findall(text)) > MAX_CONTROL * len(text):
        return None
    return text


def looks_like_text(sample: bytes) -> bool:
    """Whether the first bytes of a file read as text (a multi-byte character cut at the end is fine)."""
    cut = sample[:8192]
    return any(decode_text(cut[:end]) is not None for end in range(len(cut), max(len(cut) - 4, 0), -1))


def _reading(raw: bytes) -> tuple[str, int]:
    """One stretch of bytes as text, and how many characters had to be replaced."""
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    try:
        as_gb = raw.decode("gb18030")
    except UnicodeDecodeError:
        as_gb = None
    if as_gb is not None:
        chinese = _as_big5(raw, as_gb)
        if chinese is not as_gb or _mostly_common(as_gb):
            return chinese, 0             # Big5, or GB text a word of Chinese in a long ASCII line
    lenient = raw.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    if replaced <= 0.01 * len(lenient):
        return lenient, replaced         # UTF-8 with a few bad bytes, not another encoding
    try:
        return _as_big5(raw, raw.decode("gb18030")), 0
    except UnicodeDecodeError:
        return lenient, replaced


def _line_by_line(data: bytes) -> tuple[str, int]:
    """Files pasted together from two encodings: each line in its own."""
    lines, replaced = [], 0
    for raw in data.split(b"\n"):
        line, bad = _reading(raw)
        lines.append(line)
        replaced += bad
    return "\n".join(lines), replaced


def _mostly_common(text: str) -> bool:
    """Whether the non-ASCII characters of `text` are mostly common ones (inside GB2312): Chinese,
    not the rare characters another encoding's bytes turn into when read as GB18030."""
    wide = [c for c in text if ord(c) > 0x7F]
    return bool(wide) and sum(map(_outside_gb2312, wide)) < 0.2 * len(wide)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 LE or BE when nearly every character it gives is one a Chinese text holds.

    GB18030 or binary bytes read as UTF-16 land in Hangul, surrogates and private use, not in
    the characters a Chinese text is made of, so the test does not take them."""
    even = data[: len(data) - len(data) % 2]
    # UTF-16 holds a NUL for every ASCII character, all on one side of each pair; a stray NUL or
    # two in a damaged text file does not make it UTF-16.
    nuls = [n % 2 for n, byte in enumerate(even) if byte == 0]
    if len(nuls) < max(2, 0.02 * len(even)) or max(nuls.count(0), nuls.count(1)) < 0.65 * len(nuls):
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text and len(_PLAIN.findall(text)) >= 0.97 * len(text):
            return text
    return None


def _outside_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


def _as_big5(data: bytes, as_gb: str) -> str:
    """`data` decoded as Big5 (cp950) when its GB18030 reading is mostly rare characters."""
    wide = [c for c in as_gb if ord(c) > 0x7F]
    if not wide or sum(map(_outside_gb2312, wide)) < 0.2 * len(wide):
        return as_gb
    try:
        return data.decode("cp950")
    except UnicodeDecodeError:
        return as_gb
