"""A facilitator's request, handed to the preheated kernel that serves it and to nobody else.

Voilà starts pool kernels before anyone asks for a page. When a facilitator opens one, Voilà
hands the request (its headers, so the session cookie too) to the kernel over a websocket,
``/voila/query/<kernel id>``, and keeps it until the kernel connects. Voilà itself lets any
client open that socket, kernel ids show in ``ps`` and in the server's log, and behind a proxy
on the same machine every visitor comes from 127.0.0.1: whoever connected first (or last)
would get the chair's cookie. So here:

- every kernel is started with its own secret in its environment (:class:`GatedKernelManager`),
  out of ``ps`` and the log, derived from its id and a key that never leaves the server;
- the socket opens only for a client presenting that secret (:class:`KernelRequestHandler`),
  compared in constant time; anyone else gets 403 and nothing;
- a request waits for its kernel at most :data:`PENDING_SECONDS` and is handed over once
  (:class:`PendingRequests`);
- the kernel's side (:func:`lpgp.kernel_channel.wait_for_request`) presents the secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import ApiPath
from tornado.web import HTTPError
from voila.request_info_handler import RequestInfoSocketHandler

from lpgp.kernel_channel import SECRET_ENV, SECRET_HEADER

PENDING_SECONDS = 60.0
# Made afresh by each server process: its kernels are its children, nobody else needs it.
_KEY = secrets.token_bytes(32)


def kernel_secret(kernel_id: str, key: bytes = _KEY) -> str:
    """The secret the kernel ``kernel_id`` presents to collect its request.

    >>> key = bytes(32)
    >>> kernel_secret("a-b-c-d-e", key) == kernel_secret("a-b-c-d-e", key)
    True
    >>> kernel_secret("a-b-c-d-e", key) == kernel_secret("a-b-c-d-f", key)
    False
    """
    return hmac.new(key, kernel_id.encode(), hashlib.sha256).hexdigest()


class GatedKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, starting each new kernel with its secret (:data:`SECRET_ENV`)
    in its environment. A restarted kernel keeps its id, its environment and so its secret."""

    # jupyter_client types start_kernel as the synchronous manager's (returning str); on the
    # asynchronous managers it is a coroutine, as here.
    async def start_kernel(  # type: ignore[override]
        self, *, kernel_id: str | None = None, path: ApiPath | None = None, **kwargs: Any
    ) -> str:
        if kernel_id is None or kernel_id not in self:
            kernel_id = kernel_id or self.new_kernel_id()
            env = dict(kwargs.get("env") or os.environ)
            env[SECRET_ENV] = kernel_secret(kernel_id)
            kwargs["env"] = env
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)


class PendingRequests(MutableMapping[str, Any]):
    """Requests waiting for their kernel to connect, each for at most ``ttl`` seconds.

    Voilà keeps them in ``RequestInfoSocketHandler._cache`` for ever; this mapping takes that
    place (:func:`install`). An expired request is never handed out, and is dropped by a timer
    on the server's event loop (or at the next change) so its cookie does not stay in memory.

    >>> now = [0.0]
    >>> waiting = PendingRequests(ttl=60, clock=lambda: now[0])
    >>> waiting["k"] = {"HTTP_COOKIE": "x"}
    >>> "k" in waiting
    True
    >>> now[0] = 60.0
    >>> "k" in waiting, len(waiting)
    (False, 0)
    """

    def __init__(
        self, ttl: float = PENDING_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._items: dict[str, tuple[float, Any]] = {}

    def _fresh(self) -> dict[str, Any]:
        now = self._clock()
        for kernel_id in [k for k, (until, _) in self._items.items() if until <= now]:
            del self._items[kernel_id]
        return {k: payload for k, (_, payload) in self._items.items()}

    def __setitem__(self, kernel_id: str, payload: Any) -> None:
        self._fresh()
        self._items[kernel_id] = (self._clock() + self.ttl, payload)
        # Without an event loop here (a test), it is dropped at the next change instead.
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().call_later(self.ttl, self._fresh)

    def __getitem__(self, kernel_id: str) -> Any:
        return self._fresh()[kernel_id]

    def __delitem__(self, kernel_id: str) -> None:
        del self._items[kernel_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fresh())

    def __len__(self) -> int:
        return len(self._fresh())


def install(ttl: float = PENDING_SECONDS) -> PendingRequests:
    """Put a :class:`PendingRequests` where Voilà keeps requests for kernels not yet connected
    (Voilà's ``send_updates`` writes there directly) and return it."""
    waiting = PendingRequests(ttl)
    RequestInfoSocketHandler._cache = waiting
    return waiting


class KernelRequestHandler(RequestInfoSocketHandler):
    """``/voila/query/<kernel id>``: hands a kernel its request, once, and only if the client
    presents that kernel's secret from this machine. Anyone else gets 403 and nothing."""

    def prepare(self) -> None:
        kernel_id = self.path_kwargs.get("kernel_id") or "".join(self.path_args[:1])
        given = self.request.headers.get(SECRET_HEADER, "")
        local = ipaddress.ip_address(self.request.remote_ip or "0.0.0.0").is_loopback
        if not (local and hmac.compare_digest(given.encode(), kernel_secret(kernel_id).encode())):
            raise HTTPError(403, "refused a request channel to %s without its secret", kernel_id)

    def open(self, kernel_id: str) -> None:
        """The kernel has connected: hand it its request if one is waiting (and forget it)."""
        RequestInfoSocketHandler._waiters[kernel_id] = self
        payload = RequestInfoSocketHandler._cache.pop(kernel_id, None)
        if payload is not None:
            self.write_message(payload)

    def on_close(self) -> None:
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id in [k for k, waiter in waiters.items() if waiter is self]:
            del waiters[kernel_id]
