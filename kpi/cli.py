"""Command line of SPEC §7: build, import, report, export (the same code paths as the pages)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from kpi.cycle.commands import register as register_cycle
from kpi.faults.boundary import printable, run
from kpi.faults.staging import write_whole
from kpi.importing.errors import ImportRefused
from kpi.importing.textcheck import clean_option
from kpi.ops.commands import register as register_ops

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="勞動部開放資料績效儀表板：建置資料庫、匯入、報表、匯出。")


def _date(value: str | None, label: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{label}「{value}」不是 YYYY-MM-DD 格式的日期")


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(printable(message), err=True)
    raise typer.Exit(code)


@app.command()
def seeds() -> None:
    """Re-parse the minutes and action plan in data/raw into data/seed/*.csv."""
    from kpi.build.seeds import write_seeds

    for name, rows in write_seeds().items():
        typer.echo(f"{name}: {rows} 列")


@app.command()
def build(force: Annotated[bool, typer.Option(help="即使輸入未變也重建")] = False) -> None:
    """(Re)build the store from the committed seeds and every archived import."""
    from kpi.service import build as build_store

    version, changed = build_store(getpass.getuser(), force=force)
    typer.echo(f"資料版本 {version.version_id}（{'已重建' if changed else '輸入未變，沿用'}）")


@app.command("import")
def import_(
    kind: Annotated[str, typer.Argument(help="usage | catalogue | qc | feedback | requests | meetings | plan | resolutions")],
    file: Annotated[Path, typer.Argument(exists=False)],
    as_of: Annotated[str | None, typer.Option("--as-of", help="資料日期 YYYY-MM-DD")] = None,
    agency: Annotated[str | None, typer.Option(help="檔案無機關欄位時指定機關")] = None,
    user: Annotated[str | None, typer.Option(help="匯入者（預設為系統帳號）")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="取代該資料日期同機關已有的資料")] = False,
    new_agency: Annotated[bool, typer.Option("--new-agency", help="允許任何快照中從未出現的機關")] = False,
) -> None:
    """Import one file whole, or refuse it (exit 2) and change nothing."""
    from kpi.service import import_file

    if not file.is_file():
        _fail(f"檔案「{file}」不存在")
    agency, user = clean_option(agency, "--agency"), clean_option(user, "--user")
    try:
        parsed, result = import_file(kind, file, _date(as_of, "--as-of"), user or getpass.getuser(),
                                     agency=agency, replace=replace, allow_new_agency=new_agency)
    except ImportRefused as err:
        _fail(err.text())
    for warning in parsed.warnings[:20]:
        typer.echo(printable(f"注意：{warning}"), err=True)
    typer.echo(printable(result.message))


@app.command()
def undo(seq: Annotated[int, typer.Argument(help="匯入序號（見 python -m kpi imports）")]) -> None:
    """Undo one archived import (the file stays in the archive) and rebuild."""
    from kpi.service import undo as undo_import

    try:
        typer.echo(printable(undo_import(seq, getpass.getuser())))
    except ValueError as err:
        _fail(str(err))


@app.command()
def imports() -> None:
    """List archived imports with their provenance."""
    from kpi.importing.archive import default_entries, entries

    for e in default_entries() + entries():
        state = "已復原" if e.undone_at else "有效"
        typer.echo(printable(f"{e.seq:>3}  {e.kind:<9} {e.as_of or '-':<10} {state}  {e.file_name}  "
                             f"sha256={e.sha256[:12]}  {e.imported_by}  {e.imported_at}"))


def _scope(as_of: str | None, since: str | None, agency: list[str] | None, national: bool,
           year: int | None = None):
    from kpi.metrics.periods import year_scope
    from kpi.metrics.scope import resolve_scope
    from kpi.service import ensure_store
    from kpi.store import gateway

    ensure_store()
    gw = gateway()
    agency = [clean_option(a, "--agency") or "" for a in agency] if agency else agency
    no_since = since is not None and since.strip().lower() == "none"  # SPEC §8: no comparison
    if year is not None and (as_of is not None or since is not None):
        _fail("--year 已決定資料日期與比較基準日，不能再加 --as-of 或 --since")
    try:
        if year is not None:
            return gw, year_scope(gw, year, agency, national)[0]
        scope = resolve_scope(gw, _date(as_of, "--as-of"),
                              None if no_since else _date(since, "--since"), agency,
                              national=national, since_given=since is not None)
    except ValueError as err:
        _fail(str(err))
    return gw, scope


AsOf = Annotated[str | None, typer.Option("--as-of", help="資料日期（預設最新快照）")]
Since = Annotated[str | None, typer.Option(
    "--since", help="比較基準日（預設前一次快照；none 表示不比較）")]
AgencyOpt = Annotated[list[str] | None, typer.Option("--agency", help="機關（可重複）")]
Year = Annotated[int | None, typer.Option(
    "--year", help="民國年度（取最接近 1/1 與 12/31 的兩次快照；不能與 --as-of／--since 並用）")]


@app.command()
def report(
    as_json: Annotated[bool, typer.Option("--json", help="輸出 JSON")] = False,
    as_of: AsOf = None, since: Since = None, agency: AgencyOpt = None,
    scope: Annotated[str, typer.Option(help="ministry | national")] = "ministry",
    days: Annotated[str, typer.Option(help="calendar | working")] = "calendar", year: Year = None,
) -> None:
    """Print the KPI report (per agency and total)."""
    from kpi.metrics.periods import scope_period
    from kpi.report import build_report

    if scope not in ("ministry", "national"):
        _fail(f"--scope 只能是 ministry 或 national，收到「{scope}」")
    gw, sc = _scope(as_of, since, agency, scope == "national", year)
    data = build_report(gw, sc, days)
    if (period := scope_period(sc)) is not None:
        data["period"] = period.as_json()  # the year and what its snapshots miss (issue 25)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    for row in data["agencies"] + [data["total"]]:
        fb = row["feedback"]
        ratio = "—" if fb["ratio"] is None else f"{fb['ratio']:.1%}"
        typer.echo(printable(f"{row['agency']}\t資料集 {row['datasets']:,}\t瀏覽 {row['views']:,}\t"
                             f"下載 {row['downloads']:,}\t6日回復率 {ratio}"))


@app.command()
def matches(
    as_json: Annotated[bool, typer.Option("--json", help="輸出 JSON")] = False,
    as_of: AsOf = None, since: Since = None, agency: AgencyOpt = None,
) -> None:
    """Every dataset of the later snapshot and what it was paired with in the earlier one (SPEC §8)."""
    from kpi.metrics.matches import json_rows
    from kpi.metrics.matches import matches as pairs

    gw, sc = _scope(as_of, since, agency, False)
    if sc.since is None:
        _fail("需要比較基準日（--since）才能列出跨快照比對")
    rows = json_rows(pairs(gw, sc))
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    for r in rows:
        typer.echo(printable(f"{r['how']}\t{r['agency']}\t{r['old_name'] or '—'}\t→\t{r['new_name'] or '—'}"))


@app.command()
def export(
    what: Annotated[str, typer.Argument(help="ranking | pack | fixlist | brief | opendata")],
    out: Annotated[Path, typer.Option("--out", help="輸出檔（brief 為 .pdf，opendata 為資料夾，其餘為 .xlsx）")],
    as_of: AsOf = None, since: Since = None, agency: AgencyOpt = None,
    by: Annotated[str, typer.Option("--by", help="附件一排序：downloads | views")] = "downloads",
    days: Annotated[str, typer.Option(help="calendar | working")] = "calendar", year: Year = None,
) -> None:
    """Write 附件一 (ranking), the meeting pack, the quality fix list (Excel), the brief (PDF) or
    the year's statistics as an open dataset (opendata: a folder, --year required)."""
    from kpi.exports import KINDS, build

    if what == "opendata":
        from kpi.opendata.package import write_opendata

        if year is None:
            _fail("export opendata 需要 --year（民國年度，例如 --year 107）")
        write_opendata(*_scope(None, None, agency, False, year), out)
        typer.echo(f"已寫入 {out}（{year} 年度開放資料集：CSV、JSON、資料字典、datapackage.json、清單列）")
        return
    if what not in KINDS:
        _fail(f"只能匯出 {'、'.join((*KINDS, 'opendata'))}，收到「{what}」")
    if by not in ("downloads", "views"):
        _fail(f"--by 只能是 downloads 或 views，收到「{by}」")
    if days not in ("calendar", "working"):
        _fail(f"--days 只能是 calendar 或 working，收到「{days}」")
    gw, sc = _scope(as_of, since, agency, False, year)
    if what in ("pack", "brief"):  # unless --since or --year was given: the previous meeting's snapshot
        from kpi.cycle.meetings import meeting_scope
        sc = meeting_scope(gw, sc, since is not None or year is not None)[0]
    data, name, _ = build(what, gw, sc, days=days, by=by)
    if out.is_dir():
        _fail(f"--out「{out}」是資料夾，請指定檔案名稱（例如 {out / name}）")
    write_whole(out, data)
    typer.echo(printable(f"已寫入 {out}（{len(data):,} 位元組；建議檔名 {name}）"))


@app.command("check-links")
def check_links(
    agency: AgencyOpt = None,
    resume: Annotated[bool, typer.Option(help="接續上次未完成的檢查")] = False,
    per_host: Annotated[int, typer.Option(help="每個主機同時連線數")] = 2,
    rate: Annotated[float, typer.Option(help="每秒最多發出幾個請求")] = 10.0,
    timeout: Annotated[float, typer.Option(help="逾時秒數")] = 10.0,
) -> None:
    """Check every 資料下載網址 of the newest catalogue; results kept per run; then rebuild."""
    from kpi.metrics.quality import link_targets
    from kpi.net.linkcheck import Settings, Target
    from kpi.service import check_links as run_checks

    gw, sc = _scope(None, None, agency, agency is not None)
    frame = link_targets(gw, sc)
    if frame.empty:
        _fail("尚未匯入資料集清單，沒有可檢查的網址")
    targets = [Target(r.dataset_key, r.agency, r.url, r.declared_format)
               for r in frame.itertuples()]

    def progress(done: int, total: int, res) -> None:
        if done % 50 == 0 or done == total:
            typer.echo(f"{done}/{total}", err=True)

    run_id, results = run_checks(targets, getpass.getuser(),
                                 Settings(per_host=per_host, rate_per_second=rate, timeout=timeout),
                                 resume=resume, progress=progress)
    broken = sum(r.broken for r in results)
    typer.echo(f"檢查 {run_id}：本次 {len(results)} 個網址，失效 {broken} 個。")


@app.command("set-oas")
def set_oas(agency: Annotated[str, typer.Argument(help="機關")],
            apis: Annotated[int, typer.Argument(help="通過 OAS 驗證的 API 數")]) -> None:
    """Enter an agency's OAS-validated API count (gold-award bonus 0.1 each, at most 5)."""
    from kpi.reference.agencies import resolve
    from kpi.service import set_oas as save

    official = resolve(agency)
    if not official:
        _fail(f"不明的機關「{agency}」")
    try:
        save(official, apis, getpass.getuser())
    except ValueError as err:
        _fail(str(err))
    typer.echo(f"{official}：OAS 驗證 API {apis} 項")


@app.command()
def fetch(config: Annotated[Path | None, typer.Option(help="來源設定檔（預設 資料夾/settings/sources.json）")] = None,
          user: Annotated[str | None, typer.Option(help="匯入者（預設為系統帳號）")] = None) -> None:
    """Fetch the configured sources and import what is new (exit 2 if any failed or was refused)."""
    from kpi.service import fetch as run_fetch

    try:
        records = run_fetch(clean_option(user, "--user") or getpass.getuser(), config)
    except (ValueError, TypeError) as err:
        _fail(f"來源設定有誤：{err}")
    for r in records:
        message = " ".join(str(r.get("message", "")).split())
        typer.echo(printable(f"{r['source']}\t{r['result']}\t{r.get('file', '')}\t{r.get('as_of') or ''}\t{message}"))
    if not records:
        typer.echo("沒有設定任何來源（settings/sources.json）")
    if any(r["result"] in ("failed", "refused") for r in records):
        raise typer.Exit(2)


register_ops(app)  # health, backup, restore, serve (SPEC §8): kpi/ops/commands.py
register_cycle(app, _date, _fail)  # meeting add/list, deliver, deliver-settings (kpi/cycle, SPEC §8)


def main() -> None:
    sys.exit(run(app, sys.argv[1:]))
