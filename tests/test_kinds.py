"""Kind detection: statistics (figures) or activity (the record of work, institutions included)."""
from __future__ import annotations

import pytest

from dossier.judge.kinds import KindDecision, detect_kind

NARRATIVE = "近日,街道组织志愿者走进养老院,为老人理发、打扫房间,陪老人聊天,现场气氛温馨。"
FIGURES = ("全年全县粮食总产量18.6万吨,比上年增长2.3%。规模以上工业企业达到146家,工业增加值增长8.4%;"
           "固定资产投资同比增长11.2%。年末城镇调查失业率为2.9%,比上年末下降0.2个百分点。"
           "全年接待游客人次增长15.6%。")


def kind(title: str, text: str = NARRATIVE, filename: str = "", **kw) -> str | None:
    return detect_kind(title, text, filename, **kw).kind


@pytest.mark.parametrize("title", [
    "2022年某县国民经济和社会发展统计公报",
    "某市统计年鉴(2022)",
    "2021年公共体育设施数据表",
    "2022年第三季度空气质量监测数据",
    "全区2022年志愿服务情况统计表",
    "2024年注册志愿者统计台账",            # a ledger of figures, not of work (志愿服务活动台账 stays activity)
    "城市公共文化设施数据台账",
    "2023年年鉴表：文化事业",
])
def test_statistics_titles(title):
    decision = detect_kind(title, NARRATIVE)
    assert decision.kind == "statistics" and decision.confidence >= 0.8 and "标题含" in decision.reason


@pytest.mark.parametrize("title", [
    "2023年文明交通志愿服务活动方案",
    "关于开展文明交通劝导活动的通知",
    "2022年新时代文明实践工作总结",
    "创建文明城市工作简报(第12期)",
    "志愿服务活动台账",
    "机关文明餐桌管理制度",
    "某市志愿服务促进办法",
    "某区门前三包责任区管理规定",
    "关于加强新时代文明实践工作的意见",
    "某局2023年政府信息公开工作年度报告",
])
def test_activity_and_institutional_titles(title):
    assert kind(title) == "activity"


def test_information_disclosure_report_is_activity_even_with_figures():
    decision = detect_kind("某局2022年政府信息公开工作年度报告", FIGURES)
    assert decision.kind == "activity" and "信息公开" in decision.reason


def test_type_word_that_ends_last_decides():
    assert kind("关于印发《2022年统计工作要点》的通知", FIGURES) == "activity"
    assert kind("《2021年全国水资源状况公报》发布") == "statistics"
    assert kind("关于报送2022年度统计数据的通知") == "activity"


def test_meeting_communique_is_not_statistics():
    assert kind("中共某市委十二届五次全会公报") == "activity"


def test_big_data_is_not_statistics():
    assert kind("某市大数据中心建设方案") == "activity"


def test_untitled_figures_are_statistics():
    decision = detect_kind("全区经济运行情况", FIGURES)
    assert decision == KindDecision("statistics", decision.confidence, decision.reason)
    assert "统计用语密度" in decision.reason


def test_news_with_a_few_numbers_stays_activity():
    text = ("3月31日,全县植树月活动落下帷幕。活动期间,乡镇组织义务植树,参与群众2.1万人次,"
            "栽植苗木15万株,新增绿化面积800亩,群众爱绿护绿意识明显增强。")
    assert kind("全县植树月活动圆满结束", text) == "activity"


def test_reporting_title_with_dense_figures_is_statistics():
    decision = detect_kind("关于2022年全市空气质量情况的通报", FIGURES)
    assert decision.kind == "statistics" and "通报" in decision.reason


def test_table_ratio_from_the_extractor():
    assert kind("体育设施情况", "全县体育场地数量、面积等情况见下表。", table_ratio=0.8) == "statistics"
    assert kind("体育设施情况", "全县体育场地数量、面积等情况见下表。", table_ratio=0.1) == "activity"


def test_table_rows_in_text():
    text = ("指标 | 2023年 | 2022年\n体育场地(个) | 860 | 812\n人均体育场地面积(平方米) | 2.6 | 2.4\n"
            "经常参加锻炼人数比例(%) | 38.0 | 36.5")
    assert kind("体育设施指标", text) == "statistics"


def test_file_name_type_word_when_title_has_none():
    decision = detect_kind("", "2022年全区文化设施情况见附表。", "资料组/2022年公共文化设施统计表.xlsx")
    assert decision.kind == "statistics" and "文件名" in decision.reason


def test_title_type_word_beats_file_name():
    assert kind("2022年志愿服务工作总结", NARRATIVE, "统计表/总结.docx") == "activity"


def test_traditional_characters_and_pinyin_glosses():
    assert kind("2018年某縣統(tǒng)計(jì)年鑒(jiàn)") == "statistics"
    assert kind("關於開展文明交通活動的通知") == "activity"


def test_too_little_text_gives_no_kind():
    decision = detect_kind("", "")
    assert decision.kind is None and decision.confidence == 0.0
    assert detect_kind("图片", "见附件").kind is None


def test_plain_narrative_defaults_to_activity_with_modest_confidence():
    decision = detect_kind("社区新风貌", NARRATIVE)
    assert decision.kind == "activity" and decision.confidence < 0.8


def test_statistical_analysis_report_is_statistics():
    assert kind("关于2022年度志愿服务数据的统计分析报告") == "statistics"


def test_news_of_a_meeting_that_quotes_scores_stays_activity():
    text = "会上通报了1-5月测评得分情况,全市平均得分85.3分,较上月提高2.1分,环比上升。"
    decision = detect_kind("文明城市创建工作推进会召开", text)
    assert decision.kind == "activity" and "推进会" in decision.reason


def test_one_percentage_in_a_short_text_is_not_statistics():
    assert kind("社区志愿者招募", "社区志愿者注册率达到85%,欢迎居民报名参加。") == "activity"


def test_a_spreadsheet_of_activities_is_a_record_of_work():
    rows = "\n".join(f"{n}\t社区志愿服务\t2024年3月{n}日\t人民公园\t{30 + n}\t王{n}" for n in range(1, 12))
    text = "序号\t活动名称\t时间\t地点\t参与人数\t负责人\n" + rows
    assert kind("2024年志愿服务活动开展情况登记表", text, table_ratio=1.0) == "activity"


def test_a_body_mostly_of_figures_is_statistics_whatever_the_title_says():
    rows = "\n".join(f"{name}\t{a}\t{b}\t{c}" for name, a, b, c in
                     [("志愿者人数", 1200, 1350, 1480), ("志愿服务时长", 35000, 38000, 41000), ("志愿服务站", 86, 92, 101),
                      ("服务项目", 40, 44, 47), ("参与人次", 9000, 9800, 10400)])
    text = "指标\t2022\t2023\t2024\n" + rows
    assert kind("志愿服务工作方案附表", text, table_ratio=1.0) == "statistics"


@pytest.mark.parametrize("title", ["关于2025年城乡居民收入有关数据的报告", "2024年人口数据报告", "2023年志愿服务统计台账"])
def test_data_reports_and_ledgers_of_statistics(title):
    assert kind(title, "全市情况如下。") == "statistics"


def test_figures_in_a_news_item_are_results_of_work():
    body = ("本报讯（记者 周晓岚）今年以来，东湖区推行垃圾分类绿色账户，覆盖率达到91%，比去年同期提高23个百分点。"
            "一季度厨余垃圾日均分出量186吨，同比增长17.4%。居民积极参与分类投放。"
            "为破解最后一米难题，东湖区组建了由社区干部、物业人员、志愿者组成的桶边督导队伍，每天早晚高峰在投放点值守，"
            "手把手指导居民分类投放。区里还对投放点进行标准化改造，统一设置洗手池、照明灯和防雨棚，实现分类收集、分类运输。"
            "锦绣花园小区居民王阿姨说，以前垃圾混在一起扔，现在分好类投进去还能攒积分换洗衣液，大家的习惯慢慢养成了。")
    assert kind("东湖区垃圾分类绿色账户覆盖九成小区", body) == "activity"


@pytest.mark.parametrize("title", ["食品安全监督抽检信息通告（2023年第3期）", "2018年第2批产品质量监督抽查结果公告",
                                   "岚阳市地表水环境质量状况（2022年第三季度）", "2023年度市民对创建工作满意度调查报告"])
def test_results_of_inspections_monitoring_and_surveys_are_statistics(title):
    assert kind(title, "现将有关情况通告如下。") == "statistics"


def test_serial_numbers_telephones_and_quota_tables_are_not_figures():
    sign_in = "序号\t姓名\t单位\t电话\n" + "\n".join(f"{n}\t张{n}\t市文明办\t1380000000{n}" for n in range(1, 9))
    assert kind("学雷锋志愿服务活动签到表", sign_in, table_ratio=1.0) == "activity"
    quota = ("为深入开展学雷锋志愿服务活动，现将有关事项通知如下。各单位要高度重视，精心组织，按时报送活动信息。\n"
             "一、活动时间为3月1日至31日。\n二、各单位名额分配如下：\n"
             + "\n".join(f"{n}\t市直单位{n}\t20\t3" for n in range(1, 6)) + "\n三、请于3月31日前报送总结。")
    assert kind("关于开展学雷锋志愿服务活动的通知", quota) == "activity"
