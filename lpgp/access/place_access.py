"""Which places a signed-in facilitator may work in, and switching between them.

A web session is bound to one place and one board seat (:mod:`lpgp.access.signin`). People are kept
per place, so the same person sitting on two places' boards has two seats and two sign-in
codes, and nothing a place's own facilitators can type (a name, an email) proves that a seat
elsewhere is theirs. A person proves it by typing the other seat's code while signed in: that
records a link between the two seats (:func:`link_seat`). The link holds while both seats keep
the codes they had then, so reissuing either code undoes it.

A signed-in facilitator may switch to a place only if a chain of such links joins their seat
to a seat of theirs there on which they are a facilitator (a pure rule,
:func:`~lpgp.access.place_access_rules.reachable_places`); a facilitator of place A cannot switch to
place B otherwise.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lpgp import audit, clock, codes
from lpgp.access.place_access_rules import Link, Seat, reachable_places, reachable_seats
from lpgp.access.signin import MEMBER, TOKEN_PURPOSE, Visitor, visitor_for_token
from lpgp.cycle.board.member_code import member_for_code
from lpgp.cycle.board.person import get_board_member
from lpgp.cycle.board.place import get_place
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Place
from lpgp.store.schema import BoardMemberRow
from lpgp.store.schema_app import SeatLinkRow, WebSessionRow

CODE_FIELD = "sign-in code for the other place"


def _seat(row: BoardMemberRow) -> Seat:
    return Seat(row.id, row.place_id, row.code_digest, bool(row.is_facilitator))


def _walk(session: Session, start: int) -> tuple[dict[int, Seat], list[Link]]:
    """The seats and links around seat ``start``, read from the store a hop at a time."""
    seats: dict[int, Seat] = {}
    links: dict[int, Link] = {}
    frontier, visited = {start}, {start}
    while frontier:
        for row in session.scalars(select(BoardMemberRow).where(BoardMemberRow.id.in_(frontier))):
            seats[row.id] = _seat(row)
        rows = session.scalars(
            select(SeatLinkRow).where(
                or_(SeatLinkRow.seat_id.in_(frontier), SeatLinkRow.other_seat_id.in_(frontier))
            )
        )
        for link in rows:
            links[link.id] = Link(
                link.seat_id, link.seat_digest, link.other_seat_id, link.other_digest
            )
        known = {i for link in links.values() for i in (link.seat_id, link.other_seat_id)}
        frontier = known - visited
        visited |= frontier
    return seats, list(links.values())


def switchable_places(session: Session, visitor: Visitor) -> list[Place]:
    """The places the signed-in ``visitor`` may work in, their own first."""
    if visitor.member is None or not visitor.is_facilitator:
        return [visitor.place]
    seats, links = _walk(session, visitor.member.id)
    return [get_place(session, p) for p in reachable_places(visitor.member.id, seats, links)]


def link_seat(session: Session, visitor: Visitor, code: str, *, actor: str) -> Place:
    """Link the signed-in facilitator's seat to their seat in another place, proved by that
    seat's sign-in code; returns the other place. Refused, naming the field, for a code that
    is nobody's, is for this place, or is for a seat that does not facilitate."""
    if visitor.member is None or not visitor.is_facilitator:
        raise StateError("only a facilitator signed in with their own code can link places")
    if not codes.normalise(code or ""):
        raise InvalidInput(f"{CODE_FIELD}: type the code you were given for that place")
    found = member_for_code(session, code)
    if found is None:
        raise InvalidInput(f"{CODE_FIELD}: that code was not recognised; check it and try again")
    there, seat = found
    if there.id == visitor.place.id:
        raise InvalidInput(
            f"{CODE_FIELD}: that is a code for {there.name}, the place you are working in"
        )
    if not seat.is_facilitator:
        raise InvalidInput(
            f"{CODE_FIELD}: {seat.name} is on the {there.name} board but not a facilitator "
            "there, so the workshop app cannot be used for it"
        )
    mine = session.get(BoardMemberRow, visitor.member.id)
    other = session.get(BoardMemberRow, seat.id)
    if mine is None or mine.code_digest is None:
        raise StateError("your own seat has no sign-in code now: sign in again")
    if other is None or other.code_digest is None:  # found by its code in this transaction
        raise StateError(f"{seat.name}'s seat on the {there.name} board has gone")
    existing = session.scalar(
        select(SeatLinkRow).where(
            or_(
                (SeatLinkRow.seat_id == mine.id) & (SeatLinkRow.other_seat_id == other.id),
                (SeatLinkRow.seat_id == other.id) & (SeatLinkRow.other_seat_id == mine.id),
            )
        )
    )
    if existing is None:
        existing = SeatLinkRow(seat_id=mine.id, other_seat_id=other.id)
        session.add(existing)
    if existing.seat_id == mine.id:
        existing.seat_digest, existing.other_digest = mine.code_digest, other.code_digest
    else:
        existing.seat_digest, existing.other_digest = other.code_digest, mine.code_digest
    existing.created_at = clock.now().astimezone(UTC)
    session.flush()
    detail = {"seat": visitor.member.name, "other_place": there.name, "other_seat": seat.name}
    audit.record(session, visitor.place.id, actor, "places.linked", detail)
    audit.record(
        session,
        there.id,
        actor,
        "places.linked",
        {"seat": seat.name, "other_place": visitor.place.name, "other_seat": visitor.member.name},
    )
    return there


def switch_place(session: Session, token: str | None, target: str | int, *, actor: str) -> Visitor:
    """Move the web session with ``token`` to the place ``target`` (slug, name or id), on the
    signed-in person's facilitator seat there; refused unless :func:`reachable_places` allows
    it. Every page of that session then works in the new place."""
    visitor = visitor_for_token(session, token)
    if visitor is None or token is None:
        raise StateError("your session has ended: sign in again")
    try:
        place = get_place(session, target)
    except NotFound:
        raise InvalidInput(f"place: there is no place '{target}'") from None
    if visitor.member is None or not visitor.is_facilitator:
        raise StateError(f"only a facilitator can switch place, so not to {place.name}")
    seats, links = _walk(session, visitor.member.id)
    start = visitor.member.id
    if place.id not in reachable_places(start, seats, links):
        raise StateError(
            f"You are not a facilitator of {place.name} (or have not linked your seat there "
            f"with its sign-in code), so you cannot switch to it."
        )
    if place.id == visitor.place.id:
        return visitor
    seat = next(
        s
        for s in reachable_seats(start, seats, links)
        if s.place_id == place.id and s.is_facilitator
    )
    member = get_board_member(session, place, _person_of(session, seat.id))
    row = session.scalar(
        select(WebSessionRow).where(
            WebSessionRow.token_digest == codes.digest(token, purpose=TOKEN_PURPOSE)
        )
    )
    if row is None:  # ended while this ran
        raise StateError("your session has ended: sign in again")
    row.place_id, row.member_id, row.subject = place.id, member.id, member.name
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "web.place_switched",
        {"from": visitor.place.name, "to": place.name},
    )
    return Visitor(place, MEMBER, member.name, member)


def _person_of(session: Session, seat_id: int) -> int:
    return session.execute(
        select(BoardMemberRow.person_id).where(BoardMemberRow.id == seat_id)
    ).scalar_one()
