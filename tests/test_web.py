"""The workbench over HTTP (Starlette's TestClient, the real app on a real workspace): pages,
the JSON API's shapes, roles, CSRF, sessions, escaping, paths, limits, and living beside the
command line."""
from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

import web
from cli import main
from common.errors import UserError
from dossier import operations as ops
from tests.webcity import PASSWORD, SCRIPT_TITLE, login, make_city


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return make_city(tmp_path_factory.mktemp("网页"))


@pytest.fixture
def client(ws):
    return TestClient(web.create_app(ws), raise_server_exceptions=False)


def _as(client, name):
    assert login(client, name).status_code == 303
    return client.get("/api/session").json()["csrf_token"]


def _doc_with_title(ws, title):
    return next(d for d in ops.list_docs(ws) if d["title"] == title)


def test_without_a_session_pages_go_to_login_and_the_api_answers_401(client):
    assert client.get("/healthz").status_code == 200
    page = client.get("/search?q=垃圾分类", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/search")
    for url in ("/api/search?q=垃圾分类", "/api/docs/1", "/api/coverage", "/api/session"):
        assert client.get(url).status_code == 401, url
    assert client.post("/api/docs/1/decisions", json={"add": ["Ⅲ-1"]}).status_code == 401


def test_login_sets_an_httponly_lax_cookie_and_a_wrong_password_is_refused(client):
    wrong = login(client, "督查", "not-the-password")
    assert wrong.status_code == 401 and "用户名或密码不对" in wrong.text
    ok = login(client, "督查")
    cookie = ok.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert client.get("/api/session").json()["user"] == "督查"


def test_failed_logins_are_rate_limited(client):
    for _ in range(5):
        assert login(client, "资料组", "wrong-password").status_code == 401
    blocked = login(client, "资料组")          # even the right password waits now
    assert blocked.status_code == 401 and "登录失败次数过多" in blocked.text


def test_search_api_has_the_cli_json_shape_and_filters(ws, client):
    _as(client, "督查")
    got = client.get("/api/search", params={"q": "垃圾分类", "limit": 5}).json()
    cli = ops.search(ws, "垃圾分类", limit=5)
    assert got["total"] == cli.total and [h["id"] for h in got["hits"]] == [h.id for h in cli.hits]
    assert set(got["hits"][0]) >= {"id", "sha256", "title", "department", "years", "score", "snippet", "page"}
    in_2025 = client.get("/api/search", params={"q": "垃圾分类", "year": 2025}).json()
    assert in_2025["total"] == ops.search(ws, "垃圾分类", ops.DocumentFilter(year=2025)).total
    assert all(2025 in h["years"] for h in in_2025["hits"])
    assert client.get("/api/search", params={"q": "垃" * 201}).status_code == 400


def test_search_page_marks_the_phrase_pages_and_exports(ws, client):
    _as(client, "督查")
    page = client.get("/search", params={"q": "垃圾分类"})
    assert page.status_code == 200 and "<mark>垃圾分类</mark>" in page.text
    assert f'<strong id="total">{ops.search(ws, "垃圾分类").total}</strong>' in page.text
    export = client.get("/search.xlsx", params={"q": "垃圾分类"})
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "标题") and len(rows) - 1 == ops.search(ws, "垃圾分类").total


def test_document_page_and_api_show_the_document_with_its_hit_page(ws, client):
    _as(client, "督查")
    doc = _doc_with_title(ws, "2025年垃圾分类工作总结")
    api = client.get(f"/api/docs/{doc['id']}").json()
    assert api == json.loads(json.dumps(ops.show(ws, str(doc["id"])), default=str))
    page = client.get(f"/docs/{doc['id']}", params={"q": "示范小区"})
    assert "<mark>示范小区</mark>" in page.text and "原件第 2 页" in page.text    # the page of the hit
    assert api["suggestions"] and all(s["reason"] in page.text for s in api["suggestions"])   # offered, with why
    picture = client.get(f"/docs/{doc['id']}/pages/2.png")
    assert picture.status_code == 200 and picture.content[:8] == b"\x89PNG\r\n\x1a\n"
    original = client.get(f"/docs/{doc['id']}/original")
    assert original.content[:5] == b"%PDF-" and "2025%E5%B9%B4" in original.headers["content-disposition"]
    assert client.get(f"/docs/{doc['id']}/pages/9.png").status_code == 422     # no such page: said, not a crash


def test_a_script_in_a_title_is_text_everywhere(ws, client):
    _as(client, "督查")
    doc = _doc_with_title(ws, SCRIPT_TITLE)
    for url in (f"/docs/{doc['id']}", "/search?q=垃圾分类", "/documents?department=市城管局"):
        text = client.get(url).text
        assert "<script>alert(1)</script>" not in text, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/docs/{doc['id']}").text


def test_paths_outside_the_workspace_are_not_found(client):
    _as(client, "督查")
    for url in ("/docs/..%2F..%2Fetc%2Fpasswd/original", "/volumes/files/..%2Fcatalog.sqlite",
                "/volumes/files/%2Fetc%2Fpasswd", "/static/..%2F..%2Fcli%2F__init__.py", "/docs/1%2F..%2F2"):
        response = client.get(url)
        assert response.status_code == 404 and "Traceback" not in response.text, url


def test_a_viewer_cannot_write_and_a_missing_csrf_token_is_refused(ws, client):
    token = _as(client, "督查")
    doc = _doc_with_title(ws, "2025年垃圾分类工作总结")
    refused = client.post(f"/api/docs/{doc['id']}/decisions", json={"add": ["Ⅲ-1"]}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    client.cookies.clear()
    _as(client, "资料组")
    assert client.post(f"/api/docs/{doc['id']}/decisions", json={"add": ["Ⅲ-1"]}).status_code == 403
    assert client.post(f"/docs/{doc['id']}/decide", data={"add": "Ⅲ-1"}).status_code == 403
    assert "Ⅲ-1" not in [t["code"] for t in ops.show(ws, str(doc["id"]))["tags"]]


def test_an_editor_decision_sticks_is_logged_with_the_user_and_moves_the_matrix(ws, client):
    token = _as(client, "资料组")
    doc = _doc_with_title(ws, "2025年垃圾分类工作总结")
    code = "Ⅲ-1"
    before = ops.coverage(ws).report.as_json()
    made = client.post(f"/api/docs/{doc['id']}/decisions", json={"add": [code], "years": [2024], "kind": "activity"},
                       headers={"X-CSRF-Token": token})
    assert made.status_code == 200
    tag = next(t for t in made.json()["tags"] if t["code"] == code)
    assert tag["status"] == "accepted" and tag["source"] == "manual" and made.json()["years"] == [2024]
    events = ops.document(ws, str(doc["id"]))["events"]
    assert {"tag-add", "years-set", "kind-set"} <= {e["action"] for e in events if e.get("user") == "资料组"}
    ops.retag(ws)                                   # an automatic pass never undoes a person
    assert code in [t["code"] for t in ops.show(ws, str(doc["id"]))["tags"] if t["status"] == "accepted"]
    after = ops.coverage(ws).report.as_json()
    cell = lambda report: next(i for i in report["indicators"] if i["code"] == code)["evidence"]["activity"]
    assert 2024 in cell(after)["present"] and 2024 not in cell(after)["auto_only"]
    assert cell(before) != cell(after)
    bad = client.post(f"/api/docs/{doc['id']}/decisions", json={"add": ["没有这个指标"]}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "error" in bad.json()


def test_a_write_waits_for_the_workspace_lock_and_then_says_so(ws, client, monkeypatch):
    from archive.locking import workspace_lock

    token = _as(client, "资料组")
    doc = _doc_with_title(ws, SCRIPT_TITLE)
    release = threading.Event()
    held = threading.Event()

    def hold():
        with workspace_lock(ws.lock_path, "ingest"):
            held.set()
            release.wait(30)
    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        busy = client.post(f"/api/docs/{doc['id']}/decisions", json={"kind": "statistics"},
                           headers={"X-CSRF-Token": token})
    finally:
        release.set()
        holder.join()
    assert busy.status_code == 409 and "另一个 dossier 进程" in busy.json()["error"]
    # nothing half-written, and once the lock is free the same decision goes through
    assert not [e for e in ops.document(ws, str(doc["id"]))["events"] if e["action"] == "kind-set"]
    done = client.post(f"/api/docs/{doc['id']}/decisions", json={"kind": "statistics"}, headers={"X-CSRF-Token": token})
    assert done.status_code == 200 and done.json()["kind"] == "statistics"


def test_new_documents_appear_without_a_restart(ws, client, tmp_path):
    from examples.docgen import write_docx

    _as(client, "督查")
    assert client.get("/api/search", params={"q": "夜间经济示范街"}).json()["total"] == 0
    write_docx(tmp_path / "市商务局" / "夜间经济.docx", "2025年夜间经济示范街建设情况", ["夜间经济示范街建成5条。"])
    ops.ingest(ws, [tmp_path], ocr="off")
    assert client.get("/api/search", params={"q": "夜间经济示范街"}).json()["total"] == 1


def test_coverage_api_and_pages_for_reviewers(ws, client):
    _as(client, "督查")
    api = client.get("/api/coverage").json()
    assert len(api["indicators"]) == len(ops.coverage(ws).report.indicators) and "completeness" in api
    matrix = client.get("/coverage").text
    assert "材料矩阵" in matrix and 'class="cell missing"' in matrix
    owed = ops.coverage(ws).report.owed_by_department()
    department = next(iter(owed))
    listing = client.get(f"/departments/{department}").text
    assert "催报单" in listing and owed[department][0][0].indicator.name in listing
    assert client.get("/review").status_code == 403          # the queue is the data group's


def test_errors_are_chinese_pages_never_tracebacks(client):
    _as(client, "督查")
    missing = client.get("/docs/99999")
    assert missing.status_code == 404 and "没有文件" in missing.text and "Traceback" not in missing.text
    assert client.get("/nowhere").status_code == 404
    bad = client.get("/search", params={"q": "志愿 AND"})
    assert bad.status_code == 200 and "AND 后面缺少词语" in bad.text


def test_users_from_the_command_line_and_their_roles(ws, tmp_path):
    runner = CliRunner()
    added = runner.invoke(main, ["-w", str(ws.root), "user", "add", "临时", "--role", "editor", "--password-stdin"],
                          input="一个足够长的密码\n")
    assert added.exit_code == 0 and added.output == "已添加用户 临时（editor）\n"
    listed = runner.invoke(main, ["-w", str(ws.root), "user", "list", "--json"])
    assert {"name": "临时", "role": "editor"}.items() <= next(u for u in json.loads(listed.output) if u["name"] == "临时").items()
    assert ops.users.authenticate(ws, "临时", "一个足够长的密码") == "editor"
    assert ops.users.authenticate(ws, "临时", "错的") is None
    short = runner.invoke(main, ["-w", str(ws.root), "user", "add", "短", "--password-stdin"], input="123\n")
    assert short.exit_code == 1 and "密码太短" in short.output
    removed = runner.invoke(main, ["-w", str(ws.root), "user", "remove", "临时"])
    assert removed.exit_code == 0 and ops.users.authenticate(ws, "临时", "一个足够长的密码") is None
    with pytest.raises(UserError):
        ops.users.remove_user(ws, "临时")


def test_a_removed_user_loses_the_session_at_once(ws, client):
    ops.users.add_user(ws, "离职", "viewer", PASSWORD)
    _as(client, "离职")
    ops.users.remove_user(ws, "离职")
    assert client.get("/api/session").status_code == 401


def test_serving_beyond_this_machine_needs_a_user(tmp_path):
    empty, _ = ops.init(tmp_path / "空", assessment_year=2026)
    result = CliRunner().invoke(main, ["-w", str(empty.root), "serve", "--host", "0.0.0.0", "--port", "1"])
    assert result.exit_code == 1 and "还没有任何用户" in result.output
    web.check_bind(empty, "127.0.0.1")                  # loopback is fine without users


def test_an_admin_builds_from_the_browser_and_downloads_the_volumes(ws, client):
    import time

    token = _as(client, "管理员")
    started = client.post("/volumes/build", data={"csrf": token}, follow_redirects=False)
    assert started.status_code == 303
    deadline = time.monotonic() + 120
    while client.get("/api/build").json()["running"] and time.monotonic() < deadline:
        time.sleep(0.2)
    state = client.get("/api/build").json()
    assert state["outcome"].startswith("完成") and state["lines"]
    listing = ops.volumes(ws)
    volume = listing["volumes"][0]
    from urllib.parse import quote
    assert quote(volume["files"]["docx"]) in client.get("/volumes").text
    download = client.get(f"/volumes/files/{volume['files']['docx']}")
    assert download.status_code == 200 and download.content[:2] == b"PK"
    table = client.get("/volumes/材料审核记录表.xlsx")
    assert table.status_code == 200 and table.content[:2] == b"PK"
    client.cookies.clear()
    token = _as(client, "资料组")
    assert client.post("/volumes/build", data={"csrf": token}).status_code == 403     # editors do not build


def test_every_page_forbids_foreign_scripts_and_framing(client):
    page = client.get("/login")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"


def test_after_login_only_a_path_of_this_site_is_followed(client):
    import re

    for target, expected in (("//evil.example/x", "/search"), ("/\\evil.example", "/search"),
                             ("https://evil.example/", "/search"), ("/coverage", "/coverage")):
        client.cookies.clear()
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        done = client.post("/login", data={"name": "督查", "password": PASSWORD, "csrf": token, "next": target},
                           follow_redirects=False)
        assert done.headers["location"] == expected, target


def test_a_port_in_use_is_said_in_one_line_before_anything_starts(ws):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["-w", str(ws.root), "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == f"错误：端口 {port} 已被占用（也许工作台已在运行）：换一个端口，如 --port {port + 1}\n"
