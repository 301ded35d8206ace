"""Invites read back by the icalendar library: instants across the clock change, UID, SEQUENCE."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from cycle.exports.samples import NASTY, PLAIN, UID, meeting
from lpgp.cycle.exports import invites

STAMP = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
OTHER_UID = "meeting-9a1f7c3e-0d2b-4e8a-b5c6-2f4d8e1a7b90@lpgp"


def _london(day: date) -> datetime:
    """10:00 on the wall clock in London, worked out from the UK rule by hand: BST (UTC+1)
    runs from the last Sunday of March to the last Sunday of October.
    """
    last_sunday_october = max(
        date(day.year, 10, d) for d in range(25, 32) if date(day.year, 10, d).weekday() == 6
    )
    offset = 0 if day > last_sunday_october else 1
    return datetime(day.year, day.month, day.day, 10 - offset, tzinfo=UTC)


def test_meetings_either_side_of_the_clock_change_keep_their_instants():
    before, after = date(2026, 10, 19), date(2026, 10, 26)  # Mondays around 25 Oct 2026
    assert _london(after) == datetime(2026, 10, 26, 10, tzinfo=UTC)
    meetings = [meeting(_london(before)), meeting(_london(after))]
    meetings[1] = replace(meetings[1], key="13", uid=OTHER_UID)
    cal = Calendar.from_ical(invites.render_ics(meetings, STAMP))
    events = cal.walk("VEVENT")
    starts = [e.decoded("dtstart").astimezone(UTC) for e in events]
    assert starts == [
        datetime(2026, 10, 19, 9, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 10, 0, tzinfo=UTC),
    ]
    assert [e["dtstart"].params["TZID"] for e in events] == ["Europe/London"] * 2
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == timedelta(minutes=120)


def test_the_vtimezone_alone_gives_the_right_offsets():
    cal = Calendar.from_ical(invites.render_ics([meeting()], STAMP))
    (vtz,) = cal.walk("VTIMEZONE")
    assert vtz["TZID"] == "Europe/London"
    tz = vtz.to_tz()
    assert datetime(2026, 10, 19, 10, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2026, 10, 26, 10, tzinfo=tz).utcoffset() == timedelta(0)
    assert datetime(2027, 3, 29, 10, tzinfo=tz).utcoffset() == timedelta(hours=1)


def test_uid_is_the_stored_one_and_sequence_follows_changes():
    first = Calendar.from_ical(invites.render_ics([meeting()], STAMP))
    moved = meeting(datetime(2027, 1, 12, 14, tzinfo=UTC), sequence=2)
    second = Calendar.from_ical(invites.render_ics([moved], STAMP))
    (a,), (b,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert a["UID"] == b["UID"] == "meeting-5d0c1c1e-2a4b-4c39-8f0e-6b7a3f1d9e42@lpgp" == UID
    assert (a["SEQUENCE"], b["SEQUENCE"]) == (0, 2)


def test_a_meeting_without_a_stored_uid_is_refused():
    with pytest.raises(ValueError, match="meeting 12 has no calendar UID"):
        invites.render_ics([replace(meeting(), uid=None)], STAMP)


def test_title_and_agenda_come_through_as_text():
    cal = Calendar.from_ical(invites.render_ics([meeting()], STAMP, name=NASTY))
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Leadership board: {NASTY}"
    assert str(cal["X-WR-CALNAME"]) == NASTY
    description = str(event["DESCRIPTION"])
    assert f"10:00–10:50  1. {NASTY} (Dr Amara Okafor)" in description
    assert f"10:50–11:35  2. {PLAIN} (Dr Tom Pritchard)" in description
    assert "Invited: Dr Amara Okafor, Dr Tom Pritchard" in description
    assert str(event["LOCATION"]) == "Haverbrook Health Centre, room 2"


def test_a_cancelled_meeting_goes_out_as_a_cancellation():
    gone = replace(meeting(sequence=3), cancelled=True)
    cal = Calendar.from_ical(invites.render_ics([gone], STAMP))
    (event,) = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 3 and event["UID"] == UID
    assert str(event["SUMMARY"]) == f"Cancelled: Leadership board: {NASTY}"
    assert str(event["DESCRIPTION"]) == "This meeting has been cancelled."


def test_a_cancelled_meeting_among_others_is_marked_in_a_published_calendar():
    later = replace(
        meeting(datetime(2027, 2, 8, 10, tzinfo=UTC)), key="13", cancelled=True, uid=OTHER_UID
    )
    cal = Calendar.from_ical(invites.render_ics([meeting(), later], STAMP))
    assert str(cal["METHOD"]) == "PUBLISH"
    assert [str(e["STATUS"]) for e in cal.walk("VEVENT")] == ["CONFIRMED", "CANCELLED"]
