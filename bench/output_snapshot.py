"""Fingerprint of the main job's outputs, to prove a restructuring changed no output.

    python bench/output_snapshot.py SNAPSHOT.json [--docs N] [--keep DIR]

Generates the example city (same seed, same files), runs the main job through the `dossier`
command line only (init → ingest → coverage --xlsx → build), and writes one JSON file with the
sha256 of every file under out/ (volumes docx and pdf, 总目录, 材料审核记录表) and the `--json`
output of docs, coverage and a few searches. Run it before and after a change and compare:

    python bench/output_snapshot.py /tmp/before.json   # on the old commit
    python bench/output_snapshot.py /tmp/after.json    # on the new one
    diff /tmp/before.json /tmp/after.json && echo identical

Absolute paths of the temporary folder are replaced by `<ROOT>` so two runs compare.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["志愿服务", "未成年人 AND 心理健康", "垃圾分类 OR 文明交通", "2024年", "公益广告 NOT 2023"]


def _dossier(workspace: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "cli.py"), "-w", str(workspace), *args],
                          capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"dossier {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _fingerprint(path: Path) -> str:
    """sha256 of the bytes; of an xlsx that openpyxl wrote with the time of writing (the record
    table), sha256 of its parts less docProps/core.xml, which holds that time."""
    digest = hashlib.sha256()
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as zf:
            for name in sorted(zf.namelist()):
                if name != "docProps/core.xml":
                    digest.update(name.encode() + b"\0" + zf.read(name))
    else:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def snapshot(base: Path, docs: int) -> dict:
    sources, workspace = base / "收到的材料", base / "工作区"
    subprocess.run([sys.executable, "-m", "examples.city", str(sources), "--docs", str(docs),
                    "--assessment-year", "2026"], check=True, cwd=ROOT, capture_output=True)
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "init", str(workspace), "--assessment-year", "2026",
                    "--deadline", "2026-05-26"], check=True, cwd=ROOT, capture_output=True)
    _dossier(workspace, "ingest", str(sources), "--json")
    _dossier(workspace, "coverage", "--xlsx", str(workspace / "out" / "材料审核记录表.xlsx"), "--json")
    _dossier(workspace, "build")
    files = {str(p.relative_to(workspace / "out")): _fingerprint(p)
             for p in sorted((workspace / "out").rglob("*")) if p.is_file() and not p.name.startswith(".")}
    text = {
        "docs": _dossier(workspace, "docs", "--json"),
        "coverage": _dossier(workspace, "coverage", "--json"),
        "status": _dossier(workspace, "status", "--json"),
        "review": _dossier(workspace, "review", "--json"),
        **{f"search {q}": _dossier(workspace, "search", q, "--json", "--limit", "50") for q in QUERIES},
    }
    return {"files": files, "json": {k: json.loads(v.replace(str(base), "<ROOT>")) for k, v in text.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--keep", type=Path, help="Run in this folder and keep it (default: a temporary one).")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="dossier-snapshot-"))
    if args.keep:
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
    try:
        data = snapshot(base, args.docs)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    args.snapshot.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(data['files'])} output files, {len(data['json'])} JSON outputs → {args.snapshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
