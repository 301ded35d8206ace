"""People of a place and its leadership board.

Board members and action owners are both people; a board membership adds the chair and
facilitator flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date
from typing import Any

from sqlalchemy import Row, Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.board.person_rules import (
    PeopleImport,
    PersonInput,
    _clean,
    check_leadership,
    day_words,
    is_active,
    plan_people_import,
)
from lpgp.cycle.board.practice import ensure_pcn
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import BoardMember, Person, Place, Role, normalise_ods
from lpgp.store.schema import BoardMemberRow, PcnRow, PersonRow, PracticeRow
from lpgp.store.schema_app import SeatLinkRow, WebSessionRow


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


def _people_query(place: Place) -> Select[*tuple[Any, ...]]:
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


def _by_key(query: Select[*tuple[Any, ...]], key: str | int) -> Select[*tuple[Any, ...]]:
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
    row = session.get_one(PersonRow, who.id)
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
    row = session.get_one(PersonRow, who.id)
    row.active_to = on
    session.flush()
    audit.record(
        session, place.id, actor, "person.retired", {"name": who.name, "on": on.isoformat()}
    )
    return get_person(session, place, who.id)


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
        found = get_person(session, place, item.name)  # the planner matched it by name
        kept = replace(item, name=found.name)  # a file's "sam hale" does not rename Sam Hale
        update_person(session, place, found.id, kept, actor=actor)
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


def seat_from_row(row: Row[Any]) -> BoardMember:
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


def _seat_query(place: Place) -> Select[*tuple[Any, ...]]:
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
            if who.active_from
            else "is not active"
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
    session.get_one(BoardMemberRow, seat.id).is_chair = True
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
    session.get_one(BoardMemberRow, seat.id).is_facilitator = facilitator
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
