"""Where a place is in its cycle, the rules (pure): the eight steps, and from a few counts
which are done and what blocks the next; :mod:`lpgp.cycle.progress` reads the counts from the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step of the cycle and the screen that does it."""

    number: int
    title: str
    notebook: str


STEPS = (
    Step(1, "Board and practices", "board.ipynb"),
    Step(2, "Candidate priorities", "candidates.ipynb"),
    Step(3, "Shortlist", "shortlist.ipynb"),
    Step(4, "Practice vote", "vote.ipynb"),
    Step(5, "Agreed list", "agreed.ipynb"),
    Step(6, "Action tracker", "actions.ipynb"),
    Step(7, "Board agendas", "agendas.ipynb"),
    Step(8, "Exports", "exports.ipynb"),
)


@dataclass(frozen=True)
class StepStatus:
    """A step with whether it is done and, if not, what stands in the way."""

    step: Step
    done: bool
    note: str


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _verb(n: int) -> str:
    return "has" if n == 1 else "have"


def assess(c: Mapping[str, int]) -> list[StepStatus]:
    """Each step's status from counts of what the place has so far.

    >>> s = assess({"practices": 41, "board_members": 9, "candidates": 6, "members_scored": 6})
    >>> [x.done for x in s][:3]
    [True, True, False]
    >>> s[2].note
    '3 members have not scored yet.'
    """
    get = lambda key: int(c.get(key, 0))  # noqa: E731
    board, practices = get("board_members"), get("practices")
    notes: list[tuple[bool, str]] = []
    if practices and board:
        notes.append((True, _plural(practices, "practice") + ", " + _plural(board, "board member")))
    else:
        missing = [w for w, n in (("practices", practices), ("board members", board)) if not n]
        notes.append((False, "Add the place's " + " and ".join(missing) + "."))
    cands = get("candidates")
    notes.append(
        (
            cands > 0,
            _plural(cands, "candidate") if cands else "No candidate priorities drafted yet.",
        )
    )
    unscored = max(board - get("members_scored"), 0)
    if get("shortlists"):
        notes.append((True, "The shortlist is fixed."))
    elif not cands:
        notes.append((False, "Draft candidates first."))
    elif unscored:
        notes.append(
            (
                False,
                f"{_plural(unscored, 'member')} {_verb(unscored)} not scored yet.",
            )
        )
    else:
        notes.append((False, "Everyone has scored: fix the shortlist."))
    votes, closed, ballots = get("votes"), get("votes_closed"), get("ballots")
    if closed:
        notes.append((True, f"Closed with {_plural(ballots, 'ballot')}."))
    elif votes:
        notes.append((False, f"The vote is set up; {_plural(ballots, 'ballot')} so far."))
    else:
        notes.append((False, "No vote set up yet."))
    priorities = get("priorities")
    notes.append(
        (
            priorities > 0,
            _plural(priorities, "agreed priority", "agreed priorities")
            if priorities
            else "Confirm the final list after the vote.",
        )
    )
    # Steps 6 to 8 deliver the list confirmed last, which may be an earlier cycle's.
    delivering = get("delivering_priorities") if "delivering_priorities" in c else priorities
    actions = get("actions")
    notes.append((actions > 0, _plural(actions, "action") if actions else "No actions yet."))
    meetings = get("meetings")
    notes.append((meetings > 0, _plural(meetings, "meeting") if meetings else "No agendas yet."))
    notes.append(
        (delivering > 0, "Ready to export." if delivering else "Nothing agreed to export yet.")
    )
    return [StepStatus(step, done, note) for step, (done, note) in zip(STEPS, notes, strict=True)]


def next_step(statuses: list[StepStatus]) -> StepStatus | None:
    """The first step not yet done, or None when the cycle is complete."""
    return next((s for s in statuses if not s.done), None)
