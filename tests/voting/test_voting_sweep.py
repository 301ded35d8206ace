"""One test sweeps every registered method with a known answer, plus the robustness tables.

The profile is the Tennessee capital example (Wikipedia, "Effects of different voting systems
under similar circumstances"), with approval sets from Wikipedia's "Approval voting" article
and points ballots that put all 10 dots on the voter's first choice (so points equals the
published first-preference counts: Memphis 42, Nashville 26, Knoxville 17, Chattanooga 15).
"""

from __future__ import annotations

import pytest

from lpgp import voting

M, N, C, K = "Memphis", "Nashville", "Chattanooga", "Knoxville"
CITIES = [M, N, C, K]
GROUPS = [
    (42, [M, N, C, K], {M}),
    (26, [N, C, K, M], {N, C}),
    (15, [C, K, N, M], {C, K}),
    (17, [K, C, N, M], {K, C}),
]
EXPECTED = {"approval": C, "points": M, "borda": N, "schulze": N, "irv": K}


def ballots_for(kind: str) -> list:
    out = []
    for n, order, approved in GROUPS:
        one = {"ranked": order, "approval": approved, "points": {order[0]: 10}}[kind]
        out += [one] * n
    return out


@pytest.mark.parametrize("method", list(voting.methods()))
def test_every_registered_method(method: str) -> None:
    assert method in EXPECTED, "a new method needs a known answer here"
    kind = voting.ballot_kind(method)
    r = voting.tally(method, ballots_for(kind), candidates=CITIES, budget=10, seed="s")
    assert r.winners == (EXPECTED[method],)
    assert r.method == method and r.ballots == 100
    assert r.explanation.splitlines()[0]
    assert len(r.evidence) >= 1
    assert all(len(r.evidence[name]) for name in r.evidence)
    flat = [c for tier in r.ranking for c in tier]
    assert sorted(flat) == sorted(CITIES)


def test_robustness_side_by_side_and_bootstrap() -> None:
    side, boot = voting.robustness(
        "schulze", ballots_for("ranked"), candidates=CITIES, seed="2027", resamples=1000
    )
    assert list(side.columns) == ["candidate", "borda", "schulze", "irv", "elected_by"]
    places = side.set_index("candidate")
    assert places.loc[N, "schulze"] == 1 and places.loc[N, "borda"] == 1
    assert places.loc[K, "irv"] == 1
    assert places.loc[N, "elected_by"] == 2
    chances = boot.set_index("candidate")["chance"]
    assert chances.sum() == pytest.approx(1.0)
    assert chances[N] > 0.9  # Nashville beats each rival head to head by 58 or more of 100
    again = voting.robustness(
        "schulze", ballots_for("ranked"), candidates=CITIES, seed="2027", resamples=1000
    )
    assert again.bootstrap.equals(boot)


def test_robustness_for_points_also_shows_approval() -> None:
    side, boot = voting.robustness(
        "points", ballots_for("points"), candidates=CITIES, seats=2, budget=10, resamples=200
    )
    assert list(side.columns) == ["candidate", "points", "approval", "elected_by"]
    assert boot["chance"].sum() == pytest.approx(2.0)
