"""Which places a signed-in facilitator may work in, the rules (pure): a seat, a link between
two seats, whether a link still holds, and the places a chain of links reaches;
:mod:`lpgp.access.place_access` records links and switches a session between places.

A signed-in facilitator may switch to a place only if a chain of links joins their seat to a
seat of theirs there on which they are a facilitator (:func:`reachable_places`); a link holds
while both seats keep the codes they had when it was made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Seat:
    """A board seat as the rule needs it: where it is, its code's digest, and whether it may
    run the workshop app."""

    id: int
    place_id: int
    digest: str | None
    is_facilitator: bool


@dataclass(frozen=True)
class Link:
    """Two seats one person proved theirs, with the digests their codes had then."""

    seat_id: int
    seat_digest: str
    other_seat_id: int
    other_digest: str


def holds(link: Link, seats: Mapping[int, Seat]) -> bool:
    """Whether a link still stands: both seats exist and keep the codes they had.

    >>> seats = {1: Seat(1, 10, "a", True), 2: Seat(2, 20, "b", True)}
    >>> holds(Link(1, "a", 2, "b"), seats), holds(Link(1, "a", 2, "old"), seats)
    (True, False)
    """
    one, other = seats.get(link.seat_id), seats.get(link.other_seat_id)
    return (
        one is not None
        and other is not None
        and one.digest is not None
        and other.digest is not None
        and one.digest == link.seat_digest
        and other.digest == link.other_digest
    )


def reachable_seats(start: int, seats: Mapping[int, Seat], links: Iterable[Link]) -> list[Seat]:
    """The seats a person signed in on seat ``start`` holds: that seat, and every seat a chain
    of standing links joins to it, in the order they are reached."""
    standing = [link for link in links if holds(link, seats)]
    found = [start]
    for seat_id in found:  # grows as it goes: a breadth-first walk
        for link in standing:
            for here, there in (
                (link.seat_id, link.other_seat_id),
                (link.other_seat_id, link.seat_id),
            ):
                if here == seat_id and there not in found:
                    found.append(there)
    return [seats[i] for i in found if i in seats]


def reachable_places(start: int, seats: Mapping[int, Seat], links: Iterable[Link]) -> list[int]:
    """The places (ids) a facilitator signed in on seat ``start`` may switch to: their own,
    and each place where a seat linked to theirs is a facilitator's (a pure rule).

    >>> seats = {1: Seat(1, 10, "a", True), 2: Seat(2, 20, "b", True), 3: Seat(3, 30, "c", False)}
    >>> reachable_places(1, seats, [])
    [10]
    >>> reachable_places(1, seats, [Link(1, "a", 2, "b"), Link(2, "b", 3, "c")])
    [10, 20]
    >>> reachable_places(1, seats, [Link(1, "a", 2, "reissued since")])
    [10]
    """
    places: list[int] = []
    for seat in reachable_seats(start, seats, links):
        if (seat.id == start or seat.is_facilitator) and seat.place_id not in places:
            places.append(seat.place_id)
    return places
