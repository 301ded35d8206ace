"""The store's one retry policy under real contention: separate engines fighting for one row.

No mocks: two threads, each with its own engine (as two server processes would have), do a
read-modify-write of the same counter. Every increment must land exactly once, and the number
of attempts shows that conflicts really happened and were retried by ``Store.write``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from lpgp.cycle.board import place as places
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.store import Store, db
from lpgp.store.schema import PracticeRow

ROUNDS = 40


def _counter_store(url: str) -> Store:
    store = Store(url)

    def work(s):
        place = places.create_place(s, "Testshire")
        import_practices(s, place, [PracticeInput("Z99001", "Counter Surgery", None, 0)])

    store.write(work)
    return store


def _race(url: str, threads: int = 2) -> tuple[int, int]:
    """Each thread adds one to the counter ROUNDS times; returns (final value, attempts)."""
    attempts = []
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def bump(s):
        attempts.append(1)
        row = s.scalars(select(PracticeRow).where(PracticeRow.ods_code == "Z99001")).one()
        seen = row.list_size
        time.sleep(0.002)  # widen the window between reading and writing
        row.list_size = seen + 1

    def runner() -> None:
        own = Store(url, migrate=False)
        try:
            barrier.wait()
            for _ in range(ROUNDS):
                own.write(bump)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    workers = [threading.Thread(target=runner) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    check = Store(url, migrate=False)
    with check.read() as s:
        value = s.scalars(select(PracticeRow.list_size)).one()
    check.dispose()
    return value, len(attempts)


@pytest.mark.postgres
def test_postgresql_serialisation_failures_are_retried(pg_url: str) -> None:
    _counter_store(pg_url).dispose()
    value, attempts = _race(pg_url, threads=3)
    assert value == 3 * ROUNDS  # no lost update
    assert attempts > 3 * ROUNDS  # some attempts failed with 40001 and were run again


def test_sqlite_lock_at_begin_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process holds the write lock longer than the busy timeout: the writer's
    ``BEGIN IMMEDIATE`` fails with "database is locked" and the policy retries it."""
    path = tmp_path / "store.sqlite"
    _counter_store(f"sqlite:///{path}").dispose()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 20)
    store = Store(f"sqlite:///{path}", migrate=False)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.execute, args=("COMMIT",))
    release.start()
    calls = []

    def bump(s):
        calls.append(1)
        row = s.scalars(select(PracticeRow)).one()
        row.list_size += 1

    started = time.monotonic()
    store.write(bump)
    waited = time.monotonic() - started
    release.join()
    holder.close()
    assert waited >= 0.25  # it really waited for the other writer
    with store.read() as s:
        assert s.scalars(select(PracticeRow.list_size)).one() == 1
    store.dispose()
    # The session begins lazily, so each refused BEGIN IMMEDIATE surfaced at the work's first
    # query: several attempts, one success.
    assert len(calls) > 1


def test_sqlite_short_busy_timeout_threads_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    _counter_store(url).dispose()
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 1)
    value, _ = _race(url, threads=3)
    assert value == 3 * ROUNDS
