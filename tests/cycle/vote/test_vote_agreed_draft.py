"""Step 5 starts from step 4: a closed vote's winners, in order, drafted as the agreed list."""

from __future__ import annotations

import pytest

from cycle.vote.conftest import TEXTS, Setup
from lpgp.cycle.agreed.priority import draft_from_result
from lpgp.cycle.candidates.candidate import add_candidate
from lpgp.cycle.candidates.candidate_rules import CandidateInput
from lpgp.cycle.vote import vote as votes
from lpgp.cycle.vote import vote_rules
from lpgp.errors import StateError


def _closed_approval(setup: Setup, texts: list[vote_rules.CandidateText]) -> vote_rules.Vote:
    v = setup.vote(method="approval", seats=2, candidates=texts)
    codes = setup.codes(v)
    # Counted by hand: C has 4 approvals, A 3, B 2, D and E none; two seats go to C then A.
    for ods, choice in zip(
        sorted(codes), (["A", "C"], ["C"], ["A", "C", "B"], ["C", "B"], ["A"]), strict=False
    ):
        setup.cast(codes[ods], choice)
    return setup.store.write(lambda s: votes.close_vote(s, setup.place, v))


def test_a_closed_vote_drafts_its_winners_in_order_with_titles_and_asks(mem_setup: Setup) -> None:
    v = _closed_approval(mem_setup, TEXTS)
    with mem_setup.store.read() as s:
        draft = draft_from_result(s, mem_setup.place, v.id)
    assert [i.title for i in draft.items] == ["Shared workforce", "Same-day access hub"]
    assert [i.ask for i in draft.items] == ["Host the pool", "Fund it"]
    assert {i.lead for i in draft.items} == {""}  # the board's to fill in
    assert draft.vote_id == v.id
    # Texts with no candidate behind them give no order to check departures against.
    assert draft.result_order == ()


def test_winners_keep_the_candidates_they_came_from(mem_setup: Setup) -> None:
    def work(s):
        from lpgp.cycle.board import place as places

        cycle = places.create_cycle(s, mem_setup.place, "2027/28 priorities")
        made = [add_candidate(s, mem_setup.place, cycle, CandidateInput(t.title)) for t in TEXTS]
        return [
            vote_rules.CandidateText(t.key, t.title, t.description, t.ask, c.id)
            for t, c in zip(TEXTS, made, strict=True)
        ]

    linked = mem_setup.store.write(work)
    v = _closed_approval(mem_setup, linked)
    with mem_setup.store.read() as s:
        draft = draft_from_result(s, mem_setup.place, v.title)
    by_key = {t.key: t.candidate_id for t in linked}
    assert draft.result_order == (by_key["C"], by_key["A"])
    assert [i.candidate_id for i in draft.items] == [by_key["C"], by_key["A"]]


def test_an_open_vote_drafts_nothing(mem_setup: Setup) -> None:
    v = mem_setup.vote(method="approval", seats=2)
    with mem_setup.store.read() as s, pytest.raises(StateError):
        draft_from_result(s, mem_setup.place, v.id)
