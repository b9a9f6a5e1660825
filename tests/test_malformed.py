"""The malformed-input suite: no crash, a reason for each bad file, nothing else affected."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive import catalogue
from archive.catalogue.documents import list_documents
from archive.ingest.run import ingest
from archive.ingest.walk import display_path
from archive.workspace import init_workspace
from examples.docgen import write_docx
from examples.malformed import build_malformed

ROOT = Path(__file__).resolve().parents[1]
# Cases that leave nothing to report: an empty folder, and a folder that merely has a file-like name.
SILENT = {"empty_folder", "folder_named_pdf"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    dest = tmp_path_factory.mktemp("坏文件")
    cases = build_malformed(dest)
    good = tmp_path_factory.mktemp("好文件") / "市文明办"
    good.mkdir()
    write_docx(good / "正常的工作总结.docx", "正常的工作总结", ["志愿服务工作正常开展，全年活动120场。"])
    ws, _ = init_workspace(tmp_path_factory.mktemp("ws"))
    summary = ingest(ws, [dest, good.parent])
    conn = catalogue.connect(ws.catalog_path)
    docs = list_documents(conn)
    conn.close()
    by_path = {path: doc for doc in docs for path in doc["sources"]}
    reported = {item["path"]: item["reason"] for item in summary.failed + summary.skipped}
    return ws, dest, cases, summary, by_path, reported, good


def _key(path: Path) -> str:
    return display_path(os.path.abspath(path))


def test_the_suite_has_at_least_thirty_cases(suite):
    cases = suite[2]
    assert len(cases) >= 30
    assert {c.expect for c in cases} == {"failed", "ok", "needs_ocr", "skipped"}


@pytest.mark.parametrize("expect", ["failed", "ok", "needs_ocr", "skipped"])
def test_each_case_ends_as_expected_with_a_reason(suite, expect):
    _, _, cases, _, by_path, reported, _ = suite
    wrong = []
    for case in (c for c in cases if c.expect == expect):
        key = _key(case.path)
        doc = by_path.get(key)
        if expect == "skipped":
            ok = doc is None and (case.name in SILENT or bool(reported.get(key)))
        elif expect == "failed":
            reason = doc["error"] if doc else reported.get(key)
            ok = (doc is None or doc["status"] == "failed") and bool(reason) and "\n" not in reason
        else:
            ok = doc is not None and doc["status"] == expect
        if not ok:
            wrong.append((case.name, doc and (doc["status"], doc["error"]), reported.get(key)))
    assert not wrong, wrong


def test_readable_cases_keep_their_text(suite):
    ws, _, cases, _, by_path, _, _ = suite
    conn = catalogue.connect(ws.catalog_path)
    for case in cases:
        if case.expect != "ok":
            continue
        doc = by_path[_key(case.path)]
        chars = conn.execute("SELECT chars FROM documents WHERE id = ?", (doc["id"],)).fetchone()[0]
        assert chars > 10, case.name
    bom = by_path[_key(next(c.path for c in cases if c.name == "utf8_bom_text"))]
    text = conn.execute("SELECT text FROM pages WHERE doc_id = ?", (bom["id"],)).fetchone()[0]
    assert not text.startswith("\ufeff")
    conn.close()


def test_nothing_else_is_affected(suite):
    ws, _, _, summary, by_path, _, good = suite
    doc = by_path[str(good / "正常的工作总结.docx")]
    assert doc["status"] == "ok" and doc["department"] == "市文明办"
    conn = catalogue.connect(ws.catalog_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_the_command_line_survives_the_suite_and_exits_zero(suite, tmp_path):
    _, dest, *_ = suite
    ws, _ = init_workspace(tmp_path / "ws")
    result = subprocess.run([sys.executable, "-m", "cli", "-w", str(ws.root), "ingest", str(dest), "--json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["added"] > 0 and len(summary["failed"]) >= 20
    assert all(item["reason"] and "\n" not in item["reason"] for item in summary["failed"])
