"""Every written form of a covered year the issue names, and the traps that only mention a year.

Each case is a document as a data group receives it (title, body, sometimes its own date); the
expected years are what it covers, as a careful reader would say.
"""
from __future__ import annotations

import datetime as dt

import pytest

from dossier.judge import detect_years

BASE = dt.date(2024, 6, 15)   # the document's own date where a case needs one

RANGES = [
    ("十四五时期城市绿化规划（2021—2025年）", "", [2021, 2022, 2023, 2024, 2025]),
    ("2024-2026年志愿服务发展计划", "", [2024, 2025, 2026]),
    ("全民健身实施计划(2015-2020年)", "", [2015, 2016, 2017, 2018, 2019, 2020]),
    ("关于2022年至2024年文明创建工作的报告", "", [2022, 2023, 2024]),
    ("2023-2024学年乡村学校少年宫活动记录", "", [2023, 2024]),
    ("2020年度文明单位考评结果", "", [2020]),
    ("二〇二三年普法工作总结", "", [2023]),
    ("两千零二十三年度工作回顾", "", [2023]),
    ("“十三五”生态环境保护规划", "", [2016, 2017, 2018, 2019, 2020]),
    ("“十四五”公共文化服务体系建设规划", "", [2021, 2022, 2023, 2024, 2025]),
    ("“十五五”城市发展规划纲要", "", [2026, 2027, 2028, 2029, 2030]),
    ("2024年1—6月全市空气质量情况", "", [2024]),
    ("2019、2020年文明家庭评选情况", "", [2019, 2020]),
]


@pytest.mark.parametrize("title,body,years", RANGES, ids=[c[0] for c in RANGES])
def test_ranges_and_periods(title, body, years):
    assert list(detect_years(title, body).years) == years


RELATIVE = [
    ("今年以来，全市新建志愿服务站12个。", [2024]),
    ("去年全市共开展文明实践活动300余场。", [2023]),
    ("上年度全市评选文明家庭50户。", [2023]),
    ("明年将继续推进垃圾分类示范小区建设。", [2025]),
    ("本届文明城市创建周期内，全市开展志愿服务活动。", [2024]),
    ("上半年全市新增注册志愿者1.2万人。", [2024]),
    ("前三季度全市受理12345热线诉求8万件。", [2024]),
    ("近三年全市累计建成城市书房20个。", [2022, 2023, 2024]),
]


@pytest.mark.parametrize("body,years", RELATIVE, ids=[c[0][:8] for c in RELATIVE])
def test_relative_years_resolved_against_the_documents_own_date(body, years):
    decision = detect_years("社区工作情况", body, issue_date=BASE)
    assert list(decision.years) == years
    assert "=" in decision.reason          # the reason says what the relative form was taken as


@pytest.mark.parametrize("body", [c[0] for c in RELATIVE], ids=[c[0][:8] for c in RELATIVE])
def test_relative_years_without_a_date_give_nothing(body):
    assert detect_years("社区工作情况", body).years == ()


@pytest.mark.parametrize("dated,body", [
    ("新华社北京2023年3月10日电", "记者从市文明办获悉，今年全市将新建新时代文明实践站50个。"),
    ("本报讯（记者 王芳）2023年3月10日", "今年以来，全市志愿服务活动持续开展。"),
    ("《云岚日报》2023年3月10日 第04版", "今年全市城市书房新增8家。"),
    ("2023年3月10日 星期五", "今年春季植树活动在城东公园举行。"),
    ("发布时间：2023年3月10日", "今年学雷锋志愿服务月活动启动。"),
])
def test_relative_years_read_from_a_dateline_or_an_issue_date(dated, body):
    decision = detect_years("新闻稿", f"{dated}\n{body}")
    assert list(decision.years) == [2023], decision.reason


@pytest.mark.parametrize("title,years", [
    ("庆祝建党100周年主题宣传活动方案", [2021]),
    ("新中国成立70周年群众性主题活动总结", [2019]),
    ("纪念改革开放40周年图片展", [2018]),
])
def test_an_anniversary_is_the_year_it_falls_in(title, years):
    assert list(detect_years(title, "").years) == years


def test_an_anniversary_does_not_outweigh_a_written_year():
    assert list(detect_years("2022年党史学习教育总结", "为庆祝建党100周年，全市开展了系列活动。").years) == [2022]


def test_a_statistics_table_covers_the_years_of_its_columns():
    table = "城市绿地指标年度数据表\n指标\t2016\t2017\t2018\t2019\t2020\t2021\n建成区绿化覆盖率（%）\t40.1\t40.5\t41.0\t41.2\t41.8\t42.3"
    decision = detect_years("城市绿地指标年度数据表", table)
    assert list(decision.years) == [2016, 2017, 2018, 2019, 2020, 2021]
    assert "表头" in decision.reason


def test_table_columns_written_with_nian_and_gaps():
    table = "项目\t2019年\t2021年\t2023年\n志愿者（万人）\t1.1\t1.8\t2.6"
    assert list(detect_years("志愿者人数", table).years) == [2019, 2021, 2023]


def test_a_row_of_figures_is_not_a_header():
    table = "2023年主要指标\n项目\t数值\t增幅\n人口（万）\t2019\t2020\t2021"
    assert list(detect_years("主要指标", table).years) == [2023]


TRAPS = [
    # comparison bases
    ("2023年统计公报", "全市生产总值比上年增长5.2%，同比提高0.3个百分点，较2020年翻一番。", [2023]),
    ("2023年工作总结", "与2021年相比，志愿者人数增加一倍；2022年同期仅有5个站点。", [2023]),
    # history
    ("2023年宪法宣传周活动总结", "1982年宪法颁布以来，宪法历经五次修正。", [2023]),
    ("2024年国家宪法日活动", "现行宪法颁布于1982年，今年是宪法公布施行42周年。", [2024]),
    ("2021年党史学习教育总结", "中国共产党成立于1921年，建党100周年之际全市开展系列活动。", [2021]),
    ("2022年校史展览", "学校始建于1958年，已有六十余年的历史。", [2022]),
    # targets outside a plan
    ("2023年垃圾分类工作总结", "到2025年全市生活垃圾回收利用率达到35%以上，2035年远景目标同步推进。", [2023]),
    # placeholders
    ("20xx年度志愿服务工作总结（模板）", "20XX年，我单位共开展活动X次。", []),
    ("关于做好20××年文明单位申报工作的通知", "请于20××年3月底前报送。", []),
]


@pytest.mark.parametrize("title,body,years", TRAPS, ids=[c[0] for c in TRAPS])
def test_years_only_mentioned_are_not_covered(title, body, years):
    assert list(detect_years(title, body).years) == years


def test_a_plan_covers_the_years_it_plans_for():
    decision = detect_years("全市垃圾分类工作实施方案", "为推进垃圾分类，到2025年实现全覆盖，特制定本方案。",
                            issue_date=dt.date(2023, 3, 1))
    assert list(decision.years) == [2023, 2024, 2025]


def test_a_review_that_plans_the_next_year_covers_both():
    assert list(detect_years("2023年工作总结和2024年工作计划", "").years) == [2023, 2024]


def test_a_signature_in_chinese_numerals_dates_the_document():
    body = "近两年来，全县组织机关单位与行政村结对共建，修订村规民约。\n某县文明办\n二〇一八年十一月"
    decision = detect_years("城乡结对共建的做法", body)
    assert list(decision.years) == [2017, 2018]


def test_the_start_of_a_change_is_a_base_of_comparison():
    body = "公厕总数由2020年底的212座增加到目前的270座。\n某区城管局\n2023年11月"
    assert list(detect_years("公厕建设管理经验", body).years) == [2023]


@pytest.mark.parametrize("body", [
    "2015年以来累计投入义务教育资金6.8亿元。全县2017年通过督导评估。",
    "《法律援助条例》自2003年施行以来，法律援助网络逐步健全。2017年全市办理案件3862件。",
    "1963年诞生于诸暨的枫桥经验历久弥新。2017年全镇调解纠纷326件。",
])
def test_background_history_is_not_covered(body):
    assert list(detect_years("工作情况", body).years) == [2017]


def test_a_review_of_the_past_year_and_the_plan_for_this_one():
    body = "（2022年2月18日）\n过去的一年，全市创建工作取得进展。总结去年工作，在去年的测评中排名第三。今年是决战之年，今年要攻坚，今年上半年完成整改，确保今年圆满完成，今年……"
    assert list(detect_years("在创建工作推进大会上的讲话", body).years) == [2021, 2022]


def test_a_header_line_ending_with_the_date_is_the_documents_date():
    body = "志愿服务工作简报\n南漪市文明办　南漪市志愿服务联合会　　　2019年1月10日\n过去的一年，全市志愿服务组织不断壮大。去年新增志愿者7万人。"
    assert list(detect_years("去年志愿服务工作亮点回顾", body).years) == [2018]


def test_a_newspaper_named_in_a_repost_line_dates_it():
    body = "今年全市将扩大法律援助覆盖面。\n（转自《岚阳法制报》2012年3月7日）"
    assert list(detect_years("法律援助惠及困难群众", body).years) == [2012]


# Ordinary text the new rules must not misread (found in review).
NOT_MISREAD = [
    ("南漪市文明办工作简报 2023年3月", "表彰2022年度先进集体和先进个人，部署今年工作。", [2023]),
    ("活动台账", "序号\t活动\t日期\n1\t植树活动\t2022年3月12日\n2\t学雷锋\t2023年3月5日", [2022, 2023]),
    ("政务服务事项清单（2023年版）", "本清单列明各部门政务服务事项。", [2023]),
    ("人口情况", "全市2022年出生人口3.2万人，2022年出生率为8.1‰。\n某市统计局\n2023年3月1日", [2022]),
    ("垃圾分类工作情况", "由2020年起实施的垃圾分类工作，覆盖范围扩大到全市。\n某市城管局\n2023年3月1日", [2020, 2023]),
    ("项目情况", "该项目提前两年完成，较前三年明显加快。\n某局\n2023年3月1日", [2023]),
    ("关于开展学习活动的通知", "深入学习庆祝中国共产党成立100周年大会上的重要讲话精神。\n市文明办\n2023年3月1日", [2023]),
    ("年终总结", "回顾过去一年，全市志愿服务工作取得新进展。\n某市文明办\n2023年12月20日", [2023]),
    ("人口结构", "全市60岁以上年龄段人口占比持续上升。\n某市统计局\n2023年5月10日", [2023]),
    ("经济运行", "全市生产总值同上年相比增长5%。\n某市统计局\n2023年5月10日", [2023]),
    ("古城介绍", "这座有着两千年文化积淀的古城，街巷保存完好。", []),
    ("回访情况", "2022年3月10日电话回访了50户居民，满意度较高。", [2022]),
]


@pytest.mark.parametrize("title,body,years", NOT_MISREAD, ids=[c[0] for c in NOT_MISREAD])
def test_ordinary_text_is_not_misread(title, body, years):
    assert list(detect_years(title, body).years) == years
