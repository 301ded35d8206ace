"""The light pages against a real ``lpgp serve``: "Check your answers" before a ballot is
cast (ranked, approval and points), the result and the receipt lookup after close, the
scoring sheet's empty boxes, and a board member sent to sign in by the facilitator pages.
Over HTTP where no browser is needed; in Debian's Chromium, at phone width, with axe-core's
WCAG 2.2 A/AA checks on every new page state, where it is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from html import unescape

import pytest
import requests
from system_tools import need_chromium

from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.vote import ballot, electorate, recount, vote_rules
from lpgp.cycle.vote import vote as votes
from shells.app.conftest import Server, start_server, with_store
from shells.app.test_app_browser import ARGS, CHROMIUM, accessible, sign_in, watch_csp

pytestmark = pytest.mark.slow

TITLES = {
    "A": "Same-day access hub",
    "B": "Shared estates plan",
    "C": "Results & letters <b>go</b> back",
    "D": "Frailty plan shared by all",
}
CANDIDATES = [vote_rules.CandidateText(k, t, f"About {k}.", f"Ask {k}.") for k, t in TITLES.items()]


def _add_votes(server: Server) -> dict:
    """Two open votes (ranked, points) and two closed ones (secret ranked, named approval)
    in the demo place, each with the codes the tests sign in with."""

    def work(s) -> dict:
        place = places.get_place(s, "haverbrook")
        now = clock.now().replace(tzinfo=None, microsecond=0)
        made: dict = {}

        def new(title: str, method: str, **kw) -> tuple[vote_rules.Vote, list]:
            v = votes.create_vote(
                s, place, title=title, method=method, seats=2, opens=now - timedelta(days=1),
                closes=now + timedelta(days=2), candidates=CANDIDATES, seed="t", actor="test",
                **kw,
            )  # fmt: skip
            v = votes.open_vote(s, place, v, actor="test")
            return v, ballot.issue_codes(s, v, actor="test")

        for name, method, kw in [
            ("ranked", "schulze", {}),
            ("points", "points", {"budget": 10}),
            ("twice", "irv", {}),
        ]:
            v, letters = new(f"Test {name} vote", method, **kw)
            made[name], made[f"{name}_vote"] = letters[0].code, v.id
            made[f"{name}_ods"] = letters[0].ods_code
        plans = {
            "secret": (
                "schulze",
                True,
                "equal",
                [["D"], ["B", "A", "C"]],
                [["B", "C"], ["A", "B"]],
            ),
            "named": ("approval", False, "list_size", [["A"], ["A", "C"]], [["C"], ["A", "C"]]),
        }
        for name, (method, secret, weighting, mine, others) in plans.items():
            v, letters = new(f"Closed {name} vote", method, secret=secret, weighting=weighting)
            made[f"{name}_old"] = ballot.cast(s, letters[0].code, mine[0]).receipt
            made[f"{name}_receipt"] = ballot.cast(s, letters[0].code, mine[1]).receipt
            made[f"{name}_others"] = [
                ballot.cast(s, x.code, b).receipt for x, b in zip(letters[1:], others, strict=False)
            ]
            made[name], made[f"{name}_ods"] = letters[0].code, letters[0].ods_code
            made[f"{name}_practice"] = letters[0].practice
            weights = {e.ods_code: e.weight for e in electorate.electors(s, v)}
            made[f"{name}_weight"] = int(weights[letters[0].ods_code])
            votes.close_vote(s, place, v, actor="test")
        return made

    return with_store(server, work)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for started in start_server(tmp_path_factory.mktemp("serve"), pool_size=0):
        started.codes.update(_add_votes(started))
        yield started


def ballots_of(server: Server, vote_id: int) -> set:
    """The vote's counted ballots (receipt and content) and its turnout: a snapshot."""

    def read(s) -> set:
        vote = votes.get_vote(s, places.get_place(s, "haverbrook"), vote_id)
        stored = {(b.receipt, repr(b.content["ballot"])) for b in votes.counted_ballots(s, vote)}
        return stored | {("turnout", votes.turnout(s, vote).voted)}

    return with_store(server, read)


def current_ballot(server: Server, code: str) -> tuple:
    def read(s) -> tuple:
        form = ballot.ballot_form(s, ballot.voter_for_code(s, code))
        return form.current, form.receipt

    return with_store(server, read)


def practice(server: Server, name: str) -> requests.Session:
    web = requests.Session()
    answer = web.get(f"{server.url}/c/{server.codes[name]}", timeout=20)
    assert answer.status_code == 200 and answer.url.endswith("/ballot"), answer.text
    return web


def token(web: requests.Session, server: Server) -> str:
    page = web.get(f"{server.url}/ballot", timeout=10).text
    return page.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]


def hidden(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the page's ballot form (not the form token)."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return [(n, unescape(v)) for n, v in found if n != "_xsrf"]


def selected(page: str, key: str) -> str | None:
    select = re.search(rf'name="r-{key}".*?</select>', page, re.S)
    assert select, key
    chosen = re.search(r'<option value="(\d+)" selected>', select.group(0))
    return chosen.group(1) if chosen else None


def text_of(page: str) -> str:
    """The page's text, tags dropped and spaces folded, as a reader sees it."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


def found(page: str) -> str:
    """The text of the receipt lookup's answer."""
    seen = text_of(page)
    return seen.split("belongs to. ", 1)[1].split(" Receipt For example", 1)[0]


# ---- Check your answers, over HTTP ---------------------------------------------------------


def test_a_ranked_ballot_is_checked_changed_and_only_then_cast(server: Server) -> None:
    vote_id = server.codes["ranked_vote"]
    web = practice(server, "ranked")
    xsrf = token(web, server)
    before = ballots_of(server, vote_id)
    sent = {"_xsrf": xsrf, "step": "check", "r-A": "2", "r-B": "1", "r-C": "", "r-D": "4"}
    check = web.post(f"{server.url}/ballot", data=sent, timeout=20)
    assert check.status_code == 200
    seen = text_of(check.text)
    assert "Check your answers" in seen
    assert "You ranked 1, 2 and 4: we have read that as 1, 2 and 3." in seen
    assert (
        "Rank 1 Shared estates plan Rank 2 Same-day access hub "
        "Rank 3 Frailty plan shared by all Not ranked Results & letters <b>go</b> back"
    ) in seen
    assert "<b>go</b>" not in check.text  # the title is escaped, not markup
    assert hidden(check.text) == [("r-A", "2"), ("r-B", "1"), ("r-D", "4")]
    assert ballots_of(server, vote_id) == before  # nothing stored before confirmation

    change = web.post(
        f"{server.url}/ballot", data=[("_xsrf", xsrf), ("step", "change"), *hidden(check.text)]
    )
    assert change.status_code == 200
    assert [selected(change.text, k) for k in "ABCD"] == ["2", "1", None, "4"]
    assert "Check your answers" not in change.text
    assert ballots_of(server, vote_id) == before

    cast = web.post(
        f"{server.url}/ballot",
        data=[("_xsrf", xsrf), ("step", "cast"), *hidden(check.text)],
        allow_redirects=False,
        timeout=20,
    )
    assert cast.status_code == 302 and cast.headers["Location"] == "/ballot?cast=1"
    current, receipt = current_ballot(server, server.codes["ranked"])
    assert current == ["B", "A", "D"]
    receipt_page = web.get(f"{server.url}/ballot?cast=1", timeout=10).text
    assert "Your ballot is recorded" in receipt_page and receipt in receipt_page


def test_tied_ranks_are_shown_on_the_form_with_the_entries_kept(server: Server) -> None:
    vote_id = server.codes["ranked_vote"]
    web = practice(server, "ranked")
    xsrf = token(web, server)
    before = ballots_of(server, vote_id)
    for step in ("check", "cast"):  # the form, or hidden fields changed on the way back
        sent = {"_xsrf": xsrf, "step": step, "r-A": "1", "r-B": "1", "r-C": "3", "r-D": ""}
        answer = web.post(f"{server.url}/ballot", data=sent, timeout=20)
        assert answer.status_code == 400, step
        seen = text_of(answer.text)
        assert "There is a problem" in seen and "Traceback" not in seen
        assert "'Same-day access hub' and 'Shared estates plan' share rank 1" in seen
        assert 'href="#c-A"' in answer.text and 'id="c-B-error"' in answer.text
        assert [selected(answer.text, k) for k in "ABCD"] == ["1", "1", "3", None]
        assert "Check your answers" not in seen
    assert ballots_of(server, vote_id) == before


def test_points_and_approval_ballots_are_checked_before_casting(server: Server) -> None:
    vote_id = server.codes["points_vote"]
    web = practice(server, "points")
    xsrf = token(web, server)
    before = ballots_of(server, vote_id)
    over = web.post(
        f"{server.url}/ballot", data={"_xsrf": xsrf, "p-A": "6", "p-C": "5"}, timeout=20
    )
    assert over.status_code == 400 and "11 points were given but the budget is 10" in over.text
    check = web.post(
        f"{server.url}/ballot", data={"_xsrf": xsrf, "p-A": "3", "p-C": "4", "p-B": ""}
    )
    seen = text_of(check.text)
    assert check.status_code == 200 and "Check your answers" in seen
    assert "You gave 7 of your 10 points: the other 3 are not used." in seen
    assert "Same-day access hub 3 points" in seen
    assert "Results & letters <b>go</b> back 4 points" in seen
    assert hidden(check.text) == [("p-A", "3"), ("p-C", "4")]
    assert ballots_of(server, vote_id) == before
    cast = web.post(
        f"{server.url}/ballot",
        data=[("_xsrf", xsrf), ("step", "cast"), *hidden(check.text)],
        allow_redirects=False,
    )
    assert cast.status_code == 302
    assert current_ballot(server, server.codes["points"])[0] == {"A": 3, "C": 4}

    web = practice(server, "practice")  # the demo's open approval vote
    xsrf = token(web, server)
    form = web.get(f"{server.url}/ballot", timeout=10).text
    keys = re.findall(r'name="choice" value="([^"]+)"', form)
    check = web.post(f"{server.url}/ballot", data={"_xsrf": xsrf, "choice": keys[:2]})
    assert "Priorities your practice supports" in check.text
    assert hidden(check.text) == [("choice", keys[0]), ("choice", keys[1])]
    assert current_ballot(server, server.codes["practice"]) == (None, None)


def test_a_cast_needs_the_form_token(server: Server) -> None:
    vote_id = server.codes["twice_vote"]
    web = practice(server, "twice")
    before = ballots_of(server, vote_id)
    answer = web.post(f"{server.url}/ballot", data={"step": "cast", "r-A": "1"}, timeout=10)
    assert answer.status_code == 403
    assert ballots_of(server, vote_id) == before


# ---- after close, over HTTP -----------------------------------------------------------------


def test_after_close_the_page_shows_the_result_and_finds_receipts(server: Server) -> None:
    web = practice(server, "secret")
    page = text_of(web.get(f"{server.url}/ballot", timeout=10).text)
    # Schulze, by hand: B beats A 2-1 and every other; A beats C 2-1 and D 2-0.
    assert (
        "The board takes these priorities forward, in this order: "
        "Shared estates plan Same-day access hub"
    ) in page
    assert re.search(r"3 of 41 practices voted \(7%\), with \d+% of the registered patients", page)
    xsrf = token(web, server)

    def look_up(typed: str) -> requests.Response:
        return web.post(
            f"{server.url}/ballot", data={"_xsrf": xsrf, "step": "lookup", "receipt": typed}
        )

    mine = look_up(server.codes["secret_receipt"].lower().replace("-", " "))
    assert mine.status_code == 200
    assert found(mine.text) == (
        f"The published ballot with receipt {server.codes['secret_receipt']} "
        "Rank 1 Shared estates plan Rank 2 Same-day access hub "
        "Rank 3 Results & letters <b>go</b> back"
    )
    other = look_up(server.codes["secret_others"][1]).text
    assert found(other) == (
        f"The published ballot with receipt {server.codes['secret_others'][1]} "
        "Rank 1 Same-day access hub Rank 2 Shared estates plan"
    )  # a secret vote's published ballot: no practice, no weight

    # The receipt this practice was given before it changed its ballot, and one nobody was
    # given: the same answer, so a lookup tells nothing the published list does not.
    answers = []
    for typed in (server.codes["secret_old"], "XXX-XXX-XXX"):
        answer = look_up(typed)
        assert answer.status_code == 200
        assert "No published ballot has that receipt." in answer.text
        answers.append(re.sub(r'value="[^"]*"', "", answer.text))
    assert answers[0] == answers[1]

    blank = look_up("  ")
    assert blank.status_code == 200 and "Type the receipt you want to look up." in blank.text

    def published_receipts(s) -> set:
        voter = ballot.voter_for_code(s, server.codes["secret"])
        return {b.receipt for b in recount.published_ballots(s, voter.vote)}

    published = with_store(server, published_receipts)
    assert published == {server.codes["secret_receipt"], *server.codes["secret_others"]}


def test_a_named_votes_lookup_names_the_practice(server: Server) -> None:
    web = practice(server, "named")
    page = text_of(web.get(f"{server.url}/ballot", timeout=10).text)
    assert (
        "in this order: Results & letters <b>go</b> back Same-day access hub "
        "3 of 41 practices voted"
    ) in page  # approval weighted by list size: C on all 3 ballots, A on 2, nothing else
    xsrf = token(web, server)
    answer = web.post(
        f"{server.url}/ballot",
        data={"_xsrf": xsrf, "step": "lookup", "receipt": server.codes["named_receipt"]},
    )
    practice_name = f"{server.codes['named_practice']} ({server.codes['named_ods']})"
    assert found(answer.text) == (
        f"The published ballot with receipt {server.codes['named_receipt']} "
        "Supported Same-day access hub Supported Results & letters <b>go</b> back "
        f"Counts as {server.codes['named_weight']:,} patients Practice {practice_name}"
    )


def test_a_lookup_on_an_open_vote_finds_nothing(server: Server) -> None:
    web = practice(server, "twice")
    xsrf = token(web, server)
    answer = web.post(
        f"{server.url}/ballot", data={"_xsrf": xsrf, "step": "lookup", "receipt": "ABC"}
    )
    assert answer.status_code == 200
    assert "Find a ballot by its receipt" not in answer.text
    assert "No published ballot" not in answer.text


# ---- the facilitator pages' sign-in redirect, over HTTP --------------------------------------


def test_a_member_sent_by_the_facilitator_pages_is_told_why(server: Server) -> None:
    member = server.signed_in("member")
    answer = member.get(f"{server.url}/voila/render/app.ipynb", timeout=20)
    assert answer.status_code == 403
    assert answer.url.startswith(f"{server.url}/sign-in?next=")
    seen = text_of(answer.text)
    assert (
        "These pages are for the board's facilitators. "
        "You are signed in as Dr Tom Pritchard, a board member."
    ) in seen
    assert 'href="/score"' in answer.text and 'name="code"' not in answer.text
    web = practice(server, "twice")
    answer = web.get(f"{server.url}/voila/render/app.ipynb", timeout=20)
    assert answer.status_code == 403 and 'href="/ballot"' in answer.text
    stranger = requests.get(f"{server.url}/voila/render/app.ipynb", timeout=20)
    assert stranger.status_code == 200 and 'name="code"' in stranger.text  # signing in
    assert member.get(f"{server.url}/sign-in", timeout=10).status_code == 200
    assert server.kernels() == 0


def test_the_scoring_sheet_names_its_empty_boxes(server: Server) -> None:
    web = server.signed_in("other_member")
    sheet = web.get(f"{server.url}/score", timeout=10).text
    boxes = re.findall(r'<select class="[^"]*" id="(s-\d+-[a-z_]+)"', sheet)
    assert len(boxes) >= 4
    assert f"All {len(boxes)} boxes are still empty." in sheet
    assert "Still empty" not in sheet  # nothing to pick out before the first mark
    xsrf = sheet.split('name="_xsrf" value="', 1)[1].split('"', 1)[0]
    filled = {name: "3" for name in boxes[: len(boxes) - 3]}
    saved = web.post(f"{server.url}/score", data={"_xsrf": xsrf, **filled}, timeout=20).text
    assert "3 boxes are still empty:" in saved
    assert saved.count("Still empty</span>") == 3
    assert f'href="#{boxes[-3]}"' in saved  # the first of them, from the summary
    marked = re.findall(
        r'lpgp-form-group--empty">\s*<label class="lpgp-label" for="([^"]+)"', saved
    )
    assert marked == boxes[-3:]


# ---- in Chromium, at phone width -------------------------------------------------------------

playwright = pytest.importorskip("playwright.sync_api")
PHONE = {"width": 360, "height": 740}
# Every drop-down at least as wide as its longest option's text, plus its padding, borders
# and arrow (measured with the drop-down's own font); the names of any that are not.
NARROW_SELECTS = """() => [...document.querySelectorAll('select')].filter(s => {
  const ctx = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(s);
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const widest = Math.max(...[...s.options].map(o => ctx.measureText(o.text).width));
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
  return room < widest;
}).map(s => s.id)"""
# Fieldsets whose legend reaches above the top of their border box (the border is drawn
# through the legend): a legend inside the box starts at or below the top border.
CROSSED_LEGENDS = """() => [...document.querySelectorAll('fieldset')].filter(f => {
  const legend = f.querySelector(':scope > legend');
  if (!legend) return false;
  const border = parseFloat(getComputedStyle(f).borderTopWidth);
  return border > 0 && legend.getBoundingClientRect().top < f.getBoundingClientRect().top + border;
}).length"""
# Receipts whose text runs over more than one line.
BROKEN_RECEIPTS = """() => [...document.querySelectorAll('.lpgp-receipt')].filter(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
}).length"""


@pytest.fixture(scope="module")
def browser() -> Iterator:
    need_chromium()  # or skip (fail in CI)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    watch_csp(tab)
    yield tab
    context.close()


def fits(tab, name: str) -> None:
    """axe-core's checks, no sideways scrolling at 360 px, and the form details."""
    accessible(tab, name)
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert tab.evaluate(NARROW_SELECTS) == [], name
    assert tab.evaluate(CROSSED_LEGENDS) == 0, name
    assert tab.evaluate(BROKEN_RECEIPTS) == 0, name


def test_a_phone_checks_its_ranking_changes_it_and_casts_it_once(phone, server: Server) -> None:
    vote_id = server.codes["twice_vote"]
    before = ballots_of(server, vote_id)
    phone.goto(f"{server.url}/c/{server.codes['twice']}")
    phone.get_by_role("heading", name="Test twice vote").wait_for()
    fits(phone, "ballot-ranked-phone")
    phone.get_by_label(TITLES["A"]).select_option("1")
    phone.get_by_label(TITLES["B"]).select_option("1")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("alert").filter(has_text="share rank 1").wait_for()
    assert phone.get_by_label(TITLES["B"]).input_value() == "1"  # the entries are kept
    fits(phone, "ballot-ranked-tie-phone")

    phone.get_by_label(TITLES["B"]).select_option("2")
    phone.get_by_label(TITLES["D"]).select_option("4")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Check your answers").wait_for()
    phone.get_by_text("You ranked 1, 2 and 4: we have read that as 1, 2 and 3.").wait_for()
    assert ballots_of(server, vote_id) == before
    fits(phone, "ballot-ranked-check-phone")

    phone.get_by_role("button", name="Change").click()
    phone.get_by_role("button", name="Continue").wait_for()
    values = [phone.get_by_label(TITLES[k]).input_value() for k in "ABCD"]
    assert values == ["1", "2", "", "4"]
    fits(phone, "ballot-ranked-changed-phone")

    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("button", name="Cast our ballot").dblclick()
    phone.get_by_role("heading", name="Your ballot is recorded").wait_for()
    fits(phone, "ballot-ranked-receipt-phone")
    after = ballots_of(server, vote_id)
    assert ("turnout", 0) in before and ("turnout", 1) in after
    assert len(after) == len(before) + 1  # one ballot, however many clicks
    assert current_ballot(server, server.codes["twice"])[0] == ["A", "B", "D"]
    for width in range(320, 481, 8):  # the receipt line ends in a different place each time
        phone.set_viewport_size({"width": width, "height": 740})
        phone.goto(f"{server.url}/ballot")
        assert phone.evaluate(BROKEN_RECEIPTS) == 0, width


def test_points_and_approval_check_pages_on_a_phone(phone, server: Server) -> None:
    phone.goto(f"{server.url}/c/{server.codes['points']}")
    for key, points in zip("ABCD", ["", "6", "", "5"], strict=True):  # over the earlier ballot
        phone.get_by_label(TITLES[key]).fill(points)
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("alert").filter(has_text="11 points were given").wait_for()
    fits(phone, "ballot-points-over-phone")
    phone.get_by_label(TITLES["D"]).fill("4")
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Check your answers").wait_for()
    fits(phone, "ballot-points-check-phone")

    phone.goto(f"{server.url}/c/{server.codes['practice']}")
    if server.codes["practice_ods"] != server.codes["points_ods"]:  # signed in as that above
        phone.get_by_role("button", name="Continue as practice").click()
    boxes = phone.get_by_role("checkbox")
    boxes.nth(0).check()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_role("heading", name="Priorities your practice supports").wait_for()
    fits(phone, "ballot-approval-check-phone")


def test_a_closed_votes_page_on_a_phone(phone, server: Server) -> None:
    phone.goto(f"{server.url}/c/{server.codes['secret']}")
    phone.get_by_role("heading", name="The result").wait_for()
    fits(phone, "ballot-closed-result-phone")
    receipt = phone.get_by_label("Receipt", exact=True)
    receipt.fill(server.codes["secret_receipt"])
    phone.get_by_role("button", name="Find the ballot").click()
    phone.get_by_role("status").filter(has_text="The published ballot with receipt").wait_for()
    assert phone.evaluate("location.hash") == "#lookup"
    fits(phone, "ballot-closed-lookup-found-phone")
    phone.get_by_label("Receipt", exact=True).fill("NOT-A-RECEIPT")
    phone.get_by_role("button", name="Find the ballot").click()
    phone.get_by_text("No published ballot has that receipt.").wait_for()
    fits(phone, "ballot-closed-lookup-none-phone")
    phone.get_by_label("Receipt", exact=True).fill("")
    phone.get_by_role("button", name="Find the ballot").click()
    phone.get_by_role("alert").filter(has_text="Type the receipt").wait_for()
    fits(phone, "ballot-closed-lookup-blank-phone")


def test_member_pages_on_a_phone(phone, server: Server) -> None:
    sign_in(phone, server, "member")
    phone.goto(f"{server.url}/voila/render/app.ipynb")
    phone.get_by_role("heading", name="This page is for facilitators").wait_for()
    fits(phone, "member-facilitators-only-phone")
    phone.get_by_role("link", name="Go to your scoring sheet").click()
    phone.get_by_role("heading", name="Your scoring sheet").wait_for()

    sign_in(phone, server, "other_member")
    phone.goto(f"{server.url}/score")
    selects = phone.locator("select")
    count = selects.count()
    for i in range(count):
        selects.nth(i).select_option("4" if i < count - 2 else "")
    phone.get_by_role("button", name="Save my scores").click()
    phone.get_by_role("heading", name="Your scores are saved").wait_for()
    phone.get_by_text("2 boxes are still empty:").wait_for()
    assert phone.get_by_text("Still empty", exact=True).count() == 2
    fits(phone, "scoring-sheet-empty-boxes-phone")
