"""A document that parses too long fails alone: killing the parse pool must not fail (or cancel) the feeds
queued behind it on the same pool."""

from __future__ import annotations

from pathlib import Path

import pytest

import feeds.poll
from feeds.config import load_config
from feeds.poll import run_poll
from store import open_db
from tests.conftest import write_config
from tests.hostile.server import HostileServer, good_feed, many_items


@pytest.mark.slow
def test_parse_timeout_kills_only_the_slow_feed(
    tmp_path: Path, hostile_server: HostileServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds.poll, "PARSE_TIMEOUT_S", 0.5)  # the knob; 120 s in production
    big = many_items(40_000).encode()
    feeds_cfg = [{"name": "big", "url": hostile_server.add("/big.xml", big)}]
    expected = {}
    for i in range(4):
        doc, rows = good_feed(f"small{i}", 3)
        data = doc.encode()
        # arrive while the big one is parsing, so they queue behind it on the single worker
        url = hostile_server.stream(
            f"/s{i}.xml",
            lambda d=data: iter([d]),
            delay=0.2,
            chunked=False,
            headers={"Content-Length": str(len(data))},
        )
        feeds_cfg.append({"name": f"small{i}", "url": url})
        expected[f"small{i}"] = {g for g, _t, _u in rows}
    cfg = load_config(
        write_config(
            tmp_path / "c.toml",
            feeds_cfg,
            db=tmp_path / "nw.db",
            extra="[poll]\nparse_workers = 1\nmax_bytes = 50_000_000",
        )
    )
    summary = run_poll(cfg, force=True)  # no CancelledError, no BrokenProcessPool escaping
    by = {r.name: r for r in summary.results}
    assert by["big"].status == "error" and "parsing took longer than 0.5s" in by["big"].error
    db = open_db(tmp_path / "nw.db")
    for name, guids in expected.items():
        assert by[name].status == "ok", by[name]
        stored = {
            r[0]
            for r in db.execute(
                "SELECT a.guid FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE f.name = ?", [name]
            )
        }
        assert stored == guids
    db.close()
