"""Issue 27: the generic event list behind the time charts (both ends of a range included, other
sources such as recounts registered once)."""

from __future__ import annotations

import datetime as dt

import pytest


def test_events_in_range_and_registered_sources(fresh_data):
    from kpi.cycle import events
    from kpi.cycle.entries import enter
    from kpi.store import gateway

    enter("meetings", [{"會議日期": "2017-11-15", "會議名稱": "106年第2次會議"}], "資訊處", "m.csv")
    gw = gateway()
    day = dt.date(2017, 11, 15)
    assert [e.text() for e in events.events(gw, day, day)] == ["106/11/15 委員會會議「106年第2次會議」"]
    assert events.events(gw, day + dt.timedelta(days=1), dt.date(2017, 12, 31)) == []
    assert [e.kind for e in events.events(gw, dt.date(2017, 1, 1), day)] == ["plan", "meeting"]

    def recounts(_gw):
        return [events.Event(dt.date(2018, 7, 20), "入口網重新計數（187 項資料集）", "recount")]

    try:
        events.register(recounts)
        events.register(recounts)
        got = events.timeline(gw, "2017-11-15", "2018-07-20")
        # the built-in source (kpi/build/recounts.py's event of 107/07/20) and the registered one, once
        assert [e.kind for e in got] == ["meeting", "recount", "recount"]
        assert sum(e.name == "入口網重新計數（187 項資料集）" for e in got) == 1
    finally:
        events.SOURCES.remove(recounts)


@pytest.mark.slow  # ≈7 s: the full suite runs it, the quick loop does not
def test_brief_and_pack_name_the_meeting_and_stay_one_page(fresh_data, tmp_path):
    import io
    import os
    import subprocess
    import sys

    import openpyxl
    import pypdf

    from kpi.config.paths import REPO_ROOT
    from kpi.cycle.entries import enter

    enter("meetings", [{"會議日期": "2018-01-15", "會議名稱": "107年第1次會議"}], "資訊處", "m.csv")
    env = {**os.environ, "KPI_DATA_DIR": str(fresh_data)}

    def export(what, out, *extra):
        done = subprocess.run([sys.executable, "-m", "kpi", "export", what, "--out", str(out), *extra],
                              cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return out.read_bytes()

    note = "（上次會議 107/01/15「107年第1次會議」時之快照）"
    pdf = pypdf.PdfReader(io.BytesIO(export("brief", tmp_path / "b.pdf")))
    words = "".join(ch for ch in pdf.pages[0].extract_text() if ch not in " \x00")  # pypdf spaces CJK glyphs
    assert len(pdf.pages) == 1 and note.replace(" ", "") in words
    book = openpyxl.load_workbook(io.BytesIO(export("pack", tmp_path / "p.xlsx")))
    assert note in book["附件一"]["A2"].value
    book = openpyxl.load_workbook(io.BytesIO(export("pack", tmp_path / "n.xlsx", "--since", "none")))
    assert "上次會議" not in book["附件一"]["A2"].value and "無比較基準" in book["附件一"]["A2"].value
