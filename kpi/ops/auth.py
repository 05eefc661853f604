"""Office sign-in without a framework: a PBKDF2 password hash kept in secrets or the environment.

The dashboard prefers OIDC (st.login) when it is configured; this is the fallback. Nothing here
stores a password; ``python -m kpi hash-password`` prints the line to put in secrets.toml.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 390_000
ENV_VAR = "KPI_OFFICE_PASSWORD_HASH"
SECRET_KEY = "office_password_hash"


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return "$".join([ALGORITHM, str(iterations), base64.b64encode(salt).decode(),
                     base64.b64encode(digest).decode()])


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check; a malformed stored hash never verifies."""
    try:
        algorithm, iterations, salt, digest = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        expected = base64.b64decode(digest)
        got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt),
                                  int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# ---------------------------------------------------------------- sign-in limits (issue 12)

class AttemptLimiter:
    """Failed sign-ins cost a growing wait, per client and in total (a guesser spreading over
    many clients still slows down). Pure and clock-injectable; the page asks `wait_seconds`
    before checking a password and calls `failed` / `succeeded` after.

    Per client: the first FREE_TRIES failures are free, then the wait doubles from BASE up to
    MAX; after LOCK_AFTER failures the client waits LOCK seconds. In total: beyond
    GLOBAL_FREE failures in the last GLOBAL_WINDOW seconds every client waits GLOBAL_WAIT.
    Failures are forgotten FORGET seconds after the last one (and on success)."""

    FREE_TRIES = 3
    BASE = 2.0
    MAX = 300.0
    LOCK_AFTER = 10
    LOCK = 900.0
    FORGET = 3600.0
    GLOBAL_FREE = 30
    GLOBAL_WINDOW = 600.0
    GLOBAL_WAIT = 30.0
    MAX_CLIENTS = 10_000  # bounded memory whatever the clients claim to be

    def __init__(self, clock=None):
        import time

        self.clock = clock or time.monotonic
        self._clients: dict[str, tuple[int, float]] = {}  # key → (failures, last failure)
        self._recent: list[float] = []  # times of failures, all clients

    def _failures(self, key: str, now: float) -> tuple[int, float]:
        count, last = self._clients.get(key, (0, 0.0))
        if count and now - last > self.FORGET:
            self._clients.pop(key, None)
            return 0, 0.0
        return count, last

    def client_delay(self, failures: int) -> float:
        if failures < self.FREE_TRIES:
            return 0.0
        if failures >= self.LOCK_AFTER:
            return self.LOCK
        return min(self.MAX, self.BASE * 2 ** (failures - self.FREE_TRIES))

    def wait_seconds(self, key: str) -> float:
        """Seconds this client must wait before its next try (0 = may try now)."""
        now = self.clock()
        count, last = self._failures(key, now)
        wait = max(0.0, last + self.client_delay(count) - now) if count else 0.0
        self._recent = [t for t in self._recent if now - t <= self.GLOBAL_WINDOW]
        if len(self._recent) >= self.GLOBAL_FREE:
            wait = max(wait, self._recent[-1] + self.GLOBAL_WAIT - now)
        return wait

    def failed(self, key: str) -> float:
        """Record a failure; returns the wait now imposed on this client."""
        now = self.clock()
        count, _ = self._failures(key, now)
        if key not in self._clients and len(self._clients) >= self.MAX_CLIENTS:
            oldest = min(self._clients, key=lambda k: self._clients[k][1])
            self._clients.pop(oldest)
        self._clients[key] = (count + 1, now)
        self._recent = [*self._recent[-self.GLOBAL_FREE * 4:], now]
        return self.wait_seconds(key)

    def succeeded(self, key: str) -> None:
        self._clients.pop(key, None)


def attempt(limiter: AttemptLimiter, key: str, password: str, stored: str) -> tuple[bool, float]:
    """One sign-in try under the limiter: (signed in, seconds to wait). A try made while the
    client must wait is refused without checking the password (and does not count)."""
    wait = limiter.wait_seconds(key)
    if wait > 0:
        return False, wait
    if verify_password(password, stored):
        limiter.succeeded(key)
        return True, 0.0
    return False, limiter.failed(key)


SESSION_IDLE_SECONDS = 30 * 60  # office sign-in ends after 30 minutes without activity
SESSION_MAX_SECONDS = 8 * 3600  # and after a working day whatever the activity


def session_expired(signed_in_at: float, last_seen: float, now: float,
                    idle: float = SESSION_IDLE_SECONDS, longest: float = SESSION_MAX_SECONDS) -> bool:
    """True when a signed-in session must sign in again (idle too long or too old)."""
    return now - last_seen > idle or now - signed_in_at > longest
