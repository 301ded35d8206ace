"""People of a place and its leadership board.

Board members and action owners are both people; a board membership adds the chair and
facilitator flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import InvalidInput, NotFound
from .model import EMAIL, BoardMember, Person, Place, Role, check_text, normalise_ods
from .practice import ensure_pcn
from .store.schema import BoardMemberRow, PcnRow, PersonRow, PracticeRow


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


def check_person(item: PersonInput) -> None:
    """Refuse a person whose details break a rule (pure)."""
    if not item.name.strip():
        raise InvalidInput("a person needs a name")
    check_text(item.name, "name")
    check_text(item.pcn, "PCN")
    check_text(item.practice, "practice")
    if item.email and not EMAIL.match(item.email):
        raise InvalidInput(f"'{item.email}' is not an email address")
    if item.active_from and item.active_to and item.active_to < item.active_from:
        raise InvalidInput(
            f"active to ({item.active_to}) is before active from ({item.active_from})"
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


def upsert_person(
    session: Session, place: Place, item: PersonInput, *, actor: str = "cli"
) -> Person:
    """Add a person, or update the one with the same name."""
    check_person(item)
    pcn_id = ensure_pcn(session, place, item.pcn).id if item.pcn else None
    practice_id = None
    if item.practice:
        code = normalise_ods(item.practice)
        practice_id = session.scalar(
            select(PracticeRow.id).where(
                PracticeRow.place_id == place.id, PracticeRow.ods_code == code
            )
        )
        if practice_id is None:
            raise NotFound(f"{place.name} has no practice {code}")
    name = " ".join(item.name.split())
    row = session.scalar(
        select(PersonRow).where(PersonRow.place_id == place.id, PersonRow.name == name)
    )
    created = row is None
    if row is None:
        row = PersonRow(place_id=place.id, name=name)
        session.add(row)
    row.role = item.role.value
    row.pcn_id = pcn_id
    row.practice_id = practice_id
    row.email = item.email
    row.active_from = item.active_from
    row.active_to = item.active_to
    session.flush()
    audit.record(
        session, place.id, actor, "person.added" if created else "person.updated", {"name": name}
    )
    return get_person(session, place, row.id)


def add_board_member(
    session: Session,
    place: Place,
    person: str | int,
    *,
    chair: bool = False,
    facilitator: bool = False,
    actor: str = "cli",
) -> BoardMember:
    """Put a person on the place's board; making someone chair unseats the previous chair."""
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
