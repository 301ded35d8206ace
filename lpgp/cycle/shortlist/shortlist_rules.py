"""From the board's scores to a shortlist, the rules (pure): aggregation, disagreement,
interests, and how a chosen shortlist departs from the score order;
:mod:`lpgp.cycle.shortlist.shortlist` reads the marks from the store and records the board's choice.

:func:`aggregate` takes a long table of marks and gives DataFrames. For each candidate it
gives the weighted score (mean and median across members), coverage, spread, a disagreement
flag, the score per criterion, and the score without members who declared an interest.

How a score is built, step by step:

1. Each member's mark on each criterion (0-5; "can't judge" and unmarked cells are left out,
   never read as zero). With ``normalise=True`` each member's marks first become z-scores
   (their own mean 0, standard deviation 1) so a harsh and a lenient scorer count alike; a
   member who gives every cell the same mark gets 0 everywhere.
2. A member's score for a candidate is the weighted mean over the criteria they marked, with
   the weights rescaled to add up to 1 over those criteria.
3. The candidate's score is the mean of its members' scores; ``median``, ``sd`` (population
   standard deviation), ``low``, ``high`` and ``range`` describe their spread.
4. ``disagreement`` is set where at least two members scored and ``sd`` is at least
   :data:`DISAGREEMENT_SD` (1.25 points, a quarter of the 0-5 scale) or, when normalised,
   :data:`DISAGREEMENT_SD_NORMALISED` (1.0, one member's own standard deviation).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from lpgp.cycle.shortlist.scoring_rules import Criterion, normalised_weights

DISAGREEMENT_SD = 1.25
DISAGREEMENT_SD_NORMALISED = 1.0
_PLACES = 9  # scores are compared after rounding, so float noise never reorders a tie

SUMMARY_COLUMNS = [
    "rank",
    "candidate_id",
    "title",
    "score",
    "median",
    "sd",
    "low",
    "high",
    "range",
    "members_scored",
    "members_total",
    "coverage",
    "cant_judge",
    "disagreement",
    "conflicted",
    "score_without_conflicted",
    "rank_without_conflicted",
    "interest_changes_order",
]


@dataclass(frozen=True)
class Aggregate:
    """The aggregate of a cycle's scores.

    ``summary``: one row per candidate in score order (columns :data:`SUMMARY_COLUMNS` plus
    ``crit_<key>``, the mean per criterion). ``by_member``: candidates (rows, by title) x
    members (columns), each member's weighted score; the heat map draws it.
    ``by_criterion``: candidates x criteria means. ``threshold``: the standard deviation at
    which ``disagreement`` is set.
    """

    summary: pd.DataFrame
    by_member: pd.DataFrame
    by_criterion: pd.DataFrame
    threshold: float
    normalised: bool


def _zscores(marks: pd.DataFrame) -> pd.Series:
    grouped = marks.groupby("member")["score"]
    mean = grouped.transform("mean")
    sd = grouped.transform(lambda s: s.std(ddof=0))
    z = (marks["score"] - mean) / sd
    return z.where(sd > 0, 0.0)


def _order(scores: pd.Series, ids: Sequence[int]) -> list[int]:
    """Candidate ids by score, highest first; unscored last; ties in drafting order."""
    keyed = [
        (math.isnan(s), -round(s, _PLACES) if not math.isnan(s) else 0.0, position, cid)
        for position, (cid, s) in enumerate(zip(ids, scores, strict=True))
    ]
    return [cid for *_, cid in sorted(keyed)]


def aggregate(
    marks: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    candidates: Mapping[int, str] | None = None,
    members: Iterable[int] | None = None,
    interests: Iterable[tuple[int, int]] = (),
    normalise: bool = False,
) -> Aggregate:
    """Combine marks into per-candidate scores (pure; see the module's steps).

    ``marks`` has columns ``member``, ``candidate``, ``criterion`` and ``score`` (0-5, NaN for
    "can't judge"). ``weights`` maps criterion to weight (any scale, none below 0).
    ``candidates`` maps id to title in drafting order (default: those in ``marks``);
    ``members`` lists everyone who could have scored (the coverage denominator);
    ``interests`` holds (member, candidate) pairs.

    >>> marks = pd.DataFrame({"member": [1, 2, 1, 2], "candidate": [10, 10, 11, 11],
    ...     "criterion": ["a"] * 4, "score": [5, 1, 3, float("nan")]})
    >>> agg = aggregate(marks, {"a": 1}, candidates={10: "Hub", 11: "Seat"})
    >>> agg.summary[["title", "score", "members_scored", "cant_judge", "disagreement"]]
      title  score  members_scored  cant_judge  disagreement
    0   Hub    3.0               2           0          True
    1  Seat    3.0               1           1         False
    """
    shares = normalised_weights_of(weights)
    marks = marks[marks["criterion"].isin(list(shares))].copy()
    marks["score"] = marks["score"].astype(float)
    if candidates is None:
        candidates = {int(c): str(c) for c in dict.fromkeys(marks["candidate"])}
    ids = list(candidates)
    member_ids = list(dict.fromkeys(members if members is not None else marks["member"]))
    marks = marks[marks["candidate"].isin(ids)]
    cant = marks["score"].isna().groupby(marks["candidate"]).sum()
    marked = marks.dropna(subset=["score"]).copy()
    if normalise and len(marked):
        marked["score"] = _zscores(marked)
    marked["w"] = marked["criterion"].map(shares)
    marked["ws"] = marked["w"] * marked["score"]
    per = marked.groupby(["candidate", "member"])[["ws", "w"]].sum()
    per = per[per["w"] > 0]
    member_score = (per["ws"] / per["w"]).rename("score").reset_index()

    by_member = member_score.pivot(index="candidate", columns="member", values="score")
    by_member = by_member.reindex(index=ids, columns=list(dict.fromkeys(member_ids)))
    by_criterion = (
        marked.groupby(["candidate", "criterion"])["score"].mean().unstack("criterion")
    ).reindex(index=ids, columns=list(shares))

    conflicted = {(int(m), int(c)) for m, c in interests}
    rows = []
    for cid in ids:
        values = by_member.loc[cid].dropna()
        members = values.index.astype(int)  # person ids
        clean = [v for m, v in zip(members, values, strict=True) if (m, cid) not in conflicted]
        n = len(values)
        rows.append(
            {
                "candidate_id": cid,
                "title": candidates[cid],
                "score": values.mean() if n else np.nan,
                "median": values.median() if n else np.nan,
                "sd": values.std(ddof=0) if n else np.nan,
                "low": values.min() if n else np.nan,
                "high": values.max() if n else np.nan,
                "members_scored": n,
                "cant_judge": int(cant.get(cid, 0)),
                "conflicted": sum(1 for m in values.index if (int(m), cid) in conflicted),
                "score_without_conflicted": float(np.mean(clean)) if clean else np.nan,
            }
        )
    summary = pd.DataFrame(rows)
    threshold = DISAGREEMENT_SD_NORMALISED if normalise else DISAGREEMENT_SD
    total = len(member_ids) or 1
    if summary.empty:
        summary = pd.DataFrame(columns=SUMMARY_COLUMNS)
    else:
        summary["range"] = summary["high"] - summary["low"]
        summary["members_total"] = len(member_ids)
        summary["coverage"] = summary["members_scored"] / total
        summary["disagreement"] = (summary["members_scored"] >= 2) & (
            summary["sd"].round(_PLACES) >= threshold
        )
        order = _order(summary["score"], ids)
        order_clean = _order(summary["score_without_conflicted"], ids)
        summary["rank"] = summary["candidate_id"].map({c: i + 1 for i, c in enumerate(order)})
        summary["rank_without_conflicted"] = summary["candidate_id"].map(
            {c: i + 1 for i, c in enumerate(order_clean)}
        )
        summary["interest_changes_order"] = summary["rank"] != summary["rank_without_conflicted"]
        summary = summary[SUMMARY_COLUMNS].sort_values("rank").reset_index(drop=True)
    for key in shares:
        summary[f"crit_{key}"] = summary["candidate_id"].map(by_criterion[key]).astype(float)
    by_member.index = [candidates[c] for c in by_member.index]
    by_criterion.index = [candidates[c] for c in by_criterion.index]
    return Aggregate(summary, by_member, by_criterion, threshold, normalise)


def normalised_weights_of(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights as shares of their total, checked like criteria (pure).

    >>> normalised_weights_of({"a": 2, "b": 2})
    {'a': 0.5, 'b': 0.5}
    """
    return normalised_weights(Criterion(k, k, w) for k, w in weights.items())


def departures(scores: Mapping[int, float], chosen: Iterable[int]) -> dict[int, list[int]]:
    """Chosen candidates that depart from score order, each with the higher-scoring ones left
    out (pure). An unscored candidate counts below any scored one; equal scores are no
    departure.

    >>> departures({1: 4.0, 2: 3.5, 3: 2.0, 4: 1.0}, [1, 3])
    {3: [2]}
    """
    picked = list(dict.fromkeys(chosen))

    def value(cid: int) -> float:
        s = scores.get(cid, math.nan)
        return -math.inf if s is None or math.isnan(s) else round(s, _PLACES)

    left_out = [c for c in scores if c not in picked]
    found: dict[int, list[int]] = {}
    for cid in picked:
        above = [o for o in left_out if value(o) > value(cid)]
        if above:
            found[cid] = sorted(above, key=lambda o: -value(o))
    return found


def scores_on_show(locked: bool) -> bool:
    """Whether the board's scores may be shown to the room (pure): only once scoring is
    locked, so no member's marks, nor the running order, sway those still scoring.

    >>> scores_on_show(False), scores_on_show(True)
    (False, True)
    """
    return bool(locked)


@dataclass(frozen=True)
class ShortlistEntry:
    """One candidate on a fixed shortlist: what the vote shows and how it got there."""

    position: int
    candidate_id: int
    title: str
    description: str
    ask: str
    actions: str
    score: float | None
    score_rank: int | None
    departure: bool
    reason: str | None

    @property
    def id(self) -> int:
        """The candidate's id (what a vote keeps to link back to the candidate)."""
        return self.candidate_id


@dataclass(frozen=True)
class Shortlist:
    """The board's fixed shortlist: its entries in order, who fixed it and when."""

    cycle_id: int
    fixed_at: datetime
    fixed_by: str
    note: str | None
    entries: tuple[ShortlistEntry, ...]
