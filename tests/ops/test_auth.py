"""Sign-in limits: growing waits per client and in total, forgetting, session timeout."""

from __future__ import annotations

from kpi.ops.auth import AttemptLimiter, attempt, hash_password, session_expired


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


STORED = hash_password("right horse", iterations=1000)


def test_waits_grow_per_client_and_do_not_touch_others():
    clock = Clock()
    lim = AttemptLimiter(clock)
    waits = []
    for _ in range(8):
        ok, wait = attempt(lim, "A", "wrong", STORED)
        assert not ok
        waits.append(wait)
        clock.now += wait  # the client waits exactly as told
    assert waits[:2] == [0.0, 0.0]
    assert waits[2:] == [2.0, 4.0, 8.0, 16.0, 32.0, 64.0]
    assert lim.wait_seconds("B") == 0.0
    ok, _ = attempt(lim, "B", "right horse", STORED)
    assert ok


def test_a_try_while_waiting_is_refused_unchecked_and_not_counted():
    clock = Clock()
    lim = AttemptLimiter(clock)
    for _ in range(3):
        attempt(lim, "A", "wrong", STORED)
    ok, wait = attempt(lim, "A", "right horse", STORED)  # right password, but too soon
    assert not ok and wait == 2.0
    clock.now += 2.0
    ok, wait = attempt(lim, "A", "right horse", STORED)
    assert ok and wait == 0.0
    assert lim.wait_seconds("A") == 0.0  # success forgets the failures


def test_lock_after_many_failures_and_forgetting():
    clock = Clock()
    lim = AttemptLimiter(clock)
    for _ in range(AttemptLimiter.LOCK_AFTER):
        lim.failed("A")
        clock.now += AttemptLimiter.MAX
    assert lim.wait_seconds("A") == AttemptLimiter.LOCK - AttemptLimiter.MAX
    clock.now += AttemptLimiter.FORGET + 1
    assert lim.wait_seconds("A") == 0.0


def test_total_limit_across_clients():
    clock = Clock()
    lim = AttemptLimiter(clock)
    for i in range(AttemptLimiter.GLOBAL_FREE):
        lim.failed(f"client-{i}")  # one try each: no client is slowed on its own
        clock.now += 1
    assert lim.wait_seconds("fresh") > 0
    clock.now += AttemptLimiter.GLOBAL_WINDOW + 1
    assert lim.wait_seconds("fresh") == 0.0


def test_memory_is_bounded_whatever_the_clients():
    clock = Clock()
    lim = AttemptLimiter(clock)
    for i in range(AttemptLimiter.MAX_CLIENTS + 500):
        lim.failed(f"c{i}")
        clock.now += 0.001
    assert len(lim._clients) <= AttemptLimiter.MAX_CLIENTS
    assert len(lim._recent) <= AttemptLimiter.GLOBAL_FREE * 4 + 1


def test_session_timeout():
    assert not session_expired(0, 100, 200)
    assert session_expired(0, 100, 100 + 31 * 60)  # idle
    assert session_expired(0, 9 * 3600 - 10, 9 * 3600)  # too old
