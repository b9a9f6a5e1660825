"""Hostile Office files: zip bombs, XML entity attacks, huge or lying sheets, macros, passwords."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile

from examples import docgen
from examples.malformed import _rezip, write_zip_with_bombs
from tests.hostile.case import Case, Folder

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XXE = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE r [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + ']>')


def _docx(label: str) -> bytes:
    return docgen.docx_bytes(f"关于文明餐桌行动的工作方案（{label}）", [f"倡导光盘行动，标记{label}。"],
                             doc_number="岚文明办〔2025〕3号", issuer="云岚市文明办", date="2025年3月1日")


def _xlsx(label: str) -> bytes:
    return docgen.xlsx_bytes({"2025年": [[f"文明餐桌统计表（{label}）"], ["项目", "数值"], ["示范店", 120]]})


def _document_xml(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<w:document xmlns:w="{_W}">'
            f'<w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>').encode("utf-8")


def _sheet_xml(rows: str, dimension: str = "A1") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/>'
            f'<sheetData>{rows}</sheetData></worksheet>').encode("utf-8")


def _column(n: int) -> str:
    name = ""
    while n:
        n, rest = divmod(n - 1, 26)
        name = chr(65 + rest) + name
    return name


def _million_rows() -> bytes:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>第{r}行</t></is></c><c r="B{r}"><v>{r}</v></c></row>'
                   for r in range(1, 1_000_001))
    return _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>标记百万行</t></is></c></row>' + rows[rows.index("</row>") + 6:])


def _wide_rows(columns: int = 16_384, rows: int = 100) -> bytes:
    cells = lambda r: "".join(f'<c r="{_column(c)}{r}"><v>{c}</v></c>' for c in range(1, columns + 1))
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>标记很宽</t></is></c></row>'
    return _sheet_xml(first + "".join(f'<row r="{r}">{cells(r)}</row>' for r in range(2, rows + 2)))


def _encrypt(data: bytes, password: str = "1234") -> bytes:
    plain, out = io.BytesIO(data), io.BytesIO()
    OOXMLFile(plain).encrypt(password, out)
    return out.getvalue()


def _macro_enabled(data: bytes, main: str, macro: str, part: str) -> bytes:
    """`data` as its macro-enabled twin: the main part's content type `main` becomes `macro`."""
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").decode()
    assert main in types, main
    types = types.replace(main, macro)
    types = types.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    return _rezip(data, {"[Content_Types].xml": types.encode(), part: b"\xd0\xcf\x11\xe0VBA macro (never run)"})


def _lying_sizes_zip(data: bytes) -> bytes:
    """Every member claims 1 KiB unpacked while document.xml really inflates to 30 MB."""
    big = _document_xml("标记谎报" + "很长的正文" * 2_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, big if info.filename == "word/document.xml" else src.read(info))
    raw = bytearray(buffer.getvalue())
    name = b"word/document.xml"
    position = 0
    while (position := raw.find(b"PK\x01\x02", position)) != -1:
        length = int.from_bytes(raw[position + 28: position + 30], "little")
        if raw[position + 46: position + 46 + length] == name:
            raw[position + 24: position + 28] = (1024).to_bytes(4, "little")
        position += 4
    return bytes(raw)


def add_office(folder: Folder, scratch: Path) -> None:
    add = folder.add
    docx, xlsx = _docx("基准"), _xlsx("基准")
    small = {n: zipfile.ZipFile(io.BytesIO(docx)).read(n) for n in zipfile.ZipFile(io.BytesIO(docx)).namelist()
             if n != "word/document.xml"}
    bombs = folder.path("办公文件/多部件炸弹.docx")
    write_zip_with_bombs(bombs, {**small, "word/document.xml": _document_xml("标记多部件")},
                         {f"word/media/image{i}.png": 8 << 20 for i in range(200)})
    folder.cases.append(Case("docx_many_part_bomb", bombs, "failed",
                             "200 parts of 8 MB zeros each (1.6 GB): refused before unpacking"))
    add("docx_lying_sizes", "办公文件/谎报大小.docx", "failed",
        "document.xml claims 1 KiB and inflates to 30 MB: the zip's own check stops it", _lying_sizes_zip(docx))
    add("docx_xxe", "办公文件/外部实体.docx", "ok", "an external entity naming /etc/passwd: never fetched",
        _rezip(docx, {"word/document.xml": _document_xml("标记外部实体&xxe;", XXE)}), marker="标记外部实体")
    add("docx_billion_laughs", "办公文件/十亿笑声.docx", "failed", "nested entities expanding to 10^9 'lol's: refused",
        _rezip(docx, {"word/document.xml": _document_xml("&lol9;", LAUGHS)}))
    strings = (f'<?xml version="1.0"?>{{doctype}}<sst xmlns="{_MAIN}" count="1" uniqueCount="1"><si><t>{{text}}</t></si></sst>')
    sheet = _sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    add("xlsx_xxe", "办公文件/外部实体.xlsx", "failed", "an external entity in shared strings: refused, never fetched",
        _rezip(xlsx, {"xl/sharedStrings.xml": strings.format(doctype=XXE, text="&xxe;标记外部实体").encode(),
                      "xl/worksheets/sheet1.xml": sheet}))
    add("xlsx_billion_laughs", "办公文件/十亿笑声.xlsx", "failed", "billion laughs in shared strings: refused",
        _rezip(xlsx, {"xl/sharedStrings.xml": strings.format(doctype=LAUGHS, text="&lol9;").encode(),
                      "xl/worksheets/sheet1.xml": sheet}))
    add("xlsx_million_rows", "办公文件/一百万行.xlsx", "ok", "1,000,000 rows: the first 20,000 are read, and it says so",
        _rezip(xlsx, {"xl/worksheets/sheet1.xml": _million_rows()}), note="只读取了前", marker="标记百万行")
    add("xlsx_16384_columns", "办公文件/一万六千列.xlsx", "ok", "rows of 16,384 columns: read up to the cell cap, said",
        _rezip(xlsx, {"xl/worksheets/sheet1.xml": _wide_rows()}), note="单元格", marker="标记很宽")
    lying = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>标记维度说谎</t></is></c></row>', "A1:XFD1048576")
    add("xlsx_lying_dimension", "办公文件/维度说谎.xlsx", "ok", "the dimension claims A1:XFD1048576 for one cell",
        _rezip(xlsx, {"xl/worksheets/sheet1.xml": lying}), marker="标记维度说谎")
    formulas = _sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>标记公式</t></is></c>'
                          '<c r="B1"><f>SUM(C1:C9)</f></c><c r="C1" t="str"><f>HYPERLINK("http://127.0.0.1:9/","点我")</f>'
                          '<v>点我</v></c><c r="D1"><f>cmd|\' /C calc\'!A0</f></c></row>')
    add("xlsx_formulas", "办公文件/公式.xlsx", "ok", "formulas (one a DDE command): cached values read, nothing run",
        _rezip(xlsx, {"xl/worksheets/sheet1.xml": formulas}), marker="标记公式")
    add("docm_macros", "办公文件/带宏的文档.docm", "ok", "a macro-enabled Word file: read, macros never run",
        _macro_enabled(_docx("宏文档"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                       "application/vnd.ms-word.document.macroEnabled.main+xml",
                       "word/vbaProject.bin"), marker="标记宏文档")
    add("xlsm_macros", "办公文件/带宏的表格.xlsm", "ok", "a macro-enabled workbook: read, macros never run",
        _macro_enabled(_xlsx("宏表格"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                       "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                       "xl/vbaProject.bin"), marker="宏表格")
    add("docx_password", "办公文件/有密码的文档.docx", "failed", "a password-protected Word file: the reason says so",
        _encrypt(_docx("密码")), note="密码")
    add("xlsx_password", "办公文件/有密码的表格.xlsx", "failed", "a password-protected workbook: the reason says so",
        _encrypt(_xlsx("密码")), note="密码")
    add("csv_named_xlsx", "办公文件/其实是CSV.xlsx", "ok", "comma-separated text named .xlsx: read as text",
        "项目,数值\r\n标记CSV改名,12\r\n".encode("gb18030"), marker="标记CSV改名")
    add("xlsx_no_sheets", "办公文件/没有工作表.xlsx", "ok", "a workbook whose sheet list is empty: kept like an empty Word file",
        _rezip(xlsx, {"xl/workbook.xml": f'<workbook xmlns="{_MAIN}"><sheets/></workbook>'.encode()}))
    add("docx_empty_body", "办公文件/空白文档.docx", "ok", "a Word file with an empty body: kept (the title is its name)",
        _rezip(docx, {"word/document.xml": _document_xml("")}))
