"""A kill -9 at any moment leaves a workspace the next run completes, nothing lost or doubled."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive import catalogue
from archive.locking import workspace_lock
from archive.workspace import init_workspace
from examples.docgen import write_docx, write_txt

ROOT = Path(__file__).resolve().parents[1]
N_FILES = 40


@pytest.fixture(scope="module")
def source_tree(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    for i in range(N_FILES):
        folder = src / ["市文明办", "团市委", "市民政局", "市教育局"][i % 4]
        folder.mkdir(exist_ok=True)
        body = [f"第{i}号材料：志愿服务活动记录，编号{i:04d}。", "社区志愿服务站开展活动。"]
        if i % 2:
            write_docx(folder / f"材料{i:02d}.docx", f"材料{i:02d}", body)
        else:
            write_txt(folder / f"材料{i:02d}.txt", "\n".join(body), encoding="gb18030")
    (src / "市教育局" / "重复材料.txt").write_bytes((src / "市文明办" / "材料00.txt").read_bytes())
    return src


def _dossier(ws: Path, *args: str, env: dict | None = None, wait: bool = True):
    cmd = [sys.executable, "-m", "cli", "-w", str(ws), *args]
    full_env = {**os.environ, **(env or {})}
    if wait:
        return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _assert_complete(ws: Path, src: Path) -> None:
    result = _dossier(ws, "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    conn = catalogue.connect(ws / "catalog.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == N_FILES
    assert conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == N_FILES + 1
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0] == 0
    conn.close()
    hits = _dossier(ws, "search", "社区志愿服务站", "--limit", "1000", "--json")
    assert hits.stdout.count('"sha256"') == N_FILES
    again = _dossier(ws, "ingest", str(src), "--json")
    assert '"added": 0' in again.stdout and '"unchanged": %d' % (N_FILES + 1) in again.stdout


@pytest.mark.parametrize("point", ["stored:1", "stored:17", "catalogued:1", "index-writing:5", "indexed:1"])
def test_kill_at_a_named_point_then_rerun(point, source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    crashed = _dossier(ws.root, "ingest", str(source_tree), env={"DOSSIER_CRASH_AT": point})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    rerun = _dossier(ws.root, "ingest", str(source_tree))
    assert rerun.returncode == 0, rerun.stderr
    _assert_complete(ws.root, source_tree)


# Small batches: several catalogue transactions and background index commits in one run.
SMALL_BATCHES = {"DOSSIER_BATCHES": "3,7"}


@pytest.mark.parametrize("point", ["catalogued:4", "index-writing:9", "indexed:2"])
def test_kill_between_small_batches_then_rerun(point, source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    crashed = _dossier(ws.root, "ingest", str(source_tree), env={"DOSSIER_CRASH_AT": point, **SMALL_BATCHES})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    conn = catalogue.connect(ws.root / "catalog.sqlite")
    unindexed = conn.execute("SELECT COUNT(*) FROM documents WHERE indexed = 0").fetchone()[0]
    conn.close()
    assert unindexed > 0        # the kill came between a catalogue commit and its index commit
    rerun = _dossier(ws.root, "ingest", str(source_tree), env=SMALL_BATCHES)
    assert rerun.returncode == 0, rerun.stderr
    _assert_complete(ws.root, source_tree)


def test_small_batches_index_everything(source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    done = _dossier(ws.root, "ingest", str(source_tree), env=SMALL_BATCHES)
    assert done.returncode == 0, done.stderr
    _assert_complete(ws.root, source_tree)


@pytest.mark.parametrize("delay", [0.4, 1.0, 2.0])
def test_kill_at_a_random_moment_then_rerun(delay, source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    proc = _dossier(ws.root, "ingest", str(source_tree), wait=False)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    rerun = _dossier(ws.root, "ingest", str(source_tree))
    assert rerun.returncode == 0, rerun.stderr
    _assert_complete(ws.root, source_tree)


def test_a_second_writer_is_refused_clearly_while_the_first_holds_the_workspace(source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    with workspace_lock(ws.lock_path, "ingest (test)"):
        second = _dossier(ws.root, "ingest", str(source_tree), "--wait", "1")
    assert second.returncode == 1
    assert "正被另一个 dossier 进程写入" in second.stderr and "Traceback" not in second.stderr


def test_two_concurrent_ingests_leave_one_consistent_archive(source_tree, tmp_path):
    ws, _ = init_workspace(tmp_path / "ws")
    first = _dossier(ws.root, "ingest", str(source_tree), wait=False)
    second = _dossier(ws.root, "ingest", str(source_tree), wait=False)
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert {first.returncode, second.returncode} <= {0, 1}, outputs
    _assert_complete(ws.root, source_tree)
