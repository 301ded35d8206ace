"""The agreed list's rules (pure): its value types, and the checks a list or an edit must pass
before :mod:`lpgp.cycle.agreed.priority` stores it; a list that departs from the vote's result needs
a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lpgp.errors import InvalidInput


@dataclass(frozen=True)
class PriorityInput:
    """One priority as the board words it before confirming; ``lead`` is a name or person id."""

    title: str
    ask: str
    why_now: str
    measure: str
    lead: str | int
    candidate_id: int | None = None


@dataclass(frozen=True)
class Priority:
    """An agreed priority in its place on the list."""

    id: int
    place_id: int
    cycle_id: int
    position: int
    title: str
    ask: str
    why_now: str
    measure: str
    lead_id: int
    lead: str
    candidate_id: int | None = None


@dataclass(frozen=True)
class AgreedList:
    """A cycle's confirmed list and the record of its confirmation."""

    id: int
    place_id: int
    cycle_id: int
    cycle: str
    confirmed_at: datetime
    confirmed_by: str
    priorities: tuple[Priority, ...]
    vote_id: int | None = None
    result_order: tuple[int, ...] = ()
    departure_reason: str | None = None


@dataclass(frozen=True)
class ResultDraft:
    """An agreed list drafted from a closed vote: its winners in order, by title and ask, each
    linked to the candidate it came from. Lead, why now and measure are the board's to add."""

    vote_id: int
    vote_title: str
    cycle_id: int
    items: tuple[PriorityInput, ...]
    result_order: tuple[int, ...]


def departure(candidate_ids: Sequence[int | None], result_order: Sequence[int]) -> str | None:
    """How a list departs from the vote's result, or None when it follows it.

    A list follows the result when its items, in order, are the result's first winners.

    >>> departure([5, 2], [5, 2, 9]) is None
    True
    >>> departure([2, 5], [5, 2, 9])
    'item 1 is candidate 2 but the vote placed candidate 5 first'
    >>> departure([5, None], [5, 2])
    'item 2 did not come from the vote (the vote placed candidate 2 second)'
    """
    if not result_order:
        return None
    for index, got in enumerate(candidate_ids):
        want = result_order[index] if index < len(result_order) else None
        place = _ordinal(index + 1)
        if want is None:
            return f"item {index + 1} goes beyond the vote's {len(result_order)} winners"
        if got is None:
            return (
                f"item {index + 1} did not come from the vote "
                f"(the vote placed candidate {want} {place})"
            )
        if got != want:
            return (
                f"item {index + 1} is candidate {got} but the vote placed candidate {want} {place}"
            )
    return None


def _ordinal(n: int) -> str:
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    return words[n - 1] if n <= len(words) else f"number {n}"


def check_list(
    items: Sequence[PriorityInput],
    result_order: Sequence[int] = (),
    departure_reason: str | None = None,
) -> str | None:
    """Refuse a list that breaks a rule (pure); returns how it departs from the result, if it does.

    >>> item = PriorityInput("Same-day access hub", "Fund the hub", "Winter", "Waits", "Dr A", 4)
    >>> check_list([item], [4]) is None
    True
    >>> check_list([item], [7])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: the list departs from the vote's result (item 1 is candidate 4 but...
    """
    if not items:
        raise InvalidInput("an agreed list needs at least one priority")
    seen_titles: dict[str, int] = {}
    seen_candidates: dict[int, int] = {}
    for number, item in enumerate(items, start=1):
        for field, label in (
            ("title", "a title"),
            ("ask", "an ask of the system"),
            ("why_now", "a reason why now"),
            ("measure", "a measure of success"),
        ):
            if not str(getattr(item, field) or "").strip():
                raise InvalidInput(f"priority {number} needs {label}")
        if not str(item.lead).strip():
            raise InvalidInput(f"priority {number} needs a lead from the board")
        key = " ".join(item.title.lower().split())
        if key in seen_titles:
            raise InvalidInput(
                f"priority {number} has the same title as priority {seen_titles[key]}"
            )
        seen_titles[key] = number
        if item.candidate_id is not None:
            if item.candidate_id in seen_candidates:
                raise InvalidInput(
                    f"priority {number} is candidate {item.candidate_id}, "
                    f"already priority {seen_candidates[item.candidate_id]}"
                )
            seen_candidates[item.candidate_id] = number
    how = departure([i.candidate_id for i in items], result_order)
    if how and not (departure_reason or "").strip():
        raise InvalidInput(f"the list departs from the vote's result ({how}): record a reason")
    return how


EDITABLE = {
    "title": "a title",
    "ask": "an ask of the system",
    "why_now": "a reason why now",
    "measure": "a measure of success",
}


def check_edit(changes: dict[str, str | int | None]) -> dict[str, str | int]:
    """The changes an edit of a confirmed priority makes, tidied; refuses an unknown or empty
    field (pure). ``None`` means "leave as it is".

    >>> check_edit({"title": "  Same-day   hub ", "ask": None})
    {'title': 'Same-day hub'}
    >>> check_edit({"measure": " "})
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: measure of success: a priority needs a measure of success
    """
    out: dict[str, str | int] = {}
    for field, value in changes.items():
        if value is None:
            continue
        if field == "lead":
            if not str(value).strip():
                raise InvalidInput("lead: a priority needs a lead from the board")
            out[field] = value if isinstance(value, int) else str(value).strip()
            continue
        if field not in EDITABLE:
            raise InvalidInput(f"{field}: not something a priority has")
        text = " ".join(str(value).split()) if field == "title" else str(value).strip()
        if not text:
            label = EDITABLE[field].split(" ", 1)[1]
            raise InvalidInput(f"{label}: a priority needs {EDITABLE[field]}")
        out[field] = text
    if not out:
        raise InvalidInput("an edit needs at least one field to change")
    return out


def by_number_or_title(priorities: Sequence[Priority]) -> dict[str, Priority]:
    """The priorities under the keys a person writes for one: its number on the list ("2")
    and its title in lower case with single spaces. Spreadsheet readers look rows up here.

    >>> first = Priority(9, 1, 1, 1, "Same-day hub", "", "", "", 3, "Dr Ada")
    >>> sorted(by_number_or_title([first]))
    ['1', 'same-day hub']
    """
    keys: dict[str, Priority] = {}
    for item in priorities:
        keys[str(item.position)] = item
        keys[" ".join(item.title.lower().split())] = item
    return keys
