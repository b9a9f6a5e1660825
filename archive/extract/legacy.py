"""Old binary Word (.doc), WPS and RTF: catdoc when it can, else LibreOffice headless."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from archive.errors import ExtractionError
from archive.extract.base import Extracted
from archive.extract.plain import decode_text

CATDOC_TIMEOUT = 60
SOFFICE_TIMEOUT = 180


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


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
    """Run LibreOffice headless with a private profile (parallel runs otherwise block each other)."""
    binary = soffice_binary()
    if not binary:
        raise ExtractionError("LibreOffice is not installed; it is needed for this format (run the README's setup)")
    profile = Path(tempfile.mkdtemp(prefix="dossier-lo-"))
    try:
        result = subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(outdir), str(path)],
            capture_output=True, timeout=SOFFICE_TIMEOUT, check=False,
            env={**os.environ, "HOME": str(profile)},
        )
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(f"LibreOffice took longer than {SOFFICE_TIMEOUT} s to convert the file") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    produced = [p for p in outdir.iterdir() if p.is_file()]
    if result.returncode != 0 or not produced:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError("LibreOffice could not convert the file" + (f": {detail[-1]}" if detail else ""))
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


def extract_legacy(path: Path, fmt: str) -> Extracted:
    text = _catdoc(path) if fmt in ("doc", "rtf") else None
    if text is None:
        text = _soffice_text(path, fmt)
    if not text.strip():
        raise ExtractionError("the file holds no text")
    return Extracted(format=fmt, pages=text.split("\f"))
