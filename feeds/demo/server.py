"""A small, quiet, stdlib-only HTTP/1.1 file server on 127.0.0.1 for the demo and the test suite.

It behaves like a well-run feed host: Content-Type by extension, a content-hash ETag and Last-Modified with
304 answers to conditional requests, gzip when the client asks for it, HEAD, 404 for missing files, and no
way out of the served directory.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from types import TracebackType
from urllib.parse import quote, unquote, urlsplit

CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".json": "application/json",
    ".toml": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
}


def content_type(path: Path) -> str:
    """The Content-Type we send for a file name."""
    ctype = CONTENT_TYPES.get(path.suffix.lower())
    if ctype:
        return ctype
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        return q > 0
    return False


def _etag_matches(header: str, etags: tuple[str, ...]) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison (RFC 9110 13.1.2): W/ prefixes are ignored.
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return any(e in wanted for e in etags)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nordwatch-demo/1"

    def version_string(self) -> str:
        return self.server_version

    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the demo runs under a TUI and tests read stderr."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _error(self, status: HTTPStatus, head: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _resolve(self) -> Path | None:
        """Map the request path to a file inside the root, or None if it is not allowed."""
        raw = unquote(urlsplit(self.path).path)
        if "\\" in raw or "\x00" in raw or not raw.startswith("/") or raw.startswith("//"):
            return None
        parts = PurePosixPath(raw).parts[1:]
        if any(p in ("..", ".") for p in parts) or ".." in raw.split("/"):
            return None
        root = self.server.root
        target = root.joinpath(*parts) if parts else root
        try:
            resolved = target.resolve()
        except OSError:
            return None
        if resolved != root and root not in resolved.parents:
            return None
        return resolved

    def _serve(self, head: bool) -> None:
        target = self._resolve()
        if target is None:
            self._error(HTTPStatus.BAD_REQUEST, head)
            return
        if not target.is_file():
            self._error(HTTPStatus.NOT_FOUND, head)
            return
        try:
            data = target.read_bytes()
            mtime = int(target.stat().st_mtime)
        except OSError:
            self._error(HTTPStatus.NOT_FOUND, head)
            return
        digest = hashlib.sha256(data).hexdigest()[:20]
        etag_plain, etag_gzip = f'"{digest}"', f'"{digest}-gzip"'
        use_gzip = _accepts_gzip(self.headers.get("Accept-Encoding"))
        etag = etag_gzip if use_gzip else etag_plain
        last_modified = formatdate(mtime, usegmt=True)

        if self._not_modified(etag_plain, etag_gzip, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return

        if use_gzip:
            # mtime=0 keeps the compressed bytes stable for a given file.
            data = gzip.compress(data, mtime=0)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(target))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        if use_gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _not_modified(self, etag_plain: str, etag_gzip: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            # If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.1.3).
            return _etag_matches(inm, (etag_plain, etag_gzip))
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            return since.tzinfo is not None and mtime <= since.timestamp()
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    root: Path

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that hang up mid-response; the demo has no console to print to."""


class DemoServer:
    """A running file server; use as a context manager or call ``close()``."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise NotADirectoryError(str(self.root))
        self._server = _Server((host, port), _Handler)
        self._server.root = self.root
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="nordwatch-demo-http",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def url_for(self, filename: str) -> str:
        """The URL of a file in the served directory."""
        return f"{self.base_url}/{quote(filename.lstrip('/'))}"

    def close(self) -> None:
        """Stop serving and free the port; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DemoServer({str(self.root)!r}, {self.base_url!r})"


def serve_directory(path: Path, *, host: str = "127.0.0.1", port: int = 0) -> DemoServer:
    """Serve the files in ``path`` from a daemon thread; port 0 picks a free port."""
    return DemoServer(Path(path), host=host, port=port)
