"""Photos as evidence: the year from the camera (EXIF), else from the file name; HEIC from phones;
a scene keeps no OCR text (its file name is its caption), a photographed notice keeps what it says."""
from __future__ import annotations

import datetime as dt

import pytest

from dossier import operations as ops
from examples.photos import notice_photo, save_photo, scene

PHOTOS = {
    # file name: (image seed, camera date or None, format)
    "市文明办/文明交通劝导活动现场.jpg": (1, dt.datetime(2023, 4, 15, 9, 30), "jpg"),
    "市文明办/2022年志愿服务启动仪式.jpg": (2, dt.datetime(2024, 3, 5, 10, 0), "jpg"),     # the camera wins
    "团市委/2024年学雷锋志愿服务活动.png": (3, None, "png"),                              # no EXIF: the name
    "团市委/社区垃圾分类宣传.heic": (4, dt.datetime(2025, 6, 1, 15, 20), "heic"),
}


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    base = tmp_path_factory.mktemp("照片")
    source = base / "材料"
    for name, (seed, taken, _) in PHOTOS.items():
        save_photo(scene(seed), source / name, taken)
    image, title = notice_photo(7)
    save_photo(image, source / "市文明办" / "公告栏通知.jpg", dt.datetime(2024, 9, 1, 8, 0))
    workspace, _ = ops.init(base / "工作区", assessment_year=2026)
    summary = ops.ingest(workspace, [source])
    assert not summary.failed, summary.failed
    return workspace, title


def _doc(ws, name: str) -> dict:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return next(d for d in ops.list_docs(ws) if any(s.endswith(name.rsplit("/", 1)[-1]) for s in d["sources"])
                or d["title"] == stem)


def test_a_photo_s_year_is_the_year_its_camera_took_it(ws):
    workspace, _ = ws
    assert _doc(workspace, "文明交通劝导活动现场.jpg")["years"] == [2023]
    assert _doc(workspace, "2022年志愿服务启动仪式.jpg")["years"] == [2024]
    detail = ops.show(workspace, str(_doc(workspace, "2022年志愿服务启动仪式.jpg")["id"]))
    assert "照片拍摄于 2024-03-05（相机记录）" in str(detail)


def test_without_exif_the_file_name_gives_the_year(ws):
    workspace, _ = ws
    assert _doc(workspace, "2024年学雷锋志愿服务活动.png")["years"] == [2024]


def test_a_heic_photo_from_a_phone_is_read_with_its_date(ws):
    workspace, _ = ws
    doc = _doc(workspace, "社区垃圾分类宣传.heic")
    assert doc["format"] == "image:heic" and doc["status"] == "ok" and doc["years"] == [2025]


def test_a_scene_keeps_no_ocr_text_and_its_caption_finds_it(ws):
    workspace, _ = ws
    doc = _doc(workspace, "文明交通劝导活动现场.jpg")
    detail = ops.document(workspace, str(doc["id"]))
    assert doc["status"] == "ok"
    assert "".join(page["text"] for page in detail["page_texts"]).strip() == ""
    hits = ops.search(workspace, "文明交通劝导").hits
    assert doc["id"] in {hit.id for hit in hits}
    # not read at all: a scene outdoors shows no paper, so no OCR time is spent on it
    assert [page["engine"] for page in ops.show(workspace, str(doc["id"]))["ocr_pages"]] == ["未识别：照片画面里没有纸面"]


def test_a_photographed_notice_keeps_what_it_says(ws):
    workspace, title = ws
    doc = _doc(workspace, "公告栏通知.jpg")
    assert ops.show(workspace, str(doc["id"]))["ocr_pages"][0]["engine"].startswith("rapidocr")
    detail = ops.document(workspace, str(doc["id"]))
    text = "".join(page["text"] for page in detail["page_texts"])
    assert "文明" in text and len(text) > 100
    assert doc["id"] in {hit.id for hit in ops.search(workspace, title[4:12]).hits}


@pytest.fixture(scope="module")
def activity(tmp_path_factory):
    """Three photos of one activity (one folder, one day), one of another day, and a report."""
    base = tmp_path_factory.mktemp("活动照片")
    folder = base / "材料" / "团市委" / "学雷锋志愿服务"
    for n in range(3):
        save_photo(scene(30 + n), folder / f"学雷锋志愿服务活动现场{n + 1}.jpg", dt.datetime(2024, 3, 5, 9, 10 + n))
    save_photo(scene(40), folder / "学雷锋志愿服务活动总结会.jpg", dt.datetime(2024, 4, 1, 15, 0))
    workspace, _ = ops.init(base / "工作区", assessment_year=2026)
    ops.ingest(workspace, [base / "材料"], ocr="off")
    for doc in ops.list_docs(workspace):
        ops.tag(workspace, str(doc["id"]), add=("Ⅲ-114",))
    return workspace


def test_photos_of_one_folder_and_day_are_one_activity(activity):
    docs = {d["title"]: d for d in ops.list_docs(activity)}
    same = {docs[f"学雷锋志愿服务活动现场{n}"]["activity"] for n in (1, 2, 3)}
    assert len(same) == 1 and same.pop().endswith("|2024-03-05")
    assert docs["学雷锋志愿服务活动总结会"]["activity"].endswith("|2024-04-01")


def test_a_volume_shows_an_activity_s_photos_several_to_a_page(activity):
    import json
    import zipfile

    outcome = ops.build(activity, ["Ⅲ-114"])
    manifest = json.loads((outcome.folder / ".dossier-build.json").read_text(encoding="utf-8"))
    volume = manifest["volumes"]["Ⅲ-114"]
    starts = volume["pdf"]["starts"]
    assert len(set(starts.values())) == 2 and volume["pdf"]["pages"] == 2     # three on one page, one on the next
    docx = next(p for p in outcome.folder.iterdir() if p.suffix == ".docx" and p.name.startswith("Ⅲ-114"))
    with zipfile.ZipFile(docx) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "第 1—3 件　照片（同一活动，2024-03-05）" in body and body.count("<pic:pic") == 4
    assert "图 2：学雷锋志愿服务活动现场2" in body


def test_a_caption_written_beside_a_photo_is_its_title_and_a_thumbnail_is_kept(tmp_path):
    source = tmp_path / "材料" / "市文明办"
    save_photo(scene(50), source / "IMG_20240504_091500.jpg", dt.datetime(2024, 5, 4, 9, 15))
    (source / "IMG_20240504_091500.txt").write_text("2024年5月4日 岚山社区 文明交通劝导志愿服务\n拍摄：王芳\n",
                                                     encoding="gb18030")
    workspace, _ = ops.init(tmp_path / "工作区", assessment_year=2026)
    ops.ingest(workspace, [tmp_path / "材料"], ocr="off")
    photo = next(d for d in ops.list_docs(workspace) if d["format"] == "image:jpeg")
    assert photo["title"] == "2024年5月4日 岚山社区 文明交通劝导志愿服务"
    assert photo["id"] in {hit.id for hit in ops.search(workspace, "文明交通劝导").hits}
    ops.check(workspace)
    thumbnails = list((workspace.cache_dir / "thumbnails").glob("*.jpg"))
    assert len(thumbnails) == 1 and photo["sha256"] in thumbnails[0].name
    from PIL import Image
    with Image.open(thumbnails[0]) as image:
        assert max(image.size) == 320
