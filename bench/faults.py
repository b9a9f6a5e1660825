"""Crash and concurrency trials: what a kill -9, or a second process, does to a workspace.

    python bench/faults.py [--files 300] [--runs 20] [--build-runs 10] [--seed 1] [--keep DIR] [--json]
    python bench/faults.py --quick          # smoke run: 60 files, 3 runs of each kill trial

Generates an example city once (examples/city.py), then works through the `dossier` command line
only, as a user would, and counts against an uninterrupted reference ingest of the same files:
- ingest: killed with SIGKILL (the main process only, as the OOM killer does) after a random delay
  between 0.2 s and the length of an uninterrupted ingest, run again to completion, `verify --deep`;
- build --format docx: killed likewise, built again into the same folder, every file compared byte
  for byte with an uninterrupted build (SOURCE_DATE_EPOCH fixed for every build: the 立卷时间);
- decision: `dossier tag ID --add CODE` (it waits for the lock) while an ingest runs, on a document
  a first, smaller ingest filed; the manual tag must be there afterwards;
- pair: two ingests of the same source into one workspace at once;
- readers: `dossier search --json` and the workbench (/healthz, /login, /api/search as a logged-in
  viewer) polled every 0.3 s while an ingest runs.
Columns: hits = kills that landed while the process ran (decision: tags issued during the ingest;
pair: runs where one ingest waited for the other; readers: reads made during the ingest); after end
= kills or tags that came after the process had finished (not a trial); lost / doubled = documents
or source paths missing / beyond the reference (build: files missing / extra); differs = documents
whose status, tags, years or kind differ from the reference (build: files with other bytes);
lingering = runs whose worker processes outlived the killed process by 3 s. It reports, never
asserts: the exit code is 0 whatever it finds.
"""
from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
EPOCH = "1767225600"        # 2026-01-01 as the 立卷时间 of every build, so that builds compare
ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
CODES = ("Ⅲ-41", "Ⅲ-42", "Ⅲ-43")
PASSWORD = "faults-bench-password-1"


@dataclass
class Tally:
    kind: str
    runs: int = 0
    hits: int = 0
    after_end: int = 0
    lost: int = 0
    doubled: int = 0
    differs: int = 0
    findings: int = 0
    refused: int = 0
    errors: int = 0
    lingering: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, text: str, error: bool = False) -> None:
        self.errors += error
        if len(self.notes) < 12:
            self.notes.append(" ".join(text.split())[:300])


@dataclass
class Snapshot:
    """What `dossier docs --json` says: facts per sha256, (sha256, path) per source, rows."""
    facts: dict[str, tuple]
    pairs: list[tuple[str, str]]
    rows: int


def _cmd(ws: Path | None, args: tuple) -> list[str]:
    return [sys.executable, "-m", "cli", *(["-w", str(ws)] if ws else []), *map(str, args)]


def run(ws: Path | None, *args, stdin: str | None = None, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(_cmd(ws, args), cwd=ROOT, env=ENV, capture_output=True, text=True, input=stdin,
                          timeout=timeout)


def start(ws: Path, *args, log: Path) -> subprocess.Popen:
    """A dossier process in a session of its own (its workers share its process group)."""
    with open(log, "w") as err:
        return subprocess.Popen(_cmd(ws, args), cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)


def fresh_ws(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    done = run(None, "init", path, "--assessment-year", "2026")
    if done.returncode:
        raise SystemExit(f"init failed: {done.stderr.strip()}")
    return path


def group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def end_group(proc: subprocess.Popen, tally: Tally | None = None) -> None:
    """Give the dead process's workers 3 s to notice, count them if they stay, then end them."""
    deadline = time.monotonic() + 3
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_alive(proc.pid):
        if tally:
            tally.lingering += 1
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kill_after(proc: subprocess.Popen, delay: float, tally: Tally, log: Path) -> None:
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    code = proc.wait()
    if code == -signal.SIGKILL:
        tally.hits += 1
    else:
        tally.after_end += 1
        if code:
            tally.note(f"exit {code} before the kill: {log.read_text()[-200:]}", error=True)
    end_group(proc, tally)


def snapshot(ws: Path) -> Snapshot:
    rows = json.loads(run(ws, "docs", "--json").stdout)
    facts = {r["sha256"]: (r["status"], tuple(sorted(t["code"] for t in r["tags"])), tuple(r["years"]), r["kind"])
             for r in rows}
    return Snapshot(facts, [(r["sha256"], p) for r in rows for p in r["sources"]], len(rows))


def check(ws: Path, ref: Snapshot, tally: Tally, expected_pairs: set | None = None, ignore: str = "") -> bool:
    """verify --deep, then the catalogue against the reference; True when all is as it should be."""
    before = (tally.lost, tally.doubled, tally.differs, tally.findings, tally.errors)
    done = run(ws, "verify", "--deep")
    if done.returncode:
        problems = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("问题")]
        tally.findings += max(1, len(problems))
        tally.note(f"verify {ws.name}: {(problems or [done.stderr])[0]}")
    try:
        got = snapshot(ws)
    except ValueError as exc:
        tally.note(f"docs --json {ws.name}: {exc}", error=True)
        return False
    want = expected_pairs or set(ref.pairs)
    have = set(got.pairs)
    lost_docs = ref.facts.keys() - got.facts.keys()
    tally.lost += len(lost_docs) + sum(1 for sha, _ in want - have if sha not in lost_docs)
    tally.doubled += (got.rows - len(got.facts)) + (len(got.pairs) - len(have)) + len(have - want)
    changed = [sha for sha, f in ref.facts.items() if sha in got.facts and sha != ignore and got.facts[sha] != f]
    tally.differs += len(changed)
    for sha in changed[:2]:
        tally.note(f"{ws.name} {sha[:10]}: reference {ref.facts[sha]} now {got.facts[sha]}")
    return before == (tally.lost, tally.doubled, tally.differs, tally.findings, tally.errors)


def done_ok(done: subprocess.CompletedProcess, what: str, tally: Tally) -> None:
    if done.returncode:
        tally.note(f"{what} exit {done.returncode}: {done.stderr.strip()[-200:]}", error=True)


def tidy(ws: Path, clean: bool, keep: bool) -> None:
    """A clean workspace goes; with --keep, one with findings stays for a person to look at."""
    if clean or not keep:
        shutil.rmtree(ws, ignore_errors=True)


# ------------------------------------------------------------------------------ the trials

def ingest_trials(src: Path, base: Path, ref: Snapshot, length: float, runs: int, rng: random.Random,
                  keep: bool) -> Tally:
    tally = Tally("ingest kill -9", runs)
    for n in range(runs):
        ws = fresh_ws(base / f"ingest-{n:02d}")
        log = base / "ingest.log"
        kill_after(start(ws, "ingest", src, "--ocr", "off", log=log), rng.uniform(0.2, length), tally, log)
        done_ok(run(ws, "ingest", src, "--ocr", "off"), "re-run ingest", tally)
        tidy(ws, check(ws, ref, tally), keep)
    return tally


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def compare_builds(want: dict[str, str], got: dict[str, str], tally: Tally, label: str) -> None:
    missing, extra = want.keys() - got.keys(), got.keys() - want.keys()
    other = [k for k in want.keys() & got.keys() if want[k] != got[k]]
    tally.lost, tally.doubled, tally.differs = tally.lost + len(missing), tally.doubled + len(extra), \
        tally.differs + len(other)
    if missing or extra or other:
        tally.note(f"{label}: missing {sorted(missing)[:2]} extra {sorted(extra)[:2]} other bytes {sorted(other)[:2]}")


def build_trials(ws: Path, base: Path, runs: int, rng: random.Random) -> tuple[Tally, float]:
    tally = Tally("build kill -9", runs)
    t0 = time.perf_counter()
    done_ok(run(ws, "build", "--format", "docx", "--out", base / "build-A"), "build A", tally)
    length = time.perf_counter() - t0
    want = hashes(base / "build-A")
    done_ok(run(ws, "build", "--format", "docx", "--out", base / "build-C"), "build C", tally)
    compare_builds(want, hashes(base / "build-C"), tally, "two uninterrupted builds")
    for n in range(runs):
        out, log = base / "build-B", base / "build.log"
        shutil.rmtree(out, ignore_errors=True)
        kill_after(start(ws, "build", "--format", "docx", "--out", out, log=log), rng.uniform(0.2, length), tally, log)
        done_ok(run(ws, "build", "--format", "docx", "--out", out), "re-run build", tally)
        compare_builds(want, hashes(out), tally, f"run {n}")
    tally.note(f"{len(want)} files per build; uninterrupted build {length:.1f} s")
    return tally, length


def copy_part(src: Path, part: Path, share: float = 0.2) -> None:
    """The first departments' folders, about `share` of the files: a first, smaller delivery."""
    total = sum(1 for p in src.rglob("*") if p.is_file())
    shutil.rmtree(part, ignore_errors=True)
    copied = 0
    for folder in sorted(p for p in src.iterdir() if p.is_dir()):
        if copied >= share * total:
            break
        shutil.copytree(folder, part / folder.name)
        copied += sum(1 for p in folder.rglob("*") if p.is_file())


def decision_trials(src: Path, base: Path, ref: Snapshot, length: float, runs: int, rng: random.Random,
                    keep: bool) -> Tally:
    tally, part, waited = Tally("decision during ingest", runs), base / "part", 0
    copy_part(src, part)
    for n in range(runs):
        ws = fresh_ws(base / f"decision-{n:02d}")
        done_ok(run(ws, "ingest", part, "--ocr", "off"), "first ingest", tally)
        rows = json.loads(run(ws, "docs", "--json").stdout)
        first = {(r["sha256"], p) for r in rows for p in r["sources"]}
        doc = rng.choice([r for r in rows if r["status"] == "ok"])
        code = next(c for c in CODES if c not in {t["code"] for t in doc["tags"]})
        log = base / "decision.log"
        proc = start(ws, "ingest", src, "--ocr", "off", log=log)
        time.sleep(rng.uniform(1.0, max(1.1, 0.6 * length)))
        during = proc.poll() is None
        tag = run(ws, "tag", doc["id"], "--add", code)
        tally.hits, tally.after_end = tally.hits + during, tally.after_end + (not during)
        waited += "等待" in tag.stderr
        if proc.wait(timeout=900):
            tally.note(f"ingest exit {proc.returncode}: {log.read_text()[-200:]}", error=True)
        if tag.returncode == 1 and len(tag.stderr.strip().splitlines()) == 1 and "Traceback" not in tag.stderr:
            tally.refused += 1
            tally.note(f"tag refused: {tag.stderr.strip()}")
        elif tag.returncode:
            tally.note(f"tag exit {tag.returncode}: {tag.stderr.strip()[-200:]}", error=True)
        shown = json.loads(run(ws, "show", doc["id"], "--json").stdout or "{}")
        if tag.returncode == 0 and {"code": code, "source": "manual"} not in [
                {"code": t["code"], "source": t["source"]} for t in shown.get("tags", [])]:
            tally.lost += 1
            tally.note(f"manual {code} on {doc['id']} gone after the ingest: {shown.get('tags')}")
        expected = set(ref.pairs) | first      # the first delivery's paths stay too
        tidy(ws, check(ws, ref, tally, expected, ignore=doc["sha256"]), keep)
    tally.note(f"tag waited for the ingest's lock in {waited} of {runs}")
    return tally


def pair_trials(src: Path, base: Path, ref: Snapshot, runs: int, keep: bool) -> Tally:
    tally = Tally("two ingests at once", runs)
    for n in range(runs):
        ws = fresh_ws(base / f"pair-{n:02d}")
        logs = [base / f"pair-{i}.log" for i in (1, 2)]
        procs = [start(ws, "ingest", src, "--ocr", "off", log=log) for log in logs]
        codes = [p.wait(timeout=900) for p in procs]
        tally.hits += any("等待" in log.read_text() for log in logs)
        for code, log in zip(codes, logs):
            if code == 1 and "Traceback" not in log.read_text():
                tally.refused += 1
                tally.note(f"refused: {log.read_text().strip().splitlines()[-1]}")
            elif code:
                tally.note(f"ingest exit {code}: {log.read_text()[-200:]}", error=True)
        tally.note(f"run {n}: exit codes {codes}")
        tidy(ws, check(ws, ref, tally), keep)
    return tally


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_client(port: int) -> tuple[urllib.request.OpenerDirector, str]:
    """A viewer logged in to the workbench on 127.0.0.1 (cookies kept; no proxy for loopback)."""
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    for _ in range(150):
        try:
            opener.open(base + "/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    page = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"name": "读者", "password": PASSWORD, "csrf": token, "next": "/search"})
    opener.open(base + "/login", data=form.encode(), timeout=10).read()
    return opener, base


def poll_web(opener, base: str, ingest: subprocess.Popen, counts: dict[str, int]) -> None:
    paths = ["/healthz", "/login", "/api/search?q=" + urllib.parse.quote("志愿")]
    while ingest.poll() is None:
        for path in paths:
            counts["web reads"] += 1
            try:
                with opener.open(base + path, timeout=30) as answer:
                    body = answer.read()
                    ok = answer.status == 200 and (not path.startswith("/api") or "total" in json.loads(body))
            except (OSError, ValueError):
                ok = False
            counts["web errors"] += not ok
        time.sleep(0.3)


def reader_trials(src: Path, base: Path, ref: Snapshot, ref_hits: int, runs: int, keep: bool) -> Tally:
    tally = Tally("readers during ingest", runs)
    counts = {"search reads": 0, "search errors": 0, "web reads": 0, "web errors": 0}
    for n in range(runs):
        ws = fresh_ws(base / f"readers-{n:02d}")
        done_ok(run(ws, "user", "add", "读者", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n"),
                "user add", tally)
        port = free_port()
        server = start(ws, "serve", "--port", port, log=base / "serve.log")
        try:
            opener, url = web_client(port)
            ingest = start(ws, "ingest", src, "--ocr", "off", log=base / "readers.log")
            web = threading.Thread(target=poll_web, args=(opener, url, ingest, counts))
            web.start()
            while ingest.poll() is None:
                found = run(ws, "search", "志愿", "--json")
                counts["search reads"] += 1
                try:
                    json.loads(found.stdout)
                    counts["search errors"] += found.returncode != 0
                except ValueError:
                    counts["search errors"] += 1
                    tally.note(f"search exit {found.returncode}: {found.stderr.strip()[-200:]}")
                time.sleep(0.3)
            web.join()
            if ingest.returncode:
                tally.note(f"ingest exit {ingest.returncode}", error=True)
            api = json.loads(opener.open(url + "/api/search?q=" + urllib.parse.quote("志愿"), timeout=30).read())
            if api["total"] != ref_hits:
                tally.note(f"workbench after the ingest: {api['total']} hits for 志愿, reference {ref_hits}", error=True)
        except (OSError, ValueError, AttributeError) as exc:
            tally.note(f"workbench: {exc!r}", error=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            end_group(server)
        tidy(ws, check(ws, ref, tally), keep)
    tally.hits = counts["search reads"] + counts["web reads"]
    tally.errors += counts["search errors"] + counts["web errors"]
    tally.note(", ".join(f"{k} {v}" for k, v in counts.items()))
    return tally


# ------------------------------------------------------------------------------ main

COLUMNS = ("kind", "runs", "hits", "after_end", "lost", "doubled", "differs", "findings", "refused", "errors",
           "lingering")


def print_table(tallies: list[Tally]) -> None:
    widths = [max(len(c), *(len(str(getattr(t, c))) for t in tallies)) for c in COLUMNS]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)))
    for t in tallies:
        print("  ".join(str(getattr(t, c)).ljust(w) for c, w in zip(COLUMNS, widths)))
    for t in tallies:
        for note in t.notes:
            print(f"  [{t.kind}] {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="documents in the example city")
    parser.add_argument("--runs", type=int, default=20, help="ingest kill trials")
    parser.add_argument("--build-runs", type=int, default=10, help="build kill trials")
    parser.add_argument("--decision-runs", type=int, default=5)
    parser.add_argument("--pair-runs", type=int, default=3)
    parser.add_argument("--reader-runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (and workspaces with findings)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 60 files, 3 runs, 2 decisions, 1 pair")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.runs, args.build_runs, args.decision_runs, args.pair_runs = 60, 3, 3, 2, 1
    started, rng = time.perf_counter(), random.Random(args.seed)
    base = args.keep or Path(tempfile.mkdtemp(prefix="dossier-faults-"))
    src = base / "材料"
    try:
        from examples.city import CityManifest, generate_city
        if not (src / ".manifest.json").is_file() or CityManifest.load(src).summary["files"] != args.files:
            print(f"生成示例城市：{args.files} 份文件 → {src}", file=sys.stderr)
            generate_city(src, docs=args.files)
        ref_ws = fresh_ws(base / "reference")
        t0 = time.perf_counter()
        if run(ref_ws, "ingest", src, "--ocr", "off").returncode:
            raise SystemExit("the reference ingest failed")
        length = time.perf_counter() - t0
        ref = snapshot(ref_ws)
        ref_hits = len(json.loads(run(ref_ws, "search", "志愿", "--json", "--limit", "100000").stdout))
        print(f"参照：{ref.rows} 份文件，{len(ref.pairs)} 个来源路径，完整收录 {length:.1f} s", file=sys.stderr)
        tallies = [ingest_trials(src, base, ref, length, args.runs, rng, bool(args.keep))]
        build, build_s = build_trials(ref_ws, base, args.build_runs, rng)
        tallies += [build, decision_trials(src, base, ref, length, args.decision_runs, rng, bool(args.keep)),
                    pair_trials(src, base, ref, args.pair_runs, bool(args.keep)),
                    reader_trials(src, base, ref, ref_hits, args.reader_runs, bool(args.keep))]
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    wall = time.perf_counter() - started
    print_table(tallies)
    print(f"files {args.files}, documents {ref.rows}, reference ingest {length:.1f} s, build {build_s:.1f} s, "
          f"wall {wall:.0f} s")
    if args.json:
        print(json.dumps({"files": args.files, "documents": ref.rows, "sources": len(ref.pairs), "seed": args.seed,
                          "reference_ingest_s": round(length, 2), "reference_build_s": round(build_s, 2),
                          "wall_s": round(wall, 1), "trials": [asdict(t) for t in tallies]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
