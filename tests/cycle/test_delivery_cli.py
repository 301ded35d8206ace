"""The delivery commands and the demo's delivery story, through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from paths import TESTS

import lpgp
from lpgp import clock
from lpgp.demo import load_demo
from lpgp.store import Store

pytestmark = pytest.mark.slow  # each test is a CLI story of a dozen commands

DATA = TESTS / "data" / "delivery"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LPGP_NOW", "2027-05-12T09:00:00")


def _testshire(cli) -> None:
    assert cli("init", "--place", "Testshire")[0] == 0
    assert cli("cycles", "new", "2027/28 priorities")[0] == 0
    for name, role in (
        ("Dr Ada Cole", "cd"),
        ("Dr Ben Rao", "lmc"),
        ("Sam Hale", "project manager"),
        ("Kit Moss", "project manager"),
    ):
        assert cli("people", "add", name, "--role", role)[0] == 0
    for name in ("Dr Ada Cole", "Dr Ben Rao"):
        assert cli("board", "add", name)[0] == 0
    for title in ("Home visits", "Shared records", "Estates", "Same-day hub"):
        assert cli("candidates", "add", title)[0] == 0  # candidates 1 to 4


def test_confirm_list_then_actions(cli) -> None:
    _testshire(cli)
    code, _, err = cli(
        "priorities", "confirm", str(DATA / "priorities.csv"), "--result-order", "1,4"
    )
    assert code == 1 and "departs from the vote's result" in err
    code, out, _ = cli(
        "priorities",
        "confirm",
        str(DATA / "priorities.csv"),
        "--result-order",
        "1,4",
        "--reason",
        "The hub's funding window closes first",
    )
    assert code == 0, out
    assert "1. Same-day hub (lead: Dr Ada Cole)" in out
    code, out, _ = cli("priorities", "list")
    assert "Home visits" in out and "Dr Ben Rao" in out

    code, out, _ = cli(
        "actions",
        "add",
        "--priority",
        "2",
        "--title",
        "Count visits",
        "--owner",
        "Kit Moss",
        "--due",
        "11/05/2027",
        "--status",
        "on track",
    )
    assert code == 0 and "red" in out
    code, out, _ = cli(
        "actions",
        "add",
        "--priority",
        "1",
        "--title",
        "Cost the hub",
        "--owner",
        "Sam Hale",
        "--due",
        "2027-09-01",
    )
    assert code == 0
    code, out, _ = cli("actions", "list", "--format", "csv")
    lines = out.splitlines()
    assert lines[1].split(",")[3] == "Count visits" and ",red," in lines[1]
    code, out, _ = cli("actions", "update", "1", "--status", "done", "--note", "counted")
    assert code == 0 and "done" in out and "complete" in out
    code, out, _ = cli("actions", "history", "1", "--format", "csv")
    assert code == 0
    assert [line.split(",")[1] for line in out.splitlines()[1:]] == ["on_track", "done"]
    assert "counted" in out
    code, out, _ = cli("actions", "list", "--owner", "Sam Hale")
    assert "Cost the hub" in out and "Count visits" not in out
    code, out, _ = cli("actions", "list", "--summary")
    assert code == 0 and "1. Same-day hub" in out
    code, _, err = cli(
        "actions",
        "add",
        "--priority",
        "1",
        "--title",
        "X",
        "--owner",
        "Nobody",
        "--due",
        "2027-09-01",
    )
    assert code == 1 and "has no person 'Nobody'" in err


def test_import_refuses_bad_rows_and_accepts_xlsx(cli, tmp_path: Path) -> None:
    _testshire(cli)
    cli("priorities", "confirm", str(DATA / "priorities.csv"))
    code, _, err = cli("actions", "import", str(DATA / "actions_bad.csv"))
    assert code == 1
    assert "row 3, column 'Due date': 'next Tuesday' is not a date" in err
    assert "row 4, column 'Owner': no person called 'Pat Nobody'" in err
    code, out, _ = cli("actions", "list")
    assert "no actions match" in out

    book = Workbook()
    sheet = book.active
    sheet.append(["Priority", "Action", "Owner", "Due", "Status"])
    sheet.append([1, "Book the rooms", "Sam Hale", "2027-06-01", "At risk"])
    sheet.append(["Home visits", "Ring the trust", "Kit Moss", "12/06/2027", ""])
    book.save(tmp_path / "actions.xlsx")
    code, out, _ = cli("actions", "import", str(tmp_path / "actions.xlsx"), "--dry-run")
    assert code == 0 and "2 actions are ready" in out
    assert "no actions match" in cli("actions", "list")[1]
    code, out, err = cli("actions", "import", str(tmp_path / "actions.xlsx"))
    assert code == 0, err
    assert "added 2 actions" in out


def test_meetings_asks_and_agenda_editing(cli) -> None:
    _testshire(cli)
    cli("priorities", "confirm", str(DATA / "priorities.csv"))
    code, _, err = cli(
        "meetings",
        "add",
        "--board",
        "leadership",
        "--title",
        "GP board",
        "--start",
        "2027-03-28 01:30",
        "--minutes",
        "90",
    )
    assert code == 1 and "does not exist in London" in err
    code, out, _ = cli(
        "meetings",
        "add",
        "--board",
        "leadership",
        "--title",
        "GP board",
        "--start",
        "2027-06-08 14:00",
        "--minutes",
        "120",
        "--attendee",
        "Dr Ada Cole",
    )
    assert code == 0 and "Tue 08 Jun 2027 14:00 (London)" in out
    code, out, _ = cli(
        "meetings",
        "add",
        "--board",
        "place",
        "--title",
        "Place board",
        "--start",
        "04/05/2027 10:00",
        "--minutes",
        "90",
    )
    assert code == 0
    code, out, _ = cli("asks", "log", "1", "raised", "--meeting", "2", "--note", "heard")
    assert code == 0 and "2027-05-04" in out
    code, out, _ = cli("asks", "list")
    assert code == 0 and "raised" in out
    code, out, _ = cli("asks", "list", "--log", "--format", "csv")
    assert "heard" in out

    code, out, _ = cli("agenda", "propose", "1", "--system", "ICB update:30")
    assert code == 0, out
    # two priorities of 15 minutes leave a quarter of 30 for everything else: 7 minutes of
    # welcome and no room for the system's item
    assert "Note: system items get 0 minutes" in out and "'ICB update' left out" in out
    assert "Warning" not in out
    code, out, _ = cli(
        "agenda", "add", "1", "--title", "Finance", "--minutes", "40", "--kind", "business"
    )
    assert code == 0 and "Warning: Only" in out and "'Finance'" in out
    code, _, err = cli("agenda", "add", "1", "--title", "X", "--minutes", "5", "--action", "99")
    assert code == 1 and "has no action 99" in err
    code, out, _ = cli("agenda", "retime", "1", "3", "--minutes", "-5")
    assert code == 1
    code, out, _ = cli("agenda", "drop", "1", "4")
    assert code == 0 and "Warning" not in out
    code, out, _ = cli("agenda", "move", "1", "1", "3")
    assert code == 0
    code, out, _ = cli("agenda", "show", "1")
    assert out.splitlines()[3].strip().startswith("3. [Business as usual] Welcome")
    code, out, _ = cli("agenda", "show", "1", "--html")
    assert out.startswith('<div class="lpgp-split">')
    code, out, _ = cli("agenda", "propose", "2")
    assert code == 0 and "Ask of the system" in out and "Dr Ada Cole" in out
    code, out, _ = cli("meetings", "list")
    assert "Place board" in out
    code, out, _ = cli("meetings", "decide", "2", "Hub agreed in principle", "--priority", "1")
    assert code == 0
    assert cli("meetings", "minutes", "2", "Two asks heard; one agreed.")[0] == 0


def test_agenda_import_names_bad_rows_and_changes_nothing(cli) -> None:
    _testshire(cli)
    cli("priorities", "confirm", str(DATA / "priorities.csv"))
    cli(
        "meetings",
        "add",
        "--board",
        "leadership",
        "--title",
        "GP board",
        "--start",
        "2027-06-08 14:00",
        "--minutes",
        "120",
    )
    code, _, err = cli("agenda", "import", "1", str(DATA / "agenda_bad.csv"))
    assert code == 1
    assert "row 3, column 'Minutes': '-5' is not a positive whole number" in err
    assert "row 4, column 'Minutes': 'ten' is not a positive whole number" in err
    assert "row 5, column 'Presenter': no person called 'Pat Nobody'" in err
    code, out, _ = cli("agenda", "show", "1")
    assert "no items yet" in out
    code, out, _ = cli("agenda", "import", "1", str(DATA / "agenda.csv"))
    assert code == 0 and "85% innovation" in out and "Dr Ada Cole" in out


def test_demo_delivery_story() -> None:
    store = Store("sqlite://")
    with clock.frozen("2027-05-12T09:00:00"):
        load_demo(store)
        priorities = lpgp.priorities(store=store)
        actions = lpgp.actions(store=store)
        asks = lpgp.asks(store=store)
        meetings = lpgp.meetings(store=store)
        agendas = [lpgp.agenda(int(m), store=store) for m in meetings["id"]]
    assert len(priorities) == 5
    assert len(actions) >= 15
    assert set(actions["status"]) == {"not_started", "on_track", "at_risk", "off_track", "done"}
    assert actions["overdue"].sum() >= 2 and actions.iloc[0]["overdue"]
    assert (
        actions["owner"]
        .isin(["Owen Tranter", "Priya Natarajan", "Gareth Lloyd", "Chloe Fenwick"])
        .mean()
        > 0.5
    )
    assert (asks["made"] > 0).sum() >= 2
    assert len(meetings) == 2 and set(meetings["board"]) == {"leadership", "place_based"}
    warnings = [df.attrs["warning"] for df in agendas]
    assert sum(w is not None for w in warnings) == 1
    assert all(len(df) > 0 for df in agendas)
    assert not meetings["meets_80_rule"].all()


def test_meetings_edit_and_cancel(cli, tmp_path: Path) -> None:
    from icalendar import Calendar

    _testshire(cli)
    cli("priorities", "confirm", str(DATA / "priorities.csv"))
    add = ("meetings", "add", "--board", "leadership", "--title", "GP board", "--minutes", "120")
    assert cli(*add, "--start", "2027-06-08 14:00", "--attendee", "Dr Ada Cole")[0] == 0
    assert cli(*add, "--start", "2027-07-06 14:00")[0] == 0

    code, _, err = cli("meetings", "edit", "1")
    assert code == 1 and "nothing to change" in err
    code, _, err = cli("meetings", "edit", "1", "--minutes", "0")
    assert code == 1 and "length: a meeting lasts between 1 and 480 minutes, not 0" in err
    code, _, err = cli("meetings", "edit", "1", "--start", "2027-10-31 01:30")
    assert code == 1 and "start: 31 Oct 2027 01:30 happens twice" in err
    code, _, err = cli("meetings", "edit", "1", "--attendee", "Pat Nobody")
    assert code == 1 and "attendees: Testshire has no person 'Pat Nobody'" in err
    code, out, _ = cli(
        "meetings",
        "edit",
        "1",
        "--title",
        "GP leadership board",
        "--start",
        "2027-06-09 09:30",
        "--minutes",
        "90",
        "--location",
        "Room 2",
        "--attendee",
        "Dr Ben Rao",
        "--attendee",
        "Sam Hale",
    )
    assert code == 0, out
    assert out.strip() == (
        "Saved meeting 1: GP leadership board, Wed 09 Jun 2027 09:30 (London), 90 minutes"
    )
    code, out, _ = cli("meetings", "edit", "1", "--minutes", "90")
    assert code == 0 and "nothing changed" in out
    with Store(lpgp.config.database_url()).read() as s:
        place = lpgp.cycle.board.place.get_place(s, None)
        found = lpgp.cycle.agendas.meeting.get_meeting(s, place, 1)
        edits = [e.detail for e in lpgp.audit.entries(s, place.id) if e.action == "meeting.edited"]
    assert found.attendees == ("Dr Ben Rao", "Sam Hale") and found.location == "Room 2"
    assert len(edits) == 1
    assert edits[0]["changed"] == ["title", "start", "length", "location", "attendees"]

    code, out, _ = cli("meetings", "cancel", "1", "--reason", "Clashes with the ICB away day")
    assert code == 0 and out.startswith("Cancelled meeting 1: GP leadership board")
    code, _, err = cli("meetings", "cancel", "1")
    assert code == 1 and "'GP leadership board' was cancelled on 12 May 2027" in err
    code, _, err = cli("meetings", "edit", "1", "--title", "Back on")
    assert code == 1 and "takes no more changes" in err
    code, _, err = cli("agenda", "add", "1", "--title", "Hub", "--minutes", "10")
    assert code == 1 and "takes no more changes" in err
    code, _, err = cli("agenda", "propose", "1")
    assert code == 1 and "takes no more changes" in err
    code, out, _ = cli("agenda", "show", "1")
    assert "Note: 'GP leadership board' was cancelled on 12 May 2027" in out
    code, out, _ = cli("meetings", "list", "--format", "csv")
    listed = out.splitlines()
    assert listed[0].endswith(",cancelled") and listed[1].endswith(",True")

    # The invite goes out as a cancellation, its sequence raised by the edit and the cancel;
    # "next" skips the cancelled meeting.
    ics = tmp_path / "gone.ics"
    assert cli("export", "invites", "--meeting", "1", "--out", str(ics))[0] == 0
    cal = Calendar.from_ical(ics.read_bytes())
    (event,) = cal.walk("VEVENT")
    assert (str(cal["METHOD"]), str(event["STATUS"]), event["SEQUENCE"]) == (
        "CANCEL",
        "CANCELLED",
        2,
    )
    cancelled_uid = str(event["UID"])
    coming = tmp_path / "next.ics"
    assert cli("export", "invites", "--out", str(coming))[0] == 0
    (event,) = Calendar.from_ical(coming.read_bytes()).walk("VEVENT")
    # The next meeting that goes ahead: the one on 6 July (its own UID), not the cancelled one.
    assert event.decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == "2027-07-06 14:00"
    assert str(event["UID"]) != cancelled_uid and str(event["STATUS"]) == "CONFIRMED"


def test_decisions_and_minutes_wait_for_the_meeting(cli) -> None:
    _testshire(cli)
    cli("priorities", "confirm", str(DATA / "priorities.csv"))
    add = ("meetings", "add", "--board", "place", "--title", "Place board", "--minutes", "60")
    assert cli(*add, "--start", "2027-06-08 14:00")[0] == 0
    code, _, err = cli("meetings", "minutes", "1", "Went well")
    assert code == 1 and "minutes: 'Place board' has not started yet" in err
    code, _, err = cli("meetings", "decide", "1", "  ")
    assert code == 1 and "decision: say in a sentence" in err
    code, _, err = cli("meetings", "cancel", "1")
    assert code == 0
