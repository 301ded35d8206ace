"""The channel that hands a preheated kernel the chair's request (cookie included) opens only
for that kernel: tried as an attacker against a real ``lpgp serve`` with its pools on, and
Voilà's own ``send_updates`` against lpgp's channel on a real socket for the waiting rules."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psutil
import pytest
import tornado.web
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketClientConnection, websocket_connect
from voila.request_info_handler import RequestInfoSocketHandler
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from lpgp.kernel_channel import SECRET_HEADER
from lpgp.web.kernel_request import KernelRequestHandler, PendingRequests, kernel_secret
from lpgp.web.server import FACILITATOR_POOLS
from shells.app.conftest import Server, start_server

KERNEL = "0b5e4a6c-1f7e-4a53-9d7e-1c2b3a4d5e6f"
OTHER_KERNEL = "7d1c0e9a-2b3c-4d5e-8f90-a1b2c3d4e5f6"


@pytest.fixture(scope="module")
def pooled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("serve")
    for server in start_server(tmp, pool_size=1):
        yield server, tmp / "serve.log"


def pool_kernel_ids(server: Server, count: int) -> list[str]:
    """Kernel ids as anyone on the machine sees them in ``ps``."""
    deadline = time.monotonic() + 120
    while True:
        found = []
        for child in psutil.Process(server.process.pid).children(recursive=True):
            match = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
            if match:
                found.append(match.group(1))
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def refused_status(url: str, **headers: str) -> int | None:
    """The HTTP status an attacker's websocket gets, or None if it was let in (and then
    whatever it was sent is a leak)."""
    try:
        with connect(url, additional_headers=headers, open_timeout=20) as sock:
            with contextlib.suppress(TimeoutError):
                pytest.fail(f"let in and sent {sock.recv(timeout=30)!r}")
            return None
    except InvalidStatus as refused:
        return refused.response.status_code


@pytest.mark.slow
def test_an_attacker_cannot_take_the_chairs_request(pooled: tuple[Server, Path]) -> None:
    server, log = pooled
    kernels = pool_kernel_ids(server, len(FACILITATOR_POOLS))
    assert len(kernels) == len(FACILITATOR_POOLS)
    ws = server.url.replace("http://", "ws://")
    for kernel_id in kernels:
        channel = f"{ws}/voila/query/{kernel_id}"
        assert refused_status(channel) == 403
        assert refused_status(channel, **{SECRET_HEADER: secrets.token_hex(32)}) == 403
    chair = server.signed_in("facilitator")
    page = chair.get(f"{server.url}/voila/render/home.ipynb", timeout=180)
    assert page.status_code == 200
    # The kernel had the chair's session: the page's screen was displayed, and no cell failed.
    assert "application/vnd.jupyter.widget-view+json" in page.text
    assert "There was an error when executing cell" not in page.text
    used = re.findall(r"Using pre-heated kernel: (\S+) for home.ipynb", log.read_text())
    assert used and used[0] in kernels


@contextlib.asynccontextmanager
async def channel(waiting: PendingRequests) -> AsyncIterator[str]:
    """lpgp's request channel on a real socket, with ``waiting`` as Voilà's store of requests."""
    saved = RequestInfoSocketHandler._cache
    RequestInfoSocketHandler._cache = waiting
    app = tornado.web.Application(
        [(r"/voila/query/(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)", KernelRequestHandler)]
    )
    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(app)
    server.add_sockets(sockets)
    try:
        yield f"ws://127.0.0.1:{sockets[0].getsockname()[1]}/voila/query/"
    finally:
        server.stop()
        await server.close_all_connections()
        RequestInfoSocketHandler._cache = saved
        RequestInfoSocketHandler._waiters.clear()


async def kernel_connects(base: str, kernel_id: str, secret: str) -> WebSocketClientConnection:
    request = HTTPRequest(base + kernel_id, headers={SECRET_HEADER: secret})
    return await websocket_connect(request)


def chair_opens(kernel_id: str, cookie: str) -> None:
    """What Voilà does when a facilitator opens a page from the kernel's pool."""
    RequestInfoSocketHandler.send_updates(
        {"kernel_id": kernel_id, "payload": {"HTTP_COOKIE": cookie}}
    )


def test_a_request_no_kernel_collects_expires() -> None:
    async def run() -> None:
        now = [0.0]
        waiting = PendingRequests(ttl=60, clock=lambda: now[0])
        async with channel(waiting) as base:
            chair_opens(KERNEL, "first")
            assert KERNEL in waiting
            now[0] = 60.0
            assert len(waiting) == 0
            kernel = await kernel_connects(base, KERNEL, kernel_secret(KERNEL))
            chair_opens(KERNEL, "second")
            assert json.loads(await kernel.read_message()) == {"HTTP_COOKIE": "second"}
            kernel.close()

    asyncio.run(run())


def test_a_request_is_handed_over_once() -> None:
    async def run() -> None:
        waiting = PendingRequests()
        async with channel(waiting) as base:
            chair_opens(KERNEL, "first")
            kernel = await kernel_connects(base, KERNEL, kernel_secret(KERNEL))
            assert json.loads(await kernel.read_message()) == {"HTTP_COOKIE": "first"}
            assert len(waiting) == 0
            again = await kernel_connects(base, KERNEL, kernel_secret(KERNEL))
            chair_opens(KERNEL, "second")
            assert json.loads(await again.read_message()) == {"HTTP_COOKIE": "second"}
            kernel.close()
            again.close()

    asyncio.run(run())


def test_a_kernels_secret_opens_only_its_own_channel() -> None:
    async def run() -> None:
        async with channel(PendingRequests()) as base:
            chair_opens(KERNEL, "cookie")
            for secret in (kernel_secret(OTHER_KERNEL), "", kernel_secret(KERNEL)[:-1]):
                with pytest.raises(HTTPClientError) as refused:
                    await kernel_connects(base, KERNEL, secret)
                assert refused.value.code == 403
            assert KERNEL in RequestInfoSocketHandler._cache

    asyncio.run(run())
