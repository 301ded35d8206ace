"""The pure aggregation: hand-worked answers and Hypothesis properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lpgp.cycle.shortlist.scoring_rules import parse_score
from lpgp.cycle.shortlist.shortlist_rules import DISAGREEMENT_SD, aggregate, departures
from lpgp.errors import InvalidInput

NAN = float("nan")


def _marks(rows: list[tuple[int, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["member", "candidate", "criterion", "score"])


def test_a_hand_worked_example() -> None:
    # weights a:3, b:1. Member 1 on X: a=4, b=0 -> (3*4 + 1*0)/4 = 3.
    # Member 2 on X: a can't judge, b=2 -> only b counts -> 2. Member 3 did not score X.
    # X: mean 2.5, median 2.5, population sd 0.5, range 1, 2 of 3 members, 1 can't judge.
    # Y: member 1 a=5,b=5 -> 5; member 3 a=1,b=1 -> 1: mean 3, sd 2 -> disagreement.
    marks = _marks(
        [
            (1, 10, "a", 4),
            (1, 10, "b", 0),
            (2, 10, "a", NAN),
            (2, 10, "b", 2),
            (1, 11, "a", 5),
            (1, 11, "b", 5),
            (3, 11, "a", 1),
            (3, 11, "b", 1),
        ]
    )
    agg = aggregate(marks, {"a": 3, "b": 1}, candidates={10: "X", 11: "Y"}, members=[1, 2, 3])
    s = agg.summary.set_index("title")
    assert list(agg.summary.title) == ["Y", "X"]
    assert s.loc["X", "score"] == pytest.approx(2.5)
    assert s.loc["X", "median"] == pytest.approx(2.5)
    assert s.loc["X", "sd"] == pytest.approx(0.5)
    assert s.loc["X", "range"] == pytest.approx(1.0)
    assert s.loc["X", "members_scored"] == 2
    assert s.loc["X", "coverage"] == pytest.approx(2 / 3)
    assert s.loc["X", "cant_judge"] == 1
    assert not s.loc["X", "disagreement"]
    assert s.loc["Y", "sd"] == pytest.approx(2.0)
    assert s.loc["Y", "disagreement"]
    assert agg.threshold == DISAGREEMENT_SD
    # per criterion: X on a is member 1's 4 only; on b the mean of 0 and 2
    assert s.loc["X", "crit_a"] == pytest.approx(4.0)
    assert s.loc["X", "crit_b"] == pytest.approx(1.0)
    assert agg.by_member.loc["X", 1] == pytest.approx(3.0)
    assert math.isnan(agg.by_member.loc["X", 3])


def test_cant_judge_is_not_zero() -> None:
    base = [(1, 10, "a", 4), (2, 10, "a", 2)]
    cant = aggregate(_marks([*base, (3, 10, "a", NAN)]), {"a": 1}).summary.iloc[0]
    zero = aggregate(_marks([*base, (3, 10, "a", 0)]), {"a": 1}).summary.iloc[0]
    assert cant.score == pytest.approx(3.0)
    assert zero.score == pytest.approx(2.0)
    assert (cant.members_scored, cant.cant_judge) == (2, 1)


def test_normalising_makes_a_harsh_and_a_lenient_scorer_alike() -> None:
    # Member 1 is harsh (1 and 2), member 2 lenient (4 and 5): each prefers X by one point.
    # As z-scores both give X +1 and Y -1: X scores 1, Y scores -1, with no spread at all.
    marks = _marks([(1, 10, "a", 2), (1, 11, "a", 1), (2, 10, "a", 5), (2, 11, "a", 4)])
    agg = aggregate(marks, {"a": 1}, candidates={10: "X", 11: "Y"}, normalise=True)
    assert agg.summary.score.tolist() == pytest.approx([1.0, -1.0])
    assert agg.summary.sd.tolist() == pytest.approx([0.0, 0.0])
    raw = aggregate(marks, {"a": 1}, candidates={10: "X", 11: "Y"})
    assert raw.summary.sd.tolist() == pytest.approx([1.5, 1.5])
    assert raw.summary.disagreement.all() and not agg.summary.disagreement.any()


def test_interests_that_change_the_order_are_flagged() -> None:
    # X: 4, 4, 4 -> 4. Y: 3, 5, 5 -> 4.33, so Y leads, but only because member 3, who
    # declared an interest in Y, gave it 5: without them Y is (3+5)/2 = 4, tied with X, and
    # X comes first by drafting order.
    marks = _marks(
        [(1, 10, "a", 4), (2, 10, "a", 4), (3, 10, "a", 4)]
        + [(1, 11, "a", 3), (2, 11, "a", 5), (3, 11, "a", 5)]
    )
    agg = aggregate(marks, {"a": 1}, candidates={10: "X", 11: "Y"}, interests=[(3, 11)])
    s = agg.summary.set_index("title")
    assert list(agg.summary.title) == ["Y", "X"]
    assert s.loc["Y", "score_without_conflicted"] == pytest.approx(4.0)
    assert s.loc["Y", "conflicted"] == 1
    assert s.loc["Y", "rank_without_conflicted"] == 2
    assert s.interest_changes_order.tolist() == [True, True]


def test_bad_weights_are_refused() -> None:
    marks = _marks([(1, 10, "a", 3)])
    with pytest.raises(InvalidInput, match="below 0"):
        aggregate(marks, {"a": -0.5})
    with pytest.raises(InvalidInput, match="above 0"):
        aggregate(marks, {"a": 0})


@pytest.mark.parametrize("value", [7, 6, -1, 2.5, "seven", True, float("inf")])
def test_parse_score_refuses_what_is_not_a_score(value) -> None:
    with pytest.raises(InvalidInput, match="is not a score"):
        parse_score(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), ("5", 5), (3.0, 3), (" 2 ", 2), ("Can't judge", "can't judge"), ("", None)],
)
def test_parse_score_reads_scores(value, expected) -> None:
    assert parse_score(value) == expected


def test_departures_from_score_order() -> None:
    scores = {1: 4.0, 2: 3.0, 3: 3.0, 4: NAN}
    assert departures(scores, [1, 2]) == {}
    assert departures(scores, [1, 3]) == {}  # a tie is not a departure
    assert departures(scores, [1, 4]) == {4: [2, 3]}
    assert departures(scores, [2, 3]) == {2: [1], 3: [1]}


# --- properties -----------------------------------------------------------------------------

CRITERIA = ["a", "b", "c"]


@st.composite
def full_marks(draw, min_members: int = 1):
    """Every member marks every candidate on every criterion, 0-5."""
    n_members = draw(st.integers(min_members, 5))
    n_candidates = draw(st.integers(2, 5))
    rows = []
    for m in range(1, n_members + 1):
        for c in range(10, 10 + n_candidates):
            for k in CRITERIA:
                rows.append((m, c, k, float(draw(st.integers(0, 5)))))
    return _marks(rows), list(range(10, 10 + n_candidates))


weights_st = st.lists(
    st.floats(0, 10, allow_nan=False).map(lambda w: round(w, 3)), min_size=3, max_size=3
).filter(lambda ws: sum(ws) > 0.01)


def _same_order(old: pd.DataFrame, new: pd.DataFrame) -> None:
    """The orders match, except that candidates tied in ``old`` may swap places."""
    before = old.set_index("candidate_id").score
    for a, b in zip(old.candidate_id, new.candidate_id, strict=True):
        assert a == b or math.isclose(before[a], before[b], abs_tol=1e-9), (a, b)


@settings(max_examples=30, deadline=None)
@given(full_marks(), weights_st, st.floats(0.01, 1000))
def test_scaling_every_weight_keeps_the_order(data, weights, factor) -> None:
    marks, ids = data
    w = dict(zip(CRITERIA, weights, strict=True))
    scaled = {k: v * factor for k, v in w.items()}
    cands = {c: str(c) for c in ids}
    for normalise in (False, True):
        old = aggregate(marks, w, candidates=cands, normalise=normalise).summary
        new = aggregate(marks, scaled, candidates=cands, normalise=normalise).summary
        _same_order(old, new)
        assert np.allclose(old.score, new.score, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(full_marks(min_members=1), weights_st, st.integers(0, 5))
def test_a_member_who_marks_everything_alike_keeps_the_normalised_order(
    data, weights, mark
) -> None:
    marks, ids = data
    w = dict(zip(CRITERIA, weights, strict=True))
    cands = {c: str(c) for c in ids}
    flat = [(99, c, k, float(mark)) for c in ids for k in CRITERIA]
    more = pd.concat([marks, _marks(flat)], ignore_index=True)
    old = aggregate(marks, w, candidates=cands, normalise=True).summary
    new = aggregate(more, w, candidates=cands, normalise=True).summary
    _same_order(old, new)
    assert (new.members_scored == old.members_scored + 1).all()


@settings(max_examples=60, deadline=None)
@given(full_marks(min_members=2), weights_st, st.data())
def test_cant_judge_is_left_out_of_the_mean_and_shows_in_coverage(data, weights, pick) -> None:
    marks, ids = data
    w = dict(zip(CRITERIA, weights, strict=True))
    cands = {c: str(c) for c in ids}
    member = pick.draw(st.sampled_from(sorted(set(marks.member))))
    target = pick.draw(st.sampled_from(ids))
    hit = (marks.member == member) & (marks.candidate == target)
    cant = marks.copy()
    cant.loc[hit, "score"] = NAN  # the member can't judge this candidate on anything
    without = marks[~hit]  # ... which must read exactly as if they had not scored it
    a = aggregate(cant, w, candidates=cands, members=sorted(set(marks.member))).summary
    b = aggregate(without, w, candidates=cands, members=sorted(set(marks.member))).summary
    a, b = a.set_index("candidate_id"), b.set_index("candidate_id")
    assert a.score.to_dict() == pytest.approx(b.score.to_dict())
    assert a.loc[target, "members_scored"] == b.loc[target, "members_scored"]
    assert a.loc[target, "members_scored"] == len(set(marks.member)) - 1
    assert a.loc[target, "cant_judge"] == len(CRITERIA)
    assert b.loc[target, "cant_judge"] == 0
    assert a.loc[target, "coverage"] < 1
