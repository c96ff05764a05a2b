"""Fetch one feed over HTTP: conditional GET, redirects (capped), size caps, and a total deadline.

httpx's timeouts are per network operation, so a server dripping a byte every half second never trips them;
`fetch_feed` wraps the whole exchange in a deadline. Compressed bodies are decompressed here, not by httpx, so
the *decompressed* size is capped too (a small gzip that inflates to gigabytes stops at `max_bytes`).
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

# httpx's __init__ imports its command-line tool (httpx._main), which loads rich and pygments when they are installed
# (Textual brings them): ~45 ms of every poll's start-up for a CLI we never run. A None entry makes that import fail,
# and httpx then defines the stub it uses when its `cli` extra is missing. Only before httpx is first imported.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpx

from feeds.sanitize import clean_text

MAX_REDIRECTS = 5
RETRY_AFTER_CAP_S = 86_400
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    outcome: str
    """ok | not_modified | error"""
    http_status: int | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    final_url: str | None = None
    error: str | None = None
    retry_after_s: int | None = None
    elapsed_s: float = 0.0


class _TooLarge(Exception):
    pass


class _Inflater:
    """Incremental gzip/deflate decoding with a hard cap on output size."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.total = 0
        if encoding == "gzip":
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()
        elif encoding == "br":
            import brotli

            self._br = brotli.Decompressor()
            self._d = None
        else:
            self._d = None
        self.encoding = encoding

    def feed(self, data: bytes) -> bytes:
        if self.encoding == "br":
            return self._feed_br(data)
        if self._d is None:
            self.total += len(data)
            if self.total > self.limit:
                raise _TooLarge
            return data
        out = []
        buf = data
        while buf:
            room = self.limit - self.total + 1
            try:
                piece = self._d.decompress(buf, min(room, 1 << 20))
            except zlib.error:
                if self.encoding == "deflate" and self.total == 0 and not out:
                    # Some servers send raw deflate without the zlib header.
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    self.encoding = "raw-deflate"
                    continue
                raise
            self.total += len(piece)
            if self.total > self.limit:
                raise _TooLarge
            out.append(piece)
            buf = self._d.unconsumed_tail
            if self._d.eof:
                break
        return b"".join(out)

    def _feed_br(self, data: bytes) -> bytes:
        import brotli

        out = []
        try:
            piece = self._br.process(data, output_buffer_limit=1 << 20)
            while True:
                self.total += len(piece)
                if self.total > self.limit:
                    raise _TooLarge
                out.append(piece)
                if self._br.can_accept_more_data():
                    break
                piece = self._br.process(b"", output_buffer_limit=1 << 20)
        except brotli.error as e:
            raise zlib.error(f"brotli: {e}") from e
        return b"".join(out)

    def flush(self) -> bytes:
        if self._d is None:
            return b""
        tail = self._d.flush()
        self.total += len(tail)
        if self.total > self.limit:
            raise _TooLarge
        return tail


def make_client(*, timeout: float, concurrency: int, user_agent: str) -> httpx.AsyncClient:
    """The shared client of one poll run."""
    return httpx.AsyncClient(
        http2=True,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 15.0)),
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        headers={
            "User-Agent": user_agent,
            "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
            "text/xml;q=0.8, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate, br",
        },
        trust_env=False,
    )


async def fetch_feed(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 10_000_000,
    deadline: float = 60.0,
) -> FetchResult:
    """GET `url` once (following up to 5 redirects); never raises for network or HTTP problems."""
    started = time.monotonic()
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(deadline):
            return await _get(client, url, headers, max_bytes, started)
    except TimeoutError:
        return _error(f"no complete response within {deadline:g}s", started)
    except httpx.TooManyRedirects:
        return _error(f"more than {MAX_REDIRECTS} redirects", started)
    except httpx.UnsupportedProtocol as e:
        return _error(f"redirected to an unsupported URL ({_short(e)})", started)
    except httpx.ConnectTimeout:
        return _error("connection timed out", started)
    except httpx.ReadTimeout:
        return _error("read timed out (server stopped sending)", started)
    except httpx.TimeoutException as e:
        return _error(f"timed out ({type(e).__name__})", started)
    except httpx.ConnectError as e:
        return _error(_connect_reason(e), started)
    except (httpx.RemoteProtocolError, httpx.ReadError) as e:
        return _error(f"connection broken mid-response ({_short(e)})", started)
    except httpx.DecodingError as e:
        return _error(f"undecodable response ({_short(e)})", started)
    except zlib.error as e:
        return _error(f"corrupt compressed body ({e})", started)
    except _TooLarge:
        return _error(f"body larger than {max_bytes:,} bytes (cut off)", started)
    except httpx.HTTPError as e:
        return _error(f"{type(e).__name__}: {_short(e)}", started)
    except (ssl.SSLError, OSError) as e:
        return _error(f"network error: {_short(e)}", started)
    except httpx.InvalidURL as e:  # not an HTTPError: a redirect to `javascript:alert(1)` raises this
        return _error(f"redirected to an invalid URL ({_short(e)})", started)
    except Exception as e:  # never let one server's oddity end the whole run
        return _error(f"unexpected response ({type(e).__name__}: {_short(e)})", started)


_DRAIN_MAX = 64 * 1024


async def _drain_small(resp: httpx.Response) -> None:
    """Read an error response's body when it declares a small length, so its connection can be reused."""
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) <= _DRAIN_MAX:
        await resp.aread()


async def _get(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], max_bytes: int, started: float
) -> FetchResult:
    async with client.stream("GET", url, headers=headers) as resp:
        status = resp.status_code
        final_url = str(resp.url)
        if status == 304:
            # A 304 has no body; reading it (nothing) hands the connection back to the pool. Left unread, the
            # response is closed with its connection, and the next feed on that host pays a new connection (and,
            # over TLS, a new handshake): ~4 ms a request on loopback, a round trip or two on the internet.
            await resp.aread()
            return FetchResult("not_modified", 304, final_url=final_url, elapsed_s=time.monotonic() - started)
        if status >= 400 or status < 200 or status in (204, 205):
            await _drain_small(resp)  # a small error body read keeps the connection for the host's next feed
            retry = _retry_after(resp.headers.get("Retry-After")) if status in (429, 503) else None
            # The reason phrase is the server's text: it may carry escape sequences (OSC 52, C1 CSI).
            reason = clean_text(f"HTTP {status} {resp.reason_phrase}", single_line=True, max_len=120)
            if retry is not None:
                reason += f" (retry after {retry}s)"
            return FetchResult(
                "error",
                status,
                final_url=final_url,
                error=reason,
                retry_after_s=retry,
                elapsed_s=time.monotonic() - started,
            )
        declared = resp.headers.get("Content-Length")
        encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding in ("identity", ""):
            encoding = "identity"
        elif encoding in ("x-gzip",):
            encoding = "gzip"
        if encoding == "identity" and declared and declared.isdigit() and int(declared) > max_bytes:
            raise _TooLarge
        if encoding not in ("identity", "gzip", "deflate", "br"):
            return FetchResult(
                "error",
                status,
                final_url=final_url,
                error=f"unsupported Content-Encoding '{clean_text(encoding, single_line=True, max_len=40)}'",
                elapsed_s=time.monotonic() - started,
            )
        inflater = _Inflater(encoding, max_bytes)
        parts = []
        first = True
        async for chunk in resp.aiter_raw(_CHUNK):
            if first and chunk:
                first = False
                if encoding == "identity" and chunk[:2] == b"\x1f\x8b":
                    # gzip bytes without Content-Encoding (a .xml.gz served as is): inflate them as they
                    # arrive, so a small gzip that inflates to gigabytes is cut off after max_bytes of output
                    # instead of being read whole first.
                    inflater = _Inflater("gzip", max_bytes)
            parts.append(inflater.feed(chunk))
        parts.append(inflater.flush())
        body = b"".join(parts)
        if body[:2] == b"\x1f\x8b":  # gzip inside the declared encoding: decode it (capped) too
            inner = _Inflater("gzip", max_bytes)
            body = inner.feed(body) + inner.flush()
        if not body.strip():
            return FetchResult(
                "error",
                status,
                final_url=final_url,
                error="empty response body",
                elapsed_s=time.monotonic() - started,
            )
        return FetchResult(
            "ok",
            status,
            body=body,
            etag=_validator(resp.headers.get("ETag")),
            last_modified=_validator(resp.headers.get("Last-Modified")),
            content_type=resp.headers.get("Content-Type"),
            final_url=final_url,
            elapsed_s=time.monotonic() - started,
        )


def _retry_after(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(int(value), RETRY_AFTER_CAP_S)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = int((when - datetime.now(UTC)).total_seconds())
    return max(0, min(seconds, RETRY_AFTER_CAP_S))


def _connect_reason(e: Exception) -> str:
    text = _short(e)
    low = text.lower()
    if (
        "name or service not known" in low
        or "nodename nor servname" in low
        or "temporary failure in name" in low
        or "no address associated" in low
        or "name resolution" in low
    ):
        return f"DNS lookup failed ({text})"
    if "certificate" in low or "ssl" in low or "tls" in low:
        return f"TLS error ({text})"
    if "refused" in low:
        return "connection refused"
    return f"cannot connect ({text})"


def _validator(value: str | None) -> str | None:
    """An ETag/Last-Modified worth storing and sending back: none holding control characters, none huge."""
    if not value or len(value) > 500 or clean_text(value, single_line=True) != value:
        return None
    return value


def _short(e: BaseException) -> str:
    """One clean line from an exception whose text may quote the server (URLs, headers)."""
    return clean_text(str(e) or type(e).__name__, single_line=True, max_len=200)


def _error(reason: str, started: float) -> FetchResult:
    return FetchResult("error", error=reason, elapsed_s=time.monotonic() - started)
