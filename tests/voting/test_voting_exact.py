"""Counting with decimal weights is exact: a weight is read as the decimal that was typed, and
every method decides on exact sums, so a tie between 0.1 + 0.2 and 0.15 + 0.15 is a tie."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lpgp import voting
from lpgp.errors import InvalidInput
from lpgp.voting.ballots import profile

METHODS = ["approval", "points", "borda", "schulze", "irv"]
WEIGHTS = [0.1, 0.2, 0.15, 0.15]


def _ballots(method: str, marks: list[list[str]]) -> list:
    kind = voting.ballot_kind(method)
    if kind == "approval":
        return [set(b) for b in marks]
    if kind == "points":
        return [{c: 1 for c in b} for b in marks]
    return [list(b) for b in marks]


@pytest.mark.parametrize("method", METHODS)
def test_a_decimal_tie_is_a_tie_and_goes_to_the_stated_chain(method: str) -> None:
    # By hand: A has 0.1 + 0.2 = 0.3 and B has 0.15 + 0.15 = 0.3 under every method (one
    # approval, one point, one Borda point, 0.3 to 0.3 head to head, 0.3 first preferences
    # each with no majority). Weighted and unweighted counts are level, so the shortlist
    # order decides: B is first on it. In binary floating point 0.1 + 0.2 > 0.3 and A won.
    ballots = _ballots(method, [["A"], ["A"], ["B"], ["B"]])
    r = voting.tally(method, ballots, candidates=["B", "A"], weights=WEIGHTS)
    assert r.winners == ("B",)
    assert r.tie_breaks and "shortlist order" in r.tie_breaks[-1]
    if method != "schulze":  # Schulze's tie is on strongest paths, not on a total
        assert "0.3" in r.tie_breaks[-1]
    chances = voting.robustness(method, ballots, candidates=["B", "A"], weights=WEIGHTS)
    assert chances.methods.set_index("candidate").loc["B", method] == 1


def test_the_brief_example_reports_the_tie() -> None:
    r = voting.tally(
        "approval", [{"A"}, {"A"}, {"B"}, {"B"}], candidates=["B", "A"], weights=WEIGHTS
    )
    assert r.winners == ("B",)
    assert r.scores == {"B": 0.3, "A": 0.3}
    assert r.tie_breaks == (
        "'B' and 'A' were level on 0.3 approvals: 'B' before 'A' by shortlist order "
        "(1st and 2nd on the shortlist).",
    )


def test_weights_are_read_as_typed() -> None:
    p = profile("approval", [{"A"}, {"B"}, {"A"}], ["A", "B"], [0.1, Decimal("0.25"), 3])
    assert p.scale == 20
    assert (p.weight / p.scale).tolist() == [0.1, 0.25, 3.0]
    assert Fraction(int(p.weight[0]), p.scale) == Fraction(1, 10)


def _exact_totals(method: str, ballots: list, weights: list[Fraction], cands: list[str]) -> dict:
    """An independent exact count for the scoring methods, in fractions."""
    m = len(cands)
    totals = {c: Fraction(0) for c in cands}
    for b, w in zip(ballots, weights, strict=True):
        if method == "approval":
            for c in b:
                totals[c] += w
        elif method == "points":
            for c, p in b.items():
                totals[c] += w * p
        else:
            left = [c for c in cands if c not in b]
            for place, c in enumerate(b):
                totals[c] += w * (m - 1 - place)
            for c in left:
                totals[c] += w * Fraction(len(left) - 1, 2)
    return totals


CANDS = ["A", "B", "C", "D"]
ranked = st.lists(st.sampled_from(CANDS), unique=True, min_size=1, max_size=4)
decimals = st.decimals(min_value="0.01", max_value="1000", places=2).map(float)


@st.composite
def votes(draw: st.DrawFn, method: str) -> tuple[list, list[float]]:
    marks = draw(st.lists(ranked, min_size=1, max_size=9))
    weights = draw(st.lists(decimals, min_size=len(marks), max_size=len(marks)))
    return _ballots(method, marks), weights


@pytest.mark.parametrize("method", ["approval", "points", "borda"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_scores_match_an_independent_exact_count(method: str, data: st.DataObject) -> None:
    ballots, weights = data.draw(votes(method))
    exact = [Fraction(Decimal(repr(w))) for w in weights]
    r = voting.tally(method, ballots, candidates=CANDS, weights=weights, seats=2)
    totals = _exact_totals(method, ballots, exact, CANDS)
    # Candidates share a tier exactly when their exact totals are equal; tiers go down.
    tiers = [{totals[c] for c in tier} for tier in r.ranking]
    assert all(len(t) == 1 for t in tiers)
    values = [t.pop() for t in tiers]
    assert all(a > b for a, b in zip(values, values[1:], strict=False))
    for c in CANDS:
        assert r.scores[c] == pytest.approx(float(totals[c]), rel=1e-12)


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=40, deadline=None)
@given(
    data=st.data(),
    factor=st.fractions(min_value=Fraction(1, 1000), max_value=1000).filter(lambda f: f > 0),
)
def test_scaling_every_weight_by_a_positive_rational_changes_nothing(
    method: str, data: st.DataObject, factor: Fraction
) -> None:
    ballots, weights = data.draw(votes(method))
    exact = [Fraction(Decimal(repr(w))) for w in weights]
    scaled = [w * factor for w in exact]
    args = dict(candidates=CANDS, seats=2, seed="2027")
    first = voting.tally(method, ballots, weights=weights, **args)
    again = voting.tally(method, ballots, weights=scaled, **args)
    assert again.winners == first.winners
    assert again.ranking == first.ranking
    assert len(again.tie_breaks) == len(first.tie_breaks)
    by = 1.0 if method == "schulze" else float(factor)  # Schulze scores count who is beaten
    for c in CANDS:
        assert again.scores[c] == pytest.approx(first.scores[c] * by, rel=1e-9)


@pytest.mark.parametrize("method", METHODS)
def test_weights_too_fine_for_float_are_still_exact(method: str) -> None:
    # A third typed as 0.3333333333333333 needs a scale of 10**16: the totals pass 2**52, so
    # the count switches to Python integers. Equal weights must give the unweighted result.
    rng = np.random.default_rng(7)
    marks = [list(rng.permutation(CANDS)[: rng.integers(1, 5)]) for _ in range(40)]
    ballots = _ballots(method, marks)
    args = dict(candidates=CANDS, seats=2, seed="s")
    plain = voting.tally(method, ballots, **args)
    fine = voting.tally(method, ballots, weights=[1 / 3] * len(ballots), **args)
    assert profile(voting.ballot_kind(method), ballots, CANDS, [1 / 3] * 40).weight.dtype == object
    assert fine.winners == plain.winners and fine.ranking == plain.ranking
    robust = voting.robustness(method, ballots, weights=[1 / 3] * 40, resamples=50, **args)
    same = voting.robustness(method, ballots, resamples=50, **args)
    assert robust.bootstrap["chance"].tolist() == same.bootstrap["chance"].tolist()


def test_candidate_ids_that_read_the_same_as_text_are_refused() -> None:
    with pytest.raises(InvalidInput, match="1 and '1' are both written '1'"):
        voting.tally("approval", [{1}], candidates=[1, "1"])
    assert voting.lot_digest("s", 1) == voting.lot_digest("s", "1")  # why they are refused
