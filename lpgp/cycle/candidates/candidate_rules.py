"""Candidate priorities, the rules (pure): a candidate's value types, the states it moves
through (drafted, shortlisted, on the ballot, then agreed or not taken forward) and the checks
its fields must pass; :mod:`lpgp.cycle.candidates.candidate` stores them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from lpgp.cycle.candidates.drafting import (
    DraftingWarning,
    Quality,
    drafting_warnings,
    parse_quality,
)
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput, StateError
from lpgp.model import check_text

TITLE_MAX = 200
NAME_MAX = 200


#: The four qualities in a few words each, for tables (the form shows the full labels).
QUALITY_WORDS: dict[Quality, str] = {
    Quality.JOINT_WORKING: "Joint working",
    Quality.INFLUENCE: "Influence on the local system",
    Quality.PRACTICAL_ACTION: "Practical actions",
    Quality.RESONATES: "Resonates with practices",
}


def headline(warning: DraftingWarning) -> str:
    """A drafting warning's first sentence, which says what tripped it, for a table (pure).

    >>> print(headline(drafting_warnings("More GP posts")[0]))
    This reads like a resource ask: 'More', 'GP posts' (more staff).
    """
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", warning.message.strip(), maxsplit=1)[0]
    return first


class CandidateState(StrEnum):
    """Where a candidate is in the cycle."""

    DRAFT = "draft"
    SHORTLISTED = "shortlisted"
    ON_BALLOT = "on_ballot"
    AGREED = "agreed"
    NOT_TAKEN_FORWARD = "not_taken_forward"


#: Which state may follow which. A shortlisted candidate can drop back to draft only while
#: the shortlist is being redone; everything can be set aside.
TRANSITIONS: dict[CandidateState, frozenset[CandidateState]] = {
    CandidateState.DRAFT: frozenset({CandidateState.SHORTLISTED, CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.SHORTLISTED: frozenset(
        {CandidateState.ON_BALLOT, CandidateState.DRAFT, CandidateState.NOT_TAKEN_FORWARD}
    ),
    CandidateState.ON_BALLOT: frozenset({CandidateState.AGREED, CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.AGREED: frozenset({CandidateState.NOT_TAKEN_FORWARD}),
    CandidateState.NOT_TAKEN_FORWARD: frozenset({CandidateState.DRAFT}),
}


def parse_state(text: str) -> CandidateState:
    """Read a state from its id or words.

    >>> parse_state("On ballot")
    <CandidateState.ON_BALLOT: 'on_ballot'>
    """
    return parse_enum(CandidateState, text, field="candidate state")


def check_transition(old: CandidateState, new: CandidateState) -> None:
    """Refuse a move between states that the cycle does not allow (pure).

    >>> check_transition(CandidateState.DRAFT, CandidateState.AGREED)
    Traceback (most recent call last):
    ...
    lpgp.errors.StateError: a candidate cannot go from draft to agreed (allowed: not_taken_forward, shortlisted)
    """  # noqa: E501
    if new == old:
        return
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[old]))
        raise StateError(
            f"a candidate cannot go from {old.value} to {new.value} (allowed: {allowed})"
        )


@dataclass(frozen=True)
class CandidateInput:
    """A candidate as a form or command gives it, before it is stored."""

    title: str
    description: str = ""
    ask: str = ""
    actions: str = ""
    qualities: frozenset[Quality] = field(default_factory=frozenset)
    proposed_by: str = ""

    @classmethod
    def of(
        cls,
        title: str,
        description: str = "",
        ask: str = "",
        actions: str = "",
        qualities: Iterable[str] = (),
        proposed_by: str = "",
    ) -> CandidateInput:
        """Build one from plain strings, tidying spaces and reading quality names."""
        return cls(
            title=" ".join((title or "").split()),
            description=(description or "").strip(),
            ask=(ask or "").strip(),
            actions=(actions or "").strip(),
            qualities=frozenset(parse_quality(q) for q in qualities),
            proposed_by=" ".join((proposed_by or "").split()),
        )


def check_candidate(item: CandidateInput) -> None:
    """Refuse a candidate whose fields break a rule (pure).

    >>> check_candidate(CandidateInput.of("  "))
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: a candidate needs a title
    """
    if not item.title.strip():
        raise InvalidInput("title: a candidate needs a title")
    for name in ("title", "description", "ask", "actions"):
        check_text(getattr(item, name), name)
    check_text(item.proposed_by, "proposed by")
    if len(item.title) > TITLE_MAX:
        raise InvalidInput(
            f"title: it is {len(item.title)} characters; keep it to {TITLE_MAX} and put the "
            "detail in the description"
        )
    if len(item.proposed_by) > NAME_MAX:
        raise InvalidInput(
            f"proposed by: the name is {len(item.proposed_by)} characters; keep it to {NAME_MAX}"
        )


@dataclass(frozen=True)
class Candidate:
    """A stored candidate priority."""

    id: int
    place_id: int
    cycle_id: int
    title: str
    description: str
    ask: str
    actions: str
    qualities: tuple[Quality, ...]
    state: CandidateState
    proposed_by: str = ""

    def warnings(self) -> list[DraftingWarning]:
        """The drafting advice for this candidate, using the qualities it claims."""
        return drafting_warnings(
            self.title,
            self.description,
            self.ask,
            self.actions,
            qualities=[q.value for q in self.qualities],
        )
