"""Properties every count must have, checked on many random elections (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from lpgp import voting
from lpgp.voting.registry import get, prepare

METHODS = list(voting.methods())
FAST = settings(max_examples=60, deadline=None)


def ballot(kind: str, cands: list[str]):
    if kind == "ranked":
        return st.permutations(cands).flatmap(
            lambda p: st.integers(0, len(p)).map(lambda k: list(p[:k]))
        )
    if kind == "approval":
        return st.sets(st.sampled_from(cands))
    return st.dictionaries(st.sampled_from(cands), st.integers(0, 5))


@st.composite
def elections(draw, method: str | None = None, weighted: bool | None = None):
    method = method or draw(st.sampled_from(METHODS))
    m = draw(st.integers(1, 5))
    cands = [f"c{i}" for i in range(m)]
    ballots = draw(st.lists(ballot(voting.ballot_kind(method), cands), max_size=14))
    use_weights = draw(st.booleans()) if weighted is None else weighted
    weights = (
        draw(st.lists(st.integers(1, 5), min_size=len(ballots), max_size=len(ballots)))
        if use_weights
        else None
    )
    seats = draw(st.integers(1, m + 1))
    return method, ballots, cands, weights, seats


def tiers(result) -> list[frozenset]:
    return [frozenset(t) for t in result.ranking]


@FAST
@given(elections())
def test_no_crash_and_well_formed(election) -> None:
    method, ballots, cands, weights, seats = election
    r = voting.tally(method, ballots, candidates=cands, weights=weights, seats=seats)
    assert len(r.winners) == min(seats, len(cands))
    order = [c for t in r.ranking for c in t]
    assert sorted(order) == sorted(cands)
    assert tuple(order[: len(r.winners)]) == r.winners
    assert r.explanation


@FAST
@given(elections(), st.randoms(use_true_random=False))
def test_anonymity(election, rnd) -> None:
    method, ballots, cands, weights, seats = election
    pairs = list(zip(ballots, weights or [1] * len(ballots), strict=True))
    rnd.shuffle(pairs)
    shuffled = [b for b, _ in pairs]
    new_weights = [w for _, w in pairs] if weights else None
    a = voting.tally(method, ballots, candidates=cands, weights=weights, seats=seats)
    b = voting.tally(method, shuffled, candidates=cands, weights=new_weights, seats=seats)
    assert (a.winners, a.ranking, a.tie_breaks) == (b.winners, b.ranking, b.tie_breaks)


def _rename(kind: str, b, names: dict):
    if kind == "ranked":
        return [names[c] for c in b]
    if kind == "approval":
        return {names[c] for c in b}
    return {names[c]: p for c, p in b.items()}


@FAST
@given(elections(), st.randoms(use_true_random=False))
def test_neutrality(election, rnd) -> None:
    method, ballots, cands, weights, seats = election
    kind = voting.ballot_kind(method)
    shuffled = cands[:]
    rnd.shuffle(shuffled)
    names = dict(zip(cands, shuffled, strict=True))
    renamed = [_rename(kind, b, names) for b in ballots]
    relisted = [names[c] for c in cands]  # each candidate keeps its shortlist place
    a = voting.tally(method, ballots, candidates=cands, weights=weights, seats=seats)
    b = voting.tally(method, renamed, candidates=relisted, weights=weights, seats=seats)
    assert b.winners == tuple(names[c] for c in a.winners)
    assert b.ranking == tuple(tuple(names[c] for c in t) for t in a.ranking)
    if method != "irv":  # the method's own tiers do not depend on the shortlist at all
        c = voting.tally(method, ballots, candidates=cands[::-1], weights=weights, seats=seats)
        assert tiers(c) == tiers(a)


@FAST
@given(elections(weighted=True))
def test_integer_weight_equals_repeating_the_ballot(election) -> None:
    method, ballots, cands, weights, seats = election
    repeated = [b for b, w in zip(ballots, weights, strict=True) for _ in range(w)]
    a = voting.tally(method, ballots, candidates=cands, weights=weights, seats=seats)
    b = voting.tally(method, repeated, candidates=cands, seats=seats)
    assert a.scores == b.scores
    if method == "irv":
        assert [r.votes for r in a.rounds[:1]] == [r.votes for r in b.rounds[:1]]
        if not a.tie_breaks and not b.tie_breaks:
            assert a.winners == b.winners
    else:
        assert tiers(a) == tiers(b)
        if method == "schulze":
            assert a.evidence["pairwise"].equals(b.evidence["pairwise"])


def _condorcet_winner(ballots, cands):
    def above(b, x, y):
        pos = {c: i for i, c in enumerate(b)}
        return pos.get(x, len(cands)) < pos.get(y, len(cands))

    for x in cands:
        if all(
            sum(above(b, x, y) for b in ballots) > sum(above(b, y, x) for b in ballots)
            for y in cands
            if y != x
        ):
            return x
    return None


@FAST
@given(elections(method="schulze", weighted=False))
def test_condorcet_winner_wins_schulze(election) -> None:
    _, ballots, cands, _, _ = election
    winner = _condorcet_winner(ballots, cands)
    if winner is not None:
        assert voting.tally("schulze", ballots, candidates=cands).winners == (winner,)


@FAST
@given(elections(method="irv"))
def test_majority_first_choice_wins_irv(election) -> None:
    _, ballots, cands, weights, _ = election
    w = weights or [1] * len(ballots)
    first: dict[str, int] = {}
    for b, x in zip(ballots, w, strict=True):
        if b:
            first[b[0]] = first.get(b[0], 0) + x
    total = sum(first.values())
    leaders = [c for c, v in first.items() if 2 * v > total]
    if leaders:
        r = voting.tally("irv", ballots, candidates=cands, weights=weights)
        assert r.winners == (leaders[0],)
        assert r.rounds[0].elected == leaders[0]


@FAST
@given(elections(), st.text(max_size=8))
def test_determinism(election, seed) -> None:
    method, ballots, cands, weights, seats = election
    shortlist = {c: 1 for c in cands}  # every tie goes to the lot
    runs = [
        voting.tally(method, ballots, candidates=shortlist, weights=weights, seats=seats, seed=seed)
        for _ in range(2)
    ]
    assert runs[0].explanation == runs[1].explanation
    assert (runs[0].winners, runs[0].ranking) == (runs[1].winners, runs[1].ranking)


@FAST
@given(elections())
def test_bulk_count_agrees_with_the_full_count(election) -> None:
    method, ballots, cands, weights, seats = election
    shortlist = {c: i % 2 for i, c in enumerate(cands)}
    m = get(method)
    prof, tiebreak = prepare(m, ballots, shortlist, weights, "s", None)
    bulk = m.bulk(prof, prof.count[None, :].astype(np.int64), seats, tiebreak)
    full = m.count(prof, seats, tiebreak)
    k = min(seats, len(cands))
    assert tuple(cands[i] for i in bulk[0, :k]) == full.winners
