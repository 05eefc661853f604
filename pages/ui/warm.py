"""Warm the page cache once per data version, in a background thread.

Started when a process first opens a data version (pages/ui/data._gateway): the engine calls of
every page under the default filters (kpi/metrics/warm.py) go through ``data.call``, so a menu click after
the first page, and every page of later visitors, is read from the cache instead of computed.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

_started: set[str] = set()
_lock = threading.Lock()
log = logging.getLogger(__name__)


def warm(version: str | None = None) -> int:
    """Run every default call through the page cache; returns how many succeeded."""
    from kpi.metrics.warm import default_calls
    from pages.ui import data

    done = 0
    for fn, args, kwargs in default_calls(data.gw()):
        if version is not None and data.data_version() != version:
            break  # a newer version arrived: its own warm-up takes over
        try:
            data.call(fn, *args, **kwargs)
            done += 1
        except Exception:  # a page shows its own error; warming must never break the app
            log.exception("warm-up of %s failed", getattr(fn, "__qualname__", fn))
    return done


def in_server() -> bool:
    """Under `streamlit run` (not AppTest, whose runs are the tests'); KPI_WARM=0 turns it off."""
    return "streamlit.web.bootstrap" in sys.modules and os.environ.get("KPI_WARM", "1") != "0"


def warm_in_background(version: str, force: bool = False) -> threading.Thread | None:
    """Start warming `version` once per server process; None if started already or not a server."""
    if not (force or in_server()):
        return None
    with _lock:
        if version in _started:
            return None
        _started.add(version)
    thread = threading.Thread(target=warm, args=(version,), name=f"kpi-warm-{version}", daemon=True)
    thread.start()
    return thread
