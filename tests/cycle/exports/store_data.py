"""A small place built through the delivery modules, for collector and end-to-end tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cycle.exports.samples import FORMULA, NASTY, PLAIN
from lpgp import clock
from lpgp.cycle.actions import tracker, tracker_rules
from lpgp.cycle.agendas import meeting, meeting_rules
from lpgp.cycle.agendas.agenda_rules import Draft, Kind
from lpgp.cycle.agendas.agenda_service import add_item
from lpgp.cycle.agendas.ask import log_ask
from lpgp.cycle.agendas.ask_rules import Outcome
from lpgp.cycle.agreed import priority, priority_rules
from lpgp.cycle.board import place
from lpgp.cycle.board.person import add_board_member, upsert_person
from lpgp.cycle.board.person_rules import PersonInput
from lpgp.cycle.board.practice import import_practices
from lpgp.cycle.board.practice_rules import PracticeInput
from lpgp.cycle.vote import ballot, vote_rules
from lpgp.cycle.vote import vote as votes
from lpgp.model import Role
from lpgp.store import Store

TODAY = "2027-01-04T09:00:00"  # a Monday, London time (GMT)


def build(store: Store) -> dict[str, int]:
    """One place, one cycle, two priorities, three actions, two meetings with agendas."""

    def work(s) -> dict[str, int]:
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
                priority_rules.PriorityInput(
                    NASTY, "A shared estates plan", "Leases end", "Plan", "Dr Ada Lee"
                ),
                priority_rules.PriorityInput(
                    PLAIN, "Two years of hub funding", "Winter", "Hubs", "Dr Ben Rhys"
                ),
            ],
            actor="test",
        )
        log_ask(s, where, "1", Outcome.RAISED, on=date(2026, 12, 7), actor="test")
        first = tracker.add_action(
            s,
            where,
            tracker_rules.ActionInput(
                1, FORMULA, "Owen Hale", date(2027, 1, 3), tracker_rules.Status.ON_TRACK
            ),
            actor="test",
        )
        tracker.update_action(s, where, first.id, note="Half the leases mapped", actor="test")
        tracker.add_action(
            s,
            where,
            tracker_rules.ActionInput(2, "Open the second hub", "Owen Hale", date(2027, 3, 1)),
            actor="test",
        )
        board = meeting.add_meeting(
            s,
            where,
            meeting_rules.MeetingInput(
                meeting_rules.Board.LEADERSHIP,
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
            meeting_rules.MeetingInput(
                meeting_rules.Board.PLACE_BASED,
                "Place-based partnership board",
                datetime(2027, 5, 10, 9, 0, tzinfo=UTC),
                90,
            ),
            actor="test",
        )
        return {"board": board.id, "later": later.id}

    return store.write(work)


def _london(delta: timedelta) -> str:
    # Votes open and close by the database's own clock, so they are timed from the real now.
    return (datetime.now(clock.LONDON) + delta).replace(tzinfo=None, microsecond=0).isoformat(" ")


def closed_vote(store: Store, *, close: bool = True) -> None:
    """Six practices in two PCNs vote (approval, two seats) on three candidates; then it closes
    (unless ``close`` is false).

    By hand: NASTY gets 5 approvals, PLAIN 4, "Frailty pathway" 1; five of six practices
    voted, North PCN 3 of 3 and South PCN 2 of 3.
    """

    def setup(s):
        where = place.get_place(s, "testshire")
        import_practices(
            s,
            where,
            [
                PracticeInput(
                    f"Z9900{i}", f"Practice {i}", "North PCN" if i <= 3 else "South PCN", 1000 * i
                )
                for i in range(1, 7)
            ],
        )
        vote = votes.create_vote(
            s,
            where,
            title="Which priorities?",
            method="approval",
            seats=2,
            opens=_london(timedelta(hours=-1)),
            closes=_london(timedelta(hours=2)),
            candidates=[
                vote_rules.CandidateText("A", NASTY),
                vote_rules.CandidateText("B", PLAIN),
                vote_rules.CandidateText("C", "Frailty pathway"),
            ],
            cycle=place.get_cycle(s, where),
            seed="test-seed",
        )
        vote = votes.open_vote(s, where, vote)
        return vote, {x.ods_code: x.code for x in ballot.issue_codes(s, vote)}

    with clock.frozen(datetime.now(UTC)):
        _cast_and_close(store, setup, close)


def _cast_and_close(store: Store, setup, close: bool) -> None:
    vote, codes = store.write(setup)
    choices = {
        "Z99001": ["A", "B"],
        "Z99002": ["A", "B"],
        "Z99003": ["A", "C"],
        "Z99004": ["A", "B"],
        "Z99005": ["A", "B"],
    }
    for ods, choice in choices.items():
        store.write(lambda s, ods=ods, choice=choice: ballot.cast(s, codes[ods], choice))
    if close:
        store.write(lambda s: votes.close_vote(s, place.get_place(s, "testshire"), vote))
