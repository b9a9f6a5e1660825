"""Chinese search is exact: for terms drawn from the texts, search returns exactly the grep set."""
import random
import re
import shutil

import pytest

from archive import catalogue
from archive.catalogue import DocumentFilter
from common.errors import SearchError
from archive.ingest.run import ingest, rebuild_index
from archive.search import search, search_page
from archive.searchtext import fold_script, searchable
from archive.index.backend import IndexedText
from archive.textnorm import CJK_CLASS
from archive.index import open_index
from archive.workspace import init_workspace
from examples.docgen import write_docx, write_txt

# Phrases written for these tests; they share characters so that terms cut across phrases.
PHRASES = [
    "志愿服务活动", "注册志愿者人数", "未成年人思想道德建设", "文明交通劝导", "公共文化服务体系",
    "社区志愿服务站", "学雷锋志愿服务", "文明城市创建工作", "市民文明素质", "城市管理综合执法",
    "生态环境保护", "空气质量优良天数", "垃圾分类工作", "诚信体系建设", "道德模范评选",
    "家庭教育指导", "心理健康教育", "校外活动场所", "公益广告宣传", "新时代文明实践中心",
    "服务群众", "文明单位", "志愿者", "社会组织", "工作总结", "实施方案", "统计数据",
]
SEPARATORS = ["，", "。", "", "、", "；", "\n", " ", "2024年", "共计1200人", "（", "）"]


def _compose(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        parts.append(rng.choice(PHRASES))
        parts.append(rng.choice(SEPARATORS))
    return "".join(parts)


def _to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def corpus(request, tmp_path_factory):
    """The same documents, ingested into a workspace of each engine: every test below runs on both."""
    rng = random.Random(7)
    src = tmp_path_factory.mktemp("src")
    for i in range(36):
        department = ["市文明办", "团市委", "市教育局"][i % 3]
        folder = src / department
        folder.mkdir(exist_ok=True)
        title = f"材料{i:02d}"
        paragraphs = [_compose(rng, rng.randint(3, 12)) for _ in range(rng.randint(1, 5))]
        if i % 5 == 0:      # a repost in traditional characters: found by simplified queries too
            paragraphs = [_to_traditional(p) for p in paragraphs]
        if i % 2:
            write_docx(folder / f"{title}.docx", title, paragraphs)
        else:
            write_txt(folder / f"{title}.txt", title + "\n" + "\n".join(paragraphs),
                      encoding="gb18030" if i % 4 == 0 else "utf-8")
    ws, _ = init_workspace(tmp_path_factory.mktemp("ws"), assessment_year=2026, engine=request.param)
    summary = ingest(ws, [src], workers=1)
    assert summary.added == 36 and not summary.failed
    conn = catalogue.connect(ws.catalog_path)
    texts = {}
    for row in conn.execute("SELECT id, title FROM documents"):
        body = "\n".join(r[0] for r in conn.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY page", (row[0],)))
        # The grep set is taken on the text as search reads it: phrases run on across line
        # breaks, traditional characters folded (archive.searchtext); title and text apart.
        texts[row[0]] = searchable(row[1]) + "\n\n" + searchable(body)
    backend = open_index(ws)
    yield conn, backend, texts
    backend.close()
    conn.close()


def _terms(texts: dict[int, str], rng: random.Random, count: int) -> list[str]:
    runs = [run for text in texts.values() for run in re.findall(f"[{CJK_CLASS}]{{2,}}", text)]
    terms = set()
    while len(terms) < count:
        run = rng.choice(runs)
        if len(run) < 2:
            continue
        size = rng.randint(2, min(6, len(run)))
        start = rng.randint(0, len(run) - size)
        terms.add(run[start:start + size])
    return sorted(terms)


def _search_ids(conn, backend, query: str) -> set[int]:
    return {hit.id for hit in search(conn, backend, query, limit=None)}


def test_every_drawn_term_finds_exactly_the_grep_set(corpus):
    conn, backend, texts = corpus
    terms = _terms(texts, random.Random(11), 400)
    mismatches = []
    for term in terms:
        expected = {doc_id for doc_id, text in texts.items() if term in text}
        got = _search_ids(conn, backend, term)
        if got != expected:
            mismatches.append((term, sorted(expected - got), sorted(got - expected)))
    assert not mismatches, mismatches[:10]


def test_a_term_typed_in_traditional_characters_finds_the_same_grep_set(corpus):
    conn, backend, texts = corpus
    # The corpus holds reposts in traditional characters (texts are the folded view; the catalogue is not).
    assert conn.execute("SELECT COUNT(DISTINCT doc_id) FROM pages WHERE text LIKE '%務%' OR text LIKE '%願%'").fetchone()[0] >= 5
    mismatches = []
    for term in _terms(texts, random.Random(13), 80):
        expected = {doc_id for doc_id, text in texts.items() if term in text}
        if _search_ids(conn, backend, _to_traditional(term)) != expected:
            mismatches.append(term)
    assert not mismatches, mismatches[:10]


def test_strings_that_cross_phrase_boundaries_or_do_not_occur(corpus):
    conn, backend, texts = corpus
    rng = random.Random(5)
    alphabet = sorted({c for p in PHRASES for c in p})
    checked = 0
    for _ in range(300):
        term = "".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4)))
        expected = {doc_id for doc_id, text in texts.items() if term in text}
        assert _search_ids(conn, backend, term) == expected, term
        checked += 1
    assert checked == 300


def test_single_character_and_mixed_queries_match_substrings(corpus):
    conn, backend, texts = corpus
    for term in ["志", "务", "2024年", "1200人", "2024年志愿", "共计1200"]:
        expected = {doc_id for doc_id, text in texts.items() if term in text}
        assert expected, term
        assert _search_ids(conn, backend, term) == expected, term


def test_boolean_operators_and_quoted_phrases(corpus):
    conn, backend, texts = corpus

    def having(term):
        return {d for d, t in texts.items() if term in t}

    assert _search_ids(conn, backend, "志愿者 AND 垃圾分类") == having("志愿者") & having("垃圾分类")
    assert _search_ids(conn, backend, "志愿者 垃圾分类") == having("志愿者") & having("垃圾分类")
    assert _search_ids(conn, backend, "道德模范 OR 心理健康") == having("道德模范") | having("心理健康")
    assert _search_ids(conn, backend, "志愿者 NOT 垃圾分类") == having("志愿者") - having("垃圾分类")
    assert _search_ids(conn, backend, '"文明城市创建"') == having("文明城市创建")


def test_full_width_query_is_normalised_and_spaces_separate_words(corpus):
    conn, backend, texts = corpus
    expected = {d for d, t in texts.items() if "2024年" in t}
    assert _search_ids(conn, backend, "２０２４年") == expected
    # In a query a space separates words (AND); it does not glue characters into a phrase.
    both = {d for d, t in texts.items() if "志愿者" in t and "道德" in t}
    assert _search_ids(conn, backend, "志愿者 道德") == both


def test_snippet_marks_the_hit_and_names_its_page(corpus):
    conn, backend, _ = corpus
    hits = search(conn, backend, "学雷锋志愿服务", limit=5)
    assert hits
    for hit in hits:
        assert "【学雷锋志愿服务】" in fold_script(hit.snippet)     # in the document's own script
        visible = hit.snippet.replace("【", "").replace("】", "").strip("…")
        assert len(visible) <= 2 * 50 + len("学雷锋志愿服务")
        assert hit.page == 1


def test_a_page_has_snippets_for_the_best_hits_and_every_match_counted(corpus):
    conn, backend, texts = corpus
    expected = {d for d, t in texts.items() if "志愿" in t}
    assert len(expected) > 5
    page = search_page(conn, backend, "志愿", limit=3)
    assert set(page.ids) == expected and page.total == len(expected)
    assert [hit.id for hit in page.hits] == page.ids[:3]
    assert all("【志愿】" in fold_script(hit.snippet) for hit in page.hits)


def test_the_index_built_by_ingest_equals_a_rebuild_from_the_catalogue(corpus, tmp_path):
    """Ingest files postings analysed in the extraction workers; a rebuild analyses in-process."""
    conn, backend, texts = corpus
    copy = tmp_path / "index"
    shutil.copytree(backend.folder, copy)
    rebuilt = type(backend)(copy)
    assert rebuild_index(conn, rebuilt) == len(texts)
    for term in ["志愿服务", "2024年", "务", "文明城市创建工作"]:
        assert [h.doc_id for h in rebuilt.search(term)] == [h.doc_id for h in backend.search(term)], term
    rebuilt.close()


def test_replaced_documents_are_found_once_in_their_new_version(corpus, tmp_path):
    """Re-indexing (after OCR, say) leaves deleted postings in old segments; they never match."""
    conn, backend, texts = corpus
    copy = tmp_path / "index"
    shutil.copytree(backend.folder, copy)
    replaced = type(backend)(copy)
    changed = sorted(texts)[:6]
    replaced.add(IndexedText(doc_id, f"新版{doc_id}", "替换后的文本：垃圾分类工作") for doc_id in changed)
    new_texts = {**texts, **{doc_id: "替换后的文本：垃圾分类工作" for doc_id in changed}}
    for term in ["垃圾分类工作", "志愿服务", "替换后", "文明城市创建工作"]:
        got = [h.doc_id for h in replaced.search(term)]
        assert len(got) == len(set(got)), term
        assert set(got) == {d for d, t in new_texts.items() if term in t}, term
    replaced.close()


@pytest.mark.parametrize("query", ["志愿者 AND", "OR 垃圾分类", "志愿者 NOT", "志愿者 AND OR 垃圾分类"])
def test_an_operator_without_its_word_is_refused_with_a_reason(corpus, query):
    conn, backend, _ = corpus
    with pytest.raises(SearchError, match="缺少词语"):
        search(conn, backend, query)


def test_an_index_the_machine_cannot_read_is_reported_and_kept(corpus, tmp_path):
    """A transient error of the machine (here: the format file is a folder, so reading it fails
    with an OSError other than "not found") must not look like damage: no rebuild, nothing deleted."""
    _conn, backend, _texts = corpus
    copy = tmp_path / "ix"
    shutil.copytree(backend.folder, copy)
    format_file = copy / "dossier-index.json"
    format_file.rename(copy / "saved.json")
    format_file.mkdir()
    backend = type(backend)(copy)
    with pytest.raises(SearchError, match="暂时无法读取"):
        backend.needs_rebuild()
    assert (copy / "saved.json").is_file() and len(list(copy.iterdir())) > 2
    format_file.rmdir()
    (copy / "saved.json").rename(format_file)
    assert not type(backend)(copy).needs_rebuild()      # once readable, the same index serves again


def test_terms_with_punctuation_digits_and_latin_match_substrings(corpus):
    conn, backend, texts = corpus
    runs = sorted({m for text in texts.values() for m in re.findall(r"[\u4e00-\u9fff]{2}[，。、；（）][\u4e00-\u9fff]{1,2}", text)})
    terms = runs[:40] + ["共计1200人", "2024年共计", "（社区", "工作总结。"]
    mismatches = []
    for term in terms:
        expected = {d for d, t in texts.items() if term in t}
        got = _search_ids(conn, backend, term)
        # An engine may ignore punctuation inside a word; it must never miss a document.
        if not expected <= got:
            mismatches.append((term, sorted(expected - got)))
    assert not mismatches, mismatches[:5]


def test_precedence_parentheses_and_a_query_of_only_negations(corpus):
    conn, backend, texts = corpus

    def having(term):
        return {d for d, t in texts.items() if term in t}

    assert _search_ids(conn, backend, "(志愿者 OR 道德模范) AND NOT 垃圾分类") == \
        (having("志愿者") | having("道德模范")) - having("垃圾分类")
    # Explicit operators bind tighter than words side by side: (志愿者 OR 道德模范) AND 心理健康.
    assert _search_ids(conn, backend, "志愿者 OR 道德模范 心理健康") == \
        (having("志愿者") | having("道德模范")) & having("心理健康")
    assert _search_ids(conn, backend, "志愿者 AND 道德模范 OR 心理健康") == \
        (having("志愿者") & having("道德模范")) | having("心理健康")
    assert _search_ids(conn, backend, "NOT 志愿者") == set(texts) - having("志愿者")


def test_filters_narrow_the_matches(corpus):
    conn, backend, texts = corpus
    everywhere = search_page(conn, backend, "志愿", limit=None).ids
    by_department = search_page(conn, backend, "志愿", DocumentFilter(department="团市委"), limit=None).ids
    departments = dict(conn.execute("SELECT id, department FROM documents").fetchall())
    assert by_department and set(by_department) == {d for d in everywhere if departments[d] == "团市委"}


def test_deleted_documents_are_not_found(corpus, tmp_path):
    conn, backend, texts = corpus
    copy = tmp_path / "ix"
    shutil.copytree(backend.folder, copy)
    trimmed = type(backend)(copy)
    gone = sorted(d for d, t in texts.items() if "志愿者" in t)[:3]
    trimmed.delete(gone)
    assert {h.doc_id for h in trimmed.search("志愿者")} == {d for d, t in texts.items() if "志愿者" in t} - set(gone)
    assert trimmed.doc_ids() == set(texts) - set(gone)
    trimmed.close()
