"""The store as the web server uses it: every read and write on a worker thread, so the one
event loop that serves every page never waits on the database.

While another process holds the store's write lock (a CLI import, a long transaction), a
write on the event loop froze the whole server for as long as SQLite's busy timeout (the
stylesheet and the sign-in page took 44 s during a 45 s lock). Here reads and writes run in
bounded thread pools of their own, so a write waiting for a lock never holds up a read, and
a web write waits at most :data:`WRITE_WAIT` seconds for the lock in all, counted from when
the page asked, then fails with :class:`~lpgp.errors.StoreBusy` and writes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ..errors import StoreBusy
from ..store import Store

T = TypeVar("T")
log = logging.getLogger("lpgp.web")
WRITE_WAIT = 5.0
READ_THREADS = 4
# SQLite writes one transaction at a time however many threads ask, and threads queued on
# its lock wait in growing sleeps: one writer thread keeps the queue in this process, in
# order. PostgreSQL writes in parallel (row locks), up to a few connections' worth.
WRITE_THREADS = {"sqlite": 1, "postgresql": 4}
BUSY = "The system is busy: try again in a moment. Nothing was lost."


class Reading:
    """One read session for all of a request's lookups (the visitor, then the page's data),
    opened by the first and closed when the request ends: one session instead of one per
    lookup, each of which costs about a millisecond of the server's time. Used on worker
    threads, one lookup at a time (a request awaits each)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._open = contextlib.ExitStack()
        self._session: Session | None = None

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in this reading's session (opened if need be); on a worker."""
        if self._session is None:
            self._session = self._open.enter_context(self._store.read(snapshot=False))
        return work(self._session)

    def close(self) -> None:
        """End the session (a read: nothing to keep); on a worker thread."""
        self._session = None
        self._open.close()


class StoreAccess:
    """Reads and writes of one store, each on a worker thread (:meth:`read`, :meth:`write`).

    >>> import asyncio
    >>> access = StoreAccess(Store("sqlite://"))
    >>> asyncio.run(access.read(lambda s: s.get_bind().dialect.name))
    'sqlite'
    """

    def __init__(self, store: Store, write_wait: float = WRITE_WAIT) -> None:
        self.store = store
        self.write_wait = write_wait
        if make_url(store.url).database in (None, "", ":memory:") and store.backend == "sqlite":
            # An in-memory store is one connection: one thread for everything.
            self._reads = self._writes = ThreadPoolExecutor(1, thread_name_prefix="lpgp-store")
        else:
            self._reads = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="lpgp-read")
            self._writes = ThreadPoolExecutor(
                WRITE_THREADS.get(store.backend, 1), thread_name_prefix="lpgp-write"
            )

    async def read(self, work: Callable[[Session], T], reading: Reading | None = None) -> T:
        """``work(session)`` on a read session (see :meth:`Store.read`, without a common
        snapshot), on a reader thread; in ``reading``'s session if one is given."""
        run = self._read if reading is None else reading.run
        return await asyncio.get_running_loop().run_in_executor(self._reads, run, work)

    def reading(self) -> Reading:
        """A request's :class:`Reading` (its session opens at its first lookup)."""
        return Reading(self.store)

    async def end(self, reading: Reading) -> None:
        """Close ``reading``'s session on a reader thread, and wait for that."""
        await asyncio.get_running_loop().run_in_executor(self._reads, reading.close)

    def end_later(self, reading: Reading) -> None:
        """Close ``reading``'s session on a reader thread, without waiting (a request that
        has finished)."""
        self._reads.submit(reading.close).add_done_callback(_log_failure)

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.store.read(snapshot=False) as session:
            return work(session)

    async def write(self, work: Callable[[Session], T]) -> T:
        """``store.write(work)`` on a writer thread; raises :class:`StoreBusy` (nothing
        written) if the store's locks cannot be had within :attr:`write_wait` seconds of now,
        time queued behind this server's other writes included."""
        give_up = time.monotonic() + self.write_wait
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writes, self._write, work, give_up)

    def _write(self, work: Callable[[Session], T], give_up: float) -> T:
        left = give_up - time.monotonic()
        if left <= 0:
            raise StoreBusy("the store was busy for too long: nothing was written, try again")
        return self.store.write(work, within=left)


def _log_failure(done: Future) -> None:
    if done.exception() is not None:
        log.warning("could not end a read session: %s", done.exception())


_ACCESS: weakref.WeakKeyDictionary[Store, StoreAccess] = weakref.WeakKeyDictionary()


def access_to(store: Store) -> StoreAccess:
    """The one :class:`StoreAccess` of ``store`` in this process (made on first use)."""
    found = _ACCESS.get(store)
    if found is None:
        found = _ACCESS[store] = StoreAccess(store)
    return found
