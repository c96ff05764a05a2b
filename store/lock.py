"""The poll lock: never two polls writing one database at once.

A non-blocking `flock` on `<db>.lock`. The kernel drops it when its holder dies (even by `kill -9`), so a
stale lock file left by a killed process is simply taken over; the pid and start time written into the file
are only for the message the second poll prints.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType


class PollLocked(Exception):
    """Another poll holds the lock; str() is one line saying who."""


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    p = Path(db_path).expanduser()
    return p.with_name(p.name + ".lock")


class PollLock:
    """`with PollLock(db_path):` holds the lock or raises PollLocked at once."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise PollLocked(f"another poll is running on {self.path.with_suffix('')}{holder}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> PollLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        return ""
    if len(text) >= 2:
        return f" (pid {text[0]}, started {text[1]})"
    return ""


def poll_running(db_path: str | os.PathLike[str]) -> str | None:
    """A one-line description of the poll holding the lock, or None when no poll runs."""
    try:
        with PollLock(db_path):
            return None
    except PollLocked as e:
        return str(e)
