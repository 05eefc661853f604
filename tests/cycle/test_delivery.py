"""Issue 27: meeting materials e-mailed before a meeting, against a real local SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import io
import json
import logging
from email import policy

import openpyxl
import pypdf
import pytest
from aiosmtpd.controller import Controller

from tests.helpers.mail import Inbox, to_local
from tests.helpers.ports import free_port

TODAY = dt.date.today()
PASSWORD = "s3cret-Pa55w0rd!"


def _meeting(days_ahead: int, title: str = "115年第1次會議"):
    from kpi.cycle.entries import enter

    day = TODAY + dt.timedelta(days=days_ahead)
    return enter("meetings", [{"會議日期": day.isoformat(), "會議名稱": title, "地點": "本部1001會議室",
                               "主席": "政務次長"}], "資訊處", f"委員會會議_{day:%Y%m%d}.csv")


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_materials_sent_once_per_recipient_with_both_attachments(fresh_data, smtp):
    from kpi import service
    from kpi.reference.dates import roc

    inbox, port = smtp
    _meeting(5)
    service.set_sending("資訊處", "delivery", recipients="chair@mol.gov.tw, member@example.org", lead_days=7)
    results = service.deliver("測試", TODAY, settings=to_local(port), backoff=0)
    assert [r["status"] for r in results] == ["sent", "sent"]
    assert sorted(to[0] for to, _ in inbox.messages) == ["chair@mol.gov.tw", "member@example.org"]
    for _to, raw in inbox.messages:
        msg = email.message_from_bytes(raw, policy=policy.default)
        meeting_day = roc(TODAY + dt.timedelta(days=5))
        assert msg["Subject"] == f"【開放資料績效】{meeting_day}「115年第1次會議」會議資料（資料日期 107/07/20）"
        body = msg.get_body(("plain",)).get_content()
        assert "資料日期：民國107年7月20日" in body and "範圍：勞動部及所屬" in body
        files = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
        assert len(files) == 2
        pdf = next(n for n in files if n.endswith(".pdf"))
        xlsx = next(n for n in files if n.endswith(".xlsx"))
        assert "摘要" in pdf and "會議資料" in xlsx  # Chinese names survive the round trip
        assert b"filename*0*=utf-8''" in raw and raw.isascii()  # RFC 2231 parameters, no raw 8-bit
        assert len(pypdf.PdfReader(io.BytesIO(files[pdf])).pages) == 1
        assert "附件一" in openpyxl.load_workbook(io.BytesIO(files[xlsx])).sheetnames
    # the second run on the same day sends nothing
    assert service.deliver("測試", TODAY, settings=to_local(port), backoff=0) == []
    assert len(inbox.messages) == 2


@pytest.mark.slow  # ≈3 s: the full suite runs it, the quick loop does not
def test_lead_days_boundary(fresh_data):
    from kpi import service

    _meeting(8)
    service.set_sending("資訊處", "delivery", recipients="a@mol.gov.tw", lead_days=7)
    assert service.deliver("測試", TODAY, dry_run=True) == []  # 8 days ahead, lead 7: not yet
    due = service.deliver("測試", TODAY + dt.timedelta(days=1), dry_run=True)  # now 7 days ahead
    assert [(r["recipient"], r["status"]) for r in due] == [("a@mol.gov.tw", "would_send")]
    assert service.deliver("測試", TODAY + dt.timedelta(days=9), dry_run=True) == []  # it is past


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_smtp_failure_is_retried_logged_and_left_unsent(fresh_data, smtp, caplog):
    from kpi import service
    from kpi.cycle.delivery import run_log, sent_keys

    inbox, port = smtp
    _meeting(5)
    service.set_sending("資訊處", "delivery", recipients="a@mol.gov.tw", lead_days=7)
    waits: list[float] = []
    dead = free_port()  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="kpi.delivery"):
        results = service.deliver("測試", TODAY, settings=to_local(dead, user="kpi", password=PASSWORD),
                                  attempts=3, backoff=0.5, sleep=waits.append)
    assert [r["status"] for r in results] == ["failed"]
    assert waits == [0.5, 1.0]  # three attempts, backoff doubling
    assert len([r for r in caplog.records if "失敗（第" in r.getMessage()]) == 3
    assert sent_keys() == set()
    assert run_log()[0]["status"] == "failed"
    logged = caplog.text + (fresh_data / "delivery" / "delivery.jsonl").read_text(encoding="utf-8") + \
        (fresh_data / "audit" / "audit.jsonl").read_text(encoding="utf-8")
    assert PASSWORD not in logged and PASSWORD not in repr(to_local(dead, password=PASSWORD))
    # the next run (server back) sends it
    results = service.deliver("測試", TODAY, settings=to_local(port), backoff=0)
    assert [r["status"] for r in results] == ["sent"] and len(inbox.messages) == 1


@pytest.mark.parametrize("bad", ["a@mol", "a mol@gov.tw", "<a@mol.gov.tw>", "a@@mol.gov.tw", "x@-mol.tw"])
def test_invalid_address_refused_where_entered(fresh_data, bad):
    from kpi import service
    from kpi.cycle.delivery import load_settings

    service.set_sending("資訊處", "delivery", recipients="ok@mol.gov.tw", lead_days=5)
    with pytest.raises(ValueError, match="格式不正確"):
        service.set_sending("資訊處", "delivery", recipients=f"b@mol.gov.tw,{bad}", lead_days=7)
    assert load_settings()["recipients"] == ["ok@mol.gov.tw"] and load_settings()["lead_days"] == 5


@pytest.mark.slow  # ≈10 s: the full suite runs it, the quick loop does not
def test_cli_settings_and_dry_run(fresh_data):
    import subprocess

    from kpi.config.paths import REPO_ROOT
    from tests.helpers.cli import command

    env = {**__import__("os").environ, "KPI_DATA_DIR": str(fresh_data)}

    def kpi(*args):  # the command line as typed; its rebuilds leave out the page figures (tests/helpers/cli.py)
        return subprocess.run(command(*args, figures=False), cwd=REPO_ROOT, env=env, capture_output=True, text=True)

    bad = kpi("deliver-settings", "--recipients", "a@mol.gov.tw,壞地址", "--lead-days", "7")
    assert bad.returncode == 2 and "電子郵件地址「壞地址」格式不正確" in bad.stderr and "Traceback" not in bad.stderr
    assert kpi("deliver-settings", "--recipients", "a@mol.gov.tw", "--lead-days", "7").returncode == 0
    day = TODAY + dt.timedelta(days=3)
    assert kpi("meeting", "add", "--date", day.isoformat(), "--title", "115年第1次會議").returncode == 0
    listed = json.loads(kpi("meeting", "list", "--json").stdout)
    assert listed == [{"held_on": day.isoformat(), "title": "115年第1次會議", "place": "", "chair": ""}]
    dry = json.loads(kpi("deliver", "--dry-run", "--json", "--today", TODAY.isoformat()).stdout)
    assert [(r["recipient"], r["status"]) for r in dry] == [("a@mol.gov.tw", "would_send")]


@pytest.fixture
def tls_smtp(tmp_path, monkeypatch):
    """A local server that refuses mail before STARTTLS and AUTH; its self-signed certificate is
    trusted through SSL_CERT_FILE (what ssl.create_default_context reads), not by turning checks off."""
    import ssl
    import subprocess

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=ok)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticate, auth_require_tls=True)
    controller.start()
    yield inbox, controller.port, logins
    controller.stop()


@pytest.mark.slow  # ≈4 s: the full suite runs it, the quick loop does not
def test_starttls_and_login(fresh_data, tls_smtp, monkeypatch, caplog):
    from kpi import service
    from kpi.cycle.mail import smtp_settings

    inbox, port, logins = tls_smtp
    _meeting(5)
    service.set_sending("資訊處", "delivery", recipients="a@mol.gov.tw", lead_days=7)
    for name, value in {"KPI_SMTP_HOST": "127.0.0.1", "KPI_SMTP_PORT": str(port), "KPI_SMTP_STARTTLS": "0",
                        "KPI_SMTP_USER": "kpi", "KPI_SMTP_PASSWORD": PASSWORD,
                        "KPI_MAIL_FROM": "kpi@mol.gov.tw"}.items():
        monkeypatch.setenv(name, value)
    with caplog.at_level(logging.INFO, logger="kpi.delivery"):  # without STARTTLS the server refuses
        failed = service.deliver("測試", TODAY, attempts=1)
    assert [r["status"] for r in failed] == ["failed"] and inbox.messages == [] and logins == []
    monkeypatch.setenv("KPI_SMTP_STARTTLS", "1")
    assert smtp_settings().starttls and PASSWORD not in repr(smtp_settings())
    with caplog.at_level(logging.INFO, logger="kpi.delivery"):
        sent = service.deliver("測試", TODAY, attempts=1)
    assert [r["status"] for r in sent] == ["sent"] and len(inbox.messages) == 1
    assert logins == [(b"kpi", PASSWORD.encode())]
    logged = caplog.text + "".join(p.read_text(encoding="utf-8") for p in fresh_data.rglob("*.jsonl"))
    assert "127.0.0.1" in logged and PASSWORD not in logged


def test_settings_from_the_environment_or_secrets_or_refused_in_zh_tw(monkeypatch, tmp_path):
    from kpi.cycle.mail import MailSettingsMissing, smtp_settings

    for name in ("KPI_SMTP_HOST", "KPI_MAIL_FROM", "KPI_SMTP_PORT", "KPI_SMTP_STARTTLS", "KPI_SMTP_USER",
                 "KPI_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("kpi.cycle.mail.REPO_ROOT", tmp_path)  # no secrets.toml anywhere
    with pytest.raises(MailSettingsMissing, match="未設定寄信伺服器"):
        smtp_settings()
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[smtp]\nhost = "mail.mol.gov.tw"\nport = 587\nstarttls = true\nuser = "kpi"\npassword = "pw-1"\n'
        'from = "kpi@mol.gov.tw"\n', encoding="utf-8")
    got = smtp_settings()
    assert (got.host, got.port, got.starttls, got.user, got.sender) == ("mail.mol.gov.tw", 587, True, "kpi",
                                                                      "kpi@mol.gov.tw")
    monkeypatch.setenv("KPI_SMTP_PORT", "2525")  # the environment first
    assert smtp_settings().port == 2525 and "pw-1" not in repr(smtp_settings())
    monkeypatch.setenv("KPI_SMTP_PASSWORD", "密碼")
    with pytest.raises(MailSettingsMissing, match="只能使用英數字"):
        smtp_settings()
