"""Demo delivery for Haverbrook: last year's list of five priorities, confirmed from last
year's vote (its winners in order) and being delivered now, with actions in every state
(some overdue), asks of the system with their log, and two meetings with agendas: a coming
leadership board built by the builder, and a past place-based board whose agenda the system
filled, which falls below the 80% rule.

Dates are relative to today, so "overdue" and "due soon" always have something to show.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from lpgp import clock
from lpgp.cycle.actions.tracker import add_action, update_action
from lpgp.cycle.actions.tracker_rules import ActionInput, Status
from lpgp.cycle.agendas.agenda_rules import Draft, Kind
from lpgp.cycle.agendas.agenda_service import add_item, propose_agenda
from lpgp.cycle.agendas.ask import log_ask
from lpgp.cycle.agendas.ask_rules import Outcome
from lpgp.cycle.agendas.meeting import add_meeting, record_decision, set_minutes
from lpgp.cycle.agendas.meeting_rules import Board, MeetingInput
from lpgp.cycle.agreed.priority import confirm_list, draft_from_result
from lpgp.cycle.agreed.priority_rules import AgreedList
from lpgp.cycle.board.place import get_cycle
from lpgp.cycle.vote.vote import get_vote
from lpgp.demo.vote import LAST_YEAR_CYCLE, LAST_YEAR_VOTE

if TYPE_CHECKING:
    from lpgp.demo import DemoContext

ACTOR = "demo"

# What the board added to each winner of last year's vote when it confirmed the list:
# (winner's title, lead, why now, measure of success).
ADDED = (
    (
        "Same-day care hub for the whole place",
        "Dr Tom Pritchard",
        "Winter demand peaks in eight weeks and three practices closed lists last year",
        "Share of same-day requests seen the same day, by practice, each month",
    ),
    (
        "Urgent home visiting service",
        "Dr Sanjay Mehta",
        "Rural practices lose a GP afternoon a day to visits across the moors",
        "Urgent visits handed to the team and GP hours released per week",
    ),
    (
        "Shared supervision for new roles",
        "Dr Imran Qureshi",
        "Pharmacists and paramedics are leaving within a year for want of supervision",
        "Staff in new roles still in post after twelve months",
    ),
    (
        "Stop work moving from hospital to practices",
        "Dr Rosalind Carver",
        "Practices count about 300 such requests a week, and the new contract year is the "
        "moment to reset the agreement",
        "Requests bounced to practices per week, counted by the practices",
    ),
    (
        "Room for PCN teams",
        "Dr Helen Ashworth",
        "Forty new staff start this year with nowhere to see patients",
        "Clinical rooms secured against the number the PCNs need",
    ),
)
HUB, VISITS, SUPERVISION, HOSPITAL, ROOMS = (title for title, *_ in ADDED)

# (priority, title, owner, due in days from today, status, days since added, days since update)
ACTIONS = (
    (HUB, "Map same-day demand and capacity by practice", "Owen Tranter", -20, "done", 70, 25),
    (
        HUB,
        "Draft the hub's operating model with the federation",
        "Owen Tranter",
        -3,
        "on_track",
        60,
        12,
    ),
    (
        HUB,
        "Agree booking rules between practices and the hub",
        "Priya Natarajan",
        10,
        "at_risk",
        40,
        6,
    ),
    (
        HUB,
        "Recruit sessional GPs for the hub's evening rota",
        "Dr Imran Qureshi",
        35,
        "not_started",
        20,
        20,
    ),
    (
        VISITS,
        "Count home visits for six weeks in every practice",
        "Gareth Lloyd",
        -30,
        "done",
        80,
        28,
    ),
    (VISITS, "Write the visiting team's referral criteria", "Gareth Lloyd", -2, "off_track", 50, 9),
    (
        VISITS,
        "Agree how the team reports back into practice records",
        "Chloe Fenwick",
        21,
        "on_track",
        45,
        40,
    ),
    (
        VISITS,
        "Pilot the team in the Moorland Villages practices",
        "Gareth Lloyd",
        60,
        "not_started",
        30,
        30,
    ),
    (
        SUPERVISION,
        "Survey new-role staff on supervision and plans to stay",
        "Priya Natarajan",
        -10,
        "done",
        55,
        33,
    ),
    (SUPERVISION, "Cost three shared supervisor posts", "Chloe Fenwick", 14, "on_track", 35, 4),
    (
        SUPERVISION,
        "Agree a hosting employer for shared posts",
        "Dr Imran Qureshi",
        45,
        "not_started",
        10,
        10,
    ),
    (
        HOSPITAL,
        "Collect a fortnight of hospital-to-practice requests",
        "Owen Tranter",
        -45,
        "done",
        90,
        50,
    ),
    (
        HOSPITAL,
        "Present the audit to the trust's medical director",
        "Dr Rosalind Carver",
        -7,
        "off_track",
        60,
        36,
    ),
    (
        HOSPITAL,
        "Publish a one-page guide for practices on what to send back",
        "Chloe Fenwick",
        7,
        "on_track",
        30,
        3,
    ),
    (
        ROOMS,
        "List rooms each PCN needs, by day of the week",
        "Priya Natarajan",
        30,
        "on_track",
        40,
        14,
    ),
    (
        ROOMS,
        "Visit the library and leisure centre sites",
        "Chloe Fenwick",
        28,
        "not_started",
        15,
        15,
    ),
    (ROOMS, "Draft heads of terms for room sharing", "Owen Tranter", 40, "on_track", 25, 8),
)

NOTES = {
    "on_track": "Going to plan",
    "at_risk": "Waiting on a partner; may slip",
    "off_track": "Behind: needs the board's help to unblock",
    "done": "Finished and shared with practices",
}

LEADERSHIP_ATTENDEES = (
    "Dr Amara Okafor",
    "Dr Tom Pritchard",
    "Dr Helen Ashworth",
    "Dr Sanjay Mehta",
    "Dr Fiona Lindqvist",
    "Dr Kwame Boateng",
    "Dr Rosalind Carver",
    "Dr Imran Qureshi",
    "Julie Brennan",
    "Owen Tranter",
)


def _confirm_last_year(ctx: DemoContext) -> AgreedList:
    """Confirm last year's list from its vote's result, as the board did after the count:
    the winners in order, each with the lead, why now and measure the board added."""
    session, place = ctx.session, ctx.place
    cycle = get_cycle(session, place, LAST_YEAR_CYCLE)
    draft = draft_from_result(session, place, get_vote(session, place, LAST_YEAR_VOTE).id)
    added = {title: (lead, why, measure) for title, lead, why, measure in ADDED}
    items = [
        replace(
            item,
            lead=added[item.title][0],
            why_now=added[item.title][1],
            measure=added[item.title][2],
        )
        for item in draft.items
    ]
    with clock.frozen(datetime.combine(clock.today() - timedelta(days=115), time(14, 0))):
        return confirm_list(
            session,
            place,
            items,
            cycle=cycle.id,
            result_order=draft.result_order,
            vote_id=draft.vote_id,
            actor=ACTOR,
        )


def add_delivery(ctx: DemoContext) -> None:
    """Confirm last year's list from its vote, and add its actions, asks and two meetings."""
    session, place = ctx.session, ctx.place
    today = clock.today()
    agreed = _confirm_last_year(ctx)
    ids = {p.title: p.id for p in agreed.priorities}
    for position, title, owner, due_in, status, added, updated in ACTIONS:
        action = add_action(
            session,
            place,
            ActionInput(
                ids[position], title, owner, today + timedelta(days=due_in), note="Action agreed"
            ),
            on=today - timedelta(days=added),
            actor=ACTOR,
        )
        if status != "not_started":
            update_action(
                session,
                place,
                action.id,
                status=Status(status),
                note=NOTES[status],
                on=today - timedelta(days=updated),
                actor=ACTOR,
            )

    past = add_meeting(
        session,
        place,
        MeetingInput(
            board=Board.PLACE_BASED,
            title="Haverbrook place partnership board",
            start=datetime.combine(today - timedelta(days=21), time(10, 0)),
            duration_minutes=90,
            location="Haverbrook Civic Centre, committee room 2",
            attendees=("Dr Amara Okafor", "Dr Tom Pritchard", "Dr Rosalind Carver"),
        ),
        actor=ACTOR,
    )
    for draft in (
        Draft("ICB finance position", 20, Kind.SYSTEM),
        Draft("Urgent care performance dashboard", 15, Kind.SYSTEM),
        Draft("Minutes and matters arising", 10, Kind.BUSINESS),
        Draft(
            "Our ask: a same-day hub for the whole place",
            15,
            Kind.INNOVATION,
            ids[HUB],
            None,
            "Dr Tom Pritchard",
        ),
        Draft(
            "Our ask: the hospital keeps its own work",
            15,
            Kind.INNOVATION,
            ids[HOSPITAL],
            None,
            "Dr Rosalind Carver",
        ),
    ):
        add_item(session, place, past.id, draft, actor=ACTOR)
    for position, outcome, note in (
        (HUB, Outcome.RAISED, "Presented with the demand map"),
        (HUB, Outcome.AGREED, "Agreed in principle; finance paper to follow"),
        (HOSPITAL, Outcome.RAISED, "Audit figures shared"),
        (HOSPITAL, Outcome.DEFERRED, "Trust asked for time to respond"),
    ):
        log_ask(session, place, ids[position], outcome, meeting_id=past.id, note=note, actor=ACTOR)
    log_ask(
        session,
        place,
        ids[SUPERVISION],
        Outcome.RAISED,
        on=today - timedelta(days=50),
        note="Raised by email with the ICB primary care team",
        actor=ACTOR,
    )
    record_decision(
        session,
        place,
        past.id,
        "Same-day hub agreed in principle",
        priority_id=ids[HUB],
        actor=ACTOR,
    )
    set_minutes(
        session,
        place,
        past.id,
        "Most of the time went on the ICB's items; two of our asks were heard.",
        actor=ACTOR,
    )

    coming = add_meeting(
        session,
        place,
        MeetingInput(
            board=Board.LEADERSHIP,
            title="General practice leadership board",
            start=datetime.combine(today + timedelta(days=7), time(13, 0)),
            duration_minutes=150,
            video_link="https://meet.example/haverbrook-gp-board",
            attendees=LEADERSHIP_ATTENDEES,
        ),
        actor=ACTOR,
    )
    propose_agenda(
        session,
        place,
        coming.id,
        system_items=(
            Draft("ICB update on winter funding", 15, Kind.SYSTEM),
            Draft("Digital team: new online consultation contract", 15, Kind.SYSTEM),
        ),
        actor=ACTOR,
    )
