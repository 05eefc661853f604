"""Issue 24: backups restore byte for byte, or not at all (nothing written, exit 2, zh-TW)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest

from kpi.config.paths import REPO_ROOT
from tests.helpers.cli import cli
from tests.helpers.cli import report as _report

pytestmark = pytest.mark.usefixtures("calm_health")


PLAN = REPO_ROOT / "data" / "templates" / "action_plan_template.csv"


def _office_work(folder: Path) -> None:
    """Things a rebuild cannot make: an imported plan, an OAS count (settings), audit lines."""
    from kpi import service

    service.import_file("plan", PLAN, None, "test")
    service.set_oas("勞動部", 3, "test")


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) \
        if folder.exists() else []


@pytest.mark.slow  # ≈5 s: the full suite runs it, the quick loop does not
def test_backup_to_an_empty_folder_restores_the_same_report(fresh_data, tmp_path, monkeypatch):
    _office_work(fresh_data)
    before = _report()
    out = cli("backup", "--out", str(tmp_path / "b.tar.gz"))
    assert out.exit_code == 0, out.output
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        manifest = json.loads(tar.extractfile("MANIFEST.json").read())
        names = tar.getnames()
    held = {f["path"] for f in manifest["files"]}
    assert {"settings/oas_apis.json", "audit/audit.jsonl", "imports/log.json", "default_imports.json"} <= held
    assert any(p.startswith("imports/archive") or p.endswith(".csv") for p in held if p.startswith("imports/"))
    assert not any(n.startswith(("data/store/", "data/imports/parsed/")) for n in names)
    assert manifest["data_version"] == json.loads(before)["data_version"]

    empty = tmp_path / "restored"
    monkeypatch.setenv("KPI_DATA_DIR", str(empty))
    done = cli("restore", str(tmp_path / "b.tar.gz"))
    assert done.exit_code == 0, done.output
    assert "與備份時相同" in done.stdout
    assert _report() == before
    restored = json.loads((empty / "audit" / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert restored["action"] == "restore" and restored["result"].endswith("（與備份時相同）")


def _flip(src: Path, dst: Path, at: int) -> None:
    data = bytearray(src.read_bytes())
    data[at] ^= 0x01
    dst.write_bytes(bytes(data))


def test_a_flipped_byte_is_refused_and_nothing_written(fresh_data, tmp_path, monkeypatch):
    good = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(good)).exit_code == 0
    size = good.stat().st_size
    for i, at in enumerate([size // 2, 5, size - 3]):  # the stream, the header's mtime, the CRC
        bad = tmp_path / f"bad{i}.tar.gz"
        _flip(good, bad, at)
        target = tmp_path / f"target{i}"
        monkeypatch.setenv("KPI_DATA_DIR", str(target))
        refused = cli("restore", str(bad))
        assert refused.exit_code == 2, (at, refused.output)
        assert f"備份檔「bad{i}.tar.gz」無法還原" in refused.stderr and "未寫入任何資料" in refused.stderr
        assert "Traceback" not in refused.output
        assert _files(target) == []


def test_a_changed_file_with_a_valid_stream_is_refused_by_its_hash(fresh_data, tmp_path, monkeypatch):
    good = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(good)).exit_code == 0
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(good) as src, open(forged, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as dst:
        for member in src:
            body = src.extractfile(member).read()
            if member.name == "data/audit/audit.jsonl":
                body = body.replace(b'"user": "test"', b'"user": "TEST"', 1)
            member.size = len(body)
            dst.addfile(member, io.BytesIO(body))
    target = tmp_path / "target"
    monkeypatch.setenv("KPI_DATA_DIR", str(target))
    refused = cli("restore", str(forged))
    assert refused.exit_code == 2
    assert "「audit/audit.jsonl」的 sha256 與清單不符" in refused.stderr
    assert _files(target) == []


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_restore_over_data_needs_replace(fresh_data, tmp_path):
    out = tmp_path / "b.tar.gz"
    assert cli("backup", "--out", str(out)).exit_code == 0
    before = _report()
    _office_work(fresh_data)  # after the backup: a plan import and an OAS count
    assert _report() != before
    listing = _files(fresh_data)
    refused = cli("restore", str(out))
    assert refused.exit_code == 2 and "--replace" in refused.stderr
    assert _files(fresh_data) == listing
    done = cli("restore", str(out), "--replace")
    assert done.exit_code == 0, done.output
    assert not (fresh_data / "settings" / "oas_apis.json").exists()  # not in the backup: removed
    assert _report() == before


def test_backup_folder_keeps_the_newest_k(fresh_data, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    made = []
    for _ in range(3):
        assert cli("backup", "--out", str(folder), "--keep", "2").exit_code == 0
        made.append(sorted(folder.glob("kpi-backup-*.tar.gz"))[-1])
    assert sorted(folder.glob("kpi-backup-*.tar.gz")) == made[1:]


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_one_json_audit_line_per_write_without_secrets(fresh_data, tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", "pbkdf2$secret-hash-value")
    log = fresh_data / "audit" / "audit.jsonl"
    before = len(log.read_text(encoding="utf-8").splitlines())
    _office_work(fresh_data)
    assert cli("backup", "--out", str(tmp_path / "b.tar.gz")).exit_code == 0
    lines = log.read_text(encoding="utf-8").splitlines()[before:]
    records = [json.loads(x) for x in lines]
    assert [r["action"] for r in records] == ["import", "set-oas", "backup"]
    assert all({"at", "user", "action", "result"} <= set(r) for r in records)
    assert not any("secret-hash-value" in x or "password" in x.lower() for x in lines)
