"""Analyst functions for practice votes: each returns a pandas DataFrame and writes nothing.

A vote is named by id or title; ``place`` and ``store`` work as in :mod:`lpgp.api`. Tallies
and ballots are given only once a vote has closed, and ballots only for named votes.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from . import place as _places
from . import recount
from . import vote as _votes
from .api import _store
from .errors import StateError
from .store import Store


def _vote(session: Session, place: str | int | None, key: int | str) -> _votes.Vote:
    where = _places.get_place(session, place)
    return _votes.get_vote(session, where, key)


def votes(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The place's votes (of one cycle if named) with their settings and where they stand.

    >>> import lpgp  # doctest: +SKIP
    >>> lpgp.votes()[["title", "state"]]  # doctest: +SKIP
    """
    columns = [
        "id", "title", "state", "method", "seats", "weighting", "ballot", "budget",
        "opens_at", "closes_at", "seed",
    ]  # fmt: skip
    with _store(store).read() as s:
        where = _places.get_place(s, place)
        chosen = _places.get_cycle(s, where, cycle) if cycle is not None else None
        rows = [
            {
                "id": v.id,
                "title": v.title,
                "state": _votes.state(s, v),
                "method": v.method,
                "seats": v.seats,
                "weighting": v.weighting,
                "ballot": v.ballot,
                "budget": v.budget,
                "opens_at": v.opens_at,
                "closes_at": _votes.closing_time(v),
                "seed": v.seed,
            }
            for v in _votes.list_votes(s, where, chosen)
        ]
    return pd.DataFrame(rows, columns=columns)


def turnout(
    vote: int | str, place: str | int | None = None, *, store: Store | str | None = None
) -> pd.DataFrame:
    """Live turnout by PCN, with a final 'All practices' row: practices voted of eligible and
    registered patients covered. Available while a vote is open.

    >>> lpgp.turnout("2027/28 priorities vote")  # doctest: +SKIP
    """
    with _store(store).read() as s:
        t = _votes.turnout(s, _vote(s, place, vote))
    rows = [
        (p.pcn, p.eligible, p.voted, p.patients_eligible, p.patients_voted) for p in t.by_pcn
    ] + [("All practices", t.eligible, t.voted, t.patients_eligible, t.patients_voted)]
    df = pd.DataFrame(
        rows,
        columns=["pcn", "eligible", "voted", "patients_eligible", "patients_voted"],
    )
    df["share_voted"] = (df["voted"] / df["eligible"].where(df["eligible"] > 0)).fillna(0.0)
    df["share_of_patients"] = (
        df["patients_voted"] / df["patients_eligible"].where(df["patients_eligible"] > 0)
    ).fillna(0.0)
    return df


def results(
    vote: int | str, place: str | int | None = None, *, store: Store | str | None = None
) -> pd.DataFrame:
    """The full ranking of a closed vote, winners first. ``df.attrs`` carries the
    explanation, tie-breaks, evidence and robustness table.

    >>> lpgp.results(1)  # doctest: +SKIP
    """
    with _store(store).read() as s:
        outcome = recount.results(s, _vote(s, place, vote))
    return outcome_frame(outcome)


def outcome_frame(outcome: recount.Outcome) -> pd.DataFrame:
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
    df = pd.DataFrame(rows, columns=["position", "key", "title", "score", "elected"])
    df["elected"] = df["elected"].astype("Int64")
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


def ballots(
    vote: int | str, place: str | int | None = None, *, store: Store | str | None = None
) -> pd.DataFrame:
    """Every ballot of a closed *named* vote: practice, receipt, weight and choices.

    >>> lpgp.ballots(1)  # doctest: +SKIP
    """
    with _store(store).read() as s:
        v = _vote(s, place, vote)
        if v.secret:
            raise StateError(
                f"'{v.title}' was a secret ballot: only the shuffled ballots without practices "
                "are published (lpgp vote export)"
            )
        published = recount.published_ballots(s, v)
    return pd.DataFrame(
        [
            {
                "ods_code": b.ods_code,
                "practice": b.practice,
                "receipt": b.receipt,
                "weight": b.weight,
                "ballot": b.ballot,
            }
            for b in sorted(published, key=lambda b: b.ods_code or "")
        ],
        columns=["ods_code", "practice", "receipt", "weight", "ballot"],
    )
