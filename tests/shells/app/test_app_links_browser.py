"""Private links followed in Debian's Chromium against a real ``lpgp serve``: clicked in web
mail (a page on another site, 127.0.0.2), typed, or planted for a browser already signed in
as someone else; what the tab's history and the browser's own history keep afterwards; and a
facilitator notebook still running with session-bound form tokens."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from system_tools import need_chromium

from shells.app.conftest import Server, start_server
from shells.app.test_app_browser import ARGS, CHROMIUM

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("serve"), pool_size=1)


@pytest.fixture(scope="module")
def mail(server: Server) -> Iterator[str]:
    """Web mail on another site: a page at 127.0.0.2 holding each code's private link."""
    links = "".join(
        f'<p><a id="{name}" href="{server.url}/c/{code}">{name}</a></p>'
        for name, code in server.codes.items()
    )
    body = f"<!doctype html><title>Mail</title>{links}".encode()

    class Mail(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.2", 0), Mail)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    need_chromium()  # or skip (fail in CI)
    with playwright.sync_playwright() as p:
        yield p.chromium


@pytest.fixture
def browser(chromium, tmp_path: Path) -> Iterator:
    """A browser with a profile of its own on disk, so its history can be read afterwards."""
    context = chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=ARGS, headless=True
    )
    context.set_default_timeout(60_000)
    context.profile = tmp_path / "profile"
    yield context
    context.close()


def tab_history(page) -> list[str]:
    """Every address in the tab's back list, from the current one back to the first."""
    seen = [page.url]
    for _ in range(page.evaluate("history.length")):
        page.go_back()
        if page.url == seen[-1]:
            break
        seen.append(page.url)
    return seen


def test_a_practice_clicking_its_link_in_web_mail_lands_on_its_ballot(
    browser,
    server: Server,
    mail: str,
) -> None:
    code = server.codes["practice"]
    tab = browser.new_page()
    tab.goto(mail)
    tab.click("#practice")
    tab.wait_for_url(f"{server.url}/ballot")
    tab.get_by_role("heading", name="2027/28 practice vote").wait_for()
    assert tab.evaluate("location.href") == f"{server.url}/ballot"
    cookies = {c["name"]: c for c in browser.cookies(server.url)}
    assert cookies["lpgp_session"]["sameSite"] == "Lax" and cookies["lpgp_session"]["httpOnly"]
    assert cookies["lpgp_ballot"]["sameSite"] == "Lax"
    # The tab's history: the mail page, then the ballot. Neither the link nor the one-step
    # page that brought the session along (replaced by its own refresh) is in it.
    back = tab_history(tab)
    assert back[:2] == [f"{server.url}/ballot", mail]
    assert not [url for url in back if "/c/" in url]
    for _ in back[1:]:
        tab.go_forward()
    assert tab.url == f"{server.url}/ballot"
    tab.get_by_role("heading", name="2027/28 practice vote").wait_for()

    # The browser's own history of visited pages (chrome://history, the address bar's
    # suggestions) does keep the link, code and all, as it keeps every address followed.
    browser.close()
    database = sqlite3.connect(next(browser.profile.rglob("History")))
    try:
        visited = [row[0] for row in database.execute("SELECT url FROM urls")]
    finally:
        database.close()
    assert f"{server.url}/c/{code}" in visited and f"{server.url}/ballot" in visited


def test_a_link_opened_directly_leaves_only_the_ballot_in_the_tab(
    browser,
    server: Server,
) -> None:
    tab = browser.new_page()
    tab.goto(f"{server.url}/c/{server.codes['practice']}).")
    assert tab.url == f"{server.url}/ballot"
    tab.get_by_role("heading", name="2027/28 practice vote").wait_for()
    assert not [url for url in tab_history(tab) if "/c/" in url]


def test_a_planted_link_asks_a_signed_in_facilitator_first(
    browser,
    server: Server,
    mail: str,
) -> None:
    tab = browser.new_page()
    tab.goto(f"{server.url}/sign-in")
    tab.get_by_label("Your code").fill(server.codes["facilitator"])
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text("Hello, Dr Amara Okafor").wait_for()
    cookies = {c["name"]: c for c in browser.cookies(server.url)}
    assert cookies["lpgp_session"]["sameSite"] == "Strict"  # withheld on a cross-site click

    tab.goto(mail)
    tab.click("#practice")  # a link anyone could have sent
    tab.get_by_role("heading", name="Continue as practice").wait_for()
    assert "You are signed in as Dr Amara Okafor" in tab.inner_text("main")
    tab.get_by_role("link", name="No, stay signed in as Dr Amara Okafor").click()
    tab.get_by_text("Hello, Dr Amara Okafor").wait_for()

    # The facilitator pages still render and run: the notebook's kernel and its requests
    # use the _xsrf cookie, which now holds the session's own token.
    tab.goto(f"{server.url}/voila/render/home.ipynb")
    tab.get_by_role("heading", name="The cycle at a glance").wait_for()
    tab.get_by_text("41 practices, 10 board members").wait_for()
    assert "Traceback" not in tab.content()

    tab.goto(mail)
    tab.click("#practice")
    tab.get_by_role("button", name="Continue as practice").click()
    tab.wait_for_url(f"{server.url}/ballot")
    tab.get_by_role("heading", name="2027/28 practice vote").wait_for()
