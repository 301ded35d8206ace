"""Meetings' rules (pure): the boards, a meeting's value types, and the checks on what people
type for a start, a length and a title; :mod:`lpgp.cycle.agendas.meeting` stores them.

Starts are entered as London wall-clock times; a time the clocks skip or repeat is refused
(see :func:`lpgp.clock.london_to_utc`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from lpgp import clock
from lpgp.enums import parse_enum
from lpgp.errors import InvalidInput

MAX_MINUTES = 8 * 60


class Board(StrEnum):
    """Which board meets."""

    LEADERSHIP = "leadership"
    PLACE_BASED = "place_based"

    @property
    def label(self) -> str:
        return BOARD_LABELS[self]


BOARD_LABELS = {
    Board.LEADERSHIP: "General practice leadership board",
    Board.PLACE_BASED: "Place-based partnership board",
}


def parse_board(text: str) -> Board:
    """Read a board from its id or a short name.

    >>> parse_board("place")
    <Board.PLACE_BASED: 'place_based'>
    """
    aliases = {"gp": Board.LEADERSHIP, "lb": Board.LEADERSHIP, "place": Board.PLACE_BASED}
    return parse_enum(Board, text, field="board", aliases=aliases)


START_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d %b %Y %H:%M")


def parse_start(text: str) -> datetime:
    """A London wall-clock start as people type it (no time zone), checked against clock changes.

    >>> parse_start("2027-05-04 14:00")
    datetime.datetime(2027, 5, 4, 14, 0)
    >>> parse_start("2027-10-31 01:30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: start: 31 Oct 2027 01:30 happens twice in London when the clocks go...
    """
    value = " ".join(str(text).split())
    for fmt in START_FORMATS:
        try:
            local = datetime.strptime(value, fmt)
        except ValueError:
            continue
        check_start(local)
        return local
    raise InvalidInput(
        f"start: '{text}' is not a start time (use e.g. 2027-05-04 14:00, London time)"
    )


def check_duration(minutes: int) -> int:
    """A meeting lasts a positive whole number of minutes, at most eight hours.

    >>> check_duration(-5)
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: length: a meeting lasts between 1 and 480 minutes, not -5
    """
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"length: a meeting lasts between 1 and {MAX_MINUTES} minutes, not {minutes}"
        )
    return minutes


def check_title(text: str) -> str:
    """A meeting's title with its spaces tidied; a blank one is refused.

    >>> check_title("  GP   board ")
    'GP board'
    >>> check_title(" ")
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: title: a meeting needs a title
    """
    title = " ".join(str(text or "").split())
    if not title:
        raise InvalidInput("title: a meeting needs a title")
    if len(title) > 200:
        raise InvalidInput(f"title: at most 200 characters, not {len(title)}")
    return title


def check_start(local: datetime) -> datetime:
    """A London wall-clock start as the UTC instant it names; a time the clocks skip or repeat
    is refused, naming the field.

    >>> check_start(datetime(2027, 3, 28, 1, 30))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lpgp.errors.InvalidInput: start: 28 Mar 2027 01:30 does not exist in London: the clocks go...
    """
    try:
        return clock.london_to_utc(local)
    except InvalidInput as exc:
        raise InvalidInput(f"start: {exc}") from None


def _text(value: str | None, field: str, most: int) -> str | None:
    text = " ".join(str(value or "").split())
    if len(text) > most:
        raise InvalidInput(f"{field}: at most {most} characters, not {len(text)}")
    return text or None


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as entered: ``start`` is a naive London wall-clock time."""

    board: Board
    title: str
    start: datetime
    duration_minutes: int
    location: str | None = None
    video_link: str | None = None
    attendees: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class Decision:
    """A decision a meeting took."""

    id: int
    meeting_id: int
    text: str
    priority_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class Meeting:
    """A meeting with its times in UTC and in London, attendees, decisions and minutes."""

    id: int
    place_id: int
    cycle_id: int | None
    board: Board
    title: str
    starts_at: datetime
    duration_minutes: int
    location: str | None
    video_link: str | None
    attendees: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = field(default=())
    minutes_text: str | None = None
    attendee_ids: tuple[int, ...] = ()
    cancelled_at: datetime | None = None
    # The calendar UID every invite for this meeting carries (see lpgp.cycle.exports.invites).
    uid: str | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def starts_local(self) -> datetime:
        return self.starts_at.astimezone(clock.LONDON)


def cancelled_words(meeting: Meeting) -> str:
    """Why a cancelled meeting refuses a change, in words."""
    on = meeting.cancelled_at.astimezone(clock.LONDON) if meeting.cancelled_at else None
    when = f" on {on.day} {on:%b %Y}" if on else ""
    return f"'{meeting.title}' was cancelled{when}"
