"""Waiting helpers for pilot tests: settle on conditions with bounded loops, never blind sleeps."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from textual.worker import Worker, WorkerCancelled, WorkerFailed


async def _finished(worker: Worker[Any]) -> None:
    # An exclusive worker replaced by a newer one, or an error the app reports itself.
    with contextlib.suppress(WorkerCancelled, WorkerFailed):
        await worker.wait()


async def settle(pilot: Any, rounds: int = 50) -> None:
    """Let the app process its messages and wait for every worker it started (also those started while
    waiting), tolerating cancelled ones: `workers.wait_for_complete()` raises when an exclusive worker is
    replaced mid-wait."""
    app = pilot.app
    await pilot.pause()
    for _ in range(rounds):
        busy = [w for w in app.workers if not w.is_finished]
        if not busy:
            break
        await asyncio.wait([asyncio.ensure_future(_finished(w)) for w in busy], timeout=10)
        await pilot.pause()
    await pilot.pause()


async def wait_until(pilot: Any, cond: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Wait (bounded by `timeout`) for `cond` to hold, letting the app run between checks."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not cond():
        if loop.time() > deadline:
            return False
        await pilot.pause(0.05)
    return True
