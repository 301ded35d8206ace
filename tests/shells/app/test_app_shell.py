"""The workshop app in Debian's Chromium against a real ``lpgp serve``: every screen in one
page and one kernel, the screen named in the address, so links, reload and Back keep the chair
where they were, and nothing is fetched from outside the server."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psutil
import pytest
from system_tools import need_chromium

from shells.app.conftest import SCREENSHOTS, Server, start_server
from shells.app.test_app_browser import ARGS, CHROMIUM, accessible, sign_in, watch_csp

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
CURRENT = "nav.lpgp-nav a[aria-current=page]"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("serve"), pool_size=1)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    need_chromium()  # or skip (fail in CI)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def on_show(page, title: str) -> None:
    page.wait_for_function(
        "([sel, t]) => { const a = document.querySelector(sel); return a && a.textContent === t }",
        arg=[CURRENT, title],
    )


def kernels(server: Server) -> set[int]:
    """The server's kernel processes."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    return {c.pid for c in children if "ipykernel" in " ".join(c.cmdline())}


def test_one_page_one_kernel_and_the_address_names_the_screen(browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    watch_csp(page)
    page.set_default_timeout(120_000)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(server.url) else None,
    )
    sign_in(page, server, "facilitator")
    page.goto(f"{server.url}/voila/render/app.ipynb#vote")
    on_show(page, "Practice vote")
    # This page's kernel, and the two pools (app and home) full again.
    deadline = time.monotonic() + 120
    while len(before := kernels(server)) < 3 and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert len(before) == 3
    for name, title in [("board", "Board and practices"), ("results", "Results"), ("home", "Home")]:
        page.click(f"nav.lpgp-nav a[href$='#{name}']")
        on_show(page, title)
        assert page.url.endswith(f"/voila/render/app.ipynb#{name}")
    assert kernels(server) == before, "switching screens started a kernel"
    page.go_back()
    on_show(page, "Results")
    page.reload()
    on_show(page, "Results")
    page.goto(f"{server.url}/voila/render/app.ipynb#no-such-screen")
    page.reload()
    on_show(page, "Home")  # the app opens on its home screen, then reads the address
    page.get_by_text("There is no screen called “no-such-screen”").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    accessible(page, "app-home")
    assert outside == [], f"requests left the server: {outside}"
    context.close()
