"""What a cold server's first page spends before drawing (issue 26: what bounds the cold first page).

    python -m bench.cold_parts DATA_DIR [--rounds 5] --out cold_parts.json

Each round is a new Python process that does, in order and timed (wall and CPU): import streamlit,
import plotly.express (both the floor pays too), import the engine the pages use (pandas, DuckDB,
kpi.*), open the store as the pages do (ensure_store + gateway(lazy=True): the manifest; the tables
are loaded at the first query), serve 總覽's default data from the published figures (and say
whether that loaded the tables), then load the tables as the first query of a view not published
would. The list of 總覽's calls is made beforehand with a gateway of its own (untimed). Medians
are written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from kpi.config.paths import REPO_ROOT

CHILD = r"""
import json, os, time
out = {}
def part(name, fn):
    w, c = time.perf_counter(), time.process_time()
    r = fn()
    out[name] = {"wall_ms": round((time.perf_counter() - w) * 1000, 1),
                 "cpu_ms": round((time.process_time() - c) * 1000, 1)}
    return r
part("import_streamlit", lambda: __import__("streamlit"))
part("import_plotly_express", lambda: __import__("plotly.express"))
def engine():
    import duckdb, pandas  # noqa: F401
    import kpi.metrics.page_calls, kpi.report, kpi.service, kpi.store  # noqa: F401
part("import_engine", engine)
def open_store():
    from kpi.service import ensure_store
    from kpi.store import gateway
    ensure_store()
    return gateway(lazy=True)
gw = part("open_store", open_store)
def listing():  # untimed: kpi/metrics/page_calls.py reads the meetings to list 總覽's calls; the page does not
    from kpi.metrics import plan
    from kpi.metrics.page_calls import View, page_calls
    from kpi.metrics.scope import resolve_scope
    from kpi.store import Gateway
    lister = Gateway(gw.version)  # its own tables: the timed gateway stays as the page leaves it
    scope = resolve_scope(lister)
    calls = next(iter(page_calls(View(lister, scope, plan.weights_in_force()[0],
                                      plan.default_year(lister, scope.as_of))).values()))
    lister.close()
    return calls
calls = listing()
def overview():  # the group's default view served as the page serves it (pages/ui/filters.py, data.py)
    from bench.measure import _page_run
    from kpi.metrics.scope import resolve_scope, snapshot_dates
    from kpi.store.figures import serve
    resolve_scope(gw, dates=serve(gw, snapshot_dates))
    return _page_run(gw, calls)
part("overview_served", overview)
out["overview_loaded_tables"] = gw.opened
part("load_tables_on_demand", gw.open)
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path("cold_parts.json"))
    a = ap.parse_args(argv)
    env = {**os.environ, "KPI_DATA_DIR": str(a.data), "PYTHONPATH": str(REPO_ROOT)}
    runs = []
    for _ in range(a.rounds):
        done = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=REPO_ROOT, capture_output=True,
                              text=True, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    medians = {k: {m: statistics.median(r[k][m] for r in runs) for m in ("wall_ms", "cpu_ms")}
               for k in runs[0] if isinstance(runs[0][k], dict)}
    medians["overview_loaded_tables"] = any(r["overview_loaded_tables"] for r in runs)
    result = {"data": str(a.data), "rounds": a.rounds, "load_avg": os.getloadavg(), "medians": medians, "runs": runs}
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(medians, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
