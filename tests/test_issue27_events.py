"""Issue 27: the generic event list behind the time charts (both ends of a range included, other
sources such as recounts registered once)."""

from __future__ import annotations

import datetime as dt


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
        assert [e.kind for e in got] == ["meeting", "recount"]
    finally:
        events.SOURCES.remove(recounts)
