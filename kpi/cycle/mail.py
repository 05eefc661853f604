"""E-mail with the standard library: SMTP settings, address checks, messages, sending with retries.

Settings come from the environment (KPI_SMTP_*, KPI_MAIL_FROM; SPEC §8) or the `[smtp]` table of
.streamlit/secrets.toml. The password is held only in the settings object (its repr hides it) and
never written to a log. Attachment names are Chinese: EmailMessage's default policy writes them
as RFC 2231 parameters (filename*=utf-8''…), which mail clients decode.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from kpi.config.paths import REPO_ROOT

log = logging.getLogger("kpi.delivery")
# local@domain.tld, no spaces or angle brackets: what the office types, not the whole RFC 5322
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")

ADDRESS_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")  # e.g. in 聯絡人 text


class MailSettingsMissing(ValueError):
    """No SMTP host or sender configured: nothing can be sent (a dry run still works)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""

    def describe(self) -> str:
        """For logs and the office page: never the password."""
        login = f"，帳號 {self.user}" if self.user else ""
        return f"{self.host}:{self.port}{'（STARTTLS）' if self.starttls else ''}{login}"


def check_address(address: str) -> str:
    """The address trimmed, or ValueError with a zh-TW message naming it."""
    value = address.strip()
    if not ADDRESS.match(value) or len(value) > 254:
        raise ValueError(f"電子郵件地址「{value}」格式不正確（例：name@mol.gov.tw）")
    return value


def check_addresses(text: str | list[str]) -> list[str]:
    """A comma/semicolon/newline separated list (or a list): each checked, duplicates dropped."""
    parts = re.split(r"[,;，；\s]+", text) if isinstance(text, str) else list(text)
    return list(dict.fromkeys(check_address(p) for p in parts if p.strip()))


def _secrets() -> dict:
    for folder in (Path.cwd(), REPO_ROOT):
        path = folder / ".streamlit" / "secrets.toml"
        if path.is_file():
            with open(path, "rb") as fh:
                return tomllib.load(fh).get("smtp", {})
    return {}


def smtp_settings() -> SmtpSettings:
    """The environment first, then secrets.toml's [smtp] (host, port, starttls, user, password, from)."""
    sec = _secrets()

    def pick(env: str, key: str, default: str = "") -> str:
        return str(os.environ.get(env) or sec.get(key) or default)

    host, sender = pick("KPI_SMTP_HOST", "host"), pick("KPI_MAIL_FROM", "from")
    if not host or not sender:
        raise MailSettingsMissing("未設定寄信伺服器：請設定 KPI_SMTP_HOST 與 KPI_MAIL_FROM（或 secrets.toml 的 [smtp]）")
    try:
        port = int(pick("KPI_SMTP_PORT", "port", "25"))
    except ValueError:
        raise MailSettingsMissing("KPI_SMTP_PORT 必須是數字") from None
    tls = pick("KPI_SMTP_STARTTLS", "starttls", "0").strip().lower() in ("1", "true", "yes")
    user, password = pick("KPI_SMTP_USER", "user"), pick("KPI_SMTP_PASSWORD", "password")
    if not (user.isascii() and password.isascii()):  # smtplib's AUTH encodes them as ASCII
        raise MailSettingsMissing("KPI_SMTP_USER／KPI_SMTP_PASSWORD 只能使用英數字與半形符號（smtplib 的限制）")
    return SmtpSettings(host, port, tls, user, password, check_address(sender))


def message(sender: str, recipient: str, subject: str, body: str,
            attachments: list[tuple[str, bytes, str]]) -> EmailMessage:
    """One message; attachments are (file name, bytes, MIME type)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, recipient, subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    msg.set_content(body, charset="utf-8")
    for name, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def send(settings: SmtpSettings, msg: EmailMessage, attempts: int = 3, backoff: float = 2.0,
         sleep: Callable[[float], None] = time.sleep) -> str | None:
    """Send with retries (backoff, 2×backoff, …); None when delivered, else the last error (zh-TW).
    Only the server's acceptance counts as sent."""
    error = None
    for attempt in range(1, attempts + 1):
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.user:
                    smtp.login(settings.user, settings.password)
                refused = smtp.send_message(msg)
            if not refused:
                return None
            error = f"收件者被拒：{', '.join(refused)}"
        except (smtplib.SMTPException, OSError) as err:
            error = f"{type(err).__name__}: {err}"
        log.warning("寄送給 %s 失敗（第 %d/%d 次，%s）：%s", msg["To"], attempt, attempts,
                    settings.describe(), error)
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    return error
