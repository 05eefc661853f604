"""The write service: one lock, an audit line per write, --replace, import identity, checks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from kpi.config.paths import REPO_ROOT
from kpi.importing.errors import ImportRefused
from kpi.metrics.scope import resolve_scope
from kpi.service import audit_log, build, commit, preview, set_weights, undo
from kpi.store import gateway, read_manifest
from tests.helpers.store import USAGE_HEADER as HEADER
from tests.helpers.store import tree_digest

D2018 = dt.date(2018, 7, 20)
ONE_ROW = (HEADER + "勞動部,勞工保險投保薪資分級表,10,2,,2015/01/01\n").encode("utf-8")


def _ministry_datasets(day: dt.date) -> int:
    gw = gateway()
    return int(gw.scalar("SELECT count(*) FROM counter WHERE snapshot_date = ? AND agency = '勞動部'",
                         [day]))


def test_a_date_already_held_needs_replace(fresh_data, tmp_path):
    """The 2018 export holds 114 datasets of 勞動部 on 2018-07-20; a one-row file must not
    silently replace them (SPEC §8)."""
    path = tmp_path / "one.csv"
    path.write_bytes(ONE_ROW)
    assert _ministry_datasets(D2018) == 114
    before = tree_digest(fresh_data)
    with pytest.raises(ImportRefused) as err:
        commit(preview("usage", path, D2018), "office")
    assert "勞動部：資料庫現有 114 項，此檔 1 項" in err.value.text()
    assert tree_digest(fresh_data) == before
    assert audit_log()[0]["action"] == "import" and audit_log()[0]["result"].startswith("失敗")
    result = commit(preview("usage", path, D2018), "office", replace=True)
    assert result.changed and _ministry_datasets(D2018) == 1
    assert _ministry_datasets(dt.date(2017, 10, 30)) > 1  # other dates untouched


@pytest.mark.slow  # ≈7 s: the full suite runs it, the quick loop does not
def test_cli_refuses_without_replace_and_names_what_would_go(fresh_data, tmp_path):
    path = tmp_path / "one.csv"
    path.write_bytes(ONE_ROW)
    env = {"KPI_DATA_DIR": str(fresh_data), "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "kpi", "import", "usage", str(path), "--as-of", "2018-07-20"]
    refused = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--replace" in refused.stderr and "114 項" in refused.stderr
    taken = subprocess.run([*cmd, "--replace"], cwd=REPO_ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    assert taken.returncode == 0, taken.stderr


def test_same_bytes_for_another_date_is_a_new_import(fresh_data, tmp_path):
    path = tmp_path / "later.csv"
    path.write_bytes(ONE_ROW)
    first = commit(preview("usage", path, dt.date(2019, 1, 31)), "office")
    again = commit(preview("usage", path, dt.date(2019, 1, 31)), "office")
    other = commit(preview("usage", path, dt.date(2019, 2, 28)), "office")
    assert first.changed and not again.changed and again.seq == first.seq
    assert other.changed and other.seq == first.seq + 1
    dates = {str(d)[:10] for d in gateway().query("SELECT snapshot_date FROM snapshot")["snapshot_date"]}
    assert {"2019-01-31", "2019-02-28"} <= dates


def test_every_write_is_audited_with_who_and_what(fresh_data, tmp_path):
    path = tmp_path / "later.csv"
    path.write_bytes(ONE_ROW)
    seq = commit(preview("usage", path, dt.date(2019, 1, 31)), "alice").seq
    undo(seq, "bob")
    set_weights({"meetings": 2.0}, "carol")
    with pytest.raises(ValueError):
        set_weights({"meetings": 9.0}, "carol")  # out of range: refused before anything is written
    lines = audit_log()
    assert [(x["user"], x["action"]) for x in lines[:3]] == [
        ("carol", "set-weights"), ("bob", "undo"), ("alice", "import")]
    assert lines[0]["weights"]["meetings"] == 2.0 and "later.csv" in lines[2]["file"]
    saved = json.loads((fresh_data / "settings/weights.json").read_text(encoding="utf-8"))
    assert saved["set_by"] == "carol" and saved["weights"]["meetings"] == 2.0


def test_a_version_that_breaks_an_invariant_is_not_published(fresh_data, monkeypatch):
    """Say the snapshot table claims more downloads than its counter holds: the check must stop
    the build, leave CURRENT.json as it was and leave no half-written folder behind."""
    import kpi.build as build_module
    from kpi.build.checks import BuildCheckFailed

    current = read_manifest().version_id
    real = build_module.snapshot_frame

    def inflated(batches):
        frame = real(batches)
        frame.loc[frame.index[-1], "downloads"] += 1
        return frame

    monkeypatch.setattr(build_module, "snapshot_frame", inflated)
    with pytest.raises(BuildCheckFailed, match="來源檔"):
        build("test", force=True)
    assert read_manifest().version_id == current
    leftovers = [p.name for p in (fresh_data / "store/versions").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_parsed_imports_are_cached_as_parquet_not_pickle(fresh_data, tmp_path):
    path = tmp_path / "later.csv"
    path.write_bytes(ONE_ROW)
    commit(preview("usage", path, dt.date(2019, 1, 31)), "office")
    cached = sorted(p.suffix for p in (fresh_data / "imports/parsed").iterdir())
    assert ".pkl" not in cached and cached.count(".parquet") == cached.count(".json") >= 1
    assert build("test", force=True)[1]  # a full rebuild from the cache gives a valid version
    gw = gateway()
    scope = resolve_scope(gw, as_of=dt.date(2019, 1, 31), since=dt.date(2018, 7, 20))
    assert scope.as_of == dt.date(2019, 1, 31)
