"""The workbench in a browser (`dossier serve`): Starlette pages and a JSON API over
dossier.operations, served by uvicorn. Its face: `create_app` and `serve`."""
from __future__ import annotations

import errno
import ipaddress

from common.errors import os_reason, DossierError
from common.messages import _
from dossier import operations as ops
from web.app import create_app

__all__ = ["create_app", "serve", "check_bind", "ServeError"]


class ServeError(DossierError):
    """The server cannot start as asked."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(ws: ops.Workspace, host: str, port: int | None = None) -> None:
    """Another machine may reach the server only once someone can log in (and no one else can);
    and the port must be free."""
    if not _loopback(host) and not ops.users.has_users(ws):
        raise ServeError(_("还没有任何用户，不能在 {host} 上对外提供服务：先运行 dossier user add 名字 --role admin").format(host=host))
    if port is not None:
        _check_port(host, port)


def serve(ws: ops.Workspace, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve in the foreground until Ctrl+C."""
    import uvicorn

    check_bind(ws, host, port)
    config = uvicorn.Config(create_app(ws), host=host, port=port, log_level="warning", access_log=False,
                            server_header=False)
    uvicorn.Server(config).run()


def _check_port(host: str, port: int) -> None:
    """uvicorn only logs a port it cannot bind and exits: say it in one line first."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError(_("端口 {port} 已被占用（也许工作台已在运行）：换一个端口，如 --port {other}").format(
                    port=port, other=port + 1)) from exc
            raise ServeError(_("无法在 {host}:{port} 上启动：{why}（检查 --host 是否是本机的地址）").format(
                host=host, port=port, why=os_reason(exc))) from exc
