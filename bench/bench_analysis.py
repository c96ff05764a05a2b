"""Articles per second for the full analysis (`feeds.analysis.analyze`) on ~2 KB articles, one core.

    .venv/bin/python bench/bench_analysis.py [--seconds 3]

The articles are the labelled set (tests/data/analysis) and the seed article when ../shared is present, each cut or
extended to about 2 KB at a line break, so the mix has quotes, treaty moves and several languages. Target: >= 1,000/s.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tomllib
from pathlib import Path

from feeds.analysis import analyze

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "article.txt"
SIZE = 2048


def corpus() -> list[tuple[str, str, str]]:
    """(title, ~2 KB text, lang) triples."""
    data = tomllib.loads((ROOT / "tests/data/analysis/labelled.toml").read_text(encoding="utf-8"))["articles"]
    arts = [(a["title"], a["text"].strip(), a.get("lang", "en")) for a in data]
    if SEED.exists():
        arts.append(
            ("Russia accuses Ukraine of using banned landmines", SEED.read_text(encoding="utf-8"), "en")
        )
    out = []
    for i, (title, text, lang) in enumerate(arts):
        body = text
        j = i + 1
        while len(body.encode()) < SIZE:  # extend with the next article of the same language
            nxt = next((a for a in arts[j:] + arts[:j] if a[2] == lang and a[1] != text), arts[i])
            body += "\n" + nxt[1]
            j += 1
        cut = body.encode()[:SIZE].decode(errors="ignore")
        out.append((title, cut[: cut.rfind("\n")] if "\n" in cut[SIZE // 2 :] else cut, lang))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    arts = corpus()
    mean_kb = statistics.mean(len(t.encode()) for _, t, _ in arts) / 1024
    for title, text, lang in arts:  # warm-up: compile the data files
        analyze(title, text, lang=lang)
    rates = []
    for _ in range(3):
        n = 0
        t0 = time.perf_counter()
        deadline = t0 + args.seconds / 3
        while time.perf_counter() < deadline:
            for title, text, lang in arts:
                analyze(title, text, lang=lang)
            n += len(arts)
        rates.append(n / (time.perf_counter() - t0))
    print(f"{len(arts)} articles, mean {mean_kb:.2f} KB")
    print(f"analyze: {max(rates):,.0f} articles/s (best of 3; runs: {', '.join(f'{r:,.0f}' for r in rates)})")


if __name__ == "__main__":
    main()
