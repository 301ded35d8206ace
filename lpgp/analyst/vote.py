"""Step 4, the practice vote: votes, turnout, results and ballots as DataFrames.

A vote is named first, by id or title (a title two votes share is refused, listing both);
``place`` (slug, name or id; default the only place) and ``store`` are keywords. Turnout is
live while a vote is open; results and ballots only once it has closed. A secret vote's
ballots are published shuffled and without practices, and nothing here links a practice to
its ballot. Nothing here writes.

The examples run against the demo place, Haverbrook (``lpgp demo``): last year's secret vote
closed, this year's named vote open with about half the practices voted.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from lpgp.analyst._common import _store, is_id, keywords_from, one_of
from lpgp.analyst._frames import (
    BOOL,
    FLOAT,
    INSTANT,
    INT,
    NULLABLE_INT,
    OBJECT,
    TEXT,
    Schema,
    frame,
    ordered,
    plain,
)
from lpgp.cycle.board import place as _places
from lpgp.cycle.vote import electorate, recount, recount_rules, vote_rules
from lpgp.cycle.vote import vote as _votes
from lpgp.errors import StateError
from lpgp.store import Store
from lpgp.store.schema import AuditRow

#: A vote's state in the order it passes through them.
STATE = ordered(vote_rules.VoteState)
VOTES: Schema = {
    "id": INT,
    "cycle_id": NULLABLE_INT,
    "title": TEXT,
    "state": STATE,
    "method": TEXT,
    "seats": INT,
    "weighting": TEXT,
    "ballot": TEXT,
    "budget": NULLABLE_INT,
    "opens_at": INSTANT,
    "closes_at": INSTANT,
    "seed": TEXT,
}
TURNOUT: Schema = {
    "pcn": TEXT,
    "eligible": INT,
    "voted": INT,
    "patients_eligible": INT,
    "patients_voted": INT,
    "share_voted": FLOAT,
    "share_of_patients": FLOAT,
}
PRACTICE_TURNOUT: Schema = {
    "ods_code": TEXT,
    "practice": TEXT,
    "pcn": TEXT,
    "list_size": NULLABLE_INT,
    "voted": BOOL,
    "voted_at": INSTANT,
}
RESULTS: Schema = {
    "position": INT,
    "key": TEXT,
    "title": TEXT,
    "score": FLOAT,
    "elected": NULLABLE_INT,
}
BALLOTS: Schema = {
    "ods_code": TEXT,
    "practice": TEXT,
    "receipt": TEXT,
    "weight": FLOAT,
    "ballot": OBJECT,
}
PUBLISHED_BALLOTS: Schema = {"receipt": TEXT, "weight": FLOAT, "ballot": OBJECT}
CAST = ("ballot.cast", "ballot.replaced")


def _vote(session: Session, place: str | int | None, key: int | str) -> vote_rules.Vote:
    """The vote named by id or title; a title two votes share is refused, naming both."""
    where = _places.get_place(session, place)
    if not is_id(key):
        same = [v for v in _votes.list_votes(session, where) if v.title == key]
        one_of("vote", str(key), [(v.id, _votes.state(session, v)) for v in same])
    return _votes.get_vote(session, where, key)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@keywords_from("place")
def votes(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The place's votes, oldest first (of one cycle if named), with their settings and where
    they stand: ``state`` is an ordered Categorical, scheduled < open < closed, by the
    database's clock; ``closes_at`` is when it closed or will close.

    >>> import lpgp
    >>> lpgp.votes()[["id", "title", "state", "method", "ballot"]]
       id                  title   state    method  ballot
    0   1  2026/27 practice vote  closed   schulze  secret
    1   2  2027/28 practice vote    open  approval   named
    """
    with _store(store).read() as s:
        where = _places.get_place(s, place)
        chosen = _places.get_cycle(s, where, cycle) if cycle is not None else None
        rows = [
            {
                "id": v.id,
                "cycle_id": v.cycle_id,
                "title": v.title,
                "state": _votes.state(s, v),
                "method": v.method,
                "seats": v.seats,
                "weighting": v.weighting,
                "ballot": v.ballot,
                "budget": v.budget,
                "opens_at": v.opens_at,
                "closes_at": vote_rules.closing_time(v),
                "seed": v.seed,
            }
            for v in _votes.list_votes(s, where, chosen)
        ]
    return frame(rows, VOTES)


@keywords_from("place")
def turnout(
    vote: int | str, *, place: str | int | None = None, store: Store | str | None = None
) -> pd.DataFrame:
    """Turnout by PCN (live while the vote is open): practices voted of eligible, and the
    registered patients of those practices. One row per PCN, by name, then practices in no
    PCN (``pcn`` is ``<NA>``, as in :func:`~lpgp.analyst.board.practices`).

    The whole electorate's figures, with the same keys as the columns, are in
    ``df.attrs["total"]``; the vote's state is in ``df.attrs["state"]``.

    >>> import lpgp
    >>> df = lpgp.turnout("2027/28 practice vote")
    >>> df[["pcn", "eligible", "voted", "share_voted"]]
                           pcn  eligible  voted  share_voted
    0            Eastfield PCN         7      4     0.571429
    1   Haverbrook Central PCN         7      2     0.285714
    2    Moorland Villages PCN         6      2     0.333333
    3            Northgate PCN         6      2     0.333333
    4  Riverside and Docks PCN         7      4     0.571429
    5            Southbank PCN         7      4     0.571429
    6                     <NA>         1      1     1.000000
    >>> total = df.attrs["total"]
    >>> total["voted"], total["eligible"], round(total["share_of_patients"], 3), df.attrs["state"]
    (19, 41, 0.373, 'open')
    """
    with _store(store).read() as s:
        t = _votes.turnout(s, _vote(s, place, vote))
    # The count's rule labels practices in no PCN "(no PCN)"; here they are missing, and last.
    groups = sorted(t.by_pcn, key=lambda p: (p.pcn == vote_rules.NO_PCN, p.pcn))
    rows = [
        {
            "pcn": None if p.pcn == vote_rules.NO_PCN else p.pcn,
            "eligible": p.eligible,
            "voted": p.voted,
            "patients_eligible": p.patients_eligible,
            "patients_voted": p.patients_voted,
            "share_voted": _share(p.voted, p.eligible),
            "share_of_patients": _share(p.patients_voted, p.patients_eligible),
        }
        for p in groups
    ]
    df = frame(rows, TURNOUT)
    df.attrs["total"] = {
        "eligible": t.eligible,
        "voted": t.voted,
        "patients_eligible": t.patients_eligible,
        "patients_voted": t.patients_voted,
        "share_voted": t.share,
        "share_of_patients": t.patient_share,
    }
    df.attrs["state"] = plain(t.state)
    return df


@keywords_from("place")
def practice_turnout(
    vote: int | str, *, place: str | int | None = None, store: Store | str | None = None
) -> pd.DataFrame:
    """Whether each practice of the vote's electorate (as frozen when it opened) has voted,
    by ODS code, with its PCN and list size as they stood then.

    ``voted_at`` is when the practice's standing ballot was cast, for a *named* vote only: for
    a secret vote it is always empty, as the store keeps no time beside a secret ballot or its
    turnout. Before a vote opens its electorate is not frozen and the frame is empty.

    >>> import lpgp
    >>> df = lpgp.practice_turnout("2027/28 practice vote")
    >>> df[["ods_code", "pcn", "voted", "voted_at"]].head(3)
      ods_code                     pcn  voted                  voted_at
    0   Z99001  Haverbrook Central PCN   True 2027-05-02 08:00:00+00:00
    1   Z99002  Haverbrook Central PCN  False                       NaT
    2   Z99003  Haverbrook Central PCN  False                       NaT
    >>> df.groupby("pcn", dropna=False).voted.sum().tail(2)
    pcn
    Southbank PCN    4
    <NA>             1
    Name: voted, dtype: int64

    Last year's vote was secret: who voted, never when.

    >>> lpgp.practice_turnout("2026/27 practice vote")[["ods_code", "voted", "voted_at"]].head(3)
      ods_code  voted voted_at
    0   Z99001   True      NaT
    1   Z99002   True      NaT
    2   Z99003   True      NaT
    """
    with _store(store).read() as s:
        v = _vote(s, place, vote)
        electors = electorate.electors(s, v)
        voted = _votes.voted_practices(s, v)
        when = {} if v.secret else _cast_times(s, v)
    rows = [
        {
            "ods_code": e.ods_code,
            "practice": e.name,
            "pcn": e.pcn,
            "list_size": e.list_size,
            "voted": e.practice_id in voted,
            "voted_at": when.get(e.ods_code) if e.practice_id in voted else None,
        }
        for e in sorted(electors, key=lambda e: e.ods_code)
    ]
    return frame(rows, PRACTICE_TURNOUT)


def _cast_times(session: Session, vote: vote_rules.Vote) -> dict[str, object]:
    """When each practice's latest ballot of a *named* vote was cast, from the audit log."""
    rows = session.execute(
        select(AuditRow.at, AuditRow.detail)
        .where(AuditRow.place_id == vote.place_id, AuditRow.action.in_(CAST))
        .order_by(AuditRow.at, AuditRow.id)
    )
    return {d["practice"]: at for at, d in rows if d.get("vote") == vote.id}


@keywords_from("place")
def results(
    vote: int | str, *, place: str | int | None = None, store: Store | str | None = None
) -> pd.DataFrame:
    """The full ranking of a closed vote, winners first; ``elected`` is each winner's seat
    (``<NA>`` for the rest). ``df.attrs`` carries the explanation, tie-breaks, evidence,
    robustness table, weighting note, turnout sentence and the PCN breakdown.

    >>> import lpgp
    >>> df = lpgp.results("2026/27 practice vote")
    >>> df[["position", "key", "score", "elected"]]
       position key  score  elected
    0         1   A    6.0        1
    1         2   B    5.0        2
    2         3   D    4.0        3
    3         4   C    3.0        4
    4         5   E    2.0        5
    5         6   F    1.0     <NA>
    6         7   G    0.0     <NA>
    >>> df.attrs["turnout"]
    '35 of 41 practices voted'
    """
    with _store(store).read() as s:
        outcome = recount.results(s, _vote(s, place, vote))
    return outcome_frame(outcome)


def outcome_frame(outcome: recount_rules.Outcome) -> pd.DataFrame:
    """The ranking of an outcome as a DataFrame (candidates the method left level share a
    position), with the rest in ``df.attrs``."""
    result = outcome.result
    winners = list(result.winners)
    rows = []
    position = 1
    for tier in result.ranking:
        for key in tier:
            rows.append(
                {
                    "position": position,
                    "key": key,
                    "title": outcome.title_of(key),
                    "score": float(result.scores.get(key, 0)) if result.scores else None,
                    "elected": winners.index(key) + 1 if key in winners else None,
                }
            )
        position += len(tier)
    df = frame(rows, RESULTS)
    df.attrs.update(
        explanation=outcome.result.explanation,
        tie_breaks=outcome.result.tie_breaks,
        evidence=outcome.result.evidence,
        robustness=outcome.robustness,
        weighting=outcome.weighting_note,
        turnout=f"{outcome.turnout.voted} of {outcome.turnout.eligible} practices voted",
        by_pcn=[(p.pcn, p.voted, list(p.winners), p.note) for p in outcome.by_pcn],
    )
    return df


@keywords_from("place")
def ballots(
    vote: int | str, *, place: str | int | None = None, store: Store | str | None = None
) -> pd.DataFrame:
    """Every ballot of a closed *named* vote by ODS code: practice, receipt, weight and
    choices. A secret vote is refused: see :func:`published_ballots`.

    This year's named vote closes on 9 May 2027; as it reads once it has (the clock moved on):

    >>> import lpgp
    >>> from lpgp import clock
    >>> with clock.frozen("2027-05-10 09:00"):
    ...     df = lpgp.ballots("2027/28 practice vote")
    >>> df[["ods_code", "weight", "ballot"]].head(3)
      ods_code  weight  ballot
    0   Z99001     1.0  [A, B]
    1   Z99006     1.0     [A]
    2   Z99011     1.0  [A, E]
    >>> lpgp.ballots("2026/27 practice vote")
    Traceback (most recent call last):
    ...
    lpgp.errors.StateError: '2026/27 practice vote' was a secret ballot: only the shuffled ...
    """
    with _store(store).read() as s:
        v = _vote(s, place, vote)
        if v.secret:
            raise StateError(
                f"'{v.title}' was a secret ballot: only the shuffled ballots without practices "
                "are published (lpgp.published_ballots, lpgp vote export)"
            )
        published = recount.published_ballots(s, v)
    rows = [
        {
            "ods_code": b.ods_code,
            "practice": b.practice,
            "receipt": b.receipt,
            "weight": float(b.weight),
            "ballot": b.ballot,
        }
        for b in sorted(published, key=lambda b: b.ods_code or "")
    ]
    return frame(rows, BALLOTS)


@keywords_from("place")
def published_ballots(
    vote: int | str, *, place: str | int | None = None, store: Store | str | None = None
) -> pd.DataFrame:
    """A closed vote's ballots as published, without practices: receipt, weight and choices,
    in receipt order (random, so it says nothing about the order they came in). For a secret
    vote this is all there is; a practice finds its own ballot by its receipt. The same as
    ``lpgp vote export``.

    >>> import lpgp
    >>> df = lpgp.published_ballots("2026/27 practice vote")
    >>> list(df.columns), len(df)
    (['receipt', 'weight', 'ballot'], 35)
    >>> df.weight.value_counts().sort_index()  # list sizes in bands, so no weight is one practice's
    weight
    3587.0     7
    8200.0     7
    11465.0    6
    14423.0    8
    23532.0    7
    Name: count, dtype: int64
    """
    with _store(store).read() as s:
        published = recount.published_ballots(s, _vote(s, place, vote))
    rows = [
        {"receipt": b.receipt, "weight": float(b.weight), "ballot": b.ballot}
        for b in sorted(published, key=lambda b: b.receipt)
    ]
    return frame(rows, PUBLISHED_BALLOTS)
