"""A workbench over a small example city, shared by the web tests: a real workspace (catalogue,
index, store) from the generator, a document whose title is a script, and one user per role."""
from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

from examples.city import generate_city
from examples.docgen import write_docx, write_pdf

PASSWORD = "创城-密码-2026"
USERS = {"督查": "viewer", "资料组": "editor", "管理员": "admin"}
SCRIPT_TITLE = "<script>alert(1)</script>关于垃圾分类工作的通知"


def make_city(base: Path, docs: int = 40):
    from dossier import operations as ops

    src = base / "材料"
    # The city of the web tests is the one their expectations were written on: no photos (their own tests cover them).
    generate_city(src, docs=docs, libreoffice=False, formats="docx,pdf,doc,xlsx,xls,txt,scan,duplicate,broken")
    write_docx(src / "市城管局" / "脚本标题.docx", SCRIPT_TITLE, ["2025年，全市推进垃圾分类，生活垃圾回收利用率达到38%。"],
               date="2025年6月1日")
    write_docx(src / "市城管局" / "2024年垃圾分类宣传活动记录.docx", "2024年垃圾分类宣传活动记录",
               ["2024年3月，市城管局在12个社区开展垃圾分类宣传活动。"], date="2024年3月20日")
    write_pdf(src / "市城管局" / "2025年垃圾分类工作总结.pdf", "2025年垃圾分类工作总结",
              ["第一页：2025年垃圾分类工作总结，全年开展宣传活动40场。", "第二页：垃圾分类示范小区达到120个，厨余垃圾分出量提升。"])
    ws, _ = ops.init(base / "工作区", assessment_year=2026, deadline=__import__("datetime").date(2026, 5, 26))
    ops.ingest(ws, [src], ocr="off")
    for name, role in USERS.items():
        ops.users.add_user(ws, name, role, PASSWORD)
    return ws


def login(client, name: str, password: str = PASSWORD, follow: bool = False):
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf": token, "next": "/search"},
                       follow_redirects=follow)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The real server (uvicorn) on a free port in a thread, as `dossier serve` runs it."""

    def __init__(self, ws) -> None:
        import uvicorn

        import web

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(web.create_app(ws), host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
