"""Articles per second for the full analysis (`feeds.analysis.analyze`), one core, two mixes.

    .venv/bin/python bench/bench_analysis.py [--seconds 3] [--farm-feeds 100]

1. treaty-heavy: the labelled set (tests/data/analysis) and the seed article when ../shared is present, each cut or
   extended to about 2 KB at a line break, so the mix has quotes, treaty moves and several languages.
   Target: >= 1,000/s.
2. farm mix (when ../shared/bench/feedfarm.py is present): the items of a generated feed farm (the poll benchmark's
   articles, ~1.2 KB) parsed by `feeds.processor.process_feed` and analysed the way the poll does (the longer of
   content and summary). Target: <= 0.25 ms per article (>= 4,000/s) so analysis never dominates a poll.

Times are CPU seconds of this process (time.process_time), so other load on a shared machine skews them less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

from feeds.analysis import analyze

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "article.txt"
FEEDFARM = ROOT.parent / "shared" / "bench" / "feedfarm.py"
SIZE = 2048

Article = tuple[str, str, str | None, tuple[str, ...]]  # title, text, lang, hint countries


def corpus() -> list[Article]:
    """The treaty-heavy mix: (title, ~2 KB text, lang, hints)."""
    data = tomllib.loads((ROOT / "tests/data/analysis/labelled.toml").read_text(encoding="utf-8"))["articles"]
    arts = [(a["title"], a["text"].strip(), a.get("lang", "en")) for a in data]
    if SEED.exists():
        arts.append(
            ("Russia accuses Ukraine of using banned landmines", SEED.read_text(encoding="utf-8"), "en")
        )
    out: list[Article] = []
    for i, (title, text, lang) in enumerate(arts):
        body = text
        j = i + 1
        while len(body.encode()) < SIZE:  # extend with the next article of the same language
            nxt = next((a for a in arts[j:] + arts[:j] if a[2] == lang and a[1] != text), arts[i])
            body += "\n" + nxt[1]
            j += 1
        cut = body.encode()[:SIZE].decode(errors="ignore")
        out.append((title, cut[: cut.rfind("\n")] if "\n" in cut[SIZE // 2 :] else cut, lang, ()))
    return out


def farm_corpus(feeds: int) -> list[Article]:
    """The poll benchmark's articles: a generated farm parsed by the real feed processor (no analysis)."""
    from feeds.processor import process_feed

    out: list[Article] = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                str(FEEDFARM),
                "generate",
                tmp,
                "--feeds",
                str(feeds),
                "--items",
                "20",
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
        )
        for path in sorted((Path(tmp) / "feeds").iterdir()):
            res = process_feed(
                path.read_bytes(),
                url=f"http://farm.test/{path.name}",
                content_type="application/xml",
                known={},
                analyze=False,
            )
            for item in res.items:
                text = item["content"] if len(item["content"]) >= len(item["summary"]) else item["summary"]
                out.append((item["title"], text, item["language"], ()))
    return out


def rate(arts: list[Article], seconds: float, fn: Callable = analyze) -> list[float]:
    """Articles per second in three timed rounds over `arts` (after one warm-up pass)."""
    for title, text, lang, hints in arts:
        fn(title, text, lang=lang, hint_countries=hints)
    rates = []
    for _ in range(3):
        n = 0
        t0 = time.process_time()
        deadline = t0 + seconds / 3
        while time.process_time() < deadline:
            for title, text, lang, hints in arts:
                fn(title, text, lang=lang, hint_countries=hints)
            n += len(arts)
        rates.append(n / (time.process_time() - t0))
    return rates


def report(name: str, arts: list[Article], rates: list[float]) -> None:
    mean_kb = statistics.mean(len(a[1].encode()) for a in arts) / 1024
    best = max(rates)
    print(f"{name}: {len(arts)} articles, mean {mean_kb:.2f} KB")
    print(
        f"  analyze: {best:,.0f} articles/s = {1000 / best:.3f} ms/article "
        f"(best of 3; runs: {', '.join(f'{r:,.0f}' for r in rates)})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--farm-feeds", type=int, default=100)
    args = ap.parse_args()
    arts = corpus()
    report("treaty-heavy mix", arts, rate(arts, args.seconds))
    if FEEDFARM.exists():
        farm = farm_corpus(args.farm_feeds)
        report("farm mix", farm, rate(farm, args.seconds))
    else:
        print(f"farm mix: skipped ({FEEDFARM} is absent)")


if __name__ == "__main__":
    main()
