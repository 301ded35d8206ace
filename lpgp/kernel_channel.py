"""The kernel's end of the channel that hands a preheated kernel its request.

Kept apart from the server's end (:mod:`lpgp.web.kernel_request`) so that a kernel imports
nothing of Jupyter's server to collect its request.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading

SECRET_ENV = "LPGP_KERNEL_SECRET"
SECRET_HEADER = "X-Lpgp-Kernel-Secret"


def _channel_url(kernel_id: str) -> str:
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{kernel_id}"


async def _receive(url: str, secret: str) -> str | None:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    request = HTTPRequest(url, headers={SECRET_HEADER: secret}, connect_timeout=5)
    connection = await websocket_connect(request)
    try:
        message = await connection.read_message()
    finally:
        connection.close()
    return message if isinstance(message, str) else None


def wait_for_request() -> None:
    """In a kernel Voilà preheated: wait until Voilà hands over the request this kernel now
    serves, presenting the kernel's secret, and put it in the environment (as
    ``voila.utils.wait_for_request`` does). Returns at once in any other kernel."""
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    url = _channel_url(os.environ.get("VOILA_KERNEL_ID", ""))
    secret = os.environ.get(SECRET_ENV, "")
    received: list[str | None] = []
    # The kernel's own event loop is busy running this cell: wait on another thread's.
    worker = threading.Thread(target=lambda: received.append(asyncio.run(_receive(url, secret))))
    worker.start()
    worker.join()
    if received and received[0] is not None:
        os.environ.update(json.loads(received[0]))
