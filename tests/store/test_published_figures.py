"""Page figures published with the data: exactly what on-demand computation returns, for every page
in the group's view and each agency's; covered by the version (an import publishes new ones); an
older store without them still serves, computing on demand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import pickle

import numpy as np
import pandas as pd
import pytest

from kpi.store import figures

pytestmark = pytest.mark.publishes  # the commits here compute and write the figures


def same(a, b, where: str = "") -> None:
    """Equal values of equal types, frames to the dtype and the last digit."""
    assert type(a) is type(b), f"{where}: {type(a)} ≠ {type(b)}"
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=where)
        for col in a.columns[a.dtypes.eq(object)]:  # cells of object columns (lists, dates) too
            for x, y in zip(a[col], b[col], strict=True):
                same(x, y, f"{where}[{col}]")
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=where)
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for k in a:
            same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif dataclasses.is_dataclass(a):
        same(dataclasses.asdict(a), dataclasses.asdict(b), where)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a is b or a == b or (pd.isna(a) and pd.isna(b)), f"{where}: {a!r} ≠ {b!r}"


@pytest.mark.slow  # ≈8 s: the full suite runs it, the quick loop does not
def test_every_page_group_and_each_agency_equal_on_demand(gw):
    from kpi.metrics.page_calls import PAGES, page_calls, views
    from kpi.reference.agencies import MINISTRY_OFFICIAL

    every = views(gw)
    assert [v.scope.agencies for v in every] == [MINISTRY_OFFICIAL] + [(a,) for a in MINISTRY_OFFICIAL]
    checked = set()
    for view in every:
        for page, calls in page_calls(view).items():
            assert page in PAGES and calls
            for fn, args, kwargs in calls:
                key = figures.call_key(figures.target_of(fn), args, kwargs)
                found, published = gw.published.get(key)
                assert found, f"{page} {view.scope.agencies}: {key[0]} not published"
                gw.cache.clear()  # computed from the tables, not from a kept query result
                same(published, fn(gw, *args, **kwargs), f"{page} {view.scope.agencies} {key[0]}")
                checked.add(key)
    assert len(checked) == len(gw.published) > 250  # nothing published that no page asks for


def test_a_lookup_hands_out_a_fresh_copy(gw):
    from kpi.metrics import usage
    from kpi.metrics.scope import resolve_scope

    scope = resolve_scope(gw)
    first = figures.serve(gw, usage.agency_usage, (scope,))
    first["datasets"] = -1  # pages add and change columns of what they get
    again = figures.serve(gw, usage.agency_usage, (scope,))
    assert (again["datasets"] > 0).all() and len(again) == 6


@pytest.mark.slow  # ≈16 s: the full suite runs it, the quick loop does not
def test_an_import_publishes_figures_of_its_own_version(fresh_data, tmp_path):
    from bench.generate import load_base, step, write_usage
    from kpi.metrics.scope import snapshot_dates
    from kpi.service import commit, preview
    from kpi.store import gateway, read_manifest

    before = read_manifest()
    day = dt.date(2018, 7, 27)
    path = tmp_path / "next.csv"
    write_usage(step(load_base(seed=5), day), path)
    commit(preview("usage", path, day), "test")
    after = read_manifest()
    assert after.tables[figures.TABLE] == [figures.FILE]
    old, new = before.files(figures.TABLE)[0], after.files(figures.TABLE)[0]
    assert old.stat().st_ino != new.stat().st_ino  # written anew, not linked from the last version
    gw = gateway()
    found, dates = gw.published.get(figures.call_key(figures.target_of(snapshot_dates), (), {}))
    assert found and dates == [dt.date(2017, 10, 30), dt.date(2018, 7, 20), day] == snapshot_dates(gw)
    test_every_page_group_and_each_agency_equal_on_demand(gw)


def _without_figures(store) -> None:
    """Turn the current version into one an earlier build wrote: no figures, none listed."""
    manifest = json.loads((store / "CURRENT.json").read_text(encoding="utf-8"))
    folder = store / "versions" / manifest["folder"]
    (folder / figures.FILE).unlink()
    del manifest["tables"][figures.TABLE]
    (store / "CURRENT.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_an_older_store_without_figures_computes_on_demand(fresh_data):
    from kpi.config.paths import store_dir
    from kpi.metrics.page_calls import page_calls, views
    from kpi.metrics.scope import resolve_scope, snapshot_dates
    from kpi.report import build_report
    from kpi.store import Gateway, read_manifest

    _without_figures(store_dir())
    gw = Gateway(read_manifest())
    assert len(gw.published) == 0
    figures.ON_DEMAND.clear()
    view = views(gw)[0]
    assert figures.serve(gw, snapshot_dates) == [dt.date(2017, 10, 30), dt.date(2018, 7, 20)]
    meeting = resolve_scope(gw, dt.date(2017, 10, 30))  # 附件一 of 106 年第 2 次會議: 562 datasets
    assert figures.serve(gw, build_report, (meeting, "calendar"))["total"]["datasets"] == 562
    assert dict(figures.ON_DEMAND) == {figures.target_of(snapshot_dates): 1, figures.target_of(build_report): 1}
    assert len(page_calls(view)) == 9


def test_a_file_naming_other_types_is_refused_and_computed_instead(fresh_data):
    import os

    from kpi.config.paths import store_dir
    from kpi.metrics.scope import snapshot_dates
    from kpi.store import Gateway, read_manifest

    version = read_manifest()
    key = figures.call_key(figures.target_of(snapshot_dates), (), {})

    class Boom:
        def __reduce__(self):
            return (os.system, ("touch " + str(store_dir() / "ran"),))

    for blob in (pickle.dumps({key: pickle.dumps(Boom())}), pickle.dumps(Boom())):
        version.files(figures.TABLE)[0].write_bytes(blob)
        gw = Gateway(version)
        figures.ON_DEMAND.clear()
        assert figures.serve(gw, snapshot_dates) == [dt.date(2017, 10, 30), dt.date(2018, 7, 20)]
        assert dict(figures.ON_DEMAND) == {figures.target_of(snapshot_dates): 1}
        assert not (store_dir() / "ran").exists()
    with pytest.raises(pickle.UnpicklingError):
        figures.loads(pickle.dumps(Boom()))


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_a_figure_that_fails_is_left_out_and_the_version_still_published(fresh_data, monkeypatch):
    from kpi.build import rebuild
    from kpi.metrics import lookups, page_calls
    from kpi.metrics.scope import snapshot_dates
    from kpi.store import gateway

    broken = (lookups.run, ("no_such_lookup", ()), {})  # KeyError, as a page would raise it
    monkeypatch.setitem(page_calls.PAGES, "壞掉的頁", lambda view: [broken])
    version, changed = rebuild(force=True)
    assert changed and version.tables[figures.TABLE] == [figures.FILE]
    gw = gateway()
    assert gw.published.get(figures.call_key(figures.target_of(lookups.run), broken[1], {})) == (False, None)
    assert gw.published.get(figures.call_key(figures.target_of(snapshot_dates), (), {}))[0]


def test_only_engine_result_types_are_built():
    import numpy

    from kpi.metrics.scope import Scope

    scope = Scope(dt.date(2018, 7, 20), None, ("勞動部",))
    assert figures.loads(pickle.dumps(scope)) == scope  # kpi's records
    for refused in (numpy.memmap, pd.ExcelWriter, pd.read_pickle, figures.Published):
        with pytest.raises(pickle.UnpicklingError):
            figures.loads(pickle.dumps(refused))


def test_every_page_anyone_reads_has_its_default_calls_and_no_other_page_does():
    """The menu (kpi/reference/menu.py) is the one list of pages; the published figures follow it."""
    from kpi.metrics.page_calls import PAGES
    from kpi.reference.menu import VIEWER_PAGES

    assert list(PAGES) == [p.title for p in VIEWER_PAGES]
