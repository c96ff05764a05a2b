"""Print precision/recall of `nordwatch analyze` on the labelled set (tests/data/analysis) and the seed article.

.venv/bin/python bench/eval_analysis.py [-v]     # -v lists every miss
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from feeds.analysis.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "analysis"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"


def load_labelled(with_seed: bool = True) -> list[dict]:
    """The labelled articles, plus the seed article when ../shared is present."""
    arts = []
    for name in ("labelled.toml", "fresh.toml"):
        arts += tomllib.loads((DATA / name).read_text(encoding="utf-8"))["articles"]
    if with_seed and SEED.exists():
        seed = tomllib.loads((DATA / "seed_labels.toml").read_text(encoding="utf-8"))
        seed["text"] = SEED.read_text(encoding="utf-8")
        arts.append(seed)
    return arts


def main() -> None:
    arts = load_labelled()
    rep = evaluate(arts)
    print(f"{len(arts)} labelled articles")
    for line in rep.lines():
        print(line)
    if "-v" in sys.argv:
        print()
        print("\n".join(rep.errors))


if __name__ == "__main__":
    main()
