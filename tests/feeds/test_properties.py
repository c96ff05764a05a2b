"""Property-based tests (hypothesis): the sanitiser, the normaliser, the config loader and the quote extractor
never raise on arbitrary input, and what they return keeps its promises."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from feeds.config import Config, ConfigError, parse_config
from feeds.processor import (
    MAX_SUMMARY,
    MAX_TITLE,
    MAX_URL,
    _lines,
    canonical_url,
    html_to_text,
    normalize_entry,
)
from feeds.sanitize import clean_text

# Independent of feeds.sanitize: C0 but \t \n, DEL, C1, bidi embeddings/overrides/isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FETCHED = datetime(2025, 6, 10, 12, 0, tzinfo=UTC)

# Text biased toward what hostile feeds carry: escapes, controls, bidi, markup, tags, entities.
NASTY = st.sampled_from(
    [
        "\x1b[31m",
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b]0;title\x1b\\",
        "\x1bP1$tx\x1b\\",
        "\x1b",
        "\x9b31m",
        "\x9d0;x\x9c",
        "\x85",
        "\r\n",
        "\r",
        "\u202e",
        "\u2066",
        "\u200b",
        "\ufeff",
        "[bold]",
        "[/]",
        "[@click=app.quit]",
        "<script>alert(1)</script>",
        "<iframe src=x>",
        "<p>",
        "<br>",
        "&amp;",
        "&#27;",
        "&#x9b;",
        "&#0;",
        "&lt;",
        "<!--",
        "<![CDATA[",
        "javascript:",
        "\x00",
    ]
)
HOSTILE_TEXT = st.lists(st.one_of(st.text(max_size=30), NASTY), max_size=25).map("".join)


def clean(s: str) -> bool:
    return FORBIDDEN.search(s) is None


@FAST
@given(HOSTILE_TEXT, st.booleans(), st.none() | st.integers(min_value=0, max_value=200))
def test_clean_text_output_is_clean_idempotent_and_bounded(s: str, single: bool, max_len: int | None) -> None:
    out = clean_text(s, single_line=single, max_len=max_len)
    assert clean(out)
    assert "\r" not in out
    if single:
        assert "\n" not in out and "\t" not in out
    if max_len is not None:
        assert len(out) <= max(max_len, 1)
    else:
        assert clean_text(out, single_line=single) == out  # idempotent


@FAST
@given(st.text(max_size=200))
def test_clean_text_on_any_unicode(s: str) -> None:
    out = clean_text(s)
    assert clean(out) and clean_text(out) == out


@FAST
@given(HOSTILE_TEXT)
def test_html_to_text_is_clean_and_drops_scripts(s: str) -> None:
    out = html_to_text(s)
    assert clean(out) and clean_text(out) == out
    assert "<script" not in out.lower()
    assume("qz7" not in s)
    assert "qz7" not in html_to_text(f"<p>{s}</p><script>qz7()</script><iframe>qz7</iframe>")


# Every character str.split() splits on, and a few that look blank and are not
BLANKS = st.text(
    alphabet=st.sampled_from(
        list(" \n\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000")
        + list("ab\u200b\ufeff")
    ),
    max_size=40,
)


@FAST
@given(BLANKS)
def test_lines_collapses_blanks_as_split_and_join_do(s: str) -> None:
    want = "\n".join(w for w in (" ".join(line.split()) for line in s.split("\n")) if w)
    assert _lines(s) == want


LINKS = st.one_of(
    HOSTILE_TEXT,
    st.builds(
        lambda scheme, host, path: f"{scheme}{host}{path}",
        st.sampled_from(
            ["http://", "https://", "HTTPS://", "javascript:", "file://", "data:", "//", "", " http://"]
        ),
        st.sampled_from(
            ["example.com", "www.Example.com:443", "[::1]", "a.example:80", "", "ex\x1bample.com"]
        ),
        HOSTILE_TEXT,
    ),
)


@FAST
@given(
    LINKS, st.none() | st.sampled_from(["https://feed.example/rss", "http://x.example/a/b?c=1", "file:///x"])
)
def test_canonical_url_keeps_only_http_links(link: str, base: str | None) -> None:
    absolute, canon = canonical_url(link, base)
    assert (absolute is None) == (canon is None)
    if absolute is not None:
        assert re.match(r"(?i)https?://", absolute) and len(absolute) <= MAX_URL
        assert canon.startswith("https://") and clean(absolute) and clean(canon)
        assert not re.search(r"[\t\r\n]", absolute)


def _struct(draw_text: st.SearchStrategy[str]) -> st.SearchStrategy[dict]:
    parsed = st.none() | st.tuples(
        st.integers(-5000, 99999),
        st.integers(-5, 20),
        st.integers(-5, 40),
        st.integers(-5, 30),
        st.integers(-5, 70),
        st.integers(-5, 70),
        st.integers(0, 6),
        st.integers(0, 366),
        st.integers(-1, 1),
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "title": draw_text,
            "summary": draw_text,
            "link": LINKS,
            "id": draw_text,
            "author": draw_text,
            "published": draw_text,
            "published_parsed": parsed,
            "updated_parsed": parsed,
            "content": st.lists(st.fixed_dictionaries({"value": draw_text}), max_size=3),
            "title_detail": st.fixed_dictionaries({"language": draw_text}),
        },
    )


@FAST
@given(_struct(HOSTILE_TEXT))
def test_normalize_entry_never_raises_and_stores_only_clean_text(entry: dict) -> None:
    item = normalize_entry(entry, base_url="https://feed.example/rss", fetched=FETCHED)
    if item is None:
        return
    for key, value in item.items():
        if isinstance(value, str):
            assert clean(value), (key, value)
    assert item["guid"] and len(item["title"]) <= MAX_TITLE + 1 and len(item["summary"]) <= MAX_SUMMARY
    assert "\n" not in item["title"]
    for key in ("url", "canonical_url"):
        assert item[key] is None or re.match(r"(?i)https?://", item[key])
    published = datetime.strptime(item["published_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert datetime(1990, 1, 1, tzinfo=UTC) <= published <= FETCHED.replace(hour=14)
    assert item == normalize_entry(
        entry, base_url="https://feed.example/rss", fetched=FETCHED
    )  # deterministic


# -- config -----------------------------------------------------------------------------------------------

KEYS = {
    "store": ["path", "bogus"],
    "poll": [
        "concurrency",
        "per_host",
        "timeout",
        "deadline",
        "max_bytes",
        "user_agent",
        "parse_workers",
        "fast_parse",
        "x",
    ],
    "feeds": ["name", "url", "countries", "language", "tags", "interval", "enabled", "nmae"],
    "dashboard": ["countries"],
}
VALUES = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from(
        ["https://a.example/rss", "http://b.example/", "ftp://x", "30m", "2h", "EE", "et", "xx-"]
    ),
    st.lists(st.sampled_from(["EE", "FI", "zz", "", "LV"]), max_size=3),
    st.lists(st.integers(), max_size=2),
)


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(v, "nan" if v != v else repr(v))
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, int):
        return str(v)
    return json.dumps(v)  # JSON strings are valid TOML basic strings


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for table in draw(st.lists(st.sampled_from([*KEYS, "unknown"]), max_size=5)):
        lines.append(f"[[{table}]]" if table == "feeds" else f"[{table}]")
        for key in draw(st.lists(st.sampled_from(KEYS.get(table, ["k"])), max_size=6, unique=True)):
            lines.append(f"{key} = {toml_value(draw(VALUES))}")
    return "\n".join(lines)


def _check_config(text: str | bytes) -> None:
    try:
        cfg = parse_config(text, Path("/etc/nordwatch/config.toml"))
    except ConfigError as e:
        msg = str(e)
        assert msg.startswith("/etc/nordwatch/config.toml"), msg
        assert "\n" not in msg and "\r" not in msg and 0 < len(msg) < 500, msg
    else:
        assert isinstance(cfg, Config)


@FAST
@given(toml_documents())
def test_config_loader_on_arbitrary_toml(text: str) -> None:
    _check_config(text)


@FAST
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300), HOSTILE_TEXT))
def test_config_loader_on_arbitrary_text(data: str | bytes) -> None:
    _check_config(data)


# -- quote extractor --------------------------------------------------------------------------------------

QUOTE_TEXT = st.lists(
    st.one_of(
        st.text(max_size=25),
        st.sampled_from(['"', "“", "”", "«", "»", "„", "'", "’", "‘", "\n", " said ", " sanoi ", ", ", ". "]),
        st.sampled_from(["Defence Minister Hanno Pevkur", "Estonia", "the Kremlin", "Finland's president"]),
    ),
    max_size=40,
).map("".join)


@FAST
@given(QUOTE_TEXT, QUOTE_TEXT, st.sampled_from([None, "en", "fi", "et", "ru", "xx"]))
def test_analyze_never_raises_and_offsets_point_at_the_quote(title: str, text: str, lang: str | None) -> None:
    from feeds.analysis import analyze

    t = time.monotonic()
    result = analyze(title, text, lang=lang, hint_countries=("EE",))
    assert time.monotonic() - t < 5
    for s in result.statements:
        assert 0 <= s.start <= s.end <= len(text)
        assert s.quote == text[s.start : s.end]
    json.dumps(result.to_dict())  # what the store persists is plain data
