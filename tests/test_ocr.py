"""OCR of scans with the real tesseract: accuracy on generated scans, the phase after ingest,
the cache, a crash in the middle, and a long scan in a batch of small files."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from archive import catalogue
from archive.ocr import engine as ocr
from archive.ocr.cleanup import clean_ocr_text
from archive.ocr.images import poppler_status
from archive.ocr.prepare import prepare
from archive.ocr.tesseract import tesseract_status
from archive.ingest import ingest
from archive.progress import Progress
from archive.ocr.phase import OCR_NOTE, OcrCache, run_ocr
from archive.search import search
from archive.store import Store
from archive.textnorm import CJK_CLASS
from archive.verify import verify
from archive.index.whoosh_engine import WhooshBackend
from archive.workspace import init_workspace, write_config
from bench.ocr_cer import char_error_rate, make_scans, page_text
from examples.docgen import write_docx, write_image_pdf, write_pdf, write_scan_png, write_txt

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 2


def _marked(seed: int, marker: str, paragraphs: int = 3) -> str:
    """Known page text with a sentence only this page has (what the search tests look for)."""
    return page_text(seed, paragraphs) + f"\n本件为扫描件第{marker}号。"


def _open(ws):
    return catalogue.connect(ws.catalog_path), WhooshBackend(ws.index_dir)


def _no_toUnicode(pdf: Path, out: Path) -> Path:
    """The same PDF with its fonts' ToUnicode maps cut off: text extraction gives glyph numbers."""
    out.write_bytes(pdf.read_bytes().replace(b"/ToUnicode", b"/ToUnicodX"))
    return out


def _merge(out: Path, *pdfs: Path) -> Path:
    writer = PdfWriter()
    for pdf in pdfs:
        for page in PdfReader(pdf).pages:
            writer.add_page(page)
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


class RecordingProgress(Progress):
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def start(self, total: int, label: str) -> None:
        self.calls.append(("start", total, label))

    def advance(self, n: int = 1) -> None:
        self.calls.append(("advance", n))

    def message(self, text: str) -> None:
        self.calls.append(("message", text))


# ---------------------------------------------------------------------------- the engine

def test_both_engines_and_poppler_are_installed():
    assert tesseract_status() is None and poppler_status() is None
    assert ocr.engine_status("rapidocr") is None and ocr.engine_status("tesseract") is None
    assert ocr.engine_label("rapidocr").startswith("rapidocr 3.") and ocr.engine_label("tesseract").startswith("tesseract ")


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
def test_character_error_rate_on_generated_scans(tmp_path, engine):
    scans = make_scans(tmp_path, dpi=200, per_variant=2)
    assert {s.variant for s in scans} >= {"plain", "rotated", "stamped"}
    with ThreadPoolExecutor(WORKERS) as pool:
        read = list(pool.map(lambda s: ocr.ocr_page(s.path, "pdf" if s.variant == "pdf" else "image", s.page, engine),
                             scans))
    assert all(r.engine == ocr.engine_label(engine) and 0 < r.confidence <= 100 for r in read)
    texts = [r.text for r in read]
    reference = "".join(s.text for s in scans)
    total_cer = char_error_rate(reference, "".join(texts))
    by_variant = {v: char_error_rate("".join(s.text for s in scans if s.variant == v),
                                     "".join(t for s, t in zip(scans, texts) if s.variant == v))
                  for v in dict.fromkeys(s.variant for s in scans)}
    assert total_cer <= 0.03, by_variant
    assert max(by_variant.values()) <= 0.03, by_variant
    # No space is left between Chinese characters; the red header line was read.
    assert not any(re.search(f"[{CJK_CLASS}]\\s+[{CJK_CLASS}]", t.replace("\n", "")) for t in texts)
    red = [t for s, t in zip(scans, texts) if s.variant == "red_header"]
    assert all("精神文明建设委员会" in t for t in red)


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_sideways_scan_is_turned_upright(tmp_path, engine, angle):
    text = page_text(5, 3)
    png = write_scan_png(tmp_path / "横.png", text, dpi=150)
    with Image.open(png) as image:
        image.rotate(angle, expand=True).save(tmp_path / "sideways.png")
    assert char_error_rate(text, ocr.ocr_page(tmp_path / "sideways.png", "image", 1, engine).text) <= 0.03


@pytest.mark.parametrize("engine", ["rapidocr", "tesseract"])
def test_a_blank_page_costs_no_engine_run(engine):
    blank = Image.new("L", (1654, 2338), 255)
    assert prepare(blank) is None
    assert ocr.read_image(blank, engine).text == ""


def test_clean_ocr_text():
    raw = ("关 于 开 展 2024 年 志 愿 服 务 活 动 的 通 知\n\n出席: 罗芳等 24 人。 记录; 罗芳 。\n"
           "动员部署阶段为2024年6月，全面实施阶段为2024年6月至12月，总结提升阶段为20\n"
           "24年12月。 (一) 完善工作机制\n")
    cleaned = clean_ocr_text(raw)
    assert cleaned.splitlines()[0] == "关于开展2024年志愿服务活动的通知"
    assert "出席：罗芳等24人。记录；罗芳。" in cleaned
    assert "总结提升阶段为2024年12月。（一）完善工作机制" in cleaned
    # The dash of a range, read as the character 一, is a dash again; 一 elsewhere stays.
    assert clean_ocr_text("印发《2024一2026年实施方案》，1 一 6月完成（一）") == "印发《2024—2026年实施方案》，1—6月完成（一）"


def test_pages_needing_ocr(tmp_path):
    text = _marked(1, "一")
    good = write_pdf(tmp_path / "good.pdf", "志愿服务工作总结", [text, text])
    garbled = _no_toUnicode(good, tmp_path / "garbled.pdf")
    scan = write_image_pdf(tmp_path / "scan.pdf", [write_scan_png(tmp_path / "p.png", text, dpi=100)])
    mixed = _merge(tmp_path / "mixed.pdf", good, scan)

    def texts(pdf: Path) -> list[str]:
        return [page.extract_text() or "" for page in PdfReader(pdf).pages]

    pages = len(texts(good))
    assert pages >= 2
    assert ocr.pages_needing_ocr(good, texts(good)) == []
    assert ocr.pages_needing_ocr(garbled, texts(garbled)) == list(range(1, pages + 1))
    assert ocr.pages_needing_ocr(mixed, texts(mixed)) == [pages + 1]
    assert ocr.page_is_garbled("\ue001\ue002\ue003" * 5) and not ocr.page_is_garbled(text)


# ---------------------------------------------------------------------------- the phase

@pytest.fixture
def scan_tree(tmp_path):
    """A department's folder with every kind of scan, a text document and a broken image."""
    src = tmp_path / "src"
    dept = src / "市文明办"
    dept.mkdir(parents=True)
    texts = {n: _marked(10 + i, n) for i, n in enumerate("123456")}
    write_scan_png(dept / "通知扫描.png", texts["1"], dpi=200)
    stamped = write_scan_png(tmp_path / "stamped.png", texts["2"], dpi=200, rotate=-2.0, stamp=True)
    with Image.open(stamped) as image:
        image.convert("RGB").save(dept / "盖章件.jpg", quality=85)
    frames = [Image.open(write_scan_png(tmp_path / f"t{n}.png", texts[n], dpi=150)) for n in "34"]
    frames[0].save(dept / "两页.tif", save_all=True, append_images=frames[1:])
    pages = [write_scan_png(tmp_path / f"p{n}.png", texts[n], dpi=150, rotate=1.0) for n in "5"]
    write_image_pdf(dept / "扫描件.pdf", pages)
    good = write_pdf(tmp_path / "good.pdf", "志愿服务工作总结", [texts["6"]])
    _no_toUnicode(good, dept / "无映射.pdf")
    write_docx(dept / "文字材料.docx", "文字材料", ["本件为文字材料，不需要识别。"])
    png = (dept / "通知扫描.png").read_bytes()
    (dept / "损坏.png").write_bytes(png[:200])          # a PNG header, then nothing
    return src, texts


def test_scans_become_searchable_text(scan_tree, tmp_path):
    src, texts = scan_tree
    ws, _ = init_workspace(tmp_path / "ws")
    summary = ingest(ws, [src], workers=WORKERS)
    assert summary.added == 7 and summary.needs_ocr == 5 and not summary.failed
    conn, backend = _open(ws)
    hooked: list[list[int]] = []
    result = run_ocr(ws, conn, backend, workers=WORKERS, after_update=lambda c, ids: hooked.append(list(ids)))

    assert result.skipped_reason is None
    assert result.documents == 5 and result.pages == 6
    assert [f["title"] for f in result.failed] == ["损坏"] and "无法读取" in result.failed[0]["reason"]
    assert sorted(i for ids in hooked for i in ids) == sorted({i for ids in hooked for i in ids})  # once each
    assert len(hooked) == 6

    docs = {r["name"]: r for r in conn.execute("SELECT d.*, s.name FROM documents d JOIN sources s ON s.doc_id = d.id")}
    broken = docs.pop("损坏.png")
    assert broken["status"] == "needs_ocr" and "第 1 页文字识别失败" in broken["notes"]
    text_doc = docs.pop("文字材料.docx")
    assert OCR_NOTE not in text_doc["notes"]
    for row in docs.values():
        assert row["status"] == "ok" and OCR_NOTE in json.loads(row["notes"]) and row["indexed"] == 1
    tif = conn.execute("SELECT d.pages, COUNT(*), SUM(p.ocr) FROM documents d JOIN pages p ON p.doc_id = d.id "
                       "WHERE d.format = 'image:tiff'").fetchone()
    assert tuple(tif) == (2, 2, 2)
    # Every marker sentence is found, on its page, in the document that printed it.
    for marker in texts:
        hits = search(conn, backend, f"扫描件第{marker}号")
        assert len(hits) == 1, marker
        page_ocr = conn.execute("SELECT ocr FROM pages WHERE doc_id = ? AND page = ?", (hits[0].id, hits[0].page)).fetchone()
        assert page_ocr[0] == 1
    assert len(search(conn, backend, "扫描件")) == 5
    assert verify(conn, Store(ws.store_dir), backend).ok

    # A second run reads nothing: no document changes, no page goes to tesseract, the cache is the same.
    cache = OcrCache(ws.cache_dir / "ocr", ocr.engine_label("rapidocr"))
    held = cache.count()
    assert held == 7                                   # 6 pages of text, 1 failure
    again = run_ocr(ws, conn, backend, workers=WORKERS, after_update=lambda c, ids: hooked.append(list(ids)))
    assert (again.documents, again.engine_pages, again.failed, again.failed_before) == (0, 0, [], 1)
    assert len(hooked) == 6                            # nothing was committed again
    assert cache.count() == held

    # The catalogue losing the OCR (as if the run had died before committing) is redone from the cache.
    jpg = conn.execute("SELECT id FROM documents WHERE format = 'image:jpeg'").fetchone()[0]
    before = conn.execute("SELECT text FROM pages WHERE doc_id = ?", (jpg,)).fetchone()[0]
    with catalogue.Transaction(conn):
        conn.execute("UPDATE pages SET text = '', ocr = 0 WHERE doc_id = ?", (jpg,))
        conn.execute("UPDATE documents SET status = 'needs_ocr' WHERE id = ?", (jpg,))
    redo = run_ocr(ws, conn, backend, workers=WORKERS)
    assert (redo.documents, redo.pages, redo.engine_pages) == (1, 1, 0)
    assert conn.execute("SELECT text FROM pages WHERE doc_id = ?", (jpg,)).fetchone()[0] == before
    assert cache.count() == held

    # off does nothing; force retries the failure (every other page is OCR text already).
    assert run_ocr(ws, conn, backend, mode="off").pages == 0
    forced = run_ocr(ws, conn, backend, mode="force", workers=WORKERS)
    assert [f["title"] for f in forced.failed] == ["损坏"]
    backend.close()
    conn.close()


def _ocr_in_a_process(ws, *, path: str | None = None, without_rapidocr: bool = False) -> dict:
    """run_ocr in a fresh interpreter, with PATH emptied (no tesseract) or RapidOCR not importable."""
    script = (("import sys; sys.modules['rapidocr'] = None;" if without_rapidocr else "import sys;")
              + "import json; from archive.workspace import open_workspace; from archive.ocr.phase import run_ocr;"
              "from archive import catalogue; from archive.index.whoosh_engine import WhooshBackend;"
              "ws = open_workspace(sys.argv[1]); conn = catalogue.connect(ws.catalog_path);"
              "print(json.dumps(run_ocr(ws, conn, WhooshBackend(ws.index_dir)).as_json()))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), **({"PATH": path} if path is not None else {})}
    result = subprocess.run([sys.executable, "-c", script, str(ws.root)], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _one_scan_workspace(tmp_path, engine: str):
    src = tmp_path / "src" / "团市委"
    write_scan_png(src / "扫描.png", _marked(3, "九"), dpi=100)
    ws, _ = init_workspace(tmp_path / "ws")
    ws.config.ocr_engine = engine
    write_config(ws.root, ws.config)
    ingest(ws, [src.parent], workers=1)
    return ws


def test_missing_tesseract_is_a_message_not_a_failure(tmp_path):
    ws = _one_scan_workspace(tmp_path, "tesseract")
    empty = tmp_path / "bin"
    empty.mkdir()
    summary = _ocr_in_a_process(ws, path=str(empty))
    assert "tesseract-ocr" in summary["skipped_reason"] and "tesseract-ocr-chi-sim" in summary["skipped_reason"]
    assert summary["failed"] == [] and summary["pages"] == 0
    conn = catalogue.connect(ws.catalog_path)
    assert conn.execute("SELECT status FROM documents").fetchone()[0] == "needs_ocr"


def test_without_rapidocr_tesseract_reads_and_says_so(tmp_path):
    ws = _one_scan_workspace(tmp_path, "rapidocr")
    summary = _ocr_in_a_process(ws, without_rapidocr=True)
    assert summary["engine"].startswith("tesseract ") and "RapidOCR" in summary["engine_note"]
    assert "tesseract" in summary["engine_note"] and summary["pages"] == 1 and not summary["failed"]
    conn = catalogue.connect(ws.catalog_path)
    engine, confidence = conn.execute("SELECT ocr_engine, ocr_confidence FROM pages").fetchone()
    assert engine.startswith("tesseract ") and 50 < confidence <= 100
    assert "扫描件第九号" in catalogue.document_text(conn, 1)


def test_with_neither_engine_both_reasons_are_given(tmp_path):
    ws = _one_scan_workspace(tmp_path, "rapidocr")
    empty = tmp_path / "bin"
    empty.mkdir()
    summary = _ocr_in_a_process(ws, path=str(empty), without_rapidocr=True)
    assert "RapidOCR" in summary["skipped_reason"] and "tesseract-ocr" in summary["skipped_reason"]
    assert summary["pages"] == 0


def test_a_kill_during_ocr_loses_nothing_and_reads_no_page_twice(tmp_path):
    src = tmp_path / "src" / "市民政局"
    for n in range(5):
        write_scan_png(src / f"扫描{n}.png", _marked(20 + n, f"{n}0", paragraphs=2), dpi=120)
    ws, _ = init_workspace(tmp_path / "ws")
    ingest(ws, [src.parent], workers=WORKERS)
    script = ("import sys; from archive.workspace import open_workspace; from archive.ocr.phase import run_ocr;"
              "from archive import catalogue; from archive.index.whoosh_engine import WhooshBackend;"
              "ws = open_workspace(sys.argv[1]); conn = catalogue.connect(ws.catalog_path);"
              "run_ocr(ws, conn, WhooshBackend(ws.index_dir), workers=2)")
    killed = subprocess.run([sys.executable, "-c", script, str(ws.root)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "DOSSIER_CRASH_AT": "ocr-committed:2"},
                            timeout=300)
    assert killed.returncode == -9, killed.stderr
    conn, backend = _open(ws)
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'ok'").fetchone()[0] == 2
    cached = OcrCache(ws.cache_dir / "ocr", ocr.engine_label("rapidocr")).count()
    assert cached >= 2
    backend.close()
    conn.close()

    ingest(ws, [src.parent], workers=WORKERS)         # recovers the two documents the kill left unindexed
    conn, backend = _open(ws)
    result = run_ocr(ws, conn, backend, workers=WORKERS)
    assert result.documents == 3 and result.engine_pages == 5 - cached
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE status = 'ok' AND indexed = 1").fetchone()[0] == 5
    assert all(len(search(conn, backend, f"扫描件第{n}0号")) == 1 for n in range(5))
    assert verify(conn, Store(ws.store_dir), backend).ok
    backend.close()
    conn.close()


def test_a_twenty_page_scan_among_a_hundred_files_with_progress(tmp_path):
    src = tmp_path / "src"
    for n in range(100):
        folder = src / ["市文明办", "团市委", "市教育局", "市民政局"][n % 4]
        write_txt(folder / f"记录{n:03d}.txt", f"第{n}号活动记录：社区志愿服务活动开展情况。")
    long_texts = [_marked(40 + n, f"{n + 1}页", paragraphs=2) for n in range(20)]
    pngs = [write_scan_png(tmp_path / "pages" / f"{n}.png", text, dpi=100) for n, text in enumerate(long_texts)]
    write_image_pdf(src / "市文明办" / "年度台账扫描件.pdf", pngs)
    for n in range(2):
        write_scan_png(src / "团市委" / f"签到表{n}.png", _marked(70 + n, f"签到{n}", paragraphs=2), dpi=100)
    ws, _ = init_workspace(tmp_path / "ws")
    progress = RecordingProgress()
    summary = ingest(ws, [src], workers=WORKERS, progress=progress)
    assert summary.added == 103 and summary.needs_ocr == 3
    conn, backend = _open(ws)
    result = run_ocr(ws, conn, backend, workers=WORKERS, progress=progress)
    assert result.documents == 3 and result.pages == 22 and not result.failed

    starts = [c for c in progress.calls if c[0] == "start"]
    assert starts == [("start", 103, "ingest"), ("start", 22, "OCR")]
    after = progress.calls[progress.calls.index(("start", 22, "OCR")) + 1:]
    assert sum(c[1] for c in after if c[0] == "advance") == 22
    # The small scans were committed first: the long one did not hold them back.
    order = [r[0] for r in conn.execute("SELECT d.format FROM events e JOIN documents d ON d.id = e.doc_id "
                                        "WHERE e.action = 'ocr' ORDER BY e.id")]
    assert order == ["image:png", "image:png", "pdf"]
    hit = search(conn, backend, "扫描件第17页号")
    assert len(hit) == 1 and hit[0].page == 17
    assert len(search(conn, backend, "社区志愿服务活动开展情况", limit=None)) == 100
    backend.close()
    conn.close()


def test_a_page_read_less_surely_than_the_workspace_accepts_goes_to_review(tmp_path):
    from dossier import operations as ops
    from examples.scans import make_scan

    src = tmp_path / "src" / "市文明办"
    make_scan(src, 5, "phone_photo", 150, name="手机拍的通知.jpg")
    ws, _ = ops.init(tmp_path / "ws", assessment_year=2026)
    ops.ingest(ws, [src.parent], workers=WORKERS)
    detail = ops.show(ws, "1")
    confidence = detail["ocr_pages"][0]["confidence"]
    assert detail["ocr_pages"][0]["engine"].startswith("rapidocr ") and 50 < confidence <= 100

    def problems(threshold: float) -> list[str]:
        ws.config.ocr_low_confidence = threshold
        write_config(ws.root, ws.config)
        found = [item for item in ops.review(ops.open_workspace(ws.root)) if item.doc_id == 1]
        return found[0].problems if found else []

    assert any(p.startswith("文字识别置信度低") for p in problems(confidence + 0.5))
    assert not any(p.startswith("文字识别置信度低") for p in problems(confidence - 0.5))
