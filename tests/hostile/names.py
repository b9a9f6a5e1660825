"""Hostile names and paths: encodings, control characters, lengths, normalisation, links."""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from tests.hostile.case import Case, Folder

NAMES = {
    "leading_equals": "=HYPERLINK(\"http://127.0.0.1:9\",\"点我\").txt",
    "leading_plus": "+cmd|' calc'!A0.txt",
    "leading_at": "@SUM(1+1).txt",
    "leading_minus_number": "-2+3.txt",
    "emoji": "📷活动照片🎉✅.txt",
    "tab_in_name": "制表\t符.txt",
    "carriage_return": "回车\r符.txt",
    "backslash": "a\\b\\c.txt",
    "spaces_around": "  前后空格  .txt",
    "windows_reserved": "CON.txt",
    "windows_reserved_nul": "NUL.txt",
    "right_to_left_mark": "报告\u202etxt.exe.txt",
    "zero_width": "零\u200b宽\u200d字符.txt",
    "no_extension": "没有扩展名",
    "double_extension": "通知.pdf.txt",
    "traditional_name": "關於創建文明城市的報告.txt",
    "fullwidth_name": "ＡＢＣ全角文件名．txt",
}


def add_names(folder: Folder, scratch: Path) -> None:
    for key, name in NAMES.items():
        folder.add(f"name_{key}", f"名称/{name}", "ok", f"a file named {name!r}",
                   f"关于{key}的说明，标记名称{key}。".encode("gb18030"), marker=f"标记名称{key}")
    folder.add("name_dots_only_stem", "名称/....txt", "skipped", "a name starting with a dot is hidden: skipped, said",
               "标记点开头。".encode("gb18030"))
    stem = "文" * 83                                     # 249 bytes + ".txt" (4) + "xx" = 255
    folder.add("name_255_bytes", f"名称/{stem}xx.txt", "ok", "a name of exactly 255 bytes",
               "标记最长名称。".encode("gb18030"), marker="标记最长名称")
    for form in ("NFC", "NFD"):
        name = unicodedata.normalize(form, "Café文明报告.txt")
        folder.add(f"name_{form.lower()}", f"名称/{form}/{name}", "ok",
                   f"a name in Unicode {form}: the two forms are two files", f"标记{form}形式。".encode("utf-8"),
                   marker=f"标记{form}形式")
    folder.add("name_invalid_bytes", b"\xe5\x90\x8d\xff\xfe.txt", "ok", "a name with bytes valid in no encoding",
               "标记坏名称。".encode("gb18030"), marker="标记坏名称")
    department = folder.path("=部门公式(1)/说明.txt")
    department.write_bytes("标记部门名公式。".encode("gb18030"))
    folder.cases.append(Case("department_formula", department, "ok", "a department folder named like a formula",
                             marker="标记部门名公式"))
    outside = scratch.parent / "别处的秘密.txt"
    outside.write_bytes("标记不应收录的外部文件。".encode("gb18030"))
    link = folder.path("链接/指向外部的链接.txt")
    link.symlink_to(outside)
    folder.cases.append(Case("symlink_outside_file", link, "skipped",
                             "a link to a file outside the source folder: skipped with a reason, its content never read",
                             note="来源文件夹之外"))
    elsewhere = scratch.parent / "别处的文件夹"
    elsewhere.mkdir(exist_ok=True)
    (elsewhere / "外部文件夹里的文件.txt").write_bytes("标记外部文件夹。".encode("gb18030"))
    folder_link = folder.path("链接/指向外部的文件夹")
    folder_link.symlink_to(elsewhere, target_is_directory=True)
    folder.cases.append(Case("symlink_outside_folder", folder_link, "skipped",
                             "a folder link leading outside the source: skipped with a reason"))
    inside = folder.path("链接/内部原件.txt")
    inside.write_bytes("标记内部链接。".encode("gb18030"))
    inner_link = folder.path("链接/指向内部的链接.txt")
    inner_link.symlink_to(inside)
    folder.cases.append(Case("symlink_inside", inside, "ok", "a file and a link to it inside the source: one document",
                             marker="标记内部链接"))
    deep = Path(*["层"] * 60)
    folder.add("deep_folders", str(deep / "深处的文件.txt"), "ok", "a file 60 folders deep",
               "标记很深。".encode("gb18030"), marker="标记很深")
    os.chmod(folder.path("链接"), 0o755)
