"""Index batches: background commits, documents that arrive meanwhile, and ids handed back only
once they are searchable."""
import pytest

from archive.index.whoosh_engine import WhooshBackend, analyze


@pytest.fixture
def backend(tmp_path):
    engine = WhooshBackend(tmp_path / "index")
    yield engine
    engine.close()


def _ids(backend: WhooshBackend, query: str) -> set[int]:
    return {hit.doc_id for hit in backend.search(query)}


def test_documents_added_during_a_background_commit_go_into_the_next_one(backend):
    with backend.batch() as batch:
        for doc_id in range(1, 4):
            batch.add(doc_id, f"材料{doc_id}", f"第{doc_id}份：志愿服务活动记录")
        batch.start_commit()
        batch.add(4, "材料4", "志愿服务站台账")             # arrives while the commit runs
        title, content = analyze("材料5", "志愿服务总结")     # as the extraction workers send it
        batch.add(5, title, content)
        first = batch.commit()
        assert sorted(first) == [1, 2, 3, 4, 5]
        assert batch.finished() == []                      # every id is handed back once
    assert _ids(backend, "志愿服务") == {1, 2, 3, 4, 5}
    assert _ids(backend, "台账") == {4}


def test_finished_hands_back_ids_only_after_the_commit_has_ended(backend):
    with backend.batch() as batch:
        batch.add(1, "甲", "垃圾分类工作方案")
        batch.start_commit()
        seen: list[int] = []
        while not seen:
            seen = batch.finished()
        assert seen == [1]
        assert _ids(backend, "垃圾分类") == {1}


def test_a_batch_left_uncommitted_is_cancelled_and_the_index_stays_usable(backend):
    with backend.batch() as batch:
        batch.add(1, "甲", "文明交通劝导")
        batch.commit()
    with backend.batch() as batch:
        batch.add(2, "乙", "文明交通劝导站")                 # never committed
    assert _ids(backend, "文明交通") == {1}
    with backend.batch() as batch:                         # the writer's lock was released
        batch.add(3, "丙", "文明交通宣传")
        assert batch.commit() == [3]
    assert _ids(backend, "文明交通") == {1, 3}
