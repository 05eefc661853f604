"""The office's sign-in in tests: one password, its hash set for the app under test."""

from __future__ import annotations

PASSWORD = "correct horse battery"


def password_hash() -> str:
    """A cheap hash of PASSWORD (1,000 iterations: tests sign in often)."""
    from kpi.ops.auth import hash_password

    return hash_password(PASSWORD, iterations=1000)


def allow_office(monkeypatch) -> str:
    """Let PASSWORD sign in to the app started after this call; returns PASSWORD."""
    monkeypatch.setenv("KPI_OFFICE_PASSWORD_HASH", password_hash())
    return PASSWORD
