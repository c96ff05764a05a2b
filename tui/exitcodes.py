"""Exit codes are an API: cron jobs and scripts branch on them. Documented in README.md."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    """Every polled feed succeeded (or nothing was due)."""
    FEEDS_FAILED = 1
    """Some feeds failed; everything the others returned is stored."""
    USAGE = 2
    """Bad command line, configuration or database: nothing was polled."""
    LOCKED = 75
    """Another poll holds the lock (EX_TEMPFAIL): try again later."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C / SIGINT); what was stored is consistent."""
