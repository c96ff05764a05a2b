"""Treaty status registry: sourced baseline events, each treaty's own rules, user overrides, news signals."""

from store.treaties.baseline import Remark, load_baseline
from store.treaties.model import (
    COUNTRIES,
    KINDS,
    STATUSES,
    TREATIES,
    TreatyEvent,
    TreatyEventError,
    parse_event,
)
from store.treaties.registry import (
    PendingCountdown,
    TreatySignal,
    TreatyStatus,
    baseline_reviewed,
    history,
    merged_events,
    pending_countdowns,
    status_matrix,
)
from store.treaties.rules import (
    TreatyRule,
    add_months,
    compute_status,
    entry_into_force,
    withdrawal_effective,
)

__all__ = [
    "COUNTRIES",
    "KINDS",
    "STATUSES",
    "TREATIES",
    "PendingCountdown",
    "Remark",
    "TreatyEvent",
    "TreatyEventError",
    "TreatyRule",
    "TreatySignal",
    "TreatyStatus",
    "add_months",
    "baseline_reviewed",
    "compute_status",
    "entry_into_force",
    "history",
    "load_baseline",
    "merged_events",
    "parse_event",
    "pending_countdowns",
    "status_matrix",
    "withdrawal_effective",
]
