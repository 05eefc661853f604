"""Three-star ratio, correctness rate and gold-award score: null until a catalogue is imported."""

from __future__ import annotations

from typing import Any

from kpi.metrics.scope import Scope
from kpi.store import Gateway


def has_catalogue(gw: Gateway) -> bool:
    return bool(gw.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'catalogue'"))


def quality_by_agency(gw: Gateway, scope: Scope) -> dict[str, dict[str, Any]]:
    """{agency: {three_star_ratio, correctness_rate, gold_award_score}}; empty without a catalogue."""
    if not has_catalogue(gw):
        return {}
    raise NotImplementedError
