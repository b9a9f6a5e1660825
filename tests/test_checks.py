"""dossier check: every planted fault is reported, with its reason, and nothing else is."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from PIL import ImageFilter

from cli import main
from dossier import operations as ops
from dossier.checks.rules import ocr_finding
from examples.docgen import write_docx, write_xlsx
from examples.photos import save_photo, scene

DAY = dt.datetime(2024, 5, 4, 9, 0)
# file -> the check it must trip (None: a sound document, nothing to report)
PLANTED = {
    "志愿服务现场.jpg": None,
    "社区宣传现场.heic": None,
    "小图.jpg": "photo-small",
    "模糊.jpg": "photo-blurred",
    "压缩过度.jpg": "photo-compressed",
    "志愿服务现场（转发）.jpg": "photo-duplicate",
    "关于志愿服务工作开展情况的说明.docx": "report-no-figures",
    "关于志愿服务工作情况的报告.docx": None,
    "关于开展文明餐桌行动的通知.docx": "official-incomplete",
    "2018年志愿服务工作总结.docx": "outside-years",
    "注册志愿者统计表.xlsx": None,
}


def _write(folder):
    save_photo(scene(11), folder / "志愿服务现场.jpg", DAY)
    save_photo(scene(15), folder / "社区宣传现场.heic", dt.datetime(2025, 6, 1))
    save_photo(scene(12).resize((400, 300)), folder / "小图.jpg", DAY)
    save_photo(scene(13).filter(ImageFilter.GaussianBlur(4)), folder / "模糊.jpg", DAY)
    save_photo(scene(14), folder / "压缩过度.jpg", DAY, quality=12)
    # the first photo again, smaller and re-encoded, claimed for another year
    save_photo(scene(11).resize((1200, 900)), folder / "志愿服务现场（转发）.jpg", dt.datetime(2025, 5, 4), quality=80)
    write_docx(folder / "关于志愿服务工作开展情况的说明.docx", "关于志愿服务工作开展情况的说明",
               ["全市积极开展志愿服务活动，群众反映良好，取得明显成效。"], date="2025年3月1日")
    write_docx(folder / "关于志愿服务工作情况的报告.docx", "关于志愿服务工作情况的报告",
               ["2024年全市开展志愿服务活动86场，注册志愿者增加1.2万人。"], date="2025年3月1日")
    write_docx(folder / "关于开展文明餐桌行动的通知.docx", "关于开展文明餐桌行动的通知",
               ["各单位：2025年开展文明餐桌行动，倡导光盘。"], issuer="云岚市文明办", date="2025年2月1日")
    write_docx(folder / "2018年志愿服务工作总结.docx", "2018年志愿服务工作总结",
               ["2018年开展志愿服务活动40场。"], date="2018年12月1日")
    write_xlsx(folder / "注册志愿者统计表.xlsx", {"2024年": [["项目", "人数"], ["注册志愿者", 120000]]})


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    base = tmp_path_factory.mktemp("质量检查")
    _write(base / "材料" / "市文明办")
    workspace, _ = ops.init(base / "工作区", assessment_year=2026)
    summary = ops.ingest(workspace, [base / "材料"], ocr="off")
    assert not summary.failed, summary.failed
    for doc in ops.list_docs(workspace):     # every document filed under one indicator, by a person
        auto = [t["code"] for t in doc["tags"] if t["source"] != "manual" and t["code"] != "Ⅲ-42"]
        ops.tag(workspace, str(doc["id"]), remove=tuple(auto), add=("Ⅲ-42",))
    return workspace


def _name(doc: dict) -> str:
    return doc["sources"][0].rsplit("/", 1)[-1]


def test_every_planted_fault_is_reported_and_nothing_else(ws):
    names = {doc["id"]: _name(doc) for doc in ops.list_docs(ws)}
    report = ops.check(ws)
    found = {(names[f.doc_id], f.check) for f in report.findings}
    expected = {(name, check) for name, check in PLANTED.items() if check}
    assert found == expected
    duplicate = next(f for f in report.findings if f.check == "photo-duplicate")
    assert "不同年份（2024 与 2025）" in duplicate.reason
    assert all(f.reason and "：请" in f.reason for f in report.findings)


def test_the_command_lists_by_indicator_and_department_and_as_json(ws):
    runner = CliRunner()
    by_indicator = runner.invoke(main, ["-w", str(ws.root), "check"])
    assert by_indicator.exit_code == 0 and "Ⅲ-42" in by_indicator.output and "共 7 处问题" in by_indicator.output
    by_department = runner.invoke(main, ["-w", str(ws.root), "check", "--by", "department"])
    assert "市文明办" in by_department.output
    data = json.loads(runner.invoke(main, ["-w", str(ws.root), "check", "--json"]).output)
    assert data["counts"]["photo-small"] == 1 and len(data["by_indicator"]["Ⅲ-42"]) == 7


def test_thresholds_come_from_dossier_toml(ws):
    ws.config.checks["min_photo_edge"] = 100
    try:
        assert "photo-small" not in {f.check for f in ops.check(ws).findings}
    finally:
        ws.config.checks["min_photo_edge"] = 800


def test_a_scan_read_unsurely_is_reported():
    row = {"unsure_page": (2, 41.5)}
    assert ocr_finding(row, 80) == [("ocr-low", "扫描件第 2 页识别置信度只有 42%：请提供更清晰的扫描件或电子原件")]
    assert ocr_finding({"unsure_page": (1, 93.0)}, 80) == [] and ocr_finding({"unsure_page": None}, 80) == []


def test_what_the_checks_find_is_in_the_review_queue(ws):
    items = {item.doc_id: item for item in ops.review(ws)}
    for finding in ops.check(ws).findings:
        assert finding.reason in items[finding.doc_id].problems
