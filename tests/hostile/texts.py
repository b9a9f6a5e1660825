"""Hostile plain text: every encoding an office meets, NUL bytes, and a 200 MB file."""
from __future__ import annotations

from pathlib import Path

from tests.hostile.case import Case, Folder

BODY = "关于开展“我们的节日·春节”主题活动的通知\n各社区：定于2025年1月开展写春联、送祝福活动。"
TRADITIONAL = "關於開展「我們的節日·春節」主題活動的通知\n各社區：定於2025年1月開展寫春聯、送祝福活動。"


def add_texts(folder: Folder, scratch: Path) -> None:
    add = folder.add
    add("gb18030_four_byte", "文本/四字节字符.txt", "ok", "GB18030 with four-byte characters (𠀀, 㐀, €)",
        (BODY + "标记四字节𠀀㐀€").encode("gb18030"), marker="标记四字节")
    add("big5", "文本/繁體BIG5.txt", "ok", "Big5 (traditional, Taiwan and Hong Kong sources)",
        (TRADITIONAL + "標記繁體").encode("big5"), marker="標記繁體")
    add("utf16le_no_bom", "文本/UTF16无BOM.txt", "ok", "UTF-16 LE without a byte-order mark (NULs every other byte)",
        (BODY + "标记小端").encode("utf-16-le"), marker="标记小端")
    add("utf16be_no_bom", "文本/UTF16BE无BOM.txt", "ok", "UTF-16 BE without a byte-order mark",
        (BODY + "标记大端").encode("utf-16-be"), marker="标记大端")
    add("utf16be_bom", "文本/UTF16BE有BOM.txt", "ok", "UTF-16 BE with its BOM", (BODY + "标记大端BOM").encode("utf-16"),
        marker="标记大端BOM")
    add("shift_jis", "文本/日文ShiftJIS.txt", "ok", "Shift-JIS (a Japanese sister city's letter): read, never a crash",
        "姉妹都市との交流について。2025年4月。".encode("shift_jis"))
    add("mixed_encodings", "文本/混合编码.txt", "ok", "a UTF-8 paragraph, then a GBK one (files pasted together)",
        ("标记混合UTF8段落。" + BODY).encode("utf-8") + "\n第二段是GBK编码。".encode("gbk"), marker="标记混合UTF8段落")
    add("nul_bytes", "文本/含空字节.txt", "ok", "NUL bytes scattered in GB18030 text (a damaged copy)",
        (BODY + "标记空字节").encode("gb18030").replace("。".encode("gb18030"), b"\x00\x00"), marker="标记空字节")
    add("only_whitespace", "文本/只有空白.txt", "failed", "spaces and line ends only: nothing to file", b" \r\n\t \r\n" * 100)
    add("utf8_bad_bytes", "文本/UTF8夹坏字节.txt", "ok", "UTF-8 with a few invalid bytes",
        ("标记坏字节" + BODY).encode("utf-8") + b"\xff\xfe\xfa" + "结尾。".encode("utf-8"), marker="标记坏字节")
    add("long_line", "文本/一行十兆.txt", "ok", "one line of 10 MB, no line break",
        ("标记长行" + "文明" * 2_500_000).encode("utf-8"), marker="标记长行")
    huge = folder.path("文本/两百兆文本.txt")
    with open(huge, "wb") as out:
        out.write(("标记两百兆\n" + BODY + "\n").encode("utf-8"))
        line = ("志愿服务台账记录" * 32 + "\n").encode("utf-8")
        for _ in range((200 << 20) // len(line)):
            out.write(line)
    folder.cases.append(Case("text_200mb", huge, "ok", "a 200 MB text file: its first 10 million characters kept, and said",
                             note="只保留了前", marker="标记两百兆"))
