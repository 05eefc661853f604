"""CLI of SPEC §8 for running the service: health, backup, restore, serve (wired by kpi/cli.py)."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer


def _fail(message: str, code: int = 2) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def health(as_json: Annotated[bool, typer.Option("--json", help="輸出 JSON")] = False) -> None:
    """資料版本、資料日期、最後擷取、磁碟與儀表板程序；需要處理時結束碼為 1。"""
    from kpi.ops.health import health as check
    from kpi.ops.health import lines

    try:
        report = check()
    except (ValueError, KeyError) as err:
        _fail(f"健康檢查設定有誤：{err}")
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        typer.echo("\n".join(lines(report)))
    raise typer.Exit(0 if report["status"] == "ok" else 1)


def backup(
    out: Annotated[Path, typer.Option("--out", help="備份檔（.tar.gz）；給資料夾則以時間命名存入其中")],
    keep: Annotated[int | None, typer.Option("--keep", min=1, help="資料夾中只保留最新幾份備份")] = None,
) -> None:
    """備份無法重建的資料（匯入檔、設定、比對決定、行動方案、異動紀錄），附 sha256 清單。"""
    from kpi.service import backup as run

    target, manifest = run(getpass.getuser(), out, keep)
    typer.echo(f"已寫入 {target}（{len(manifest['files'])} 個檔案，資料版本 {manifest['data_version']}）")


def restore(
    file: Annotated[Path, typer.Argument(help="備份檔（python -m kpi backup 產生）")],
    replace: Annotated[bool, typer.Option("--replace", help="取代資料夾中已有的匯入、設定與紀錄")] = False,
) -> None:
    """先逐一核對 sha256，全部相符才還原並重建；不符則拒絕（結束碼 2），不寫入任何資料。"""
    from kpi.ops.backup import BackupRefused
    from kpi.service import restore as run

    try:
        manifest, version = run(getpass.getuser(), file, replace)
    except BackupRefused as err:
        _fail(str(err))
    same = "與備份時相同" if version.version_id == manifest["data_version"] else \
        f"備份時為 {manifest['data_version']}"
    typer.echo(f"已還原 {len(manifest['files'])} 個檔案，資料版本 {version.version_id}（{same}）")


def serve(
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="負載平衡器（HAProxy）的埠")] = 8080,
    processes: Annotated[int, typer.Option("--processes", min=1, max=64, help="儀表板程序數（建議每核心一個）")] = 2,
) -> None:
    """以 HAProxy 帶 N 個儀表板程序；程序中止即重啟，Ctrl-C 或 SIGTERM 全部停止。"""
    from kpi.ops.serve import ServeFailed, run

    try:
        run(port, processes)
    except ServeFailed as err:
        _fail(str(err))


def hash_password() -> None:
    """印出資訊處登入密碼的雜湊，放進 .streamlit/secrets.toml（office_password_hash = "…"）。"""
    from kpi.ops.auth import hash_password as make_hash

    password = getpass.getpass("資訊處匯入密碼：")
    if len(password) < 10:
        _fail("密碼至少 10 個字元")
    if getpass.getpass("再輸入一次：") != password:
        _fail("兩次輸入不同")
    typer.echo(f'office_password_hash = "{make_hash(password)}"')


def register(app: typer.Typer) -> None:
    for fn in (health, backup, restore, serve):
        app.command(fn.__name__)(fn)
    app.command("hash-password")(hash_password)
