"""A real HTTP server on 127.0.0.1 for tests: programmable routes, ETag/Last-Modified/304, faults.

    server.add("/a.xml", body=b"...", content_type="application/rss+xml")   # static, conditional GET
    server.add("/slow.xml", body=b"...", drip=0.5)                          # one byte every 0.5 s
    server.add("/gone.xml", status=410)
    server.add("/limit.xml", status=429, headers={"Retry-After": "120"})
    server.add("/r1", status=301, headers={"Location": "/r2"})

`server.hits[path]` counts requests; `server.conditional[path]` counts those that carried a validator;
`server.connections` counts the TCP connections accepted (keep-alive reuse shows as fewer connections than hits).
`server.posts[path]` lists the bodies POSTed there (answered with the route's status, 200 without a route).
"""

from __future__ import annotations

import gzip as _gzip
import hashlib
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    conditional: bool = True
    gzip: bool = False
    drip: float | None = None
    """Seconds between single bytes of the body (a slow-loris feed)."""
    hang: bool = False
    """Accept the request, then never answer."""
    reset_after: int | None = None
    """Send this many body bytes, then reset the connection."""
    last_modified: float = field(default_factory=time.time)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.posts: dict[str, list[bytes]] = {}
        self.connections = 0
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                server.connections += 1
                super().setup()

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._serve(self)

            def do_POST(self) -> None:
                server._record_post(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kw: object) -> str:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def update(self, path: str, body: bytes | str) -> None:
        """Change a route's body (new ETag, Last-Modified moves forward)."""
        route = self.routes[path]
        route.body = body.encode("utf-8") if isinstance(body, str) else body
        route.last_modified = max(time.time(), route.last_modified + 1)

    def close(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        self.hits[path] += 1
        self.user_agents.append(h.headers.get("User-Agent", ""))
        route = self.routes.get(path)
        if route is None:
            self._send(h, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.hang:
            self._stop.wait(60)
            return
        lm = formatdate(route.last_modified, usegmt=True)
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        if inm or ims:
            self.conditional[path] += 1
        if route.status == 200 and route.conditional and (inm == route.etag or (not inm and ims == lm)):
            self._send(h, 304, b"", {"ETag": route.etag, "Last-Modified": lm})
            return
        headers = {"Content-Type": route.content_type, **route.headers}
        if route.status == 200 and route.conditional:
            headers.update({"ETag": route.etag, "Last-Modified": lm})
        body = route.body
        if route.gzip:
            body = _gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.drip is not None or route.reset_after is not None:
            self._send_slowly(h, route, body, headers)
            return
        self._send(h, route.status, body, headers)

    def _record_post(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        body = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        self.posts.setdefault(path, []).append(body)
        route = self.routes.get(path)
        self._send(h, route.status if route else 200, b"ok", {"Content-Type": "text/plain"})

    def _send(self, h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            if "Content-Length" not in headers:
                h.send_header("Content-Length", str(len(body)) if status != 304 else "0")
            h.end_headers()
            if status != 304:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_slowly(
        self, h: BaseHTTPRequestHandler, route: Route, body: bytes, headers: dict[str, str]
    ) -> None:
        try:
            h.send_response(route.status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.flush()
            if route.reset_after is not None:
                h.wfile.write(body[: route.reset_after])
                h.wfile.flush()
                h.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                h.connection.close()
                return
            for i in range(len(body)):
                if self._stop.wait(route.drip or 0):
                    return
                h.wfile.write(body[i : i + 1])
                h.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
