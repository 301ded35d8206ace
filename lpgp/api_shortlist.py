"""The analyst's DataFrames for candidates, scores and the shortlist aggregate.

Each takes an optional ``cycle`` (name or id; default the place's current cycle), ``place``
(slug, name or id; default the only place) and ``store``. Nothing here writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy.orm import Session

from . import place as _places
from .api import _store
from .candidate import list_candidates
from .model import Cycle, Place
from .scoring import list_criteria, list_interests, score_records
from .shortlist import summarise
from .store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CANDIDATE_COLUMNS = [
    "id",
    "title",
    "state",
    "description",
    "ask",
    "actions",
    "qualities",
    "warnings",
    "proposed_by",
]


def _scope(
    session: Session, cycle: str | int | None, place: str | int | None
) -> tuple[Place, Cycle]:
    where = _places.get_place(session, place)
    return where, _places.get_cycle(session, where, cycle)


def candidates(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's candidate priorities with their state, claimed qualities, drafting
    warnings (codes, comma-separated) and who proposed each.

    >>> lpgp.candidates()  # doctest: +SKIP
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_candidates(s, where, which)
    rows = [
        {
            "id": c.id,
            "title": c.title,
            "state": c.state.value,
            "description": c.description,
            "ask": c.ask,
            "actions": c.actions,
            "qualities": ", ".join(q.value for q in c.qualities),
            "warnings": ", ".join(w.code for w in c.warnings()),
            "proposed_by": c.proposed_by,
        }
        for c in items
    ]
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


def scores(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Every mark in long format: one row per member, candidate and criterion, with the
    criterion's weight; ``score`` is empty where the member could not judge.

    >>> df = lpgp.scores()  # doctest: +SKIP
    >>> df.pivot_table(index="candidate", columns="member", values="score")  # doctest: +SKIP
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        records = score_records(s, where, which)
        weights = {c.key: c.weight for c in list_criteria(s, where, which)}
    df = pd.DataFrame(
        [
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
        ],
        columns=[
            "member_id",
            "member",
            "candidate_id",
            "candidate",
            "criterion",
            "weight",
            "score",
            "cant_judge",
            "updated_at",
        ],
    )
    df["score"] = df["score"].astype("Int64")
    return df


def score_summary(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    normalise: bool = False,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """One row per candidate in score order: weighted mean and median across members,
    coverage, spread, the disagreement flag, scores with and without members who declared an
    interest, and the mean per criterion (``crit_<key>``). ``normalise=True`` first turns
    each member's marks into z-scores. The rules are in :mod:`lpgp.shortlist`.

    >>> lpgp.score_summary(normalise=True)  # doctest: +SKIP
    """
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        return summarise(s, where, which, normalise=normalise).summary


def criteria(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """The cycle's scoring criteria with their weights and each weight's share of the total."""
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_criteria(s, where, which)
    total = sum(c.weight for c in items) or 1.0
    return pd.DataFrame(
        [
            {"key": c.key, "label": c.label, "weight": c.weight, "share": c.weight / total}
            for c in items
        ],
        columns=["key", "label", "weight", "share"],
    )


def interests(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    store: Store | str | None = None,
) -> pd.DataFrame:
    """Interests board members have declared in the cycle's candidates."""
    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        items = list_interests(s, where, which)
        titles = {c.id: c.title for c in list_candidates(s, where, which)}
    return pd.DataFrame(
        [
            {
                "member_id": i.person_id,
                "member": i.member,
                "candidate_id": i.candidate_id,
                "candidate": titles.get(i.candidate_id, ""),
                "reason": i.reason,
            }
            for i in items
        ],
        columns=["member_id", "member", "candidate_id", "candidate", "reason"],
    )


def score_charts(
    cycle: str | int | None = None,
    place: str | int | None = None,
    *,
    normalise: bool = False,
    store: Store | str | None = None,
) -> tuple[Figure, Figure]:
    """The heat map (candidates x members) and the ranked bar chart with spread, as
    matplotlib Figures ready to display or save.

    >>> heat, bars = lpgp.score_charts()  # doctest: +SKIP
    >>> bars.savefig("ranked.png", dpi=150)  # doctest: +SKIP
    """
    from .score_chart import heat_map, ranked_bars

    with _store(store).read() as s:
        where, which = _scope(s, cycle, place)
        agg = summarise(s, where, which, normalise=normalise)
    return heat_map(agg), ranked_bars(agg)
