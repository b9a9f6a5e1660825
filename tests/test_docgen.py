"""The project's own test material: every writer's output opens with the library that reads
that format, the malformed suite holds what it says, and the example city is reproducible.

Generated material is built once per session (fixtures below); LibreOffice conversions and
the PDF font are cached across sessions by examples.docgen.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import random
import re
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlrd
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from dossier import operations as ops
from examples import docgen
from examples.agreement import compare
from examples.city import generate_city
from examples.malformed import EXPECTATIONS, build_malformed

logging.getLogger("pypdf").setLevel(logging.ERROR)

TITLE = "关于开展2024年志愿服务工作的通知"
PARAGRAPHS = ["为深入推进全国文明城市创建工作，现将2024年志愿服务有关事项通知如下。",
              "各单位要建立志愿服务工作台账，做到有计划、有记录、有总结。"]


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction wraps lines, LibreOffice spaces digits from hanzi."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def made(tmp_path_factory) -> dict[str, Path]:
    """One file of every kind the writers make."""
    root = tmp_path_factory.mktemp("docgen")
    table = [["序号", "项目", "数值"], ["1", "注册志愿者人数", "52310"]]
    files = {
        "docx": docgen.write_docx(root / "通知.docx", TITLE, PARAGRAPHS, table=table, header="云岚市创城材料",
                                  footer="第一页", doc_number="岚文明办〔2024〕12号", issuer="云岚市文明办",
                                  date="2024年3月15日"),
        "pdf": docgen.write_pdf(root / "总结.pdf", TITLE, PARAGRAPHS + ["第三页：统计表附后。"]),
        "xlsx": docgen.write_xlsx(root / "统计表.xlsx", {"2024年": [["项目", "数值"], ["志愿者", 52310], ["时长", 1.5]],
                                                      "说明": [["填报单位", "市文明办"]]}),
        "xls": docgen.write_xls(root / "统计表.xls", {"2024年": [["项目", "数值"], ["志愿者", 52310]]}),
        "txt": docgen.write_txt(root / "说明.txt", TITLE + "\n" + PARAGRAPHS[0]),
        "png": docgen.write_scan_png(root / "扫描.png", TITLE + "\n" + PARAGRAPHS[0], rotate=1.0, stamp=True,
                                     dpi=100),
    }
    files["image_pdf"] = docgen.write_image_pdf(root / "扫描.pdf", [files["png"], files["png"]])
    files["lo_pdf"] = docgen.write_pdf_via_libreoffice([files["docx"]], root / "lo")[0]
    files["doc"] = docgen.write_doc(files["docx"], root / "通知.doc")
    return files


def test_docx_reads_back_with_official_layout(made):
    document = docx.Document(made["docx"])
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "云岚市文明办文件"                      # red header
    assert texts[1] == "岚文明办〔2024〕12号"
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert title.text == TITLE
    assert PARAGRAPHS[1] in texts and "2024年3月15日" in texts
    assert document.tables[0].cell(1, 1).text == "注册志愿者人数"
    assert document.sections[0].header.paragraphs[0].text == "云岚市创城材料"
    assert document.sections[0].footer.paragraphs[0].text == "第一页"
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert None not in fonts and "仿宋_GB2312" in fonts
    assert document.core_properties.created.year == 2024


def test_pdf_text_is_extractable_chinese(made):
    reader = PdfReader(made["pdf"])
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert " " not in first.replace("\n", "")                 # no spaces between hanzi
    assert squash(first).startswith(squash(TITLE + PARAGRAPHS[0]))
    assert squash(reader.pages[2].extract_text()) == "第三页：统计表附后。"
    assert reader.metadata.title == TITLE


def test_pdf_characters_outside_gb2312(tmp_path):
    path = docgen.write_pdf(tmp_path / "罕用字.pdf", "朱镕基同志题词", ["喆、堃、镕三个字不在GB2312中。"])
    assert squash(PdfReader(path).pages[0].extract_text()) == "朱镕基同志题词喆、堃、镕三个字不在GB2312中。"


def test_spreadsheets_read_back(made):
    workbook = openpyxl.load_workbook(made["xlsx"], read_only=True)
    assert workbook.sheetnames == ["2024年", "说明"]
    assert list(workbook["2024年"].iter_rows(values_only=True)) == [("项目", "数值"), ("志愿者", 52310), ("时长", 1.5)]
    book = xlrd.open_workbook(made["xls"])
    assert book.sheet_by_index(0).name == "2024年"
    assert book.sheet_by_index(0).row_values(1) == ["志愿者", 52310.0]


def test_txt_is_gb18030_with_crlf(made):
    data = made["txt"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.decode("gb18030") == (TITLE + "\n" + PARAGRAPHS[0]).replace("\n", "\r\n")


def test_scans_have_no_text_layer(made):
    with Image.open(made["png"]) as image:
        assert image.size == (827, 1169) and image.mode == "RGB"   # A4 at 100 dpi, red seal in colour
    reader = PdfReader(made["image_pdf"])
    assert len(reader.pages) == 2
    assert all(not page.extract_text().strip() for page in reader.pages)
    assert reader.pages[0]["/Resources"]["/XObject"]


def test_libreoffice_pdf_has_the_text(made):
    text = squash(PdfReader(made["lo_pdf"]).pages[0].extract_text())
    assert squash(TITLE) in text and "岚文明办〔2024〕12号" in text


def test_doc_is_word97_and_cached(made, tmp_path):
    data = made["doc"].read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")   # OLE compound file
    if shutil.which("catdoc"):
        text = subprocess.run(["catdoc", "-d", "utf-8", str(made["doc"])], capture_output=True, check=True).stdout
        assert squash(TITLE) in squash(text.decode("utf-8"))
    again = docgen.write_doc(made["docx"].read_bytes(), tmp_path / "again.doc")   # from the cache
    assert again.read_bytes() == data


def test_writers_are_reproducible(tmp_path):
    assert docgen.docx_bytes(TITLE, PARAGRAPHS, date="2024年3月1日") == docgen.docx_bytes(TITLE, PARAGRAPHS,
                                                                                          date="2024年3月1日")
    assert docgen.xlsx_bytes({"表": [["a", 1]]}) == docgen.xlsx_bytes({"表": [["a", 1]]})
    first = docgen.write_pdf(tmp_path / "1.pdf", TITLE, PARAGRAPHS).read_bytes()
    assert docgen.write_pdf(tmp_path / "2.pdf", TITLE, PARAGRAPHS).read_bytes() == first


def test_compose_paragraphs():
    words = ["志愿服务", "志愿者", "学雷锋"]
    first = docgen.compose_paragraphs(random.Random(7), words, 2024, 6, genre="工作总结")
    assert first == docgen.compose_paragraphs(random.Random(7), words, 2024, 6, genre="工作总结")
    assert len(first) == 6 and "志愿服务" in first[0]
    text = "".join(first)
    assert set(re.findall(r"(20\d\d)年", text)) == {"2024"}   # the only year written is the document's
    for genre in ("通知", "实施方案", "简报", "会议纪要", "统计分析", "事务"):
        assert docgen.compose_paragraphs(random.Random(1), words, 2023, 3, genre=genre)


# ---------------------------------------------------------------------------- malformed suite

@pytest.fixture(scope="session")
def malformed(tmp_path_factory):
    root = tmp_path_factory.mktemp("malformed")
    return root, build_malformed(root)


def test_malformed_suite_is_complete(malformed):
    _, cases = malformed
    assert len(cases) >= 30
    assert len({c.name for c in cases}) == len(cases)
    assert {c.expect for c in cases} <= set(EXPECTATIONS)
    assert {c.expect for c in cases} == set(EXPECTATIONS)      # every outcome is exercised
    for case in cases:
        assert os.path.lexists(case.path), case.name
        assert case.why, case.name


def test_malformed_cases_are_what_they_claim(malformed):
    root, cases = malformed
    by = {c.name: c for c in cases}
    mode = {c.name: os.lstat(c.path).st_mode for c in cases}
    assert stat.S_ISFIFO(mode["fifo"])
    assert stat.S_ISLNK(mode["symlink_loop"]) and by["symlink_loop"].path.resolve() == root.resolve()
    assert stat.S_ISLNK(mode["broken_symlink"]) and not by["broken_symlink"].path.exists()
    assert stat.S_ISDIR(mode["folder_named_pdf"]) and not any(by["empty_folder"].path.iterdir())
    for name in ("empty_docx", "empty_pdf", "empty_xlsx", "empty_txt"):
        assert by[name].path.stat().st_size == 0
    for name in ("truncated_pdf", "pdf_garbage_middle", "pdf_header_only"):
        with pytest.raises(Exception):
            list(PdfReader(by[name].path).pages)
    encrypted = PdfReader(by["pdf_encrypted"].path)
    assert encrypted.is_encrypted and not encrypted.decrypt("")
    owner_only = PdfReader(by["pdf_encrypted_owner_only"].path)
    assert owner_only.is_encrypted and owner_only.decrypt("") and owner_only.pages[0].extract_text()
    for name in ("docx_zip_bomb", "xlsx_zip_bomb"):
        path = by[name].path
        assert path.stat().st_size < 2 << 20
        with zipfile.ZipFile(path) as archive:
            assert sum(i.file_size for i in archive.infolist()) > 1_000_000_000
            big = max(archive.infolist(), key=lambda i: i.file_size)
            with archive.open(big) as part:                     # a valid stream, not just a lying header
                assert part.read(1 << 16) == bytes(1 << 16)
    with zipfile.ZipFile(by["huge_xlsx"].path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
        assert sheet.count(b"<c ") >= 200_000
    with zipfile.ZipFile(by["docx_missing_document_xml"].path) as archive:
        assert "word/document.xml" not in archive.namelist()


def test_malformed_ok_cases_open_by_content(malformed):
    _, cases = malformed
    by = {c.name: c.path for c in cases}
    assert "改名pdf" in docx.Document(by["docx_named_pdf"]).paragraphs[2].text
    with open(by["xlsx_named_docx"], "rb") as handle:      # a file object: openpyxl judges paths by name
        assert openpyxl.load_workbook(handle, read_only=True).sheetnames == ["2024年"]
    assert PdfReader(by["pdf_named_txt"]).pages[0].extract_text()
    assert by["gbk_named_csv"].read_bytes().decode("gbk").startswith("指标,")
    assert by["utf16_text"].read_bytes()[:2] == b"\xff\xfe"
    assert by["utf8_bom_text"].read_bytes()[:3] == b"\xef\xbb\xbf"
    assert by["html_named_xls"].read_bytes().startswith(b"<html")
    assert by["rtf_named_doc"].read_bytes().startswith(b"{\\rtf1")
    if "wps_file" in by:
        assert by["wps_file"].read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    raw_name = os.fsencode(by["gbk_file_name"]).rsplit(b"/", 1)[1]
    with pytest.raises(UnicodeDecodeError):
        raw_name.decode("utf-8")
    assert raw_name.decode("gbk") == "统计表GBK文件名.txt"
    assert 200 < len(os.fsencode(by["very_long_name"].name)) <= 255
    assert "\n" in by["newline_in_name"].name
    for name in ("scan_png", "scan_jpg", "png_named_pdf"):
        with Image.open(by[name]) as image:
            image.verify()


# ---------------------------------------------------------------------------- example city

@pytest.fixture(scope="session")
def cities(tmp_path_factory):
    """The same small city twice: once in one process, once with two worker processes."""
    first = generate_city(tmp_path_factory.mktemp("city_a"), docs=100, workers=1)
    second = generate_city(tmp_path_factory.mktemp("city_b"), docs=100, workers=2)
    return first, second


def test_city_is_deterministic(cities):
    first, second = cities
    a = (first.root / ".manifest.json").read_text(encoding="utf-8")
    assert a == (second.root / ".manifest.json").read_text(encoding="utf-8")
    files = sorted(p.relative_to(first.root) for p in first.root.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second.root) for p in second.root.rglob("*") if p.is_file())
    for rel in files:                 # LibreOffice files too: they come from the conversion cache
        assert (first.root / rel).read_bytes() == (second.root / rel).read_bytes(), rel


def test_city_covers_formats_and_departments(cities):
    manifest, _ = cities
    files = manifest.files
    assert len(files) == 100
    assert all((manifest.root / rel).is_file() for rel in files)
    formats = {e["format"] for e in files.values()}
    assert {"docx", "pdf", "xlsx", "xls", "txt", "png"} <= formats
    makers = {e["maker"] for e in files.values()}
    assert {"fpdf2", "pillow", "python-docx", "openpyxl", "xlwt"} <= makers
    assert "doc" in formats and "libreoffice" in makers
    assert any(e["broken"] for e in files.values())
    assert any(e["needs_ocr"] for e in files.values())
    assert len({rel.split("/")[0] for rel in files}) >= 20
    assert any(re.search(r"/Ⅲ-\d+ ", rel) for rel in files)          # folders named by indicator
    for rel, entry in files.items():
        assert rel.split("/")[0] == entry["department"]
        if entry["duplicate_of"]:
            assert (manifest.root / rel).read_bytes() == (manifest.root / entry["duplicate_of"]).read_bytes()
    statuses = {c["status"] for c in manifest.coverage.values()}
    assert {"missing", "partial"} <= statuses
    for code, item in manifest.coverage.items():
        for kind, years in item["evidence"].items():
            assert sorted(years["present"] + years["missing"]) == years["required"], code
    saved = json.loads((manifest.root / ".manifest.json").read_text(encoding="utf-8"))
    assert saved["files"] == files and saved["seed"] == 20260526


def _text(path: Path, fmt: str) -> str:
    if fmt == "docx":
        document = docx.Document(path)
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)
    if fmt == "xls":
        book = xlrd.open_workbook(path)
        return "\n".join(str(v) for s in book.sheets() for r in range(s.nrows) for v in s.row_values(r))
    return path.read_bytes().decode("gb18030")


def test_city_texts_match_the_manifest(cities):
    """Each readable file names its indicators and exactly the years the manifest gives it."""
    manifest, _ = cities
    names = {code: item["name"] for code, item in manifest.coverage.items()}
    checked = 0
    for rel, entry in manifest.files.items():
        if entry["broken"] or entry["needs_ocr"] or entry["maker"] in ("libreoffice", "camera"):
            continue
        text = squash(_text(manifest.root / rel, entry["format"]))
        years = {int(y) for y in re.findall(r"(20\d\d)(?=年|—)", text)}
        assert years == set(entry["years"]), rel
        for code in entry["indicators"]:
            assert names[code] in text, (rel, code)
        checked += 1
    assert checked >= 70


def test_coverage_of_the_city_is_what_its_manifest_says(cities, tmp_path):
    """The manifest states the coverage a correct tool reports from the files as generated:
    `dossier coverage` agrees on every indicator (scans read by OCR, broken files left out)."""
    manifest, _ = cities
    ws, _ = ops.init(tmp_path / "工作区", assessment_year=manifest.assessment_year, deadline=dt.date(2026, 5, 26))
    ops.ingest(ws, [manifest.root])
    rows, agree, total = compare(manifest.to_dict(), ops.coverage(ws).report.as_json())
    assert rows == [] and agree == total == 115
