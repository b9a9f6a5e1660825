"""A scanned PDF keeps its page images in the docx volume after OCR has read its text."""
import docx

from archive import catalogue
from archive.catalogue.database import Transaction
from archive.ingest.run import ingest
from archive.workspace import init_workspace
from dossier.build.volumes import build_volumes
from archive.catalogue.decisions import add_manual_tag
from dossier.systems.model import load_system
from examples.docgen import write_image_pdf, write_scan_png


def test_ocr_pages_are_shown_as_scans(tmp_path):
    src = tmp_path / "src" / "团市委"
    src.mkdir(parents=True)
    png = write_scan_png(tmp_path / "p.png", "学雷锋志愿服务活动签到表\n2025年3月5日，社区志愿服务站组织活动。", dpi=100)
    write_image_pdf(src / "签到表扫描件.pdf", [png])
    ws, _ = init_workspace(tmp_path / "ws", assessment_year=2026)
    ingest(ws, [src.parent], workers=1, ocr="auto")
    conn = catalogue.connect(ws.catalog_path)
    doc_id, status = conn.execute("SELECT id, status FROM documents").fetchone()
    assert status == "ok"
    assert conn.execute("SELECT COUNT(*) FROM pages WHERE doc_id = ? AND ocr = 1", (doc_id,)).fetchone()[0] == 1
    with Transaction(conn):
        add_manual_tag(conn, doc_id, "Ⅲ-114")
    build_volumes(ws, conn, load_system("civilized-city"), ["Ⅲ-114"], ws.out_dir, {"docx"})
    conn.close()
    volume = docx.Document(str(next(ws.out_dir.glob("Ⅲ-114*.docx"))))
    assert len(volume.inline_shapes) == 1
