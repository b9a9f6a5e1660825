"""Crash and concurrency trials: what a kill -9, or a second process, does to a workspace.

    python bench/faults.py [--files 300] [--runs 20] [--build-runs 10] [--seed 1] [--keep DIR] [--json]
    python bench/faults.py --quick        # smoke run: 60 files, 3 runs of each kill trial

Generates an example city once (examples/city.py); then, through the `dossier` command line only,
against an uninterrupted reference ingest: ingest killed (SIGKILL to the main process, as the OOM
killer sends it) after a random 0.2 s … reference length, ingested again, `verify --deep`; build
--format docx killed likewise, built again into the same folder and compared byte for byte with an
uninterrupted build (SOURCE_DATE_EPOCH fixed: the 立卷时间); `dossier tag ID --add CODE` while an
ingest runs, on a document a first, smaller ingest filed; two ingests of one source at once;
`search --json` and the workbench (/healthz, /login, /api/search as a viewer) polled during an ingest.
Columns: hits = kills that landed while the process ran (decision: tags issued during the ingest;
pair: runs where one ingest waited for the other; readers: reads during the ingest); after_end =
kills or tags after the process ended (no trial); lost / doubled = documents or source paths missing
/ beyond the reference (build: files missing / extra); differs = documents whose status, tags, years
or kind changed (build: files of other bytes); findings = verify's problems; lingering = runs whose
worker processes outlived the killed one by 3 s. It reports, never asserts: exit code 0.
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
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}     # 2026-01-01: builds compare byte for byte
CODES = ("Ⅲ-41", "Ⅲ-42", "Ⅲ-43")
PASSWORD = "faults-bench-password-1"
QUERY = "志愿"


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

    def failed(self, done: subprocess.CompletedProcess, what: str) -> None:
        if done.returncode:
            self.note(f"{what} exit {done.returncode}: {done.stderr.strip()[-200:]}", error=True)


@dataclass
class Snapshot:
    """What `dossier docs --json` says: facts per sha256, (sha256, path) per source, rows."""
    facts: dict[str, tuple]
    pairs: list[tuple[str, str]]
    rows: int


def _cmd(ws: Path | None, args: tuple) -> list[str]:
    return [sys.executable, "-m", "cli", *(["-w", str(ws)] if ws else []), *map(str, args)]


def run(ws: Path | None, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(_cmd(ws, args), cwd=ROOT, env=ENV, capture_output=True, text=True, input=stdin,
                          timeout=900)


def start(ws: Path, *args, log: Path) -> subprocess.Popen:
    """A dossier process in a session of its own (its workers share its process group)."""
    with open(log, "w") as err:
        return subprocess.Popen(_cmd(ws, args), cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)


def snapshot(ws: Path) -> Snapshot:
    rows = json.loads(run(ws, "docs", "--json").stdout)
    facts = {r["sha256"]: (r["status"], tuple(sorted(t["code"] for t in r["tags"])), tuple(r["years"]), r["kind"])
             for r in rows}
    return Snapshot(facts, [(r["sha256"], p) for r in rows for p in r["sources"]], len(rows))


def group_alive(pgid: int) -> dict[int, str]:
    """Live (not zombie) processes of a process group, read from /proc: pid → what it runs."""
    alive = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
            if int(group) == pgid and state != "Z":
                line = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                alive[int(stat.parent.name)] = (re.findall(r"multiprocessing\.(\w+)", line) or [line[:40]])[0]
        except (OSError, IndexError, ValueError):
            continue
    return alive


def end_group(proc: subprocess.Popen, tally: Tally | None = None) -> None:
    """Give the dead process's workers 3 s to notice, count them if they stay, then end them."""
    deadline = time.monotonic() + 3
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if left := group_alive(proc.pid):
        if tally:
            if not tally.lingering:
                tally.note(f"still running 3 s after the kill: {', '.join(sorted(left.values()))}")
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
    if (code := proc.wait()) == -signal.SIGKILL:
        tally.hits += 1
    else:
        tally.after_end += 1
        if code:
            tally.note(f"exit {code} before the kill: {log.read_text()[-200:]}", error=True)
    end_group(proc, tally)


def code_state() -> str:
    """The library's source as it is now: another person editing it mid-run changes what is compared."""
    files = sorted(p for d in ("archive", "common", "dossier", "cli", "web") for p in (ROOT / d).rglob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class Bench:
    """What the trials share: the source, the work folder, the reference, the kill moments."""
    src: Path
    base: Path
    ref: Snapshot
    length: float           # seconds of an uninterrupted ingest
    hits: int               # documents the reference finds for QUERY
    rng: random.Random
    keep: bool

    def workspace(self, name: str) -> Path:
        path = self.base / name
        shutil.rmtree(path, ignore_errors=True)
        if (done := run(None, "init", path, "--assessment-year", "2026")).returncode:
            raise SystemExit(f"init failed: {done.stderr.strip()}")
        return path

    def ingest(self, ws: Path, log: str) -> subprocess.Popen:
        return start(ws, "ingest", self.src, "--ocr", "off", log=self.base / log)

    def check(self, ws: Path, tally: Tally, expected: set | None = None, ignore: str = "") -> None:
        """verify --deep, then the catalogue against the reference; a workspace with findings stays
        with --keep, for a person to look at."""
        before = (tally.lost, tally.doubled, tally.differs, tally.findings, tally.errors)
        if (done := run(ws, "verify", "--deep")).returncode:
            problems = [line for line in (done.stdout + done.stderr).splitlines() if line.startswith("问题")]
            tally.findings += max(1, len(problems))
            tally.note(f"verify {ws.name}: {(problems or [done.stderr])[0]}")
        try:
            got = snapshot(ws)
        except ValueError as exc:
            tally.note(f"docs --json {ws.name}: {exc}", error=True)
            return
        ref, want, have = self.ref, expected or set(self.ref.pairs), set(got.pairs)
        lost_docs = ref.facts.keys() - got.facts.keys()
        tally.lost += len(lost_docs) + sum(1 for sha, _ in want - have if sha not in lost_docs)
        tally.doubled += (got.rows - len(got.facts)) + (len(got.pairs) - len(have)) + len(have - want)
        changed = [s for s, f in ref.facts.items() if s in got.facts and s != ignore and got.facts[s] != f]
        tally.differs += len(changed)
        for sha in changed[:2]:
            tally.note(f"{ws.name} {sha[:10]}: reference {ref.facts[sha]} now {got.facts[sha]}")
        if not self.keep or before == (tally.lost, tally.doubled, tally.differs, tally.findings, tally.errors):
            shutil.rmtree(ws, ignore_errors=True)


# ------------------------------------------------------------------------------ the trials

def ingest_trials(b: Bench, runs: int) -> Tally:
    tally = Tally("ingest kill -9", runs)
    for n in range(runs):
        ws = b.workspace(f"ingest-{n:02d}")
        kill_after(b.ingest(ws, "ingest.log"), b.rng.uniform(0.2, b.length), tally, b.base / "ingest.log")
        tally.failed(run(ws, "ingest", b.src, "--ocr", "off"), "re-run ingest")
        b.check(ws, tally)
    return tally


def compare_builds(want: dict[str, str], got: dict[str, str], tally: Tally, label: str) -> None:
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    other = sorted(k for k in want.keys() & got.keys() if want[k] != got[k])
    tally.lost, tally.doubled, tally.differs = tally.lost + len(missing), tally.doubled + len(extra), \
        tally.differs + len(other)
    if missing or extra or other:
        tally.note(f"{label}: missing {missing[:2]} extra {extra[:2]} other bytes {other[:2]}")


def build_trials(b: Bench, ws: Path, runs: int) -> tuple[Tally, float]:
    tally, out, log = Tally("build kill -9", runs), b.base / "build-B", b.base / "build.log"
    build = ("build", "--format", "docx", "--out")
    t0 = time.perf_counter()
    tally.failed(run(ws, *build, b.base / "build-A"), "build A")
    t1 = time.perf_counter()
    tally.failed(run(ws, *build, b.base / "build-C"), "build C")
    length = time.perf_counter() - t1       # with the conversion cache warm, as every trial runs
    want = hashes(b.base / "build-A")
    compare_builds(want, hashes(b.base / "build-C"), tally, "two uninterrupted builds")
    for n in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        kill_after(start(ws, *build, out, log=log), b.rng.uniform(0.2, length), tally, log)
        tally.failed(run(ws, *build, out), "re-run build")
        compare_builds(want, hashes(out), tally, f"run {n}")
    tally.note(f"{len(want)} files per build; uninterrupted build {t1 - t0:.1f} s cold, {length:.1f} s warm")
    return tally, length


def copy_part(src: Path, part: Path, share: float = 0.2) -> None:
    """The first departments' folders, about `share` of the files: a first, smaller delivery."""
    total, copied = sum(1 for p in src.rglob("*") if p.is_file()), 0
    shutil.rmtree(part, ignore_errors=True)
    for folder in sorted(p for p in src.iterdir() if p.is_dir()):
        if copied >= share * total:
            break
        shutil.copytree(folder, part / folder.name)
        copied += sum(1 for p in folder.rglob("*") if p.is_file())


def decision_trials(b: Bench, runs: int) -> Tally:
    tally, part, waited = Tally("decision during ingest", runs), b.base / "part", 0
    copy_part(b.src, part)
    for n in range(runs):
        ws = b.workspace(f"decision-{n:02d}")
        tally.failed(run(ws, "ingest", part, "--ocr", "off"), "first ingest")
        rows = json.loads(run(ws, "docs", "--json").stdout)
        doc = b.rng.choice([r for r in rows if r["status"] == "ok"])
        code = next(c for c in CODES if c not in {t["code"] for t in doc["tags"]})
        proc = b.ingest(ws, "decision.log")
        time.sleep(b.rng.uniform(1.0, max(1.1, 0.6 * b.length)))
        during = proc.poll() is None
        tag = run(ws, "tag", doc["id"], "--add", code)          # waits for the ingest's lock (30 s)
        tally.hits, tally.after_end = tally.hits + during, tally.after_end + (not during)
        waited += "等待" in tag.stderr
        if proc.wait(timeout=900):
            tally.note(f"ingest exit {proc.returncode}", error=True)
        if tag.returncode == 0:
            tags = json.loads(run(ws, "show", doc["id"], "--json").stdout or "{}").get("tags", [])
            if not any(t["code"] == code and t["source"] == "manual" for t in tags):
                tally.lost += 1
                tally.note(f"manual {code} on {doc['id']} gone after the ingest: {tags}")
        elif tag.returncode == 1 and "Traceback" not in tag.stderr:      # waited, then said why, in one line
            tally.refused += 1
            tally.note(f"tag refused: {tag.stderr.strip().splitlines()[-1]}")
        else:
            tally.failed(tag, "tag")
        first = {(r["sha256"], p) for r in rows for p in r["sources"]}    # the first delivery's paths stay
        b.check(ws, tally, set(b.ref.pairs) | first, ignore=doc["sha256"])
    tally.note(f"the tag waited for the ingest's lock in {waited} of {runs} runs")
    return tally


def pair_trials(b: Bench, runs: int) -> Tally:
    tally, logs = Tally("two ingests at once", runs), ["pair-1.log", "pair-2.log"]
    for n in range(runs):
        ws = b.workspace(f"pair-{n:02d}")
        codes = [p.wait(timeout=900) for p in [b.ingest(ws, log) for log in logs]]
        texts = [(b.base / log).read_text().strip() for log in logs]
        tally.hits += any("等待" in text for text in texts)
        for code, text in zip(codes, texts):
            if code == 1 and "Traceback" not in text:
                tally.refused += 1
                tally.note(f"refused: {text.splitlines()[-1]}")
            elif code:
                tally.note(f"ingest exit {code}: {text[-200:]}", error=True)
        tally.note(f"run {n}: exit codes {codes}")
        b.check(ws, tally)
    return tally


def web_client(ws: Path, base: Path) -> tuple[subprocess.Popen, urllib.request.OpenerDirector, str]:
    """The workbench on a free loopback port, and a viewer logged in to it (cookies kept, no proxy)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server, url = start(ws, "serve", "--port", port, log=base / "serve.log"), f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                         urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    for _ in range(150):
        try:
            opener.open(url + "/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    page = opener.open(url + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    form = {"name": "读者", "password": PASSWORD, "csrf": token, "next": "/search"}
    opener.open(url + "/login", data=urllib.parse.urlencode(form).encode(), timeout=10).read()
    return server, opener, url


def poll_web(opener, url: str, ingest: subprocess.Popen, counts: dict[str, int]) -> None:
    while ingest.poll() is None:
        for path in ("/healthz", "/login", "/api/search?q=" + urllib.parse.quote(QUERY)):
            counts["web reads"] += 1
            try:
                with opener.open(url + path, timeout=30) as answer:
                    body = answer.read()
                    ok = answer.status == 200 and (not path.startswith("/api") or "total" in json.loads(body))
            except (OSError, ValueError):
                ok = False
            counts["web errors"] += not ok
        time.sleep(0.3)


def poll_cli(ws: Path, ingest: subprocess.Popen, counts: dict[str, int], tally: Tally) -> None:
    while ingest.poll() is None:
        found = run(ws, "search", QUERY, "--json")
        counts["search reads"] += 1
        try:
            json.loads(found.stdout)
            counts["search errors"] += found.returncode != 0
        except ValueError:
            counts["search errors"] += 1
            tally.note(f"search exit {found.returncode}: {found.stderr.strip()[-200:]}")
        time.sleep(0.3)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    end_group(server)


def reader_trials(b: Bench, runs: int) -> Tally:
    tally = Tally("readers during ingest", runs)
    counts = {"search reads": 0, "search errors": 0, "web reads": 0, "web errors": 0}
    for n in range(runs):
        ws = b.workspace(f"readers-{n:02d}")
        tally.failed(run(ws, "user", "add", "读者", "--password-stdin", stdin=PASSWORD + "\n"), "user add")
        server, opener, url = web_client(ws, b.base)
        try:
            ingest = b.ingest(ws, "readers.log")
            web = threading.Thread(target=poll_web, args=(opener, url, ingest, counts))
            web.start()
            poll_cli(ws, ingest, counts, tally)
            web.join()
            if ingest.returncode:
                tally.note(f"ingest exit {ingest.returncode}", error=True)
            api = json.loads(opener.open(f"{url}/api/search?q={urllib.parse.quote(QUERY)}", timeout=30).read())
            if api["total"] != b.hits:
                tally.note(f"workbench after the ingest: {api['total']} hits for {QUERY}, reference {b.hits}", True)
        except (OSError, ValueError) as exc:
            tally.note(f"workbench: {exc!r}", error=True)
        finally:
            stop(server)
        b.check(ws, tally)
    tally.hits = counts["search reads"] + counts["web reads"]
    tally.errors += counts["search errors"] + counts["web errors"]
    tally.note(", ".join(f"{k} {v}" for k, v in counts.items()))
    return tally


# ------------------------------------------------------------------------------ main

def reference(base: Path, files: int, rng: random.Random, keep: bool) -> tuple[Bench, Path]:
    """The example city (made once, or reused from --keep) and its uninterrupted ingest."""
    from examples.city import CityManifest, generate_city
    src = base / "材料"
    if not (src / ".manifest.json").is_file() or CityManifest.load(src).summary["files"] != files:
        print(f"生成示例城市：{files} 份文件 → {src}", file=sys.stderr)
        generate_city(src, docs=files)
    bench = Bench(src, base, Snapshot({}, [], 0), 0.0, 0, rng, keep)
    ws = bench.workspace("reference")
    t0 = time.perf_counter()
    if run(ws, "ingest", src, "--ocr", "off").returncode:
        raise SystemExit("the reference ingest failed")
    bench.length, bench.ref = time.perf_counter() - t0, snapshot(ws)
    bench.hits = len(json.loads(run(ws, "search", QUERY, "--json", "--limit", "100000").stdout))
    print(f"参照：{bench.ref.rows} 份文件，{len(bench.ref.pairs)} 个来源路径，完整收录 {bench.length:.1f} s",
          file=sys.stderr)
    return bench, ws


def print_table(tallies: list[Tally]) -> None:
    columns = [f.name for f in fields(Tally) if f.name != "notes"]
    widths = [max(len(c), *(len(str(getattr(t, c))) for t in tallies)) for c in columns]
    for row in [columns, *([getattr(t, c) for c in columns] for t in tallies)]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
    for t in tallies:
        for note in t.notes:
            print(f"  [{t.kind}] {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="documents in the example city")
    parser.add_argument("--runs", type=int, default=20, help="ingest kill trials")
    parser.add_argument("--build-runs", type=int, default=10, help="build kill trials")
    parser.add_argument("--decision-runs", type=int, default=4)
    parser.add_argument("--pair-runs", type=int, default=2)
    parser.add_argument("--reader-runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (and workspaces with findings)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 60 files, 3 kill runs, 2 decisions, 1 pair")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    if args.quick:
        args.files, args.runs, args.build_runs, args.decision_runs, args.pair_runs = 60, 3, 3, 2, 1
    started, code = time.perf_counter(), code_state()
    base = args.keep or Path(tempfile.mkdtemp(prefix="dossier-faults-"))
    try:
        b, ref_ws = reference(base, args.files, random.Random(args.seed), bool(args.keep))
        tallies = [ingest_trials(b, args.runs)]
        build, build_s = build_trials(b, ref_ws, args.build_runs)
        tallies += [build, decision_trials(b, args.decision_runs), pair_trials(b, args.pair_runs),
                    reader_trials(b, args.reader_runs)]
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    wall, changed = time.perf_counter() - started, code_state() != code
    print_table(tallies)
    if changed:
        print("警告：运行期间库的源代码有改动，参照与后来的试验比较的不是同一份代码（differs 可能由此而来）")
    print(f"files {args.files}, documents {b.ref.rows}, sources {len(b.ref.pairs)}, reference ingest "
          f"{b.length:.1f} s, warm build {build_s:.1f} s, wall {wall:.0f} s")
    if args.json:
        print(json.dumps({"files": args.files, "documents": b.ref.rows, "sources": len(b.ref.pairs),
                          "seed": args.seed, "reference_ingest_s": round(b.length, 2),
                          "warm_build_s": round(build_s, 2), "wall_s": round(wall, 1), "code_changed": changed,
                          "trials": [asdict(t) for t in tallies]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
