"""Every page's default figures, computed on the finished version before it is published.

Runs after the invariant checks (kpi/build/checks.py) as part of the same publish step, through
a gateway on the unpublished folder, so the figures belong to exactly the tables they were
computed from; kpi/store/figures.py writes them and serves them. A call that fails here is left
out (its page computes it on demand and shows its own error); the publish goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from kpi.build.checks import check_version
from kpi.store import Gateway, Version, figures

log = logging.getLogger(__name__)
LAST: dict[str, Any] = {}  # the last publish's count and seconds (bench/ reads it)


def compute(version: Version) -> dict[tuple, Any]:
    """``call key → result`` for every call of kpi/metrics/page_calls.py, on this version."""
    from kpi.metrics.page_calls import published_calls

    gw = Gateway(version)
    try:
        out: dict[tuple, Any] = {}
        for fn, args, kwargs in published_calls(gw):
            try:
                out[figures.call_key(figures.target_of(fn), args, kwargs)] = fn(gw, *args, **kwargs)
            except Exception:  # the page shows its own error when it computes this call
                log.exception("published figure %s failed", figures.target_of(fn))
        return out
    finally:
        gw.close()


def publish(version: Version) -> dict[str, list[str]]:
    """Write the figures into the unpublished folder; returns the manifest's listing for them."""
    started = time.perf_counter()
    results = compute(version)
    listing = {figures.TABLE: figures.write(version.path, results)}
    LAST.update(calls=len(results), seconds=round(time.perf_counter() - started, 2))
    return listing


def checked_and_published(dates: list[dt.date] | None = None) -> Callable[[Version], dict[str, list[str]]]:
    """The publish step's check: the invariants (kpi/build/checks.py), then the page figures."""
    def step(version: Version) -> dict[str, list[str]]:
        check_version(version, dates=dates)
        return publish(version)
    return step
