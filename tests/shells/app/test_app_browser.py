"""In Debian's Chromium (never a downloaded browser) against a real ``lpgp serve``: sign-in,
wrong codes, member and facilitator pages, escaping, phone width, and axe-core's WCAG 2.2
A/AA checks on every page state. Screenshots go to artifacts/screenshots (git-ignored)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from system_tools import CHROMIUM, need_chromium

from shells.app.conftest import SCREENSHOTS, Server, start_server

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


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


@pytest.fixture
def page(browser, request: pytest.FixtureRequest):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    watch_csp(tab)
    yield tab
    context.close()


def watch_csp(tab) -> None:
    """Keep in ``tab.csp`` every Content-Security-Policy violation Chromium reports: the
    tests run under the pages' real policy, and a style or script it blocks is a bug."""
    tab.csp = []
    tab.on("console", lambda m: tab.csp.append(m.text) if "Security Policy" in m.text else None)


def accessible(page, name: str) -> None:
    """Save a screenshot and fail on any WCAG 2.2 A/AA violation axe-core finds, or on
    anything the page's Content-Security-Policy blocked so far (:func:`watch_csp`)."""
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}) {v['nodes'][0]['html'][:120]}"
        for v in results.response["violations"]
    ]
    assert problems == [], name
    assert getattr(page, "csp", []) == [], name


def sign_in(page, server: Server, code_name: str) -> None:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("Your code").fill(server.codes[code_name])
    page.get_by_role("button", name="Sign in").click()


@contextlib.contextmanager
def signed_in_tab(server: Server, who: str = "facilitator", **options) -> Iterator:
    """A tab in Debian's Chromium at 1366x768, signed in with the code called ``who``: the
    one tab a screen module drives, on the app's one kernel. A dialog is dismissed and its
    message kept in ``tab.dialogs``; ``options`` go to the browser context (a locale, a time
    zone, ``accept_downloads``)."""
    need_chromium()  # or skip (fail in CI)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, **options)
        tab = context.new_page()
        tab.set_default_timeout(90_000)
        tab.dialogs = []
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
        watch_csp(tab)
        sign_in(tab, server, who)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def test_sign_in_page_and_wrong_code(page, server: Server) -> None:
    page.goto(f"{server.url}/")
    assert page.url.endswith("/sign-in")
    accessible(page, "sign-in")
    page.get_by_label("Your code").fill("WRONG-CODE")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert "not recognised" in page.content()
    accessible(page, "sign-in-wrong-code")


def test_sign_in_fits_a_phone(browser, server: Server) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    watch_csp(tab)
    tab.goto(f"{server.url}/sign-in")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    box = tab.get_by_role("button", name="Sign in").bounding_box()
    assert box["height"] >= 44
    tab.screenshot(path=str(SCREENSHOTS / "sign-in-phone.png"), full_page=True)
    context.close()


def test_member_pages(page, server: Server) -> None:
    sign_in(page, server, "member")
    assert "Hello, Dr Tom Pritchard" in page.content()
    assert "Workshop app" not in page.content()
    accessible(page, "member-home")
    page.get_by_role("link", name="Your scoring sheet").click()
    accessible(page, "scoring-sheet")


def test_facilitator_home_and_screens(page, server: Server) -> None:
    sign_in(page, server, "facilitator")
    page.get_by_role("link", name="Workshop app").click()
    page.get_by_role("heading", name="The cycle at a glance").wait_for()
    page.get_by_text("41 practices, 10 board members").wait_for()
    assert "Traceback" not in page.content()
    accessible(page, "facilitator-home")
    page.goto(f"{server.url}/voila/render/board.ipynb")
    page.get_by_role("heading", name="Board and practices").wait_for()
    page.get_by_text("<img src=x onerror=alert(1)>").first.wait_for()
    assert page.dialogs == []
    accessible(page, "facilitator-board")


def test_member_fills_in_the_scoring_sheet(page, server: Server) -> None:
    sign_in(page, server, "other_member")
    page.get_by_role("link", name="Your scoring sheet").click()
    page.get_by_role("heading", name="Your scoring sheet").wait_for()
    assert page.get_by_text("<img src=x onerror=alert(1)>").count() == 1
    accessible(page, "scoring-sheet-open")
    for select in page.locator("select").all():
        select.select_option("4")
    page.locator("select").first.select_option("can't judge")
    page.get_by_role("button", name="Save my scores").click()
    page.get_by_role("heading", name="Your scores are saved").wait_for()
    assert page.locator("select").first.input_value() == "can't judge"
    assert page.dialogs == []
    accessible(page, "scoring-sheet-saved")


def test_practice_votes_then_facilitator_closes_and_sees_results(browser, server: Server) -> None:
    practice = browser.new_context(viewport={"width": 360, "height": 800})
    tab = practice.new_page()
    tab.set_default_timeout(60_000)
    watch_csp(tab)
    tab.goto(f"{server.url}/c/{server.codes['practice']}")
    assert tab.url == f"{server.url}/ballot"
    tab.get_by_role("heading", name="2027/28 practice vote").wait_for()
    accessible(tab, "ballot-open")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360

    chair = browser.new_context(viewport={"width": 1100, "height": 900})
    results = chair.new_page()
    results.set_default_timeout(90_000)
    watch_csp(results)
    sign_in(results, server, "facilitator")
    results.goto(f"{server.url}/voila/render/vote.ipynb")
    results.get_by_text("19 of 41 practices have voted (46%).").wait_for()
    accessible(results, "facilitator-results-open")

    boxes = tab.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(1).check()
    tab.get_by_role("button", name="Continue").click()
    tab.get_by_role("heading", name="Check your answers").wait_for()
    tab.get_by_role("button", name="Cast our ballot").click()
    tab.get_by_role("heading", name="Your ballot is recorded").wait_for()
    first_receipt = tab.locator(".lpgp-receipt").inner_text()
    accessible(tab, "ballot-receipt")
    results.get_by_text("20 of 41 practices have voted (49%).").wait_for(timeout=15_000)

    boxes = tab.get_by_role("checkbox")
    assert boxes.nth(0).is_checked() and boxes.nth(1).is_checked()
    boxes.nth(1).uncheck()
    tab.get_by_role("button", name="Continue").click()
    tab.get_by_role("button", name="Cast our ballot").click()
    tab.get_by_role("heading", name="Your ballot is recorded").wait_for()
    assert tab.locator(".lpgp-receipt").inner_text()
    assert not tab.get_by_role("checkbox").nth(1).is_checked()
    assert first_receipt

    results.get_by_role("button", name="Close the vote now…").click()
    sure = "Close “2027/28 practice vote” now? 20 of 41 practices have voted."
    results.get_by_text(sure).wait_for()
    results.get_by_role("button", name="Yes, close the vote now").click()
    results.get_by_text("Closed “2027/28 practice vote” at").wait_for()
    results.goto(f"{server.url}/voila/render/results.ipynb")
    results.get_by_role("heading", name="2027/28 practice vote").wait_for()
    results.get_by_role("heading", name="How the count went").wait_for()
    accessible(results, "facilitator-results-closed")

    tab.reload()
    tab.get_by_text("This vote closed at").wait_for()
    assert tab.get_by_role("button", name="Continue").count() == 0
    tab.get_by_role("heading", name="The result").wait_for()
    accessible(tab, "ballot-closed")
    practice.close()
    chair.close()


def test_agenda_below_80_percent_warns(page, server: Server) -> None:
    sign_in(page, server, "facilitator")
    page.goto(f"{server.url}/voila/render/agendas.ipynb")
    page.get_by_role("heading", name="Board agendas").wait_for()
    page.get_by_role("alert").filter(has_text="Below 80%").wait_for()
    assert "Only 40% of the time" in page.content()
    accessible(page, "facilitator-agenda-warning")


def test_ballot_error_state_when_code_is_wrong_in_a_link(page, server: Server) -> None:
    page.goto(f"{server.url}/c/NOT-A-REAL-CODE")
    assert page.get_by_role("alert").is_visible()
    accessible(page, "link-wrong-code")


def test_candidates_page_escapes_titles_and_advises_while_typing(page, server: Server) -> None:
    sign_in(page, server, "other_facilitator")
    page.goto(f"{server.url}/voila/render/candidates.ipynb")
    page.get_by_role("heading", name="Candidate priorities").wait_for()
    page.get_by_role("cell", name="<img src=x onerror=alert(1)>").wait_for()
    assert "Otherfield" in page.content() and "Haverbrook" not in page.content()
    page.get_by_label("Title").fill("More GPs and more money")
    page.get_by_text("This reads like a resource ask").wait_for()
    assert page.dialogs == []
    accessible(page, "facilitator-candidates")


@pytest.mark.parametrize(
    "notebook", ["shortlist", "vote", "agreed", "actions", "asks", "exports", "analyst"]
)
def test_other_facilitator_pages_are_accessible(page, server: Server, notebook: str) -> None:
    sign_in(page, server, "facilitator")
    page.goto(f"{server.url}/voila/render/{notebook}.ipynb")
    page.locator(".lpgp-header__place").wait_for()
    page.wait_for_load_state("networkidle")
    assert "Traceback" not in page.content()
    accessible(page, f"facilitator-{notebook}")
