"""Old binary Word (.doc), WPS and RTF: catdoc when it can, else LibreOffice headless."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from common.errors import ExtractionError
from archive.extract.base import Extracted, extractor
from common.office import run_soffice, soffice_binary
from archive.extract.plain import decode_text
from common.messages import _

CATDOC_TIMEOUT = 60
SOFFICE_TIMEOUT = 180


def _catdoc(path: Path) -> str | None:
    binary = shutil.which("catdoc")
    if not binary:
        return None
    try:
        result = subprocess.run(
            [binary, "-d", "utf-8", "-w", str(path)],
            capture_output=True, timeout=CATDOC_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    text = result.stdout.decode("utf-8", errors="replace")
    # catdoc prints nothing useful (or U+FFFD soup) for WPS and damaged files; let LibreOffice try.
    if result.returncode != 0 or len(text.strip()) < 2 or text.count("\ufffd") > len(text) / 20:
        return None
    return text


def convert_with_soffice(path: Path, target: str, outdir: Path) -> Path:
    """The file converted by LibreOffice to `target` in `outdir`."""
    if not soffice_binary():
        raise ExtractionError(_("未安装 LibreOffice，读取这种格式需要它：请运行 scripts/setup.sh 安装"))
    failure = run_soffice([path], target, outdir, timeout=SOFFICE_TIMEOUT)
    if failure == "timeout":
        raise ExtractionError(_("LibreOffice 转换该文件超过 {seconds} 秒，已停止（文件可能已损坏）：请另存为 .docx 或 PDF 后再收录").format(seconds=SOFFICE_TIMEOUT))
    produced = [p for p in outdir.iterdir() if p.is_file()]
    if failure is not None or not produced:
        raise ExtractionError(_("LibreOffice 无法转换该文件（可能已损坏），请另存为 .docx 或 PDF 后再收录") + (f"：{failure}" if failure else ""))
    return produced[0]


def _soffice_text(path: Path, fmt: str) -> str:
    with tempfile.TemporaryDirectory(prefix="dossier-txt-") as tmp:
        # LibreOffice picks the filter by extension; Kingsoft .wps files are Word binaries inside.
        source = Path(tmp) / ("input.rtf" if fmt == "rtf" else "input.doc")
        shutil.copyfile(path, source)
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        produced = convert_with_soffice(source, "txt:Text (encoded):UTF8", outdir)
        return decode_text(produced.read_bytes())


@extractor("doc", "wps", "rtf")
def extract_legacy(path: Path, fmt: str) -> Extracted:
    text = _catdoc(path) if fmt in ("doc", "rtf") else None
    if text is None:
        text = _soffice_text(path, fmt)
    if not text.strip():
        raise ExtractionError(_("文件中没有文字：请向报送部门确认文件是否完整"))
    return Extracted(format=fmt, pages=text.split("\f"))
