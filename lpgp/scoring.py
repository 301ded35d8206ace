"""Board members score candidates against weighted criteria, until the board locks scoring.

Each member gives each candidate 0-5 on each criterion, or "can't judge". A cell nobody has
marked is *not scored*, never zero. Weights need not add up to anything: they are normalised
when scores are combined. A member may declare an interest in a candidate (say one their own
PCN leads); the aggregate then shows scores with and without them.

Session functions (for the scoring sheet, the CLI and the notebooks) take a session first and
never commit; the rules (:func:`parse_score`, :func:`check_criteria`,
:func:`normalised_weights`) are pure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from . import audit, clock
from .candidate import Candidate, CandidateState, list_candidates
from .errors import InvalidInput, NotFound, StateError
from .model import BoardMember, Cycle, Place
from .person import get_board_member, list_board
from .store.schema_shortlist import (
    CandidateRow,
    CriterionRow,
    InterestRow,
    ScoreRow,
    ScoringLockRow,
    ShortlistRow,
)

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


# --- criteria in the store ------------------------------------------------------------------


def _criterion_rows(session: Session, place: Place, cycle: Cycle) -> list[CriterionRow]:
    return list(
        session.scalars(
            select(CriterionRow)
            .where(CriterionRow.place_id == place.id, CriterionRow.cycle_id == cycle.id)
            .order_by(CriterionRow.position)
        )
    )


def list_criteria(session: Session, place: Place, cycle: Cycle) -> list[Criterion]:
    """The cycle's criteria, or the defaults if the board has not set any."""
    rows = _criterion_rows(session, place, cycle)
    if not rows:
        return list(DEFAULT_CRITERIA)
    return [Criterion(r.key, r.label, r.weight) for r in rows]


def _ensure_criteria(session: Session, place: Place, cycle: Cycle) -> dict[str, CriterionRow]:
    """The cycle's criteria rows, storing the defaults first if there are none.

    Members often submit their first scores at the same moment, so the defaults are inserted
    with "on conflict do nothing": a second writer finds them rather than failing.
    """
    rows = _criterion_rows(session, place, cycle)
    if not rows:
        values = [
            {
                "place_id": place.id,
                "cycle_id": cycle.id,
                "key": item.key,
                "label": item.label,
                "weight": item.weight,
                "position": position,
            }
            for position, item in enumerate(DEFAULT_CRITERIA)
        ]
        dialect = session.get_bind().dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(CriterionRow).values(values)
            session.execute(statement.on_conflict_do_nothing(index_elements=["cycle_id", "key"]))
        else:
            session.add_all(CriterionRow(**v) for v in values)
        session.flush()
        rows = _criterion_rows(session, place, cycle)
    return {r.key: r for r in rows}


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


def criteria_closed(session: Session, place: Place, cycle: Cycle) -> str | None:
    """Why the cycle's criteria can no longer change, or None while the board may still
    change them (before anyone has scored)."""
    marks = session.scalar(
        select(func.count())
        .select_from(ScoreRow)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
    )
    return criteria_fixed_reason(int(marks or 0), is_locked(session, place, cycle))


def set_criteria(
    session: Session,
    place: Place,
    cycle: Cycle,
    criteria: Iterable[Criterion],
    *,
    actor: str | None = None,
) -> list[Criterion]:
    """Replace the cycle's criteria and weights, until the first mark is recorded (see
    :func:`criteria_fixed_reason`)."""
    actor = audit.acting(actor)
    require_open(session, place, cycle)
    items = check_criteria(criteria)
    why = criteria_closed(session, place, cycle)
    if why:
        raise StateError(why)
    existing = _ensure_criteria(session, place, cycle)
    keep = {i.key for i in items}
    for key, row in existing.items():
        if key not in keep:
            session.delete(row)  # nobody has scored yet, so no mark refers to it
    for position, item in enumerate(items):
        row = existing.get(item.key)
        if row is None:
            row = CriterionRow(place_id=place.id, cycle_id=cycle.id, key=item.key)
            session.add(row)
        row.label = item.label.strip()
        row.weight = float(item.weight)
        row.position = position
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scoring.criteria_set",
        {"cycle": cycle.name, "weights": {i.key: float(i.weight) for i in items}},
    )
    return list_criteria(session, place, cycle)


def set_weights(
    session: Session,
    place: Place,
    cycle: Cycle,
    weights: Mapping[str, float],
    *,
    actor: str | None = None,
) -> list[Criterion]:
    """Change some criteria's weights, keeping the rest as they are."""
    actor = audit.acting(actor)
    current = list_criteria(session, place, cycle)
    known = {c.key for c in current}
    for key in weights:
        if key not in known:
            raise NotFound(f"no criterion '{key}'; the criteria are: {', '.join(sorted(known))}")
    changed = [Criterion(c.key, c.label, weights.get(c.key, c.weight)) for c in current]
    return set_criteria(session, place, cycle, changed, actor=actor)


# --- locking --------------------------------------------------------------------------------


def is_locked(session: Session, place: Place, cycle: Cycle) -> bool:
    """Whether the board has locked scoring for the cycle."""
    return (
        session.scalar(
            select(ScoringLockRow.id).where(
                ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
            )
        )
        is not None
    )


def require_open(session: Session, place: Place, cycle: Cycle) -> None:
    """Refuse a change to scoring once the board has locked it."""
    if is_locked(session, place, cycle):
        raise StateError(f"scoring for {cycle.name} is locked; scores can no longer change")


def lock_scoring(session: Session, place: Place, cycle: Cycle, *, actor: str | None = None) -> bool:
    """Lock scoring for the cycle; returns False if it was already locked."""
    actor = audit.acting(actor)
    if is_locked(session, place, cycle):
        return False
    session.add(
        ScoringLockRow(place_id=place.id, cycle_id=cycle.id, locked_at=clock.now(), locked_by=actor)
    )
    session.flush()
    audit.record(session, place.id, actor, "scoring.locked", {"cycle": cycle.name})
    return True


def unlock_scoring(
    session: Session, place: Place, cycle: Cycle, *, actor: str | None = None
) -> bool:
    """Reopen scoring (say it was locked by mistake); refused once the shortlist is fixed.
    Returns False if scoring was not locked."""
    actor = audit.acting(actor)
    if shortlist_fixed(session, place, cycle):
        raise StateError(f"the shortlist for {cycle.name} is fixed; scoring stays locked")
    row = session.scalar(
        select(ScoringLockRow).where(
            ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    audit.record(session, place.id, actor, "scoring.unlocked", {"cycle": cycle.name})
    return True


def shortlist_fixed(session: Session, place: Place, cycle: Cycle) -> bool:
    """Whether the board has fixed the cycle's shortlist."""
    return (
        session.scalar(
            select(ShortlistRow.id).where(
                ShortlistRow.place_id == place.id, ShortlistRow.cycle_id == cycle.id
            )
        )
        is not None
    )


# --- scores ---------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _locked_at(session: Session, place: Place, cycle: Cycle) -> datetime | None:
    moment = session.scalar(
        select(ScoringLockRow.locked_at).where(
            ScoringLockRow.place_id == place.id, ScoringLockRow.cycle_id == cycle.id
        )
    )
    return None if moment is None else _utc(moment)


def scored_candidates(session: Session, place: Place, cycle: Cycle) -> list[Candidate]:
    """The candidates being scored: all of the cycle's, except ones set aside unscored and,
    while scoring is locked, ones drafted after the lock that nobody could score."""
    candidates = list_candidates(session, place, cycle)
    out = {c.id for c in candidates if c.state == CandidateState.NOT_TAKEN_FORWARD}
    locked_at = _locked_at(session, place, cycle)
    if locked_at is not None:
        drafted = session.execute(
            select(CandidateRow.id, CandidateRow.created_at).where(
                CandidateRow.place_id == place.id, CandidateRow.cycle_id == cycle.id
            )
        )
        out |= {cid for cid, at in drafted if _utc(at) >= locked_at}
    scored = set()
    if out:  # which of those had been scored all the same (before being set aside)
        scored = set(
            session.scalars(
                select(ScoreRow.candidate_id)
                .where(
                    ScoreRow.place_id == place.id,
                    ScoreRow.cycle_id == cycle.id,
                    ScoreRow.candidate_id.in_(out),
                )
                .distinct()
            )
        )
    return [c for c in candidates if c.id not in out or c.id in scored]


def _member(session: Session, place: Place, person_id: int) -> BoardMember:
    if isinstance(person_id, bool) or not str(person_id).strip().isdigit():
        raise NotFound(f"'{person_id}' is not a board member's person id")
    return get_board_member(session, place, int(person_id))


def _member_cells(
    session: Session, place: Place, cycle: Cycle, person_id: int
) -> dict[ScoreKey, Cell]:
    rows = session.execute(
        select(ScoreRow.candidate_id, CriterionRow.key, ScoreRow.value)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(
            ScoreRow.place_id == place.id,
            ScoreRow.cycle_id == cycle.id,
            ScoreRow.person_id == person_id,
        )
    )
    return {(cid, key): (CANT_JUDGE if value is None else value) for cid, key, value in rows}


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


def record_scores(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    scores: Mapping,
    actor: str | None = None,
) -> dict[ScoreKey, Cell]:
    """Record one member's scores, all or nothing; returns the member's scores afterwards.

    ``scores`` maps (candidate id, criterion key) to 0-5, "can't judge", or None/"" to clear
    a cell (nested ``{candidate id: {criterion: value}}`` works too). Every cell is checked
    before anything is written: a bad score, an unknown member, candidate or criterion, or
    locked scoring refuses the lot.
    """
    actor = audit.acting(actor)
    require_open(session, place, cycle)
    member = _member(session, place, member_person_id)
    criteria = _ensure_criteria(session, place, cycle)
    candidates = {c.id: c for c in scored_candidates(session, place, cycle)}
    checked: list[tuple[int, CriterionRow, Cell | None]] = []
    for raw_candidate, raw_criterion, raw_value in _flatten(scores):
        if isinstance(raw_candidate, bool) or not str(raw_candidate).strip().isdigit():
            raise NotFound(f"'{raw_candidate}' is not a candidate id")
        candidate = candidates.get(int(str(raw_candidate).strip()))
        if candidate is None:
            raise NotFound(f"{cycle.name} has no candidate {raw_candidate} open for scoring")
        criterion = criteria.get(str(raw_criterion).strip())
        if criterion is None:
            raise NotFound(
                f"no criterion '{raw_criterion}'; the criteria are: {', '.join(criteria)}"
            )
        value = parse_score(raw_value, f"{candidate.title} / {criterion.key}")
        checked.append((candidate.id, criterion, value))
    now = clock.now()
    existing = {
        (row.candidate_id, row.criterion_id): row
        for row in session.scalars(
            select(ScoreRow).where(
                ScoreRow.place_id == place.id,
                ScoreRow.cycle_id == cycle.id,
                ScoreRow.person_id == member.person_id,
            )
        )
    }
    for candidate_id, criterion, value in checked:
        row = existing.get((candidate_id, criterion.id))
        if value is None:
            if row is not None:
                session.delete(row)
                del existing[candidate_id, criterion.id]
            continue
        if row is None:
            row = ScoreRow(
                place_id=place.id,
                cycle_id=cycle.id,
                candidate_id=candidate_id,
                person_id=member.person_id,
                criterion_id=criterion.id,
            )
            session.add(row)
            existing[candidate_id, criterion.id] = row
        row.value = None if value == CANT_JUDGE else int(value)
        row.updated_at = now
        row.updated_by = actor
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scores.recorded",
        {"cycle": cycle.name, "member": member.name, "cells": len(checked)},
    )
    return _member_cells(session, place, cycle, member.person_id)


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


def scoring_sheet(
    session: Session, place: Place, cycle: Cycle, member_person_id: int
) -> ScoringSheet:
    """The member's sheet: every candidate being scored, the criteria, their current marks."""
    member = _member(session, place, member_person_id)
    interests = frozenset(
        session.scalars(
            select(InterestRow.candidate_id).where(
                InterestRow.place_id == place.id,
                InterestRow.cycle_id == cycle.id,
                InterestRow.person_id == member.person_id,
            )
        )
    )
    return ScoringSheet(
        member=member,
        cycle=cycle,
        candidates=tuple(scored_candidates(session, place, cycle)),
        criteria=tuple(list_criteria(session, place, cycle)),
        scores=_member_cells(session, place, cycle, member.person_id),
        interests=interests,
        locked=is_locked(session, place, cycle),
    )


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


def scoring_progress(session: Session, place: Place, cycle: Cycle) -> ScoringProgress:
    """Each board member's count of marked cells against the cells on their sheet, and for
    each candidate how many members have scored it; never anyone's marks."""
    candidates = {c.id: c.title for c in scored_candidates(session, place, cycle)}
    criteria = {c.key for c in list_criteria(session, place, cycle)}
    total = len(candidates) * len(criteria)
    marked: dict[int, int] = {}
    cells: dict[tuple[int, int], int] = {}
    rows = session.execute(
        select(ScoreRow.person_id, ScoreRow.candidate_id, CriterionRow.key)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
    )
    for person_id, candidate_id, key in rows:
        if candidate_id in candidates and key in criteria:
            marked[person_id] = marked.get(person_id, 0) + 1
            cells[person_id, candidate_id] = cells.get((person_id, candidate_id), 0) + 1
    full = {pair for pair, n in cells.items() if n >= len(criteria)}
    board = list_board(session, place)
    members = tuple(
        MemberProgress(
            m.person_id,
            m.name,
            marked.get(m.person_id, 0),
            total,
            sum(1 for cid in candidates if (m.person_id, cid) in full),
            len(candidates),
        )
        for m in board
    )
    on_board = {m.person_id for m in board}
    per_candidate = tuple(
        CandidateProgress(
            cid,
            title,
            sum(1 for pid in on_board if (pid, cid) in full),
            sum(1 for pid in on_board if (pid, cid) in cells),
        )
        for cid, title in candidates.items()
    )
    return ScoringProgress(members, is_locked(session, place, cycle), per_candidate)


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


def score_records(session: Session, place: Place, cycle: Cycle) -> list[ScoreRecord]:
    """Every marked cell of the cycle: member, candidate, criterion, score or can't judge."""
    names = {m.person_id: m.name for m in list_board(session, place)}
    titles = {c.id: c.title for c in list_candidates(session, place, cycle)}
    rows = session.execute(
        select(ScoreRow, CriterionRow.key)
        .join(CriterionRow, ScoreRow.criterion_id == CriterionRow.id)
        .where(ScoreRow.place_id == place.id, ScoreRow.cycle_id == cycle.id)
        .order_by(ScoreRow.candidate_id, ScoreRow.person_id, CriterionRow.position)
    )
    return [
        ScoreRecord(
            member_id=row.person_id,
            member=names.get(row.person_id, f"person {row.person_id}"),
            candidate_id=row.candidate_id,
            candidate=titles.get(row.candidate_id, ""),
            criterion=key,
            score=row.value,
            cant_judge=row.value is None,
            updated_at=row.updated_at,
        )
        for row, key in rows
    ]


# --- declared interests ---------------------------------------------------------------------


@dataclass(frozen=True)
class Interest:
    """A member's declared interest in a candidate."""

    person_id: int
    member: str
    candidate_id: int
    reason: str


def declare_interest(
    session: Session,
    place: Place,
    cycle: Cycle,
    member_person_id: int,
    candidate_id: int,
    reason: str,
    *,
    actor: str | None = None,
) -> Interest:
    """Record (or restate) a member's interest in a candidate, with the reason."""
    actor = audit.acting(actor)
    if shortlist_fixed(session, place, cycle):
        raise StateError(f"the shortlist for {cycle.name} is fixed; interests can't change now")
    member = _member(session, place, member_person_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(
            "what the interest is: say what it is, e.g. 'my PCN runs the pilot this grows from'"
        )
    candidates = {c.id: c for c in list_candidates(session, place, cycle)}
    if not str(candidate_id).strip().isdigit() or int(candidate_id) not in candidates:
        raise NotFound(f"{cycle.name} has no candidate {candidate_id}")
    row = session.scalar(
        select(InterestRow).where(
            InterestRow.candidate_id == int(candidate_id),
            InterestRow.person_id == member.person_id,
        )
    )
    if row is None:
        row = InterestRow(
            place_id=place.id,
            cycle_id=cycle.id,
            candidate_id=int(candidate_id),
            person_id=member.person_id,
        )
        session.add(row)
    row.reason = reason
    row.declared_at = clock.now()
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "scoring.interest_declared",
        {"member": member.name, "candidate": int(candidate_id)},
        note=reason,
    )
    return Interest(member.person_id, member.name, int(candidate_id), reason)


def list_interests(session: Session, place: Place, cycle: Cycle) -> list[Interest]:
    """Every declared interest in the cycle's candidates."""
    names = {m.person_id: m.name for m in list_board(session, place)}
    rows = session.scalars(
        select(InterestRow)
        .where(InterestRow.place_id == place.id, InterestRow.cycle_id == cycle.id)
        .order_by(InterestRow.id)
    )
    return [
        Interest(
            r.person_id, names.get(r.person_id, f"person {r.person_id}"), r.candidate_id, r.reason
        )
        for r in rows
    ]


# --- many members at once (a spreadsheet of scores) -----------------------------------------


def sheet_names(
    session: Session, place: Place, cycle: Cycle
) -> tuple[dict[str, int], dict[str, int]]:
    """Lower-case names and ids of board members and candidates, for reading a score sheet."""
    members: dict[str, int] = {}
    for m in list_board(session, place):
        members[" ".join(m.name.lower().split())] = m.person_id
        members[str(m.person_id)] = m.person_id
    candidates: dict[str, int] = {}
    for c in scored_candidates(session, place, cycle):
        candidates[" ".join(c.title.lower().split())] = c.id
        candidates[str(c.id)] = c.id
    return members, candidates


def record_many(
    session: Session,
    place: Place,
    cycle: Cycle,
    cells: Mapping[int, Mapping],
    *,
    actor: str | None = None,
) -> int:
    """Record several members' scores (member person id -> their cells) all or nothing;
    returns how many cells were written."""
    actor = audit.acting(actor)
    for member_person_id, marks in cells.items():
        record_scores(session, place, cycle, member_person_id, marks, actor=actor)
    return sum(len(m) for m in cells.values())


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
