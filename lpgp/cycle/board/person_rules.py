"""People and the board, the rules (pure): a person as a form or file describes them, the
checks a person's details must pass, the diff a people file would make, and the rule that a
board keeps its chair and facilitator; :mod:`lpgp.cycle.board.person` stores people and board seats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from lpgp.errors import InvalidInput, StateError
from lpgp.model import EMAIL, BoardMember, Person, Role, check_text

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
