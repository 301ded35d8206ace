"""Step 4 in Debian's Chromium against a real ``lpgp serve``: the chair creates a secret Schulze
vote on the fixed shortlist, cancels another, opens the vote, issues the codes and downloads
both files (the mail-merge CSV and the letters PDF, one page per practice), watches turnout
change as practices vote, looks after codes and ballots, extends the vote, closes it after a
confirmation and reads the results by title.

Every control is driven with one bad input (the red panel names the field and the store is
unchanged) where it takes input, and every control that creates, issues or closes is
double-clicked (one record). axe-core checks each state; screenshots at 1366x768 go to
artifacts/screenshots."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.vote import ballot, electorate, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.errors import NotFound
from lpgp.store.schema import AuditRow
from lpgp.store.schema_vote import (
    VoteBallotRow,
    VoteCodeRow,
    VoteRow,
    VoteSealedBallotRow,
    VoteTurnoutRow,
)
from shells.app.conftest import SCREENSHOTS, Server, start_server
from shells.app.conftest import with_store as _with_store
from shells.app.test_app_browser import accessible, signed_in_tab

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
TITLE = "Spring priorities vote"
DROPPED = "Vote to cancel"
SHORTLIST = (
    "A resilience offer run by practices",
    "A shared bank for hard-to-find staff",
    "Stop hospital work landing in practices",
    "GP leadership in neighbourhood teams",
    "Tell the public what today's practice team does",
)
# What the tests learn on the way and later tests use (one module, one server, in order).
FOUND: dict[str, Any] = {}


def snapshot(server: Server) -> dict[str, Any]:
    """The rows the vote screen changes, in a form to compare."""

    def work(session) -> dict[str, Any]:
        def n(table, *where) -> int:
            return session.scalar(select(func.count()).select_from(table).where(*where))

        return {
            "votes": [
                (r.id, r.title, r.status, r.method, r.secret, r.closes_at, r.closed_at)
                for r in session.scalars(select(VoteRow).order_by(VoteRow.id))
            ],
            "codes": n(VoteCodeRow),
            "live codes": n(VoteCodeRow, VoteCodeRow.revoked_at.is_(None)),
            "turnout": n(VoteTurnoutRow),
            "ballots": n(VoteBallotRow) + n(VoteSealedBallotRow),
            "audit": n(AuditRow),
        }

    return _with_store(server, work)


def audit_count(server: Server, action: str) -> int:
    """How many times the audit log records ``action``."""
    return _with_store(
        server,
        lambda s: s.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == action)
        ),
    )


def our_vote(server: Server) -> vote_rules.Vote:
    def work(session) -> vote_rules.Vote:
        return votes.get_vote(session, places.get_place(session, "haverbrook"), TITLE)

    return _with_store(server, work)


def cast(server: Server, code: str, choice: list[str]) -> None:
    _with_store(server, lambda s: ballot.cast(s, code, choice))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from start_server(tmp_path_factory.mktemp("serve"), pool_size=1)


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator:
    """One signed-in tab for the whole module, on the app's one kernel."""
    with signed_in_tab(server, accept_downloads=True) as tab:
        yield tab


def said(page, text: str) -> str:
    """Wait for the green panel to say ``text``; return all it says."""
    panel = page.locator(".lpgp-status--ok", has_text=text)
    panel.wait_for()
    return panel.inner_text()


def refused(page, text: str) -> str:
    """Wait for the red panel to name ``text``; return what it says."""
    alert = page.locator(".lpgp-status--error", has_text=text)
    alert.wait_for()
    return alert.inner_text()


def button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def download(page, name: str) -> tuple[str, bytes]:
    """Click the download link called ``name``; return the file's suggested name and bytes."""
    with page.expect_download() as waiting:
        page.get_by_role("link", name=name).click()
    saved = waiting.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def screenshot(page, name: str, locator=None) -> None:
    """A 1366x768 screenshot of part of the screen, scrolled into view, to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if locator is not None:
        locator.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def picked(day: date) -> str:
    """A date as the screens show it (written out here, not by the code under test)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def test_create_cancel_open_and_issue_codes(page, server: Server) -> None:
    page.goto(f"{server.url}/voila/render/app.ipynb#vote")
    page.get_by_role("heading", name="Create a vote").wait_for()
    page.get_by_role("heading", name="2027/28 practice vote").wait_for()
    for title in SHORTLIST:
        page.locator("ol.lpgp-plain-list li", has_text=title).wait_for()
    accessible(page, "vote-start")
    screenshot(page, "vote-start", page.get_by_role("heading", name="Practice vote", exact=True))
    screenshot(page, "vote-create-form", page.get_by_role("heading", name="Create a vote"))

    # Create: closing before opening is refused, naming the field; nothing is written.
    today = datetime.now(clock.LONDON).date()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Schulze (Condorcet): Each practice puts the priorities in order").check()
    page.get_by_label("Seats: how many priorities the list holds").fill("2")
    page.get_by_label("Secret: Nobody, the chair included").check()
    page.get_by_label("One practice, one vote").check()
    page.get_by_label("Opening date", exact=True).fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Opening time (London)", exact=True).fill("09:00")
    page.get_by_label("Closing date", exact=True).fill((today - timedelta(days=2)).isoformat())
    page.get_by_label("Closing time (London)", exact=True).fill("17:00")
    page.get_by_text(f"Opens {picked(today - timedelta(days=1))}, 09:00 (London time).").wait_for()
    before = snapshot(server)
    button(page, "Create the vote").click()
    assert refused(page, "Closes") == "Closes: the closing time must be after the opening time"
    assert snapshot(server) == before
    accessible(page, "vote-create-error")
    screenshot(page, "vote-create-error", page.locator(".lpgp-status--error"))

    # Create with good input, double-clicked: one vote.
    closes = today + timedelta(days=7)
    page.get_by_label("Closing date", exact=True).fill(closes.isoformat())
    page.get_by_text(f"Closes {picked(closes)}, 17:00 (London time).").wait_for()
    button(page, "Create the vote").dblclick()
    done = said(page, f"Created “{TITLE}”")
    assert f"closes {picked(closes)}, 17:00" in done
    after = snapshot(server)["votes"]
    assert [v[1:5] for v in after if v[1] == TITLE] == [(TITLE, "scheduled", "schulze", True)]
    assert len(after) == len(before["votes"]) + 1
    summary = page.locator(".lpgp-vote-summary")
    summary.get_by_text("Not opened yet").wait_for()
    assert "Schulze (Condorcet). Each practice puts the priorities in order" in (
        summary.inner_text()
    )
    page.get_by_role("heading", name=TITLE).wait_for()

    # A second vote, cancelled after a confirmation (double-clicked: cancelled once).
    page.get_by_label("Title", exact=True).fill(DROPPED)
    button(page, "Create the vote").click()
    said(page, f"Created “{DROPPED}”")
    button(page, "Cancel this vote…").click()
    page.get_by_text(f"Cancel “{DROPPED}”? It is removed for good").wait_for()
    accessible(page, "vote-cancel-confirm")
    button(page, "Yes, cancel the vote").dblclick()
    said(page, f"Cancelled “{DROPPED}”: it has been removed.")
    assert [v[1] for v in snapshot(server)["votes"]].count(DROPPED) == 0
    assert audit_count(server, "vote.cancelled") == 1

    # The screen is back on the newest running vote: ours, not opened yet.
    page.get_by_role("heading", name=TITLE).wait_for()
    page.get_by_text("A vote that has not been opened can be cancelled").wait_for()
    accessible(page, "vote-not-opened")

    # Open, double-clicked: opened once; the true state reads Open (its time has passed).
    opened = audit_count(server, "vote.opened")
    button(page, "Open the vote").dblclick()
    said(page, f"Opened “{TITLE}” with 41 practices in its electorate")
    summary.get_by_text("Open", exact=True).wait_for()
    assert audit_count(server, "vote.opened") == opened + 1
    page.get_by_text("This vote has been opened, so it cannot be cancelled").wait_for()
    assert button(page, "Cancel this vote…").is_hidden()
    page.get_by_text("0 of 41 practices have voted (0%)").wait_for()
    accessible(page, "vote-opened")

    # Issue codes, double-clicked: issued once, offered as two downloads, once.
    issued = audit_count(server, "code.issued")
    button(page, "Issue codes").dblclick()
    said(page, "Issued 41 codes: save the two files below now.")
    assert audit_count(server, "code.issued") == issued + 1
    assert snapshot(server)["live codes"] == before["live codes"] + 41
    files = page.get_by_role("region", name="Codes just issued")
    files.get_by_text("Save these files now: they cannot be shown again.").wait_for()
    name, data = download(page, "Download the mail-merge file (CSV)")
    assert name == "spring-priorities-vote-codes.csv"
    letters = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(letters) == 41
    assert all(x["Link"] == f"{server.url}/c/{x['Ballot code']}" for x in letters)
    name, pdf = download(page, "Download the letters to print (PDF)")
    assert name == "spring-priorities-vote-codes.pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 41
    first = reader.pages[0].extract_text()
    assert letters[0]["Ballot code"] in first and TITLE in first
    assert button(page, "Issue codes").is_hidden()
    accessible(page, "vote-codes-issued")
    screenshot(page, "vote-codes-issued", files)
    FOUND["letters"] = letters


def test_turnout_codes_and_ballots_while_the_vote_runs(page, server: Server) -> None:
    letters = FOUND["letters"]
    vote = our_vote(server)
    keys = [c.key for c in _with_store(server, lambda s: votes.candidates(s, vote))]
    assert keys == ["A", "B", "C", "D", "E"]
    # Three practices vote (through the library, as the ballot page does).
    cast(server, letters[0]["Ballot code"], ["A", "B", "C"])
    cast(server, letters[1]["Ballot code"], ["B", "A", "C"])
    cast(server, letters[2]["Ballot code"], ["A", "C", "B"])
    turnout = page.locator(".lpgp-vote-turnout")
    turnout.get_by_text("3 of 41 practices have voted (7%)").wait_for(timeout=20_000)
    chart = page.locator("img.lpgp-vote-chart")
    assert chart.get_attribute("alt").startswith("Bar chart of turnout by PCN: ")
    assert "practices voted" in chart.get_attribute("alt")
    page.get_by_role("region", name="Turnout by PCN").wait_for()
    screenshot(page, "vote-turnout", turnout)

    # Reissue one practice's code: none chosen is refused; double-clicked, reissued once.
    before = snapshot(server)
    button(page, "Reissue this practice's code").click()
    assert refused(page, "Practice") == "Practice: choose a practice"
    assert snapshot(server) == before
    accessible(page, "vote-reissue-error")
    lost = letters[3]
    page.get_by_label("Practice", exact=True).select_option(
        label=f"{lost['Practice']} ({lost['ODS code']})"
    )
    reissued = audit_count(server, "code.reissued")
    button(page, "Reissue this practice's code").dblclick()
    said(page, f"Reissued the code of {lost['Practice']} ({lost['ODS code']})")
    assert audit_count(server, "code.reissued") == reissued + 1
    page.get_by_role("heading", name="1 code just issued").wait_for()
    _, data = download(page, "Download the mail-merge file (CSV)")
    (new_line,) = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert new_line["ODS code"] == lost["ODS code"]
    with pytest.raises(NotFound):
        cast(server, lost["Ballot code"], ["A"])
    cast(server, new_line["Ballot code"], ["C", "A", "B"])
    turnout.get_by_text("4 of 41 practices have voted").wait_for(timeout=20_000)

    # Revoke: none chosen is refused; then one practice's code stops working.
    page.get_by_label("Practice", exact=True).select_option(label="Choose a practice")
    before = snapshot(server)
    button(page, "Revoke this practice's code").click()
    assert refused(page, "Practice") == "Practice: choose a practice"
    assert snapshot(server) == before
    gone = letters[4]
    page.get_by_label("Practice", exact=True).select_option(
        label=f"{gone['Practice']} ({gone['ODS code']})"
    )
    button(page, "Revoke this practice's code").click()
    said(page, f"Revoked the code of {gone['ODS code']}")
    assert snapshot(server)["live codes"] == before["live codes"] - 1
    page.get_by_text("1 practice has none").wait_for()
    button(page, "Issue codes").wait_for()

    # Void a ballot: no reason is refused, naming the field; then turnout drops by one.
    voter = letters[1]
    page.get_by_label("Practice whose ballot to void").select_option(
        label=f"{voter['Practice']} ({voter['ODS code']})"
    )
    before = snapshot(server)
    button(page, "Void this ballot").click()
    assert refused(page, "Reason") == "Reason: say why the ballot is void"
    assert snapshot(server) == before
    page.get_by_label("Reason", exact=True).fill("Cast with a code sent to the wrong surgery")
    button(page, "Void this ballot").click()
    said(page, f"Voided the ballot of {voter['ODS code']}")
    turnout.get_by_text("3 of 41 practices have voted").wait_for(timeout=20_000)
    assert snapshot(server)["ballots"] == before["ballots"] - 1

    # Reminders: the practices that have not voted, as a list and a file without codes.
    page.get_by_text("38 practices have not voted yet.").wait_for()
    name, data = download(page, "Download the reminder list (CSV)")
    assert name == "spring-priorities-vote-reminders.csv"
    waiting = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(waiting) == 38 and list(waiting[0]) == ["ODS code", "Practice", "PCN", "Email",
                                                          "Closes"]  # fmt: skip
    assert voter["ODS code"] in {w["ODS code"] for w in waiting}
    accessible(page, "vote-running")

    # Reissue every code after a confirmation that says the old ones stop working.
    button(page, "Reissue all codes…").click()
    warning = page.get_by_text("Every practice's current code stops working at once")
    warning.wait_for()
    accessible(page, "vote-reissue-all-confirm")
    screenshot(page, "vote-reissue-all-confirm", warning)
    everyone = audit_count(server, "code.reissued_all")
    button(page, "Yes, reissue all codes").dblclick()
    said(page, "Reissued all 41 codes: the old codes no longer work.")
    assert audit_count(server, "code.reissued_all") == everyone + 1
    _, data = download(page, "Download the mail-merge file (CSV)")
    fresh = {x["ODS code"]: x["Ballot code"] for x in csv.DictReader(io.StringIO(data.decode()))}
    assert len(fresh) == 41
    # A practice of another PCN votes with its new code; its old one no longer works.
    electors = _with_store(server, lambda s: electorate.electors(s, vote))
    pcn = {e.ods_code: e.pcn for e in electors}
    away = next(x for x in letters if pcn[x["ODS code"]] != pcn[letters[0]["ODS code"]])
    with pytest.raises(NotFound):
        cast(server, away["Ballot code"], ["A"])
    cast(server, fresh[away["ODS code"]], ["B", "C", "A"])
    turnout.get_by_text("4 of 41 practices have voted").wait_for(timeout=20_000)

    # Extend: a time before the current closing time is refused, naming the field.
    before = snapshot(server)
    closes = datetime.now(clock.LONDON).date() + timedelta(days=7)
    page.get_by_label("New closing date").fill(datetime.now(clock.LONDON).date().isoformat())
    page.get_by_label("New closing time (London)").fill("08:00")
    button(page, "Extend the closing time").click()
    assert refused(page, "New closing time").startswith(
        "New closing time: an extension must be later than the current closing time"
    )
    assert snapshot(server) == before
    later = closes + timedelta(days=2)
    page.get_by_label("New closing date").fill(later.isoformat())
    page.get_by_label("New closing time (London)").fill("12:30")
    page.get_by_text(f"Would close {picked(later)}, 12:30 (London time).").wait_for()
    button(page, "Extend the closing time").click()
    said(page, f"Extended “{TITLE}”: it now closes {picked(later)}, 12:30.")
    assert audit_count(server, "vote.extended") == 1


def test_close_with_confirmation_then_read_the_results(page, server: Server) -> None:
    button(page, "Close the vote now…").click()
    page.get_by_text(f"Close “{TITLE}” now? 4 of 41 practices have voted.").wait_for()
    accessible(page, "vote-close-confirm")
    screenshot(page, "vote-close-confirm", page.get_by_role("heading", name="Close the vote"))
    closed = audit_count(server, "vote.closed")
    button(page, "Yes, close the vote now").dblclick()
    said(page, f"Closed “{TITLE}” at")
    assert audit_count(server, "vote.closed") == closed + 1
    page.locator(".lpgp-vote-summary").get_by_text("Closed", exact=True).wait_for()
    assert our_vote(server).status == "closed"
    assert button(page, "Close the vote now…").is_hidden()
    accessible(page, "vote-closed")

    page.get_by_role("link", name="Results", exact=True).last.click()
    page.get_by_role("heading", name="How the count went").wait_for()
    page.get_by_role("heading", name=TITLE).wait_for()
    report = page.locator(".lpgp-screen")
    # Ballots: A>B>C, A>C>B, C>A>B and B>C>A (B>A>C was voided); Schulze for 2 seats.
    chosen = page.locator("ol.lpgp-result-list li").all_inner_texts()
    assert chosen == [SHORTLIST[0], SHORTLIST[2]]
    page.get_by_text("4 of 41 practices voted (10%)").wait_for()
    alt = page.locator("img.lpgp-vote-chart").get_attribute("alt")
    assert alt.startswith("Bar chart of priorities it beats head to head, highest first: ")
    count = page.get_by_role("region", name="The count, by place")
    # A and C are level head to head (2 to 2), so they share first place; A has more first
    # preferences. Each beats the two priorities nobody ranked; A beats B as well.
    assert [
        r.get_by_role("cell").all_inner_texts() for r in count.get_by_role("row").all()[1:3]
    ] == [
        ["1", SHORTLIST[0], "3", "Yes, 1st"],
        ["1", SHORTLIST[2], "2", "Yes, 2nd"],
    ]
    text = report.inner_text()
    explained = text.split("How the count went", 1)[1].split("Head to head", 1)[0]
    assert f"Elected, in order: 1st “{SHORTLIST[0]}”, 2nd “{SHORTLIST[2]}”." in explained
    assert not re.search(r"'[A-E]'", explained)
    head = page.get_by_role("region", name="Head-to-head support")
    assert head.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts()[:4] == [
        SHORTLIST[0],
        "–",
        "2",
        "3",
    ]
    page.get_by_text("There is no cycle of head-to-head wins.").wait_for()
    robust = page.get_by_role("region", name="Robustness check")
    assert robust.get_by_role("columnheader").all_inner_texts() == [
        "Priority",
        "Place by Borda count",
        "Place by Schulze",
        "Place by instant runoff",
        "Methods that choose it",
        "Chance of being chosen when the ballots are drawn again",
    ]
    assert re.fullmatch(r"\d{1,3}%", robust.get_by_role("row").nth(1).get_by_role("cell").last
                        .inner_text())  # fmt: skip
    by_pcn = page.get_by_role("region", name="Results by PCN").inner_text()
    assert "Withheld: fewer than 3 practices in this PCN voted" in by_pcn
    name, data = download(page, "Download the ballots (CSV)")
    assert name == "spring-priorities-vote-ballots.csv"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == 4 and "ODS code" not in rows[0]
    name, data = download(page, "Download the ballots for PrefLib (.soi)")
    assert name == "spring-priorities-vote.soi" and b"# DATA TYPE: soi" in data
    assert "Traceback" not in text and "True" not in text and "schulze" not in text
    accessible(page, "results-closed-vote")
    screenshot(page, "results-top", page.get_by_role("heading", name="Results", exact=True))
    screenshot(page, "results-head-to-head", head)
    assert page.dialogs == []
