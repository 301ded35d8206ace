"""Pure rules of the vote: bands, rotation, turnout arithmetic, and the docstring examples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lpgp.cycle.vote import electorate_rules, recount_rules, vote_rules


@given(st.lists(st.integers(min_value=500, max_value=60_000), min_size=3, max_size=80))
def test_bands_always_hold_three_or_more_and_keep_the_order_of_sizes(sizes) -> None:
    found = electorate_rules.list_size_bands(sizes)
    members: dict[int, list[int]] = {}
    for size, band in zip(sizes, found, strict=True):
        members.setdefault(band.number, []).append(size)
        assert band.low <= size <= band.high
    assert all(len(group) >= 3 for group in members.values())
    assert len(members) <= electorate_rules.MAX_BANDS
    numbers = sorted(members)
    for a, b in zip(numbers, numbers[1:], strict=False):
        assert max(members[a]) < min(members[b])  # contiguous, so equal sizes share a band
    for band in found:
        group = members[band.number]
        assert band.weight == round(sum(group) / len(group)) and band.members == len(group)


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=70))
def test_rotation_puts_each_candidate_first_about_equally(count, practices) -> None:
    firsts = [electorate_rules.rotation(p, count)[0] for p in range(practices)]
    tally = [firsts.count(c) for c in range(count)]
    assert max(tally) - min(tally) <= 1
    assert all(sorted(electorate_rules.rotation(p, count)) == list(range(count)) for p in range(5))


def test_turnout_by_pcn_adds_up() -> None:
    rows = [("N", 1000, True), ("N", 2000, False), ("S", 3000, True), (None, None, False)]
    t = vote_rules.count_turnout(rows)
    assert [(p.pcn, p.eligible, p.voted) for p in t.by_pcn] == [
        ("(no PCN)", 1, 0),
        ("N", 2, 1),
        ("S", 1, 1),
    ]
    assert (t.patients_voted, t.patients_eligible) == (4000, 6000)
    assert t.share == 0.5


def test_small_groups_are_withheld() -> None:
    assert recount_rules.suppress_small({"a": 3, "b": 2, "c": 0}) == {
        "a": True,
        "b": False,
        "c": False,
    }


def test_a_vote_state_is_a_vote_state_and_still_its_word() -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    from lpgp.cycle.vote.vote_rules import Vote, VoteState, state_at

    t = datetime(2027, 3, 1, 9, tzinfo=UTC)
    v = Vote(1, 1, None, "v", "approval", 1, "equal", True, None, t, t.replace(day=8), "s",
             VoteState.OPEN, t, None)  # fmt: skip
    found = [state_at(replace(v, status=VoteState.SCHEDULED), t), state_at(v, t)]
    found.append(state_at(v, t.replace(day=8)))
    assert found == list(VoteState) == ["scheduled", "open", "closed"]  # in the order they pass
    assert all(isinstance(s, VoteState) for s in found) and f"{found[1]}" == "open"


def test_the_analyst_frame_orders_the_same_three_states() -> None:
    from lpgp.analyst.vote import STATE

    assert STATE.ordered and list(STATE.categories) == ["scheduled", "open", "closed"]
