"""Step 1 in Debian's Chromium against a real ``lpgp serve``: the chair adds, edits, retires and
imports people; puts a person on the board, moves the chair, makes a facilitator, retires a
member; issues and reissues a sign-in code (shown once, printable); imports a practice file
written here, previewed first; starts a cycle; links a second place and switches to it.
Every control is driven with good input, with bad input (the red panel names the field and
the store is unchanged) and, for adding and issuing, with a double click (one record); axe-core
checks each state and screenshots at 1366x768 go to artifacts/screenshots."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lpgp.cycle.board import member_code
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import (
    add_board_member,
    list_people,
    set_chair,
    set_facilitator,
    upsert_person,
)
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.practice import list_practices
from lpgp.model import Role
from lpgp.store.schema import AuditRow, BoardMemberRow
from lpgp.store.schema_app import SeatLinkRow
from shells.app.conftest import SCREENSHOTS, XSS, Server, start_server
from shells.app.test_app_browser import accessible, signed_in_tab
from shells.app.test_app_screens_decide import _with_store, button, next_click, refused, said

pytestmark = [pytest.mark.slow, pytest.mark.browser]
playwright = pytest.importorskip("playwright.sync_api")
APP = "/voila/render/app.ipynb"


def snapshot(server: Server) -> dict[str, Any]:
    """The rows step 1 changes, in a form to compare."""

    def work(session) -> dict[str, Any]:
        place = places.get_place(session, "haverbrook")
        return {
            "people": [
                (p.name, p.role, p.pcn, p.practice, p.email, p.active_from, p.active_to)
                for p in list_people(session, place)
            ],
            "board": [
                (r.person_id, r.is_chair, r.is_facilitator, r.code_digest)
                for r in session.scalars(
                    select(BoardMemberRow)
                    .where(BoardMemberRow.place_id == place.id)
                    .order_by(BoardMemberRow.id)
                )
            ],
            "practices": [
                (p.ods_code, p.name, p.pcn, p.list_size, p.list_size_as_of, p.email, p.active)
                for p in list_practices(session, place)
            ],
            "cycles": [(c.name, c.is_current) for c in places.list_cycles(session, place)],
            "links": session.scalar(select(func.count()).select_from(SeatLinkRow)),
        }

    return _with_store(server, work)


def logged(server: Server, action: str) -> int:
    """How many times the audit log records ``action``."""
    return _with_store(
        server,
        lambda s: s.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == action)
        ),
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for running in start_server(tmp_path_factory.mktemp("serve"), pool_size=1):
        # The chair also facilitates in Otherfield: a second seat with its own code.
        def seat(session) -> str:
            other = places.get_place(session, "otherfield")
            upsert_person(
                session, other, PersonInput("Dr Amara Okafor", Role.LMC_CHAIR), actor="test"
            )
            add_board_member(session, other, "Dr Amara Okafor", facilitator=True, actor="test")
            return member_code.issue_code(session, other, "Dr Amara Okafor", actor="test").code

        running.codes["chair_in_otherfield"] = _with_store(running, seat)
        yield running


@pytest.fixture(scope="module")
def page(server: Server) -> Iterator:
    """One signed-in tab for the whole module, on the app's one kernel."""
    with signed_in_tab(server) as tab:
        yield tab


def choose_file(page, path: Path) -> None:
    """Choose ``path`` with the screen's "Choose file" button, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose file").click()
    chooser.value.set_files(str(path))
    page.get_by_text(f"Chosen file: {path.name}").wait_for()


def look(page, name: str, target=None) -> None:
    """Bring ``target`` (by default the outcome panel) into view, then check and keep the
    state with :func:`accessible` (its screenshot shows what is in view)."""
    target = target if target is not None else page.locator(".lpgp-screen .lpgp-status").first
    target.scroll_into_view_if_needed()
    accessible(page, name)


def no_snake_case(page) -> None:
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    for word in ("pcn_clinical_director", "lmc_chair", "practice_manager", "True", "False"):
        assert word not in body, word


def test_people_add_edit_retire_and_import(page, server: Server, tmp_path: Path) -> None:
    page.goto(f"{server.url}{APP}#people")
    page.get_by_role("heading", name="Add or edit a person").wait_for()
    people = page.get_by_role("region", name="People")
    people.get_by_role("row", name="Dr Amara Okafor").wait_for()
    assert people.get_by_role("row", name="Dr Amara Okafor").get_by_role("cell").all_inner_texts()[
        1:3
    ] == ["PCN clinical director", "Haverbrook Central PCN"]
    no_snake_case(page)
    accessible(page, "board-people")

    # Add: a role but no name is refused naming the field; nothing is written.
    before = snapshot(server)
    page.get_by_label("Role", exact=True).select_option(label="PCN clinical director")
    button(page, "Add person").click()
    assert refused(page, "full name").startswith("full name: give the person's name in full")
    assert snapshot(server) == before
    look(page, "board-people-error")

    # Add with good input, double-clicked: one person.
    page.get_by_label("Full name").fill("Dr Ada Field")
    page.get_by_label("PCN", exact=True).select_option(label="Haverbrook Central PCN")
    page.get_by_label("Email").fill("ada.field@nhs.example")
    page.get_by_label("Active from").fill("2026-04-01")
    added = logged(server, "person.added")
    button(page, "Add person").dblclick()
    said(page, "Added Dr Ada Field (PCN clinical director).")
    assert logged(server, "person.added") == added + 1
    row = people.get_by_role("row", name="Dr Ada Field")
    assert row.get_by_role("cell").all_inner_texts() == [
        "Dr Ada Field",
        "PCN clinical director",
        "Haverbrook Central PCN",
        "–",
        "ada.field@nhs.example",
        "Wed 1 Apr 2026",
        "–",
        "–",
    ]

    # Edit: a bad email is refused naming the field; the good edit, double-clicked, saves once.
    page.get_by_label("Person to edit").select_option(label="Dr Ada Field")
    button(page, "Save changes").wait_for()
    assert page.get_by_label("Full name").input_value() == "Dr Ada Field"
    before = snapshot(server)
    page.get_by_label("Email").fill("ada@")
    button(page, "Save changes").click()
    assert refused(page, "email").startswith("email: 'ada@' is not an email address")
    assert snapshot(server) == before
    page.get_by_label("Email").fill("ada@nhs.example")
    page.get_by_label("Practice", exact=True).select_option(
        label="The Old Mill Health Centre (Z99003)"
    )
    saved = logged(server, "person.updated")
    button(page, "Save changes").dblclick()
    said(page, "Saved the changes to Dr Ada Field.")
    assert logged(server, "person.updated") == saved + 1
    ada = [p for p in snapshot(server)["people"] if p[0] == "Dr Ada Field"]
    assert [(p[3], p[4]) for p in ada] == [("Z99003", "ada@nhs.example")]

    # Retire: a last day before they started is refused; a date is recorded, no one deleted.
    before = snapshot(server)
    page.get_by_label("Retire on").fill("2026-03-31")
    button(page, "Retire this person").click()
    assert refused(page, "retire on").startswith(
        "retire on: 31 Mar 2026 is before Dr Ada Field became active (1 Apr 2026)"
    )
    assert snapshot(server) == before
    look(page, "board-people-edit-error")
    page.get_by_label("Retire on").fill("2031-03-31")
    retired = logged(server, "person.retired")
    button(page, "Retire this person").dblclick()
    said(page, "Retired Dr Ada Field: active until Mon 31 Mar 2031.")
    assert logged(server, "person.retired") == retired + 1
    people.get_by_role("row", name="Dr Ada Field").get_by_text("Mon 31 Mar 2031").wait_for()

    # Import: without a file, then with a bad file (every problem row by row), nothing written.
    button(page, "Start a new person").click()
    before = snapshot(server)
    button(page, "Preview import").click()
    assert refused(page, "people file").startswith("people file: choose a CSV or XLSX file")
    bad = tmp_path / "people-bad.csv"
    bad.write_text("Name,Role,Practice\nSam Hale,wizard,Z99003\nPriya Shah,Nurse,Z11111\n")
    choose_file(page, bad)
    button(page, "Preview import").click()
    assert refused(page, "people-bad.csv").startswith(
        "people file: people-bad.csv has 2 problems, listed below"
    )
    problems = page.get_by_role("region", name="Problems in the file")
    assert problems.get_by_role("row").nth(2).get_by_role("cell").all_inner_texts() == [
        "3",
        "Practice",
        "the place has no practice Z11111",
    ]
    assert snapshot(server) == before
    look(
        page,
        "board-people-import-problems",
        page.get_by_role("region", name="Problems in the file"),
    )
    good = tmp_path / "people.csv"
    good.write_text(
        "\ufeffFull name,Role,PCN,Practice,Email\r\n"
        "Sam Hale,Practice manager,,Z99003,sam.hale@nhs.example\r\n"
        ",,,,\r\n"
        "Priya Shah,LMC chair,,,\r\n",
        encoding="utf-8",
    )
    choose_file(page, good)
    button(page, "Preview import").click()
    said(page, "Preview of people.csv, nothing written yet: 2 to add, 0 to update, 0 unchanged.")
    plan = page.get_by_role("region", name="What the import would do")
    assert plan.get_by_role("row", name="Sam Hale").get_by_role("cell").all_inner_texts()[:4] == [
        "Added",
        "Sam Hale",
        "Practice manager",
        "–",
    ]
    assert snapshot(server) == before
    look(
        page,
        "board-people-import-preview",
        page.get_by_role("region", name="What the import would do"),
    )
    imports = logged(server, "people.imported")
    button(page, "Import people").dblclick()
    said(page, "Imported people.csv: 2 added, 0 updated, 0 unchanged.")
    assert logged(server, "people.imported") == imports + 1
    names = [p[0] for p in snapshot(server)["people"]]
    assert {"Sam Hale", "Priya Shah"} <= set(names) and len(names) == len(set(names))
    people.get_by_role("row", name="Priya Shah").get_by_text("LMC chair").wait_for()
    assert page.dialogs == []
    look(page, "board-people-imported")


def test_board_members_roles_and_sign_in_codes(page, server: Server) -> None:
    page.goto(f"{server.url}{APP}#board")
    page.get_by_role("heading", name="Add a member").wait_for()
    board = page.get_by_role("region", name="Board members")
    assert board.get_by_role("row", name="Dr Amara Okafor").get_by_role(
        "cell"
    ).all_inner_texts() == ["Dr Amara Okafor", "PCN clinical director", "Yes", "Yes", "Issued"]
    no_snake_case(page)
    accessible(page, "board-board")

    # Add a member: no one chosen is refused; the good choice, double-clicked, adds one seat.
    before = snapshot(server)
    button(page, "Add to the board").click()
    assert refused(page, "person to add").startswith("person to add: choose someone")
    assert snapshot(server) == before
    look(page, "board-board-add-error")
    page.get_by_label("Person to add").select_option(label="Dr Ada Field (PCN clinical director)")
    seats = len(before["board"])
    button(page, "Add to the board").dblclick()
    said(page, "Added Dr Ada Field as a board member.")
    assert len(snapshot(server)["board"]) == seats + 1
    assert board.get_by_role("row", name="Dr Ada Field").get_by_role("cell").all_inner_texts() == [
        "Dr Ada Field",
        "PCN clinical director",
        "No",
        "No",
        "Not issued yet",
    ]
    assert page.get_by_label("Board member", exact=True).input_value() != ""

    # The chair cannot leave the board: the refusal names who would be left.
    page.get_by_label("Board member", exact=True).select_option(label="Dr Amara Okafor")
    before = snapshot(server)
    button(page, "Retire from the board").click()
    assert refused(page, "The board must keep a chair") == (
        "The board must keep a chair, and Dr Amara Okafor is its only one. That would leave "
        f"{XSS}, Dr Ada Field, Dr Fiona Lindqvist and 7 others: make one of them chair first."
    )
    assert snapshot(server) == before
    look(page, "board-board-chair-refused")

    # Facilitator: a stale screen (changed elsewhere) is refused; then made, once.
    page.get_by_label("Board member", exact=True).select_option(label="Dr Ada Field")
    _with_store(
        server,
        lambda s: set_facilitator(
            s, places.get_place(s, "haverbrook"), "Dr Ada Field", True, actor="elsewhere"
        ),
    )
    before = snapshot(server)
    button(page, "Make facilitator").click()
    assert refused(page, "board member").startswith("board member: Dr Ada Field is already a")
    assert snapshot(server) == before
    _with_store(
        server,
        lambda s: set_facilitator(
            s, places.get_place(s, "haverbrook"), "Dr Ada Field", False, actor="elsewhere"
        ),
    )
    page.get_by_label("Board member", exact=True).select_option(label="Dr Tom Pritchard")
    page.get_by_label("Board member", exact=True).select_option(label="Dr Ada Field")
    made = logged(server, "board.facilitator_set")
    next_click(page)  # the refused click's fields again: a new click only after a moment
    button(page, "Make facilitator").dblclick()
    said(page, "Dr Ada Field is now a facilitator: they can run the workshop app.")
    assert logged(server, "board.facilitator_set") == made + 1
    button(page, "Stop facilitating").wait_for()

    # Chair: a stale screen is refused; moved to Dr Ada Field once, then back.
    _with_store(
        server,
        lambda s: set_chair(s, places.get_place(s, "haverbrook"), "Dr Ada Field", actor="else"),
    )
    before = snapshot(server)
    button(page, "Make chair").click()
    assert refused(page, "board member").startswith("board member: Dr Ada Field is already the")
    assert snapshot(server) == before
    _with_store(
        server,
        lambda s: set_chair(s, places.get_place(s, "haverbrook"), "Dr Amara Okafor", actor="e"),
    )
    page.get_by_label("Board member", exact=True).select_option(label="Dr Tom Pritchard")
    page.get_by_label("Board member", exact=True).select_option(label="Dr Ada Field")
    chairs = logged(server, "board.chair_set")
    next_click(page)  # the refused click's fields again: a new click only after a moment
    button(page, "Make chair").dblclick()
    said(page, "Dr Ada Field is now the chair; Dr Amara Okafor stays on the board as a member.")
    assert logged(server, "board.chair_set") == chairs + 1
    page.get_by_label("Board member", exact=True).select_option(label="Dr Amara Okafor")
    button(page, "Make chair").click()
    said(page, "Dr Amara Okafor is now the chair; Dr Ada Field stays on the board as a member.")

    # Issue a code: refused if one was issued elsewhere meanwhile; issued once, shown once.
    page.get_by_label("Board member", exact=True).select_option(label="Dr Ada Field")
    page.get_by_text("Dr Ada Field has no sign-in code yet.").wait_for()
    issued = logged(server, "board.code_issued")
    button(page, "Issue a sign-in code").dblclick()
    said(page, "Issued a sign-in code to Dr Ada Field: it is shown below, once.")
    assert logged(server, "board.code_issued") == issued + 1
    slip = page.get_by_role("region", name="Sign-in code for Dr Ada Field")
    code = slip.locator(".lpgp-code-slip__code").inner_text()
    assert _with_store(server, lambda s: member_code.member_for_code(s, code))[1].name == (
        "Dr Ada Field"
    )
    assert "Print" in slip.inner_text()
    size = slip.locator(".lpgp-code-slip__code").evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 32
    look(page, "board-code-shown", slip)
    page.emulate_media(media="print")
    assert slip.is_visible() and not page.locator(".lpgp-header").is_visible()
    assert not page.get_by_role("region", name="Board members").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "board-code-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # Reissue: a confirmation step says the old code stops working; kept, then confirmed once.
    button(page, "Hide the code").click()
    slip.wait_for(state="detached")
    button(page, "Reissue the sign-in code…").click()
    page.get_by_text(
        "Dr Ada Field's current sign-in code stops working as soon as the new one is issued"
    ).wait_for()
    look(page, "board-code-confirm", page.locator(".lpgp-vote-confirm"))
    button(page, "Keep the current code").click()
    button(page, "Reissue the sign-in code…").wait_for()
    button(page, "Reissue the sign-in code…").click()
    reissued = logged(server, "board.code_reissued")
    button(page, "Yes, reissue Dr Ada Field's code").dblclick()
    said(page, "Issued a new sign-in code to Dr Ada Field: the old one no longer works.")
    assert logged(server, "board.code_reissued") == reissued + 1
    new = page.get_by_role("region", name="Sign-in code for Dr Ada Field").locator(
        ".lpgp-code-slip__code"
    )
    assert new.inner_text() != code
    assert _with_store(server, lambda s: member_code.member_for_code(s, code)) is None

    # A code issued elsewhere while this screen still offers "Issue" is refused.
    page.get_by_label("Person to add").select_option(label="Sam Hale (Practice manager)")
    button(page, "Add to the board").click()
    said(page, "Added Sam Hale as a board member.")
    page.get_by_text("Sam Hale has no sign-in code yet.").wait_for()
    _with_store(
        server,
        lambda s: member_code.issue_code(s, places.get_place(s, "haverbrook"), "Sam Hale"),
    )
    before = snapshot(server)
    button(page, "Issue a sign-in code").click()
    assert "Sam Hale already has a sign-in code" in refused(page, "Sam Hale already has")
    assert snapshot(server) == before
    assert page.get_by_role("region", name="Sign-in code for Sam Hale").count() == 0

    # Retire a member, double-clicked: one seat gone, their code dead, they stay a person.
    page.get_by_label("Board member", exact=True).select_option(label="Dr Ada Field")
    removed = logged(server, "board.member_removed")
    button(page, "Retire from the board").dblclick()
    said(page, "Retired Dr Ada Field from the board: their sign-in code no longer works.")
    assert logged(server, "board.member_removed") == removed + 1
    assert board.get_by_role("row", name="Dr Ada Field").count() == 0
    assert page.get_by_role("region", name="Sign-in code for Dr Ada Field").count() == 0
    assert "Dr Ada Field" in [p[0] for p in snapshot(server)["people"]]
    assert page.dialogs == []
    look(page, "board-board-retired")


def _practice_file(server: Server, path: Path) -> None:
    """The place's practice list as a spreadsheet would export it (BOM, CRLF, a blank row,
    list sizes with commas), with one practice added and one list size changed."""
    current = snapshot(server)["practices"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["ODS code", "Practice name", "PCN", "List size", "As of", "Email"])
    for code, name, pcn, size, as_of, email, active in current:
        if active:
            size, when = (9700, "01/12/2026") if code == "Z99001" else (size, f"{as_of:%d/%m/%Y}")
            writer.writerow([code, name, pcn or "", f"{size:,}", when, email or ""])
    writer.writerow([])
    writer.writerow(
        ["z99950", " Riverside  Surgery ", "", "12,345", "01/12/2026", "riverside@nhs.example"]
    )
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def test_practice_file_upload_end_to_end(page, server: Server, tmp_path: Path) -> None:
    page.goto(f"{server.url}{APP}#board")
    page.get_by_role("heading", name="Import a practice list").wait_for()
    practices = page.get_by_role("region", name="Practices")
    assert practices.get_by_role("row", name="Z99001").get_by_role("cell").all_inner_texts()[
        :5
    ] == [
        "Z99001",
        "Market Square Surgery",
        "Haverbrook Central PCN",
        "9,651",
        "Thu 1 Oct 2026",
    ]

    # No file, then a file with bad rows: each problem by row and column, nothing written.
    before = snapshot(server)
    button(page, "Preview import").click()
    assert refused(page, "practice list file").startswith(
        "practice list file: choose a CSV or XLSX file first"
    )
    bad = tmp_path / "practices-bad.csv"
    bad.write_text("ODS code,Name,List size\nZ99001,Market Square Surgery,lots\nZ9901,Nowhere,10\n")
    choose_file(page, bad)
    button(page, "Import practices").click()
    assert refused(page, "practices-bad.csv").startswith(
        "practice list file: practices-bad.csv has 2 problems"
    )
    rows = page.get_by_role("region", name="Problems in the file").get_by_role("row")
    assert rows.nth(1).get_by_role("cell").all_inner_texts() == [
        "2",
        "List size",
        "list size 'lots' is not a positive whole number",
    ]
    assert rows.nth(2).get_by_role("cell").all_inner_texts()[:2] == ["3", "ODS code"]
    assert snapshot(server) == before
    look(page, "board-practices-problems", page.get_by_role("region", name="Problems in the file"))

    # A real file: the preview shows the addition and the change, and writes nothing.
    good = tmp_path / "practices.csv"
    _practice_file(server, good)
    choose_file(page, good)
    button(page, "Preview import").click()
    said(
        page,
        "Preview of practices.csv, nothing written yet: 42 practices in the file: 1 added, "
        "1 changed, 40 unchanged.",
    )
    plan = page.get_by_role("region", name="What the import would do")
    assert plan.get_by_role("row", name="Z99950").get_by_role("cell").all_inner_texts()[:3] == [
        "Added",
        "Z99950",
        "Riverside Surgery",
    ]
    assert plan.get_by_role("row", name="Z99950").get_by_role("cell").nth(3).inner_text() == (
        "No PCN; list size 12,345 on Tue 1 Dec 2026"
    )
    assert plan.get_by_role("row", name="Z99001").get_by_role("cell").all_inner_texts() == [
        "Changed",
        "Z99001",
        "Market Square Surgery",
        "List size: 9,651 → 9,700; List size date: Thu 1 Oct 2026 → Tue 1 Dec 2026",
    ]
    assert snapshot(server) == before
    look(
        page, "board-practices-preview", page.get_by_role("region", name="What the import would do")
    )

    # Import, double-clicked: one import; the table shows the new practice for people.
    imported = logged(server, "practices.imported")
    button(page, "Import practices").dblclick()
    said(page, "Imported practices.csv: 42 practices in the file: 1 added, 1 changed, 40")
    assert logged(server, "practices.imported") == imported + 1
    after = {p[0]: p for p in snapshot(server)["practices"]}
    assert after["Z99950"][1:4] == ("Riverside Surgery", None, 12345)
    assert after["Z99001"][3] == 9700
    cells = practices.get_by_role("row", name="Z99950").get_by_role("cell").all_inner_texts()
    assert cells == [
        "Z99950",
        "Riverside Surgery",
        "No PCN",
        "12,345",
        "Tue 1 Dec 2026",
        "riverside@nhs.example",
    ]
    page.get_by_text("42 practices in 6 PCNs").wait_for()
    assert page.dialogs == []
    look(page, "board-practices-imported", page.get_by_role("region", name="Practices"))


def test_home_cycles_and_switching_place(page, server: Server) -> None:
    page.goto(f"{server.url}{APP}#home")
    page.get_by_role("heading", name="The cycle at a glance").wait_for()
    page.get_by_text("Haverbrook is deciding 2027/28 priorities (steps 1 to 5).").wait_for()
    page.get_by_text("It is delivering 2026/27 priorities (steps 6 to 8)").wait_for()
    link = page.get_by_role("link", name="1. Board and practices")
    assert link.get_attribute("href") == f"{APP}#board"
    assert page.get_by_role("link", name="8. Exports").get_attribute("href") == f"{APP}#exports"
    assert page.get_by_label("Place", exact=True).is_hidden()  # one place to work in: no switch
    accessible(page, "board-home")

    # A new cycle: a blank name is refused; the good one, double-clicked, starts one cycle.
    before = snapshot(server)
    button(page, "Start a new cycle").click()
    assert refused(page, "cycle name").startswith("cycle name: give the new cycle a name")
    assert snapshot(server) == before
    look(page, "board-home-cycle-error")
    page.get_by_label("Cycle name").fill("2028/29 priorities")
    button(page, "Start a new cycle").dblclick()
    said(page, "Started the cycle '2028/29 priorities': it is now the current one.")
    assert snapshot(server)["cycles"] == [(name, False) for name, _ in before["cycles"]] + [
        ("2028/29 priorities", True)
    ]
    page.get_by_text("Haverbrook is deciding 2028/29 priorities (steps 1 to 5).").wait_for()
    # Delivery stays on last year's list: starting a cycle hides nothing being delivered.
    page.get_by_text("It is delivering 2026/27 priorities (steps 6 to 8)").wait_for()
    cycles = page.get_by_role("region", name="Cycles")
    stages = [r.get_by_role("cell").all_inner_texts() for r in cycles.get_by_role("row").all()[1:]]
    assert stages[0] == ["2028/29 priorities", "Being decided"]
    assert ["2026/27 priorities", "Being delivered"] in stages

    # Places: a wrong code links nothing; the chair's Otherfield code links it, once.
    page.get_by_text("You can work in Haverbrook.").wait_for()
    code_box = page.get_by_label("Sign-in code for the other place")
    code_box.fill("AAA-BBB-CCC")
    button(page, "Link place").click()
    assert refused(page, "sign-in code for the other place").startswith(
        "sign-in code for the other place: that code was not recognised"
    )
    assert snapshot(server)["links"] == 0
    assert code_box.input_value() == ""  # a code typed is never left on the projector
    look(page, "board-home-link-error")
    code_box.fill(server.codes["chair_in_otherfield"])
    button(page, "Link place").dblclick()
    said(page, "Linked Otherfield: switch to it under the header.")
    assert snapshot(server)["links"] == 1

    # The header now offers both places, and only those; switching moves the session.
    switch = page.get_by_label("Place", exact=True)
    switch.wait_for()
    assert switch.locator("option").all_inner_texts() == ["Haverbrook", "Otherfield"]
    look(page, "board-home-two-places")
    switch.select_option(label="Otherfield")
    button(page, "Switch place").click()
    page.locator(".lpgp-status--ok", has_text="Now working in Otherfield.").wait_for()
    page.locator(".lpgp-header__place", has_text="Otherfield").wait_for()
    page.goto(f"{server.url}{APP}#board")
    page.reload()
    page.locator(".lpgp-header__place", has_text="Otherfield").wait_for()
    page.get_by_role("region", name="Board members").get_by_role(
        "row", name="Dr Olu Other"
    ).wait_for()
    assert "Haverbrook" not in page.get_by_role("region", name="Board members").inner_text()
    accessible(page, "board-otherfield")
    page.get_by_label("Place", exact=True).select_option(label="Haverbrook")
    button(page, "Switch place").click()
    page.locator(".lpgp-header__place", has_text="Haverbrook").wait_for()
    page.get_by_role("region", name="Board members").get_by_role(
        "row", name="Dr Tom Pritchard"
    ).wait_for()
    assert page.dialogs == []
