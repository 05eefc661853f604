"""A real local SMTP server's inbox and the settings that send to it (tests/cycle)."""

from __future__ import annotations


class Inbox:
    """What the aiosmtpd controller received: (recipients, raw message) per delivery."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
        return "250 OK"


def to_local(port: int, **kw):
    """Send from kpi@mol.gov.tw to 127.0.0.1:`port`."""
    from kpi.cycle.mail import SmtpSettings

    return SmtpSettings("127.0.0.1", port, sender="kpi@mol.gov.tw", **kw)
