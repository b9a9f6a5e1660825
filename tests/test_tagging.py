"""Indicator tags from names, keywords, paths and departments: right and explained (speed: bench/tagging_speed.py)."""
import pytest

from dossier.systems.model import load_system
from dossier.judge.tagging import MAX_TAGS, Tagger, has_text_evidence


@pytest.fixture(scope="module")
def tagger():
    return Tagger(load_system("civilized-city"))


def codes(suggestions):
    return [s.code for s in suggestions]


def by_code(suggestions):
    return {s.code: s for s in suggestions}


# -- title and body -------------------------------------------------------------------------------

def test_title_names_the_indicator(tagger):
    tags = tagger.suggest("2024年志愿服务工作总结", "今年全市工作稳步推进。", [], None)
    assert codes(tags)[0] == "Ⅲ-42"
    assert tags[0].source == "rule"
    assert "标题含 志愿服务" in tags[0].reason


def test_body_counts_make_a_tag_and_are_reported(tagger):
    body = "全市新增注册志愿者1200人。" * 12
    tags = tagger.suggest("工作情况报告", body, [], None)
    assert codes(tags)[0] == "Ⅲ-42"
    assert "正文 12 次 注册志愿者" in tags[0].reason


def test_a_single_passing_mention_does_not_tag(tagger):
    body = "会议强调要做好各项工作。" * 40 + "会上还提到公益广告。" + "做好下一阶段工作。" * 40
    assert tagger.suggest("市政府常务会议纪要", body, [], None) == []


def test_title_weighs_more_than_the_body(tagger):
    body = "开展公益广告刊播。" + "志愿服务" * 3
    tags = tagger.suggest("公益广告宣传情况", body, [], None)
    assert codes(tags)[0] == "Ⅲ-116"


def test_counts_saturate(tagger):
    conf = [by_code(tagger.suggest("情况报告", "注册志愿者。" * n + "其他内容。" * 200, [], None)).get("Ⅲ-42")
            for n in (3, 10, 100)]
    assert all(conf)
    c3, c10, c100 = (c.confidence for c in conf)
    assert c3 < c10 <= c100 < 1.0
    assert c100 - c10 < c10 - c3 + 0.05        # the hundredth mention adds little


def test_new_wording_of_old_terms(tagger):
    # 法治 replaced 法制 in official wording; the 2009 system says 法制宣传.
    tags = tagger.suggest("2023年法治宣传工作总结", "深入开展法治宣传进社区活动。", [], None)
    assert "Ⅲ-17" in codes(tags)


# -- generic words ----------------------------------------------------------------------------

def test_generic_words_do_not_tag(tagger):
    assert tagger.suggest("关于加强工作的通知", "加强工作，推进建设，强化管理。" * 60, [], None) == []
    generic = "健全工作机制，加强宣传教育，开展专项整治，提高满意率，落实责任制。" * 30
    assert tagger.suggest("关于进一步做好有关工作的通知", generic, [], None) == []


def test_generic_words_do_not_decide_between_indicators(tagger):
    # 满意率 is a keyword of several indicators; 党风廉政建设 names one.
    tags = tagger.suggest("问卷调查结果", "群众对党风廉政建设的满意率为95%。满意率较上年提高。", [], None)
    assert codes(tags)[0] == "Ⅲ-12"


def test_ascii_terms_need_their_own_word(tagger):
    assert tagger.suggest("通知", "请拨打123156号码咨询。", [], None) == []
    assert "Ⅲ-31" in codes(tagger.suggest("通知", "消费者可拨打12315投诉。消费者投诉当日受理。", [], None))


# -- paths ------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", ["Ⅲ-42 志愿服务", "III-42", "Ⅲ42", "ⅲ－42 材料", "3.志愿服务类(III-42)"])
def test_codes_in_folder_names_file_the_document(tagger, folder):
    tags = tagger.suggest("工作情况", "本年度工作情况如下。", [f"团市委/{folder}/材料一.docx"], None)
    assert codes(tags)[0] == "Ⅲ-42"
    assert tags[0].source == "path"
    assert tags[0].confidence >= 0.9
    assert "编号 Ⅲ-42" in tags[0].reason


def test_code_in_a_file_name(tagger):
    tags = tagger.suggest("刊播情况", "本月刊播情况。", ["市委宣传部/Ⅲ-116 公益广告刊播统计.xlsx"], None)
    assert codes(tags)[0] == "Ⅲ-116" and tags[0].source == "path"


def test_indicator_name_in_a_folder(tagger):
    tags = tagger.suggest("活动照片说明", "活动现场照片四张。", ["市文广新局/全民阅读/照片说明.docx"], None)
    assert codes(tags) == ["Ⅲ-119"]
    assert tags[0].source == "path" and tags[0].confidence >= 0.85
    assert "文件夹名含 全民阅读" in tags[0].reason


def test_longer_name_in_a_folder_wins_over_the_name_inside_it(tagger):
    tags = tagger.suggest("材料", "材料。", ["市民政局/社区志愿服务/材料.docx"], None)
    assert codes(tags)[0] == "Ⅲ-115"
    assert "Ⅲ-42" not in [t.code for t in tags if t.source == "path"]


def test_codes_of_other_levels_or_systems_are_not_indicators(tagger):
    assert tagger.suggest("材料", "材料。", ["市文明办/Ⅱ-13/材料.docx"], None) == []
    assert tagger.suggest("材料", "材料。", ["市文明办/Ⅰ-3/材料.docx"], None) == []
    assert tagger.suggest("材料", "材料。", ["市文明办/FY2024-III-999/材料.docx"], None) == []


def test_folder_filing_does_not_silence_the_text(tagger):
    body = "开展学雷锋志愿服务活动。" * 6
    tags = tagger.suggest("学雷锋志愿服务活动总结", body, ["团市委/Ⅲ-42 志愿服务/总结.docx"], "团市委")
    assert codes(tags)[0] == "Ⅲ-42"
    assert "Ⅲ-114" in codes(tags)


# -- departments ------------------------------------------------------------------------------

def test_department_hint_adds_a_little(tagger):
    body = "全年开展志愿服务活动。志愿服务队伍不断壮大。"
    plain = by_code(tagger.suggest("工作总结", body, [], None))["Ⅲ-42"]
    hinted = by_code(tagger.suggest("工作总结", body, [], "团市委"))["Ⅲ-42"]
    assert plain.confidence < hinted.confidence <= plain.confidence + 0.2
    assert "牵头单位一致" in hinted.reason and "牵头单位" not in plain.reason
    # a county's or district's office is the same office as the city's 市公安局
    crime = "刑事案件发案率下降，刑事案件破案率提高。"
    assert "牵头单位一致" in by_code(tagger.suggest("治安情况", crime, [], "马鞍山市公安局"))["Ⅲ-81"].reason


def test_department_alone_never_tags(tagger):
    assert tagger.suggest("工作总结", "今年工作有序推进。", [], "团市委") == []


# -- several tags, reasons, speed ---------------------------------------------------------------

def test_several_tags_where_deserved_and_a_cap(tagger):
    body = ("开展公益广告刊播，户外公益广告全覆盖。" * 4 + "全民阅读活动进社区，书香社区建设。" * 4)
    tags = tagger.suggest("公益广告宣传和全民阅读活动情况", body, [], None)
    assert {"Ⅲ-116", "Ⅲ-119"} <= set(codes(tags))
    assert len(tags) <= MAX_TAGS
    everything = "。".join(["志愿服务", "公益广告", "全民阅读", "食品安全", "安全生产", "空气质量", "法律援助",
                           "社会救助", "公共交通", "禁毒宣传", "文明校园"] * 5)
    assert len(tagger.suggest("综合材料", everything, [], None)) == MAX_TAGS


def test_weak_tags_are_cut_relative_to_the_best(tagger):
    body = "注册志愿者" * 20 + "公益广告"
    tags = tagger.suggest("志愿服务统计", body, [], None)
    assert codes(tags)[0] == "Ⅲ-42" and "Ⅲ-116" not in codes(tags)


def test_reasons_are_readable_chinese(tagger):
    tags = tagger.suggest("2024年志愿服务工作总结", "新增注册志愿者1200人。" * 12, ["团市委/Ⅲ-42/总结.docx"], "团市委")
    reason = tags[0].reason
    assert reason.startswith("文件夹名含编号 Ⅲ-42")
    assert "标题含 志愿服务" in reason and "正文 12 次 注册志愿者" in reason and reason.endswith("牵头单位一致")
    assert has_text_evidence(reason)
    assert not has_text_evidence("文件夹名含编号 Ⅲ-42")
    for tag in tags:
        assert 0 < tag.confidence <= 1 and tag.source in ("rule", "path")


def test_prefixed_codes_of_the_minors_system():
    minors = Tagger(load_system("minors"))
    for folder in ("M-Ⅲ-3 领导协调机构", "M-III-3", "Ⅲ-3"):   # the data group often drops the M-
        tags = minors.suggest("材料", "材料。", [f"市文明办/{folder}/材料.docx"], None)
        assert codes(tags) == ["M-Ⅲ-3"] and tags[0].source == "path"
