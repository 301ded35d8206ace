"""Step 7 in Debian's Chromium against a real ``lpgp serve`` whose clock is fixed (``LPGP_NOW``):
the chair adds, edits and cancels meetings of both boards; proposes an agenda for a 120-minute
meeting that keeps to its length and to the 80% rule; moves, retimes, adds and drops items and
watches the split and the advice change; and records a meeting's decisions and minutes. Every
control is driven with good input, with bad input (the red panel names the field and the store
is unchanged) and with a double click (one record); axe-core checks each state and screenshots
at 1366x768 go to artifacts/screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from lpgp import clock
from lpgp.cycle.agendas.agenda_service import agenda_items, drop_item
from lpgp.cycle.agendas.meeting import cancel_meeting, list_meetings
from lpgp.cycle.agendas.meeting_rules import Meeting
from lpgp.cycle.board import place as places
from lpgp.cycle.exports.collect import collect_meeting
from lpgp.store.schema import AuditRow
from lpgp.ui.agendas import option_label
from shells.app.conftest import Server, start_server
from shells.app.conftest import with_store as _with_store
from shells.app.test_app_browser import accessible, signed_in_tab
from shells.app.test_app_screens_decide import button, refused, said

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
APP = "/voila/render/app.ipynb"
NOW = "2027-05-04T09:30:00"  # London: the server's and this module's today is Tue 4 May 2027
BOARD = "Leadership board: hub deep dive"
AWAY = "Leadership board: away day"
PLACE_BOARD = "Haverbrook place partnership board"
WELCOME = "Welcome, last meeting's decisions and actions"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # The demo's dates are relative to today: the demo is made on the server's fixed today.
    servers = start_server(
        tmp_path_factory.mktemp("serve"), pool_size=1, extra_env={"LPGP_NOW": NOW}
    )
    with clock.frozen(NOW):
        running = next(servers)
    yield running
    servers.close()


def with_store(server: Server, work: Callable[[Any], Any]) -> Any:
    """:func:`conftest.with_store` on the server's fixed today."""
    with clock.frozen(NOW):
        return _with_store(server, work)


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator:
    """One signed-in tab for the whole module, on the app's one kernel."""
    with signed_in_tab(server, locale="en-GB", timezone_id="Europe/London") as tab:
        tab.goto(f"{server.url}{APP}#agendas")
        tab.get_by_role("heading", name="Meetings", exact=True).wait_for()
        yield tab


def meetings(server: Server) -> dict[str, Meeting]:
    """The demo place's meetings (being delivered) by title."""

    def work(session) -> dict[str, Meeting]:
        place = places.get_place(session, "haverbrook")
        return {m.title: m for m in list_meetings(session, place)}

    return with_store(server, work)


def snapshot(server: Server) -> dict[str, Any]:
    """What this screen changes, in a form to compare."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        out = {}
        for m in list_meetings(session, place):
            out[m.title] = (
                m.board.value,
                m.starts_at,
                m.duration_minutes,
                m.location,
                m.video_link,
                m.attendees,
                m.cancelled,
                tuple(d.text for d in m.decisions),
                m.minutes_text,
                tuple(
                    (i.position, i.title, i.minutes, i.kind.value)
                    for i in agenda_items(session, place, m.id)
                ),
            )
        return out

    return with_store(server, work)


def logged(server: Server, action: str) -> int:
    """How many times the audit log records ``action``."""
    return with_store(
        server,
        lambda s: s.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == action)
        ),
    )


def refused_unchanged(page, server: Server, says: str, before: dict) -> str:
    """The red panel starts with ``says`` (the field's name) and nothing was written."""
    message = refused(page, says)
    assert message.startswith(says), message
    assert snapshot(server) == before
    return message


def pick(page, server: Server, title: str) -> None:
    """Choose a meeting by title in the "Meeting" picker and wait for its form."""
    page.get_by_label("Meeting", exact=True).select_option(
        label=option_label(meetings(server)[title])
    )
    page.get_by_role("heading", name=f"The meeting: {title}").wait_for()


def no_snake_case(page) -> None:
    body = page.inner_text("body")
    for word in ("place_based", "business_as_usual", "system_item", "innovation_change", "True"):
        assert word not in body, word
    assert "2027-" not in body  # dates in words, never ISO


def test_add_edit_and_cancel_meetings(page, server: Server) -> None:
    listing = page.get_by_role("region", name="Meetings")
    assert listing.get_by_role("row", name=PLACE_BOARD).get_by_role("cell").all_inner_texts()[
        1:
    ] == [
        "Place-based partnership board",
        PLACE_BOARD,
        "90 minutes",
        "Haverbrook Civic Centre, committee room 2",
        "40% of 75 minutes",
        "Held",
    ]
    no_snake_case(page)
    accessible(page, "agendas-open")

    # Add: without a board, or with a length in words, it is refused naming the field.
    page.get_by_label("Meeting", exact=True).select_option(label="New meeting")
    page.get_by_role("heading", name="Add a meeting").wait_for()
    page.get_by_label("Title", exact=True).fill(BOARD)
    page.get_by_label("Date", exact=True).fill("2027-05-25")
    page.get_by_label("Start time (London)").fill("14:00")
    page.get_by_label("Meeting length in minutes").fill("two hours")
    before = snapshot(server)
    button(page, "Add meeting").click()
    refused_unchanged(page, server, "board: choose which board meets", before)
    page.get_by_label("Board", exact=True).select_option(label="General practice leadership board")
    button(page, "Add meeting").click()
    refused_unchanged(
        page, server, "meeting length in minutes: 'two hours' is not a whole number", before
    )
    accessible(page, "agendas-add-error")

    # Good input, double-clicked: one meeting.
    page.get_by_label("Meeting length in minutes").fill("120")
    page.get_by_text("Starts Tue 25 May 2027, 14:00 (London time); ends 16:00.").wait_for()
    page.get_by_label("Location").fill("Haverbrook Health Centre, room 4")
    for name in ("Dr Tom Pritchard", "Dr Amara Okafor"):
        page.get_by_label(name, exact=True).check()
    added = logged(server, "meeting.added")
    button(page, "Add meeting").dblclick()
    said(page, f"Added {BOARD} on Tue 25 May 2027, 14:00")
    assert logged(server, "meeting.added") == added + 1
    made = meetings(server)[BOARD]
    assert (made.duration_minutes, made.attendees) == (120, ("Dr Amara Okafor", "Dr Tom Pritchard"))
    assert made.starts_at == datetime(2027, 5, 25, 13, 0, tzinfo=made.starts_at.tzinfo)
    page.get_by_role("heading", name=f"Agenda: {BOARD}").wait_for()
    page.get_by_text("No items yet: propose an agenda, or add items one by one.").wait_for()
    assert listing.get_by_role("row", name=BOARD).get_by_role("cell").all_inner_texts()[-1] == (
        "Coming"
    )
    accessible(page, "agendas-added")

    # Edit: a blank title is refused; the good edit, double-clicked, is one audited change.
    page.get_by_label("Title", exact=True).fill("  ")
    before = snapshot(server)
    button(page, "Save changes").click()
    refused_unchanged(page, server, "title: a meeting needs a title", before)
    page.get_by_label("Title", exact=True).fill(BOARD)
    page.get_by_label("Video link").fill("https://meet.example/hub")
    page.get_by_label("Start time (London)").fill("13:30")
    page.get_by_label("Dr Amara Okafor", exact=True).uncheck()
    edits = logged(server, "meeting.edited")
    button(page, "Save changes").dblclick()
    said(page, f"Saved the changes to {BOARD} (Tue 25 May 2027, 13:30).")
    assert logged(server, "meeting.edited") == edits + 1
    edited = meetings(server)[BOARD]
    assert (edited.video_link, edited.attendees) == (
        "https://meet.example/hub",
        ("Dr Tom Pritchard",),
    )
    assert "Haverbrook Health Centre, room 4 and online" in listing.inner_text()

    # A second meeting, which someone else cancels while the chair is about to: refused by
    # name, nothing changes.
    page.get_by_label("Meeting", exact=True).select_option(label="New meeting")
    page.get_by_role("heading", name="Add a meeting").wait_for()
    page.get_by_label("Board", exact=True).select_option(label="General practice leadership board")
    page.get_by_label("Title", exact=True).fill(AWAY)
    page.get_by_label("Date", exact=True).fill("2027-06-15")
    page.get_by_label("Start time (London)").fill("09:00")
    page.get_by_label("Meeting length in minutes").fill("240")
    button(page, "Add meeting").click()
    said(page, f"Added {AWAY}")
    button(page, "Cancel this meeting…").click()
    page.get_by_text(f"Cancel {AWAY} on Tue 15 Jun 2027, 09:00?").wait_for()
    accessible(page, "agendas-cancel-confirm")
    button(page, "Keep the meeting").click()
    button(page, "Yes, cancel the meeting").wait_for(state="hidden")
    button(page, "Cancel this meeting…").click()
    away = meetings(server)[AWAY]
    with_store(
        server,
        lambda s: cancel_meeting(
            s, places.get_place(s, "haverbrook"), away.id, actor="someone else"
        ),
    )
    before = snapshot(server)
    button(page, "Yes, cancel the meeting").click()
    message = refused(page, AWAY)
    assert message == f"'{AWAY}' was cancelled on 4 May 2027: it takes no more changes"
    assert snapshot(server) == before
    accessible(page, "agendas-cancel-error")


def test_propose_change_and_split(page, server: Server) -> None:
    pick(page, server, BOARD)
    split = page.locator(".lpgp-agenda-split")

    # Propose: a line without minutes is refused, naming the field and the line.
    system = page.get_by_label("Items the system brings (one a line: title, then minutes)")
    system.fill("ICB update on winter funding: 15\nEstates strategy")
    before = snapshot(server)
    button(page, "Propose an agenda").click()
    refused_unchanged(page, server, "items the system brings, line 2: 'Estates strategy'", before)
    accessible(page, "agendas-propose-error")

    # Good input, double-clicked: one proposal that keeps to the 120 minutes and the rule.
    system.fill("ICB update on winter funding: 15\nEstates strategy: 15")
    proposed = logged(server, "agenda.proposed")
    button(page, "Propose an agenda").dblclick()
    said(page, "Proposed 8 items taking 120 minutes of 120 minutes: 80% innovation")
    assert logged(server, "agenda.proposed") == proposed + 1
    items = snapshot(server)[BOARD][-1]
    assert len(items) == 8 and sum(i[2] for i in items) == 120
    assert (items[0][1], items[-2][1:], items[-1][1:]) == (
        WELCOME,
        ("ICB update on winter funding", 10, "system_item"),
        ("Estates strategy", 4, "system_item"),
    )
    split.get_by_text(
        "80% innovation, change and improvement (96 of 120 min): meets the 80% rule"
    ).wait_for()
    split.get_by_text("The items take 120 minutes of the meeting's 120 minutes.").wait_for()
    agenda = page.get_by_role("region", name="Agenda", exact=True)
    assert agenda.get_by_role("row", name="ICB update on winter funding").get_by_role(
        "cell"
    ).all_inner_texts() == [
        "7",
        "15:16–15:26",
        "ICB update on winter funding",
        "10 minutes",
        "Item the system brings",
        "–",
    ]
    no_snake_case(page)
    accessible(page, "agendas-proposed")

    # Retime: 0 minutes is refused naming the field; the preview updates as the chair types;
    # the welcome at 30 minutes takes the meeting below 80%, and the advice says what to cut.
    page.get_by_label("Agenda item").select_option(label=f"1. {WELCOME} (10 minutes)")
    minutes = page.get_by_label("New length in minutes")
    minutes.fill("0")
    before = snapshot(server)
    button(page, "Change its length").click()
    refused_unchanged(
        page, server, f"new length in minutes: '{WELCOME}' needs a whole number of minutes", before
    )
    minutes.fill("30")
    page.get_by_text(
        "With 30 minutes for this item: 68% innovation, change and improvement (96 of 140 "
        "minutes), which is below the 80% rule; it runs 20 minutes over the meeting."
    ).wait_for()
    retimed = logged(server, "agenda.item_retimed")
    button(page, "Change its length").dblclick()
    said(page, f"'{WELCOME}' now takes 30 minutes: 68% innovation")
    assert logged(server, "agenda.item_retimed") == retimed + 1
    split.get_by_text("68% innovation, change and improvement (96 of 140 min)").wait_for()
    warning = split.locator(".lpgp-warning", has_text="Below 80%.").inner_text()
    assert "To meet it: drop 'ICB update on winter funding' (10 minutes); drop 'Estates " in warning
    assert f"shorten '{WELCOME}' by 6 minutes (to 24)" in warning
    split.get_by_text("Runs over. The items take 140 minutes, 20 minutes more").wait_for()
    accessible(page, "agendas-below-80")

    # Move: the first item cannot go up; down, double-clicked, moves it one place.
    page.get_by_label("Agenda item").select_option(label=f"1. {WELCOME} (30 minutes)")
    before = snapshot(server)
    button(page, "Move up").click()
    refused_unchanged(page, server, f"agenda item: '{WELCOME}' is first already", before)
    moved = logged(server, "agenda.item_moved")
    button(page, "Move down").dblclick()
    said(page, f"Moved '{WELCOME}' to number 2.")
    assert logged(server, "agenda.item_moved") == moved + 1
    assert [i[1] for i in snapshot(server)[BOARD][-1]][1] == WELCOME

    # Add: a blank title is refused; good input, double-clicked, adds one item.
    page.get_by_label("Item length in minutes").fill("20")
    page.get_by_label("Kind of item").select_option(label="Innovation, change and improvement")
    page.get_by_text("With this item added: 72% innovation").wait_for()
    before = snapshot(server)
    button(page, "Add the item").click()
    refused_unchanged(page, server, "item title: say what the item is", before)
    page.get_by_label("Item title").fill("Hub pilot: what the first month showed")
    page.get_by_label("Presenter").select_option(label="Dr Tom Pritchard")
    button(page, "Add the item").dblclick()
    said(page, "Added 'Hub pilot: what the first month showed' (20 minutes)")
    items = snapshot(server)[BOARD][-1]
    assert len(items) == 9 and items[-1][1:] == (
        "Hub pilot: what the first month showed",
        20,
        "innovation_change_improvement",
    )

    # Drop: an item someone else has just dropped is refused by name; a double click drops one.
    page.get_by_label("Agenda item").select_option(label="8. Estates strategy (4 minutes)")
    board = meetings(server)[BOARD]

    def elsewhere(session) -> None:
        place = places.get_place(session, "haverbrook")
        gone = next(
            i for i in agenda_items(session, place, board.id) if i.title == "Estates strategy"
        )
        drop_item(session, place, board.id, gone.id, actor="someone else")

    with_store(server, elsewhere)
    before = snapshot(server)
    button(page, "Drop the item").click()
    refused_unchanged(page, server, f"meeting {board.id} has no agenda item", before)
    page.get_by_label("Agenda item").select_option(
        label="7. ICB update on winter funding (10 minutes)"
    )
    button(page, "Drop the item").dblclick()
    said(page, "Dropped 'ICB update on winter funding' from the agenda.")
    assert [i[1] for i in snapshot(server)[BOARD][-1]].count("ICB update on winter funding") == 0
    assert len(snapshot(server)[BOARD][-1]) == 7
    accessible(page, "agendas-changed")


def test_decisions_minutes_and_a_cancelled_invite(page, server: Server) -> None:
    # A meeting still to come takes no decisions yet.
    pick(page, server, BOARD)
    page.get_by_text("Record the meeting's decisions and minutes once it has started.").wait_for()
    assert button(page, "Record the decision").is_hidden()

    pick(page, server, PLACE_BOARD)
    decisions = page.get_by_role("region", name="Decisions")
    decisions.get_by_role("row", name="Same-day hub agreed in principle").wait_for()
    before = snapshot(server)
    page.get_by_label("Decision", exact=True).fill("   ")
    button(page, "Record the decision").click()
    refused_unchanged(page, server, "decision: say in a sentence what the meeting decided", before)
    page.get_by_label("Decision", exact=True).fill("The trust will reply on the interface audit")
    page.get_by_label("Priority it concerns").select_option(index=2)
    recorded = logged(server, "meeting.decision")
    button(page, "Record the decision").dblclick()
    said(page, f"Recorded the decision of {PLACE_BOARD}.")
    assert logged(server, "meeting.decision") == recorded + 1
    assert (
        decisions.get_by_role("row", name="The trust will reply")
        .get_by_role("cell")
        .all_inner_texts()[0]
        == "Tue 4 May 2027"
    )

    minutes = page.get_by_label("Minutes of the meeting")
    minutes.fill("x" * 4001)
    before = snapshot(server)
    button(page, "Save the minutes").click()
    refused_unchanged(page, server, "minutes: keep them short, at most 4,000 characters", before)
    minutes.fill("Two asks heard; the hub agreed in principle.")
    saved = logged(server, "meeting.minutes")
    button(page, "Save the minutes").dblclick()
    said(page, f"Saved the minutes of {PLACE_BOARD}.")
    assert logged(server, "meeting.minutes") == saved + 1
    assert snapshot(server)[PLACE_BOARD][8] == "Two asks heard; the hub agreed in principle."
    accessible(page, "agendas-decisions")

    # Cancel the meeting whose agenda was built, double-clicked: one cancellation; it stays
    # in the list as cancelled, and its invite goes out as a cancellation.
    pick(page, server, BOARD)
    button(page, "Cancel this meeting…").click()
    page.get_by_label("Reason for cancelling (optional)").fill("Clashes with the ICB away day")
    cancels = logged(server, "meeting.cancelled")
    button(page, "Yes, cancel the meeting").dblclick()
    said(page, f"Cancelled {BOARD} on Tue 25 May 2027, 13:30.")
    assert logged(server, "meeting.cancelled") == cancels + 1
    page.get_by_text(f"'{BOARD}' was cancelled on 4 May 2027.").wait_for()
    listing = page.get_by_role("region", name="Meetings")
    assert listing.get_by_role("row", name=BOARD).get_by_role("cell").all_inner_texts()[-1] == (
        "Cancelled"
    )
    assert button(page, "Save changes").is_hidden() and button(page, "Add the item").is_hidden()
    board = meetings(server)[BOARD]
    invite = with_store(
        server, lambda s: collect_meeting(s, places.get_place(s, "haverbrook"), board.id)
    )
    assert invite.cancelled and invite.sequence >= 2
    assert page.dialogs == []
    accessible(page, "agendas-cancelled")
