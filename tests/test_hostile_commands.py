"""Hostile use of the command line and a damaged workspace: wrong types, huge numbers, SQL- and
query-syntax-looking input, formula-like titles and names in everything we write, a broken
catalogue, store, index, out/ and dossier.toml. Each ends in a result or one Chinese line."""
from __future__ import annotations

import io
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from dossier import operations as ops
from examples.docgen import write_docx

CJK = re.compile(r"[\u4e00-\u9fff]")
# Titles and department names that a spreadsheet would run as formulas, or a file system refuse.
HOSTILE_TITLES = ['=HYPERLINK("http://127.0.0.1:9/","点我")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
                  "../../etc/passwd", "a/b\\c", "CON", "NUL", "志" * 300]
HOSTILE_DEPARTMENTS = ["=部门(1)", "+团市委", "@市文明办", "CON"]


def _write_city(root: Path) -> None:
    for n, title in enumerate(HOSTILE_TITLES):
        department = HOSTILE_DEPARTMENTS[n % len(HOSTILE_DEPARTMENTS)]
        if len(title) > 255:        # beyond what a .docx title property holds: a text file's first line
            path = root / department / f"材料{n}.txt"
            path.write_text(f"{title}\n2024年志愿服务活动开展情况，注册志愿者人数增长。\n", encoding="utf-8")
            continue
        write_docx(root / department / f"材料{n}.docx", title,
                   [f"2024年志愿服务活动开展情况，注册志愿者人数增长，文明交通劝导{n}场。"],
                   doc_number=f"文明办〔2024〕{n + 1}号", issuer=department, date="2024年12月1日")


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def ws(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"敌意命令-{request.param}")
    _write_city(base / "来源")
    workspace, _ = ops.init(base / "工作区", assessment_year=2026, engine=request.param)
    ops.ingest(workspace, [base / "来源"], ocr="off")
    return workspace


def run(ws, *args: str, stdin: str | None = None):
    result = CliRunner().invoke(main, ["-w", str(ws.root), *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert "Traceback" not in result.output, args
    if result.exit_code:
        printed = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code in (1, 2) and CJK.search(printed[-1]), (args, result.output)
        if result.exit_code == 2:       # click's usage lines, then the reason
            assert printed[-1].startswith("错误"), (args, result.output)
        elif args[0] not in LISTING_PROBLEMS:
            assert len(printed) == 1 and printed[0].startswith("错误"), (args, result.output)
    return result


# Commands that print what they did or found, one a line, before the closing line.
LISTING_PROBLEMS = {"verify", "system", "reindex"}


QUERIES = ["' OR 1=1 --", "'; DROP TABLE documents; --", '"未闭合', "(志愿", "志愿)", "((((志愿", "志愿))))",
           "title:志愿", "text:志愿 department:x", "*", "?", "志愿*", "志?", "~志愿", "志愿~2", "志愿^3", "[a TO z]",
           "{2020 TO 2025}", "\\", "NOT", "AND", "OR OR", "志愿 AND", "NOT NOT 志愿", "-志愿", "--", "=1+1", "%", "_",
           "$(rm -rf /)", "`id`", "📷🎉", "\u202e志愿", "\u200b", "志愿\x00服务", "　", "志" * 33000, "志愿 " * 5000,
           "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}"]


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_any_query_gives_results_or_one_line(ws, query):
    result = run(ws, "search", "--json", "--", query)
    if result.exit_code == 0:
        assert isinstance(json.loads(result.output), list)


BAD_ARGS = [
    ["docs", "--year", "abc"], ["docs", "--year", "99999999999999999999"], ["docs", "--year", "-1"],
    ["docs", "--indicator", "' OR '1'='1"], ["docs", "--department", ""], ["docs", "--department", "x" * 100_000],
    ["search", "志愿", "--limit", "0"], ["search", "志愿", "--limit", "-1"], ["search", "志愿", "--limit", "abc"],
    ["search", "志愿", "--limit", "99999999999999999999"], ["search", "志愿", "--year", "1"],
    ["search", "志愿", "--kind", "x"], ["search", "志愿", "--indicator", "Ⅲ-999"], ["search", ""], ["search", "   "],
    ["show", ""], ["show", "-1"], ["show", "0"], ["show", "99999999999999999999999"], ["show", "abc"], ["show", "1.5"],
    ["show", "٣"], ["show", "'; DROP TABLE documents; --"], ["show", "%"], ["show", "____"],
    ["tag", "1", "--add", ""], ["tag", "1", "--add", "NOPE"], ["tag", "1", "--remove", "Ⅲ-999"],
    ["tag", "1", "--year", "abc"], ["tag", "1", "--year", "3000"], ["tag", "1", "--kind", "xx"],
    ["tag", "99999", "--add", "Ⅲ-1"], ["tag", "1"],
    ["build", "NOPE"], ["build", ""], ["build", "--format", "exe"], ["build", "--format", ""],
    ["coverage", "--department", "' OR 1=1"], ["coverage", "--department", ""],
    ["system", "show", "../../etc/passwd"], ["system", "show", ""], ["system", "validate", "/etc/passwd"],
    ["system", "validate", "/nonexistent.json"], ["system", "import", "/etc/passwd"],
    ["system", "export", "NOPE", "x.xlsx"],
    ["user", "add", "'; DROP TABLE users; --", "--role", "viewer", "--password-stdin"], ["user", "add", "a", "--role", "god"],
    ["user", "remove", "nobody"], ["user", "add", "", "--role", "viewer", "--password-stdin"],
    ["ingest", "/nonexistent/文件夹"], ["ingest", ""], ["ingest", "/nonexistent", "--department", ""],
    ["serve", "--port", "-1"], ["serve", "--port", "70000"], ["serve", "--port", "abc"],
    ["init", "x", "--assessment-year", "1999"], ["init", "x", "--deadline", "2026-02-30"], ["init", "x", "--engine", "lucene"],
    ["init", "x", "--system", "NOPE"], ["no-such-command"], ["docs", "--no-such-option"],
]


@pytest.mark.parametrize("args", BAD_ARGS, ids=range(len(BAD_ARGS)))
def test_bad_arguments_give_one_line_and_harm_nothing(ws, args):
    run(ws, *args, stdin="短\n短\n")
    conn = sqlite3.connect(ws.catalog_path)
    try:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(HOSTILE_TITLES)
    finally:
        conn.close()


def test_after_every_hostile_command_the_workspace_still_verifies(ws):
    assert ops.verify(ws, deep=True).ok


def _cells(data: bytes):
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_no_formulas(data: bytes, where: str) -> set[str]:
    texts = set()
    for cell in _cells(data):
        assert cell.data_type != "f", (where, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            texts.add(cell.value)
    return texts


def test_formula_like_titles_and_departments_are_text_in_every_workbook_we_write(ws, tmp_path):
    ids = [d["id"] for d in ops.list_docs(ws)]
    for n, doc_id in enumerate(ids):
        ops.tag(ws, str(doc_id), add=[f"Ⅲ-{41 + n % 3}"])
    run(ws, "coverage", "--xlsx", str(tmp_path / "记录表.xlsx"))
    texts = _assert_no_formulas((tmp_path / "记录表.xlsx").read_bytes(), "记录表")
    hits = ops.export_search(ws, "志愿服务")
    texts = _assert_no_formulas(hits, "检索结果")
    assert any(t.startswith("=HYPERLINK") for t in texts) and "+cmd|' /C calc'!A0" in texts
    assert "=部门(1)" in texts and "@市文明办" in texts
    run(ws, "build", "--format", "docx")
    books = list(ws.out_dir.rglob("*.xlsx"))
    assert books
    for book in books:
        _assert_no_formulas(book.read_bytes(), book.name)
    run(ws, "system", "export", "civilized-city", str(tmp_path / "体系.xlsx"))
    _assert_no_formulas((tmp_path / "体系.xlsx").read_bytes(), "体系")


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def test_every_file_name_we_write_is_inside_out_and_valid_on_windows(ws):
    run(ws, "build", "--format", "docx")
    out = ws.out_dir.resolve()
    written = [p for p in ws.out_dir.rglob("*") if p.is_file()]
    assert len(written) > 3
    for path in written:
        assert path.resolve().is_relative_to(out), path
        name = path.name
        assert not re.search(r'[<>:"/\\|?*\x00-\x1f]', name), name
        assert name.split(".")[0].upper() not in WINDOWS_RESERVED and not name.endswith((" ", ".")), name
        assert len(name.encode("utf-8")) <= 255, name
    docx = next(p for p in written if p.suffix == ".docx" and "Ⅲ-4" in p.name)
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "=HYPERLINK" in body or "+cmd" in body or "@SUM" in body or "-2+3" in body


# --- a damaged workspace ------------------------------------------------------------------------

def _damaged(ws, tmp_path, damage) -> object:
    copy = tmp_path / "副本"
    shutil.copytree(ws.root, copy)
    damage(copy)
    return type(ws)(copy, ws.config)


def _one_line(ws, *args: str) -> str:
    result = run(ws, *args)
    assert result.exit_code == 1, (args, result.output)
    return result.output.strip()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:4096])


def _catalogue_files(root: Path):
    for name in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (root / name).unlink(missing_ok=True)
    return root / "catalog.sqlite"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_catalogue_is_one_line_for_every_command(ws, tmp_path, damage):
    def spoil(root: Path) -> None:
        path = _catalogue_files(root)
        if damage == "truncated":
            _truncate(path)
        elif damage == "garbage":
            path.write_bytes(b"not a database, just words " * 200)
        else:
            path.write_bytes(b"")
    copy = _damaged(ws, tmp_path, spoil)
    for command in (["docs"], ["status"], ["search", "志愿"], ["verify"], ["reindex"], ["build"], ["review"]):
        result = run(copy, *command)
        if damage != "empty":
            assert result.exit_code == 1 and "目录数据库" in result.output, (command, result.output)


def _first_original(root: Path) -> Path:
    return next(p for p in sorted((root / "store").rglob("*")) if p.is_file() and p.parent.name != "tmp")


def test_a_deleted_original_is_named_by_verify_unrepaired_by_reindex_and_restored_by_ingest(ws, tmp_path):
    copy = _damaged(ws, tmp_path, lambda root: _first_original(root).unlink())
    sha = _first_original(ws.root).name
    assert sha in run(copy, "verify").output
    assert "修复不了" in _one_line(copy, "reindex")
    sources = ws.root.parent / "来源"
    assert run(copy, "ingest", str(sources)).exit_code == 0
    assert run(copy, "verify").exit_code == 0


def test_an_altered_original_is_named_by_deep_verify(ws, tmp_path):
    def alter(root: Path) -> None:
        original = _first_original(root)
        original.chmod(0o644)
        data = bytearray(original.read_bytes())
        data[-1] ^= 0xFF
        original.write_bytes(bytes(data))
    copy = _damaged(ws, tmp_path, alter)
    assert run(copy, "verify").exit_code == 0          # sizes agree: only a re-hash can tell
    result = run(copy, "verify", "--deep")
    assert result.exit_code == 1 and "哈希不符" in result.output


@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_a_lost_or_spoilt_index_is_said_and_reindex_repairs_it(ws, tmp_path, damage):
    def spoil(root: Path) -> None:
        shutil.rmtree(root / "index")
        if damage == "garbage":
            (root / "index").mkdir()
            for name in ("_MAIN_1.toc", "format.json", "meta.json"):
                (root / "index" / name).write_bytes(b"\x00garbage" * 50)
    copy = _damaged(ws, tmp_path, spoil)
    run(copy, "verify")
    assert run(copy, "reindex").exit_code == 0
    assert run(copy, "verify").exit_code == 0
    assert json.loads(run(copy, "search", "志愿服务", "--json").output)


def test_an_out_folder_that_cannot_be_written_is_one_line(ws, tmp_path):
    def block(root: Path) -> None:
        shutil.rmtree(root / "out", ignore_errors=True)
        (root / "out").write_text("挡路的文件", encoding="utf-8")
    copy = _damaged(ws, tmp_path, block)
    assert "out" in _one_line(copy, "build", "--format", "docx")
    assert "out" in _one_line(copy, "coverage", "--xlsx", str(copy.root / "out" / "记录表.xlsx"))


CONFIG_DAMAGE = {
    "not TOML": ("[[[broken", "TOML"),
    "not UTF-8": (b"\xff\xfe\x00", "UTF-8"),
    "year as text": ('assessment_year = "abc"', "assessment_year"),
    "year far away": ("assessment_year = 99999", "assessment_year"),
    "system as number": ("system = 5", "system"),
    "unknown system": ('system = "no-such"', "no-such"),   # said by the commands that need the system
    "misspelt key": ("asessment_year = 2025", "asessment_year"),
    "unknown table key": ("[ocr]\nengine = \"rapidocr\"\ncolour = 1", "colour"),
    "deadline as words": ('deadline = "tomorrow"', "deadline"),
    "deadline with time": ("deadline = 2026-05-26T10:00:00", "deadline"),
    "aliases not a table": ("[departments]\naliases = 5", "aliases"),
    "departments not a table": ("departments = 5", "departments"),
    "size as text": ('[ingest]\nmax_file_mb = "x"', "max_file_mb"),
    "negative years": ("[required_years]\nstatistics = -3", "statistics"),
    "engine as list": ('[search]\nengine = ["whoosh"]', "engine"),
    "unknown engine": ('[search]\nengine = "lucene"', "engine"),
    "confidence as words": ('[ocr]\nlow_confidence = "high"', "low_confidence"),
}


@pytest.mark.parametrize("name", list(CONFIG_DAMAGE))
def test_a_broken_dossier_toml_is_one_line_naming_what_is_wrong(ws, tmp_path, name):
    content, named = CONFIG_DAMAGE[name]

    def spoil(root: Path) -> None:
        path = root / "dossier.toml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content + "\n", encoding="utf-8")
    copy = _damaged(ws, tmp_path, spoil)
    for command in (["status"], ["coverage"]) if name == "unknown system" else (["status"], ["docs"], ["verify"]):
        assert named in _one_line(copy, *command)


def test_a_workspace_without_its_dossier_toml_is_one_line(ws, tmp_path):
    copy = _damaged(ws, tmp_path, lambda root: (root / "dossier.toml").unlink())
    assert "dossier init" in _one_line(copy, "status")


def test_material_kept_inside_the_workspace_folder_is_ingested_but_never_the_workspace_itself(tmp_path):
    workspace, _ = ops.init(tmp_path / "创城", assessment_year=2026)
    inbox = workspace.root / "收件" / "市文明办"
    write_docx(inbox / "志愿服务总结.docx", "2024年志愿服务工作总结", ["2024年开展志愿服务活动86场。"])
    first = ops.ingest(workspace, [workspace.root / "收件"], ocr="off")
    assert first.added == 1 and not first.skipped
    again = ops.ingest(workspace, [workspace.root], ocr="off")       # `dossier ingest .` in the workspace
    assert again.added == 0 and again.unchanged == 1
    reasons = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in again.skipped}
    assert all("工作区自己的数据" in reasons[name] for name in ("catalog.sqlite", "store", "dossier.toml", "index"))
