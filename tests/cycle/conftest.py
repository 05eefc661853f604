"""Meeting-cycle fixtures: a real local SMTP server on a free port (aiosmtpd) collecting what is sent."""

from __future__ import annotations

import pytest

from tests.helpers.mail import Inbox
from tests.helpers.ports import free_port


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()
