#!/usr/bin/env python3
"""Poll benchmark: nordwatch beside newsboat and a naive Python baseline, measured in one run.

Drives ../shared/bench/bench.sh (feed farm + local feed server with ETag/304 + newsboat + baseline) with
`nordwatch poll --all -q --config {config}` as the product, then prints nordwatch's time as a ratio of newsboat's
for each scenario, next to the targets:

    1000x20: cold <= 0.7x newsboat, warm <= 0.2x newsboat's conditional run (warm2), churn <= 0.5x
    200x50:  cold <= 1.0x newsboat, warm <= 0.5x

    .venv/bin/python bench/bench_poll.py                         # 200x50 and 1000x20, latency 0 and 50 ms
    .venv/bin/python bench/bench_poll.py --sizes 200x50 --latency 0 --reps 3

Ratios are only meaningful inside one run (the machine is shared and noisy); this script never compares against
figures from another run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
TARGETS = {  # (size, scenario) -> max ratio to newsboat
    ("1000x20", "cold"): 0.7,
    ("1000x20", "warm"): 0.2,
    ("1000x20", "churn"): 0.5,
    ("200x50", "cold"): 1.0,
    ("200x50", "warm"): 0.5,
}


def run_bench(args: argparse.Namespace, latency: str) -> Path:
    nordwatch = Path(sys.executable).parent / "nordwatch"
    cmd = [
        "bash",
        str(SHARED_BENCH / "bench.sh"),
        "--sizes",
        args.sizes,
        "--reps",
        str(args.reps),
        "--latency-ms",
        latency,
        "--newsboat-threads",
        args.newsboat_threads,
        "--product",
        f"{nordwatch} poll --all -q --config {{config}}",
        "--product-name",
        "nordwatch",
    ]
    if args.no_baseline:
        cmd.append("--no-baseline")
    print("$", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out_dir = None
    assert proc.stdout is not None
    for line in proc.stdout:
        if args.verbose or line.startswith(("==", "results:")):
            print(line, end="", flush=True)
        m = re.match(r"results: (\S+)/results\.md", line)
        if m:
            out_dir = Path(m.group(1))
    if proc.wait() != 0 or out_dir is None:
        sys.exit(f"bench.sh failed (exit {proc.returncode})")
    return out_dir


def ratios(results: dict, latency: str) -> list[str]:
    lines = []
    for size, data in results["sizes"].items():
        rows = {(r["client"], r["scenario"]): r for r in data["summary"]}
        newsboat = next((c for c, _ in rows if c.startswith("newsboat") and "1" in c.split()[-1]), None)
        newsboat = newsboat or next((c for c, _ in rows if c.startswith("newsboat")), None)
        lines.append(f"\n{size}, latency {latency} ms (median of {data['summary'][0]['reps']}):")
        lines.append(
            f"  {'scenario':<8} {'nordwatch s':>11} {'newsboat s':>10} {'ratio':>6} {'target':>7}  "
            f"{'items':>7} {'304s':>5} {'RSS MiB':>7} {'baseline s':>10}"
        )
        for scen, ref_scen in (("cold", "cold"), ("warm1", "warm2"), ("warm2", "warm2"), ("churn", "churn")):
            nw = rows.get(("nordwatch", scen))
            nb = rows.get((newsboat, ref_scen)) if newsboat else None
            base = rows.get(("baseline-py", scen))
            if nw is None:
                continue
            ratio = nw["wall_s"] / nb["wall_s"] if nb else float("nan")
            key = "warm" if scen.startswith("warm") else scen
            target = TARGETS.get((size, key))
            verdict = "" if target is None else ("ok" if ratio <= target else "MISS")
            items = f"{nw['items']}" + (
                "" if nw["items"] == nw["expected_items"] else f"≠{nw['expected_items']}"
            )
            lines.append(
                f"  {scen:<8} {nw['wall_s']:>11.2f} {nb['wall_s'] if nb else float('nan'):>10.2f} {ratio:>6.2f} "
                f"{(f'<= {target}' if target else ''):>7} {verdict:<4} {items:>7} {nw['s304']:>5} "
                f"{nw['rss_mib']:>7.0f} {base['wall_s'] if base else float('nan'):>10.2f}"
            )
        lines.append(
            f"  (newsboat reference: '{newsboat}'; warm rows compare with newsboat's conditional warm2)"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200x50,1000x20")
    ap.add_argument("--latency", default="0,50", help="comma list of emulated latencies in ms")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--newsboat-threads", default="1", help="comma list (newsboat's default is 1)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    if not (SHARED_BENCH / "bench.sh").exists():
        sys.exit(f"{SHARED_BENCH}: the shared benchmark harness is not here")
    report = []
    for latency in args.latency.split(","):
        out = run_bench(args, latency)
        results = json.loads((out / "results.json").read_text())
        report += ratios(results, latency)
        report.append(f"  full tables: {out / 'results.md'}")
    print("\n".join(report))


if __name__ == "__main__":
    main()
