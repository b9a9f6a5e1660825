"""dossier export online: per indicator an upload folder within the [online] limits, names that are
unique and safe on Windows, a 清单.xlsx of every file and what is missing, zips on request, and
nothing rewritten when nothing changed."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from archive.workspace import write_config
from cli import main
from dossier import operations as ops
from examples.docgen import write_docx, write_pdf
from examples.photos import save_photo, scene

LIMITS = {"image_long_edge": 1280, "image_max_kb": 150, "pdf_max_mb": 5}
TAKEN = dt.datetime(2024, 5, 4, 9, 0)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    base = tmp_path_factory.mktemp("网上申报")
    src = base / "材料" / "市文明办"
    save_photo(scene(21).resize((4000, 3000)), src / "志愿服务现场大图.jpg", TAKEN, quality=95)
    save_photo(scene(22), src / "社区宣传.heic", dt.datetime(2025, 6, 1))
    save_photo(scene(23), src / "CON.jpg", TAKEN)                      # a name Windows reserves
    write_pdf(src / "2024年志愿服务工作总结.pdf", "2024年志愿服务工作总结", ["2024年开展志愿服务活动86场。"])
    write_docx(src / "关于开展志愿服务活动的通知.docx", "关于开展志愿服务活动的通知/../危险:名称*?",
               ["2025年全市开展学雷锋志愿服务活动。"], doc_number="岚文明办〔2025〕3号", issuer="云岚市文明办",
               date="2025年3月1日")
    workspace, _ = ops.init(base / "工作区", assessment_year=2026)
    ops.ingest(workspace, [src.parent], ocr="off")
    for doc in ops.list_docs(workspace):
        ops.tag(workspace, str(doc["id"]), add=("Ⅲ-42",))
    workspace.config.online = dict(LIMITS)
    write_config(workspace.root, workspace.config)
    return workspace


@pytest.fixture(scope="module")
def exported(ws):
    return ops.export_online(ws, zipped=True)


def _folder(result):
    return next(p for p in result.folder.iterdir() if p.is_dir() and p.name.startswith("Ⅲ-42 "))


def test_photos_are_jpeg_within_the_limits_and_documents_are_pdfs(exported):
    files = sorted(_folder(exported).iterdir())
    assert len(files) == 5 and exported.files >= 5
    for path in files:
        if path.suffix == ".jpg":
            assert path.stat().st_size <= LIMITS["image_max_kb"] * 1024, path.name
            with Image.open(path) as image:
                assert image.format == "JPEG" and max(image.size) <= LIMITS["image_long_edge"]
                assert image.getexif().get_ifd(0x8769).get(0x9003)          # the camera's date kept
        else:
            assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF")
            assert path.stat().st_size <= LIMITS["pdf_max_mb"] << 20
    assert sum(p.suffix == ".jpg" for p in files) == 3


def test_names_are_numbered_unique_and_safe_on_windows(exported):
    names = [p.name for p in _folder(exported).iterdir()]
    assert len(set(names)) == len(names)
    for name in names:
        assert re.match(r"^\d{2}_", name) and not re.search(r'[<>:"/\\|?*\x00-\x1f]', name), name
        assert len(name.encode("utf-8")) <= 255
    assert any(name.startswith(("01_CON", "02_CON", "03_CON", "04_CON", "05_CON")) for name in names)


def test_the_listing_names_every_file_and_what_is_missing(exported):
    book = load_workbook(exported.folder / "清单.xlsx")
    listed = [row for row in book["清单"].iter_rows(min_row=2, values_only=True) if row[0] == "Ⅲ-42"]
    assert {row[3] for row in listed} == {p.name for p in _folder(exported).iterdir()}
    assert {row[5] for row in listed} >= {"图片资料", "正式发文"}
    missing = {row[0]: row for row in book["还缺少"].iter_rows(min_row=2, values_only=True)}
    assert missing["Ⅲ-42"][3].startswith("统计数据 2024")


def test_a_zip_per_indicator_holds_its_folder(exported):
    folder = _folder(exported)
    with zipfile.ZipFile(exported.folder / f"{folder.name}.zip") as archive:
        assert sorted(n.split("/", 1)[1] for n in archive.namelist()) == sorted(p.name for p in folder.iterdir())


def test_a_second_export_writes_nothing_and_gives_the_same_bytes(ws, exported):
    before = {p: p.read_bytes() for p in exported.folder.rglob("*") if p.is_file()}
    again = ops.export_online(ws, zipped=True)
    assert again.written == 0
    assert {p: p.read_bytes() for p in exported.folder.rglob("*") if p.is_file()} == before


def test_a_document_taken_off_the_indicator_leaves_its_folder(ws, exported):
    doc = next(d for d in ops.list_docs(ws) if d["title"] == "社区宣传")
    ops.tag(ws, str(doc["id"]), remove=("Ⅲ-42",))
    try:
        result = ops.export_online(ws, ["Ⅲ-42"])
        assert result.removed == 1 and len(list(_folder(result).iterdir())) == 4
        assert any("清单.xlsx 未改动" in warning for warning in result.warnings)
    finally:
        ops.tag(ws, str(doc["id"]), add=("Ⅲ-42",))


def test_the_command_line_exports_and_says_where(ws, tmp_path):
    result = CliRunner().invoke(main, ["-w", str(ws.root), "export", "online", "Ⅲ-42", "--out", str(tmp_path / "上传"),
                                       "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["files"] == 5 and not (tmp_path / "上传" / "清单.xlsx").exists()
    full = CliRunner().invoke(main, ["-w", str(ws.root), "export", "online", "--out", str(tmp_path / "上传")])
    assert full.exit_code == 0 and "已导出" in full.output and (tmp_path / "上传" / "清单.xlsx").is_file()
    bad = CliRunner().invoke(main, ["-w", str(ws.root), "export", "online", "Ⅲ-999"])
    assert bad.exit_code == 1 and "Ⅲ-999" in bad.output
