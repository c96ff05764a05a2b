"""Benchmark the dashboard on a large generated database; print the figures.

    .venv/bin/python bench/bench_tui.py                 # 1,000,000 articles, 200,000 statements
    .venv/bin/python bench/bench_tui.py --articles 100000 --statements 20000 --db /tmp/small.db

Measures (headless, `App.run_test` at 160x48): time to first paint of the dashboard with its data, time to
switch to each screen (first visit after the background warm-up, and again), search latency (query function,
and through the UI: Enter -> rows on screen), and peak RSS of the measuring process. Each UI figure runs from
the key event to the screen's refresh after its queries finished (keys are sent as the terminal sends them,
without the test harness's wait-for-idle pauses, which would be timed too). The database is generated once
(in a child process, so its memory does not count) and reused when it already exists with the requested size.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COUNTRIES = ["DK", "EE", "FI", "IS", "LV", "LT", "NO", "SE", "PL", "UA", "RU"]
TREATIES = ["ottawa", "ccm", "nato", "cfe"]
WORDS = [
    "defence",
    "minister",
    "border",
    "security",
    "baltic",
    "nordic",
    "treaty",
    "mines",
    "ottawa",
    "convention",
    "withdrawal",
    "parliament",
    "vote",
    "nato",
    "exercise",
    "navy",
    "air",
    "policing",
    "drone",
    "cable",
    "sabotage",
    "sanctions",
    "russia",
    "ukraine",
    "aid",
    "budget",
    "brigade",
    "troops",
    "cyber",
    "attack",
    "election",
    "government",
    "coalition",
    "energy",
    "pipeline",
    "shipping",
    "island",
    "arctic",
    "patrol",
    "frigate",
    "radar",
    "missile",
    "artillery",
    "ammunition",
    "production",
    "industry",
    "cluster",
    "munitions",
    "ratify",
    "deposit",
    "instrument",
    "effective",
    "helsinki",
    "tallinn",
    "riga",
    "vilnius",
    "oslo",
    "stockholm",
    "copenhagen",
    "reykjavik",
    "warsaw",
    "kyiv",
    "moscow",
    "minsk",
    "gotland",
    "aland",
]
SPEAKERS = [
    ("Hanno Pevkur", "defence minister", "EE"),
    ("Heikki Autto", "committee chairman", "FI"),
    ("Karolis Aleksa", "deputy defence minister", "LT"),
    ("Espen Barth Eide", "foreign minister", "NO"),
    ("Maria Zakharova", "spokeswoman", "RU"),
    ("Pal Jonson", "defence minister", "SE"),
    ("Troels Lund Poulsen", "defence minister", "DK"),
    ("Andris Spruds", "defence minister", "LV"),
]


def generate(path: Path, n_articles: int, n_statements: int) -> None:
    from store import open_db

    rnd = random.Random(42)
    db = open_db(path)
    db.conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    # Drop the FTS triggers for the bulk load; rebuild the index once and put the triggers back after.
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany(
        "INSERT INTO feeds (id, url, name, last_outcome, error_count, checked_at, last_success_at) VALUES (?,?,?,?,?,?,?)",
        [
            (
                i,
                f"https://feed{i}.example/rss",
                f"Outlet {i}",
                "error" if i % 10 == 0 else "ok",
                3 if i % 10 == 0 else 0,
                NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
                NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
            for i in range(1, 61)
        ],
    )
    span = 730 * 86400
    step = span / n_articles
    t0 = NOW - timedelta(seconds=span)
    batch = 20000
    sid = 0
    statements_every = max(1, n_articles // n_statements) if n_statements else 0
    for start in range(0, n_articles, batch):
        arts, feed_items, countries, statements, signals = [], [], [], [], []
        for i in range(start, min(n_articles, start + batch)):
            aid = i + 1
            pub = (t0 + timedelta(seconds=i * step)).strftime("%Y-%m-%dT%H:%M:%SZ")
            title = " ".join(rnd.choices(WORDS, k=8)).capitalize()
            summary = " ".join(rnd.choices(WORDS, k=30))
            feed = rnd.randint(1, 60)
            arts.append(
                (aid, feed, f"g{aid}", f"https://feed{feed}.example/{aid}", title, summary, "", pub, pub, "h")
            )
            feed_items.append((feed, f"g{aid}", aid, "h", pub))
            main = rnd.choice(COUNTRIES)
            countries.append((aid, main, 1.0, 0, pub))
            if rnd.random() < 0.3:
                other = rnd.choice(COUNTRIES)
                if other != main:
                    countries.append((aid, other, 0.5, 1, pub))
            if statements_every and i % statements_every == 0 and sid < n_statements:
                sid += 1
                sp = rnd.choice(SPEAKERS)
                statements.append((sid, aid, sp[0], sp[1], sp[2], summary[:120], "said", 0, 120, pub))
            if rnd.random() < 0.02:
                signals.append((aid, main, rnd.choice(TREATIES), "withdrawal_announced", None, pub))
        conn.executemany(
            "INSERT INTO articles (id, feed_id, guid, url, title, summary, content, published_at, fetched_at, content_hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            arts,
        )
        conn.executemany("INSERT INTO feed_items VALUES (?,?,?,?,NULL,?)", feed_items)
        conn.executemany("INSERT INTO article_countries VALUES (?,?,?,?,?)", countries)
        conn.executemany("INSERT INTO statements VALUES (?,?,?,?,?,?,?,?,?,?)", statements)
        conn.executemany(
            "INSERT INTO treaty_signals (article_id, country, treaty, action, date, published_at) VALUES (?,?,?,?,?,?)",
            signals,
        )
        conn.commit()
        print(f"  generated {min(n_articles, start + batch):,} articles", end="\r", flush=True)
    print()
    t = time.perf_counter()
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'fts_state'").fetchone():
        # Batched FTS (store m004): every article is indexed now, so the watermark is the last id.
        conn.execute("UPDATE fts_state SET indexed_through = (SELECT max(id) FROM articles)")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute(
        "INSERT INTO poll_runs (started_at, finished_at, feeds, ok, failed, new_items) VALUES (?,?,60,54,6,120)",
        [
            (NOW - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            (NOW - timedelta(minutes=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ],
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    print(f"  FTS rebuilt in {time.perf_counter() - t:.1f}s")


def median_ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs) * 1000:7.1f} ms  (min {min(xs) * 1000:.1f}, max {max(xs) * 1000:.1f}, n={len(xs)})"


async def painted(app) -> None:  # type: ignore[no-untyped-def]
    """Return once the shown screen has been refreshed (composited) after everything queued so far."""
    fut = asyncio.get_running_loop().create_future()
    app.screen.call_after_refresh(lambda: fut.done() or fut.set_result(None))
    await asyncio.wait_for(fut, 10)


async def workers_done(app) -> None:  # type: ignore[no-untyped-def]
    """Wait for every running worker (also those started meanwhile); replaced exclusive workers are fine."""
    from textual.worker import WorkerCancelled, WorkerFailed

    async def finished(w) -> None:  # type: ignore[no-untyped-def]
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await w.wait()

    for _ in range(50):
        busy = [w for w in app.workers if not w.is_finished and w.group != "probe"]
        if not busy:
            return
        await asyncio.wait([asyncio.ensure_future(finished(w)) for w in busy], timeout=10)
        await asyncio.sleep(0)


async def shown(app) -> None:  # type: ignore[no-untyped-def]
    """The data is in the widgets and on screen: messages handled, queries done, results painted."""
    await painted(app)
    await workers_done(app)
    await painted(app)


async def until(cond, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    """Poll `cond` every millisecond (bounded)."""
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.001)


def key(app, name: str) -> None:  # type: ignore[no-untyped-def]
    """Send one key as the terminal would (no test-harness idle waits: those would be timed too)."""
    from textual import events

    char = name if len(name) == 1 else ("\r" if name == "enter" else None)
    event = events.Key(name, char)
    event.set_sender(app)
    app._driver.send_message(event)


async def measure_ui(db_path: Path, runs: int) -> dict[str, list[float]]:
    from textual.widgets import DataTable, Input

    from tui.app import make_app
    from tui.widgets.country_panel import CountryPanel

    out: dict[str, list[float]] = {}
    for _ in range(runs):
        t0 = time.perf_counter()
        app = make_app(None, db_path, now=NOW, probe_interval=60)
        async with app.run_test(size=(160, 48)):
            while True:
                await asyncio.sleep(0.002)
                panels = app.screen.query(CountryPanel)
                if panels and getattr(panels.first(), "summary", None):
                    break
            await painted(app)
            out.setdefault("first paint (panels, headlines, statements)", []).append(time.perf_counter() - t0)
            while not getattr(app.screen.query(CountryPanel).first(), "_chips", None):
                await asyncio.sleep(0.002)
            await painted(app)
            out.setdefault("  + treaty chips shown", []).append(time.perf_counter() - t0)
            await asyncio.sleep(2.0)  # the analyst reads; the other screens are built in the background
            screens = [
                (k, m)
                for k, m in (
                    ("2", "treaties"),
                    ("3", "articles"),
                    ("4", "statements"),
                    ("5", "feeds"),
                    ("6", "alerts"),
                    ("1", "dashboard"),
                )
                if m in app.MODES
            ]
            for label in ("switch to", "switch again to"):
                for k, name in screens:
                    t = time.perf_counter()
                    key(app, k)
                    await until(lambda a=app, n=name: a.current_mode == n)
                    await shown(app)
                    out.setdefault(f"{label} {name}", []).append(time.perf_counter() - t)
                    await asyncio.sleep(0.2)
            # search through the UI: the query typed, Enter -> the rows on screen
            key(app, "3")
            await shown(app)
            table = app.screen.query_one("#articles", DataTable)
            inp = app.screen.query_one("#search", Input)
            for word in ("sabotage", "gotland drone", "zzznothing"):
                inp.focus()
                inp.value = word
                await shown(app)
                t = time.perf_counter()
                key(app, "enter")
                await until(
                    lambda a=app, w=word: (getattr(a.screen, "_last_filters", None) or {}).get("search") == w
                )
                await shown(app)
                out.setdefault("search via UI (Enter -> rows shown)", []).append(time.perf_counter() - t)
                if word == "sabotage":
                    assert table.row_count > 0, "search found nothing"
            inp.focus()
            inp.value = ""
            key(app, "enter")
            await shown(app)
            t = time.perf_counter()
            rows = table.row_count
            table.move_cursor(row=rows - 1)
            await until(lambda t=table, n=rows: t.row_count > n)
            await shown(app)
            out.setdefault("next page (articles)", []).append(time.perf_counter() - t)
    return out


def measure_queries(db_path: Path, runs: int) -> dict[str, list[float]]:
    from store import open_db
    from store.dashboard import NB8, country_summaries, list_articles, poll_status, recent_statements
    from tui.widgets.chips import load_chips

    db = open_db(db_path, readonly=True, migrate=False)
    out: dict[str, list[float]] = {}

    def timeit(name: str, fn) -> None:  # type: ignore[no-untyped-def]
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            out.setdefault(name, []).append(time.perf_counter() - t)

    timeit("poll_status", lambda: poll_status(db))
    timeit("country_summaries (NB8)", lambda: country_summaries(db, NB8, NOW))
    timeit("treaty status_matrix (NB8)", lambda: load_chips(db, NOW.date(), NB8))
    timeit("recent_statements (30)", lambda: recent_statements(db, limit=30))
    timeit("recent_statements speaker='Jonson'", lambda: recent_statements(db, speaker="Jonson", limit=100))
    timeit("list_articles first page", lambda: list_articles(db, limit=100))
    timeit("list_articles country=LT", lambda: list_articles(db, country="LT", limit=100))
    timeit("list_articles treaty=ottawa", lambda: list_articles(db, treaty="ottawa", limit=100))
    timeit(
        "list_articles feed=7 7d",
        lambda: list_articles(db, feed_id=7, since=NOW - timedelta(days=7), limit=100),
    )
    for q in ("sabotage", "gotland drone", "helsinki ottawa withdrawal", "zzznothing"):
        timeit(f"search {q!r}", lambda q=q: list_articles(db, search=q, limit=100))
    timeit("search 'drone' country=FI", lambda: list_articles(db, search="drone", country="FI", limit=100))
    db.conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/nordwatch-bench-tui.db"))
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--statements", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.generate_only:
        generate(args.db, args.articles, args.statements)
        return
    have = 0
    if args.db.exists():
        with sqlite3.connect(args.db) as c:
            have = c.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    if have != args.articles:
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        print(f"generating {args.articles:,} articles, {args.statements:,} statements into {args.db}")
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--generate-only",
                "--db",
                str(args.db),
                "--articles",
                str(args.articles),
                "--statements",
                str(args.statements),
            ],
            check=True,
        )
        print(f"  done in {time.perf_counter() - t:.0f}s, {args.db.stat().st_size / 1e6:.0f} MB")

    print(f"\nqueries ({args.runs} runs each, warm cache)")
    for name, xs in measure_queries(args.db, args.runs).items():
        print(f"  {name:42s} {median_ms(xs)}")
    print(f"\nUI, headless 160x48 ({args.runs} runs)")
    for name, xs in asyncio.run(measure_ui(args.db, args.runs)).items():
        print(f"  {name:42s} {median_ms(xs)}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the measuring process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
