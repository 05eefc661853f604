"""The meeting cycle's commands (SPEC §8): meeting add/list, deliver, deliver-settings."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from kpi.importing.errors import ImportRefused


def register(app: typer.Typer, _date: Callable, _fail: Callable) -> None:
    """Add the commands to the main app (kpi.cli passes its date parser and its exit-2 helper)."""
    meeting_app = typer.Typer(no_args_is_help=True, help="委員會會議行事曆：新增、列出。")
    app.add_typer(meeting_app, name="meeting")


    @meeting_app.command("add", help="新增一次委員會會議（稽核紀錄，可用 python -m kpi undo 序號 復原）。")
    def meeting_add(
        date: Annotated[str, typer.Option("--date", help="會議日期 YYYY-MM-DD")],
        title: Annotated[str, typer.Option("--title", help="會議名稱，例如 115年第1次會議")],
        place: Annotated[str, typer.Option("--place", help="地點")] = "",
        chair: Annotated[str, typer.Option("--chair", help="主席")] = "",
        user: Annotated[str | None, typer.Option(help="登錄者（預設為系統帳號）")] = None,
    ) -> None:
        """Add a committee meeting (archived like an import: audited, undone with python -m kpi undo SEQ)."""
        from kpi.cycle.entries import enter

        day = _date(date, "--date")
        try:
            result = enter("meetings", [{"會議日期": day.isoformat(), "會議名稱": title, "地點": place,
                                              "主席": chair}], user or getpass.getuser(),
                                f"委員會會議_{day:%Y%m%d}.csv")
        except ImportRefused as err:
            _fail(err.text())
        typer.echo(result.message)


    @meeting_app.command("list", help="列出委員會會議（由舊到新；--json 為 ISO 日期）。")
    def meeting_list(as_json: Annotated[bool, typer.Option("--json", help="輸出 JSON")] = False) -> None:
        """List the committee's meetings, oldest first (JSON dates ISO, text dates 民國)."""
        from kpi.cycle.meetings import committee_meetings
        from kpi.reference.dates import roc
        from kpi.service import ensure_store
        from kpi.store import gateway

        ensure_store()
        rows = committee_meetings(gateway()).to_dict("records")
        if as_json:
            out = [{**r, "held_on": r["held_on"].isoformat()} for r in rows]
            sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
            return
        for r in rows:
            typer.echo(f"{roc(r['held_on'])}\t{r['title']}\t{r['place'] or '—'}\t{r['chair'] or '—'}")
        if not rows:
            typer.echo("尚未登錄任何委員會會議")


    @app.command(help="寄送到期的會議資料（會議前 N 天，每位收件者一封，附摘要 PDF 與會議資料 Excel）；已寄者不重寄。")
    def deliver(
        today: Annotated[str | None, typer.Option("--today", help="以此日期判斷應寄送者（預設今天）")] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出將寄送的內容，不寄信")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="輸出 JSON")] = False,
    ) -> None:
        """Send what is due: meeting materials N days ahead (for a daily timer; exit 1 if any failed)."""
        from kpi.cycle.mail import MailSettingsMissing
        from kpi.service import deliver as run_delivery
        from kpi.service import ensure_store

        day = _date(today, "--today") or dt.date.today()
        ensure_store()
        try:
            results = run_delivery(getpass.getuser(), day, dry_run=dry_run)
        except MailSettingsMissing as err:
            _fail(str(err))
        if as_json:
            sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
        else:
            words = {"sent": "已寄送", "failed": "失敗", "would_send": "將寄送"}
            for r in results:
                typer.echo(f"{words[r['status']]}\t{r['recipient']}\t{r['subject']}"
                           + (f"\t{r['error']}" if r.get("error") else ""))
            if not results:
                typer.echo("今天沒有應寄送的項目")
        if any(r["status"] == "failed" for r in results):
            raise typer.Exit(1)


    @app.command("deliver-settings", help="設定會議資料收件者與會議前幾天寄送。")
    def deliver_settings(
        recipients: Annotated[str, typer.Option("--recipients", help="收件者，以逗號分隔：a@x,b@y")],
        lead_days: Annotated[int, typer.Option("--lead-days", help="會議前幾天寄送")] = 7,
    ) -> None:
        """Set who receives the meeting materials and how many days before the meeting."""
        from kpi.service import set_sending

        try:
            data = set_sending(getpass.getuser(), "delivery", recipients=recipients, lead_days=lead_days)
        except ValueError as err:
            _fail(str(err))
        typer.echo(f"收件者 {len(data['recipients'])} 位：{'、'.join(data['recipients'])}；會議前 {data['lead_days']} 天寄送")
