"""The web server's way to the store (lpgp.web.store_access), under a room's load, on a real
SQLite file and a real PostgreSQL server: no request keeps a connection while it waits for a
thread (a room of such requests once took every connection while the threads waited for
one), and a room's writes queued behind each other are not refused as busy."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import text

from lpgp.store import Store
from lpgp.web.store_access import StoreAccess


def _one(session) -> int:
    return session.execute(text("SELECT 1")).scalar_one()


async def _room(access: StoreAccess, requests: int) -> list[int]:
    async def page() -> int:
        first = await access.read(_one)  # who is signed in
        await asyncio.sleep(0)  # the page does something else meanwhile
        return first + await access.read(_one)  # the page's own data

    return await asyncio.gather(*(page() for _ in range(requests)))


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_room_of_pages_each_keeping_a_read_session_never_starves_the_pool(
    backend: str, file_store_url: str, request: pytest.FixtureRequest
) -> None:
    url = file_store_url if backend == "sqlite" else request.getfixturevalue("pg_url")
    store = Store(url)
    # A pool that waits 3 s, not 30, for a free connection: 120 pages, each of which held a
    # session while its second lookup queued behind the others' first, used to take every
    # connection and then wait on the pool with every reader thread.
    store.engine.pool._timeout = 3
    access = StoreAccess(store)
    try:
        started = time.monotonic()
        answers = asyncio.run(asyncio.wait_for(_room(access, 120), timeout=60))
        took = time.monotonic() - started
    finally:
        store.dispose()
    assert answers == [2] * 120
    assert took < 30, f"120 pages took {took:.1f} s"


def test_writes_queued_behind_this_servers_own_are_not_refused_as_busy(
    file_store_url: str,
) -> None:
    """A room casting at once queues its writes on SQLite's one writer thread for longer than a
    page may wait for another process's lock; that queue is not a lock held elsewhere."""
    store = Store(file_store_url)
    store.write(lambda s: s.execute(text("CREATE TABLE casts (n INTEGER)")))
    access = StoreAccess(store, write_wait=0.5)

    def cast(n: int):
        def work(session) -> None:
            session.execute(text("INSERT INTO casts VALUES (:n)"), {"n": n})
            time.sleep(0.03)  # a write that takes 30 ms: forty of them queue for over 1 s

        return work

    async def room() -> None:
        await asyncio.gather(*(access.write(cast(n)) for n in range(40)))

    try:
        started = time.monotonic()
        asyncio.run(room())
        assert time.monotonic() - started > 0.5  # the last ones queued longer than write_wait
        with store.read() as s:
            assert s.execute(text("SELECT count(*) FROM casts")).scalar_one() == 40
    finally:
        store.dispose()
