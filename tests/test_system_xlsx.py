"""Indicator systems as Excel tables: export, round trip, and tolerant import of offices' tables."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from common.errors import IndicatorSystemError
from dossier.systems.xlsx import HEADERS, export_system_xlsx, import_system_xlsx, save_system
from dossier.systems.model import Indicator, System, load_system, load_system_file


def _fields(ind: Indicator) -> tuple:
    return (ind.code, ind.name, ind.part_code, ind.part_name, ind.content_code, ind.content_name,
            ind.standard, ind.methods, ind.evidence, ind.keywords, ind.lead_department)


@pytest.mark.parametrize("system_id", ["civilized-city", "minors"])
def test_export_then_import_gives_back_the_same_system(tmp_path, system_id):
    original = load_system(system_id)
    path = tmp_path / f"{system_id}.xlsx"
    export_system_xlsx(original, path)
    again = import_system_xlsx(path)
    assert (again.id, again.name, again.version) == (original.id, original.name, original.version)
    assert [_fields(i) for i in again.indicators()] == [_fields(i) for i in original.indicators()]
    assert again.counts() == original.counts()
    # a table cannot tell rules (institutional) from other activity material
    assert {i.evidence_kind for i in again.indicators()} == {None}


def test_export_writes_one_formatted_row_per_indicator(tmp_path):
    path = tmp_path / "out" / "体系.xlsx"
    export_system_xlsx(load_system("civilized-city"), path)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I127"
    assert ws.max_row == 127
    assert ws.column_dimensions["E"].width > ws.column_dimensions["C"].width
    row = [c.value for c in ws[4]]  # Ⅲ-3
    assert row[:4] == ["Ⅰ-1 廉洁高效的政务环境", "Ⅱ-1 理论学习与思想政治建设", "Ⅲ-3", "核心价值体系宣传教育"]
    assert row[5] == "材料审核、问卷调查" and row[6] == "活动材料" and row[8] == "市委宣传部"
    assert row[7].startswith("核心价值体系宣传教育、核心价值体系、核心价值观、")
    statistics_row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] == "Ⅲ-42")
    assert statistics_row[6] == "统计数据"
    info = {r[0]: r[1] for r in wb["体系信息"].iter_rows(min_row=2, values_only=True)}
    assert info["体系编号"] == "civilized-city" and info["名称"] == "全国文明城市测评体系"
    assert not list(path.parent.glob(".*tmp"))


def test_save_system_writes_the_workspace_file_atomically(tmp_path):
    source = tmp_path / "minors.xlsx"
    export_system_xlsx(load_system("minors"), source)
    imported = import_system_xlsx(source, system_id="minors-2024")
    folder = tmp_path / "ws" / "systems"
    path = save_system(imported, folder)
    assert path == folder / "minors-2024.yaml"
    assert sorted(p.name for p in folder.iterdir()) == ["minors-2024.yaml"]
    loaded = load_system_file(path)
    assert loaded.id == "minors-2024"
    assert [_fields(i) for i in loaded.indicators()] == [_fields(i) for i in load_system("minors").indicators()]
    assert load_system("minors-2024", [folder]).counts()["material_review_indicators"] == 47


def test_save_system_refuses_an_invalid_system(tmp_path):
    broken = System.from_data({"id": "x", "name": "坏", "version": "1", "parts": []})
    with pytest.raises(IndicatorSystemError, match="测评体系 x 无效，未保存"):
        save_system(broken, tmp_path)
    assert not (tmp_path / "x.yaml").exists()


# ---------------------------------------------------------------- offices' tables

OFFICE_HEADER = ["序号", "测评项目", "测评内容", "指标\n编号", "指标名称", "测评　标准", "测评方法", "材料类型",
                 "责任单位", "配合单位"]


def _office_table(path: Path) -> None:
    """A task table as an office writes it: title row, merged 测评项目/测评内容, extra columns."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["聊城市创建全国文明城市测评体系任务分解表"])
    ws.merge_cells("A1:J1")
    ws.append(OFFICE_HEADER)
    ws.append([1, "一、廉洁高效的政务环境", "Ⅱ-1 理论学习", "III-1", "中心组学习", "有年度学习计划。",
               "材料审核，问卷调查", "活动类", "市委宣传部", "市委组织部"])
    ws.append([2, None, None, "Ⅲ－2", "干部教育培训", "1）有规划；\n2）有培训档案。", "材料审核\n实地考察",
               "活动材料", "市委组织部", None])
    ws.append([3, None, "Ⅱ-2　政务公开", "Ⅲ3", "政府信息公开", "编制公开指南和年度报告。", "材料审核；网络调查",
               "制度文件", " 市政府办公室 ", None])
    ws.append([4, None, None, " iii-4 ", "办事公开", "公开办事依据和程序。", "材料审核", "统计数据、活动材料",
               "市政务服务中心", None])
    ws.merge_cells("B3:B6")
    ws.merge_cells("C3:C4")
    ws.merge_cells("C5:C6")
    ws.append([5, "Ⅰ-2 民主公正的法治环境", "Ⅱ-3民主权利", "Ⅲ-5", "人大建议政协提案办理", "按期办结。",
               "材料审核", "统计数据类", "市政府办公室（督查室）", None])
    ws.append([6, None, None, "Ⅲ-6", "基层民主", "居务公开。", "材料审核", "统计表格", "市民政局", None])
    ws.append([None, "Ⅰ-3 安全稳定的社会环境"])  # a heading row, merged across the width
    ws.merge_cells("B9:J9")
    ws.append([7, None, "Ⅱ-4 社会治安", "Ⅲ-7", "社会治安综合治理", "有综治责任制。", "材料审核", "活动材料",
               "市委政法委", None])
    ws.append([])
    wb.save(path)


def test_an_office_table_with_merged_cells_and_a_title_row_imports(tmp_path):
    path = tmp_path / "任务分解表.xlsx"
    _office_table(path)
    system = import_system_xlsx(path, system_id="liaocheng")
    assert (system.id, system.name) == ("liaocheng", "聊城市创建全国文明城市测评体系任务分解表")
    rows = [(i.code, i.part_code, i.part_name, i.content_code, i.content_name) for i in system.indicators()]
    assert rows == [
        ("Ⅲ-1", "Ⅰ-1", "廉洁高效的政务环境", "Ⅱ-1", "理论学习"),
        ("Ⅲ-2", "Ⅰ-1", "廉洁高效的政务环境", "Ⅱ-1", "理论学习"),
        ("Ⅲ-3", "Ⅰ-1", "廉洁高效的政务环境", "Ⅱ-2", "政务公开"),
        ("Ⅲ-4", "Ⅰ-1", "廉洁高效的政务环境", "Ⅱ-2", "政务公开"),
        ("Ⅲ-5", "Ⅰ-2", "民主公正的法治环境", "Ⅱ-3", "民主权利"),
        ("Ⅲ-6", "Ⅰ-2", "民主公正的法治环境", "Ⅱ-3", "民主权利"),
        ("Ⅲ-7", "Ⅰ-3", "安全稳定的社会环境", "Ⅱ-4", "社会治安"),
    ]
    first, second, third, fourth = (system.indicator(c) for c in ("Ⅲ-1", "Ⅲ-2", "Ⅲ-3", "Ⅲ-4"))
    assert first.methods == ("材料审核", "问卷调查") and first.evidence == ("activity",)
    assert first.lead_department == "市委宣传部"
    assert first.keywords == ("中心组学习",)  # no 关键词 column: derived from the name
    assert second.standard == "1）有规划；\n2）有培训档案。" and second.methods == ("材料审核", "实地考察")
    assert third.methods == ("材料审核", "网络调查") and third.lead_department == "市政府办公室"
    assert (third.evidence, third.evidence_kind) == (("activity",), "institutional")
    assert fourth.evidence == ("statistics", "activity")
    assert system.indicator("Ⅲ-5").evidence == system.indicator("Ⅲ-6").evidence == ("statistics",)
    assert system.counts() == {"parts": 3, "contents": 4, "indicators": 7, "material_review_indicators": 7}


def test_imported_office_table_is_saved_and_loaded_like_any_system(tmp_path):
    path = tmp_path / "任务 分解表.xlsx"
    _office_table(path)
    system = import_system_xlsx(path)
    assert system.id == "任务-分解表" and system.version == "未标注"
    saved = save_system(system, tmp_path / "systems")
    assert load_system("任务-分解表", [tmp_path / "systems"]).indicator("iii-7").name == "社会治安综合治理"
    assert saved.read_text(encoding="utf-8").count("code: Ⅲ-") == 7


def _table_with_bad_rows(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["测评体系（2024年修订）"])
    ws.append([])
    ws.append(HEADERS)
    good = ["Ⅰ-1 政务环境", "Ⅱ-1 政务公开", "Ⅲ-1", "政府信息公开", "编制年度报告。", "材料审核", "统计数据",
            "信息公开", "市政府办公室"]
    ws.append(good)                                                           # row 4
    ws.append([None, None, "Ⅲ-2", "办事公开", "公开依据。", "材料审核", "其他", "", "市政务服务中心"])   # row 5
    ws.append([None, None, "Ⅲ-1", "重复的指标", "说明。", "材料审核", "活动材料", "", "市文明办"])     # row 6
    ws.append([None, None, "", "没有编号的指标", "说明。", "材料审核", "活动材料", "", "市文明办"])     # row 7
    ws.append(["Ⅰ-2 法治环境", None, "Ⅲ-4", "普法", "", "", "活动材料", "", "市司法局"])              # row 8
    ws.append([None, "Ⅱ-2 普法", "Ⅲ-5", "法律援助", "有援助中心。", "材料审核", "活动材料", "", "市司法局"])  # row 9
    wb.save(path)


def test_bad_rows_are_reported_by_row_number(tmp_path):
    path = tmp_path / "bad.xlsx"
    _table_with_bad_rows(path)
    with pytest.raises(IndicatorSystemError) as info:
        import_system_xlsx(path)
    assert info.value.problems == [
        "第5行: 材料类型“其他”无法识别，应为 统计数据、活动材料 或两者",
        "第6行: 指标编号 Ⅲ-1 与第4行重复",
        "第7行: 缺少指标编号",
        "第8行: 缺少测评内容、测评标准、测评方法",
    ]
    assert str(info.value) == "bad.xlsx 有 4 处问题：第5行: 材料类型“其他”无法识别，应为 统计数据、活动材料 或两者"


def test_a_content_name_used_under_two_parts_is_reported(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["Ⅰ-1 甲", "Ⅱ-1 乙", "Ⅲ-1", "指标一", "标准。", "材料审核", "活动材料", "", "市文明办"])
    ws.append(["Ⅰ-2 丙", "Ⅱ-1 丁", "Ⅲ-2", "指标二", "标准。", "材料审核", "活动材料", "", "市文明办"])
    ws.append(["Ⅰ-1 戊", "Ⅱ-1 乙", "Ⅲ-3", "指标三", "标准。", "材料审核", "活动材料", "", "市文明办"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(IndicatorSystemError) as info:
        import_system_xlsx(tmp_path / "t.xlsx")
    assert info.value.problems == [
        "第3行: 测评内容 Ⅱ-1 的名称“丁”与第2行的“乙”不一致",
        "第4行: 测评项目 Ⅰ-1 的名称“戊”与第2行的“甲”不一致",
    ]


def test_missing_columns_are_named(tmp_path):
    wb = Workbook()
    wb.active.append(["测评项目", "测评内容", "指标编号", "指标名称", "测评标准", "牵头单位"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(IndicatorSystemError) as info:
        import_system_xlsx(tmp_path / "t.xlsx")
    assert str(info.value) == ("t.xlsx: 工作表“Sheet”第1行的表头缺少列：测评方法、材料类型"
                               "（需要的列：测评项目、测评内容、指标编号、指标名称、测评标准、测评方法、材料类型、关键词、牵头单位）")


def test_a_table_without_a_header_or_an_excel_file_at_all_is_explained(tmp_path):
    wb = Workbook()
    wb.active.append(["随便", "什么"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(IndicatorSystemError, match="找不到表头：各工作表前 15 行中都没有“指标编号”列"):
        import_system_xlsx(tmp_path / "t.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    with pytest.raises(IndicatorSystemError, match="不是可读取的 Excel（.xlsx）文件"):
        import_system_xlsx(fake)
    with pytest.raises(IndicatorSystemError, match="文件不存在"):
        import_system_xlsx(tmp_path / "none.xlsx")


def test_a_table_with_only_headings_has_no_indicators(tmp_path):
    wb = Workbook()
    wb.active.append(HEADERS)
    wb.active.append(["Ⅰ-1 甲", "Ⅱ-1 乙"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(IndicatorSystemError, match="第2行起没有任何指标行"):
        import_system_xlsx(tmp_path / "t.xlsx")


def test_uncoded_contents_with_the_same_name_under_two_parts_stay_apart(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["一、政务环境", "（一）工作机制", "Ⅲ-1", "指标一", "标准。", "材料审核", "活动材料", "甲、乙", "市文明办"])
    ws.append(["二、法治环境", "（一）工作机制", "Ⅲ-2", "指标二", "标准。", "材料审核", "统计数据", "丙", "市司法局"])
    wb.save(tmp_path / "t.xlsx")
    system = import_system_xlsx(tmp_path / "t.xlsx")
    assert [(i.part_code, i.part_name, i.content_code, i.content_name, i.keywords) for i in system.indicators()] == [
        ("Ⅰ-1", "政务环境", "Ⅱ-1", "工作机制", ("甲", "乙")),
        ("Ⅰ-2", "法治环境", "Ⅱ-2", "工作机制", ("丙",)),
    ]


def test_material_type_may_be_empty_only_where_material_review_is_not_a_method(tmp_path):
    wb = Workbook()
    sheet = wb.active
    sheet.append(HEADERS)
    sheet.append(["Ⅰ-1 政务环境", "Ⅱ-1 政务公开", "Ⅲ-1", "群众满意率", "满意率达标。", "问卷调查", "", "", "市政府办"])
    sheet.append(["", "", "Ⅲ-2", "信息公开", "依法公开。", "材料审核、实地考察", "活动材料", "", "市政府办"])
    sheet.append(["", "", "Ⅲ-3", "办事公开", "公开办事。", "材料审核", "", "", "市政府办"])
    path = tmp_path / "office.xlsx"
    wb.save(path)
    with pytest.raises(IndicatorSystemError) as info:
        import_system_xlsx(path)
    assert info.value.problems == ["第4行: 缺少材料类型"]
    sheet.delete_rows(4)
    wb.save(path)
    imported = import_system_xlsx(path, system_id="office")
    assert [i.code for i in imported.material_review()] == ["Ⅲ-2"]
    assert imported.indicator("Ⅲ-1").methods == ("问卷调查",)
