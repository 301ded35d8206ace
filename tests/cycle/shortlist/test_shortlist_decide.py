"""Rules and services behind the Candidate priorities and Shortlist screens, on every backend:
who proposed a candidate, withdrawing one, progress that names no marks, criteria typed in a
form, the scores hidden while scoring is open, and the part-scored defect."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import lpgp
from lpgp import clock
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.candidates.candidate import (
    add_candidate,
    get_candidate,
    update_candidate,
    withdraw_candidate,
)
from lpgp.cycle.candidates.candidate_rules import CandidateInput, CandidateState
from lpgp.cycle.shortlist.scoring import (
    declare_interest,
    lock_scoring,
    record_scores,
    scoring_progress,
    unlock_scoring,
)
from lpgp.cycle.shortlist.scoring_rules import Criterion, criteria_from_form
from lpgp.cycle.shortlist.shortlist import fix_shortlist, shown_aggregate
from lpgp.errors import InvalidInput, StateError
from lpgp.model import Role
from lpgp.store import Store
from lpgp.store.schema import AuditRow
from lpgp.store.schema_shortlist import CandidateRow

KEYS = ("joint_working", "influence", "practical_action", "resonates", "feasibility")


def _setup(store: Store, members: int = 4):
    def work(s):
        p = places.create_place(s, "Testshire")
        c = places.create_cycle(s, p, "2028/29 priorities")
        people = []
        for n in range(members):
            person = upsert_person(s, p, PersonInput(f"Dr {n}", Role.PCN_CLINICAL_DIRECTOR))
            add_board_member(s, p, person.id)
            people.append(person.id)
        ids = [
            add_candidate(s, p, c, CandidateInput.of(t, ask="The ICB does one thing")).id
            for t in ("Hub", "Seat", "Fund")
        ]
        return p, c, people, ids

    return store.write(work)


def _sheet(ids, value):
    return {(cid, k): value for cid in ids for k in KEYS}


def test_a_candidate_drafted_after_the_lock_leaves_finished_members_done(store: Store) -> None:
    p, c, people, ids = _setup(store, members=2)
    with clock.frozen("2026-12-07T10:00:00"):
        for person in people:
            store.write(lambda s, who=person: record_scores(s, p, c, who, _sheet(ids, 3)))
        store.write(lambda s: lock_scoring(s, p, c, actor="chair"))
    with clock.frozen("2026-12-07T10:05:00"):
        late = store.write(lambda s: add_candidate(s, p, c, CandidateInput.of("Late idea"))).id
    with store.read() as s:
        progress = scoring_progress(s, p, c)
        agg = shown_aggregate(s, p, c)
    assert [m.status for m in progress.members] == ["done", "done"]
    assert [(m.marked, m.total) for m in progress.members] == [(15, 15), (15, 15)]
    assert progress.message() == "every member has scored every candidate"
    assert late not in set(agg.summary["candidate_id"])
    # Unlocked again, the late candidate is open for scoring, so members have more to do.
    store.write(lambda s: unlock_scoring(s, p, c, actor="chair"))
    with store.read() as s:
        assert [m.status for m in scoring_progress(s, p, c).members] == ["part scored"] * 2


def test_a_candidate_drafted_before_the_lock_still_counts(store: Store) -> None:
    p, c, people, ids = _setup(store, members=1)
    with clock.frozen("2026-12-07T10:00:00"):
        store.write(lambda s: record_scores(s, p, c, people[0], _sheet(ids, 3)))
        store.write(lambda s: add_candidate(s, p, c, CandidateInput.of("Unscored")))
    with clock.frozen("2026-12-07T10:01:00"):
        store.write(lambda s: lock_scoring(s, p, c, actor="chair"))
    with store.read() as s:
        assert [m.status for m in scoring_progress(s, p, c).members] == ["part scored"]


def test_progress_counts_candidates_per_member_and_members_per_candidate(store: Store) -> None:
    p, c, people, ids = _setup(store)
    store.write(lambda s: record_scores(s, p, c, people[0], _sheet(ids, 4)))
    store.write(lambda s: record_scores(s, p, c, people[1], _sheet(ids[:1], 2)))
    store.write(lambda s: record_scores(s, p, c, people[2], {(ids[1], "influence"): 1}))
    with store.read() as s:
        progress = scoring_progress(s, p, c)
    assert [(m.candidates_done, m.candidates_total) for m in progress.members] == [
        (3, 3),
        (1, 3),
        (0, 3),
        (0, 3),
    ]
    assert [(x.title, x.members_done, x.members_started) for x in progress.candidates] == [
        ("Hub", 2, 2),
        ("Seat", 1, 2),
        ("Fund", 1, 1),
    ]
    assert progress.started == 3
    assert progress.too_few_warning() is None


def test_fewer_than_half_the_board_scoring_is_warned(store: Store) -> None:
    p, c, people, ids = _setup(store, members=5)
    store.write(lambda s: record_scores(s, p, c, people[0], _sheet(ids, 4)))
    store.write(lambda s: record_scores(s, p, c, people[1], {(ids[0], "influence"): 1}))
    with store.read() as s:
        warning = scoring_progress(s, p, c).too_few_warning()
    assert warning == (
        "Only 2 of 5 board members have scored: fewer than half the board. A shortlist "
        "fixed now would rest on too few views."
    )


def test_scores_are_hidden_while_scoring_is_open(store: Store) -> None:
    p, c, people, ids = _setup(store, members=2)
    store.write(lambda s: record_scores(s, p, c, people[0], _sheet(ids, 5)))
    with store.read() as s:
        assert shown_aggregate(s, p, c) is None
    store.write(lambda s: lock_scoring(s, p, c, actor="chair"))
    with store.read() as s:
        agg = shown_aggregate(s, p, c)
    assert list(agg.summary["score"]) == [5.0, 5.0, 5.0]


def test_who_proposed_a_candidate_is_kept_and_can_change(store: Store) -> None:
    p, c, _, ids = _setup(store)
    made = store.write(
        lambda s: add_candidate(
            s, p, c, CandidateInput.of("Same-day hub", proposed_by="  Dr   Ada  "), actor="t"
        )
    )
    assert made.proposed_by == "Dr Ada"
    store.write(
        lambda s: update_candidate(
            s, p, made.id, CandidateInput.of("Same-day hub", proposed_by="Pat PM"), actor="t"
        )
    )
    df = lpgp.candidates(store=store)
    assert list(df.proposed_by) == ["", "", "", "Pat PM"]


def test_a_bad_proposer_is_refused_naming_the_field(store: Store) -> None:
    p, c, _, _ = _setup(store)
    with pytest.raises(InvalidInput, match="^proposed by: "):
        store.write(
            lambda s: add_candidate(s, p, c, CandidateInput.of("Hub two", proposed_by="x" * 201))
        )
    with pytest.raises(InvalidInput, match="^proposed by: "):
        store.write(
            lambda s: add_candidate(s, p, c, CandidateInput.of("Hub two", proposed_by="A\x1b[2J"))
        )
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(CandidateRow)) == 3


def test_withdrawing_a_draft_sets_it_aside_once(store: Store) -> None:
    p, c, _, ids = _setup(store)
    gone = store.write(lambda s: withdraw_candidate(s, p, ids[1], actor="chair"))
    assert gone.state == CandidateState.NOT_TAKEN_FORWARD
    with pytest.raises(StateError, match="'Seat' is not taken forward; only a draft can be"):
        store.write(lambda s: withdraw_candidate(s, p, ids[1], actor="chair"))
    with store.read() as s:
        assert get_candidate(s, p, ids[1]).state == CandidateState.NOT_TAKEN_FORWARD
        logged = [
            (a.detail["id"], a.note)
            for a in s.scalars(select(AuditRow))
            if a.action == "candidate.state"
        ]
    assert logged == [(ids[1], "withdrawn")]


def test_passing_over_a_withdrawn_candidate_is_no_departure(store: Store) -> None:
    p, c, people, ids = _setup(store, members=1)
    marks = {**_sheet(ids[:1], 5), **_sheet(ids[1:2], 3), **_sheet(ids[2:], 1)}
    store.write(lambda s: record_scores(s, p, c, people[0], marks))
    store.write(lambda s: withdraw_candidate(s, p, ids[0], actor="chair"))
    fixed = store.write(lambda s: fix_shortlist(s, p, c, [ids[1]], actor="chair"))
    assert [(e.title, e.departure) for e in fixed.entries] == [("Seat", False)]


def test_a_departure_without_a_reason_names_the_field(store: Store) -> None:
    p, c, people, ids = _setup(store, members=1)
    marks = {**_sheet(ids[:1], 5), **_sheet(ids[1:2], 3), **_sheet(ids[2:], 1)}
    store.write(lambda s: record_scores(s, p, c, people[0], marks))
    with pytest.raises(InvalidInput, match="^reason: .*'Seat' is chosen over higher-scoring 'Hub'"):
        store.write(lambda s: fix_shortlist(s, p, c, [ids[1]], actor="chair"))
    with store.read() as s:
        assert get_candidate(s, p, ids[1]).state == CandidateState.DRAFT


def test_an_interest_without_words_names_the_field(store: Store) -> None:
    p, c, people, ids = _setup(store)
    with pytest.raises(InvalidInput, match="^what the interest is: "):
        store.write(lambda s: declare_interest(s, p, c, people[0], ids[0], "  ", actor="t"))
    assert lpgp.interests(store=store).empty


def test_criteria_from_a_form() -> None:
    rows = [("reach", "Reach", "2"), (None, "Reach", "1"), (None, "  ", " ")]
    assert criteria_from_form(rows) == [
        Criterion("reach", "Reach", 2.0),
        Criterion("reach_2", "Reach", 1.0),
    ]
    with pytest.raises(InvalidInput, match="^weight for 'Reach': -1 is below 0"):
        criteria_from_form([("reach", "Reach", "-1")])
    with pytest.raises(InvalidInput, match="^weight for 'Reach': '' is not a number"):
        criteria_from_form([("reach", "Reach", "")])
    with pytest.raises(InvalidInput, match="at least one criterion needs a weight above 0"):
        criteria_from_form([("reach", "Reach", "0")])
