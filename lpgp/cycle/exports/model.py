"""The document model every export is rendered from: plain frozen values, no database.

Collectors (:mod:`lpgp.cycle.exports.collect`) build these from the store; renderers take only
these, so each format is drawn from the same facts and can be tested without a store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class Audience(StrEnum):
    """Who a priority summary is written for."""

    PRACTICES = "practices"
    PLACE_BOARD = "place_board"

    @property
    def label(self) -> str:
        return {
            Audience.PRACTICES: "for practices",
            Audience.PLACE_BOARD: "for the place-based partnership board",
        }[self]


@dataclass(frozen=True)
class AgreedPriority:
    """One priority on the agreed list, with what the board asks of the system."""

    rank: int
    title: str
    lead: str | None = None
    ask: str | None = None
    why_now: str | None = None
    measure: str | None = None
    ask_status: str | None = None


@dataclass(frozen=True)
class CandidateLine:
    """A candidate priority and how far it got: drafted, shortlisted, chosen."""

    title: str
    shortlisted: bool = False
    chosen: bool = False
    note: str | None = None


@dataclass(frozen=True)
class ResultBar:
    """One bar of the result chart: a candidate's score in the vote."""

    title: str
    score: float
    chosen: bool = False


@dataclass(frozen=True)
class PcnTurnout:
    """How many of a PCN's practices voted."""

    pcn: str
    voted: int
    eligible: int


@dataclass(frozen=True)
class Turnout:
    """Turnout of the practice vote by practices, by patients and by PCN."""

    practices_voted: int
    practices_eligible: int
    patients_voted: int = 0
    patients_eligible: int = 0
    by_pcn: tuple[PcnTurnout, ...] = ()


@dataclass(frozen=True)
class VoteSummary:
    """How the practices voted: the method in plain words, the scores and any tie-breaks.

    While the vote is still open, ``open_until`` says when it closes and there are no results.
    """

    method: str
    explanation: str
    seats: int
    score_label: str = "Score"
    results: tuple[ResultBar, ...] = ()
    turnout: Turnout | None = None
    tie_breaks: tuple[str, ...] = ()
    open_until: str | None = None


@dataclass(frozen=True)
class SummaryDoc:
    """Everything a priority summary says, for practices or for the place-based board."""

    place: str
    cycle: str
    audience: Audience
    produced_on: date
    priorities: tuple[AgreedPriority, ...] = ()
    candidates: tuple[CandidateLine, ...] = ()
    vote: VoteSummary | None = None

    @property
    def title(self) -> str:
        return f"{self.place}: {self.cycle}"


@dataclass(frozen=True)
class ActionLogRow:
    """One action in the action log, with its latest update."""

    priority: str
    action: str
    owner: str | None
    due: date | None
    status: str
    rag: str
    last_update_on: date | None = None
    last_update: str | None = None
    overdue: bool = False
    rag_reason: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class ActionLog:
    """The action log of a cycle: every action, grouped by priority in the workbook."""

    place: str
    cycle: str
    produced_on: date
    rows: tuple[ActionLogRow, ...] = ()
    priorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgendaEntry:
    """One agenda item, with the linked priority's actions and their latest updates, and
    where the priority's ask of the system stands."""

    title: str
    minutes: int
    kind: str
    innovation: bool
    presenter: str | None = None
    priority: str | None = None
    actions: tuple[ActionLogRow, ...] = ()
    ask_status: str | None = None


@dataclass(frozen=True)
class Meeting:
    """A meeting as the exports need it: when, where, who, and its agenda."""

    key: str
    title: str
    body: str
    start: datetime
    minutes: int
    location: str | None = None
    attendees: tuple[str, ...] = ()
    items: tuple[AgendaEntry, ...] = ()
    video_link: str | None = None
    # (name, email) of the invited who have an email, and of the board's chair who sends it
    emails: tuple[tuple[str, str], ...] = ()
    organiser: tuple[str, str] | None = None
    sequence: int = 0
    changed_at: datetime | None = None
    cancelled: bool = False
    # The calendar UID the store keeps for the meeting (lpgp.cycle.exports.invites.meeting_uid).
    uid: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class AgendaPack:
    """An agenda pack: the meeting, its timed agenda and the time split.

    ``as_at`` is the moment its actions and asks are shown as they stood: the start of a
    meeting that is over (so a past meeting's pack shows what the board had before it), or
    None for the latest (a meeting still to come or under way).
    """

    place: str
    cycle: str
    meeting: Meeting
    produced_on: date
    notes: tuple[str, ...] = ()
    as_at: datetime | None = None
