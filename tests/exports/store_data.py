"""A small place built through the delivery modules, for collector and end-to-end tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lpgp import meeting, place, priority, tracker
from lpgp.agenda import Draft, Kind, add_item
from lpgp.model import Role
from lpgp.person import PersonInput, add_board_member, upsert_person
from lpgp.store import Store

from .samples import FORMULA, NASTY, PLAIN

TODAY = "2027-01-04T09:00:00"  # a Monday, London time (GMT)


def build(store: Store) -> dict[str, int]:
    """One place, one cycle, two priorities, three actions, two meetings with agendas."""

    def work(s) -> dict[str, int]:  # noqa: ANN001
        where = place.create_place(s, "Testshire", actor="test")
        place.create_cycle(s, where, "2027/28 priorities", actor="test")
        for name, role in (
            ("Dr Ada Lee", Role.PCN_CLINICAL_DIRECTOR),
            ("Dr Ben Rhys", Role.LMC_CHAIR),
            ("Owen Hale", Role.PROJECT_MANAGER),
        ):
            upsert_person(s, where, PersonInput(name, role), actor="test")
        add_board_member(s, where, "Dr Ada Lee", chair=True, actor="test")
        add_board_member(s, where, "Dr Ben Rhys", actor="test")
        priority.confirm_list(
            s,
            where,
            [
                priority.PriorityInput(
                    NASTY, "A shared estates plan", "Leases end", "Plan", "Dr Ada Lee"
                ),
                priority.PriorityInput(
                    PLAIN, "Two years of hub funding", "Winter", "Hubs", "Dr Ben Rhys"
                ),
            ],
            actor="test",
        )
        first = tracker.add_action(
            s,
            where,
            tracker.ActionInput(1, FORMULA, "Owen Hale", date(2027, 1, 3), tracker.Status.ON_TRACK),
            actor="test",
        )
        tracker.update_action(s, where, first.id, note="Half the leases mapped", actor="test")
        tracker.add_action(
            s,
            where,
            tracker.ActionInput(2, "Open the second hub", "Owen Hale", date(2027, 3, 1)),
            actor="test",
        )
        board = meeting.add_meeting(
            s,
            where,
            meeting.MeetingInput(
                meeting.Board.LEADERSHIP,
                "Leadership board",
                datetime(2027, 1, 11, 10, 0, tzinfo=UTC),
                120,
                location="Room 2",
                attendees=("Dr Ada Lee", "Dr Ben Rhys"),
            ),
            actor="test",
        )
        priorities = priority.list_priorities(s, where)
        add_item(
            s,
            where,
            board.id,
            Draft(NASTY, 60, Kind.INNOVATION, priorities[0].id, presenter="Dr Ada Lee"),
            actor="test",
        )
        add_item(
            s,
            where,
            board.id,
            Draft("Contract updates", 40, Kind.BUSINESS),
            actor="test",
        )
        later = meeting.add_meeting(
            s,
            where,
            meeting.MeetingInput(
                meeting.Board.PLACE_BASED,
                "Place-based partnership board",
                datetime(2027, 5, 10, 9, 0, tzinfo=UTC),
                90,
            ),
            actor="test",
        )
        return {"board": board.id, "later": later.id}

    return store.write(work)
