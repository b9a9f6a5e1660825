"""The type of material (图片资料, 正式发文, 说明报告, 数据表格, 其他): detected with a reason, shown
by `docs --json` and the coverage report, and a person's correction survives the automatic pass."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from dossier import operations as ops
from dossier.judge import detect_material
from examples.docgen import write_docx, write_xlsx


@pytest.mark.parametrize("fmt,title,text,number,issuer,taken,ratio,expected", [
    ("image:jpeg", "文明交通劝导", "", None, None, "2024-05-01", 0.0, "photo"),
    ("image:png", "活动现场", "", None, None, None, 0.0, "photo"),
    ("image:png", "关于开展活动的通知", "正文" * 200, "岚文明办〔2024〕3号", "云岚市文明办", None, 0.0, "official"),
    ("pdf", "关于印发实施方案的通知", "正文", "岚文明办〔2024〕3号", "云岚市文明办", None, 0.0, "official"),
    ("xlsx", "注册志愿者统计", "表", None, None, None, 1.0, "table"),
    ("docx", "志愿服务情况", "表格", None, None, None, 0.8, "table"),
    ("docx", "关于志愿服务工作开展情况的说明", "正文", None, None, None, 0.0, "report"),
    ("docx", "2024年文明城市创建工作自查报告", "正文", None, None, None, 0.0, "report"),
    ("docx", "文明餐桌倡议书", "正文", None, None, None, 0.0, "other"),
])
def test_each_type_of_material_with_its_reason(fmt, title, text, number, issuer, taken, ratio, expected):
    decision = detect_material(fmt, title, text, doc_number=number, issuer=issuer, taken=taken, table_ratio=ratio)
    assert decision.material == expected and decision.reason


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    base = tmp_path_factory.mktemp("材料类型")
    src = base / "材料" / "市文明办"
    write_docx(src / "关于志愿服务工作开展情况的说明.docx", "关于志愿服务工作开展情况的说明",
               ["2024年全市开展志愿服务活动86场，注册志愿者增加1.2万人。"])
    write_xlsx(src / "注册志愿者统计表.xlsx", {"2024年": [["项目", "人数"], ["注册志愿者", 120000]]})
    workspace, _ = ops.init(base / "工作区", assessment_year=2026)
    ops.ingest(workspace, [src.parent], ocr="off")
    return workspace


def test_docs_json_and_the_coverage_report_show_the_type(ws):
    runner = CliRunner()
    docs = json.loads(runner.invoke(main, ["-w", str(ws.root), "docs", "--json"]).output)
    assert {d["title"]: d["material"] for d in docs} == {"关于志愿服务工作开展情况的说明": "report", "注册志愿者统计表": "table"}
    for doc in docs:
        ops.tag(ws, str(doc["id"]), add=["Ⅲ-42"])
    coverage = json.loads(runner.invoke(main, ["-w", str(ws.root), "coverage", "--json"]).output)
    item = next(i for i in coverage["indicators"] if i["code"] == "Ⅲ-42")
    assert item["materials"] == {"report": 1, "table": 1}


def test_a_person_s_type_of_material_survives_the_automatic_pass(ws):
    runner = CliRunner()
    doc = next(d for d in ops.list_docs(ws) if d["material"] == "report")
    result = runner.invoke(main, ["-w", str(ws.root), "tag", str(doc["id"]), "--material", "official"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["-w", str(ws.root), "retag"]).exit_code == 0
    detail = ops.show(ws, str(doc["id"]))
    assert detail["material"] == "official" and detail["material_source"] == "manual"
    bad = runner.invoke(main, ["-w", str(ws.root), "tag", str(doc["id"]), "--material", "poster"])
    assert bad.exit_code == 2 and "poster" in bad.output
