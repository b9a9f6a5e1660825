"""The hostile corpus (tests/hostile/): 150 broken, malicious or odd inputs ingested by the command
line in one batch; each ends as a correct tool ends it, with one Chinese line where it fails, and
the rest of the batch and the workspace are unharmed."""
from __future__ import annotations

import sqlite3

import pytest

from dossier import operations as ops
from examples.docgen import write_docx
from tests.hostile.outcome import LEAKED, ingest_corpus, judge

GOOD = "正常的工作总结"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    dest = tmp_path_factory.mktemp("敌意输入")
    good = dest / "来源" / "市文明办"
    good.mkdir(parents=True)
    write_docx(good / f"{GOOD}.docx", GOOD, ["志愿服务工作正常开展，全年活动120场。"])
    return ingest_corpus(dest)


@pytest.fixture(scope="module")
def outcomes(run):
    assert run.returncode == 0, run.stderr
    return {outcome.case.name: outcome for outcome in judge(run)}


def test_the_command_line_ingests_the_whole_corpus_without_a_traceback(run):
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert run.summary["added"] > 80 and len(run.summary["failed"]) >= 40


def test_the_corpus_is_large_and_covers_every_expectation(outcomes):
    assert len(outcomes) >= 145
    assert {o.case.expect for o in outcomes.values()} == {"failed", "ok", "needs_ocr", "skipped"}


GROUPS = {"pdf": "pdf", "docx": "office", "docm": "office", "xlsx": "office", "xlsm": "office", "xls": "office",
          "csv": "office", "name": "names", "symlink": "names", "department": "names", "deep": "names",
          "png": "images", "jpeg": "images", "tiff": "images", "gif": "images", "webp": "images", "heic": "images",
          "bmp": "images", "scan": "images", "image": "images"}


def _group(outcome) -> str:
    if "/文本/" in str(outcome.case.path):
        return "texts"
    return next((group for prefix, group in GROUPS.items() if outcome.case.name.startswith(prefix)), "older")


@pytest.mark.parametrize("group", ["pdf", "office", "texts", "images", "names", "older"])
def test_every_case_ends_as_a_correct_tool_ends_it(outcomes, group):
    wrong = [(o.case.name, o.got, o.reason[:120], o.problem) for o in outcomes.values()
             if _group(o) == group and not o.passed]
    assert not wrong, wrong
    assert any(_group(o) == group for o in outcomes.values())


def test_no_case_brings_in_a_file_from_elsewhere(run):
    conn = sqlite3.connect(run.ws.catalog_path)
    try:
        text = "\n".join(row[0] for row in conn.execute("SELECT text FROM pages"))
    finally:
        conn.close()
    assert LEAKED not in text
    assert "不应收录的外部文件" not in text and "外部文件夹" not in text


def test_an_aes_256_pdf_that_needs_no_password_is_read(outcomes):
    case = outcomes["pdf_AES-256_open"]
    assert case.got == "ok" and case.passed, case


def test_a_pdf_stream_that_inflates_to_900_mb_fails_with_a_reason_and_is_never_rendered(outcomes):
    case = outcomes["pdf_flate_bomb"]
    assert case.got == "failed" and "解压后超过上限" in case.reason, case


def test_a_link_out_of_the_source_folder_is_skipped_with_a_reason(outcomes):
    for name in ("symlink_outside_file", "symlink_outside_folder"):
        case = outcomes[name]
        assert case.got == "skipped" and "来源文件夹之外" in case.reason, case


def test_a_million_row_sheet_is_read_up_to_the_cap_and_says_so(outcomes):
    case = outcomes["xlsx_million_rows"]
    assert case.got == "ok" and "只读取了前 20,000 行" in case.reason, case


def test_a_pdf_with_a_cut_off_end_is_read_by_repair_and_says_so(outcomes):
    case = outcomes["pdf_truncated_tail"]
    assert case.got == "ok" and "修复" in case.reason, case


def test_the_good_document_beside_them_is_unharmed_and_the_workspace_verifies(run):
    conn = sqlite3.connect(run.ws.catalog_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status = conn.execute("SELECT status FROM documents WHERE title = ?", (GOOD,)).fetchone()
    finally:
        conn.close()
    assert status == ("ok",)
    report = ops.verify(run.ws, deep=True)
    assert report.ok, report.problems
