"""The malformed-input suite: files and folders that an ingest must survive.

`build_malformed(dest)` fills `dest` with ~55 cases and returns one `MalformedCase` per case:
its path and what a correct ingest of `dest` does with it:

  "failed"     recorded as failed, with a reason a person understands; the batch goes on
  "ok"         ingested with its text (the format is recognised by content, not by name)
  "needs_ocr"  kept, and marked as needing OCR (no text layer)
  "skipped"    not a document at all (link loop, dangling link, pipe, folder, lock file): walked
               past without opening it; it may be mentioned, never counted as a document

Careful: `dest` holds a named pipe (opening it for reading blocks forever), a symlink loop and
file names that are not valid UTF-8. Walk it with lstat/`follow_symlinks=False` and keep paths
as `os.fsencode`-able str (Python's surrogateescape), never `.read_bytes()` everything blindly.
"""
from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from examples import docgen

BOMB_BYTES = 1100 << 20          # what the zip bombs' main part expands to: 1.15 GB of zeros
HUGE_ROWS, HUGE_COLS = 20_000, 10  # the huge workbook: 200,000 cells (~1.5 MB on disk)
EXPECTATIONS = ("failed", "ok", "needs_ocr", "skipped")


@dataclass(frozen=True)
class MalformedCase:
    name: str
    path: Path
    expect: str          # one of EXPECTATIONS
    why: str = ""        # what the case proves


def _sample_text(rng: random.Random) -> tuple[str, list[str]]:
    title = "关于做好2024年文明城市测评材料报送工作的通知"
    return title, docgen.compose_paragraphs(rng, ["测评材料", "佐证材料", "资料报送"], 2024, 4, genre="通知")


def _deflate_zeros(size: int) -> tuple[bytes, int]:
    """A raw deflate stream of `size` zero bytes and its CRC-32, in about a second.

    After Z_FULL_FLUSH the compressor starts afresh, so every 1 MiB block of zeros compresses
    to the same bytes: compress one block and repeat it instead of compressing a gigabyte.
    """
    block = bytes(1 << 20)
    blocks, rest = divmod(size, len(block))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(bytes(rest)) + compressor.flush()
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(bytes(rest), crc)
    return first + repeat * (blocks - 1) + tail, crc


def write_zip_with_bombs(path: Path, small: dict[str, bytes], bombs: dict[str, int]) -> None:
    """A zip holding `small` parts stored as-is and, for each of `bombs`, a deflated part of that
    many zeros.

    Written by hand because zipfile cannot take pre-compressed data; sizes stay below 4 GiB,
    so no zip64 records are needed.
    """
    members = [(name, data, zlib.crc32(data), 0, data, len(data)) for name, data in small.items()]
    packed_by_size: dict[int, tuple[bytes, int]] = {}
    for bomb_name, bomb_size in bombs.items():
        packed, crc = packed_by_size.setdefault(bomb_size, _deflate_zeros(bomb_size))
        members.append((bomb_name, None, crc, 8, packed, bomb_size))
    out, central = bytearray(), bytearray()
    for name, _, crc32, method, payload, size in members:
        raw = name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x21, crc32,
                           len(payload), size, len(raw), 0) + raw + payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0, 0x21, crc32,
                               len(payload), size, len(raw), 0, 0, 0, 0, 0, offset) + raw
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), len(out), 0)
    path.write_bytes(bytes(out))


_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  b'<Default Extension="xml" ContentType="application/xml"/>%s</Types>')


def _docx_bomb(path: Path) -> None:
    override = (b'<Override PartName="/word/document.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>')
    write_zip_with_bombs(path, {"[Content_Types].xml": _CONTENT_TYPES % override}, {"word/document.xml": BOMB_BYTES})


def _xlsx_bomb(path: Path) -> None:
    override = (b'<Override PartName="/xl/workbook.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>')
    workbook = (b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>')
    write_zip_with_bombs(path, {"[Content_Types].xml": _CONTENT_TYPES % override, "xl/workbook.xml": workbook},
                         {"xl/worksheets/sheet1.xml": BOMB_BYTES})


def _rezip(source: bytes, replace: dict[str, bytes | None]) -> bytes:
    """A copy of a zip with some members replaced (bytes) or dropped (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    zout.writestr(info.filename, replace[info.filename])
            else:
                zout.writestr(info.filename, zin.read(info.filename))
    return out.getvalue()


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _word_lock(user: str = "zhangsan") -> bytes:
    """The 162-byte owner file Word leaves as ~$name.docx while a document is open."""
    raw = user.encode("ascii")
    data = bytes([len(raw)]) + raw.ljust(53, b" ") + struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return data.ljust(162, b"\x00")


def _rtf(text: str) -> bytes:
    body = "".join(ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in text)
    return ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\\f0\\fs24 "
            + body.replace("\n", "\\par\n") + "\\par}").encode("ascii")


def build_malformed(dest: Path) -> list[MalformedCase]:
    """Create the suite under `dest` (created if needed; existing cases are replaced)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20260526)
    title, paragraphs = _sample_text(rng)

    # Every readable case gets its own content (its label in the text): identical bytes would be
    # stored once by a content-addressed ingest, and the suite would test less than it says.
    def text(label: str) -> str:
        return f"{title}（{label}）\n" + "\n".join(paragraphs)

    def docx_data(label: str) -> bytes:
        return docgen.docx_bytes(f"{title}（{label}）", paragraphs, doc_number="岚文明办〔2024〕7号",
                                 issuer="云岚市文明办", date="2024年4月2日")

    def xlsx_data(label: str) -> bytes:
        return docgen.xlsx_bytes({"2024年": [[f"志愿服务统计表（{label}）"], ["序号", "项目", "数值"],
                                            [1, "注册志愿者人数", 52310], [2, "志愿服务时长（小时）", 861200]]})

    scratch = dest / ".build"
    scratch.mkdir(exist_ok=True)
    pdf_data = docgen.write_pdf(scratch / "source.pdf", title, ["\n".join(paragraphs)] * 3).read_bytes()
    named_pdf = docgen.write_pdf(scratch / "named.pdf", f"{title}（改名txt）", paragraphs).read_bytes()
    cases: list[MalformedCase] = []

    def fresh(path: Path) -> Path:
        # Rebuilding over an old suite: replace files, pipes and links, never follow them.
        if path.is_symlink() or (os.path.lexists(path) and not path.is_dir()):
            path.unlink()
        return path

    def add(name: str, relpath: str | bytes, expect: str, why: str, data: bytes | None = None) -> Path:
        path = Path(os.fsdecode(os.path.join(os.fsencode(dest), os.fsencode(relpath))))
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is not None:
            fresh(path).write_bytes(data)
        cases.append(MalformedCase(name, path, expect, why))
        return path

    # -- damaged PDFs
    add("truncated_pdf", "截断的报告.pdf", "failed", "a PDF cut at 60% (an interrupted download): no trailer, no xref",
        pdf_data[: len(pdf_data) * 6 // 10])
    middle = bytearray(pdf_data)
    middle[15: len(middle) // 2] = rng.randbytes(len(middle) // 2 - 15)
    add("pdf_garbage_middle", "中间损坏.pdf", "failed",
        "header and trailer intact, but the catalogue, page tree and page contents are random bytes", bytes(middle))
    add("pdf_header_only", "只有文件头.pdf", "failed", "only the %PDF- header line: recognised as PDF, nothing to read",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for name, user, expect, why in (
        ("pdf_encrypted", "1234", "failed", "opening needs a user password we do not have: failed, saying so"),
        ("pdf_encrypted_owner_only", "", "ok",
         "encrypted with an empty user password (only editing is restricted): must open and be read"),
    ):
        writer = PdfWriter(clone_from=PdfReader(scratch / "source.pdf"))
        writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="RC4-128")
        path = add(name, f"{'加密' if user else '限制编辑'}的文件.pdf", expect, why)
        writer.write(fresh(path))

    # -- empty and random files
    for ext in ("docx", "pdf", "xlsx", "txt"):
        add(f"empty_{ext}", f"空文件.{ext}", "failed", "zero bytes: failed as empty, not as a crash in a parser", b"")
    for ext in ("docx", "xlsx", "pdf", "doc", "xls", "txt"):
        add(f"random_{ext}", f"乱码文件.{ext}", "failed",
            f"4 KiB of random bytes named .{ext}: the name must not make us trust the content", rng.randbytes(4096))
    add("ole_garbage_doc", "损坏的旧版文档.doc", "failed",
        "the Word 97 (OLE) signature followed by garbage: a damaged compound file",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4088))
    add("truncated_docx", "截断的方案.docx", "failed", "a .docx cut in half: the zip's central directory is gone",
        _half(docx_data("截断")))
    add("truncated_xlsx", "截断的统计表.xlsx", "failed", "an .xlsx cut in half", _half(xlsx_data("截断")))

    # -- zip containers that lie
    _docx_bomb(fresh(add("docx_zip_bomb", "压缩炸弹.docx", "failed",
                         f"word/document.xml expands to {BOMB_BYTES / 1e9:.2f} GB of zeros from ~1 MB: refused "
                         "before unpacking, memory stays flat")))
    _xlsx_bomb(fresh(add("xlsx_zip_bomb", "压缩炸弹统计表.xlsx", "failed",
                         "a worksheet that expands to over 1 GB: the same refusal for spreadsheets")))
    huge = add("huge_xlsx", f"大表_{HUGE_ROWS}行x{HUGE_COLS}列.xlsx", "ok",
               f"{HUGE_ROWS * HUGE_COLS:,} cells ({HUGE_ROWS:,} rows x {HUGE_COLS} columns): a legitimate big "
               "table, read in bounded time and memory (text may be capped, with a note)")
    rows = [[f"第{r}行"] + [r * HUGE_COLS + c for c in range(1, HUGE_COLS)] for r in range(HUGE_ROWS)]
    fresh(huge).write_bytes(docgen.xlsx_bytes({"数据": [["项目"] + [f"列{c}" for c in range(1, HUGE_COLS)]] + rows}))
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("说明.txt", "这是一个普通压缩包，不是Word文档。".encode("gb18030"))
        archive.writestr("附件/名单.txt", "张三\n李四\n".encode("gb18030"))
    add("zip_not_docx", "其实是压缩包.docx", "failed", "an ordinary zip named .docx: not a Word document",
        plain_zip.getvalue())
    add("docx_missing_document_xml", "缺少正文.docx", "failed",
        "a Word package without word/document.xml", _rezip(docx_data("缺正文"), {"word/document.xml": None}))
    add("docx_bad_xml", "正文XML损坏.docx", "failed", "word/document.xml is not well-formed XML",
        _rezip(docx_data("坏XML"), {"word/document.xml": b"<w:document><w:body><w:p>unclosed"}))
    add("xlsx_bad_sheet", "工作表损坏.xlsx", "failed", "the worksheet part is binary junk",
        _rezip(xlsx_data("坏表"), {"xl/worksheets/sheet1.xml": rng.randbytes(2048)}))

    # -- right content, wrong (or unusual) name
    add("xlsx_named_docx", "其实是表格.docx", "ok", "an .xlsx named .docx: read as a workbook", xlsx_data("改名docx"))
    add("pdf_named_txt", "其实是PDF.txt", "ok", "a PDF named .txt: read as a PDF, not as text", named_pdf)
    add("docx_named_pdf", "其实是Word.pdf", "ok", "a .docx named .pdf: read as Word", docx_data("改名pdf"))
    add("docx_named_doc", "新格式存成旧扩展名.doc", "ok", "a .docx saved as .doc, very common in offices", docx_data("改名doc"))
    add("xlsx_named_xls", "新格式表格.xls", "ok", "an .xlsx named .xls", xlsx_data("改名xls"))
    add("upper_case_extension", "大写扩展名.DOCX", "ok", "extension in capitals", docx_data("大写"))
    add("gbk_named_csv", "统计数据GBK.csv", "ok", "comma-separated values in GBK, as Excel on Chinese Windows saves",
        "指标,2023年,2024年\r\n注册志愿者人数,48120,52310\r\n".encode("gbk"))
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>志愿服务统计表'
            '</title></head><body><table><tr><td>项目</td><td>数值</td></tr><tr><td>志愿服务时长</td>'
            '<td>861200</td></tr></table></body></html>')
    add("html_named_xls", "网页格式导出.xls", "ok", "an .xls that is really HTML, as report systems export",
        html.encode("gb2312"))
    add("rtf_named_doc", "RTF存为doc.doc", "ok", "RTF saved under .doc (WPS and old systems do this)", _rtf(text("RTF")))
    if docgen.soffice_available():
        wps = add("wps_file", "金山文档.wps", "ok", "a WPS Office .wps: a Word 97 compound file under another name")
        docgen.write_doc(docx_data("WPS"), fresh(wps))
    add("utf16_text", "UTF16文本.txt", "ok", "UTF-16 LE with BOM (Notepad's 'Unicode')",
        text("UTF-16").replace("\n", "\r\n").encode("utf-16"))
    add("utf8_bom_text", "带BOM的文本.txt", "ok", "UTF-8 with a byte-order mark: the BOM must not reach the text",
        b"\xef\xbb\xbf" + text("BOM").encode("utf-8"))

    # -- images and scans
    png = docgen.write_scan_png(scratch / "scan.png", text("扫描"), rotate=0.8, stamp=True, dpi=100)
    other_png = docgen.write_scan_png(scratch / "other.png", text("图片改名"), dpi=100)
    add("scan_png", "扫描件.png", "needs_ocr", "a scanned page as PNG", png.read_bytes())
    jpg = add("scan_jpg", "手机拍照.jpg", "needs_ocr", "a phone photo (JPEG) of a page")
    with Image.open(png) as image:
        image.convert("RGB").save(fresh(jpg), "JPEG", quality=70)
    image_pdf = add("image_only_pdf", "扫描版.pdf", "needs_ocr", "a PDF of page images with no text layer")
    docgen.write_image_pdf(fresh(image_pdf), [png, png])
    add("png_named_pdf", "图片改名为PDF.pdf", "needs_ocr", "a PNG named .pdf: an image by content", other_png.read_bytes())

    # -- things that are not files
    loop_dir = dest / "循环链接"
    loop_dir.mkdir(exist_ok=True)
    fresh(loop_dir / "回到上级").symlink_to("..", target_is_directory=True)
    cases.append(MalformedCase("symlink_loop", loop_dir / "回到上级", "skipped",
                               "a folder link to its parent: following links blindly never ends"))
    fresh(dest / "失效链接.pdf").symlink_to("已删除的文件.pdf")
    cases.append(MalformedCase("broken_symlink", dest / "失效链接.pdf", "skipped", "a link to a file that is gone"))
    fifo = fresh(dest / "命名管道.pdf")
    os.mkfifo(fifo)
    cases.append(MalformedCase("fifo", fifo, "skipped",
                               "a named pipe called .pdf: opening it would block forever, even as root"))
    folder_pdf = dest / "文件夹.pdf"
    folder_pdf.mkdir(exist_ok=True)
    cases.append(MalformedCase("folder_named_pdf", folder_pdf, "skipped", "an (empty) folder whose name ends in .pdf"))
    empty = dest / "空文件夹"
    empty.mkdir(exist_ok=True)
    cases.append(MalformedCase("empty_folder", empty, "skipped", "an empty folder: nothing to ingest, no error"))
    locked = add("unreadable_file", "无权限读取.docx", "skipped", "", docx_data("无权限"))
    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):   # root reads mode-000 files: then it is just a good document
        cases[-1] = MalformedCase("unreadable_file", locked, "ok", "mode 000, but this process (root) can still "
                                  "read it: ingested normally; the FIFO case proves unopenable files are survived")
    else:
        cases[-1] = MalformedCase("unreadable_file", locked, "skipped", "mode 000: permission denied, reported")
    add("word_lock_file", "~$测评报告.docx", "skipped", "Word's owner/lock file left beside an open document",
        _word_lock())
    add("libreoffice_lock_file", ".~lock.测评报告.docx#", "skipped", "LibreOffice's lock file",
        b"zhangsan,zhangsan,PC-01,02.04.2024 10:15,file:///home/zhangsan/.config/libreoffice/4;\n")

    # -- names that break naive code
    add("gbk_file_name", "统计表GBK文件名.txt".encode("gbk"), "ok",
        "a file name in GBK bytes (a zip unpacked on Linux): not UTF-8, must be kept, not crash",
        text("GBK文件名").encode("gb18030"))
    add("gbk_folder_name", "市民政局".encode("gbk") + b"/" + "民政工作总结.docx".encode("utf-8"), "ok",
        "a department folder whose name is GBK bytes", docx_data("GBK文件夹"))
    # 83 hanzi = 249 bytes, + ".docx" = 254 bytes: one byte under the usual 255-byte limit.
    long_stem = ("关于全面深化全国文明城市创建工作进一步加强测评材料收集整理归档工作的实施意见"
                 "及配套细则和责任分工方案的通知附件汇编材料" + "补充材料" * 10)[:83]
    add("very_long_name", long_stem + ".docx", "ok",
        f"a {len((long_stem + '.docx').encode())}-byte UTF-8 name (the limit is 255): derived names must not overflow",
        docx_data("长文件名"))
    add("newline_in_name", "第一行\n第二行.txt", "ok", "a newline inside the file name", text("换行").encode("gb18030"))
    add("odd_characters_name", "通知 *?:|<>\"'$`;&()[]{}#%!.txt", "ok", "shell and glob metacharacters in a name",
        text("特殊字符").encode("gb18030"))
    add("leading_dash_name", "-rf 通知.txt", "ok", "a name starting with '-' (must not become a command option)",
        text("减号开头").encode("gb18030"))

    for path in scratch.iterdir():
        path.unlink()
    scratch.rmdir()
    return cases
