"""A hostile feed farm on 127.0.0.1: every way a feed server or a feed document can go wrong, plus good feeds.

`HostileServer` extends `tests.feedserver.FeedServer` with streamed routes (bodies generated lazily, so a
"300 MB" body or a gzip that inflates to 4 GB costs the test only what the client reads), a delay before the
response, and a raw status line (hostile reason phrases). `build_farm(server, tmp_path)` registers the whole
catalogue and returns `Farm`: one `Case` per feed with what the poll must do with it.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import brotli

from tests.feedserver import FeedServer

RSS = "application/rss+xml; charset=utf-8"
MB = 1024 * 1024


@dataclass
class Stream:
    chunks: Callable[[], Iterator[bytes]]
    status: int = 200
    reason: str | None = None
    content_type: str = RSS
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = True
    """Chunked transfer encoding; else no length at all and the body ends when the connection closes."""
    delay: float = 0.0
    """Seconds to wait before the status line."""
    reset_after: int | None = None
    """Write this many body bytes, then reset the connection (RST, not a clean close)."""


class HostileServer(FeedServer):
    def __init__(self) -> None:
        self.streams: dict[str, Stream] = {}
        self.sent: dict[str, int] = {}
        """Body bytes actually written per streamed path (proves the client stopped reading early)."""
        super().__init__()
        self.httpd.socket.listen(256)
        self.httpd.handle_error = (
            lambda request, client_address: None
        )  # resets and TLS probes are the point  # a poll opens dozens of connections at once; the default backlog is 5

    def stream(self, path: str, chunks: Callable[[], Iterator[bytes]], **kw: object) -> str:
        self.streams[path] = Stream(chunks=chunks, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?")[0]
        route = self.streams.get(path)
        if route is None:
            super()._serve(h)
            return
        self.hits[path] += 1
        if route.delay and self._stop.wait(route.delay):
            return
        try:
            h.send_response(route.status, route.reason)
            h.send_header("Content-Type", route.content_type)
            for k, v in route.headers.items():
                h.send_header(k, v)
            if route.chunked:
                h.send_header("Transfer-Encoding", "chunked")
            else:
                h.send_header("Connection", "close")
            h.end_headers()
            sent = 0
            for chunk in route.chunks():
                if self._stop.is_set():
                    return
                if not chunk:
                    continue
                if route.chunked:
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    h.wfile.write(chunk)
                sent += len(chunk)
                self.sent[path] = sent
                if route.reset_after is not None and sent >= route.reset_after:
                    h.wfile.flush()
                    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    h.wfile.close()  # the socket really closes (with RST) only once every file object is gone
                    h.rfile.close()
                    h.connection.close()
                    h.wfile = io.BytesIO()  # for the handler's own finish()
                    h.close_connection = True
                    return
            if route.chunked:
                h.wfile.write(b"0\r\n\r\n")
            h.wfile.flush()
            if not route.chunked:
                h.close_connection = True
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass


# -- documents ---------------------------------------------------------------------------------------------


def rss(
    items: list[str], title: str = "Feed", extra_head: str = "", decl: str = '<?xml version="1.0"?>'
) -> str:
    return (
        f'{decl}\n{extra_head}<rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://site.example/</link><description>d</description>{''.join(items)}</channel></rss>"
    )


def item(
    guid: str | None,
    title: str,
    link: str | None = None,
    *,
    date: str | None = "Mon, 02 Jun 2025 10:00:00 GMT",
    description: str = "",
    author: str | None = None,
) -> str:
    parts = [f"<guid isPermaLink='false'>{guid}</guid>" if guid else "", f"<title>{title}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    if description:
        parts.append(f"<description>{description}</description>")
    if author:
        parts.append(f"<author>{author}</author>")
    return "<item>" + "".join(parts) + "</item>"


def good_feed(name: str, n: int) -> tuple[str, list[tuple[str, str, str]]]:
    """A plain, valid feed; returns (document, [(guid, title, url)])."""
    rows = [
        (f"{name}-{i}", f"{name} story {i}: Baltic patrol update", f"https://{name}.example/news/{i}")
        for i in range(n)
    ]
    doc = rss(
        [
            item(g, t, u, date=f"Mon, 02 Jun 2025 {10 + i % 10:02d}:00:00 GMT", description=f"Body of {g}.")
            for i, (g, t, u) in enumerate(rows)
        ],
        title=f"{name} news",
    )
    return doc, rows


def huge_spaces(total: int) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>huge</title><description>'
        block = b" " * (256 * 1024)
        for _ in range(total // len(block)):
            yield block
        yield b"</description></channel></rss>"

    return gen


def gzip_bomb(inflated: int) -> Callable[[], Iterator[bytes]]:
    """A gzip stream of `inflated` bytes of spaces (about 1000:1), compressed only as fast as it is read."""

    def gen() -> Iterator[bytes]:
        c = zlib.compressobj(9, zlib.DEFLATED, 31)
        yield c.compress(b'<?xml version="1.0"?><rss><channel><title>bomb</title><description>')
        block = b" " * MB
        for _ in range(inflated // MB):
            out = c.compress(block)
            if out:
                yield out
        yield c.compress(b"</description></channel></rss>") + c.flush()

    return gen


def brotli_bomb(inflated: int) -> Callable[[], Iterator[bytes]]:
    def gen() -> Iterator[bytes]:
        c = brotli.Compressor(quality=1)
        yield c.process(b'<?xml version="1.0"?><rss><channel><title>bomb</title><description>')
        block = b" " * MB
        for _ in range(inflated // MB):
            out = c.process(block) + c.flush()
            if out:
                yield out
        yield c.process(b"</description></channel></rss>") + c.finish()

    return gen


def many_items(n: int) -> str:
    return rss([item(f"m{i}", f"Item {i}", f"https://many.example/{i}") for i in range(n)], title="many")


# Text that must never reach the terminal as control sequences, and markup that must stay literal.
NASTY = {
    "csi": "Red \x1b[31mALERT\x1b[0m and clear \x1b[2J screen",
    "osc52": "Clipboard \x1b]52;c;cm0gLXJmIH4=\x07 write",
    "title": "Window \x1b]0;pwned\x1b\\ title",
    "dcs": "Device \x1bP1$tx\x1b\\ control",
    "c0c1": "Bell\x07 back\x08space nul-free \x0b\x0c vt ff \x85 nel \x9b31m csi8 \x9d0;x\x9c",
    "bidi": "Invoice \u202egnp.exe\u202c and \u2066isolate\u2069 zero\u200bwidth",
    "markup": "[bold red]Rich[/bold red] [link=https://evil.example]click[/link] [@click=app.quit]q[/]",
}


def xml_text(s: str) -> str:
    """`s` as XML character data: C0 controls are not allowed raw in XML 1.0, so they become references
    (which expat refuses too -- the loose parser then takes them, as real broken feeds are parsed)."""
    return s.replace("&", "&amp;").replace("<", "&lt;")


@dataclass(frozen=True)
class Case:
    name: str
    url: str
    expect: str
    """ok | error | any (either a clear error or a correct parse)"""
    error: tuple[str, ...] = ()
    """For errors: one of these substrings must be in the feed's error."""
    items: tuple[tuple[str, str, str], ...] | None = None
    """For good feeds: exactly these (guid, title, url) rows must be stored for it."""


@dataclass
class Farm:
    cases: list[Case]
    secret: Path
    secret_text: str

    def by_name(self) -> dict[str, Case]:
        return {c.name: c for c in self.cases}

    def feeds(self) -> list[dict[str, str]]:
        return [{"name": c.name, "url": c.url} for c in self.cases]


def build_farm(s: HostileServer, tmp_path: Path) -> Farm:
    cases: list[Case] = []

    def ok(
        name: str, body: str | bytes, rows: list[tuple[str, str, str]] | None = None, **kw: object
    ) -> None:
        cases.append(Case(name, s.add(f"/{name}.xml", body, **kw), "ok", items=tuple(rows) if rows else None))

    def err(name: str, url: str, *needles: str) -> None:
        cases.append(Case(name, url, "error", error=needles))

    def anyway(name: str, body: str | bytes, **kw: object) -> None:
        cases.append(Case(name, s.add(f"/{name}.xml", body, **kw), "any", error=("not a feed",)))

    # -- good feeds, stored exactly --------------------------------------------------------------------
    for name, n in (("alpha", 7), ("bravo", 12), ("charlie", 3)):
        doc, rows = good_feed(name, n)
        ok(name, doc, rows)
    doc, rows = good_feed("gzipped", 4)
    ok("gzipped", doc, rows, gzip=True)
    # gzip bytes without Content-Encoding (the way some servers send .xml.gz): decoded by us, capped
    import gzip as _gz

    doc, rows = good_feed("gzraw", 2)
    ok("gzraw", _gz.compress(doc.encode()), rows, content_type="application/octet-stream")
    doc, rows = good_feed("chain5", 2)
    s.add("/chain5-final.xml", doc)
    for i in range(5):
        nxt = f"/chain5-{i + 1}" if i < 4 else "/chain5-final.xml"
        s.add(f"/chain5-{i}", status=302, headers={"Location": nxt}, conditional=False)
    cases.append(Case("chain5", s.url("/chain5-0"), "ok", items=tuple(rows)))
    doc, rows = good_feed("utf16", 3)
    rows = [(g, t.replace("Baltic", "Östersjön"), u) for g, t, u in rows]
    doc = doc.replace("Baltic", "Östersjön").replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>'
    )
    ok("utf16", b"\xff\xfe" + doc.encode("utf-16-le"), rows, content_type="application/xml")

    # -- network faults --------------------------------------------------------------------------------
    err("hang", s.add("/hang.xml", hang=True), "timed out", "within")
    err("drip", s.add("/drip.xml", good_feed("drip", 5)[0], drip=0.5), "within", "timed out")
    reset_doc = good_feed("reset", 50)[0].encode()
    err(
        "reset",
        s.stream(
            "/reset.xml",
            lambda: iter([reset_doc[:300], reset_doc[300:]]),
            reset_after=300,
            headers={"Content-Length": str(len(reset_doc))},
            chunked=False,
        ),
        "broken",
    )
    err("dns", "http://nordwatch-hostile-test.invalid/feed.xml", "DNS lookup failed")
    err("tls", f"https://127.0.0.1:{s.port}/alpha.xml", "TLS error")
    for i in range(3):
        s.add(f"/loop{i}", status=302, headers={"Location": f"/loop{(i + 1) % 3}"}, conditional=False)
    err("redirect_loop", s.url("/loop0"), "more than 5 redirects")
    for i in range(6):
        s.add(f"/chain6-{i}", status=301, headers={"Location": f"/chain6-{i + 1}"}, conditional=False)
    s.add("/chain6-6", good_feed("chain6", 1)[0])
    err("redirect_chain6", s.url("/chain6-0"), "more than 5 redirects")
    err(
        "redirect_js",
        s.add("/to-js", status=302, headers={"Location": "javascript:alert(1)"}, conditional=False),
        "unsupported URL",
        "invalid URL",
    )
    err(
        "redirect_file",
        s.add("/to-file", status=302, headers={"Location": "file:///etc/passwd"}, conditional=False),
        "unsupported URL",
    )
    for code in (404, 410, 500, 502, 503):
        err(f"http{code}", s.add(f"/s{code}.xml", status=code, conditional=False), f"HTTP {code}")
    err(
        "http429_retry",
        s.add("/429r.xml", status=429, headers={"Retry-After": "3600"}, conditional=False),
        "retry after 3600s",
    )
    err("http429", s.add("/429.xml", status=429, conditional=False), "HTTP 429")
    err(
        "http503_retry_date",
        s.add(
            "/503r.xml",
            status=503,
            headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"},
            conditional=False,
        ),
        "retry after 86400s",
    )
    err("empty200", s.add("/empty.xml", b""), "empty response body")
    err("blank200", s.add("/blank.xml", b"  \r\n\t \n"), "empty response body")
    err(
        "osc_reason",
        s.stream(
            "/osc-reason.xml", lambda: iter([b""]), status=500, reason="Oops \x1b]52;c;ZXZpbA==\x07 \x1b[2J"
        ),
        "HTTP 500 Oops",
    )
    err(
        "zstd",
        s.add("/zstd.xml", b"(\xb5/\xfd\x00Xhello", headers={"Content-Encoding": "zstd"}),
        "unsupported Content-Encoding",
    )
    doc, rows = good_feed("brotli", 3)
    ok("brotli", brotli.compress(doc.encode()), rows, headers={"Content-Encoding": "br"})

    # -- size ------------------------------------------------------------------------------------------
    err(
        "huge_declared",
        s.stream(
            "/huge-cl.xml",
            huge_spaces(300 * MB),
            chunked=False,
            headers={"Content-Length": str(300 * MB + 120)},
        ),
        "larger than",
    )
    err("huge_chunked", s.stream("/huge-chunked.xml", huge_spaces(300 * MB)), "larger than")
    err("huge_unframed", s.stream("/huge-unframed.xml", huge_spaces(300 * MB), chunked=False), "larger than")
    err(
        "gzip_bomb",
        s.stream("/bomb.xml", gzip_bomb(4096 * MB), headers={"Content-Encoding": "gzip"}),
        "larger than",
    )
    err("gzip_bomb_raw", s.stream("/bomb-raw.xml", gzip_bomb(4096 * MB)), "larger than")
    err(
        "brotli_bomb",
        s.stream("/bomb-br.xml", brotli_bomb(4096 * MB), headers={"Content-Encoding": "br"}),
        "larger than",
    )
    cases.append(Case("many_items", s.add("/many.xml", many_items(20_000)), "ok"))
    long_title = "Long " + "x" * MB
    ok("long_title", rss([item("lt-1", long_title, "https://long.example/1")], title="L" * MB))

    # -- XML attacks -----------------------------------------------------------------------------------
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    anyway(
        "billion_laughs",
        rss(
            [item("bl-1", "Laughs &lol9;", "https://lol.example/1", description="&lol9;")],
            extra_head="<!DOCTYPE rss [\n" + "\n".join(lol) + "\n]>\n",
        ),
    )
    big = "B" * 50_000
    anyway(
        "quadratic",
        rss(
            [item("qb-1", "Quadratic", "https://quad.example/1", description="&big;" * 2_000)],
            extra_head=f'<!DOCTYPE rss [\n<!ENTITY big "{big}">\n]>\n',
        ),
    )
    anyway(
        "quadratic_utf16be",
        rss(
            [item("qb-2", "Quadratic BE", "https://quad.example/2", description="&big;" * 2_000)],
            extra_head=f'<!DOCTYPE rss [\n<!ENTITY big "{big}">\n]>\n',
            decl='<?xml version="1.0" encoding="utf-16be"?>',
        ).encode("utf-16-be"),
    )
    secret = tmp_path / "secret.txt"
    secret_text = f"NORDWATCH-SECRET-{os.getpid()}-d41d8cd9"
    secret.write_text(secret_text + "\n")
    anyway(
        "xxe_file",
        rss(
            [item("xxe-1", "XXE &xxe;", "https://xxe.example/1", description="leak: &xxe;")],
            extra_head=f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>\n',
        ),
    )
    anyway(
        "xxe_param",
        rss(
            [item("xxe-2", "XXE param", "https://xxe.example/2")],
            extra_head=f'<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "file://{secret}">\n%p;\n]>\n',
        ),
    )
    anyway(
        "xxe_doctype_system",
        rss(
            [item("xxe-3", "XXE sys", "https://xxe.example/3")],
            extra_head=f'<!DOCTYPE rss SYSTEM "file://{secret}">\n',
        ),
    )
    anyway(
        "redos_doctype",
        ("<!DOCTYPE " + "[]  " * 5_000 + "\n" + rss([item("rd-1", "ReDoS", "https://redos.example/1")])),
    )
    anyway("body_is_a_path", str(secret).encode())
    bad_utf8 = rss([item("u8-1", "Caf\xe9 \xff\xfe broken", "https://badutf8.example/1")]).encode("latin-1")
    anyway(
        "invalid_utf8", bad_utf8.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="utf-8"?>')
    )
    err(
        "html_page",
        s.add(
            "/html.xml",
            "<!doctype html><html><head><title>Login</title></head><body><p>Sign in</p></body></html>",
            content_type="text/html; charset=utf-8",
        ),
        "not a feed",
    )
    garbage = bytes((i * 7919 + 13) % 256 for i in range(64 * 1024))
    err("binary", s.add("/bin.xml", garbage, content_type="application/octet-stream"), "not a feed")
    trunc, _ = good_feed("trunc", 10)
    anyway("truncated", trunc[: len(trunc) // 2])
    err("truncated_prolog", s.add("/tp.xml", '<?xml version="1.0"?><rss version="2.0"><chan'), "not a feed")

    # -- content: stored, but cleaned -----------------------------------------------------------------
    nasty_items = [
        item(
            f"n-{k}",
            xml_text(v),
            f"https://nasty.example/{k}",
            description=xml_text(v) + " <b>bold</b>",
            author=xml_text(v),
        )
        for k, v in NASTY.items()
    ]
    nasty_items += [
        item("n-js", "Javascript link", "javascript:alert(document.cookie)", description="js"),
        item("n-file", "File link", "file:///etc/passwd", description="file"),
        item(
            "n-data", "Data link", "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;", description="data"
        ),
        item(
            "n-script",
            "Script and iframe",
            "https://nasty.example/script",
            description="&lt;p&gt;Hello&lt;script&gt;alert('x')&lt;/script&gt;&lt;iframe src='https://evil.example'&gt;"
            "frame text&lt;/iframe&gt;&lt;style&gt;p{color:red}&lt;/style&gt; world&lt;/p&gt;",
        ),
        item(
            "n-cdata",
            "CDATA <![CDATA[\x1b[31mred]]>",
            "https://nasty.example/cdata",
            description="<![CDATA[<img src=x onerror=alert(1)>\x1b]52;c;eA==\x07after]]>",
        ),
    ]
    cases.append(
        Case("nasty", s.add("/nasty.xml", rss(nasty_items, title="Nasty \x1b[5mfeed\x1b[0m [b]x[/b]")), "ok")
    )

    dates = [
        item("d-none", "No date", "https://dates.example/none", date=None),
        item("d-junk", "Junk date", "https://dates.example/junk", date="yesterday-ish \x1b[31m"),
        item("d-future", "Future date", "https://dates.example/future", date="Sat, 01 Jan 2150 00:00:00 GMT"),
        item("d-old", "Old date", "https://dates.example/old", date="Mon, 01 Jan 1979 00:00:00 GMT"),
        item("d-epoch", "Epoch date", "https://dates.example/epoch", date="Thu, 01 Jan 1970 00:00:00 GMT"),
        item("d-ok", "Good date", "https://dates.example/ok", date="Mon, 02 Jun 2025 10:00:00 GMT"),
    ]
    cases.append(Case("dates", s.add("/dates.xml", rss(dates)), "ok"))

    dups = [
        item("dup-1", "Same guid first", "https://dups.example/a"),
        item("dup-1", "Same guid again", "https://dups.example/a2"),
        item("dup-2", "Same story, other guid", "https://dups.example/a?utm_source=rss"),
        item("dup-3", "Shared story", "https://shared.example/story"),
    ]
    cases.append(Case("dups", s.add("/dups.xml", rss(dups)), "ok"))
    cases.append(
        Case(
            "dups_other",
            s.add(
                "/dups-other.xml",
                rss([item("o-1", "Shared story elsewhere", "http://www.shared.example/story")]),
            ),
            "ok",
        )
    )
    return Farm(cases=cases, secret=secret, secret_text=secret_text)
