"""Server-side page timings for the benchmark: one JSON line per script run, only when asked.

Set KPI_TIMING_LOG to a file path; unset (the default), this does nothing.
"""

from __future__ import annotations

import json
import os
import threading
import time

ENV_VAR = "KPI_TIMING_LOG"
_lock = threading.Lock()


def record(page: str, seconds: float) -> None:
    path = os.environ.get(ENV_VAR)
    if not path:
        return
    line = json.dumps({"page": page, "seconds": round(seconds, 6), "at": time.time()},
                      ensure_ascii=False)
    with _lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
