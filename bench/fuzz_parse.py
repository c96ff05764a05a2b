"""Fuzz the feed parse + normalise path (`feeds.processor.process_feed`): bytes in, clean items out.

    python bench/fuzz_parse.py --seconds 300            # atheris (libFuzzer) if installed, else a mutator
    python bench/fuzz_parse.py --engine mutate --seconds 60
    python bench/fuzz_parse.py --replay crash-1234       # re-run one saved input

Checked for every input: no exception escapes; where the fast RSS/Atom path applies, it stores exactly what
feedparser's path would; every stored string is free of control characters but \\n \\t;
links are http(s); sizes stay within the processor's bounds; one input takes under --slow seconds (slow ones are
saved as slow-<hash> and reported). Seeds: tests/data/feeds and ../shared/fixtures/feeds when present.
atheris is optional (`pip install atheris`); the built-in mutator needs nothing beyond the project.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import random
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.fastparse import fast_parse  # noqa: E402
from feeds.parser import parse_bytes, strip_dtd  # noqa: E402
from feeds.processor import MAX_CONTENT, MAX_SUMMARY, MAX_TITLE, normalize_entry, process_feed  # noqa: E402

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTENT_TYPES = (
    "application/rss+xml; charset=utf-8",
    "application/xml",
    "text/xml",
    "text/html; charset=utf-8",
    "application/atom+xml; charset=utf-16",
    None,
)
FETCHED = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)
# Tokens the mutator splices in: the shapes hostile feeds are made of.
TOKENS = [
    b"<!DOCTYPE rss [",
    b"]>",
    b'<!ENTITY a "',
    b"&a;",
    b"<!ENTITY % p SYSTEM 'file:///etc/passwd'>",
    b"<![CDATA[",
    b"]]>",
    b"\x1b[31m",
    b"\x1b]52;c;ZXZpbA==\x07",
    b"\xc2\x9b",
    b"\xe2\x80\xae",
    b"&#27;",
    b"&#x9b;",
    b"&#0;",
    b"<script>",
    b"<iframe src=x>",
    b"javascript:",
    b"file:///etc/passwd",
    b"[bold]",
    b"<item>",
    b"</item>",
    b"<entry>",
    b"<title>",
    b"<link>",
    b"<guid>",
    b"<pubDate>",
    b"Sat, 01 Jan 2150 00:00:00 GMT",
    b"0000-00-00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00",
    b"<?xml version='1.0' encoding='utf-16be'?>",
    b"<?xml version='1.0' encoding='utf-7'?>",
    b"+ADw-!DOCTYPE",
]


def seeds() -> list[bytes]:
    out = []
    dirs = [ROOT / "tests" / "data" / "feeds", ROOT.parent / "shared" / "fixtures" / "feeds"]
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(d.rglob("*")):
            if p.is_file() and p.stat().st_size < 2_000_000:
                data = p.read_bytes()
                out.append(gzip.decompress(data) if p.suffix == ".gz" else data)
    return out or [
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>t</title></item></channel></rss>'
    ]


class Finding(Exception):
    pass


def check(data: bytes, content_type: str | None, slow: float) -> float:
    """Run one input through the pipeline; raise Finding on a broken property. Returns seconds taken."""
    t = time.monotonic()
    out = process_feed(
        data,
        url="https://fuzz.example/feed.xml",
        content_type=content_type,
        known={},
        fetched=FETCHED,
        analyze=False,
    )
    took = time.monotonic() - t
    strings = [out.title or "", out.site_url or "", out.warning or ""]
    for it in out.items:
        strings += [v for v in it.values() if isinstance(v, str)]
        if (
            len(it["title"]) > MAX_TITLE
            or len(it["summary"]) > MAX_SUMMARY
            or len(it["content"]) > MAX_CONTENT
        ):
            raise Finding(f"size bound broken: {len(it['title'])}/{len(it['summary'])}/{len(it['content'])}")
        for key in ("url", "canonical_url"):
            if it[key] is not None and not re.match(r"https?://", it[key]):
                raise Finding(f"non-http link stored: {it[key][:80]!r}")
        if not it["published_at"].endswith("Z") or it["published_at"] < "1990":
            raise Finding(f"bad published_at {it['published_at']!r}")
    for s in strings:
        m = FORBIDDEN.search(s)
        if m:
            raise Finding(f"control character {m.group()!r} in {s[:80]!r}")
    if took > slow:
        raise Finding(f"slow input: {took:.1f}s")
    if fast_parse(strip_dtd(data)) is not None and _items(data, content_type, True) != _items(
        data, content_type, False
    ):
        raise Finding("the fast RSS/Atom path and feedparser disagree")
    return took


def _items(data: bytes, content_type: str | None, fast: bool) -> list[Any]:
    """What the processor would store from `data`, parsed by the fast path or by feedparser."""
    parsed = parse_bytes(data, url="https://fuzz.example/feed.xml", content_type=content_type, fast=fast)
    feed = parsed.feed or {}
    items = [
        normalize_entry(e, base_url="https://fuzz.example/feed.xml", fetched=FETCHED) for e in parsed.entries
    ]
    return [feed.get("title"), feed.get("link"), parsed.bozo is None, items]


def save(kind: str, data: bytes, outdir: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    p = outdir / f"{kind}-{hashlib.sha1(data).hexdigest()[:12]}"
    p.write_bytes(data)
    return p


def mutate(rng: random.Random, pool: list[bytes]) -> bytes:
    data = bytearray(rng.choice(pool))
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        pos = rng.randint(0, len(data)) if data else 0
        if op < 0.3:
            data[pos:pos] = rng.choice(TOKENS)
        elif op < 0.45 and data:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.6 and data:
            end = min(len(data), pos + rng.randint(1, 2000))
            del data[pos:end]
        elif op < 0.75:
            other = rng.choice(pool)
            a = rng.randint(0, len(other))
            data[pos:pos] = other[a : a + rng.randint(1, 4000)]
        elif op < 0.85 and data:
            end = min(len(data), pos + rng.randint(1, 64))
            data[pos:pos] = bytes(data[pos:end]) * rng.randint(2, 2000)  # repetition: size and nesting
        else:
            data = data[: rng.randint(0, len(data))]  # truncation
    return bytes(data[:3_000_000])


def run_mutator(seconds: float, slow: float, outdir: Path, seed: int) -> None:
    rng = random.Random(seed)
    pool = seeds()
    n = findings = 0
    slowest = 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data = mutate(rng, pool)
        ct = rng.choice(CONTENT_TYPES)
        n += 1
        try:
            slowest = max(slowest, check(data, ct, slow))
        except Exception as e:
            findings += 1
            path = save("crash" if not isinstance(e, Finding) else "finding", data, outdir)
            print(f"[{n}] {type(e).__name__}: {str(e)[:200]} (content-type {ct!r}) -> {path}", flush=True)
        if n % 500 == 0:
            print(f"... {n} inputs, {findings} findings, slowest {slowest:.2f}s", flush=True)
    print(f"mutator: {n} inputs in {seconds:.0f}s, {findings} findings, slowest input {slowest:.2f}s")


def run_atheris(seconds: float, slow: float, outdir: Path) -> None:
    import atheris

    # Coverage feedback: instrument every loaded module (our pipeline, feedparser, sgmllib, selectolax glue).
    atheris.instrument_all()
    corpus = outdir / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for s in seeds():
        (corpus / hashlib.sha1(s).hexdigest()[:12]).write_bytes(s)

    def one(buf: bytes) -> None:
        if not buf:
            return
        ct = CONTENT_TYPES[buf[0] % len(CONTENT_TYPES)]
        check(buf[1:], ct, slow)

    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={int(seconds)}",
            "-max_len=400000",
            "-timeout=30",
            f"-artifact_prefix={outdir}/",
            str(corpus),
        ],
        one,
    )
    atheris.Fuzz()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--engine", choices=("auto", "atheris", "mutate"), default="auto")
    ap.add_argument("--slow", type=float, default=5.0, help="an input slower than this is a finding")
    ap.add_argument("--out", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "nordwatch-fuzz")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--replay", type=Path)
    args = ap.parse_args()
    if args.replay:
        data = args.replay.read_bytes()
        for ct in CONTENT_TYPES:
            print(ct, f"{check(data, ct, args.slow):.3f}s")
        return
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "mutate"
    print(f"engine: {engine}, {args.seconds:.0f}s, findings saved under {args.out}", flush=True)
    if engine == "atheris":
        run_atheris(args.seconds, args.slow, args.out)
    else:
        run_mutator(args.seconds, args.slow, args.out, args.seed)


if __name__ == "__main__":
    main()
