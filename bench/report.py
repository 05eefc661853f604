"""Tables for bench/RESULTS.md from the JSON the benchmark steps wrote.

    python -m bench.report OUT_DIR > tables.md

OUT_DIR holds any of q_embedded.json, q_1x.json, q_10x.json, browser.json, sessions*.json,
room_*.json, import_*.json; a section is printed for each kind present.
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
    for page, first in data[0][1]["queries"].items():
        if page == "_published":
            row("published page figures: entries / file bytes",
                lambda d: f"{d['queries']['_published']['entries']} / {d['queries']['_published']['file_bytes']:,}")
            continue
        for part, words in (("_data_work", "data work as served (published figures, a fresh process)"),
                            ("_computed", "data work computed on demand (empty query cache)")):
            if f"{part}_median_ms" not in first:  # earlier runs had only _data_work (computed)
                continue
            label = ("every page in a row, one shared query cache" if page.startswith("_")
                     else f"{page}: {words}")
            row(f"{label}, median, CPU / wall (ms)",
                lambda d, p=page, k=part: f"{d['queries'][p].get(f'{k}_cpu_ms', '—')} / "
                                          f"{d['queries'][p].get(f'{k}_median_ms', '—')}")
        if "_agencies_max_ms" in first:
            row(f"{page}: slowest agency view as served (ms)", lambda d, p=page: d["queries"][p]["_agencies_max_ms"])
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


def _phases(r: dict) -> list[tuple[str, dict]]:
    """The lone member before the rooms, each room, the lone member after (older runs: before only)."""
    return [("lone member, before", r["lone"]), *((f"room of {x['members']}", x) for x in r["rooms"]),
            *([("lone member, after", r["lone_after"])] if "lone_after" in r else [])]


def rooms(out: Path) -> list[str]:
    """bench.meeting_room: what members waited for, then what the server's CPU did meanwhile."""
    runs = [(p.stem, _load(p)) for p in sorted(out.glob("room_*.json"))]
    if not runs:
        return ["(no meeting-room run)"]
    waits = ["| data | processes | who | page runs | p50 ms | p95 ms | p95 ÷ lone member's | first page p95 ms "
             "| script run p95 ms (server log) | errors |", "|---" * 10 + "|"]
    cpu = ["| data | processes | who | server CPU per page run ms | cores per process: mean / busiest 2 s "
           "| during arrivals: cores per process; machine | machine cores busy | load avg start → end |",
           "|---" * 8 + "|"]
    for _, r in runs:
        data = Path(r["data"]).parent.name
        for who, p in _phases(r):
            ratio = f"{p['p95_ratio']:.2f}×" if p.get("p95_ratio") else "—"
            waits.append(f"| {data} | {r['processes']} | {who} | {p['all']['n']} | {p['all']['p50_ms']} | "
                         f"{p['all']['p95_ms']} | {ratio} | {p['first_page']['p95_ms']} | "
                         f"{p['script_log']['p95_ms']} | {len(p['errors'])} |")
            procs = {k: v for k, v in p["cpu"]["processes"].items() if k != "haproxy"}
            arrival = p["cpu"].get("arrival")
            during = (" / ".join(str(arrival["process_cores"][k]) for k in procs)
                      + f"; {arrival['machine_busy_cores']}") if arrival else "—"
            cpu.append(f"| {data} | {r['processes']} | {who} | {p['server_cpu_ms_per_run']} | "
                       + " + ".join(f"{v['mean_cores']} / {v['peak_2s_cores']}" for v in procs.values())
                       + f" | {during} | {p['cpu']['machine_busy_cores']} | "
                       f"{p['load_avg_start'][0]:.1f} → {p['load_avg_end'][0]:.1f} |")
        if "lone_both" in r:
            b = r["lone_both"]
            waits.append(f"| {data} | {r['processes']} | lone member, both runs (the yardstick) | {b['n']} | "
                         f"{b['p50_ms']} | {b['p95_ms']} | 1.00× | — | — | — |")
    notes = [f"- {name}: server up in {r['server_start_s']} s, peak RSS {r['server_peak_rss_mb']} MB; members "
             "per process " + "; ".join(f"room of {x['members']}: {x['per_server']}" for x in r["rooms"])
             + "; errors: " + (", ".join(sorted({e for _, p in _phases(r) for e in p["errors"]})) or "none")
             for name, r in runs]
    return [*waits, "", *cpu, "", *notes]


def main() -> None:
    """Every section whose JSON is in OUT_DIR (a later run may measure only some of them)."""
    out = Path(sys.argv[1])
    sections = [("Data work, memory, pandas (bench.measure)", "q_*.json", queries),
                ("In Chromium (bench.browser)", "browser.json", browser),
                ("Concurrent sessions, light websocket clients (bench.sessions)", "sessions*.json", sessions),
                ("Meeting room: members open the link within 5 s, then browse (bench.meeting_room)",
                 "room_*.json", rooms),
                ("Importing one national snapshot at 10× (bench.import_one)", "import_*.json", imports)]
    lines: list[str] = []
    for title, pattern, table in sections:
        if any(out.glob(pattern)):
            lines += [f"### {title}", "", *table(out), ""]
    print("\n".join(lines).rstrip())

if __name__ == "__main__":
    main()
