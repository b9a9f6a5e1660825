"""The main commands' human output, exactly as a person reads it, in Chinese (CliRunner)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from cli import main
from examples.docgen import write_docx, write_txt


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A workspace with three departments' files: a Word summary, a statistics bulletin, an empty file."""
    base = tmp_path_factory.mktemp("输出")
    src = base / "收到的材料"
    write_docx(src / "团市委" / "2025年志愿服务活动总结.docx", "2025年志愿服务活动总结",
               ["2025年，全市开展志愿服务活动120场，注册志愿者达到3.2万人。", "志愿服务站覆盖所有社区。"],
               doc_number="团发〔2025〕8号", issuer="共青团某市委员会", date="2025年12月20日")
    write_txt(src / "市统计局" / "2024年国民经济和社会发展统计公报.txt",
              "2024年国民经济和社会发展统计公报\n全市地区生产总值比上年增长5.2%。\n城镇居民人均可支配收入增长4.8%。")
    write_txt(src / "市文明办" / "空文件.txt", "")
    runner = CliRunner()
    ws = base / "工作区"
    init = runner.invoke(main, ["init", str(ws), "--assessment-year", "2026", "--deadline", "2026-05-26"])
    ingest = runner.invoke(main, ["-w", str(ws), "ingest", str(src)])
    return base, ws, init, ingest


def _run(city, *args: str, code: int = 0) -> str:
    base, ws, *_ = city
    result = CliRunner().invoke(main, ["-w", str(ws), *args])
    assert result.exit_code == code, result.output
    text = result.output.replace(str(base), "<BASE>")
    return re.sub(r"sha256 [0-9a-f]{16}…", "sha256 <SHA>…", text)


def _plain(city, result) -> str:
    return result.output.replace(str(city[0]), "<BASE>")


def test_init_and_ingest(city):
    _, _, init, ingest = city
    assert _plain(city, init) == "已建立工作区 <BASE>/工作区  （测评体系 civilized-city，测评年份 2026，检索引擎 whoosh，截止 2026-05-26）\n"
    assert _plain(city, ingest) == (
        "新增 2 份，重复 0 份，未变 0 份，失败 1 份\n"
        "  失败 <BASE>/收到的材料/市文明办/空文件.txt：文件是空的（0 字节）：请向报送部门要一份完整的文件\n")


def test_show(city):
    assert _run(city, "show", "1") == """\
2025年志愿服务活动总结  （编号 1，sha256 <SHA>…）
  部门：团市委
  格式：docx
  页数：1
  文号：团发〔2025〕8号
  责任者：共青团某市委员会
  日期：2025-12-20
  状态：正常
  类型：活动  （规则：标题含 总结）
  材料类型：正式发文  （有文号 团发〔2025〕8号 和发文机关 共青团某市委员会）
  年份：2025（规则：标题含 2025年）
  指标：
    Ⅲ-42  自动  规则  0.86  标题含 志愿服务; 正文 3 次 志愿服务、1 次 注册志愿者; 牵头单位一致
    Ⅲ-114  自动  规则  0.81  标题含 志愿服务活动; 正文 2 次 志愿服务活动、1 次 志愿服务; 牵头单位一致
  建议指标：
    Ⅲ-115  0.23  正文 1 次 志愿服务站
  来源：
    <BASE>/收到的材料/团市委/2025年志愿服务活动总结.docx
  ── 正文 ──
共青团某市委员会文件
团发〔2025〕8号
2025年志愿服务活动总结
2025年，全市开展志愿服务活动120场，注册志愿者达到3.2万人。
志愿服务站覆盖所有社区。
共青团某市委员会
2025年12月20日
"""


def test_search(city):
    out = _run(city, "search", "志愿服务")
    assert re.fullmatch(
        r"共 1 份文件匹配\n"
        r"1\. 2025年志愿服务活动总结  （编号 1 · 团市委 · 2025 · 第 1 页 · \d+\.\d\d）\n"
        # A line break between two Chinese characters is no break to search (archive.searchtext).
        r"   共青团某市委员会文件团发〔2025〕8号 2025年【志愿服务】活动总结 2025年，全市开展【志愿服务】活动120场，"
        r"注册志愿者达到3\.2万人。 【志愿服务】站覆盖所有社…\n", out), out
    assert _run(city, "search", "垃圾分类") == "没有匹配的文件\n"


def test_docs_table(city):
    out = _run(city, "docs")
    rows = [line for line in out.splitlines() if line.startswith("│")]
    assert [re.split(r"\s*│\s*", row.strip("│ "))[:6] for row in rows] == [
        ["1", "2025年志愿服务活动总结", "团市委", "docx", "2025", "活动"],
        ["2", "空文件", "市文明办", "empty", "", ""],
        ["3", "2024年国民经济和社会发展统计公报", "市统计局", "txt", "2024", "统计"]]
    assert "失败：文件是空的（0 字节）" in rows[1] and out.endswith("共 3 份文件\n")
    assert _run(city, "docs", "--department", "市卫健委") == "没有符合条件的文件\n"


def test_status_and_coverage(city):
    days = (dt.date(2026, 5, 26) - dt.date.today()).days
    when = f"已逾期 {-days} 天（截止 2026-05-26）" if days < 0 else f"距截止还有 {days} 天（2026-05-26）"
    lines = _run(city, "status").splitlines()
    assert lines[:3] == [f"全国文明城市测评体系 · 2026 年测评 · {when}",
                         "文件 3 份（失败 1，待识别 0，待审核 0）",
                         "齐全指标 0 / 115；完整率 1%"]
    assert lines[3].startswith("完整率最低的部门：")
    assert _run(city, "coverage", "--missing").splitlines()[-1] == \
        "115 个指标中 115 个未齐全：齐全 0，部分缺失 3，缺失 112；完整率 1%"


def test_verify_and_reindex(city):
    assert _run(city, "verify") == "一致：文件 3，原件 3，来源路径 3，已索引 3\n"
    assert _run(city, "reindex") == "已重建索引：3 份文件\n"


def test_a_persons_decision_and_the_dry_run(city):
    assert _run(city, "tag", "3", "--add", "Ⅲ-64", "--kind", "statistics") == \
        "2024年国民经济和社会发展统计公报：指标 Ⅲ-64(已确认), Ⅲ-65(自动)；年份 2024；类型 统计\n"
    assert _run(city, "retag", "--dry-run") == "将改动 0 份文件（试运行：什么也没有写入）\n"
    assert _run(city, "review") == "待人工审核 0 份文件\n"


def test_user_errors_are_one_chinese_line(city):
    assert _run(city, "show", "99", code=1) == "错误：没有文件“99”：请给出文件编号或 sha256 的开头几位（见 dossier docs）\n"
    assert _run(city, "search", "志愿 AND", code=1) == \
        "错误：检索式“志愿 AND”中的 AND 后面缺少词语；要检索这个词本身，请加引号：\"AND\"\n"
    out = _run(city, "tag", "1", "--add", "Ⅲ-999", code=1)
    assert out.startswith("错误：测评体系 civilized-city（全国文明城市测评体系）中没有指标 “Ⅲ-999”") and out.count("\n") == 1


def test_usage_errors_are_chinese_too(city):
    out = _run(city, "search", "--year", "abc", "志愿", code=2)
    assert "错误：'--year' 的值无效" in out and "用法：" in out and "Usage" not in out
    assert "错误：缺少参数 'DOC'" in _run(city, "show", code=2)
    assert "显示本帮助后退出。" in _run(city, "show", "--help")


def test_a_weak_suggestion_is_offered_as_a_lead_not_as_advice():
    from dossier.console.lines import review_lines
    from dossier.judge import ReviewItem
    sure = ReviewItem(7, "志愿服务总结", "团市委", ["标签置信度低 (0.45)"], 1.0,
                      [{"code": "Ⅲ-42", "name": "志愿服务", "confidence": 0.45, "reason": "标题含 志愿服务"}])
    weak = ReviewItem(8, "固定资产清查报告", "市科技局", ["无指标标签"], 0.5,
                      [{"code": "Ⅲ-99", "name": "文明办机构", "confidence": 0.09, "reason": "相近（相似度 0.09）"}])
    lines = review_lines([sure, weak], 10)
    assert lines[2] == "        建议：dossier tag 7 --add Ⅲ-42   （志愿服务；标题含 志愿服务）"
    assert lines[5] == "        可能是：dossier tag 8 --add Ⅲ-99   （把握不大，请看正文后决定；文明办机构；相近（相似度 0.09））"


def test_coverage_of_only_what_is_missing_still_counts_the_complete_ones():
    from dossier.console.lines import coverage_summary
    from dossier.coverage import CoverageReport
    from dossier.operations import CoverageView
    view = CoverageView(CoverageReport("civilized-city", "全国文明城市测评体系", 2026, None, []), 0.44, 115, complete=16)
    assert coverage_summary(view, missing_only=True).startswith("115 个指标中 0 个未齐全：齐全 16，")
