"""Step 6 in Debian's Chromium against a real ``lpgp serve`` whose clock is fixed (``LPGP_NOW``):
the chair reads the action tracker (attention first, RAG chips with words, stale and overdue
flags), filters it, adds an action, updates one with a dated note and reads its history,
imports a file of actions, reads where each ask of the system stands and records what the
place-based board did with one, and picks an earlier cycle. Every control is driven with good
input, with bad input (the red panel names the field and the store is unchanged) and, for
every button that writes, with a double click (one record); axe-core checks each state and
screenshots at 1366x768 go to artifacts/screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lpgp import clock
from lpgp.cycle.actions.tracker import action_updates, add_action, list_actions
from lpgp.cycle.actions.tracker_rules import ActionInput, Status, spoken_date
from lpgp.cycle.agendas.ask import ask_log
from lpgp.cycle.agendas.meeting import add_meeting, list_meetings
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.agreed.priority import confirm_list, delivery_cycle, list_priorities
from lpgp.cycle.agreed.priority_rules import PriorityInput
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import list_people
from lpgp.store.schema import AuditRow
from lpgp.ui.format import day
from shells.app.conftest import XSS, Server, start_server
from shells.app.conftest import with_store as _with_store
from shells.app.test_app_browser import accessible, signed_in_tab
from shells.app.test_app_screens_board import choose_file, look
from shells.app.test_app_screens_decide import button, refused, said

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
APP = "/voila/render/app.ipynb"
NOW = "2027-05-04T09:30:00"  # London: the server's and this module's today is Tue 4 May 2027
TODAY = date(2027, 5, 4)
LIST = "Actions, what needs attention first"
NEW_ACTION = "Book rooms for the hub's evening sessions"


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
        yield tab


@pytest.fixture(scope="module")
def demo(server: Server) -> dict[str, Any]:
    """What the demo place delivers: its cycle, priorities, people and place-board meeting."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        return {
            "cycle": delivery_cycle(session, place).name,
            "priorities": [f"{p.position}. {p.title}" for p in list_priorities(session, place)],
            "meeting": list_meetings(session, place, board=Board.PLACE_BASED)[0],
            "people": {p.name: p.role.label for p in list_people(session, place)},
            "actions": [(a.owner, a.priority_position) for a in list_actions(session, place)],
        }

    return with_store(server, work)


def snapshot(server: Server) -> dict[str, Any]:
    """The rows these screens write, in a form to compare."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        return {
            "actions": [
                (a.id, a.priority_id, a.title, a.owner_id) for a in list_actions(session, place)
            ],
            "updates": [
                (u.action_id, u.on, u.status, u.due, u.note) for u in action_updates(session, place)
            ],
            "asks": [
                (e.priority_id, e.outcome, e.on, e.meeting_id, e.note)
                for e in ask_log(session, place)
            ],
        }

    return with_store(server, work)


def logged(server: Server, action: str) -> int:
    """How many times the audit log records ``action``."""
    return with_store(
        server,
        lambda s: s.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == action)
        ),
    )


def cells(row) -> list[str]:
    """The texts of a table row's cells, once the row is there."""
    row.wait_for()
    return row.get_by_role("cell").all_inner_texts()


def column(region, index: int) -> list[str]:
    """The texts of one column of a table's body rows."""
    rows = region.locator("tbody tr")
    return [rows.nth(i).locator("td").nth(index).inner_text() for i in range(rows.count())]


def no_snake_case(page) -> None:
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    for word in ("not_started", "on_track", "at_risk", "off_track", "place_based", "True", "False"):
        assert word not in body, word
    assert "2027-" not in body and "2026-" not in body  # dates in words, never ISO


def refused_unchanged(page, server: Server, before: dict, says: str) -> str:
    """The red panel says ``says`` (which starts with the field's name) and nothing was
    written; the whole message is returned."""
    message = refused(page, says)
    assert message.startswith(says), message
    assert snapshot(server) == before
    return message


def test_action_list_attention_first_with_filters(page, server: Server, demo) -> None:
    page.goto(f"{server.url}{APP}#actions")
    page.get_by_role("heading", name="Update an action").wait_for()
    page.get_by_text(f"Cycle: {demo['cycle']}.").wait_for()
    table = page.get_by_role("region", name=LIST)
    table.locator("tbody tr").first.wait_for()
    no_snake_case(page)
    # Attention first: overdue (red whatever the status says), then the rest; every chip says
    # its word, and an overdue action says by how much.
    rags = column(table, 0)
    attention = column(table, 5)
    assert rags[0] == "Red" and attention[0].startswith("Overdue by ")
    overdue = [i for i, a in enumerate(attention) if a.startswith("Overdue")]
    assert overdue == list(range(len(overdue)))
    assert all(rags[i] == "Red" for i in overdue)
    assert set(rags) <= {"Red", "Amber", "Green", "Grey", "Complete"}
    assert rags[-1] == "Complete"
    assert any("no update since" in a.lower() for a in attention)  # stale actions are flagged
    chip = table.locator(".lpgp-chip--red").first
    assert chip.inner_text() == "Red"
    accessible(page, "deliver-actions")

    # Filters: each narrows the list; together they can leave nothing, said in words.
    total = table.locator("tbody tr").count()
    page.get_by_label("Filter by RAG").select_option(label="Red")
    page.wait_for_function(
        "n => document.querySelectorAll('.lpgp-table tbody tr').length < n", arg=total
    )
    assert set(column(table, 0)) == {"Red"}
    accessible(page, "deliver-actions-red")
    page.get_by_label("Filter by RAG").select_option(label="Any")
    owners = [o for o, _ in demo["actions"]]
    busiest = max(set(owners), key=owners.count)
    elsewhere = next(
        label
        for number, label in enumerate(demo["priorities"], start=1)
        if (busiest, number) not in demo["actions"]
    )
    page.get_by_label("Filter by owner").select_option(label=busiest)
    page.wait_for_function(
        "n => document.querySelectorAll('.lpgp-table tbody tr').length === n",
        arg=owners.count(busiest),
    )
    assert set(column(table, 2)) == {busiest}
    page.get_by_label("Filter by priority").select_option(label=elsewhere)
    page.get_by_text("No actions match these filters.").wait_for()
    accessible(page, "deliver-actions-no-match")
    page.get_by_label("Filter by owner").select_option(label="Any")
    table.locator("tbody tr").first.wait_for()
    hint = "Priority " + elsewhere.replace(". ", ": ", 1)
    assert all(a.endswith(hint) for a in column(table, 1))
    page.get_by_label("Filter by priority").select_option(label="Any")
    page.wait_for_function(
        "n => document.querySelectorAll('.lpgp-table tbody tr').length === n", arg=total
    )


def test_add_an_action(page, server: Server, demo) -> None:
    page.goto(f"{server.url}{APP}#actions")
    page.get_by_role("heading", name="Add an action").wait_for()
    before = snapshot(server)
    priority = page.get_by_label("Priority", exact=True)
    title = page.get_by_label("Title", exact=True)
    owner = page.get_by_label("Owner", exact=True)
    due = page.get_by_label("Due date", exact=True)

    # Each field's bad input is refused naming it, and nothing is written.
    title.fill(NEW_ACTION)
    button(page, "Add action").click()
    refused_unchanged(page, server, before, "priority: choose the priority the action serves")
    look(page, "deliver-actions-add-error")
    priority.select_option(label=demo["priorities"][0])
    title.fill("   ")
    button(page, "Add action").click()
    refused_unchanged(page, server, before, "title: an action needs a title")
    title.fill("x" * 301)
    button(page, "Add action").click()
    refused_unchanged(page, server, before, "title: 301 characters is too long")
    title.fill(NEW_ACTION)
    button(page, "Add action").click()
    refused_unchanged(page, server, before, "owner: choose who owns the action")
    owner.select_option(label=f"Owen Tranter ({demo['people']['Owen Tranter']})")
    button(page, "Add action").click()
    refused_unchanged(page, server, before, "due date: choose the date the action is due")

    # Good input, double-clicked: one action, its first note escaped, shown green on track.
    due.fill("2027-06-15")
    page.get_by_label("Starting status").select_option(label="On track")
    page.get_by_label("First note (optional)").fill(XSS)
    added = logged(server, "action.added")
    button(page, "Add action").dblclick()
    said(page, f"Added '{NEW_ACTION}' (Owen Tranter, due Tue 15 Jun 2027, RAG green).")
    after = snapshot(server)
    assert logged(server, "action.added") == added + 1
    assert len(after["actions"]) == len(before["actions"]) + 1
    new = [u for u in after["updates"] if u not in before["updates"]]
    assert [(u[1], u[2], u[3], u[4]) for u in new] == [(TODAY, "on_track", date(2027, 6, 15), XSS)]
    row = page.get_by_role("region", name=LIST).get_by_role("row", name=NEW_ACTION)
    assert cells(row) == [
        "Green",
        f"{NEW_ACTION}\nPriority " + demo["priorities"][0].replace(". ", ": ", 1),
        "Owen Tranter",
        "Tue 15 Jun 2027",
        "On track",
        "–",
    ]
    # The form is empty again, ready for the next action.
    assert title.input_value() == "" and due.input_value() == ""
    assert page.dialogs == []
    look(page, "deliver-actions-added")


def test_update_an_action_and_read_its_history(page, server: Server) -> None:
    page.goto(f"{server.url}{APP}#actions")
    page.get_by_role("heading", name="Update an action").wait_for()
    assert button(page, "Save the update").is_hidden()  # nothing to update until one is chosen
    page.get_by_label("Action to update").select_option(label=f"{NEW_ACTION} (Owen Tranter)")
    history = page.get_by_role("region", name=f"History of the action {NEW_ACTION}")
    assert cells(history.locator("tbody tr").first) == [
        "Tue 4 May 2027",
        "On track",
        "Tue 15 Jun 2027",
        XSS,
        "Dr Amara Okafor",
    ]
    when = page.get_by_label("Date of the update")
    assert when.input_value() == "2027-05-04"  # today by the server's clock
    assert page.get_by_label("Status now").input_value() == "On track"
    look(page, "deliver-actions-update", history)

    # Bad input for each field, refused by name; nothing is written.
    before = snapshot(server)
    button(page, "Save the update").click()
    refused_unchanged(
        page, server, before, "note: say what has happened"
    )  # nothing said, nothing changed
    look(page, "deliver-actions-update-error")
    page.get_by_label("Note: what has happened").fill("Rooms booked for May")
    when.fill("2027-05-05")
    button(page, "Save the update").click()
    refused_unchanged(page, server, before, "date of the update: 5 May 2027 is after today")
    when.fill("")
    button(page, "Save the update").click()
    refused_unchanged(page, server, before, "date of the update: choose the date it happened")
    when.fill("2027-05-03")
    button(page, "Save the update").click()
    refused_unchanged(
        page,
        server,
        before,
        "date of the update: 3 May 2027 is before the action's latest update (4 May 2027)",
    )
    when.fill("2027-05-04")
    page.get_by_label("New due date (optional)").fill("2027-05-02")
    button(page, "Save the update").click()
    refused_unchanged(
        page,
        server,
        before,
        "new due date: 2 May 2027 is before the date of the update (4 May 2027)",
    )

    # Good input, double-clicked: one update, dated as given, the due date moved.
    page.get_by_label("New due date (optional)").fill("2027-07-01")
    page.get_by_label("Status now").select_option(label="At risk")
    updated = logged(server, "action.updated")
    button(page, "Save the update").dblclick()
    said(page, f"Saved the update to '{NEW_ACTION}': at risk, due Thu 1 Jul 2027, RAG amber.")
    assert logged(server, "action.updated") == updated + 1
    new = [u for u in snapshot(server)["updates"] if u not in before["updates"]]
    assert [(u[1], u[2], u[3], u[4]) for u in new] == [
        (TODAY, "at_risk", date(2027, 7, 1), "Rooms booked for May")
    ]
    assert [cells(r) for r in history.locator("tbody tr").all()][1] == [
        "Tue 4 May 2027",
        "At risk",
        "Moved to Thu 1 Jul 2027",
        "Rooms booked for May",
        "Dr Amara Okafor",
    ]
    row = page.get_by_role("region", name=LIST).get_by_role("row", name=NEW_ACTION)
    assert cells(row)[0] == "Amber" and cells(row)[3:5] == ["Thu 1 Jul 2027", "At risk"]
    # The form is ready for the next update of the same action.
    assert page.get_by_label("Note: what has happened").input_value() == ""
    assert when.input_value() == "2027-05-04"
    look(page, "deliver-actions-updated", history)


def test_import_actions_from_a_file(page, server: Server, demo, tmp_path: Path) -> None:
    page.goto(f"{server.url}{APP}#actions")
    page.get_by_role("heading", name="Import actions from a file").wait_for()
    before = snapshot(server)
    button(page, "Import actions").click()
    refused_unchanged(page, server, before, "actions file: choose a CSV or XLSX file first")

    # A file with bad rows is refused whole, its problems listed by row and column.
    bad = tmp_path / "actions-bad.csv"
    bad.write_text(
        "Priority,Action,Owner,Due,Status\r\n"
        "1,Write to every practice about the hub,Owen Tranter,2027-06-01,on track\r\n"
        "9,Count the visits again,Gareth Lloyd,2027-06-01,\r\n"
        "2,Agree the referral form,Gareth Lloyd,next Tuesday,sideways\r\n",
        encoding="utf-8-sig",
    )
    choose_file(page, bad)
    button(page, "Import actions").click()
    refused_unchanged(
        page,
        server,
        before,
        "actions file: actions-bad.csv has 3 problems, listed below; nothing was imported",
    )
    problems = page.get_by_role("region", name="Problems in the file")
    assert [cells(r)[:2] for r in problems.locator("tbody tr").all()] == [
        ["3", "Priority"],
        ["4", "Due"],
        ["4", "Status"],
    ]
    assert "'sideways' is not a status" in problems.inner_text()
    look(page, "deliver-actions-import-problems", problems)

    # A good file: checked first (nothing written), then imported once though double-clicked.
    good = tmp_path / "actions.csv"
    good.write_text(
        "Priority,Action,Owner,Due,Status,Note\r\n"
        f"1,Write to every practice about the hub,Owen Tranter,01/06/2027,on track,\r\n"
        f"{demo['priorities'][1][3:]},Agree the referral form,Gareth Lloyd,2027-06-08,,Draft\r\n",
        encoding="utf-8-sig",
    )
    choose_file(page, good)
    button(page, "Check the file").click()
    said(page, "actions.csv: 2 actions ready to import; nothing was written yet.")
    assert snapshot(server) == before
    plan = page.get_by_role("region", name="What the import would add")
    assert cells(plan.locator("tbody tr").first) == [
        demo["priorities"][0],
        "Write to every practice about the hub",
        "Owen Tranter",
        "Tue 1 Jun 2027",
        "On track",
        "–",
    ]
    look(page, "deliver-actions-import-check", plan)
    added = logged(server, "action.added")
    button(page, "Import actions").dblclick()
    said(page, "Imported actions.csv: added 2 actions.")
    assert logged(server, "action.added") == added + 2
    assert len(snapshot(server)["actions"]) == len(before["actions"]) + 2
    table = page.get_by_role("region", name=LIST)
    table.get_by_role("row", name="Agree the referral form").wait_for()
    look(page, "deliver-actions-imported")


def test_asks_where_they_stand_and_recording_one(page, server: Server, demo) -> None:
    meeting = demo["meeting"]
    met = meeting.starts_local.date()

    # A place-board meeting still to come: there is nothing yet to record from it.
    def coming(session) -> None:
        place = places.get_place(session, "haverbrook")
        item = MeetingInput(Board.PLACE_BASED, "Summer place board", datetime(2027, 6, 7, 10), 90)
        add_meeting(session, place, item, actor="test")

    with_store(server, coming)
    page.goto(f"{server.url}{APP}#asks")
    page.get_by_role("heading", name="Record what the place-based board did").wait_for()
    page.get_by_text(f"Cycle: {demo['cycle']}.").wait_for()
    offered = page.get_by_label("Meeting").locator("option").all_inner_texts()
    assert [o.replace("\xa0", " ") for o in offered] == [
        "Not at a meeting",
        f"{meeting.title}, {day(met)}",
    ]
    standing = page.get_by_role("region", name="Where each ask stands")
    second = demo["priorities"][1]
    assert cells(standing.get_by_role("row", name=second))[3] == (
        "Not yet taken to the place-based board."
    )
    assert any(s.startswith("Agreed on ") for s in column(standing, 3))
    no_snake_case(page)
    accessible(page, "deliver-asks")

    before = snapshot(server)
    record = button(page, "Record in the log")
    record.click()
    refused_unchanged(page, server, before, "priority: choose the priority whose ask this is")
    look(page, "deliver-asks-error")
    page.get_by_label("Priority", exact=True).select_option(label=second)
    record.click()
    refused_unchanged(
        page, server, before, "what the board did: choose raised, agreed, declined or deferred"
    )
    page.get_by_label("What the board did").select_option(label="Agreed: the board said yes")
    when = page.get_by_label("Date", exact=True)
    assert when.input_value() == "2027-05-04"
    when.fill("2027-05-05")
    record.click()
    refused_unchanged(page, server, before, "date: 5 May 2027 is after today")
    when.fill("")
    record.click()
    refused_unchanged(page, server, before, "date: choose the date the place-based board did this")
    # Choosing the meeting dates the entry on its day; an earlier date is refused.
    page.get_by_label("Meeting").select_option(label=f"{meeting.title}, {day(met)}")
    expect(when).to_have_value(met.isoformat())
    earlier = date.fromordinal(met.toordinal() - 1)
    when.fill(earlier.isoformat())
    record.click()
    refused_unchanged(
        page,
        server,
        before,
        f"date: {spoken_date(earlier)} is before the meeting chosen ({meeting.title}, "
        f"{spoken_date(met)})",
    )

    # Good input, double-clicked: one entry, at the meeting, its note escaped.
    when.fill(met.isoformat())
    page.get_by_label("Note (optional)").fill(XSS)
    logs = logged(server, "ask.logged")
    record.dblclick()
    said(page, f"was agreed at {meeting.title} on {day(met)}.")
    assert logged(server, "ask.logged") == logs + 1
    new = [e for e in snapshot(server)["asks"] if e not in before["asks"]]
    assert [(e[1], e[2], e[3], e[4]) for e in new] == [("agreed", met, meeting.id, XSS)]
    assert cells(standing.get_by_role("row", name=second))[3].startswith(f"Agreed on {day(met)}")
    log = page.get_by_role("region", name=f"Log of the ask for priority {second}")
    assert cells(log.locator("tbody tr").first) == [
        day(met),
        "Agreed",
        meeting.title,
        XSS,
        "Dr Amara Okafor",
    ]
    assert page.get_by_label("Priority", exact=True).input_value() == "Choose a priority"
    assert page.dialogs == []
    look(page, "deliver-asks-recorded", log)

    # Not at a meeting: dated today.
    page.get_by_label("Priority", exact=True).select_option(label=second)
    page.get_by_label("What the board did").select_option(label="Deferred: the board put it off")
    record.click()
    said(page, f"was deferred on {day(TODAY)}.")
    assert cells(standing.get_by_role("row", name=second))[3] == (
        f"Deferred on {day(TODAY)} (today). So far: agreed once, deferred once."
    )


def test_on_track_past_its_due_date_is_red_by_the_servers_clock(page, server: Server) -> None:
    # Two actions on track, one due the day before the server's today, one due today.
    def work(session) -> None:
        place = places.get_place(session, "haverbrook")
        for title, due in (("Due yesterday", date(2027, 5, 3)), ("Due today", TODAY)):
            item = ActionInput("1", title, "Owen Tranter", due, Status.ON_TRACK)
            add_action(session, place, item, on=date(2027, 4, 20), actor="test")

    with_store(server, work)
    page.goto(f"{server.url}{APP}#asks")
    page.get_by_role("heading", name="Where each ask stands").wait_for()
    page.goto(f"{server.url}{APP}#actions")
    table = page.get_by_role("region", name=LIST)
    late = table.get_by_role("row", name="Due yesterday")
    late.wait_for()
    assert cells(late)[0] == "Red" and cells(late)[3:6] == [
        "Mon 3 May 2027",
        "On track",
        "Overdue by 1 day",
    ]
    assert late.locator(".lpgp-chip--red").count() == 1
    on_time = cells(table.get_by_role("row", name="Due today"))
    assert on_time[0] == "Green" and on_time[3:6] == ["Tue 4 May 2027", "On track", "Due soon"]
    look(page, "deliver-actions-overdue-by-clock", late)


def test_an_earlier_cycle_can_be_picked(page, server: Server, demo) -> None:
    # A newer cycle's list is confirmed: the screens follow it, and the chair can go back.
    def work(session) -> str:
        place = places.get_place(session, "haverbrook")
        cycle = places.create_cycle(session, place, "2028/29 priorities", actor="test")
        item = PriorityInput(
            "One back office",
            "Fund a shared back office",
            "Staff leave",
            "Posts filled",
            "Dr Amara Okafor",
        )
        confirm_list(session, place, [item], cycle=cycle.id, actor="test")
        return cycle.name

    newer = with_store(server, work)
    page.goto(f"{server.url}{APP}#asks")
    page.get_by_role("heading", name="Where each ask stands").wait_for()
    page.goto(f"{server.url}{APP}#actions")
    picker = page.get_by_label("Cycle", exact=True)
    picker.wait_for()
    assert picker.input_value() == f"{newer} (being delivered)"
    page.get_by_text(f"Cycle: {newer}.").wait_for()
    page.get_by_text("No actions yet: add the first below, or import a file.").wait_for()
    assert button(page, "Save the update").is_hidden()
    accessible(page, "deliver-actions-new-cycle")
    picker.select_option(label=f"{demo['cycle']} (earlier)")
    page.get_by_text(f"Cycle: {demo['cycle']}.").wait_for()
    page.get_by_role("region", name=LIST).get_by_role("row", name=NEW_ACTION).wait_for()

    page.goto(f"{server.url}{APP}#asks")
    picker = page.get_by_label("Cycle", exact=True)
    picker.wait_for()
    page.get_by_text(f"Cycle: {newer}.").wait_for()
    standing = page.get_by_role("region", name="Where each ask stands")
    assert column(standing, 0) == ["1. One back office"]
    picker.select_option(label=f"{demo['cycle']} (earlier)")
    standing.get_by_role("row", name=demo["priorities"][1]).wait_for()
    accessible(page, "deliver-asks-earlier-cycle")
