"""A place delivers one cycle's list while it decides the next: delivery follows the list
confirmed last, earlier lists stay readable, unfinished actions can be carried over, and a
confirmed priority can be edited with the change recorded. On every backend."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lpgp import clock
from lpgp.cycle.actions.carry_over import carried, carry_over, unfinished
from lpgp.cycle.actions.tracker import add_action, list_actions, update_action
from lpgp.cycle.actions.tracker_rules import ActionInput, Status
from lpgp.cycle.agendas.meeting import add_meeting, list_meetings
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.agreed.priority import (
    confirm_list,
    delivery_cycle,
    edit_priority,
    get_list,
    list_priorities,
)
from lpgp.cycle.agreed.priority_rules import PriorityInput
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.place import create_cycle, create_place, get_cycle
from lpgp.errors import InvalidInput, StateError
from lpgp.model import Role
from lpgp.store import Store
from lpgp.store.schema import AuditRow
from lpgp.store.schema_delivery import ActionRow, ActionUpdateRow

NOW = "2027-05-12T09:00:00"


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(NOW):
        yield


def _item(title: str, lead: str = "Dr Ada Cole") -> PriorityInput:
    return PriorityInput(title, f"Ask for {title}", "Now", "Measured", lead)


def _last_year(store: Store):
    """A place whose 2026/27 list is being delivered, with three actions (one done), and a
    2027/28 cycle started (the current one) with no list yet."""

    def work(s):
        place = create_place(s, "Testshire")
        create_cycle(s, place, "2026/27 priorities")
        for name in ("Dr Ada Cole", "Dr Ben Rao", "Sam Hale"):
            upsert_person(s, place, PersonInput(name, Role.OTHER))
        add_board_member(s, place, "Dr Ada Cole", chair=True)
        add_board_member(s, place, "Dr Ben Rao")
        confirm_list(s, place, [_item("Same-day hub"), _item("Rooms")], actor="chair")
        due = date(2027, 6, 1)
        ids = [
            add_action(s, place, ActionInput("1", t, "Sam Hale", due), actor="chair").id
            for t in ("Map demand", "Draft the model", "Find rooms")
        ]
        update_action(s, place, ids[0], status=Status.DONE, actor="chair")
        update_action(s, place, ids[1], status=Status.AT_RISK, actor="chair")
        add_meeting(
            s,
            place,
            MeetingInput(Board.LEADERSHIP, "Board", datetime(2027, 6, 2, 10), 60),
            actor="chair",
        )
        create_cycle(s, place, "2027/28 priorities")  # becomes the current cycle
        return place, ids

    return store.write(work)


def test_starting_a_cycle_leaves_delivery_on_the_list_confirmed_last(store: Store) -> None:
    place, ids = _last_year(store)
    with store.read() as s:
        assert get_cycle(s, place).name == "2027/28 priorities"  # being decided
        assert delivery_cycle(s, place).name == "2026/27 priorities"  # being delivered
        assert [p.title for p in list_priorities(s, place)] == ["Same-day hub", "Rooms"]
        assert get_list(s, place).cycle == "2026/27 priorities"
        assert sorted(a.id for a in list_actions(s, place)) == sorted(ids)
        assert [m.title for m in list_meetings(s, place)] == ["Board"]
        assert unfinished(s, place) == []  # nothing is earlier than the list being delivered


def test_a_new_list_takes_over_and_the_old_one_stays_readable(store: Store) -> None:
    place, ids = _last_year(store)
    store.write(lambda s: confirm_list(s, place, [_item("Resilience fund")], actor="chair"))
    with store.read() as s:
        assert delivery_cycle(s, place).name == "2027/28 priorities"
        assert [p.title for p in list_priorities(s, place)] == ["Resilience fund"]
        assert list_actions(s, place) == []
        old = list_actions(s, place, "2026/27 priorities")
        assert sorted(a.id for a in old) == sorted(ids)  # still there, with their cycle
        left = unfinished(s, place)
    # The done action is not offered; the other two are, with their cycle.
    assert sorted(u.action.id for u in left) == sorted(ids[1:])
    assert {u.cycle for u in left} == {"2026/27 priorities"}
    assert {u.carried_to for u in left} == {None}


def test_carrying_over_continues_an_action_and_records_it(store: Store) -> None:
    place, ids = _last_year(store)
    store.write(lambda s: confirm_list(s, place, [_item("Resilience fund")], actor="chair"))
    made = store.write(lambda s: carry_over(s, place, [ids[1]], "1", actor="chair"))
    assert len(made) == 1
    new = made[0]
    assert (new.title, new.owner, new.status, new.due) == (
        "Draft the model",
        "Sam Hale",
        Status.AT_RISK,
        date(2027, 6, 1),
    )
    assert new.priority == "Resilience fund"
    assert new.latest_note == "Carried over from 2026/27 priorities: Same-day hub (action 2)"
    with store.read() as s:
        assert carried(s, place) == {ids[1]: new.id}
        assert [a.id for a in list_actions(s, place)] == [new.id]
        # The old action is left exactly as it was, in its own cycle.
        old = [a for a in list_actions(s, place, "2026/27 priorities") if a.id == ids[1]]
        assert old[0].status is Status.AT_RISK and old[0].priority == "Same-day hub"
        assert [u.carried_to for u in unfinished(s, place) if u.action.id == ids[1]] == [new.id]
        logged = s.scalars(
            select(AuditRow.detail).where(AuditRow.action == "action.carried_over")
        ).all()
    assert logged == [
        {"from": ids[1], "to": new.id, "priority": "Resilience fund", "cycle": "2027/28 priorities"}
    ]


def _rows(store: Store) -> tuple[int, int]:
    with store.read() as s:
        return (
            s.scalar(select(func.count()).select_from(ActionRow)),
            s.scalar(select(func.count()).select_from(ActionUpdateRow)),
        )


def test_carrying_over_refuses_all_of_a_batch_that_holds_one_it_cannot_carry(
    store: Store,
) -> None:
    place, ids = _last_year(store)
    with pytest.raises(StateError, match="already on the list being delivered"):
        store.write(lambda s: carry_over(s, place, [ids[1]], "1", actor="chair"))
    store.write(lambda s: confirm_list(s, place, [_item("Resilience fund")], actor="chair"))
    before = _rows(store)
    with pytest.raises(StateError, match="it is done"):
        store.write(lambda s: carry_over(s, place, [ids[1], ids[0]], "1", actor="chair"))
    assert _rows(store) == before  # the good one in the batch was not carried either
    with pytest.raises(InvalidInput, match="actions: choose at least one"):
        store.write(lambda s: carry_over(s, place, [], "1", actor="chair"))
    store.write(lambda s: carry_over(s, place, [ids[1]], "1", actor="chair"))
    with pytest.raises(StateError, match="already carried over"):
        store.write(lambda s: carry_over(s, place, [ids[1]], "1", actor="chair"))


def test_editing_a_confirmed_priority_records_what_changed(store: Store) -> None:
    place, _ = _last_year(store)
    with store.read() as s:
        first = list_priorities(s, place)[0]
    edited = store.write(
        lambda s: edit_priority(
            s, place, first.id, title=" Same-day  hub for all ", lead="Dr Ben Rao", actor="chair"
        )
    )
    assert (edited.title, edited.lead, edited.position) == ("Same-day hub for all", "Dr Ben Rao", 1)
    assert edited.ask == first.ask  # untouched fields stay
    with store.read() as s:
        detail = s.scalars(select(AuditRow.detail).where(AuditRow.action == "priority.edited"))
        assert list(detail) == [
            {
                "priority": first.id,
                "title": ["Same-day hub", "Same-day hub for all"],
                "lead": ["Dr Ada Cole", "Dr Ben Rao"],
            }
        ]
    for bad, match in (
        ({"title": "Rooms"}, "title: priority 2 already has that title"),
        ({"measure": "  "}, "measure of success: a priority needs"),
        ({"lead": "Sam Hale"}, "lead: Sam Hale is not on the Testshire board"),
        ({"title": "Same-day hub for all"}, "nothing changed"),
        ({}, "at least one field"),
    ):
        with pytest.raises(InvalidInput, match=match):
            store.write(lambda s, bad=bad: edit_priority(s, place, first.id, actor="x", **bad))
