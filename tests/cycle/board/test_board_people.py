"""Step 1's services on every backend: people added, edited and retired (never deleted), people
imported with a preview, the board's members, chair and facilitators (a place always keeps
one of each), sign-in codes reissued only when asked, and cycles started."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lpgp import audit
from lpgp.access import signin
from lpgp.cycle.board import member_code
from lpgp.cycle.board import place as places
from lpgp.cycle.board.people_list import read_people_upload
from lpgp.cycle.board.person import (
    add_person,
    get_person,
    import_people,
    list_board,
    list_people,
    remove_board_member,
    retire_person,
    seat_member,
    set_chair,
    set_facilitator,
    update_person,
)
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.errors import ImportRejected, InvalidInput, NotFound, StateError
from lpgp.model import Role
from lpgp.store.schema import BoardMemberRow, PersonRow

ACTOR = "member:Dr Ada Field"


@pytest.fixture
def place(store):
    def work(s):
        where = places.create_place(s, "Testford", actor="test")
        import_practices(
            s,
            where,
            [
                PracticeInput("Z10001", "Mill Lane Surgery", pcn="North PCN", list_size=9000),
                PracticeInput("Z10002", "Quay Health Centre", pcn="South PCN", list_size=12000),
            ],
            actor="test",
        )
        return where

    return store.write(work)


def people_rows(store) -> list[tuple]:
    with store.read() as s:
        return [
            (r.name, r.role, r.email, r.active_from, r.active_to)
            for r in s.scalars(select(PersonRow).order_by(PersonRow.name))
        ]


def board_rows(store) -> list[tuple]:
    with store.read() as s:
        return [
            (r.person_id, r.is_chair, r.is_facilitator, r.code_digest)
            for r in s.scalars(select(BoardMemberRow).order_by(BoardMemberRow.id))
        ]


def add(store, place, name: str, role: Role = Role.PCN_CLINICAL_DIRECTOR, **kw):
    return store.write(lambda s: add_person(s, place, PersonInput(name, role, **kw), actor=ACTOR))


def test_add_edit_and_retire_a_person(store, place) -> None:
    ada = add(
        store,
        place,
        "  Dr  Ada Field ",
        pcn="North PCN",
        practice="z10001",
        email="ada@example.org",
        active_from=date(2027, 4, 1),
    )
    assert (ada.name, ada.role, ada.pcn, ada.practice) == (
        "Dr Ada Field",
        Role.PCN_CLINICAL_DIRECTOR,
        "North PCN",
        "Z10001",
    )
    before = people_rows(store)
    for item, message in [
        (PersonInput(" ", Role.NURSE), "full name: give the person's name in full"),
        (PersonInput("dr ada field", Role.NURSE), "full name: Testford already has a person"),
        (PersonInput("Sam Hale", Role.NURSE, email="sam@"), "email: 'sam@' is not an email"),
        (
            PersonInput("Sam Hale", Role.NURSE, practice="Z99999"),
            "practice: Testford has no practice Z99999",
        ),
        (
            PersonInput(
                "Sam Hale", Role.NURSE, active_from=date(2027, 4, 2), active_to=date(2027, 4, 1)
            ),
            "active to: 1 Apr 2027 is before active from (2 Apr 2027)",
        ),
    ]:
        with pytest.raises((InvalidInput, NotFound)) as refused:
            store.write(lambda s, i=item: add_person(s, place, i, actor=ACTOR))
        assert str(refused.value).startswith(message)
    assert people_rows(store) == before

    sam = add(store, place, "Sam Hale", Role.NURSE)
    renamed = store.write(
        lambda s: update_person(
            s, place, sam.id, PersonInput("Sam Hale-Jones", Role.PRACTICE_MANAGER), actor=ACTOR
        )
    )
    assert (renamed.id, renamed.name, renamed.role) == (
        sam.id,
        "Sam Hale-Jones",
        Role.PRACTICE_MANAGER,
    )
    with pytest.raises(InvalidInput, match="^full name: Testford already has another person"):
        store.write(
            lambda s: update_person(
                s, place, sam.id, PersonInput("DR ADA FIELD", Role.NURSE), actor=ACTOR
            )
        )

    with pytest.raises(InvalidInput, match="^retire on: 31 Mar 2027 is before Dr Ada Field"):
        store.write(lambda s: retire_person(s, place, ada.id, date(2027, 3, 31), actor=ACTOR))
    retired = store.write(lambda s: retire_person(s, place, ada.id, date(2028, 3, 31), actor=ACTOR))
    assert retired.active_to == date(2028, 3, 31)
    with store.read() as s:
        assert [p.name for p in list_people(s, place)] == ["Dr Ada Field", "Sam Hale-Jones"]
        assert [e.action for e in audit.entries(s, place.id)][-4:] == [
            "person.added",
            "person.added",
            "person.updated",
            "person.retired",
        ]


def test_a_board_member_leaves_the_board_before_retiring(store, place) -> None:
    ada = add(store, place, "Dr Ada Field")
    store.write(lambda s: seat_member(s, place, ada.id, actor=ACTOR))
    with pytest.raises(StateError, match="Dr Ada Field is on the Testford board: retire them"):
        store.write(lambda s: retire_person(s, place, ada.id, date(2028, 1, 1), actor=ACTOR))
    with store.read() as s:
        assert get_person(s, place, ada.id).active_to is None


def test_board_keeps_a_chair_and_a_facilitator(store, place) -> None:
    add(store, place, "Zoe Extra")  # so that no seat's id is its person's id
    ids = {n: add(store, place, n).id for n in ("Dr Ada Field", "Dr Ben Rao", "Sam Hale")}
    for person in ids.values():
        store.write(lambda s, p=person: seat_member(s, place, p, actor=ACTOR))
    with pytest.raises(InvalidInput, match="^person to add: Sam Hale is already on the Testford"):
        store.write(lambda s: seat_member(s, place, ids["Sam Hale"], actor=ACTOR))
    # A board being set up may lose members before it has a chair or a facilitator.
    store.write(lambda s: set_chair(s, place, "Dr Ada Field", actor=ACTOR))
    store.write(lambda s: set_facilitator(s, place, "Dr Ada Field", True, actor=ACTOR))
    before = board_rows(store)

    with pytest.raises(StateError) as refused:
        store.write(lambda s: remove_board_member(s, place, "Dr Ada Field", actor=ACTOR))
    assert str(refused.value) == (
        "The board must keep a chair, and Dr Ada Field is its only one. That would leave "
        "Dr Ben Rao and Sam Hale: make one of them chair first."
    )
    with pytest.raises(StateError) as refused:
        store.write(lambda s: set_facilitator(s, place, "Dr Ada Field", False, actor=ACTOR))
    assert str(refused.value) == (
        "The board must keep a facilitator, and Dr Ada Field is its only one. That would "
        "leave Dr Ben Rao and Sam Hale, none of whom facilitates: make one of them a "
        "facilitator first."
    )
    assert board_rows(store) == before

    # Move the chair and add a facilitator: then Dr Ada Field may stop and leave.
    moved = store.write(lambda s: set_chair(s, place, "Dr Ben Rao", actor=ACTOR))
    assert moved.is_chair
    store.write(lambda s: set_facilitator(s, place, "Sam Hale", True, actor=ACTOR))
    store.write(lambda s: set_facilitator(s, place, "Dr Ada Field", False, actor=ACTOR))
    gone = store.write(lambda s: remove_board_member(s, place, "Dr Ada Field", actor=ACTOR))
    assert gone.name == "Dr Ada Field"
    with store.read() as s:
        board = [(m.name, m.is_chair, m.is_facilitator) for m in list_board(s, place)]
        assert board == [("Dr Ben Rao", True, False), ("Sam Hale", False, True)]
        assert get_person(s, place, "Dr Ada Field").name == "Dr Ada Field"  # still a person


def test_retiring_a_member_ends_their_code_and_sessions(store, place) -> None:
    for name in ("Dr Ada Field", "Dr Ben Rao"):
        add(store, place, name)
        store.write(lambda s, n=name: seat_member(s, place, n, actor=ACTOR))
    issued = store.write(lambda s: member_code.issue_code(s, place, "Dr Ben Rao", actor=ACTOR))
    _, token = store.write(lambda s: signin.sign_in_member(s, issued.code))
    store.write(lambda s: remove_board_member(s, place, "Dr Ben Rao", actor=ACTOR))
    with store.read() as s:
        assert signin.visitor_for_token(s, token) is None
        assert member_code.member_for_code(s, issued.code) is None
    assert store.write(lambda s: signin.sign_in_member(s, issued.code)) is None


def test_a_retired_person_cannot_join_the_board(store, place) -> None:
    add(store, place, "Sam Hale", active_to=date(2020, 3, 31))
    with pytest.raises(InvalidInput, match="^person to add: Sam Hale retired on 31 Mar 2020"):
        store.write(lambda s: seat_member(s, place, "Sam Hale", actor=ACTOR))
    assert board_rows(store) == []


def test_a_code_is_reissued_only_when_asked(store, place) -> None:
    add(store, place, "Dr Ada Field")
    store.write(lambda s: seat_member(s, place, "Dr Ada Field", actor=ACTOR))
    with store.read() as s:
        assert member_code.code_holders(s, place) == set()
    first = store.write(
        lambda s: member_code.issue_code(s, place, "Dr Ada Field", replace=False, actor=ACTOR)
    )
    with store.read() as s:
        assert member_code.code_holders(s, place) == {first.member.person_id}
    before = board_rows(store)
    with pytest.raises(StateError, match="Dr Ada Field already has a sign-in code"):
        store.write(
            lambda s: member_code.issue_code(s, place, "Dr Ada Field", replace=False, actor=ACTOR)
        )
    assert board_rows(store) == before
    second = store.write(lambda s: member_code.issue_code(s, place, "Dr Ada Field", actor=ACTOR))
    with store.read() as s:
        assert member_code.member_for_code(s, first.code) is None
        assert member_code.member_for_code(s, second.code)[1].name == "Dr Ada Field"


PEOPLE_CSV = (
    "\ufeffFull name,Role,PCN,Practice,Email,Start date\r\n"
    "Dr Ada Field,PCN clinical director,North PCN,Z10001,ada@example.org,01/04/2027\r\n"
    "sam hale,Practice manager,,Z10002,,\r\n"
    ",,,,,\r\n"
    "Priya Shah,LMC chair,,,,\r\n"
).encode()


def test_people_import_previews_then_writes(store, place) -> None:
    add(store, place, "Sam Hale", Role.NURSE)
    incoming = read_people_upload("people.csv", PEOPLE_CSV, practices=["Z10001", "Z10002"])
    before = people_rows(store)
    preview = store.write(
        lambda s: import_people(s, place, incoming, dry_run=True, actor=ACTOR, source="people.csv")
    )
    assert [p.name for p in preview.added] == ["Dr Ada Field", "Priya Shah"]
    assert [(p.name, f) for p, f in preview.updated] == [("sam hale", ("role", "practice"))]
    assert people_rows(store) == before
    done = store.write(
        lambda s: import_people(s, place, incoming, actor=ACTOR, source="people.csv")
    )
    assert done.summary() == "added 2, updated 1, unchanged 0"
    with store.read() as s:
        found = {p.name: (p.role, p.practice) for p in list_people(s, place)}
        assert found == {
            "Dr Ada Field": (Role.PCN_CLINICAL_DIRECTOR, "Z10001"),
            "Priya Shah": (Role.LMC_CHAIR, None),
            "Sam Hale": (Role.PRACTICE_MANAGER, "Z10002"),  # the file's case renames no one
        }


def test_people_import_names_every_bad_row(store, place) -> None:
    bad = (
        b"Name,Role,Practice,Email\n"
        b"Dr Ada Field,wizard,Z10001,ada@example.org\n"
        b"Sam Hale,nurse,Z99999,\n"
        b"Priya Shah,nurse,,priya@\n"
    )
    with pytest.raises(ImportRejected) as refused:
        read_people_upload("people.csv", bad, practices=["Z10001"])
    assert [str(p) for p in refused.value.problems] == [
        "row 2, column 'Role': 'wizard' is not a role; use one of: PCN clinical director, "
        "LMC chair, GP federation lead, Practice manager, Nurse, Project manager, Other",
        "row 3, column 'Practice': the place has no practice Z99999",
        "row 4, column 'Email': 'priya@' is not an email address",
    ]


def test_a_new_cycle_needs_a_new_name(store, place) -> None:
    store.write(lambda s: places.create_cycle(s, place, "2027/28 priorities", actor=ACTOR))
    for name, message in [
        ("   ", "cycle name: give the new cycle a name"),
        ("2027/28  PRIORITIES", "cycle name: Testford already has a cycle called '2027/28 pri"),
    ]:
        with pytest.raises(InvalidInput, match=f"^{message}"):
            store.write(lambda s, n=name: places.create_cycle(s, place, n, actor=ACTOR))
    made = store.write(lambda s: places.create_cycle(s, place, " 2028/29 priorities", actor=ACTOR))
    with store.read() as s:
        assert places.get_cycle(s, place) == made
        assert [(c.name, c.is_current) for c in places.list_cycles(s, place)] == [
            ("2027/28 priorities", False),
            ("2028/29 priorities", True),
        ]


def test_the_cli_retires_people_and_changes_the_board(cli, tmp_path) -> None:
    assert cli("init", "--place", "Testford", "--chair", "Dr Ada Field")[0] == 0
    assert cli("people", "add", "Sam Hale", "--role", "nurse")[0] == 0
    assert cli("board", "add", "Sam Hale")[0] == 0
    code, _, err = cli("board", "remove", "Dr Ada Field")
    assert code == 1 and "The board must keep a chair, and Dr Ada Field is its only one" in err
    code, out, _ = cli("board", "chair", "Sam Hale")
    assert (code, out) == (0, "Sam Hale is now the chair.\n")
    code, _, err = cli("board", "facilitator", "Dr Ada Field", "--off")
    assert code == 1 and "That would leave Sam Hale, who does not facilitate" in err
    assert cli("board", "facilitator", "Sam Hale")[0] == 0
    assert cli("board", "facilitator", "Dr Ada Field", "--off")[0] == 0
    code, out, _ = cli("board", "remove", "Dr Ada Field")
    assert code == 0 and out.startswith("Dr Ada Field is no longer on the board")
    code, out, _ = cli("people", "retire", "Dr Ada Field", "--on", "31/03/2028")
    assert (code, out) == (0, "Dr Ada Field is active until 31 Mar 2028.\n")
    people = tmp_path / "people.csv"
    people.write_text("Name,Role\nPriya Shah,LMC chair\nsam hale,Practice manager\n")
    code, out, _ = cli("people", "import", str(people), "--dry-run")
    assert code == 0 and out.splitlines() == [
        "people: dry run, nothing written: would have added 1, updated 1, unchanged 0",
        "  + Priya Shah (LMC chair)",
        "  ~ sam hale: role",
    ]
    code, out, _ = cli("people", "list")
    assert "Priya Shah" not in out
