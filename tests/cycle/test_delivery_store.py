"""Delivery against the store, on every backend: the agreed list, actions and their updates,
imports, asks, meetings and agendas."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from paths import TESTS
from sqlalchemy import func, select

from lpgp import clock
from lpgp.cycle.actions.action_list import read_actions
from lpgp.cycle.actions.tracker import (
    action_updates,
    add_action,
    import_actions,
    latest_updates,
    list_actions,
    priority_summaries,
    update_action,
)
from lpgp.cycle.actions.tracker_rules import ActionInput, Rag, Status
from lpgp.cycle.agendas.agenda_rules import Draft, Kind
from lpgp.cycle.agendas.agenda_service import (
    add_item,
    agenda_items,
    drop_item,
    move_item,
    propose_agenda,
    retime_item,
    show_agenda,
)
from lpgp.cycle.agendas.ask import ask_progress, log_ask
from lpgp.cycle.agendas.ask_rules import Outcome
from lpgp.cycle.agendas.meeting import add_meeting, get_meeting, list_meetings
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.agreed.priority import confirm_list, get_list, list_priorities
from lpgp.cycle.agreed.priority_rules import PriorityInput
from lpgp.cycle.board.person import add_board_member, list_people, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.place import create_cycle, create_place
from lpgp.cycle.candidates.candidate import add_candidate
from lpgp.cycle.candidates.candidate_rules import CandidateInput
from lpgp.errors import ImportRejected, InvalidInput, NotFound, StateError
from lpgp.model import Role
from lpgp.store import Store
from lpgp.store.schema import AuditRow
from lpgp.store.schema_delivery import ActionRow, ActionUpdateRow, AgreedListRow

DATA = TESTS / "data" / "delivery"
NOW = "2027-05-12T09:00:00"  # a Wednesday in London (BST)
TODAY = date(2027, 5, 12)

LIST = [
    PriorityInput(
        "Same-day hub", "Fund an evening hub", "Winter", "Seen same day", "Dr Ada Cole", 4
    ),
    PriorityInput(
        "Home visits", "Run a visiting team", "GP time", "Hours released", "Dr Ben Rao", 1
    ),
    PriorityInput("Rooms", "Offer public rooms", "New staff", "Rooms secured", "Dr Ada Cole", 7),
]


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(NOW):
        yield


def _setup(session):
    place = create_place(session, "Testshire")
    cycle = create_cycle(session, place, "2027/28 priorities")
    for number in range(1, 8):  # candidates 1 to 7, which the lists below name
        add_candidate(session, place, cycle, CandidateInput(f"Candidate {number}"))
    for name, role in (
        ("Dr Ada Cole", Role.PCN_CLINICAL_DIRECTOR),
        ("Dr Ben Rao", Role.LMC_CHAIR),
        ("Sam Hale", Role.PROJECT_MANAGER),
        ("Kit Moss", Role.PROJECT_MANAGER),
    ):
        upsert_person(session, place, PersonInput(name, role))
    add_board_member(session, place, "Dr Ada Cole", chair=True)
    add_board_member(session, place, "Dr Ben Rao")
    return place


def _place_with_list(store: Store):
    def work(s):
        place = _setup(s)
        confirm_list(s, place, LIST, result_order=[4, 1, 7], actor="chair")
        return place

    return store.write(work)


def _count(store: Store, table) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(table))


def test_confirm_records_who_and_when(store: Store) -> None:
    place = _place_with_list(store)
    with store.read() as s:
        agreed = get_list(s, place)
        audit = s.scalars(
            select(AuditRow.actor).where(AuditRow.action == "priorities.confirmed")
        ).all()
    assert [p.title for p in agreed.priorities] == ["Same-day hub", "Home visits", "Rooms"]
    assert [p.lead for p in agreed.priorities] == ["Dr Ada Cole", "Dr Ben Rao", "Dr Ada Cole"]
    assert agreed.confirmed_by == "chair"
    assert agreed.confirmed_at == datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    assert agreed.result_order == (4, 1, 7) and agreed.departure_reason is None
    assert audit == ["chair"]


def test_confirm_twice_is_refused(store: Store) -> None:
    place = _place_with_list(store)
    with pytest.raises(StateError, match="already confirmed"):
        store.write(lambda s: confirm_list(s, place, LIST))


def test_lead_must_be_on_the_board_and_nothing_is_written(store: Store) -> None:
    place = store.write(_setup)
    bad = [*LIST[:2], PriorityInput("Rooms", "Offer rooms", "Now", "Rooms", "Sam Hale")]
    with pytest.raises(InvalidInput, match="priority 3: Sam Hale is not on the Testshire board"):
        store.write(lambda s: confirm_list(s, place, bad))
    assert _count(store, AgreedListRow) == 0


def test_departure_from_the_result_is_recorded_with_its_reason(store: Store) -> None:
    place = store.write(_setup)
    with pytest.raises(InvalidInput, match="departs from the vote's result"):
        store.write(lambda s: confirm_list(s, place, LIST, result_order=[1, 4, 7]))
    reason = "Visits second: the trust's team starts in June"
    store.write(
        lambda s: confirm_list(s, place, LIST, result_order=[1, 4, 7], departure_reason=reason)
    )
    with store.read() as s:
        assert get_list(s, place).departure_reason == reason


def test_action_due_yesterday_on_track_is_red_and_first(store: Store) -> None:
    place = _place_with_list(store)

    def work(s):
        add_action(s, place, ActionInput("1", "Far and fine", "Sam Hale", date(2027, 9, 1)))
        add_action(
            s, place, ActionInput("2", "Off track", "Kit Moss", date(2027, 8, 1), Status.OFF_TRACK)
        )
        add_action(
            s, place, ActionInput("3", "Late", "Sam Hale", date(2027, 5, 11), Status.ON_TRACK)
        )
        add_action(
            s, place, ActionInput("1", "At risk", "Kit Moss", date(2027, 7, 1), Status.AT_RISK)
        )
        add_action(s, place, ActionInput("Rooms", "Soon", "Kit Moss", date(2027, 5, 20)))

    store.write(work)
    with store.read() as s:
        actions = list_actions(s, place)
    assert [a.title for a in actions] == ["Late", "Off track", "At risk", "Soon", "Far and fine"]
    assert actions[0].rag is Rag.RED and actions[0].status is Status.ON_TRACK
    assert actions[0].overdue and actions[0].attention == "overdue"


def test_today_is_the_london_date(store: Store) -> None:
    place = _place_with_list(store)
    action = store.write(
        lambda s: add_action(
            s, place, ActionInput(1, "Due 11 May", "Sam Hale", date(2027, 5, 11), Status.ON_TRACK)
        )
    )
    # 22:30 UTC on 11 May is still 11 May in London (BST); 23:30 UTC is already 12 May
    with clock.frozen("2027-05-11T22:30:00+00:00"), store.read() as s:
        assert list_actions(s, place)[0].rag is Rag.GREEN
    with clock.frozen("2027-05-11T23:30:00+00:00"), store.read() as s:
        late = list_actions(s, place)[0]
    assert late.id == action.id and late.rag is Rag.RED and late.overdue


def test_updates_are_append_only_and_a_correction_is_a_new_update(store: Store) -> None:
    place = _place_with_list(store)
    action = store.write(
        lambda s: add_action(s, place, ActionInput(1, "Book rooms", "Sam Hale", date(2027, 6, 1)))
    )
    store.write(lambda s: update_action(s, place, action.id, status=Status.DONE, note="done"))
    fixed = store.write(
        lambda s: update_action(
            s, place, action.id, status=Status.AT_RISK, note="correction: not done yet"
        )
    )
    assert fixed.status is Status.AT_RISK and fixed.rag is Rag.AMBER
    with store.read() as s:
        history = action_updates(s, place, action.id)
        latest = latest_updates(s, place)
    assert [u.status for u in history] == [Status.NOT_STARTED, Status.DONE, Status.AT_RISK]
    assert history[1].note == "done"
    assert latest == [history[-1]]
    moved = store.write(lambda s: update_action(s, place, action.id, due=date(2027, 7, 1)))
    assert moved.due == date(2027, 7, 1) and moved.status is Status.AT_RISK
    with pytest.raises(InvalidInput, match="needs a status, a new due date or a note"):
        store.write(lambda s: update_action(s, place, action.id))
    with pytest.raises(InvalidInput, match="future"):
        store.write(lambda s: update_action(s, place, action.id, note="x", on=date(2027, 5, 13)))
    assert _count(store, ActionUpdateRow) == 4


def test_filters_stale_flag_and_summary(store: Store) -> None:
    place = _place_with_list(store)

    def work(s):
        old = add_action(
            s, place, ActionInput(1, "Old", "Sam Hale", date(2027, 9, 1)), on=date(2027, 4, 1)
        )
        add_action(s, place, ActionInput(2, "New", "Kit Moss", date(2027, 6, 1), Status.ON_TRACK))
        return old

    old = store.write(work)
    with store.read() as s:
        assert [a.title for a in list_actions(s, place, owner="Kit Moss")] == ["New"]
        assert [a.title for a in list_actions(s, place, priority="1")] == ["Old"]
        assert [a.title for a in list_actions(s, place, status="on track")] == ["New"]
        assert [a.title for a in list_actions(s, place, rag_is="grey")] == ["Old"]
        # "Old" was last updated 41 days ago: stale after 5 weeks (35 days), not after 6 (42)
        by_title = {a.title: a for a in list_actions(s, place, stale_weeks=5)}
        assert by_title["Old"].stale and not by_title["New"].stale
        assert not any(a.stale for a in list_actions(s, place, stale_weeks=6))
        summary = priority_summaries(s, place)
    assert [x.total for x in summary] == [1, 1, 0]
    assert summary[0].days_since_update == (TODAY - date(2027, 4, 1)).days
    assert summary[0].stale == 1 and summary[1].counts["green"] == 1
    assert old.last_update == date(2027, 4, 1)


def test_import_good_file(store: Store) -> None:
    place = _place_with_list(store)

    def work(s):
        items = read_actions(DATA / "actions.csv", list_people(s, place), list_priorities(s, place))
        return import_actions(s, place, items)

    added = store.write(work)
    assert len(added) == 4
    with store.read() as s:
        actions = list_actions(s, place)
    assert actions[0].title == "Draft the hub's rota" and actions[0].rag is Rag.RED
    assert {a.owner for a in actions} == {"Sam Hale", "Kit Moss"}


def test_import_bad_file_names_rows_and_changes_nothing(store: Store) -> None:
    place = _place_with_list(store)
    with store.read() as s:
        people, priorities = list_people(s, place), list_priorities(s, place)
    with pytest.raises(ImportRejected) as caught:
        read_actions(DATA / "actions_bad.csv", people, priorities)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "Due date"),
        (4, "Owner"),
        (5, "Priority"),
        (6, "Status"),
        (7, "Action"),
        (8, "Action"),
    }
    text = str(caught.value)
    assert "row 3, column 'Due date': 'next Tuesday' is not a date" in text
    assert "row 4, column 'Owner': no person called 'Pat Nobody'" in text
    assert "row 8, column 'Action': the same action is already on row 6" in text
    assert "nothing was imported" in text
    assert _count(store, ActionRow) == 0


def test_asks_log_and_progress(store: Store) -> None:
    place = _place_with_list(store)

    def work(s):
        board = add_meeting(
            s,
            place,
            MeetingInput(Board.PLACE_BASED, "Place board", datetime(2027, 4, 14, 10, 0), 90),
        )
        log_ask(s, place, "1", Outcome.RAISED, meeting_id=board.id, note="first airing")
        log_ask(s, place, "1", Outcome.AGREED, on=date(2027, 4, 28))
        log_ask(s, place, "Home visits", Outcome.RAISED, on=date(2027, 3, 1))
        return board

    board = store.write(work)
    with store.read() as s:
        progress = ask_progress(s, place)
    one, two, three = progress
    assert (one.made, one.agreed, one.latest, one.days_since_progress) == (
        1,
        1,
        Outcome.AGREED,
        14,
    )
    assert (two.made, two.agreed, two.days_since_progress) == (1, 0, 72)
    assert three.latest is None and three.days_since_progress is None
    with pytest.raises(InvalidInput, match="future"):
        store.write(lambda s: log_ask(s, place, "1", Outcome.RAISED, on=date(2027, 6, 1)))
    leadership = store.write(
        lambda s: add_meeting(
            s, place, MeetingInput(Board.LEADERSHIP, "GP board", datetime(2027, 5, 5, 13, 0), 60)
        )
    )
    with pytest.raises(InvalidInput, match="not a place-based board meeting"):
        store.write(lambda s: log_ask(s, place, "1", Outcome.RAISED, meeting_id=leadership.id))
    assert board.id != leadership.id


def test_meeting_times_are_london_and_clock_changes_are_refused(store: Store) -> None:
    place = _place_with_list(store)
    summer = store.write(
        lambda s: add_meeting(
            s,
            place,
            MeetingInput(
                Board.LEADERSHIP,
                "GP board",
                datetime(2027, 6, 8, 14, 0),
                120,
                video_link="https://meet.example/x",
                attendees=("Dr Ada Cole", "Sam Hale"),
            ),
        )
    )
    with store.read() as s:
        again = get_meeting(s, place, summer.id)
    assert again.starts_at.hour == 13 and again.starts_local.hour == 14
    assert again.attendees == ("Dr Ada Cole", "Sam Hale")
    for moment, message in (
        (datetime(2027, 3, 28, 1, 30), "does not exist in London"),
        (datetime(2027, 10, 31, 1, 30), "happens twice in London"),
    ):
        with pytest.raises(InvalidInput, match=message):
            store.write(
                lambda s, m=moment: add_meeting(
                    s, place, MeetingInput(Board.LEADERSHIP, "X", m, 60)
                )
            )
    with pytest.raises(InvalidInput, match="between 1 and 480 minutes, not -5"):
        store.write(
            lambda s: add_meeting(
                s, place, MeetingInput(Board.LEADERSHIP, "X", datetime(2027, 6, 9, 9), -5)
            )
        )
    with store.read() as s:
        assert len(list_meetings(s, place)) == 1


def test_agenda_edits_recalculate_the_split(store: Store) -> None:
    place = _place_with_list(store)
    meeting = store.write(
        lambda s: add_meeting(
            s, place, MeetingInput(Board.LEADERSHIP, "GP board", datetime(2027, 6, 8, 14), 240)
        )
    )
    m = meeting.id

    def build(s):
        add_item(s, place, m, Draft("Hub", 159, Kind.INNOVATION, presenter="Dr Ada Cole"))
        return add_item(s, place, m, Draft("ICB update", 41, Kind.SYSTEM))

    view = store.write(build)
    assert (view.split.innovation, view.split.total) == (159, 200)
    # 159 of 199 is still below 80%; 159 of 198 is not
    assert view.warning and "shorten 'ICB update' by 2 minutes (to 39)" in view.warning
    icb = view.items[1].id
    view = store.write(lambda s: retime_item(s, place, m, icb, 40))
    assert view.warning is not None
    view = store.write(lambda s: retime_item(s, place, m, icb, 39))
    assert view.warning is None and view.split.percent == 80
    view = store.write(
        lambda s: add_item(s, place, m, Draft("Welcome", 5, Kind.BUSINESS), position=1)
    )
    assert [i.title for i in view.items] == ["Welcome", "Hub", "ICB update"]
    assert view.warning is not None
    hub = view.items[1]
    view = store.write(lambda s: move_item(s, place, m, hub.id, 3))
    assert [i.title for i in view.items] == ["Welcome", "ICB update", "Hub"]
    assert [i.position for i in view.items] == [1, 2, 3]
    assert view.split.total == 203
    view = store.write(lambda s: drop_item(s, place, m, view.items[0].id))
    assert [i.title for i in view.items] == ["ICB update", "Hub"] and view.warning is None
    assert view.items[1].presenter == "Dr Ada Cole"
    before = view
    with pytest.raises(InvalidInput, match="'Hub' needs a whole number of minutes"):
        store.write(lambda s: retime_item(s, place, m, hub.id, -5))
    with pytest.raises(InvalidInput, match="position must be from 1 to 2"):
        store.write(lambda s: move_item(s, place, m, hub.id, 9))
    with store.read() as s:
        assert show_agenda(s, place, m).items == before.items


def test_proposals_for_both_boards(store: Store) -> None:
    place = _place_with_list(store)

    def work(s):
        add_action(s, place, ActionInput(3, "Late", "Sam Hale", date(2027, 5, 1), Status.ON_TRACK))
        add_action(s, place, ActionInput(2, "Soon", "Kit Moss", date(2027, 5, 20), Status.ON_TRACK))
        add_action(s, place, ActionInput(1, "Later", "Kit Moss", date(2027, 9, 1), Status.ON_TRACK))
        gp = add_meeting(
            s, place, MeetingInput(Board.LEADERSHIP, "GP board", datetime(2027, 6, 8, 14), 150)
        )
        pb = add_meeting(
            s, place, MeetingInput(Board.PLACE_BASED, "Place", datetime(2027, 6, 15, 10), 90)
        )
        log_ask(s, place, "2", Outcome.AGREED, on=date(2027, 5, 1))
        return gp.id, pb.id

    gp, pb = store.write(work)
    system = (Draft("ICB", 30, Kind.SYSTEM),)
    view, notes = store.write(lambda s: propose_agenda(s, place, gp, system_items=system))
    titles = [i.title for i in view.items]
    assert titles[1].startswith("Priority 3: Rooms") and titles[2].startswith("Priority 2")
    # priorities get 25 + 20 + 15 = 60 minutes, welcome 10: a quarter of 60 leaves 5 for ICB
    assert titles[-1] == "ICB" and view.items[-1].minutes == 5
    assert view.split.meets_rule and notes[0].startswith("system items get 5 minutes")
    with pytest.raises(StateError, match="already has"):
        store.write(lambda s: propose_agenda(s, place, gp))
    view, _ = store.write(lambda s: propose_agenda(s, place, pb))
    assert ["Same-day hub" in i.title for i in view.items] == [True, False]
    assert "(priority 3: Rooms)" in view.items[1].title
    assert [i.presenter for i in view.items] == ["Dr Ada Cole", "Dr Ada Cole"]
    with store.read() as s:
        assert len(agenda_items(s, place, pb)) == 2


def test_everything_is_scoped_to_its_place(store: Store) -> None:
    place = _place_with_list(store)
    other = store.write(lambda s: create_place(s, "Elsewhere"))
    store.write(lambda s: create_cycle(s, other, "2027/28 priorities"))
    with store.read() as s:
        assert list_priorities(s, other) == []
        assert list_actions(s, other) == []
        with pytest.raises(NotFound):
            get_meeting(s, other, 1)
        assert len(list_priorities(s, place)) == 3


def test_a_priority_naming_an_unknown_candidate_is_refused(store: Store) -> None:
    place = store.write(_setup)
    stray = PriorityInput("Stray", "Ask", "Now", "Measure", "Dr Ada Cole", 99)
    with pytest.raises(InvalidInput, match="priority 1: .*99"):
        store.write(lambda s: confirm_list(s, place, [stray]))
    assert _count(store, AgreedListRow) == 0
