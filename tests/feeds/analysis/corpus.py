"""The labelled articles the analysis tests read: the tuned-on sets (never the blind ones) and samples of them."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "data" / "analysis"
TUNED_SETS = (
    "labelled.toml",
    "fresh.toml",
    "heldout.toml",
    "round2.toml",
    "round3.toml",
    "round4.toml",
    "round5.toml",
    "round6.toml",
    "round7.toml",
    "round8.toml",
    "round9.toml",
    "round10.toml",
)


def tuned_articles() -> list[dict[str, Any]]:
    """Every article of the tuned-on sets, in file order."""
    return [
        a for name in TUNED_SETS for a in tomllib.loads((DATA / name).read_text(encoding="utf-8"))["articles"]
    ]


def article_texts() -> list[str]:
    return [a["text"] for a in tuned_articles()]


def random_cuts(texts: list[str], seed: int) -> list[str]:
    """One random slice (1-300 characters) of each text: starts and ends mid-word, mid-quote, mid-sentence."""
    rnd = random.Random(seed)
    cuts = []
    for t in texts:
        a = rnd.randrange(len(t))
        cuts.append(t[a : a + rnd.randrange(1, 300)])
    return cuts
