"""Candidates, scoring and fixing the shortlist through the store, on every backend."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import func, select

import lpgp
from lpgp.audit import entries
from lpgp.cycle.board import place as places
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.candidates.candidate import (
    add_candidate,
    list_candidates,
    set_state,
    update_candidate,
)
from lpgp.cycle.candidates.candidate_rules import CandidateInput, CandidateState
from lpgp.cycle.shortlist.scoring import (
    declare_interest,
    lock_scoring,
    record_scores,
    scoring_progress,
    scoring_sheet,
    set_criteria,
    set_weights,
)
from lpgp.cycle.shortlist.scoring_rules import CANT_JUDGE, Criterion
from lpgp.cycle.shortlist.shortlist import fix_shortlist, get_shortlist, shortlisted
from lpgp.errors import InvalidInput, NotFound, StateError
from lpgp.model import Role
from lpgp.store import Store
from lpgp.store.schema import AuditRow
from lpgp.store.schema_shortlist import ScoreRow

MEMBERS = ("Dr Ada", "Dr Ben", "Dr Cal")
TITLES = ("Resilience fund run by practices", "GP seat on the discharge group", "Shared hub")


def _setup(store: Store):
    """A place with three board members, a project manager and three candidates."""

    def work(s):
        p = places.create_place(s, "Testshire")
        c = places.create_cycle(s, p, "2027/28 priorities")
        people = {}
        for name in MEMBERS:
            person = upsert_person(s, p, PersonInput(name, Role.PCN_CLINICAL_DIRECTOR))
            add_board_member(s, p, person.id)
            people[name] = person.id
        people["Pat PM"] = upsert_person(s, p, PersonInput("Pat PM", Role.PROJECT_MANAGER)).id
        ids = [
            add_candidate(s, p, c, CandidateInput.of(t, ask="The ICB does one thing")).id
            for t in TITLES
        ]
        return p, c, people, ids

    return store.write(work)


def _count_scores(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(ScoreRow))


def _all(ids, value):
    keys = ("joint_working", "influence", "practical_action", "resonates", "feasibility")
    return {(cid, k): value for cid in ids for k in keys}


def test_candidates_add_list_and_change_state(store: Store) -> None:
    p, c, _, ids = _setup(store)
    df = lpgp.candidates(store=store)
    assert list(df.title) == list(TITLES)
    assert set(df.state) == {"draft"}
    store.write(lambda s: set_state(s, p, ids[2], "not taken forward", actor="t"))
    with store.read() as s:
        assert [x.id for x in list_candidates(s, p, c, state="draft")] == ids[:2]
    with pytest.raises(StateError, match="from draft to agreed"):
        store.write(lambda s: set_state(s, p, ids[0], CandidateState.AGREED))


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_title_is_refused_and_nothing_changes(store: Store, title: str) -> None:
    p, c, _, ids = _setup(store)
    with pytest.raises(InvalidInput, match="needs a title"):
        store.write(lambda s: add_candidate(s, p, c, CandidateInput.of(title)))
    with pytest.raises(InvalidInput, match="needs a title"):
        store.write(lambda s: update_candidate(s, p, ids[0], CandidateInput.of(title)))
    assert list(lpgp.candidates(store=store).title) == list(TITLES)


def test_a_repeated_title_is_refused(store: Store) -> None:
    p, c, _, _ = _setup(store)
    with pytest.raises(InvalidInput, match="already has a candidate"):
        store.write(lambda s: add_candidate(s, p, c, CandidateInput.of(" Shared  hub ")))


def test_scores_round_trip_and_missing_is_not_zero(store: Store) -> None:
    p, c, people, ids = _setup(store)
    ada = people["Dr Ada"]
    marks = {(ids[0], "joint_working"): 4, (ids[0], "influence"): "can't judge"}
    after = store.write(lambda s: record_scores(s, p, c, ada, marks, actor="Dr Ada"))
    assert after == {(ids[0], "joint_working"): 4, (ids[0], "influence"): CANT_JUDGE}
    with store.read() as s:
        sheet = scoring_sheet(s, p, c, ada)
    assert [x.id for x in sheet.candidates] == ids
    assert [x.key for x in sheet.criteria][-1] == "feasibility"
    assert sheet.scores == after
    df = lpgp.scores(store=store)
    assert len(df) == 2
    assert df.loc[df.criterion == "influence", "score"].isna().all()
    assert df.cant_judge.sum() == 1
    # clearing a cell takes it back to "not scored"
    store.write(lambda s: record_scores(s, p, c, ada, {(ids[0], "influence"): None}))
    assert _count_scores(store) == 1


def test_the_sheet_drops_a_set_aside_candidate_only_if_nobody_scored_it(store: Store) -> None:
    p, c, people, ids = _setup(store)
    ada = people["Dr Ada"]
    store.write(lambda s: record_scores(s, p, c, ada, {(ids[1], "influence"): 2}))
    for cid in (ids[1], ids[2]):  # ids[1] has a score, ids[2] none
        store.write(lambda s, cid=cid: set_state(s, p, cid, "not taken forward", actor="t"))
    with store.read() as s:
        sheet = scoring_sheet(s, p, c, people["Dr Ben"])
        assert sheet.member.name == "Dr Ben" and not sheet.interests
    assert [x.id for x in sheet.candidates] == ids[:2]
    store.write(lambda s: declare_interest(s, p, c, people["Dr Ben"], ids[0], "my PCN leads it"))
    with store.read() as s:
        assert scoring_sheet(s, p, c, people["Dr Ben"]).interests == {ids[0]}
        assert scoring_sheet(s, p, c, ada).interests == frozenset()


@pytest.mark.parametrize(
    ("who", "marks", "error", "match"),
    [
        ("Dr Ada", {(0, "influence"): 7}, InvalidInput, "7 is not a score"),
        ("Dr Ada", {(0, "influence"): -1}, InvalidInput, "-1 is not a score"),
        ("Dr Ada", {(0, "influence"): 2.5}, InvalidInput, "2.5 is not a score"),
        ("Dr Ada", {(0, "influence"): "lots"}, InvalidInput, "lots is not a score"),
        ("Dr Ada", {(999, "influence"): 3}, NotFound, "no candidate 999"),
        ("Dr Ada", {(0, "charm"): 3}, NotFound, "no criterion 'charm'"),
        ("Pat PM", {(0, "influence"): 3}, NotFound, "not on the Testshire board"),
        (424242, {(0, "influence"): 3}, NotFound, "no person '424242'"),
    ],
)
def test_bad_scores_are_refused_and_nothing_changes(store, who, marks, error, match) -> None:
    p, c, people, ids = _setup(store)
    store.write(lambda s: record_scores(s, p, c, people["Dr Ada"], {(ids[0], "influence"): 1}))
    person = people.get(who, who)
    good = {(ids[1], "joint_working"): 5}  # a valid cell alongside the bad one
    bad = {(ids[0] if cid == 0 else cid, k): v for (cid, k), v in marks.items()}
    with pytest.raises(error, match=match):
        store.write(lambda s: record_scores(s, p, c, person, {**good, **bad}))
    assert _count_scores(store) == 1
    with store.read() as s:
        assert scoring_sheet(s, p, c, people["Dr Ada"]).scores == {(ids[0], "influence"): 1}


def test_a_negative_weight_is_refused_and_nothing_changes(store: Store) -> None:
    p, c, _, _ = _setup(store)
    with pytest.raises(InvalidInput, match="weight -1 is below 0"):
        store.write(lambda s: set_weights(s, p, c, {"influence": 2, "feasibility": -1}))
    assert list(lpgp.criteria(store=store).weight) == [1.0] * 5
    store.write(lambda s: set_weights(s, p, c, {"influence": 2, "feasibility": 0.5}))
    assert list(lpgp.criteria(store=store).weight) == [1.0, 2.0, 1.0, 1.0, 0.5]


def test_criteria_are_fixed_once_the_first_mark_is_recorded(store: Store) -> None:
    p, c, people, ids = _setup(store)
    kept = [Criterion("influence", "Influence", 1), Criterion("reach", "Reach", 2)]
    store.write(lambda s: set_criteria(s, p, c, kept))
    assert list(lpgp.criteria(store=store).key) == ["influence", "reach"]
    store.write(lambda s: record_scores(s, p, c, people["Dr Ada"], {(ids[0], "influence"): 2}))
    with pytest.raises(StateError, match=r"Scoring has started \(1 mark recorded\)"):
        store.write(lambda s: set_criteria(s, p, c, [Criterion("reach", "Reach")]))
    with pytest.raises(StateError, match="criteria and weights are fixed"):
        store.write(lambda s: set_weights(s, p, c, {"reach": 5}))
    assert list(lpgp.criteria(store=store).weight) == [1.0, 2.0]


def test_locked_scoring_refuses_changes(store: Store) -> None:
    p, c, people, ids = _setup(store)
    ada = people["Dr Ada"]
    store.write(lambda s: record_scores(s, p, c, ada, {(ids[0], "influence"): 2}))
    assert store.write(lambda s: lock_scoring(s, p, c, actor="chair")) is True
    assert store.write(lambda s: lock_scoring(s, p, c, actor="chair")) is False
    with pytest.raises(StateError, match="locked"):
        store.write(lambda s: record_scores(s, p, c, ada, {(ids[0], "influence"): 3}))
    with pytest.raises(StateError, match="locked"):
        store.write(lambda s: set_weights(s, p, c, {"influence": 3}))
    with store.read() as s:
        assert scoring_sheet(s, p, c, ada).locked
    assert list(lpgp.scores(store=store).score) == [2]


def test_progress_names_who_has_not_scored(store: Store) -> None:
    p, c, people, ids = _setup(store)
    with store.read() as s:
        assert scoring_progress(s, p, c).message() == "3 members have not scored yet"
    store.write(lambda s: record_scores(s, p, c, people["Dr Ada"], _all(ids, 3)))
    store.write(lambda s: record_scores(s, p, c, people["Dr Ben"], {(ids[0], "influence"): 1}))
    with store.read() as s:
        progress = scoring_progress(s, p, c)
    assert progress.not_started == ["Dr Cal"]
    assert {m.name: m.status for m in progress.members} == {
        "Dr Ada": "done",
        "Dr Ben": "part scored",
        "Dr Cal": "not started",
    }
    assert progress.message() == "1 member has not scored yet; 1 is part way through"


def _score_everyone(store, p, c, people, ids) -> None:
    # Ada and Ben agree on the order 0 > 1 > 2; Cal rates candidate 2 highest.
    plan = {"Dr Ada": (5, 3, 1), "Dr Ben": (4, 3, 2), "Dr Cal": (2, 3, 5)}
    for name, values in plan.items():
        marks = {}
        for cid, value in zip(ids, values, strict=True):
            marks.update(_all([cid], value))
        store.write(lambda s, n=name, m=marks: record_scores(s, p, c, people[n], m))


def test_summary_and_interest(store: Store) -> None:
    p, c, people, ids = _setup(store)
    _score_everyone(store, p, c, people, ids)
    store.write(
        lambda s: declare_interest(s, p, c, people["Dr Cal"], ids[2], "My PCN leads the hub")
    )
    df = lpgp.score_summary(store=store)
    assert list(df.candidate_id) == [ids[0], ids[1], ids[2]]
    # means by hand: (5+4+2)/3, 3, (1+2+5)/3
    assert df.score.tolist() == pytest.approx([11 / 3, 3.0, 8 / 3])
    assert df.set_index("candidate_id").loc[ids[2], "score_without_conflicted"] == 1.5
    assert df.conflicted.tolist() == [0, 0, 1]
    assert list(lpgp.interests(store=store).reason) == ["My PCN leads the hub"]
    with pytest.raises(InvalidInput, match="^what the interest is: say what it is"):
        store.write(lambda s: declare_interest(s, p, c, people["Dr Ada"], ids[0], "  "))


def test_fixing_the_shortlist(store: Store) -> None:
    p, c, people, ids = _setup(store)
    _score_everyone(store, p, c, people, ids)
    before = len(lpgp.scores(store=store))
    # choosing the third over the second departs from score order: a reason is required
    with pytest.raises(InvalidInput, match="needs a reason: 'Shared hub' is chosen over"):
        store.write(lambda s: fix_shortlist(s, p, c, [ids[2], ids[0]], actor="chair"))
    with pytest.raises(NotFound, match="no candidate 999"):
        store.write(lambda s: fix_shortlist(s, p, c, [ids[0], 999], actor="chair"))
    with store.read() as s:
        assert get_shortlist(s, p, c) is None
        with pytest.raises(StateError, match="not been fixed"):
            shortlisted(s, p, c)
    assert set(lpgp.candidates(store=store).state) == {"draft"}

    reason = "Practices asked for it at every PCN meeting"
    fixed = store.write(
        lambda s: fix_shortlist(
            s, p, c, [ids[2], ids[0]], reasons={ids[2]: reason}, note="Workshop", actor="chair"
        )
    )
    assert fixed.fixed_by == "chair"
    assert [(e.candidate_id, e.score_rank, e.departure, e.reason) for e in fixed.entries] == [
        (ids[0], 1, False, None),
        (ids[2], 3, True, reason),
    ]
    with store.read() as s:
        entries_ = shortlisted(s, p, c)
        log = [a.action for a in entries(s, p.id)]
    assert [e.title for e in entries_] == [TITLES[0], TITLES[2]]
    assert [e.id for e in entries_] == [ids[0], ids[2]]
    assert entries_[0].ask == "The ICB does one thing"
    states = lpgp.candidates(store=store).set_index("id").state.to_dict()
    assert states == {
        ids[0]: "shortlisted",
        ids[1]: "not_taken_forward",
        ids[2]: "shortlisted",
    }
    assert "shortlist.fixed" in log and "scoring.locked" in log
    with pytest.raises(StateError, match="already fixed"):
        store.write(lambda s: fix_shortlist(s, p, c, [ids[0]], actor="chair"))
    with pytest.raises(StateError, match="locked"):
        store.write(lambda s: record_scores(s, p, c, people["Dr Ada"], _all(ids, 0)))
    assert len(lpgp.scores(store=store)) == before
    # the set-aside candidate keeps its scores in the aggregate
    assert len(lpgp.score_summary(store=store)) == 3


@pytest.mark.slow  # builds the demo place
def test_the_demo_place(store: Store) -> None:
    from lpgp.demo import load_demo

    load_demo(store)
    cands = lpgp.candidates(store=store)
    assert len(cands) == 8
    codes = {code for text in cands.warnings for code in text.split(", ") if code}
    assert codes == {"resource_ask", "no_ask", "no_action", "no_quality"}
    marks = lpgp.scores(store=store)
    board = lpgp.board(store=store)
    assert set(marks.member_id) == set(board.person_id)
    summary = lpgp.score_summary(store=store)
    assert summary.disagreement.sum() >= 1
    heat, bars = lpgp.score_charts(store=store)
    assert len(heat.axes[0].texts) == 8 * 9  # every candidate x member cell is labelled
    assert bars.axes[0].get_title() == "Candidates in score order"
    assert summary.cant_judge.sum() >= 1
    assert len(lpgp.interests(store=store)) == 1
    with store.read() as s:
        p = places.get_place(s)
        c = places.get_cycle(s, p)
        shortlist = shortlisted(s, p, c)
        audit_count = s.scalar(select(func.count()).select_from(AuditRow))
    assert len(shortlist) == 5
    assert [e.departure for e in shortlist].count(True) == 1
    assert all(e.reason for e in shortlist if e.departure)
    assert not math.isnan(summary.score.iloc[0])
    assert audit_count > 0


def test_members_scoring_at_the_same_moment_all_land(store_url: str) -> None:
    """A workshop: every member submits at once, before the cycle's criteria are stored."""
    if store_url == "sqlite://":
        pytest.skip("a memory store lives in one engine only")
    from concurrent.futures import ThreadPoolExecutor

    setup = Store(store_url)

    def work(s):
        p = places.create_place(s, "Testshire")
        c = places.create_cycle(s, p, "2027/28 priorities")
        ids = [add_candidate(s, p, c, CandidateInput.of(t)).id for t in TITLES]
        people = []
        for n in range(6):
            person = upsert_person(s, p, PersonInput(f"Dr {n}", Role.PCN_CLINICAL_DIRECTOR))
            add_board_member(s, p, person.id)
            people.append(person.id)
        return p, c, ids, people

    p, c, ids, people = setup.write(work)
    setup.dispose()
    stores = [Store(store_url, migrate=False) for _ in people]

    def submit(n: int) -> None:
        stores[n].write(lambda s: record_scores(s, p, c, people[n], _all(ids, n % 6)))

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(submit, range(len(people))))
    for s in stores:
        s.dispose()
    check = Store(store_url, migrate=False)
    with check.read() as s:
        progress = scoring_progress(s, p, c)
    check.dispose()
    assert [m.status for m in progress.members] == ["done"] * len(people)
