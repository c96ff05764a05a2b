"""Print precision/recall of `nordwatch analyze` on the labelled sets (tests/data/analysis) and the seed article.

.venv/bin/python bench/eval_analysis.py [-v]     # -v lists every miss

Each set is scored on its own (labelled.toml was tuned on; fresh.toml and heldout.toml were written later and scored
before any rule change, then tuned on too), then all together. The blind sets (blind*.toml) were written by someone
who never read the analyser's code and are never tuned on: their figures are the honest estimate for unseen news.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this script lives in the repo: its tests package names the labelled sets

from feeds.analysis.evaluate import evaluate  # noqa: E402
from tests.feeds.analysis.corpus import TUNED_SETS  # noqa: E402

DATA = ROOT / "tests" / "data" / "analysis"
SEED = ROOT.parent / "shared" / "seed" / "article.txt"
SETS = TUNED_SETS  # the tuned-on sets, in one place for the tests and this script
BLIND_SETS = tuple(sorted(p.name for p in DATA.glob("blind*.toml")))


def load_set(name: str) -> list[dict]:
    """One labelled file's articles."""
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))["articles"]


def load_seed() -> list[dict]:
    """The seed article with its labels, when ../shared is present."""
    if not SEED.exists():
        return []
    seed = tomllib.loads((DATA / "seed_labels.toml").read_text(encoding="utf-8"))
    seed["text"] = SEED.read_text(encoding="utf-8")
    return [seed]


def load_labelled(with_seed: bool = True) -> list[dict]:
    """All labelled articles, plus the seed article when ../shared is present."""
    arts = [a for name in SETS for a in load_set(name)]
    return arts + (load_seed() if with_seed else [])


def main() -> None:
    verbose = "-v" in sys.argv
    groups = [(name, load_set(name)) for name in SETS] + [("seed", load_seed())]
    blind = [(f"{name} (blind, never tuned on)", load_set(name)) for name in BLIND_SETS]
    pooled = [("all blind sets", [a for _, arts in blind for a in arts])] if len(blind) > 1 else []
    for name, arts in [*groups, ("all tuned-on sets", load_labelled()), *blind, *pooled]:
        if not arts:
            continue
        rep = evaluate(arts)
        print(f"== {name}: {len(arts)} articles")
        for line in rep.lines():
            print("   " + line)
        if verbose and not name.startswith("all") and rep.errors:
            print("\n".join("   ! " + e for e in rep.errors))


if __name__ == "__main__":
    main()
