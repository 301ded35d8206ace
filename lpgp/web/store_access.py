"""The store as the web server uses it: every read and write on a worker thread, so the one
event loop that serves every page never waits on the database.

While another process holds the store's write lock (a CLI import, a long transaction), a
write on the event loop froze the whole server for as long as SQLite's busy timeout (the
stylesheet and the sign-in page took 44 s during a 45 s lock). Here reads and writes run in
bounded thread pools of their own, so a write waiting for a lock never holds up a read, and
a web write waits at most :data:`WRITE_WAIT` seconds for a lock another process holds, then
fails with :class:`~lpgp.errors.StoreBusy` and writes nothing. Time spent queued behind this
server's own writes (a room casting at once) is not waiting for a lock: such a write is only
refused unheard when the store has just been found locked (a write waited over
:data:`SLOW_WRITE` seconds), so a long lock elsewhere makes every queued page busy within
:data:`WRITE_WAIT` seconds rather than one after another.

A request's lookups share one read session (:class:`Reading`), which holds a database
connection from its first lookup to the request's end. At most :data:`READINGS` requests hold
one at a time (the others wait, on the event loop, for a turn): more could take every
connection in the pool while their next lookups queue for a reader thread that is itself
waiting for a connection.
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
# Requests holding a read session at once: fewer than the engine's pool holds (15 on SQLite,
# 25 on PostgreSQL) less the reader and writer threads' own sessions.
READINGS = 8
# A write that took this long waited for a lock held elsewhere: queued writes that have waited
# WRITE_WAIT by then are refused at once instead of each waiting in turn.
SLOW_WRITE = 1.0
LOCKED_FOR = 10.0  # how long after such a write the store counts as just found locked
BUSY = "The system is busy: try again in a moment. Nothing was lost."


class Reading:
    """One read session for all of a request's lookups (the visitor, then the page's data),
    opened by the first and closed when the request ends: one session instead of one per
    lookup, each of which costs about a millisecond of the server's time. Used on worker
    threads, one lookup at a time (a request awaits each)."""

    def __init__(self, store: Store, turns: asyncio.Semaphore | None = None) -> None:
        self._store = store
        self._open = contextlib.ExitStack()
        self._session: Session | None = None
        self._turns = turns
        self.has_turn = False

    async def take_turn(self) -> None:
        """Wait, on the event loop, for a turn to hold a session (once per reading)."""
        if self._turns is not None and not self.has_turn:
            await self._turns.acquire()
            self.has_turn = True

    def give_turn(self) -> None:
        """Give the turn back (on the event loop; idempotent)."""
        if self._turns is not None and self.has_turn:
            self.has_turn = False
            self._turns.release()

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
        self._locked_at = -LOCKED_FOR  # when a write last waited for a lock held elsewhere
        self._turns: asyncio.Semaphore | None = None
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
        if reading is not None:
            await reading.take_turn()
        run = self._read if reading is None else reading.run
        return await asyncio.get_running_loop().run_in_executor(self._reads, run, work)

    def reading(self) -> Reading:
        """A request's :class:`Reading` (its session opens at its first lookup, once the
        request has a turn: see :data:`READINGS`)."""
        if self._turns is None and self._reads is not self._writes:
            self._turns = asyncio.Semaphore(READINGS)
        return Reading(self.store, self._turns)

    async def end(self, reading: Reading) -> None:
        """Close ``reading``'s session on a reader thread, and wait for that."""
        try:
            await asyncio.get_running_loop().run_in_executor(self._reads, reading.close)
        finally:
            reading.give_turn()

    def end_later(self, reading: Reading) -> None:
        """Close ``reading``'s session on a reader thread, without waiting (a request that
        has finished); its turn passes on once the session is closed."""
        loop = asyncio.get_running_loop()
        done = self._reads.submit(reading.close)
        done.add_done_callback(_log_failure)
        done.add_done_callback(lambda _: loop.call_soon_threadsafe(reading.give_turn))

    def _read(self, work: Callable[[Session], T]) -> T:
        with self.store.read(snapshot=False) as session:
            return work(session)

    async def write(self, work: Callable[[Session], T]) -> T:
        """``store.write(work)`` on a writer thread; raises :class:`StoreBusy` (nothing
        written) if the store's locks cannot be had within :attr:`write_wait` seconds of now,
        time queued behind this server's other writes included."""
        asked = time.monotonic()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writes, self._write, work, asked)

    def _write(self, work: Callable[[Session], T], asked: float) -> T:
        began = time.monotonic()
        waited = began - asked
        # Queued behind this server's own writes only: a full wait for a lock. Queued while
        # the store is locked elsewhere: only what is left of WRITE_WAIT since asking.
        locked = began - self._locked_at < LOCKED_FOR
        within = self.write_wait - waited if locked else self.write_wait
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
