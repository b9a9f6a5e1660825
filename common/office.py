"""The one way dossier runs LibreOffice: headless, with a private profile, within a time limit."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def soffice_binary() -> str | None:
    """LibreOffice's command on PATH, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def run_soffice(sources: list[Path], target: str, outdir: Path, *, timeout: float,
                env: dict[str, str] | None = None, binary: str | None = None) -> str | None:
    """Convert `sources` to `target` (a LibreOffice --convert-to filter) into `outdir`, in one run.

    Each run gets a private profile: parallel runs otherwise block on a shared one. `env` is the
    environment to run in (HOME is set to the profile). Returns None when LibreOffice exited
    cleanly, else the last line it printed on stderr ("" when it printed nothing), or "timeout"
    after `timeout` seconds; whatever it produced before is left in `outdir` for the caller to use.
    """
    binary = binary or soffice_binary()
    if binary is None:
        raise FileNotFoundError("soffice")
    profile = Path(tempfile.mkdtemp(prefix="dossier-lo-"))
    try:
        result = subprocess.run(
            [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
            capture_output=True, check=False, timeout=timeout,
            env={**(env if env is not None else os.environ), "HOME": str(profile)},
        )
    except subprocess.TimeoutExpired:
        return "timeout"
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if result.returncode == 0:
        return None
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else ""
