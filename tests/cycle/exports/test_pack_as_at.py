"""A past meeting's agenda pack shows its actions and asks as they stood when the meeting began;
a meeting still to come shows the latest. Every date below is fixed, and every expected status,
RAG and note was worked out by hand from the timeline in :func:`timeline`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document

import lpgp
from cycle.exports.readers import Page, pdf_text
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
from lpgp.cycle.board.place import get_place
from lpgp.cycle.exports import collect
from lpgp.model import Role
from lpgp.store import Store

# The meeting: Monday 14 June 2027, 09:00 in London (BST), which is 08:00 UTC, for two hours.
PAST_START = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
EXPORTED = "2027-07-01T09:00:00"  # London; both meetings' packs are made on this day

BEFORE_NOTE = "Room booked this morning"  # dated 14 June, recorded 08:30 London: shown
DURING_NOTE = "The board asked for a new plan"  # dated 14 June, recorded 11:30 London: not
LATE_NOTE = "Finished on the 12th, entered late"  # dated 12 June, recorded 20 June: shown
AFTER_NOTE = "Room in use"  # dated 25 June: not shown for the past meeting


def timeline(store: Store) -> dict[str, int]:
    """Build the place step by step, each step on its own (London) day and time."""

    def at(moment: str, work):
        with clock.frozen(moment):
            return store.write(work)

    def setup(s):
        where = place.create_place(s, "Testshire", actor="test")
        place.create_cycle(s, where, "2027/28 priorities", actor="test")
        upsert_person(s, where, PersonInput("Dr Ada Lee", Role.PCN_CLINICAL_DIRECTOR), actor="t")
        upsert_person(s, where, PersonInput("Owen Hale", Role.PROJECT_MANAGER), actor="t")
        add_board_member(s, where, "Dr Ada Lee", chair=True, actor="test")
        priority.confirm_list(
            s,
            where,
            [
                priority_rules.PriorityInput(
                    "Estates plan", "A shared plan", "Leases", "Plan", "Dr Ada Lee"
                ),
                priority_rules.PriorityInput(
                    "Hub funding", "Two years", "Winter", "Hubs", "Dr Ada Lee"
                ),
            ],
            actor="test",
        )
        on_track = tracker_rules.Status.ON_TRACK
        book = tracker_rules.ActionInput(
            1, "Book the room", "Owen Hale", date(2027, 6, 25), on_track
        )
        a = tracker.add_action(s, where, book, actor="test")
        leases = tracker_rules.ActionInput(1, "Map the leases", "Owen Hale", date(2027, 6, 10))
        c = tracker.add_action(s, where, leases, actor="test")
        ids = {"a": a.id, "c": c.id}
        for key, start, minutes in (
            ("past", "2027-06-14 09:00", 120),
            ("next", "2027-07-12 09:00", 60),
        ):
            m = meeting.add_meeting(
                s,
                where,
                meeting_rules.MeetingInput(
                    meeting_rules.Board.LEADERSHIP,
                    f"Board {key}",
                    meeting_rules.parse_start(start),
                    minutes,
                ),
                actor="test",
            )
            add_item(s, where, m.id, Draft("Estates plan", 40, Kind.INNOVATION, 1), actor="test")
            ids[key] = m.id
        return ids

    def update(action: str, **kw):
        return lambda s: tracker.update_action(s, get_place(s, None), ids[action], actor="t", **kw)

    ids = at("2027-06-01T09:00:00", setup)
    at(
        "2027-06-03T12:00:00",
        lambda s: log_ask(s, get_place(s, None), "1", Outcome.RAISED, actor="t"),
    )
    at("2027-06-08T10:00:00", update("a", status=tracker_rules.Status.AT_RISK, note="Slipping"))
    at("2027-06-14T08:30:00", update("a", note=BEFORE_NOTE))
    at("2027-06-14T11:30:00", update("a", status=tracker_rules.Status.OFF_TRACK, note=DURING_NOTE))

    def after_meeting(s):
        where = get_place(s, None)
        log_ask(s, where, "1", Outcome.AGREED, actor="t")
        added = tracker_rules.ActionInput(1, "Open the second hub", "Owen Hale", date(2027, 6, 29))
        return tracker.add_action(s, where, added, actor="t").id

    ids["b"] = at("2027-06-15T09:00:00", after_meeting)
    at(
        "2027-06-20T09:00:00",
        update("c", status=tracker_rules.Status.DONE, note=LATE_NOTE, on=date(2027, 6, 12)),
    )
    at("2027-06-25T09:00:00", update("a", status=tracker_rules.Status.DONE, note=AFTER_NOTE))
    return ids


@pytest.fixture
def built(store: Store):
    return store, timeline(store)


def _rows(pack) -> list[tuple]:
    (item,) = pack.meeting.items
    return [
        (r.action, r.status, r.rag, r.due, r.last_update_on, r.last_update) for r in item.actions
    ]


def test_a_past_meetings_pack_shows_actions_and_asks_as_they_stood_when_it_began(built):
    store, ids = built
    with clock.frozen(EXPORTED), store.read() as s:
        pack = collect.collect_agenda(s, get_place(s, None), ids["past"])
    assert pack.as_at == PAST_START
    # "Book the room": at risk since 8 June, due 25 June, so amber on 14 June; its latest
    # update then was the one made at 08:30 that morning. "Map the leases": done on 12 June
    # (entered on the 20th, dated the 12th). "Open the second hub" was added the day after.
    assert _rows(pack) == [
        ("Book the room", "At risk", "Amber", date(2027, 6, 25), date(2027, 6, 14), BEFORE_NOTE),
        ("Map the leases", "Done", "Complete", date(2027, 6, 10), date(2027, 6, 12), LATE_NOTE),
    ]
    (item,) = pack.meeting.items
    assert (
        item.ask_status == "Raised on 3 Jun 2027 (raised once: 0 agreed, 0 declined, 0 deferred)."
    )


def test_a_meeting_still_to_come_shows_the_latest(built):
    store, ids = built
    with clock.frozen(EXPORTED), store.read() as s:
        pack = collect.collect_agenda(s, get_place(s, None), ids["next"])
    assert pack.as_at is None
    # On 1 July: the hub action, not started and due 29 June, is overdue and red; the other
    # two are done, earliest due first.
    assert _rows(pack) == [
        (
            "Open the second hub",
            "Not started",
            "Red",
            date(2027, 6, 29),
            date(2027, 6, 15),
            "Action added",
        ),
        ("Map the leases", "Done", "Complete", date(2027, 6, 10), date(2027, 6, 12), LATE_NOTE),
        ("Book the room", "Done", "Complete", date(2027, 6, 25), date(2027, 6, 25), AFTER_NOTE),
    ]
    assert pack.meeting.items[0].actions[0].overdue
    (item,) = pack.meeting.items
    assert (
        item.ask_status == "Agreed on 15 Jun 2027 (raised once: 1 agreed, 0 declined, 0 deferred)."
    )


def test_a_meeting_under_way_shows_the_latest(built):
    store, ids = built
    with clock.frozen("2027-06-14T10:30:00"), store.read() as s:
        pack = collect.collect_agenda(s, get_place(s, None), ids["past"])
    assert pack.as_at is None
    assert _rows(pack)[0][0] == "Open the second hub"  # the latest: all the store holds


def test_every_format_of_the_past_pack_says_what_it_shows(built, tmp_path: Path):
    store, ids = built
    with clock.frozen(EXPORTED):
        paths = {
            fmt: lpgp.export_agenda(tmp_path / f"past.{fmt}", meeting=ids["past"], store=store)
            for fmt in ("html", "docx", "pdf")
        }
    said = (
        "Actions and asks as they stood when the meeting began (09:00 on Monday 14 June 2027); "
        "later updates are not shown."
    )
    texts = {
        "html": Page(paths["html"].read_text("utf-8")).text,
        "docx": "\n".join(
            [p.text for p in Document(str(paths["docx"])).paragraphs]
            + [c.text for t in Document(str(paths["docx"])).tables for r in t.rows for c in r.cells]
        ),
        "pdf": pdf_text(paths["pdf"]),
    }
    for fmt, text in texts.items():
        assert said in text, fmt
        assert f"14 Jun 2027: {BEFORE_NOTE}" in text, fmt
        assert "Raised on 3 Jun 2027" in text, fmt
        for later in (DURING_NOTE, AFTER_NOTE, "Open the second hub", "Agreed on 15 Jun"):
            assert later not in text, (fmt, later)
