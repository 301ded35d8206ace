"""Board members' personal codes: they open a member's scoring sheet and, for facilitators,
the facilitator pages.

A code is shown once, when it is issued; the store keeps only its HMAC digest under the server
key (``purpose="member"``), so reissuing a code makes the old one useless at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp import audit, codes
from lpgp.cycle.board.person import (
    add_board_member,
    get_board_member,
    get_person,
    list_board,
    upsert_person,
)
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.place import get_place
from lpgp.errors import InvalidInput, NotFound, StateError, control_characters, printable
from lpgp.model import BoardMember, Place, Role
from lpgp.store.schema import BoardMemberRow

PURPOSE = "member"


@dataclass(frozen=True)
class IssuedCode:
    """A code just issued to a board member: the only moment the code itself is known."""

    member: BoardMember
    code: str


def issue_code(
    session: Session,
    place: Place,
    person: str | int,
    *,
    replace: bool = True,
    actor: str | None = None,
) -> IssuedCode:
    """Give one board member a new personal code, replacing any code they had (with
    ``replace=False``, refused if they have one: the old code would stop working).

    >>> from lpgp.store import Store  # doctest: +SKIP
    >>> issued = store.write(lambda s: issue_code(s, place, "Dr Amara Okafor"))  # doctest: +SKIP
    """
    actor = audit.acting(actor)
    member = get_board_member(session, place, person)
    code = codes.new_code()
    row = session.get_one(BoardMemberRow, member.id)
    reissued = row.code_digest is not None
    if reissued and not replace:
        raise StateError(
            f"{member.name} already has a sign-in code: a new one stops the old one working, "
            "so confirm the reissue first"
        )
    row.code_digest = codes.digest(code, purpose=PURPOSE)
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "board.code_reissued" if reissued else "board.code_issued",
        {"person": member.name},
    )
    return IssuedCode(member, code)


def code_holders(session: Session, place: Place) -> set[int]:
    """The person ids of the place's board members who have a sign-in code."""
    return set(
        session.scalars(
            select(BoardMemberRow.person_id).where(
                BoardMemberRow.place_id == place.id, BoardMemberRow.code_digest.is_not(None)
            )
        )
    )


NAME_LENGTH = 200


def chair_name(text: str) -> str:
    """A chair's full name as typed, with runs of spaces made one. Refused, naming the problem,
    if blank, too long, or holding any control character (tabs and line breaks too).

    >>> chair_name("  Dr  Ada   Obi ")
    'Dr Ada Obi'
    >>> chair_name("Dr Ada\\x1b[2J")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: the chair's name 'Dr Ada\\x1b[2J' contains a control character ...
    """
    found = control_characters(text or "")
    if found:
        raise InvalidInput(
            f"the chair's name '{printable(text)}' contains a control character "
            f"({', '.join(dict.fromkeys(found))}): type the name again without it"
        )
    name = " ".join((text or "").split())
    if not name:
        raise InvalidInput('the chair needs a name, in full (e.g. "Dr Ada Obi")')
    if name.isdigit():
        raise InvalidInput(f"the chair's name '{name}' is a number: give their name in full")
    if len(name) > NAME_LENGTH:
        raise InvalidInput(f"the chair's name is longer than {NAME_LENGTH} characters")
    return name


def seat_chair(
    session: Session, place: Place, name: str, *, actor: str | None = None
) -> IssuedCode:
    """Make the person called ``name`` (added first if the place has no one by that name) the
    board's chair and a facilitator, and give them a new personal code, all in ``session``.
    A previous chair stays on the board but is no longer chair.

    >>> issued = store.write(lambda s: seat_chair(s, place, "Dr Ada Obi"))  # doctest: +SKIP
    >>> issued.member.is_chair, issued.member.is_facilitator  # doctest: +SKIP
    (True, True)
    """
    actor = audit.acting(actor)
    name = chair_name(name)
    try:
        person = get_person(session, place, name)
    except NotFound:
        person = upsert_person(session, place, PersonInput(name=name, role=Role.OTHER), actor=actor)
    add_board_member(session, place, person.id, chair=True, facilitator=True, actor=actor)
    return issue_code(session, place, person.id, actor=actor)


def issue_codes(
    session: Session, place: Place, *, missing_only: bool = False, actor: str | None = None
) -> list[IssuedCode]:
    """Issue codes to the whole board (or only to members who have none yet)."""
    actor = audit.acting(actor)
    have = {
        row.id
        for row in session.scalars(
            select(BoardMemberRow).where(
                BoardMemberRow.place_id == place.id, BoardMemberRow.code_digest.is_not(None)
            )
        )
    }
    return [
        issue_code(session, place, member.person_id, actor=actor)
        for member in list_board(session, place)
        if not (missing_only and member.id in have)
    ]


def member_for_code(session: Session, code: str) -> tuple[Place, BoardMember] | None:
    """The place and board member a typed code belongs to, or None if it is nobody's."""
    if not codes.normalise(code):
        return None
    row = session.scalar(
        select(BoardMemberRow).where(
            BoardMemberRow.code_digest == codes.digest(code, purpose=PURPOSE)
        )
    )
    if row is None:
        return None
    place = get_place(session, row.place_id)
    return place, get_board_member(session, place, row.person_id)
