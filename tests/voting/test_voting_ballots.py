"""Ballots are checked one by one and in bulk; bad ones are refused with a plain reason."""

from __future__ import annotations

import pandas as pd
import pytest

from lpgp import voting
from lpgp.errors import InvalidInput

CANDS = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("method", "ballot", "expected"),
    [
        ("schulze", ["b", "a"], ("b", "a")),
        ("irv", [], ()),
        ("borda", None, ()),
        ("approval", ["c", "a"], frozenset({"a", "c"})),
        ("approval", set(), frozenset()),
        ("points", {"b": 3, "a": 0, "c": 7}, {"b": 3, "c": 7}),
        ("points", {}, {}),
    ],
)
def test_check_ballot_normalises(method, ballot, expected) -> None:
    assert voting.check_ballot(method, ballot, CANDS, budget=10) == expected


@pytest.mark.parametrize(
    ("method", "ballot", "reason"),
    [
        ("schulze", ["a", "z"], "'z' is not a candidate"),
        ("irv", ["a", "b", "a"], "'a' is ranked twice"),
        ("borda", "abc", "a ranked ballot is a list"),
        ("approval", ["a", "a"], "'a' is approved twice"),
        ("approval", ["q"], "'q' is not a candidate"),
        ("points", {"a": 11}, "11 points were given but the budget is 10"),
        ("points", {"a": 6, "b": 6}, "12 points were given but the budget is 10"),
        ("points", {"a": -1}, "points cannot be negative"),
        ("points", {"a": 1.5}, "use a whole number"),
        ("points", ["a"], "a points ballot maps"),
    ],
)
def test_bad_ballots_are_refused_with_a_reason(method, ballot, reason) -> None:
    with pytest.raises(InvalidInput, match=reason):
        voting.check_ballot(method, ballot, CANDS, budget=10)


def test_bulk_refusal_names_the_ballot() -> None:
    with pytest.raises(InvalidInput, match="ballot 3: 'b' is ranked twice"):
        voting.tally("schulze", [["a"], ["b"], ["b", "b"]], candidates=CANDS)
    with pytest.raises(InvalidInput, match="ballot 2: 'x' is not a candidate"):
        voting.tally("borda", [("a",), ("x",)], candidates=CANDS)


@pytest.mark.parametrize("weight", [0, -2, float("nan"), "5", True])
def test_weights_must_be_positive_numbers(weight) -> None:
    with pytest.raises(InvalidInput, match="ballot 2: its weight must be a positive number"):
        voting.tally("approval", [["a"], ["b"]], candidates=CANDS, weights=[1, weight])


def test_other_refusals() -> None:
    with pytest.raises(InvalidInput, match="not a counting method"):
        voting.tally("plurality", [], candidates=CANDS)
    with pytest.raises(InvalidInput, match="seats"):
        voting.tally("borda", [], candidates=CANDS, seats=0)
    with pytest.raises(InvalidInput, match="listed twice"):
        voting.tally("borda", [], candidates=["a", "a"])
    with pytest.raises(InvalidInput, match="2 weights were given for 1 ballots"):
        voting.tally("borda", [["a"]], candidates=CANDS, weights=[1, 2])


def test_blank_ballots_are_abstentions() -> None:
    r = voting.tally("irv", [["a"], [], None, ["b", "a"], ["a"]], candidates=CANDS)
    assert (r.ballots, r.blank) == (3, 2)
    assert "2 blank ballots counted as abstentions" in r.explanation
    assert r.winners == ("a",)


def test_registry_describes_every_method() -> None:
    found = voting.methods()
    assert list(found) == ["approval", "points", "borda", "schulze", "irv"]
    assert {m: voting.ballot_kind(m) for m in found} == {
        "approval": "approval",
        "points": "points",
        "borda": "ranked",
        "schulze": "ranked",
        "irv": "ranked",
    }
    assert all(m.name and m.summary for m in found.values())
    assert ("Instant runoff", "irv") in voting.choices("ranked")


def test_long_format_dataframe() -> None:
    frame = pd.DataFrame(
        {
            "Ballot": [1, 1, 2, 2, 3, 4],
            "Candidate": ["a", "b", "b", "a", "a", "c"],
            "Rank": [1, 2, 1, 2, 1, None],
        }
    )
    r = voting.tally("schulze", frame, candidates=CANDS)
    listed = voting.tally("schulze", [["a", "b"], ["b", "a"], ["a"], []], candidates=CANDS)
    assert r.ranking == listed.ranking
    assert (r.ballots, r.blank) == (3, 1)


def test_long_format_with_weights_points_and_approval() -> None:
    points = pd.DataFrame(
        {"ballot": ["p1", "p1", "p2"], "candidate": ["a", "b", "c"], "points": [4, 6, 10]}
    )
    points["weight"] = [2, 2, 1]
    r = voting.tally("points", points, candidates=CANDS, budget=10)
    assert r.scores == {"a": 8, "b": 12, "c": 10}
    yes_no = pd.DataFrame(
        {
            "ballot": [1, 1, 2, 2],
            "candidate": ["a", "b", "a", "b"],
            "approved": ["yes", "no", "Y", 1],
        }
    )
    assert voting.tally("approval", yes_no, candidates=CANDS).scores == {"a": 2, "b": 1, "c": 0}


def test_long_format_refusals() -> None:
    tied = pd.DataFrame({"ballot": [1, 1], "candidate": ["a", "b"], "rank": [1, 1]})
    with pytest.raises(InvalidInput, match="ballot 1: 'a' and 'b' share rank 1"):
        voting.tally("borda", tied, candidates=CANDS)
    missing = pd.DataFrame({"ballot": [1], "candidate": ["a"]})
    with pytest.raises(InvalidInput, match="no 'rank' column"):
        voting.tally("borda", missing, candidates=CANDS)
    over = pd.DataFrame({"ballot": [1, 1], "candidate": ["a", "b"], "points": [6, 6]})
    with pytest.raises(InvalidInput, match="ballot 1: 12 points were given but the budget is 10"):
        voting.tally("points", over, candidates=CANDS, budget=10)
