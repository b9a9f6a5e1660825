"""A picture of one page of an original, for the workbench's preview: PDFs (and office files
through the build's cached PDF conversion) rendered by poppler's pdftoppm, cached by content,
page and width; images are shown as they are."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from common.errors import PreviewUnavailable
from common.files import atomic_write
from common.messages import _
from dossier.build.pdf_convert import OFFICE_SUFFIX, Converter

PREVIEW_WIDTH = 900          # pixels: a page's text is legible in half of a 1366-pixel screen
RENDER_TIMEOUT = 60


def page_image(converter: Converter, sha256: str, fmt: str, original: Path, page: int) -> Path:
    """The PNG of `page` (1-based) of the original; an image original is returned itself."""
    if fmt.startswith("image:"):
        return original
    target = converter.cache_dir / "preview" / f"{sha256}-p{page}-w{PREVIEW_WIDTH}.png"
    if target.is_file():
        return target
    if fmt in OFFICE_SUFFIX:
        converter.prepare([(sha256, fmt, original)])
    pdf = converter.pdf_for(sha256, fmt, original)
    if pdf is None:
        raise PreviewUnavailable(converter.errors.get(sha256) or _("这种格式的文件没有预览：请下载原件查看"))
    return atomic_write(target, _render(pdf, page))


def _render(pdf: Path, page: int) -> bytes:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise PreviewUnavailable(_("未安装 poppler-utils（pdftoppm），无法显示页面预览：请安装后重试，或下载原件查看"))
    with tempfile.TemporaryDirectory(prefix="dossier-preview-") as tmp:
        prefix = Path(tmp) / "page"
        try:
            done = subprocess.run([tool, "-png", "-f", str(page), "-l", str(page), "-singlefile",
                                   "-scale-to-x", str(PREVIEW_WIDTH), "-scale-to-y", "-1", str(pdf), str(prefix)],
                                  capture_output=True, timeout=RENDER_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise PreviewUnavailable(_("页面预览超时：请下载原件查看")) from exc
        produced = prefix.with_suffix(".png")
        if done.returncode != 0 or not produced.is_file():
            raise PreviewUnavailable(_("第 {page} 页无法显示预览（文件可能已损坏）：请下载原件查看").format(page=page))
        return produced.read_bytes()
