"""A reader that crashes, raises or hangs on one file fails that file alone, with its reason;
the other files are read and searchable."""
import os
import time

from archive import catalogue
from archive.ingest.run import extract_for_index, ingest
from archive.search import search
from archive.index.whoosh_engine import WhooshBackend
from archive.workspace import init_workspace
from examples.docgen import write_txt

TIMEOUT = 3.0


def _fragile_reader(path, name):
    """The real reader, except on files named to crash the worker, raise or never finish."""
    if "崩溃" in name:
        os._exit(3)                 # as a reader dying in C code would
    if "异常" in name:
        raise ValueError("坏了")
    if "卡住" in name:
        time.sleep(TIMEOUT * 20)
    return extract_for_index(path, name)


def test_bad_files_fail_alone_and_the_others_are_read(tmp_path):
    src = tmp_path / "材料" / "市文明办"
    src.mkdir(parents=True)
    names = [f"正常{i:02d}.txt" for i in range(2 * 8)]
    names[3], names[8 + 2], names[8 + 5] = "崩溃.txt", "异常.txt", "卡住.txt"
    for n, name in enumerate(names):
        write_txt(src / name, f"第{n}份材料：社区志愿服务站活动记录。", encoding="utf-8")
    ws, _ = init_workspace(tmp_path / "ws")
    summary = ingest(ws, [tmp_path / "材料"], workers=2, reader=_fragile_reader, read_timeout=TIMEOUT)
    reasons = {os.path.basename(f["path"]): f["reason"] for f in summary.failed}
    assert set(reasons) == {"崩溃.txt", "异常.txt", "卡住.txt"}
    assert "崩溃" in reasons["崩溃.txt"]
    assert reasons["异常.txt"] == "读取时出现意外错误（ValueError：坏了）"
    assert f"超过 {TIMEOUT:g} 秒" in reasons["卡住.txt"]
    assert summary.added == len(names) - 3
    conn = catalogue.connect(ws.catalog_path)
    backend = WhooshBackend(ws.index_dir)
    hits = search(conn, backend, "社区志愿服务站", limit=None)
    assert len(hits) == len(names) - 3
    titles = [r[0] for r in conn.execute("SELECT title FROM documents ORDER BY id")]
    assert titles == sorted(name.removesuffix(".txt") for name in names)   # ids follow the walk
    backend.close()
    conn.close()
