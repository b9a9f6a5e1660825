"""The workbench under attack (TestClient on the real app and a real workspace): scripts in every
field a document brings, CSRF on every state change, every route held to its role, a new session
at login, traversal on every route with an id or a name, huge queries and bodies refused, and no
stack trace in any answer."""
from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

import web
from dossier import operations as ops
from examples.docgen import write_docx
from tests.webcity import login, make_city

XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
XSS_DEPARTMENT = "<b onmouseover=alert(3)>部门</b>"
XSS_FILE = "<svg onload=alert(4)>活动记录.docx"
# What must never reach a page unescaped.
RAW = re.compile(r"<img src=x|<script>alert|<svg onload|<b onmouseover", re.I)
STACK = re.compile(r"Traceback|File \"/|line \d+, in ")


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    base = tmp_path_factory.mktemp("网页攻击")
    workspace = make_city(base, docs=20)
    extra = base / "敌意材料"
    write_docx(extra / XSS_DEPARTMENT / XSS_FILE, f"{XSS}关于垃圾分类志愿服务活动的通知",
               [f"2025年垃圾分类志愿服务活动。{XSS}正文也带脚本。"], doc_number="文明办〔2025〕9号", date="2025年5月1日")
    ops.ingest(workspace, [extra], ocr="off")
    return workspace


@pytest.fixture
def client(ws):
    return TestClient(web.create_app(ws), raise_server_exceptions=False)


def _as(client, name: str) -> str:
    assert login(client, name).status_code == 303
    return client.get("/api/session").json()["csrf_token"]


def _xss_doc(ws) -> dict:
    return next(d for d in ops.list_docs(ws) if "onerror" in (d["title"] or ""))


def test_a_script_in_title_file_name_department_and_text_is_text_on_every_page(ws, client):
    _as(client, "管理员")
    doc = _xss_doc(ws)
    department = doc["department"]
    assert "onmouseover" in department
    pages = [f"/search?q=垃圾分类志愿服务", f"/docs/{doc['id']}", f"/docs/{doc['id']}?q=垃圾分类", "/documents",
             f"/documents?department={department}", "/review", "/departments", f"/departments/{department}",
             "/coverage", f"/coverage?department={department}", "/volumes", f"/api/docs/{doc['id']}",
             "/api/search?q=垃圾分类志愿服务"]
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        if path.startswith("/api/"):     # data, never a page: JSON that no browser renders (nosniff)
            assert answer.headers["content-type"].startswith("application/json")
            assert answer.headers["x-content-type-options"] == "nosniff"
            continue
        assert not RAW.search(answer.text), (path, RAW.search(answer.text).group(0))
    page = client.get(f"/docs/{doc['id']}").text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page or "&lt;script&gt;" in page


def _routes(app) -> list[tuple[str, set[str]]]:
    found = []
    for route in app.routes:
        if isinstance(route, Route):
            found.append((route.path, set(route.methods or {"GET"}) - {"HEAD"}))
        elif not isinstance(route, Mount):
            raise AssertionError(f"a route this test does not know: {route}")
    return found


# Every route, and the right it needs: a new route without a line here fails the test below.
RIGHTS = {
    "/healthz": None, "/login": None, "/static": None,
    "/": "read", "/search": "read", "/search.xlsx": "read", "/documents": "read", "/docs/{doc}": "read",
    "/docs/{doc}/original": "read", "/docs/{doc}/pages/{page:int}.png": "read", "/coverage": "read",
    "/departments": "read", "/departments/{name}": "read", "/volumes": "read", "/volumes/files/{name}": "read",
    "/volumes/材料审核记录表.xlsx": "read", "/api/session": "read", "/api/search": "read", "/api/docs/{doc}": "read",
    "/api/coverage": "read", "/api/build": "read",
    "/logout": "session", "/docs/{doc}/decide": "decide", "/review": "decide", "/api/docs/{doc}/decisions": "decide",
    "/volumes/build": "administer",
}
ROLE_RIGHTS = {"督查": {"read"}, "资料组": {"read", "decide"}, "管理员": {"read", "decide", "administer"}}


def _concrete(path: str, doc_id: int) -> str:
    url = path.replace("{doc}", str(doc_id)).replace("{page:int}", "1").replace("{name}", "市城管局")
    return url + ("?q=垃圾分类" if path in ("/search.xlsx", "/api/search") else "")


def test_every_route_is_known_and_held_to_its_role(ws):
    doc_id = _xss_doc(ws)["id"]
    app = web.create_app(ws)
    routes = _routes(app)
    assert {path for path, _ in routes} <= set(RIGHTS), {path for path, _ in routes} - set(RIGHTS)
    for path, methods in routes:
        right = RIGHTS[path]
        url = _concrete(path, doc_id)
        for method in methods:
            anonymous = TestClient(app, raise_server_exceptions=False).request(method, url, follow_redirects=False)
            if right is None:
                assert anonymous.status_code < 400 or path == "/login", (method, path, anonymous.status_code)
                continue
            assert anonymous.status_code in (303, 401, 403), (method, path, anonymous.status_code)
            if anonymous.status_code == 303:
                assert anonymous.headers["location"].startswith("/login")
            for user, rights in ROLE_RIGHTS.items():
                client = TestClient(app, raise_server_exceptions=False)
                token = _as(client, user)
                if method == "GET":
                    answer = client.get(url, follow_redirects=False)
                else:   # a state change, sent with the token so that only the role decides
                    answer = client.request(method, url, data={"csrf": token}, headers={"x-csrf-token": token},
                                            follow_redirects=False)
                allowed = right == "session" or right in rights
                if allowed:
                    assert answer.status_code != 403, (user, method, path, answer.status_code)
                else:
                    assert answer.status_code == 403, (user, method, path, answer.status_code)


STATE_CHANGES = [("/docs/{doc}/decide", "form"), ("/api/docs/{doc}/decisions", "json"), ("/volumes/build", "form"),
                 ("/logout", "form"), ("/login", "form")]


@pytest.mark.parametrize("path,body", STATE_CHANGES)
@pytest.mark.parametrize("token", ["none", "wrong", "other session's"])
def test_every_state_change_needs_this_session_s_csrf_token(ws, path, body, token):
    app = web.create_app(ws)
    doc = _xss_doc(ws)
    url = path.replace("{doc}", str(doc["id"]))
    client, other = TestClient(app, raise_server_exceptions=False), TestClient(app, raise_server_exceptions=False)
    _as(client, "管理员")
    given = {"none": "", "wrong": "x" * 43, "other session's": _as(other, "管理员")}[token]
    before = ops.show(ws, str(doc["id"]))["tags"]
    data = {"csrf": given, "add": "Ⅲ-1", "name": "管理员", "password": "x"}
    if body == "json":
        answer = client.post(url, json={"add": ["Ⅲ-1"]}, headers={"x-csrf-token": given} if given else {})
    else:
        answer = client.post(url, data=data, follow_redirects=False)
    assert answer.status_code == 403, (path, token, answer.status_code)
    assert "安全令牌" in answer.text
    assert ops.show(ws, str(doc["id"]))["tags"] == before
    assert client.get("/api/session").status_code == 200      # still logged in: /logout did nothing


def test_login_starts_a_new_session_and_the_old_cookie_is_not_logged_in(ws):
    app = web.create_app(ws)
    client = TestClient(app, raise_server_exceptions=False)
    client.get("/login")
    before = client.cookies.get("dossier_session")
    assert before
    _as(client, "督查")
    after = client.cookies.get("dossier_session")
    assert after and after != before
    planted = TestClient(app, raise_server_exceptions=False, cookies={"dossier_session": before})
    assert planted.get("/api/session").status_code == 401


def test_a_logged_out_session_cookie_is_dead_even_when_replayed(ws):
    app = web.create_app(ws)
    client = TestClient(app, raise_server_exceptions=False)
    token = _as(client, "资料组")
    stolen = client.cookies.get("dossier_session")
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    replay = TestClient(app, raise_server_exceptions=False, cookies={"dossier_session": stolen})
    assert replay.get("/api/session").status_code == 401


def test_login_attempts_are_limited_per_name_and_address(ws):
    client = TestClient(web.create_app(ws), raise_server_exceptions=False)
    for _ in range(5):
        assert login(client, "督查", "错的密码").status_code == 401
    locked = login(client, "督查")                           # even the right password now waits
    assert locked.status_code == 401 and "过多" in locked.text


TRAVERSALS = ["..%2F..%2Fdossier.toml", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e%2fcatalog.sqlite",
              "....%2F%2F....%2F%2Fetc%2Fpasswd", "%00", "a%00.docx", "..%5C..%5Cdossier.toml", "%252e%252e%252f", "~root",
              "1%2F..%2F..%2Fdossier.toml", "1;rm", "-1", "99999999999999999999999", "0x10", "１"]
NAMED_ROUTES = ["/docs/{x}", "/docs/{x}/original", "/docs/{x}/pages/1.png", "/departments/{x}", "/volumes/files/{x}",
                "/api/docs/{x}", "/static/{x}"]


@pytest.mark.parametrize("route", NAMED_ROUTES)
def test_no_route_with_an_id_or_name_reaches_outside_what_it_serves(ws, client, route):
    _as(client, "管理员")
    for part in TRAVERSALS:
        answer = client.get(route.replace("{x}", part))
        body = answer.content
        assert b"root:x:0:0" not in body and b"assessment_year" not in body and b"SQLite format" not in body, (route, part)
        assert not STACK.search(answer.text), (route, part)
        if route.startswith("/departments/"):   # a name to filter by, never a path: an unknown one owes nothing
            assert answer.status_code in (200, 404) and "root:x" not in answer.text, (route, part)
        elif answer.url.path.startswith(route.split("{x}")[0]):   # not folded away by the client's own normalising
            assert answer.status_code in (400, 404, 422), (route, part, answer.status_code)


def test_huge_query_strings_and_bodies_are_refused_in_words(ws, client):
    token = _as(client, "管理员")
    doc = _xss_doc(ws)
    for path in ("/search", "/api/search", "/documents"):
        answer = client.get(path, params={"q": "志" * 6_000})
        assert answer.status_code in (400, 414), (path, answer.status_code)
        assert re.search(r"[\u4e00-\u9fff]", answer.text)
    answer = client.post(f"/api/docs/{doc['id']}/decisions", content=b'{"add": ["' + b"x" * (8 << 20) + b'"]}',
                         headers={"x-csrf-token": token, "content-type": "application/json"})
    assert answer.status_code == 413 and "太大" in answer.json()["error"]
    answer = client.post("/login", content=b"name=" + b"a" * (8 << 20), headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413


ODD_PARAMS = ["page=0", "page=-1", "page=99999999999999999999", "page=abc", "limit=abc", "limit=100000", "year=abc",
              "year=99999", "kind=xx", "indicator=%27%20OR%201%3D1", "department=%00", "q=%00", "q=NOT%20NOT%20x",
              "q=%28%28%28", "q=%22", "script=%3Cscript%3E", "next=%2F%2Fevil.example", "q=" + "%E5%BF%97" * 300]


def test_no_answer_to_odd_parameters_is_a_stack_trace_or_a_server_error(ws, client):
    _as(client, "管理员")
    doc_id = _xss_doc(ws)["id"]
    for path in ("/search", "/api/search", "/documents", "/coverage", "/review", f"/docs/{doc_id}", "/api/coverage",
                 "/departments", "/login", "/volumes", "/search.xlsx"):
        for params in ODD_PARAMS:
            answer = client.get(f"{path}?{params}", follow_redirects=False)
            assert answer.status_code < 500, (path, params, answer.status_code)
            assert not STACK.search(answer.text), (path, params)


BAD_DECISIONS = [b"", b"null", b"[]", b"{", b'{"add": "x"}', b'{"years": ["abc"]}', b'{"years": [99999999999999999999]}',
                 b'{"kind": "xx"}', b'{"add": ["NOPE"]}', b'{"add": [{"a": 1}]}', b'{"remove": [null]}', b'"\\u0000"',
                 b'{"add": ["' + "Ⅲ-1".encode() + b'"], "years": [1e308]}']


def test_bad_decision_bodies_are_refused_in_words_and_change_nothing(ws, client):
    token = _as(client, "资料组")
    doc = _xss_doc(ws)
    before = ops.show(ws, str(doc["id"]))
    for body in BAD_DECISIONS:
        answer = client.post(f"/api/docs/{doc['id']}/decisions", content=body,
                             headers={"x-csrf-token": token, "content-type": "application/json"})
        if body:
            assert answer.status_code in (400, 404, 422), (body, answer.status_code)
            assert re.search(r"[\u4e00-\u9fff]", answer.json()["error"]), body
    after = ops.show(ws, str(doc["id"]))
    assert (after["tags"], after["years"], after["kind"]) == (before["tags"], before["years"], before["kind"])
