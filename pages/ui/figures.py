"""Finished Plotly figures kept per data version and the page's own key.

Why: building a figure is most of a rerun that changes nothing — measured at 10× national,
plotly express took 97 of 259 ms of a warm 使用量與排行 rerun (two bar charts) and 39 of 129 ms
of 總覽's. A page names what decides its figure (chart id, scope, filter choices); the figure is
built and finished (民國 axes, thousands separators) once per data version and key, then shared
read-only by every session (Streamlit serialises it without changing it). Bounded, LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from kpi.config.tunables import default

MAX_FIGURES = default("MAX_FIGURES")  # kpi/config/tunables.py
_FIGURES: OrderedDict[tuple, Any] = OrderedDict()
_LOCK = threading.Lock()
BUILDS: list[tuple] = []  # keys built (a test reads it: a rerun that changes nothing builds none)


def figure(version: str, key: tuple[Hashable, ...], build: Callable[[], Any],
           finish: Callable[[Any], None]) -> Any:
    """The figure for (data version, key): from the cache, or build() then finish(fig)."""
    full = (version, *key)
    with _LOCK:
        if full in _FIGURES:
            _FIGURES.move_to_end(full)
            return _FIGURES[full]
    fig = build()
    finish(fig)
    with _LOCK:
        BUILDS.append(full)
        del BUILDS[:-MAX_FIGURES]
        _FIGURES[full] = fig
        while len(_FIGURES) > MAX_FIGURES:
            _FIGURES.popitem(last=False)
    return fig


def clear() -> None:
    with _LOCK:
        _FIGURES.clear()
        BUILDS.clear()
