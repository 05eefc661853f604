"""Parse every file of a manifest in-process (the web upload's path, `kinds.parse_file`), under
the memory cap the test sets, and report each outcome as one JSON line.

Run as `python -m tests.hostile.worker MANIFEST.json`; KPI_DATA_DIR names the data copy whose
store supplies the known agencies (as the web preview will)."""

from __future__ import annotations

import datetime as dt
import json
import resource
import sys
import time
import traceback
from pathlib import Path


def main(manifest: Path) -> None:
    from kpi.importing.errors import ImportRefused
    from kpi.importing.kinds import known_agencies_in, parse_file
    from kpi.store import gateway

    known = known_agencies_in(gateway())
    for item in json.loads(manifest.read_text(encoding="utf-8")):
        started = time.monotonic()
        out = {"name": item["name"]}
        try:
            as_of = dt.date.fromisoformat(item["as_of"]) if item["as_of"] else None
            parsed = parse_file(item["kind"], Path(item["path"]), as_of, item["agency"],
                                known_agencies=known)
            out |= {"outcome": "accepted", "rows": parsed.rows}
        except ImportRefused as err:
            out |= {"outcome": "refused", "text": err.text()}
        except BaseException:
            out |= {"outcome": "crashed", "text": traceback.format_exc()[-3000:]}
        out["seconds"] = round(time.monotonic() - started, 2)
        print(json.dumps(out, ensure_ascii=False), flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"name": "__peak__", "peak_mb": round(peak_mb)}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
