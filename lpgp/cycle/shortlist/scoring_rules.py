"""Scoring, the rules (pure): what a score is, the criteria and their weights, and the value
types of a scoring sheet and of the board's progress; :mod:`lpgp.cycle.shortlist.scoring` stores the
marks.

Each member gives each candidate 0-5 on each criterion, or "can't judge". A cell nobody has
marked is *not scored*, never zero. Weights need not add up to anything: they are normalised
when scores are combined.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from lpgp.cycle.candidates.candidate_rules import Candidate
from lpgp.errors import InvalidInput
from lpgp.model import BoardMember, Cycle

LOWEST, HIGHEST = 0, 5
CANT_JUDGE = "can't judge"
_CANT_JUDGE_WORDS = {"cant judge", "can't judge", "cannot judge", "cj", "?", "n/k", "dk"}

Cell = int | str  # a score 0-5, or CANT_JUDGE
ScoreKey = tuple[int, str]  # (candidate id, criterion key)


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion of a cycle: a short key, a label for people, and a weight."""

    key: str
    label: str
    weight: float = 1.0


#: The default criteria: the four qualities of a good priority, plus whether it can be done.
DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("joint_working", "Strengthens how practices are supported by working together"),
    Criterion("influence", "Names the influence general practice wants on the local system"),
    Criterion("practical_action", "Turns into practical actions"),
    Criterion("resonates", "Matters to individual practices"),
    Criterion("feasibility", "Can be delivered in this cycle"),
)

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parse_score(value: object, where: str = "score") -> Cell | None:
    """Read one cell: a whole number 0-5, "can't judge", or blank (None: clear the cell).

    >>> parse_score("4"), parse_score("can't judge"), parse_score("")
    (4, "can't judge", None)
    >>> parse_score(7, "Hub / feasibility")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: Hub / feasibility: 7 is not a score; use a whole number 0 to 5 or "can't judge"
    """  # noqa: E501
    prefix = f"{where}: " if where else ""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f'{prefix}{value!r} is not a score; use 0 to 5 or "{CANT_JUDGE}"')
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = " ".join(str(value).strip().lower().replace("’", "'").split())
        if text == "":
            return None
        if text in _CANT_JUDGE_WORDS:
            return CANT_JUDGE
        try:
            number = float(text)
        except ValueError:
            number = math.nan
    if not (math.isfinite(number) and number.is_integer() and LOWEST <= number <= HIGHEST):
        shown = int(number) if math.isfinite(number) and number.is_integer() else value
        raise InvalidInput(
            f"{prefix}{shown} is not a score; use a whole number {LOWEST} to {HIGHEST} "
            f'or "{CANT_JUDGE}"'
        )
    return int(number)


def check_criteria(criteria: Iterable[Criterion]) -> list[Criterion]:
    """Refuse a set of criteria with a bad key, a blank label, a repeated key, a negative or
    non-finite weight, or no weight above zero (pure).

    >>> check_criteria([Criterion("reach", "Reach", -1)])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: criterion 'reach': weight -1 is below 0; weights must be 0 or more
    """
    items = list(criteria)
    if not items:
        raise InvalidInput("give at least one criterion")
    seen: set[str] = set()
    for item in items:
        if not _KEY.match(item.key):
            raise InvalidInput(
                f"criterion key '{item.key}' must be lower-case letters, digits or _ "
                "(up to 40), starting with a letter"
            )
        if item.key in seen:
            raise InvalidInput(f"criterion '{item.key}' is given twice")
        seen.add(item.key)
        if not item.label.strip():
            raise InvalidInput(f"criterion '{item.key}' needs a label")
        weight = item.weight
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise InvalidInput(f"criterion '{item.key}': weight {weight!r} is not a number")
        if not math.isfinite(weight):
            raise InvalidInput(f"criterion '{item.key}': weight {weight} is not a number")
        if weight < 0:
            shown = int(weight) if float(weight).is_integer() else weight
            raise InvalidInput(
                f"criterion '{item.key}': weight {shown} is below 0; weights must be 0 or more"
            )
    if not any(i.weight > 0 for i in items):
        raise InvalidInput("at least one criterion needs a weight above 0")
    return items


def normalised_weights(criteria: Iterable[Criterion]) -> dict[str, float]:
    """Each criterion's share of the total weight (pure).

    >>> normalised_weights([Criterion("a", "A", 3), Criterion("b", "B", 1)])
    {'a': 0.75, 'b': 0.25}
    """
    items = check_criteria(criteria)
    total = sum(float(i.weight) for i in items)
    return {i.key: float(i.weight) / total for i in items}


def read_weight(text: str, label: str) -> float:
    """A weight as typed in a form: a number 0 or more, refused naming the criterion (pure).

    >>> read_weight(" 2 ", "Reaches every practice")
    2.0
    >>> read_weight("two", "Reaches every practice")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: weight for 'Reaches every practice': 'two' is not a number; type a number such as 1 or 0.5
    """  # noqa: E501
    shown = " ".join(str(text).split())
    try:
        weight = float(shown)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight):
        raise InvalidInput(
            f"weight for '{label}': '{shown}' is not a number; type a number such as 1 or 0.5"
        )
    if weight < 0:
        raise InvalidInput(f"weight for '{label}': {shown} is below 0; weights must be 0 or more")
    return weight


def _new_key(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
    base = base if base[:1].isalpha() else f"c_{base}"
    base = base[:36].rstrip("_") or "criterion"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def criteria_from_form(rows: Iterable[tuple[str | None, str, str]]) -> list[Criterion]:
    """Criteria as a form gives them, (key, label, weight as typed) in order, checked (pure).

    A row without a key is a new criterion: its key is made from its label, and it is left
    out when both its label and weight are blank. A kept criterion needs a label.

    >>> criteria_from_form([("reach", "Reach", "2"), (None, "Low cost!", "1"), (None, "", "")])
    [Criterion(key='reach', label='Reach', weight=2.0), Criterion(key='low_cost', label='Low cost!', weight=1.0)]
    >>> criteria_from_form([("reach", " ", "1")])
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: label of criterion 1: a criterion needs a label
    """  # noqa: E501
    rows = list(rows)
    items: list[Criterion] = []
    taken = {key for key, _, _ in rows if key}
    for number, (key, label, weight) in enumerate(rows, start=1):
        label = " ".join((label or "").split())
        if not key and not label and not str(weight or "").strip():
            continue
        if not label:
            raise InvalidInput(f"label of criterion {number}: a criterion needs a label")
        if len(label) > 200:
            raise InvalidInput(f"label of criterion {number}: keep it to 200 characters")
        if not key:
            key = _new_key(label, taken)
            taken.add(key)
        items.append(Criterion(key, label, read_weight(weight, label)))
    return check_criteria(items)


def parse_weight(text: str) -> tuple[str, float]:
    """Read ``key=weight`` as typed on the command line.

    >>> parse_weight("feasibility=0.5")
    ('feasibility', 0.5)
    """
    key, sep, value = text.partition("=")
    if not sep:
        raise InvalidInput(f"'{text}' should look like key=weight, e.g. feasibility=2")
    try:
        weight = float(value)
    except ValueError:
        raise InvalidInput(f"'{value}' in '{text}' is not a number") from None
    return key.strip(), weight


def criteria_fixed_reason(marks: int, locked: bool) -> str | None:
    """Why the criteria and weights can no longer change, or None while they still can
    (pure). They are fixed from the first mark: members score against the criteria they
    see, so changing them afterwards would change what a mark already given means.

    >>> criteria_fixed_reason(0, False) is None
    True
    >>> criteria_fixed_reason(12, False)
    'Scoring has started (12 marks recorded), so the criteria and weights are fixed: members are scoring against them.'
    >>> criteria_fixed_reason(1, True)
    'Scoring is locked (1 mark recorded), so the criteria and weights are fixed.'
    """  # noqa: E501
    recorded = f"{marks} mark{'' if marks == 1 else 's'} recorded"
    if locked:
        return f"Scoring is locked ({recorded}), so the criteria and weights are fixed."
    if marks > 0:
        return (
            f"Scoring has started ({recorded}), so the criteria and weights are fixed: "
            "members are scoring against them."
        )
    return None


def _flatten(scores: Mapping) -> list[tuple[object, object, object]]:
    """Accept {(candidate, criterion): value} or {candidate: {criterion: value}}."""
    out: list[tuple[object, object, object]] = []
    for key, value in scores.items():
        if isinstance(value, Mapping):
            out.extend((key, criterion, cell) for criterion, cell in value.items())
        elif isinstance(key, tuple) and len(key) == 2:
            out.append((key[0], key[1], value))
        else:
            raise InvalidInput(
                f"scores must be keyed by (candidate id, criterion) or by candidate id; "
                f"got {key!r}"
            )
    return out


@dataclass(frozen=True)
class ScoringSheet:
    """What one member's scoring sheet shows: candidates, criteria and their marks so far."""

    member: BoardMember
    cycle: Cycle
    candidates: tuple[Candidate, ...]
    criteria: tuple[Criterion, ...]
    scores: Mapping[ScoreKey, Cell]
    interests: frozenset[int]  # candidate ids the member has declared an interest in
    locked: bool


@dataclass(frozen=True)
class MemberProgress:
    """How far one board member has got with their scoring (counts only, never marks)."""

    person_id: int
    name: str
    marked: int  # cells with a score or "can't judge"
    total: int
    candidates_done: int = 0  # candidates with every criterion marked
    candidates_total: int = 0

    @property
    def status(self) -> str:
        """ "not started", "part scored" or "done"."""
        if self.marked == 0:
            return "not started"
        return "done" if self.marked >= self.total else "part scored"


@dataclass(frozen=True)
class CandidateProgress:
    """How many members have marked every criterion of one candidate, and how many have
    marked some of it."""

    candidate_id: int
    title: str
    members_done: int
    members_started: int


@dataclass(frozen=True)
class ScoringProgress:
    """Who has and has not scored yet, for the facilitator's screen."""

    members: tuple[MemberProgress, ...]
    locked: bool
    candidates: tuple[CandidateProgress, ...] = ()

    @property
    def not_started(self) -> list[str]:
        return [m.name for m in self.members if m.status == "not started"]

    @property
    def unfinished(self) -> list[str]:
        return [m.name for m in self.members if m.status != "done"]

    @property
    def started(self) -> int:
        """How many members have marked at least one cell."""
        return sum(1 for m in self.members if m.status != "not started")

    def message(self) -> str:
        """One line such as "3 members have not scored yet".

        >>> ScoringProgress((MemberProgress(1, "A", 0, 5),), False).message()
        '1 member has not scored yet'
        """
        waiting = len(self.not_started)
        partial = len(self.unfinished) - waiting
        if waiting == 0 and partial == 0:
            return "every member has scored every candidate"
        parts = []
        if waiting:
            parts.append(f"{waiting} member{' has' if waiting == 1 else 's have'} not scored yet")
        if partial:
            parts.append(f"{partial} {'is' if partial == 1 else 'are'} part way through")
        return "; ".join(parts)

    def too_few_warning(self) -> str | None:
        """A warning when fewer than half the board has scored anything, or None (pure).

        >>> done, none = MemberProgress(1, "A", 5, 5), MemberProgress(2, "B", 0, 5)
        >>> print(ScoringProgress((done, none, none), False).too_few_warning())
        Only 1 of 3 board members has scored: fewer than half the board. A shortlist fixed now would rest on too few views.
        >>> ScoringProgress((done, none), False).too_few_warning() is None
        True
        """  # noqa: E501
        total = len(self.members)
        if total == 0 or self.started * 2 >= total:
            return None
        verb = "has" if self.started == 1 else "have"
        return (
            f"Only {self.started} of {total} board members {verb} scored: fewer than half "
            "the board. A shortlist fixed now would rest on too few views."
        )


@dataclass(frozen=True)
class ScoreRecord:
    """One marked cell, as the analyst's long table shows it."""

    member_id: int
    member: str
    candidate_id: int
    candidate: str
    criterion: str
    score: int | None  # None when the member could not judge
    cant_judge: bool
    updated_at: datetime


@dataclass(frozen=True)
class Interest:
    """A member's declared interest in a candidate."""

    person_id: int
    member: str
    candidate_id: int
    reason: str


def empty_boxes(
    candidate_ids: Iterable[int], criterion_keys: Iterable[str], scores: Mapping[ScoreKey, Cell]
) -> dict[int, tuple[str, ...]]:
    """The boxes of a sheet with no mark yet (neither a score nor "can't judge"): each
    candidate with any, in sheet order, to the keys of its empty criteria in order (pure).

    >>> empty_boxes([7, 8], ["reach", "cost"], {(7, "reach"): 3, (8, "reach"): CANT_JUDGE})
    {7: ('cost',), 8: ('cost',)}
    >>> empty_boxes([7], ["reach"], {(7, "reach"): 0})
    {}
    """
    keys = list(criterion_keys)
    out: dict[int, tuple[str, ...]] = {}
    for cid in candidate_ids:
        empty = tuple(k for k in keys if scores.get((cid, k)) is None)
        if empty:
            out[cid] = empty
    return out


def empty_line(empty: int, total: int) -> str:
    """The sheet's summary of its empty boxes, in words (pure).

    >>> empty_line(3, 40), empty_line(1, 40), empty_line(40, 40), empty_line(0, 40)
    ('3 boxes are still empty:', '1 box is still empty:', 'All 40 boxes are still empty.', 'Every box is filled in.')
    """  # noqa: E501
    if empty == 0:
        return "Every box is filled in."
    if empty == total:
        return f"All {total} boxes are still empty."
    return f"{empty} {'box is' if empty == 1 else 'boxes are'} still empty:"
