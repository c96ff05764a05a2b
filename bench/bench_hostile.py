"""Resource bounds of `nordwatch poll` against the hostile feed farm (tests/hostile/server.py): figures, not asserts.

    python bench/bench_hostile.py [--runs 2]

Prints wall time, peak RSS of the poll process and of its parse workers, database size, and the slowest feeds.
The farm: hung/dripping/resetting servers, DNS/TLS failures, redirect loops, 300 MB bodies, 4 GB gzip/brotli
bombs, 20,000-item and 1 MB-title feeds, entity attacks, XXE, escapes, bad encodings, dates and duplicates.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import write_config  # noqa: E402
from tests.hostile.server import HostileServer, build_farm  # noqa: E402

SETTINGS = "[poll]\ntimeout = 1\ndeadline = 3\nmax_bytes = 5_000_000\nconcurrency = 64\nper_host = 64"
WRAPPER = """
import resource, sys, runpy
sys.argv = ["nordwatch"] + sys.argv[1:]
try:
    from tui.cli import main
    main()
finally:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"RSS {own} {kids}", file=sys.stderr)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--runs", type=int, default=2, help="the second run sees the same bodies (304s/unchanged)"
    )
    args = ap.parse_args()
    server = HostileServer()
    with tempfile.TemporaryDirectory() as tmp:
        farm = build_farm(server, Path(tmp))
        db = Path(tmp) / "nw.db"
        cfg = write_config(Path(tmp) / "c.toml", farm.feeds(), db=db, extra=SETTINGS)
        print(f"farm: {len(farm.cases)} feeds; poll timeout 1 s, deadline 3 s, max_bytes 5,000,000")
        for run in range(1, args.runs + 1):
            t = time.monotonic()
            r = subprocess.run(
                [sys.executable, "-c", WRAPPER, "poll", "--config", str(cfg), "--all", "--json"],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            wall = time.monotonic() - t
            rss_line = [x for x in r.stderr.splitlines() if x.startswith("RSS ")]
            own_kb, kids_kb = (int(v) for v in rss_line[-1].split()[1:]) if rss_line else (0, 0)
            summary = json.loads(r.stdout)
            feeds = sorted(summary["feeds"], key=lambda f: -f["elapsed_s"])
            print(
                f"run {run}: exit {r.returncode}, wall {wall:.1f} s, {summary['ok']} ok / {summary['failed']} failed, "
                f"{summary['new']} new; peak RSS poll {own_kb / 1024:.0f} MB, largest parse worker {kids_kb / 1024:.0f} MB; "
                f"db {sum(p.stat().st_size for p in db.parent.glob(db.name + '*')) / 1e6:.1f} MB"
            )
            print("  slowest: " + ", ".join(f"{f['name']} {f['elapsed_s']:.2f}s" for f in feeds[:5]))
        print(
            "streamed bytes actually sent: "
            + ", ".join(f"{p} {n / 1e6:.1f} MB" for p, n in sorted(server.sent.items()) if n > 100_000)
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"this script (server side, generating the monsters): peak RSS {own:.0f} MB")
    server.close()


if __name__ == "__main__":
    main()
