"""One poll run: the routine shared by `nordwatch poll` (cron) and the dashboard's `r` key.

Fetching is async (httpx, bounded global and per-host concurrency); parsing, normalising and analysis are
CPU-bound and run in worker processes so both cores work and the event loop never blocks; each feed's results
are written in one transaction as soon as they arrive. One failing feed never fails the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import hashlib
import multiprocessing
import multiprocessing.forkserver
import os
import sqlite3
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import sqlite_utils

from feeds.config import Config, FeedConfig
from feeds.sanitize import clean_text
from store import open_db
from store.articles import FeedPoll, SaveResult, index_pending, known_items, save_polls
from store.db import store_error
from store.feeds import FeedRow, sync_feeds
from store.lock import PollLock
from store.runs import finish_run, start_run

if TYPE_CHECKING:
    from feeds.fetcher import FetchResult
    from feeds.processor import FeedOutcome

BACKOFF_CAP_S = 86_400
PARSE_TIMEOUT_S = 120.0
POOL_MIN_FEEDS = 4
"""Fewer bodies than this are parsed in a thread: starting worker processes would cost more than it saves."""

FTS_BATCH = 2000
"""New articles between two full-text index batches (store.articles.index_pending)."""
BIG_BODY = 256 * 1024
"""Bodies larger than this are parsed in a worker process (with PARSE_TIMEOUT_S) even in small runs."""
WRITE_WINDOW_S = 0.15
"""How long the first finished feed waits for others to share its write transaction."""
WRITE_BATCH = 64
"""Most feeds written in one transaction."""
WRITER_CACHE_KIB = 32 * 1024
WRITER_CHECKPOINT_PAGES = 8192
GC_GEN0_THRESHOLD = 10_000
"""The cyclic collector's first-generation threshold while polling (Python's default is 700). A poll allocates
millions of short-lived containers (parsed entries, items, rows) and almost no cycles: at 700, a 10,000-item poll
ran ~200 collections in each process, ~50-90 ms of CPU in the writing process and ~40 ms in each parse worker
(forked workers inherit the setting); at 10,000, ~50 collections and about a third of that."""

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class FeedResult:
    name: str
    url: str
    status: str
    """ok | not_modified | unchanged | error"""
    http_status: int | None = None
    new: int = 0
    updated: int = 0
    linked: int = 0
    entries: int = 0
    error: str | None = None
    warning: str | None = None
    elapsed_s: float = 0.0


@dataclass(frozen=True)
class PollSummary:
    results: tuple[FeedResult, ...] = ()
    elapsed_s: float = 0.0
    interrupted: bool = False
    due: int = 0
    configured: int = 0

    @property
    def polled(self) -> int:
        return len(self.results)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "error")

    @property
    def ok(self) -> int:
        return self.polled - self.failed

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.results if r.status in ("not_modified", "unchanged"))

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    def line(self) -> str:
        """`polled 42 feeds in 3.1s: 40 ok (12 new, 30 not modified), 2 failed`"""
        parts = f"{self.new} new" + (f", {self.updated} updated" if self.updated else "")
        text = (
            f"polled {self.polled} feed{'s' if self.polled != 1 else ''} in {self.elapsed_s:.1f}s: "
            f"{self.ok} ok ({parts}, {self.not_modified} not modified), {self.failed} failed"
        )
        if self.interrupted:
            text += " (interrupted)"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "polled": self.polled,
            "elapsed_s": round(self.elapsed_s, 3),
            "ok": self.ok,
            "failed": self.failed,
            "not_modified": self.not_modified,
            "new": self.new,
            "updated": self.updated,
            "interrupted": self.interrupted,
            "feeds": [asdict(r) for r in self.results],
        }


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_dicts(feeds: Sequence[FeedConfig]) -> list[dict[str, Any]]:
    return [
        {
            "url": f.url,
            "name": f.name,
            "countries": f.countries,
            "language": f.language,
            "tags": f.tags,
            "interval_s": f.interval_s,
            "enabled": f.enabled,
        }
        for f in feeds
    ]


def select_feeds(
    rows: dict[str, FeedRow], now: datetime, *, only: Sequence[str] | None = None, force: bool = False
) -> list[FeedRow]:
    """The feeds this run polls: named ones (`--feed`), all enabled (`--all`), or the due ones."""
    enabled = [r for r in rows.values() if r.enabled]
    if only:
        wanted = {n.casefold() for n in only}
        return [r for r in rows.values() if r.name.casefold() in wanted or r.url in only]
    if force:
        return enabled
    due = []
    for r in enabled:
        # A little slack so a feed polled a few seconds into the last cron run is due at the next one.
        slack = timedelta(seconds=min(60, r.interval_s // 10))
        if r.next_check_at is None or r.next_check_at <= _iso(now + slack):
            due.append(r)
    return due


def backoff_s(interval_s: int, error_count: int, retry_after_s: int | None) -> int:
    """Seconds until the next try after `error_count` consecutive failures (capped at 24 h; never give up)."""
    delay = min(max(interval_s, 300) * (2 ** max(0, error_count - 1)), BACKOFF_CAP_S)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s) if retry_after_s > 0 else delay
    return int(min(delay, BACKOFF_CAP_S))


class _Parser:
    """Runs `process_feed` in worker processes (or a thread for small runs); restarts a pool that hangs."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._generation = 0
        """Bumped by `kill`: a parse that fails with a newer generation was a bystander of another's timeout."""

    def start_early(self) -> None:
        """Fork the workers now and let each load the analysis data itself, while this process goes on fetching
        (a first poll of many feeds parses them all; loading here first would hold up the fetching)."""
        if self._pool is None and self.workers > 0 and threading.current_thread() is threading.main_thread():
            from feeds.processor import preload

            self._pool = self._forked_pool(initializer=preload)
            self._pool.submit(int)  # (the pool forks its workers on the first submit)

    def _forked_pool(
        self, initializer: Callable[[], None] | None = None
    ) -> concurrent.futures.ProcessPoolExecutor:
        ctx = multiprocessing.get_context("fork")
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=initializer
        )

    def _ensure(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            if threading.current_thread() is threading.main_thread():
                from feeds.processor import preload

                preload()  # once here instead of once per forked worker
                self._pool = self._forked_pool()
            else:  # forking a threaded process (the TUI) is unsafe
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["feeds.processor", "feeds.analysis"])
                with _stderr_with_fileno():
                    # Start the fork server (and its resource tracker) now, while stderr has a real file
                    # descriptor; later workers are forked by the server and never look at sys.stderr.
                    multiprocessing.forkserver.ensure_running()
                    self._pool = concurrent.futures.ProcessPoolExecutor(
                        max_workers=self.workers, mp_context=ctx
                    )
        return self._pool

    async def run(self, use_pool: bool, **kwargs: Any) -> FeedOutcome:
        loop = asyncio.get_running_loop()
        if not use_pool or self.workers <= 0:
            return await asyncio.to_thread(_call_process_feed, kwargs)
        for attempt in (1, 2):
            generation = self._generation
            fut = loop.run_in_executor(self._ensure(), _call_process_feed, kwargs)
            try:
                return await asyncio.wait_for(fut, PARSE_TIMEOUT_S)
            except TimeoutError:
                self.kill()
                raise
            except (concurrent.futures.process.BrokenProcessPool, asyncio.CancelledError):
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise  # this poll is being cancelled (Ctrl-C): not a pool problem
                # Killing a pool (another feed's timeout or crash) breaks or cancels every parse on it; a
                # bystander parses again once on a fresh pool instead of failing (or cancelling the run).
                if attempt == 1 and generation != self._generation:
                    continue
                self.kill()
                raise RuntimeError("the parse worker died") from None
        raise AssertionError("unreachable")

    def kill(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            self._generation += 1
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Writer:
    """Writes the feeds that finish close together in one transaction (`store.articles.save_polls`).

    A feed's `save` waits until its poll is committed. The first poll to arrive opens a short window
    (WRITE_WINDOW_S); every poll finished meanwhile joins the same transaction, up to WRITE_BATCH polls, and
    the batch is written at once when every feed still unwritten is in it (the end of a run never waits). A
    cold 200-feed run commits a few dozen times instead of 200, which roughly halves SQLite's page writes.
    Once no more than `tail` feeds are still on their way (the last parses of a run), each is written as it comes:
    waiting for them would leave the writing, and the indexing after it, for when the parse workers are idle.
    """

    def __init__(self, db: sqlite_utils.Database, unfinished: int, tail: int = 0) -> None:
        self.db = db
        self.unfinished = unfinished
        """Feeds of this run not yet written: when all of them are waiting here, nothing else can join."""
        self.tail = tail
        self.pending: list[tuple[FeedPoll, asyncio.Future[SaveResult]]] = []
        self._timer: asyncio.TimerHandle | None = None

    async def save(self, poll: FeedPoll) -> SaveResult:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[SaveResult] = loop.create_future()
        self.pending.append((poll, fut))
        if (
            len(self.pending) >= min(WRITE_BATCH, self.unfinished)
            or self.unfinished - len(self.pending) <= self.tail
        ):
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(WRITE_WINDOW_S, self.flush)
        return await fut

    def close(self) -> None:
        """Drop what an interrupted run left unwritten (its feeds are fetched again next time)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        for _, fut in self.pending:
            fut.cancel()
        self.pending = []

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self.pending = self.pending, []
        if not batch:
            return
        self.unfinished -= len(batch)
        try:
            results = save_polls(self.db, [poll for poll, _ in batch])
        except Exception as e:  # disk full, read-only...: every feed in the batch fails the same way
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(e)
            return
        except BaseException:
            for _, fut in batch:
                fut.cancel()
            raise
        for (_, fut), result in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(result)


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _stderr_with_fileno() -> Iterator[None]:
    """Give `sys.stderr` a real file descriptor while multiprocessing starts its helper processes.

    The resource tracker hands `sys.stderr.fileno()` to its child; inside the TUI, Textual has replaced
    `sys.stderr` with a print capture whose fileno() is -1, and the spawn fails with "bad value(s) in
    fds_to_keep". Point it at /dev/null meanwhile (never at the terminal the TUI is drawing on).
    """
    try:
        ok = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        ok = False
    if ok:
        yield
        return
    with _STDERR_LOCK, open(os.devnull, "w") as devnull:
        saved, sys.stderr = sys.stderr, devnull
        try:
            yield
        finally:
            sys.stderr = saved


@contextlib.contextmanager
def _gc_threshold(gen0: int) -> Iterator[None]:
    """Run with the collector's first-generation threshold at `gen0` (see GC_GEN0_THRESHOLD), then restore it."""
    old = gc.get_threshold()
    gc.set_threshold(max(gen0, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _call_process_feed(kwargs: dict[str, Any]) -> FeedOutcome:
    # (a dict lookup once imported: before the fork, or on the first parse)
    from feeds.processor import process_feed

    return process_feed(**kwargs)


async def poll_feeds(
    db: sqlite_utils.Database,
    config: Config,
    feeds: Sequence[FeedRow],
    *,
    progress: Progress | None = None,
    results: list[FeedResult] | None = None,
) -> list[FeedResult]:
    """Fetch, parse and store each feed; return one result per feed (in completion order).

    Results are appended to `results` as they complete, so a caller interrupted mid-run still has them.
    """
    pc = config.poll
    workers = pc.parse_workers if pc.parse_workers is not None else (os.cpu_count() or 1)
    parser = _Parser(workers)
    writer = _Writer(db, len(feeds), tail=workers)
    use_pool = len(feeds) >= POOL_MIN_FEEDS
    never_fetched = sum(1 for f in feeds if not (f.etag or f.last_modified or f.body_hash))
    if use_pool and never_fetched >= POOL_MIN_FEEDS:
        parser.start_early()
    # Imported here, not at the top: a cron run with nothing due never loads httpx or the parser. After the early
    # fork: the workers load the analysis data meanwhile, and never need httpx.
    from feeds.fetcher import fetch_feed, make_client

    global_sem = asyncio.Semaphore(pc.concurrency)
    host_sems: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(pc.per_host))
    results = results if results is not None else []
    total = len(feeds)
    unindexed = [0]

    async with make_client(
        timeout=pc.timeout, concurrency=pc.concurrency, user_agent=pc.user_agent
    ) as client:

        async def one(feed: FeedRow) -> None:
            host = urlsplit(feed.url).netloc.lower()
            async with global_sem, host_sems[host]:
                fetched = await fetch_feed(
                    client,
                    feed.url,
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    max_bytes=pc.max_bytes,
                    deadline=pc.feed_deadline,
                )
            result = await _handle(db, parser, writer, feed, fetched, use_pool, pc.fast_parse)
            results.append(result)
            unindexed[0] += result.new
            # Keep search current during a long run, in a few big batches; and once only the last parses are still
            # running, index what is stored while they run instead of after them (a cold run's tail is serial).
            if unindexed[0] >= FTS_BATCH or (unindexed[0] and total - len(results) <= parser.workers):
                unindexed[0] = 0
                index_pending(db)
            if progress is not None:
                progress(len(results), total, feed.name)

        tasks = [asyncio.create_task(one(f)) for f in feeds]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # A store error (disk full, read-only) or an interrupt ends the run: stop the other feeds and collect
            # their outcomes here, so none is left to fail again, unobserved, while asyncio shuts down.
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            writer.close()
            parser.close()
    return results


async def _handle(
    db: sqlite_utils.Database,
    parser: _Parser,
    writer: _Writer,
    feed: FeedRow,
    fr: FetchResult,
    use_pool: bool,
    fast_parse: bool = True,
) -> FeedResult:
    now = datetime.now(UTC)
    now_s = _iso(now)
    ok_next = _iso(now + timedelta(seconds=feed.interval_s))
    base = {
        "name": feed.name,
        "url": feed.url,
        "http_status": fr.http_status,
        "elapsed_s": round(fr.elapsed_s, 3),
    }

    async def fail(reason: str, retry_after: int | None = None) -> FeedResult:
        reason = clean_text(reason, single_line=True, max_len=300)  # may quote the server or the document
        delay = backoff_s(feed.interval_s, feed.error_count + 1, retry_after)
        health = {
            "outcome": "error",
            "status": fr.http_status,
            "error": reason,
            "next_check_at": _iso(now + timedelta(seconds=delay)),
        }
        await writer.save(FeedPoll(feed.id, now_s, health))
        return FeedResult(status="error", error=reason, **base)

    if fr.outcome == "error":
        return await fail(fr.error or "unknown error", fr.retry_after_s)
    if fr.outcome == "not_modified":
        health = {"outcome": "not_modified", "status": 304, "next_check_at": ok_next}
        await writer.save(FeedPoll(feed.id, now_s, health))
        return FeedResult(status="not_modified", **base)
    assert fr.body is not None
    body_hash = hashlib.blake2b(fr.body, digest_size=16).hexdigest()
    validators = {"etag": fr.etag, "last_modified": fr.last_modified}
    if body_hash == feed.body_hash:
        health = {"outcome": "unchanged", "status": fr.http_status, "next_check_at": ok_next, **validators}
        await writer.save(FeedPoll(feed.id, now_s, health))
        return FeedResult(status="unchanged", **base)
    try:
        outcome = await parser.run(
            use_pool or len(fr.body) > BIG_BODY,  # a big body always gets a worker process and its time limit
            body=fr.body,
            url=fr.final_url or feed.url,
            content_type=fr.content_type,
            known=known_items(db, feed.id),
            language=feed.language,
            hint_countries=feed.countries,
            fetched=now,
            fast=fast_parse,
        )
    except TimeoutError:
        return await fail(f"parsing took longer than {PARSE_TIMEOUT_S:g}s")
    except Exception as e:  # a crashed worker or a parser bug: this feed fails, the run goes on
        return await fail(f"could not parse: {type(e).__name__}: {str(e)[:150]}")
    if outcome.total_entries == 0 and outcome.bozo:
        return await fail(f"not a feed ({outcome.bozo})")
    health = {
        "outcome": "ok",
        "status": fr.http_status,
        "next_check_at": ok_next,
        "body_hash": body_hash,
        "title": outcome.title,
        "site_url": outcome.site_url,
        **validators,
    }
    saved = await writer.save(FeedPoll(feed.id, now_s, health, outcome.items))
    return FeedResult(
        status="ok",
        new=saved.new,
        updated=saved.updated,
        linked=saved.linked,
        entries=outcome.total_entries,
        warning=outcome.warning,
        **base,
    )


def run_poll(
    config: Config,
    *,
    db_path: str | os.PathLike[str] | None = None,
    only: Sequence[str] | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> PollSummary:
    """Poll once: take the lock (raises store.lock.PollLocked), sync feeds from the config, poll, record the run.

    Safe to call from a worker thread (it runs its own event loop). KeyboardInterrupt propagates after the feeds
    already stored are committed and the run is recorded as interrupted.
    """
    path = Path(db_path) if db_path is not None else config.db_path
    started = time.monotonic()
    with PollLock(path):
        db = open_db(path)
        # The writer's page cache: a transaction of several feeds' articles and index entries stays in memory
        # until it commits, instead of spilling pages to the WAL and writing them again (default is 2 MB).
        db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        # Checkpoint less often while polling: a page written by many commits is copied into the database once.
        db.execute(f"PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}")
        try:
            rows = sync_feeds(db, feed_dicts(config.feeds))
            index_pending(db)  # finish the full-text index a killed run may have left behind
            now = datetime.now(UTC)
            feeds = select_feeds(rows, now, only=only, force=force)
            run_id = start_run(db, _iso(now), len(feeds))
            results: list[FeedResult] = []
            interrupted = completed = False
            try:
                if feeds:  # (nothing due: no client, no parser, no event loop)
                    with _gc_threshold(GC_GEN0_THRESHOLD):
                        asyncio.run(poll_feeds(db, config, feeds, progress=progress, results=results))
                completed = True
            except (KeyboardInterrupt, asyncio.CancelledError):
                interrupted = True
                raise
            finally:
                summary = PollSummary(
                    results=tuple(results),
                    elapsed_s=time.monotonic() - started,
                    interrupted=interrupted,
                    due=len(feeds),
                    configured=len(rows),
                )
                try:
                    index_pending(db)
                    finish_run(db, run_id, _iso(datetime.now(UTC)), summary.to_dict())
                except sqlite3.Error:
                    if completed:
                        raise
                    # else the disk-full / read-only error that stopped the run is the one to report
            from feeds.alerts import deliver_alerts  # [[alerts]]: match what this run stored, then deliver

            deliver_alerts(db, config, run_id)
        except sqlite3.Error as e:  # disk full, read-only file, corruption: one line, not a traceback
            raise store_error(path, e) from e
        finally:
            db.close()
    return summary
