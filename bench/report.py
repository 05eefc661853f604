"""Tables for bench/RESULTS.md from the JSON the benchmark steps wrote.

    python -m bench.report OUT_DIR > tables.md

OUT_DIR holds q_embedded.json, q_1x.json, q_10x.json, browser.json, sessions.json, import_*.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCALES = [("embedded", "q_embedded.json"), ("1× national", "q_1x.json"), ("10× national", "q_10x.json")]


def _load(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def queries(out: Path) -> list[str]:
    data = [(name, _load(out / f)) for name, f in SCALES]
    data = [(n, d) for n, d in data if d]
    if not data:
        return ["(no bench.measure run)"]
    lines = ["| figure | " + " | ".join(n for n, _ in data) + " |", "|---|" + "---|" * len(data)]

    def row(label: str, fn) -> None:
        lines.append(f"| {label} | " + " | ".join(str(fn(d)) for _, d in data) + " |")

    row("snapshots / counter rows", lambda d: f"{d['snapshots']} / {d['counter_rows']:,}")
    row("snapshots kept in memory", lambda d: d["hot_snapshots"])
    row("open the store (s, once per version)", lambda d: d["open_store_s"])
    row("peak memory, store + every page's data (MB)", lambda d: d["peak_rss_mb"])
    row("load average during the run (1 min)", lambda d: round(d["load_avg"][0], 1))
    for page in data[0][1]["queries"]:
        label = ("every page in a row, one shared query cache" if page.startswith("_")
                 else f"{page}: data work from an empty query cache")
        row(f"{label}, median, CPU / wall (ms)",
            lambda d, p=page: f"{d['queries'][p].get('_data_work_cpu_ms', '—')} / "
                              f"{d['queries'][p]['_data_work_median_ms']}")
    for name in data[0][1]["pandas_baseline"]:
        row(f"pandas ÷ DuckDB, {name}: CPU (wall), ms",
            lambda d, n=name: _pair(d["pandas_baseline"][n]))
    return lines


def _pair(c: dict) -> str:
    p, d = c["pandas"], c["duckdb"]
    return (f"{c.get('speedup_cpu', '—')}× ({p.get('cpu_median_ms')} ÷ {d.get('cpu_median_ms')}); "
            f"wall {c['speedup']}× ({p['median_ms']} ÷ {d['median_ms']})"
            + ("" if c["same_result"] else " ≠"))


def browser(out: Path) -> list[str]:
    b = _load(out / "browser.json")
    if not b:
        return ["(no browser run)"]
    lines = []
    if "floor" in b and "dashboard" in b:
        fl = b["floor"]
        floor = {k: min(v[k] for v in fl.values() if v[k] is not None) for k in ("load", "nav", "filter")}
        lines += [f"Floor medians (ms; best of its two pages): first page {floor['load']}, "
                  f"menu click {floor['nav']}, agency change {floor['filter']}.", "",
                  "| page | first page ms (× floor) | menu click ms (× floor) | agency change ms (× floor) |",
                  "|---|---|---|---|"]
        for page, v in b["dashboard"].items():
            cells = [f"{v[k]} ({v[k] / floor[k]:.2f}×)" if v[k] == v[k] and v[k] and floor[k]
                     else "timed out (120 s)" for k in ("load", "nav", "filter")]
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines.append("")
    for key in ("cold_floor", "cold_dashboard"):
        for i, c in enumerate(b.get(key, [])):
            lines.append(f"- {key} #{i + 1}: server up {c['server_start_s']} s, first page "
                         f"{round(c['load'])} ms, then a menu click {round(c['nav'])} ms, "
                         f"peak RSS {c['peak_rss_mb']} MB")
    if "sessions" in b:
        lines += ["", "| concurrent sessions | script runs | p50 ms | p95 ms | p95 ÷ one session's | wall s |",
                  "|---|---|---|---|---|---|"]
        one = b["sessions"].get("1", {}).get("p95_ms")
        for n, s in b["sessions"].items():
            ratio = f"{s['p95_ms'] / one:.2f}×" if one and s["p95_ms"] else "—"
            lines.append(f"| {n} | {s['runs']} | {s['p50_ms']} | {s['p95_ms']} | {ratio} | {s['wall_s']} |")
    lines.append(f"\nServer peak RSS: dashboard {b.get('dashboard_peak_rss_mb')} MB, floor "
                 f"{b.get('floor_peak_rss_mb')} MB. Load average at start / end: "
                 f"{[round(x, 1) for x in b.get('load_avg_start', [])]} / "
                 f"{[round(x, 1) for x in b.get('load_avg_end', [])]}.")
    return lines


def sessions(out: Path) -> list[str]:
    runs = [(p.stem, _load(p)) for p in sorted(out.glob("sessions*.json"))]
    if not runs:
        return ["(no sessions run)"]
    lines = ["| run | think time s | concurrent sessions | page runs | p50 ms | p95 ms | p95 ÷ one session's "
             "| max ms | errors | wall s |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in runs:
        for lv in s["levels"]:  # "one session" from the same run and pause
            one = next((x["p95_ms"] for x in s["levels"]
                        if x["sessions"] == 1 and x["think_s"] == lv["think_s"]), None)
            ratio = f"{lv['p95_ms'] / one:.2f}×" if one and lv["p95_ms"] else "—"
            lines.append(f"| {name} | {lv['think_s']:g} | {lv['sessions']} | {lv['runs']} | {lv['p50_ms']} | "
                         f"{lv['p95_ms']} | {ratio} | {lv['max_ms']} | {len(lv['errors'])} | {lv['wall_s']} |")
    lines.append("")
    lines += [f"- {name}: server peak RSS {s.get('server_peak_rss_mb')} MB; load average at start / end "
              f"{[round(x, 1) for x in s.get('load_avg_start', [])]} / "
              f"{[round(x, 1) for x in s.get('load_avg_end', [])]}." for name, s in runs]
    return lines


def imports(out: Path) -> list[str]:
    runs = [_load(p) for p in sorted(out.glob("import_*.json"))]
    if not runs:
        return ["(no import run)"]
    lines = ["| as of | snapshots before | rows | preview s | commit s | total s | yearly files before → after |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['as_of']} | {r['snapshots_before']} | {r['rows']:,} | {r['preview_s']} | {r['commit_s']} | "
              f"{r['total_s']} | {r['archives_before']} → {r['archives_after']} |" for r in runs if r]
    return lines


def main() -> None:
    out = Path(sys.argv[1])
    print("\n".join(["### Data work, memory, pandas (bench.measure)", "", *queries(out), "",
                     "### In Chromium (bench.browser)", "", *browser(out), "",
                     "### Concurrent sessions, light websocket clients (bench.sessions)", "", *sessions(out), "",
                     "### Importing one national snapshot at 10× (bench.import_one)", "", *imports(out)]))


if __name__ == "__main__":
    main()
