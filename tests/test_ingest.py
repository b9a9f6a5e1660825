"""Ingest of a departments' submission tree: every file in once, with its text, or failed with a reason."""
import json
import os
import shutil

import pytest
from click.testing import CliRunner

from archive import catalogue
from archive.ingest.run import ingest
from archive.workspace import init_workspace, write_config
from cli import main
from tests.helpers import build_submission_tree


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("材料") / "收到的材料"
    files = build_submission_tree(root)
    return root, files


@pytest.fixture(scope="module")
def ingested(tree, tmp_path_factory):
    root, files = tree
    ws, _ = init_workspace(tmp_path_factory.mktemp("ws"), assessment_year=2026)
    ws.config.aliases = {"文明办": "市文明办"}
    write_config(ws.root, ws.config)
    summary = ingest(ws, [root])
    return ws, summary, root, files


def _docs(ws, *args):
    result = CliRunner().invoke(main, ["-w", str(ws.root), "docs", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_file_is_ingested_or_failed_with_a_reason(ingested):
    ws, summary, root, files = ingested
    ok_files = [rel for rel, status in files.items() if status == "ok"]
    failed_files = [rel for rel, status in files.items() if status == "failed"]
    assert summary.added == len(ok_files) - 1          # one of them is a duplicate
    assert summary.duplicates == 1
    assert sorted(f["path"] for f in summary.failed) == sorted(str(root / rel) for rel in failed_files)
    assert all(f["reason"] for f in summary.failed)
    docs = _docs(ws)
    seen_paths = {p for d in docs for p in d["sources"]}
    assert seen_paths == {str(root / rel) for rel in files}


def test_formats_are_read_with_their_text(ingested):
    ws, *_ = ingested
    conn = catalogue.connect(ws.catalog_path)
    texts = {}
    for row in conn.execute("SELECT id, format, title FROM documents WHERE status = 'ok'"):
        body = "\n".join(r[0] for r in conn.execute("SELECT text FROM pages WHERE doc_id = ?", (row[0],)))
        texts[row["format"]] = (row["title"], body)
    conn.close()
    assert set(texts) >= {"docx", "pdf", "xlsx", "xls", "doc", "txt", "csv"}
    assert "注册志愿者12000人" in texts["docx"][1]
    assert "86场" in texts["docx"][1]                          # table cells
    assert "未成年人思想道德建设" in texts["pdf"][1]
    assert "110000" in texts["xlsx"][1] and "志愿服务信息系统" in texts["xlsx"][1]  # every sheet
    assert "志愿服务组织数" in texts["xls"][1]
    assert "注册志愿者12000人" in texts["doc"][1]
    assert "家庭教育指导讲座12场" in texts["txt"][1]              # GB18030 decoded
    assert "心理健康教育课时" in texts["csv"][1]


def test_metadata_departments_and_aliases(ingested):
    ws, summary, root, _ = ingested
    docs = {d["title"]: d for d in _docs(ws)}
    summary_doc = docs["2024年志愿服务工作总结"]
    assert summary_doc["doc_number"] == "文明办〔2024〕12号"
    assert summary_doc["issuer"] == "市文明办"
    assert summary_doc["doc_date"] == "2024-12-20"
    assert summary_doc["department"] == "市文明办"
    assert len(summary_doc["sources"]) == 2
    assert docs["文明城市创建实施方案"]["pages"] == 2
    assert docs["文明城市创建实施方案"]["department"] == "市文明办"   # first level below SRC, at any depth
    # the alias table maps 文明办 to 市文明办 for filtering too
    assert {d["title"] for d in _docs(ws, "--department", "文明办")} == \
        {d["title"] for d in _docs(ws, "--department", "市文明办")}


def test_failed_listing_gives_one_line_reasons(ingested):
    ws, *_ = ingested
    failed = _docs(ws, "--failed")
    assert {d["status"] for d in failed} == {"failed"}
    reasons = {os.path.basename(d["sources"][0]): d["error"] for d in failed}
    assert "空的" in reasons["空文件.docx"]
    assert "损坏" in reasons["损坏的统计公报.pdf"]
    assert all("\n" not in r for r in reasons.values())


def test_reingest_of_an_unchanged_tree_adds_nothing(ingested):
    ws, _, root, files = ingested
    again = ingest(ws, [root])
    assert (again.added, again.duplicates, len(again.failed)) == (0, 0, 0)
    assert again.unchanged == len(files)
    assert again.failed_before == len([s for s in files.values() if s == "failed"])


def test_unchanged_files_are_not_read_again(tree, tmp_path):
    """Same size and modification time means unchanged: proven by bytes swapped behind its back."""
    root, _ = tree
    src = tmp_path / "src"
    shutil.copytree(root, src)
    ws, _ = init_workspace(tmp_path / "ws")
    ingest(ws, [src], workers=1)
    target = src / "市教育局" / "家庭教育指导活动记录.txt"
    info = target.stat()
    original = target.read_bytes()
    target.write_bytes(original.replace("讲座".encode("gb18030"), "会议".encode("gb18030")))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    again = ingest(ws, [src], workers=1)
    assert again.added == 0
    conn = catalogue.connect(ws.catalog_path)
    texts = [r[0] for r in conn.execute("SELECT text FROM pages")]
    conn.close()
    assert any("讲座" in t for t in texts) and not any("指导会议" in t for t in texts)


def test_a_changed_file_is_read_again_and_the_old_version_kept(tree, tmp_path):
    root, files = tree
    src = tmp_path / "src"
    shutil.copytree(root, src)
    ws, _ = init_workspace(tmp_path / "ws")
    first = ingest(ws, [src], workers=1)
    target = src / "市教育局" / "家庭教育指导活动记录.txt"
    target.write_text("家庭教育指导活动记录（修订）", encoding="utf-8")
    second = ingest(ws, [src], workers=1)
    assert second.added == 1 and second.unchanged == len(files) - 1
    conn = catalogue.connect(ws.catalog_path)
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE status != 'failed'").fetchone()[0] == first.added + 1
    conn.close()


def test_department_option_overrides_folders(tree, tmp_path):
    root, _ = tree
    ws, _ = init_workspace(tmp_path / "ws")
    ingest(ws, [root / "团市委"], department="共青团市委")
    result = CliRunner().invoke(main, ["-w", str(ws.root), "docs", "--json"])
    assert {d["department"] for d in json.loads(result.output)} == {"共青团市委"}


def test_cli_summary_show_and_search(ingested):
    ws, *_ = ingested
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(ws.root), "search", "注册志愿者", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert hits and all("【注册志愿者】" in h["snippet"] for h in hits)
    assert set(hits[0]) >= {"id", "sha256", "title", "department", "years", "score", "snippet", "page"}
    pdf_hit = json.loads(runner.invoke(main, ["-w", str(ws.root), "search", "未成年人思想道德建设", "--json"]).output)
    assert [h["page"] for h in pdf_hit] == [2]
    show = runner.invoke(main, ["-w", str(ws.root), "show", hits[0]["sha256"][:10]])
    assert show.exit_code == 0 and hits[0]["title"] in show.output
    filtered = json.loads(runner.invoke(main, ["-w", str(ws.root), "search", "注册志愿者", "--department", "市教育局", "--json"]).output)
    assert filtered == []


def test_user_errors_are_one_line_without_traceback(tmp_path, ingested):
    ws, *_ = ingested
    runner = CliRunner()
    result = runner.invoke(main, ["-w", str(tmp_path / "nowhere"), "docs"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "不是 dossier 工作区" in result.output
    result = runner.invoke(main, ["-w", str(ws.root), "show", "999999"])
    assert result.exit_code == 1 and "没有文件" in result.output
    result = runner.invoke(main, ["-w", str(ws.root), "search", ""])
    assert result.exit_code == 1 and "空的" in result.output


def test_verify_and_reindex(ingested):
    ws, *_ = ingested
    runner = CliRunner()
    assert runner.invoke(main, ["-w", str(ws.root), "verify"]).exit_code == 0
    shutil.rmtree(ws.index_dir)
    broken = runner.invoke(main, ["-w", str(ws.root), "verify"])
    assert broken.exit_code == 1 and "reindex" in broken.output
    assert runner.invoke(main, ["-w", str(ws.root), "reindex"]).exit_code == 0
    assert runner.invoke(main, ["-w", str(ws.root), "verify", "--deep"]).exit_code == 0
