"""A practice vote, the rules (pure): its value types, where a vote stands at a given instant
(scheduled, open, closed), the checks its settings must pass, turnout counted from plain
values, and the plain words that explain a vote's settings; :mod:`lpgp.cycle.vote.vote` stores votes
and moves them through their life by the database's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from lpgp import clock, voting
from lpgp.errors import InvalidInput

WEIGHTINGS = {
    "equal": "one practice, one vote",
    "list_size": "weighted by registered list size",
}


class VoteState(StrEnum):
    """Where a vote stands, in the order it passes through them. The same words are its
    stored status; its state also heeds the clock (a vote past its closing time is closed)."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


SCHEDULED, OPEN, CLOSED = VoteState.SCHEDULED, VoteState.OPEN, VoteState.CLOSED


@dataclass(frozen=True)
class CandidateText:
    """A candidate as the ballot shows it. ``key`` is the short id ballots use (kept in
    capitals, so it can be typed either way)."""

    key: str
    title: str
    description: str = ""
    ask: str = ""
    candidate_id: int | None = None


@dataclass(frozen=True)
class Vote:
    """A vote as the library hands it out (times are UTC)."""

    id: int
    place_id: int
    cycle_id: int | None
    title: str
    method: str
    seats: int
    weighting: str
    secret: bool
    budget: int | None
    opens_at: datetime
    closes_at: datetime
    seed: str
    status: VoteState
    opened_at: datetime | None
    closed_at: datetime | None

    @property
    def ballot(self) -> str:
        """'secret' or 'named'."""
        return "secret" if self.secret else "named"


def state_at(vote: Vote, now: datetime) -> VoteState:
    """Where a vote stands at ``now``: 'scheduled', 'open' or 'closed'.

    A vote is open once a facilitator has opened it (freezing its electorate) and its opening
    time has come, until the earlier of its closing time and a manual close.

    >>> from datetime import UTC
    >>> t = datetime(2027, 3, 1, 9, tzinfo=UTC)
    >>> v = Vote(1, 1, None, "v", "approval", 1, "equal", True, None, t, t.replace(day=8),
    ...          "s", VoteState.OPEN, t, None)
    >>> state_at(v, t.replace(day=2)), state_at(v, t.replace(day=8))
    (<VoteState.OPEN: 'open'>, <VoteState.CLOSED: 'closed'>)
    """
    if vote.status == CLOSED or now >= vote.closes_at:
        return CLOSED
    if vote.status == OPEN and now >= vote.opens_at:
        return OPEN
    return SCHEDULED


def closing_time(vote: Vote) -> datetime:
    """When the vote closed or will close (a manual close wins if it came first)."""
    if vote.closed_at is not None and vote.closed_at < vote.closes_at:
        return vote.closed_at
    return vote.closes_at


def london_text(moment: datetime) -> str:
    """A UTC instant as people in London read it.

    >>> from datetime import UTC
    >>> london_text(datetime(2027, 3, 1, 17, 0, tzinfo=UTC))
    '17:00 on Mon 1 Mar 2027'
    """
    local = moment.astimezone(clock.LONDON)
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b %Y}"


def parse_london(value: datetime | str, field: str) -> datetime:
    """A time a person entered in London (ISO text or a naive datetime), as UTC.

    >>> parse_london("2027-07-01 09:00", "opens")
    datetime.datetime(2027, 7, 1, 8, 0, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(
                f"{field}: '{value}' is not a date and time; write e.g. 2027-03-01 09:00"
            ) from None
    try:
        return clock.london_to_utc(value)
    except InvalidInput as exc:  # a time the clocks skip or repeat: name the field
        raise InvalidInput(f"{field}: {exc}") from None


def default_keys(count: int) -> list[str]:
    """Short candidate keys A, B, ..., Z, AA, AB, ...

    >>> default_keys(3), default_keys(28)[-2:]
    (['A', 'B', 'C'], ['AA', 'AB'])
    """
    keys = []
    for i in range(count):
        key, n = "", i
        while True:
            key = chr(ord("A") + n % 26) + key
            n = n // 26 - 1
            if n < 0:
                break
        keys.append(key)
    return keys


def check_settings(
    *,
    method: str,
    seats: int,
    weighting: str,
    budget: int | None,
    candidates: list[CandidateText],
    opens_at: datetime,
    closes_at: datetime,
) -> int | None:
    """Check a vote's settings against each other; returns the budget to keep (or None)."""
    known = voting.methods()
    if method not in known:
        raise InvalidInput(
            f"method: '{method}' is not a counting method; use one of: {', '.join(known)}"
        )
    if weighting not in WEIGHTINGS:
        raise InvalidInput(f"weighting: use 'equal' or 'list_size', not '{weighting}'")
    if len(candidates) < 2:
        raise InvalidInput("candidates: a vote needs at least two candidates")
    keys = [c.key.strip().upper() for c in candidates]
    if len(set(keys)) != len(keys):
        raise InvalidInput("candidates: two candidates have the same key")
    for c in candidates:
        if not c.key.strip() or not c.title.strip():
            raise InvalidInput("candidates: every candidate needs a key and a title")
    if not 1 <= seats < len(candidates):
        raise InvalidInput(
            f"seats: choose between 1 and {len(candidates) - 1} seats for "
            f"{len(candidates)} candidates"
        )
    if closes_at <= opens_at:
        raise InvalidInput("closes: the closing time must be after the opening time")
    if voting.ballot_kind(method) == "points":
        if budget is None or budget < 1:
            raise InvalidInput("budget: a points vote needs a budget of at least 1 point")
        return budget
    if budget is not None:
        raise InvalidInput(f"budget: only points votes have a budget, not '{method}'")
    return None


METHOD_PLAIN = {
    "approval": "Each practice ticks every priority it supports; the priorities with the most "
    "ticks win.",
    "points": "Each practice shares out a fixed number of points between the priorities as it "
    "sees fit; the priorities with the most points win.",
    "borda": "Each practice puts the priorities in order; a higher place earns more points, "
    "and the priorities with the most points win.",
    "schulze": "Each practice puts the priorities in order; every pair of priorities is "
    "compared head to head, and a priority that beats the others wins.",
    "irv": "Each practice puts the priorities in order; the least supported priority is "
    "dropped round by round and its ballots pass to their next choice, until one priority "
    "has more than half.",
}
BALLOT_PLAIN = {
    "secret": "Nobody, the chair included, can see how a practice voted: after close the "
    "ballots are published shuffled, without the practices' names.",
    "named": "After close each practice's ballot is published with its name, so everyone can "
    "see how every practice voted.",
}
WEIGHTING_PLAIN = {
    "equal": "Every practice's ballot counts the same.",
    "list_size": "A practice's ballot counts in proportion to its registered patients (in a "
    "secret vote, by a band of similar-sized practices, so that no weight gives a practice "
    "away).",
}
OPENING_PLAIN = (
    "Opening freezes the electorate: the practices, their PCNs and list sizes are copied into "
    "the vote as they stand now, and nothing imported later changes who votes or how much each "
    "ballot counts."
)
STATE_LABELS = {
    CLOSED: "Closed",
    OPEN: "Open",
}


def method_plain(method: str) -> str:
    """What a counting method does, in one plain sentence (every method in the registry has
    one).

    >>> method_plain("approval")
    'Each practice ticks every priority it supports; the priorities with the most ticks win.'
    >>> sorted(METHOD_PLAIN) == sorted(voting.methods())
    True
    """
    voting.ballot_kind(method)  # refuses an unknown method, naming the field
    return METHOD_PLAIN[method]


def state_label(vote: Vote, state: VoteState) -> str:
    """Where a vote stands in a word or two, from its true state (:func:`state`, by the
    database's clock) rather than its stored status: a vote opened ahead of its opening time
    reads "Opens later" until that time, and "Open" from then.

    >>> from datetime import UTC
    >>> t = datetime(2027, 3, 1, 9, tzinfo=UTC)
    >>> v = Vote(1, 1, None, "v", "approval", 1, "equal", True, None, t, t.replace(day=8),
    ...          "s", VoteState.OPEN, t, None)
    >>> state_label(v, state_at(v, t.replace(hour=8))), state_label(v, state_at(v, t))
    ('Opens later', 'Open')
    >>> from dataclasses import replace
    >>> state_label(replace(v, status=VoteState.SCHEDULED), VoteState.SCHEDULED)
    'Not opened yet'
    """
    if state in STATE_LABELS:
        return STATE_LABELS[state]
    return "Opens later" if vote.status == OPEN else "Not opened yet"


@dataclass(frozen=True)
class PcnTurnout:
    pcn: str
    eligible: int
    voted: int
    patients_eligible: int
    patients_voted: int


@dataclass(frozen=True)
class Turnout:
    """How many practices (and patients on their lists) have voted; never how they voted."""

    vote_id: int
    state: VoteState | None  # None for a turnout counted from plain values alone
    eligible: int
    voted: int
    patients_eligible: int
    patients_voted: int
    by_pcn: tuple[PcnTurnout, ...]

    @property
    def share(self) -> float:
        """Practices voted as a share of the electorate."""
        return self.voted / self.eligible if self.eligible else 0.0

    @property
    def patient_share(self) -> float:
        """Registered patients of practices that voted, as a share of all eligible patients."""
        return self.patients_voted / self.patients_eligible if self.patients_eligible else 0.0


NO_PCN = "(no PCN)"


def count_turnout(
    electors: list[tuple[str | None, int | None, bool]],
    vote_id: int = 0,
    state: VoteState | None = None,
) -> Turnout:
    """Turnout from (PCN, list size, voted?) per eligible practice: a pure rule.

    >>> t = count_turnout([("North", 5000, True), ("North", 3000, False), (None, 2000, True)])
    >>> t.voted, t.eligible, t.patients_voted, round(t.patient_share, 2)
    (2, 3, 7000, 0.7)
    """
    groups: dict[str, list[int]] = {}
    for pcn, size, voted in electors:
        g = groups.setdefault(pcn or NO_PCN, [0, 0, 0, 0])
        g[0] += 1
        g[1] += int(voted)
        g[2] += size or 0
        g[3] += (size or 0) if voted else 0
    by_pcn = tuple(PcnTurnout(name, *g) for name, g in sorted(groups.items()))
    return Turnout(
        vote_id=vote_id,
        state=state,
        eligible=sum(p.eligible for p in by_pcn),
        voted=sum(p.voted for p in by_pcn),
        patients_eligible=sum(p.patients_eligible for p in by_pcn),
        patients_voted=sum(p.patients_voted for p in by_pcn),
        by_pcn=by_pcn,
    )


@dataclass(frozen=True)
class CountedBallot:
    """A ballot as the count sees it (``practice_id`` only for named votes)."""

    receipt: str
    content: dict
    weight: Decimal
    slot: str
    practice_id: int | None
