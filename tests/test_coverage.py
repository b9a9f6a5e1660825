"""Coverage, the 材料审核记录表 and status on a constructed workspace with known answers."""
import datetime as dt
import json

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from archive import catalogue
from archive.catalogue.database import Transaction
from archive.ingest.run import ingest
from archive.workspace import init_workspace, write_config
from cli import main
from dossier.coverage.report import compute_coverage, completeness, required_years
from dossier.coverage.xlsx import write_review_table
from archive.catalogue.decisions import add_manual_tag, remove_manual_tag, set_auto_tags, set_manual_kind, set_manual_years, AutoTag
from dossier.coverage.status import workspace_status
from dossier.systems.model import load_system, load_system_file
from examples.docgen import write_txt

SYSTEM = {
    "id": "test-city", "name": "测试体系", "version": "1",
    "parts": [{"code": "Ⅰ-1", "name": "测试项目", "contents": [{"code": "Ⅱ-1", "name": "测试内容", "indicators": [
        {"code": "Ⅲ-1", "name": "统计指标", "standard": "有统计。", "methods": ["材料审核"], "evidence": ["statistics"],
         "keywords": ["统计"], "lead_department": "市统计局"},
        {"code": "Ⅲ-2", "name": "活动指标", "standard": "有活动。", "methods": ["材料审核"], "evidence": ["activity"],
         "keywords": ["活动"], "lead_department": "团市委"},
        {"code": "Ⅲ-3", "name": "两类指标", "standard": "都要。", "methods": ["材料审核"],
         "evidence": ["statistics", "activity"], "keywords": ["两类"], "lead_department": "团市委",
         "required_years": {"activity": 1}},
        {"code": "Ⅲ-4", "name": "问卷指标", "standard": "问卷。", "methods": ["问卷调查"], "evidence": ["activity"],
         "keywords": ["问卷"], "lead_department": "市文明办"},
    ]}]}],
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("cov")
    system_file = base / "test-city.yaml"
    system_file.write_text(yaml.safe_dump(SYSTEM, allow_unicode=True), encoding="utf-8")
    system = load_system_file(system_file)
    src = base / "src" / "团市委"
    src.mkdir(parents=True)
    for i in range(7):
        write_txt(src / f"材料{i}.txt", f"材料{i}：第{i}份测试材料。", encoding="utf-8")
    ws, _ = init_workspace(base / "ws", assessment_year=2026, deadline=dt.date(2026, 5, 26))
    (ws.systems_dir).mkdir(exist_ok=True)
    (ws.systems_dir / "test-city.yaml").write_text(system_file.read_text(encoding="utf-8"), encoding="utf-8")
    ws.config.system = "test-city"
    write_config(ws.root, ws.config)
    ingest(ws, [src.parent], workers=1)
    conn = catalogue.connect(ws.catalog_path)
    ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    plan = [  # doc index: (tags, years, kind)
        (["Ⅲ-1"], [2024], "statistics"),
        (["Ⅲ-1"], [2023], "statistics"),          # outside the statistics window
        (["Ⅲ-2"], [2023, 2024], "activity"),
        (["Ⅲ-2"], [2025], "statistics"),          # wrong kind for Ⅲ-2
        (["Ⅲ-3"], [2025], "activity"),
        (["Ⅲ-3"], [2025], None),                  # no kind: counts for neither
        (["Ⅲ-2"], [2025], "activity"),            # rejected below
    ]
    with Transaction(conn):
        conn.execute("DELETE FROM tags")
        for doc_id, (codes, years, kind) in zip(ids, plan):
            for code in codes:
                add_manual_tag(conn, doc_id, code)
            set_manual_years(conn, doc_id, years)
            if kind:
                set_manual_kind(conn, doc_id, kind)
            else:
                conn.execute("UPDATE documents SET kind = NULL, kind_source = NULL WHERE id = ?", (doc_id,))
        remove_manual_tag(conn, ids[6], "Ⅲ-2")
        set_auto_tags(conn, ids[4], [AutoTag("Ⅲ-1", "rule", 0.5, "测试")])
    yield ws, conn, system, ids
    conn.close()


def _by_code(report):
    return {item.code: item for item in report.indicators}


def test_required_windows():
    assert required_years(2026, "statistics", {"statistics": 2, "activity": 3}) == [2024, 2025]
    assert required_years(2026, "activity", {"statistics": 2, "activity": 3}) == [2023, 2024, 2025]
    assert required_years(2026, "activity", {"activity": 3}, {"activity": 1}) == [2025]


def test_known_answers(workspace):
    ws, conn, system, ids = workspace
    items = _by_code(compute_coverage(conn, system, ws.config))
    assert set(items) == {"Ⅲ-1", "Ⅲ-2", "Ⅲ-3"}                     # Ⅲ-4 has no material review
    stats = items["Ⅲ-1"].evidence["statistics"]
    assert (stats.required, stats.present, stats.missing) == ([2024, 2025], [2024], [2025])
    assert items["Ⅲ-1"].status == "partial"
    activity = items["Ⅲ-2"].evidence["activity"]
    assert activity.present == [2023, 2024] and activity.missing == [2025]   # rejected and wrong-kind don't count
    both = items["Ⅲ-3"]
    assert both.evidence["activity"].required == [2025] and both.evidence["activity"].present == [2025]
    assert both.evidence["statistics"].present == [] and both.status == "partial"
    assert both.unkinded == [ids[5]]
    assert ids[6] not in items["Ⅲ-2"].documents


def test_auto_only_years_are_reported(workspace):
    ws, conn, system, ids = workspace
    conn.execute("UPDATE documents SET kind = 'statistics' WHERE id = ?", (ids[4],))
    try:
        stats = _by_code(compute_coverage(conn, system, ws.config))["Ⅲ-1"].evidence["statistics"]
        assert stats.present == [2024, 2025] and stats.auto_only == [2025]
    finally:
        conn.execute("UPDATE documents SET kind = 'activity' WHERE id = ?", (ids[4],))


def test_department_filter_and_missing_only(workspace):
    ws, conn, system, _ = workspace
    assert [i.code for i in compute_coverage(conn, system, ws.config, department="团市委").indicators] == ["Ⅲ-2", "Ⅲ-3"]
    assert all(i.status != "complete" for i in compute_coverage(conn, system, ws.config, missing_only=True).indicators)


def test_overridden_window_in_dossier_toml(workspace):
    ws, conn, system, _ = workspace
    config = type(ws.config)(**{**ws.config.__dict__, "required_years": {"statistics": 3, "activity": 3}})
    stats = _by_code(compute_coverage(conn, system, config))["Ⅲ-1"].evidence["statistics"]
    assert stats.required == [2023, 2024, 2025] and stats.present == [2023, 2024]


def test_failed_documents_never_count(workspace):
    ws, conn, system, ids = workspace
    conn.execute("UPDATE documents SET status = 'failed' WHERE id = ?", (ids[0],))
    try:
        assert _by_code(compute_coverage(conn, system, ws.config))["Ⅲ-1"].evidence["statistics"].present == []
    finally:
        conn.execute("UPDATE documents SET status = 'ok' WHERE id = ?", (ids[0],))


def test_record_table_read_back_cell_by_cell(workspace, tmp_path):
    ws, conn, system, _ = workspace
    report = compute_coverage(conn, system, ws.config)
    path = write_review_table(report, tmp_path / "记录表.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["材料审核记录表", "部门待补材料", "年度矩阵"]
    sheet = wb["材料审核记录表"]
    assert [c.value for c in sheet[1]] == ["指标编号", "指标名称", "牵头单位", "材料类型", "应提供年份", "已有年份",
                                          "缺少年份", "材料数", "状态", "审核意见"]
    assert [c.value for c in sheet[2]] == ["Ⅲ-1", "统计指标", "市统计局", "统计数据", "2024、2025", "2024", "2025", 3,
                                          "部分缺失", None]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J5"
    owed = wb["部门待补材料"]
    assert ["市统计局", "Ⅲ-1 统计指标", "统计数据", "2025"] in [[c.value for c in row] for row in owed.iter_rows(min_row=2)]
    matrix = wb["年度矩阵"]
    assert [c.value for c in matrix[1]] == ["指标编号", "指标名称", "材料类型", "2023年", "2024年", "2025年"]
    assert [c.value for c in matrix[2]][3:] == [None, "有", "缺"]
    assert matrix["E2"].fill.fgColor.rgb.endswith("C6EFCE") and matrix["F2"].fill.fgColor.rgb.endswith("FFC7CE")


def test_a_title_like_a_formula_stays_text(tmp_path, workspace):
    ws, conn, system, _ = workspace
    report = compute_coverage(conn, system, ws.config)
    object.__setattr__(report.indicators[0].indicator, "name", "=HYPERLINK(\"x\")")
    try:
        wb = openpyxl.load_workbook(write_review_table(report, tmp_path / "f.xlsx"))
        cell = wb["材料审核记录表"]["B2"]
        assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    finally:
        object.__setattr__(report.indicators[0].indicator, "name", "统计指标")


def test_status_days_left_and_completeness(workspace):
    ws, conn, system, _ = workspace
    before = workspace_status(ws, conn, system, today=dt.date(2026, 5, 20))
    assert before["days_left"] == 6 and not before["overdue"]
    after = workspace_status(ws, conn, system, today=dt.date(2026, 6, 1))
    assert after["days_left"] == -6 and after["overdue"]
    assert before["documents"] == 7 and before["complete_indicators"] == 0
    assert before["completeness"] == completeness(compute_coverage(conn, system, ws.config)) == 4 / 8


def test_coverage_command_as_a_user_reads_it(workspace, tmp_path):
    ws, *_ = workspace
    runner = CliRunner()
    text = runner.invoke(main, ["-w", str(ws.root), "coverage", "--xlsx", str(tmp_path / "r.xlsx")])
    assert text.exit_code == 0, text.output
    assert "Ⅲ-1" in text.output and "缺25" in text.output and "记录表已写入" in text.output
    data = json.loads(runner.invoke(main, ["-w", str(ws.root), "coverage", "--json", "--missing"]).output)
    assert data["assessment_year"] == 2026 and data["deadline"] == "2026-05-26"
    first = data["indicators"][0]
    assert set(first) >= {"code", "name", "status", "lead_department", "evidence", "documents"}
    assert set(first["evidence"]["statistics"]) >= {"required", "present", "missing"}
    status = json.loads(runner.invoke(main, ["-w", str(ws.root), "status", "--json"]).output)
    assert set(status) >= {"system", "assessment_year", "deadline", "days_left", "documents", "failed",
                           "to_review", "complete_indicators", "completeness"}


def test_a_lead_written_with_its_helpers_is_one_department(workspace):
    ws, conn, _, _ = workspace
    city = load_system("civilized-city")
    led = {i.code for i in city.material_review() if i.lead_department.startswith("团市委")}
    assert any("（" in i.lead_department for i in city.material_review() if i.code in led)
    assert {i.code for i in compute_coverage(conn, city, ws.config, department="团市委").indicators} == led
    report = compute_coverage(conn, city, ws.config)
    assert not [name for name in report.owed_by_department() if "（" in name or "(" in name]
    helped = next(i for i in report.indicators if i.indicator.lead_department == "团市委（市教育局协同）")
    assert helped.as_json()["lead_department"] == "团市委" and helped.as_json()["helpers"] == ["市教育局"]
    named = next(i for i in city.indicators() if i.lead_department == "市文广新局（文化市场执法）")
    assert (named.lead, named.helpers) == ("市文广新局", ())     # a note that names no department
