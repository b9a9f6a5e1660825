"""The example city: a realistic, reproducible submission of ~30 departments to the 创城办.

    python -m examples.city DEST [--docs N] [--seed S] [--assessment-year Y]

`generate_city` writes one folder per department (市文明办/, 市统计局/, 团市委/ …) holding
documents about the material-review indicators of the civilized-city system: the indicator's
name and keywords in the text, its lead department (or a department that works on it) as the
folder, the evidence kind (statistics tables, activity notices/plans/summaries) and years in
and around the required windows, with deliberate gaps. Every format an office sends appears:
docx, PDF made by LibreOffice and by fpdf2, xlsx, xls, Word 97 .doc, GBK text, scans (PNG and
image-only PDF), duplicates under other names and a few broken files.

`DEST/.manifest.json` (hidden, so an ingest of DEST skips it) is the ground truth: per file its indicators, years, kind, department,
format, whether it is broken or a duplicate; per indicator the required, present and missing
years. Same seed, same tree: files are byte-identical from run to run (LibreOffice's outputs
come from a content-addressed cache, so they are identical while the cache is kept).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from examples import docgen
from examples.citydocs import (DEPARTMENTS, PHOTO_FORMATS, DocSpec, Indicator, issuer_name, load_system, render,
                               resolve_department, title_for, topic_departments)

ALL_FORMATS = ("docx", "pdf", "doc", "xlsx", "xls", "txt", "scan", "photo", "duplicate", "broken")
LO_PDF_CAP = 40        # LibreOffice-made PDFs per city, whatever its size: one soffice batch
LO_DOC_CAP = 20        # Word 97 .doc files per city (also LibreOffice)
SCAN_CAP = 30          # scans are slow to draw and useless without OCR: a few are enough
PHOTO_CAP = 40         # photos of activities (JPEG, one in five HEIC), with the camera's date
PARALLEL_FROM = 300    # below this many documents a process pool costs more than it saves
MANIFEST_VERSION = 1

# Format weights per kind of evidence, as departments actually send them.
_WEIGHTS = {
    "statistics": {"xlsx": 35, "xls": 15, "docx": 25, "pdf": 15, "txt": 10},
    "activity": {"docx": 55, "pdf": 25, "txt": 8, "xlsx": 7, "xls": 5},
    None: {"docx": 60, "pdf": 20, "txt": 20},
}


@dataclass
class CityManifest:
    """What `generate_city` made; `to_dict()` is the content of .manifest.json."""

    root: Path
    seed: int
    assessment_year: int
    system: str
    required_years: dict[str, list[int]]
    files: dict[str, dict] = field(default_factory=dict)
    coverage: dict[str, dict] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"generator": "examples.city", "version": MANIFEST_VERSION, "seed": self.seed,
                "assessment_year": self.assessment_year, "system": self.system,
                "required_years": self.required_years, "summary": self.summary,
                "coverage": self.coverage, "files": self.files}

    def write(self) -> Path:
        path = self.root / ".manifest.json"
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, root: Path) -> CityManifest:
        data = json.loads((Path(root) / ".manifest.json").read_text(encoding="utf-8"))
        return cls(Path(root), data["seed"], data["assessment_year"], data["system"], data["required_years"],
                   data["files"], data["coverage"], data["summary"])


def _parse_formats(formats: str) -> set[str]:
    chosen = set(ALL_FORMATS) if formats.strip() in ("", "all") else {f.strip() for f in formats.split(",")}
    unknown = chosen - set(ALL_FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {', '.join(ALL_FORMATS)} or 'all'")
    return chosen


def _shares(docs: int, chosen: set[str]) -> dict[str, int]:
    """How many files of each special sort a city of `docs` files holds."""
    share = {
        "duplicate": round(docs * 0.03) if "duplicate" in chosen else 0,
        "broken": max(1, round(docs * 0.01)) if "broken" in chosen else 0,
        "scan": min(max(2, round(docs * 0.015)), SCAN_CAP) if "scan" in chosen else 0,
        "photo": min(max(2, round(docs * 0.04)), PHOTO_CAP) if "photo" in chosen else 0,
        "noise": round(docs * 0.03),
        "outside": round(docs * 0.05),
    }
    while sum(share.values()) > docs // 2 and any(share.values()):   # tiny cities: keep most docs real
        biggest = max(share, key=share.get)
        share[biggest] -= 1
    return share


class _Planner:
    """Decides, with one seeded RNG, every document of the city before any is written."""

    def __init__(self, indicators: list[Indicator], seed: int, year: int, chosen: set[str], lo: bool) -> None:
        self.rng = random.Random(seed)
        self.indicators = indicators
        self.chosen = chosen
        self.lo = lo
        self.required = {"statistics": [year - 2, year - 1], "activity": [year - 3, year - 2, year - 1]}
        self.specs: list[DocSpec] = []
        self.used: set[str] = set()
        self.doc_numbers: Counter[tuple[str, int]] = Counter()

    # -- which (indicator, kind, year) get evidence
    def gaps(self) -> tuple[set[str], set[tuple[str, str, int]]]:
        """Indicators with no document at all (8%) and single missing years (for 20% of the rest)."""
        codes = [i.code for i in self.indicators]
        absent = set(self.rng.sample(codes, round(len(codes) * 0.08)))
        holes: set[tuple[str, str, int]] = set()
        rest = [i for i in self.indicators if i.code not in absent]
        for ind in self.rng.sample(rest, round(len(rest) * 0.2)):
            kind = self.rng.choice(ind.evidence)
            holes.add((ind.code, kind, self.rng.choice(self.required[kind])))
        return absent, holes

    def slots(self, absent: set[str], holes: set[tuple[str, str, int]]) -> list[tuple[Indicator, str, int]]:
        slots = [(ind, kind, y) for ind in self.indicators if ind.code not in absent
                 for kind in ind.evidence for y in self.required[kind] if (ind.code, kind, y) not in holes]
        self.rng.shuffle(slots)
        return slots

    # -- one document
    def department(self, ind: Indicator | None) -> str:
        if ind is None:
            return self.rng.choice(DEPARTMENTS)
        # Mostly the lead department; sometimes one that works on the topic; sometimes the
        # 文明办, which collects and re-files material for everyone.
        lead = resolve_department(ind.lead_department)
        helpers = [d for d in topic_departments(ind) if d != lead]
        r = self.rng.random()
        if r >= 0.9:
            return "市文明办"
        if r >= 0.65 and helpers:
            return self.rng.choice(helpers)
        return lead

    def fmt(self, kind: str | None) -> str:
        weights = {f: w for f, w in _WEIGHTS[kind].items() if f in self.chosen}
        if not weights:   # e.g. formats="xls" for a notice: use what was asked for, else Word
            weights = {f: 1 for f in ("docx", "pdf", "txt", "xlsx", "xls") if f in self.chosen} or {"docx": 1}
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def folder(self, dept: str, ind: Indicator | None, years: tuple[int, ...]) -> str:
        r = self.rng.random()
        label = f"{ind.code} {ind.name}".replace("/", "、") if ind else None
        if ind is None:
            return f"{dept}/日常文件" if r < 0.3 else dept
        if r < 0.22:
            return f"{dept}/{label}"
        if r < 0.32:
            return f"{dept}/{years[-1]}年"
        if r < 0.40:
            return f"{dept}/{years[-1]}年/{label}"
        if r < 0.45:
            return f"{dept}/上报材料/第{self.rng.randint(1, 4)}批"
        return dept

    def file_name(self, folder: str, title: str, ext: str, ind: Indicator | None, scan: bool) -> str:
        stem = re.sub(r"[/\\:*?\"<>|\n]", "_", title)[:60]
        r = self.rng.random()
        if r < 0.12:
            stem = f"{self.rng.randint(1, 30):02d}_{stem}"
        elif r < 0.2 and ind:
            stem = f"{ind.code}_{stem}"
        if self.rng.random() < 0.1:
            stem += self.rng.choice(["（定稿）", "(终稿)", "_修改版", "（盖章版）", "-报送稿"])
        if scan:
            stem += "_扫描件"
        candidate, n = f"{folder}/{stem}.{ext}", 2
        while candidate in self.used:
            candidate, n = f"{folder}/{stem}（{n}）.{ext}", n + 1
        self.used.add(candidate)
        return candidate

    def add(self, ind: Indicator | None, kind: str | None, years: tuple[int, ...], *, fmt: str | None = None,
            extra: Indicator | None = None, role: str = "main") -> DocSpec:
        rng = self.rng
        dept = self.department(ind)
        fmt = fmt or self.fmt(kind)
        genre, title = title_for(rng, ind, kind, years, fmt, dept)
        if fmt in PHOTO_FORMATS:      # a phone's photo, named by the data group after what it shows
            genre, title = "照片", f"{ind.name}{rng.choice(['活动现场', '现场照片', '活动照片', '工作现场'])}"
        codes = tuple(i.code for i in (ind, extra) if i)
        words = (ind.name, *ind.keywords) if ind else ()
        year = years[-1]
        month = 12 if kind == "statistics" else rng.randint(1, 12)
        number = None
        if genre in ("通知", "实施方案") and fmt not in ("xlsx", "xls"):
            self.doc_numbers[(dept, year)] += 1
            number = f"岚{_abbr(dept)}〔{year}〕{self.doc_numbers[(dept, year)] * 3 + rng.randint(0, 2)}号"
        ext = {"lopdf": "pdf", "imgpdf": "pdf", "png": "png"}.get(fmt, fmt)
        relpath = self.file_name(self.folder(dept, ind, years), title, ext, ind, fmt in ("png", "imgpdf"))
        spec = DocSpec(index=len(self.specs), relpath=relpath, fmt=fmt, genre=genre, title=title, codes=codes,
                       years=years, kind=kind, department=dept, words=words or ("办公", "值班"),
                       doc_number=number, issuer=issuer_name(dept),
                       date=f"{year}年{month}月{rng.randint(1, 28)}日", role=role,
                       header_code=f"{ind.code} {ind.name}" if ind and rng.random() < 0.2 else None,
                       extra_words=(extra.name, *extra.keywords) if extra else ())
        self.specs.append(spec)
        return spec


def _abbr(dept: str) -> str:
    """The department's short form in a 文号: 市文明办 → 文明办, 市教育局 → 教, 团市委 → 团."""
    special = {"市委宣传部": "宣", "团市委": "团", "市委组织部": "组", "市委政法委": "政法",
               "市文明办": "文明办", "市政府办公室": "政办", "市纪委监委": "纪"}
    return special.get(dept, dept.removeprefix("市").removesuffix("局").removesuffix("委")[:2] + "发")


def plan_city(indicators: list[Indicator], docs: int, seed: int, year: int, chosen: set[str],
              lo: bool) -> tuple[list[DocSpec], _Planner]:
    planner = _Planner(indicators, seed, year, chosen, lo)
    rng = planner.rng
    absent, holes = planner.gaps()
    slots = planner.slots(absent, holes)
    share = _shares(docs, chosen)
    main = docs - sum(share.values())
    by_code = {i.code: i for i in indicators}
    allowed = {(i.code, k, y) for i, k, y in slots}

    for n in range(main):
        ind, kind, y = slots[n] if n < len(slots) else rng.choice(slots)
        years: tuple[int, ...] = (y,)
        if kind == "statistics" and rng.random() < 0.12 and {(ind.code, kind, z) for z in
                                                              planner.required[kind]} <= allowed:
            years = tuple(planner.required[kind])
        extra = None
        if kind == "activity" and rng.random() < 0.08:
            mates = [j for j in indicators if j.content == ind.content and j.code != ind.code
                     and (j.code, kind, y) in allowed]
            extra = rng.choice(mates) if mates else None
        planner.add(ind, kind, years, extra=extra)
    present_codes = sorted({s.codes[0] for s in planner.specs}, key=list(by_code).index) or \
        [i.code for i in indicators if i.code not in absent]
    for _ in range(share["outside"]):   # older material and material of the assessment year itself
        ind = by_code[rng.choice(present_codes)]
        planner.add(ind, rng.choice(ind.evidence), (rng.choice([year - 5, year - 4, year]),), role="outside")
    for _ in range(share["noise"]):
        planner.add(None, None, (rng.choice(planner.required["activity"]),), role="noise")
    for n in range(share["scan"]):
        ind, kind, y = rng.choice(slots)
        planner.add(ind, kind, (y,), fmt="png" if n % 2 == 0 else "imgpdf", role="scan")
    activity = [slot for slot in slots if slot[1] == "activity"] or slots
    for n in range(share["photo"]):
        ind, kind, y = rng.choice(activity)
        planner.add(ind, "activity", (y,), fmt="heic" if n % 5 == 4 else "jpg", role="photo")
    for _ in range(share["broken"]):
        ind, kind, y = rng.choice(slots)
        spec = planner.add(ind, kind, (y,), fmt=rng.choice([f for f in ("docx", "xlsx", "pdf") if f in chosen]
                                                            or ["docx"]), role="broken")
        spec.broken = "empty" if rng.random() < 0.25 else "truncated"

    _assign_libreoffice(planner, docs)
    _ensure_every_format(planner)
    _add_duplicates(planner, share["duplicate"])
    return planner.specs, planner


def _assign_libreoffice(planner: _Planner, docs: int) -> None:
    """Turn a bounded number of Word documents into LibreOffice-made PDFs and .doc files."""
    if not planner.lo:
        return
    candidates = [s for s in planner.specs if s.fmt == "docx" and s.role in ("main", "outside")]
    planner.rng.shuffle(candidates)
    n_pdf = min(max(1, round(docs * 0.08)), LO_PDF_CAP) if "pdf" in planner.chosen else 0
    n_doc = min(max(1, round(docs * 0.04)), LO_DOC_CAP) if "doc" in planner.chosen else 0
    for spec in candidates[:n_pdf]:
        spec.retarget("lopdf", "pdf", planner.used)
    for spec in candidates[n_pdf:n_pdf + n_doc]:
        spec.retarget("doc", "doc", planner.used)


def _ensure_every_format(planner: _Planner) -> None:
    """Small cities still show every requested format: convert a document where one is missing."""
    present = {s.fmt for s in planner.specs}
    wanted = [f for f in ("docx", "pdf", "xlsx", "xls", "txt") if f in planner.chosen]
    if planner.lo:
        wanted += [f for f, need in (("lopdf", "pdf"), ("doc", "doc")) if need in planner.chosen]
    for fmt in wanted:
        if fmt in present:
            continue
        counts = Counter(s.fmt for s in planner.specs)
        pool = [s for s in planner.specs if s.role == "main" and s.fmt in ("docx", "pdf", "txt") and counts[s.fmt] > 1]
        if pool:
            planner.rng.choice(pool).retarget(fmt, {"lopdf": "pdf"}.get(fmt, fmt), planner.used)
            present.add(fmt)


def _add_duplicates(planner: _Planner, count: int) -> None:
    """Copies of real documents under other names: re-sent by the office or filed twice."""
    originals = [s for s in planner.specs if s.role in ("main", "outside")]
    for _ in range(min(count, len(originals))):
        source = planner.rng.choice(originals)
        if planner.rng.random() < 0.5:
            folder, dept = f"市文明办/汇总材料/{source.department}", "市文明办"
        else:
            folder, dept = source.relpath.rsplit("/", 1)[0], source.department
        ext = source.relpath.rsplit(".", 1)[1]
        stem = planner.rng.choice(["副本-", "复件 ", "（转发）", "重报_"]) + source.title[:50]
        relpath = planner.file_name(folder, stem, ext, None, False)
        dup = DocSpec(**{**source.__dict__, "index": len(planner.specs), "relpath": relpath, "role": "duplicate",
                         "department": dept, "duplicate_of": source.relpath})
        planner.specs.append(dup)


def _render_chunk(args: tuple[str, int, list[DocSpec]]) -> list[tuple[int, bytes]]:
    root, seed, specs = args
    return [(s.index, data) for s in specs if (data := render(Path(root), seed, s)) is not None]


def _remove_previous_city(dest: Path) -> None:
    """Generating again into the same folder replaces the old city: delete the files its
    manifest lists (and nothing else), so no stale document survives into the new one."""
    old = dest / ".manifest.json"
    if not old.exists():
        return
    try:
        files = json.loads(old.read_text(encoding="utf-8")).get("files", {})
    except (ValueError, OSError):
        return
    folders = set()
    for relpath in files:
        if Path(relpath).is_absolute() or ".." in Path(relpath).parts:
            continue                  # never delete outside dest, whatever the manifest says
        (dest / relpath).unlink(missing_ok=True)
        folders.update((dest / relpath).parents)
    for folder in sorted(folders - set(dest.parents) - {dest}, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()            # only folders left empty; anything a person added stays
        except OSError:
            pass
    old.unlink()


def generate_city(dest: Path, *, docs: int = 150, seed: int = 20260526, assessment_year: int = 2026,
                  formats: str = "all", libreoffice: bool = True, workers: int | None = None,
                  system_file: Path | None = None) -> CityManifest:
    """Write the example city under `dest` and return (and save) its manifest.

    `formats` is "all" or a comma list of docx,pdf,doc,xlsx,xls,txt,scan,duplicate,broken.
    `libreoffice=False` (or no soffice) leaves out the .doc files and LibreOffice-made PDFs.
    `workers` processes render the files (default: all cores for big cities, 1 for small ones).
    """
    if docs < 1:
        raise ValueError("docs must be at least 1")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    _remove_previous_city(dest)
    chosen = _parse_formats(formats)
    lo = libreoffice and docgen.soffice_available() and bool(chosen & {"pdf", "doc"})
    system_id, indicators = load_system(system_file)
    specs, planner = plan_city(indicators, docs, seed, assessment_year, chosen, lo)

    if any(s.fmt == "pdf" for s in specs):
        docgen.pdf_font()      # build the cached font once, before workers would race for it
    originals = [s for s in specs if s.role != "duplicate"]
    workers = workers or (min(os.cpu_count() or 1, 8) if docs >= PARALLEL_FROM else 1)
    chunks = [originals[i:i + 50] for i in range(0, len(originals), 50)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = [r for chunk in pool.map(_render_chunk, [(str(dest), seed, c) for c in chunks]) for r in chunk]
    else:
        results = [r for c in chunks for r in _render_chunk((str(dest), seed, c))]

    # LibreOffice runs once per target format for the whole city (sources came back as docx bytes).
    by_index = {s.index: s for s in specs}
    for target, fmt in (("pdf", "lopdf"), ("doc", "doc")):
        batch = [(by_index[i], data) for i, data in results if by_index[i].fmt == fmt]
        if batch:
            for (spec, _), converted in zip(batch, docgen.libreoffice_convert([d for _, d in batch], target)):
                shutil.copyfile(converted, dest / spec.relpath)
    for spec in specs:
        if spec.role == "duplicate":
            (dest / spec.relpath).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dest / spec.duplicate_of, dest / spec.relpath)

    manifest = CityManifest(dest, seed, assessment_year, system_id,
                            {k: list(v) for k, v in planner.required.items()})
    manifest.files = {s.relpath: s.manifest_entry() for s in sorted(specs, key=lambda s: s.relpath)}
    manifest.coverage = _coverage(indicators, specs, planner.required)
    manifest.summary = _summary(specs, manifest.coverage)
    manifest.write()
    return manifest


def _coverage(indicators: list[Indicator], specs: list[DocSpec], required: dict[str, list[int]]) -> dict:
    """Per indicator and kind: required years, years some readable document proves, the rest."""
    proven: dict[tuple[str, str], set[int]] = {}
    for s in specs:
        if s.broken or not s.kind:      # scans count: OCR (on by default) reads them
            continue
        for code in s.codes:
            proven.setdefault((code, s.kind), set()).update(s.years)
    coverage = {}
    for ind in indicators:
        evidence = {}
        for kind in ind.evidence:
            need = required[kind]
            have = sorted(proven.get((ind.code, kind), set()) & set(need))
            evidence[kind] = {"required": need, "present": have, "missing": [y for y in need if y not in have]}
        missing = sum(len(e["missing"]) for e in evidence.values())
        needed = sum(len(e["required"]) for e in evidence.values())
        status = "complete" if missing == 0 else "missing" if missing == needed else "partial"
        coverage[ind.code] = {"name": ind.name, "lead_department": resolve_department(ind.lead_department),
                              "status": status, "evidence": evidence}
    return coverage


def _summary(specs: list[DocSpec], coverage: dict) -> dict:
    entries = [s.manifest_entry() for s in specs]
    return {
        "files": len(specs),
        "formats": dict(sorted(Counter(e["format"] for e in entries).items())),
        "makers": dict(sorted(Counter(e["maker"] for e in entries).items())),
        "departments": len({s.department for s in specs}),
        "broken": sum(e["broken"] for e in entries),
        "duplicates": sum(e["duplicate_of"] is not None for e in entries),
        "needs_ocr": sum(e["needs_ocr"] for e in entries),
        "untagged": sum(not e["indicators"] for e in entries),
        "indicators": dict(sorted(Counter(c["status"] for c in coverage.values()).items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.city", description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--seed", type=int, default=20260526)
    parser.add_argument("--assessment-year", type=int, default=2026)
    parser.add_argument("--formats", default="all")
    parser.add_argument("--no-libreoffice", action="store_true", help="leave out .doc and LibreOffice-made PDFs")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        manifest = generate_city(args.dest, docs=args.docs, seed=args.seed, assessment_year=args.assessment_year,
                                 formats=args.formats, libreoffice=not args.no_libreoffice, workers=args.workers)
    except (ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    s = manifest.summary
    print(f"{s['files']} files from {s['departments']} departments in {args.dest} "
          f"({time.monotonic() - started:.1f} s)")
    print("formats: " + ", ".join(f"{k} {v}" for k, v in s["formats"].items()))
    print(f"broken {s['broken']}, duplicates {s['duplicates']}, scans {s['needs_ocr']}, untagged {s['untagged']}")
    print("indicators: " + ", ".join(f"{k} {v}" for k, v in s["indicators"].items()))
    print(f"manifest: {args.dest / '.manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
