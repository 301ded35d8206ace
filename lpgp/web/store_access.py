"""The store as the web server uses it: every read and write on a worker thread, so the one
event loop that serves every page never waits on the database.

While another process holds the store's write lock (a CLI import, a long transaction), a
write on the event loop froze the whole server for as long as SQLite's busy timeout (the
stylesheet and the sign-in page took 44 s during a 45 s lock). Here reads and writes run in
thread pools of their own, so a write waiting for a lock never holds up a read, and a web
write waits at most :data:`WRITE_WAIT` seconds for a lock another process holds, then fails
with :class:`~lpgp.errors.StoreBusy` and writes nothing. Time spent queued behind this
server's own writes (a room casting at once) is not waiting for a lock: such a write is only
refused unheard when the store has just been found locked (a write took over
:data:`SLOW_WRITE` seconds), so a long lock elsewhere makes every queued page busy within
:data:`WRITE_WAIT` seconds rather than one after another.

Each lookup has a session of its own, held only while it runs on its thread: a session shared
by a request's lookups held a connection while the request waited for a thread, and a room
of such requests took every connection in the pool while the threads waited for one. The
pools are small on purpose: every thread competes for the one interpreter lock with the
event loop, and on SQLite (one file, read in microseconds) a room's pages came back sooner
with one reader than with four (page p95 1.0 s against 1.3 s: docs/performance.md, "The room").
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from lpgp.errors import StoreBusy
from lpgp.store import Store

T = TypeVar("T")
log = logging.getLogger("lpgp.web")
WRITE_WAIT = 5.0
# PostgreSQL's lookups wait on the network, where a second thread overlaps them (four were
# slower: page p95 2.0 s against 1.9 s at N=60).
READ_THREADS = {"sqlite": 1, "postgresql": 2}
# SQLite writes one transaction at a time however many threads ask, and threads queued on
# its lock wait in growing sleeps: one writer thread keeps the queue in this process, in
# order. PostgreSQL writes in parallel (row locks).
WRITE_THREADS = {"sqlite": 1, "postgresql": 2}
# A write that took this long waited for a lock held elsewhere: queued writes that have waited
# WRITE_WAIT by then are refused at once instead of each waiting in turn.
SLOW_WRITE = 1.0
LOCKED_FOR = 10.0  # how long after such a write the store counts as just found locked
BUSY = "The system is busy: try again in a moment. Nothing was lost."


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
        self._locked_at = -LOCKED_FOR  # when a write last took long enough to mean a lock
        if make_url(store.url).database in (None, "", ":memory:") and store.backend == "sqlite":
            # An in-memory store is one connection: one thread for everything.
            self._reads = self._writes = ThreadPoolExecutor(1, thread_name_prefix="lpgp-store")
        else:
            self._reads = ThreadPoolExecutor(
                READ_THREADS.get(store.backend, 1), thread_name_prefix="lpgp-read"
            )
            self._writes = ThreadPoolExecutor(
                WRITE_THREADS.get(store.backend, 1), thread_name_prefix="lpgp-write"
            )

    async def read(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` on a read session of its own (see :meth:`Store.read`, without a
        common snapshot), on a reader thread."""
        return await asyncio.get_running_loop().run_in_executor(self._reads, self._read, work)

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.store.read(snapshot=False) as session:
            return work(session)

    async def write(self, work: Callable[[Session], T]) -> T:
        """``store.write(work)`` on a writer thread; raises :class:`StoreBusy` (nothing
        written) if another process's locks keep it waiting :attr:`write_wait` seconds (time
        queued here counts only while the store is found locked)."""
        asked = time.monotonic()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writes, self._write, work, asked)

    def _write(self, work: Callable[[Session], T], asked: float) -> T:
        began = time.monotonic()
        # Queued behind this server's own writes only: a full wait for a lock. Queued while
        # the store is locked elsewhere: only what is left of write_wait since asking.
        locked = began - self._locked_at < LOCKED_FOR
        within = self.write_wait - (began - asked) if locked else self.write_wait
        if within <= 0:
            raise StoreBusy("the store was busy for too long: nothing was written, try again")
        try:
            return self.store.write(work, within=within)
        except StoreBusy:
            self._locked_at = time.monotonic()
            raise
        finally:
            if time.monotonic() - began > SLOW_WRITE:
                self._locked_at = time.monotonic()


_ACCESS: weakref.WeakKeyDictionary[Store, StoreAccess] = weakref.WeakKeyDictionary()


def access_to(store: Store) -> StoreAccess:
    """The one :class:`StoreAccess` of ``store`` in this process (made on first use)."""
    found = _ACCESS.get(store)
    if found is None:
        found = _ACCESS[store] = StoreAccess(store)
    return found
