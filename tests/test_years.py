"""Year detection: the years a document covers, not every year it mentions."""
from __future__ import annotations

import datetime

import pytest

from dossier.judge.years import YearDecision, detect_years


def years(title: str, text: str = "", filename: str = "", **kw) -> tuple[int, ...]:
    return detect_years(title, text, filename, **kw).years


# ---- the forms a year is written in ----------------------------------------------------------

def test_plain_year_in_title():
    decision = detect_years("2022年志愿服务工作总结", "今年我们组织了多场活动。")
    assert decision == YearDecision((2022,), decision.reason, decision.confidence, "title")
    assert "标题含 2022年" in decision.reason and decision.confidence >= 0.9


def test_year_with_nian_du():
    assert years("关于2022年度文明单位复查情况的报告") == (2022,)


@pytest.mark.parametrize("written", ["二〇二二年", "二○二二年", "二零二二年", "二Ｏ二二年"])
def test_chinese_numeral_years(written):
    assert years(f"{written}全民阅读活动简报") == (2022,)


def test_chinese_numeral_year_of_last_century():
    assert years("一九九九年社区服务工作回顾") == (1999,)


def test_full_width_digits_and_spaces_of_raw_text():
    assert years("２０２２ 年 社 区 志 愿 服 务 总 结") == (2022,)


@pytest.mark.parametrize("dash", ["—", "–", "-", "～", "~", "——", "－", "至", "到"])
def test_ranges_with_every_separator(dash):
    assert years(f"全市文明城市创建2021{dash}2023年工作规划") == (2021, 2022, 2023)


def test_range_with_nian_on_both_ends():
    assert years("2021年至2023年农贸市场改造计划") == (2021, 2022, 2023)


def test_range_of_full_dates_in_body():
    text = "本次评比范围为2020年9月1日——2021年8月31日期间各社区开展的志愿服务项目。"
    assert years("优秀志愿服务项目评比结果公布", text) == (2020, 2021)


def test_range_within_one_year_is_that_year():
    assert years("", "活动时间为2022年3月至2022年5月,各社区分批开展。") == (2022,)


def test_school_year_covers_both_calendar_years():
    assert years("2021-2022学年第一学期心理健康教育工作总结") == (2021, 2022)
    assert years("2021—2022学年度校园周边环境整治台账") == (2021, 2022)


def test_school_year_named_by_its_first_year():
    assert years("2023学年少年宫活动安排") == (2023, 2024)


def test_recent_three_years_read_through_its_range():
    text = "近三年(2020-2022)我区累计建成新时代文明实践站86个。"
    assert years("新时代文明实践站建设情况", text) == (2020, 2021, 2022)


def test_recent_three_years_alone_gives_nothing():
    assert years("新时代文明实践站建设情况", "近三年来我区累计建成实践站86个。") == ()


def test_five_year_plan_name_in_title():
    assert years("某市“十四五”公共文化服务体系建设规划") == (2021, 2022, 2023, 2024, 2025)
    assert years("“十三五”时期城市绿化工作回顾") == (2016, 2017, 2018, 2019, 2020)


def test_bare_year_in_title():
    assert years("《2019全国城市文明程度指数》发布") == (2019,)


def test_bare_numbers_with_units_are_not_years():
    assert years("全区文明家庭已达2000户") == ()
    assert years("社区电影放映全年完成2010余场") == ()


def test_length_of_history_is_not_a_year():
    assert years("古镇文化展示馆开馆", "这座有1980年历史的古镇迎来了游客。") == ()


# ---- what is not covered ------------------------------------------------------------------------

def test_comparison_years_are_left_out():
    assert years("2022年全区居民人均可支配收入比2021年增长5.1%") == (2022,)
    text = "2022年全区空气质量优良天数达320天,较2021年增加12天,与2020年相比增加20天。"
    decision = detect_years("空气质量通报", text)
    assert decision.years == (2022,)
    assert "较2021年" in decision.reason


def test_same_period_of_an_earlier_year_is_a_comparison():
    text = "2023年一季度全市新增注册志愿者1.2万人,2022年同期为0.8万人。"
    assert years("志愿服务季度情况", text) == (2023,)


def test_last_year_in_a_comparison_is_not_resolved():
    text = "发布日期:2023-04-02\n全市无偿献血人数较去年增长6%,比去年多设献血点5个。"
    assert years("无偿献血情况", text) == (2023,)   # only the page's own date is left


def test_report_issued_next_year_covers_the_year_reported_on():
    text = "2022年,我局共开展普法宣传活动46场。2022年全年受理法律援助案件310件。\n某区司法局\n2023年1月10日"
    assert years("普法工作情况汇报", text) == (2022,)
    assert years("普法工作情况汇报", "2022年,我局共开展普法宣传活动46场。",
                 issue_date=datetime.date(2023, 1, 10)) == (2022,)


def test_notice_dated_in_the_year_of_its_activity():
    text = ("各社区:\n为做好2023年“我们的节日·端午”主题活动,现将有关事项通知如下。\n"
            "某街道文明办\n2023年3月1日")
    decision = detect_years("关于开展端午节主题活动的通知", text)
    assert decision.years == (2023,) and decision.source == "body"


def test_publication_line_is_not_the_period():
    text = "发布时间:2023-01-10 09:30 来源:区文明办\n2022年,全区共评选身边好人25名。"
    assert years("身边好人评选回顾", text) == (2022,)


def test_date_with_clock_time_is_the_publication():
    text = "2021年12月30日 10:15 来源:本站\n2020年以来,社区累计开展文明实践活动300余场。今年新增志愿者400人。"
    assert years("社区文明实践工作回顾", text) == (2020, 2021)


def test_placeholder_years_give_nothing():
    assert years("20xx年度机关作风建设工作总结", "自20XX年起,我局坚持每月开展作风督查。") == ()
    assert years("二〇XX年度志愿服务计划", "20××年计划开展活动12场。") == ()


def test_future_target_in_a_news_report_is_not_covered():
    text = "今年将新建社区书屋5家,2026年实现行政村全覆盖。"
    assert years("农家书屋建设稳步推进", text, issue_date=datetime.date(2023, 8, 10)) == (2023,)


def test_vision_year_is_a_target():
    assert years("", "结合2035年远景目标,2024年全市建成口袋公园20个。") == (2024,)


# ---- 文号 (doc numbers) ---------------------------------------------------------------------------

def test_doc_number_year_is_only_the_documents_date():
    """The year in 〔2022〕12号 says when a document was issued; it does not decide coverage
    when the document names the year of its work."""
    text = "某区文明办文件\n区文明办〔2022〕3号\n现将2021年度文明单位复查情况报告如下。"
    assert years("关于2021年度文明单位复查情况的报告", text) == (2021,)
    assert years("文明单位复查情况的报告", text) == (2021,)


def test_doc_number_is_the_fallback_when_nothing_else_dates_the_document():
    text = "5月9日,县信用办召开会议,传达了《关于开展诚信主题宣传月活动的通知》(县信用办〔2018〕9号)精神。"
    decision = detect_years("县信用办召开诚信宣传动员会", text)
    assert decision.years == (2018,) and decision.source == "date" and decision.confidence < 0.5


def test_title_doc_number_starts_a_plan_that_runs_to_its_target():
    title = "县人民政府关于加快养老服务体系建设的实施意见(县政发〔2022〕11号)"
    text = "二、主要目标。到2024年,全县养老机构护理型床位占比达到55%。"
    assert years(title, text) == (2022, 2023, 2024)


# ---- plans ---------------------------------------------------------------------------------------

def test_plan_with_range_in_title_covers_all_years():
    assert years("某市文明城市创建三年行动计划(2021—2023年)") == (2021, 2022, 2023)


def test_plan_without_year_in_title_runs_from_issue_to_target():
    text = "某市文件\n市办发〔2021〕5号\n到2023年,全市新时代文明实践站实现全覆盖。"
    assert years("新时代文明实践中心建设实施方案", text) == (2021, 2022, 2023)


def test_plan_runs_to_the_end_of_the_programme_it_implements():
    text = ("市卫生健康委员会文件\n市卫健发〔2023〕8号\n"
            "为贯彻《全国健康城市建设行动方案(2022—2025年)》,结合我市实际,制定本方案。")
    assert years("关于印发《健康城市建设工作方案》的通知", text) == (2023, 2024, 2025)


def test_referenced_programme_range_does_not_cover_a_news_report():
    text = "2022年,我县认真落实《全民健身计划(2021—2025年)》,开展社区健身指导6次。"
    assert years("我县开展社区健身指导", text) == (2022,)


# ---- relative years and “since” --------------------------------------------------------------------

def test_this_year_resolved_against_the_documents_own_date():
    assert years("禁毒宣传月活动", "发布日期:2017-06-20\n今年的禁毒宣传月以珍爱生命为主题。") == (2017,)
    assert years("背街小巷整治", "今年以来全区整治背街小巷46条。", issue_date="2020-10-09") == (2020,)


def test_this_year_without_a_date_gives_nothing():
    assert years("背街小巷整治", "今年以来全区整治背街小巷46条。") == ()


def test_since_covers_the_start_and_the_report_year():
    text = "发布:2021-03-18\n自2017年启动老旧小区改造以来,全区累计改造小区88个,今年计划再改造30个。"
    assert years("老旧小区改造", text) == (2017, 2021)


def test_since_without_a_report_year_gives_nothing():
    decision = detect_years("检查社区议事会", "检查组翻阅了2014年以来该社区的议事记录。")
    assert decision.years == () and "2014年以来" in decision.reason


# ---- which signal wins ---------------------------------------------------------------------------

def test_title_is_stronger_than_the_body():
    text = "2020年我市获评提名城市。2020年以来持续巩固。2020年群众满意度较高。"
    decision = detect_years("2021年创建工作总结", text)
    assert decision.years == (2021,)
    assert decision.confidence < 0.9           # the body disagrees: worth a look


def test_secondary_year_in_the_body_is_left_out():
    text = ("2022年,全区开展志愿服务活动1200场。2022年新增注册志愿者5000人。"
            "2022年评选最美志愿者20名。全区于2015年成立志愿者协会。")
    assert years("志愿服务工作情况", text) == (2022,)


def test_year_inside_book_title_in_body_weighs_less():
    text = "根据《2019年志愿服务工作方案》要求,2021年我区开展学雷锋活动36场。"
    assert years("学雷锋活动开展情况", text) == (2021,)


def test_file_name_carries_the_year():
    decision = detect_years("学雷锋活动简报", "3月5日,我校组织师生走进社区开展志愿服务。",
                            "资料组/宣传部/2022年学雷锋活动简报.docx")
    assert decision.years == (2022,) and decision.source == "filename"


def test_file_name_date_is_only_a_date():
    decision = detect_years("活动照片说明", "志愿者在社区清理小广告。", "20220305_活动照片说明.docx")
    assert decision.years == (2022,) and decision.source == "date"


def test_body_is_stronger_than_the_file_name():
    assert years("工作总结", "2021年,我办共组织督查12次。", "2022年材料/工作总结.docx") == (2021,)


def test_issue_date_is_the_last_resort():
    decision = detect_years("社区开展消防疏散演练", "9月14日,社区联合辖区学校开展消防疏散演练。",
                            issue_date=datetime.date(2024, 9, 15))
    assert decision.years == (2024,) and decision.source == "date" and decision.confidence < 0.5


def test_nothing_to_tell():
    decision = detect_years("网格员走访独居老人", "近日,社区网格员走访独居老人,了解生活需求。")
    assert decision.years == () and decision.confidence == 0.0 and decision.reason


def test_traditional_characters_and_pinyin_glosses():
    text = "2019年全區城鎮新增就業3200人,較2018年增加(jiā)150人。"
    assert years("就業情況", text) == (2019,)


def test_enumerated_years_are_each_covered():
    assert years("", "2018、2019、2020年连续三年获评全省志愿服务先进单位。") == (2018, 2019, 2020)


def test_year_from_which_a_rule_applies():
    assert years("", "市委、市政府2019年出台实施意见,2020年起全面推行门前三包。") == (2019, 2020)


def test_plan_citing_an_older_document_starts_at_its_own_years():
    text = ("根据《国务院关于加强道路交通安全工作的意见》(国发〔2016〕5号),结合实际,制定本方案。"
            "2023年,全市开展文明交通劝导。到2025年,文明交通劝导实现全覆盖。")
    assert years("某市文明交通行动实施方案", text) == (2023, 2024, 2025)


def test_past_result_written_like_a_target_counts_once_the_date_is_known():
    text = "2021年实现社会消费品零售总额52.6亿元。\n某县统计局\n2022年3月28日"
    assert years("消费市场简况", text) == (2021,)
    assert years("消费市场简况", "2021年实现社会消费品零售总额52.6亿元。") == ()
