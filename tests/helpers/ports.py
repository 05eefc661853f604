"""Ports for servers a test starts (streamlit, SMTP, HTTP): whatever the OS hands out, so tests
running in parallel never collide on a fixed number."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port free now (bound once and released); also a port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
