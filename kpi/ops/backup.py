"""Backups of what cannot be rebuilt, and restoring them only when every byte checks out.

The store is derived (a rebuild makes it again), so a backup holds the rest of the data folder:
the import archive and its log, the fetch log, office settings and pairing decisions, link-check
runs, the audit log, and the seeds and raw files a rebuild starts from. A tar.gz with a manifest
of sha256 hashes; the gzip header is fixed (mtime 0), so no byte of the file goes unchecked:
the header by comparison, the stream by gzip's CRC, every file by its hash. The service takes the
write lock around ``write_backup`` and ``extract`` (kpi.service.backup / restore).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path
from typing import Any

from kpi.config.paths import data_dir
from kpi.importing.kinds import sha256_of

MANIFEST = "MANIFEST.json"
PREFIX = "data/"
NAME_PATTERN = "kpi-backup-*.tar.gz"
SKIP_TOP = {"store", "run"}  # derived (rebuilt) or runtime only
SKIP_UNDER = {("imports", "parsed")}  # the parsed-import cache: rebuilt from the archived files
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, mtime 0, level 6, OS 255


class BackupRefused(Exception):
    """The backup (or the target folder) cannot be used; the message is zh-TW, nothing written."""


def backed_up_files(root: Path | None = None) -> list[Path]:
    """Files of the data folder a backup holds (relative paths), in a stable order."""
    root = root or data_dir()
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or path.is_symlink() or any(p.startswith(".") for p in rel.parts):
            continue
        if rel.parts[0] in SKIP_TOP or tuple(rel.parts[:2]) in SKIP_UNDER:
            continue
        out.append(rel)
    return out


def target_name(out: Path, now: dt.datetime | None = None) -> Path:
    """An existing folder gets a timestamped name inside it (the timer's case)."""
    if out.is_dir():
        now = now or dt.datetime.now(dt.UTC)
        return out / f"kpi-backup-{now:%Y%m%d-%H%M%S-%f}.tar.gz"
    return out


def write_backup(out: Path, data_version: str) -> dict[str, Any]:
    """Write the archive (call under the write lock); returns its manifest."""
    root = data_dir()
    files = backed_up_files(root)
    manifest = {"format": 1, "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "data_version": data_version,
                "files": [{"path": str(rel), "sha256": sha256_of(root / rel), "size": (root / rel).stat().st_size}
                          for rel in files]}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kpi-backup-", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz, \
                tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
            blob = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(blob), 0o644
            tar.addfile(info, io.BytesIO(blob))
            for rel in files:
                tar.add(root / rel, arcname=PREFIX + str(rel), recursive=False)
        os.chmod(tmp, 0o600)  # the archive holds the audit log and every imported file
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return manifest


def prune(folder: Path, keep: int) -> list[Path]:
    """Keep the newest ``keep`` timestamped backups of a folder; returns what was removed."""
    found = sorted(folder.glob(NAME_PATTERN), reverse=True)
    for old in found[keep:]:
        old.unlink()
    return found[keep:]


def _refuse(file: Path, why: str) -> BackupRefused:
    return BackupRefused(f"備份檔「{file.name}」無法還原：{why}。未寫入任何資料。")


def _walk(file: Path, stage: Path | None = None) -> dict[str, Any]:
    """Read the whole archive, checking the header, every hash and every name; with ``stage``,
    also write each file there. Raises BackupRefused (zh-TW) on the first thing that is wrong."""
    with open(file, "rb") as fh:
        if fh.read(len(GZIP_HEADER)) != GZIP_HEADER:
            raise _refuse(file, "檔頭不符（不是本系統的備份檔，或已損壞）")
    manifest: dict[str, Any] | None = None
    seen: dict[str, str] = {}
    try:
        with tarfile.open(file, mode="r:gz") as tar:
            for member in tar:
                name = member.name
                if name == MANIFEST and member.isfile() and manifest is None:
                    manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
                    continue
                rel = Path(name[len(PREFIX):]) if name.startswith(PREFIX) else None
                if rel is None or not member.isfile() or rel.is_absolute() or ".." in rel.parts \
                        or not rel.parts:
                    raise _refuse(file, f"含有不允許的項目「{name}」")
                digest = hashlib.sha256()
                src = tar.extractfile(member)
                dst = None
                if stage is not None:
                    (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                    dst = open(stage / rel, "wb")  # noqa: SIM115 (closed below)
                try:
                    for block in iter(lambda src=src: src.read(1 << 20), b""):
                        digest.update(block)
                        if dst is not None:
                            dst.write(block)
                finally:
                    if dst is not None:
                        dst.close()
                seen[str(rel)] = digest.hexdigest()
            while tar.fileobj.read(1 << 20):  # to the end, so gzip checks its CRC and length
                pass
    except (tarfile.TarError, zlib.error, EOFError, OSError, UnicodeDecodeError, ValueError) as err:
        raise _refuse(file, f"壓縮內容損壞（{type(err).__name__}）") from None
    if manifest is None or not isinstance(manifest.get("files"), list):
        raise _refuse(file, "缺少檔案清單（MANIFEST.json）")
    expected = {f["path"]: f["sha256"] for f in manifest["files"]}
    for path, sha in expected.items():
        if path not in seen:
            raise _refuse(file, f"清單中的「{path}」不在備份內")
        if seen[path] != sha:
            raise _refuse(file, f"「{path}」的 sha256 與清單不符（內容遭修改或損壞）")
    extra = sorted(set(seen) - set(expected))
    if extra:
        raise _refuse(file, f"「{extra[0]}」不在檔案清單中")
    return manifest


def verify(file: Path) -> dict[str, Any]:
    """Every byte checked, nothing written; returns the manifest or raises BackupRefused."""
    if not file.is_file():
        raise BackupRefused(f"備份檔「{file}」不存在。未寫入任何資料。")
    return _walk(file)


def check_target(replace: bool) -> None:
    """Restore goes into an empty data folder, or over one only with --replace."""
    root = data_dir()
    held = [p for p in root.rglob("*") if p.is_file() and p.relative_to(root) != Path("imports/.lock")] \
        if root.exists() else []
    if held and not replace:
        raise BackupRefused(f"資料夾「{root}」不是空的（例如「{held[0].relative_to(root)}」）："
                            "要取代其中的匯入、設定與紀錄請加 --replace。未寫入任何資料。")


def extract(file: Path, replace: bool) -> dict[str, Any]:
    """Stage every file (hashes checked again while writing), then move them into place; with
    ``replace`` the backed-up files the archive does not hold are removed. Under the write lock."""
    root = data_dir()
    root.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        manifest = _walk(file, stage)
        if replace:
            keep = {f["path"] for f in manifest["files"]}
            for rel in backed_up_files(root):
                if str(rel) not in keep:
                    (root / rel).unlink()
        for entry in manifest["files"]:
            target = root / entry["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / entry["path"], target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return manifest


def run_backup(writing: Any, out: Path, keep: int | None) -> tuple[Path, dict[str, Any]]:
    """``writing``: the service's audited write-lock context (kpi.service.backup)."""
    from kpi.build import version_id_for_inputs

    target = target_name(out)
    with writing(out=target.name) as rec:
        manifest = write_backup(target, version_id_for_inputs())
        removed = prune(target.parent, keep) if keep else []
        rec["result"] = f"{len(manifest['files'])} 個檔案，資料版本 {manifest['data_version']}" + (
            f"，刪除舊備份 {len(removed)} 份" if removed else "")
    return target, manifest


def run_restore(writing: Any, rebuild: Any, file: Path, replace: bool) -> tuple[dict[str, Any], Any]:
    """Verify (nothing written on a refusal, not even an audit line), then restore and rebuild."""
    verify(file)
    check_target(replace)
    with writing(file=file.name, replace=replace) as rec:
        manifest = extract(file, replace)
        version, _ = rebuild()
        same = version.version_id == manifest["data_version"]
        rec["result"] = f"{len(manifest['files'])} 個檔案，資料版本 {version.version_id}" + (
            "（與備份時相同）" if same else f"（備份時為 {manifest['data_version']}）")
    return manifest, version
