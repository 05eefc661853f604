"""Opening a store written by the previous release: rebuild once in the background, then swap.

A new BUILD_FORMAT changes every version id, and a rebuild of ten years of snapshots takes
minutes; done in the request it would leave the meeting screen blank. So the first reader of an
old-format store starts one background rebuild (the service's reconcile: under the write lock,
audited) and goes on reading the old version; the manifest rename swaps the new one in, and
every process's gateway picks it up at its next query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

_RUNNING = threading.Lock()  # one background rebuild per process at a time
_FAILED_AT = [-1e9]  # monotonic time of the last failed attempt
RETRY_AFTER_S = 600


def stored_format(version: Any) -> int | None:
    return (version.meta.get("parts") or {}).get("format")


def in_background(version: Any, reconcile: Callable[[], Any]) -> bool:
    """True when ``version`` is of another format (a rebuild is running or was started);
    False when the format is the code's, so the caller reconciles in place."""
    from kpi.build import BUILD_FORMAT

    if stored_format(version) == BUILD_FORMAT:
        return False
    if time.monotonic() - _FAILED_AT[0] > RETRY_AFTER_S and _RUNNING.acquire(blocking=False):
        def run() -> None:
            try:
                reconcile()
            except Exception:
                _FAILED_AT[0] = time.monotonic()  # not again on every page run; the old version serves
                raise  # threading's excepthook prints it to the log
            finally:
                _RUNNING.release()

        threading.Thread(target=run, name="kpi-upgrade", daemon=True).start()
    return True
