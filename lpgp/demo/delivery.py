"""Demo delivery for Haverbrook: a confirmed list of five priorities, actions in every state
(some overdue), asks of the system with their log, and two meetings with agendas: a coming
leadership board built by the builder, and a past place-based board whose agenda the system
filled, which falls below the 80% rule.

Dates are relative to today, so "overdue" and "due soon" always have something to show.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from .. import clock
from ..agenda import Draft, Kind, add_item, propose_agenda
from ..ask import Outcome, log_ask
from ..meeting import Board, MeetingInput, add_meeting, record_decision, set_minutes
from ..priority import PriorityInput, confirm_list
from ..tracker import ActionInput, Status, add_action, update_action
from . import ACTOR, DemoContext

PRIORITIES = (
    PriorityInput(
        title="Same-day care hub for the whole place",
        ask="Fund a same-day hub open into the evening that every practice can book into "
        "when its own same-day slots are full",
        why_now="Winter demand peaks in eight weeks and three practices closed lists last year",
        measure="Share of same-day requests seen the same day, by practice, each month",
        lead="Dr Tom Pritchard",
    ),
    PriorityInput(
        title="Urgent home visiting service",
        ask="Community services to run a paramedic and advanced practitioner team for "
        "urgent on-the-day home visits, reporting back to the patient's practice",
        why_now="Rural practices lose a GP afternoon a day to visits across the moors",
        measure="Urgent visits handed to the team and GP hours released per week",
        lead="Dr Sanjay Mehta",
    ),
    PriorityInput(
        title="Shared supervision for new roles",
        ask="Let PCNs pool their additional-roles money to employ shared clinical supervisors",
        why_now="Pharmacists and paramedics are leaving within a year for want of supervision",
        measure="Staff in new roles still in post after twelve months",
        lead="Dr Imran Qureshi",
    ),
    PriorityInput(
        title="Stop work moving from hospital to practices",
        ask="The acute trust to follow the interface agreement: its clinicians order and "
        "chase their own tests, issue fit notes and prescribe at discharge",
        why_now="Practices count about 300 such requests a week, and the new contract year "
        "is the moment to reset the agreement",
        measure="Requests bounced to practices per week, counted by the practices",
        lead="Dr Rosalind Carver",
    ),
    PriorityInput(
        title="Room for PCN teams",
        ask="The council and the ICB to offer clinical rooms in public buildings to PCNs",
        why_now="Forty new staff start this year with nowhere to see patients",
        measure="Clinical rooms secured against the number the PCNs need",
        lead="Dr Helen Ashworth",
    ),
)

# (priority, title, owner, due in days from today, status, days since added, days since update)
ACTIONS = (
    (1, "Map same-day demand and capacity by practice", "Owen Tranter", -20, "done", 70, 25),
    (
        1,
        "Draft the hub's operating model with the federation",
        "Owen Tranter",
        -3,
        "on_track",
        60,
        12,
    ),
    (
        1,
        "Agree booking rules between practices and the hub",
        "Priya Natarajan",
        10,
        "at_risk",
        40,
        6,
    ),
    (
        1,
        "Recruit sessional GPs for the hub's evening rota",
        "Dr Imran Qureshi",
        35,
        "not_started",
        20,
        20,
    ),
    (2, "Count home visits for six weeks in every practice", "Gareth Lloyd", -30, "done", 80, 28),
    (2, "Write the visiting team's referral criteria", "Gareth Lloyd", -2, "off_track", 50, 9),
    (
        2,
        "Agree how the team reports back into practice records",
        "Chloe Fenwick",
        21,
        "on_track",
        45,
        40,
    ),
    (
        2,
        "Pilot the team in the Moorland Villages practices",
        "Gareth Lloyd",
        60,
        "not_started",
        30,
        30,
    ),
    (
        3,
        "Survey new-role staff on supervision and plans to stay",
        "Priya Natarajan",
        -10,
        "done",
        55,
        33,
    ),
    (3, "Cost three shared supervisor posts", "Chloe Fenwick", 14, "on_track", 35, 4),
    (3, "Agree a hosting employer for shared posts", "Dr Imran Qureshi", 45, "not_started", 10, 10),
    (
        4,
        "Collect a fortnight of hospital-to-practice requests",
        "Owen Tranter",
        -45,
        "done",
        90,
        50,
    ),
    (
        4,
        "Present the audit to the trust's medical director",
        "Dr Rosalind Carver",
        -7,
        "off_track",
        60,
        36,
    ),
    (
        4,
        "Publish a one-page guide for practices on what to send back",
        "Chloe Fenwick",
        7,
        "on_track",
        30,
        3,
    ),
    (5, "List rooms each PCN needs, by day of the week", "Priya Natarajan", 30, "on_track", 40, 14),
    (5, "Visit the library and leisure centre sites", "Chloe Fenwick", 28, "not_started", 15, 15),
    (5, "Draft heads of terms for room sharing", "Owen Tranter", 40, "on_track", 25, 8),
)

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


def delivery(ctx: DemoContext) -> None:
    """Add the agreed list, actions, asks and two meetings to the demo place."""
    session, place = ctx.session, ctx.place
    today = clock.today()
    agreed = confirm_list(session, place, PRIORITIES, cycle=ctx.cycle.id, actor=ACTOR)
    ids = {p.position: p.id for p in agreed.priorities}
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
                note=f"Owner's update: {Status(status).label.lower()}",
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
            f"Ask of the system: {PRIORITIES[0].ask}",
            15,
            Kind.INNOVATION,
            ids[1],
            None,
            "Dr Tom Pritchard",
        ),
        Draft(
            f"Ask of the system: {PRIORITIES[3].ask}",
            15,
            Kind.INNOVATION,
            ids[4],
            None,
            "Dr Rosalind Carver",
        ),
    ):
        add_item(session, place, past.id, draft, actor=ACTOR)
    for position, outcome, note in (
        (1, Outcome.RAISED, "Presented with the demand map"),
        (1, Outcome.AGREED, "Agreed in principle; finance paper to follow"),
        (4, Outcome.RAISED, "Audit figures shared"),
        (4, Outcome.DEFERRED, "Trust asked for time to respond"),
    ):
        log_ask(session, place, ids[position], outcome, meeting_id=past.id, note=note, actor=ACTOR)
    log_ask(
        session,
        place,
        ids[3],
        Outcome.RAISED,
        on=today - timedelta(days=50),
        note="Raised by email with the ICB primary care team",
        actor=ACTOR,
    )
    record_decision(
        session, place, past.id, "Same-day hub agreed in principle", priority_id=ids[1], actor=ACTOR
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
