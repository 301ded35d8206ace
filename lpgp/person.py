"""People of a place and its leadership board.

Board members and action owners are both people; a board membership adds the chair and
facilitator flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from . import audit, clock
from .errors import InvalidInput, NotFound, StateError
from .model import EMAIL, BoardMember, Person, Place, Role, check_text, normalise_ods
from .practice import ensure_pcn
from .store.schema import BoardMemberRow, PcnRow, PersonRow, PracticeRow
from .store.schema_app import SeatLinkRow, WebSessionRow

NAME_LENGTH = 200


@dataclass(frozen=True)
class PersonInput:
    """A person as a form or file describes them, already validated."""

    name: str
    role: Role
    pcn: str | None = None
    practice: str | None = None
    email: str | None = None
    active_from: date | None = None
    active_to: date | None = None


def day_words(value: date) -> str:
    """A date as the library's messages write it.

    >>> day_words(date(2027, 4, 1))
    '1 Apr 2027'
    """
    return f"{value.day} {value:%b} {value.year}"


def check_person(item: PersonInput) -> None:
    """Refuse a person whose details break a rule (pure); each message starts with the field.

    >>> check_person(PersonInput("  ", Role.NURSE))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: full name: give the person's name in full (e.g. Dr Ada Field)
    >>> check_person(PersonInput("Sam Hale", Role.NURSE, active_from=date(2027, 4, 1),
    ...                          active_to=date(2027, 3, 1)))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: active to: 1 Mar 2027 is before active from (1 Apr 2027)
    """
    name = " ".join((item.name or "").split())
    check_text(item.name, "full name")
    if not name:
        raise InvalidInput("full name: give the person's name in full (e.g. Dr Ada Field)")
    if name.isdigit():
        raise InvalidInput(f"full name: '{name}' is a number: give the person's name in full")
    if len(name) > NAME_LENGTH:
        raise InvalidInput(f"full name: longer than {NAME_LENGTH} characters")
    check_text(item.pcn, "PCN")
    check_text(item.practice, "practice")
    check_text(item.email, "email")
    if item.email and not EMAIL.match(item.email):
        raise InvalidInput(f"email: '{item.email}' is not an email address")
    if item.active_from and item.active_to and item.active_to < item.active_from:
        raise InvalidInput(
            f"active to: {day_words(item.active_to)} is before active from "
            f"({day_words(item.active_from)})"
        )


def _person(row: PersonRow, pcn: str | None, practice: str | None) -> Person:
    return Person(
        id=row.id,
        place_id=row.place_id,
        name=row.name,
        role=Role(row.role),
        pcn=pcn,
        practice=practice,
        email=row.email,
        active_from=row.active_from,
        active_to=row.active_to,
    )


def _people_query(place: Place):  # noqa: ANN202
    return (
        select(PersonRow, PcnRow.name, PracticeRow.ods_code)
        .outerjoin(PcnRow, PersonRow.pcn_id == PcnRow.id)
        .outerjoin(PracticeRow, PersonRow.practice_id == PracticeRow.id)
        .where(PersonRow.place_id == place.id)
        .order_by(PersonRow.name)
    )


def list_people(session: Session, place: Place) -> list[Person]:
    """Everyone the place knows, by name."""
    return [_person(*r) for r in session.execute(_people_query(place))]


def _by_key(query, key: str | int):  # noqa: ANN001, ANN202
    """``query`` narrowed to the person with this id, or this exact name (any case)."""
    if isinstance(key, int) or str(key).isdigit():
        return query.where(PersonRow.id == int(key))
    return query.where(PersonRow.name.ilike(str(key).strip()))


def get_person(session: Session, place: Place, key: str | int) -> Person:
    """A person of the place by id or exact name (case does not matter)."""
    found = session.execute(_by_key(_people_query(place), key)).first()
    if found is None:
        raise NotFound(f"{place.name} has no person '{key}'")
    return _person(*found)


def _clean(item: PersonInput) -> PersonInput:
    """``item`` checked, with its name's spaces tidied and an empty email made None."""
    check_person(item)
    return PersonInput(
        name=" ".join(item.name.split()),
        role=item.role,
        pcn=" ".join(item.pcn.split()) if item.pcn and item.pcn.strip() else None,
        practice=item.practice or None,
        email=(item.email or "").strip() or None,
        active_from=item.active_from,
        active_to=item.active_to,
    )


def _fill(session: Session, place: Place, row: PersonRow, item: PersonInput) -> None:
    """Write a checked ``item``'s details into ``row`` (its PCN added if new)."""
    practice_id = None
    if item.practice:
        code = normalise_ods(item.practice)
        practice_id = session.scalar(
            select(PracticeRow.id).where(
                PracticeRow.place_id == place.id, PracticeRow.ods_code == code
            )
        )
        if practice_id is None:
            raise NotFound(f"practice: {place.name} has no practice {code}")
    row.role = item.role.value
    row.pcn_id = ensure_pcn(session, place, item.pcn).id if item.pcn else None
    row.practice_id = practice_id
    row.email = item.email
    row.active_from = item.active_from
    row.active_to = item.active_to


def _named(session: Session, place: Place, name: str) -> PersonRow | None:
    """The place's person called ``name``, whatever its case."""
    return session.scalar(
        select(PersonRow).where(
            PersonRow.place_id == place.id, func.lower(PersonRow.name) == name.lower()
        )
    )


def upsert_person(
    session: Session, place: Place, item: PersonInput, *, actor: str | None = None
) -> Person:
    """Add a person, or update the one with the same name."""
    actor = audit.acting(actor)
    item = _clean(item)
    row = session.scalar(
        select(PersonRow).where(PersonRow.place_id == place.id, PersonRow.name == item.name)
    )
    created = row is None
    if row is None:
        row = PersonRow(place_id=place.id, name=item.name)
    _fill(session, place, row, item)
    session.add(row)
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "person.added" if created else "person.updated",
        {"name": item.name},
    )
    return get_person(session, place, row.id)


def add_person(session: Session, place: Place, item: PersonInput, *, actor: str) -> Person:
    """Add a new person; refused if the place already has someone of that name (any case)."""
    item = _clean(item)
    found = _named(session, place, item.name)
    if found is not None:
        raise InvalidInput(
            f"full name: {place.name} already has a person called '{found.name}': "
            "edit their details instead"
        )
    row = PersonRow(place_id=place.id, name=item.name)
    _fill(session, place, row, item)
    session.add(row)
    session.flush()
    audit.record(session, place.id, actor, "person.added", {"name": item.name})
    return get_person(session, place, row.id)


def update_person(
    session: Session, place: Place, key: str | int, item: PersonInput, *, actor: str
) -> Person:
    """Change a person's details, their name included (refused if another person of the
    place has the new name)."""
    item = _clean(item)
    who = get_person(session, place, key)
    clash = _named(session, place, item.name)
    if clash is not None and clash.id != who.id:
        raise InvalidInput(
            f"full name: {place.name} already has another person called '{clash.name}'"
        )
    row = session.get(PersonRow, who.id)
    row.name = item.name
    _fill(session, place, row, item)
    session.flush()
    detail = {"name": item.name} | ({"was": who.name} if who.name != item.name else {})
    audit.record(session, place.id, actor, "person.updated", detail)
    return get_person(session, place, row.id)


def retire_person(
    session: Session, place: Place, key: str | int, on: date | None, *, actor: str
) -> Person:
    """Record the last day a person is active (they are never deleted: actions and scores
    keep their name). Someone on the board leaves the board first."""
    who = get_person(session, place, key)
    if on is None:
        raise InvalidInput(f"retire on: choose the last day {who.name} is active")
    if who.active_from and on < who.active_from:
        raise InvalidInput(
            f"retire on: {day_words(on)} is before {who.name} became active "
            f"({day_words(who.active_from)})"
        )
    seat = session.scalar(
        select(BoardMemberRow.id).where(
            BoardMemberRow.place_id == place.id, BoardMemberRow.person_id == who.id
        )
    )
    if seat is not None:
        raise StateError(
            f"{who.name} is on the {place.name} board: retire them from the board first "
            "(Board and practices), then as a person"
        )
    row = session.get(PersonRow, who.id)
    row.active_to = on
    session.flush()
    audit.record(
        session, place.id, actor, "person.retired", {"name": who.name, "on": on.isoformat()}
    )
    return get_person(session, place, who.id)


def is_active(person: Person, on: date) -> bool:
    """Whether ``person`` is active on the day ``on``.

    >>> ada = Person(1, 1, "Dr Ada", Role.NURSE, active_to=date(2027, 3, 31))
    >>> is_active(ada, date(2027, 3, 31)), is_active(ada, date(2027, 4, 1))
    (True, False)
    """
    if person.active_from and on < person.active_from:
        return False
    return not (person.active_to and on > person.active_to)


@dataclass(frozen=True)
class PeopleImport:
    """What importing a people file does (or, in a dry run, would do): names added, names
    updated with the details that change, and how many rows change nothing."""

    added: tuple[PersonInput, ...] = ()
    updated: tuple[tuple[PersonInput, tuple[str, ...]], ...] = ()
    unchanged: int = 0
    dry_run: bool = False
    notes: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        """One line a person can read.

        >>> PeopleImport(added=(PersonInput("Sam Hale", Role.NURSE),), unchanged=2).summary()
        'added 1, updated 0, unchanged 2'
        """
        text = f"added {len(self.added)}, updated {len(self.updated)}, unchanged {self.unchanged}"
        return ("dry run, nothing written: would have " + text) if self.dry_run else text


PERSON_FIELDS = {
    "role": "role",
    "pcn": "PCN",
    "practice": "practice",
    "email": "email",
    "active_from": "active from",
    "active_to": "active to",
}


def plan_people_import(existing: Sequence[Person], incoming: Sequence[PersonInput]) -> PeopleImport:
    """Compare the place's people with an incoming list, matched by name in any case: a pure
    rule, no store. People not in the file are left as they are.

    >>> old = [Person(1, 1, "Sam Hale", Role.NURSE, email="sam@example.org")]
    >>> plan = plan_people_import(old, [PersonInput("sam hale", Role.PRACTICE_MANAGER),
    ...                                 PersonInput("Dr Ada Field", Role.LMC_CHAIR)])
    >>> [p.name for p in plan.added], [(p.name, f) for p, f in plan.updated]
    (['Dr Ada Field'], [('sam hale', ('role', 'email'))])
    """
    by_name = {p.name.lower(): p for p in existing}
    added: list[PersonInput] = []
    updated: list[tuple[PersonInput, tuple[str, ...]]] = []
    unchanged = 0
    for item in incoming:
        old = by_name.get(" ".join(item.name.split()).lower())
        if old is None:
            added.append(item)
            continue
        changed = tuple(
            label
            for name, label in PERSON_FIELDS.items()
            if getattr(old, name) != getattr(item, name)
        )
        if changed:
            updated.append((item, changed))
        else:
            unchanged += 1
    return PeopleImport(tuple(added), tuple(updated), unchanged)


def import_people(
    session: Session,
    place: Place,
    incoming: Sequence[PersonInput],
    *,
    dry_run: bool = False,
    actor: str,
    source: str = "",
) -> PeopleImport:
    """Add the file's new people and update those the place has (matched by name), in the
    caller's transaction; with ``dry_run``, only report what would change."""
    report = plan_people_import(list_people(session, place), incoming)
    if dry_run:
        return PeopleImport(report.added, report.updated, report.unchanged, dry_run=True)
    for item in report.added:
        add_person(session, place, item, actor=actor)
    for item, _ in report.updated:
        row = _named(session, place, item.name)
        kept = replace(item, name=row.name)  # a file's "sam hale" does not rename Sam Hale
        update_person(session, place, row.id, kept, actor=actor)
    audit.record(
        session,
        place.id,
        actor,
        "people.imported",
        {
            "source": source,
            "added": [p.name for p in report.added],
            "updated": [p.name for p, _ in report.updated],
        },
    )
    return report


def add_board_member(
    session: Session,
    place: Place,
    person: str | int,
    *,
    chair: bool = False,
    facilitator: bool = False,
    actor: str | None = None,
) -> BoardMember:
    """Put a person on the place's board; making someone chair unseats the previous chair."""
    actor = audit.acting(actor)
    who = get_person(session, place, person)
    row = session.scalar(
        select(BoardMemberRow).where(
            BoardMemberRow.place_id == place.id, BoardMemberRow.person_id == who.id
        )
    )
    if row is None:
        row = BoardMemberRow(place_id=place.id, person_id=who.id)
        session.add(row)
    if chair:
        for other in session.scalars(
            select(BoardMemberRow).where(BoardMemberRow.place_id == place.id)
        ):
            other.is_chair = False
    row.is_chair = chair or bool(row.is_chair)
    row.is_facilitator = facilitator or bool(row.is_facilitator)
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "board.member_added",
        {"person": who.name, "chair": row.is_chair, "facilitator": row.is_facilitator},
    )
    return get_board_member(session, place, who.id)


# A board seat joined to its person, as plain columns: what :func:`seat_from_row` reads.
SEAT_COLUMNS = (
    BoardMemberRow.id.label("seat_id"),
    BoardMemberRow.place_id.label("seat_place_id"),
    PersonRow.id.label("person_id"),
    PersonRow.name.label("person_name"),
    PersonRow.role.label("person_role"),
    BoardMemberRow.is_chair,
    BoardMemberRow.is_facilitator,
)


def seat_from_row(row) -> BoardMember:  # noqa: ANN001
    """The board member in a row that carries :data:`SEAT_COLUMNS`.

    >>> from types import SimpleNamespace as Row
    >>> seat = seat_from_row(Row(seat_id=3, seat_place_id=1, person_id=7, person_name="Dr Ada",
    ...     person_role="lmc_chair", is_chair=1, is_facilitator=0))
    >>> seat.name, seat.role.label, seat.is_chair, seat.is_facilitator
    ('Dr Ada', 'LMC chair', True, False)
    """
    return BoardMember(
        id=row.seat_id,
        place_id=row.seat_place_id,
        person_id=row.person_id,
        name=row.person_name,
        role=Role(row.person_role),
        is_chair=bool(row.is_chair),
        is_facilitator=bool(row.is_facilitator),
    )


def _seat_query(place: Place):  # noqa: ANN202
    return (
        select(*SEAT_COLUMNS)
        .join_from(BoardMemberRow, PersonRow, BoardMemberRow.person_id == PersonRow.id)
        .where(BoardMemberRow.place_id == place.id)
    )


def list_board(session: Session, place: Place) -> list[BoardMember]:
    """The place's board: the chair first, then by name."""
    rows = session.execute(
        _seat_query(place).order_by(BoardMemberRow.is_chair.desc(), PersonRow.name)
    )
    return [seat_from_row(r) for r in rows]


def get_board_member(session: Session, place: Place, key: str | int) -> BoardMember:
    """A board member by person id or name."""
    found = session.execute(_by_key(_seat_query(place), key)).first()
    if found is None:
        person = get_person(session, place, key)  # "no such person" before "not on the board"
        raise NotFound(f"{person.name} is not on the {place.name} board")
    return seat_from_row(found)


def _names(members: Sequence[BoardMember], most: int = 3) -> str:
    """Members' names as a sentence lists them, the first few and how many more.

    >>> seat = lambda n: BoardMember(0, 1, 0, n, Role.NURSE)
    >>> _names([seat("A"), seat("B")]), _names([seat(n) for n in "ABCDE"])
    ('A and B', 'A, B, C and 2 others')
    """
    names = [m.name for m in members]
    if len(names) > most:
        rest = len(names) - most
        names = names[:most] + [f"{rest} other" + ("s" if rest != 1 else "")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_leadership(before: Sequence[BoardMember], after: Sequence[BoardMember]) -> None:
    """Refuse a change to a board that had a chair and a facilitator and would be left without
    one, naming who would be left (a pure rule). A board being set up, with neither yet, may
    take members in any order.

    >>> seat = lambda i, n, chair=False, fac=False: BoardMember(i, 1, i, n, Role.NURSE, chair, fac)
    >>> board = [seat(1, "Dr Ada Field", True, True), seat(2, "Sam Hale"), seat(3, "Dr Ben Rao")]
    >>> check_leadership(board, board[1:])
    Traceback (most recent call last):
    ...
    lpgp.errors.StateError: The board must keep a chair, and Dr Ada Field is its only one. That would leave Sam Hale and Dr Ben Rao: make one of them chair first.
    >>> check_leadership(board, [seat(1, "Dr Ada Field", True, False), *board[1:]])
    Traceback (most recent call last):
    ...
    lpgp.errors.StateError: The board must keep a facilitator, and Dr Ada Field is its only one. That would leave Sam Hale and Dr Ben Rao, none of whom facilitates: make one of them a facilitator first.
    >>> check_leadership(board, [seat(1, "Dr Ada Field", True, True), seat(2, "Sam Hale", True)])
    """  # noqa: E501
    for flag, role, making, none in (
        ("is_chair", "chair", "chair", ""),
        ("is_facilitator", "facilitator", "a facilitator", ", none of whom facilitates"),
    ):
        had = [m for m in before if getattr(m, flag)]
        if not had or any(getattr(m, flag) for m in after):
            continue
        losing = {m.id for m in had}
        others = [m for m in after if m.id not in losing]
        verb, only = ("is", "its only one") if len(had) == 1 else ("are", "its only ones")
        lead = f"The board must keep a {role}, and {_names(had)} {verb} {only}."
        if not others:
            raise StateError(
                f"{lead} No one else is on the board: add another member and make them "
                f"{making} first."
            )
        raise StateError(
            f"{lead} That would leave {_names(others)}{none if len(others) > 1 else ''}"
            f"{', who does not facilitate' if none and len(others) == 1 else ''}: "
            f"make {'one of them' if len(others) > 1 else 'them'} {making} first."
        )


def seat_member(session: Session, place: Place, key: str | int, *, actor: str) -> BoardMember:
    """Put a person on the board as a member (no chair or facilitator role yet); refused if
    they are on it already or are not active today."""
    who = get_person(session, place, key)
    taken = session.scalar(
        select(BoardMemberRow.id).where(
            BoardMemberRow.place_id == place.id, BoardMemberRow.person_id == who.id
        )
    )
    if taken is not None:
        raise InvalidInput(f"person to add: {who.name} is already on the {place.name} board")
    today = clock.today()
    if not is_active(who, today):
        when = (
            f"retired on {day_words(who.active_to)}"
            if who.active_to and who.active_to < today
            else f"is active only from {day_words(who.active_from)}"
        )
        raise InvalidInput(f"person to add: {who.name} {when}, so cannot join the board today")
    session.add(BoardMemberRow(place_id=place.id, person_id=who.id))
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "board.member_added",
        {"person": who.name, "chair": False, "facilitator": False},
    )
    return get_board_member(session, place, who.id)


def set_chair(session: Session, place: Place, key: str | int, *, actor: str) -> BoardMember:
    """Make a board member the chair; the previous chair stays on the board as a member. The
    board always has one chair, so the chair is moved, never taken away."""
    seat = get_board_member(session, place, key)
    if seat.is_chair:
        raise InvalidInput(f"board member: {seat.name} is already the chair")
    session.execute(
        update(BoardMemberRow).where(BoardMemberRow.place_id == place.id).values(is_chair=False)
    )
    session.get(BoardMemberRow, seat.id).is_chair = True
    session.flush()
    audit.record(session, place.id, actor, "board.chair_set", {"person": seat.name})
    return get_board_member(session, place, seat.person_id)


def set_facilitator(
    session: Session, place: Place, key: str | int, facilitator: bool, *, actor: str
) -> BoardMember:
    """Let a board member run the workshop app, or stop them; the last facilitator cannot
    stop (:func:`check_leadership`)."""
    board = list_board(session, place)
    seat = get_board_member(session, place, key)
    if seat.is_facilitator == facilitator:
        state = "already a facilitator" if facilitator else "not a facilitator"
        raise InvalidInput(f"board member: {seat.name} is {state}")
    after = [replace(m, is_facilitator=facilitator) if m.id == seat.id else m for m in board]
    check_leadership(board, after)
    session.get(BoardMemberRow, seat.id).is_facilitator = facilitator
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "board.facilitator_set" if facilitator else "board.facilitator_unset",
        {"person": seat.name},
    )
    return get_board_member(session, place, seat.person_id)


def remove_board_member(
    session: Session, place: Place, key: str | int, *, actor: str
) -> BoardMember:
    """Take a member off the board (they stay a person of the place, with their scores): the
    chair and the last facilitator cannot leave (:func:`check_leadership`). Their sign-in code
    stops working, their open sessions end, and links to their seats in other places go."""
    board = list_board(session, place)
    seat = get_board_member(session, place, key)
    check_leadership(board, [m for m in board if m.id != seat.id])
    now = clock.now().astimezone(UTC)
    session.execute(
        update(WebSessionRow)
        .where(WebSessionRow.member_id == seat.id, WebSessionRow.ended_at.is_(None))
        .values(ended_at=now)
    )
    session.execute(
        update(WebSessionRow).where(WebSessionRow.member_id == seat.id).values(member_id=None)
    )
    session.execute(
        delete(SeatLinkRow).where(
            or_(SeatLinkRow.seat_id == seat.id, SeatLinkRow.other_seat_id == seat.id)
        )
    )
    session.execute(delete(BoardMemberRow).where(BoardMemberRow.id == seat.id))
    session.flush()
    audit.record(session, place.id, actor, "board.member_removed", {"person": seat.name})
    return seat
