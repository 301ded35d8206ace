"""Slowing down wrong codes without ever slowing down a right one.

A room of practices on one Wi-Fi reaches the server from one address, so the throttle never
holds a right code: every code is looked up at once, a right one is answered at once, and only
the answer to a wrong one is held, longer the more attempts that address has made recently
(capped at a few seconds). Attempts are counted when they start, not when they fail, so
guesses sent in parallel are held like guesses sent one after another.

An address may have only a few wrong answers held at any moment; beyond that an attempt is
refused (:meth:`Throttle.settle`) without its own code's outcome being used, which limits how
many guesses parallel requests get. Lookups run side by side, but each attempt is settled only
after every attempt that started before it from the same address, so that limit sees every
earlier guess's outcome, exactly as if the lookups had been made one at a time (a room's sixty
lookups no longer queue behind one another). A room's right codes are never refused, however
many arrive together: only held wrong answers count against the limit.
``X-Forwarded-For`` is believed only from configured proxies.
"""

from __future__ import annotations

import asyncio
import bisect
import ipaddress
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum

#: A trusted proxy's address or network.
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

WINDOW_SECONDS = 15 * 60
FIRST_DELAY = 0.25
MAX_DELAY = 8.0
# Wrong answers from one address that may be held at once. A wrong answer is held for up to
# MAX_DELAY, so an address that keeps guessing gets at most this many guesses looked up every
# MAX_DELAY seconds; a room's phones typing a wrong code now and then never come near it.
MAX_WAITING = 8
# How long an attempt waits at most for the address's earlier attempts to be settled.
SETTLE_WAIT = 30.0


def delay_for(attempts: int) -> float:
    """Seconds to hold the answer to a wrong code, after ``attempts`` recent attempts from the
    same address (wrong ones, and ones still waiting for their answer).

    >>> [delay_for(n) for n in (0, 1, 2, 3, 10)]
    [0.0, 0.25, 0.5, 1.0, 8.0]
    """
    if attempts <= 0:
        return 0.0
    return min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def parse_proxies(text: str | None) -> tuple[Network, ...]:
    """Read a comma-separated list of proxy addresses or networks.

    >>> [str(n) for n in parse_proxies("127.0.0.1, 10.0.0.0/8")]
    ['127.0.0.1/32', '10.0.0.0/8']
    """
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in (text or "").split(",")
        if part.strip()
    )


def trusted(address: str, proxies: Iterable[Network]) -> bool:
    """Whether ``address`` is one of the trusted proxies.

    >>> trusted("10.0.0.1", parse_proxies("10.0.0.0/8")), trusted("x", ())
    (True, False)
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(remote: str, forwarded_for: str | None, proxies: Iterable[Network]) -> str:
    """The address a request really came from.

    Only when the connection comes from a trusted proxy is ``X-Forwarded-For`` read, right to
    left, skipping further trusted proxies; anything else a client sends is ignored.

    >>> nets = parse_proxies("10.0.0.1")
    >>> client_address("203.0.113.9", "1.2.3.4", nets)
    '203.0.113.9'
    >>> client_address("10.0.0.1", "1.2.3.4, 198.51.100.7", nets)
    '198.51.100.7'
    """
    if not forwarded_for or not trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not trusted(hop, proxies):
            return hop
    return hops[0] if hops else remote


@dataclass(eq=False)
class Attempt:
    """One sign-in attempt, counted from the moment it started."""

    source: str
    started: float
    hold: float  # seconds to hold the answer if the code turns out wrong
    # Settled when the attempt that started just before this one from the same address is,
    # and when this one is (None outside an event loop: see Throttle.begin).
    before: asyncio.Future[None] | None = field(default=None, repr=False)
    settled: asyncio.Future[None] | None = field(default=None, repr=False)


class Verdict(Enum):
    """How a looked-up attempt is answered (:meth:`Throttle.settle`)."""

    RIGHT = "right"  # answered at once, not counted
    WRONG = "wrong"  # its answer is held for the attempt's hold, then it counts as a failure
    REFUSED = "refused"  # too many wrong answers held from its address: refused unheard


@dataclass
class _Source:
    failures: deque[float] = field(default_factory=deque)
    waiting: set[Attempt] = field(default_factory=set)  # started, not yet answered
    held: set[Attempt] = field(default_factory=set)  # found wrong, answer being held


class Throttle:
    """Recent attempts per address, kept in this server process's memory.

    ``clock`` gives the time in seconds (``time.monotonic`` unless a test sets its own).

    >>> now = [0.0]
    >>> t = Throttle(clock=lambda: now[0])
    >>> first = t.begin("10.0.0.9"); second = t.begin("10.0.0.9")
    >>> first.hold, second.hold  # the second started while the first was waiting
    (0.0, 0.25)
    >>> t.wrong(first); t.right(second)  # a right code is not counted against anyone
    >>> t.begin("10.0.0.9").hold
    0.25
    """

    def __init__(
        self,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self.window = window
        self.clock = clock
        self.max_waiting = max_waiting
        self._sources: dict[str, _Source] = {}
        # Per address, settled when its newest attempt is (the next one waits for it).
        self._latest: dict[str, asyncio.Future[None]] = {}

    def _recent(self, source: str) -> _Source:
        entry = self._sources.get(source)
        if entry is None:
            entry = self._sources[source] = _Source()
        cutoff = self.clock() - self.window
        while entry.failures and entry.failures[0] <= cutoff:
            entry.failures.popleft()
        return entry

    def _forget_if_idle(self, source: str) -> None:
        entry = self._sources.get(source)
        if entry is not None and not (entry.failures or entry.waiting or entry.held):
            del self._sources[source]

    def start(self, source: str) -> Attempt | None:
        """Count an attempt from ``source`` as it starts, in the running event loop (as
        :meth:`begin`), and queue it to be settled after the address's earlier attempts; look
        its code up, then :meth:`settle` it, and :meth:`release` it whatever happens."""
        attempt = self.begin(source)
        if attempt is not None:
            attempt.before = self._latest.get(source)
            attempt.settled = self._latest[source] = asyncio.get_running_loop().create_future()
        return attempt

    async def settle(self, attempt: Attempt, right: bool) -> Verdict:
        """Answer an attempt whose code has been looked up (``right``: it was someone's), once
        every earlier attempt from its address is settled. It is refused, whatever its own
        outcome, if that address now has :attr:`max_waiting` wrong answers held: so the
        refusal says nothing about its code, and parallel guesses are limited as if looked up
        one at a time. A right code is otherwise answered at once and no longer counts; a
        wrong one's answer is held (call :meth:`wrong` once it has been)."""
        try:
            if attempt.before is not None:
                # Bounded, so a bug that never released an attempt cannot stall an address.
                await asyncio.wait([attempt.before], timeout=SETTLE_WAIT)
            entry = self._recent(attempt.source)
            if len(entry.held) >= self.max_waiting:
                entry.waiting.discard(attempt)
                self._forget_if_idle(attempt.source)
                return Verdict.REFUSED
            if right:
                self.right(attempt)
                return Verdict.RIGHT
            self.holding(attempt)
            return Verdict.WRONG
        finally:
            self.release(attempt)

    def release(self, attempt: Attempt) -> None:
        """Let the address's later attempts be settled (idempotent; call it in a ``finally``
        so a failed lookup never leaves them waiting)."""
        if attempt.settled is not None and not attempt.settled.done():
            attempt.settled.set_result(None)
        if attempt.settled is not None and self._latest.get(attempt.source) is attempt.settled:
            del self._latest[attempt.source]

    def begin(self, source: str) -> Attempt | None:
        """Count an attempt from ``source`` as it starts; None if it must be refused unheard
        because that address already has :attr:`max_waiting` wrong answers held."""
        entry = self._recent(source)
        if len(entry.held) >= self.max_waiting:
            self._forget_if_idle(source)
            return None
        attempt = Attempt(source, self.clock(), delay_for(len(entry.failures) + len(entry.waiting)))
        entry.waiting.add(attempt)
        return attempt

    def right(self, attempt: Attempt) -> None:
        """The attempt's code was right: it no longer counts."""
        entry = self._sources.get(attempt.source)
        if entry is not None:
            entry.waiting.discard(attempt)
            entry.held.discard(attempt)
            self._forget_if_idle(attempt.source)

    def holding(self, attempt: Attempt) -> None:
        """The attempt's code was wrong: its answer is now being held."""
        entry = self._recent(attempt.source)
        if attempt in entry.waiting:
            entry.held.add(attempt)

    def wrong(self, attempt: Attempt) -> None:
        """The attempt's code was wrong and its answer has been held: it counts as a recent
        failure (from when it started) until the window has passed."""
        entry = self._recent(attempt.source)
        entry.held.discard(attempt)
        if attempt in entry.waiting:
            entry.waiting.discard(attempt)
            if attempt.started > self.clock() - self.window:
                bisect.insort(entry.failures, attempt.started)  # kept in order of starting
        self._forget_if_idle(attempt.source)

    def pending(self, source: str) -> tuple[int, int]:
        """Recent wrong attempts and attempts waiting now, from ``source``."""
        entry = self._recent(source)
        counts = (len(entry.failures), len(entry.waiting))
        self._forget_if_idle(source)
        return counts
