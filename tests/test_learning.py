"""The learned model: suggestions from the documents people filed, never over a person's decision."""
from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from cli import main
from dossier.judge.learning import DecisionModel, Example
from dossier.judge.ranking import Suggestion, merge
from examples.docgen import write_docx

# A practice no indicator's words name: only the data group's own filings can teach where it goes
# (the tests file it under Ⅲ-45; any code would do, the point is that only people said so).
READING = ["萤火虫夜读会在城东书屋举行，四十位居民共读一本书并交流读后感。",
           "夜读会由社区读书角志愿者组织，每月第二个周五晚上开放。",
           "本期夜读会共读散文集，居民在书屋留言簿写下读书笔记。"]
RIVER = ["城南湿地观鸟季开幕，观鸟爱好者记录到白鹭和苍鹭等鸟类。",
         "观鸟季期间湿地步道设置观鸟屏，讲解员介绍候鸟迁徙知识。",
         "观鸟记录汇编成册，湿地保护站发放观鸟手册。"]


def _example(doc_id: int, sentences: list[str], codes: tuple[str, ...]) -> Example:
    return Example(doc_id, sentences[0][:10], "\n".join(sentences), codes)


def test_nearest_decided_documents_suggest_their_indicator():
    model = DecisionModel([_example(1, READING, ("Ⅲ-45",)), _example(2, READING[1:] + READING[:1], ("Ⅲ-45",)),
                           _example(3, RIVER, ("Ⅲ-94",))])
    got = model.suggest("萤火虫夜读会第三期", "夜读会在书屋举行，居民共读并写下读书笔记。")
    assert got[0].code == "Ⅲ-45"
    assert set(got[0].neighbours) == {1, 2}
    assert got[0].reason.startswith("与已归入 Ⅲ-45 的文件 ")
    river = model.suggest("湿地观鸟", "观鸟季记录到候鸟，湿地保护站发放观鸟手册。")
    assert river[0].code == "Ⅲ-94" and river[0].neighbours == (3,)


def test_the_model_is_the_same_for_the_same_decisions_and_skips_rejected_codes():
    examples = [_example(1, READING, ("Ⅲ-45", "Ⅲ-46")), _example(2, RIVER, ("Ⅲ-94",))]
    first = DecisionModel(examples).suggest("夜读会", "\n".join(READING))
    again = DecisionModel(list(examples)).suggest("夜读会", "\n".join(READING))
    assert first == again and {s.code for s in first} >= {"Ⅲ-45", "Ⅲ-46"}
    without = DecisionModel(examples).suggest("夜读会", "\n".join(READING), rejected={"Ⅲ-45"})
    assert "Ⅲ-45" not in {s.code for s in without} and "Ⅲ-46" in {s.code for s in without}
    # A decided document does not vote for itself.
    assert DecisionModel(examples).suggest("夜读会", "\n".join(READING), exclude=1) == []


def test_no_decisions_means_no_learned_suggestions():
    assert DecisionModel([]).suggest("夜读会", "\n".join(READING)) == []


def test_merge_ranks_agreement_first_and_never_brings_back_a_rejected_code():
    rules = [Suggestion("Ⅲ-1", 0.6, "rule", "标题含 A"), Suggestion("Ⅲ-2", 0.5, "rule", "标题含 B")]
    learned = DecisionModel([_example(7, READING, ("Ⅲ-2",))]).suggest("夜读会", "\n".join(READING))
    merged = merge(rules, learned)
    assert [s.code for s in merged] == ["Ⅲ-2", "Ⅲ-1"]
    assert merged[0].source == "rule+learned" and "与已归入 Ⅲ-2 的文件 7 相近" in merged[0].reason
    assert [s.code for s in merge(rules, learned, rejected={"Ⅲ-2"})] == ["Ⅲ-1"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("学习")
    src = base / "材料" / "市图书馆"
    for n in range(1, 4):
        sentences = READING[n - 1:] + READING[:n - 1]
        write_docx(src / f"2025年萤火虫夜读会第{n}期.docx", f"2025年萤火虫夜读会第{n}期", sentences)
    write_docx(src / "2025年城南湿地观鸟季.docx", "2025年城南湿地观鸟季", RIVER)
    ws = base / "工作区"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(ws), "--assessment-year", "2026"]).exit_code == 0
    assert runner.invoke(main, ["-w", str(ws), "ingest", str(base / "材料")]).exit_code == 0
    return ws


def _cli(ws, *args: str) -> str:
    result = CliRunner().invoke(main, ["-w", str(ws), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _doc_id(ws, title: str) -> str:
    docs = json.loads(_cli(ws, "docs", "--json"))
    return str(next(d["id"] for d in docs if d["title"] == title))


def test_a_workspace_learns_from_what_people_filed(workspace):
    ws = workspace
    first, second, third = (_doc_id(ws, f"2025年萤火虫夜读会第{n}期") for n in (1, 2, 3))
    before = json.loads(_cli(ws, "show", third, "--json"))
    assert "Ⅲ-45" not in {s["code"] for s in before["suggestions"]}
    assert not any(ws.rglob("learning-vectors.npz"))

    _cli(ws, "tag", first, "--add", "Ⅲ-45")
    _cli(ws, "tag", second, "--add", "Ⅲ-45")
    after = json.loads(_cli(ws, "show", third, "--json"))
    best = after["suggestions"][0]
    assert best["code"] == "Ⅲ-45" and "learned" in best["source"]
    assert best["reason"] in (f"与已归入 Ⅲ-45 的文件 {first}、{second} 相近", f"与已归入 Ⅲ-45 的文件 {second}、{first} 相近")
    review = json.loads(_cli(ws, "review", "--json"))
    item = next(i for i in review if str(i["doc_id"]) == third)
    offered = {s["code"]: s for s in item["suggestions"]}
    assert "learned" in offered["Ⅲ-45"]["source"] and offered["Ⅲ-45"]["reason"].startswith("与已归入 Ⅲ-45")
    for filed in (i for i in review if str(i["doc_id"]) in (first, second)):
        assert filed["suggestions"] == []          # a person has chosen: nothing more to offer
    # The model only suggests: the person's tags are as they were set, and the document it
    # suggests for is not filed by it.
    for ref in (first, second):
        tags = json.loads(_cli(ws, "show", ref, "--json"))["tags"]
        assert [(t["code"], t["source"], t["status"]) for t in tags if t["code"] == "Ⅲ-45"] == [("Ⅲ-45", "manual", "accepted")]
    assert "Ⅲ-45" not in {t["code"] for t in after["tags"]}
    # A person who says no is heard: the code is not suggested again for that document.
    _cli(ws, "tag", third, "--remove", "Ⅲ-45")
    again = json.loads(_cli(ws, "show", third, "--json"))
    assert "Ⅲ-45" not in {s["code"] for s in again["suggestions"]}


def test_learned_vectors_are_kept_and_not_computed_again(workspace):
    ws = workspace
    third = _doc_id(ws, "2025年萤火虫夜读会第3期")
    first = _doc_id(ws, "2025年萤火虫夜读会第1期")
    _cli(ws, "tag", first, "--add", "Ⅲ-45")
    _cli(ws, "show", third, "--json")
    cache = next(ws.rglob("learning-vectors.npz"))
    stamp = cache.stat().st_mtime_ns
    _cli(ws, "show", third, "--json")
    assert cache.stat().st_mtime_ns == stamp
    # A damaged cache is only a cache: computed again, the same suggestions come back.
    before = json.loads(_cli(ws, "show", third, "--json"))["suggestions"]
    good = cache.read_bytes()
    for damage in (b"PK\x03\x04garbage", b"", b"\x93NUMPY", good.replace(b"nodigits", b"digits!!")):
        cache.write_bytes(damage)                  # the last: vectors of another version
        assert json.loads(_cli(ws, "show", third, "--json"))["suggestions"] == before
        with np.load(cache) as data:                # and the cache is whole again
            assert "nodigits" in str(data["version"]) and len(data["ids"]) == len(data["keys"])


def test_a_document_no_term_names_still_gets_the_indicators_its_words_resemble():
    from dossier.judge import MIN_CONFIDENCE, fill_up, rule_suggestions, tagger_for
    from dossier.systems import load_system
    system = load_system("civilized-city")
    title, text = "巡河日志", "河道保洁员每日沿河巡查，清理水面漂浮物，记录排污口和水质情况。"
    candidates = tagger_for(system).candidates(title, text)
    assert len(candidates) < 3 and not tagger_for(system).choose(candidates)   # the rules alone: no tag, few hints
    ranked = rule_suggestions(candidates, resemblances=fill_up(system, title, text, len(candidates)))
    assert len(ranked) == 3
    resembling = [s for s in ranked if s.source == "profile"]
    assert resembling[0].code == "Ⅲ-95"                                   # 水环境功能区水质
    assert "相似度" in resembling[0].reason
    assert all(s.score < MIN_CONFIDENCE for s in resembling)             # a resemblance is never a tag
    # enough found by the rules: nothing to fill up
    assert fill_up(system, title, text, 3) == []


def test_a_workspace_judged_before_suggestions_were_stored_still_gets_them(tmp_path):
    import sqlite3
    src = tmp_path / "材料" / "市水务局"
    write_docx(src / "巡河日志.docx", "巡河日志", ["河道保洁员每日沿河巡查，清理水面漂浮物，记录排污口和水质情况。"])
    ws = tmp_path / "工作区"
    assert CliRunner().invoke(main, ["init", str(ws), "--assessment-year", "2026"]).exit_code == 0
    _cli(ws, "ingest", str(tmp_path / "材料"))
    with sqlite3.connect(ws / "catalog.sqlite") as conn:
        conn.execute("DELETE FROM suggestions")        # as a workspace of the version before them
    item = json.loads(_cli(ws, "review", "--json"))[0]
    assert "无指标标签" in item["problems"] and "Ⅲ-95" in {s["code"] for s in item["suggestions"]}
