"""Meeting materials sent before each meeting: what is due, what was sent, and sending it.

Due: a committee meeting from today up to `lead_days` ahead, for each recipient with no line in
the sent-log (data folder, delivery/sent.jsonl) for that meeting. A line is written only after
the SMTP server accepted the message, so a failure leaves the item due for the next run and
nothing is sent twice. The attachments are built by kpi.exports, exactly as the downloads are.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpi.config.paths import data_dir
from kpi.config.settings import load_setting, now_iso
from kpi.cycle import mail
from kpi.cycle.meetings import due_meetings, meeting_scope
from kpi.exports.names import agency_words, period_words
from kpi.reference.dates import roc, roc_words
from kpi.store import Gateway

SETTINGS_FILE = "settings/delivery.json"
SENT_LOG = "delivery/sent.jsonl"
RUN_LOG = "delivery/delivery.jsonl"
MAX_LEAD_DAYS = 60
log = logging.getLogger("kpi.delivery")


@dataclass(frozen=True)
class Due:
    key: str  # what the sent-log remembers: kind, meeting date, recipient
    kind: str  # "materials" (notices to agencies use their own keys)
    recipient: str
    held_on: dt.date
    title: str


def load_settings() -> dict[str, Any]:
    """{"recipients": [...], "lead_days": 7, "set_by", "set_at"}; lead 7 days, no recipients by default."""
    return {"recipients": [], "lead_days": 7} | load_setting(SETTINGS_FILE)


def checked_settings(recipients: str | list[str], lead_days: int) -> dict[str, Any]:
    """Validated settings or ValueError in zh-TW (an invalid address is refused where it is typed)."""
    addresses = mail.check_addresses(recipients)
    try:
        lead = int(lead_days)
    except (TypeError, ValueError):
        raise ValueError(f"提前天數「{lead_days}」必須是整數") from None
    if not 0 <= lead <= MAX_LEAD_DAYS:
        raise ValueError(f"提前天數 {lead} 不合理（0～{MAX_LEAD_DAYS} 天）")
    return {"recipients": addresses, "lead_days": lead}


def _lines(rel: str) -> list[dict[str, Any]]:
    path = data_dir() / rel
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _append(rel: str, record: dict[str, Any]) -> None:
    path = data_dir() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def sent_keys() -> set[str]:
    """What was accepted by the mail server: materials per meeting and recipient, notice items per
    recipient, each agency's digest days."""
    return {r["key"] for r in _lines(SENT_LOG)}


def run_log(limit: int = 100) -> list[dict[str, Any]]:
    """The newest delivery log lines first (shown to the office)."""
    return list(reversed(_lines(RUN_LOG)))[:limit]


def due_items(gw: Gateway, today: dt.date) -> list[Due]:
    conf = load_settings()
    done = sent_keys()
    items = []
    for m in due_meetings(gw, today, conf["lead_days"]).itertuples():
        for recipient in conf["recipients"]:
            key = f"materials:{m.held_on.isoformat()}:{recipient.lower()}"
            if key not in done:
                items.append(Due(key, "materials", recipient, m.held_on, str(m.title)))
    return items


def materials(gw: Gateway, held_on: dt.date, title: str) -> tuple[str, str, list[tuple[str, bytes, str]]]:
    """Subject, body and attachments (the brief PDF and the pack XLSX, the downloads' engine)."""
    from kpi.exports import build
    from kpi.metrics.plan import weights_in_force
    from kpi.metrics.scope import resolve_scope

    scope, base = meeting_scope(gw, resolve_scope(gw), since_chosen=False)
    files = [build(kind, gw, scope, weights=weights_in_force()[0]) for kind in ("brief", "pack")]
    subject = f"【開放資料績效】{roc(held_on)}「{title}」會議資料（資料日期 {roc(scope.as_of)}）"
    basis = base.text() if base else "比較基準為前一次快照"
    body = "\n".join([
        "各位委員、同仁好：",
        "",
        f"{roc_words(held_on)}召開之「{title}」會議資料如附件（電子檔，請儘量以電子檔閱覽）：",
        f"　一、一頁摘要（PDF）：{files[0][1]}",
        f"　二、會議資料（Excel，附件一至四、KPI 摘要、決議事項追蹤）：{files[1][1]}",
        "",
        f"資料日期：{roc(scope.as_of, 'long')}",
        f"範圍：{agency_words(scope)}",
        f"比較期間：{period_words(scope)}（{basis}）",
        "",
        "本信由勞動部開放資料績效儀表板依會議行事曆自動寄送；如有疑問請洽資訊處。",
    ])
    return subject, body, [(name, data, mime) for data, name, mime in files]


@dataclass
class Outgoing:
    """One message to send: what it is for (the result row), and the sent-log keys it settles."""
    row: dict[str, Any]
    keys: list[str]
    body: str
    files: list[tuple[str, bytes, str]]


def outgoing(gw: Gateway, today: dt.date) -> list[Outgoing]:
    """Everything due today: meeting materials, then agency notices (kpi.cycle.notices)."""
    from kpi.cycle import notices

    out: list[Outgoing] = []
    built: dict[dt.date, tuple] = {}
    for item in due_items(gw, today):
        if item.held_on not in built:
            built[item.held_on] = materials(gw, item.held_on, item.title)
        subject, body, files = built[item.held_on]
        out.append(Outgoing({"kind": "materials", "meeting_on": item.held_on.isoformat(), "title": item.title,
                             "recipient": item.recipient, "subject": subject,
                             "attachments": [name for name, _, _ in files]}, [item.key], body, files))
    for d in notices.due_digests(gw, today, sent_keys()):
        subject, body = notices.digest_text(d["agency"], d["items"], d["as_of"])
        keys = [f"notice:{i.id}:{d['recipient'].lower()}" for i in d["items"]]
        out.append(Outgoing({"kind": "notice", "agency": d["agency"], "recipient": d["recipient"],
                             "subject": subject, "items": [i.text for i in d["items"]], "attachments": []},
                            [*keys, f"notice-digest:{d['agency']}:{today.isoformat()}:{d['recipient'].lower()}"],
                            body, []))
    return out


def run(gw: Gateway, today: dt.date, dry_run: bool = False, settings: mail.SmtpSettings | None = None,
        attempts: int = 3, backoff: float = 2.0,
        sleep: Callable[[float], None] | None = None) -> list[dict[str, Any]]:
    """Send what is due (or, dry, say what would be sent); one result per message. A message's
    sent-log lines are written only once the server accepted it."""
    messages = outgoing(gw, today)
    if dry_run or not messages:
        return [m.row | {"status": "would_send"} for m in messages]
    settings = settings or mail.smtp_settings()
    results: list[dict[str, Any]] = []
    for m in messages:
        msg = mail.message(settings.sender, m.row["recipient"], m.row["subject"], m.body, m.files)
        error = mail.send(settings, msg, attempts=attempts, backoff=backoff,
                          **({} if sleep is None else {"sleep": sleep}))
        status = "sent" if error is None else "failed"
        if error is None:
            at = now_iso()
            for key in m.keys:
                _append(SENT_LOG, {"key": key, "at": at, "recipient": m.row["recipient"],
                                   "subject": m.row["subject"]})
        results.append(m.row | {"status": status, "error": error})
        _append(RUN_LOG, {"at": now_iso(), "server": settings.describe(), **m.row, "status": status,
                          "error": error})
        log.info("%s：%s %s", "已寄送" if error is None else "寄送失敗", m.row["recipient"], m.row["subject"])
    return results


def summary(results: list[dict[str, Any]]) -> str:
    sent = sum(r["status"] == "sent" for r in results)
    return f"寄出 {sent} 封，失敗 {len(results) - sent} 封"
