"""Search finds what a person reads: scans (stamped, skewed, photographed), phrases wrapped across
lines, and traditional characters for simplified ones and back — on both engines."""
from __future__ import annotations

import pytest

from dossier import operations as ops
from examples.docgen import write_docx, write_image_pdf, write_pdf, write_txt
from examples.scans import make_scan

WRAPPED_TITLE = "关于表彰二〇二四年度文明城市创建工作的文明村、文明单位、文明家庭和文明校园先进典型的决定"


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def archive(request, tmp_path_factory):
    """One department's folder with scans, a wrapped title, a table, traditional and simplified text."""
    src = tmp_path_factory.mktemp("src")
    dept = src / "市文明办"
    dept.mkdir()
    stamped = make_scan(dept, 11, "stamped", 200, name="盖章通知扫描件.png")
    photo = make_scan(tmp_path_factory.mktemp("phone"), 12, "phone_photo", 200, name="手机拍照.jpg")
    write_image_pdf(dept / "拍照件.pdf", [photo.path])
    # Body lines longer than the title's: the extractor keeps the title's line end, as in real PDFs.
    write_pdf(dept / "表彰决定.pdf", WRAPPED_TITLE, ["各区、各部门：现将表彰决定印发给你们，请认真组织学习，"
                                                 "结合实际抓好贯彻落实，进一步巩固和扩大创建成果，推动形成崇德向善的良好风尚。"])
    write_txt(dept / "简报.txt", "创城简报\n本期简报介绍各地评选活动进展情况，以及表彰先进集体和个人的文\n明单位创建经验。\n")
    write_docx(dept / "统计表.docx", "志愿服务统计表", ["单位：人"],
               table=[["项目", "数量"], ["注册志愿者", "文明"], ["单位", "1200"]])
    write_txt(dept / "繁體通知.txt", "關於進一步推進政務公開工作的通知\n各單位：為做好2024年政務公開工作，現將有關事項通知如下。\n",
              encoding="big5")
    write_docx(dept / "简体报告.docx", "关于政务公开工作情况的报告", ["本单位推进政务公开，2024年共发布信息三百条。"])
    ws, _ = ops.init(tmp_path_factory.mktemp("ws"), assessment_year=2026, engine=request.param)
    summary = ops.ingest(ws, [src], workers=2)
    assert summary.added == 7 and not summary.failed
    return ws, {"stamped": stamped, "photo": photo}


def _hits(ws, query: str, **options) -> dict[str, object]:
    return {hit.title: hit for hit in ops.search(ws, query, limit=None, **options).hits}


def _doc_of(ws, name: str) -> dict:
    found = [d for d in ops.list_docs(ws) if name in " ".join(d["sources"])]
    assert len(found) == 1, name
    return ops.show(ws, str(found[0]["id"]))


def test_a_stamped_skewed_notice_is_found_by_its_title_and_number_with_its_years(archive):
    ws, scans = archive
    page = scans["stamped"]
    detail = _doc_of(ws, "盖章通知扫描件.png")
    assert detail["status"] == "ok"
    for query in (page.doc_number, page.title[4:20], f'"{page.title}"'):
        assert detail["id"] in {h.id for h in _hits(ws, query).values()}, query
    assert [y["year"] for y in detail["year_reasons"]] == list(page.years)
    assert detail["doc_number"] == page.doc_number
    # Which engine read it, and how surely: shown by dossier show.
    assert [p["page"] for p in detail["ocr_pages"]] == [1]
    assert detail["ocr_pages"][0]["engine"].startswith("rapidocr ") and detail["ocr_pages"][0]["confidence"] >= 80


def test_a_phone_photo_of_a_notice_is_found_by_its_number(archive):
    ws, scans = archive
    detail = _doc_of(ws, "拍照件.pdf")
    assert detail["id"] in {h.id for h in _hits(ws, scans["photo"].doc_number).values()}


def test_a_wrapped_pdf_title_is_found_by_its_phrase_on_its_page(archive):
    ws, _ = archive
    detail = _doc_of(ws, "表彰决定.pdf")
    assert "文\n明单位" in ops.document(ws, str(detail["id"]))["page_texts"][0]["text"]     # the PDF really wraps there
    hit = next(h for h in ops.search(ws, "文明单位", limit=None).hits if h.id == detail["id"])
    assert hit.page == 1 and "【文明单位】" in hit.snippet


def test_a_phrase_across_a_line_break_in_text_is_found_and_marked(archive):
    ws, _ = archive
    doc_id = _doc_of(ws, "简报.txt")["id"]
    hit = next(h for h in ops.search(ws, "文明单位创建", limit=None).hits if h.id == doc_id)
    assert "【文明单位创建】" in hit.snippet and hit.page == 1


def test_table_cells_do_not_run_into_each_other(archive):
    ws, _ = archive
    assert "志愿服务统计表" in _hits(ws, "注册志愿者")
    assert "志愿服务统计表" not in _hits(ws, "文明单位")        # 文明 ends one row, 单位 starts the next


@pytest.mark.parametrize("query", ["政务公开", "政務公開"])
def test_either_script_finds_both(archive, query):
    ws, _ = archive
    hits = _hits(ws, query)
    assert {"關於進一步推進政務公開工作的通知", "关于政务公开工作情况的报告"} <= set(hits)
    # Snippets show each document's own characters.
    assert "【政務公開】" in hits["關於進一步推進政務公開工作的通知"].snippet
    assert "【政务公开】" in hits["关于政务公开工作情况的报告"].snippet


def test_exact_script_keeps_to_the_query_s_characters(archive):
    ws, _ = archive
    assert set(_hits(ws, "政務公開", exact_script=True)) == {"關於進一步推進政務公開工作的通知"}
    assert set(_hits(ws, "政务公开", exact_script=True)) == {"关于政务公开工作情况的报告"}
