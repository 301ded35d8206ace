"""Setting up a practice vote and moving it through its life: scheduled, open, closed.

A vote is created from a fixed shortlist (or from candidate texts given explicitly), with a
counting method from the voting registry, a number of seats, a weighting, a named or secret
ballot, opening and closing times entered as London wall-clock times and stored in UTC, and a
tie-break seed published before it opens. Opening freezes the electorate
(:mod:`lpgp.cycle.vote.electorate`). A vote closes at the earlier of its closing time, read from the
*database's* clock so that several servers agree, and a facilitator's manual close.

Every function takes a session first and never commits: wrap a change in ``store.write``. The
rules (where a vote stands at an instant, its settings, turnout) are pure, in
:mod:`lpgp.cycle.vote.vote_rules`.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import Row, func, select, text
from sqlalchemy.orm import Session

from lpgp import audit, clock
from lpgp.cycle.vote import ballot_box, electorate
from lpgp.cycle.vote.vote_rules import (
    CandidateText,
    CountedBallot,
    Turnout,
    Vote,
    VoteState,
    check_settings,
    closing_time,
    count_turnout,
    default_keys,
    london_text,
    parse_london,
    state_at,
)
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Cycle, Place
from lpgp.store.schema_vote import VoteBallotRow, VoteCandidateRow, VoteRow, VoteTurnoutRow


@overload
def _utc(moment: datetime) -> datetime: ...
@overload
def _utc(moment: None) -> None: ...
def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_vote(row: VoteRow | Row[Any]) -> Vote:
    """A vote from its row: the ORM's, or a Core row with the votes table's columns."""
    return Vote(
        id=row.id,
        place_id=row.place_id,
        cycle_id=row.cycle_id,
        title=row.title,
        method=row.method,
        seats=row.seats,
        weighting=row.weighting,
        secret=row.secret,
        budget=row.budget,
        opens_at=_utc(row.opens_at),
        closes_at=_utc(row.closes_at),
        seed=row.seed,
        status=VoteState(row.status),
        opened_at=_utc(row.opened_at),
        closed_at=_utc(row.closed_at),
    )


# ---- the database's clock ---------------------------------------------------------------


_SQLITE_NOW = text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
_POSTGRES_NOW = text("SELECT clock_timestamp()")


def db_now(session: Session) -> datetime:
    """The current instant by the database's clock, so every server agrees on closing.

    When the process clock is fixed (``LPGP_NOW`` or :func:`lpgp.clock.frozen`, for tests and
    demonstrations) that fixed time is used instead.
    """
    if clock._fixed is not None or os.environ.get("LPGP_NOW"):
        return clock.now()
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        moment = datetime.fromisoformat(session.execute(_SQLITE_NOW).scalar_one())
        return moment.replace(tzinfo=UTC)
    if dialect == "postgresql":
        return _utc(session.execute(_POSTGRES_NOW).scalar_one())
    return _utc(session.execute(select(func.now())).scalar_one())


# ---- the store --------------------------------------------------------------------------


def _row(session: Session, place: Place | int, key: int | str | Vote) -> VoteRow:
    place_id = place if isinstance(place, int) else place.id
    if isinstance(key, Vote):
        key = key.id
    query = select(VoteRow).where(VoteRow.place_id == place_id)
    if isinstance(key, int) or (isinstance(key, str) and key.strip().isdigit()):
        row = session.scalar(query.where(VoteRow.id == int(key)))
    else:
        rows = list(session.scalars(query.where(VoteRow.title == key).order_by(VoteRow.id)))
        if len(rows) > 1:
            listed = "; ".join(f"id {r.id}, {state_at(to_vote(r), db_now(session))}" for r in rows)
            raise InvalidInput(
                f"vote: {len(rows)} votes are called '{key}' ({listed}): give its id instead"
            )
        row = rows[0] if rows else None
    if row is None:
        raise NotFound(f"there is no vote '{key}' in this place")
    return row


def get_vote(session: Session, place: Place | int, key: int | str | Vote) -> Vote:
    """A vote by id or title."""
    return to_vote(_row(session, place, key))


def list_votes(session: Session, place: Place, cycle: Cycle | None = None) -> list[Vote]:
    """The place's votes (of one cycle if given), oldest first."""
    query = select(VoteRow).where(VoteRow.place_id == place.id).order_by(VoteRow.id)
    if cycle is not None:
        query = query.where(VoteRow.cycle_id == cycle.id)
    return [to_vote(r) for r in session.scalars(query)]


def candidates(session: Session, vote: Vote) -> list[CandidateText]:
    """The vote's candidates in shortlist order."""
    rows = session.scalars(
        select(VoteCandidateRow)
        .where(VoteCandidateRow.place_id == vote.place_id, VoteCandidateRow.vote_id == vote.id)
        .order_by(VoteCandidateRow.position)
    )
    return [CandidateText(r.key, r.title, r.description, r.ask, r.candidate_id) for r in rows]


def state(session: Session, vote: Vote) -> VoteState:
    """Where the vote stands now, by the database's clock."""
    return state_at(vote, db_now(session))


def _from_shortlist(session: Session, place: Place, cycle: Cycle | None) -> list[CandidateText]:
    try:
        from lpgp.cycle.shortlist import shortlist  # built alongside; optional until it is merged
    except ImportError:
        raise InvalidInput(
            "candidates: no shortlist is available here; give the candidate texts explicitly"
        ) from None
    if cycle is None:
        raise InvalidInput("cycle: building a vote from the shortlist needs a cycle")
    items = list(shortlist.shortlisted(session, place, cycle))
    if not items:
        raise InvalidInput(f"candidates: the shortlist of '{cycle.name}' is not fixed yet")
    keys = default_keys(len(items))
    return [
        CandidateText(key, i.title, i.description or "", i.ask or "", i.id)
        for key, i in zip(keys, items, strict=True)
    ]


def create_vote(
    session: Session,
    place: Place,
    *,
    title: str,
    method: str,
    seats: int,
    opens: datetime | str,
    closes: datetime | str,
    candidates: list[CandidateText] | None = None,
    cycle: Cycle | None = None,
    weighting: str = "equal",
    secret: bool = True,
    budget: int | None = None,
    seed: str | None = None,
    actor: str | None = None,
) -> Vote:
    """Schedule a vote. Times are London wall-clock times; without ``candidates`` the
    cycle's fixed shortlist supplies them. The tie-break seed (random unless given) is
    published from now on and never changes.

    >>> from lpgp.store import Store
    >>> from lpgp.cycle.board.place import create_place
    >>> s = Store("sqlite://")
    >>> texts = [CandidateText("A", "Same-day access hub"), CandidateText("B", "Estates plan")]
    >>> v = s.write(lambda ss: create_vote(ss, create_place(ss, "Doc"), title="Priorities",
    ...     method="approval", seats=1, opens="2030-03-01 09:00", closes="2030-03-08 17:00",
    ...     candidates=texts, seed="demo"))
    >>> v.status, v.closes_at.isoformat()
    (<VoteState.SCHEDULED: 'scheduled'>, '2030-03-08T17:00:00+00:00')
    """
    actor = audit.acting(actor)
    title = title.strip()
    if not title:
        raise InvalidInput("title: a vote needs a title")
    opens_at, closes_at = parse_london(opens, "opens"), parse_london(closes, "closes")
    texts = list(candidates) if candidates is not None else _from_shortlist(session, place, cycle)
    budget = check_settings(
        method=method,
        seats=seats,
        weighting=weighting,
        budget=budget,
        candidates=texts,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    if closes_at <= db_now(session):
        raise InvalidInput(f"closes: {london_text(closes_at)} has already passed")
    seed = (seed if seed is not None else secrets.token_hex(8)).strip()
    if not seed:
        raise InvalidInput("seed: the tie-break seed cannot be blank")
    row = VoteRow(
        place_id=place.id,
        cycle_id=cycle.id if cycle else None,
        title=title,
        method=method,
        seats=seats,
        weighting=weighting,
        secret=secret,
        budget=budget,
        opens_at=opens_at,
        closes_at=closes_at,
        seed=seed,
        status=VoteState.SCHEDULED.value,
    )
    session.add(row)
    session.flush()
    for position, c in enumerate(texts):
        session.add(
            VoteCandidateRow(
                place_id=place.id,
                vote_id=row.id,
                position=position,
                key=c.key.strip().upper(),
                title=c.title.strip(),
                description=(c.description or "").strip(),
                ask=(c.ask or "").strip(),
                candidate_id=c.candidate_id,
            )
        )
    session.flush()
    audit.record(
        session,
        place.id,
        actor,
        "vote.scheduled",
        {
            "vote": row.id,
            "title": title,
            "method": method,
            "seats": seats,
            "weighting": weighting,
            "ballot": "secret" if secret else "named",
            "budget": budget,
            "opens_at": opens_at.isoformat(),
            "closes_at": closes_at.isoformat(),
            "seed": seed,
            "candidates": [c.key.strip().upper() for c in texts],
        },
    )
    return to_vote(row)


def open_vote(
    session: Session, place: Place, key: int | str | Vote, *, actor: str | None = None
) -> Vote:
    """Open a vote: freeze its electorate (practices, PCNs, list sizes) and candidate texts.

    Ballots are accepted from the opening time (at once if it has passed) until close.

    >>> v = store.write(lambda s: open_vote(s, place, "2027/28 practice vote"))  # doctest: +SKIP
    >>> v.status  # doctest: +SKIP
    <VoteState.OPEN: 'open'>
    """
    actor = audit.acting(actor)
    row = _row(session, place, key)
    vote = to_vote(row)
    now = db_now(session)
    if state_at(vote, now) == VoteState.CLOSED:
        raise StateError(f"'{vote.title}' closed at {london_text(closing_time(vote))}")
    if vote.status != VoteState.SCHEDULED:
        raise StateError(f"'{vote.title}' is already open")
    frozen = electorate.freeze(session, vote)
    row.status = VoteState.OPEN.value
    row.opened_at = now
    session.flush()
    audit.record(
        session,
        vote.place_id,
        actor,
        "vote.opened",
        {"vote": vote.id, "electorate": frozen.size, "list_size_as_of": frozen.as_of},
    )
    return to_vote(row)


def extend_vote(
    session: Session,
    place: Place,
    key: int | str | Vote,
    closes: datetime | str,
    *,
    actor: str | None = None,
) -> Vote:
    """Move a vote's closing time later; only before it closes."""
    actor = audit.acting(actor)
    row = _row(session, place, key)
    vote = to_vote(row)
    if state(session, vote) == VoteState.CLOSED:
        raise StateError(
            f"'{vote.title}' closed at {london_text(closing_time(vote))} and cannot be extended"
        )
    new = parse_london(closes, "closes")
    if new <= vote.closes_at:
        raise InvalidInput(
            f"closes: an extension must be later than the current closing time, "
            f"{london_text(vote.closes_at)}"
        )
    row.closes_at = new
    session.flush()
    audit.record(
        session,
        vote.place_id,
        actor,
        "vote.extended",
        {"vote": vote.id, "from": vote.closes_at.isoformat(), "to": new.isoformat()},
    )
    return to_vote(row)


def cancel_vote(
    session: Session, place: Place, key: int | str | Vote, *, actor: str | None = None
) -> Vote:
    """Cancel a vote that has not been opened: it is removed with its candidate texts, and
    the audit log keeps what it was. An opened vote cannot be cancelled: its electorate is
    frozen, practices may hold codes or have voted, and its record must stand (close it
    instead). Returns the vote as it was.

    >>> from lpgp.store import Store
    >>> from lpgp.cycle.board.place import create_place
    >>> s = Store("sqlite://")
    >>> texts = [CandidateText("A", "Same-day access hub"), CandidateText("B", "Estates plan")]
    >>> place = s.write(lambda ss: create_place(ss, "Doc"))
    >>> v = s.write(lambda ss: create_vote(ss, place, title="Priorities", method="approval",
    ...     seats=1, opens="2030-03-01 09:00", closes="2030-03-08 17:00", candidates=texts))
    >>> s.write(lambda ss: cancel_vote(ss, place, v.id)).title
    'Priorities'
    >>> with s.read() as ss:
    ...     list_votes(ss, place)
    []
    """
    actor = audit.acting(actor)
    row = _row(session, place, key)
    vote = to_vote(row)
    if vote.status != VoteState.SCHEDULED or vote.opened_at is not None:
        raise StateError(
            f"'{vote.title}' has been opened, so it cannot be cancelled: its electorate is "
            "frozen and practices may already hold codes or have voted. Close it instead"
        )
    for candidate in session.scalars(
        select(VoteCandidateRow).where(
            VoteCandidateRow.place_id == vote.place_id, VoteCandidateRow.vote_id == vote.id
        )
    ):
        session.delete(candidate)
    session.flush()
    session.delete(row)
    session.flush()
    audit.record(
        session,
        vote.place_id,
        actor,
        "vote.cancelled",
        {
            "vote": vote.id,
            "title": vote.title,
            "opens_at": vote.opens_at.isoformat(),
            "closes_at": vote.closes_at.isoformat(),
        },
    )
    return vote


def close_vote(
    session: Session, place: Place, key: int | str | Vote, *, actor: str | None = None
) -> Vote:
    """Close a vote now by hand (a facilitator's decision); nothing changes after this. A
    vote already past its closing time is recorded as closed at that time.

    >>> store.write(lambda s: close_vote(s, place, 1)).closed_at  # doctest: +SKIP
    datetime.datetime(2027, 3, 12, 16, 59, 3, tzinfo=datetime.timezone.utc)
    """
    actor = audit.acting(actor)
    row = _row(session, place, key)
    vote = to_vote(row)
    now = db_now(session)
    if vote.status == VoteState.CLOSED:
        raise StateError(f"'{vote.title}' already closed at {london_text(closing_time(vote))}")
    # A vote whose closing time has passed closed then; closing it records that in the log.
    by, row.closed_at = ("closing time", vote.closes_at) if now >= vote.closes_at else ("hand", now)
    row.status = VoteState.CLOSED.value
    session.flush()
    # A secret vote's sealed ballots are published by the next transaction, publish_closed:
    # read here, they would make every cast still racing the close a conflict on PostgreSQL,
    # and a busy vote could keep its close from ever committing. Until then the count opens
    # them in memory (counted_ballots).
    audit.record(session, vote.place_id, actor, "vote.closed", {"vote": vote.id, "by": by})
    return to_vote(row)


def has_sealed(session: Session, vote: Vote) -> bool:
    """True while some of a secret vote's ballots are still sealed
    (:mod:`lpgp.cycle.vote.ballot_box`)."""
    return ballot_box.has_sealed(session, vote)


def publish_closed(session: Session) -> list[int]:
    """Publish the ballots of every secret vote that has closed (by hand, or by its time)
    whose ballots are still sealed; returns the votes' ids.

    Closing a vote by hand runs this straight after; the server runs it every minute, and the
    commands that read results run it first, so a copy of the store never holds a closed
    vote's ballots sealed for long.
    """
    now = db_now(session)
    done = []
    for row in session.scalars(
        select(VoteRow).where(
            VoteRow.secret.is_(True),
            (VoteRow.status == VoteState.CLOSED.value) | (VoteRow.closes_at <= now),
        )
    ):
        vote = to_vote(row)
        if ballot_box.has_sealed(session, vote) and ballot_box.publish(session, vote):
            done.append(vote.id)
    return done


def require_closed(session: Session, vote: Vote) -> None:
    """Refuse to show a tally before the vote has closed."""
    if state(session, vote) != VoteState.CLOSED:
        raise StateError(
            f"'{vote.title}' is still {state(session, vote)}: results are shown only after it "
            f"closes at {london_text(closing_time(vote))}"
        )


# ---- turnout ----------------------------------------------------------------------------


def voted_practices(session: Session, vote: Vote) -> set[int]:
    """Ids of the practices that have a counted ballot."""
    return set(
        session.scalars(
            select(VoteTurnoutRow.practice_id).where(
                VoteTurnoutRow.place_id == vote.place_id, VoteTurnoutRow.vote_id == vote.id
            )
        )
    )


def turnout(session: Session, vote: Vote) -> Turnout:
    """Live turnout: practices voted of eligible, by PCN, and by registered patients.

    >>> with store.read() as s:  # doctest: +SKIP
    ...     t = turnout(s, vote)
    ...     t.voted, t.eligible, round(t.patient_share, 2)
    (21, 41, 0.53)
    """
    voted = voted_practices(session, vote)
    electors = electorate.electors(session, vote)
    return count_turnout(
        [(e.pcn, e.list_size, e.practice_id in voted) for e in electors],
        vote_id=vote.id,
        state=state(session, vote),
    )


def counted_ballots(session: Session, vote: Vote) -> list[CountedBallot]:
    """The vote's counted ballots, in an order (by receipt) that says nothing about arrival.

    A secret vote's ballots that are still sealed (the vote is open, or closed by its time
    and not yet published by :func:`publish_closed`) are opened in memory here, which needs
    the server key."""
    rows = session.scalars(
        select(VoteBallotRow)
        .where(VoteBallotRow.place_id == vote.place_id, VoteBallotRow.vote_id == vote.id)
        .order_by(VoteBallotRow.receipt)
    )
    out = [CountedBallot(r.receipt, r.content, r.weight, r.slot, r.practice_id) for r in rows]
    if vote.secret:
        sealed = ballot_box.sealed_ballots(session, vote)
        out += [CountedBallot(b.receipt, b.content, b.weight, b.slot, None) for b in sealed]
        out.sort(key=lambda b: b.receipt)
    return out


__all__ = [
    "cancel_vote",
    "candidates",
    "close_vote",
    "create_vote",
    "db_now",
    "extend_vote",
    "get_vote",
    "list_votes",
    "open_vote",
    "state",
    "turnout",
]
