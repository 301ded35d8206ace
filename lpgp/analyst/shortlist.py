"""Steps 2 and 3, candidates and the shortlist: candidate priorities, the board's scores and
their aggregate as DataFrames.

Each takes ``cycle`` first (name or id; default the place's current cycle); ``place`` (slug,
name or id; default the only place) and ``store`` are keywords. Nothing here writes.

The examples run against the demo place, Haverbrook (``lpgp demo``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy.orm import Session

from lpgp.analyst._common import _store, keywords_from
from lpgp.analyst._frames import (
    BOOL,
    FLOAT,
    INSTANT,
    INT,
    NULLABLE_INT,
    TEXT,
    Schema,
    frame,
    ordered,
)
from lpgp.cycle.board import place as _places
from lpgp.cycle.candidates.candidate import list_candidates
from lpgp.cycle.candidates.candidate_rules import CandidateState
from lpgp.cycle.shortlist.scoring import list_criteria, list_interests, score_records
from lpgp.cycle.shortlist.shortlist import summarise
from lpgp.cycle.shortlist.shortlist_rules import SUMMARY_COLUMNS
from lpgp.model import Cycle, Place
from lpgp.store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CANDIDATES: Schema = {
    "id": INT,
    "title": TEXT,
    "state": ordered(CandidateState),
    "description": TEXT,
    "ask": TEXT,
    "actions": TEXT,
    "qualities": TEXT,
    "warnings": TEXT,
    "proposed_by": TEXT,
}
SCORES: Schema = {
    "member_id": INT,
    "member": TEXT,
    "candidate_id": INT,
    "candidate": TEXT,
    "criterion": TEXT,
    "weight": FLOAT,
    "score": NULLABLE_INT,
    "cant_judge": BOOL,
    "updated_at": INSTANT,
}
CRITERIA: Schema = {"key": TEXT, "label": TEXT, "weight": FLOAT, "share": FLOAT}
INTERESTS: Schema = {
    "member_id": INT,
    "member": TEXT,
    "candidate_id": INT,
    "candidate": TEXT,
    "reason": TEXT,
}
_SUMMARY_TYPES: Schema = {
    "rank": INT,
    "candidate_id": INT,
    "title": TEXT,
    "members_scored": INT,
    "members_total": INT,
    "cant_judge": INT,
    "disagreement": BOOL,
    "conflicted": INT,
    "rank_without_conflicted": INT,
    "interest_changes_order": BOOL,
}
#: The aggregate's columns; then one ``crit_<key>`` (float) per criterion of the cycle.
SUMMARY: Schema = {c: _SUMMARY_TYPES.get(c, FLOAT) for c in SUMMARY_COLUMNS}


def _scope(
    session: Session, cycle: str | int | None, place: str | int | None
) -> tuple[Place, Cycle]:
    where = _places.get_place(session, place)
    return where, _places.get_cycle(session, where, cycle)


@keywords_from("place")
def candidates(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's candidate priorities with their state (an ordered Categorical in the
    cycle's order: draft, shortlisted, on ballot, agreed, not taken forward), claimed
    qualities and drafting warnings (codes, comma-separated), and who proposed each.

    >>> import lpgp
    >>> lpgp.candidates().state.value_counts(sort=False)
    state
    draft                0
    shortlisted          5
    on_ballot            0
    agreed               0
    not_taken_forward    3
    Name: count, dtype: int64
    >>> lpgp.candidates().query("warnings != ''")[["id", "warnings"]]
       id                                     warnings
    5   6  resource_ask, no_ask, no_action, no_quality
    6   7                                       no_ask
    7   8                        no_action, no_quality
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_candidates(s, where, which)
        rows = [
            {
                "id": c.id,
                "title": c.title,
                "state": c.state,
                "description": c.description,
                "ask": c.ask,
                "actions": c.actions,
                "qualities": ", ".join(q.value for q in c.qualities),
                "warnings": ", ".join(w.code for w in c.warnings()),
                "proposed_by": c.proposed_by,
            }
            for c in items
        ]
    return frame(rows, CANDIDATES)


@keywords_from("place")
def scores(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Every mark in long format: one row per member, candidate and criterion, with the
    criterion's weight; ``score`` is ``<NA>`` where the member could not judge.

    >>> import lpgp
    >>> df = lpgp.scores()
    >>> df.shape
    (360, 9)
    >>> df.groupby("criterion").score.mean().round(2)
    criterion
    feasibility         2.74
    influence           3.31
    joint_working       2.75
    practical_action    3.35
    resonates           3.49
    Name: score, dtype: Float64
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        records = score_records(s, where, which)
        weights = {c.key: c.weight for c in list_criteria(s, where, which)}
    rows = [
        {
            "member_id": r.member_id,
            "member": r.member,
            "candidate_id": r.candidate_id,
            "candidate": r.candidate,
            "criterion": r.criterion,
            "weight": weights.get(r.criterion),
            "score": r.score,
            "cant_judge": r.cant_judge,
            "updated_at": r.updated_at,
        }
        for r in records
    ]
    return frame(rows, SCORES)


@keywords_from("place")
def score_summary(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    normalise: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """One row per candidate in score order: weighted mean and median across members,
    coverage, spread, the disagreement flag, scores with and without members who declared an
    interest, and the mean per criterion (``crit_<key>``). ``normalise=True`` first turns
    each member's marks into z-scores. The rules are in :mod:`lpgp.cycle.shortlist.shortlist_rules`.

    >>> import lpgp
    >>> lpgp.score_summary()[["rank", "candidate_id", "score", "disagreement"]].head(3)
       rank  candidate_id     score  disagreement
    0     1             1  4.111111         False
    1     2             4  3.711111         False
    2     3             3  3.555556         False
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        summary = summarise(s, where, which, normalise=normalise).summary
        keys = [c.key for c in list_criteria(s, where, which)]
    schema: Schema = {**SUMMARY, **{f"crit_{k}": FLOAT for k in keys}}
    rows = [{str(k): v for k, v in r.items()} for r in summary.to_dict("records")]
    return frame(rows, schema)


@keywords_from("place")
def criteria(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's scoring criteria with their weights and each weight's share of the total.

    >>> import lpgp
    >>> lpgp.criteria()[["key", "weight", "share"]]
                    key  weight  share
    0     joint_working     1.0    0.2
    1         influence     1.0    0.2
    2  practical_action     1.0    0.2
    3         resonates     1.0    0.2
    4       feasibility     1.0    0.2
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_criteria(s, where, which)
    total = sum(c.weight for c in items) or 1.0
    rows = [
        {"key": c.key, "label": c.label, "weight": c.weight, "share": c.weight / total}
        for c in items
    ]
    return frame(rows, CRITERIA)


@keywords_from("place")
def interests(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Interests board members have declared in the cycle's candidates.

    >>> import lpgp
    >>> lpgp.interests()[["member_id", "member", "candidate_id"]]
       member_id           member  candidate_id
    0          4  Dr Sanjay Mehta             4
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_interests(s, where, which)
        titles = {c.id: c.title for c in list_candidates(s, where, which)}
    rows = [
        {
            "member_id": i.person_id,
            "member": i.member,
            "candidate_id": i.candidate_id,
            "candidate": titles.get(i.candidate_id, ""),
            "reason": i.reason,
        }
        for i in items
    ]
    return frame(rows, INTERESTS)


@keywords_from("place")
def score_charts(
    cycle: str | int | None = None,
    *,
    place: str | int | None = None,
    normalise: bool = False,
    store: Store | str | None = None,
) -> tuple[Figure, Figure]:
    """The heat map (candidates x members) and the ranked bar chart with spread, as
    matplotlib Figures ready to display or save.

    >>> import lpgp
    >>> heat, bars = lpgp.score_charts()
    >>> type(bars).__name__
    'Figure'
    """
    from lpgp.cycle.shortlist.score_chart import heat_map, ranked_bars

    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        agg = summarise(s, where, which, normalise=normalise)
    return heat_map(agg), ranked_bars(agg)
