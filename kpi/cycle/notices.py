"""Notices to agencies: a digest per agency of what needs its action, sent on the office's schedule.

What needs action (at the newest data date): feedback overdue (unanswered past 6 days) or answered
late, broken download links, datasets past their declared update frequency, and plan indicators
below their target. Each item has a stable id; the sent-log remembers (item, recipient), so an
item is never sent twice to a contact, and a digest with nothing new is not sent at all.
Recipients: the office's list per agency, plus any e-mail address in the catalogue's 聯絡人 fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kpi.config.settings import load_setting
from kpi.cycle import mail
from kpi.metrics.definitions import INDICATORS, plan_label, show
from kpi.metrics.scope import Scope
from kpi.reference.agencies import MINISTRY_OFFICIAL, short_name
from kpi.reference.dates import roc
from kpi.store import Gateway

SETTINGS_FILE = "settings/notices.json"
LATE_WINDOW = dt.timedelta(days=365)  # answered-late feedback older than a year is history, not news


@dataclass(frozen=True)
class Item:
    id: str
    text: str


def load_settings() -> dict[str, Any]:
    """{"enabled": bool, "every_days": int, "contacts": {agency: [address, …]}}; off by default."""
    return {"enabled": False, "every_days": 7, "contacts": {}} | load_setting(SETTINGS_FILE)


def checked_settings(enabled: bool, every_days: int, contacts: dict[str, str | list[str]]) -> dict[str, Any]:
    """Validated notice settings, or ValueError in zh-TW naming the agency and the address."""
    if not 1 <= int(every_days) <= 90:
        raise ValueError(f"寄送間隔 {every_days} 天不合理（1～90 天）")
    checked = {}
    for agency, text in contacts.items():
        try:
            addresses = mail.check_addresses(text)
        except ValueError as err:
            raise ValueError(f"{short_name(agency)}：{err}") from None
        if addresses:
            checked[agency] = addresses
    return {"enabled": bool(enabled), "every_days": int(every_days), "contacts": checked}


def _feedback(gw: Gateway, scope: Scope, agency: str) -> list[Item]:
    from kpi.metrics.feedback import feedback_items

    rows = feedback_items(gw, Scope(scope.as_of, None, (agency,)), "calendar")
    recent = pd.to_datetime(rows["posted_on"]) > pd.Timestamp(scope.as_of - LATE_WINDOW)
    out = [Item(f"feedback:{r.feedback_id}:overdue",
                f"民眾意見「{r.title}」（{r.dataset_name or '未指明資料集'}，{roc(r.posted_on)} 發表）逾 6 日未回復"
                f"（以 {roc(r.judged_on)} 匯出資料判定）")
           for r in rows[rows["judged"] == "overdue"].itertuples()]
    out += [Item(f"feedback:{r.feedback_id}:late",
                 f"民眾意見「{r.title}」（{roc(r.posted_on)} 發表）於 {roc(r.replied_on)} 回復，已逾 6 日")
            for r in rows[(rows["judged"] == "late") & recent].itertuples()]
    return out


def _datasets(gw: Gateway, scope: Scope, agency: str) -> tuple[list[Item], list[str]]:
    """Broken links and late updates of the newest catalogue, and the catalogue's contact addresses."""
    from kpi.metrics.quality import dataset_quality, has_catalogue

    if not has_catalogue(gw):
        return [], []
    rows = dataset_quality(gw, Scope(scope.as_of, None, (agency,)))
    items = [Item(f"link:{r.dataset_key}:{r.catalogue_date}",
                  f"資料集「{r.dataset_name}」下載連結失效" + (f"（{r.broken_reasons}）" if isinstance(
                      r.broken_reasons, str) and r.broken_reasons else ""))
             for r in rows[rows["broken_link"]].itertuples()]
    items += [Item(f"stale:{r.dataset_key}:{r.metadata_updated_at}",
                   f"資料集「{r.dataset_name}」未依更新頻率（{r.update_frequency}）更新，"
                   f"最後更新 {roc(r.metadata_updated_at)}")
              for r in rows[rows["late_update"]].itertuples()]
    found = " ".join(str(v) for v in pd.concat([rows["contact_name"], rows["contact_phone"]]).dropna())
    return items, [a for a in mail.ADDRESS_IN_TEXT.findall(found)]


def _targets(gw: Gateway, scope: Scope, agency: str) -> list[Item]:
    from kpi.metrics.plan import default_year, yearly_achievement

    year = default_year(gw, scope.as_of)
    table = yearly_achievement(gw, Scope(scope.as_of, scope.since, (agency,)), year).set_index("agency")
    if agency not in table.index:
        return []
    row = table.loc[agency]
    return [Item(f"target:{year}:{key}",
                 f"{year} 年「{plan_label(key)}」實績 {show(key, row[f'{key}_actual'])}，未達目標 "
                 f"{show(key, row[f'{key}_target'])}")
            for key in INDICATORS if _missed(row[f"{key}_met"])]


def _missed(met: object) -> bool:
    """Known and not met (None/NaN: could not be computed, not a shortfall)."""
    return met is not None and not pd.isna(met) and not bool(met)


def agency_items(gw: Gateway, scope: Scope, agency: str) -> tuple[list[Item], list[str]]:
    """Everything the agency should act on now, and the catalogue's contact addresses for it."""
    linked, contacts = _datasets(gw, scope, agency)
    return _feedback(gw, scope, agency) + linked + _targets(gw, scope, agency), contacts


def due_digests(gw: Gateway, today: dt.date, sent: set[str]) -> list[dict[str, Any]]:
    """Per agency and recipient: the items not yet sent to that recipient, when the agency's last
    digest is `every_days` or more ago. `sent` holds the sent-log keys."""
    from kpi.metrics.scope import resolve_scope

    conf = load_settings()
    if not conf["enabled"]:
        return []
    scope = resolve_scope(gw)
    out = []
    for agency in MINISTRY_OFFICIAL:
        prefix = f"notice-digest:{agency}:"  # …:{the day it was sent for}:{recipient}
        last = max((key[len(prefix):].split(":", 1)[0] for key in sent if key.startswith(prefix)), default=None)
        if last and (today - dt.date.fromisoformat(last)).days < conf["every_days"]:
            continue
        items, found = agency_items(gw, scope, agency)
        for recipient in dict.fromkeys([*conf["contacts"].get(agency, []), *found]):
            new = [i for i in items if f"notice:{i.id}:{recipient.lower()}" not in sent]
            if new:
                out.append({"agency": agency, "recipient": recipient, "items": new, "as_of": scope.as_of})
    return out


def digest_text(agency: str, items: list[Item], as_of: dt.date) -> tuple[str, str]:
    """zh-TW subject and body of one agency's digest."""
    subject = f"【開放資料績效】{short_name(agency)}待辦事項 {len(items)} 項（資料日期 {roc(as_of)}）"
    body = "\n".join([f"{agency} 承辦同仁好：", "",
                      f"依 {roc(as_of, 'long')} 資料，下列事項需要貴機關處理：", "",
                      *[f"{n}. {i.text}" for n, i in enumerate(items, start=1)], "",
                      "已通知過的事項不會重複通知。本信由勞動部開放資料績效儀表板自動寄送；如有疑問請洽資訊處。"])
    return subject, body
