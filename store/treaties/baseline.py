"""Load the shipped baseline (baseline.toml): treaty rules, armed-conflict flags, remarks and events."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Any

from store.treaties.model import COUNTRIES, TREATIES, TreatyEvent, TreatyEventError, parse_event
from store.treaties.rules import EIF_RULES, ArmedConflict, TreatyRule

_RULE_KEYS = {f for f in TreatyRule.__dataclass_fields__ if f != "id"}


@dataclass(frozen=True)
class Remark:
    country: str
    treaty: str
    note: str
    source: str | None = None


@dataclass(frozen=True)
class Baseline:
    reviewed: date
    countries: tuple[str, ...]
    rules: dict[str, TreatyRule]
    conflicts: dict[str, tuple[ArmedConflict, ...]]
    remarks: tuple[Remark, ...]
    events: tuple[TreatyEvent, ...]


class BaselineError(ValueError):
    """The shipped baseline file is malformed (a packaging bug, or a hand edit gone wrong)."""


def _rule(tid: str, raw: dict[str, Any]) -> TreatyRule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise BaselineError(f"[treaties.{tid}]: unknown keys {sorted(unknown)}")
    rule = TreatyRule(id=tid, **raw)
    if rule.entry_into_force not in EIF_RULES:
        raise BaselineError(f"[treaties.{tid}]: entry_into_force must be one of {EIF_RULES}")
    if bool(rule.withdrawal_months) == bool(rule.withdrawal_days):
        raise BaselineError(f"[treaties.{tid}]: set exactly one of withdrawal_months, withdrawal_days")
    return rule


def parse_baseline(raw: dict[str, Any]) -> Baseline:
    """Validate the parsed baseline TOML."""
    rules = {tid: _rule(tid, r) for tid, r in raw["treaties"].items()}
    if tuple(rules) != TREATIES:
        raise BaselineError(f"[treaties.*] must define exactly {TREATIES} in that order")
    if tuple(raw["countries"]) != COUNTRIES:
        raise BaselineError(f"countries must be {COUNTRIES}")
    conflicts: dict[str, tuple[ArmedConflict, ...]] = {}
    for cc, c in raw.get("armed_conflict", {}).items():
        conflicts[cc] = (ArmedConflict(country=cc, **c),)
    remarks = tuple(Remark(**r) for r in raw.get("remarks", []))
    events = []
    for i, ev in enumerate(raw.get("events", [])):
        try:
            events.append(parse_event(ev, origin="baseline"))
        except TreatyEventError as e:
            raise BaselineError(f"events[{i}]: {e}") from e
    return Baseline(
        reviewed=raw["reviewed"],
        countries=COUNTRIES,
        rules=rules,
        conflicts=conflicts,
        remarks=remarks,
        events=tuple(events),
    )


@cache
def load_baseline() -> Baseline:
    """The shipped baseline, parsed once per process."""
    text = files("store.treaties").joinpath("baseline.toml").read_text(encoding="utf-8")
    return parse_baseline(tomllib.loads(text))
