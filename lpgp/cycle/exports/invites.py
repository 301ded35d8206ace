"""Meeting invites as iCalendar files (RFC 5545) that calendar programs import as they are.

Each meeting is one VEVENT timed in Europe/London (with the VTIMEZONE that defines it), the UID
the store keeps for the meeting (unique across stores and the same for the life of the meeting:
:func:`meeting_uid`), a SEQUENCE that rises each time the meeting changes, and the agenda in the
description. A cancelled meeting goes out as a cancellation:
STATUS:CANCELLED on its event (its SEQUENCE already raised by the cancelling), and
METHOD:CANCEL on a file that holds only cancelled meetings, so a calendar that imports it
takes the meeting out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
    vText,
)

from lpgp.clock import LONDON
from lpgp.cycle.exports.agenda_pack import timed_items
from lpgp.cycle.exports.model import Meeting
from lpgp.cycle.exports.templating import clock_time
from lpgp.cycle.exports.text import xml_safe

PRODID = "-//lpgp//General practice leadership board//EN"
TZID = "Europe/London"


def london_timezone() -> Timezone:
    """The UK clock rules as a VTIMEZONE: BST from the last Sunday of March at 01:00 GMT to
    the last Sunday of October at 02:00 BST.

    >>> print(london_timezone().to_ical().decode().splitlines()[1])
    TZID:Europe/London
    """
    tz = Timezone()
    tz.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("tzoffsetfrom", _offset(0))
    summer.add("tzoffsetto", _offset(1))
    summer.add("tzname", "BST")
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("tzoffsetfrom", _offset(1))
    winter.add("tzoffsetto", _offset(0))
    winter.add("tzname", "GMT")
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's calendar UID: the one the store keeps for it, the same in every file ever
    made for it (one meeting's file, the whole cycle's, a cancellation).

    A calendar treats two events with one UID as one, so the UID must name one meeting in all
    the world, not just in its place. Until migration 0011 it was worked out as
    ``meeting-<id>.<place slug>@lpgp``, which two stores (or a store built again) give to two
    different meetings. Now each meeting stores its own (``meetings.uid``):

    - a meeting added since then gets ``meeting-<random uuid4>@lpgp`` when it is added;
    - a meeting from before keeps the UID its invites already went out with (the migration
      wrote the old formula into the column), so calendars update it rather than gaining a
      second copy;
    - it never changes afterwards, whatever else about the meeting does.

    >>> from datetime import UTC
    >>> start = datetime(2027, 1, 11, 10, tzinfo=UTC)
    >>> meeting_uid(Meeting("7", "Board", "leadership", start, 60, uid="meeting-7.haverbrook@lpgp"))
    'meeting-7.haverbrook@lpgp'
    >>> meeting_uid(Meeting("7", "Board", "leadership", start, 60))
    Traceback (most recent call last):
    ...
    ValueError: meeting 7 has no calendar UID: invites are made from meetings read from the store
    """
    if not meeting.uid:
        raise ValueError(
            f"meeting {meeting.key} has no calendar UID: invites are made from meetings read "
            "from the store"
        )
    return meeting.uid


def agenda_text(meeting: Meeting) -> str:
    """The agenda as plain lines for the event's description (for a cancelled meeting, that
    it is cancelled).

    >>> from datetime import UTC
    >>> from lpgp.cycle.exports.model import AgendaEntry
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 4, 9, tzinfo=UTC), 30,
    ...             items=(AgendaEntry("Access", 30, "innovation", True, "Dr A"),))
    >>> print(agenda_text(m))
    Agenda
    09:00–09:30  1. Access (Dr A)
    """
    if meeting.cancelled:
        return xml_safe("This meeting has been cancelled.")
    lines = ["Agenda"]
    for t in timed_items(meeting.start, meeting.items):
        who = f" ({t.item.presenter})" if t.item.presenter else ""
        lines.append(f"{clock_time(t.start)}–{clock_time(t.end)}  {t.number}. {t.item.title}{who}")
    if not meeting.items:
        lines.append("The agenda will follow.")
    if meeting.attendees:
        lines += ["", "Invited: " + ", ".join(meeting.attendees)]
    return xml_safe("\n".join(lines))


def meeting_event(meeting: Meeting, stamp: datetime) -> Event:
    """One VEVENT for a meeting, timed in London."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    title = f"Cancelled: {meeting.title}" if meeting.cancelled else meeting.title
    event.add("summary", xml_safe(title))
    event.add("dtstart", meeting.start.astimezone(LONDON))
    event.add("dtend", meeting.end.astimezone(LONDON))
    where = ", ".join(x for x in (meeting.location, meeting.video_link) if x)
    if where:
        event.add("location", xml_safe(where))
    event.add("description", agenda_text(meeting))
    if meeting.changed_at:
        event.add("last-modified", meeting.changed_at)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    if meeting.organiser:
        event.add("organizer", _address(*meeting.organiser))
    for name, email in meeting.emails:
        attendee = _address(name, email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    return event


def _address(name: str, email: str) -> vCalAddress:
    """A person as a calendar address: their email, with their name as the common name."""
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(xml_safe(name))
    return address


def calendar_method(meetings: Sequence[Meeting]) -> str:
    """The calendar's METHOD: CANCEL when every meeting in it is cancelled, else PUBLISH (a
    cancelled meeting among others still carries STATUS:CANCELLED).

    >>> from dataclasses import replace
    >>> from datetime import UTC
    >>> m = Meeting("1", "Board", "leadership", datetime(2027, 1, 4, 9, tzinfo=UTC), 30)
    >>> calendar_method([m]), calendar_method([replace(m, cancelled=True)])
    ('PUBLISH', 'CANCEL')
    """
    return "CANCEL" if meetings and all(m.cancelled for m in meetings) else "PUBLISH"


def render_ics(meetings: Sequence[Meeting], stamp: datetime, name: str | None = None) -> bytes:
    """An .ics calendar holding one VEVENT per meeting.

    >>> from datetime import UTC
    >>> m = Meeting("1", "Board", "leadership", datetime(2026, 10, 26, 10, tzinfo=UTC), 60,
    ...             uid="meeting-0b8e4d8c-5f0e-4f43-9d1b-1f6f4e3c2a10@lpgp")
    >>> text = render_ics([m], datetime(2026, 10, 1, tzinfo=UTC)).decode()
    >>> "DTSTART;TZID=Europe/London:20261026T100000" in text
    True
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", calendar_method(meetings))
    if name:
        cal.add("x-wr-calname", xml_safe(name))
    cal.add_component(london_timezone())
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, stamp))
    return cal.to_ical()
