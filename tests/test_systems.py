"""Indicator systems as data: the built-ins, validation messages, lookup and listing."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import yaml

from common.errors import DossierError, IndicatorSystemError
from dossier.systems.model import (
    Indicator, builtin_dir, derive_keywords, list_systems, load_system, load_system_file,
    normalize_code, validate_system_file,
)


def _minimal() -> dict:
    """A small valid system: 2 parts, 3 contents, 5 indicators."""
    def ind(code: str, name: str, evidence: list[str], methods: list[str] | None = None) -> dict:
        return {"code": code, "name": name, "standard": f"{name}工作有计划、有记录。",
                "methods": methods or ["材料审核"], "evidence": evidence,
                "keywords": [name], "lead_department": "市文明办"}
    return {
        "id": "mini", "name": "小体系", "version": "1",
        "parts": [
            {"code": "Ⅰ-1", "name": "项目一", "contents": [
                {"code": "Ⅱ-1", "name": "内容一", "indicators": [
                    ind("Ⅲ-1", "志愿服务", ["statistics"]), ind("Ⅲ-2", "慈善捐助", ["activity"])]},
                {"code": "Ⅱ-2", "name": "内容二", "indicators": [
                    ind("Ⅲ-3", "市民满意率", ["statistics"], ["问卷调查"])]}]},
            {"code": "Ⅰ-2", "name": "项目二", "contents": [
                {"code": "Ⅱ-3", "name": "内容三", "indicators": [
                    ind("Ⅲ-4", "全民阅读", ["activity"]),
                    ind("Ⅲ-5", "公共文化设施", ["statistics", "activity"])]}]},
        ],
    }


def _write(tmp_path: Path, data, name: str = "system.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- built-ins

def test_civilized_city_builtin_is_valid_with_115_material_review_indicators():
    path = builtin_dir() / "civilized-city.yaml"
    assert validate_system_file(path) == []
    system = load_system("civilized-city")
    assert system.counts() == {"parts": 9, "contents": 36, "indicators": 126, "material_review_indicators": 115}
    assert len(system.material_review()) == 115
    assert all("材料审核" in ind.methods for ind in system.material_review())


def test_minors_builtin_is_valid_with_47_material_review_indicators():
    assert validate_system_file(builtin_dir() / "minors.yaml") == []
    system = load_system("minors")
    assert system.counts() == {"parts": 6, "contents": 22, "indicators": 74, "material_review_indicators": 47}


def test_builtin_codes_are_the_reference_codes_in_roman_numeral_characters():
    system = load_system("civilized-city")
    indicators = system.indicators()
    assert [ind.code for ind in indicators] == [f"Ⅲ-{n}" for n in range(1, 127)]
    assert {ind.part_code for ind in indicators} == {f"Ⅰ-{n}" for n in range(1, 10)}
    assert len({ind.content_code for ind in indicators}) == 36
    assert all(re.fullmatch(r"Ⅱ-\d+", ind.content_code) for ind in indicators)
    first = indicators[0]
    assert (first.part_code, first.part_name) == ("Ⅰ-1", "廉洁高效的政务环境")
    assert (first.content_code, first.content_name) == ("Ⅱ-1", "理论学习与思想政治建设")
    assert all(re.fullmatch(r"M-Ⅲ-\d+", ind.code) for ind in load_system("minors").indicators())


def test_builtin_indicators_carry_every_field_and_their_provenance():
    system = load_system("civilized-city")
    for ind in system.indicators():
        assert ind.name and ind.standard and ind.lead_department
        assert ind.methods and set(ind.evidence) <= {"statistics", "activity"} and ind.evidence
        assert len(ind.keywords) >= 4
        assert ind.source in ("public", "inferred")
    kinds = [ind.evidence_kind for ind in system.indicators()]
    assert (kinds.count("statistics"), kinds.count("activity"), kinds.count("institutional")) == (53, 39, 34)
    # institutional (rules, plans) counts as activity material
    assert all(ind.evidence == ("activity",) for ind in system.indicators() if ind.evidence_kind == "institutional")
    public = [ind.code for ind in system.indicators() if ind.source == "public"]
    assert public == ["Ⅲ-40", "Ⅲ-41", "Ⅲ-42"] + [f"Ⅲ-{n}" for n in range(92, 100)]
    assert system.indicator("Ⅲ-92").ref == "https://m.77cn.com.cn/wenku/zonghe/545996_6.html"
    assert system.indicator("Ⅲ-83").lead_department_now == "市应急管理局"


def test_builtin_keywords_include_name_terms_and_drop_generic_survey_words():
    system = load_system("civilized-city")
    assert "志愿服务" in system.indicator("Ⅲ-42").keywords
    assert {"价格监管", "明码标价"} <= set(system.indicator("Ⅲ-29").keywords)
    # survey words would tag any questionnaire to every survey indicator
    assert not {"问卷", "入户调查"} & set(system.indicator("Ⅲ-121").keywords)
    assert system.indicator("Ⅲ-18").keywords == ("公民法律素质", "法律素质", "学法考试合格率", "法律知识知晓率", "普法考试")


def test_list_systems_gives_the_builtins_with_their_summary():
    systems = {s.id: s for s in list_systems()}
    assert set(systems) >= {"civilized-city", "minors"}
    summary = systems["minors"].summary()
    assert summary["name"] == "未成年人思想道德建设工作测评体系"
    assert (summary["parts"], summary["contents"], summary["indicators"],
            summary["material_review_indicators"]) == (6, 22, 74, 47)


def test_loaded_builtins_are_cached_and_reloaded_when_the_file_changes(tmp_path):
    assert load_system("civilized-city") is load_system("civilized-city")
    path = _write(tmp_path, _minimal())
    first = load_system_file(path)
    assert load_system_file(path) is first
    data = _minimal()
    data["name"] = "改过的体系"
    path.write_text(yaml.safe_dump(data, allow_unicode=True) + "\n# changed\n", encoding="utf-8")
    assert load_system_file(path).name == "改过的体系"


# ---------------------------------------------------------------- lookup

@pytest.mark.parametrize("raw, expected", [
    ("III-42", "Ⅲ-42"), ("iii-42", "Ⅲ-42"), ("Ⅲ42", "Ⅲ-42"), ("Ⅲ－42", "Ⅲ-42"), (" Ⅲ-42 ", "Ⅲ-42"),
    ("Ⅲ—42", "Ⅲ-42"), ("ⅲ-42", "Ⅲ-42"), ("Ⅲ-042", "Ⅲ-42"), ("III 42", "Ⅲ-42"), ("Ⅲ-４２", "Ⅲ-42"),
    ("I-1", "Ⅰ-1"), ("i1", "Ⅰ-1"), ("II-3", "Ⅱ-3"), ("ⅱ－3", "Ⅱ-3"), ("Ⅱ3", "Ⅱ-3"),
    ("M-III-1", "M-Ⅲ-1"), ("m-iii-1", "M-Ⅲ-1"), ("MⅢ1", "M-Ⅲ-1"), ("M-Ⅲ-1", "M-Ⅲ-1"),
    (" 1.1 ", "1.1"), ("IV-2", "IV-2"), ("A3", "A3"), ("志愿服务", "志愿服务"),
])
def test_normalize_code(raw, expected):
    assert normalize_code(raw) == expected


def test_indicator_lookup_accepts_code_variants():
    system = load_system("civilized-city")
    for variant in ("III-42", "iii-42", "Ⅲ42", "Ⅲ－42", " Ⅲ-42 "):
        indicator = system.indicator(variant)
        assert isinstance(indicator, Indicator)
        assert (indicator.code, indicator.name) == ("Ⅲ-42", "志愿服务")
    assert load_system("minors").indicator("m-iii-7").name == "专项经费"


def test_unknown_indicator_code_suggests_close_codes():
    system = load_system("civilized-city")
    with pytest.raises(IndicatorSystemError) as info:
        system.indicator("Ⅲ-420")
    assert str(info.value) == ("测评体系 civilized-city（全国文明城市测评体系）中没有指标 “Ⅲ-420”；"
                               "相近的编号：Ⅲ-42、Ⅲ-40、Ⅲ-20")
    assert isinstance(info.value, DossierError)


def test_a_content_code_is_named_as_such_when_asked_for_as_an_indicator():
    with pytest.raises(IndicatorSystemError, match="Ⅱ-3 是测评体系 civilized-city（全国文明城市测评体系）的测评内容“行政效能”"):
        load_system("civilized-city").indicator("II-3")


def test_material_review_property_follows_methods(tmp_path):
    system = load_system_file(_write(tmp_path, _minimal()))
    assert [i.code for i in system.material_review()] == ["Ⅲ-1", "Ⅲ-2", "Ⅲ-4", "Ⅲ-5"]
    assert not system.indicator("Ⅲ-3").material_review
    assert system.counts() == {"parts": 2, "contents": 3, "indicators": 5, "material_review_indicators": 4}


def test_indicator_to_dict_has_the_system_show_shape():
    data = load_system("civilized-city").indicator("Ⅲ-42").to_dict()
    assert {"code", "name", "part", "content", "standard", "methods", "evidence", "keywords",
            "lead_department"} <= set(data)
    assert data["part"] == "Ⅰ-4" and data["evidence"] == ["statistics"]
    json.dumps(data, ensure_ascii=False)


def test_derive_keywords():
    assert derive_keywords("价格监管与明码标价") == ["价格监管", "明码标价"]
    assert derive_keywords("群众对党风廉政建设的满意率") == ["党风廉政建设"]
    assert derive_keywords("全民阅读") == ["全民阅读"]
    assert derive_keywords("党委（党组）中心组学习") == ["党委中心组学习"]


# ---------------------------------------------------------------- workspace systems

def test_workspace_system_overrides_the_builtin_with_the_same_id(tmp_path):
    folder = tmp_path / "systems"
    folder.mkdir()
    data = _minimal()
    data["id"] = "civilized-city"
    _write(folder, data, "local.yaml")
    _write(folder, _minimal(), "mini.yaml")
    ids = [s.id for s in list_systems([folder])]
    assert ids.count("civilized-city") == 1 and "mini" in ids and "minors" in ids
    assert load_system("civilized-city", [folder]).counts()["indicators"] == 5
    assert load_system("civilized-city").counts()["indicators"] == 126
    assert load_system("mini", [folder]).path == folder / "mini.yaml"
    assert load_system("civilized-city", [tmp_path / "no-such-folder"]).counts()["indicators"] == 126


def test_json_system_files_are_read(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(_minimal(), ensure_ascii=False), encoding="utf-8")
    assert load_system_file(path).counts()["indicators"] == 5
    assert load_system("mini", [tmp_path]).name == "小体系"


def test_unknown_system_names_the_available_ones():
    with pytest.raises(IndicatorSystemError) as info:
        load_system("nope")
    assert str(info.value) == "未知的测评体系 “nope”；可用的有：civilized-city、minors"


def test_a_broken_workspace_file_is_reported_but_does_not_hide_other_systems(tmp_path):
    folder = tmp_path / "systems"
    folder.mkdir()
    (folder / "broken.yaml").write_text("id: broken\nname: [x\n", encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as info:
        list_systems([folder])
    assert info.value.problems == [f"{folder / 'broken.yaml'}: 第3行第1列: YAML 语法错误：方括号列表没有闭合（缺少“]”或“,”）"]
    assert load_system("minors", [folder]).id == "minors"
    with pytest.raises(IndicatorSystemError, match="另有 1 处文件问题"):
        load_system("broken", [folder])


def test_required_years_override_and_extension_fields_are_kept(tmp_path):
    data = _minimal()
    data["x-city"] = "聊城"
    data["parts"][0]["contents"][0]["indicators"][0].update(
        required_years={"statistics": 3}, source="inferred", ref="本地任务分解表", **{"x-note": "自定"})
    indicator = load_system_file(_write(tmp_path, data)).indicator("Ⅲ-1")
    assert indicator.required_years == {"statistics": 3}
    assert (indicator.source, indicator.ref) == ("inferred", "本地任务分解表")


# ---------------------------------------------------------------- broken files

PLACE = "parts[0] Ⅰ-1 › contents[0] Ⅱ-1 › indicators[1] Ⅲ-2"


def _first_indicator_edit(edit):
    def make() -> dict:
        data = _minimal()
        edit(data["parts"][0]["contents"][0]["indicators"][1])
        return data
    return make


BROKEN = {
    "missing code": (_first_indicator_edit(lambda i: i.pop("code")),
                     ["parts[0] Ⅰ-1 › contents[0] Ⅱ-1 › indicators[1]（慈善捐助）: 缺少必填字段 code（编号）"]),
    "missing standard and lead department": (
        _first_indicator_edit(lambda i: (i.pop("standard"), i.pop("lead_department"))),
        [f"{PLACE}: 缺少必填字段 standard（测评标准）、lead_department（牵头单位）"]),
    "bad evidence value": (_first_indicator_edit(lambda i: i.update(evidence=["activity", "photos"])),
                           [f"{PLACE}: evidence[1]（材料类型）的值 \"photos\" 无效：只能是 statistics（统计数据）"
                            "或 activity（活动材料）"]),
    "methods not a list": (_first_indicator_edit(lambda i: i.update(methods="材料审核")),
                           [f"{PLACE}: methods（测评方法）应为列表，实际是文本 \"材料审核\""]),
    "code as a number": (_first_indicator_edit(lambda i: i.update(code=3.2)),
                         ["parts[0] Ⅰ-1 › contents[0] Ⅱ-1 › indicators[1]（慈善捐助）: code（编号）应为文本，"
                          "实际是数字 3.2（请加引号）"]),
    "required_years 0": (_first_indicator_edit(lambda i: i.update(required_years={"statistics": 0})),
                         [f"{PLACE}: required_years.statistics（要求年数·统计数据）应为大于 0 的整数，实际为 0"]),
    "required_years text and typo": (
        _first_indicator_edit(lambda i: i.update(required_years={"activty": 3, "statistics": "2"})),
        [f"{PLACE}: required_years（要求年数）: 未知字段 activty（是否应为 activity？）",
         f"{PLACE}: required_years.statistics（要求年数·统计数据）应为整数，实际是文本 \"2\""]),
    "misspelt field": (_first_indicator_edit(lambda i: i.update(keyword=["x"])),
                       [f"{PLACE}: 未知字段 keyword（是否应为 keywords？）"]),
    "empty evidence and blank standard": (
        _first_indicator_edit(lambda i: i.update(evidence=[], standard="  ")),
        [f"{PLACE}: evidence（材料类型）不能为空列表", f"{PLACE}: standard（测评标准）不能为空"]),
    "evidence_kind contradicts evidence": (
        _first_indicator_edit(lambda i: i.update(evidence_kind="institutional", evidence=["statistics"])),
        [f"{PLACE}: evidence_kind 为 institutional，但 evidence（材料类型）中没有 activity"]),
    "duplicate code": (_first_indicator_edit(lambda i: i.update(code="III-1")),
                       ["parts[0] Ⅰ-1 › contents[0] Ⅱ-1 › indicators[1] III-1: 编号 III-1 重复"
                        "（已用于 parts[0] Ⅰ-1 › contents[0] Ⅱ-1 › indicators[0] Ⅲ-1）"]),
    "content without indicators": (
        lambda: {**_minimal(), "parts": [{**_minimal()["parts"][0],
                                          "contents": [{"code": "Ⅱ-1", "name": "内容一", "indicators": []}]}]},
        ["parts[0] Ⅰ-1 › contents[0] Ⅱ-1: indicators（测评指标）不能为空列表"]),
    "top level": (lambda: {k: v for k, v in {**_minimal(), "id": "my system"}.items() if k != "version"},
                  ["顶层: 缺少必填字段 version（版本）",
                   '顶层: 体系编号不能为空，也不能含空白或 / \\ : * ? " < > |']),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_file_gives_a_precise_error(tmp_path, case):
    make, expected = BROKEN[case]
    path = _write(tmp_path, make())
    problems = validate_system_file(path)
    assert problems == [f"{path}: {line}" for line in expected]
    with pytest.raises(IndicatorSystemError) as info:
        load_system_file(path)
    assert info.value.problems == problems
    assert str(path) in str(info.value)


@pytest.mark.parametrize("text, expected", [
    ("id: x\nname: [小体系\nversion: 1\n", "第3行第8列: YAML 语法错误：方括号列表没有闭合（缺少“]”或“,”）"),
    ("id: x\nname: 小体系: 二\n", "第2行第10列: YAML 语法错误：这里不能出现“键: 值”（常见原因：缩进不对，或文本中的冒号没有加引号）"),
    ("id: x\n\tname: y\n", "第2行第1列: YAML 语法错误：含有制表符（YAML 只能用空格缩进）"),
    ("id: x\nname: 一\nname: 二\n", "第3行第1列: 字段 name 在同一处写了两次"),
    ("", "文件是空的"),
    ("- 一\n- 二\n", "顶层: 文件应是一个映射（id、name、version、parts），实际是列表"),
])
def test_yaml_syntax_problems_name_the_line(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert validate_system_file(path) == [f"{path}: {expected}"]


def test_json_syntax_problem_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n "name": }\n', encoding="utf-8")
    assert validate_system_file(path) == [f"{path}: 第2行第10列: JSON 语法错误：Expecting value"]


def test_unreadable_files_are_explained(tmp_path):
    missing = tmp_path / "nope.yaml"
    assert validate_system_file(missing) == [f"{missing}: 文件不存在"]
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("id: 测评\n".encode("gb18030"))
    assert validate_system_file(gbk) == [f"{gbk}: 文件不是 UTF-8 编码，请另存为 UTF-8 后再试"]


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    data = _minimal()
    indicators = data["parts"][1]["contents"][0]["indicators"]
    indicators[0]["evidence"] = ["photos"]
    indicators[1].pop("methods")
    data["parts"][0]["contents"][1]["code"] = "Ⅱ-1"
    problems = validate_system_file(_write(tmp_path, copy.deepcopy(data)))
    assert len(problems) == 3
    assert any("parts[1] Ⅰ-2 › contents[0] Ⅱ-3 › indicators[0] Ⅲ-4: evidence[0]" in p for p in problems)
    assert any("indicators[1] Ⅲ-5: 缺少必填字段 methods（测评方法）" in p for p in problems)
    assert any("parts[0] Ⅰ-1 › contents[1] Ⅱ-1: 编号 Ⅱ-1 重复" in p for p in problems)
