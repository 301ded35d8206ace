"""Slowing down wrong codes without ever locking anyone out.

A room of practices on one Wi-Fi reaches the server from one address, so a wrong code only
adds a delay, growing with recent failures from that source and capped at a few seconds; a
right code always gets in. ``X-Forwarded-For`` is believed only from configured proxies.
"""

from __future__ import annotations

import ipaddress
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 15 * 60
FIRST_DELAY = 0.25
MAX_DELAY = 8.0


def delay_for(failures: int) -> float:
    """Seconds to wait before answering a sign-in, after ``failures`` recent wrong codes.

    >>> [delay_for(n) for n in (0, 1, 2, 3, 10)]
    [0.0, 0.25, 0.5, 1.0, 8.0]
    """
    if failures <= 0:
        return 0.0
    return min(FIRST_DELAY * 2 ** (failures - 1), MAX_DELAY)


def parse_proxies(text: str | None) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Read a comma-separated list of proxy addresses or networks.

    >>> [str(n) for n in parse_proxies("127.0.0.1, 10.0.0.0/8")]
    ['127.0.0.1/32', '10.0.0.0/8']
    """
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in (text or "").split(",")
        if part.strip()
    )


def _trusted(address: str, proxies) -> bool:  # noqa: ANN001
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(remote: str, forwarded_for: str | None, proxies) -> str:  # noqa: ANN001
    """The address a request really came from.

    Only when the connection comes from a trusted proxy is ``X-Forwarded-For`` read, right to
    left, skipping further trusted proxies; anything else a client sends is ignored.

    >>> nets = parse_proxies("10.0.0.1")
    >>> client_address("203.0.113.9", "1.2.3.4", nets)
    '203.0.113.9'
    >>> client_address("10.0.0.1", "1.2.3.4, 198.51.100.7", nets)
    '198.51.100.7'
    """
    if not forwarded_for or not _trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else remote


class Throttle:
    """Recent wrong codes per source, kept in this server process's memory."""

    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def _recent(self, source: str, now: float) -> deque[float]:
        times = self._failures[source]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def delay(self, source: str, now: float | None = None) -> float:
        """How long to hold the next sign-in attempt from ``source``."""
        now = time.monotonic() if now is None else now
        return delay_for(len(self._recent(source, now)))

    def failed(self, source: str, now: float | None = None) -> None:
        """Count one wrong code from ``source``."""
        now = time.monotonic() if now is None else now
        self._recent(source, now).append(now)
