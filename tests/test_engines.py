"""A workspace switches its full-text engine with one line of dossier.toml and `dossier reindex`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cli import main
from examples.docgen import write_docx, write_txt

QUERIES = ["志愿服务", "文明城市 AND 志愿", "垃圾分类 OR 统计公报", "2024年", "志愿 NOT 垃圾分类", "文"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("engines")
    src = base / "材料"
    for n in range(12):
        folder = src / ("团市委" if n % 2 else "市城管局")
        body = ["2024年全市开展志愿服务活动。" if n % 3 else "垃圾分类工作稳步推进。",
                f"文明城市创建第{n}项工作，共计{100 + n}人参加。"]
        if n % 4 == 0:
            write_txt(folder / f"统计公报{n}.txt", f"2023年统计公报{n}\n" + "\n".join(body), encoding="utf-8")
        else:
            write_docx(folder / f"工作总结{n}.docx", f"工作总结{n}", body)
    ws = base / "工作区"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(ws), "--assessment-year", "2026"]).exit_code == 0
    assert runner.invoke(main, ["-w", str(ws), "ingest", str(src)]).exit_code == 0
    return ws


def _answers(ws) -> dict[str, list]:
    runner = CliRunner()
    out = {}
    for query in QUERIES:
        result = runner.invoke(main, ["-w", str(ws), "search", query, "--json", "--limit", "100"])
        assert result.exit_code == 0, result.output
        out[query] = sorted((hit["id"], hit["snippet"], hit["page"]) for hit in json.loads(result.output))
    return out


def _set_engine(ws, engine: str) -> None:
    config = ws / "dossier.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('engine = "whoosh"', f'engine = "{engine}"')
                      .replace('engine = "tantivy"', f'engine = "{engine}"'), encoding="utf-8")


def test_switching_to_tantivy_and_back_gives_the_same_answers(workspace):
    assert 'engine = "whoosh"' in (workspace / "dossier.toml").read_text(encoding="utf-8")
    before = _answers(workspace)
    assert all(before[q] for q in QUERIES)
    runner = CliRunner()
    _set_engine(workspace, "tantivy")
    assert runner.invoke(main, ["-w", str(workspace), "reindex"]).output == "已重建索引：12 份文件\n"
    assert runner.invoke(main, ["-w", str(workspace), "verify"]).exit_code == 0
    assert _answers(workspace) == before
    _set_engine(workspace, "whoosh")
    # Without `reindex` the next search finds the index is another engine's and rebuilds it.
    assert _answers(workspace) == before
    assert runner.invoke(main, ["-w", str(workspace), "verify"]).exit_code == 0


def test_an_unknown_engine_is_one_clear_line(workspace, tmp_path):
    _set_engine(workspace, "lucene")
    try:
        result = CliRunner().invoke(main, ["-w", str(workspace), "search", "志愿"])
        assert result.exit_code == 1
        assert "[search] engine 只能是 whoosh、tantivy" in result.output and result.output.count("\n") == 1
    finally:
        _set_engine(workspace, "whoosh")
        text = (workspace / "dossier.toml").read_text(encoding="utf-8").replace('engine = "lucene"', 'engine = "whoosh"')
        (workspace / "dossier.toml").write_text(text, encoding="utf-8")
    assert CliRunner().invoke(main, ["init", str(tmp_path / "t"), "--engine", "tantivy"]).exit_code == 0
    assert 'engine = "tantivy"' in (tmp_path / "t" / "dossier.toml").read_text(encoding="utf-8")
