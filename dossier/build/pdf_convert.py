"""Every original as PDF, cached by content: LibreOffice for office files, reportlab for images.

LibreOffice is slow to start (seconds), so everything a build needs is converted in one
headless run, with a private profile and the GB → Noto font mapping of `fonts.soffice_env`.
A batch that fails or hangs is retried file by file, so one bad file costs only itself.
Results live in `cache_dir/pdf/<sha256>-v<N>.pdf` and are written atomically: a second build,
or a second volume holding the same file, converts nothing.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

from archive.extract import decode_text

from dossier.build.fonts import soffice_env
from common.files import atomic_write
from common.pictures import open_picture
from common.office import run_soffice, soffice_binary

CONVERT_VERSION = 1             # bump when conversions must be redone (fonts, options)
SOFFICE_TIMEOUT_BASE = 120      # seconds for LibreOffice to start...
SOFFICE_TIMEOUT_PER_FILE = 30   # ...and per file of a batch
# Formats LibreOffice converts, and the extension it needs to pick its import filter.
# Kingsoft .wps files are Word binaries inside (see archive/extract/legacy.py).
OFFICE_SUFFIX = {"docx": "docx", "doc": "doc", "wps": "doc", "rtf": "rtf", "xlsx": "xlsx",
                 "xls": "xls", "txt": "txt", "csv": "csv", "html": "html"}
TEXT_FORMATS = {"txt", "csv"}
CAPTION_FONT = "STSong-Light"   # Adobe's standard CJK font: nothing to embed, every viewer has it


def pdf_pages(path: Path) -> int:
    """Number of pages of a PDF, 0 when it cannot be read."""
    try:
        return len(PdfReader(str(path), strict=False).pages)
    except Exception:  # any damage means "not usable"
        return 0


class Converter:
    """PDFs of originals and of generated docx files, cached under `cache_dir`."""

    def __init__(self, cache_dir: Path, soffice: str | None | bool = True) -> None:
        self.cache_dir = Path(cache_dir)
        # soffice=True: find LibreOffice on PATH; None/False: behave as if it were not installed.
        self.soffice = soffice_binary() if soffice is True else (soffice or None)
        self.errors: dict[str, str] = {}          # sha256 -> why it could not be converted

    @property
    def has_soffice(self) -> bool:
        return self.soffice is not None

    def cached(self, sha256: str) -> Path:
        return self.cache_dir / "pdf" / f"{sha256}-v{CONVERT_VERSION}.pdf"

    # ------------------------------------------------------------ originals

    def prepare(self, items: list[tuple[str, str, Path]]) -> None:
        """Convert, in one LibreOffice run, every (sha256, format, original) not yet cached."""
        todo = {sha: (fmt, path) for sha, fmt, path in items
                if fmt in OFFICE_SUFFIX and not self.cached(sha).is_file() and sha not in self.errors}
        if not todo:
            return
        if not self.has_soffice:
            for sha in todo:
                self.errors[sha] = "未安装 LibreOffice，无法转换为 PDF"
            return
        with tempfile.TemporaryDirectory(prefix="dossier-conv-") as tmp:
            inputs = {}
            for sha, (fmt, path) in sorted(todo.items()):
                source = Path(tmp) / "in" / f"{sha}.{OFFICE_SUFFIX[fmt]}"
                source.parent.mkdir(exist_ok=True)
                if fmt in TEXT_FORMATS:
                    # LibreOffice guesses the charset of plain text poorly; a UTF-8 BOM settles it.
                    source.write_bytes(b"\xef\xbb\xbf" + decode_text(path.read_bytes()).encode("utf-8"))
                else:
                    shutil.copyfile(path, source)
                inputs[sha] = source
            results = self._run_batch(list(inputs.values()), Path(tmp))
            for sha, source in inputs.items():
                produced = results.get(source.stem)
                if produced is None or pdf_pages(produced) == 0:
                    self.errors[sha] = "LibreOffice 未能将该文件转换为 PDF（文件可能已损坏）"
                else:
                    atomic_write(self.cached(sha), produced.read_bytes())

    def pdf_for(self, sha256: str, fmt: str, original: Path, caption: str = "") -> Path | None:
        """The PDF of an original: itself, its cached conversion, or None (see `errors`)."""
        if fmt == "pdf":
            return original
        if fmt.startswith("image:"):
            return self.image_pdf(sha256, original, caption)
        path = self.cached(sha256)
        return path if path.is_file() else None

    def image_pdf(self, sha256: str, original: Path, caption: str) -> Path | None:
        """An image placed on A4 pages (one page per frame), centred, with its caption below
        (archival.md §7(2): 每页一张、居中，附文字说明)."""
        key = hashlib.sha256(caption.encode("utf-8")).hexdigest()[:12]
        target = self.cache_dir / "pdf" / f"{sha256}-img-{key}-v{CONVERT_VERSION}.pdf"
        if target.is_file():
            return target
        try:
            data = _image_pages(original, caption)
        except Exception as exc:  # Pillow raises many types on damaged images
            self.errors[sha256] = f"图片无法读取（{type(exc).__name__}）"
            return None
        return atomic_write(target, data)

    def photo_sheet(self, photos: list[tuple[str, Path, str]]) -> Path | None:
        """Photos of one activity, (sha256, original, caption) each, four to an A4 page in two
        columns, each with its caption below; None when one of them cannot be read."""
        key = hashlib.sha256("\n".join(f"{sha}|{caption}" for sha, _, caption in photos).encode("utf-8")).hexdigest()
        target = self.cache_dir / "pdf" / f"photos-{key[:24]}-v{CONVERT_VERSION}.pdf"
        if target.is_file():
            return target
        try:
            data = _photo_pages([(path, caption) for _, path, caption in photos])
        except Exception as exc:  # Pillow raises many types on damaged images
            for sha, _, _ in photos:
                self.errors.setdefault(sha, f"照片无法读取（{type(exc).__name__}）")
            return None
        return atomic_write(target, data)

    def placeholder(self, title: str, reason: str) -> bytes:
        """One A4 page saying which document should be here and why it is not."""
        return _text_page([f"【此处为：{title}】", "", f"原件未能放入本卷：{reason}。", "请查阅原件或安装 LibreOffice 后重新生成。"])

    # ------------------------------------------------------------ generated docx

    def docx_to_pdf(self, contents: list[bytes]) -> list[Path | None]:
        """PDFs of generated docx files (cover, catalogue, note), cached by their bytes."""
        keys = [hashlib.sha256(data).hexdigest() for data in contents]
        store = self.cache_dir / "pdf-front"
        todo = {k: d for k, d in zip(keys, contents) if not (store / f"{k}.pdf").is_file()}
        if todo and self.has_soffice:
            with tempfile.TemporaryDirectory(prefix="dossier-front-") as tmp:
                sources = []
                for key, data in sorted(todo.items()):
                    sources.append(Path(tmp) / "in" / f"{key}.docx")
                    atomic_write(sources[-1], data, sync=False)
                results = self._run_batch(sources, Path(tmp))
                for key in todo:
                    if key in results and pdf_pages(results[key]):
                        atomic_write(store / f"{key}.pdf", results[key].read_bytes())
        return [store / f"{k}.pdf" if (store / f"{k}.pdf").is_file() else None for k in keys]

    # ------------------------------------------------------------ LibreOffice

    def _run_batch(self, sources: list[Path], tmp: Path) -> dict[str, Path]:
        """Convert all sources; on failure retry those missing one at a time. stem -> PDF."""
        out = tmp / "out"
        out.mkdir(exist_ok=True)
        self._soffice(sources, out)
        missing = [s for s in sources if not (out / f"{s.stem}.pdf").is_file()]
        if len(sources) > 1 and missing:
            for source in missing:
                self._soffice([source], out)
        return {s.stem: out / f"{s.stem}.pdf" for s in sources if (out / f"{s.stem}.pdf").is_file()}

    def _soffice(self, sources: list[Path], out: Path) -> None:
        # What was converted before a failure or a hang is kept; the rest is retried or reported.
        run_soffice(sources, "pdf", out, binary=self.soffice, env=soffice_env(self.cache_dir),
                    timeout=SOFFICE_TIMEOUT_BASE + SOFFICE_TIMEOUT_PER_FILE * len(sources))

    # ------------------------------------------------------------ page images

    def page_image(self, pdf: Path, sha256: str, page: int) -> Path | None:
        """A 100 dpi greyscale PNG of one PDF page (pdftoppm), for the docx volume's scans."""
        target = self.cache_dir / "pages" / sha256[:2] / f"{sha256}-{page}.png"
        if target.is_file():
            return target
        binary = shutil.which("pdftoppm")
        if not binary:
            return None
        with tempfile.TemporaryDirectory(prefix="dossier-ppm-") as tmp:
            try:
                subprocess.run([binary, "-r", "100", "-gray", "-png", "-f", str(page), "-l", str(page),
                                "-singlefile", str(pdf), f"{tmp}/page"], capture_output=True, check=False, timeout=120)
            except subprocess.TimeoutExpired:
                return None
            produced = Path(tmp) / "page.png"
            return atomic_write(target, produced.read_bytes()) if produced.is_file() else None


# ---------------------------------------------------------------- reportlab pages

def _canvas(buffer):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CAPTION_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CAPTION_FONT))
    # invariant=1: no creation date or random /ID, so the same input gives the same bytes.
    return canvas.Canvas(buffer, pagesize=A4, invariant=1), A4


def _wrap(text: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    lines, line = [], ""
    for ch in text:
        if line and stringWidth(line + ch, CAPTION_FONT, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines or [""]


def _photo_pages(photos: list[tuple[Path, str]], per_page: int = 4) -> bytes:
    import io
    from PIL import ImageOps
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    pdf, (width, height) = _canvas(buffer)
    margin, gap, caption_room = 18 * mm, 8 * mm, 14 * mm
    cell_w = (width - 2 * margin - gap) / 2
    cell_h = (height - 2 * margin - gap) / 2 - caption_room
    for start in range(0, len(photos), per_page):
        for n, (path, caption) in enumerate(photos[start:start + per_page]):
            with open_picture(path) as image:
                picture = ImageOps.exif_transpose(image).convert("RGB")
            picture.thumbnail((1200, 1200))         # print quality at this size, a volume of sane weight
            column, row = n % 2, n // 2
            scale = min(cell_w / picture.width, cell_h / picture.height)
            w, h = picture.width * scale, picture.height * scale
            left = margin + column * (cell_w + gap)
            top = height - margin - row * (cell_h + caption_room + gap)
            pdf.drawImage(ImageReader(picture), left + (cell_w - w) / 2, top - h, w, h)
            pdf.setFont(CAPTION_FONT, 10.5)
            for k, line in enumerate(_wrap(f"图：{caption}", 10.5, cell_w)[:2]):
                pdf.drawCentredString(left + cell_w / 2, top - h - 6 * mm - k * 5 * mm, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _text_page(lines: list[str]) -> bytes:
    import io
    from reportlab.lib.units import mm
    buffer = io.BytesIO()
    pdf, (width, height) = _canvas(buffer)
    y = height - 60 * mm
    for text in lines:
        for line in _wrap(text, 16, width - 60 * mm):
            pdf.setFont(CAPTION_FONT, 16)
            pdf.drawString(30 * mm, y, line)
            y -= 10 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _image_pages(original: Path, caption: str) -> bytes:
    import io
    from PIL import ImageSequence
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    pdf, (width, height) = _canvas(buffer)
    margin, caption_room = 20 * mm, 20 * mm
    with open_picture(original) as image:
        frames = [f.convert("RGB") if f.mode not in ("RGB", "L") else f.copy() for f in ImageSequence.Iterator(image)]
    for number, frame in enumerate(frames, start=1):
        box_w, box_h = width - 2 * margin, height - 2 * margin - caption_room
        scale = min(box_w / frame.width, box_h / frame.height)
        w, h = frame.width * scale, frame.height * scale
        x, y = (width - w) / 2, margin + caption_room + (box_h - h) / 2
        pdf.drawImage(ImageReader(frame), x, y, w, h)
        label = caption + (f"（{number}/{len(frames)}）" if len(frames) > 1 else "")
        pdf.setFont(CAPTION_FONT, 12)
        for n, line in enumerate(_wrap(f"图：{label}", 12, box_w)[:2]):
            pdf.drawCentredString(width / 2, y - 10 * mm - n * 6 * mm, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
