"""Hostile images: decompression bombs, truncated, CMYK, 16-bit, animated, HEIC, WebP."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

from tests.hostile.case import Folder


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bomb_png(side: int) -> bytes:
    """A 1-bit PNG of side x side white pixels: a few hundred KB that decode to gigapixels."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data) + _png_chunk(b"IEND", b"")


def _picture(mode: str = "RGB", size: tuple[int, int] = (640, 480)) -> Image.Image:
    image = Image.new("RGB", size, (200, 220, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 580, 420), fill=(90, 140, 60))
    return image.convert(mode) if mode != "RGB" else image


def _saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def add_images(folder: Folder, scratch: Path) -> None:
    add = folder.add
    add("png_bomb", "图片/解压炸弹.png", "failed", "a 60,000 x 60,000 PNG (3.6 gigapixels) of ~1 MB: refused, not decoded",
        _bomb_png(60_000), note="解压炸弹")
    jpeg = _saved(_picture(), "JPEG", quality=85)
    add("jpeg_truncated", "图片/截断的照片.jpg", "needs_ocr", "a JPEG cut in half: kept as an image; OCR says what it could not",
        jpeg[: len(jpeg) // 2])
    add("tiff_cmyk", "图片/印刷CMYK.tif", "needs_ocr", "a CMYK TIFF (print shops)", _saved(_picture("CMYK"), "TIFF"))
    sixteen = Image.new("I;16", (320, 240), 40000)
    add("png_16bit", "图片/十六位灰度.png", "needs_ocr", "a 16-bit greyscale PNG", _saved(sixteen, "PNG"))
    frames = [_picture(size=(200, 150)) for _ in range(3)]
    add("gif_animated", "图片/动图.gif", "needs_ocr", "an animated GIF of three frames",
        _saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0))
    add("webp", "图片/网页图片.webp", "needs_ocr", "a WebP picture (phones and chat apps save them)", _saved(_picture(), "WEBP"))
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    add("heic_header_only", "图片/坏的苹果手机照片.heic", "failed", "a HEIC file with a header and no picture: said in words",
        heic, note="损坏")
    import pillow_heif
    pillow_heif.register_heif_opener()
    add("heic", "图片/苹果手机.heic", "needs_ocr", "an iPhone HEIC photo: read like any picture", _saved(_picture(), "HEIF"))
    add("png_zero_size", "图片/零尺寸.png", "failed", "a PNG whose header says 0 x 0 pixels",
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 0, 8, 2, 0, 0, 0)) + _png_chunk(b"IEND", b""))
    add("bmp_header_only", "图片/只有文件头.bmp", "failed", "a BMP header and nothing else", b"BM" + b"\x00" * 40)
