"""The automatic pass over a real catalogue: decisions with provenance that never override a person,
retag (and --dry-run), and the review queue's order."""
import copy
import os
import shutil

import pytest

from archive import catalogue
from archive.catalogue.database import Transaction
from archive.ingest.run import ingest
from archive.workspace import init_workspace
from archive.catalogue import decisions as decisions
from dossier.judge.classify import classify_documents, retag, tagging_paths
from archive.catalogue.decisions import AutoTag
from dossier.judge.review import review_queue
from dossier.systems.model import System, load_system
from examples.docgen import write_docx, write_txt, write_xlsx

REQUIRED = {"statistics": 2, "activity": 3}
VOLUNTEER_STATS = [["指标", "2023年", "2024年"], ["注册志愿者人数", 98000, 110000], ["志愿服务组织数", 420, 465]]


def build_tree(root):
    write_xlsx(root / "团市委" / "Ⅲ-42 志愿服务" / "2024年注册志愿者统计表.xlsx", {"2024年": VOLUNTEER_STATS})
    write_docx(root / "团市委" / "2023年学雷锋志愿服务活动总结.docx", "2023年学雷锋志愿服务活动总结",
               ["2023年，团市委组织开展学雷锋志愿服务活动120场，注册志愿者参与4万人次。",
                "各志愿服务队深入社区，开展关爱空巢老人、文明交通劝导等志愿服务活动。"],
               issuer="团市委", date="2024年1月8日")
    write_docx(root / "市委宣传部" / "2024年公益广告宣传工作方案.docx", "2024年公益广告宣传工作方案",
               ["为做好2024年公益广告宣传工作，制定本方案。", "在主要街道、公交站台刊播讲文明树新风公益广告。"])
    write_txt(root / "市文广新局" / "全民阅读" / "读书活动简报.txt",
              "读书活动简报\n2022年4月，市图书馆举办读书节，开展阅读推广活动20场。")
    write_txt(root / "市政府办" / "会议纪要.txt", "会议纪要\n会议研究了近期有关事项，要求各单位认真抓好落实。")
    (root / "市统计局").mkdir(parents=True, exist_ok=True)
    (root / "市统计局" / "空文件.docx").write_bytes(b"")


@pytest.fixture()
def setup(tmp_path):
    root = tmp_path / "收到的材料"
    build_tree(root)
    ws, _ = init_workspace(tmp_path / "ws", assessment_year=2025)
    system = load_system("civilized-city")

    def after_insert(conn, ids):
        classify_documents(conn, system, ids)

    summary = ingest(ws, [root], after_insert=after_insert, workers=2)
    conn = catalogue.connect(ws.catalog_path)
    yield ws, root, system, conn, after_insert, summary
    conn.close()


def doc_id(conn, name):
    return conn.execute("SELECT doc_id FROM sources WHERE name = ?", (name,)).fetchone()[0]


def tags_of(conn, doc):
    return {r["code"]: (r["source"], r["status"]) for r in conn.execute("SELECT * FROM tags WHERE doc_id = ?", (doc,))}


def years_of(conn, doc):
    return {r["year"]: r["source"] for r in conn.execute("SELECT year, source FROM doc_years WHERE doc_id = ?", (doc,))}


def snapshot(conn):
    return (conn.execute("SELECT doc_id, code, source, confidence, status, reason FROM tags ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT * FROM doc_years ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT id, kind, kind_source, kind_confidence, kind_reason FROM documents ORDER BY id").fetchall(),
            conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])


# -- the automatic pass -----------------------------------------------------------------------

def test_ingest_classifies_new_documents_with_provenance(setup):
    ws, root, system, conn, _, summary = setup
    assert summary.added == 5 and len(summary.failed) == 1
    stats = doc_id(conn, "2024年注册志愿者统计表.xlsx")
    assert tags_of(conn, stats)["Ⅲ-42"] == ("path", "auto")
    assert 2024 in years_of(conn, stats)
    summary_doc = doc_id(conn, "2023年学雷锋志愿服务活动总结.docx")
    assert "Ⅲ-114" in tags_of(conn, summary_doc)
    assert years_of(conn, summary_doc) == {2023: "rule"}
    ads = doc_id(conn, "2024年公益广告宣传工作方案.docx")
    assert tags_of(conn, ads) == {"Ⅲ-116": ("rule", "auto")}
    assert conn.execute("SELECT kind, kind_source FROM documents WHERE id = ?", (ads,)).fetchone()[:] == ("activity", "rule")
    reading = doc_id(conn, "读书活动简报.txt")
    assert tags_of(conn, reading)["Ⅲ-119"] == ("path", "auto")
    reason = conn.execute("SELECT reason FROM tags WHERE doc_id = ? AND code = 'Ⅲ-119'", (reading,)).fetchone()[0]
    assert "文件夹名含 全民阅读" in reason
    assert tags_of(conn, doc_id(conn, "会议纪要.txt")) == {}
    failed = conn.execute("SELECT id FROM documents WHERE status = 'failed'").fetchall()
    for (fid,) in failed:       # failed documents get no decisions
        assert tags_of(conn, fid) == {} and years_of(conn, fid) == {}
    assert conn.execute("SELECT COUNT(*) FROM events WHERE action = 'auto-tags'").fetchone()[0] >= 4


def test_paths_are_cut_at_the_department_folder():
    assert tagging_paths(["/home/u/Ⅲ-1 材料/团市委/Ⅲ-42/a.docx"], "团市委") == ["团市委/Ⅲ-42/a.docx"]
    assert tagging_paths(["/home/u/全民阅读/x/y/z/a.docx"], None) == ["y/z/a.docx"]


def test_classify_runs_inside_the_callers_transaction(setup):
    ws, root, system, conn, *_ = setup
    ads = doc_id(conn, "2024年公益广告宣传工作方案.docx")
    with Transaction(conn):
        decisions.set_auto_tags(conn, ads, [])
    before = snapshot(conn)
    conn.execute("BEGIN IMMEDIATE")
    changes = classify_documents(conn, system, [ads])
    assert [c.added for c in changes] == [["Ⅲ-116"]]
    conn.execute("ROLLBACK")
    assert snapshot(conn) == before


# -- a person's decisions stick ---------------------------------------------------------------

def test_manual_removal_survives_retag_and_reingest(setup):
    ws, root, system, conn, after_insert, _ = setup
    stats = doc_id(conn, "2024年注册志愿者统计表.xlsx")
    with Transaction(conn):
        decisions.remove_manual_tag(conn, stats, "Ⅲ-42")
    assert tags_of(conn, stats)["Ⅲ-42"] == ("manual", "rejected")

    changes = retag(conn, system)
    assert all("Ⅲ-42" not in c.added for c in changes if c.doc_id == stats)
    assert tags_of(conn, stats)["Ⅲ-42"] == ("manual", "rejected")

    # the same tree again, a touched file, and the same content under a new name
    path = root / "团市委" / "Ⅲ-42 志愿服务" / "2024年注册志愿者统计表.xlsx"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    shutil.copy(path, root / "团市委" / "Ⅲ-42 志愿服务" / "副本-注册志愿者统计表.xlsx")
    summary = ingest(ws, [root], after_insert=after_insert, workers=2)
    assert summary.added == 0
    assert tags_of(conn, stats)["Ⅲ-42"] == ("manual", "rejected")
    retag(conn, system)
    assert tags_of(conn, stats)["Ⅲ-42"] == ("manual", "rejected")


def test_manual_add_years_and_kind_survive_retag(setup):
    ws, root, system, conn, *_ = setup
    memo = doc_id(conn, "会议纪要.txt")
    ads = doc_id(conn, "2024年公益广告宣传工作方案.docx")
    with Transaction(conn):
        decisions.add_manual_tag(conn, memo, "Ⅲ-98")
        decisions.set_manual_years(conn, ads, [2023, 2024])
        decisions.set_manual_kind(conn, ads, "statistics")
    changes = retag(conn, system)
    assert tags_of(conn, memo) == {"Ⅲ-98": ("manual", "accepted")}
    assert years_of(conn, ads) == {2023: "manual", 2024: "manual"}
    assert conn.execute("SELECT kind, kind_source FROM documents WHERE id = ?", (ads,)).fetchone()[:] == ("statistics", "manual")
    assert not [c for c in changes if c.doc_id in (memo, ads)]


# -- retag ------------------------------------------------------------------------------------

def changed_system(system: System) -> System:
    """The same system where 全民阅读 is renamed and 会议纪要 becomes a keyword of Ⅲ-99."""
    data = copy.deepcopy(system.data)
    for part in data["parts"]:
        for content in part["contents"]:
            for ind in content["indicators"]:
                if ind["code"] == "Ⅲ-119":
                    ind["name"], ind["keywords"] = "书香城市建设", ["书香城市"]
                if ind["code"] == "Ⅲ-99":
                    ind["keywords"] = list(ind["keywords"]) + ["会议纪要"]
    return System.from_data(data)


def test_retag_without_changes_reports_nothing(setup):
    ws, root, system, conn, *_ = setup
    assert retag(conn, system) == []


def test_retag_reports_what_changed_after_a_system_change(setup):
    ws, root, system, conn, *_ = setup
    reading, memo = doc_id(conn, "读书活动简报.txt"), doc_id(conn, "会议纪要.txt")
    changes = {c.doc_id: c for c in retag(conn, changed_system(system))}
    assert "Ⅲ-119" in changes[reading].removed
    assert changes[memo].added == ["Ⅲ-99"]
    assert "Ⅲ-119" not in tags_of(conn, reading)
    assert tags_of(conn, memo)["Ⅲ-99"] == ("rule", "auto")
    # and back: the original system restores the original tags
    back = {c.doc_id: c for c in retag(conn, system)}
    assert "Ⅲ-119" in back[reading].added and back[memo].removed == ["Ⅲ-99"]


def test_retag_dry_run_changes_nothing(setup):
    ws, root, system, conn, *_ = setup
    before = snapshot(conn)
    changes = retag(conn, changed_system(system), dry_run=True)
    assert changes, "the dry run must still say what would change"
    assert snapshot(conn) == before
    assert not conn.in_transaction
    assert retag(conn, system, dry_run=True, doc_ids=[doc_id(conn, "会议纪要.txt")]) == []


# -- review -----------------------------------------------------------------------------------

def test_review_queue_orders_by_coverage_gain(setup):
    ws, root, system, conn, *_ = setup
    stats = doc_id(conn, "2024年注册志愿者统计表.xlsx")
    summary_doc = doc_id(conn, "2023年学雷锋志愿服务活动总结.docx")
    ads = doc_id(conn, "2024年公益广告宣传工作方案.docx")
    reading = doc_id(conn, "读书活动简报.txt")
    memo = doc_id(conn, "会议纪要.txt")
    with Transaction(conn):
        # ads: a weak tag on an indicator nobody else covers → its decision fills a gap
        decisions.set_auto_tags(conn, ads, [AutoTag("Ⅲ-116", "rule", 0.35, "正文 1 次 公益广告")])
        decisions.set_auto_years(conn, ads, [2024], "rule", "")
        decisions.set_auto_kind(conn, ads, "activity", "rule", 0.9, "")
        # summary: as weak, but a person already filed another document for the same cell
        decisions.set_auto_tags(conn, summary_doc, [AutoTag("Ⅲ-114", "rule", 0.35, "正文 1 次 学雷锋")])
        decisions.set_auto_years(conn, summary_doc, [2023], "rule", "")
        decisions.set_auto_kind(conn, summary_doc, "activity", "rule", 0.9, "")
        decisions.add_manual_tag(conn, reading, "Ⅲ-114")
        decisions.remove_manual_tag(conn, reading, "Ⅲ-119")
        decisions.set_manual_years(conn, reading, [2023])
        decisions.set_manual_kind(conn, reading, "activity")
        # stats: filed by folder, but only 2015 → outside every window
        decisions.set_auto_years(conn, stats, [2015], "rule", "")
    queue = review_queue(conn, system, 2025, REQUIRED)
    order = [item.doc_id for item in queue]
    assert reading not in order                        # a person decided everything
    assert order.index(ads) < order.index(summary_doc)
    items = {item.doc_id: item for item in queue}
    assert items[ads].problems == ["标签置信度低 (0.35)"]
    assert "Ⅲ-116 活动材料 2024" in items[ads].gaps
    assert items[summary_doc].gaps == []
    assert "无指标标签" in items[memo].problems
    assert any(p.startswith("信号冲突：年份 2015") for p in items[stats].problems)
    assert all(isinstance(s, dict) and {"code", "confidence", "reason"} <= set(s) for i in queue for s in i.suggestions)


def test_review_flags_folder_against_text(setup):
    ws, root, system, conn, *_ = setup
    ads = doc_id(conn, "2024年公益广告宣传工作方案.docx")
    with Transaction(conn):
        decisions.set_auto_tags(conn, ads, [AutoTag("Ⅲ-42", "path", 0.95, "文件夹名含编号 Ⅲ-42"),
                                            AutoTag("Ⅲ-116", "rule", 0.8, "标题含 公益广告宣传")])
    item = next(i for i in review_queue(conn, system, 2025, REQUIRED) if i.doc_id == ads)
    assert "信号冲突：路径指向 Ⅲ-42，正文指向 Ⅲ-116" in item.problems
