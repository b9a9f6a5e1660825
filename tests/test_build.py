"""Dossier assembly: real documents in, Word and PDF volumes out, opened and checked page by page."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
import openpyxl
import pytest
from pypdf import PdfReader

from archive import catalogue
from archive.catalogue.database import Transaction
from common.errors import DossierError
from archive.ingest.run import ingest
from archive.workspace import init_workspace
from dossier.build.volumes import MANIFEST, build_volumes, safe_stem
from archive.catalogue.decisions import add_manual_tag, remove_manual_tag
from dossier.build.pdf_convert import Converter
from dossier.systems.model import load_system
from dossier.build.volume_docx import CATALOGUE_COLUMNS
from examples.docgen import write_docx, write_image_pdf, write_pdf, write_scan_png, write_txt, write_xlsx

COMPILED = dt.date(2026, 5, 1)
MISSING = {"Ⅲ-42": {"statistics": [2024]}, "Ⅲ-114": {"activity": []}}
# Every text document carries a marker on its first page, to find where it starts in the PDF.
DOCS = {
    "办法": "标记甲一", "方案": "标记甲二", "统计": "标记甲三", "记录": "标记甲四",
}


def _write_sources(src: Path, tmp: Path) -> None:
    write_docx(src / "团市委/志愿服务管理办法.docx", "志愿服务管理办法",
               [f"{DOCS['办法']} 第一条 为规范志愿服务活动，制定本办法。", "第二条 本办法适用于全市志愿服务组织。"],
               table=[["项目", "数量"], ["注册志愿者", "12000人"]], doc_number="团市委〔2024〕3号",
               issuer="团市委", date="2024年3月1日")
    write_pdf(src / "团市委/2024年学雷锋志愿服务活动方案.pdf", "2024年学雷锋志愿服务活动方案",
              [f"{DOCS['方案']} 第一页：活动目标和工作要求。", "第二页：活动安排。", "第三页：保障措施。"])
    write_xlsx(src / "团市委/注册志愿者统计表.xlsx",
               {"志愿者统计": [[DOCS["统计"], "2023年", "2024年"], ["注册志愿者人数", 98000, 110000]]})
    write_txt(src / "市民政局/社区志愿服务活动记录.txt", f"社区志愿服务活动记录\n{DOCS['记录']} 2025年3月开展社区志愿服务12场。")
    write_scan_png(src / "市文明办/志愿服务活动照片.png", "志愿服务活动照片\n2024年5月在人民广场开展志愿服务。", dpi=100)
    page = write_scan_png(tmp / "scan.png", "志愿服务总结\n2023年志愿服务总结（扫描件）。", dpi=100)
    write_image_pdf(src / "市文明办/2023年志愿服务总结扫描件.pdf", [page, page])
    write_txt(src / "市民政局/不相关的通知.txt", "关于召开会议的通知\n与志愿服务无关。")
    (src / "市统计局").mkdir(parents=True, exist_ok=True)
    (src / "市统计局/损坏的统计公报.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A workspace with six documents under Ⅲ-42, two of them also under Ⅲ-114, one rejected
    and one failed file tagged too; built once (docx + pdf) into out1 and once into out2."""
    root = tmp_path_factory.mktemp("build")
    _write_sources(root / "src", root)
    ws, _ = init_workspace(root / "ws", assessment_year=2026)
    ingest(ws, [root / "src"], workers=1)
    conn = catalogue.connect(ws.catalog_path)
    ids = {r["title"]: r["id"] for r in conn.execute("SELECT id, title FROM documents")}
    unrelated = next(i for t, i in ids.items() if "通知" in t)
    failed = conn.execute("SELECT id FROM documents WHERE status = 'failed'").fetchone()
    with Transaction(conn):
        for title, doc_id in ids.items():
            if doc_id != unrelated:
                add_manual_tag(conn, doc_id, "III-42")          # ASCII spelling of the code on purpose
            if "方案" in title or "记录" in title:
                add_manual_tag(conn, doc_id, "Ⅲ-114")
        add_manual_tag(conn, unrelated, "Ⅲ-114")
        remove_manual_tag(conn, unrelated, "Ⅲ-114")              # rejected: never in a volume
    assert failed is not None, "the damaged PDF should have been recorded as failed"
    system = load_system(ws.config.system)
    converter = Converter(ws.cache_dir)
    messages: list[str] = []
    first = build_volumes(ws, conn, system, None, root / "out1", {"docx", "pdf"}, MISSING,
                          messages.append, compiled_on=COMPILED, converter=converter)
    second = build_volumes(ws, conn, system, None, root / "out2", {"docx", "pdf"}, MISSING,
                           compiled_on=COMPILED, converter=converter)
    yield {"ws": ws, "conn": conn, "system": system, "ids": ids, "root": root, "first": first,
           "second": second, "messages": messages, "converter": converter}
    conn.close()


def _out(env, name: str, out: str = "out1") -> Path:
    return env["root"] / out / name


def _manifest(env, out: str = "out1") -> dict:
    return json.loads(_out(env, MANIFEST, out).read_text(encoding="utf-8"))


def _catalogue_table(document):
    return next(t for t in document.tables if t.rows[0].cells[0].text == "序号")


# ---------------------------------------------------------------- what was built

def test_volumes_for_tagged_indicators_only(env):
    first = env["first"]
    assert first.built == ["Ⅲ-42", "Ⅲ-114"] and first.unchanged == []
    names = sorted(p.name for p in first.outputs)
    assert names == sorted(["Ⅲ-42 志愿服务.docx", "Ⅲ-42 志愿服务.pdf", "Ⅲ-114 学雷锋志愿服务活动.docx",
                            "Ⅲ-114 学雷锋志愿服务活动.pdf", "总目录.xlsx", "总目录.docx"])
    assert all(p.is_file() for p in first.outputs)
    assert ("Ⅲ-1", "没有归入该指标的材料") in first.skipped
    assert first.warnings == []
    assert any("Ⅲ-42" in m for m in env["messages"])


def test_cover_fields(env):
    document = docx.Document(_out(env, "Ⅲ-42 志愿服务.docx"))
    cover = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert cover["案卷题名"] == "Ⅲ-42 志愿服务 测评材料"
    assert cover["牵头单位"] == env["system"].indicator("Ⅲ-42").lead_department
    assert cover["件　　数"] == "6 件"
    assert cover["立卷时间"] == "2026年5月1日"
    assert cover["保管期限"] == "定期30年"
    assert "Ⅱ-13" in cover["类目名称"]
    paragraphs = [p.text for p in document.paragraphs]
    assert env["system"].name in paragraphs and "测评材料" in paragraphs


def test_catalogue_has_one_row_per_document_in_archival_order(env):
    document = docx.Document(_out(env, "Ⅲ-42 志愿服务.docx"))
    table = _catalogue_table(document)
    assert [c.text for c in table.rows[0].cells] == [label for label, _ in CATALOGUE_COLUMNS]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    titles = [r[3] for r in rows]
    # 规范文件 first, then statistics, then activity material by year.
    assert titles[0] == "志愿服务管理办法" and rows[0][1] == "团市委〔2024〕3号" and rows[0][4] == "20240301"
    assert "志愿者统计" in titles[1] or "统计" in titles[1]
    assert "不相关" not in "".join(titles) and "损坏" not in "".join(titles)
    assert sum(1 for p in document.paragraphs if p.text.startswith("第 ") and " 件" in p.text) == 6
    body = "\n".join(p.text for p in document.paragraphs)
    assert DOCS["办法"] in body and DOCS["记录"] in body
    note = document.tables[-1].rows[0].cells[0].text
    assert "统计数据（近2年）缺 2024 年" in note and "共有文件 6 件" in note      # the volume note
    small = docx.Document(_out(env, "Ⅲ-114 学雷锋志愿服务活动.docx"))
    assert len(_catalogue_table(small).rows) == 1 + 2


def test_east_asian_fonts_on_every_style_and_run(env):
    document = docx.Document(_out(env, "Ⅲ-42 志愿服务.docx"))
    from docx.oxml.ns import qn
    for run in (r for p in document.paragraphs for r in p.runs if r.text.strip()):
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")), run.text
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312" and normal.get(qn("w:eastAsiaTheme")) is None
    section = document.sections[0]
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm),
            round(section.left_margin.mm), round(section.right_margin.mm)) == (37, 35, 28, 26)
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def _east_asian(run) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_document_text_and_tables_keep_their_layout(env):
    """Body paragraphs: 仿宋_GB2312 from the style, 空两字; tables: fixed widths in mm, ruled, centred."""
    document = docx.Document(_out(env, "Ⅲ-42 志愿服务.docx"))
    body = next(p for p in document.paragraphs if DOCS["办法"] in p.text)
    assert body.paragraph_format.first_line_indent == Pt(32) and body.style.name == "Normal"
    assert [_east_asian(r) for r in body.runs] == ["仿宋_GB2312"] and body.runs[0].font.size is None
    heading = next(p for p in document.paragraphs if p.text.startswith("第 1 件"))
    assert heading.paragraph_format.page_break_before and heading.runs[0].font.size == Pt(16)
    catalogue = _catalogue_table(document)
    divider = next(t for t in document.tables if t.rows[0].cells[0].text == "题名")
    text_table = next(t for t in document.tables if t.rows[0].cells[0].text == "项目")
    for table, widths in ((catalogue, [w for _, w in CATALOGUE_COLUMNS]), (divider, [26, 130]), (text_table, [78, 78])):
        assert table.style.name == "Table Grid" and table.autofit is False
        assert table.alignment == WD_TABLE_ALIGNMENT.CENTER
        assert [round(c.width.mm) for c in table.columns] == widths
        assert [round(c.width.mm) for c in table.rows[-1].cells] == widths
    rows = [[c.text for c in row.cells] for row in text_table.rows]
    assert rows == [["项目", "数量"], ["注册志愿者", "12000人"]]
    cell_runs = [r for row in catalogue.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert {r.font.size for r in cell_runs} == {Pt(10.5)}
    assert {_east_asian(r) for r in cell_runs[:7]} == {"黑体"}                  # the header row
    assert {_east_asian(r) for r in cell_runs[7:]} == {"仿宋_GB2312"}
    assert catalogue.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None      # repeated on each page


def test_parallel_build_writes_the_same_bytes(env, tmp_path, monkeypatch):
    """Volumes made in worker processes are byte for byte those made in this process."""
    import dossier.build.volumes

    pools: list[int] = []

    class CountedPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(dossier.build.volumes, "PARALLEL_MIN_DOCS", 0)
    monkeypatch.setattr(dossier.build.volumes, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    messages: list[str] = []
    result = build_volumes(env["ws"], env["conn"], env["system"], None, tmp_path, {"docx"}, MISSING,
                           messages.append, compiled_on=COMPILED, converter=env["converter"])
    assert pools == [1] and result.built == ["Ⅲ-42", "Ⅲ-114"]
    assert sorted(m.split("]")[0] for m in messages) == ["[1/2", "[2/2"]
    for name in ("Ⅲ-42 志愿服务.docx", "Ⅲ-114 学雷锋志愿服务活动.docx"):
        assert (tmp_path / name).read_bytes() == _out(env, name).read_bytes(), name
    entries = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["volumes"]
    serial = _manifest(env)["volumes"]
    assert {code: e["docx"] for code, e in entries.items()} == {code: e["docx"] for code, e in serial.items()}


# ---------------------------------------------------------------- the PDF volume

def _catalogue_numbers(reader: PdfReader, front_pages: int) -> dict[int, str]:
    """序号 -> 页号 as printed: text fragments on the same baseline in the two columns."""
    mm = 72 / 25.4
    left = 28 * mm
    edges = [left]
    for _, width in CATALOGUE_COLUMNS:
        edges.append(edges[-1] + width * mm)
    found: dict[int, str] = {}
    for index in range(1, front_pages):           # page 0 is the cover
        pieces: list[tuple[float, float, str]] = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                pieces.append((x, y, text.strip()))
        reader.pages[index].extract_text(visitor_text=visit)
        seqs = [(y, t) for x, y, t in pieces if edges[0] <= x < edges[1] and t.isdigit()]
        for y, seq in seqs:
            cell = [t for x, yy, t in pieces if edges[5] <= x < edges[6] and abs(yy - y) < 2]
            found[int(seq)] = "".join(cell)
    return found


def test_pdf_catalogue_page_numbers_point_at_the_right_pages(env):
    reader = PdfReader(_out(env, "Ⅲ-42 志愿服务.pdf"))
    entry = _manifest(env)["volumes"]["Ⅲ-42"]["pdf"]
    front = entry["front_pages"]
    assert front == 2 and entry["complete"]
    printed = _catalogue_numbers(reader, front)
    assert sorted(printed) == [1, 2, 3, 4, 5, 6]
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert len(outline) == 6                                  # one bookmark per document
    docs = docx.Document(_out(env, "Ⅲ-42 志愿服务.docx"))
    titles = [row.cells[3].text for row in _catalogue_table(docs).rows[1:]]
    for seq, (title, page_index) in enumerate(outline, start=1):
        assert title.endswith(titles[seq - 1])
        start = int(printed[seq].split("-")[0])
        assert page_index == front + start - 1, (seq, printed[seq], page_index)
        assert reader.page_labels[page_index] == str(start)
    texts = {seq: reader.pages[page].extract_text().replace(" ", "") for seq, (_, page) in enumerate(outline, 1)}
    for marker in DOCS.values():
        seq = next(s for s, t in texts.items() if marker in t)
        assert marker not in reader.pages[outline[seq - 1][1] - 1].extract_text().replace(" ", "")
    # The last row reads first-last, and last is the last numbered page.
    last_end = printed[6].split("-")[-1]
    assert int(last_end) == entry["pages"] == len(reader.pages) - front - 1
    assert "备考表" in reader.pages[-1].extract_text().replace(" ", "")


def test_two_builds_are_identical(env):
    for name in ("Ⅲ-42 志愿服务.docx", "Ⅲ-42 志愿服务.pdf", "Ⅲ-114 学雷锋志愿服务活动.pdf", "总目录.xlsx", "总目录.docx"):
        assert _out(env, name).read_bytes() == _out(env, name, "out2").read_bytes(), name


def test_submission_index(env):
    sheet = openpyxl.load_workbook(_out(env, "总目录.xlsx")).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[1] for r in rows] == ["Ⅲ-42", "Ⅲ-114"]
    pages = _manifest(env)["volumes"]["Ⅲ-42"]["pdf"]["pages"]
    assert rows[0][2] == "志愿服务" and rows[0][4] == 6 and rows[0][5] == pages
    assert rows[0][6] == "2024" and rows[0][7] == "—"
    assert rows[1][4] == 2 and rows[1][7] == "齐全"
    assert "Ⅲ-42 志愿服务.pdf" in rows[0][8]
    document = docx.Document(_out(env, "总目录.docx"))
    table = document.tables[0]
    assert len(table.rows) == 3 and table.rows[1].cells[1].text == "Ⅲ-42"


# ---------------------------------------------------------------- incremental, errors, names

def test_unchanged_build_rebuilds_nothing_and_a_changed_tag_one_volume(env, tmp_path):
    ws, conn, system = env["ws"], env["conn"], env["system"]
    out = tmp_path / "out"
    shutil.copytree(env["root"] / "out1", out)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    again = build_volumes(ws, conn, system, None, out, {"docx", "pdf"}, MISSING, compiled_on=COMPILED,
                          converter=env["converter"])
    assert again.built == [] and again.unchanged == ["Ⅲ-42", "Ⅲ-114"]
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    record = next(i for t, i in env["ids"].items() if "记录" in t)
    try:
        with Transaction(conn):
            remove_manual_tag(conn, record, "Ⅲ-114")
        changed = build_volumes(ws, conn, system, None, out, {"docx", "pdf"}, MISSING, compiled_on=COMPILED,
                                converter=env["converter"])
        assert changed.built == ["Ⅲ-114"] and changed.unchanged == ["Ⅲ-42"]
        small = docx.Document(out / "Ⅲ-114 学雷锋志愿服务活动.docx")
        assert len(_catalogue_table(small).rows) == 1 + 1
        assert (out / "Ⅲ-42 志愿服务.pdf").stat().st_mtime_ns == before["Ⅲ-42 志愿服务.pdf"]
    finally:
        with Transaction(conn):
            add_manual_tag(conn, record, "Ⅲ-114")


def test_only_given_codes_and_unknown_code(env, tmp_path):
    ws, conn, system = env["ws"], env["conn"], env["system"]
    result = build_volumes(ws, conn, system, ["iii-114", "Ⅲ-2"], tmp_path, {"docx"}, compiled_on=COMPILED,
                           converter=env["converter"])
    assert result.built == ["Ⅲ-114"] and result.skipped == [("Ⅲ-2", "没有归入该指标的材料")]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "Ⅲ-114 学雷锋志愿服务活动.docx", "总目录.docx", "总目录.xlsx"]
    with pytest.raises(DossierError, match="Ⅲ-999"):
        build_volumes(ws, conn, system, ["Ⅲ-999"], tmp_path, {"docx"}, converter=env["converter"])
    with pytest.raises(DossierError, match="odt"):
        build_volumes(ws, conn, system, None, tmp_path, {"odt"}, converter=env["converter"])


def test_file_names_are_safe():
    stem = safe_stem("Ⅲ-1", '名称/含:非法*字符?"<>|与\t控制符 ' + "很长" * 60)
    assert not set('\\/:*?"<>|\t') & set(stem)
    assert stem.startswith("Ⅲ-1 名称_含_非法") and len(stem) <= 80 and not stem.endswith((" ", "."))
    assert safe_stem("Ⅲ-42", "志愿服务") == "Ⅲ-42 志愿服务"


def test_without_libreoffice_builds_what_it_can(env, tmp_path):
    ws, conn, system = env["ws"], env["conn"], env["system"]
    bare = Converter(tmp_path / "cache", soffice=None)
    result = build_volumes(ws, conn, system, ["Ⅲ-42"], tmp_path / "out", {"pdf"}, compiled_on=COMPILED, converter=bare)
    assert result.built == ["Ⅲ-42"]
    assert any("LibreOffice" in w for w in result.warnings)
    reader = PdfReader(tmp_path / "out" / "Ⅲ-42 志愿服务.pdf")
    assert len(reader.outline) == 6
    pages = [p.extract_text().replace(" ", "") for p in reader.pages]
    assert sum("未安装LibreOffice" in t for t in pages) == 3      # docx, xlsx, txt: placeholder pages
    assert any(DOCS["方案"] in t for t in pages)                   # PDF originals are there as they are
    entry = json.loads((tmp_path / "out" / MANIFEST).read_text(encoding="utf-8"))["volumes"]["Ⅲ-42"]["pdf"]
    assert not entry["complete"] and any("封面" in p for p in entry["problems"])
    # With LibreOffice back, the incomplete volume is rebuilt.
    again = build_volumes(ws, conn, system, ["Ⅲ-42"], tmp_path / "out", {"pdf"}, compiled_on=COMPILED,
                          converter=env["converter"])
    assert again.built == ["Ⅲ-42"] and again.warnings == []
