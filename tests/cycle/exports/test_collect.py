"""Collectors read the delivery modules' data into the document model, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cycle.exports.samples import FORMULA, NASTY, PLAIN
from cycle.exports.store_data import TODAY, build, closed_vote
from lpgp import clock
from lpgp.cycle.board.place import get_place
from lpgp.cycle.exports import collect
from lpgp.cycle.exports.model import Audience
from lpgp.errors import NotFound


@pytest.fixture
def built(store):
    with clock.frozen(TODAY):
        ids = build(store)
        yield store, ids


def test_summary_holds_the_agreed_list(built):
    store, _ = built
    with store.read() as s:
        doc = collect.collect_summary(s, get_place(s, None), None, "place_board")
    assert doc.audience is Audience.PLACE_BOARD
    assert doc.cycle == "2027/28 priorities"
    assert [(p.rank, p.title, p.lead) for p in doc.priorities] == [
        (1, NASTY, "Dr Ada Lee"),
        (2, PLAIN, "Dr Ben Rhys"),
    ]
    assert doc.priorities[0].ask == "A shared estates plan"
    assert doc.priorities[0].ask_status == (
        "Raised on 7 Dec 2026 (raised once: 0 agreed, 0 declined, 0 deferred)."
    )
    assert doc.priorities[1].ask_status == "Not yet taken to the place-based partnership board."


def test_action_log_rows_follow_the_list_and_carry_the_latest_update(built):
    store, _ = built
    with store.read() as s:
        log = collect.collect_actions(s, get_place(s, None))
    assert log.priorities == (NASTY, PLAIN)
    first, second = log.rows
    # Due yesterday and "on track": the tracker's rule makes it red.
    assert (first.action, first.status, first.rag) == (FORMULA, "On track", "Red")
    assert first.last_update == "Half the leases mapped"
    assert second.priority == PLAIN and second.owner == "Owen Hale"


def test_meetings_carry_agendas_linked_actions_and_a_sequence(built):
    store, ids = built
    with store.read() as s:
        where = get_place(s, None)
        meetings = collect.collect_meetings(s, where)
        assert collect.next_meeting_id(s, where) == ids["board"]
        pack = collect.collect_agenda(s, where, ids["board"])
    board, later = meetings
    assert board.start == datetime(2027, 1, 11, 10, 0, tzinfo=UTC)
    assert [i.title for i in board.items] == [NASTY, "Contract updates"]
    assert board.items[0].priority == NASTY and board.items[0].innovation
    assert [a.action for a in board.items[0].actions] == [FORMULA]
    assert board.sequence == 2 and later.sequence == 0
    assert board.attendees == ("Dr Ada Lee", "Dr Ben Rhys")
    assert pack.notes and "80%" in pack.notes[0]


def test_next_meeting_skips_those_that_have_ended(built):
    store, ids = built
    with store.read() as s, clock.frozen("2027-01-11T12:30:00"):
        assert collect.next_meeting_id(s, get_place(s, None)) == ids["later"]
    with store.read() as s, clock.frozen("2027-06-01T09:00:00"), pytest.raises(NotFound):
        collect.next_meeting_id(s, get_place(s, None))


def test_sequence_counts_changes_not_minutes_or_decisions():
    assert collect.invite_sequence(["meeting.added"]) == 0
    assert collect.invite_sequence(["meeting.added", "agenda.item_retimed"]) == 1
    assert collect.invite_sequence(["meeting.added", "meeting.decision", "meeting.minutes"]) == 0


def test_summary_carries_the_closed_vote_its_turnout_and_result(built):
    store, _ = built
    closed_vote(store)
    with store.read() as s:
        doc = collect.collect_summary(s, get_place(s, None))
    vote = doc.vote
    assert vote is not None and vote.method == "Approval voting" and vote.seats == 2
    assert [(b.title, b.score, b.chosen) for b in vote.results] == [
        (NASTY, 5.0, True),
        (PLAIN, 4.0, True),
        ("Frailty pathway", 1.0, False),
    ]
    t = vote.turnout
    assert (t.practices_voted, t.practices_eligible) == (5, 6)
    assert (t.patients_voted, t.patients_eligible) == (15_000, 21_000)
    assert {(p.pcn, p.voted, p.eligible) for p in t.by_pcn} == {
        ("North PCN", 3, 3),
        ("South PCN", 2, 3),
    }


def test_summary_has_no_vote_before_one_closes(built):
    store, _ = built
    with store.read() as s:
        assert collect.collect_summary(s, get_place(s, None)).vote is None


def test_an_open_vote_shows_when_it_closes_and_live_turnout_but_no_result(built):
    store, _ = built
    closed_vote(store, close=False)
    # A vote is open by its own clock: read it now, not on the frozen day of the actions.
    with clock.frozen(datetime.now(UTC)), store.read() as s:
        vote = collect.collect_summary(s, get_place(s, None)).vote
    assert vote is not None and vote.results == ()
    assert vote.open_until and vote.open_until.count(":") == 1
    assert (vote.turnout.practices_voted, vote.turnout.practices_eligible) == (5, 6)
